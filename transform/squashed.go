package transform

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govreports/govreports/extract"
)

// Text whose cell boundaries were lost (report-format.md §7.7): a Table 3 row prints as its label
// followed by one run of digits, "一、本年新收政府信息公开申请数量4210000456". This file reads such
// text in three steps:
//
//  1. scan: the table's region becomes one stream of characters with their source positions, cut
//     into (label, digit run) segments; a row's ordinal that ran into the previous run ("…242.没有现成")
//     goes back to its label, and blanks inside a run are dropped;
//  2. cut: every way of cutting a run into the row's numbers that satisfies the row's own identity
//     (six applicants sum to 总计, a Table 4 block's four outcomes sum to its 总计) is enumerated,
//     with pruning and a work budget so that a long run cannot explode;
//  3. choose: the column identities (T3.BALANCE, T3.RESULTS) choose among the rows' cuts together,
//     by a bounded search over the equations of rules.go. Only cells on which every consistent
//     assignment agrees are filled; the others stay null with an X.AMBIGUOUS_SPLIT finding that
//     lists the candidates.

// Work bounds. A row has at most maxCandidates readings and its enumeration visits at most
// cutBudget nodes; the joint search spends at most searchBudget nodes per question it asks.
// Beyond a bound nothing is guessed: the cells stay null and a finding says why.
const (
	maxCandidates = 64
	cutBudget     = 50_000
	searchBudget  = 50_000
	// maxDigits bounds one decoded count: far above any real count (tens of millions), and low
	// enough that the sums of an equation's 25 terms cannot overflow int64.
	maxDigits = 15
	// minSquashedRows is how many rows glued to their digits make a table "squashed".
	minSquashedRows = 2
)

// sr is one character of a region with where it came from.
type sr struct {
	r   rune
	pos extract.Pos
}

// regionRunes lays a region's lines out as one stream: cells apart by '\t', lines by '\n', widths
// folded (０→0, ．→.), every character keeping its position (the cell's, plus the rune offset on
// text lines, so a decoded number points at its own first digit).
func regionRunes(lines []line, reg region) []sr {
	var out []sr
	for i := reg.start; i < reg.end && i < len(lines); i++ {
		ln := &lines[i]
		if isPageFooter(ln) {
			continue
		}
		first := true
		for _, c := range ln.cells {
			if c.Copy {
				continue
			}
			if !first {
				out = append(out, sr{'\t', c.Pos})
			}
			first = false
			k := 0
			for _, r := range c.Text {
				if fr, ok := foldRune(r); ok {
					out = append(out, sr{fr, runePos(c.Pos, k)})
				}
				k++
			}
		}
		out = append(out, sr{'\n', extract.Pos{}})
	}
	return out
}

// runePos is where the k-th character of a cell at p is: on a text line, k columns further; a
// grid cell or a paragraph of a document has one place for all its text.
func runePos(p extract.Pos, k int) extract.Pos {
	if p.Line > 0 && p.Col > 0 {
		p.Col += k
	}
	return p
}

// foldRune is foldWidth for one character: ok is false for a zero-width character.
func foldRune(r rune) (rune, bool) {
	if r < utf8.RuneSelf {
		return r, true
	}
	f := foldWidth(string(r))
	if f == "" {
		return 0, false
	}
	fr, _ := utf8.DecodeRuneInString(f)
	return fr, true
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }
func isGap(r rune) bool       { return r == ' ' || r == '\t' || r == '\n' }

// hasOneLine reports a region holding a table's text cut out of an article on one line: only the
// decoder can read it, whatever its runs look like.
func hasOneLine(lines []line, reg region) bool {
	for i := reg.start; i < reg.end && i < len(lines); i++ {
		if lines[i].oneline {
			return true
		}
	}
	return false
}

// gluedLines counts the lines of a region in which a letter is directly followed by at least
// minDigits digits, blanks between digits allowed ("数量4210000456", "规章000", "数量42 10 0 0 0 4 56"):
// a cheap test that keeps the decoder away from the delimited tables it has nothing to add to.
func gluedLines(lines []line, reg region, minDigits int) int {
	n := 0
	for i := reg.start; i < reg.end && i < len(lines); i++ {
		if hasGluedCells(lines[i].cells, minDigits) {
			n++
		}
	}
	return n
}

// hasGluedCells is hasGluedRun over the line's text, its cells (merged copies left out) joined by
// single spaces as extract.RowText joins them, without building that text.
func hasGluedCells(cells []extract.Cell, minDigits int) bool {
	var g glueScan
	started := false
	for i := range cells {
		c := &cells[i]
		if c.Copy || c.Text == "" {
			continue
		}
		if started && g.feed(' ', minDigits) {
			return true
		}
		started = true
		for j, t := 0, c.Text; j < len(t); {
			if b := t[j]; b >= 0xE4 && b <= 0xE9 && j+2 < len(t) && t[j+1]&0xC0 == 0x80 && t[j+2]&0xC0 == 0x80 {
				// A CJK ideograph, neither digit nor blank: a letter, as feed would have it.
				g.letter, g.digits = true, 0
				j += 3
				continue
			}
			r, w := utf8.DecodeRuneInString(t[j:])
			if g.feed(r, minDigits) {
				return true
			}
			j += w
		}
	}
	return false
}

func hasGluedRun(s string, minDigits int) bool {
	var g glueScan
	for _, r := range s {
		if g.feed(r, minDigits) {
			return true
		}
	}
	return false
}

// glueScan finds a letter directly followed by minDigits digits, one rune at a time.
type glueScan struct {
	letter bool
	digits int
}

func (g *glueScan) feed(r rune, minDigits int) bool {
	switch {
	case r >= '0' && r <= '9' || r >= '０' && r <= '９':
		if g.letter || g.digits > 0 {
			g.digits++
			if g.digits >= minDigits {
				return true
			}
		}
		g.letter = false
	case r == ' ' || r == '\u3000' || r == '\u00a0':
		// a stray space inside a run keeps it going; after a letter it ends the glue
		g.letter = false
	default:
		g.letter, g.digits = r >= 0x80 && r != '．' && r != '、', 0
	}
	return false
}

// run is a digit run: its digits, each digit's position, and the blanks that were inside it.
type run struct {
	digits []byte
	pos    []extract.Pos
	// breaks[i] is true when a blank stood between digit i-1 and digit i (len(digits)+1 entries).
	breaks []bool
	// point is the index of a decimal point before digit point (0: none); only for amounts.
	point int
	// signs[i] is '+' or '-' when a sign stood before digit i, 0 otherwise (len(digits)+1
	// entries; only in Table 2, whose gov2019 本年增/减 is signed: "2648-18538"). A sign starts a
	// number.
	signs []byte
	// signPos is where the sign before digit i stood.
	signPos map[int]extract.Pos
	// unit is "元" or "万元" when one was printed right after the run ("3802895.90元").
	unit string
	// holes are words standing in the run where numbers belong (holes.go).
	holes []hole
	// glued: the run starts right after text, with no blank between (the sign of lost boundaries).
	glued bool
}

// text is the run as printed, without blanks: digits, signs and the decimal point.
func (r *run) text() string {
	if r.point == 0 && r.signs == nil && r.unit == "" {
		return string(r.digits)
	}
	b := make([]byte, 0, len(r.digits)+4)
	for i, d := range r.digits {
		if i < len(r.signs) && r.signs[i] != 0 {
			b = append(b, r.signs[i])
		}
		if i == r.point && i > 0 {
			b = append(b, '.')
		}
		b = append(b, d)
	}
	return string(b) + r.unit
}

// signAt reports the sign before digit i.
func (r *run) signAt(i int) byte {
	if i < len(r.signs) {
		return r.signs[i]
	}
	return 0
}

// tokens is the number of blank-separated groups in the run.
func (r *run) tokens() int {
	if len(r.digits) == 0 {
		return 0
	}
	n := 1
	for i := 1; i < len(r.digits); i++ {
		if r.breaks[i] {
			n++
		}
	}
	return n
}

// segment is a label and the digit run after it.
type segment struct {
	label    string
	labelPos extract.Pos
	// labelEnd is where the label's last characters are, for a word at its end (holes.go).
	labelEnd []sr
	run      run
}

