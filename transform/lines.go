package transform

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/govreports/govreports/extract"
)

// line is the unit tables are read from: a table row, or a paragraph as a one-cell row. Reading
// every format as one stream of lines is what lets one mechanism handle tab-separated text, PDF
// text with wrapped labels, one cell per line, HTML and DOCX grids alike.
type line struct {
	cells  []extract.Cell
	para   bool
	level  int
	norm   string // normLabel of the whole line, for headings and anchors
	runes  int    // length of the line's text in runes
	filled int    // the cells with text, copies of merged cells left out (see filled)
	// aligned is set for PDF text whose columns are aligned with spaces: a label wrapped over
	// several lines there interleaves with its neighbour column's text, line by line.
	aligned bool
	// pipe is set for a Markdown pipe row, where an empty cell at the end is a cell of the table
	// (a number too faint for the converter), not the padding a tab-separated line ends with.
	pipe bool
	// oneline is set for a table's text cut out of an article on one line (oneline.go): the
	// digit-run decoder reads it, whatever its runs look like.
	oneline bool
}

// documentLines reads the document's blocks as lines. The lines and the paragraphs' cells are cut
// from sc's when sc is not nil.
func documentLines(doc *extract.Document, sc *scratch) []line {
	n, paras := 0, 0
	for i := range doc.Blocks {
		if doc.Blocks[i].Kind == extract.Table {
			n += len(doc.Blocks[i].Rows)
		} else {
			n++
			paras++
		}
	}
	// One allocation for all the paragraphs' cells and one for all the lines' normalised text,
	// rather than one or two a line; none for the first two with a scratch that has room.
	var paraCells []extract.Cell
	var lines []line
	if sc != nil {
		sc.paraCells = slices.Grow(sc.paraCells[:0], paras)[:paras]
		sc.lines = slices.Grow(sc.lines[:0], n)
		paraCells, lines = sc.paraCells, sc.lines
	} else {
		paraCells, lines = make([]extract.Cell, paras), make([]line, 0, n)
	}
	for i := range doc.Blocks {
		b := &doc.Blocks[i]
		if b.Kind == extract.Table {
			for _, row := range b.Rows {
				ln := lineOf(row, false, 0)
				ln.aligned = b.Layout == extract.LayoutAligned
				ln.pipe = b.Layout == extract.LayoutPipe
				lines = append(lines, ln)
			}
			continue
		}
		cell := paraCells[:1:1]
		paraCells = paraCells[1:]
		cell[0] = extract.Cell{Text: b.Text, Pos: b.Pos}
		lines = append(lines, lineOf(cell, true, b.Level))
	}
	size := 0
	for i := range lines {
		size += normSize(lines[i].cells)
	}
	norm := make([]byte, 0, size)
	start := 0
	for i := range lines {
		norm = appendLineNorm(norm, lines[i].cells)
		lines[i].norm = unsafe.String(unsafe.SliceData(norm[start:]), len(norm)-start) // norm is never written again
		start = len(norm)
	}
	return lines
}

func newLine(cells []extract.Cell, para bool, level int) line {
	ln := lineOf(cells, para, level)
	ln.norm = string(appendLineNorm(make([]byte, 0, normSize(cells)), cells))
	return ln
}

// lineOf is a line without its norm.
func lineOf(cells []extract.Cell, para bool, level int) line {
	// The runes of extract.RowText(cells without copies) without building it.
	runes, n, filled := 0, 0, 0
	for i := range cells {
		if !cells[i].Copy && cells[i].Text != "" {
			if n > 0 {
				runes++
			}
			runes += runeCount(cells[i].Text)
			n++
			if trimSpace(cells[i].Text) != "" {
				filled++
			}
		}
	}
	return line{cells: cells, para: para, level: level, runes: runes, filled: filled}
}

// normSize bounds the size of a line's norm.
func normSize(cells []extract.Cell) int {
	size := 0
	for i := range cells {
		if !cells[i].Copy {
			size += len(cells[i].Text)
		}
	}
	return size
}

