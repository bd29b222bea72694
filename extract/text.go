package extract

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The text reader knows layouts, not the domain. It splits every line into cells and groups lines
// into blocks; transform then reads a table as a stream of lines, taking trailing numeric cells as
// values and leading text cells as the label. So the reader's job is exact cells with exact places,
// nothing invented and nothing lost (page numbers aside):
//
//   - a TAB document (the seed, report-format.md §7.1): a line with a tab after its first text is a
//     row split on every tab, empty cells kept; such documents are never re-split on spaces;
//   - Markdown (§7.4): `|` rows without their outer pipes, separator rows dropped, `#` headings;
//   - PDF text (§7.2): cells apart by two or more blanks (U+3000 and NBSP padding count);
//   - browser copies without tabs: a label followed by single-spaced number tokens;
//   - one cell per line: runs of lines that each hold one number.
//
// Lines of prose are paragraphs. A table may continue over one blank line or a page break, never
// over a heading; prose lines sandwiched between rows of a table become one-cell rows of it, so
// wrapped labels and vertical merged labels ("本", "年", …) stay in their table.
//
// Positions are 1-based lines and rune columns of the decoded text, as an editor shows them: a tab,
// an ideographic space or a zero-width character takes one column, a byte-order mark none.

// maxLineBytes bounds one line. Real reports have lines of a few kB; a megabyte without a line
// break is not a layout any rule can read, and refusing it keeps the reader's cost bounded.
const maxLineBytes = 1 << 20

// readText reads a plain-text report.
func readText(ctx context.Context, src Source, data []byte, lim Limits) (*Document, error) {
	fail := func(err error) (*Document, error) {
		if e, ok := err.(*Error); ok && e.Path == "" {
			e.Path = src.Path
		}
		return nil, err
	}
	if len(data) == 0 {
		return fail(&Error{Err: ErrEmpty})
	}
	text, enc, err := decodeText(data)
	if err != nil {
		return fail(err)
	}
	src.Encoding = enc
	if text == "" {
		return fail(Errorf("", "", ErrEmpty, "nothing after the byte-order mark"))
	}
	built := newBudget(lim)
	if !built.spend(int64(len(text))) {
		return fail(built.exceeded("", "the decoded text"))
	}
	mode, err := surveyText(ctx, text)
	if err != nil {
		return fail(err)
	}
	b := &textBuilder{doc: &Document{Source: src}, lim: lim, mode: mode, built: built}
	if mode.tabs {
		// A TAB row has a cell per tab and one more, a prose line inside a table one or its
		// tabs' worth: the tabs and the lines bound the cells, and the first slab holds them all.
		b.slabHint = min(strings.Count(text, "\t")+strings.Count(text, "\n")+1, maxSlabHint)
		// The blocks are about the lines without a tab (paragraphs) and the runs of lines with
		// one (tables): room for them at once rather than by doubling.
		if n := tabBlocks(text); n > 0 && built.spend(int64(n)*blockCost) {
			b.doc.Blocks = make([]Block, 0, n)
		}
	}
	if err := eachLine(ctx, text, b.add); err != nil {
		return fail(err)
	}
	if err := b.closeTable(); err != nil {
		return fail(err)
	}
	if len(b.doc.Blocks) == 0 {
		if strings.TrimFunc(text, func(r rune) bool { return isBlank(r) || isZeroWidth(r) }) == "" {
			return fail(Errorf("", "", ErrNoContent, "only blank characters"))
		}
		return fail(Errorf("", "", ErrNoContent, "nothing but page numbers and Markdown markup"))
	}
	return b.doc, nil
}

// tabBlocks estimates the blocks of a TAB document: its non-empty lines without a tab and its runs
// of lines with one, at most maxBlockHint.
func tabBlocks(text string) int {
	n, inRun := 0, false
	for start := 0; start < len(text) && n < maxBlockHint; {
		end := len(text)
		if i := strings.IndexByte(text[start:], '\n'); i >= 0 {
			end = start + i
		}
		line := text[start:end]
		switch {
		case strings.IndexByte(line, '\t') >= 0:
			if !inRun {
				n++
			}
			inRun = true
		case len(line) > 1 || len(line) == 1 && line[0] != '\r':
			n++
			inRun = false
		}
		start = end + 1
	}
	return min(n, maxBlockHint)
}

// maxBlockHint bounds the blocks tabBlocks makes room for (about 40 KB).
const maxBlockHint = 256

