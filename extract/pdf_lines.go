package extract

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Glyphs to lines and lines to text. A line is the glyphs whose vertical middles fall inside each
// other's boxes; within a line, glyphs are read left to right and a space is written where the gap
// is a word space and the neighbours are not both Chinese (which never takes spaces).

const (
	// wordGap is the gap, in line heights, that separates two words (a space is a quarter to a
	// third of an em); justified Chinese stretches gaps too, but Chinese never takes spaces.
	wordGap = 0.3
	// cellGap is the gap, in line heights, that separates two cells of an unruled table: wider
	// than any word space or justified stretch, narrower than a column gutter.
	cellGap = 1.2
)

// cleanGlyphs drops whitespace (layout comes from positions) and folds the characters PDF fonts
// map to look-alikes of common ideographs (Kangxi radicals, compatibility ideographs) into the
// unified ideographs a reader expects: ⼀ → 一.
func cleanGlyphs(gs []PDFGlyph) []PDFGlyph {
	out := gs[:0]
	for _, g := range gs {
		if unicode.IsSpace(g.R) || isBlank(g.R) || isZeroWidth(g.R) || g.Box.X1 < g.Box.X0 || g.Box.Y1 < g.Box.Y0 {
			continue
		}
		if (g.R >= 0x2F00 && g.R <= 0x2FDF) || (g.R >= 0x2E80 && g.R <= 0x2EFF) || (g.R >= 0xF900 && g.R <= 0xFAFF) {
			if s := norm.NFKC.String(string(g.R)); len([]rune(s)) == 1 {
				g.R = []rune(s)[0]
			}
		}
		out = append(out, g)
	}
	return out
}

// pdfLine is one line of glyphs, left to right.
type pdfLine struct {
	glyphs []PDFGlyph
	box    PDFRect
}

// height is the line's median glyph height: the font size, near enough.
func (l *pdfLine) height() float64 {
	hs := make([]float64, len(l.glyphs))
	for i, g := range l.glyphs {
		hs[i] = g.Box.height()
	}
	slices.Sort(hs)
	h := hs[len(hs)/2]
	if h <= 0 {
		return 1
	}
	return h
}

// groupLines sorts glyphs into lines, top to bottom. gs is reordered.
func groupLines(gs []PDFGlyph) []pdfLine {
	if len(gs) == 0 {
		return nil
	}
	slices.SortStableFunc(gs, func(a, b PDFGlyph) int { return cmpFloat(a.Box.midY(), b.Box.midY()) })
	var lines []pdfLine
	start := 0
	box := gs[0].Box
	for i := 1; i <= len(gs); i++ {
		if i < len(gs) {
			g := gs[i].Box
			// Same line while the glyph's middle is inside the line's band and the line's middle
			// inside the glyph's: a superscript or a taller glyph stays, the next line does not.
			if g.midY() <= box.Y1 && box.midY() >= g.Y0 {
				box = union(box, g)
				continue
			}
		}
		line := gs[start:i:i]
		slices.SortStableFunc(line, func(a, b PDFGlyph) int { return cmpFloat(a.Box.X0, b.Box.X0) })
		lines = append(lines, pdfLine{glyphs: dedupOverprint(line), box: box})
		if i < len(gs) {
			start, box = i, gs[i].Box
		}
	}
	return lines
}

// dedupOverprint drops a glyph printed again over itself, the way some producers fake bold.
func dedupOverprint(gs []PDFGlyph) []PDFGlyph {
	out := gs[:0]
	for i, g := range gs {
		if i > 0 {
			p := out[len(out)-1]
			if p.R == g.R && math.Abs(p.Box.X0-g.Box.X0) < 0.3*max(p.Box.width(), 0.5) && math.Abs(p.Box.Y0-g.Box.Y0) < 0.3*max(p.Box.height(), 0.5) {
				continue
			}
		}
		out = append(out, g)
	}
	return out
}

// glyphText renders the glyphs of a line, normalised like the other readers' text.
func glyphText(gs []PDFGlyph, h float64) string {
	var b strings.Builder
	for i, g := range gs {
		if i > 0 {
			p := gs[i-1]
			if g.Box.X0-p.Box.X1 > wordGap*h && !(isCJK(p.R) && isCJK(g.R)) {
				b.WriteByte(' ')
			}
		}
		b.WriteRune(g.R)
	}
	return normalizeSpace(b.String())
}

// splitChunks cuts a line where the gap between glyphs is wider than a cell gap.
func splitChunks(l pdfLine) [][]PDFGlyph {
	h := l.height()
	var out [][]PDFGlyph
	start := 0
	for i := 1; i <= len(l.glyphs); i++ {
		if i == len(l.glyphs) || l.glyphs[i].Box.X0-l.glyphs[i-1].Box.X1 >= cellGap*h {
			out = append(out, l.glyphs[start:i])
			start = i
		}
	}
	return out
}

// blockText renders glyphs that belong together (a table cell) as lines joined like the
// paragraphs of a DOCX cell.
func blockText(gs []PDFGlyph) string {
	lines := groupLines(gs)
	parts := make([]string, 0, len(lines))
	for i := range lines {
		parts = append(parts, glyphText(lines[i].glyphs, lines[i].height()))
	}
	return joinParts(parts)
}

func boxOf(gs []PDFGlyph) PDFRect {
	r := gs[0].Box
	for _, g := range gs[1:] {
		r = union(r, g.Box)
	}
	return r
}

func union(a, b PDFRect) PDFRect {
	return PDFRect{min(a.X0, b.X0), min(a.Y0, b.Y0), max(a.X1, b.X1), max(a.Y1, b.Y1)}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// pdfPos is the place of something on a page, in whole points from the top-left corner.
func pdfPos(page int, x, y float64) Pos {
	return Pos{Page: page + 1, X: int(math.Round(x)), Y: int(math.Round(y))}
}