// scanSegments cuts a stream into label/run segments. A run that is followed by an ordinal mark
// ("2.", "3、") gives its last digit back to the next label: "…0000242.没有现成" is the run
// "000024" and the label "2.没有现成…". A run between "(" and ")" is an ordinal too. With decimals
// set, "7730.28" is one run (Table 2's 万元 amounts).
func scanSegments(s []sr, decimals bool) []segment {
	var segs []segment
	var label []sr
	i := 0
	for i < len(s) {
		if !isDigitRune(s[i].r) {
			label = append(label, s[i])
			i++
			continue
		}
		// s[i] starts a run: digits, blanks between digits, and at most one decimal point.
		var rn run
		rn.glued = i > 0 && !isGap(s[i-1].r)
		rn.breaks = append(rn.breaks, false)
		var pendingSign byte
		var signPos extract.Pos
		if decimals && len(label) > 0 && isSignRune(label[len(label)-1].r) {
			// A signed first number glued to its label: "行政事业性收费-3".
			pendingSign, signPos = byte(label[len(label)-1].r), label[len(label)-1].pos
			label = label[:len(label)-1]
			rn.glued = len(label) > 0 && !isGap(label[len(label)-1].r)
		}
		j := i
		pendingBreak := false
		for j < len(s) {
			r := s[j].r
			switch {
			case isDigitRune(r):
				if len(rn.digits) > 0 {
					rn.breaks[len(rn.digits)] = pendingBreak
				}
				if pendingSign != 0 {
					for len(rn.signs) < len(rn.digits)+1 {
						rn.signs = append(rn.signs, 0)
					}
					rn.signs[len(rn.digits)] = pendingSign
					if rn.signPos == nil {
						rn.signPos = map[int]extract.Pos{}
					}
					rn.signPos[len(rn.digits)] = signPos
				}
				rn.digits = append(rn.digits, byte(r))
				rn.pos = append(rn.pos, s[j].pos)
				rn.breaks = append(rn.breaks, false)
				pendingBreak, pendingSign = false, 0
				j++
				continue
			case decimals && isSignRune(r) && rn.point == 0 && j+1 < len(s) && isDigitRune(s[j+1].r):
				// "2648-18538": the sign ends one number and starts the next.
				pendingSign, signPos, pendingBreak = byte(r), s[j].pos, true
				j++
				continue
			case isGap(r):
				k := j
				for k < len(s) && isGap(s[k].r) {
					k++
				}
				if k < len(s) && isDigitRune(s[k].r) {
					pendingBreak = true
					j = k
					continue
				}
				if decimals && k+1 < len(s) && isSignRune(s[k].r) && isDigitRune(s[k+1].r) && rn.point == 0 {
					j = k // "35 -15": the sign decides above
					continue
				}
				if k < len(s) && s[k].r == '.' && decimals && rn.point == 0 {
					j = k // "0 .14": the decimal point decides below
					continue
				}
			case r == '.' && decimals && rn.point == 0:
				k := j + 1
				for k < len(s) && isGap(s[k].r) {
					k++
				}
				if k < len(s) && isDigitRune(s[k].r) {
					rn.point = len(rn.digits)
					pendingBreak = false
					j = k
					continue
				}
			}
			break
		}
		if len(rn.signs) > 0 {
			for len(rn.signs) < len(rn.digits)+1 {
				rn.signs = append(rn.signs, 0)
			}
		}
		if decimals && j < len(s) {
			// A unit printed after the number: 元 or 万元.
			switch {
			case s[j].r == '元':
				rn.unit = "元"
			case s[j].r == '万' && j+1 < len(s) && s[j+1].r == '元':
				rn.unit = "万元"
			}
		}
		// An ordinal: the run is followed (after blanks) by an ordinal mark and then text.
		k := j
		for k < len(s) && isGap(s[k].r) {
			k++
		}
		// Item ordinals of the form run from 1 to 8: one digit.
		ord := 0
		if k < len(s) && rn.point == 0 && isOrdinalMark(s, k) {
			ord = 1
		}
		if i > 0 && s[i-1].r == '(' && k < len(s) && s[k].r == ')' {
			ord = len(rn.digits)
		}
		keep := len(rn.digits) - ord
		if keep > 0 {
			cutRunAt(&rn, keep)
			lbl, lpos := labelText(label)
			segs = append(segs, segment{label: lbl, labelPos: lpos, labelEnd: labelTail(label), run: rn})
			label = label[:0]
		}
		// The ordinal's digits (if any) start the next label.
		if ord > 0 {
			// Find the source characters of the ordinal digits: the last ord digits before j.
			n := 0
			start := j
			for start > i && n < ord {
				start--
				if isDigitRune(s[start].r) {
					n++
				}
			}
			for t := start; t < j; t++ {
				if !isGap(s[t].r) {
					label = append(label, s[t])
				}
			}
		}
		i = j
	}
	return segs
}

// isOrdinalMark reports an item ordinal's mark at s[k] ("." or "、", full-width forms folded)
// followed by something that is not a digit: "2.没有" is an ordinal, "2.5" is not.
func isOrdinalMark(s []sr, k int) bool {
	switch s[k].r {
	case '.', '、':
	default:
		return false
	}
	m := k + 1
	for m < len(s) && isGap(s[m].r) {
		m++
	}
	return m < len(s) && !isDigitRune(s[m].r)
}

func isSignRune(r rune) bool { return r == '-' || r == '+' }

func cutRunAt(rn *run, n int) {
	if rn.signs != nil {
		rn.signs = rn.signs[:n+1]
		rn.signs[n] = 0
	}
	rn.digits = rn.digits[:n]
	rn.pos = rn.pos[:n]
	rn.breaks = rn.breaks[:n+1]
	rn.breaks[n] = false
	if rn.point >= n {
		rn.point = 0
	}
}

// labelTail keeps the last characters of a label (blanks excepted) with their places.
func labelTail(label []sr) []sr {
	const keep = 16
	var out []sr
	for i := len(label) - 1; i >= 0 && len(out) < keep; i-- {
		if !isGap(label[i].r) {
			out = append(out, label[i])
		}
	}
	slices.Reverse(out)
	return out
}

func labelText(label []sr) (string, extract.Pos) {
	var b strings.Builder
	var pos extract.Pos
	for _, c := range label {
		if isGap(c.r) {
			b.WriteByte(' ')
			continue
		}
		if pos.IsZero() {
			pos = c.pos
		}
		b.WriteRune(c.r)
	}
	return strings.Join(strings.Fields(b.String()), " "), pos
}

// ---- cutting one run ----

// shape says how a run is cut: groups of parts, each followed by its total (the identity), or
// plain numbers without an identity (Table 2).
type shape struct {
	groups []int // parts per group; the group's total follows its parts
	plain  int   // when groups is empty: this many numbers, no identity
}

func (sh shape) count() int {
	if len(sh.groups) == 0 {
		return sh.plain
	}
	n := 0
	for _, g := range sh.groups {
		n += g + 1
	}
	return n
}

var (
	shapeT3 = shape{groups: []int{NumT3Cols - 1}}
	shapeT4 = shape{groups: []int{4, 4, 4}}
)

// reading is one way to cut a run: the numbers and where each starts and ends in the run.
type reading struct {
	vals  []int64
	start []int
	end   []int
	// texts are the numbers as printed, when a number is more than its digits (a sign, a
	// decimal point, an amount converted from 元); nil otherwise.
	texts []string
	// hole is 1 + the index of the cell that holds a word (holes.go), 0 when none; holeText is
	// that cell as printed.
	hole     int
	holeText string
}

// cutter enumerates the readings of one run.
type cutter struct {
	d     []byte
	allow []bool // allow[i]: a number may start at digit i (a cut may fall before it)
	hard  []bool // hard[i]: a cut must fall before digit i
	// nextHard[i] is the first forced cut after digit i (len(d)+1 when none): a number d[i:j]
	// must end at or before it.
	nextHard []int
	sh       shape
	budget   int
	limit    int
	out      []reading
	cur      reading
	// over: the enumeration stopped at a bound, so out is incomplete.
	over bool
}

// cutRun returns the readings of run digits d that fit sh. When onlyAtBreaks is set (the run
// has more blank-separated tokens than numbers, a number split by PDF extraction), cuts fall only
// where blanks were. complete is false when a bound stopped the enumeration.
func cutRun(d []byte, breaks []bool, onlyAtBreaks bool, sh shape) (rs []reading, complete bool) {
	return cutRunHard(d, breaks, onlyAtBreaks, nil, sh)
}

// cutRunHard is cutRun where hard[i] forces a cut before digit i: runs that were printed apart
// (Table 4 as three tables) are joined into one run whose numbers never span their seams.
func cutRunHard(d []byte, breaks []bool, onlyAtBreaks bool, hard []bool, sh shape) (rs []reading, complete bool) {
	rs, complete, _ = cutRunBudget(d, breaks, onlyAtBreaks, hard, sh, cutBudget)
	return rs, complete
}