// eachLine calls fn with every line of text (1-based number, without its line ending). LF, CRLF
// and a lone CR all end a line.
func eachLine(ctx context.Context, text string, fn func(no int, line string) error) error {
	no := 0
	// cr is the offset of the next CR at or after start, -1 when there is none: most text has none,
	// and each line end is then found by IndexByte alone (strings.IndexAny does not vectorise).
	cr := strings.IndexByte(text, '\r')
	for start := 0; start < len(text); {
		no++
		if no%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if cr >= 0 && cr < start {
			if cr = strings.IndexByte(text[start:], '\r'); cr >= 0 {
				cr += start
			}
		}
		i := strings.IndexByte(text[start:], '\n')
		if cr >= 0 && (i < 0 || cr-start < i) {
			i = cr - start
		}
		end, next := len(text), len(text)
		if i >= 0 {
			end = start + i
			next = end + 1
			if text[end] == '\r' && next < len(text) && text[next] == '\n' {
				next++
			}
		}
		if end-start > maxLineBytes {
			return Errorf("", fmt.Sprintf("%d:1", no), ErrLimit, "line of %d bytes, longer than %d: a file without line breaks cannot be read as a report", end-start, maxLineBytes)
		}
		if err := fn(no, text[start:end]); err != nil {
			return err
		}
		start = next
	}
	return nil
}

// textMode holds what the whole document says about its layout, decided before any line is read.
type textMode struct {
	// tabs: at least two lines use tabs between text, so the document is a TAB document: its lines
	// with a tab are split on every tab, and its other lines are prose unless they end with a number
	// (a table copied without tabs next to one copied with them, see classify).
	tabs bool
	// spaces: single-space rows outnumber aligned ones, so a line of a label and one number is a row
	// too (行政许可 68), which would be a sentence in another document. In a TAB document it is counted
	// over the lines without tabs only.
	spaces bool
}

// surveyText decides the document's mode from counts over all lines.
func surveyText(ctx context.Context, text string) (textMode, error) {
	// Most text reports are TAB text: two TAB rows decide it, and only lines holding a TAB can be
	// one, so a cheap pass over those comes first and spares tokenizing the lines before them.
	tabRows := 0
	err := eachLine(ctx, text, func(_ int, line string) error {
		if strings.IndexByte(line, '\t') < 0 || !tabAfterText(line) {
			return nil
		}
		if _, _, ok := parseHeading(line); ok || isPipeLine(line) || isFurniture(line) {
			return nil
		}
		if tabRows++; tabRows >= 2 {
			return errTabsDecided
		}
		return nil
	})
	if err != nil && err != errTabsDecided {
		return textMode{}, err
	}
	tabs := err == errTabsDecided
	var spaceRows, alignedRows int
	var toks []token
	err = eachLine(ctx, text, func(_ int, line string) error {
		if _, _, ok := parseHeading(line); ok || isPipeLine(line) || isFurniture(line) {
			return nil
		}
		if strings.IndexByte(line, '\t') >= 0 && (tabs || tabAfterText(line)) {
			// A TAB row, or any line with a tab in a TAB document: the tabs delimit it.
			return nil
		}
		if tabs && !endsWithDigit(line) {
			return nil // prose: in a TAB document only a line ending with a number can be a row
		}
		toks = tokenize(line, toks[:0])
		cells, groups := splitSpaced(line, toks, false)
		switch {
		case groups >= 2:
			alignedRows++
		case len(cells) >= 2:
			spaceRows++
		}
		return nil
	})
	return textMode{tabs: tabs, spaces: spaceRows >= 2 && spaceRows > alignedRows}, err
}

// errTabsDecided stops the survey early once the document is known to use TABs.
var errTabsDecided = errors.New("tabs decided")

// lineKind classifies one line.
type lineKind uint8

const (
	lineBlank     lineKind = iota
	lineFurniture          // a page number, dropped
	lineHeading            // Markdown # heading
	linePipe               // Markdown table row
	linePipeRule           // Markdown separator row |---|, dropped
	lineTab                // TAB row
	lineTabIndent          // text indented with tabs: a paragraph, or a row inside a TAB table
	lineAligned            // cells apart by 2+ blanks
	lineSpaces             // a label and single-spaced number tokens
	lineNumber             // one number alone
	lineText               // prose
	numLineKinds
)

