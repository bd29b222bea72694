package transform

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// trimSpace is strings.TrimSpace.
func TestTrimSpace(t *testing.T) {
	spaces := []string{"", " ", "\t", "\n\r", "\u0085", "\u00a0", "\u1680", "\u2000", "\u200a", "\u2028",
		"\u2029", "\u202f", "\u205f", "\u3000", "\u200b", "\ufeff", "\xc2", "\xe3\x80", "\xe2"}
	cores := []string{"", "a", "本年", "１２３", "本 年", "\xff", "\xe4\xb8", "约43\u3000件", "a\u00a0b", "—", "\u4e00"}
	for _, a := range spaces {
		for _, b := range spaces {
			for _, c := range cores {
				for _, s := range []string{a + c + b, a + a + c + b + b, c + b + a, b + a + c} {
					if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
						t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
					}
					if got, want := runeCount(s), utf8.RuneCountInString(s); got != want {
						t.Errorf("runeCount(%q) = %d, want %d", s, got, want)
					}
				}
			}
		}
	}
}

func FuzzTrimSpace(f *testing.F) {
	for _, s := range []string{" 本年 ", "\u3000x\u00a0", "\xe3\x80\x80\xe3\x80", "a\xc2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Errorf("trimSpace(%q) = %q, want %q", s, got, want)
		}
		if got, want := runeCount(s), utf8.RuneCountInString(s); got != want {
			t.Errorf("runeCount(%q) = %d, want %d", s, got, want)
		}
	})
}

// wordSet.in is strings.Contains of any word.
func TestWordSet(t *testing.T) {
	words := []string{"第二十条", "行政复议", "ab", "本列数据"}
	ws := newWordSet(words...)
	for _, s := range []string{"", "a", "ab", "xab", "第二十", "关于第二十条第（一）项", "行政复", "本年行政复议", "\xe8\xa1", "本列数", "本列数据"} {
		want := false
		for _, w := range words {
			want = want || strings.Contains(s, w)
		}
		if got := ws.in(s); got != want {
			t.Errorf("in(%q) = %v, want %v", s, got, want)
		}
	}
}
