package transform

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// A Table 4 printed cell by cell but one number short: a blank lost between two numbers and a
// cell missing read alike, and the block sums can make a cut of a whole printed number hold
// (“12” as 1 and 2) when the truth is a missing cell. Where both readings hold, the cells they
// disagree on stay null; a cut is never taken without a warning.
func TestT4CutOfPrintedNumber(t *testing.T) {
	tests := []struct {
		name  string
		html  bool
		cells string
		truth string   // the true row
		open  []string // the cells the warning names; nil: no such warning
		kept  bool     // the cells named keep the cut's numbers (no missing cell fits)
	}{
		// A cell missing (the 15): cut “12” and a missing cell both hold; where they differ, null.
		{name: "text cell missing", cells: "1 0 0 1 2 0 0 12 3 0 0 3 0 3", truth: "1 0 0 1 2 0 0 12 3 15 0 0 3 0 3",
			open: []string{"table4.litigation_direct.other", "table4.litigation_direct.pending", "table4.litigation_direct.total"}},
		{name: "html cell missing", html: true, cells: "1 0 0 1 2 0 0 12 3 0 0 3 0 3", truth: "1 0 0 1 2 0 0 12 3 15 0 0 3 0 3",
			open: []string{"table4.litigation_direct.other", "table4.litigation_direct.pending", "table4.litigation_direct.total"}},
		// The last total missing: cut “12” holds, and so does a cell missing anywhere in the last
		// block (the printed 12 its total): the block stays null.
		{name: "text last cell missing", cells: "3 0 0 10 13 12 0 10 1 23 0 1 0 12", truth: "3 0 0 10 13 12 0 10 1 23 0 1 0 12 13",
			open: []string{"table4.litigation_after_review.upheld", "table4.litigation_after_review.corrected",
				"table4.litigation_after_review.other", "table4.litigation_after_review.pending", "table4.litigation_after_review.total"}},
		// “03” is no printed number: its blank was lost, no cell is missing, the cut stands.
		{name: "text blank lost", cells: "1 0 0 1 2 0 0 12 3 15 0 0 3 03", truth: "1 0 0 1 2 0 0 12 3 15 0 0 3 0 3",
			open: []string{"table4.litigation_after_review.pending", "table4.litigation_after_review.total"}, kept: true},
		// Whole rows: nothing cut, nothing to say.
		{name: "text fifteen", cells: "1 0 0 1 2 0 0 12 3 15 0 0 3 0 3", truth: "1 0 0 1 2 0 0 12 3 15 0 0 3 0 3"},
		// Text whose blanks are mostly lost is what the decoder is for: its cuts are no news.
		{name: "text squashed", cells: "10012 00123150030 3", truth: "1 0 0 1 2 0 0 12 3 15 0 0 3 0 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cells := strings.Fields(tt.cells)
			doc := shortRowDoc(tt.html, nil, nil)
			old, row := "0\t1\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n", strings.Join(cells, "\t")+"\n"
			if tt.html {
				old = "<tr><td>" + strings.Join(strings.Fields(strings.ReplaceAll(old, "\t", " ")), "</td><td>") + "</td></tr>\n"
				row = "<tr><td>" + strings.Join(cells, "</td><td>") + "</td></tr>\n"
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
					got = append([]string{}, f.Cells...)
				}
			}
			if !slices.Equal(got, tt.open) || (got == nil) != (tt.open == nil) {
				t.Errorf("warning names %v, want %v\n%v", got, tt.open, rep.Findings)
			}
			for k, w := range strings.Fields(tt.truth) {
				want, _ := strconv.ParseInt(w, 10, 64)
				v := rep.T4[k]
				switch {
				case !tt.kept && slices.Contains(tt.open, T4Path(k)):
					if v.Known() {
						t.Errorf("%s = %d, want null", T4Path(k), v.N)
					}
				case !v.Known() || v.N != want:
					t.Errorf("%s = %+v, want %d", T4Path(k), v, want)
				}
			}
		})
	}
}
