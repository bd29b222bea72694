package transform

import (
	"fmt"
	"hash/maphash"
	"strings"
)

// Text of a PDF taken by pdftotext without -layout (report-format.md §7.2). For a ruled table
// poppler prints one cell per line but reads the page in blocks: every column of a table is a block
// of its own, cut wherever a taller row (a wrapped label) or a page break leaves a gap, with the
// header words above it at its top; header cells joined by a spanning header make one block of
// several columns, read row by row; and the blocks come in reading order, column after column,
// interleaved with the blocks of the neighbouring tables. So the numbers of Table 3 arrive column
// by column, in pieces, and a row's label sits far from its numbers.
//
// What stays true is what the layout rules guarantee: within a column, pieces come top to bottom;
// among the pieces of one band of rows, columns come left to right; header words name the columns
// they stand over. readColumns rebuilds the grid from those facts alone, trying every
// arrangement they allow, and lets the identities (T3.APPLICANTS, T3.BALANCE, T3.RESULTS) choose
// among arrangements that print different numbers. A cell whose number still depends on the
// arrangement stays null with a finding naming the candidates.

// soupGroup is a run of header words and the run of numbers under them, inside one block.
type soupGroup struct {
	header string // the header words, joined without spaces and normalised
	vals   []valCell
	line   int // the line of the group's first token, for ordering and places
	place  string
}

// columnMajor reports whether Table 3's region reads column by column: a run of more than seven
// lines that each hold one number (a row of Table 3 has seven, a Table 4 row is not in the region).
func columnMajor(lines []line, reg region) bool {
	if !reg.found() {
		return false
	}
	run := 0
	for i := reg.start; i < reg.end; i++ {
		if isNumberLine(&lines[i]) {
			if run++; run > NumT3Cols {
				return true
			}
		} else if filled(&lines[i]) > 0 {
			run = 0
		}
	}
	return false
}

// isNumberLine: every filled cell of the line is a number (or a blank mark), and there is one.
func isNumberLine(ln *line) bool {
	n := 0
	for _, c := range ln.cells {
		if c.Copy || strings.TrimSpace(c.Text) == "" {
			continue
		}
		if p := parseNumber(c.Text, false, false); p.kind == Text {
			return false
		}
		n++
	}
	return n > 0
}

// soupGroups cuts lines [from, to) into groups. A block ends at a blank line (a gap in the line
// numbers); inside a block, text after numbers starts a new group.
func soupGroups(lines []line, from, to int) []soupGroup {
	var out []soupGroup
	var cur *soupGroup
	lastLine := -10
	for i := from; i < to; i++ {
		ln := &lines[i]
		if filled(ln) == 0 {
			continue
		}
		first := ln.cells[0].Pos.Line
		newBlock := first > lastLine+1 || first == 0
		for _, c := range ln.cells {
			if !c.Copy && c.Pos.Line > lastLine {
				lastLine = c.Pos.Line
			}
		}
		number := isNumberLine(ln)
		if cur == nil || newBlock || !number && len(cur.vals) > 0 {
			out = append(out, soupGroup{line: i})
			cur = &out[len(out)-1]
		}
		for _, c := range ln.cells {
			if c.Copy || strings.TrimSpace(c.Text) == "" {
				continue
			}
			if number {
				if cur.place == "" {
					cur.place = c.Pos.String()
				}
				cur.vals = append(cur.vals, valCell{cell: c, p: parseNumber(c.Text, false, false)})
			} else {
				cur.header += normLabel(c.Text)
			}
		}
	}
	return out
}

// t4Header: the group's header words are Table 4's (outcomes, the two kinds of case).
func t4Header(h string) bool {
	for _, w := range []string{"维持", "纠正", "审结", "尚未", "复议", "诉讼", "其他结果"} {
		if strings.Contains(h, w) {
			return true
		}
	}
	return strings.Contains(h, "结果") && !strings.Contains(h, "办理结") && !strings.Contains(h, "度办理")
}