// appendLineNorm appends the normLabel of extract.RowText(cells without copies) to b.
func appendLineNorm(b []byte, cells []extract.Cell) []byte {
	for i := range cells {
		if !cells[i].Copy {
			b = appendNorm(b, cells[i].Text)
		}
	}
	return b
}

// dedupCopies drops the copies of merged cells, so a label spanning three grid columns is read once.
func dedupCopies(cells []extract.Cell) []extract.Cell {
	for _, c := range cells {
		if c.Copy {
			out := make([]extract.Cell, 0, len(cells))
			for _, c := range cells {
				if !c.Copy {
					out = append(out, c)
				}
			}
			return out
		}
	}
	return cells
}

// valCell is a cell read as a value.
// uncomputedParse is a formula cell saved without its value (extract.Cell.Uncomputed): there
// but unreadable, like text, so identities through it are not assessable rather than read as 0.
// Its Value keeps an empty Raw, which is how Value.Uncomputed knows it.
var uncomputedParse = parsed{kind: Text}

type valCell struct {
	cell extract.Cell
	p    parsed
}

// splitLine separates a line into its label (the text cells, joined) and its values (every cell
// after the last text cell, blanks included; see trimVals). The values are cut from buf when it is
// not nil (see takeVals).
func splitLine(ln *line, buf *[]valCell) (label string, labelPos extract.Pos, vals []valCell) {
	cells, vals := splitLineCells(ln, buf)
	if len(cells) > 0 {
		labelPos = cells[0].Pos
	}
	return joinCells(cells), labelPos, vals
}

// splitLineCells is splitLine with the label's cells kept apart. The label is a slice of the line's
// cells when they are contiguous (the usual case), capped so that appending to it copies.
func splitLineCells(ln *line, buf *[]valCell) (label []extract.Cell, vals []valCell) {
	cells := ln.cells
	lastLabel := -1
	seenValue := false
	// The parses of the first cells, kept for the values (on the stack: no allocation).
	var parses [16]parsed
	for i := range cells {
		c := &cells[i]
		if c.Copy {
			continue
		}
		if c.Uncomputed {
			// A formula saved without its value is a value cell with no number: it keeps its
			// column, where a blank at the row's end would be trimmed as padding.
			if i < len(parses) {
				parses[i] = uncomputedParse
			}
			seenValue = true
			continue
		}
		p := parseNumber(c.Text, false, false)
		if i < len(parses) {
			parses[i] = p
		}
		if p.kind != Text || isValueLike(p, c.Text) {
			seenValue = seenValue || p.kind != Empty
			continue
		}
		// A word where a number belongs ("约43", "abc", "不详") stays in its column: once the row's
		// numbers have begun, or when it leads them and cannot be a piece of a label.
		if seenValue && wordCell(c.Text) || !seenValue && strongWordCell(c.Text) && valueFollows(cells, i) {
			continue
		}
		lastLabel = i
	}
	keep := func(i int) bool {
		c := &cells[i]
		return trimSpace(c.Text) != "" && !(c.Copy && i > 0 && cells[i-1].Text == c.Text)
	}
	n, first, last, contiguous := 0, -1, -1, true
	for i := 0; i <= lastLabel; i++ {
		if keep(i) {
			if first < 0 {
				first = i
			} else if i != last+1 {
				contiguous = false
			}
			last = i
			n++
		}
	}
	switch {
	case n > 0 && contiguous:
		label = cells[first : last+1 : last+1]
	case n > 0:
		label = make([]extract.Cell, 0, n)
		for i := first; i <= last; i++ {
			if keep(i) {
				label = append(label, cells[i])
			}
		}
	}
	if n := len(cells) - lastLabel - 1; n > 0 {
		vals = takeVals(buf, n)
	}
	for i := lastLabel + 1; i < len(cells); i++ {
		if cells[i].Copy {
			continue
		}
		if n := len(vals); n > 0 && vals[n-1].p.kind.Known() && isUnitCell(cells[i].Text) {
			// A unit in a cell of its own ("0 | 万元") belongs to the number before it.
			c := vals[n-1].cell
			c.Text = trimSpace(c.Text) + trimSpace(cells[i].Text)
			vals[n-1] = valCell{cell: c, p: parseNumber(c.Text, false, false)}
			continue
		}
		p := parses[min(i, len(parses)-1)]
		switch {
		case cells[i].Uncomputed:
			p = uncomputedParse
		case i >= len(parses):
			p = parseNumber(cells[i].Text, false, false)
		}
		vals = append(vals, valCell{cell: cells[i], p: p})
	}
	return label, keepVals(buf, vals)
}

