package extract

import (
	"fmt"
	"testing"
)

// posString is how Pos.String rendered places with fmt: the reference its faster form must match.
func posString(p Pos) string {
	switch {
	case p.Page > 0:
		if p.X == 0 && p.Y == 0 {
			return fmt.Sprintf("page %d", p.Page)
		}
		return fmt.Sprintf("p%d x%d y%d", p.Page, p.X, p.Y)
	case p.Sheet != "":
		if p.Row == 0 {
			return p.Sheet
		}
		return fmt.Sprintf("%s!%s%d", p.Sheet, ColumnName(p.Col), p.Row)
	case p.Table > 0:
		if p.Row == 0 {
			return fmt.Sprintf("table %d", p.Table)
		}
		return fmt.Sprintf("table %d row %d cell %d", p.Table, p.Row, p.Col)
	case p.Para > 0:
		return fmt.Sprintf("paragraph %d", p.Para)
	case p.Line > 0:
		if p.Col == 0 {
			return fmt.Sprintf("%d", p.Line)
		}
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return ""
}

func TestPosString(t *testing.T) {
	for _, tc := range []struct {
		p    Pos
		want string
	}{
		{Pos{}, ""},
		{Pos{Line: 12}, "12"},
		{Pos{Line: 12, Col: 5}, "12:5"},
		{Pos{Sheet: "Sheet1"}, "Sheet1"},
		{Pos{Sheet: "表3", Col: 28, Row: 12}, "表3!AB12"},
		{Pos{Table: 2}, "table 2"},
		{Pos{Table: 2, Row: 5, Col: 3}, "table 2 row 5 cell 3"},
		{Pos{Para: 7}, "paragraph 7"},
		{Pos{Page: 3}, "page 3"},
		{Pos{Page: 3, X: 120, Y: 540}, "p3 x120 y540"},
		{Pos{Page: 2, X: -9, Y: 341}, "p2 x-9 y341"},
	} {
		if got := tc.p.String(); got != tc.want || got != posString(tc.p) {
			t.Errorf("%#v.String() = %q, want %q", tc.p, got, tc.want)
		}
	}
}

func FuzzPosString(f *testing.F) {
	f.Add(0, 0, "", 0, 0, 0, 0, 0, 0)
	f.Add(12, 5, "Sheet1", 0, 12, 0, 3, 120, 540)
	f.Fuzz(func(t *testing.T, line, col int, sheet string, table, row, para, page, x, y int) {
		p := Pos{Line: line, Col: col, Sheet: sheet, Table: table, Row: row, Para: para, Page: page, X: x, Y: y}
		if got, want := p.String(), posString(p); got != want {
			t.Fatalf("%#v.String() = %q, want %q", p, got, want)
		}
	})
}