// cutRunBudget is cutRunHard within a given number of nodes; left is what remains of them.
func cutRunBudget(d []byte, breaks []bool, onlyAtBreaks bool, hard []bool, sh shape, budget int) (rs []reading, complete bool, left int) {
	c := &cutter{d: d, sh: sh, budget: budget, limit: maxCandidates, hard: hard}
	defer func() { left = max(c.budget, 0) }()
	if hard != nil {
		c.nextHard = make([]int, len(d)+1)
		next := len(d) + 1
		for i := len(d); i >= 0; i-- {
			c.nextHard[i] = next
			if i < len(hard) && hard[i] {
				next = i
			}
		}
	}
	c.allow = make([]bool, len(d)+1)
	for i := range c.allow {
		c.allow[i] = !onlyAtBreaks || i == 0 || i == len(d) || i < len(breaks) && breaks[i] || i < len(hard) && hard[i]
	}
	if len(d) == 0 || len(d) < sh.count() || len(d) > sh.count()*maxDigits {
		return nil, true, budget
	}
	if len(sh.groups) == 0 {
		c.plain(0, sh.plain)
	} else {
		c.group(0, 0)
	}
	return c.out, !c.over, 0
}

// number reads d[i:j] as one number: no leading zero except a lone 0, at most maxDigits digits,
// and no cut forbidden inside.
func (c *cutter) number(i, j int) (int64, bool) {
	if j <= i || j-i > maxDigits || !c.allow[i] || !c.allow[j] || c.d[i] == '0' && j-i > 1 {
		return 0, false
	}
	if c.nextHard != nil && c.nextHard[i] < j {
		return 0, false
	}
	var v int64
	for k := i; k < j; k++ {
		v = v*10 + int64(c.d[k]-'0')
	}
	return v, true
}

func (c *cutter) spend() bool {
	if c.over {
		return false
	}
	c.budget--
	if c.budget < 0 || len(c.out) >= c.limit {
		c.over = true
		return false
	}
	return true
}

func (c *cutter) push(v int64, i, j int) {
	c.cur.vals = append(c.cur.vals, v)
	c.cur.start = append(c.cur.start, i)
	c.cur.end = append(c.cur.end, j)
}

func (c *cutter) pop() {
	n := len(c.cur.vals) - 1
	c.cur.vals, c.cur.start, c.cur.end = c.cur.vals[:n], c.cur.start[:n], c.cur.end[:n]
}

func (c *cutter) emit() {
	if len(c.out) >= c.limit {
		c.over = true
		return
	}
	c.out = append(c.out, reading{
		vals:  append([]int64(nil), c.cur.vals...),
		start: append([]int(nil), c.cur.start...),
		end:   append([]int(nil), c.cur.end...),
	})
}

// digitLen is the number of decimal digits of r ≥ 0.
func digitLen(r int64) int {
	n := 1
	for r >= 10 {
		r /= 10
		n++
	}
	return n
}

// plain cuts d[i:] into n numbers without an identity.
func (c *cutter) plain(i, n int) {
	if !c.spend() {
		return
	}
	m := len(c.d) - i
	if m < n || m > n*maxDigits {
		return
	}
	if n == 1 {
		if v, ok := c.number(i, len(c.d)); ok {
			c.push(v, i, len(c.d))
			c.emit()
			c.pop()
		}
		return
	}
	for l := 1; l <= maxDigits && i+l <= len(c.d)-(n-1); l++ {
		v, ok := c.number(i, i+l)
		if !ok {
			if c.d[i] == '0' {
				break // a leading zero: no longer number starts here
			}
			continue
		}
		c.push(v, i, i+l)
		c.plain(i+l, n-1)
		c.pop()
	}
}

// group cuts d[i:] into groups gi, gi+1, …: for each possible total of group gi (its digits
// directly follow its parts), the parts before it must sum to it.
func (c *cutter) group(i, gi int) {
	if gi == len(c.sh.groups) {
		if i == len(c.d) {
			c.emit()
		}
		return
	}
	if !c.spend() {
		return
	}
	p := c.sh.groups[gi]
	// Digits the later groups need at least and at most.
	needMin, needMax := 0, 0
	for _, g := range c.sh.groups[gi+1:] {
		needMin += g + 1
		needMax += (g + 1) * maxDigits
	}
	last := gi == len(c.sh.groups)-1
	for ts := i + p; ts < len(c.d) && ts-i <= p*maxDigits; ts++ {
		// p parts of a total with lt digits take at most p·lt digits: ts-i ≤ p·lt.
		for lt := 1; lt <= maxDigits && ts+lt <= len(c.d); lt++ {
			te := ts + lt
			rest := len(c.d) - te
			if last && rest != 0 || !last && (rest < needMin || rest > needMax) {
				continue
			}
			if ts-i > p*lt {
				continue
			}
			if !c.spend() {
				return
			}
			total, ok := c.number(ts, te)
			if !ok {
				continue
			}
			c.parts(i, ts, p, total, func() {
				c.push(total, ts, te)
				c.group(te, gi+1)
				c.pop()
			})
			if c.over {
				return
			}
		}
	}
}

// parts cuts d[i:end] into p numbers summing to r and calls done for each way.
func (c *cutter) parts(i, end, p int, r int64, done func()) {
	if !c.spend() {
		return
	}
	m := end - i
	lr := digitLen(r)
	if m < p || m > p*lr {
		return
	}
	if p == 1 {
		if v, ok := c.number(i, end); ok && v == r {
			c.push(v, i, end)
			done()
			c.pop()
		}
		return
	}
	for l := 1; l <= lr && i+l <= end-(p-1); l++ {
		v, ok := c.number(i, i+l)
		if !ok {
			if c.d[i] == '0' {
				break
			}
			continue
		}
		if v > r {
			break
		}
		c.push(v, i, i+l)
		c.parts(i+l, end, p-1, r-v, done)
		c.pop()
		if c.over {
			return
		}
	}
}

// ---- choosing among the rows' readings ----

// choice is a group of cells read together from one run, with the readings its own identity allows.
type choice struct {
	cells []int     // cell ids, as rules.go addresses them
	cands [][]int64 // one value per cell, per reading
}

// linTerm is one operand of an equation: cell k of choice ch.
type linTerm struct {
	ch, k int
	coef  int64
}

// solver finds which readings of each choice take part in at least one assignment of readings to
// all choices that satisfies every equation (Σ coef·cell = 0) and the accept predicate. Each
// equation keeps the range of its sum over what is still unassigned, updated as readings are
// assigned, so a branch dies as soon as one equation can no longer reach 0.
type solver struct {
	chs    []choice
	eqs    [][]linTerm
	lo, hi [][]int64 // per choice and cell: the least and greatest value over its readings
	// touch lists, per choice, the equation terms its cells take part in.
	touch [][]eqRef
	eqLo  []int64
	eqHi  []int64
	// eqBase is the known part of each equation; posFree and negFree count its unknown cells
	// (each ≥ 0) with coefficient +1 and −1: they make the range unbounded on that side.
	eqBase           []int64
	posFree, negFree []int
	assign           []int
	order            []int
	accept           func(get func(cell int) (int64, bool)) bool
	cellAt           map[int][2]int
	budget           int
	// exhausted is set when a question ran out of budget: its answer is unknown.
	exhausted bool
}

// eqRef is a term of equation e on cell k of a choice.
type eqRef struct {
	e, k int
	coef int64
}

