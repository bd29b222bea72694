package extract

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Encodings a text input is decoded from, as reported in Source.Encoding.
const (
	encUTF8    = "utf-8"
	encGB18030 = "gb18030"
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
	// gbReplacement is how GB18030 itself encodes U+FFFD: the only input allowed to decode to it.
	gbReplacement = []byte{0x84, 0x31, 0xA4, 0x37}
	replacement   = []byte(string(utf8.RuneError))
)

// decodeText turns the bytes of a text file into UTF-8 without a byte-order mark, telling the
// encoding from content alone: a BOM; UTF-16 without BOM when the NUL bytes all sit on one side of
// the byte pairs; valid UTF-8; otherwise GB18030 (a superset of GBK and GB2312). Bytes that do not
// decode are an error naming their place, never replaced: a silently garbled label would map to the
// wrong row. Binary content is refused. Line endings are left alone.
func decodeText(data []byte) (text, encoding string, err error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		return "", "", Errorf("", "byte 0", ErrEncoding, "UTF-32 text; save it as UTF-8")
	case bytes.HasPrefix(data, bomUTF16LE):
		return decodeUTF16Text(data[2:], true)
	case bytes.HasPrefix(data, bomUTF16BE):
		return decodeUTF16Text(data[2:], false)
	case bytes.HasPrefix(data, bomUTF8):
		// The BOM promises UTF-8, so a bad byte is an error rather than a hint to try GB18030.
		body := data[len(bomUTF8):]
		if err := checkBinaryBytes(body, len(bomUTF8)); err != nil {
			return "", "", err
		}
		if !utf8.Valid(body) {
			return "", "", invalidUTF8(body)
		}
		return string(body), encUTF8, nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		if little, ok := looksLikeUTF16(data); ok {
			return decodeUTF16Text(data, little)
		}
	}
	if err := checkBinaryBytes(data, 0); err != nil {
		return "", "", err
	}
	if utf8.Valid(data) {
		return string(data), encUTF8, nil
	}
	if mostlyUTF8(data) {
		return "", "", invalidUTF8(data)
	}
	s, err := decodeGB18030(data)
	if err != nil {
		return "", "", err
	}
	return s, encGB18030, nil
}

// decodeUTF16Text decodes UTF-16 and then applies the binary check to what it decoded, since the
// raw bytes of UTF-16 are full of NULs by nature.
func decodeUTF16Text(b []byte, little bool) (string, string, error) {
	s, err := decodeUTF16(b, little)
	if err != nil {
		return "", "", err
	}
	if i, share := binaryAt([]byte(s)); i >= 0 {
		return "", "", Errorf("", placeAfter([]byte(s[:i])), ErrBinary, "%s", share)
	}
	if little {
		return s, encUTF16LE, nil
	}
	return s, encUTF16BE, nil
}

// checkBinaryBytes refuses bytes that are not text in any encoding we read: in UTF-8 and GB18030
// every byte below 0x20 stands for itself, so control bytes can be judged before decoding.
// offset is added to the reported byte position (the length of a stripped BOM).
func checkBinaryBytes(b []byte, offset int) error {
	if i, why := binaryAt(b); i >= 0 {
		return Errorf("", fmt.Sprintf("byte %d", offset+i), ErrBinary, "%s", why)
	}
	return nil
}

// binaryAt returns the offset of the first NUL byte, or of the first control byte when control
// bytes make up more than 1 in 20 of the input; -1 when b looks like text.
func binaryAt(b []byte) (int, string) {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return i, "NUL byte"
	}
	n := 0
	for _, c := range b {
		n += int(controlBytes[c]) // without a branch: control bytes are rare
	}
	if n > 0 && n*20 > len(b) {
		first := 0
		for controlBytes[b[first]] == 0 {
			first++
		}
		return first, fmt.Sprintf("%d of %d bytes are control characters", n, len(b))
	}
	return -1, ""
}

// controlBytes is isControlByte as a table: 1 for a control byte.
var controlBytes = func() (t [256]uint8) {
	for c := range t {
		if isControlByte(byte(c)) {
			t[c] = 1
		}
	}
	return t
}()

