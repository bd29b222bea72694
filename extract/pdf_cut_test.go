package extract

import (
	"strings"
	"testing"
)

// A table set wider than the page and cut at its edge (HTML pages printed to PDF): the cells on
// the cut side are marked Cut, a number with a digit off the page is no value (Uncomputed, and a
// note names its cell), a label is read whole, and glyphs off the page beside the table are not
// read as a row of their own. A table inside the margins is untouched.
func TestPDFTableCutAtPageEdge(t *testing.T) {
	// A header row and a value row of three columns whose left column starts at x0.
	table := func(x0 float64, first string, beside bool) *PDFPage {
		p := newPage()
		xs := []float64{x0, x0 + 40, x0 + 80, x0 + 120}
		for _, y := range []float64{100, 130, 160} {
			p.hline(xs[0], xs[3], y)
		}
		for _, x := range xs {
			p.vline(x, 100, 160)
		}
		p.text(x0+2, 110, 10, "尚未审结").text(x0+42, 110, 10, "总计").text(x0+82, 110, 10, "维持")
		p.text(x0-2, 140, 10, first).text(x0+42, 140, 10, "129").text(x0+82, 140, 10, "26")
		if beside {
			p.text(x0-40, 140, 10, "51") // a column wholly off the page
		}
		p.text(60, 300, 10, "正文在页边距以内。")
		return p.page()
	}
	cases := []struct {
		name      string
		page      *PDFPage
		rows      []string
		cut       []bool // the value row's cells
		uncomp    []bool
		noteCodes string
	}{
		{"inside the margins", table(60, "60", false), []string{"尚未审结|总计|维持", "60|129|26"},
			[]bool{false, false, false}, []bool{false, false, false}, ""},
		{"cut at the left, a number across the edge", table(-1, "60", true), []string{"尚未审结|总计|维持", "|129|26"},
			[]bool{true, false, false}, []bool{true, false, false}, "clipped-table clipped-cell"},
		{"cut at the left, a label across the edge", table(-1, "合计", false), []string{"尚未审结|总计|维持", "合计|129|26"},
			[]bool{true, false, false}, []bool{false, false, false}, "clipped-table"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := readPages(t, tc.page)
			if err != nil {
				t.Fatal(err)
			}
			ts := tables(doc)
			if len(ts) != 1 {
				t.Fatalf("%d tables", len(ts))
			}
			equalLines(t, rowsOf(ts[0]), tc.rows)
			row := ts[0].Rows[1]
			for i, c := range row {
				if c.Cut != tc.cut[i] || c.Uncomputed != tc.uncomp[i] {
					t.Errorf("cell %d: Cut %v Uncomputed %v, want %v %v", i, c.Cut, c.Uncomputed, tc.cut[i], tc.uncomp[i])
				}
			}
			var codes []string
			for _, n := range doc.Notes {
				codes = append(codes, n.Code)
				if n.Code == "clipped-cell" && n.Pos != row[0].Pos {
					t.Errorf("the clipped-cell note is at %v, the cell at %v", n.Pos, row[0].Pos)
				}
			}
			if got := strings.Join(codes, " "); got != tc.noteCodes {
				t.Errorf("notes %q, want %q", got, tc.noteCodes)
			}
			for _, b := range doc.Blocks {
				if b.Kind == Paragraph && strings.Contains(b.Text, "51") {
					t.Errorf("the glyphs off the page were read: %q", b.Text)
				}
			}
		})
	}
}