// newSolver builds the search over the choices. A cell of an equation that belongs to no choice
// is a known number when known says so, and otherwise any count ≥ 0: a row that could not be read
// still cannot be negative, so "(七)总计 is 0 in this column" still bounds every row above it.
func newSolver(chs []choice, eqs []equation, known func(cell int) (int64, bool)) *solver {
	s := &solver{chs: chs, cellAt: map[int][2]int{}}
	for ci, ch := range chs {
		for k, c := range ch.cells {
			s.cellAt[c] = [2]int{ci, k}
		}
	}
	for _, e := range eqs {
		terms := make([]linTerm, 0, len(e.terms))
		var base int64
		var posFree, negFree int
		for _, t := range e.terms {
			if at, found := s.cellAt[t.cell]; found {
				terms = append(terms, linTerm{at[0], at[1], t.coef})
				continue
			}
			if known != nil {
				if v, ok := known(t.cell); ok {
					base += t.coef * v
					continue
				}
			}
			if t.coef > 0 {
				posFree++
			} else {
				negFree++
			}
		}
		if len(terms) == 0 {
			continue
		}
		s.eqs = append(s.eqs, terms)
		s.eqBase = append(s.eqBase, base)
		s.posFree = append(s.posFree, posFree)
		s.negFree = append(s.negFree, negFree)
	}
	s.lo = make([][]int64, len(chs))
	s.hi = make([][]int64, len(chs))
	for ci, ch := range chs {
		s.lo[ci] = make([]int64, len(ch.cells))
		s.hi[ci] = make([]int64, len(ch.cells))
		for k := range ch.cells {
			for r, vals := range ch.cands {
				if r == 0 || vals[k] < s.lo[ci][k] {
					s.lo[ci][k] = vals[k]
				}
				if r == 0 || vals[k] > s.hi[ci][k] {
					s.hi[ci][k] = vals[k]
				}
			}
		}
	}
	s.touch = make([][]eqRef, len(chs))
	for e, eq := range s.eqs {
		for _, t := range eq {
			s.touch[t.ch] = append(s.touch[t.ch], eqRef{e, t.k, t.coef})
		}
	}
	s.eqLo = make([]int64, len(s.eqs))
	s.eqHi = make([]int64, len(s.eqs))
	// Branch on the choices with fewest readings first: the sure ones fix the bounds early.
	s.order = make([]int, len(chs))
	for i := range s.order {
		s.order[i] = i
	}
	for i := 1; i < len(s.order); i++ {
		for j := i; j > 0 && len(chs[s.order[j]].cands) < len(chs[s.order[j-1]].cands); j-- {
			s.order[j], s.order[j-1] = s.order[j-1], s.order[j]
		}
	}
	s.assign = make([]int, len(chs))
	return s
}

// span is the range a term contributes while its choice is unassigned.
func (s *solver) span(ci int, t eqRef) (int64, int64) {
	a, b := t.coef*s.lo[ci][t.k], t.coef*s.hi[ci][t.k]
	if a > b {
		a, b = b, a
	}
	return a, b
}

// reset unassigns every choice.
func (s *solver) reset() {
	for i := range s.assign {
		s.assign[i] = -1
	}
	for e := range s.eqLo {
		s.eqLo[e], s.eqHi[e] = s.eqBase[e], s.eqBase[e]
	}
	for ci := range s.touch {
		for _, t := range s.touch[ci] {
			a, b := s.span(ci, t)
			s.eqLo[t.e] += a
			s.eqHi[t.e] += b
		}
	}
}

// set assigns reading r to choice ci (r < 0 unassigns) and reports whether every equation it
// touches can still hold.
func (s *solver) set(ci, r int) bool {
	if old := s.assign[ci]; old >= 0 {
		for _, t := range s.touch[ci] {
			v := t.coef * s.chs[ci].cands[old][t.k]
			a, b := s.span(ci, t)
			s.eqLo[t.e] += a - v
			s.eqHi[t.e] += b - v
		}
	}
	s.assign[ci] = r
	if r < 0 {
		return true
	}
	ok := true
	for _, t := range s.touch[ci] {
		v := t.coef * s.chs[ci].cands[r][t.k]
		a, b := s.span(ci, t)
		s.eqLo[t.e] += v - a
		s.eqHi[t.e] += v - b
		if !s.reachable(t.e) {
			ok = false
		}
	}
	return ok
}

// reachable reports whether equation e can still reach 0.
func (s *solver) reachable(e int) bool {
	return (s.negFree[e] > 0 || s.eqLo[e] <= 0) && (s.posFree[e] > 0 || s.eqHi[e] >= 0)
}

// possible reports whether every equation can still reach 0.
func (s *solver) possible() bool {
	for e := range s.eqLo {
		if !s.reachable(e) {
			return false
		}
	}
	return true
}

func (s *solver) get(cell int) (int64, bool) {
	at, ok := s.cellAt[cell]
	if !ok || s.assign[at[0]] < 0 {
		return 0, false
	}
	return s.chs[at[0]].cands[s.assign[at[0]]][at[1]], true
}

// dfs assigns the choices from order[idx] on and stops at the first full assignment.
func (s *solver) dfs(idx int) bool {
	if s.budget <= 0 {
		s.exhausted = true
		return false
	}
	s.budget--
	if idx == len(s.order) {
		return s.accept == nil || s.accept(s.get)
	}
	ci := s.order[idx]
	if s.assign[ci] >= 0 { // fixed by the question
		return s.dfs(idx + 1)
	}
	for r := range s.chs[ci].cands {
		if s.set(ci, r) && s.dfs(idx+1) {
			return true
		}
	}
	s.set(ci, -1)
	return false
}

// verdict of one reading.
type verdict uint8

const (
	unasked verdict = iota
	feasible
	infeasible
	unknownV // the search ran out of budget: treated as feasible, never as ruled out
)

// solve asks, for every reading of every choice, whether some assignment with it satisfies the
// equations. Readings found in a solution are marked without a question of their own.
func (s *solver) solve(totalBudget int) (v [][]verdict, anySolution, complete bool) {
	v = make([][]verdict, len(s.chs))
	for ci := range s.chs {
		v[ci] = make([]verdict, len(s.chs[ci].cands))
	}
	complete = true
	for ci := range s.chs {
		for r := range s.chs[ci].cands {
			if v[ci][r] != unasked {
				continue
			}
			s.reset()
			found := false
			s.budget = min(searchBudget, totalBudget)
			s.exhausted = false
			if s.set(ci, r) && s.possible() {
				found = s.dfs(0)
			}
			totalBudget -= min(searchBudget, totalBudget) - s.budget
			switch {
			case found:
				anySolution = true
				for cj, rj := range s.assign {
					v[cj][rj] = feasible
				}
			case s.exhausted:
				v[ci][r] = unknownV
				complete = false
			default:
				v[ci][r] = infeasible
			}
		}
	}
	return v, anySolution, complete
}

// agreed returns, for one choice, each cell's value when every reading not ruled out gives the
// same one (ok[k] false otherwise), and the readings not ruled out.
func agreed(ch choice, v []verdict) (vals []int64, ok []bool, kept []int) {
	for r := range ch.cands {
		if v == nil || v[r] != infeasible {
			kept = append(kept, r)
		}
	}
	vals = make([]int64, len(ch.cells))
	ok = make([]bool, len(ch.cells))
	if len(kept) == 0 {
		return vals, ok, kept
	}
	for k := range ch.cells {
		vals[k], ok[k] = ch.cands[kept[0]][k], true
		for _, r := range kept[1:] {
			if ch.cands[r][k] != vals[k] {
				ok[k] = false
				break
			}
		}
	}
	return vals, ok, kept
}

// jointBudget bounds the whole joint search of one table.
const jointBudget = 300_000

// runRead is one row's run and how it was cut.
type runRead struct {
	row      int // Table 3 row, Table 2 field of the first column, or 0 for Table 4
	label    string
	seg      *segment
	readings []reading
	method   Method
	// why the run has no usable reading: "" when it has some
	why string
}

// readingsOf cuts a run into want numbers of shape sh. A run already split into exactly want
// tokens is a delimited row: its tokens are the numbers, as printed.
func readingsOf(rn *run, sh shape, trustBlanks bool) (rs []reading, m Method, why string) {
	if len(rn.holes) > 0 {
		rs, why = holeReadings(rn, sh)
		return rs, ByDecoding, why
	}
	want := sh.count()
	tok := rn.tokens()
	var printed []reading
	if tok == want && rn.point == 0 {
		printed, _ = cutRun(rn.digits, rn.breaks, true, shape{plain: want})
		if len(printed) == 1 && sh.holds(printed[0].vals) && trustBlanks {
			return printed, ByGrid, ""
		}
		// A token with a leading zero ("007"), or blanks that break the row's identity: one may
		// be a stray blank inside a number ("20 0 0 0 0 1 2 1"). Decode, keeping the printed
		// cells as a candidate, so that a report's own wrong sum is never silently re-cut.
	}
	rs, complete := cutRun(rn.digits, rn.breaks, tok > want, sh)
	switch {
	case !complete:
		return nil, ByDecoding, "over"
	case len(rs) == 0 && len(printed) == 1:
		return printed, ByGrid, ""
	case len(rs) == 0:
		return nil, ByDecoding, "none"
	}
	if len(printed) == 1 {
		rs = appendReading(rs, printed[0])
		if len(rs) == 1 {
			return rs, ByGrid, "" // the blanks were cell boundaries: no other cut fits
		}
	}
	return rs, ByDecoding, ""
}

// appendReading adds r to rs unless a reading with the same numbers is there.
func appendReading(rs []reading, r reading) []reading {
	key := digitsOf(r)
	for _, x := range rs {
		if digitsOf(x) == key {
			return rs
		}
	}
	return append(rs, r)
}