// family says which lines may share a table: rows delimited in different ways do not.
func (k lineKind) family() lineKind {
	switch k {
	case lineAligned, lineSpaces, lineNumber:
		return lineAligned
	}
	return k
}

// field is one cell's extent in its line: text is normalizeSpace(line[start:end]) and col is the
// 1-based rune column of its first character (of where it starts, when it is empty).
type field struct {
	start, end, col int
}

// textBuilder turns classified lines into blocks, keeping one table open at a time.
type textBuilder struct {
	doc  *Document
	lim  Limits
	mode textMode

	table  *Block
	family lineKind
	counts [numLineKinds]int // rows of the open table by line kind
	// pending holds prose lines after the open table's last row: rows if another row follows,
	// paragraphs if the table ends.
	pending []pendingLine
	// blanks and pageBreak describe the gap since the last content line.
	blanks    int
	pageBreak bool
	cells     int // cells and paragraphs emitted, against Limits.MaxCells
	built     *budget

	fields []field
	toks   []token
	// slab is where rows' cells are cut from: one allocation for many short rows.
	slab []Cell
	// slabHint is the size of the first slab when the document bounds its cells; 0 otherwise.
	slabHint int
}

// slabCells is how many cells one slab allocation holds, past the first slab of slabHint.
const slabCells = 256

// maxSlabHint bounds the first slab (about 400 KB).
const maxSlabHint = 4096

type pendingLine struct {
	no   int
	line string
	kind lineKind
}

// joinable reports whether a table may continue over the current gap: one blank line at most,
// or any gap that contains a page break.
func (b *textBuilder) joinable() bool { return b.blanks <= 1 || b.pageBreak }

func (b *textBuilder) add(no int, line string) error {
	if strings.IndexByte(line, '\f') >= 0 {
		// pdftotext starts each new page with a form feed. The note keeps where, for readers of
		// text that pdftotext printed block by block (a page's blocks never mix with the next's).
		b.pageBreak = true
		b.doc.Notes = append(b.doc.Notes, Note{Pos: Pos{Line: no, Col: 1}, Code: "page-break", Message: "a form feed starts a new page"})
	}
	kind, level, fields := b.classify(line)
	switch kind {
	case lineBlank:
		b.blanks++
		return nil
	case lineFurniture, linePipeRule:
		if kind == lineFurniture {
			b.pageBreak = true
			f := wholeLine(line)
			b.doc.Notes = append(b.doc.Notes, Note{Pos: Pos{Line: no, Col: f.col}, Code: "page-furniture",
				Message: fmt.Sprintf("dropped the page-number line %q", normalizeSpace(line))})
		}
		return nil
	}
	defer func() { b.blanks, b.pageBreak = 0, false }()
	switch kind {
	case lineHeading:
		if err := b.closeTable(); err != nil {
			return err
		}
		_, start, _ := parseHeading(line)
		text := stripClosingHashes(normalizeSpace(line[start:]))
		if text == "" {
			return nil // an empty heading ends the table and says nothing
		}
		return b.paragraph(no, runeCol(line, start), text, level)
	case lineText, lineTabIndent:
		if b.table != nil && b.joinable() {
			b.pending = append(b.pending, pendingLine{no: no, line: line, kind: kind})
			return nil
		}
		if err := b.closeTable(); err != nil {
			return err
		}
		f := wholeLine(line)
		return b.paragraph(no, f.col, normalizeSpace(line), 0)
	}
	row := b.cellsOf(no, line, fields, kind == linePipe)
	if b.table == nil || b.family != kind.family() || !b.joinable() {
		if err := b.closeTable(); err != nil {
			return err
		}
		b.openTable(no, kind)
	}
	if err := b.pendingRows(len(b.pending)); err != nil {
		return err
	}
	b.counts[kind]++
	return b.appendRow(no, row)
}

