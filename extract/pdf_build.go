package extract

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// pdfBuilder turns pages into blocks. A ruled table at the foot of a page stays open: when the next
// page begins with a table of the same width, that is the same table broken by the page, and a
// merged cell cut by the break becomes one cell again. A paragraph whose last line reaches the
// right edge stays open for the next line, on this page or the next.
type pdfBuilder struct {
	doc   *Document
	lim   Limits
	cells int

	han, glyphs  int
	firstText    int   // first page with text, -1 before it
	scans        []int // pages with an image and no text
	table        *pdfTable
	aligned      *Block
	alignedLast  pdfLineInfo
	lastChunks   [][]PDFGlyph  // the cells of the last aligned row, as glyphs
	pendingLines []pdfLineInfo // one-cell lines after an aligned row: parts of its cells or the next row's
	para         *pdfPara
	margins      map[string]bool // the last page's lines in its top and bottom margins
}

// pdfLineInfo is a free line of a page with what the layout needs to place it.
type pdfLineInfo struct {
	page   int
	line   pdfLine
	h      float64
	chunks [][]PDFGlyph
	edges  textEdges
}

// textEdges are the left and right edges of a page's running text.
type textEdges struct{ left, right float64 }

type pdfPara struct {
	text  []string
	pos   Pos
	page  int
	last  PDFRect
	h     float64
	full  bool // the last line reaches the right edge of the text: the paragraph may go on
	lines int
}

func newPDFBuilder(src Source, lim Limits) *pdfBuilder {
	return &pdfBuilder{doc: &Document{Source: src}, lim: lim, firstText: -1}
}

func (b *pdfBuilder) addPage(p int, page *PDFPage) error {
	gs := cleanGlyphs(page.Glyphs)
	if len(gs) == 0 {
		if imagesCover(page) {
			b.scans = append(b.scans, p)
		}
		return nil
	}
	if err := b.checkText(p, gs); err != nil {
		return err
	}
	if b.firstText < 0 {
		b.firstText = p
	}
	if kept, n := dropStruck(gs, page.Rules); n > 0 {
		gs = kept
		b.doc.Notes = append(b.doc.Notes, Note{Pos: Pos{Page: p + 1}, Code: "struck-text",
			Message: fmt.Sprintf("%d characters on page %d are struck through (deleted text of tracked changes printed with the page?) and are not read", n, p+1)})
	}
	tables := findTables(page.Rules)
	kept := tables[:0]
	for _, t := range tables {
		n := len(gs)
		gs = t.take(gs)
		if len(gs) < n {
			kept = append(kept, t) // a grid without text is a drawing
		}
	}
	for _, t := range kept {
		if left, right := t.cutEdges(page.Width); left || right {
			var dropped int
			gs, dropped = t.markCut(gs, page.Width, left, right)
			side := "left"
			if right {
				side = "right"
				if left {
					side = "left and right"
				}
			}
			b.doc.Notes = append(b.doc.Notes, Note{Pos: pdfPos(p, t.box.X0, t.box.Y0), Code: "clipped-table",
				Message: fmt.Sprintf("the table runs off the %s edge of the page: the columns beyond the edge are not on the page and are not read (%d characters there dropped); the cells at the edge are marked cut", side, dropped)})
		}
	}
	lines := groupLines(gs)
	free := lines[:0]
	margins := map[string]bool{}
	for _, l := range lines {
		h := l.height()
		text := glyphText(l.glyphs, h)
		if l.box.Y1 < 0.12*page.Height || l.box.Y0 > 0.88*page.Height {
			// A running header or footer repeats on every page, at the same height, its page
			// number aside; it is dropped from the second page on, where it would cut a table in
			// two.
			key := fmt.Sprintf("%d|%s", int(l.box.Y0/4), strings.Map(func(r rune) rune {
				if _, ok := digit(r); ok {
					return -1
				}
				return r
			}, text))
			margins[key] = true
			switch {
			case isFurniture(text):
				b.doc.Notes = append(b.doc.Notes, Note{Pos: pdfPos(p, l.box.X0, l.box.Y0), Code: "page-furniture",
					Message: fmt.Sprintf("dropped the page number %q", text)})
				continue
			case b.margins[key]:
				b.doc.Notes = append(b.doc.Notes, Note{Pos: pdfPos(p, l.box.X0, l.box.Y0), Code: "page-furniture",
					Message: fmt.Sprintf("dropped the running header or footer %q", text)})
				continue
			}
		}
		free = append(free, l)
	}
	b.margins = margins
	edges := pageEdges(free, page.Width)
	type item struct {
		y     float64
		table *gridTable
		line  int
	}
	items := make([]item, 0, len(kept)+len(free))
	for _, t := range kept {
		items = append(items, item{y: t.box.Y0, table: t})
	}
	for i, l := range free {
		items = append(items, item{y: l.box.Y0, line: i})
	}
	slices.SortStableFunc(items, func(a, c item) int { return cmpFloat(a.y, c.y) })
	for k, it := range items {
		if it.table != nil {
			if err := b.addTable(p, it.table, k == 0); err != nil {
				return err
			}
			continue
		}
		if err := b.flushTable(); err != nil {
			return err
		}
		l := free[it.line]
		h := l.height()
		if err := b.addLine(pdfLineInfo{page: p, line: l, h: h, chunks: splitChunks(l), edges: edges}); err != nil {
			return err
		}
	}
	return nil
}

