package extract

import (
	"fmt"
	"slices"
	"strings"
)

// pdfTable is a ruled table being assembled, perhaps over several pages. Its cells are kept as
// regions with an x extent and a span of table rows, so fragments whose inner lines differ a little
// (a header on one page, data rows on the next) still make one grid: the columns of the whole table
// are all the boundaries any fragment draws.
type pdfTable struct {
	pos         Pos
	left, right float64
	lastPage    int
	rows        int
	regions     []*pdfRegion
	notes       []Note // what was cut off at the page's edge
}

type pdfRegion struct {
	x0, x1     float64
	row0, row1 int // table rows covered, inclusive
	text       string
	pos        Pos
	// y0 and y1 are the region's top and bottom on its page; bottom and lastX1 are where its text
	// ends, down and across its last line; lh is the height of its text's lines.
	y0, y1, bottom, lastX1, lh float64
	// lastW and maxW are the widths of its last line and of its widest, firstW that of its first
	// glyph.
	lastW, maxW, firstW float64
	// cut and unreadable are gridRegion's: on the side where the table runs off the page, and
	// partly off the page itself (its text is then not given as the cell's).
	cut, unreadable bool
}

func (r *pdfRegion) multi() bool { return r.row1 > r.row0 }

func newPDFTable(p int, g *gridTable) *pdfTable {
	t := &pdfTable{pos: pdfPos(p, g.box.X0, g.box.Y0), left: g.box.X0, right: g.box.X1}
	t.append(p, g)
	return t
}

// append adds a page's fragment below the rows the table has.
func (t *pdfTable) append(p int, g *gridTable) []*pdfRegion {
	base := t.rows
	added := make([]*pdfRegion, len(g.regions))
	for i, r := range g.regions {
		x0, y0 := g.xs[r.c0], g.ys[r.r0]
		reg := &pdfRegion{
			x0: x0, x1: g.xs[r.c1+1], row0: base + r.r0, row1: base + r.r1,
			pos: pdfPos(p, x0, y0), y0: y0, y1: g.ys[r.r1+1], cut: r.cut, unreadable: r.unreadable,
		}
		if len(r.glyphs) > 0 {
			lines := groupLines(r.glyphs)
			last := lines[len(lines)-1]
			reg.bottom, reg.lastX1, reg.lh = last.box.Y1, last.box.X1, last.height()
			reg.lastW, reg.firstW = last.box.width(), lines[0].glyphs[0].Box.width()
			for _, l := range lines {
				reg.maxW = max(reg.maxW, l.box.width())
			}
			reg.text = ruledCellText(lines, reg.x1-reg.x0)
		}
		added[i] = reg
	}
	t.regions = append(t.regions, added...)
	t.rows += g.rows()
	t.lastPage = p
	return added
}

// ruledCellText renders the lines of a ruled cell. A ruled cell holds one value: lines of digits
// alone, each but the last too full for the next line's first digit, are one number the narrow
// cell wrapped, and read as one ("301" over "24" is 30124). Lines with room to spare are values of
// their own, left apart for transform to flag.
func ruledCellText(lines []pdfLine, width float64) string {
	parts := make([]string, len(lines))
	number := len(lines) > 1
	for i := range lines {
		parts[i] = glyphText(lines[i].glyphs, lines[i].height())
		if !digitsOnly(parts[i]) || i > 0 && !wrapped(width, lines[i-1].box.width(), lines[i-1].height(), lines[i].glyphs[0].Box.width()) {
			number = false
		}
	}
	if number {
		return strings.Join(parts, "")
	}
	return joinParts(parts)
}

// wrapped tells whether a line lineW wide (lh high) in a cell width wide is too full to take a
// glyph next wide, so that the glyph had to go to the next line. The cell's padding is unknown: up to 0.9 of a line height
// counts as padding, less than any producer's room for one more digit plus its padding.
func wrapped(width, lineW, lh, next float64) bool {
	return width-lineW-next <= 0.9*lh
}

// heldBack tells whether text begins with a glyph and a punctuation mark that may not start a line,
// so that line breaking carried the glyph over with it.
func heldBack(text string) bool {
	rs := []rune(text)
	return len(rs) >= 2 && strings.ContainsRune("、，。；：？！）》」』】”’", rs[1])
}

// number tells whether regions b and r hold digits both, the parts of one number if anything.
func number(b, r *pdfRegion) bool { return digitsOnly(b.text) && digitsOnly(r.text) }

// digitsOnly tells whether s is a piece of a number: digits, perhaps with separators, and no sign
// or word.
func digitsOnly(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if _, ok := digit(r); !ok && r != ',' && r != '.' && r != '，' && r != '．' {
			return false
		}
	}
	return true
}

