package transform_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/govreports/govreports/fixtures/synth"
)

// TestPDFTextCases reads generated pdftotext outputs that each show one way the pages cut the
// tables, chosen from the property test's seeds: every cell must come back exact.
func TestPDFTextCases(t *testing.T) {
	for _, c := range []struct {
		name string
		seed uint64
	}{
		// Table 4's header rows end a page, its numbers begin the next: the five review
		// columns without a header, the ten litigation ones under their third header row.
		{"table4 header at a page's foot", 71},
		{"table4 header at a page's foot, 总计 apart", 106},
		// Table 2's header rows end a page, the numbers of its last row begin the next, among
		// Table 3's column pieces: Table 3's arrangement chooses which are Table 2's.
		{"table2 row at the top of Table 3's page", 70},
		{"table2 row at the top of Table 3's page, read late", 115},
		{"table2 row at the top of Table 3's page, merged header", 118},
		// Table 3's rows broken into many one-row bands: more than eight arrangements keep
		// every row's identity, one keeps the columns' too.
		{"many arrangements hold by rows", 320},
		{"many arrangements hold by rows, page break", 345},
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
			if rc.complete != 1 {
				t.Errorf("seed %d: %s", c.seed, rc.String())
			}
		})
	}
}
