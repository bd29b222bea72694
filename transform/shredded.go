package transform

import (
	"fmt"
	"regexp"
	"strings"
)

// Tables that PDF-to-Markdown converters and OCR break apart (report-format.md §7.8). The line
// stream of lines.go already joins fragments of one table, and the rightmost-fragment rule of
// match.go already ignores header words and group cells in front of a label. What is left here:
//
//   - page footers inside a table ("— 5 —", "-3-", "第 3 页") are skipped;
//   - rows that lost their labels are placed by the fixed order of the form's rows between their
//     labelled neighbours, and kept only when the identities confirm the placement;
//   - a cell left empty where the PDF had a faint number gets a finding, with the value the
//     identities imply as a suggestion, never filled in.

// pageFooter matches a normalised line that is only a page number.
var pageFooter = regexp.MustCompile(`^(?:[-—–―~]+\d+[-—–―~]+|第\d+页(?:[,/]?共\d+页)?|共\d+页[,/]?第\d+页)$`)

// isPageFooter reports a line whose only text is a page number, a row of its own inside a table.
func isPageFooter(ln *line) bool {
	if ln.runes == 0 || ln.runes > 24 || filled(ln) != 1 {
		return false
	}
	return pageFooter.MatchString(ln.norm)
}

// printedOrder is the sequence of Table 3 rows as the form prints them.
func printedOrder(version string) []int {
	out := make([]int, 0, NumT3Printed)
	for row := 0; row < NumT3Printed; row++ {
		if version == Gov2019 && row >= RowOtherNoCorrection && row <= RowOtherOther {
			if row == RowOtherNoCorrection {
				out = append(out, RowOtherTotal)
			}
			continue
		}
		out = append(out, row)
	}
	return out
}

// unlabelled is a run of consecutive rows without a usable label, between two labelled rows.
type unlabelled struct {
	rows       []logicalRow
	prev, next int // the labelled neighbours' rows; -1 / NumT3Rows at the table's ends
}