// takeVals returns an empty slice with room for n values: cut from the free end of *buf, which
// is replaced by a larger array when it has no room, or a new slice when buf is nil. The values
// appended to it are claimed with keepVals before the next takeVals.
func takeVals(buf *[]valCell, n int) []valCell {
	if buf == nil {
		return make([]valCell, 0, n)
	}
	b := *buf
	if cap(b)-len(b) < n {
		b = make([]valCell, 0, max(n, 2*cap(b), 64))
		*buf = b
	}
	return b[len(b) : len(b) : len(b)+n]
}

// keepVals claims in *buf the values appended to a slice from takeVals and returns them capped:
// appending to them copies rather than writing over the next line's values.
func keepVals(buf *[]valCell, vals []valCell) []valCell {
	if buf != nil && len(vals) > 0 {
		*buf = (*buf)[:len(*buf)+len(vals)]
	}
	return vals[:len(vals):len(vals)]
}

// isUnitCell reports a cell holding only a unit: 元, 万元, 件 and the other count units.
func isUnitCell(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false // an empty cell, a number: the usual cells here
	}
	t := trimSpace(foldWidth(s))
	if t == "元" || t == "万元" {
		return true
	}
	for _, u := range countUnits {
		if t == u {
			return true
		}
	}
	return false
}

func joinCells(cells []extract.Cell) string {
	switch len(cells) {
	case 0:
		return ""
	case 1:
		return trimSpace(cells[0].Text) // most labels: no copy
	}
	size := len(cells) - 1
	for _, c := range cells {
		size += len(c.Text)
	}
	var b strings.Builder
	b.Grow(size)
	for _, c := range cells {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(trimSpace(c.Text))
	}
	return b.String()
}

// joinColumns joins label cells gathered from several lines of aligned text column by column: the
// pieces of a wrapped label share a start column, and so do those of the group heading beside it
// ("（六）其" / "他处理"), so reading each column top to bottom restores both.
func joinColumns(cells []extract.Cell) string {
	const slack = 2 // start columns within this many characters are one column
	type column struct {
		col   int
		parts []string
	}
	var cols []column
	for _, c := range cells {
		placed := false
		for i := range cols {
			if d := c.Pos.Col - cols[i].col; d >= -slack && d <= slack {
				cols[i].parts = append(cols[i].parts, trimSpace(c.Text))
				placed = true
				break
			}
		}
		if !placed {
			cols = append(cols, column{col: c.Pos.Col, parts: []string{trimSpace(c.Text)}})
		}
	}
	sort.SliceStable(cols, func(i, j int) bool { return cols[i].col < cols[j].col })
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = strings.Join(c.parts, "")
	}
	return strings.Join(parts, " ")
}

// trimVals fits the values of one line to a row of want values: blank cells at either end are
// trimmed while there are more than want of them, since layouts pad rows with empty fields (the
// seed's trailing tabs, merged label columns). A line with no non-blank value and fewer than want
// blank ones carries no values at all.
func trimVals(vals []valCell, want int) []valCell { return trimValsFrom(vals, want, false) }

// trimValsFrom is trimVals that trims the blanks at the start first when leadingFirst is set: in a
// pipe table the blanks between a label and its numbers pad the label columns, while a blank at the
// end is the last column's cell.
func trimValsFrom(vals []valCell, want int, leadingFirst bool) []valCell {
	if leadingFirst {
		for len(vals) > want && vals[0].p.kind == Empty {
			vals = vals[1:]
		}
	}
	for len(vals) > want && vals[len(vals)-1].p.kind == Empty {
		vals = vals[:len(vals)-1]
	}
	for len(vals) > want && vals[0].p.kind == Empty {
		vals = vals[1:]
	}
	if len(vals) < want {
		for _, v := range vals {
			if v.p.kind != Empty {
				return vals
			}
		}
		return nil
	}
	return vals
}

