package extract

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func encodeGB18030(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q as GB18030: %v", s, err)
	}
	return b
}

func encodeUTF16(s string, little, bom bool) []byte {
	var out []byte
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	for _, u := range units {
		if little {
			out = append(out, byte(u), byte(u>>8))
		} else {
			out = append(out, byte(u>>8), byte(u))
		}
	}
	return out
}

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestDecodeText(t *testing.T) {
	const sample = "规章\t0\t0\t0\n行政许可\t68\t\t\n（七）总计\t43\n"
	utf16LE := encodeUTF16("ab\ncd", true, true)
	tests := []struct {
		name     string
		in       []byte
		want     string
		encoding string
		err      error
		place    string
	}{
		{name: "utf-8", in: []byte(sample), want: sample, encoding: "utf-8"},
		{name: "utf-8 with BOM", in: concat(bomUTF8, []byte(sample)), want: sample, encoding: "utf-8"},
		{name: "utf-16le with BOM", in: encodeUTF16(sample, true, true), want: sample, encoding: "utf-16le"},
		{name: "utf-16be with BOM", in: encodeUTF16(sample, false, true), want: sample, encoding: "utf-16be"},
		{name: "utf-16le without BOM", in: encodeUTF16(sample, true, false), want: sample, encoding: "utf-16le"},
		{name: "utf-16be without BOM", in: encodeUTF16(sample, false, false), want: sample, encoding: "utf-16be"},
		{name: "utf-16 beyond the BMP", in: encodeUTF16("𠀀\t1\n", true, true), want: "𠀀\t1\n", encoding: "utf-16le"},
		{name: "gb18030", in: encodeGB18030(t, sample), want: sample, encoding: "gb18030"},
		{name: "gb18030 four-byte characters", in: encodeGB18030(t, "第二十条é𠀀€"), want: "第二十条é𠀀€", encoding: "gb18030"},
		{name: "gb18030 that encodes U+FFFD itself", in: encodeGB18030(t, "规章\uFFFD行政"), want: "规章\uFFFD行政", encoding: "gb18030"},
		{name: "only a BOM", in: bomUTF8, want: "", encoding: "utf-8"},

		{name: "invalid gb18030 byte", in: concat(encodeGB18030(t, "第一行\n第二行"), []byte{0xFF}, encodeGB18030(t, "尾")),
			err: ErrEncoding, place: "2:4"},
		{name: "gb18030 cut inside a character", in: concat(encodeGB18030(t, "第一行\r\n第二"), []byte{0xB5}),
			err: ErrEncoding, place: "2:3"},
		{name: "gb18030 bad four-byte sequence", in: concat(encodeGB18030(t, "行政\r许可"), []byte{0x81, 0x30, 0x20, 0x30}),
			err: ErrEncoding, place: "2:3"},
		{name: "damaged utf-8 is not taken for gb18030", in: concat([]byte("第一行\n第二"), []byte{0xE8, 0x80}, []byte("行政许可\n")),
			err: ErrEncoding, place: "2:3"},
		{name: "utf-8 BOM then a bad byte", in: concat(bomUTF8, []byte("规章\t"), []byte{0xC0}),
			err: ErrEncoding, place: "1:4"},
		{name: "unpaired utf-16 surrogate", in: concat(utf16LE, []byte{0x00, 0xD8, 'e', 0}), err: ErrEncoding, place: "2:3"},
		{name: "utf-16 low surrogate first", in: concat(utf16LE, []byte{0x00, 0xDC, 'e', 0}), err: ErrEncoding, place: "2:3"},
		{name: "odd utf-16 length", in: concat(utf16LE, []byte{'e'}), err: ErrEncoding, place: "2:3"},
		{name: "utf-32", in: []byte{0xFF, 0xFE, 0, 0, 'a', 0, 0, 0}, err: ErrEncoding, place: "byte 0"},
		{name: "a NUL byte", in: []byte("规章\t0\x00\t0\n"), err: ErrBinary, place: "byte 8"},
		{name: "a NUL byte after a BOM", in: concat(bomUTF8, []byte("ab\x00")), err: ErrBinary, place: "byte 5"},
		{name: "control characters", in: []byte("规章\x01\x02\x03\x04\x05\x06\x07\x08行政"), err: ErrBinary, place: "byte 6"},
		{name: "utf-16 holding NUL characters", in: encodeUTF16("规章\x00\x00\t0\n行政许可\t68\n", true, true), err: ErrBinary, place: "1:3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, enc, err := decodeText(tt.in)
			if tt.err != nil {
				var e *Error
				if !errors.As(err, &e) || !errors.Is(err, tt.err) {
					t.Fatalf("error = %v, want *Error wrapping %v", err, tt.err)
				}
				if e.Place != tt.place {
					t.Errorf("place = %q, want %q (%v)", e.Place, tt.place, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got != tt.want || enc != tt.encoding {
				t.Errorf("got %q as %s, want %q as %s", got, enc, tt.want, tt.encoding)
			}
		})
	}
}

// The replacement character's GB18030 bytes are what decodeGB18030 lets through.
func TestGBReplacementBytes(t *testing.T) {
	if got := encodeGB18030(t, "\uFFFD"); !bytes.Equal(got, gbReplacement) {
		t.Fatalf("GB18030 of U+FFFD = % X, want % X", got, gbReplacement)
	}
}

// Binary garbage is refused as binary, not as a decoding failure.
func TestDecodeGarbage(t *testing.T) {
	garbage := make([]byte, 4096)
	x := uint32(2463534242)
	for i := range garbage {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		garbage[i] = byte(x)
	}
	if _, _, err := decodeText(garbage); !errors.Is(err, ErrBinary) {
		t.Fatalf("error = %v, want ErrBinary", err)
	}
}

func TestNormalizeSpace(t *testing.T) {
	tests := []struct{ in, want string }{
		{"规章", "规章"},
		{"  规章 ", "规章"},
		{"\u3000\u3000规章\u00a0\u3000", "规章"},
		{"结果\u00a0维持", "结果 维持"},
		{"结果\u2002\u2009维持", "结果  维持"},
		{"本年\u200b新收\u200c\u200d\u2060\ufeff", "本年新收"},
		{"a\tb\r\nc\fd\u2028e", "a b  c d e"},
		{"a\x01b\u0085c", "a b c"},
		{"４２，０００．５ （一）", "４２，０００．５ （一）"}, // full-width stays for transform
		{"\u202f\u205f", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := normalizeSpace(tt.in); got != tt.want {
			t.Errorf("normalizeSpace(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPlaceAfter(t *testing.T) {
	tests := []struct{ prefix, want string }{
		{"", "1:1"},
		{"ab", "1:3"},
		{"第一行", "1:4"},
		{"a\nb", "2:2"},
		{"a\r\nbc", "2:3"},
		{"a\rb", "2:2"},
		{"a\r", "2:1"},
		{"a\n\n\r\n", "4:1"},
	}
	for _, tt := range tests {
		if got := placeAfter([]byte(tt.prefix)); got != tt.want {
			t.Errorf("placeAfter(%q) = %s, want %s", tt.prefix, got, tt.want)
		}
	}
}
