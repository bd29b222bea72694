package transform

import (
	"slices"
	"strings"
	"testing"
)

// A Table 4 printed cell by cell but one number short: a blank lost between two numbers and a
// cell missing read alike, and the block sums can make a cut of a whole printed number hold
// (“12” as 1 and 2) when the truth is a missing cell. Such a reading must never pass silently.
func TestT4CutOfPrintedNumberWarned(t *testing.T) {
	tests := []struct {
		name  string
		html  bool
		cells []string
		warn  []string // the cells the warning names; nil: no such warning
	}{
		// The truth is 1 0 0 1 2 | 0 0 12 3 15 | 0 0 3 0 3 with the 15 left out.
		{name: "text cell missing", cells: strings.Fields("1 0 0 1 2 0 0 12 3 0 0 3 0 3"),
			warn: []string{"table4.litigation_direct.other", "table4.litigation_direct.pending"}},
		{name: "html cell missing", html: true, cells: strings.Fields("1 0 0 1 2 0 0 12 3 0 0 3 0 3"),
			warn: []string{"table4.litigation_direct.other", "table4.litigation_direct.pending"}},
		// A lost blank reads the same; the warning is the same, the numbers happen to be right.
		{name: "text blank lost", cells: strings.Fields("1 0 0 1 2 0 0 12 3 15 0 0 3 03"),
			warn: []string{"table4.litigation_after_review.pending", "table4.litigation_after_review.total"}},
		// Whole rows: nothing cut, nothing to say.
		{name: "text fifteen", cells: strings.Fields("1 0 0 1 2 0 0 12 3 15 0 0 3 0 3")},
		// Text whose blanks are mostly lost is what the decoder is for: its cuts are no news.
		{name: "text squashed", cells: []string{"10012", "00123150030", "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := shortRowDoc(tt.html, nil, nil)
			old, row := "0\t1\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n", strings.Join(tt.cells, "\t")+"\n"
			if tt.html {
				old = "<tr><td>" + strings.Join(strings.Fields(strings.TrimSpace(strings.ReplaceAll(old, "\t", " "))), "</td><td>") + "</td></tr>\n"
				row = "<tr><td>" + strings.Join(tt.cells, "</td><td>") + "</td></tr>\n"
			}
			if !strings.Contains(doc, old) {
				t.Fatal("seed has no Table 4 row to replace")
			}
			name := "r.txt"
			if tt.html {
				name = "r.html"
			}
			rep := transformText(t, name, strings.Replace(doc, old, row, 1))
			var got []string
			for _, f := range rep.Findings {
				if f.Rule == RuleXAmbiguousSplit && f.Severity == SevWarning && strings.HasPrefix(f.Message, "表四 各数值之间有分隔") {
					got = f.Cells
				}
			}
			if !slices.Equal(got, tt.warn) {
				t.Errorf("warning names %v, want %v\n%v", got, tt.warn, rep.Findings)
			}
		})
	}
}
