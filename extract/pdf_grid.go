package extract

import (
	"slices"
	"sort"
	"unicode"
)

// Ruled tables. The rulings a page draws are split into horizontal and vertical segments; segments
// that touch form a table; the distinct positions of its vertical and horizontal segments cut it
// into a grid of elementary cells, and two neighbouring cells are one merged cell when no segment
// runs between them. A table's text is the glyphs inside its cells, so a label wrapped over two
// lines, or a vertical merged label written one character per line, stays one cell.

const (
	// ruleThick is the thickest shape that counts as a line, in points; borders are 0.5–1.5.
	ruleThick = 3.0
	// ruleTol is how far apart, in points, two segments may be and still meet, or be one line.
	ruleTol = 2.0
	// maxPageRules bounds the segments examined on one page: beyond it the page is a drawing, not
	// a form, and its text is read without rulings.
	maxPageRules = 5000
)

// segment is one ruling: horizontal at y=pos from lo to hi, or vertical at x=pos.
type segment struct {
	horiz       bool
	pos, lo, hi float64
}

func segmentsOf(rules []PDFRect) []segment {
	if len(rules) > maxPageDots {
		return nil
	}
	segs := joinDashes(rawSegments(rules))
	// What stays shorter than a cell's padding is a dot or a tick, not a border.
	return slices.DeleteFunc(segs, func(s segment) bool { return s.hi-s.lo <= 2*ruleTol })
}

// maxPageDots bounds the shapes examined on one page, dots of dotted borders included.
const maxPageDots = 50_000

