package extract

import "testing"

// A Word PDF printing its tracked changes shows the deleted digits struck through beside the
// inserted ones, underlined: the struck glyphs are dropped, the underlined ones kept, and a note
// says so. A table's borders above and below a cell's text strike nothing.
func TestPDFStruckTextDropped(t *testing.T) {
	cell := func(marks func(p *pg)) *PDFPage {
		p := newPage()
		p.box(100, 100, 200, 130).box(200, 100, 300, 130)
		p.text(105, 110, 10, "合计").text(205, 110, 10, "99820")
		marks(p)
		return p.page()
	}
	cases := []struct {
		name  string
		page  *PDFPage
		want  string // the second cell
		notes int
	}{
		{"no marks", cell(func(*pg) {}), "99820", 0},
		{"struck 99, underlined 820", cell(func(p *pg) {
			p.Rules = append(p.Rules, PDFRect{204, 114.5, 215, 115.5}, PDFRect{215, 119, 231, 120})
		}), "820", 1},
		{"a line at the foot only", cell(func(p *pg) {
			p.Rules = append(p.Rules, PDFRect{204, 119, 231, 120})
		}), "99820", 0},
		{"a border across the table through glyphs spilling over their cell", cell(func(p *pg) {
			p.hline(100, 300, 115)
		}), "99820", 0},
		{"a strike beside the glyphs, not across them", cell(func(p *pg) {
			p.Rules = append(p.Rules, PDFRect{240, 114.5, 280, 115.5})
		}), "99820", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := readPages(t, tc.page)
			if err != nil {
				t.Fatal(err)
			}
			ts := tables(doc)
			if len(ts) != 1 || len(ts[0].Rows) < 1 || len(ts[0].Rows[0]) != 2 {
				t.Fatalf("tables %v", ts)
			}
			if got := ts[0].Rows[0][1].Text; got != tc.want {
				t.Errorf("cell %q, want %q", got, tc.want)
			}
			n := 0
			for _, note := range doc.Notes {
				if note.Code == "struck-text" {
					n++
				}
			}
			if n != tc.notes {
				t.Errorf("%d struck-text notes, want %d", n, tc.notes)
			}
		})
	}
}
