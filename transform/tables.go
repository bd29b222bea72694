package transform

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/govreports/govreports/extract"
)

// reader holds the state of reading one document into one report.
type reader struct {
	rep   *Report
	lines []line
	// versions seen per table, from the labels actually present (never from the year).
	t2Version, t3Version string
	// t2Unit marks the Table 2 fields whose unit a header or the cell states (see unstatedUnits).
	t2Unit [len(T2)]bool
	// pageStarts are the source lines that begin a page (see pageStarts), in any order.
	pageStarts []int
	// sc is the memory the reading reuses from the transform before (see scratch).
	sc *scratch
}

// scratch is memory that one transform reuses from the one before it, through scratchPool: the
// document's lines, the values split from them and the rows assembled from them, which no Report keeps (a Value
// copies what it needs). Reports are read at rates where this is most of what a transform
// would allocate beside the Report itself.
type scratch struct {
	lines     []line
	paraCells []extract.Cell
	vals      []valCell
	rows      []logicalRow
	t4        []valCell // Table 4's values
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// put returns sc to the pool, without the last document's text; a scratch grown past maxScratch
// by a very large document is left to the collector instead.
func (sc *scratch) put() {
	if cap(sc.lines) > maxScratch || cap(sc.paraCells) > maxScratch || cap(sc.vals) > maxScratch ||
		cap(sc.t4) > maxScratch || cap(sc.rows) > maxScratch {
		return
	}
	clear(sc.lines[:cap(sc.lines)])
	clear(sc.paraCells[:cap(sc.paraCells)])
	clear(sc.vals)
	clear(sc.t4[:cap(sc.t4)])
	clear(sc.rows[:cap(sc.rows)])
	sc.lines, sc.paraCells, sc.vals, sc.t4, sc.rows = sc.lines[:0], sc.paraCells[:0], sc.vals[:0], sc.t4[:0], sc.rows[:0]
	scratchPool.Put(sc)
}

// maxScratch bounds the elements of each array a pooled scratch keeps: a report has a few hundred.
const maxScratch = 8192

// valBuf is where the values of lines are cut from: the scratch's, or nil.
func (rd *reader) valBuf() *[]valCell {
	if rd.sc == nil {
		return nil
	}
	return &rd.sc.vals
}

func (rd *reader) setValue(v *Value, c valCell, method Method) {
	*v = Value{Kind: c.p.kind, N: c.p.n, Raw: trimSpace(c.cell.Text), Pos: c.cell.Pos, Note: c.p.note, Method: method}
}

// methodFor tells a value read from one line of a clean grid from one assembled across lines.
func methodFor(r logicalRow) Method {
	if r.lines > 1 {
		return ByReassembly
	}
	return ByGrid
}

// ---- Table 3 ----

func (rd *reader) readTable3(reg region) {
	read := rd.read("table3", reg)
	if !reg.found() || rd.readSquashedT3(reg, read) {
		return
	}
	asm := assembler{want: NumT3Cols, grid: gridOf(rd.lines[reg.start:reg.end], NumT3Cols), holds: t3ApplicantsHold}
	if rd.sc != nil {
		// A row takes one line at least.
		asm.buf = &rd.sc.vals
		asm.out = slices.Grow(rd.sc.rows[:0], reg.end-reg.start)
	}
	for i := reg.start; i < reg.end; i++ {
		if !isPageFooter(&rd.lines[i]) {
			asm.feed(&rd.lines[i])
		}
	}
	rows := asm.finish()
	if rd.sc != nil {
		rd.sc.rows = rows[:0]
	}
	rows, blocks := mergeColumnBlocks(rows)
	rows = transposeT3(rd.lines[reg.start:reg.end], rows)
	order := columnOrder{}
	if blocks != nil {
		order = rd.blockColumnOrder(reg, blocks)
	}
	if !order.any() {
		order = rd.t3ColumnOrder(reg)
	}
	if order.any() {
		for _, r := range rows {
			order.apply(r.vals)
		}
		order.report(rd, "表三")
	}
	last := -1
	var short []shortRow
	// misfit holds, per row, where a row with a count of values no Table 3 row has (0 to 5: a
	// header or 合计 row of another table in the region, such as applications by department)
	// was read; a full row of the same label later takes its place.
	var misfit [NumT3Rows]string
	for i, r := range rows {
		row, ok := matchT3Row(r.label, last)
		place := r.labelPos.String()
		if place == "" && len(r.vals) > 0 {
			place = r.vals[0].cell.Pos.String()
		}
		if !ok && t3GroupHeading(r.label) {
			// A group's heading on a row of its own names no cell of the form, and never a row by
			// approximation (不予公开 is one character from 予以公开): its sub-rows hold the numbers.
			if !allBlank(r.vals) {
				rd.rep.add(Finding{Rule: RuleSRowLabel, Severity: SevInfo, Status: "resolved", Place: place,
					Message: fmt.Sprintf("表三 分组标题行“%s”上的%d个数值是该组的小计，不是表中的单元格，未采用", clip(r.label), len(r.vals))})
			}
			continue
		}
		if !ok {
			row, ok = rd.fuzzyT3Row(r.label, last, place)
		}
		if !ok && len(r.vals) == NumT3Cols {
			continue // an unlabelled row: placeUnlabelled places it by the form's order
		}
		if !ok {
			rd.rep.add(Finding{Rule: RuleSRowLabel, Severity: SevWarning, Status: "uncertain", Place: place,
				Message: fmt.Sprintf("表三 第%s处有一行%d个数值，行标签“%s”无法对应到表三的任何一行，未采用", place, len(r.vals), clip(r.label))})
			continue
		}
		if row == RowOtherTotal && allBlank(r.vals) && i+1 < len(rows) && otherSubRow(rows[i+1].label, row) {
			// The 2021 （六）其他处理 heading on a row of its own, its cells left empty: the sub-rows
			// under it hold the numbers.
			continue
		}
		if !t3After(row, last) {
			rd.rep.add(Finding{Rule: RuleSRowOrder, Severity: SevWarning, Status: "uncertain", Place: place,
				Message: fmt.Sprintf("表三 “%s”行出现在“%s”行之后，顺序与格式不符", T3Rows[row].CN, T3Rows[last].CN)})
		}
		if fits := len(r.vals) >= NumT3Cols-1; rd.rep.T3[row][0].Kind != Absent && (misfit[row] != "") != !fits {
			// One of the two is another table's row (too few values to be Table 3's): the
			// other is read.
			if !fits {
				rd.rep.add(Finding{Rule: RuleSRowLabel, Severity: SevWarning, Status: "uncertain", Place: place,
					Message: fmt.Sprintf("表三 第%s处的“%s”与已读的“%s”行同名，但只有%d个数值，应是表格区域内另一张表的行，未采用", place, clip(r.label), T3Rows[row].CN, len(r.vals))})
				continue
			}
			rd.dropFinding(RuleSRowValues, misfit[row])
			rd.rep.add(Finding{Rule: RuleSRowLabel, Severity: SevWarning, Status: "uncertain", Place: misfit[row],
				Message: fmt.Sprintf("表三 第%s处与“%s”行同名的一行数值个数不符，应是表格区域内另一张表的行，按%s处的完整行读取", misfit[row], T3Rows[row].CN, place)})
			misfit[row] = ""
			for c := range rd.rep.T3[row] {
				rd.rep.T3[row][c] = Value{}
			}
		}
		if rd.rep.T3[row][0].Kind != Absent {
			rd.rep.add(Finding{Rule: RuleSRowDuplicate, Severity: SevError, Status: "uncertain", Place: place,
				Cells:   rowPaths(row),
				Message: fmt.Sprintf("表三 “%s”行出现两次（第二次在%s），两处数值均未采用", T3Rows[row].CN, place)})
			for c := range rd.rep.T3[row] {
				rd.rep.T3[row][c] = Value{Kind: Text, Raw: "(duplicate row)", Pos: rd.rep.T3[row][c].Pos}
			}
			continue
		}
		if t3After(row, last) {
			last = row
		}
		rd.rep.T3Labels[row] = r.label
		blankLast := false
		if len(r.vals) == NumT3Cols {
			// A row one cell short in the source: placed below. Rows shorter still keep their
			// padding, read as blanks as before (the identities then flag shifted numbers).
			if v := dropPads(r.vals); len(v) == NumT3Cols-1 && plainVals(v) {
				r.vals = v
			} else if trailingBlankShort(r.vals) {
				r.vals, blankLast = r.vals[:NumT3Cols-1], true
			}
		}
		if len(r.vals) == NumT3Cols-1 && plainVals(r.vals) {
			// One cell short: which column is missing the identities decide once every row
			// is read (placeShortRows); until then the row is unreadable.
			rd.unreadable(rd.rep.T3[row][:], r.vals)
			short = append(short, shortRow{row: row, place: place, vals: slices.Clone(r.vals), label: r.label, blankLast: blankLast})
			continue
		}
		if len(r.vals) != NumT3Cols {
			if len(r.vals) < NumT3Cols-1 {
				misfit[row] = place
			}
			rd.rep.add(Finding{Rule: RuleSRowValues, Severity: SevError, Status: "not_assessable", Place: place,
				Cells:   rowPaths(row),
				Message: fmt.Sprintf("表三 “%s”行读到%d个数值（应为7个），该行数值未采用", clip(r.label), len(r.vals))})
			rd.unreadable(rd.rep.T3[row][:], r.vals)
			continue
		}
		m := methodFor(r)
		for c, v := range r.vals {
			rd.setValue(&rd.rep.T3[row][c], v, m)
			if v.p.issue != issueNone {
				rd.noteIssue(&rd.rep.T3[row][c], v.p.issue, T3Path(row, c), t3CellLabel(row, c), "T3")
			}
		}
		read.count(m, NumT3Cols)
		switch {
		case row >= RowOtherNoCorrection && row <= RowOtherOther:
			rd.t3Version = mergeVersion(rd.t3Version, Gov2021)
		case row == RowOtherTotal:
			rd.t3Version = mergeVersion(rd.t3Version, Gov2019)
		}
	}
	rd.placeUnlabelled(rows)
	rd.placeShortRows(short)
	rd.suggestBlanks("T3.", rd.t3Version)
}

// t3GroupHeadings are the headings of Table 3's groups of sub-rows that name no row themselves
// (（六）其他处理 is the 2019 format's row, and otherSubRow tells its heading apart).
var t3GroupHeadings = []string{"不予公开", "无法提供", "不予处理"}

// t3GroupHeading reports whether a label ends with a group's heading after its last ordinal
// ("三、本年度办理结果 （三）不予公开").
func t3GroupHeading(label string) bool {
	s := normLabel(label)
	tail := s[ordinalEnd(s):]
	for _, h := range t3GroupHeadings {
		if tail == h {
			return true
		}
	}
	return false
}

// otherSubRow reports whether a label names one of the 2021 sub-rows of （六）其他处理.
func otherSubRow(label string, after int) bool {
	row, ok := matchT3Row(label, after)
	return ok && row >= RowOtherNoCorrection && row <= RowOtherOther
}

func rowPaths(row int) []string {
	out := make([]string, NumT3Cols)
	for c := range out {
		out[c] = T3Path(row, c)
	}
	return out
}

// mergeVersion adds a format seen in a table to the formats seen before; saw is "" for a value that
// both formats print.
func mergeVersion(have, saw string) string {
	switch {
	case saw == "":
		return have
	case have == "" || have == saw:
		return saw
	default:
		return "mixed"
	}
}

// ---- Table 2 ----

// t2Column is a column of a Table 2 block as its header states it.
type t2Column struct {
	key  string
	yuan bool // the header gives the amount in 元
	unit bool // the header states a money unit, 元 or 万元
	pos  extract.Pos
}

// defaultT2Columns are the 2021 columns of a row, for blocks whose header is missing.
func defaultT2Columns(row string, n int) []t2Column {
	switch row {
	case "rules", "normative_documents":
		return []t2Column{{key: "issued"}, {key: "repealed"}, {key: "in_force"}}
	case "admin_fees":
		if n == 2 {
			return []t2Column{{key: "prior_year_items"}, {key: "change"}}
		}
		return []t2Column{{key: "amount_wan_yuan"}}
	case "central_procurement":
		return []t2Column{{key: "projects"}, {key: "amount_wan_yuan"}}
	default:
		if n == 3 {
			return []t2Column{{key: "prior_year_items"}, {key: "change"}, {key: "decisions"}}
		}
		return []t2Column{{key: "decisions"}}
	}
}

func (rd *reader) readTable2(reg region) {
	read := rd.read("table2", reg)
	if !reg.found() || rd.readSquashedT2(reg, read) {
		return
	}
	var cols []t2Column
	haveHeader := false
	var pendingLabel string
	var pendingPos extract.Pos
	var pendingVals []valCell
	var pendingLines int
	var pendingLn *line // the line of the pending values when they are on one line, else nil
	blockStart := reg.start
	flush := func() {
		// The next row reuses pendingVals' array: setValue copied what this one needed.
		defer func() { pendingLabel, pendingVals, pendingLines, pendingLn = "", pendingVals[:0], 0, nil }()
		row, ok := matchT2Row(pendingLabel)
		if !ok || len(pendingVals) == 0 {
			return
		}
		use := cols
		if !haveHeader || !columnsFit(row, cols) {
			use = defaultT2Columns(row, len(pendingVals))
		}
		if pendingLn != nil && pendingLn.aligned && len(filledVals(pendingVals)) != len(use) {
			// Blank cells or a number grouped by spaces in aligned text: the block's full rows
			// show where its columns lie (see alignedRow).
			end := blockStart
			for end < reg.end {
				if _, ok := t2Header(&rd.lines[end]); ok {
					break
				}
				end++
			}
			if fit, ok := alignedRow(pendingLn, pendingVals, gridOf(rd.lines[blockStart:end], len(use)), len(use), nil); ok {
				pendingVals = fit
			}
		}
		vals := trimVals(pendingVals, len(use))
		place := pendingPos.String()
		if len(vals) != len(use) {
			rd.rep.add(Finding{Rule: RuleSRowValues, Severity: SevError, Status: "not_assessable", Place: place,
				Message: fmt.Sprintf("表二 “%s”行读到%d个数值，表头有%d列，该行数值未采用", clip(pendingLabel), len(vals), len(use))})
			return
		}
		m := ByGrid
		if pendingLines > 1 {
			m = ByReassembly
		}
		for i, col := range use {
			f, ok := t2Index(row, col.key)
			if !ok {
				continue
			}
			v := vals[i]
			note := v.p.note // from the cell, or from an annotation line under it
			v.p = parseNumber(v.cell.Text, T2[f].Amount, T2[f].Signed)
			if v.p.note == "" {
				v.p.note = note
			}
			if T2[f].Amount && col.yuan && v.p.issue == issueNone && v.p.kind.Known() {
				// The header says 元: the number is in 元 although the column is 万元.
				v.p = parseNumber(v.cell.Text+"元", true, false)
			}
			if rd.rep.T2[f].Kind != Absent {
				rd.rep.add(Finding{Rule: RuleSRowDuplicate, Severity: SevWarning, Status: "uncertain", Place: v.cell.Pos.String(),
					Cells: []string{T2[f].Path()}, Message: fmt.Sprintf("表二 “%s”%s出现两次，采用第一次的值", T2[f].RowCN, T2[f].ColCN)})
				continue
			}
			rd.setValue(&rd.rep.T2[f], v, m)
			if v.p.issue != issueNone {
				rd.noteIssue(&rd.rep.T2[f], v.p.issue, T2[f].Path(), T2[f].Label(), "T2")
			}
			rd.t2Unit[f] = rd.t2Unit[f] || col.unit
			read.count(m, 1)
			rd.t2Version = mergeVersion(rd.t2Version, T2[f].Marks())
		}
	}
	lastWasHeader := false
	for i := reg.start; i < reg.end; i++ {
		ln := &rd.lines[i]
		if hdr, ok := t2Header(ln); ok {
			flush()
			if lastWasHeader {
				// One header cell per line: the columns continue.
				cols = append(cols, hdr...)
			} else {
				cols = hdr
			}
			haveHeader, lastWasHeader = true, true
			blockStart = i + 1
			continue
		}
		lastWasHeader = false
		if attachNotes(ln, pendingVals) {
			continue
		}
		label, pos, vals := splitLine(ln, rd.valBuf())
		if label != "" {
			if _, isRow := matchT2Row(label); !isRow {
				continue // block headings 第二十条第（N）项, notes
			}
			flush()
			pendingLabel, pendingPos = label, pos
		}
		if pendingLabel == "" || len(trimVals(vals, 1)) == 0 {
			continue
		}
		pendingLines++
		pendingLn = nil
		if pendingLines == 1 {
			pendingLn = ln
		}
		pendingVals = append(pendingVals, vals...)
	}
	flush()
}

// unstatedUnits flags an amount whose unit the form leaves open (UnitOpen) when neither its header
// nor its cell states one: the number is kept, read as 万元, and the finding says it may be in 元,
// ten thousand times smaller.
func (rd *reader) unstatedUnits() {
	for f := range T2 {
		v := &rd.rep.T2[f]
		if !T2[f].UnitOpen() || v.Kind != Numeric || rd.t2Unit[f] || strings.Contains(v.Raw, "元") {
			continue
		}
		rd.rep.add(Finding{Rule: RuleT2Unit, Severity: SevWarning, Status: "uncertain", Place: v.Pos.String(), Cells: []string{T2[f].Path()},
			Message: fmt.Sprintf("%s 的表头和单元格均未注明单位（%s），按万元读取；若原为元，则读数大了一万倍", T2[f].Label(), v.Raw)})
	}
}

// attachNotes keeps an annotation that a converter put on a line of its own under a number (the
// second line of the cell "22（其中修订 16 件）", §7.8) as the note of that number: the annotation sits
// in the same column as the number, one cell after the row's label.
// It reports whether the line was such an annotation line.
func attachNotes(ln *line, vals []valCell) bool {
	if len(vals) == 0 || !strings.Contains(ln.norm, "其中") {
		return false
	}
	notes := map[int]string{}
	for i, c := range ln.cells {
		text := trimSpace(c.Text)
		if text == "" || c.Copy {
			continue
		}
		inner, ok := strings.CutPrefix(strings.ReplaceAll(text, "(", "（"), "（")
		inner, closed := strings.CutSuffix(strings.ReplaceAll(inner, ")", "）"), "）")
		if !ok || !closed || !strings.HasPrefix(inner, "其中") || i == 0 || i > len(vals) {
			return false
		}
		notes[i-1] = inner
	}
	for i, note := range notes {
		if vals[i].p.note == "" {
			vals[i].p.note = note
		}
	}
	return len(notes) > 0
}

// columnsFit reports whether a header's columns belong to the row's block.
func columnsFit(row string, cols []t2Column) bool {
	for _, c := range cols {
		if _, ok := t2Index(row, c.key); ok {
			return true
		}
	}
	return false
}

// t2Header recognises a Table 2 header line (信息内容 | 本年制发件数 | …) and returns its columns.
func t2Header(ln *line) ([]t2Column, bool) {
	for _, c := range ln.cells {
		if _, isNumber := plainCount(c.Text); isNumber && !c.Copy {
			return nil, false // a data row; the usual case, settled before any label is normalised
		}
	}
	var cols []t2Column
	sawContent := false
	for _, c := range ln.cells {
		if c.Copy {
			continue
		}
		n := normLabel(c.Text)
		if n == "" {
			continue
		}
		if multi := t2HeaderCells(n, c.Pos); len(multi) >= 2 {
			// A header copied without tabs is one cell of several column names.
			sawContent = sawContent || strings.Contains(n, "信息内容")
			cols = append(cols, multi...)
			continue
		}
		if strings.Contains(n, "信息内容") {
			sawContent = true
			continue
		}
		key, yuan, ok := matchT2Col(n)
		if !ok {
			if p := parseNumber(c.Text, false, false); p.kind != Text {
				return nil, false // a data row
			}
			continue
		}
		cols = append(cols, t2Column{key: key, yuan: yuan, unit: strings.Contains(n, "元"), pos: c.Pos})
	}
	return cols, len(cols) > 0 || sawContent
}

// t2HeaderCells reads the columns of a header cell that names several of them ("信息内容 本年新制作数量
// 本年新公开数量 对外公开总数量", a header line copied with spaces for tabs), in their order: each
// column runs from its name to the next one's, where its unit is stated. It returns nil unless the
// cell names two columns or more, so a cell of one column is read as a whole.
func t2HeaderCells(n string, pos extract.Pos) []t2Column {
	type hit struct {
		key   string
		start int
	}
	var hits []hit
	for i := 0; i < len(n); {
		best := ""
		for _, f := range t2ColFragments {
			if len(f.text) > len(best) && strings.HasPrefix(n[i:], f.text) {
				best = f.text
			}
		}
		if best == "" {
			_, w := utf8.DecodeRuneInString(n[i:])
			i += w
			continue
		}
		col, _, _ := matchT2Col(best)
		if len(hits) > 0 && hits[len(hits)-1].key == col {
			i += len(best) // two names of one column ("对外公开总" in "对外公开总数")
			continue
		}
		hits = append(hits, hit{key: col, start: i})
		i += len(best)
	}
	if len(hits) < 2 {
		return nil
	}
	cols := make([]t2Column, len(hits))
	for k, h := range hits {
		end := len(n)
		if k+1 < len(hits) {
			end = hits[k+1].start
		}
		seg := n[h.start:end]
		yuan := h.key == "amount_wan_yuan" && strings.Contains(seg, "元") && !strings.Contains(seg, "万元")
		cols[k] = t2Column{key: h.key, yuan: yuan, unit: strings.Contains(seg, "元"), pos: pos}
	}
	return cols
}

// ---- Table 4 ----

func (rd *reader) readTable4(reg region) {
	read := rd.read("table4", reg)
	if !reg.found() {
		return
	}
	var all []valCell
	if rd.sc != nil {
		all = rd.sc.t4[:0]
		defer func() { rd.sc.t4 = all[:0] }()
	}
	var full []valCell   // a line that holds all fifteen values by itself
	var second []valCell // a later such line with other values
	cutL, cutR := false, false
	lines := 0
	for i := reg.start; i < reg.end; i++ {
		_, _, vals := splitLine(&rd.lines[i], rd.valBuf())
		vals = trimVals(vals, 5)
		if len(vals) == 0 {
			continue
		}
		lines++
		if cs := rd.lines[i].cells; len(cs) > 0 {
			// A row that runs off the page (extract.Cell.Cut) says on which side; its blank
			// end cells were trimmed from vals.
			cutL, cutR = cutL || cs[0].Cut, cutR || cs[len(cs)-1].Cut
		}
		if t := trimVals(vals, NumT4); len(t) == NumT4 {
			switch {
			case full == nil:
				full = t
			case second == nil && !sameParsed(full, t):
				second = t // another full row that says otherwise: last year's copy, another body's table
			}
		}
		all = append(all, vals...)
	}
	var use []valCell
	m := ByGrid
	switch {
	case len(all) == NumT4:
		use = all
		if lines > 1 {
			m = ByReassembly
		}
	case full != nil && second != nil:
		// Two full rows and no caption to tell which is the report's: T4.SUM decides when only
		// one of them holds; otherwise neither is taken.
		switch a, b := t4SumHolds(full), t4SumHolds(second); {
		case a && !b:
			use = full
		case b && !a:
			use = second
		default:
			rd.rep.add(Finding{Rule: RuleSRowDuplicate, Severity: SevError, Status: "not_assessable", Place: full[0].cell.Pos.String(),
				Message: fmt.Sprintf("表四 有两行完整的15个数值且不相同（%s处和%s处），无法判断哪一行是本报告的，表四数值未采用",
					full[0].cell.Pos, second[0].cell.Pos)})
			rd.unreadable(rd.rep.T4[:], full)
			return
		}
		rd.rep.add(Finding{Rule: RuleSRowDuplicate, Severity: SevWarning, Status: "uncertain", Place: use[0].cell.Pos.String(),
			Message: fmt.Sprintf("表四 有两行完整的15个数值且不相同，按符合“总计=各项之和”的一行（%s处）读取，请核对", use[0].cell.Pos)})
	case full != nil:
		use = full
	case len(all) > 0 && len(all) < NumT4 && (cutL || cutR):
		rd.readCutT4(all, read, cutL, cutR)
		return
	default:
		if rd.readSquashedT4(reg, read) {
			return
		}
		if len(all) > 0 {
			rd.rep.add(Finding{Rule: RuleSRowValues, Severity: SevError, Status: "not_assessable", Place: all[0].cell.Pos.String(),
				Message: fmt.Sprintf("表四 读到%d个数值（应为15个），表四数值未采用", len(all))})
			rd.unreadable(rd.rep.T4[:], all)
		}
		return
	}
	if order := rd.t4ColumnOrder(reg); order.any() {
		order.apply(use)
		order.report(rd, "表四")
	}
	for i, v := range use {
		rd.setValue(&rd.rep.T4[i], v, m)
		if v.p.issue != issueNone {
			rd.noteIssue(&rd.rep.T4[i], v.p.issue, T4Path(i), T4Label(i), "T4")
		}
	}
	read.count(m, NumT4)
	rd.suggestBlanks("T4.", "")
}

// rawOffPage is the text of a value that is in the table but off the page: there, unreadable.
const rawOffPage = "(页面外)"

// readCutT4 reads a Table 4 row that runs off the page (extract.Cell.Cut): its cells are whole
// cells, but those beyond the page's edge are lost, so the values keep their places from the other
// end of the row and the lost places are named, not guessed (the squashed-digit decoder would cut
// the visible numbers to fill them).
func (rd *reader) readCutT4(all []valCell, read *TableRead, cutL, cutR bool) {
	lost := NumT4 - len(all)
	if cutL && cutR {
		// Cut on both sides: no end of the row is whole to place the values from.
		paths := make([]string, NumT4)
		for i := range paths {
			paths[i] = T4Path(i)
		}
		rd.rep.add(Finding{Rule: RuleSRowValues, Severity: SevError, Status: "not_assessable", Place: all[0].cell.Pos.String(), Cells: paths,
			Message: fmt.Sprintf("表四 超出页面左右两侧边缘，只读到%d个数值（应为15个），无法确定各数值所在栏，表四数值未采用", len(all))})
		rd.unreadable(rd.rep.T4[:], all)
		return
	}
	at, side := lost, "左"
	if !cutL {
		at, side = 0, "右"
	}
	var paths, names []string
	for i := range NumT4 {
		k := i - at
		if k >= 0 && k < len(all) {
			if c := all[k].cell; c.Uncomputed && c.Cut {
				rd.rep.T4[i] = Value{Kind: Text, Raw: rawOffPage, Pos: c.Pos} // a number the edge cut
				continue
			}
			rd.setValue(&rd.rep.T4[i], all[k], ByGrid)
			continue
		}
		rd.rep.T4[i] = Value{Kind: Text, Raw: rawOffPage, Pos: all[0].cell.Pos}
		paths, names = append(paths, T4Path(i)), append(names, T4Label(i))
	}
	read.count(ByGrid, len(all))
	rd.rep.add(Finding{Rule: RuleSRowValues, Severity: SevWarning, Status: "not_assessable", Place: all[0].cell.Pos.String(), Cells: paths,
		Message: fmt.Sprintf("表四 超出页面%s边缘，只读到%d个数值（应为15个），按页面上的位置从%s端对齐读取；页面以外的%d栏未读到：%s", side, len(all), map[string]string{"左": "右", "右": "左"}[side], lost, strings.Join(names, "、"))})
}

// unreadable marks cells that were located but could not be read as one row, so that rules call
// them not assessable rather than missing.
func (rd *reader) unreadable(dst []Value, vals []valCell) {
	raw := make([]string, len(vals))
	for i, v := range vals {
		raw[i] = trimSpace(v.cell.Text)
	}
	joined := strings.Join(raw, " ")
	for i := range dst {
		pos := extract.Pos{}
		if len(vals) > 0 {
			pos = vals[0].cell.Pos
		}
		dst[i] = Value{Kind: Text, Raw: joined, Pos: pos}
	}
}

// t3CellLabel names a Table 3 cell in the form's words: 表三 “（一）予以公开”行 自然人列.
func t3CellLabel(row, col int) string {
	return fmt.Sprintf("表三 “%s”行%s列", T3Rows[row].CN, T3Cols[col].ShortCN)
}

// read returns the TableRead record of a table, creating it.
func (rd *reader) read(name string, reg region) *TableRead {
	tr := &TableRead{Found: reg.found()}
	if reg.found() {
		ln := rd.lines[reg.start]
		if len(ln.cells) > 0 {
			tr.Place = ln.cells[0].Pos.String()
		}
	}
	if rd.rep.Reads == nil {
		rd.rep.Reads = map[string]*TableRead{}
	}
	rd.rep.Reads[name] = tr
	return tr
}

func (tr *TableRead) count(m Method, n int) {
	tr.Cells += n
	if tr.ByMethod == nil {
		tr.ByMethod = map[string]int{}
	}
	tr.ByMethod[m.String()] += n
}

// issueFindings says, per parse issue of a number, which rule it breaks, how badly, and how to say
// so; the message format takes the cell's label and its text.
var issueFindings = map[string]struct {
	rules    [3]string // the rule in Table 2, 3 and 4
	severity Severity
	format   string
}{
	issueDecimal:   {[3]string{RuleT2Int, RuleT3Int, RuleT4Int}, SevError, "%s 为“%s”，件数应为整数"},
	issueYuan:      {[3]string{RuleT2Unit, RuleT3Unit, RuleT4Unit}, SevWarning, "%s 以“元”填报（%s），已换算为万元"},
	issueUnit:      {[3]string{RuleT2Unit, RuleT3Unit, RuleT4Unit}, SevWarning, "%s 填有金额单位（%s），该栏应为件数"},
	issueSign:      {[3]string{RuleT2NonNeg, RuleT3NonNeg, RuleT4NonNeg}, SevError, "%s 带正负号（%s），该栏不应有符号"},
	issuePrecision: {[3]string{RuleT2Unit, RuleT3Unit, RuleT4Unit}, SevInfo, "%s 小数超过6位（%s），已四舍五入"},
	issueNumeral:   {[3]string{RuleT2Numeral, RuleT3Numeral, RuleT4Numeral}, SevWarning, "%s 以汉字数字填写（“%s”），已按数字读取"},
	issueWan:       {[3]string{RuleT2Unit, RuleT3Unit, RuleT4Unit}, SevWarning, "%s 以“万”为单位填写（%s），已按×10000读取；原数可能经过四舍五入"},
}

// noteIssue turns a number's parse issue into a finding.
func (rd *reader) noteIssue(v *Value, issue, path, label, table string) {
	f, ok := issueFindings[issue]
	if !ok {
		return
	}
	t := map[string]int{"T2": 0, "T3": 1, "T4": 2}[table]
	rd.rep.add(Finding{Rule: f.rules[t], Severity: f.severity, Status: "fail", Place: v.Pos.String(),
		Cells: []string{path}, Message: fmt.Sprintf(f.format, label, v.Raw)})
}

// clip shortens a label for a message.
func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// sameParsed reports whether two rows of values read the same.
func sameParsed(a, b []valCell) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].p.kind != b[i].p.kind || a[i].p.n != b[i].p.n {
			return false
		}
	}
	return true
}

// t4SumHolds reports whether a row of Table 4's fifteen values keeps T4.SUM in each of its three
// blocks (维持+纠正+其他+尚未审结=总计), every value known.
func t4SumHolds(v []valCell) bool {
	for b := 0; b+5 <= len(v); b += 5 {
		var sum int64
		for _, c := range v[b : b+5] {
			if !c.p.kind.Known() {
				return false
			}
		}
		for _, c := range v[b : b+4] {
			sum += c.p.n
		}
		if sum != v[b+4].p.n {
			return false
		}
	}
	return len(v) == NumT4
}

// dropFinding removes the report's finding of rule at place: what it said was resolved since.
func (rd *reader) dropFinding(rule, place string) {
	fs := rd.rep.Findings
	for i := range fs {
		if fs[i].Rule == rule && fs[i].Place == place {
			rd.rep.Findings = append(fs[:i], fs[i+1:]...)
			return
		}
	}
}
