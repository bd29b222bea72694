package transform

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govreports/govreports/extract"
)

// The fast paths of foldWidth, appendNorm and hasGluedCells give what the plain loops give.

// foldWidthRef is foldWidth without its fast paths: every rune folded and copied.
func foldWidthRef(s string) string {
	var b strings.Builder
	for _, r := range s {
		writeFolded(&b, r)
	}
	return b.String()
}

var fastPathInputs = []string{
	"", "abc", "本年新收政府信息公开申请数量", "１２３", "本年\u3000新收", "数量4210000456", "表\u200b三",
	"（一）予以公开", "“引号”", "【x】〔y〕", "bad\xffbyte", "\xe4\xb8", "本\xe4\xb8", "1,234.5 万元", "\ufeff开头",
	"全市各级", "市本级", "—", "约43", "ｱｲ", "𠀀字",
}

func TestFoldWidthFastPath(t *testing.T) {
	for _, s := range fastPathInputs {
		if got, want := foldWidth(s), foldWidthRef(s); got != want {
			t.Errorf("foldWidth(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestAppendNormFastPath(t *testing.T) {
	// Every ideograph the fast path copies is one the decoding path keeps as it is.
	for r := rune(0x4000); r <= 0x9FFF; r++ {
		if got := string(appendNorm(nil, string(r))); got != string(r) {
			t.Fatalf("appendNorm(%U) = %q", r, got)
		}
	}
	// Mixed and broken text: rune by rune and whole give the same.
	for _, s := range fastPathInputs {
		var byRune []byte
		for i := 0; i < len(s); {
			_, w := utf8.DecodeRuneInString(s[i:])
			byRune = appendNorm(byRune, s[i:i+w])
			i += w
		}
		if got := string(appendNorm(nil, s)); got != string(byRune) {
			t.Errorf("appendNorm(%q) = %q, rune by rune %q", s, got, byRune)
		}
	}
}

func TestGluedCells(t *testing.T) {
	for _, cells := range [][]string{
		{"数量4", "210000456"}, {"数量", "4210000456"}, {"规章000"}, {"1", "2", "3"}, {"数量42 10 0 0 0 4 56"},
		{"", "数量4", "", "21000"}, {"（一）", "3", "4"}, {"申请人", "0", "0", "0", "0", "0", "0", "0"},
	} {
		var row []extract.Cell
		for _, c := range cells {
			row = append(row, extract.Cell{Text: c})
		}
		row = append(row, extract.Cell{Text: "99999", Copy: true}) // copies are left out of both
		for _, minDigits := range []int{3, 5, 7} {
			want := hasGluedRun(extract.RowText(dedupCopies(row)), minDigits)
			if got := hasGluedCells(row, minDigits); got != want {
				t.Errorf("hasGluedCells(%q, %d) = %v, want %v", cells, minDigits, got, want)
			}
		}
	}
}

// appendNormRef is appendNorm rune by rune, without copying runs of plain text or skipping the
// decoding of CJK ideographs.
func appendNormRef(b []byte, s string) []byte {
	for _, r := range s {
		b = appendNormRune(b, r)
	}
	return b
}

func TestAppendNormRuns(t *testing.T) {
	for _, s := range fastPathInputs {
		if got, want := string(appendNorm([]byte("x"), s)), string(appendNormRef([]byte("x"), s)); got != want {
			t.Errorf("appendNorm(%q) = %q, want %q", s, got, want)
		}
		if got, want := normLabel(s), string(appendNormRef(nil, s)); got != want {
			t.Errorf("normLabel(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzAppendNorm(f *testing.F) {
	for _, s := range fastPathInputs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendNorm(nil, s)), string(appendNormRef(nil, s)); got != want {
			t.Errorf("appendNorm(%q) = %q, want %q", s, got, want)
		}
		if got, want := normLabel(s), string(appendNormRef(nil, s)); got != want {
			t.Errorf("normLabel(%q) = %q, want %q", s, got, want)
		}
	})
}

func FuzzWordFastPaths(f *testing.F) {
	for _, s := range fastPathInputs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := strongWordCell(s), strongWord(s); got != want {
			t.Errorf("strongWordCell(%q) = %v, want %v", s, got, want)
		}
		if got, want := foldWidth(s), foldWidthRef(s); got != want {
			t.Errorf("foldWidth(%q) = %q, want %q", s, got, want)
		}
	})
}

func FuzzGluedCells(f *testing.F) {
	for _, s := range fastPathInputs {
		f.Add(s, "42100004")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		cells := []extract.Cell{{Text: a}, {Text: b}}
		for n := 2; n <= 8; n++ {
			if got, want := hasGluedCells(cells, n), hasGluedRun(extract.RowText(cells), n); got != want {
				t.Errorf("hasGluedCells(%q, %q, %d) = %v, want %v", a, b, n, got, want)
			}
		}
	})
}

var periodTexts = []string{
	"报告所列数据统计期限从2024年1月1日至12月31日止。", "自2023年1月1日起至2023年12月31日止", "2022年1月1日—12月31日",
	"很长的一句话没有句号" + strings.Repeat("本", 200) + "2021年1月1日~12月31日，另有12月31日", "12月31日；2020年1月1日到12月31日",
	"x2019年1月1日-2019年12月31日12月31日", "本\xe4\xb8" + "2024年1月1日至12月31日",
}

// findNearWord with periodLead finds what findInSentence finds.
func FuzzPeriodNearWord(f *testing.F) {
	for _, s := range periodTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := findNearWord(periodRE, s, "12月31日", periodLead), findInSentence(periodRE, s, "12月31日")
		if !slices.Equal(got, want) {
			t.Errorf("findNearWord(%q) = %q, want %q", s, got, want)
		}
	})
}