// classify tells what a line is, given the document's mode, and for a row, where its cells are.
// The fields are valid until the next call.
func (b *textBuilder) classify(line string) (lineKind, int, []field) {
	if _, _, ok := textStart(line); !ok {
		return lineBlank, 0, nil
	}
	if level, _, ok := parseHeading(line); ok {
		return lineHeading, level, nil
	}
	if isPipeLine(line) {
		b.fields = pipeFields(line, b.fields[:0])
		if isPipeRule(line, b.fields) {
			return linePipeRule, 0, nil
		}
		return linePipe, 0, b.fields
	}
	if isFurniture(line) {
		return lineFurniture, 0, nil
	}
	if b.mode.tabs {
		switch {
		case tabAfterText(line):
			b.fields = tabFields(line, b.fields[:0])
			return lineTab, 0, b.fields
		case strings.IndexByte(line, '\t') >= 0:
			return lineTabIndent, 0, nil
		}
		// One table of a page may copy with tabs and the next without (a browser copies each
		// <table> its own way): a line without tabs that splits on blanks into cells ending with a
		// number is a row. Prose, wrapped labels and header lines end with text and stay prose.
		if !endsWithDigit(line) {
			return lineText, 0, nil // prose ends with text: no need to cut it into cells
		}
		b.toks = tokenize(line, b.toks[:0])
		fields, groups := splitSpaced(line, b.toks, b.mode.spaces)
		if len(fields) >= 2 {
			last := fields[len(fields)-1]
			if ok, digits := numberToken(normalizeSpace(line[last.start:last.end])); ok && digits {
				if groups >= 2 {
					return lineAligned, 0, fields
				}
				return lineSpaces, 0, fields
			}
		}
		return lineText, 0, nil
	}
	b.toks = tokenize(line, b.toks[:0])
	fields, groups := splitSpaced(line, b.toks, b.mode.spaces)
	switch {
	case groups >= 2:
		return lineAligned, 0, fields
	case len(fields) >= 2:
		return lineSpaces, 0, fields
	case len(b.toks) == 1:
		if ok, digits := numberToken(normalizeSpace(line[b.toks[0].start:b.toks[0].end])); ok && digits {
			return lineNumber, 0, fields
		}
	}
	return lineText, 0, nil
}

// endsWithDigit reports whether a line's last character other than white space is a digit, ASCII
// or full-width.
func endsWithDigit(line string) bool {
	t := strings.TrimRightFunc(line, unicode.IsSpace)
	r, _ := utf8.DecodeLastRuneInString(t)
	return r >= '0' && r <= '9' || r >= '０' && r <= '９'
}

// pendingRows appends the first n pending lines to the open table as rows and drops them from
// pending.
func (b *textBuilder) pendingRows(n int) error {
	for _, p := range b.pending[:n] {
		// Prose between rows is a one-cell row; tab-indented text in a TAB table keeps its
		// leading empty cells.
		switch {
		case p.kind == lineTabIndent && b.family == lineTab:
			b.fields = tabFields(p.line, b.fields[:0])
		case p.kind == lineText && b.family == lineAligned && b.counts[lineSpaces] > 0 && b.labelAndNumber(p.line):
			// A label and one number between rows of a table copied from a page (it has
			// single-spaced rows) is a row of it (行政许可 50523 among rows set two spaces apart),
			// whatever the rest of the document does. PDF text, without such rows, keeps the line
			// whole: there a number on a label's line is a narrow column's, placed by the reader.
			b.counts[lineSpaces]++
		default:
			b.fields = append(b.fields[:0], wholeLine(p.line))
		}
		if err := b.appendRow(p.no, b.cellsOf(p.no, p.line, b.fields, false)); err != nil {
			return err
		}
	}
	b.pending = b.pending[:copy(b.pending, b.pending[n:])]
	return nil
}

// labelAndNumber reports whether a line splits into cells ending with a number when a single-spaced
// number that ends the line counts as a cell; b.fields holds the cells when it does.
func (b *textBuilder) labelAndNumber(line string) bool {
	b.toks = tokenize(line, b.toks[:0])
	fields, _ := splitSpaced(line, b.toks, true)
	if len(fields) < 2 {
		return false
	}
	last := fields[len(fields)-1]
	if ok, digits := numberToken(normalizeSpace(line[last.start:last.end])); !ok || !digits {
		return false
	}
	b.fields = append(b.fields[:0], fields...)
	return true
}

// cellsOf makes the cells of one row from their fields; in Markdown, `\|` is a literal pipe.
func (b *textBuilder) cellsOf(no int, line string, fields []field, markdown bool) []Cell {
	n := len(fields)
	if len(b.slab) < n {
		size := slabCells
		if b.slabHint > 0 {
			size, b.slabHint = b.slabHint, 0
		}
		b.slab = make([]Cell, max(n, size))
	}
	cells := b.slab[:n:n] // capped: a row that grows is copied, never into its neighbour
	b.slab = b.slab[n:]
	for i, f := range fields {
		text := normalizeSpace(line[f.start:f.end])
		if markdown {
			text = unwrapEmphasis(strings.ReplaceAll(text, `\|`, "|"))
		}
		cells[i] = Cell{Text: text, Pos: Pos{Line: no, Col: f.col}}
	}
	return cells
}

