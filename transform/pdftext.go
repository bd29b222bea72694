package transform

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/govreports/govreports/extract"
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
	page   int  // how many page starts precede it
	orphan bool // Table 2 numbers whose header stood at the foot of the page before
	block  int  // the block it belongs to: groups of one block share it
}

// columnMajor reports whether Table 3's region reads column by column: a run of more than seven
// lines that each hold one number (a row of Table 3 has seven, a Table 4 row is not in the region).
//
// When the region holds not even a row's numbers (they were read after the next heading), the
// rest of the document decides, by the same test.
func columnMajor(lines []line, reg region) bool {
	if !reg.found() {
		return false
	}
	longest := func(from, to int) (run, numbers int) {
		cur := 0
		for i := from; i < to; i++ {
			if isNumberLine(&lines[i]) {
				numbers++
				cur++
				run = max(run, cur)
			} else if filled(&lines[i]) > 0 {
				cur = 0
			}
		}
		return run, numbers
	}
	run, numbers := longest(reg.start, reg.end)
	if numbers < NumT3Cols {
		run, _ = longest(reg.end, len(lines))
	}
	return run > NumT3Cols
}

// isNumberLine: every filled cell of the line is a number (or a blank mark), and there is one.
func isNumberLine(ln *line) bool {
	n := 0
	for _, c := range ln.cells {
		if c.Copy || strings.TrimSpace(c.Text) == "" {
			continue
		}
		// Amounts (83.91) and the 2019 format's signed changes (+12) are numbers too.
		if p := parseNumber(c.Text, true, true); p.kind == Text {
			return false
		}
		n++
	}
	return n > 0
}

