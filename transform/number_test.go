package transform

import (
	"strconv"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		raw            string
		amount, signed bool
		kind           Kind
		n              int64
		issue          string
		note           string
	}{
		{"0", false, false, Zero, 0, "", ""},
		{"０", false, false, Zero, 0, "", ""},
		{"0件", false, false, Zero, 0, "", ""},
		{"56", false, false, Numeric, 56, "", ""},
		{" 42 ", false, false, Numeric, 42, "", ""},
		{"７５４５", false, false, Numeric, 7545, "", ""},
		{"1,234", false, false, Numeric, 1234, "", ""},
		{"1，234", false, false, Numeric, 1234, "", ""},
		{"1 234", false, false, Numeric, 1234, "", ""},
		{"12,345,678", false, false, Numeric, 12345678, "", ""},
		{"12,34", false, false, Text, 0, issueSeparator, ""},
		{"447228", false, false, Numeric, 447228, "", ""},
		// A count in 万 (ten thousands): read ×10000 and flagged, it may be rounded.
		{"1.2万", false, false, Numeric, 12000, issueWan, ""},
		{"12.34万", false, false, Numeric, 123400, issueWan, ""},
		{"３万件", false, false, Numeric, 30000, issueWan, ""},
		{"1.23456万", false, false, Text, 0, issueDecimal, ""},
		{"0万", false, false, Zero, 0, issueWan, ""},
		{"", false, false, Empty, 0, "", ""},
		{"   ", false, false, Empty, 0, "", ""},
		{"\u3000", false, false, Empty, 0, "", ""},
		{"\u00a0", false, false, Empty, 0, "", ""},
		{"/", false, false, NA, 0, "", ""},
		{"／", false, false, NA, 0, "", ""},
		{"-", false, false, NA, 0, "", ""},
		{"－", false, false, NA, 0, "", ""},
		{"—", false, false, NA, 0, "", ""},
		{"——", false, false, NA, 0, "", ""},
		{"--", false, false, NA, 0, "", ""},
		{"无", false, false, NA, 0, "", ""},
		{"不适用", false, false, NA, 0, "", ""},
		{"N/A", false, false, NA, 0, "", ""},
		{"7730.28", true, false, Numeric, 7730_280000, "", ""},
		{"96171.6", true, false, Numeric, 96171_600000, "", ""},
		{"0.00", true, false, Zero, 0, "", ""},
		{"3万元", true, false, Numeric, 3_000000, "", ""},
		{"251000元", true, false, Numeric, 25_100000, issueYuan, ""},
		{"1元", true, false, Numeric, 100, issueYuan, ""},
		{"0.1234567", true, false, Numeric, 123457, issuePrecision, ""},
		{"7.5", false, false, Text, 0, issueDecimal, ""},
		{"7.0", false, false, Numeric, 7, issueDecimal, ""},
		{"12元", false, false, Numeric, 12, issueUnit, ""},
		{"+1036", false, true, Numeric, 1036, "", ""},
		{"-3", false, true, Numeric, -3, "", ""},
		{"-3", false, false, Numeric, -3, issueSign, ""},
		{"\u22123", false, true, Numeric, -3, "", ""}, // − minus sign
		{"\u20133", false, true, Numeric, -3, "", ""}, // – en dash
		{"－12", false, true, Numeric, -12, "", ""},
		{"\u2212 3", false, true, Numeric, -3, "", ""},
		{"\u22123", false, false, Numeric, -3, issueSign, ""},
		{"\u20133", false, false, Numeric, -3, issueSign, ""},
		{"\u2212", false, true, NA, 0, "", ""},
		{"\u2013", false, true, NA, 0, "", ""},
		{"—3", false, true, Text, 0, "", ""},
		{"22（其中修订16件）", false, false, Numeric, 22, "", "其中修订16件"},
		{"22(其中修订 16 件)", false, false, Numeric, 22, "", "其中修订 16 件"},
		{"三十", false, false, Numeric, 30, issueNumeral, ""},
		{"一百二十", false, false, Numeric, 120, issueNumeral, ""},
		{"四十三", false, false, Numeric, 43, issueNumeral, ""},
		{"零", false, false, Zero, 0, issueNumeral, ""},
		{"1e30", false, false, Text, 0, "", ""},
		{"约43", false, false, Text, 0, "", ""},
		{"abc", false, false, Text, 0, "", ""},
		{"第二十条", false, false, Text, 0, "", ""},
		{"三、", false, false, Text, 0, "", ""},
		{"见附件", false, false, Text, 0, "", ""},
		{"92.3%", false, false, Text, 0, "", ""},
		{"1234567890123456789012", false, false, Text, 0, issueTooLarge, ""},
		{"1.2.3", false, false, Text, 0, "", ""},
		{".5", true, false, Numeric, 500000, "", ""},
		{"元", true, false, Text, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			p := parseNumber(tt.raw, tt.amount, tt.signed)
			if p.kind != tt.kind || p.n != tt.n || p.issue != tt.issue || p.note != tt.note {
				t.Errorf("parseNumber(%q, amount=%v, signed=%v) = {%v %d %q %q}, want {%v %d %q %q}",
					tt.raw, tt.amount, tt.signed, p.kind, p.n, p.issue, p.note, tt.kind, tt.n, tt.issue, tt.note)
			}
		})
	}
}

func TestAppendAmount(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{{0, "0"}, {7730_280000, "7730.28"}, {96171_600000, "96171.6"}, {100, "0.0001"}, {1, "0.000001"}, {-2_500000, "-2.5"}} {
		if got := string(AppendAmount(nil, tt.n)); got != tt.want {
			t.Errorf("AppendAmount(%d) = %s, want %s", tt.n, got, tt.want)
		}
	}
}

// FuzzParseNumber: no panic, and every number it accepts prints back to a value that parses equal.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"0", "56", "1,234", "７５４５", "7730.28", "251000元", "/", "—", "22（其中修订16件）", "+1036", "-3", "", "1 234", ".5", "99999999999999999999"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, raw string, amount bool) {
		p := parseNumber(raw, amount, true)
		switch p.kind {
		case Numeric, Zero:
			if (p.n == 0) != (p.kind == Zero) {
				t.Fatalf("%q: kind %v with n=%d", raw, p.kind, p.n)
			}
			var back parsed
			if amount {
				back = parseNumber(string(AppendAmount(nil, p.n)), true, true)
			} else {
				back = parseNumber(strconv.FormatInt(p.n, 10), false, true)
			}
			if back.n != p.n {
				t.Fatalf("%q: %d printed and parsed back as %d", raw, p.n, back.n)
			}
		case Empty, NA, Text:
			if p.n != 0 {
				t.Fatalf("%q: kind %v carries n=%d", raw, p.kind, p.n)
			}
		default:
			t.Fatalf("%q: kind %v", raw, p.kind)
		}
	})
}

// A text plainText settles is one the full parse reads as Text without a note or an issue.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"1. 属于国家秘密", "16件", "1件5", "22（其中修订16件）", "约43", "2024年1月1日", "５万元", "-3人次", "1,234 元", "3(含2件)", "第1页"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !plainText(s) || !hasDigit(s) {
			return
		}
		for _, amount := range []bool{false, true} {
			for _, signed := range []bool{false, true} {
				if p := parseDigits(s, amount, signed); p != (parsed{kind: Text}) {
					t.Errorf("parseDigits(%q, %v, %v) = %+v, plainText says plain Text", s, amount, signed, p)
				}
			}
		}
	})
}