// t3HeaderCols names the Table 3 columns whose header words a group carries, left to right.
func t3HeaderCols(h string) []int {
	h = strings.NewReplacer("法人或其他组织", "", "申请人情况", "", "本列数据", "").Replace(h)
	keys := [NumT3Cols][]string{{"自然人"}, {"商业"}, {"科研"}, {"社会", "公益"}, {"法律"}, {"其他"}, {"总计"}}
	var out []int
	for c, ks := range keys {
		for _, k := range ks {
			if strings.Contains(h, k) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// t2ColumnOf maps a Table 2 column header to its column key; "" when the words are no such header.
func t2ColumnOf(h string) string {
	for _, c := range []struct{ word, key string }{
		{"本年制发件数", "issued"}, {"本年废止件数", "repealed"}, {"现行有效件数", "in_force"},
		{"本年新制作数量", "newly_made"}, {"本年新公开数量", "newly_published"}, {"对外公开总数量", "published_total"},
		{"上一年项目数量", "prior_year_items"}, {"增/减", "change"}, {"增减", "change"},
		{"采购项目数量", "projects"}, {"采购总金额", "amount_wan_yuan"},
		{"收费金额", "amount_wan_yuan"}, {"处理决定数量", "decisions"},
	} {
		if strings.Contains(h, c.word) {
			return c.key
		}
	}
	return ""
}

// readColumns reads Tables 2, 3 and 4 from pdftotext's column-major text. It returns false when
// the document is not of that kind.
func (rd *reader) readColumns(t2, t3, t4 region, hs []heading) bool {
	if !columnMajor(rd.lines, t3) {
		return false
	}
	from := t3.start
	if t2.found() && t2.start < from {
		from = t2.start
	}
	// The tables' blocks run on past the next headings, up to section 五.
	to := len(rd.lines)
	for _, h := range hs {
		if h.sec >= 5 && h.line > t3.start && h.line < to {
			to = h.line
		}
	}
	groups := soupGroups(rd.lines, from, to)
	version := Gov2021
	var text strings.Builder
	for i := t3.start; i < to; i++ {
		text.WriteString(rd.lines[i].norm)
	}
	if s := text.String(); !strings.Contains(s, "逾期不补正") && !strings.Contains(s, "收费通知") && strings.Contains(s, "其他处理") {
		version = Gov2019
	}
	t3Start := t3.start
	var t2g, t3g []soupGroup
	var t4vals []valCell
	t4Run, singles := false, 0
	for _, g := range groups {
		switch {
		case len(g.vals) == 0:
			// Header words alone: Table 4's outcome headers stand in their own blocks over their
			// numbers, and so may 总计 or 其他 after them.
			t4Run = g.line >= t3Start && (t4Header(g.header) || t4Run && len(t3HeaderCols(g.header)) <= 1 && g.header != "")
			if t4Run {
				singles = 5
			}
			continue
		case t2ColumnOf(g.header) != "":
			t2g = append(t2g, g)
		case g.line < t3Start:
			t2g = append(t2g, g) // a column of Table 2 without its header: reported by readT2Columns
		case t4Header(g.header):
			t4vals = append(t4vals, g.vals...)
			t4Run, singles = true, 0
			continue
		case g.header == "" && len(g.vals) == 1 && t4Run && singles > 0:
			t4vals = append(t4vals, g.vals...)
			singles--
			continue
		case len(g.vals) == 1 && t4Run && len(t3HeaderCols(g.header)) == 1:
			// 总计 or 其他 over one number, right after Table 4's blocks: Table 4's last outcome.
			t4vals = append(t4vals, g.vals...)
			continue
		default:
			t3g = append(t3g, g)
		}
		t4Run = false
	}
	rd.readT2Columns(rd.read("table2", t2), t2g)
	rd.readT3Columns(rd.read("table3", t3), t3g, version)
	rd.readT4Columns(rd.read("table4", t4), t4vals)
	return true
}

// readT2Columns places Table 2's column blocks: each names its column in its header, and its
// numbers are the rows of its 第二十条 block top to bottom. Blocks with the same header and as many
// numbers come in the order of the form's blocks.
func (rd *reader) readT2Columns(read *TableRead, groups []soupGroup) {
	version := Gov2021
	for _, g := range groups {
		switch t2ColumnOf(g.header) {
		case "newly_made", "newly_published", "published_total", "prior_year_items", "change", "projects":
			version = Gov2019
		}
	}
	// The rows of every block, by column, in the form's order: each target is one column of one
	// 第二十条 block, its fields top to bottom.
	type target struct {
		fields []int
		used   bool
	}
	inFormat := func(f T2Field) bool {
		return f.Version == version || version == Gov2019 && f.Col == "decisions"
	}
	byCol := map[string][]*target{}
	made := map[string]*target{}
	for i, f := range T2 {
		if !inFormat(f) {
			continue
		}
		t := made[f.Block+"|"+f.Col]
		if t == nil {
			t = &target{}
			made[f.Block+"|"+f.Col] = t
			byCol[f.Col] = append(byCol[f.Col], t)
		}
		t.fields = append(t.fields, i)
	}
	for _, g := range groups {
		col := t2ColumnOf(g.header)
		var t *target
		for _, cand := range byCol[col] {
			if !cand.used && len(cand.fields) == len(g.vals) {
				t = cand
				break
			}
		}
		if t == nil {
			rd.rep.add(Finding{Rule: "S.ROW_VALUES", Severity: SevWarning, Status: "uncertain", Place: g.place,
				Message: fmt.Sprintf("表二 第%s处有%d个数值（表头“%s”），无法对应到表二的栏目，未采用", g.place, len(g.vals), clip(g.header))})
			continue
		}
		t.used = true
		for i, f := range t.fields {
			v := g.vals[i]
			v.p = parseNumber(v.cell.Text, T2[f].Amount, T2[f].Signed)
			rd.setValue(&rd.rep.T2[f], v, ByReassembly)
			if v.p.issue != issueNone {
				rd.noteIssue(&rd.rep.T2[f], v.p.issue, T2[f].Path(), T2[f].Label(), "T2")
			}
			read.count(ByReassembly, 1)
		}
		rd.t2Version = mergeVersion(rd.t2Version, version)
	}
}

// readT4Columns takes Table 4's fifteen numbers in reading order: its one row of values is read
// left to right, whatever blocks of Table 3 come between.
func (rd *reader) readT4Columns(read *TableRead, vals []valCell) {
	if len(vals) == 0 {
		return
	}
	if len(vals) != NumT4 {
		rd.rep.add(Finding{Rule: "S.ROW_VALUES", Severity: SevError, Status: "not_assessable", Place: vals[0].cell.Pos.String(),
			Message: fmt.Sprintf("表四 读到%d个数值（应为15个），表四数值未采用", len(vals))})
		rd.unreadable(rd.rep.T4[:], vals)
		return
	}
	for i, v := range vals {
		rd.setValue(&rd.rep.T4[i], v, ByReassembly)
		if v.p.issue != issueNone {
			rd.noteIssue(&rd.rep.T4[i], v.p.issue, T4Path(i), T4Label(i), "T4")
		}
	}
	read.count(ByReassembly, NumT4)
}

// ---- Table 3: the arrangement search ----

// colPiece is a group of Table 3 as the search places it.
type colPiece struct {
	g    soupGroup
	cols []int // the columns its header names; empty when it names none
}

// arrangement search limits: beyond them the table stays unread with a finding.
const (
	maxArrangeNodes = 400_000
	maxSolutions    = 8
)

type gridSolution struct {
	cells [][NumT3Cols]*valCell
	ok    bool // every assessable identity holds
}

type arranger struct {
	rows     int
	keys     []int // printed row → T3 row key
	pieces   []colPiece
	next     [NumT3Cols]int // next segment per column
	seg      []int          // segment lengths, top to bottom
	segStart []int
	grid     [][NumT3Cols]*valCell
	nodes    int
	capped   bool // the node limit was reached, or more solutions than maxSolutions exist
	prune    bool // check T3.APPLICANTS on every band as soon as it is complete
	seen     map[uint64]bool
	sols     map[uint64]*gridSolution
	seed     maphash.Seed
	hash     uint64 // of the placed cells and their texts
	gov2019  bool
}

func (a *arranger) cellHash(row, col int, v *valCell) uint64 {
	return maphash.String(a.seed, fmt.Sprintf("%d/%d/%d/%d", row, col, v.p.kind, v.p.n))
}

func (a *arranger) place(seg, col int, vals []valCell, stride, offset int) {
	for i := 0; i < a.seg[seg]; i++ {
		v := &vals[i*stride+offset]
		a.grid[a.segStart[seg]+i][col] = v
		a.hash += a.cellHash(a.segStart[seg]+i, col, v)
	}
}

func (a *arranger) unplace(seg, col int) {
	for i := 0; i < a.seg[seg]; i++ {
		r := a.segStart[seg] + i
		a.hash -= a.cellHash(r, col, a.grid[r][col])
		a.grid[r][col] = nil
	}
}

// rowHolds checks T3.APPLICANTS on a complete row; rows with blanks or text are not assessable.
func (a *arranger) rowHolds(r int) bool {
	var sum int64
	for c := 0; c < NumT3Cols; c++ {
		v := a.grid[r][c]
		if v == nil || !v.p.kind.Known() {
			return true
		}
		if c < ColTotal {
			sum += v.p.n
		}
	}
	return sum == a.grid[r][ColTotal].p.n
}

// columnsHold checks T3.BALANCE and T3.RESULTS on the complete grid.
func (a *arranger) columnsHold() bool {
	at := map[int]int{}
	for i, k := range a.keys {
		at[k] = i
	}
	for c := 0; c < NumT3Cols; c++ {
		val := func(r int) (int64, bool) {
			v := a.grid[r][c]
			return v.p.n, v.p.kind.Known()
		}
		nr, ok1 := val(at[RowNewReceived])
		co, ok2 := val(at[RowCarriedOver])
		tp, ok3 := val(at[RowTotalProcessed])
		cf, ok4 := val(at[RowCarriedForward])
		if ok1 && ok2 && ok3 && ok4 && nr+co != tp+cf {
			return false
		}
		var sum int64
		known := ok3
		for r := at[RowGranted]; r < at[RowTotalProcessed] && known; r++ {
			n, ok := val(r)
			sum, known = sum+n, ok
		}
		if known && sum != tp {
			return false
		}
	}
	return true
}

func (a *arranger) search(i int) {
	if a.capped {
		return
	}
	if a.nodes++; a.nodes > maxArrangeNodes {
		a.capped = true
		return
	}
	key := a.hash*31 + uint64(i)
	for c := 0; c < NumT3Cols; c++ {
		key = key*131 + uint64(a.next[c])
	}
	for _, s := range a.seg {
		key = key*257 + uint64(s)
	}
	if a.seen[key] {
		return
	}
	a.seen[key] = true
	if i == len(a.pieces) {
		total := 0
		for _, s := range a.seg {
			total += s
		}
		if total != a.rows {
			return
		}
		for c := 0; c < NumT3Cols; c++ {
			if a.next[c] != len(a.seg) {
				return
			}
		}
		if _, dup := a.sols[a.hash]; !dup {
			if len(a.sols) == maxSolutions {
				a.capped = true
				return
			}
			cells := make([][NumT3Cols]*valCell, a.rows)
			copy(cells, a.grid)
			a.sols[a.hash] = &gridSolution{cells: cells, ok: a.columnsHold()}
		}
		return
	}
	p := a.pieces[i]
	L := len(p.g.vals)
	// The piece goes to the next column of some band of rows: the first column that has not yet
	// reached that band below it, provided it has finished every band above.
	for s := 0; s <= len(a.seg); s++ {
		c := 0
		for c < NumT3Cols && a.next[c] > s {
			c++
		}
		if c == NumT3Cols || a.next[c] != s {
			continue
		}
		if len(p.cols) > 0 && p.cols[0] != c {
			continue
		}
		newSeg := s == len(a.seg)
		if newSeg {
			start := 0
			for _, l := range a.seg {
				start += l
			}
			if start+L > a.rows {
				continue
			}
			a.seg = append(a.seg, L)
			a.segStart = append(a.segStart, start)
		} else if a.seg[s] != L {
			continue
		}
		a.place(s, c, p.g.vals, 1, 0)
		a.next[c]++
		ok := true
		if a.prune && a.bandComplete(s) {
			for r := a.segStart[s]; r < a.segStart[s]+a.seg[s] && ok; r++ {
				ok = a.rowHolds(r)
			}
		}
		if ok {
			a.search(i + 1)
		}
		a.next[c]--
		a.unplace(s, c)
		if newSeg {
			a.seg = a.seg[:len(a.seg)-1]
			a.segStart = a.segStart[:len(a.segStart)-1]
		}
	}
}

func (a *arranger) bandComplete(s int) bool {
	for c := 0; c < NumT3Cols; c++ {
		if a.next[c] <= s {
			return false
		}
	}
	return true
}

// readT3Columns rebuilds Table 3 from its column pieces.
func (rd *reader) readT3Columns(read *TableRead, groups []soupGroup, version string) {
	if len(groups) == 0 {
		return
	}
	rd.t3Version = version
	order := printedOrder(version)
	a := &arranger{rows: len(order), keys: order, seen: map[uint64]bool{}, sols: map[uint64]*gridSolution{},
		seed: maphash.MakeSeed(), gov2019: version == Gov2019}
	a.grid = make([][NumT3Cols]*valCell, a.rows)
	place := groups[0].place
	fail := func(why string) {
		rd.rep.add(Finding{Rule: "S.ROW_PLACEMENT", Severity: SevError, Status: "not_assessable", Place: place, Cells: pathsOfRows(order),
			Message: fmt.Sprintf("表三 按列排列的数值（PDF文本按列输出）无法还原为表格：%s，表三数值未采用", why)})
	}
	// Pieces under several column headers (a spanning header joined them) hold the top band of
	// those columns, read row by row; they are placed first, wherever they came.
	var merged []colPiece
	for _, g := range groups {
		p := colPiece{g: g, cols: t3HeaderCols(g.header)}
		if len(p.cols) > 1 {
			merged = append(merged, p)
			continue
		}
		a.pieces = append(a.pieces, p)
	}
	for _, m := range merged {
		k := len(m.cols)
		for i := 1; i < k; i++ {
			if m.cols[i] != m.cols[i-1]+1 {
				fail(fmt.Sprintf("第%s处一段数值的表头跨越不相邻的列", m.g.place))
				return
			}
		}
		if len(m.g.vals)%k != 0 {
			fail(fmt.Sprintf("第%s处%d列合并的一段有%d个数值，不能整除", m.g.place, k, len(m.g.vals)))
			return
		}
		n := len(m.g.vals) / k
		if len(a.seg) == 0 {
			a.seg, a.segStart = []int{n}, []int{0}
		}
		for j, c := range m.cols {
			if a.seg[0] != n || a.next[c] != 0 {
				fail(fmt.Sprintf("第%s处合并的一段与其他段的行数不一致", m.g.place))
				return
			}
			a.place(0, c, m.g.vals, k, j)
			a.next[c] = 1
		}
	}
	a.prune = true
	a.search(0)
	if len(a.sols) == 0 && !a.capped {
		// No arrangement keeps every row's identity: the report may have a wrong cell. Search
		// again without the row check, so that an arrangement the layout alone fixes is read.
		a.prune, a.seen, a.nodes = false, map[uint64]bool{}, 0
		a.search(0)
	}
	if a.capped {
		fail("可能的排列过多，无法唯一确定")
		return
	}
	var sols []*gridSolution
	for _, s := range a.sols {
		if s.ok {
			sols = append(sols, s)
		}
	}
	if len(sols) == 0 {
		// No arrangement makes every identity hold: the report itself may be wrong. An arrangement
		// that is the only one the layout allows is still read, and the rules then say what fails.
		for _, s := range a.sols {
			sols = append(sols, s)
		}
	}
	if len(sols) == 0 {
		fail("数值的个数或分段与表格的行列对不上")
		return
	}
	placed := 0
	for r, key := range order {
		for c := 0; c < NumT3Cols; c++ {
			v := sols[0].cells[r][c]
			same := true
			var cands []string
			seen := map[string]bool{}
			for _, s := range sols {
				w := s.cells[r][c]
				if t := strings.TrimSpace(w.cell.Text); !seen[t] {
					seen[t] = true
					cands = append(cands, t)
				}
				same = same && w.p.kind == v.p.kind && w.p.n == v.p.n
			}
			if !same {
				rd.rep.T3[key][c] = Value{Kind: Text, Raw: strings.Join(cands, "/"), Pos: v.cell.Pos}
				rd.rep.add(Finding{Rule: "S.ROW_PLACEMENT", Severity: SevWarning, Status: "uncertain", Place: v.cell.Pos.String(), Cells: []string{T3Path(key, c)},
					Message: fmt.Sprintf("%s 按列输出的数值有%d种排列都符合勾稽关系，可能为%s，未采用", t3CellLabel(key, c), len(sols), strings.Join(cands, "、"))})
				continue
			}
			rd.setValue(&rd.rep.T3[key][c], *v, ByPlacement)
			if v.p.issue != issueNone {
				rd.noteIssue(&rd.rep.T3[key][c], v.p.issue, T3Path(key, c), t3CellLabel(key, c), "T3")
			}
			placed++
		}
	}
	read.count(ByPlacement, placed)
	msg := "各列数值按表格的行列顺序还原"
	if len(a.sols) > 1 {
		msg = fmt.Sprintf("数值有%d种排列，由勾稽关系选定", len(a.sols))
	}
	rd.rep.add(Finding{Rule: "S.ROW_PLACEMENT", Severity: SevInfo, Status: "resolved", Place: place,
		Message: fmt.Sprintf("表三 PDF文本按列输出（每格一行、逐列分段），%s", msg)})
}
