package transform

import (
	"strconv"
	"strings"
	"testing"
)

// shortRowSeed is a Table 3 that holds every identity, with distinct numbers beside the cells
// the tests leave out.
var shortRowSeed = map[int][7]int64{
	RowNewReceived: {72, 48, 5, 1, 19, 10, 155}, RowCarriedOver: {8, 1, 0, 1, 2, 2, 14},
	RowGranted: {30, 19, 4, 0, 7, 2, 62}, RowPartiallyGranted: {20, 3, 1, 0, 3, 0, 27},
	RowWithheldFirst: {2, 0, 0, 0, 0, 0, 2}, RowUnavailableFirst: {10, 10, 0, 1, 8, 1, 30},
	RowRejectedFirst: {7, 11, 0, 1, 0, 0, 19}, RowRejectedFirst + 1: {0, 0, 0, 0, 0, 6, 6},
	RowTotalProcessed: {69, 43, 5, 2, 18, 9, 146}, RowCarriedForward: {11, 6, 0, 0, 3, 3, 23},
}

// shortRowDoc prints the seed as an HTML page (grid) or tab-separated text; the cell drop =
// {row, col} is left out of its row (no <td>, no field), and edit changes one printed number.
func shortRowDoc(html bool, drops [][2]int, edit func(row, col int, v int64) int64) string {
	var b strings.Builder
	sep, end := "\t", "\n"
	if html {
		b.WriteString("<html><head><meta charset=\"utf-8\"></head><body>")
		sep, end = "</td><td>", "</td></tr>\n"
	}
	line := func(cells ...string) {
		if html {
			b.WriteString("<tr><td>")
		}
		b.WriteString(strings.Join(cells, sep) + end)
	}
	para := func(s string) {
		if html {
			s = "<p>" + s + "</p>"
		}
		b.WriteString(s + "\n")
	}
	table := func(open bool) {
		if html && open {
			b.WriteString("<table>\n")
		} else if html {
			b.WriteString("</table>\n")
		}
	}
	para("某某市某某区人民政府2024年政府信息公开工作年度报告")
	para("二、主动公开政府信息情况")
	table(true)
	line("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")
	line("规章", "0", "0", "3")
	line("行政规范性文件", "2", "0", "9")
	line("行政许可", "68")
	line("行政处罚", "27")
	line("行政强制", "10")
	line("行政事业性收费", "0")
	table(false)
	para("三、收到和处理政府信息公开申请情况")
	table(true)
	line("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
	for row := 0; row < NumT3Printed; row++ {
		cells := []string{T3Rows[row].CN}
	col:
		for c, v := range shortRowSeed[row] {
			for _, d := range drops {
				if d == [2]int{row, c} {
					continue col
				}
			}
			if edit != nil {
				v = edit(row, c, v)
			}
			cells = append(cells, strconv.FormatInt(v, 10))
		}
		line(cells...)
	}
	table(false)
	para("四、政府信息公开行政复议、行政诉讼情况")
	table(true)
	line("0", "1", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0")
	table(false)
	return b.String()
}

func TestShortRowPlacedByIdentities(t *testing.T) {
	tests := []struct {
		name   string
		html   bool
		trail  bool // text rows end with a tab, as copies of web tables do
		drops  [][2]int
		edit   func(row, col int, v int64) int64
		placed map[int]int // row → the column left null
		null   []int       // rows left null with an error
	}{
		{name: "html mid", html: true, drops: [][2]int{{RowGranted, 2}}, placed: map[int]int{RowGranted: 2}},
		{name: "html first", html: true, drops: [][2]int{{RowCarriedForward, 0}}, placed: map[int]int{RowCarriedForward: 0}},
		{name: "html total", html: true, drops: [][2]int{{RowUnavailableFirst, 6}}, placed: map[int]int{RowUnavailableFirst: 6}},
		{name: "text mid", drops: [][2]int{{RowPartiallyGranted, 4}}, placed: map[int]int{RowPartiallyGranted: 4}},
		{name: "text first row", drops: [][2]int{{RowNewReceived, 1}}, placed: map[int]int{RowNewReceived: 1}},
		// A tab after every row: the short row's last field reads blank, not missing.
		{name: "text trailing tab", trail: true, drops: [][2]int{{RowGranted, 2}}, placed: map[int]int{RowGranted: 2}},
		{name: "text trailing tab first", trail: true, drops: [][2]int{{RowCarriedForward, 0}}, placed: map[int]int{RowCarriedForward: 0}},
		// 总计 blank (too faint to read) after 其他 of the same number: a gap in 其他 or in 总计
		// gives the same row; 总计 is the gap, the printed numbers stay where they were.
		{name: "text trailing tab, blank total", trail: true, drops: [][2]int{{RowRejectedFirst + 1, ColTotal}}, placed: map[int]int{RowRejectedFirst + 1: ColTotal}},
		// Two short rows in the same columns of T3.RESULTS: neither can be checked by the columns.
		{name: "two short rows", html: true, drops: [][2]int{{RowGranted, 1}, {RowPartiallyGranted, 4}}, null: []int{RowGranted, RowPartiallyGranted}},
		// Two cells short: read as before (blanks at the end), left to the identities to flag.
		{name: "html two short", html: true, drops: [][2]int{{RowGranted, 1}, {RowGranted, 2}}},
		// A wrong number elsewhere in the column: no placement holds.
		{name: "no placement", html: true, drops: [][2]int{{RowGranted, 2}},
			edit: func(row, col int, v int64) int64 {
				if row == RowWithheldFirst && col == 0 {
					return v + 5
				}
				return v
			}, null: []int{RowGranted}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "r.txt"
			if tt.html {
				name = "r.html"
			}
			doc := shortRowDoc(tt.html, tt.drops, tt.edit)
			if tt.trail {
				doc = strings.ReplaceAll(doc, "\n", "\t\n")
			}
			rep := transformText(t, name, doc)
			for row, gap := range tt.placed {
				for c, want := range shortRowSeed[row] {
					v := rep.T3[row][c]
					switch {
					case c == gap && v.Known():
						t.Errorf("%s: the missing cell holds %d", T3Path(row, c), v.N)
					case c != gap && (!v.Known() || v.N != want):
						t.Errorf("%s = %+v, want %d", T3Path(row, c), v, want)
					}
				}
			}
			for _, row := range tt.null {
				for c := range NumT3Cols {
					if v := rep.T3[row][c]; v.Known() {
						t.Errorf("%s = %d, want null", T3Path(row, c), v.N)
					}
				}
			}
			resolved, refused := 0, 0
			for _, f := range rep.Findings {
				if f.Rule != RuleSRowValues {
					continue
				}
				if f.Status == "resolved" {
					resolved++
				} else if f.Severity == SevError {
					refused++
				}
			}
			if resolved != len(tt.placed) || refused != len(tt.null) {
				t.Errorf("S.ROW_VALUES: %d resolved, %d refused; want %d and %d\n%v", resolved, refused, len(tt.placed), len(tt.null), rep.Findings)
			}
		})
	}
}