// logicalRow is one row of a table as assembled from one or more lines.
type logicalRow struct {
	label    string
	labelPos extract.Pos
	vals     []valCell
	lines    int // how many lines its values came from
}

// assembler gathers label fragments and values across lines until a row has its values: one line
// in a clean grid, several for wrapped labels or one cell per line.
type assembler struct {
	want    int            // the number of values of a complete row
	buf     *[]valCell     // where the lines' values are cut from (see takeVals); nil: allocated
	pending []extract.Cell // label cells since the last row
	aligned bool           // all pending cells come from aligned PDF text
	vals    []valCell
	lines   int
	out     []logicalRow
	// prev holds the label cells of the last row flushed from aligned text, and prevCol the
	// column of its ordinal ("1.", "（二）"), -1 when it has none: a label-only line in that
	// column with no ordinal of its own is the end of that row's label, wrapped below its numbers
	// (Word's top-aligned cells), not the start of the next row's, which begins with its ordinal.
	prev    []extract.Cell
	prevCol int
	// wide is the display column of each pending cell, the one of aligned text: an ideograph
	// takes two columns where Pos.Col counts one rune (see displayCols).
	wide []int
	// grid is the columns of aligned text, nil when unknown, and holds the row's identity, nil
	// when it has none: they fit a line of aligned text to a row (see alignedRow).
	grid  colGrid
	holds func([]valCell) bool
}

func (a *assembler) label() string {
	if a.aligned && len(a.pending) > 1 {
		return joinColumns(a.pending)
	}
	return joinCells(a.pending)
}

func (a *assembler) feed(ln *line) {
	label, vals := splitLineCells(ln, a.buf)
	if ln.aligned && (len(a.vals) == 0 || len(label) > 0) {
		// A row of aligned text with blank cells or a number grouped by spaces (see alignedRow):
		// its place on the page completes it on its own line. A label flushes the values before.
		if fit, ok := alignedRow(ln, vals, a.grid, a.want, a.holds); ok {
			vals = fit
		}
	}
	if len(vals) > 0 && !a.follows(&vals[0].cell) {
		a.flush()
	}
	if len(label) == 1 && len(vals) == 0 && a.wordValue(label[0].Text) && a.follows(&label[0]) {
		// One cell per line: a word where the row's next number belongs is that cell.
		vals = []valCell{{cell: label[0], p: parseNumber(label[0].Text, false, false)}}
		label = nil
	}
	var cols []int
	if len(label) > 0 && ln.aligned {
		cols = displayCols(ln.cells, label)
		if len(vals) == 0 {
			label, cols = a.continuePrev(label, cols)
		}
	}
	if len(label) > 0 {
		if len(a.vals) > 0 {
			a.flush()
		}
		if len(a.pending) == 0 {
			a.aligned = true
		}
		a.aligned = a.aligned && ln.aligned
		if len(a.pending) == 0 {
			a.pending = label // capped: a label continued on the next line is copied
			a.wide = append(a.wide[:0], cols...)
		} else {
			a.pending = append(a.pending, label...)
			a.wide = append(a.wide, cols...)
		}
	}
	want := a.want
	if vals = trimValsFrom(vals, want-len(a.vals), ln.pipe); len(vals) == 0 {
		return
	}
	a.lines++
	if a.vals == nil {
		a.vals = vals // the usual case: a whole row on one line
	} else {
		a.vals = append(a.vals, vals...)
	}
	if len(a.vals) >= want {
		a.flush()
	}
}

// rowSlack is how far above a row's last value, in page units, a cell may sit and still be on its
// line: the cells of one line of a PDF differ in their baseline by a point or two.
const rowSlack = 8

// follows reports whether cell c may continue the row being assembled. Where cells carry page
// positions (PDF), a row goes on to the right, on the lines below or on the next page, never above
// its last value or on an earlier page: a glyph drawn there (a label's first character set outside
// its cell, a heading from the top of the page) is not the row's next value, however it reads.
func (a *assembler) follows(c *extract.Cell) bool {
	if len(a.vals) == 0 {
		return true
	}
	last, p := a.vals[len(a.vals)-1].cell.Pos, c.Pos
	if last.Page == 0 || p.Page == 0 {
		return true
	}
	if p.Page != last.Page {
		return p.Page > last.Page
	}
	return p.Y >= last.Y-rowSlack
}

