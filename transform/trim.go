package transform

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// trimSpace is strings.TrimSpace without its slow path for text that starts or ends with a
// non-ASCII character, the usual case in a Chinese report: strings.TrimSpace decodes every such
// string from both ends through unicode.IsSpace. Only the lead bytes C2, E1, E2 and E3 can start a
// Unicode white space character (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
// U+205F, U+3000), so any other byte ends the trim without decoding.
func trimSpace(s string) string {
	start := 0
	for start < len(s) {
		c := s[start]
		if c < utf8.RuneSelf {
			if asciiSpace[c] == 0 {
				break
			}
			start++
			continue
		}
		if !spaceLead(c) {
			break
		}
		r, w := utf8.DecodeRuneInString(s[start:])
		if !unicode.IsSpace(r) {
			break
		}
		start += w
	}
	end := len(s)
	for end > start {
		c := s[end-1]
		if c < utf8.RuneSelf {
			if asciiSpace[c] == 0 {
				break
			}
			end--
			continue
		}
		i := end - 1 // the last rune's lead byte
		for i > start && end-i < utf8.UTFMax && !utf8.RuneStart(s[i]) {
			i--
		}
		if !spaceLead(s[i]) {
			break
		}
		r, w := utf8.DecodeLastRuneInString(s[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= w
	}
	return s[start:end]
}

// spaceLead reports a UTF-8 lead byte that may start a white space character.
func spaceLead(c byte) bool { return c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3 }

// asciiSpace is strings' table of the ASCII white space bytes.
var asciiSpace = [256]uint8{'\t': 1, '\n': 1, '\v': 1, '\f': 1, '\r': 1, ' ': 1}

// wordSet finds any of a few words in a text in one pass, where strings.Contains would scan a
// long paragraph once per word: the first two bytes of the words filter the places worth a
// comparison. Every word has two bytes at least.
type wordSet struct {
	words []string
	pairs [1 << 16 / 64]uint64 // the words' first two bytes, as a bit set
}

func newWordSet(words ...string) *wordSet {
	ws := &wordSet{words: words}
	for _, w := range words {
		if len(w) < 2 {
			panic("wordSet: a word of fewer than two bytes: " + w)
		}
		k := uint16(w[0])<<8 | uint16(w[1])
		ws.pairs[k>>6] |= 1 << (k & 63)
	}
	return ws
}

// in reports whether s contains any of the words.
func (ws *wordSet) in(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		k := uint16(s[i])<<8 | uint16(s[i+1])
		if ws.pairs[k>>6]&(1<<(k&63)) == 0 {
			continue
		}
		for _, w := range ws.words {
			if strings.HasPrefix(s[i:], w) {
				return true
			}
		}
	}
	return false
}

// runeCount is utf8.RuneCountInString with CJK ideographs (lead bytes E4–E9, most of a report's
// text) counted without decoding.
func runeCount(s string) int {
	n := 0
	for i := 0; i < len(s); n++ {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			i++
		case c >= 0xE4 && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			i += 3
		default:
			_, w := utf8.DecodeRuneInString(s[i:])
			i += w
		}
	}
	return n
}
