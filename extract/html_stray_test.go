package extract

import (
	"context"
	"strings"
	"testing"
)

// A </table> or </tr> that the page closes once too often, where the table plainly goes on, is
// dropped; a page whose end tags balance is left to the parser, whatever its shape.
func TestDropStrayEndTags(t *testing.T) {
	for _, tc := range []struct {
		name, page string
		grids      []string // each table's rows, cells joined by "," and rows by "|"
		notes      int
	}{
		{"stray table end in a cell",
			`<table><tr><td>予以公开</table></td><td>1</td></tr><tr><td>部分公开</td><td>2</td></tr></table>`,
			[]string{"予以公开,1|部分公开,2"}, 1},
		{"stray table end before the next row",
			`<table><tr><td>a</td><td>1</td></table><tr><td>b</td><td>2</td></tr></table>`,
			[]string{"a,1|b,2"}, 1},
		{"row end in the middle of a row",
			`<table><tr><td>h1</td><td>h2</td><td>h3</td></tr><tr><td>1</td></tr><td>2</td><td>3</td></tr></table>`,
			[]string{"h1,h2,h3|1,2,3"}, 1},
		{"nested table with an unclosed cell balances",
			`<table><tr><td><table><tr><td>a<td>1</table></td><td>x</td></tr><tr><td>y</td><td>z</td></tr></table>`,
			[]string{"a,1"}, 0},
		{"table end inside a script",
			`<script>document.write("</table></tr>")</script><table><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></table>`,
			[]string{"a,1|b,2"}, 0},
		{"cells without a row, closed by a row end",
			`<table><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></table>`,
			[]string{"a,1|b,2"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Read(context.Background(), "stray.html", []byte("<html><body>"+tc.page+"</body></html>"), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			var grids []string
			for _, b := range tableBlocks(doc) {
				var rows []string
				for _, row := range b.Rows {
					var cells []string
					for _, c := range row {
						cells = append(cells, c.Text)
					}
					rows = append(rows, strings.Join(cells, ","))
				}
				grids = append(grids, strings.Join(rows, "|"))
			}
			if strings.Join(grids, " / ") != strings.Join(tc.grids, " / ") {
				t.Errorf("tables %q, want %q", grids, tc.grids)
			}
			n := 0
			for _, note := range doc.Notes {
				if note.Code == "stray-end-tag" {
					n++
				}
			}
			if n != tc.notes {
				t.Errorf("%d stray-end-tag notes, want %d: %v", n, tc.notes, doc.Notes)
			}
		})
	}
}
