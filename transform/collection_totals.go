package transform

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/govreports/govreports/extract"
)

// Totals rows of a collection (合计, 市直部门小计, 县区小计, a row of numbers without a unit name).
// Platforms print them at the bottom, at the top, or one per group with a grand total; taken for
// units they would be counted again in every rollup. They are left out of the units and used as a
// check instead: each is compared with the sums of the contiguous runs of units its place allows
// (the units since the previous totals row, up to the next one, or from the start or to the end
// of the table), and a row that matches none is a warning naming it and the cells that disagree.
//
// Only the rows' own cells are parsed again, and only in tables that have such a row (a cheap
// pre-pass over the label cells decides): the running sums are kept once per table and copied at
// each totals row, so the check is linear in the rows.

// totalRow is one totals row of a collection table.
type totalRow struct {
	r     int    // row index in the block
	label string // the totals label; "" for a row with numbers and no unit name
	units int    // unit rows read before it
	sum   []int64
	unk   []int32 // units before it whose cell in the column was not a number
}

// collectionTotals is the totals rows of one table and the running sums of its unit rows.
type collectionTotals struct {
	rows  []totalRow
	next  int // the next totals row the reading reaches
	sum   []int64
	unk   []int32
	units []*Report // the unit row reports of this table, in order
}

// findTotals is the pre-pass: nil when the table has no totals row.
func findTotals(ct *collectionTable) *collectionTotals {
	var rows []totalRow
	for r := ct.first; r < len(ct.block.Rows); r++ {
		if ct.skip[r] {
			continue
		}
		row := ct.block.Rows[r]
		label := totalsLabelOf(ct, row)
		if (label != "" || trimSpace(cellAt(row, ct.body).Text) == "") && hasMeasure(ct, row) {
			// A label without a number is a heading, which the reading passes over.
			rows = append(rows, totalRow{r: r, label: label})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	w := len(ct.targets)
	return &collectionTotals{rows: rows, sum: make([]int64, w), unk: make([]int32, w)}
}

// totalsLabelOf returns the totals label of a row: in the names column or any other column that is
// not a measure (序号, 市, 县(区)), where platforms print 合计 merged over the identity columns.
func totalsLabelOf(ct *collectionTable, row []extract.Cell) string {
	if t := trimSpace(cellAt(row, ct.body).Text); t != "" {
		if isTotalsLabel(t) {
			return t
		}
		return "" // a named unit: a region column's 小计 beside a name is not the row's label
	}
	for c, tg := range ct.targets {
		if tg.table != 0 || c == ct.body || c >= len(row) {
			continue
		}
		if t := trimSpace(row[c].Text); t != "" && isTotalsLabel(t) {
			return t
		}
	}
	return ""
}

// hasMeasure reports whether a row has a number in a measure column.
func hasMeasure(ct *collectionTable, row []extract.Cell) bool {
	for c, tg := range ct.targets {
		if tg.table == 0 {
			continue
		}
		if _, known, _ := measureCell(ct, row, c); known {
			return true
		}
	}
	return false
}

// measureCell parses a measure column's cell as readUnitRow does. blank is true for an empty
// cell, which a unit leaves for "none" and a totals row for "not totalled".
func measureCell(ct *collectionTable, row []extract.Cell, c int) (n int64, known, blank bool) {
	cell := cellAt(row, c)
	t := ct.targets[c]
	amount, signed := false, false
	if t.table == 2 {
		amount, signed = T2[t.index].Amount, T2[t.index].Signed
	}
	p := parseNumber(cell.Text, amount, signed)
	if amount && t.yuan && p.issue == issueNone && p.kind.Known() {
		p = parseNumber(cell.Text+"元", true, false)
	}
	if p.issue != issueNone || !p.kind.Known() {
		return 0, false, p.kind == Empty
	}
	return p.n, true, false
}

// at reports whether row r is a totals row, moving past it: rows are visited in order.
func (tt *collectionTotals) at(r int) bool {
	if tt.next >= len(tt.rows) || tt.rows[tt.next].r != r {
		return false
	}
	tr := &tt.rows[tt.next]
	tr.units = len(tt.units)
	tr.sum = append([]int64(nil), tt.sum...)
	tr.unk = append([]int32(nil), tt.unk...)
	tt.next++
	return true
}

// addUnit adds a unit row to the running sums.
func (tt *collectionTotals) addUnit(ct *collectionTable, row []extract.Cell, rep *Report) {
	tt.units = append(tt.units, rep)
	for c, tg := range ct.targets {
		if tg.table == 0 {
			continue
		}
		n, known, blank := measureCell(ct, row, c)
		switch {
		case known:
			tt.sum[c] += n // each cell is below 10^18: only an absurd table could wrap, and then it disagrees
		case !blank:
			tt.unk[c]++
		}
	}
}

// span is a run of units between two snapshots (a totals row, or the table's start or end).
type span struct {
	from, to int // indices into rows; -1 is the table's start, len(rows) its end
}

// check compares every totals row with the runs of units around it and tells the first unit of
// the run it was read against.
func (tt *collectionTotals) check(ct *collectionTable) {
	end := len(tt.rows)
	snap := func(i int) (units int, sum []int64, unk []int32) {
		switch {
		case i < 0:
			return 0, nil, nil
		case i == end:
			return len(tt.units), tt.sum, tt.unk
		}
		return tt.rows[i].units, tt.rows[i].sum, tt.rows[i].unk
	}
	for k := range tt.rows {
		tr := &tt.rows[k]
		row := ct.block.Rows[tr.r]
		var best *span
		var bestDiff []int
		checked := false
		for _, sp := range []span{{k - 1, k}, {k, k + 1}, {-1, k}, {k, end}} {
			u0, s0, k0 := snap(sp.from)
			u1, s1, k1 := snap(sp.to)
			if u1-u0 <= 0 {
				continue
			}
			var diff []int
			compared := 0
			for c, tg := range ct.targets {
				if tg.table == 0 {
					continue
				}
				n, known, _ := measureCell(ct, row, c)
				if !known || at(k1, c)-at(k0, c) > 0 {
					continue
				}
				compared++
				if n != at(s1, c)-at(s0, c) {
					diff = append(diff, c)
				}
			}
			if compared > 0 && len(diff) == 0 {
				best, bestDiff, checked = &sp, nil, true
				break
			}
			if best == nil {
				sp := sp
				best, bestDiff, checked = &sp, diff, compared > 0
			}
		}
		tt.report(ct, tr, best, bestDiff, checked, snap)
	}
}

// at is s[c], 0 for the table's start (a nil snapshot).
func at[T int32 | int64](s []T, c int) T {
	if s == nil {
		return 0
	}
	return s[c]
}

// report makes the findings of one totals row on the first unit of the run it was read against
// (or the unit nearest it when there is no run).
func (tt *collectionTotals) report(ct *collectionTable, tr *totalRow, sp *span, diff []int, checked bool,
	snap func(int) (int, []int64, []int32)) {
	if len(tt.units) == 0 {
		return
	}
	row := ct.block.Rows[tr.r]
	place := firstPos(row)
	name := tr.label
	if name == "" {
		name = "（无单位名称）"
	}
	if sp == nil {
		u := min(tr.units, len(tt.units)-1)
		tt.units[u].add(Finding{Rule: RuleSTotalRow, Severity: SevWarning, Status: "uncertain", Place: place.String(),
			Message: fmt.Sprintf("汇总表第%d行“%s”不是单位，也没有可与之核对的单位行，未采用", place.Row, name)})
		return
	}
	u0, s0, _ := snap(sp.from)
	u1, s1, _ := snap(sp.to)
	first, last := tt.units[u0], tt.units[u1-1]
	rows := fmt.Sprintf("%s至%s共%d个单位", unitRow(first), unitRow(last), u1-u0)
	if !checked {
		first.add(Finding{Rule: RuleSTotalRow, Severity: SevInfo, Status: "not_assessable", Place: place.String(),
			Message: fmt.Sprintf("汇总表第%d行“%s”按合计行处理，不作为单位计入；%s的数值不全，无法核对", place.Row, name, rows)})
		return
	}
	if len(diff) == 0 {
		first.add(Finding{Rule: RuleSTotalRow, Severity: SevInfo, Status: "pass", Place: place.String(),
			Message: fmt.Sprintf("汇总表第%d行“%s”按合计行读取（等于%s之和），不作为单位计入", place.Row, name, rows)})
		return
	}
	var cells, parts []string
	for i, c := range diff {
		t := ct.targets[c]
		path := targetPath(t)
		cells = append(cells, path)
		if i < maxMeasuresListed {
			n, _, _ := measureCell(ct, row, c)
			m := measureIndex(t)
			parts = append(parts, fmt.Sprintf("%s：合计行%s，各单位之和%s", t.label(),
				formatMeasure(m, n), formatMeasure(m, at(s1, c)-at(s0, c))))
		}
	}
	more := ""
	if len(diff) > maxMeasuresListed {
		more = fmt.Sprintf("等%d项", len(diff))
	}
	first.add(Finding{Rule: RuleSTotalRow, Severity: SevWarning, Status: "fail", Place: place.String(), Cells: cells,
		Message: fmt.Sprintf("汇总表第%d行“%s”按合计行处理，不作为单位计入，但与%s之和不符：%s%s", place.Row, name, rows,
			strings.Join(parts, "；"), more)})
}

// firstPos is the place of a row's first cell that is in the table.
func firstPos(row []extract.Cell) extract.Pos {
	for _, c := range row {
		if !c.Pos.IsZero() {
			return c.Pos
		}
	}
	return extract.Pos{}
}

// unitRow names a unit's row for a message: its body and row.
func unitRow(r *Report) string {
	_, row, _ := strings.Cut(r.Unit, "!")
	return fmt.Sprintf("第%s行“%s”", row, r.Body)
}

// targetPath is the cell path of a column's target.
func targetPath(t colTarget) string {
	switch t.table {
	case 2:
		return t2Paths[t.index]
	case 3:
		return T3Path(t.index/NumT3Cols, t.index%NumT3Cols)
	}
	return T4Path(t.index)
}

// measureIndex is the index into Measures of a column's target.
func measureIndex(t colTarget) int {
	switch t.table {
	case 2:
		return t.index
	case 3:
		return NumT2 + t.index
	}
	return NumT2 + NumT3Rows*NumT3Cols + t.index
}

// isTotalsLabel tells a totals row's label: 合计, 总计, 小计, 全市合计, 市直部门小计, 县区小计,
// 合　计（32个单位）, and the name of a group of units (市直部门, 县区, 乡镇（街道）), bare or after an
// ordinal or 其中 (一、市直部门, 其中：县区), which a row holding numbers prints as the group's
// subtotal. A totals word must end the label (once a trailing parenthesis and colon are cut): a
// unit's name never ends so, while 市统计局 or 审计局 hold 计 in the middle.
func isTotalsLabel(s string) bool {
	n := normLabel(s)
	n = strings.TrimRight(n, ":：")
	if i := strings.LastIndexAny(n, "（("); i > 0 && (strings.HasSuffix(n, "）") || strings.HasSuffix(n, ")")) {
		n = strings.TrimRight(n[:i], ":：")
	}
	if utf8.RuneCountInString(n) > 16 {
		return false
	}
	for _, w := range totalsWords {
		if strings.HasSuffix(n, w) {
			return true
		}
	}
	if first, _ := utf8.DecodeRuneInString(n); strings.ContainsRune("一二三四五六七八九十（(0123456789其", first) {
		n = strings.TrimLeft(groupOrdinal.ReplaceAllString(n, ""), ":：")
	}
	return groupWords[n]
}

// groupOrdinal is what opens a group's row: an ordinal, 其中.
var groupOrdinal = regexp.MustCompile(`^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[、.．])?(?:其中)?`)

// groupWords name a whole region or a group of units, never one unit.
var groupWords = map[string]bool{"全市": true, "全省": true, "全县": true, "全区": true, "汇总": true,
	"市直": true, "市直部门": true, "市直单位": true, "市直机关": true, "市级部门": true, "市级单位": true,
	"县直": true, "县直部门": true, "县直单位": true, "区直": true, "区直部门": true, "区直单位": true,
	"县区": true, "区县": true, "县市区": true, "县": true, "各县区": true, "乡镇": true, "乡镇街道": true,
	"街道": true, "镇街": true, "各乡镇": true}

var totalsWords = []string{"合计", "总计", "小计", "共计", "总合计", "汇总数"}