// isControlByte is a C0 control or DEL other than the layout characters text files use
// (tab, line feed, carriage return, form feed from pdftotext page breaks, vertical tab).
func isControlByte(c byte) bool {
	switch c {
	case '\t', '\n', '\r', '\f', '\v':
		return false
	}
	return c < 0x20 || c == 0x7F
}

// looksLikeUTF16 recognises UTF-16 without a BOM by its NUL bytes: the ASCII characters of a
// report (digits, tabs, line breaks) put a zero in the high byte of each pair, so zeros crowd on
// one side. CJK characters whose low byte is zero (一 is U+4E00) put a few on the other side, hence
// a ratio rather than an absolute rule. A handful of zeros is a damaged file, not UTF-16.
func looksLikeUTF16(data []byte) (little, ok bool) {
	const minZeros = 8
	var zeroEven, zeroOdd int
	pairs := len(data) / 2
	for i := 0; i+1 < len(data); i += 2 {
		if data[i] == 0 {
			zeroEven++
		}
		if data[i+1] == 0 {
			zeroOdd++
		}
	}
	switch {
	case zeroOdd >= minZeros && zeroOdd >= 4*zeroEven && zeroOdd*50 >= pairs:
		return true, true
	case zeroEven >= minZeros && zeroEven >= 4*zeroOdd && zeroEven*50 >= pairs:
		return false, true
	}
	return false, false
}

// decodeUTF16 decodes UTF-16 strictly: an unpaired surrogate or a dangling byte is an error.
func decodeUTF16(b []byte, little bool) (string, error) {
	unit := func(i int) rune {
		if little {
			return rune(b[i]) | rune(b[i+1])<<8
		}
		return rune(b[i])<<8 | rune(b[i+1])
	}
	out := make([]byte, 0, len(b)+len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		r := unit(i)
		if 0xD800 <= r && r <= 0xDFFF {
			if r > 0xDBFF || i+3 >= len(b) {
				return "", Errorf("", placeAfter(out), ErrEncoding, "unpaired UTF-16 surrogate 0x%04X", r)
			}
			lo := unit(i + 2)
			if lo < 0xDC00 || lo > 0xDFFF {
				return "", Errorf("", placeAfter(out), ErrEncoding, "unpaired UTF-16 surrogate 0x%04X", r)
			}
			r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
			i += 2
		}
		out = utf8.AppendRune(out, r)
	}
	if len(b)%2 != 0 {
		return "", Errorf("", placeAfter(out), ErrEncoding, "UTF-16 text ends in half a character (odd number of bytes)")
	}
	return string(out), nil
}

// mostlyUTF8 tells a UTF-8 file with a few damaged bytes from a GB18030 file. Chinese UTF-8 is made
// of three-byte sequences, which GB18030 bytes form only by chance (two-byte ones they form often),
// so damaged UTF-8 has many of them around each bad byte and GB18030 text few. Decoding damaged
// UTF-8 as GB18030 would turn every Chinese character into another one.
func mostlyUTF8(b []byte) bool {
	long, bad := 0, 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			bad++
		case n >= 3:
			long++
		}
		i += n
	}
	return long*8 > bad
}

// invalidUTF8 reports the first byte of b that is not UTF-8, at its line and column.
func invalidUTF8(b []byte) error {
	i := 0
	for i < len(b) {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			break
		}
		i += n
	}
	end := min(i+4, len(b))
	return Errorf("", placeAfter(b[:i]), ErrEncoding, "invalid UTF-8 byte sequence % X", b[i:end])
}

// decodeGB18030 decodes GB18030 strictly. The x/text decoder replaces bad sequences with U+FFFD,
// so when its output holds one, the input is walked again one character at a time to find the
// first replacement that GB18030 itself did not encode.
func decodeGB18030(data []byte) (string, error) {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", Errorf("", "", ErrEncoding, "GB18030: %v", err)
	}
	if !bytes.Contains(out, replacement) {
		return string(out), nil
	}
	dec := simplifiedchinese.GB18030.NewDecoder()
	var buf [utf8.UTFMax]byte
	decoded := 0 // bytes of out that the characters before data[i] decoded to
	for i := 0; i < len(data); {
		n := gbCharLen(data[i:])
		nDst, _, _ := dec.Transform(buf[:], data[i:i+n], true)
		if bytes.Equal(buf[:nDst], replacement) && !bytes.Equal(data[i:i+n], gbReplacement) {
			end := min(i+max(n, 2), len(data))
			return "", Errorf("", placeAfter(out[:decoded]), ErrEncoding,
				"invalid GB18030 byte sequence % X (the text is neither UTF-8 nor GB18030)", data[i:end])
		}
		decoded += nDst
		i += n
	}
	return string(out), nil
}