// placeUnlabelled places the rows readTable3 could not match (those with seven values) by the
// form's row order, and keeps a placement only when the identities confirm it. rows is the
// assembled table, in order.
func (rd *reader) placeUnlabelled(rows []logicalRow) {
	// Most tables have none: a row with seven values whose label was not taken for a row.
	taken := map[string]bool{}
	for _, l := range rd.rep.T3Labels {
		if l != "" {
			taken[l] = true
		}
	}
	any := false
	for _, r := range rows {
		any = any || len(r.vals) == NumT3Cols && !taken[r.label]
	}
	if !any {
		return
	}
	var groups []unlabelled
	var cur *unlabelled
	last, prev := -1, -1
	for _, r := range rows {
		row, ok := matchT3Row(r.label, last)
		if !ok {
			if m, fok := fuzzyT3Match(r.label, last); fok {
				row, ok = m.row, true
			}
		}
		if !ok {
			if len(r.vals) != NumT3Cols || allBlank(r.vals) || t3GroupHeading(r.label) {
				continue // reported by readTable3, or a header row padded with empty cells
			}
			if cur == nil {
				groups = append(groups, unlabelled{prev: prev, next: NumT3Rows})
				cur = &groups[len(groups)-1]
			}
			cur.rows = append(cur.rows, r)
			continue
		}
		if cur != nil {
			cur.next = row
			cur = nil
		}
		prev = row
		if t3After(row, last) {
			last = row
		}
	}
	if len(groups) == 0 {
		return
	}
	version := rd.t3Version
	if version != Gov2019 {
		version = Gov2021
	}
	order := printedOrder(version)
	at := map[int]int{}
	for i, row := range order {
		at[row] = i
	}
	// Every group that fits its gap is placed first, and all are confirmed together: the column
	// identities run through every row, so one group alone can never be checked while another
	// is still out.
	var placed []placement
	for _, g := range groups {
		from, to := 0, len(order)
		if i, ok := at[g.prev]; ok {
			from = i + 1
		}
		if i, ok := at[g.next]; ok {
			to = i
		}
		var slots []int
		for i := from; i < to; i++ {
			if rd.rep.T3[order[i]][0].Kind == Absent {
				slots = append(slots, order[i])
			}
		}
		pl := placement{g: g, slots: slots, place: g.rows[0].vals[0].cell.Pos.String()}
		if len(slots) != len(g.rows) {
			rd.unplaceable(pl)
			continue
		}
		for i, row := range slots {
			for c, v := range g.rows[i].vals {
				rd.setValue(&rd.rep.T3[row][c], v, ByPlacement)
			}
		}
		placed = append(placed, pl)
	}
	if len(placed) == 0 {
		return
	}
	var all []int
	for _, pl := range placed {
		all = append(all, pl.slots...)
	}
	ok, why := rd.confirmed(all, version)
	for _, pl := range placed {
		names := rowNames(pl.slots)
		if !ok {
			for _, row := range pl.slots {
				for c := range rd.rep.T3[row] {
					rd.rep.T3[row][c] = Value{}
				}
			}
			rd.rep.add(Finding{Rule: RuleSRowPlacement, Severity: SevWarning, Status: "uncertain", Place: pl.place, Cells: pathsOfRows(pl.slots),
				Message: fmt.Sprintf("表三 第%s处有%d行数值没有行标签（%s），按顺序应为%s，但%s，未采用", pl.place, len(pl.g.rows), rowValues(pl.g.rows), names, why)})
			continue
		}
		for i, row := range pl.slots {
			rd.rep.T3Labels[row] = ""
			for c := range rd.rep.T3[row] {
				rd.noteIssue(&rd.rep.T3[row][c], pl.g.rows[i].vals[c].p.issue, T3Path(row, c), t3CellLabel(row, c), "T3")
			}
		}
		rd.rep.Reads["table3"].count(ByPlacement, len(pl.slots)*NumT3Cols)
		rd.rep.add(Finding{Rule: RuleSRowPlacement, Severity: SevInfo, Status: "resolved", Place: pl.place, Cells: pathsOfRows(pl.slots),
			Message: fmt.Sprintf("表三 第%s处有%d行数值没有行标签，按表格行序定为%s，各列勾稽关系成立%s", pl.place, len(pl.g.rows), names, why)})
	}
}

// placement is a group of unlabelled rows and the slots they would fill.
type placement struct {
	g     unlabelled
	slots []int
	place string
}

// unplaceable reports a group whose gap has not as many empty rows as it has rows.
func (rd *reader) unplaceable(pl placement) {
	where := "之间没有空缺的行"
	if len(pl.slots) > 0 {
		where = fmt.Sprintf("之间有%d个空缺的行（%s）", len(pl.slots), rowNames(pl.slots))
	}
	rd.rep.add(Finding{Rule: RuleSRowPlacement, Severity: SevWarning, Status: "uncertain", Place: pl.place,
		Message: fmt.Sprintf("表三 第%s处有%d行数值没有行标签（%s），前后两行%s，无法按顺序定位，未采用", pl.place, len(pl.g.rows), rowValues(pl.g.rows), where)})
}

func rowNames(rows []int) string {
	names := make([]string, len(rows))
	for i, s := range rows {
		names[i] = T3Rows[s].Ordinal + " " + T3Rows[s].CN
	}
	return strings.Join(names, "；")
}

func rowValues(rows []logicalRow) string {
	var vs []string
	for _, r := range rows {
		parts := make([]string, len(r.vals))
		for i, v := range r.vals {
			parts[i] = trimSpace(v.cell.Text)
		}
		vs = append(vs, strings.Join(parts, " "))
	}
	return strings.Join(vs, "；")
}

func allBlank(vals []valCell) bool {
	for _, v := range vals {
		if v.p.kind != Empty {
			return false
		}
	}
	return true
}

func pathsOfRows(rows []int) []string {
	var out []string
	for _, r := range rows {
		out = append(out, rowPaths(r)...)
	}
	return out
}