// holds reports whether numbers cut to the shape satisfy its identities.
func (sh shape) holds(vals []int64) bool {
	at := 0
	for _, g := range sh.groups {
		if at+g >= len(vals) || !groupHolds(vals, at, at+g) {
			return false
		}
		at += g + 1
	}
	return true
}

// digitsOf renders a reading for a message: "12|1|0|0|0|4|17".
func digitsOf(rd reading) string {
	if rd.texts != nil {
		return strings.Join(rd.texts, "|")
	}
	parts := make([]string, len(rd.vals))
	for i, v := range rd.vals {
		parts[i] = strconv.FormatInt(v, 10)
	}
	return strings.Join(parts, "|")
}

// decodedValue is the Value of number k of a reading of run rn.
func decodedValue(rn *run, rdg reading, k int, m Method) Value {
	n := rdg.vals[k]
	kind := Numeric
	if n == 0 {
		kind = Zero
	}
	raw := string(rn.digits[rdg.start[k]:rdg.end[k]])
	if rdg.texts != nil {
		raw = rdg.texts[k]
	}
	pos := rn.pos[rdg.start[k]]
	if p, signed := rn.signPos[rdg.start[k]]; signed {
		pos = p // "-185" starts at its sign
	}
	return Value{Kind: kind, N: n, Raw: raw, Pos: pos, Method: m}
}

// undecided is the Value of a cell whose run could not be cut uniquely: null in every output, not
// mistaken for a missing row, and named in the rules' not-assessable findings.
func undecided(rn *run, why string) Value {
	v := Value{Kind: Text, Raw: "(" + why + "：" + rn.text() + ")"}
	if len(rn.pos) > 0 {
		v.Pos = rn.pos[0]
	}
	return v
}

// ---- Table 3 ----

// readSquashedT3 reads a Table 3 whose rows are labels glued to digit runs. It reports false, and
// does nothing, when the region is not such a table.
func (rd *reader) readSquashedT3(reg region, read *TableRead) bool {
	oneLine := hasOneLine(rd.lines, reg)
	if !reg.found() || !oneLine && gluedLines(rd.lines, reg, NumT3Cols) < minSquashedRows {
		return false
	}
	segs := gatherHoles(scanSegments(regionRunes(rd.lines, reg), false))
	// Match every segment's label in order first; the table is squashed when more matched rows
	// are glued to their runs than are delimited.
	type matched struct {
		sg   *segment
		row  int
		ok   bool
		fuzz bool
	}
	ms := make([]matched, len(segs))
	glued, delimited := 0, 0
	last := -1
	for i := range segs {
		sg := &segs[i]
		row, ok := matchT3Row(sg.label, last)
		fuzz := false
		if !ok {
			if m, fok := fuzzyT3Match(sg.label, last); fok {
				row, ok, fuzz = m.row, true, true
			}
		}
		ms[i] = matched{sg, row, ok, fuzz}
		if !ok {
			continue
		}
		if t3After(row, last) {
			last = row
		}
		// A run glued to its label counts even when its numbers are spaced ("数量42 10 0 0 0 4 56"
		// from PDF text): the grid reader cannot tell the label's last word from its first number.
		switch {
		case sg.run.glued && len(sg.run.digits) >= NumT3Cols:
			glued++
		case sg.run.tokens() == NumT3Cols:
			delimited++
		}
	}
	if !oneLine && (glued < minSquashedRows || glued <= delimited) {
		return false
	}
	var rows []*runRead
	byRow := map[int]*runRead{}
	last = -1
	for _, m := range ms {
		sg, row := m.sg, m.row
		place := sg.labelPos.String()
		if place == "" && len(sg.run.pos) > 0 {
			place = sg.run.pos[0].String()
		}
		if m.fuzz {
			// Record the approximate match (the same one: the order state is the same).
			rd.fuzzyT3Row(sg.label, last, place)
		}
		if !m.ok {
			rd.rep.add(Finding{Rule: RuleSRowLabel, Severity: SevWarning, Status: "uncertain", Place: place,
				Message: "表三 第" + place + "处的数字串“" + clip(sg.run.text()) + "”前的文字“" + clip(sg.label) + "”无法对应到表三的任何一行，未采用"})
			continue
		}
		if prev, dup := byRow[row]; dup {
			rd.rep.add(Finding{Rule: RuleSRowDuplicate, Severity: SevError, Status: "uncertain", Place: place, Cells: rowPaths(row),
				Message: "表三 “" + T3Rows[row].CN + "”行出现两次（第二次在" + place + "），两处数值均未采用"})
			prev.readings, prev.why = nil, "dup"
			continue
		}
		if t3After(row, last) {
			last = row
		}
		rr := &runRead{row: row, label: sg.label, seg: sg}
		// On a page scraped onto one line, blanks fall at some cell boundaries and now and then
		// inside a number: they guide the cut but never decide it alone.
		rr.readings, rr.method, rr.why = readingsOf(&sg.run, shapeT3, !oneLine)
		rows = append(rows, rr)
		byRow[row] = rr
		rd.rep.T3Labels[row] = sg.label
		switch {
		case row >= RowOtherNoCorrection && row <= RowOtherOther:
			rd.t3Version = mergeVersion(rd.t3Version, Gov2021)
		case row == RowOtherTotal:
			rd.t3Version = mergeVersion(rd.t3Version, Gov2019)
		}
	}
	// The column identities choose among the rows' readings.
	var chs []choice
	var chRow []*runRead
	for _, rr := range rows {
		if len(rr.readings) == 0 {
			continue
		}
		ch := choice{cells: make([]int, NumT3Cols)}
		for c := range ch.cells {
			ch.cells[c] = t3Cell(rr.row, c)
		}
		for _, rdg := range rr.readings {
			ch.cands = append(ch.cands, rdg.vals)
		}
		chs = append(chs, ch)
		chRow = append(chRow, rr)
	}
	version := rd.t3Version
	if version != Gov2019 {
		version = Gov2021
	}
	var eqs []equation
	for _, e := range (&Report{FormatVersion: version}).equations() {
		if e.rule == RuleT3Balance || e.rule == RuleT3Results {
			eqs = append(eqs, e)
		}
	}
	nf := narrativeFigures(rd.lines, reg.start)
	var accept func(get func(int) (int64, bool)) bool
	if nf.received >= 0 {
		accept = func(get func(int) (int64, bool)) bool {
			nr, ok1 := get(t3Cell(RowNewReceived, ColTotal))
			co, ok2 := get(t3Cell(RowCarriedOver, ColTotal))
			return ok1 && nr == nf.received || ok1 && ok2 && nr+co == nf.received
		}
	}
	// Rows read as delimited cells by this decoder are choices too; nothing else is known.
	res := chooseJointly(chs, eqs, nil, accept)
	for i, rr := range chRow {
		rd.placeDecoded(rr, chs[i], res, i, func(k int) *Value { return &rd.rep.T3[rr.row][k] }, func(k int) string { return T3Path(rr.row, k) }, read, "表三 “"+clip(rr.label)+"”行")
	}
	for _, rr := range rows {
		if len(rr.readings) == 0 {
			rd.unsplit(rr, rd.rep.T3[rr.row][:], rowPaths(rr.row), "表三 “"+clip(rr.label)+"”行", "每行六类申请人之和等于总计")
		}
	}
	return true
}

// joint is the outcome of choosing among readings.
type joint struct {
	v [][]verdict
	// before holds the verdicts of the identities alone when a narrative figure then broke a tie.
	before    [][]verdict
	none      bool // no assignment satisfies the equations: the identities themselves fail
	complete  bool
	narrative bool // a narrative figure broke a tie
}

// chooseJointly runs the search, then, if cells stay open and the narrative states a figure,
// again with that figure as a tie-breaker.
func chooseJointly(chs []choice, eqs []equation, known func(int) (int64, bool), accept func(get func(int) (int64, bool)) bool) joint {
	s := newSolver(chs, eqs, known)
	v, any, complete := s.solve(jointBudget)
	res := joint{v: v, none: !any && complete, complete: complete}
	if !any || accept == nil || !open(chs, v) {
		return res
	}
	s.accept = accept
	v2, any2, complete2 := s.solve(jointBudget)
	if any2 && complete2 {
		res.before, res.v, res.narrative = v, v2, true
	}
	return res
}

// open reports whether some cell is still undecided.
func open(chs []choice, v [][]verdict) bool {
	for ci, ch := range chs {
		if _, ok, _ := agreed(ch, v[ci]); !allTrue(ok) {
			return true
		}
	}
	return false
}

