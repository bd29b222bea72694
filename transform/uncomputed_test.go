package transform

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/govreports/govreports/fixtures/gen/xlsxgen"
)

// A formula saved without its computed value keeps its place in its row: the row keeps its count,
// every number around it reads, and the cell is null with a finding naming it; the identities
// through it are not assessable rather than read with the cell as 0, and suggest its value.
func TestXLSXUncomputedFormulaKeepsItsPlace(t *testing.T) {
	seeds, err := xlsxgen.LoadReports(filepath.Join("..", "fixtures", "xlsx-seed", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		paths []string // the cells turned into formulas without a value
	}{
		{"table 4 last total", []string{"table4.litigation_after_review.total"}},
		{"table 4 every total", []string{"table4.review.total", "table4.litigation_direct.total", "table4.litigation_after_review.total"}},
		{"table 3 total", []string{"table3.granted.total"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, cells, err := xlsxgen.WriteForm(seeds[0], xlsxgen.FormOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range tc.paths {
				sheet, cell, _ := strings.Cut(cells[p], "!")
				if err := f.SetCellValue(sheet, cell, nil); err != nil {
					t.Fatal(err)
				}
				// A formula the reader does not compute (it computes sums, extract/formula.go).
				if err := f.SetCellFormula(sheet, cell, "AVERAGE(A1:A2)"); err != nil {
					t.Fatal(err)
				}
			}
			reps, err := Transform(context.Background(), readWorkbook(t, f, "nocache.xlsx"), Options{})
			if err != nil || len(reps) != 1 {
				t.Fatalf("%d reports, %v", len(reps), err)
			}
			rep := reps[0]
			uncomputed := map[string]bool{}
			for _, p := range tc.paths {
				uncomputed[p] = true
			}
			named := map[string]bool{}
			for _, fd := range rep.Findings {
				if fd.Severity == SevError {
					t.Errorf("unexpected %s: %s", fd.Rule, fd.Message)
				}
				if (fd.Rule == RuleSSource || fd.Rule == RuleSMissingValue) && len(fd.Cells) == 1 && uncomputed[fd.Cells[0]] {
					named[fd.Rule+" "+fd.Cells[0]] = true
				}
			}
			want := seeds[0]
			rep.eachCell(func(id int, v *Value) {
				p := cellPath(id)
				tv, err := strconv.ParseInt(want.Value(p), 10, 64)
				ok := err == nil && !strings.HasPrefix(p, "table2")
				switch {
				case uncomputed[p]:
					if v.Known() || !v.Uncomputed() {
						t.Errorf("%s read %+v, want an uncomputed null", p, v)
					}
					// The suggestion is made for a number other than 0 only (see suggestBlanks).
					if !named[RuleSSource+" "+p] || tv > 0 && !named[RuleSMissingValue+" "+p] {
						t.Errorf("%s: findings naming it %v", p, named)
					}
				case ok && (!v.Known() || v.N != tv):
					t.Errorf("%s read %+v, want %d", p, v, tv)
				}
			})
		})
	}
}