// extend adds the fragment of the table that the next page carries. A cell merged over several
// rows that the page break cut in two is one cell again (see continues).
func (t *pdfTable) extend(p int, g *gridTable) error {
	last := t.rows - 1
	var bottom []*pdfRegion
	for _, r := range t.regions {
		if r.row1 == last {
			bottom = append(bottom, r)
		}
	}
	added := t.append(p, g)
	first := t.rows - g.rows()
	if k := t.repeatedHeader(added, first); k > 0 {
		// The producer repeated the table's header rows on the new page: they are read once.
		added = slices.DeleteFunc(added, func(r *pdfRegion) bool { return r.row1 < first+k })
		t.regions = slices.DeleteFunc(t.regions, func(r *pdfRegion) bool { return r.row0 >= first && r.row1 < first+k })
		for _, r := range added {
			r.row0, r.row1 = r.row0-k, r.row1-k
		}
		t.rows -= k
	}
	drop := map[*pdfRegion]bool{}
	for _, r := range added {
		if r.row0 != first {
			continue
		}
		for _, b := range bottom {
			if abs(b.x0-r.x0) <= 2*ruleTol && abs(b.x1-r.x1) <= 2*ruleTol && continues(b, r) {
				b.row1 = r.row1
				b.text = joinParts([]string{b.text, r.text})
				b.cut, b.unreadable = b.cut || r.cut, b.unreadable || r.unreadable
				drop[r] = true
				break
			}
		}
	}
	if len(drop) > 0 {
		t.regions = slices.DeleteFunc(t.regions, func(r *pdfRegion) bool { return drop[r] })
	}
	t.joinCutRow(first)
	return nil
}

// joinCutRow makes the table's row first, at the head of a page, and the row above it, at the foot
// of the page before, one row again when they are the two parts of a row the page break cut (word
// processors let a row break across pages by default). The parts have the same cells, column for
// column, and the text flowed from one into the other: a cell with text in both parts fills its
// part on the first page to the foot and to the right edge, as a line that went on does; at least
// one cell does so, and none has a part there that ends short. Whole rows of their own stay apart
// where the geometry cannot tell: transform's identities flag them then.
func (t *pdfTable) joinCutRow(first int) {
	if first < 1 || first >= t.rows {
		return
	}
	var upper, lower []*pdfRegion
	for _, r := range t.regions {
		switch {
		case r.row0 == first-1 && r.row1 == first-1:
			upper = append(upper, r)
		case r.row0 == first:
			lower = append(lower, r) // one spanning rows is a merged cell the cut row opens
		case r.row0 < first-1 && r.row1 == first-1:
			return // a merged cell ends at the break: its group of rows ends there
		}
	}
	if len(lower) == 0 || len(lower) != len(upper) {
		return
	}
	pairs := make([]*pdfRegion, len(lower))
	flowed := false
	for i, r := range lower {
		for _, b := range upper {
			if abs(b.x0-r.x0) <= 2*ruleTol && abs(b.x1-r.x1) <= 2*ruleTol {
				pairs[i] = b
				break
			}
		}
		b := pairs[i]
		if b == nil {
			return
		}
		if b.text != "" && r.text != "" {
			// Tighter than continues: a value on a line of its own, centred in its cell, nears
			// the foot and the right edge too, but leaves more room than a line that went on.
			// A line may end a glyph short where the next glyph went on with the punctuation that
			// must not start a line ("正、").
			room := 0.0
			if heldBack(r.text) {
				room = b.lh
			}
			if b.y1-b.bottom > 0.6*b.lh || b.maxW-b.lastW > 0.3*b.lh+room {
				return
			}
			if b.x1-b.lastX1 > 1.1*b.lh+room {
				// A cell padded wider than its glyphs' line: the line went on if the part below's
				// first glyph would not have fitted inside the padding, taken as wide on the right
				// as the line starts from the left edge.
				pad := b.lastX1 - b.lastW - b.x0
				if pad < 0 || pad > 0.5*b.lh || b.x1-pad-b.lastX1 >= r.firstW+room {
					return
				}
			}
			if number(b, r) && !wrapped(b.x1-b.x0, b.lastW, b.lh, r.firstW) {
				return // the digits on the page before left room for more: a number of its own
			}
			flowed = true
		}
	}
	if !flowed {
		return
	}
	for i, r := range lower {
		b := pairs[i]
		b.row1 = r.row1
		b.cut, b.unreadable = b.cut || r.cut, b.unreadable || r.unreadable
		if number(b, r) {
			b.text += r.text // a number the break wrapped
		} else {
			b.text = joinParts([]string{b.text, r.text})
		}
	}
	t.regions = slices.DeleteFunc(t.regions, func(r *pdfRegion) bool { return slices.Contains(lower, r) })
	for _, r := range t.regions {
		if r.row0 > first {
			r.row0--
		}
		if r.row1 >= first {
			r.row1--
		}
	}
	t.rows--
}