// confirmed evaluates every identity through the placed rows: each must hold, and at least one
// column identity (T3.BALANCE or T3.RESULTS) must involve every placed row, since a row's own
// identity says nothing about where it belongs.
func (rd *reader) confirmed(placed []int, version string) (bool, string) {
	saved := rd.rep.FormatVersion
	rd.rep.FormatVersion = version
	defer func() { rd.rep.FormatVersion = saved }()
	isPlaced := map[int]bool{}
	for _, row := range placed {
		for c := 0; c < NumT3Cols; c++ {
			isPlaced[t3Cell(row, c)] = true
		}
	}
	columnChecked := map[int]bool{}
	eqs := rd.rep.equations()
	solved, restore := rd.solveShortRows(eqs, isPlaced)
	defer restore()
	for _, e := range eqs {
		if !strings.HasPrefix(e.rule, "T3.") {
			continue
		}
		var through []int
		for _, t := range e.terms {
			if isPlaced[t.cell] {
				through = append(through, (t.cell-cellT3)/NumT3Cols)
			}
		}
		if len(through) == 0 {
			continue
		}
		o := rd.rep.eval(&e)
		switch o.status {
		case "pass", "pass_assuming_blank_zero":
		case "fail":
			return false, e.describe(o.lhs, o.rhs)
		default:
			// A blank or unreadable cell elsewhere leaves this equation open: it neither confirms
			// nor refutes, and the other columns must do.
			continue
		}
		if e.rule != RuleT3Applicants {
			for _, row := range through {
				columnChecked[row] = true
			}
		}
	}
	for _, row := range placed {
		if !columnChecked[row] {
			return false, "没有列勾稽关系可以印证"
		}
	}
	if len(solved) > 0 {
		// Say that the confirmation went through a row read one value short.
		return true, fmt.Sprintf("（%s 行少读一个数值，按勾稽关系推算的该行数值与读到的数值相符）", rowNames(solved))
	}
	return true, ""
}

// suggestBlanks is the finding for cells left empty where the other cells of an identity imply a
// number other than 0: probably a number too faint to recognise. The number is suggested in the
// message, never filled in. prefix selects the identities ("T3." or "T4.").
func (rd *reader) suggestBlanks(prefix, version string) {
	blank := false
	rd.rep.eachValue(func(_ string, v *Value) { blank = blank || v.Kind == Empty || v.Uncomputed() })
	if !blank {
		return
	}
	saved := rd.rep.FormatVersion
	rd.rep.FormatVersion = version
	eqs := rd.rep.equations()
	rd.rep.FormatVersion = saved
	implied := map[int]int64{}
	conflict := map[int]bool{}
	var order []int
	for i := range eqs {
		e := &eqs[i]
		if !strings.HasPrefix(e.rule, prefix) {
			continue
		}
		blank, coef := -1, int64(0)
		var sum int64 // Σ coef·cell over the known cells
		ok := true
		for _, t := range e.terms {
			v := rd.rep.cell(t.cell)
			switch {
			case v.Known():
				sum += t.coef * v.N
			case (v.Kind == Empty || v.Uncomputed()) && blank < 0:
				blank, coef = t.cell, t.coef
			default:
				ok = false
			}
		}
		if !ok || blank < 0 {
			continue
		}
		n := -sum * coef // coef·x + sum = 0, coef = ±1
		if prevN, seen := implied[blank]; seen {
			if prevN != n {
				conflict[blank] = true
			}
			continue
		}
		implied[blank] = n
		order = append(order, blank)
	}
	for _, c := range order {
		n := implied[c]
		if conflict[c] || n <= 0 {
			continue
		}
		v := rd.rep.cell(c)
		msg := fmt.Sprintf("%s 为空白，但按勾稽关系推算应为%d（可能是原文数字未能识别；仅供核对，未填入）", rd.rep.cellName(c), n)
		if v.Uncomputed() {
			msg = fmt.Sprintf("%s 为公式，文件保存时未存下计算结果，按勾稽关系推算应为%d（仅供核对，未填入）", rd.rep.cellName(c), n)
		}
		rd.rep.add(Finding{Rule: RuleSMissingValue, Severity: SevWarning, Status: "uncertain", Place: v.Pos.String(), Cells: []string{cellPath(c)},
			Message: msg})
	}
}

