package extract

import "testing"

// A label stacked one character per line in a row too short for it runs past the cell's foot: the
// row border crosses the last character's middle. That character is the label's, not the next
// row's value; a glyph merely touching a border stays where its middle is.
func TestPDFGlyphOverflowingItsCell(t *testing.T) {
	for _, tc := range []struct {
		name string
		top  float64 // of the last stacked character; the border is at 130
		want []string
	}{
		{"crossed through its middle, its middle below", 126, []string{"维持|计", "0|10"}},
		{"wholly above", 118, []string{"维持|计", "0|10"}},
		{"just touching, mostly below", 128.5, []string{"维|计", "持 0|10"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPage()
			p.box(100, 100, 140, 130).box(140, 100, 180, 130).box(100, 130, 140, 150).box(140, 130, 180, 150)
			p.text(105, 104, 10, "维").text(105, tc.top, 10, "持").text(145, 110, 10, "计")
			p.text(105, 134, 10, "0").text(145, 134, 10, "10")
			doc, err := readPages(t, p.page())
			if err != nil {
				t.Fatal(err)
			}
			ts := tables(doc)
			if len(ts) != 1 {
				t.Fatalf("%d tables", len(ts))
			}
			equalLines(t, rowsOf(ts[0]), tc.want)
		})
	}
}