// joinDashes joins collinear segments that nearly touch: a dashed or dotted border is drawn as
// many short pieces, and a gap between two of them must not read as a missing border.
func joinDashes(segs []segment) []segment {
	slices.SortFunc(segs, func(a, b segment) int {
		switch {
		case a.horiz != b.horiz:
			if a.horiz {
				return -1
			}
			return 1
		case abs(a.pos-b.pos) > ruleTol/2:
			return cmpFloat(a.pos, b.pos)
		}
		return cmpFloat(a.lo, b.lo)
	})
	out := segs[:0]
	for _, s := range segs {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.horiz == s.horiz && abs(last.pos-s.pos) <= ruleTol/2 && s.lo-last.hi <= dashGap {
				last.hi = max(last.hi, s.hi)
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

// dashGap is the widest gap, in points, between two pieces of one dashed or dotted border; a
// border missing between merged cells leaves a gap as wide as a cell.
const dashGap = 8.0

func rawSegments(rules []PDFRect) []segment {
	var out []segment
	for _, r := range rules {
		w, h := r.width(), r.height()
		horiz := segment{horiz: true, pos: r.midY(), lo: r.X0, hi: r.X1}
		vert := segment{pos: r.midX(), lo: r.Y0, hi: r.Y1}
		switch {
		case w <= ruleThick && h <= ruleThick:
			out = append(out, horiz, vert) // a dot: part of a dotted line either way
		case h <= ruleThick:
			out = append(out, horiz)
		case w <= ruleThick:
			out = append(out, vert)
		}
	}
	return out
}

// meets reports whether a horizontal and a vertical segment touch or cross.
func meets(h, v segment) bool {
	return v.pos >= h.lo-ruleTol && v.pos <= h.hi+ruleTol && h.pos >= v.lo-ruleTol && h.pos <= v.hi+ruleTol
}

// gridTable is a ruled table found on a page: its column and row boundaries and its cells, merged
// cells as one region each.
type gridTable struct {
	xs, ys  []float64
	box     PDFRect
	regions []*gridRegion
	cellOf  []int // region index of every elementary cell, row-major
}

type gridRegion struct {
	r0, r1, c0, c1 int // elementary rows and columns covered, inclusive
	glyphs         []PDFGlyph
	// cut: the region is on the side where the table runs off the page; unreadable: some of its
	// glyphs are off the page too, so what is visible of its text is not its text.
	cut, unreadable bool
}

func (t *gridTable) rows() int { return len(t.ys) - 1 }
func (t *gridTable) cols() int { return len(t.xs) - 1 }

// findTables finds the ruled tables of a page, top to bottom.
func findTables(rules []PDFRect) []*gridTable {
	segs := segmentsOf(rules)
	if len(segs) < 4 || len(segs) > maxPageRules {
		return nil
	}
	parent := make([]int, len(segs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, a := range segs {
		if !a.horiz {
			continue
		}
		for j, b := range segs {
			if !b.horiz && meets(a, b) {
				if ri, rj := find(i), find(j); ri != rj {
					parent[ri] = rj
				}
			}
		}
	}
	groups := map[int][]segment{}
	var roots []int
	for i, s := range segs {
		r := find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], s)
	}
	var out []*gridTable
	for _, r := range roots {
		if t := buildGrid(groups[r]); t != nil {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *gridTable) int { return cmpFloat(a.box.Y0, b.box.Y0) })
	return out
}

// buildGrid makes the grid of one group of touching segments, or nil when they do not enclose at
// least two cells (a frame around a paragraph is not a table).
func buildGrid(segs []segment) *gridTable {
	var xs, ys []float64
	box := PDFRect{X0: 1e18, Y0: 1e18, X1: -1e18, Y1: -1e18}
	nh, nv := 0, 0
	for _, s := range segs {
		if s.horiz {
			nh++
			ys = append(ys, s.pos)
			box.X0, box.X1 = min(box.X0, s.lo), max(box.X1, s.hi)
			box.Y0, box.Y1 = min(box.Y0, s.pos), max(box.Y1, s.pos)
		} else {
			nv++
			xs = append(xs, s.pos)
			box.Y0, box.Y1 = min(box.Y0, s.lo), max(box.Y1, s.hi)
			box.X0, box.X1 = min(box.X0, s.pos), max(box.X1, s.pos)
		}
	}
	if nh < 2 || nv < 2 {
		return nil
	}
	// A table drawn without its outer borders still has the extent of its inner lines.
	xs = clusterPositions(append(xs, box.X0, box.X1))
	ys = clusterPositions(append(ys, box.Y0, box.Y1))
	t := &gridTable{xs: xs, ys: ys, box: box}
	R, C := t.rows(), t.cols()
	if R < 1 || C < 1 || R*C < 2 || R*C > 1<<20 {
		return nil
	}
	// Each segment is filed under the boundary it lies on, so a gap test looks at that line only.
	vAt := make([][]segment, len(xs))
	hAt := make([][]segment, len(ys))
	for _, s := range segs {
		if s.horiz {
			if k := nearest(ys, s.pos); k >= 0 {
				hAt[k] = append(hAt[k], s)
			}
		} else if k := nearest(xs, s.pos); k >= 0 {
			vAt[k] = append(vAt[k], s)
		}
	}
	covered := func(on []segment, at float64) bool {
		for _, s := range on {
			if s.lo-ruleTol <= at && at <= s.hi+ruleTol {
				return true
			}
		}
		return false
	}
	parent := make([]int, R*C)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	join := func(a, b int) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	for i := range R {
		midY := (ys[i] + ys[i+1]) / 2
		for j := range C {
			if j+1 < C && !covered(vAt[j+1], midY) {
				join(i*C+j, i*C+j+1)
			}
			if i+1 < R && !covered(hAt[i+1], (xs[j]+xs[j+1])/2) {
				join(i*C+j, (i+1)*C+j)
			}
		}
	}
	t.cellOf = make([]int, R*C)
	index := map[int]int{}
	for k := range R * C {
		root := find(k)
		ri, ok := index[root]
		i, j := k/C, k%C
		if !ok {
			ri = len(t.regions)
			index[root] = ri
			t.regions = append(t.regions, &gridRegion{r0: i, r1: i, c0: j, c1: j})
		}
		g := t.regions[ri]
		g.r0, g.r1, g.c0, g.c1 = min(g.r0, i), max(g.r1, i), min(g.c0, j), max(g.c1, j)
		t.cellOf[k] = ri
	}
	if len(t.regions) < 2 {
		return nil
	}
	return t
}

// clusterPositions sorts positions and merges those within ruleTol of each other (a double line,
// a border drawn twice) into their mean.
func clusterPositions(ps []float64) []float64 {
	slices.Sort(ps)
	var out []float64
	sum, n := 0.0, 0
	for i, p := range ps {
		if i > 0 && p-ps[i-1] > ruleTol {
			out = append(out, sum/float64(n))
			sum, n = 0, 0
		}
		sum += p
		n++
	}
	if n > 0 {
		out = append(out, sum/float64(n))
	}
	return out
}

// take moves the glyphs inside the table into its cells and returns the others.
func (t *gridTable) take(gs []PDFGlyph) []PDFGlyph {
	rest := gs[:0]
	for _, g := range gs {
		x, y := g.Box.midX(), g.Box.midY()
		if x < t.box.X0 || x > t.box.X1 || y < t.box.Y0 || y > t.box.Y1 {
			rest = append(rest, g)
			continue
		}
		i := min(max(sort.SearchFloat64s(t.ys, y)-1, 0), t.rows()-1)
		if h := g.Box.height(); i > 0 && t.ys[i] >= g.Box.Y0+strikeBandLo*h && t.ys[i] <= g.Box.Y0+strikeBandHi*h {
			// A border through the glyph's middle: the text ran past the foot of the cell above
			// (a row too short for a stacked label), as text overflows, downwards.
			i--
		}
		j := min(max(sort.SearchFloat64s(t.xs, x)-1, 0), t.cols()-1)
		r := t.regions[t.cellOf[i*t.cols()+j]]
		r.glyphs = append(r.glyphs, g)
	}
	return rest
}

// pageEdgeTol is how close, in points, a table's rulings may come to the side of the page before
// the table counts as running off it: a page has margins, and a table drawn to its very edge is
// one the producer set wider than the page and cut there.
const pageEdgeTol = 2.0

// cutEdges tells on which sides the table runs off a page width wide.
func (t *gridTable) cutEdges(width float64) (left, right bool) {
	return t.box.X0 <= pageEdgeTol, width > 0 && t.box.X1 >= width-pageEdgeTol
}

// markCut marks the regions on the sides where the table runs off the page, and those whose
// glyphs reach beyond the page, and drops from rest the glyphs beyond the page in the table's band
// of rows: columns cut off, which no cell can hold. It returns rest and how many it dropped.
func (t *gridTable) markCut(rest []PDFGlyph, width float64, left, right bool) ([]PDFGlyph, int) {
	off := func(g PDFGlyph) bool { return left && g.Box.X0 < 0 || right && g.Box.X1 > width }
	for _, r := range t.regions {
		if !(left && r.c0 == 0 || right && r.c1 == t.cols()-1) {
			continue
		}
		r.cut = true
		// A number with a digit off the page is not the number the page shows; a label is read
		// whole from the text layer, which still holds the part the page cut.
		digits, letters := false, false
		for _, g := range r.glyphs {
			_, d := digit(g.R)
			digits = digits || d && off(g)
			letters = letters || unicode.IsLetter(g.R)
		}
		r.unreadable = digits && !letters
	}
	out := rest[:0]
	dropped := 0
	for _, g := range rest {
		if y := g.Box.midY(); y >= t.box.Y0 && y <= t.box.Y1 && off(g) {
			dropped++
			continue
		}
		out = append(out, g)
	}
	return out, dropped
}

// nearest is the index of the clustered position p belongs to, or -1.
func nearest(ps []float64, p float64) int {
	i := sort.SearchFloat64s(ps, p)
	best, dist := -1, 2*ruleTol // a chain of close lines clusters to a mean up to this far off
	for _, k := range []int{i - 1, i} {
		if k >= 0 && k < len(ps) && abs(ps[k]-p) <= dist {
			best, dist = k, abs(ps[k]-p)
		}
	}
	return best
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