// checkText refuses a page whose text layer is codes rather than characters.
func (b *pdfBuilder) checkText(p int, gs []PDFGlyph) error {
	var han, garbage, latin int
	for _, g := range gs {
		switch classifyGlyph(g.R) {
		case glyphHan:
			han++
		case glyphGarbage:
			garbage++
		default:
			if g.R < 0x80 && unicode.IsLetter(g.R) {
				latin++
			}
		}
	}
	b.han += han
	b.glyphs += len(gs)
	switch {
	case garbage >= 8 && garbage*5 > len(gs),
		len(gs) >= 30 && han == 0 && (garbage+latin)*2 >= len(gs):
		return &Error{Place: pagePlace(p), Err: fmt.Errorf("%w: %w (%d of %d characters on the page are Chinese, %d are codes without a character)", ErrEncoding, errNoUnicode, han, len(gs), garbage)}
	}
	return nil
}

// imagesCover reports whether a page's images cover a good part of it, as a scan's do.
func imagesCover(page *PDFPage) bool {
	area := 0.0
	for _, r := range page.Images {
		area += max(r.width(), 0) * max(r.height(), 0)
	}
	return page.Width > 0 && page.Height > 0 && area >= 0.25*page.Width*page.Height
}

// pageEdges finds where a page's running text starts and ends. The right edge is where several
// lines end together (justified text); a page of short lines has none, and then no line there
// reaches it.
func pageEdges(lines []pdfLine, width float64) textEdges {
	if len(lines) == 0 {
		return textEdges{}
	}
	e := textEdges{left: lines[0].box.X0, right: lines[0].box.X1}
	for _, l := range lines {
		e.left = min(e.left, l.box.X0)
		e.right = max(e.right, l.box.X1)
	}
	near := 0
	for _, l := range lines {
		if l.box.X1 >= e.right-l.height() {
			near++
		}
	}
	if near < 3 {
		e.right = max(e.right, width-e.left) + 1 // margins are symmetric, near enough
	}
	return e
}

func (b *pdfBuilder) addLine(l pdfLineInfo) error {
	if len(l.chunks) >= 2 {
		if err := b.flushPara(); err != nil {
			return err
		}
		return b.alignedRow(l)
	}
	if b.aligned != nil {
		// One-cell lines close below a row, each close below the last and set in the table's
		// size (a heading is larger): wrapped parts of cells, kept if another row follows.
		last := b.alignedLast
		if n := len(b.pendingLines); n > 0 {
			last = b.pendingLines[n-1]
		}
		if l.page == last.page && l.line.box.Y0-last.line.box.Y1 <= 1.5*l.h && abs(l.h-b.alignedLast.h) <= 0.2*b.alignedLast.h && len(b.pendingLines) < 12 {
			b.pendingLines = append(b.pendingLines, l)
			return nil
		}
		if err := b.flushAligned(); err != nil {
			return err
		}
	}
	return b.textLine(l)
}

