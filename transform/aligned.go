package transform

import "github.com/govreports/govreports/extract"

// Columns of aligned text (pdftotext -layout, report-format.md §7.2). A row read there has no
// cell boundaries but the page's: a number stands under its column. Two things break the count of
// a row's numbers that the readers otherwise rely on: a zero cell left blank (§7.3, §7.9: EMPTY),
// and a number written with a space between its thousands ("3 581", §7.9), which the text reader
// splits into two cells. Where the table's full rows show where its columns lie, a number's place
// says which column it is in; the row's count, or its identity, may also leave one grouping only.
// A row that neither settles is left as it reads, to the readers' findings.

// colSpan is the display columns [lo, hi) a cell covers in its line: an ideograph takes two.
type colSpan struct{ lo, hi int }

// colGrid is the span of each column of a table of aligned text, from the rows that fill it.
type colGrid []colSpan

// maxJoinGaps bounds the single spaces between digit groups a line may have to be regrouped.
const maxJoinGaps = 8

// displayWidth is the number of display columns s takes.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		w++
		if isWide(r) {
			w++
		}
	}
	return w
}

// valSpans returns the display span of each of vals, cells of ln; false when one is not found
// among the line's cells (a unit merged into its number), or the cells are placed on a page
// (PDF) rather than at a column of text.
func valSpans(ln *line, vals []valCell) ([]colSpan, bool) {
	for i := range ln.cells {
		if p := ln.cells[i].Pos; p.Col <= 0 || p.Page != 0 {
			return nil, false
		}
	}
	out := make([]colSpan, len(vals))
	extra, j := 0, 0
	for i := range vals {
		for ; j < len(ln.cells) && ln.cells[j].Pos != vals[i].cell.Pos; j++ {
			extra += displayWidth(ln.cells[j].Text) - runeCount(ln.cells[j].Text)
		}
		if j == len(ln.cells) || ln.cells[j].Text != vals[i].cell.Text {
			return nil, false
		}
		lo := ln.cells[j].Pos.Col + extra
		out[i] = colSpan{lo, lo + displayWidth(ln.cells[j].Text)}
		extra += displayWidth(ln.cells[j].Text) - runeCount(ln.cells[j].Text)
		j++
	}
	return out, true
}

// filledVals drops the blank cells of vals.
func filledVals(vals []valCell) []valCell {
	var out []valCell
	for _, v := range vals {
		if v.p.kind != Empty {
			out = append(out, v)
		}
	}
	return out
}

// gridOf returns the columns of the aligned lines whose values are n plain numbers: each column
// spans what its numbers cover on all those lines. Nil when no line is full, or when the columns
// so found overlap (the lines do not line up).
func gridOf(lines []line, n int) colGrid {
	var g colGrid
	for i := range lines {
		ln := &lines[i]
		if !ln.aligned || ln.filled < n {
			continue
		}
		_, vals := splitLineCells(ln, nil)
		vals = filledVals(vals)
		if len(vals) != n {
			continue
		}
		plain := true
		for _, v := range vals {
			plain = plain && (v.p.kind == Numeric || v.p.kind == Zero)
		}
		spans, ok := valSpans(ln, vals)
		if !plain || !ok {
			continue
		}
		if g == nil {
			g = spans
			continue
		}
		for c := range g {
			g[c] = colSpan{min(g[c].lo, spans[c].lo), max(g[c].hi, spans[c].hi)}
		}
	}
	for c := 1; c < len(g); c++ {
		if g[c].lo < g[c-1].hi {
			return nil
		}
	}
	return g
}

// place puts each value in the one column its span overlaps, the columns left over blank; nil
// when a value overlaps no column or several, or two values share one.
func (g colGrid) place(vals []valCell, spans []colSpan, line int) []valCell {
	out := make([]valCell, len(g))
	set := make([]bool, len(g))
	last := -1
	for i := range vals {
		col := -1
		for c, s := range g {
			if spans[i].lo < s.hi && spans[i].hi > s.lo {
				if col >= 0 {
					return nil
				}
				col = c
			}
		}
		if col <= last {
			return nil // in no column, or in one that a value to its left holds
		}
		out[col], set[col], last = vals[i], true, col
	}
	for c := range out {
		if !set[c] {
			// A blank cell of the row; its place is the column's end on the page.
			out[c] = valCell{cell: extract.Cell{Pos: extract.Pos{Line: line, Col: g[c].hi}}, p: parsed{kind: Empty}}
		}
	}
	return out
}

