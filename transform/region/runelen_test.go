package region

import "testing"

// TestRuneLengths: the longest name recorded for each first character, in the plane's array and
// past it (a character beyond the plane, a name of 255 runes or more), 0 for a character no name
// starts with.
func TestRuneLengths(t *testing.T) {
	var l runeLengths
	if l.get('淮') != 0 {
		t.Fatal("an empty table knows 淮")
	}
	adds := []struct {
		r rune
		n int
	}{{'淮', 3}, {'淮', 5}, {'淮', 2}, {'𠀀', 4}, {'长', 300}, {'长', 7}, {'A', 254}}
	for _, a := range adds {
		l.add(a.r, a.n)
	}
	for r, want := range map[rune]int{'淮': 5, '𠀀': 4, '长': 300, 'A': 254, '南': 0, -1: 0} {
		if got := l.get(r); got != want {
			t.Errorf("get(%q) = %d, want %d", r, got, want)
		}
	}
}
