package transform

import (
	"strings"
	"testing"
)

// A group's heading printed on a row of its own (（三）不予公开 over its eight sub-rows) names no
// cell; it was taken for （一）予以公开 by approximation, one character away, and both rows were
// then dropped as duplicates.
func TestGroupHeadingOnItsOwnRow(t *testing.T) {
	const subRow = "\t(三) 不予公开\t1. 属于国家秘密\t0\t0\t0\t0\t0\t0\t0"
	tests := []struct {
		name    string
		heading string // the row inserted above the first sub-row
		info    bool   // an info finding says the heading's numbers were not used
	}{
		{"empty cells", "\t(三) 不予公开\t\t\t\t\t\t\t\t", false},
		{"no cells", "（三）不予公开", false},
		{"the group's subtotals", "\t(三) 不予公开\t\t5\t0\t0\t0\t0\t0\t5", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := seedWith(t, func(l string) string {
				if l == subRow {
					return tc.heading + "\n\t\t1. 属于国家秘密\t0\t0\t0\t0\t0\t0\t0"
				}
				return l
			})
			if !strings.Contains(text, tc.heading) {
				t.Fatal("the seed has no such sub-row")
			}
			got := transformText(t, "seed.txt", text)
			sameValues(t, got, seedReport(t))
			info := false
			for _, f := range got.Findings {
				switch {
				case f.Rule == RuleSRowLabel && f.Severity == SevInfo:
					info = true
				case f.Severity != SevInfo:
					t.Errorf("%s %s: %s", f.Severity, f.Rule, f.Message)
				}
			}
			if info != tc.info {
				t.Errorf("info finding about the subtotals: %v, want %v", info, tc.info)
			}
		})
	}
}

// A label with a group heading in it is never matched approximately by the heading: the page-1
// part of a row cut by a page break ("（三）不予公开 4.保") is no （一）予以公开.
func TestFuzzyMatchSkipsGroupHeadings(t *testing.T) {
	tests := []struct {
		label string
		row   int // -1: no match
	}{
		{"三、本年度办理结果 （三）不予公开 4.保", -1},
		{"（三）不予公开", -1},
		{"（五）不予处理 4.无正当理由大量反复申靖", RowRejectedFirst + 3},
		{"（一）予以公幵", RowGranted},
	}
	for _, tc := range tests {
		m, ok := fuzzyT3Match(tc.label, -1)
		got := -1
		if ok {
			got = m.row
		}
		if got != tc.row {
			t.Errorf("%q: row %d, want %d", tc.label, got, tc.row)
		}
	}
}