// gbCharLen is the length of the GB18030 character starting b, by the same rules the decoder
// uses: ASCII and 0x80 take one byte, a lead byte takes a trail byte or three more bytes; a byte
// that starts no valid sequence counts as one (and decodes to U+FFFD).
func gbCharLen(b []byte) int {
	c0 := b[0]
	if c0 <= 0x80 || c0 == 0xFF || len(b) < 2 {
		return 1
	}
	switch c1 := b[1]; {
	case 0x40 <= c1 && c1 <= 0x7E, 0x80 <= c1 && c1 <= 0xFE:
		return 2
	case 0x30 <= c1 && c1 <= 0x39:
		if len(b) >= 4 && 0x81 <= b[2] && b[2] <= 0xFE && 0x30 <= b[3] && b[3] <= 0x39 {
			return 4
		}
	}
	return 1
}

// placeAfter is the line:column of the character that follows the decoded prefix, counting lines
// the way the text reader does (LF, CRLF and lone CR each end a line) and columns in runes.
func placeAfter(prefix []byte) string {
	line, col := 1, 1
	for i := 0; i < len(prefix); {
		r, n := utf8.DecodeRune(prefix[i:])
		switch {
		case r == '\r':
			line, col = line+1, 1
			if i+1 < len(prefix) && prefix[i+1] == '\n' {
				n++
			}
		case r == '\n':
			line, col = line+1, 1
		default:
			col++
		}
		i += n
	}
	return fmt.Sprintf("%d:%d", line, col)
}

// isBlank reports the characters that read as a space: ASCII whitespace, the no-break and
// typographic spaces (U+00A0, U+2000–U+200A, U+202F, U+205F), the ideographic space U+3000 that
// Chinese documents pad cells with, line and paragraph separators, and stray control characters.
func isBlank(r rune) bool {
	switch {
	case r > 0x3000: // CJK text, the bulk of a report
		return false
	case r <= ' ': // the space, tab, line breaks and other C0 controls
		return true
	case r < 0x7F:
		return false
	case r <= 0xA0: // DEL, C1 controls, NBSP
		return true
	}
	return r == 0x3000 || 0x2000 <= r && r <= 0x200A || r == 0x202F || r == 0x205F || r == 0x2028 || r == 0x2029
}

// isZeroWidth reports invisible characters that web pages scatter through text (U+200B–U+200D,
// U+2060, and U+FEFF away from the start of a file); they are dropped, never read as spaces.
func isZeroWidth(r rune) bool {
	return 0x200B <= r && r <= 0x200D || r == 0x2060 || r == 0xFEFF
}

// spaceClean reports whether s has no blank but the ASCII space and no zero-width character, so
// that normalizeSpace only trims it. Only the lead bytes C2, E2, E3 and EF can start a blank or
// zero-width character beyond ASCII; the bytes of other characters are passed over undecoded.
func spaceClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < ' ' || c == 0x7F:
			return false
		case c == 0xC2 || c == 0xE2 || c == 0xE3 || c == 0xEF:
			if r, _ := utf8.DecodeRuneInString(s[i:]); isBlank(r) || isZeroWidth(r) {
				return false
			}
		case c >= 0xE4 && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			i += 2 // a CJK ideograph
		}
	}
	return true
}

// normalizeSpace is the text normalisation every reader applies to a cell or paragraph: blanks of
// every kind (see isBlank, tabs and line breaks included) become an ASCII space, zero-width
// characters are removed, and the result is trimmed. Internal runs of spaces are kept, and
// full-width digits and punctuation are left alone: transform interprets those.
func normalizeSpace(s string) string {
	if spaceClean(s) {
		return strings.Trim(s, " ")
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case isZeroWidth(r):
		case isBlank(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return strings.Trim(b.String(), " ")
}
