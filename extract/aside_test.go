package extract

import (
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// rowsText renders a table's rows as "a|b|c" lines, copies marked with ^.
func rowsText(rows [][]Cell) string {
	var lines []string
	for _, r := range rows {
		var p []string
		for _, c := range r {
			t := c.Text
			if c.Copy {
				t = "^" + t
			}
			p = append(p, t)
		}
		lines = append(lines, strings.Join(p, "|"))
	}
	return strings.Join(lines, "\n")
}

func TestDropAsideColumns(t *testing.T) {
	cells := func(texts ...string) []Cell {
		var out []Cell
		for i, s := range texts {
			c := Cell{Text: strings.TrimPrefix(s, "^"), Copy: strings.HasPrefix(s, "^"), Pos: Pos{Table: 1, Col: i + 1}}
			out = append(out, c)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		rows  [][]Cell
		want  string
		notes int
	}{
		{"a remark column beside Table 3, merged down its header", [][]Cell{
			cells("", "自然人", "总计", "备注"),
			cells("", "^自然人", "^总计", "^备注"),
			cells("一、本年新收", "88", "153", "含网上申请12件"),
			cells("二、上年结转", "11", "18", ""),
		}, "|自然人|总计\n|^自然人|^总计\n一、本年新收|88|153\n二、上年结转|11|18", 1},
		{"a remark holding a number, under a title merged over it", [][]Cell{
			cells("第二十条第（一）项", "^第二十条第（一）项", "^第二十条第（一）项"),
			cells("信息内容", "本年制发件数", "备 注"),
			cells("规章", "2", "15"),
		}, "第二十条第（一）项|^第二十条第（一）项\n信息内容|本年制发件数\n规章|2", 1},
		{"a check column", [][]Cell{
			cells("", "自然人", "校验（自动）"),
			cells("一、本年新收", "88", "正确"),
		}, "|自然人\n一、本年新收|88", 1},
		{"说明 merged over the whole table is a title", [][]Cell{
			cells("", "说明", "^说明"),
			cells("一、本年新收", "88", "1"),
		}, "|说明|^说明\n一、本年新收|88|1", 0},
		{"备注 in the label column is a row label", [][]Cell{
			cells("备注", "1", "2"),
		}, "备注|1|2", 0},
		{"a column word that only contains 说明", [][]Cell{
			cells("", "说明文件数", "总计"),
			cells("规章", "1", "2"),
		}, "|说明文件数|总计\n规章|1|2", 0},
	} {
		doc := &Document{Blocks: []Block{{Kind: Table, Layout: LayoutGrid, Rows: tc.rows}}}
		dropAsideColumns(doc)
		if got := rowsText(doc.Blocks[0].Rows); got != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.name, got, tc.want)
		}
		if len(doc.Notes) != tc.notes {
			t.Errorf("%s: %d notes, want %d: %v", tc.name, len(doc.Notes), tc.notes, doc.Notes)
		}
	}
}

// TestAsideColumnsHTML: the remark's text is kept in a note, not lost.
func TestAsideColumnsHTML(t *testing.T) {
	page := `<table><tr><td></td><td>自然人</td><td>总计</td><td>备注</td></tr>
<tr><td>一、本年新收</td><td>88</td><td>153</td><td>含网上申请12件</td></tr></table>`
	doc, err := Read(context.Background(), "t.html", []byte(page), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	var tables []Block
	for _, b := range doc.Blocks {
		if b.Kind == Table {
			tables = append(tables, b)
		}
	}
	if len(tables) != 1 || rowsText(tables[0].Rows) != "|自然人|总计\n一、本年新收|88|153" {
		t.Fatalf("tables %+v", tables)
	}
	if len(doc.Notes) != 1 || doc.Notes[0].Code != "aside-column" || !strings.Contains(doc.Notes[0].Message, "含网上申请12件") {
		t.Errorf("notes %+v", doc.Notes)
	}
}

// TestXLSXHiddenColumns: a hidden column without a header of its own (a control sum) leaves the
// table; a hidden column under the table's header is the form's and stays.
func TestXLSXHiddenColumns(t *testing.T) {
	f := excelize.NewFile()
	for ref, v := range map[string]any{
		"A1": "", "B1": "自然人", "C1": "总计", "E1": "维持",
		"A2": "一、本年新收", "B2": 88, "C2": 153, "D2": 153, "E2": 4,
		"A3": "二、上年结转", "B3": 11, "C3": 18, "D3": 18, "E3": 5,
	} {
		if err := f.SetCellValue("Sheet1", ref, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, col := range []string{"D", "E"} {
		if err := f.SetColVisible("Sheet1", col, false); err != nil {
			t.Fatal(err)
		}
	}
	doc := readXLSXBytes(t, xlsxBytes(t, f), DefaultLimits())
	if len(doc.Blocks) != 1 {
		t.Fatalf("%d blocks", len(doc.Blocks))
	}
	if got, want := rowsText(doc.Blocks[0].Rows), "|自然人|总计|维持\n一、本年新收|88|153|4\n二、上年结转|11|18|5"; got != want {
		t.Errorf("rows\n%s\nwant\n%s", got, want)
	}
	if got, want := strings.Join(xlsxNotes(doc), "; "), "Sheet1!D1 hidden-column; Sheet1!E1 hidden-column; Sheet1!D1 aside-column"; got != want {
		t.Errorf("notes %s, want %s", got, want)
	}
}