// unwrapEmphasis removes the Markdown emphasis around a whole cell: converters print totals
// bold (**69**), which would leave the number a word.
func unwrapEmphasis(text string) string {
	for len(text) > 2 && (text[0] == '*' || text[0] == '_') {
		n := 1
		if text[1] == text[0] {
			n = 2
		}
		mark := text[:n]
		if len(text) <= 2*n || !strings.HasSuffix(text, mark) {
			return text
		}
		text = strings.TrimSpace(text[n : len(text)-n])
	}
	return text
}

// openTable starts a table. One cell per line has its label on the line before the first number
// (一、本年新收… then 42, 10, …): that line, just emitted as a paragraph, becomes the first row.
func (b *textBuilder) openTable(no int, kind lineKind) {
	b.table = &Block{Kind: Table}
	b.family = kind.family()
	b.counts = [numLineKinds]int{}
	if kind != lineNumber || b.blanks > 0 || b.pageBreak || len(b.doc.Blocks) == 0 {
		return
	}
	last := b.doc.Blocks[len(b.doc.Blocks)-1]
	if last.Kind != Paragraph || last.Level != 0 || last.Pos.Line != no-1 {
		return
	}
	b.doc.Blocks = b.doc.Blocks[:len(b.doc.Blocks)-1]
	b.table.Pos = last.Pos
	b.table.Rows = append(b.table.Rows, []Cell{{Text: last.Text, Pos: last.Pos}})
}

func (b *textBuilder) appendRow(no int, row []Cell) error {
	if len(row) == 0 {
		return nil
	}
	if b.lim.MaxRows > 0 && len(b.table.Rows) >= b.lim.MaxRows {
		return Errorf("", strconv.Itoa(no), ErrLimit, "a table of more than %d rows", b.lim.MaxRows)
	}
	if err := b.spend(no, len(row), rowBytes(row)); err != nil {
		return err
	}
	if !b.built.grow(len(b.table.Rows), cap(b.table.Rows), rowCost) {
		return b.built.exceeded(strconv.Itoa(no), "the text")
	}
	if len(b.table.Rows) == 0 {
		b.table.Pos = row[0].Pos
	}
	b.table.Rows = append(b.table.Rows, row)
	return nil
}

// closeTable emits the open table, then the prose lines that followed it as paragraphs.
func (b *textBuilder) closeTable() error {
	if b.table != nil && len(b.table.Rows) > 0 {
		b.table.Layout = b.layout()
		if !b.built.grow(len(b.doc.Blocks), cap(b.doc.Blocks), blockCost) {
			return b.built.exceeded(strconv.Itoa(b.table.Rows[len(b.table.Rows)-1][0].Pos.Line), "the text")
		}
		b.doc.Blocks = append(b.doc.Blocks, *b.table)
	}
	b.table = nil
	for _, p := range b.pending {
		f := wholeLine(p.line)
		if err := b.paragraph(p.no, f.col, normalizeSpace(p.line), 0); err != nil {
			return err
		}
	}
	b.pending = b.pending[:0]
	return nil
}

// layout names how the open table's cells were delimited; a space-delimited table is named after
// most of its rows.
func (b *textBuilder) layout() Layout {
	switch b.family {
	case lineTab:
		return LayoutTabs
	case linePipe:
		return LayoutPipe
	}
	c := b.counts
	split := c[lineAligned] + c[lineSpaces]
	switch {
	case split == 0, c[lineNumber] >= 2 && c[lineNumber] > split:
		return LayoutCellLines
	case c[lineAligned] >= c[lineSpaces]:
		return LayoutAligned
	}
	return LayoutSpaces
}

func (b *textBuilder) paragraph(no, col int, text string, level int) error {
	if err := b.spend(no, 1, int64(len(text))); err != nil {
		return err
	}
	if !b.built.grow(len(b.doc.Blocks), cap(b.doc.Blocks), blockCost) {
		return b.built.exceeded(strconv.Itoa(no), "the text")
	}
	b.doc.Blocks = append(b.doc.Blocks, Block{Kind: Paragraph, Pos: Pos{Line: no, Col: col}, Text: text, Level: level})
	return nil
}

