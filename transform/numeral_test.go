package transform

import (
	"strconv"
	"strings"
	"testing"
)

func TestChineseNumeral(t *testing.T) {
	for _, tt := range []struct {
		s  string
		n  int64
		ok bool
	}{
		{"一百二十", 120, true},
		{"四十三", 43, true},
		{"十", 10, true},
		{"十五", 15, true},
		{"一十五", 15, true},
		{"三十", 30, true},
		{"一百零五", 105, true},
		{"一千零五十", 1050, true},
		{"两千零五", 2005, true},
		{"一百二", 120, true},
		{"一万二", 12000, true},
		{"一万二千", 12000, true},
		{"三千万", 30_000_000, true},
		{"一亿二千万", 120_000_000, true},
		{"贰佰叁拾", 230, true},
		{"三", 3, true},
		{"零", 0, true},
		{"〇", 0, true},
		{"一二〇", 120, true},
		{"", 0, false},
		{"百", 0, false},
		{"万", 0, false},
		{"亿", 0, false},
		{"十十", 0, false},
		{"一十百", 0, false},
		{"三零", 30, true}, // digit by digit, like 一二〇
		{"零三十", 0, false},
		{"一二百", 0, false},
		{"一万二万", 0, false},
		{"第二十条", 0, false},
		{"三、", 0, false},
		{"约四十三", 0, false},
		{"43", 0, false},
	} {
		n, ok := chineseNumeral(tt.s)
		if ok != tt.ok || ok && n != tt.n {
			t.Errorf("chineseNumeral(%q) = %d, %v; want %d, %v", tt.s, n, ok, tt.n, tt.ok)
		}
	}
}

// digitsCN writes n ≥ 0 in standard Chinese numerals, for the round trip below.
func digitsCN(n int64) string {
	const d = "零一二三四五六七八九"
	digit := func(k int64) string { return string([]rune(d)[k]) }
	section := func(n int64) string { // 0 < n < 10000
		var b strings.Builder
		units := []struct {
			v int64
			s string
		}{{1000, "千"}, {100, "百"}, {10, "十"}, {1, ""}}
		zero := false
		started := false
		for _, u := range units {
			k := n / u.v % 10
			if k == 0 {
				zero = started
				continue
			}
			if zero {
				b.WriteString("零")
				zero = false
			}
			b.WriteString(digit(k) + u.s)
			started = true
		}
		return b.String()
	}
	if n == 0 {
		return "零"
	}
	var out string
	if hi := n / 10000; hi > 0 {
		out = section(hi) + "万"
		if lo := n % 10000; lo > 0 {
			if lo < 1000 {
				out += "零"
			}
			out += section(lo)
		}
		return out
	}
	return section(n)
}

func TestChineseNumeralRoundTrip(t *testing.T) {
	for n := int64(0); n < 100_000_000; n = n*3 + 7 {
		s := digitsCN(n)
		got, ok := chineseNumeral(s)
		if !ok || got != n {
			t.Errorf("chineseNumeral(%q) = %d, %v; want %d", s, got, ok, n)
		}
	}
	for n := int64(0); n < 2000; n++ {
		s := digitsCN(n)
		if got, ok := chineseNumeral(s); !ok || got != n {
			t.Fatalf("chineseNumeral(%q) = %d, %v; want %d", s, got, ok, n)
		}
	}
}

// FuzzChineseNumeral: no panic, values bounded, and a value it accepts written back in the
// standard form reads the same.
func FuzzChineseNumeral(f *testing.F) {
	for _, s := range []string{"一百二十", "四十三", "十五", "一万二", "一亿二千万", "一二〇", "零", "贰佰叁拾", "十十", "第二十条", "43"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := chineseNumeral(s)
		if !ok {
			return
		}
		if n < 0 || n > maxNumeral {
			t.Fatalf("%q: %d out of bounds", s, n)
		}
		if n < 100_000_000 {
			back, ok := chineseNumeral(digitsCN(n))
			if !ok || back != n {
				t.Fatalf("%q = %d; written back as %q it reads %d, %v", s, n, digitsCN(n), back, ok)
			}
		}
		if p := parseNumber(s, false, false); p.kind.Known() && p.n != n && strconv.FormatInt(p.n, 10) != s {
			t.Fatalf("%q: parseNumber gives %d, chineseNumeral %d", s, p.n, n)
		}
	})
}