// soupGroups cuts lines [from, to) into groups. A block ends at a blank line (a gap in the line
// numbers); inside a block, text after numbers starts a new group.
func soupGroups(lines []line, from, to int, pageStarts []int) []soupGroup {
	var out []soupGroup
	var cur *soupGroup
	lastLine := -10
	block := 0
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
		if newBlock {
			block++
		}
		number := isNumberLine(ln)
		// A label line that a number of the narrow first applicant column joined (the two on one
		// line, a word apart: "（二）部分公开…） 587"), among the lines of numbers of a label block
		// carrying them: the number is the label's row's, as on the lines of numbers beside it.
		var tail *valCell
		if !number && (numberLineAt(lines, i-1, first-1) || numberLineAt(lines, i+1, first+1)) {
			tail = trailingNumber(ln)
		}
		if cur == nil || newBlock || !number && len(cur.vals) > 0 {
			page := 0
			for _, l := range pageStarts {
				if l <= first {
					page++
				}
			}
			out = append(out, soupGroup{line: i, page: page, block: block})
			cur = &out[len(out)-1]
		}
		for k, c := range ln.cells {
			if c.Copy || strings.TrimSpace(c.Text) == "" {
				continue
			}
			if tail != nil && k == len(ln.cells)-1 {
				cur.header += normLabel(strings.TrimSpace(c.Text)[:len(strings.TrimSpace(c.Text))-len(tail.cell.Text)])
				if cur.place == "" {
					cur.place = c.Pos.String()
				}
				cur.vals = append(cur.vals, *tail)
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

// numberLineAt: line i exists, holds only numbers and stands on source line at (next to the
// line that asks, in one block).
func numberLineAt(lines []line, i, at int) bool {
	if i < 0 || i >= len(lines) || filled(&lines[i]) == 0 || !isNumberLine(&lines[i]) {
		return false
	}
	return lines[i].cells[0].Pos.Line == at
}

// trailingNumber is the number ending a label line of Table 3 a word apart ("…情形） 587"), as a
// cell of its own at the line's place; nil when the line ends otherwise or its text before the
// number is not a row label.
func trailingNumber(ln *line) *valCell {
	var last *extract.Cell
	for k := range ln.cells {
		if c := &ln.cells[k]; !c.Copy && strings.TrimSpace(c.Text) != "" {
			last = c
		}
	}
	if last == nil || last != &ln.cells[len(ln.cells)-1] {
		return nil
	}
	text := strings.TrimSpace(last.Text)
	sp := strings.LastIndexAny(text, " \t")
	if sp < 0 {
		return nil
	}
	label, tok := strings.TrimSpace(text[:sp]), text[sp+1:]
	p := parseNumber(tok, false, false)
	if p.kind == Text || label == "" || !rowLabel(label) {
		return nil
	}
	c := *last
	c.Text = tok
	return &valCell{cell: c, p: p}
}

// rowLabel: the text is a Table 3 row label (or ends with one): it has an ordinal and names a row.
func rowLabel(text string) bool {
	s := normLabel(text)
	if ordinalEnd(s) == 0 {
		return false
	}
	_, ok := matchT3Row(s, -1)
	return ok
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
	if cols := t2ColumnsOf(h); len(cols) > 0 {
		return cols[0]
	}
	return ""
}

// t2ColumnsOf lists the Table 2 columns a header names, in the order it names them: several when
// a block heading over the table joined neighbouring columns into one block, read row by row.
func t2ColumnsOf(h string) []string {
	type hit struct {
		at  int
		key string
	}
	var hits []hit
	for _, c := range []struct{ word, key string }{
		{"本年制发件数", "issued"}, {"本年废止件数", "repealed"}, {"现行有效件数", "in_force"},
		{"本年新制作数量", "newly_made"}, {"本年新公开数量", "newly_published"}, {"对外公开总数量", "published_total"},
		{"上一年项目数量", "prior_year_items"}, {"增/减", "change"}, {"增减", "change"},
		{"采购项目数量", "projects"}, {"采购总金额", "amount_wan_yuan"},
		{"收费金额", "amount_wan_yuan"}, {"处理决定数量", "decisions"},
	} {
		rest, off := h, 0
		for {
			i := strings.Index(rest, c.word)
			if i < 0 {
				break
			}
			hits = append(hits, hit{off + i, c.key})
			rest, off = rest[i+len(c.word):], off+i+len(c.word)
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.key
	}
	return out
}

// readColumns reads Tables 2, 3 and 4 from pdftotext's column-major text. It returns false when
// the document is not of that kind.
func (rd *reader) readColumns(t2, t3, t4 region) bool {
	if !columnMajor(rd.lines, t3) {
		return false
	}
	from := t3.start
	if t2.found() && t2.start < from {
		from = t2.start
	}
	// The tables' blocks run on past the next headings, even past section 五's when a table's
	// right-hand columns are read after the text to their left; the narrative has no lines of
	// numbers alone, so reading on to the end takes nothing that is not a table's.
	to := len(rd.lines)
	groups := soupGroups(rd.lines, from, to, rd.pageStarts)
	version := Gov2021
	var text strings.Builder
	for i := t3.start; i < to; i++ {
		text.WriteString(rd.lines[i].norm)
	}
	if s := text.String(); !strings.Contains(s, "逾期不补正") && !strings.Contains(s, "收费通知") && strings.Contains(s, "其他处理") {
		version = Gov2019
	}
	t2g, t3g, t4vals, orphans, slots := splitSoup(groups, t3.start)
	read2 := rd.read("table2", t2)
	t4ok := rd.readT4Columns(rd.read("table4", t4), t4vals)
	// Numbers placed in Table 2 by position alone leave Table 3 to confirm them: then an arrangement
	// no identity confirms is not read either. Table 3's arrangement also chooses which of its
	// page's headerless numbers are those of a Table 2 column whose header ended the page before.
	t3ok, picks := rd.readT3Columns(rd.read("table3", t3), t3g, version, t4ok && orphans == 0, slots)
	vals, doubt := slotValues(slots, picks)
	for k, sl := range slots {
		t2g[sl.t2].vals = append(t2g[sl.t2].vals, vals[k]...)
	}
	rd.readT2Columns(read2, t2g)
	for k := range slots {
		for _, v := range vals[k] {
			cands, open := doubt[v.cell.Pos.String()]
			if !open {
				continue
			}
			for f := range rd.rep.T2 {
				if rd.rep.T2[f].Pos == v.cell.Pos && rd.rep.T2[f].Kind != Absent {
					rd.rep.T2[f] = Value{Kind: Text, Raw: cands, Pos: v.cell.Pos}
					rd.rep.add(Finding{Rule: RuleSRowValues, Severity: SevWarning, Status: "uncertain", Place: v.cell.Pos.String(), Cells: []string{T2[f].Path()},
						Message: fmt.Sprintf("%s 的表头在上一页，本页无表头的数值有几种可能（%s），表三的排列都符合勾稽关系，未采用", T2[f].Label(), cands)})
				}
			}
		}
	}
	if orphans > 0 && !t3ok {
		// Numbers given to Table 2 by their place alone are confirmed only by Table 3 taking
		// exactly the numbers left: without it, they are not kept.
		for _, g := range t2g {
			if g.orphan {
				for _, v := range g.vals {
					for f := range rd.rep.T2 {
						if rd.rep.T2[f].Pos == v.cell.Pos && rd.rep.T2[f].Kind != Absent && rd.rep.T2[f].Kind != Text {
							rd.rep.T2[f] = Value{Kind: Text, Raw: strings.TrimSpace(v.cell.Text), Pos: v.cell.Pos}
							rd.rep.add(Finding{Rule: RuleSRowValues, Severity: SevWarning, Status: "uncertain", Place: v.cell.Pos.String(), Cells: []string{T2[f].Path()},
								Message: fmt.Sprintf("%s 的表头在上一页，本页无表头的数值“%s”按位置归入该栏，但表三未能印证，未采用", T2[f].Label(), strings.TrimSpace(v.cell.Text))})
						}
					}
				}
			}
		}
	}
	return true
}

// slotValues gives each orphan slot its numbers: the ones the first confirmed arrangement of
// Table 3 left to it, with the candidates (by place, joined by 、) for each number that another
// confirmed arrangement makes different; without a confirmed arrangement, the slot's guess.
func slotValues(slots []orphanSlot, picks [][][]valCell) (vals [][]valCell, doubt map[string]string) {
	doubt = map[string]string{}
	for k, sl := range slots {
		if len(picks) == 0 {
			vals = append(vals, sl.guess)
			continue
		}
		v := picks[0][k]
		vals = append(vals, v)
		for r := range v {
			var cands []string
			same := true
			for _, q := range picks {
				w := q[k][r]
				same = same && w.p.kind == v[r].p.kind && w.p.n == v[r].p.n
				if t := strings.TrimSpace(w.cell.Text); !slices.Contains(cands, t) {
					cands = append(cands, t)
				}
			}
			if !same {
				doubt[v[r].cell.Pos.String()] = strings.Join(cands, "、")
			}
		}
	}
	return vals, doubt
}

// splitSoup sorts the groups between the tables: Table 2's by their column headers (with the
// numbers that continue a header cut off by a page's foot or by a block of labels; orphans counts
// those), Table 4's by its header words and the single numbers under them, and the rest, Table 3's
// pieces, in reading order.
func splitSoup(groups []soupGroup, t3Start int) (t2g, t3g []soupGroup, t4vals []valCell, orphans int, slots []orphanSlot) {
	// Table 4's numbers, forced (under its headers) or optional (one number under a lone 总计 or
	// 其他 away from Table 4's other blocks, which a Table 3 column header can be too), by group.
	type t4Part struct {
		at       int
		vals     []valCell
		optional bool
	}
	var t4parts []t4Part
	t3at := map[int]soupGroup{}
	t4Run, singles, seenT4 := false, 0, false
	lone := false // the previous group was a lone 总计 or 其他
	// Table 2 headers at a page's foot whose numbers went on to the next page, or whose numbers a
	// block of labels separated from them: the next numbers without a header there (or still
	// before Table 3), as many as the column has rows, are theirs, left to right.
	type pending struct {
		col  string
		page int
		rows int
		into int // the t2g group the numbers continue, or -1 for a header alone
	}
	var pendingT2 []pending
	seenCol := map[string]int{} // Table 2 column headers met so far
	gov2019 := false
	for _, g := range groups {
		for _, c := range t2ColumnsOf(g.header) {
			switch c {
			case "newly_made", "newly_published", "published_total", "prior_year_items", "change", "projects":
				gov2019 = true
			}
		}
	}
	for i, g := range groups {
		cols := t2ColumnsOf(g.header)
		wasLone := lone
		lone = false
		if len(cols) > 0 && !t4Header(g.header) {
			// One group per column (a block of several columns reads row by row); a column cut by
			// the page's foot waits for the rest of its numbers.
			k := len(cols)
			if len(g.vals)%k != 0 {
				t2g = append(t2g, g) // reported by readT2Columns
				continue
			}
			rows := len(g.vals) / k
			for j, c := range cols {
				want := t2Rows(c, seenCol[c], gov2019)
				seenCol[c]++
				into := -1
				if rows > 0 {
					cg := soupGroup{header: t2HeaderWord(c), line: g.line, place: g.place, page: g.page}
					for r := 0; r < rows; r++ {
						cg.vals = append(cg.vals, g.vals[r*k+j])
					}
					t2g = append(t2g, cg)
					into = len(t2g) - 1
				}
				if rows < want {
					pendingT2 = append(pendingT2, pending{col: c, page: g.page, rows: want - rows, into: into})
				}
			}
			continue
		}
		// A number right under Table 4's outcome header standing alone is Table 4's.
		underT4 := len(g.vals) == 1 && t4Run && singles > 0
		if len(g.vals) > 0 && len(pendingT2) > 0 && g.header == "" && !underT4 && (g.page > pendingT2[0].page || g.line < t3Start) && len(g.vals) == pendingT2[0].rows {
			pd := pendingT2[0]
			pendingT2 = pendingT2[1:]
			orphans++
			into := pd.into
			if into < 0 {
				t2g = append(t2g, soupGroup{header: t2HeaderWord(pd.col), line: g.line, place: g.place, page: g.page})
				into = len(t2g) - 1
			}
			t2g[into].orphan = true
			if g.line >= t3Start {
				// Among Table 3's pieces: which headerless numbers of the page are the column's is
				// left to Table 3's arrangement; this first one is the guess should it fail.
				slots = append(slots, orphanSlot{t2: into, rows: pd.rows, page: g.page, guess: g.vals})
				t3at[i] = g
				continue
			}
			t2g[into].vals = append(t2g[into].vals, g.vals...)
			continue
		}
		switch {
		case len(g.vals) == 0:
			// Header words alone: Table 4's outcome headers stand in their own blocks over their
			// numbers, and so may 总计 or 其他 after them.
			cols := t3HeaderCols(g.header)
			short := g.header != "" && len([]rune(g.header)) <= 4 // 总计, 其他
			t4Run = g.line >= t3Start && (t4Header(g.header) || t4Run && len(cols) <= 1 && short)
			seenT4 = seenT4 || t4Run
			lone = !t4Run && seenT4 && len(cols) == 1 && cols[0] >= 5 && len([]rune(g.header)) <= 3
			if !t4Run {
				singles = 0
			} else if t4Outcome(g.header) {
				singles++ // one number for each outcome header standing alone
			}
			continue
		case t4Header(g.header):
			t4parts = append(t4parts, t4Part{at: i, vals: g.vals})
			t4Run, singles, seenT4 = true, 0, true
			continue
		case g.header == "" && len(g.vals) == 1 && t4Run && singles > 0:
			t4parts = append(t4parts, t4Part{at: i, vals: g.vals})
			singles--
			continue
		case len(g.vals) == 1 && t4Run && len(t3HeaderCols(g.header)) == 1:
			// 总计 or 其他 over one number, right after Table 4's blocks: Table 4's last outcome.
			t4parts = append(t4parts, t4Part{at: i, vals: g.vals})
			continue
		case g.header == "" && len(g.vals) == 1 && wasLone:
			t4parts = append(t4parts, t4Part{at: i, vals: g.vals, optional: true})
			t3at[i] = g
		default:
			t3at[i] = g
		}
		t4Run = false
	}
	// The optional numbers are Table 4's when, and only when, the forced ones are short of fifteen
	// by exactly as many.
	forced, optional := 0, 0
	for _, p := range t4parts {
		if p.optional {
			optional++
		} else {
			forced += len(p.vals)
		}
	}
	if forced != NumT4 && forced+optional != NumT4 {
		// Table 4's header rows at the foot of a page and its row of numbers on the next: the
		// numbers without a header on that next page, if they are fifteen, are Table 4's.
		if alt, ok := t4NextPage(groups, seenT4Page(groups, t3Start)); ok {
			for _, p := range t4parts {
				if len(groups[p.at].header) == 0 {
					t3at[p.at] = groups[p.at] // back to Table 3
				}
			}
			t4parts = t4parts[:0]
			for _, i := range alt {
				t4parts = append(t4parts, t4Part{at: i, vals: groups[i].vals})
				delete(t3at, i)
			}
			forced, optional = NumT4, 0
		}
	}
	for _, p := range t4parts {
		if p.optional {
			if forced+optional != NumT4 {
				continue
			}
			delete(t3at, p.at)
		}
		t4vals = append(t4vals, p.vals...)
	}
	for i := range groups {
		if g, ok := t3at[i]; ok {
			t3g = append(t3g, g)
		}
	}
	return t2g, t3g, t4vals, orphans, slots
}

// orphanSlot is a Table 2 column whose header stood at a page's foot, and whose numbers (rows of
// them, at the top of the next page, each a block without a header) came among Table 3's pieces.
type orphanSlot struct {
	t2    int // the Table 2 group they complete
	rows  int
	page  int
	guess []valCell // the first headerless numbers of the page, as many as rows
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
		cols := t2ColumnsOf(g.header)
		k := len(cols)
		if k == 0 || len(g.vals)%k != 0 {
			rd.rep.add(Finding{Rule: RuleSRowValues, Severity: SevWarning, Status: "uncertain", Place: g.place,
				Message: fmt.Sprintf("表二 第%s处有%d个数值（表头“%s”），无法对应到表二的栏目，未采用", g.place, len(g.vals), clip(g.header))})
			continue
		}
		rows := len(g.vals) / k
		for j, col := range cols {
			var t *target
			for _, cand := range byCol[col] {
				if !cand.used && len(cand.fields) == rows {
					t = cand
					break
				}
			}
			if t == nil {
				rd.rep.add(Finding{Rule: RuleSRowValues, Severity: SevWarning, Status: "uncertain", Place: g.place,
					Message: fmt.Sprintf("表二 第%s处“%s”列有%d个数值，无法对应到表二的栏目，未采用", g.place, clip(g.header), rows)})
				continue
			}
			t.used = true
			for i, f := range t.fields {
				v := g.vals[i*k+j]
				v.p = parseNumber(v.cell.Text, T2[f].Amount, T2[f].Signed)
				rd.setValue(&rd.rep.T2[f], v, ByReassembly)
				rd.t2Unit[f] = strings.Contains(g.header, "元")
				if v.p.issue != issueNone {
					rd.noteIssue(&rd.rep.T2[f], v.p.issue, T2[f].Path(), T2[f].Label(), "T2")
				}
				read.count(ByReassembly, 1)
			}
		}
		rd.t2Version = mergeVersion(rd.t2Version, version)
	}
}

// readT4Columns takes Table 4's fifteen numbers in reading order: its one row of values is read
// left to right, whatever blocks of Table 3 come between.
// It reports whether the fifteen were read and their totals hold.
func (rd *reader) readT4Columns(read *TableRead, vals []valCell) bool {
	if len(vals) == 0 {
		return false
	}
	if len(vals) != NumT4 {
		rd.rep.add(Finding{Rule: RuleSRowValues, Severity: SevError, Status: "not_assessable", Place: vals[0].cell.Pos.String(),
			Message: fmt.Sprintf("表四 读到%d个数值（应为15个），表四数值未采用", len(vals))})
		rd.unreadable(rd.rep.T4[:], vals)
		return false
	}
	// The reading order is sure only if it gives each block's outcomes their total: otherwise a
	// number of Table 3 may have slipped in, and none is kept.
	for b := 0; b < NumT4; b += 5 {
		var sum int64
		known := true
		for _, v := range vals[b : b+4] {
			sum, known = sum+v.p.n, known && v.p.kind.Known()
		}
		if known && vals[b+4].p.kind.Known() && sum != vals[b+4].p.n {
			rd.rep.add(Finding{Rule: RuleSRowValues, Severity: SevError, Status: "not_assessable", Place: vals[0].cell.Pos.String(), Cells: t4Paths[:],
				Message: fmt.Sprintf("表四 按阅读顺序读到的15个数值（%s）各项之和与总计不符，顺序不可靠，表四数值未采用", joinVals(vals))})
			rd.unreadable(rd.rep.T4[:], vals)
			return false
		}
	}
	for i, v := range vals {
		rd.setValue(&rd.rep.T4[i], v, ByReassembly)
		if v.p.issue != issueNone {
			rd.noteIssue(&rd.rep.T4[i], v.p.issue, T4Path(i), T4Label(i), "T4")
		}
	}
	read.count(ByReassembly, NumT4)
	return true
}

// ---- Table 3: the arrangement search ----

// colPiece is a group of Table 3 as the search places it.
type colPiece struct {
	g    soupGroup
	cols []int // the columns its header names; empty when it names none
}

// arrangement search limits: beyond them the table stays unread with a finding. maxArrangeNodes
// bounds the time of one table (about 0.4 s, 40 MB); real reports need a few hundred nodes, and a
// table whose rows break into many one-row bands (each number a piece of its own) up to 850,000.
const (
	maxArrangeNodes = 1_000_000
	maxSolutions    = 8
	maxPieceLen     = NumT3Rows // a piece is at most a column
)

type gridSolution struct {
	cells [][NumT3Cols]*valCell
	ok    bool        // every assessable identity holds
	skips [][]valCell // the pieces left to Table 2's orphan columns, slot by slot
}

// arranger searches the arrangements of Table 3's pieces. Rows are cut into bands (segments):
// every band has one piece per column, a page's bands are its own, and the pieces of a page come
// before the next page's.
type arranger struct {
	rows      int
	keys      []int // printed row → T3 row key
	pieces    []colPiece
	pageRows  map[int]int // rows of the table on each page
	pageStart map[int]int // first row of each page
	next      [NumT3Cols]int
	seg       []int // band lengths, top to bottom
	segStart  []int
	segPage   []int
	grid      [][NumT3Cols]*valCell
	nodes     int
	capped    bool // the node limit was reached, or more confirmed solutions than maxSolutions exist
	confirmed int  // solutions in sols that every assessable identity confirms
	prune     bool // check T3.APPLICANTS on every band as soon as it is complete
	pruneCols bool // and T3.BALANCE and T3.RESULTS on every column as soon as it is complete
	filled    [NumT3Cols]int
	at        map[int]int // T3 row key → printed row
	seen      map[uint64]bool
	sols      map[uint64]*gridSolution
	hash      uint64 // of the placed cells and their numbers
	// have[i] counts, by length, the one-column pieces from i on that share piece i's page.
	have [][maxPieceLen + 1]int
	// slots are Table 2 columns whose numbers came among the pieces: each takes, in reading
	// order, one headerless piece of its page and length (skippable), which Table 3 then lacks.
	slots     []orphanSlot
	skippable []bool
	skipped   []int // the pieces taken by the slots so far
	// pin holds, by printed row, the first applicant column's numbers a label block carried
	// (their rows known from the labels beside them); pinSum[r] counts them in rows before r.
	// A band whose rows are all pinned takes them in that column without a piece.
	pin    []*valCell
	pinSum []int
}

// pinned counts the pinned rows in [from, to).
func (a *arranger) pinned(from, to int) int {
	if a.pinSum == nil {
		return 0
	}
	return a.pinSum[to] - a.pinSum[from]
}

// pinnedIn counts the rows of band s pinned in column c.
func (a *arranger) pinnedIn(s, c int) int {
	if c != 0 {
		return 0
	}
	return a.pinned(a.segStart[s], a.segStart[s]+a.seg[s])
}

// advance fills column c's next bands that are wholly pinned, and says how many it filled.
func (a *arranger) advance(c int) int {
	n := 0
	for a.next[c] < len(a.seg) && a.pinnedIn(a.next[c], c) == a.seg[a.next[c]] {
		s := a.next[c]
		for r := a.segStart[s]; r < a.segStart[s]+a.seg[s]; r++ {
			a.grid[r][c] = a.pin[r]
			a.hash += cellHash(r, c, a.pin[r])
		}
		a.filled[c] += a.seg[s]
		a.next[c]++
		n++
	}
	return n
}

// retreat undoes advance.
func (a *arranger) retreat(c, n int) {
	for ; n > 0; n-- {
		a.next[c]--
		a.unplace(a.next[c], c)
	}
}

// slotsLeft counts by length the slots of page p not yet given a piece.
func (a *arranger) slotsLeft(p int) (left [maxPieceLen + 1]int) {
	for _, sl := range a.slots[len(a.skipped):] {
		if sl.page == p && sl.rows <= maxPieceLen {
			left[sl.rows]++
		}
	}
	return left
}

// feasible: the pieces left on the page can still fill it. Every band already begun needs a
// piece of its length from each column that has not reached it, and what is left over must make
// whole new bands, one piece per column, filling the page's remaining rows.
func (a *arranger) feasible(i int) bool {
	if i == len(a.pieces) || len(a.pieces[i].cols) > 1 {
		return true
	}
	page := a.pieces[i].g.page
	var need [maxPieceLen + 1]int
	for s, sp := range a.segPage {
		if sp != page {
			continue
		}
		for c := 0; c < NumT3Cols; c++ {
			if a.next[c] <= s {
				switch a.pinnedIn(s, c) {
				case 0:
					need[a.seg[s]]++
				case a.seg[s]: // filled without a piece
				default:
					return false
				}
			}
		}
	}
	left := a.slotsLeft(page)
	used := a.pageRowsUsed(page)
	free := a.pageRows[page] - used
	if at := a.pageStart[page] + used; a.pinned(at, at+free) > 0 {
		// The new bands need no piece where their rows are pinned: only the cells can be counted.
		cells := 0
		for l := 1; l <= maxPieceLen; l++ {
			extra := a.have[i][l] - need[l] - left[l]
			if extra < 0 {
				return false
			}
			cells += extra * l
		}
		return cells == free*NumT3Cols-a.pinned(at, at+free)
	}
	rows := 0
	for l := 1; l <= maxPieceLen; l++ {
		extra := a.have[i][l] - need[l] - left[l]
		if extra < 0 || extra%NumT3Cols != 0 {
			return false
		}
		rows += extra / NumT3Cols * l
	}
	return rows == free
}

func cellHash(row, col int, v *valCell) uint64 {
	h := uint64(row)*0x9E3779B97F4A7C15 ^ uint64(col+1)*0xC2B2AE3D27D4EB4F ^ uint64(v.p.kind)<<56 ^ uint64(v.p.n)*0x165667B19E3779F9
	h ^= h >> 29
	h *= 0xBF58476D1CE4E5B9
	return h ^ h>>32
}

func skipHash(k int, vals []valCell) uint64 {
	var h uint64
	for j := range vals {
		h += cellHash(-1-k*maxPieceLen-j, 0, &vals[j])
	}
	return h
}

func (a *arranger) place(seg, col int, vals []valCell, stride, offset int) {
	for i := 0; i < a.seg[seg]; i++ {
		v := &vals[i*stride+offset]
		a.grid[a.segStart[seg]+i][col] = v
		a.hash += cellHash(a.segStart[seg]+i, col, v)
	}
	a.filled[col] += a.seg[seg]
}

func (a *arranger) unplace(seg, col int) {
	for i := 0; i < a.seg[seg]; i++ {
		r := a.segStart[seg] + i
		a.hash -= cellHash(r, col, a.grid[r][col])
		a.grid[r][col] = nil
	}
	a.filled[col] -= a.seg[seg]
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
	for c := 0; c < NumT3Cols; c++ {
		if !a.columnHolds(c) {
			return false
		}
	}
	return true
}

// columnHolds checks T3.BALANCE and T3.RESULTS on a complete column.
func (a *arranger) columnHolds(c int) bool {
	val := func(r int) (int64, bool) {
		v := a.grid[r][c]
		return v.p.n, v.p.kind.Known()
	}
	nr, ok1 := val(a.at[RowNewReceived])
	co, ok2 := val(a.at[RowCarriedOver])
	tp, ok3 := val(a.at[RowTotalProcessed])
	cf, ok4 := val(a.at[RowCarriedForward])
	if ok1 && ok2 && ok3 && ok4 && nr+co != tp+cf {
		return false
	}
	var sum int64
	known := ok3
	for r := a.at[RowGranted]; r < a.at[RowTotalProcessed] && known; r++ {
		n, ok := val(r)
		sum, known = sum+n, ok
	}
	return !known || sum == tp
}

// pageRowsUsed is how many rows of page p the bands made so far cover.
func (a *arranger) pageRowsUsed(p int) int {
	n := 0
	for s, sp := range a.segPage {
		if sp == p {
			n += a.seg[s]
		}
	}
	return n
}

// pageDone: every column has filled every band so far, and the bands reach the page's end.
func (a *arranger) pageDone(p int) bool {
	for c := 0; c < NumT3Cols; c++ {
		if a.next[c] != len(a.seg) {
			return false
		}
	}
	return a.pageRowsUsed(p) == a.pageRows[p]
}

func (a *arranger) search(i int) {
	if a.capped {
		return
	}
	if a.nodes++; a.nodes > maxArrangeNodes {
		a.capped = true
		return
	}
	if i > 0 && (i == len(a.pieces) || a.pieces[i].g.page != a.pieces[i-1].g.page) && !a.pageDone(a.pieces[i-1].g.page) {
		return // a page's pieces must fill the page's rows before the next page's begin
	}
	key := a.hash*31 + uint64(i)
	for c := 0; c < NumT3Cols; c++ {
		key = key*131 + uint64(a.next[c])
	}
	for _, s := range a.seg {
		key = key*257 + uint64(s)
	}
	key = key*31 + uint64(len(a.skipped))
	if a.seen[key] {
		return
	}
	a.seen[key] = true
	if i == len(a.pieces) {
		if len(a.skipped) != len(a.slots) {
			return
		}
		if _, dup := a.sols[a.hash]; !dup {
			// Only arrangements the identities confirm count towards the limit; of the others,
			// two tell that the layout alone does not fix the table.
			ok := a.columnsHold()
			if ok && a.confirmed == maxSolutions {
				a.capped = true
				return
			}
			if !ok && len(a.sols)-a.confirmed == 2 {
				return
			}
			if ok {
				a.confirmed++
			}
			cells := make([][NumT3Cols]*valCell, a.rows)
			copy(cells, a.grid)
			sol := &gridSolution{cells: cells, ok: ok}
			for _, j := range a.skipped {
				sol.skips = append(sol.skips, a.pieces[j].g.vals)
			}
			a.sols[a.hash] = sol
		}
		return
	}
	if !a.feasible(i) {
		return
	}
	p := a.pieces[i]
	if len(p.cols) > 1 {
		a.searchMerged(i, p)
		return
	}
	L := len(p.g.vals)
	page := p.g.page
	if k := len(a.skipped); k < len(a.slots) && a.skippable[i] && a.slots[k].page == page && a.slots[k].rows == L {
		// The piece is the next orphan column's.
		h := skipHash(k, p.g.vals)
		a.skipped = append(a.skipped, i)
		a.hash += h
		a.search(i + 1)
		a.hash -= h
		a.skipped = a.skipped[:k]
	}
	// The piece goes to the next column of some band of its page: the first column that has not
	// reached that band, provided it has finished every band above.
	for s := 0; s <= len(a.seg); s++ {
		newSeg := s == len(a.seg)
		if !newSeg && (a.segPage[s] != page || a.seg[s] != L) {
			continue
		}
		n := 0
		if newSeg {
			used := a.pageRowsUsed(page)
			if used+L > a.pageRows[page] {
				continue
			}
			a.addSeg(L, a.pageStart[page]+used, page)
			n = a.advance(0) // a band pinned in the first column needs no piece there
		}
		c := 0
		for c < NumT3Cols && a.next[c] > s {
			c++
		}
		if c < NumT3Cols && a.next[c] == s && (len(p.cols) == 0 || p.cols[0] == c) && a.pinnedIn(s, c) == 0 && a.colOK(0) {
			a.try(i, s, []int{c}, p.g.vals)
		}
		if newSeg {
			a.retreat(0, n)
			a.dropSeg()
		}
	}
}

// colOK: column c, if complete, keeps T3.BALANCE and T3.RESULTS (when they prune).
func (a *arranger) colOK(c int) bool {
	return !a.pruneCols || a.filled[c] < a.rows || a.columnHolds(c)
}

// searchMerged places a piece that spans several columns: the top band of its page for those
// columns, wherever in the page it came.
func (a *arranger) searchMerged(i int, p colPiece) {
	k := len(p.cols)
	L := len(p.g.vals) / k
	page := p.g.page
	s := -1
	for j, sp := range a.segPage {
		if sp == page {
			s = j
			break
		}
	}
	newSeg := s < 0
	n := 0
	if newSeg {
		if a.pageRowsUsed(page) != 0 || L > a.pageRows[page] {
			return
		}
		s = len(a.seg)
		a.addSeg(L, a.pageStart[page], page)
		n = a.advance(0)
	} else if a.seg[s] != L {
		return
	}
	ok := a.colOK(0)
	for _, c := range p.cols {
		ok = ok && a.next[c] == s && a.pinnedIn(s, c) == 0
	}
	if ok {
		a.try(i, s, p.cols, p.g.vals)
	}
	if newSeg {
		a.retreat(0, n)
		a.dropSeg()
	}
}

func (a *arranger) addSeg(l, start, page int) {
	a.seg = append(a.seg, l)
	a.segStart = append(a.segStart, start)
	a.segPage = append(a.segPage, page)
}

func (a *arranger) dropSeg() {
	n := len(a.seg) - 1
	a.seg, a.segStart, a.segPage = a.seg[:n], a.segStart[:n], a.segPage[:n]
}

// try places the piece's numbers in band s of the columns (read row by row when several), checks
// the band's rows when the band is complete, and searches on.
func (a *arranger) try(i, s int, cols []int, vals []valCell) {
	var adv [NumT3Cols]int
	for j, c := range cols {
		a.place(s, c, vals, len(cols), j)
		a.next[c]++
		adv[c] = a.advance(c) // the pinned bands below, now reached
	}
	ok := true
	for b := s; b < len(a.seg) && b <= s+adv[cols[0]] && ok; b++ {
		if a.prune && a.bandComplete(b) {
			for r := a.segStart[b]; r < a.segStart[b]+a.seg[b] && ok; r++ {
				ok = a.rowHolds(r)
			}
		}
	}
	for _, c := range cols {
		ok = ok && a.colOK(c)
	}
	if ok {
		a.search(i + 1)
	}
	for k := len(cols) - 1; k >= 0; k-- {
		c := cols[k]
		a.retreat(c, adv[c])
		a.next[c]--
		a.unplace(s, c)
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
// t4ok says Table 4 took exactly its fifteen numbers with their totals holding, so no number of
// Table 3 was taken for Table 4's or the reverse: only then is an arrangement that no identity
// confirms read (the report's own numbers may not add up).
// It reports whether the identities confirmed an arrangement (so that Table 3 took exactly the
// numbers left to it; cells the confirmed arrangements leave open are null with a finding), and
// for each confirmed arrangement the numbers it gave Table 2's orphan slots.
func (rd *reader) readT3Columns(read *TableRead, groups []soupGroup, version string, t4ok bool, slots []orphanSlot) (bool, [][][]valCell) {
	if len(groups) == 0 {
		return false, nil
	}
	rd.t3Version = version
	order := printedOrder(version)
	a := &arranger{rows: len(order), keys: order, seen: map[uint64]bool{}, sols: map[uint64]*gridSolution{},
		pageRows: map[int]int{}, pageStart: map[int]int{}, slots: slots}
	a.grid = make([][NumT3Cols]*valCell, a.rows)
	place := groups[0].place
	fail := func(why string) {
		rd.rep.add(Finding{Rule: RuleSRowPlacement, Severity: SevError, Status: "not_assessable", Place: place, Cells: pathsOfRows(order),
			Message: fmt.Sprintf("表三 按列排列的数值（PDF文本按列输出）无法还原为表格：%s，表三数值未采用", why)})
	}
	// A page holds as many rows of the table as its numbers fill seven columns.
	perPage := map[int]int{}
	var pages []int
	pins, groups, why := pinLabelBlocks(groups, order)
	if why != "" {
		fail(why)
		return false, nil
	}
	for _, pn := range pins {
		if _, seen := perPage[pn.page]; !seen {
			pages = append(pages, pn.page)
		}
		perPage[pn.page]++
	}
	for _, g := range groups {
		p := colPiece{g: g, cols: t3HeaderCols(g.header)}
		if len(p.cols) > 1 {
			for j := 1; j < len(p.cols); j++ {
				if p.cols[j] != p.cols[j-1]+1 {
					fail(fmt.Sprintf("第%s处一段数值的表头跨越不相邻的列", g.place))
					return false, nil
				}
			}
			if len(g.vals)%len(p.cols) != 0 {
				fail(fmt.Sprintf("第%s处%d列合并的一段有%d个数值，不能整除", g.place, len(p.cols), len(g.vals)))
				return false, nil
			}
		}
		if len(p.cols) <= 1 && len(g.vals) > maxPieceLen {
			fail(fmt.Sprintf("第%s处一段有%d个数值，比表三的一列还长", g.place, len(g.vals)))
			return false, nil
		}
		if _, seen := perPage[g.page]; !seen {
			pages = append(pages, g.page)
		}
		perPage[g.page] += len(g.vals)
		a.pieces = append(a.pieces, p)
	}
	// Pieces spanning several columns hold their page's top band: they go first in their page.
	sort.SliceStable(a.pieces, func(i, j int) bool {
		pi, pj := a.pieces[i], a.pieces[j]
		if pi.g.page != pj.g.page {
			return pi.g.page < pj.g.page
		}
		return len(pi.cols) > 1 && len(pj.cols) <= 1
	})
	for _, sl := range slots {
		perPage[sl.page] -= sl.rows
	}
	a.skippable = make([]bool, len(a.pieces))
	for i, p := range a.pieces {
		for _, sl := range slots {
			a.skippable[i] = a.skippable[i] || p.g.header == "" && p.g.page == sl.page && len(p.g.vals) == sl.rows
		}
	}
	start := 0
	for _, p := range pages {
		if perPage[p]%NumT3Cols != 0 {
			fail(fmt.Sprintf("第%d页上的%d个数值不能排成7列", p+1, perPage[p]))
			return false, nil
		}
		a.pageStart[p], a.pageRows[p] = start, perPage[p]/NumT3Cols
		start += a.pageRows[p]
	}
	if start != a.rows {
		fail(fmt.Sprintf("读到%d行的数值，表三应有%d行", start, a.rows))
		return false, nil
	}
	if len(pins) > 0 {
		a.pin, a.pinSum = make([]*valCell, a.rows), make([]int, a.rows+1)
		for k := range pins {
			pn := &pins[k]
			if pn.row < a.pageStart[pn.page] || pn.row >= a.pageStart[pn.page]+a.pageRows[pn.page] {
				fail(fmt.Sprintf("第%s处的数值按行标签属于“%s”行，但该行不在第%d页", pn.v.cell.Pos, T3Rows[order[pn.row]].CN, pn.page+1))
				return false, nil
			}
			a.pin[pn.row] = &pn.v
		}
		for r := range a.rows {
			a.pinSum[r+1] = a.pinSum[r]
			if a.pin[r] != nil {
				a.pinSum[r+1]++
			}
		}
	}
	a.have = make([][maxPieceLen + 1]int, len(a.pieces)+1)
	for i := len(a.pieces) - 1; i >= 0; i-- {
		if i+1 < len(a.pieces) && a.pieces[i+1].g.page == a.pieces[i].g.page {
			a.have[i] = a.have[i+1]
		}
		if len(a.pieces[i].cols) <= 1 {
			a.have[i][len(a.pieces[i].g.vals)]++
		}
	}
	a.at = map[int]int{}
	for i, k := range a.keys {
		a.at[k] = i
	}
	// First only the arrangements every identity confirms, checked as soon as a row or a column
	// is complete; failing those, the arrangements that keep every row's identity (then one alone
	// is read, the report's own columns not adding up), as before.
	a.prune, a.pruneCols = true, true
	a.search(0)
	if len(a.sols) == 0 && !a.capped {
		a.pruneCols, a.seen, a.nodes = false, map[uint64]bool{}, 0
		a.search(0)
	}
	if len(a.sols) == 0 && !a.capped && t4ok {
		// No arrangement keeps every row's identity: the report may have a wrong cell. Search
		// again without the row check, so that an arrangement the layout alone fixes is read.
		a.prune, a.seen, a.nodes = false, map[uint64]bool{}, 0
		a.search(0)
	}
	if a.capped {
		fail("可能的排列过多，无法唯一确定")
		return false, nil
	}
	// In a fixed order (the map's is random), so that candidates are always named alike.
	keys := make([]uint64, 0, len(a.sols))
	for k := range a.sols {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var sols []*gridSolution
	for _, k := range keys {
		if s := a.sols[k]; s.ok {
			sols = append(sols, s)
		}
	}
	confirmed := len(sols) > 0
	if len(sols) == 0 && t4ok && len(a.sols) == 1 {
		// No arrangement makes every identity hold: the report itself may be wrong. The only
		// arrangement the layout allows is still read, and the rules then say what fails.
		for _, s := range a.sols {
			sols = append(sols, s)
		}
	}
	if len(sols) == 0 {
		fail("数值的个数或分段与表格的行列对不上")
		return false, nil
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
				rd.rep.add(Finding{Rule: RuleSRowPlacement, Severity: SevWarning, Status: "uncertain", Place: v.cell.Pos.String(), Cells: []string{T3Path(key, c)},
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
	rd.rep.add(Finding{Rule: RuleSRowPlacement, Severity: SevInfo, Status: "resolved", Place: place,
		Message: fmt.Sprintf("表三 PDF文本按列输出（每格一行、逐列分段），%s", msg)})
	var picks [][][]valCell
	if confirmed && len(slots) > 0 {
		for _, s := range sols {
			picks = append(picks, s.skips)
		}
	}
	return confirmed, picks
}

// pinnedCell is a number of the first applicant column that a label block carried, with the
// printed row its label names.
type pinnedCell struct {
	v         valCell
	row, page int
}

// pinLabelBlocks takes out of Table 3's groups the numbers a block of row labels carried: when
// the first applicant column is narrow, its numbers sit a word from the labels and poppler reads
// them with the label column, each after its row's label (on its line, or on a line of its own
// after the label's line or first lines). Such a group's header is a row label (an ordinal and a
// row's words; the label of a row wrapped before may lead it), and its one number is that row's,
// in the first applicant column. Within a block the rows must follow the form's order. why says
// what does not fit; the other groups are returned as they were.
func pinLabelBlocks(groups []soupGroup, order []int) (pins []pinnedCell, rest []soupGroup, why string) {
	printed := map[int]int{}
	for i, k := range order {
		printed[k] = i
	}
	after, afterKey, block := -1, -1, -1
	for _, g := range groups {
		if len(g.vals) == 0 || !rowLabel(g.header) {
			rest = append(rest, g)
			continue
		}
		if g.block != block {
			after, afterKey, block = -1, -1, g.block
		}
		key, _ := matchT3Row(g.header, afterKey)
		r, ok := printed[key]
		switch {
		case len(g.vals) != 1:
			return nil, nil, fmt.Sprintf("第%s处行标签“%s”后有%d个数值", g.place, clip(g.header), len(g.vals))
		case !ok || r <= after:
			return nil, nil, fmt.Sprintf("第%s处行标签“%s”后的数值无法对应到行", g.place, clip(g.header))
		}
		after, afterKey = r, key
		pins = append(pins, pinnedCell{v: g.vals[0], row: r, page: g.page})
	}
	return pins, rest, ""
}

func joinVals(vals []valCell) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = strings.TrimSpace(v.cell.Text)
	}
	return strings.Join(parts, " ")
}

// t2HeaderWord is the header word of a Table 2 column key, for an orphan group.
func t2HeaderWord(col string) string {
	for _, w := range []struct{ word, key string }{
		{"本年制发件数", "issued"}, {"本年废止件数", "repealed"}, {"现行有效件数", "in_force"},
		{"本年新制作数量", "newly_made"}, {"本年新公开数量", "newly_published"}, {"对外公开总数量", "published_total"},
		{"上一年项目数量", "prior_year_items"}, {"增/减", "change"}, {"采购项目数量", "projects"},
		{"收费金额", "amount_wan_yuan"}, {"处理决定数量", "decisions"},
	} {
		if w.key == col {
			return w.word
		}
	}
	return col
}

// t2Rows is how many numbers a Table 2 column holds in the block its header heads, given how
// many headers of that column came before it: the 第二十条（一） columns two; 处理决定数量 one for
// 行政许可, then two for 行政处罚 and 行政强制 (two and two in the 2019 format); 上一年项目数量 and
// 本年增/减 two, two, then one; the fee and the procurement one.
func t2Rows(col string, nth int, gov2019 bool) int {
	switch col {
	case "issued", "repealed", "in_force", "newly_made", "newly_published", "published_total":
		return 2
	case "decisions":
		if nth == 0 && !gov2019 {
			return 1
		}
		return 2
	case "prior_year_items", "change":
		if nth < 2 {
			return 2
		}
	}
	return 1
}

// seenT4Page is the last page holding a block of Table 4's header words alone; -1 when none does
// or a block of its header words with numbers stands on that page or before (then the header and
// the numbers are on one page).
func seenT4Page(groups []soupGroup, t3Start int) int {
	page := -1
	for _, g := range groups {
		if g.line >= t3Start && t4Header(g.header) && len(g.vals) == 0 {
			page = max(page, g.page)
		}
	}
	for _, g := range groups {
		if g.line >= t3Start && t4Header(g.header) && len(g.vals) > 0 && g.page <= page {
			return -1
		}
	}
	return page
}

// t4NextPage finds the numbers of the first page after page hp: Table 4's row when they are
// fifteen. Table 4 stands below Table 3, so when its header rows end page hp every number of the
// next page is Table 4's: without a header (the columns whose header cell spans the two header
// rows keep their words on page hp), under its outcome headers (the third header row broke onto
// the next page with the numbers), or under a lone 总计 or 其他.
func t4NextPage(groups []soupGroup, hp int) ([]int, bool) {
	if hp < 0 {
		return nil, false
	}
	next := -1
	for _, g := range groups {
		if g.page > hp && len(g.vals) > 0 && (next < 0 || g.page < next) {
			next = g.page
		}
	}
	var at []int
	n := 0
	for i, g := range groups {
		if g.page != next || len(g.vals) == 0 {
			continue
		}
		if g.header != "" && !t4Header(g.header) && len(t3HeaderCols(g.header)) != 1 {
			return nil, false
		}
		at = append(at, i)
		n += len(g.vals)
	}
	return at, n == NumT4 && len(at) > 0
}

// t4Outcome: the header words name one of Table 4's outcomes (not only its kinds of case).
func t4Outcome(h string) bool {
	for _, w := range []string{"维持", "纠正", "其他", "审结", "总计"} {
		if strings.Contains(h, w) {
			return true
		}
	}
	return false
}