// spend counts n cells or paragraphs against MaxCells, and what they cost against MaxBuilt.
func (b *textBuilder) spend(no, n int, bytes int64) error {
	b.cells += n
	if b.lim.MaxCells > 0 && b.cells > b.lim.MaxCells {
		return Errorf("", strconv.Itoa(no), ErrLimit, "more than %d cells and paragraphs", b.lim.MaxCells)
	}
	if !b.built.spend(bytes) {
		return b.built.exceeded(strconv.Itoa(no), "the text")
	}
	return nil
}

// textStart is the byte offset and 1-based rune column of the line's first character of text;
// ok is false for a blank line.
func textStart(line string) (i, col int, ok bool) {
	// Most lines start with their text: an ASCII character or a CJK ideograph (lead bytes E4–E9).
	if len(line) > 0 {
		if c := line[0]; c > ' ' && c < 0x7F || c >= 0xE4 && c <= 0xE9 && len(line) >= 3 && line[1]&0xC0 == 0x80 && line[2]&0xC0 == 0x80 {
			return 0, 1, true
		}
	}
	for j, r := range line {
		col++
		if !isBlank(r) && !isZeroWidth(r) {
			return j, col, true
		}
	}
	return len(line), col + 1, false
}

// wholeLine is the field of a line's text, from its first character (normalizeSpace trims the end).
func wholeLine(line string) field {
	i, col, _ := textStart(line)
	return field{start: i, end: len(line), col: col}
}

// runeCol is the 1-based rune column of the first non-blank character at or after byte offset i.
func runeCol(line string, i int) int {
	_, col, _ := textStart(line[i:])
	return utf8.RuneCountInString(line[:i]) + col
}

// parseHeading recognises a Markdown ATX heading: up to three spaces, one to six #, then a blank or
// the end of the line. It returns the level and the byte offset of the heading text.
func parseHeading(line string) (level, start int, ok bool) {
	i := 0
	for i < len(line) && i < 3 && line[i] == ' ' {
		i++
	}
	for i < len(line) && line[i] == '#' {
		level++
		i++
	}
	if level == 0 || level > 6 {
		return 0, 0, false
	}
	if i == len(line) {
		return level, i, true
	}
	if r, _ := utf8.DecodeRuneInString(line[i:]); !isBlank(r) {
		return 0, 0, false
	}
	return level, i, true
}

// stripClosingHashes drops an optional closing sequence "## 标题 ##".
func stripClosingHashes(s string) string {
	t := strings.TrimRight(s, "#")
	if t == "" || t == s {
		return t
	}
	if strings.HasSuffix(t, " ") {
		return strings.TrimRight(t, " ")
	}
	return s
}

// tabAfterText reports a tab that follows the line's first character of text: the sign of a TAB
// row, as opposed to tabs that merely indent.
func tabAfterText(line string) bool {
	i, _, ok := textStart(line)
	return ok && strings.IndexByte(line[i:], '\t') >= 0
}

// tabField is the field of line[start:end]: its column is that of its first character of text
// (first), or of its start (startCol) when it holds none.
func tabField(start, end, startCol, first int) field {
	if first == 0 {
		first = startCol
	}
	return field{start: start, end: end, col: first}
}

// tabFields splits a line on every tab, keeping empty fields: merged cells copy out as empty
// fields, and a trailing tab leaves a trailing empty cell.
func tabFields(line string, out []field) []field {
	start, startCol, first, col := 0, 1, 0, 0
	emit := func(end int) { out = append(out, tabField(start, end, startCol, first)) }
	for i := 0; i < len(line); {
		c := line[i]
		col++
		switch {
		case c == '\t':
			emit(i)
			start, startCol, first = i+1, col+1, 0
			i++
			continue
		case c < utf8.RuneSelf:
			if first == 0 && c > ' ' && c != 0x7F {
				first = col
			}
			i++
			continue
		case c >= 0xE4 && c <= 0xE9 && i+2 < len(line) && line[i+1]&0xC0 == 0x80 && line[i+2]&0xC0 == 0x80:
			// A CJK ideograph, neither blank nor zero-width: passed over undecoded.
			if first == 0 {
				first = col
			}
			i += 3
			continue
		}
		r, w := utf8.DecodeRuneInString(line[i:])
		if first == 0 && !isBlank(r) && !isZeroWidth(r) {
			first = col
		}
		i += w
	}
	emit(len(line))
	return out
}

