package extract

import (
	"slices"
	"sort"
)

// Struck-through text. A word processor that prints its tracked changes draws the deleted text
// with a line through the middle of its glyphs beside the inserted text (underlined): both are in
// the text layer, and read together they make one wrong number ("99" struck, "820" inserted, read
// 99820). A thin horizontal line across the middle of a glyph is such a strike; the glyph is not
// part of the text the page means. Underlines lie at the glyphs' foot and table borders between
// lines, never through a glyph's middle.

// strikeBand is the part of a glyph's height, from its top, that a strike runs through.
const strikeBandLo, strikeBandHi = 0.3, 0.7

// dropStruck removes the glyphs a line strikes through and returns the others and how many it
// removed. A strike spans the glyphs it strikes and no more (give or take a glyph): a table border
// that runs through glyphs spilling over their cell runs on across the table, and strikes nothing.
func dropStruck(gs []PDFGlyph, rules []PDFRect) ([]PDFGlyph, int) {
	if len(rules) > maxPageDots {
		return gs, 0
	}
	type line struct {
		r      PDFRect
		x0, x1 float64 // the glyphs it crosses
		h      float64 // their height
	}
	var lines []line
	for _, r := range rules {
		if r.height() <= 1.5 && r.width() > 1 {
			lines = append(lines, line{r: r, x0: 1e18, x1: -1e18})
		}
	}
	if len(lines) == 0 {
		return gs, 0
	}
	slices.SortFunc(lines, func(a, b line) int { return cmpFloat(a.r.midY(), b.r.midY()) })
	// crossing calls f with each line through the middle of g.
	crossing := func(g PDFGlyph, f func(l *line)) {
		h := g.Box.height()
		lo, hi := g.Box.Y0+strikeBandLo*h, g.Box.Y0+strikeBandHi*h
		for i := sort.Search(len(lines), func(i int) bool { return lines[i].r.midY() >= lo }); i < len(lines) && lines[i].r.midY() <= hi; i++ {
			if l := &lines[i]; l.r.X0 <= g.Box.midX() && g.Box.midX() <= l.r.X1 {
				f(l)
			}
		}
	}
	any := false
	for _, g := range gs {
		crossing(g, func(l *line) {
			l.x0, l.x1, l.h = min(l.x0, g.Box.X0), max(l.x1, g.Box.X1), max(l.h, g.Box.height())
			any = true
		})
	}
	if !any {
		return gs, 0
	}
	strike := func(l *line) bool { return l.r.X0 >= l.x0-l.h && l.r.X1 <= l.x1+l.h }
	out := gs[:0]
	n := 0
	for _, g := range gs {
		struck := false
		crossing(g, func(l *line) { struck = struck || strike(l) })
		if struck {
			n++
			continue
		}
		out = append(out, g)
	}
	return out, n
}
