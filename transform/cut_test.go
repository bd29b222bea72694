package transform

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
)

// A Table 4 that runs off the page (a PDF of a page set wider than the paper): the reader marks the
// cells on the cut side (extract.Cell.Cut). The cells left are whole cells, so they keep their
// places from the other end of the row, and the places beyond the edge are null with a finding
// naming them; the squashed-digit decoder must not cut the visible numbers to fill them. A row cut
// on both sides has no whole end: nothing is placed.
func TestTable4CutAtPageEdge(t *testing.T) {
	dir := filepath.Join("..", "fixtures", "docx-seed")
	raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Table4 map[string]map[string]json.Number `json:"table4"`
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name        string
		left, right int  // columns of the value row lost at each side
		partly      bool // the first cell left on the cut side is a number partly off the page
	}{
		{"three columns lost on the left", 3, 0, false},
		{"three lost on the left, the fourth cut through", 3, 0, true},
		{"two lost on the right", 0, 2, false},
		{"cut on both sides", 2, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := extract.ReadFile(context.Background(), filepath.Join(dir, "input.docx"), extract.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			// The last table is Table 4; its rows are cut as the page's edge cuts a grid.
			k := len(doc.Blocks) - 1
			for doc.Blocks[k].Kind != extract.Table {
				k--
			}
			for i, row := range doc.Blocks[k].Rows {
				if len(row) <= tc.left+tc.right {
					continue
				}
				row = row[tc.left : len(row)-tc.right]
				row[0].Cut = tc.left > 0
				row[len(row)-1].Cut = tc.right > 0
				if tc.partly && i == len(doc.Blocks[k].Rows)-1 {
					row[0].Text, row[0].Uncomputed = "", true
					doc.Notes = append(doc.Notes, extract.Note{Pos: row[0].Pos, Code: "clipped-cell", Message: "cut"})
				}
				doc.Blocks[k].Rows[i] = row
			}
			reps, err := Transform(context.Background(), doc, Options{})
			if err != nil || len(reps) != 1 {
				t.Fatalf("%d reports, %v", len(reps), err)
			}
			rep := reps[0]
			named := map[string]bool{}
			for _, f := range rep.Findings {
				for _, c := range f.Cells {
					named[c] = true
				}
			}
			lost := func(i int) bool {
				if tc.left > 0 && tc.right > 0 {
					return true
				}
				if tc.partly && i == tc.left {
					return true
				}
				return i < tc.left || i >= NumT4-tc.right
			}
			for i := range NumT4 {
				v := rep.T4[i]
				p := T4Path(i)
				parts := strings.Split(p, ".")
				tv, _ := want.Table4[parts[1]][parts[2]].Int64()
				switch {
				case lost(i):
					if v.Known() || !named[p] {
						t.Errorf("%s = %+v (named %v), want null with a finding naming it", p, v, named[p])
					}
				case !v.Known() || v.N != tv:
					t.Errorf("%s = %+v, want %d", p, v, tv)
				}
			}
		})
	}
}