// isPipeLine reports a Markdown table row: its first character of text is a pipe.
func isPipeLine(line string) bool {
	i, _, ok := textStart(line)
	return ok && line[i] == '|'
}

// pipeFields splits a Markdown table row on unescaped pipes, without the outer ones; empty inner
// cells are kept. `\|` is a pipe inside a cell (unescaped by the caller).
func pipeFields(line string, out []field) []field {
	pipe, pipeCol, _ := textStart(line)
	base := pipe + 1
	start, startCol, first := base, pipeCol+1, 0
	col := pipeCol
	escaped := false
	for i, r := range line[base:] {
		i += base
		col++
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == '|':
			c := first
			if c == 0 {
				c = startCol
			}
			out = append(out, field{start: start, end: i, col: c})
			start, startCol, first = i+1, col+1, 0
			continue
		}
		if first == 0 && !isBlank(r) && !isZeroWidth(r) {
			first = col
		}
	}
	if first != 0 { // text after the last pipe: a row written without its closing pipe
		out = append(out, field{start: start, end: len(line), col: first})
	}
	return out
}

// isPipeRule reports a Markdown separator row such as |---|:--:|: at least one cell of dashes with
// optional alignment colons, and no cell of anything else. A line of pipes alone is dropped too.
func isPipeRule(line string, fields []field) bool {
	dashes := 0
	for _, f := range fields {
		s := normalizeSpace(line[f.start:f.end])
		if s == "" {
			continue
		}
		s = strings.TrimSuffix(strings.TrimPrefix(s, ":"), ":")
		if s == "" || strings.Trim(s, "-") != "" {
			return false
		}
		dashes++
	}
	return dashes > 0 || len(fields) == 0
}

// furniture matches a whole line that is a page number: -3-, - 4 -, — 5 —, 第 3 页, 第3页 共10页,
// 共10页 第3页, 3/10, Page 3 of 10.
var furniture = regexp.MustCompile(`^(?:` +
	`[-－—–―~～]+ *[0-9０-９]+ *[-－—–―~～]+` +
	`|第 *[0-9０-９]+ *页(?: *[,，/／]? *共 *[0-9０-９]+ *页)?` +
	`|共 *[0-9０-９]+ *页 *[,，/／]? *第 *[0-9０-９]+ *页` +
	`|[0-9０-９]+ *[/／] *[0-9０-９]+` +
	`|(?i:page) *[0-9]+(?: *(?i:of|/) *[0-9]+)?` +
	`)$`)

// isFurniture reports a page-number line of PDF text. Such lines sit inside tables after a page
// break and must not become cells ("- 4 -" is not NA, 4, NA).
func isFurniture(line string) bool {
	if len(line) > 64 || strings.IndexByte(line, '\t') >= 0 {
		return false
	}
	s := normalizeSpace(line)
	if len(s) > 40 || !furniture.MatchString(s) {
		return false
	}
	if i := strings.IndexAny(s, "/／"); i >= 0 && !strings.Contains(s, "页") {
		// "3/10" is page 3 of 10; "10/3" is more likely a value than a page number.
		a, c := digitsValue(s[:i]), digitsValue(s[i:])
		return a >= 1 && a <= c
	}
	return true
}

// digitsValue reads the ASCII or full-width digits of s as one number (others ignored).
func digitsValue(s string) int {
	n := 0
	for _, r := range s {
		if d, ok := digit(r); ok && n < 1e6 {
			n = n*10 + d
		}
	}
	return n
}

func digit(r rune) (int, bool) {
	switch {
	case '0' <= r && r <= '9':
		return int(r - '0'), true
	case '０' <= r && r <= '９':
		return int(r - '０'), true
	}
	return 0, false
}

// token is a run of non-blank characters in a line.
type token struct {
	start, end int // byte offsets
	col        int // 1-based rune column of its first character
	gap        int // width of the blank run before it; a tab counts as a wide gap
}

// tokenize splits a line at blanks. Zero-width characters neither end a token nor widen a gap.
func tokenize(line string, out []token) []token {
	col, gap, in := 0, 0, false
	for i, r := range line {
		col++
		switch {
		case isZeroWidth(r):
		case r == '\t':
			in, gap = false, gap+2
		case isBlank(r):
			in, gap = false, gap+1
		default:
			if !in {
				out = append(out, token{start: i, col: col, gap: gap})
				in, gap = true, 0
			}
			out[len(out)-1].end = i + utf8.RuneLen(r)
		}
	}
	return out
}

