package transform

import (
	"strconv"
	"strings"
	"testing"
)

// colBlocksDoc prints shortRowSeed's Table 3 as Markdown in column blocks: cuts are the first
// column of each block after the first ({4} prints columns 1–4, then 5–7). skip leaves a row out
// of the last block.
func colBlocksDoc(cuts []int, skip int) string {
	return colBlocksDocOrder(cuts, skip, []int{0, 1, 2, 3, 4, 5, 6}, false)
}

// colBlocksDocOrder prints the columns in the order perm (perm[k] is the form's column printed
// k-th), each header naming its own; with twoLines the organisation types are named on a second
// header line, as the form's three-row header does.
func colBlocksDocOrder(cuts []int, skip int, perm []int, twoLines bool) string {
	var b strings.Builder
	b.WriteString("# 某某区 2024 年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n")
	b.WriteString("| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n| 规章 | 0 | 0 | 3 |\n| 行政规范性文件 | 2 | 0 | 9 |\n\n")
	b.WriteString("## 三、收到和处理政府信息公开申请情况\n\n")
	bounds := append(append([]int{0}, cuts...), NumT3Cols)
	for k := 0; k+1 < len(bounds); k++ {
		if k > 0 {
			b.WriteString("\n（续表）\n\n")
		}
		org := func(c int) bool { return perm[c] >= 1 && perm[c] <= 5 }
		b.WriteString("| 项目")
		for c := bounds[k]; c < bounds[k+1]; c++ {
			switch {
			case !twoLines || !org(c):
				b.WriteString(" | " + T3Cols[perm[c]].ShortCN)
			default:
				b.WriteString(" | 法人或其他组织")
			}
		}
		b.WriteString(" |\n|---" + strings.Repeat("|---", bounds[k+1]-bounds[k]) + "|\n")
		if twoLines {
			b.WriteString("| ")
			for c := bounds[k]; c < bounds[k+1]; c++ {
				b.WriteString(" | ")
				if org(c) {
					b.WriteString(T3Cols[perm[c]].ShortCN)
				}
			}
			b.WriteString(" |\n")
		}
		for row := 0; row < NumT3Printed; row++ {
			if row == skip && k == len(bounds)-2 {
				continue
			}
			b.WriteString("| " + T3Rows[row].CN)
			for c := bounds[k]; c < bounds[k+1]; c++ {
				b.WriteString(" | " + strconv.FormatInt(shortRowSeed[row][perm[c]], 10))
			}
			b.WriteString(" |\n")
		}
	}
	b.WriteString("\n## 四、政府信息公开行政复议、行政诉讼情况\n\n| 0 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n")
	return b.String()
}

func TestColumnBlocksMerged(t *testing.T) {
	tests := []struct {
		name  string
		cuts  []int
		skip  int
		whole bool
	}{
		{"halves 4+3", []int{4}, -1, true},
		{"halves 3+4", []int{3}, -1, true},
		{"three blocks", []int{3, 5}, -1, true},
		// A row missing from one block: the blocks are not the same rows, nothing is joined.
		{"row missing in a block", []int{4}, RowGranted, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := transformText(t, "blocks.md", colBlocksDoc(tt.cuts, tt.skip))
			for row := 0; row < NumT3Printed; row++ {
				for c, want := range shortRowSeed[row] {
					v := rep.T3[row][c]
					if tt.whole && (!v.Known() || v.N != want) {
						t.Errorf("%s = %+v, want %d", T3Path(row, c), v, want)
					}
					if !tt.whole && v.Known() && v.N != want {
						t.Errorf("%s = %d, want %d or null", T3Path(row, c), v.N, want)
					}
				}
			}
		})
	}
}

// A block whose header names its columns in another order: the sums hold either way, so only the
// headers can put the numbers in their cells.
func TestColumnBlocksHeaderOrder(t *testing.T) {
	tests := []struct {
		name     string
		cuts     []int
		perm     []int
		twoLines bool
		finding  bool // an S.COLUMN_ORDER info finding
	}{
		{"form's order", []int{4}, []int{0, 1, 2, 3, 4, 5, 6}, false, false},
		{"form's order, two header lines", []int{4}, []int{0, 1, 2, 3, 4, 5, 6}, true, false},
		{"second block 其他 first", []int{4}, []int{0, 1, 2, 3, 5, 4, 6}, false, true},
		{"second block 其他 first, two header lines", []int{4}, []int{0, 1, 2, 3, 5, 4, 6}, true, true},
		{"first block 科研 first", []int{4}, []int{0, 2, 1, 3, 4, 5, 6}, false, true},
		{"first block 科研 first, two header lines", []int{4}, []int{0, 2, 1, 3, 4, 5, 6}, true, true},
		{"总计 in the first block", []int{4}, []int{0, 1, 2, 6, 3, 4, 5}, false, true},
		{"three blocks, last reordered", []int{3, 5}, []int{0, 1, 2, 3, 4, 6, 5}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := transformText(t, "blocks.md", colBlocksDocOrder(tt.cuts, -1, tt.perm, tt.twoLines))
			for row := 0; row < NumT3Printed; row++ {
				for c, want := range shortRowSeed[row] {
					if v := rep.T3[row][c]; !v.Known() || v.N != want {
						t.Errorf("%s = %+v, want %d", T3Path(row, c), v, want)
					}
				}
			}
			found := false
			for _, f := range rep.Findings {
				found = found || f.Rule == RuleSColumnOrder && f.Severity == SevInfo
			}
			if found != tt.finding {
				t.Errorf("S.COLUMN_ORDER finding %v, want %v\n%v", found, tt.finding, rep.Findings)
			}
		})
	}
}
