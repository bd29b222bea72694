package transform

import (
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