// splitSpaced splits a tab-less line into cells: groups of tokens apart by two or more blanks
// (aligned PDF text), and within a group, a tail of single-spaced number tokens becomes one cell
// per token (browser copies). A tail splits off when it has two tokens or more, or one token when
// every later group is numeric (a label that PDF text set one space from its first number), or
// one token ending the line when oneTail is set (行政许可 68 in a single-space document). It
// returns the cells and the number of groups.
func splitSpaced(line string, toks []token, oneTail bool) ([]field, int) {
	numeric := make([]bool, len(toks)) // a number, or a word standing in a number's place
	number := make([]bool, len(toks))  // a number proper
	lastText := -1                     // index of the last token that is not a number
	for i, t := range toks {
		s := normalizeSpace(line[t.start:t.end])
		number[i], _ = numberToken(s)
		numeric[i] = number[i] || wordToken(s)
		if !numeric[i] {
			lastText = i
		}
	}
	var out []field
	groups := 0
	for i := 0; i < len(toks); {
		j := i + 1
		for j < len(toks) && toks[j].gap < 2 {
			j++
		}
		groups++
		// toks[i:j] is one group; toks[k:j] is its numeric tail.
		k := j
		hasNumber := false
		for k > i && numeric[k-1] {
			k--
			hasNumber = hasNumber || number[k]
		}
		// A word among the numbers ("四十三", "约43") is a cell of the row, never part of the label;
		// words alone are not a row.
		if !hasNumber {
			k = j
		}
		split := j-k >= 2
		if j-k == 1 && k > i {
			restNumeric := j < len(toks) && lastText < j
			split = restNumeric || (oneTail && j == len(toks))
		}
		if !split {
			k = j
		}
		if k > i {
			out = append(out, field{start: toks[i].start, end: toks[k-1].end, col: toks[i].col})
		}
		for _, t := range toks[k:j] {
			out = append(out, field{start: t.start, end: t.end, col: t.col})
		}
		i = j
	}
	return out, groups
}

// wordToken reports a token that stands where a number belongs rather than in a label: Chinese
// numerals (四十三), a short token with a digit that is not an ordinal (约43, 1e30, 43件) and short
// Latin words (abc). A row's tail of numbers may hold such a token; the reader of the table decides
// what it means.
func wordToken(s string) bool {
	if s == "" || len(s) > 48 || strings.ContainsAny(s, "、()（）:：") {
		return false
	}
	n := 0
	numeral, digits, latin := true, false, true
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		n++
		if !strings.ContainsRune("〇零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟", r) {
			numeral = false
		}
		if _, ok := digit(r); ok {
			digits = true
			continue
		}
		if r == '.' || r == '．' {
			next, _ := utf8.DecodeRuneInString(s[i:])
			if _, ok := digit(next); !ok || i == len(s) {
				return false // an ordinal: "1.", "1.属于…"
			}
			continue
		}
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '+' || r == '-') {
			latin = false
		}
	}
	switch {
	case n > 12:
		return false
	case numeral:
		return true
	case digits:
		return n <= 6
	case latin:
		return n <= 8
	}
	return false
}

// numberToken reports whether a blank-free token reads as a value in the space-separated layouts
// (ok), and whether it has digits (a mark for "not applicable" has none): ASCII or full-width
// digits with an optional sign, thousands separators (, or ，) and decimals; or / ／ - － — —— -- – 无.
func numberToken(s string) (ok, digits bool) {
	switch s {
	case "/", "／", "-", "－", "—", "——", "--", "–", "无":
		return true, false
	}
	if r, n := utf8.DecodeRuneInString(s); r == '+' || r == '-' || r == '＋' || r == '－' {
		s = s[n:]
	}
	prevDigit, point := false, false
	for _, r := range s {
		_, isDigit := digit(r)
		switch {
		case isDigit:
			prevDigit = true
		case (r == ',' || r == '，') && prevDigit && !point:
			prevDigit = false
		case (r == '.' || r == '．') && prevDigit && !point:
			prevDigit, point = false, true
		default:
			return false, false
		}
	}
	return prevDigit, prevDigit
}
