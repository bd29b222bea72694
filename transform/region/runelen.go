package region

// runeLengths maps a name's first character to the longest name (in runes) that starts with it.
// A resolver asks it at every character of every body, title and narrative it reads: the Basic
// Multilingual Plane, where every Chinese place name starts, is an array, the rest a map.
type runeLengths struct {
	bmp  []uint8 // indexed by rune; nil until the first name
	rest map[rune]int
}

func (l *runeLengths) get(r rune) int {
	if r >= 0 && int(r) < len(l.bmp) {
		if n := l.bmp[r]; n < 255 {
			return int(n)
		}
	}
	return l.rest[r] // a name of 255 runes or more, or a character past the plane
}

// add records a name of n runes starting with r.
func (l *runeLengths) add(r rune, n int) {
	if n <= l.get(r) {
		return
	}
	if r >= 0 && r < 1<<16 {
		if l.bmp == nil {
			l.bmp = make([]uint8, 1<<16)
		}
		if n < 255 {
			l.bmp[r] = uint8(n)
			return
		}
		l.bmp[r] = 255
	}
	if l.rest == nil {
		l.rest = map[rune]int{}
	}
	l.rest[r] = n
}