func allTrue(b []bool) bool {
	for _, x := range b {
		if !x {
			return false
		}
	}
	return true
}

// placeDecoded writes a run's decided cells and reports the undecided ones.
func (rd *reader) placeDecoded(rr *runRead, ch choice, res joint, ci int, dst func(k int) *Value, path func(k int) string, read *TableRead, what string) {
	var v []verdict
	if !res.none {
		v = res.v[ci]
	}
	_, ok, kept := agreed(ch, v)
	rn := &rr.seg.run
	// A word in the run: its cell is the one every reading left puts it in, or the row is open.
	wordAt := -1
	if len(kept) > 0 && rr.readings[kept[0]].hole > 0 {
		wordAt = rr.readings[kept[0]].hole - 1
		for _, r := range kept[1:] {
			if rr.readings[r].hole-1 != wordAt {
				wordAt = -1
				for k := range ok {
					ok[k] = false
				}
				break
			}
		}
	}
	var open []string
	decided := 0
	for k := range ch.cells {
		if !ok[k] {
			*dst(k) = undecided(rn, "无法唯一拆分")
			open = append(open, path(k))
			continue
		}
		if k == wordAt {
			rd.placeWord(dst(k), rn, rr.readings, kept, path(k), what)
			continue
		}
		// Every reading left gives this cell the same number; its digits are those of the first.
		*dst(k) = decodedValue(rn, rr.readings[kept[0]], k, rr.method)
		decided++
	}
	if decided > 0 {
		read.count(rr.method, decided)
	}
	place := ""
	if len(rn.pos) > 0 {
		place = rn.pos[0].String()
	}
	if len(open) > 0 {
		cands := make([]string, 0, len(kept))
		for i, r := range kept {
			if i == maxListed {
				cands = append(cands, "…")
				break
			}
			cands = append(cands, digitsOf(rr.readings[r]))
		}
		why := "均满足勾稽关系"
		if len(rr.readings) > 0 && strings.HasPrefix(what, "表二") {
			why = "均有可能（表二没有勾稽关系可以排除）"
		}
		switch {
		case res.none:
			why = "均满足本行勾稽关系，但没有一种组合能使各列勾稽关系同时成立"
		case !res.complete:
			why = "未能在限定计算量内排除"
		}
		rd.rep.add(Finding{Rule: RuleXAmbiguousSplit, Severity: SevWarning, Status: "uncertain", Place: place, Cells: open,
			Message: what + "的数字串“" + rn.text() + "”有" + strconv.Itoa(len(kept)) + "种拆分" + why + "：" + strings.Join(cands, "；") + "；其中" + strconv.Itoa(len(open)) + "个单元格无法确定，留空"})
	} else if res.narrative && !decidedBefore(ch, res.before[ci]) {
		rd.rep.add(Finding{Rule: RuleXAmbiguousSplit, Severity: SevInfo, Status: "resolved", Place: place,
			Message: what + "的数字串“" + rn.text() + "”有多种拆分满足勾稽关系，按正文所述数字选定为" + digitsOf(rr.readings[kept[0]])})
	}
}

// maxListed is how many candidate readings a finding lists before "…".
const maxListed = 30

// decidedBefore reports whether the identities alone decided every cell of a choice.
func decidedBefore(ch choice, v []verdict) bool {
	_, ok, _ := agreed(ch, v)
	return allTrue(ok)
}

// unsplit marks the cells of a run that has no reading at all.
func (rd *reader) unsplit(rr *runRead, dst []Value, paths []string, what, identity string) {
	if rr.why == "dup" {
		for k := range dst {
			dst[k] = Value{Kind: Text, Raw: "(duplicate row)", Pos: dst[k].Pos}
		}
		return
	}
	rn := &rr.seg.run
	reason := "无法拆分"
	msg := what + "的数字串“" + clip(rn.text()) + "”没有一种拆分满足" + identity + "，该行数值未采用"
	if rr.why == "words" {
		reason = "夹有文字"
		msg = what + "的数字串“" + clip(rn.text()) + "”中夹有多处文字，无法确定各数字所在的列，该行数值未采用"
	}
	if rr.why == "over" {
		reason = "拆分过多"
		msg = what + "的数字串“" + clip(rn.text()) + "”可能的拆分超过" + strconv.Itoa(maxCandidates) + "种或超出计算量上限，该行数值未采用"
	}
	for k := range dst {
		dst[k] = undecided(rn, reason)
	}
	place := ""
	if len(rn.pos) > 0 {
		place = rn.pos[0].String()
	}
	rd.rep.add(Finding{Rule: RuleXAmbiguousSplit, Severity: SevError, Status: "not_assessable", Place: place, Cells: paths, Message: msg})
}

// ---- Table 4 ----

// readSquashedT4 reads Table 4 from digit runs: one run of fifteen numbers, or several runs
// printed apart (three tables of five), whose seams are cuts. It reports false when the region
// holds no run to decode.
func (rd *reader) readSquashedT4(reg region, read *TableRead) bool {
	if !reg.found() {
		return false
	}
	oneLine := hasOneLine(rd.lines, reg)
	segs := gatherHoles(scanSegments(regionRunes(rd.lines, reg), false))
	var all run
	tokens := 0
	var hard []bool
	for i := range segs {
		rn := &segs[i].run
		if len(rn.digits) == 0 {
			continue
		}
		tokens += rn.tokens()
		seam := len(all.digits)
		for _, h := range rn.holes {
			h.at += seam
			all.holes = append(all.holes, h)
		}
		all.digits = append(all.digits, rn.digits...)
		all.pos = append(all.pos, rn.pos...)
		if len(all.breaks) > 0 {
			all.breaks = all.breaks[:len(all.breaks)-1]
		}
		all.breaks = append(all.breaks, rn.breaks...)
		for len(hard) < len(all.digits)+1 {
			hard = append(hard, false)
		}
		hard[seam] = seam > 0
	}
	if !oneLine && tokens == NumT4 && len(all.holes) == 0 || len(all.digits) < NumT4-len(all.holes) {
		return false // a delimited row the grid reader could not use, or too few digits
	}
	var rs []reading
	complete := true
	method := ByDecoding
	why := ""
	switch {
	case len(all.holes) > 0:
		rs, why = holeReadings(&all, shapeT4)
		complete = why != "over"
	case tokens == NumT4:
		// A one-line page's Table 4 with its cells apart: read as printed when the sums hold.
		var printed []reading
		printed, _ = cutRunHard(all.digits, all.breaks, true, hard, shape{plain: NumT4})
		rs, complete = cutRunHard(all.digits, all.breaks, false, hard, shapeT4)
		if len(printed) == 1 {
			rs = appendReading(rs, printed[0])
			if len(rs) == 1 {
				method = ByGrid
			}
		}
	default:
		rs, complete = cutRunHard(all.digits, all.breaks, tokens > NumT4, hard, shapeT4)
	}
	seg := &segment{run: all}
	rr := &runRead{seg: seg, readings: rs, method: method}
	paths := make([]string, NumT4)
	for i := range paths {
		paths[i] = T4Path(i)
	}
	switch {
	case why == "words":
		rr.why = why
	case !complete:
		rr.why = "over"
	case len(rs) == 0:
		rr.why = "none"
	}
	if rr.why != "" {
		rd.unsplit(rr, rd.rep.T4[:], paths, "表四", "各项“总计”等于其前四项之和")
		return true
	}
	ch := choice{cells: make([]int, NumT4)}
	for i := range ch.cells {
		ch.cells[i] = t4Cell(i)
	}
	for _, r := range rs {
		ch.cands = append(ch.cands, r.vals)
	}
	nf := narrativeFigures(rd.lines, reg.start)
	var accept func(get func(int) (int64, bool)) bool
	if nf.review >= 0 || nf.litigation >= 0 {
		accept = func(get func(int) (int64, bool)) bool {
			rv, _ := get(t4Cell(4))
			d, _ := get(t4Cell(9))
			a, _ := get(t4Cell(14))
			return (nf.review < 0 || rv == nf.review) && (nf.litigation < 0 || d+a == nf.litigation)
		}
	}
	res := chooseJointly([]choice{ch}, nil, nil, accept)
	rd.placeDecoded(rr, ch, res, 0, func(k int) *Value { return &rd.rep.T4[k] }, T4Path, read, "表四")
	// Mostly printed apart, yet short. A word in the run (holes.go) stands in a cell's place: no
	// cell is lost there.
	if tokens > NumT4/2 && tokens < NumT4 && len(all.holes) == 0 {
		rd.checkCutCells(rr, hard, ch, res, tokens, read)
	}
	return true
}