// digitRun is the number of digits of s when s is digits only, 0 otherwise.
func digitRun(s string) int {
	n := 0
	for _, r := range foldWidth(s) {
		if r < '0' || r > '9' {
			return 0
		}
		n++
	}
	return n
}

// alignedRow fits the values of one line of aligned text to a row of want values: by the columns
// of g, where a value's place names its column and blank columns are EMPTY cells, and by regrouping
// digit groups one space apart ("3 581") that a space-separated thousands split. holds, when not
// nil, is the row's identity, which chooses among groupings that all fit. It reports false when
// the line already has want values or no single fit is certain.
func alignedRow(ln *line, vals []valCell, g colGrid, want int, holds func([]valCell) bool) ([]valCell, bool) {
	filled := filledVals(vals)
	if len(filled) == 0 || len(filled) == want {
		return nil, false
	}
	spans, ok := valSpans(ln, filled)
	if !ok {
		return nil, false
	}
	var gaps []int // i: filled[i] and filled[i+1] may be one number
	for i := 0; i+1 < len(filled); i++ {
		if n := digitRun(filled[i].cell.Text); spans[i+1].lo == spans[i].hi+1 && n >= 1 && n <= 3 && digitRun(filled[i+1].cell.Text) == 3 {
			gaps = append(gaps, i)
		}
	}
	if len(gaps) > maxJoinGaps || g == nil && len(filled) < want {
		return nil, false
	}
	var fits [][]valCell
	for mask := 0; mask < 1<<len(gaps); mask++ {
		vs, ss := joinGroups(filled, spans, gaps, mask)
		switch {
		case g != nil && len(g) == want && len(vs) <= want:
			if placed := g.place(vs, ss, ln.cells[0].Pos.Line); placed != nil {
				fits = append(fits, placed)
			}
		case g == nil && len(vs) == want:
			fits = append(fits, vs)
		}
	}
	if len(fits) > 1 && holds != nil {
		var held [][]valCell
		for _, f := range fits {
			if holds(f) {
				held = append(held, f)
			}
		}
		fits = held
	}
	if len(fits) != 1 {
		return nil, false
	}
	return fits[0], true
}

// joinGroups joins filled[i] and filled[i+1] for each gaps[k] whose bit is set in mask.
func joinGroups(filled []valCell, spans []colSpan, gaps []int, mask int) ([]valCell, []colSpan) {
	vs := make([]valCell, 0, len(filled))
	ss := make([]colSpan, 0, len(filled))
	joined := func(i int) bool {
		for k, g := range gaps {
			if g == i {
				return mask&(1<<k) != 0
			}
		}
		return false
	}
	for i := range filled {
		if i > 0 && joined(i-1) {
			last := &vs[len(vs)-1]
			c := last.cell
			c.Text = c.Text + " " + filled[i].cell.Text
			*last = valCell{cell: c, p: parseNumber(c.Text, false, false)}
			ss[len(ss)-1].hi = spans[i].hi
			continue
		}
		vs, ss = append(vs, filled[i]), append(ss, spans[i])
	}
	return vs, ss
}

// t3ApplicantsHold reports whether a Table 3 row of seven numbers has its six applicants add up to
// its total (T3.APPLICANTS).
func t3ApplicantsHold(vals []valCell) bool {
	if len(vals) != NumT3Cols {
		return false
	}
	var sum int64
	for c, v := range vals {
		if !v.p.kind.Known() {
			return false
		}
		if c < NumT3Cols-1 {
			sum += v.p.n
		}
	}
	return sum == vals[NumT3Cols-1].p.n
}