// wordValue reports whether a line holding only text is a word in the row's next value cell:
// any short word once the row's numbers have begun, one that cannot end a label before them.
func (a *assembler) wordValue(text string) bool {
	switch {
	case len(a.vals) > 0 && len(a.vals) < a.want:
		return wordCell(text)
	case len(a.vals) == 0 && len(a.pending) > 0:
		return strongWordCell(text)
	}
	return false
}

func (a *assembler) flush() {
	if len(a.vals) == 0 {
		return
	}
	pos := a.vals[0].cell.Pos
	if len(a.pending) > 0 {
		pos = a.pending[0].Pos
	}
	a.out = append(a.out, logicalRow{label: a.label(), labelPos: pos, vals: a.vals, lines: a.lines})
	a.prev, a.prevCol = nil, -1
	if a.aligned && len(a.pending) > 0 && len(a.wide) == len(a.pending) {
		a.prev, a.prevCol = a.pending, ordinalCol(a.pending, a.wide)
	}
	a.pending, a.wide, a.vals, a.lines = nil, a.wide[:0], nil, 0
}

// colSlack is how far apart, in characters, the start columns of one column's cells may be in
// aligned text (see joinColumns).
const colSlack = 2

// continuePrev gives the last row the cells of a label-only line of aligned text that continue its
// label: in its ordinal's column, without an ordinal, before the next row's label has begun in that
// column, and with the row's label still naming the same row of the form once they are joined
// (a fragment that names another row is that row's). It returns the cells left for the next row.
func (a *assembler) continuePrev(label []extract.Cell, cols []int) ([]extract.Cell, []int) {
	if len(a.prev) == 0 || a.prevCol < 0 || len(a.vals) > 0 || len(a.out) == 0 || len(a.wide) != len(a.pending) {
		return label, cols
	}
	inCol := func(col int) bool {
		d := col - a.prevCol
		return d >= -colSlack && d <= colSlack
	}
	for _, col := range a.wide {
		if inCol(col) {
			return label, cols // the next row's label has begun in the column
		}
	}
	var rest []extract.Cell
	var restCols []int
	took := false
	for i, c := range label {
		if inCol(cols[i]) && !startsWithOrdinal(c.Text) && a.fitsPrev(c) {
			a.prev = append(a.prev[:len(a.prev):len(a.prev)], c)
			took = true
			continue
		}
		rest, restCols = append(rest, c), append(restCols, cols[i])
	}
	if !took {
		return label, cols
	}
	a.out[len(a.out)-1].label = joinColumns(a.prev)
	return rest, restCols
}

// fitsPrev reports whether the last row's label, joined with c, still names the row it named
// without c, or names one where it named none.
func (a *assembler) fitsPrev(c extract.Cell) bool {
	before, okB := matchT3Row(joinColumns(a.prev), -1)
	after, okA := matchT3Row(joinColumns(append(a.prev[:len(a.prev):len(a.prev)], c)), -1)
	// "其他处理" names the 2019 row and the 2021 group heading of the (六) rows alike: a (六) row's
	// fragment refines it.
	refines := before == RowOtherTotal && after >= RowOtherNoCorrection && after <= RowOtherOther
	return !okB || okA && (after == before || refines)
}

// ordinalCol is the start column of the rightmost cell that begins with a row ordinal, -1 when
// none does.
func ordinalCol(cells []extract.Cell, cols []int) int {
	col := -1
	for i, c := range cells {
		if cols[i] > col && startsWithOrdinal(c.Text) {
			col = cols[i]
		}
	}
	return col
}

