package transform_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/fixtures/synth"
	"github.com/govreports/govreports/transform"
)

// TestPDFTextCases reads generated pdftotext outputs that each show one way the pages cut the
// tables, chosen from the property test's seeds: every cell must come back exact, or, where
// Table 3 keeps cells no identity can settle, every cell of Table 2 and 4.
func TestPDFTextCases(t *testing.T) {
	for _, c := range []struct {
		name    string
		seed    uint64
		t3Doubt bool // some Table 3 cells stay null with a finding naming their candidates
	}{
		// Table 4's header rows end a page, its numbers begin the next: the five review
		// columns without a header, the ten litigation ones under their third header row.
		{"table4 header at a page's foot", 71, false},
		{"table4 header at a page's foot, 总计 apart", 106, false},
		// Table 2's header rows end a page, the numbers of its last row begin the next, among
		// Table 3's column pieces: Table 3's arrangement chooses which are Table 2's.
		{"table2 row at the top of Table 3's page", 70, false},
		{"table2 row at the top of Table 3's page, read late", 115, false},
		{"table2 row at the top of Table 3's page, merged header", 118, false},
		// Table 2's fee at the foot of a page, Table 4 beside Table 3 on the next: the first
		// headerless number there stands under Table 4's first outcome header and is Table 4's.
		{"table2 orphan and table4 beside table3", 4646, false},
		// Table 3's rows broken into many one-row bands: more than eight arrangements keep
		// every row's identity, one keeps the columns' too.
		{"many arrangements hold by rows", 320, false},
		{"many arrangements hold by rows, page break", 345, false},
		{"many one-row bands, a long search", 2988, false},
		// The 自然人 column so narrow that its numbers join the block of row labels, each after
		// its row's label, one on the label's own line ("…不计其他情形） 587"): the labels pin
		// them to their rows. With Table 2's fee or decisions at the foot of the page before,
		// Table 3's arrangement also confirms their numbers.
		{"first column in the label block", 3116, false},
		{"first column in the label block (2)", 7043, false},
		{"first column in the label block, table2 orphan", 9215, false},
		{"first column in the label block, two table2 orphans", 9911, false},
		{"first column in the label block (3)", 16452, false},
		{"first column in the label block, table2 orphan (2)", 19848, false},
		{"first column in the label block (4)", 20735, false},
		// Table 2's last row at the top of the next page, before Table 3: Table 3 confirms it
		// even though two of its rows stay open.
		{"table2 confirmed by an ambiguous table3", 2543, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var rc recovery
			r := synth.Random(rand.New(rand.NewPCG(c.seed, 13)))
			rd, err := r.RenderSeed(synth.PDFText, c.seed)
			if err != nil {
				t.Fatal(err)
			}
			rc.checkRendering(t, fmt.Sprintf("pdftext-%d", c.seed), rd)
			rc.report(t)
			if !c.t3Doubt {
				if rc.complete != 1 {
					t.Errorf("seed %d: %s", c.seed, rc.String())
				}
				return
			}
			doc, err := extract.Read(context.Background(), "x"+rd.Ext, rd.Bytes, extract.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			reps, err := transform.Transform(context.Background(), doc, transform.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < transform.NumT2Current; i++ {
				if v := reps[0].T2[i]; !v.Known() || v.N != r.T2[i] {
					t.Errorf("%s = %+v, want %d", transform.T2[i].Path(), v, r.T2[i])
				}
			}
			for i := 0; i < transform.NumT4; i++ {
				if v := reps[0].T4[i]; !v.Known() || v.N != r.T4[i] {
					t.Errorf("%s = %+v, want %d", transform.T4Path(i), v, r.T4[i])
				}
			}
		})
	}
}
