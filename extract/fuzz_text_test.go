package extract

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzReadText feeds arbitrary bytes to the text reader. It must never panic; a refusal must be an
// *Error with a known cause; and a Document must point every cell at a real place whose text it
// came from, with no tab or line break inside a cell.
func FuzzReadText(f *testing.F) {
	inputs, _ := filepath.Glob("testdata/text/*.txt")
	for _, in := range inputs {
		data, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		if in == filepath.Join("testdata", "text", "seed.txt") {
			f.Add(encodeGB18030(f, string(data)))
			f.Add(encodeUTF16(string(data), true, true))
			f.Add(encodeUTF16(string(data), false, false))
		}
	}
	f.Add([]byte("规章  0\r\n\f- 3 -\r| a \\| b |\n|---|\n# 标题 #\n\u3000１２３\u200b 4\n"))
	causes := []error{ErrEmpty, ErrBinary, ErrEncoding, ErrLimit, ErrNoContent}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := readText(context.Background(), Source{Path: "fuzz.txt"}, data, DefaultLimits())
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Path != "fuzz.txt" {
				t.Fatalf("error %v is not an *Error naming the file", err)
			}
			for _, c := range causes {
				if errors.Is(err, c) {
					return
				}
			}
			t.Fatalf("error %v has no known cause", err)
		}
		text, _, err := decodeText(data)
		if err != nil {
			t.Fatalf("read succeeded but decoding failed: %v", err)
		}
		lines := strings.Split(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(text), "\n")
		check := func(what string, p Pos, s string) {
			if p.Line < 1 || p.Line > len(lines) || p.Col < 1 {
				t.Fatalf("%s %q at %s: outside the %d lines", what, s, p, len(lines))
			}
			line := []rune(lines[p.Line-1])
			if p.Col > len(line)+1 {
				t.Fatalf("%s %q at %s: line %d has %d characters", what, s, p, p.Line, len(line))
			}
			if strings.ContainsAny(s, "\t\n\r") || s != strings.TrimSpace(s) {
				t.Fatalf("%s %q at %s: not normalised", what, s, p)
			}
			// Nothing invented: the text is what the line holds from its place on, once blanks,
			// zero-width characters and Markdown escapes are set aside.
			squeeze := func(s string) string {
				return strings.Map(func(r rune) rune {
					if isBlank(r) || isZeroWidth(r) || r == '\\' {
						return -1
					}
					return r
				}, s)
			}
			if !strings.HasPrefix(squeeze(string(line[p.Col-1:])), squeeze(s)) {
				t.Fatalf("%s %q at %s is not in line %q", what, s, p, string(line))
			}
		}
		for _, b := range doc.Blocks {
			switch b.Kind {
			case Paragraph:
				check("paragraph", b.Pos, b.Text)
			case Table:
				if len(b.Rows) == 0 || b.Layout == "" {
					t.Fatalf("table at %s: %d rows, layout %q", b.Pos, len(b.Rows), b.Layout)
				}
				for _, row := range b.Rows {
					for _, c := range row {
						check("cell", c.Pos, c.Text)
					}
				}
			default:
				t.Fatalf("block of kind %d", b.Kind)
			}
		}
		if !utf8.ValidString(text) {
			t.Fatal("decoded text is not UTF-8")
		}
	})
}
