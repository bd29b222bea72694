package transform

import (
	"testing"

	"github.com/govreports/govreports/extract"
)

// TestAssemblerPositions: in a PDF a row goes on to the right, below or on the next page. A cell
// drawn above the row's last value on its page (the first character of a merged label set outside
// its cell, as LibreOffice prints a table cut at the page edge) does not complete the row, whatever
// it reads as; a cell below it or on the next page does.
func TestAssemblerPositions(t *testing.T) {
	at := func(text string, page, x, y int) extract.Cell {
		return extract.Cell{Text: text, Pos: extract.Pos{Page: page, X: x, Y: y}}
	}
	row := []extract.Cell{at("2. 重复申请", 2, 130, 771), at("0", 2, 427, 771), at("0", 2, 455, 771),
		at("0", 2, 491, 771), at("0", 2, 527, 771), at("", 2, 579, 771)}
	cases := []struct {
		name string
		next extract.Cell
		want int // values of the row
	}{
		{"a word above the row", at("三", 2, -9, 341), 5},
		{"a number above the row", at("3", 2, 600, 341), 5},
		{"a word on an earlier page", at("三", 1, 600, 800), 5},
		{"a number below the row", at("3", 2, 600, 790), 6},
		{"a number on the row's line", at("3", 2, 600, 769), 6},
		{"a number on the next page", at("3", 3, 600, 28), 6},
		{"a word below the row", at("三", 2, 600, 790), 6},
		{"no positions", extract.Cell{Text: "3"}, 6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := assembler{want: NumT3Cols}
			a.feed(&line{cells: row})
			a.feed(&line{cells: []extract.Cell{tc.next}})
			rows := a.finish()
			if len(rows) == 0 {
				t.Fatal("no row")
			}
			if got := len(rows[0].vals); got != tc.want {
				t.Errorf("the row has %d values, want %d", got, tc.want)
			}
		})
	}
}
