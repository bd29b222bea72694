package extract

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// The byte-level fast paths of spaceClean, textStart and tabFields give what the rune loops give.

func spaceCleanRef(s string) bool {
	for _, r := range s {
		if (r != ' ' && isBlank(r)) || isZeroWidth(r) {
			return false
		}
	}
	return true
}

func textStartRef(line string) (i, col int, ok bool) {
	for j, r := range line {
		col++
		if !isBlank(r) && !isZeroWidth(r) {
			return j, col, true
		}
	}
	return len(line), col + 1, false
}

func tabFieldsRef(line string, out []field) []field {
	start, startCol, first, col := 0, 1, 0, 0
	emit := func(end int) { out = append(out, tabField(start, end, startCol, first)) }
	for i, r := range line {
		col++
		if r == '\t' {
			emit(i)
			start, startCol, first = i+1, col+1, 0
			continue
		}
		if first == 0 && !isBlank(r) && !isZeroWidth(r) {
			first = col
		}
	}
	emit(len(line))
	return out
}

var fastPathLines = []string{
	"", " ", "\t", "a", "本", "本年\t42\t\t10", "\t(一) 予以公开\t12\t1", "\u3000本年", "\u00a0x", "\u200b本",
	"\ufeff\t1", "\xe4\xb8", "\xe4\xb8\t1", "\xe4A\t", "\x7f\t本", "\xc2\xa0\t\xc2\x85", "a\u2028b", "本\u3000年\t\u200c",
	"１２３\t４", "—\t–", "\xff\xfe\t", "\xe9\xbf\xbf\t\xe4\x80\x80", "\xed\xa0\x80\t",
}

func checkFastPaths(t *testing.T, s string) {
	t.Helper()
	if got, want := spaceClean(s), spaceCleanRef(s); got != want {
		t.Errorf("spaceClean(%q) = %v, want %v", s, got, want)
	}
	gi, gc, gok := textStart(s)
	wi, wc, wok := textStartRef(s)
	if gi != wi || gc != wc || gok != wok {
		t.Errorf("textStart(%q) = %d, %d, %v, want %d, %d, %v", s, gi, gc, gok, wi, wc, wok)
	}
	if got, want := tabFields(s, nil), tabFieldsRef(s, nil); !slices.Equal(got, want) {
		t.Errorf("tabFields(%q) = %v, want %v", s, got, want)
	}
}

func TestTextFastPaths(t *testing.T) {
	for _, s := range fastPathLines {
		checkFastPaths(t, s)
	}
}

func FuzzTextFastPaths(f *testing.F) {
	for _, s := range fastPathLines {
		f.Add(s)
	}
	f.Fuzz(checkFastPaths)
}

// eachLineRef is eachLine with strings.IndexAny.
func eachLineRef(text string) []string {
	var out []string
	for start := 0; start < len(text); {
		end, next := len(text), len(text)
		if i := strings.IndexAny(text[start:], "\r\n"); i >= 0 {
			end = start + i
			next = end + 1
			if text[end] == '\r' && next < len(text) && text[next] == '\n' {
				next++
			}
		}
		out = append(out, text[start:end])
		start = next
	}
	return out
}

func checkEachLine(t *testing.T, text string) {
	t.Helper()
	var got []string
	if err := eachLine(context.Background(), text, func(_ int, line string) error {
		got = append(got, line)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := eachLineRef(text); !slices.Equal(got, want) {
		t.Errorf("eachLine(%q) = %q, want %q", text, got, want)
	}
}

func TestEachLineEndings(t *testing.T) {
	for _, s := range []string{"", "a", "a\n", "a\r\nb", "a\rb\nc\r\n\r\nd\r", "\r\r\n\n\r", "本\n年\r\n\r42", "x\n\ny\rz"} {
		checkEachLine(t, s)
	}
}

func FuzzEachLine(f *testing.F) {
	for _, s := range []string{"a\r\nb", "a\rb\nc\r\n\r\nd\r", "\r\r\n\n\r"} {
		f.Add(s)
	}
	f.Fuzz(checkEachLine)
}

func TestTabBlocks(t *testing.T) {
	for _, c := range []struct {
		text string
		want int
	}{
		{"", 0},
		{"标题\n\n段落\n表\t1\n行\t2\n\n后记\r\n", 4},
		{"a\tb\nc\n\r\nd\te", 3},
		{strings.Repeat("x\n", 1000), maxBlockHint},
	} {
		if got := tabBlocks(c.text); got != c.want {
			t.Errorf("tabBlocks(%q) = %d, want %d", c.text, got, c.want)
		}
	}
}