// checkCutCells is for a Table 4 whose numbers were mostly printed apart but are fewer than
// fifteen, read by a cut of a printed number ("12" as 1 and 2). A lost blank ("0155" for "0 155")
// and a cell missing from the row look the same there, and the block sums are weak: with a cell
// missing, the cut that makes them hold puts wrong numbers in the cut cells and shifts those
// between the gap and the cut. So the other reading is tried too, the printed numbers as they are
// with one cell missing (its value implied by its block's sum): the cells on which the two
// readings differ are left null, and either way a warning names what was inferred.
func (rd *reader) checkCutCells(rr *runRead, hard []bool, ch choice, res joint, tokens int, read *TableRead) {
	var v []verdict
	if !res.none {
		v = res.v[0]
	}
	_, ok, kept := agreed(ch, v)
	if len(kept) == 0 {
		return
	}
	all, r := &rr.seg.run, &rr.readings[kept[0]]
	place := ""
	if len(all.pos) > 0 {
		place = all.pos[0].String()
	}
	var gaps []gapReading
	if tokens == NumT4-1 {
		gaps = gapReadingsT4(all, hard)
	}
	if len(gaps) == 0 {
		// No missing cell fits the sums: the cut stands, but say where it was made.
		var cells, cut []string
		for k := 1; k < len(r.start); k++ {
			at := r.start[k]
			if !ok[k-1] || !ok[k] || at >= len(all.breaks) || all.breaks[at] || at < len(hard) && hard[at] {
				continue
			}
			if len(cells) == 0 || cells[len(cells)-1] != T4Path(k-1) {
				cells = append(cells, T4Path(k-1))
			}
			cells = append(cells, T4Path(k))
			cut = append(cut, string(all.digits[r.start[k-1]:r.end[k]]))
		}
		if len(cut) == 0 {
			return
		}
		rd.rep.add(Finding{Rule: RuleXAmbiguousSplit, Severity: SevWarning, Status: "uncertain", Place: place, Cells: cells,
			Message: fmt.Sprintf("表四 各数值之间有分隔，但只读到%d个数值（应为15个）；按各项总计等于前四项之和，把“%s”拆开读为%s（缺一格的读法都不满足勾稽关系），请核对表四",
				tokens, strings.Join(cut, "”“"), digitsOf(*r))})
		return
	}
	// The decided cells a missing-cell reading disagrees on, or leaves as its missing cell.
	var open, cands []string
	for k := range NumT4 {
		if !ok[k] {
			continue
		}
		same := true
		for _, g := range gaps {
			same = same && g.gap != k && g.vals[k] == r.vals[k]
		}
		if !same {
			rd.rep.T4[k] = undecided(all, "无法确定是数字粘连还是缺格")
			open = append(open, T4Path(k))
		}
	}
	if len(open) == 0 {
		return
	}
	read.count(rr.method, -len(open))
	if read.ByMethod[rr.method.String()] == 0 {
		delete(read.ByMethod, rr.method.String())
	}
	for _, g := range gaps {
		parts := make([]string, NumT4)
		for k := range parts {
			parts[k] = strconv.FormatInt(g.vals[k], 10)
		}
		parts[g.gap] = "(" + parts[g.gap] + ")"
		cands = append(cands, strings.Join(parts, "|"))
	}
	split := make([]string, len(kept))
	for i, k := range kept {
		split[i] = digitsOf(rr.readings[k])
	}
	rd.rep.add(Finding{Rule: RuleXAmbiguousSplit, Severity: SevWarning, Status: "uncertain", Place: place, Cells: open,
		Message: fmt.Sprintf("表四 各数值之间有分隔，但只读到%d个数值（应为15个）：若是数字粘连，拆开读为%s；若是缺了一格，读为%s（括号内为缺格按勾稽关系应有的数）。两种读法都满足勾稽关系，其中%d个单元格无法确定，留空",
			tokens, strings.Join(split, "或"), strings.Join(cands, "或"), len(open))})
}

// gapReading is Table 4 read as printed with one cell missing.
type gapReading struct {
	gap  int
	vals [NumT4]int64 // the gap holds the value its block's sum implies
}

// gapReadingsT4 returns the readings of a run of fourteen printed numbers with one cell missing
// that satisfy every block's sum.
func gapReadingsT4(all *run, hard []bool) []gapReading {
	var nums []int64
	start := 0
	for i := 1; i <= len(all.digits); i++ {
		if i < len(all.digits) && !all.breaks[i] && !(i < len(hard) && hard[i]) {
			continue
		}
		d := all.digits[start:i]
		if len(d) > maxDigits || len(d) > 1 && d[0] == '0' {
			return nil
		}
		n, err := strconv.ParseInt(string(d), 10, 64)
		if err != nil {
			return nil
		}
		nums, start = append(nums, n), i
	}
	if len(nums) != NumT4-1 {
		return nil
	}
	var out []gapReading
	for gap := range NumT4 {
		g := gapReading{gap: gap}
		for k, j := 0, 0; k < NumT4; k++ {
			if k != gap {
				g.vals[k] = nums[j]
				j++
			}
		}
		b := gap / 5 * 5
		var sum int64
		for k := b; k < b+4; k++ {
			if k != gap {
				sum += g.vals[k]
			}
		}
		if gap == b+4 {
			g.vals[gap] = sum
		} else if g.vals[gap] = g.vals[b+4] - sum; g.vals[gap] < 0 {
			continue
		}
		fits := true
		for b := 0; b < NumT4; b += 5 {
			fits = fits && g.vals[b]+g.vals[b+1]+g.vals[b+2]+g.vals[b+3] == g.vals[b+4]
		}
		if fits {
			out = append(out, g)
		}
	}
	return out
}

// ---- Table 2 ----

// rightmostT2Row finds the Table 2 row whose fragment ends furthest right in a label that may
// carry a block heading and header words in front ("第二十条第（五）项信息内容本年处理决定数量行政许可").
func rightmostT2Row(label string) (row string, at int, ok bool) {
	s := normLabel(label)
	end, length := -1, 0
	for _, f := range t2RowFragments {
		if i := strings.LastIndex(s, f.text); i >= 0 {
			e := i + len(f.text)
			if e > end || e == end && len(f.text) > length {
				row, end, length, at = f.row, e, len(f.text), i
			}
		}
	}
	return row, at, end >= 0
}

// squashedT2Header reads the columns of a header that lost its cell boundaries
// ("信息内容本年制发件数本年废止件数现行有效件数"): every column fragment, in the order printed.
func squashedT2Header(s string) []t2Column {
	type hit struct {
		at, end int
		col     string
	}
	var hits []hit
	for _, f := range t2ColFragments {
		for from := 0; ; {
			i := strings.Index(s[from:], f.text)
			if i < 0 {
				break
			}
			hits = append(hits, hit{from + i, from + i + len(f.text), f.col})
			from += i + len(f.text)
		}
	}
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && (hits[j].at < hits[j-1].at || hits[j].at == hits[j-1].at && hits[j].end > hits[j-1].end); j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	var cols []t2Column
	reach := 0
	for _, h := range hits {
		if h.at < reach {
			continue // inside a longer fragment already taken
		}
		reach = h.end
		c := t2Column{key: h.col}
		if h.col == "amount_wan_yuan" {
			c.yuan = strings.Contains(s[h.at:], "元") && !strings.Contains(s[h.at:], "万元")
			c.unit = strings.Contains(s[h.at:], "元")
		}
		cols = append(cols, c)
	}
	return cols
}

