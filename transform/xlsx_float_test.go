package transform

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreports/govreports/fixtures/gen/xlsxgen"
	"github.com/xuri/excelize/v2"
)

// A whole number stored with a zero fraction, as a float column written by pandas or openpyxl
// holds it (a number <v>56.0</v>, or the text "68.0"), reads as that number without a finding in
// every table; a fraction in a count cell is still flagged.
func TestXLSXZeroFractionCounts(t *testing.T) {
	seeds, err := xlsxgen.LoadReports(filepath.Join("..", "fixtures", "xlsx-seed", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		set        func(f *excelize.File, sheet, cell string) error
		want       int64  // the value read
		rule       string // the finding expected on the cell, "" for none
	}{
		{"table 2 number 68.0", "table2.licensing.decisions", func(f *excelize.File, s, c string) error { return f.SetCellFloat(s, c, 68, 1, 64) }, 68, ""},
		{"table 2 text 68.0", "table2.licensing.decisions", func(f *excelize.File, s, c string) error { return f.SetCellStr(s, c, "68.0") }, 68, ""},
		{"table 3 number 56.0", "table3.new_received.total", func(f *excelize.File, s, c string) error { return f.SetCellFloat(s, c, 56, 1, 64) }, 56, ""},
		{"table 3 text 42.0", "table3.new_received.natural_person", func(f *excelize.File, s, c string) error { return f.SetCellStr(s, c, "42.0") }, 42, ""},
		{"table 2 number 27.5", "table2.penalty.decisions", func(f *excelize.File, s, c string) error { return f.SetCellFloat(s, c, 27.5, 1, 64) }, 0, RuleT2Int},
		{"table 3 text 42.5", "table3.new_received.natural_person", func(f *excelize.File, s, c string) error { return f.SetCellStr(s, c, "42.5") }, 0, RuleT3Int},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, cells, err := xlsxgen.WriteForm(seeds[0], xlsxgen.FormOptions{})
			if err != nil {
				t.Fatal(err)
			}
			sheet, cell, _ := strings.Cut(cells[tc.path], "!")
			if err := tc.set(f, sheet, cell); err != nil {
				t.Fatal(err)
			}
			reps, err := Transform(context.Background(), readWorkbook(t, f, "float.xlsx"), Options{})
			if err != nil || len(reps) != 1 {
				t.Fatalf("%d reports, %v", len(reps), err)
			}
			rep := reps[0]
			var rules []string
			for _, fd := range rep.Findings {
				if strings.HasSuffix(fd.Rule, ".INT") {
					rules = append(rules, fd.Rule+" "+fd.Message)
				}
			}
			switch {
			case tc.rule == "" && len(rules) != 0:
				t.Errorf("findings %q, want none", rules)
			case tc.rule != "" && (len(rules) != 1 || !strings.HasPrefix(rules[0], tc.rule+" ")):
				t.Errorf("findings %q, want one %s", rules, tc.rule)
			}
			if tc.rule != "" {
				return
			}
			var got *Value
			for i := range rep.T2 {
				if rep.T2[i].Pos.String() == cells[tc.path] {
					got = &rep.T2[i]
				}
			}
			for i := range rep.T3 {
				for j := range rep.T3[i] {
					if rep.T3[i][j].Pos.String() == cells[tc.path] {
						got = &rep.T3[i][j]
					}
				}
			}
			if got == nil || !got.Known() || got.N != tc.want {
				t.Errorf("%s at %s read %+v, want %d", tc.path, cells[tc.path], got, tc.want)
			}
		})
	}
}