// textLine adds a line of running text: it continues the open paragraph when that one filled its
// last line and this line is not indented nor set in another size, else it starts a paragraph.
func (b *pdfBuilder) textLine(l pdfLineInfo) error {
	text := glyphText(l.line.glyphs, l.h)
	if p := b.para; p != nil {
		samePage := l.page == p.page && l.line.box.Y0 >= p.last.Y0 && l.line.box.Y0-p.last.Y1 <= 0.9*p.h
		nextPage := l.page == p.page+1 && b.table == nil
		wrapped := p.full && (samePage || nextPage) && l.line.box.X0 <= l.edges.left+0.5*l.h
		// A centred title wrapped over two lines: the same middle, the second line away from the
		// left edge (a paragraph's indented first line is off the middle by the indent).
		centred := samePage && abs(p.last.midX()-l.line.box.midX()) <= 0.3*l.h && l.line.box.X0 > l.edges.left+2*l.h
		if (wrapped || centred) && abs(l.h-p.h) <= 0.2*p.h {
			p.text = append(p.text, text)
			p.page, p.last, p.lines = l.page, l.line.box, p.lines+1
			p.full = l.line.box.X1 >= l.edges.right-1.5*l.h
			return nil
		}
		if err := b.flushPara(); err != nil {
			return err
		}
	}
	b.para = &pdfPara{
		text: []string{text}, pos: pdfPos(l.page, l.line.box.X0, l.line.box.Y0), page: l.page,
		last: l.line.box, h: l.h, full: l.line.box.X1 >= l.edges.right-1.5*l.h, lines: 1,
	}
	return nil
}

func (b *pdfBuilder) flushPara() error {
	p := b.para
	if p == nil {
		return nil
	}
	b.para = nil
	if err := b.spend(p.pos, 1); err != nil {
		return err
	}
	b.doc.Blocks = append(b.doc.Blocks, Block{Kind: Paragraph, Pos: p.pos, Text: joinParts(p.text)})
	return nil
}

// alignedRow adds a line of cells apart by wide gaps to the open unruled table. The one-cell lines
// since the last row are the wrapped parts of cells (a long label over three lines has its values
// on the middle one): each goes to the nearer of the two rows around it, into the cell it lies
// under or over, as the cell a ruling would have drawn around them.
func (b *pdfBuilder) alignedRow(l pdfLineInfo) error {
	last := b.alignedLast
	if n := len(b.pendingLines); n > 0 {
		last = b.pendingLines[n-1]
	}
	if b.aligned != nil && l.page == last.page && l.line.box.Y0-last.line.box.Y1 > 3*l.h {
		if err := b.flushAligned(); err != nil {
			return err
		}
	}
	if b.aligned == nil {
		b.aligned = &Block{Kind: Table, Pos: pdfPos(l.page, l.line.box.X0, l.line.box.Y0), Layout: LayoutAligned}
		b.lastChunks = nil
	}
	chunks := append([][]PDFGlyph(nil), l.chunks...)
	touched := false
	for _, pl := range b.pendingLines {
		inf := 1e18
		prev, next := inf, inf
		if b.lastChunks != nil && pl.page == b.alignedLast.page {
			prev = pl.line.box.Y0 - b.alignedLast.line.box.Y1
		}
		if pl.page == l.page {
			next = l.line.box.Y0 - pl.line.box.Y1
		}
		if prev < next {
			b.lastChunks, touched = attachChunk(b.lastChunks, pl.line.glyphs), true
		} else {
			chunks = attachChunk(chunks, pl.line.glyphs)
		}
	}
	b.pendingLines = b.pendingLines[:0]
	if touched {
		b.aligned.Rows[len(b.aligned.Rows)-1] = alignedCells(b.alignedLast, b.lastChunks)
	}
	b.alignedLast, b.lastChunks = l, chunks
	row := alignedCells(l, chunks)
	if b.lim.MaxRows > 0 && len(b.aligned.Rows) >= b.lim.MaxRows {
		return &Error{Place: pagePlace(l.page), Err: fmt.Errorf("%w: a table of more than %d rows", ErrLimit, b.lim.MaxRows)}
	}
	if err := b.spend(row[0].Pos, len(row)); err != nil {
		return err
	}
	b.aligned.Rows = append(b.aligned.Rows, row)
	return nil
}

// attachChunk adds the glyphs of a wrapped line to the cell they overlap most across, or as a cell
// of their own where they overlap none.
func attachChunk(chunks [][]PDFGlyph, gs []PDFGlyph) [][]PDFGlyph {
	box := boxOf(gs)
	best, most := -1, 0.0
	for i, c := range chunks {
		cb := boxOf(c)
		if o := min(cb.X1, box.X1) - max(cb.X0, box.X0); o > most {
			best, most = i, o
		}
	}
	if best >= 0 {
		chunks[best] = append(append([]PDFGlyph(nil), chunks[best]...), gs...)
		return chunks
	}
	at := len(chunks)
	for i, c := range chunks {
		if boxOf(c).X0 > box.X0 {
			at = i
			break
		}
	}
	return slices.Insert(chunks, at, gs)
}

