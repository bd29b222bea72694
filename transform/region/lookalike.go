package region

import (
	"strings"
	"unicode/utf8"
)

// placeLookalikes are groups of characters that OCR and hurried typing confuse in place names; each
// folds to the group's first character. Every character is 3 bytes in UTF-8, so a folded string
// keeps the byte offsets of the original. Two real names that fold alike stay apart: the look-up
// then returns both, and the body is ambiguous, not guessed.
var placeLookalikes = []string{
	"沭沐", "泗洒", "盱盰", "眙贻", "亳毫", "郏郊", "睢雎", "颍颖", "邳丕", "鄄甄", "泸沪", "峄绎",
	"已己巳", "日曰", "土士", "于干千", "未末", "戌戊戍", "侯候", "汩汨", "崇祟", "濮璞", "鄞勤",
}

var placeFold = func() map[rune]rune {
	m := map[rune]rune{}
	for _, g := range placeLookalikes {
		first, _ := utf8.DecodeRuneInString(g)
		for _, r := range g {
			if utf8.RuneLen(r) != 3 {
				panic("region: look-alike " + string(r) + " is not 3 bytes")
			}
			m[r] = first
		}
	}
	return m
}()

// hasLookalike reports whether s holds a character of a look-alike group.
func hasLookalike(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { _, ok := placeFold[r]; return ok }) >= 0
}

// foldPlace maps every look-alike character of s to its group's first; s itself when it has none.
func foldPlace(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { _, ok := placeFold[r]; return ok })
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if c, ok := placeFold[r]; ok {
			r = c
		}
		b.WriteRune(r)
	}
	return b.String()
}