// readSquashedT2 reads a Table 2 whose rows are labels glued to their numbers ("规章000"). Table 2
// has no identity: a run is taken only when exactly one cut exists; otherwise the candidates go
// into a finding and the cells stay null.
func (rd *reader) readSquashedT2(reg region, read *TableRead) bool {
	oneLine := hasOneLine(rd.lines, reg)
	if !reg.found() || !oneLine && gluedLines(rd.lines, reg, 1) < minSquashedRows {
		return false
	}
	segs := scanSegments(regionRunes(rd.lines, reg), true)
	glued := 0
	for i := range segs {
		if _, _, ok := rightmostT2Row(segs[i].label); ok && segs[i].run.glued {
			glued++
		}
	}
	if !oneLine && glued < minSquashedRows {
		return false
	}
	var cols []t2Column
	for i := range segs {
		sg := &segs[i]
		s := normLabel(sg.label)
		row, at, ok := rightmostT2Row(sg.label)
		if h := strings.LastIndex(s, "信息内容"); h >= 0 {
			end := len(s)
			if ok && at > h {
				end = at
			}
			cols = squashedT2Header(s[h+len("信息内容") : end])
		}
		if !ok {
			continue
		}
		use := cols
		if !columnsFit(row, cols) {
			use = defaultT2Columns(row, 0)
		}
		fields := make([]int, 0, len(use))
		kept := use[:0:0]
		for _, c := range use {
			if f, ok := t2Index(row, c.key); ok {
				fields = append(fields, f)
				kept = append(kept, c)
			}
		}
		if len(fields) == 0 || len(fields) != len(use) {
			continue
		}
		rr := &runRead{seg: sg, method: ByDecoding}
		rn := &sg.run
		paths := make([]string, len(fields))
		for k, f := range fields {
			paths[k] = T2[f].Path()
		}
		what := "表二 “" + T2[fields[0]].RowCN + "”行"
		dup := false
		for _, f := range fields {
			dup = dup || rd.rep.T2[f].Kind != Absent
		}
		if dup {
			rd.rep.add(Finding{Rule: RuleSRowDuplicate, Severity: SevWarning, Status: "uncertain", Place: rn.pos[0].String(), Cells: paths,
				Message: what + "出现两次，采用第一次的值"})
			continue
		}
		if _, word := wordSuffix(sg.label); word != "" {
			// A word before the digits ("行政许可约68", "规章abc000"): Table 2 has no identity to
			// tell which digits are the word's cell, so the row stays null.
			for _, f := range fields {
				rd.rep.T2[f] = Value{Kind: Text, Raw: "(夹有文字：" + word + rn.text() + ")", Pos: rn.pos[0]}
			}
			rd.rep.add(Finding{Rule: RuleSTextCell, Severity: SevWarning, Status: "not_assessable", Place: rn.pos[0].String(), Cells: paths,
				Message: what + "的数字“" + rn.text() + "”前有文字“" + word + "”，无法确定各数字所在的列，该行数值未采用"})
			continue
		}
		if len(fields) == 1 {
			// One number: the whole run, decimals and all.
			f := fields[0]
			txt := rn.text()
			if kept[0].yuan && rn.unit == "" {
				txt += "元"
			}
			p := parseNumber(txt, T2[f].Amount, T2[f].Signed)
			if p.kind.Known() {
				// Glued to its label, the number still has only one reading; the table lost its
				// boundaries all the same, and the confidence says so.
				m := ByGrid
				if rn.glued {
					m = ByDecoding
				}
				rd.rep.T2[f] = Value{Kind: p.kind, N: p.n, Raw: rn.text(), Pos: rn.pos[0], Note: p.note, Method: m}
				rd.t2Unit[f] = kept[0].unit || rn.unit != ""
				rd.noteIssue(&rd.rep.T2[f], p.issue, T2[f].Path(), T2[f].Label(), "T2")
				read.count(m, 1)
				rd.t2Version = mergeVersion(rd.t2Version, T2[f].Marks())
			}
			continue
		}
		yuan := rn.unit == "元" || rn.unit == "" && kept[len(kept)-1].yuan
		rr.readings, rr.method, rr.why = t2Readings(rn, fields, yuan)
		if rr.why != "" {
			dst := make([]Value, len(fields))
			rd.unsplit(rr, dst, paths, what, "任何拆分规则")
			for k, f := range fields {
				rd.rep.T2[f] = dst[k]
			}
			continue
		}
		ch := choice{cells: fields}
		for _, r := range rr.readings {
			ch.cands = append(ch.cands, r.vals)
		}
		res := chooseJointly([]choice{ch}, nil, nil, nil)
		rd.placeDecoded(rr, ch, res, 0, func(k int) *Value { return &rd.rep.T2[fields[k]] }, func(k int) string { return paths[k] }, read, what)
		for k, f := range fields {
			if v := &rd.rep.T2[f]; v.Known() {
				rd.t2Unit[f] = kept[k].unit || rn.unit != ""
				rd.t2Version = mergeVersion(rd.t2Version, T2[f].Marks())
				if T2[f].Amount && yuan {
					rd.noteIssue(v, issueYuan, T2[f].Path(), T2[f].Label(), "T2")
				}
			}
		}
	}
	return true
}

// t2Readings cuts a Table 2 run into the numbers of its row's columns. Table 2 has no identity,
// but the printed run still rules readings out: a sign starts a number and only a 本年增/减 column
// may hold one ("2648-18538": 上一年项目数量 is 2648 whatever the rest), a decimal point belongs to
// the amount in the last column, and an item count plus its change cannot fall below zero. yuan
// says the amount is printed in 元 (converted to 万元). A run split by blanks into exactly the
// columns is a delimited row, read as printed.
func t2Readings(rn *run, fields []int, yuan bool) (rs []reading, m Method, why string) {
	n := len(fields)
	d := rn.digits
	intEnd := len(d) // the digits cut into numbers; an amount's fraction stays with the last
	if rn.point > 0 {
		if !T2[fields[n-1]].Amount {
			return nil, ByDecoding, "none"
		}
		intEnd = rn.point
	}
	hard := make([]bool, intEnd+1)
	for i := 1; i < intEnd; i++ {
		hard[i] = rn.signAt(i) != 0
	}
	breaks := rn.breaks[:intEnd+1]
	tok := 1
	for i := 1; i < intEnd; i++ {
		if breaks[i] {
			tok++
		}
	}
	prior, change := -1, -1
	for k, f := range fields {
		switch T2[f].Col {
		case "prior_year_items":
			prior = k
		case "change":
			change = k
		}
	}
	// finish turns a cut of the integer digits into the row's values, or reports it impossible.
	finish := func(c reading) (reading, bool) {
		out := reading{vals: make([]int64, n), start: c.start, end: append([]int(nil), c.end...), texts: make([]string, n)}
		for k, f := range fields {
			a, b := c.start[k], c.end[k]
			sign := rn.signAt(a)
			if sign != 0 && !T2[f].Signed {
				return out, false
			}
			txt := string(d[a:b])
			if k == n-1 && rn.point > 0 {
				txt += "." + string(d[intEnd:])
				out.end[k] = len(d)
			}
			if sign != 0 {
				txt = string(sign) + txt
			}
			p := parseNumber(txt, T2[f].Amount, T2[f].Signed)
			if T2[f].Amount && yuan {
				p = parseNumber(txt+"元", true, false)
			}
			if !p.kind.Known() {
				return out, false
			}
			if k == n-1 && T2[f].Amount {
				txt += rn.unit
			}
			out.vals[k], out.texts[k] = p.n, txt
		}
		// Plausibility: this year's item count, last year's plus the change, is not negative.
		if prior >= 0 && change >= 0 && out.vals[prior]+out.vals[change] < 0 {
			return out, false
		}
		return out, true
	}
	keep := func(cuts []reading) []reading {
		var out []reading
		for _, c := range cuts {
			if r, ok := finish(c); ok {
				out = append(out, r)
			}
		}
		return out
	}
	if tok == n {
		if cuts, _ := cutRunHard(d[:intEnd], breaks, true, hard, shape{plain: n}); len(cuts) == 1 {
			if rs := keep(cuts); len(rs) == 1 {
				return rs, ByGrid, ""
			}
		}
	}
	cuts, complete := cutRunHard(d[:intEnd], breaks, tok > n, hard, shape{plain: n})
	rs = keep(cuts)
	switch {
	case !complete:
		return nil, ByDecoding, "over"
	case len(rs) == 0:
		return nil, ByDecoding, "none"
	}
	return rs, ByDecoding, ""
}

// ---- narrative figures ----

// figures are numbers the narrative states, for breaking ties between cuts; -1 when not stated.
type figures struct {
	received, review, litigation int64
}

var narrativeLitigation = regexp.MustCompile(`行政诉讼[^。；，,\d]{0,10}?(\d+)(?:件|起|宗)`)

// narrativeFigures reads the figures the paragraphs before line end state (report-format.md §5.5).
func narrativeFigures(lines []line, end int) figures {
	f := figures{-1, -1, -1}
	num := func(re *regexp.Regexp, s string) int64 {
		if m := re.FindStringSubmatch(s); m != nil {
			if n, err := strconv.ParseInt(m[1], 10, 64); err == nil {
				return n
			}
		}
		return -1
	}
	for i := 0; i < end && i < len(lines); i++ {
		ln := &lines[i]
		if !ln.para {
			continue
		}
		if f.received < 0 {
			f.received = num(narrativeReceived, ln.norm)
		}
		if f.review < 0 {
			f.review = num(narrativeReview, ln.norm)
		}
		if f.litigation < 0 {
			f.litigation = num(narrativeLitigation, ln.norm)
		}
	}
	return f
}