// solveShortRows lets the identities through a row dropped for reading one value short (six
// numbers, unreadable as a whole) still confirm the placed rows: the identities, with every other
// term known, imply the row's seven values; when the six read are those seven with one left out,
// in order, the row is consistent with the placement and its implied values stand in for it while
// the placement is checked. Anything less leaves the row unreadable, and the placement refused.
// The returned function puts the row back as read; its values are never kept.
func (rd *reader) solveShortRows(eqs []equation, isPlaced map[int]bool) (solved []int, restore func()) {
	var saved []Value
	var rows []int
	for row := 0; row < NumT3Rows; row++ {
		frag, ok := shortRowValues(rd.rep.T3[row][:])
		if !ok || isPlaced[t3Cell(row, 0)] {
			continue
		}
		implied := map[int]int64{}
		for pass := 0; pass < 2; pass++ { // the total may need the six columns first
			for i := range eqs {
				cell, n, ok := rd.impliedCell(&eqs[i], row, implied)
				if !ok {
					continue
				}
				if prev, seen := implied[cell]; seen && prev != n {
					return nil, func() {} // the identities disagree about the row: no confirmation from it
				}
				implied[cell] = n
			}
		}
		x := make([]int64, NumT3Cols)
		complete := true
		for c := range x {
			n, ok := implied[t3Cell(row, c)]
			complete = complete && ok && n >= 0
			x[c] = n
		}
		if !complete || !dropsOne(x, frag) {
			continue
		}
		rows = append(rows, row)
		saved = append(saved, rd.rep.T3[row][:]...)
		for c, n := range x {
			v := &rd.rep.T3[row][c]
			*v = Value{Kind: Numeric, N: n, Pos: v.Pos}
			if n == 0 {
				v.Kind = Zero
			}
		}
	}
	return rows, func() {
		for i, row := range rows {
			copy(rd.rep.T3[row][:], saved[i*NumT3Cols:(i+1)*NumT3Cols])
		}
	}
}

// shortRowValues returns the numbers of a Table 3 row dropped for holding one value too few: all
// its cells carry the row's text (see unreadable), six plain numbers.
func shortRowValues(row []Value) ([]int64, bool) {
	raw := row[0].Raw
	for _, v := range row {
		if v.Kind != Text || v.Raw != raw {
			return nil, false
		}
	}
	fields := strings.Fields(raw)
	if len(fields) != NumT3Cols-1 {
		return nil, false
	}
	out := make([]int64, len(fields))
	for i, f := range fields {
		p := parseNumber(f, false, false)
		if !p.kind.Known() || p.issue != issueNone {
			return nil, false
		}
		out[i] = p.n
	}
	return out, true
}

// impliedCell solves an equation for its one cell in the given row that is not yet known, when
// every other term is known (read, or implied before).
func (rd *reader) impliedCell(e *equation, row int, implied map[int]int64) (cell int, n int64, ok bool) {
	cell = -1
	var sum, coef int64
	for _, t := range e.terms {
		if k, seen := implied[t.cell]; seen {
			sum += t.coef * k
			continue
		}
		v := rd.rep.cell(t.cell)
		switch {
		case v.Known():
			sum += t.coef * v.N
		case cell < 0 && t.cell >= t3Cell(row, 0) && t.cell <= t3Cell(row, NumT3Cols-1):
			cell, coef = t.cell, t.coef
		default:
			return 0, 0, false
		}
	}
	if cell < 0 {
		return 0, 0, false
	}
	return cell, -sum * coef, true // coef·x + sum = 0, coef = ±1
}

// dropsOne reports whether frag is full with exactly one value left out, the others in order.
func dropsOne(full, frag []int64) bool {
	if len(full) != len(frag)+1 {
		return false
	}
	for skip := range full {
		match := true
		for i, j := 0, 0; i < len(full) && match; i++ {
			if i == skip {
				continue
			}
			match = full[i] == frag[j]
			j++
		}
		if match {
			return true
		}
	}
	return false
}