// repeatedHeader is how many rows at the head of a new fragment (its regions added, starting at
// table row first) repeat the table's first rows, cell for cell: the header rows a word processor
// repeats on every page. Only whole rows count: no region may run from them into the rows below.
func (t *pdfTable) repeatedHeader(added []*pdfRegion, first int) int {
	sig := func(regs []*pdfRegion, row int) string {
		var parts []string
		for _, r := range regs {
			if r.row0 == row {
				parts = append(parts, fmt.Sprintf("%.0f:%s", r.x0/ruleTol/2, r.text))
			}
		}
		slices.Sort(parts)
		return strings.Join(parts, "|")
	}
	k := 0
	for k < 4 && first+k < t.rows && k < first {
		a, b := sig(t.regions, k), sig(added, first+k)
		if a == "" || a != b {
			break
		}
		k++
	}
	for k > 0 {
		whole := true
		for _, r := range added {
			if r.row0 < first+k && r.row1 >= first+k {
				whole = false
			}
		}
		for _, r := range t.regions {
			if r.row0 < k && r.row1 >= k {
				whole = false // the table's own header runs into its data rows
			}
		}
		if whole {
			break
		}
		k--
	}
	return k
}

// continues tells whether region r, at the head of a page, is the rest of region b, at the foot
// of the page before, with the same columns. A producer that breaks a merged cell draws the table's
// border under the part on one page and over the part on the next, so the rulings cannot tell; the
// parts can:
//   - an empty part next to a part that spans rows: the text went whole into one part (one that
//     spans rows is a merged cell; an empty single cell beside a new label is not);
//   - text flowed from one part into the other: it fills the first part, its last line to the right
//     edge and its lines to the foot (a label that ends there leaves its last line short), and the
//     second part spans rows as a merged cell does.
func continues(b, r *pdfRegion) bool {
	switch {
	case b.text == "" && r.text == "":
		return b.multi() || r.multi()
	case r.text == "":
		return b.multi()
	case b.text == "":
		return b.multi()
	}
	pad := 1.2*b.lh + ruleThick
	return r.multi() && b.y1-b.bottom <= pad && b.x1-b.lastX1 <= pad
}

// cutNotes names the cells whose text the page's edge cut, for the reader's notes.
func (t *pdfTable) cutNotes() []Note {
	for _, r := range t.regions {
		if r.unreadable {
			t.notes = append(t.notes, Note{Pos: r.pos, Code: "clipped-cell",
				Message: fmt.Sprintf("the cell's text %q runs off the page's edge: what is visible of it is not read as its value", r.text)})
		}
	}
	return t.notes
}

// grid lays the regions out as rows of cells: every column boundary of the table, a region's text
// in its top-left cell and copies of it in the other cells it covers, as the DOCX reader expands a
// merged cell.
func (t *pdfTable) grid() [][]Cell {
	var xs []float64
	for _, r := range t.regions {
		xs = append(xs, r.x0, r.x1)
	}
	xs = clusterPositions(xs)
	cols := len(xs) - 1
	if cols < 1 {
		return nil
	}
	byRow := make([][]*pdfRegion, t.rows)
	for _, r := range t.regions {
		for i := r.row0; i <= r.row1 && i < t.rows; i++ {
			byRow[i] = append(byRow[i], r)
		}
	}
	rows := make([][]Cell, t.rows)
	for i := range rows {
		row := make([]Cell, cols)
		seen := map[*pdfRegion]bool{}
		for j := range cols {
			mid := (xs[j] + xs[j+1]) / 2
			var reg *pdfRegion
			for _, r := range byRow[i] {
				if r.x0-ruleTol <= mid && mid <= r.x1+ruleTol {
					reg = r
					break
				}
			}
			if reg == nil {
				row[j] = Cell{Pos: Pos{Page: t.pos.Page}}
				continue
			}
			row[j] = Cell{Text: reg.text, Pos: reg.pos, Copy: seen[reg] || i > reg.row0, Cut: reg.cut}
			if reg.unreadable {
				row[j].Text, row[j].Uncomputed = "", true
			}
			seen[reg] = true
		}
		rows[i] = row
	}
	return rows
}