// displayCols returns the display column of each of label, cells of the line's cells: Pos.Col
// counts runes, so a cell after an ideograph label ("（五）不  开出版物") sits more columns
// to the right on the page than its Pos.Col says, by one for each wide rune before it.
func displayCols(line, label []extract.Cell) []int {
	cols := make([]int, len(label))
	extra, j := 0, 0
	for i := range line {
		if j < len(label) && line[i].Pos == label[j].Pos && line[i].Text == label[j].Text {
			cols[j] = label[j].Pos.Col + extra
			j++
		}
		for _, r := range line[i].Text {
			if isWide(r) {
				extra++
			}
		}
	}
	for ; j < len(label); j++ {
		cols[j] = label[j].Pos.Col + extra
	}
	return cols
}

// isWide reports a rune that takes two columns in a monospaced layout: CJK and full-width forms.
func isWide(r rune) bool {
	return r >= 0x1100 && r <= 0x115F || r >= 0x2E80 && r <= 0xA4CF || r >= 0xAC00 && r <= 0xD7A3 ||
		r >= 0xF900 && r <= 0xFAFF || r >= 0xFE30 && r <= 0xFE4F || r >= 0xFF00 && r <= 0xFF60 || r >= 0xFFE0 && r <= 0xFFE6
}

// startsWithOrdinal reports a text that begins with a row ordinal: "1.", "2、", "（一）", "四、".
func startsWithOrdinal(s string) bool {
	n := normLabel(s)
	j := 0
	for j < len(n) && n[j] >= '0' && n[j] <= '9' {
		j++
	}
	if j > 0 {
		return j < len(n) && (n[j] == '.' || strings.HasPrefix(n[j:], "、"))
	}
	open := strings.HasPrefix(n, "(")
	if open {
		j = 1
	}
	k := j
	for k < len(n) {
		r, w := utf8.DecodeRuneInString(n[k:])
		if !isChineseNumeral(r) {
			break
		}
		k += w
	}
	if k == j {
		return false
	}
	if open {
		return strings.HasPrefix(n[k:], ")")
	}
	return strings.HasPrefix(n[k:], "、")
}

// finish flushes a last incomplete row; label fragments without values are dropped.
func (a *assembler) finish() []logicalRow {
	a.flush()
	return a.out
}

// wordCell reports a short text that, standing among a row's numbers, is a cell's content rather
// than a piece of its label: "约43", "1e30", "abc", "不详". Ordinals and bracketed remarks belong
// to labels.
func wordCell(s string) bool {
	t := trimSpace(foldWidth(s))
	n := utf8.RuneCountInString(t)
	if n == 0 || n > 8 || strings.ContainsAny(t, "()、:：") {
		return false
	}
	return ordinalEnd(normLabel(t)) == 0
}

// strongWordCell reports a word that cannot be the end of a label, so that before a row's first
// number it is the first value: it carries a digit ("约43", "1e30"), or is Latin letters ("abc").
// A Chinese word there ("不详") may as well be a label's last piece and is left to the label.
func strongWordCell(s string) bool {
	if !hasDigit(s) && hasIdeograph(s) {
		return false // a Chinese label piece: no digit, and not Latin
	}
	return strongWord(s)
}

// strongWord is strongWordCell without its shortcut for Chinese text.
func strongWord(s string) bool {
	t := trimSpace(foldWidth(s))
	if utf8.RuneCountInString(t) > 6 {
		return false
	}
	strong, latin := false, true
	for _, r := range t {
		switch {
		case r >= '0' && r <= '9':
			strong = true
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '.' || r == '-' || r == '+':
		default:
			latin = false
		}
		if strong {
			break
		}
	}
	// The cheap test first: most cells here are Chinese label pieces, neither digits nor Latin.
	return (strong || latin) && wordCell(s)
}

// hasIdeograph reports a CJK ideograph U+4000–U+9FFF in s.
func hasIdeograph(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if c := s[i]; c >= 0xE4 && c <= 0xE9 && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			return true
		}
	}
	return false
}

// valueFollows reports whether the next filled cell after cells[i] reads as a value.
func valueFollows(cells []extract.Cell, i int) bool {
	for _, c := range cells[i+1:] {
		if c.Copy || trimSpace(c.Text) == "" {
			continue
		}
		p := parseNumber(c.Text, false, false)
		return p.kind != Text || isValueLike(p, c.Text)
	}
	return false
}
