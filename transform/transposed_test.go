package transform

import (
	"strconv"
	"strings"
	"testing"
)

// transposedDoc prints shortRowSeed's Table 3 transposed, as Markdown: a header row of the form's
// row labels, then one row of 25 values per column. swap exchanges two header labels; the values
// of row drop (-1: none) are left out of every column while the header keeps its label.
func transposedDoc(swap bool, drop int) string {
	var b strings.Builder
	b.WriteString("# 某某区 2024 年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n")
	b.WriteString("| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n| 规章 | 0 | 0 | 3 |\n| 行政规范性文件 | 2 | 0 | 9 |\n\n")
	b.WriteString("## 三、收到和处理政府信息公开申请情况\n\n| 申请人情况")
	labels := make([]string, NumT3Printed)
	for row := range labels {
		labels[row] = T3Rows[row].CN
	}
	if swap {
		labels[RowGranted], labels[RowPartiallyGranted] = labels[RowPartiallyGranted], labels[RowGranted]
	}
	for _, l := range labels {
		b.WriteString(" | " + l)
	}
	b.WriteString(" |\n|---" + strings.Repeat("|---", NumT3Printed) + "|\n")
	for c := range NumT3Cols {
		b.WriteString("| " + T3Cols[c].ShortCN)
		for row := range NumT3Printed {
			if row == drop {
				continue
			}
			b.WriteString(" | " + strconv.FormatInt(shortRowSeed[row][c], 10))
		}
		b.WriteString(" |\n")
	}
	b.WriteString("\n## 四、政府信息公开行政复议、行政诉讼情况\n\n| 0 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n")
	return b.String()
}

func TestTransposedTable3(t *testing.T) {
	tests := []struct {
		name  string
		swap  bool
		drop  int
		whole bool
	}{
		{"form order", false, -1, true},
		// A header out of the form's order is not taken: the values stay unread, never misplaced.
		{"header out of order", true, -1, false},
		// The header names a row more than the values fill: which row has none is unknown, and
		// taking the last labels would shift every row before the gap.
		{"a row's values missing", false, RowGranted, false},
		{"the last row's values missing", false, RowCarriedForward, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := transformText(t, "transposed.md", transposedDoc(tt.swap, tt.drop))
			for row := range NumT3Printed {
				for c, want := range shortRowSeed[row] {
					v := rep.T3[row][c]
					if tt.whole && (!v.Known() || v.N != want) {
						t.Errorf("%s = %+v, want %d", T3Path(row, c), v, want)
					}
					if !tt.whole && v.Known() {
						t.Errorf("%s = %d, want null", T3Path(row, c), v.N)
					}
				}
			}
		})
	}
}