// alignedCells makes the cells of an unruled row.
func alignedCells(l pdfLineInfo, chunks [][]PDFGlyph) []Cell {
	row := make([]Cell, len(chunks))
	for i, c := range chunks {
		box := boxOf(c)
		pos := pdfPos(l.page, box.X0, box.Y0)
		// The character column, in half-width characters as pdftotext -layout prints them, lets
		// transform join the pieces of a wrapped label column by column.
		pos.Col = int(box.X0/(l.h/2)) + 1
		row[i] = Cell{Text: blockText(append([]PDFGlyph(nil), c...)), Pos: pos}
	}
	return row
}

func (b *pdfBuilder) flushAligned() error {
	if b.aligned != nil {
		b.doc.Blocks = append(b.doc.Blocks, *b.aligned)
		b.aligned = nil
	}
	pending := b.pendingLines
	b.pendingLines = nil
	for _, l := range pending {
		if err := b.textLine(l); err != nil {
			return err
		}
	}
	return nil
}

// addTable adds a ruled table: the continuation of the open one when it opens the page and has
// the open one's width, else a new table.
func (b *pdfBuilder) addTable(p int, g *gridTable, first bool) error {
	if err := b.flushPara(); err != nil {
		return err
	}
	if err := b.flushAligned(); err != nil {
		return err
	}
	if t := b.table; t != nil && first && t.lastPage == p-1 && abs(t.left-g.box.X0) <= 3*ruleTol && abs(t.right-g.box.X1) <= 3*ruleTol {
		return t.extend(p, g)
	}
	if err := b.flushTable(); err != nil {
		return err
	}
	b.table = newPDFTable(p, g)
	return nil
}

func (b *pdfBuilder) flushTable() error {
	t := b.table
	if t == nil {
		return nil
	}
	b.table = nil
	rows := t.grid()
	if b.lim.MaxRows > 0 && len(rows) > b.lim.MaxRows {
		return &Error{Place: t.pos.String(), Err: fmt.Errorf("%w: a table of more than %d rows", ErrLimit, b.lim.MaxRows)}
	}
	n := 0
	for _, r := range rows {
		n += len(r)
	}
	if err := b.spend(t.pos, n); err != nil {
		return err
	}
	b.doc.Blocks = append(b.doc.Blocks, Block{Kind: Table, Pos: t.pos, Rows: rows, Layout: LayoutGrid})
	b.doc.Notes = append(b.doc.Notes, t.cutNotes()...)
	return nil
}

func (b *pdfBuilder) spend(pos Pos, n int) error {
	b.cells += n
	if b.lim.MaxCells > 0 && b.cells > b.lim.MaxCells {
		return &Error{Place: pos.String(), Err: fmt.Errorf("%w: more than %d cells and paragraphs", ErrLimit, b.lim.MaxCells)}
	}
	return nil
}

func (b *pdfBuilder) finish() (*Document, error) {
	for _, flush := range []func() error{b.flushTable, b.flushAligned, b.flushPara} {
		if err := flush(); err != nil {
			return nil, err
		}
	}
	if b.firstText < 0 {
		place := pagePlace(0)
		if len(b.scans) > 0 {
			place = pagePlace(b.scans[0])
		}
		return nil, &Error{Place: place, Err: fmt.Errorf("%w: %w", ErrNoContent, errScanned)}
	}
	if b.han == 0 {
		return nil, &Error{Place: pagePlace(b.firstText), Err: fmt.Errorf("%w: %w (no Chinese character in %d)", ErrEncoding, errNoUnicode, b.glyphs)}
	}
	for _, p := range b.scans {
		b.doc.Notes = append(b.doc.Notes, Note{Pos: Pos{Page: p + 1}, Code: "scanned-page",
			Message: fmt.Sprintf("page %d is an image without a text layer (a scan?): whatever it shows is not read; run OCR on it", p+1)})
	}
	if len(b.doc.Blocks) == 0 {
		return nil, &Error{Err: fmt.Errorf("%w: nothing but page numbers", ErrNoContent)}
	}
	return b.doc, nil
}
