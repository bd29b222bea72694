package transform

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/fixtures/gen/xlsxgen"
)

// bigCollection is a collection workbook of n unit rows, built from the rows of a small one read
// the way the pipeline reads it: the unit rows are repeated under new names, one note per unit row
// (as a reader gives for a formula without a cached value).
func bigCollection(tb testing.TB, n int) *extract.Document { return bigCollectionTotals(tb, n, 0) }

// bigCollectionTotals is bigCollection with a 小计 row after every `every` unit rows (none for 0),
// whose numbers are a unit row's: each is checked, and disagrees.
func bigCollectionTotals(tb testing.TB, n, every int) *extract.Document {
	tb.Helper()
	units := loadUnits(tb)
	f, _, err := xlsxgen.WriteCollection(units, xlsxgen.CollectionOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	doc := readWorkbook(tb, f, "big.xlsx")
	bi := -1
	var ct *collectionTable
	for i := range doc.Blocks {
		if c := detectCollection(&doc.Blocks[i]); c != nil {
			bi, ct = i, c
			break
		}
	}
	if ct == nil {
		tb.Fatal("the seed workbook holds no collection table")
	}
	b := &doc.Blocks[bi]
	header, body := b.Rows[:ct.first], b.Rows[ct.first:]
	rows := append([][]extract.Cell(nil), header...)
	nextRow := header[len(header)-1][0].Pos.Row + 1
	doc.Notes = nil
	for i := 0; i < n; i++ {
		src := body[i%len(body)]
		row := make([]extract.Cell, len(src))
		copy(row, src)
		for c := range row {
			if !row[c].Pos.IsZero() {
				row[c].Pos.Row = nextRow
			}
		}
		row[ct.body].Text = fmt.Sprintf("单位%05d", i)
		rows = append(rows, row)
		doc.Notes = append(doc.Notes, extract.Note{Pos: row[len(row)-1].Pos, Code: "formula-no-cache", Message: "no cached value"})
		nextRow++
		if every > 0 && (i+1)%every == 0 {
			sub := make([]extract.Cell, len(row))
			copy(sub, row)
			for c := range sub {
				if !sub[c].Pos.IsZero() {
					sub[c].Pos.Row = nextRow
				}
			}
			sub[ct.body].Text = fmt.Sprintf("第%d组小计", (i+1)/every)
			rows = append(rows, sub)
			nextRow++
		}
	}
	b.Rows = rows
	return doc
}

// BenchmarkCollectionWorkbook reads collection workbooks of growing size: the time per unit row
// stays flat (linear time in the rows).
func BenchmarkCollectionWorkbook(b *testing.B) {
	for _, tc := range []struct{ n, every int }{{1000, 0}, {2000, 0}, {10000, 0}, {1000, 10}, {10000, 10}} {
		n := tc.n
		doc := bigCollectionTotals(b, n, tc.every)
		name := fmt.Sprintf("rows=%d", n)
		if tc.every > 0 {
			name += fmt.Sprintf("/subtotals=%d", n/tc.every) // the totals check parses the rows again
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				reps, err := Transform(context.Background(), doc, Options{})
				if err != nil || len(reps) != n {
					b.Fatalf("%d reports, err %v", len(reps), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
		})
	}
}

// TestTransformCancelled: a cancelled context stops Transform with the context's error, for a
// collection workbook and for a single report.
func TestTransformCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	seed, err := extract.ReadFile(context.Background(), seedPath, extract.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string]*extract.Document{
		"collection": bigCollection(t, 50),
		"text":       seed,
	} {
		if _, err := Transform(context.Background(), doc, Options{}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		reps, err := Transform(ctx, doc, Options{})
		if !errors.Is(err, context.Canceled) || reps != nil {
			t.Errorf("%s: cancelled Transform gave %d reports, err %v; want context.Canceled", name, len(reps), err)
		}
	}
}
