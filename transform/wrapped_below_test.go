package transform_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// TestWrappedLabelBelowNumbers reads pdftotext -layout text where a wrapped Table 3 label goes on
// below its numbers: Word's top-aligned cells, numbers centred, bottom-aligned, the 2019 form with
// the numbers on a line of their own inside 5.要求行政机关确认或/重新出具已获取信息. The label's
// last line continues that row, not the next one: every row must read its own numbers.
func TestWrappedLabelBelowNumbers(t *testing.T) {
	for _, name := range []string{"top_novert", "top_narrow", "mid_narrow", "bottom_narrow", "top_2019_ownline", "mid_2019_ownline"} {
		t.Run(name, func(t *testing.T) {
			base := filepath.Join("testdata", "wrapped", name)
			text := base + ".txt"
			if name == "top_novert" {
				text = filepath.FromSlash(qaText + "06b_top_aligned_novert.txt")
			}
			data, err := os.ReadFile(text)
			if err != nil {
				t.Fatal(err)
			}
			var want map[string][transform.NumT3Cols]int64
			raw, err := os.ReadFile(base + ".t3.json")
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			doc, err := extract.Read(context.Background(), name+".txt", data, extract.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			reps, err := transform.Transform(context.Background(), doc, transform.Options{})
			if err != nil || len(reps) != 1 {
				t.Fatalf("%d reports, %v", len(reps), err)
			}
			rep := reps[0]
			for row := range transform.NumT3Rows {
				key := transform.T3Rows[row].Key
				w, ok := want[key]
				if !ok {
					continue // a row of the other version of the form
				}
				for c := range transform.NumT3Cols {
					if v := rep.T3[row][c]; !v.Kind.Known() || v.N != w[c] {
						t.Errorf("%s: %v (%q), want %v", transform.T3Path(row, c), v.N, v.Raw, w[c])
					}
				}
			}
		})
	}
}
