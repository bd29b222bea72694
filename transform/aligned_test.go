package transform_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// TestAlignedColumns reads pdftotext -layout text whose rows do not hold one number per column:
// zero cells left blank, and numbers with a space between their thousands ("3 581"). A number goes
// to the column it stands under (the full rows show where the columns lie), a blank cell is EMPTY,
// and "3 581" is one number only when the columns or the row's count or identity leave no other
// grouping; a row whose numbers' columns stay open is left null with a finding.
// qaText holds the QA corpus's text cases (fixtures/qa): the tests read the cases they share with it
// from there.
const qaText = "../fixtures/qa/text/"

func TestAlignedColumns(t *testing.T) {
	const blank = int64(-1) // an EMPTY cell
	const null = int64(-2)  // not read: no value
	for _, tc := range []struct {
		file  string
		cells map[string]int64
		rules []string // findings that must be present
		not   []string // findings that must be absent
	}{
		{qaText + "18b_blank_zero_layout.txt", map[string]int64{
			"table3.granted.natural_person": blank, "table3.granted.other_org": 94, "table3.granted.total": 94,
			"table3.partially_granted.natural_person": 110, "table3.partially_granted.commercial_enterprise": 69,
			"table3.partially_granted.research_institution": blank, "table3.partially_granted.legal_service_org": 2,
			"table3.partially_granted.total":                181,
			"table3.rejected_reconfirmation.natural_person": 108, "table3.rejected_reconfirmation.commercial_enterprise": 274,
			"table3.rejected_reconfirmation.social_welfare_org": blank, "table3.rejected_reconfirmation.legal_service_org": 138,
			"table3.rejected_reconfirmation.total":    520,
			"table3.other_other.research_institution": 6, "table3.other_other.other_org": 20,
			"table3.new_received.natural_person": 6649,
		}, []string{"S.BLANKS"}, []string{"S.ROW_VALUES", "S.ROW_LABEL"}},
		// A number in the gap between two columns: which column is not certain.
		{"testdata/aligned/blank_t3_gap.txt", map[string]int64{
			"table3.granted.other_org": null, "table3.granted.total": null,
			"table3.partially_granted.natural_person": 110, "table3.partially_granted.total": 181,
		}, []string{"S.ROW_VALUES", "S.BLANKS"}, nil},
		{qaText + "21a_t2_layout_blank_middle.txt", map[string]int64{
			"table2.rules.issued": 6, "table2.rules.repealed": blank, "table2.rules.in_force": 69,
			"table2.normative_documents.in_force": 881,
		}, []string{"S.BLANKS"}, []string{"S.ROW_VALUES"}},
		{qaText + "19d_layout_space_thousands.txt", map[string]int64{
			"table3.new_received.natural_person": 3581, "table3.new_received.commercial_enterprise": 641,
			"table3.new_received.total": 4811, "table3.total_processed.natural_person": 3510,
			"table3.total_processed.total": 4708, "table2.coercion.decisions": 2691,
		}, nil, []string{"S.ROW_VALUES"}},
		// "1 234 567 8" under three columns, no full row to place it: 1234|567|8 or 1|234567|8.
		{"testdata/aligned/thousands_t2_ambiguous.txt", map[string]int64{
			"table2.rules.issued": null, "table2.rules.repealed": null, "table2.rules.in_force": null,
		}, []string{"S.ROW_VALUES"}, nil},
	} {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			data, err := os.ReadFile(filepath.FromSlash(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := extract.Read(context.Background(), filepath.Base(tc.file), data, extract.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			reps, err := transform.Transform(context.Background(), doc, transform.Options{})
			if err != nil || len(reps) != 1 {
				t.Fatalf("%d reports, %v", len(reps), err)
			}
			rep := reps[0]
			got := map[string]transform.Value{}
			for f := range transform.T2 {
				got[transform.T2[f].Path()] = rep.T2[f]
			}
			for row := range transform.NumT3Rows {
				for c := range transform.NumT3Cols {
					got[transform.T3Path(row, c)] = rep.T3[row][c]
				}
			}
			for path, want := range tc.cells {
				v, ok := got[path]
				switch {
				case !ok:
					t.Errorf("%s: no such cell", path)
				case want == blank && v.Kind != transform.Empty:
					t.Errorf("%s: %v %d (%q), want EMPTY", path, v.Kind, v.N, v.Raw)
				case want == null && v.Kind.Known():
					t.Errorf("%s: %d (%q), want no value", path, v.N, v.Raw)
				case want >= 0 && (!v.Kind.Known() || v.N != want):
					t.Errorf("%s: %v %d (%q), want %d", path, v.Kind, v.N, v.Raw, want)
				}
			}
			seen := map[string]bool{}
			for _, f := range rep.Findings {
				seen[f.Rule] = true
			}
			for _, r := range tc.rules {
				if !seen[r] {
					t.Errorf("no %s finding", r)
				}
			}
			for _, r := range tc.not {
				if seen[r] {
					t.Errorf("unexpected %s finding", r)
				}
			}
		})
	}
}
