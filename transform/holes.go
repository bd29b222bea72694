package transform

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govreports/govreports/extract"
)

// A word where a number belongs (report-format.md §7.9) inside text whose cell boundaries are lost:
// "（七）总计四十三10000457", "（七）总计1e3010000457", "（七）总计约4310000457". The word is one cell
// of the row; where it sits among the row's numbers, and which digits next to it belong to it
// ("1e30", "约43"), the identities decide as they decide every cut. A Chinese numeral is that
// cell's value, read with a finding; any other word is a text cell, null, with a finding. A row
// whose word cannot be placed stays null with the candidates in a finding.

// hole is a word inside or at the edge of a run.
type hole struct {
	at   int    // the run's digit index the word stands before
	text string // as printed
	pos  extract.Pos
	val  int64 // its value when a Chinese numeral, -1 otherwise
	// gluedLeft and gluedRight: digits touch the word on that side, so they may be part of it.
	gluedLeft, gluedRight bool
}

// maxAbsorb is how many digits next to a word may belong to its cell ("1e30", "约43", "43左右").
const maxAbsorb = 3

// newHole makes a hole of a word.
func newHole(at int, text string, pos extract.Pos) hole {
	text = trimSpace(text)
	h := hole{at: at, text: text, pos: pos, val: -1}
	if n, ok := chineseNumeral(text); ok {
		h.val = n
	}
	return h
}

// holeWord reports a label that is a word standing where a number belongs, not a row's label:
// short, no ordinal, no bracket (see wordCell), and not one of the table's header words.
func holeWord(label string) bool {
	t := trimSpace(label)
	if !wordCell(t) {
		return false
	}
	n := normLabel(t)
	for _, w := range []string{"总计", "合计", "其他", "结果", "维持", "纠正", "审结", "复议", "诉讼", "起诉"} {
		if strings.Contains(n, w) {
			return false
		}
	}
	return true
}

// suffixWordRune is a character that can end a word in a number cell but no row label:
// Chinese numerals (四十三), Latin letters (abc, e) and approximations (约, 近, 逾, 超).
func suffixWordRune(r rune) bool {
	return isNumeralRune(r) || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || strings.ContainsRune("约近逾超", r)
}

func isNumeralRune(r rune) bool {
	_, d := numeralDigit[r]
	_, u := numeralUnit[r]
	return d || u || r == '万' || r == '亿'
}

// wordSuffix splits the word a label ends with ("（七）总计四十三" → "（七）总计", "四十三"). A
// label's own ordinal ("（七）", "四、") is not a word.
func wordSuffix(label string) (rest, word string) {
	t := strings.TrimRight(label, " \t")
	i := len(t)
	for i > 0 {
		r, w := utf8.DecodeLastRuneInString(t[:i])
		if !suffixWordRune(r) {
			break
		}
		i -= w
	}
	if i == len(t) || i == 0 {
		return label, ""
	}
	// An ordinal's numeral is followed by 、 or ）, so what is left must not end in an opening
	// bracket: "（七" is an ordinal cut short, not a label with a word.
	if r, _ := utf8.DecodeLastRuneInString(t[:i]); r == '(' || r == '（' {
		return label, ""
	}
	return t[:i], t[i:]
}

// wordPrefix splits a word printed before a row's ordinal ("abc四、结转…" → "abc", "四、结转…"):
// the end of the previous row's run.
func wordPrefix(label string) (word, rest string) {
	t := strings.TrimLeft(label, " \t")
	n := normLabel(t)
	if n == "" || ordinalEnd(n) == 0 {
		return "", label
	}
	// The first ordinal mark: 、 . ． or an opening bracket.
	for i, r := range t {
		if i == 0 {
			continue
		}
		switch {
		case r == '（' || r == '(':
		case r == '、' || r == '.' || r == '．':
			// The ordinal's own numeral or digit comes before the mark.
			prev, w := utf8.DecodeLastRuneInString(t[:i])
			if !isChineseNumeral(prev) && !(prev >= '0' && prev <= '9') {
				return "", label
			}
			i -= w
		default:
			continue
		}
		word := trimSpace(t[:i])
		if word == "" || !holeWord(word) {
			return "", label
		}
		return word, t[i:]
	}
	return "", label
}

// gatherHoles finds the words of a region's segments (Tables 3 and 4, whose rows have identities)
// and makes them holes of the runs they stand in: a label's trailing word glued to its run, a
// short word between two runs (the row's run goes on after it), a word before the next row's
// ordinal.
func gatherHoles(segs []segment) []segment {
	out := make([]segment, 0, len(segs))
	for _, sg := range segs {
		if len(out) > 0 {
			prev := &out[len(out)-1]
			if holeWord(sg.label) && len(prev.run.digits) > 0 {
				// "1" "e" "3010000457": one run with a word inside.
				h := newHole(len(prev.run.digits), sg.label, sg.labelPos)
				h.gluedLeft, h.gluedRight = true, sg.run.glued
				appendRun(&prev.run, &sg.run)
				prev.run.holes = append(prev.run.holes, h)
				continue
			}
			if word, rest := wordPrefix(sg.label); word != "" && len(prev.run.digits) > 0 {
				h := newHole(len(prev.run.digits), word, sg.labelPos)
				h.gluedLeft = true
				prev.run.holes = append(prev.run.holes, h)
				sg.label = rest
			}
		}
		// A word between a label and its run ("（七）总计四十三10…", "（七）总计abc 10 0 …").
		if rest, word := wordSuffix(sg.label); word != "" && normLabel(rest) != "" {
			h := newHole(0, word, sg.labelPos)
			if n := utf8.RuneCountInString(strings.ReplaceAll(word, " ", "")); n <= len(sg.labelEnd) {
				h.pos = sg.labelEnd[len(sg.labelEnd)-n].pos // the word's first character
			}
			h.gluedRight = sg.run.glued
			sg.label = rest
			sg.run.holes = append([]hole{h}, sg.run.holes...)
		}
		out = append(out, sg)
	}
	return out
}

// appendRun continues run a with the digits of b.
func appendRun(a, b *run) {
	at := len(a.digits)
	a.digits = append(a.digits, b.digits...)
	a.pos = append(a.pos, b.pos...)
	if len(a.breaks) > 0 {
		a.breaks = a.breaks[:len(a.breaks)-1]
	}
	a.breaks = append(a.breaks, b.breaks...)
	if len(a.breaks) > at {
		a.breaks[at] = true // the word stood between them
	}
	for _, h := range b.holes {
		h.at += at
		a.holes = append(a.holes, h)
	}
}

// holeReadings cuts a run with one word in it into the cells of shape sh. The word is one cell,
// at any place; digits touching it may be its own (at most maxAbsorb on each side). A numeral's
// value must satisfy the row's identity; when no cut lets it, the word is placed as if it were
// text, so that the other cells still come out and the rules report the numeral's arithmetic. A
// text cell's value is what the identity implies, used only to let the column identities choose.
func holeReadings(rn *run, sh shape) (rs []reading, why string) {
	if len(rn.holes) > 1 {
		return nil, "words"
	}
	h := rn.holes[0]
	if h.val >= 0 {
		if rs, why = holeCuts(rn, sh, h, true); why != "" || len(rs) > 0 {
			return rs, why
		}
	}
	rs, why = holeCuts(rn, sh, h, false)
	if why == "" && len(rs) == 0 {
		why = "none"
	}
	return rs, why
}

func holeCuts(rn *run, sh shape, h hole, known bool) (rs []reading, why string) {
	n := sh.count()
	d := rn.digits
	seen := map[string]bool{}
	// One budget for the whole search: every place of the word and every share of digits.
	budget := cutBudget
	maxLeft, maxRight := 0, 0
	if !known && h.gluedLeft {
		maxLeft = min(maxAbsorb, h.at)
	}
	if !known && h.gluedRight {
		maxRight = min(maxAbsorb, len(d)-h.at)
	}
	for p := 0; p < n; p++ {
		for k := 0; k <= maxLeft; k++ {
			for m := 0; m <= maxRight; m++ {
				l, r := h.at-k, h.at+m
				lc, ok1 := cutPlainPart(d[:l], rn.breaks[:l+1], p, &budget)
				rc, ok2 := cutPlainPart(d[r:], rn.breaks[r:], n-1-p, &budget)
				if !ok1 || !ok2 || budget <= 0 {
					return nil, "over"
				}
				for _, a := range lc {
					for _, b := range rc {
						if budget--; budget < 0 {
							return nil, "over"
						}
						rd := reading{hole: p + 1}
						rd.vals = append(append(append(rd.vals, a.vals...), 0), b.vals...)
						rd.start = append(append(append(rd.start, a.start...), l), shift(b.start, r)...)
						rd.end = append(append(append(rd.end, a.end...), r), shift(b.end, r)...)
						v, ok := holeValue(sh, rd.vals, p, h, known)
						if !ok {
							continue
						}
						rd.vals[p] = v
						rd.holeText = string(d[l:h.at]) + h.text + string(d[h.at:r])
						key := digitsOf(rd) + "@" + strconv.Itoa(p)
						if seen[key] {
							continue
						}
						seen[key] = true
						if len(rs) >= maxCandidates {
							return nil, "over"
						}
						rs = append(rs, rd)
					}
				}
			}
		}
	}
	return rs, ""
}

func shift(xs []int, by int) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = x + by
	}
	return out
}

// cutPlainPart cuts digits into n numbers without an identity, spending from budget; ok is
// false when the enumeration hit its bounds.
func cutPlainPart(d []byte, breaks []bool, n int, budget *int) ([]reading, bool) {
	if n == 0 {
		if len(d) == 0 {
			return []reading{{}}, true
		}
		return nil, true
	}
	rs, complete, left := cutRunBudget(d, breaks, false, nil, shape{plain: n}, *budget)
	*budget = left
	return rs, complete
}

// holeValue is the word's cell value in a cut: a numeral's own value, which must satisfy its
// group's identity, or for text what the identity implies (never negative).
func holeValue(sh shape, vals []int64, p int, h hole, known bool) (int64, bool) {
	if len(sh.groups) == 0 {
		return h.val, known // no identity: only a numeral's own value
	}
	var v int64
	at := 0
	for _, g := range sh.groups {
		end := at + g // index of the group's total
		if p < at || p > end {
			if !groupHolds(vals, at, end) {
				return 0, false
			}
			at = end + 1
			continue
		}
		var sum int64
		for i := at; i < end; i++ {
			if i != p {
				sum += vals[i]
			}
		}
		switch {
		case known && p == end:
			if sum != h.val {
				return 0, false
			}
			v = h.val
		case known:
			if sum+h.val != vals[end] {
				return 0, false
			}
			v = h.val
		case p == end:
			v = sum
		default:
			v = vals[end] - sum
			if v < 0 {
				return 0, false
			}
		}
		at = end + 1
	}
	return v, true
}

func groupHolds(vals []int64, at, end int) bool {
	var sum int64
	for i := at; i < end; i++ {
		sum += vals[i]
	}
	return sum == vals[end]
}

// placeWord writes the cell that holds a word: a numeral's value with a finding (T*.NUMERAL), or a
// text cell (its S.TEXT_CELL finding comes with the other checks).
func (rd *reader) placeWord(dst *Value, rn *run, rs []reading, kept []int, path, what string) {
	h := rn.holes[0]
	text := rs[kept[0]].holeText
	for _, r := range kept[1:] {
		if rs[r].holeText != text {
			text = h.text // the digits next to the word may or may not be its own
			break
		}
	}
	if text == h.text && h.val >= 0 {
		kind := Numeric
		if h.val == 0 {
			kind = Zero
		}
		*dst = Value{Kind: kind, N: h.val, Raw: text, Pos: h.pos, Method: ByDecoding}
		f := issueFindings[issueNumeral]
		rd.rep.add(Finding{Rule: f.rules[tableIndex(path)], Severity: f.severity, Status: "fail", Place: h.pos.String(),
			Cells: []string{path}, Message: fmt.Sprintf(f.format, what+cellSuffix(path), text)})
		return
	}
	*dst = Value{Kind: Text, Raw: text, Pos: h.pos, Method: ByDecoding}
}

// tableIndex is 0, 1 or 2 for a cell path of Table 2, 3 or 4.
func tableIndex(path string) int {
	switch {
	case strings.HasPrefix(path, "table2."):
		return 0
	case strings.HasPrefix(path, "table4."):
		return 2
	}
	return 1
}

// cellSuffix names a cell's column for a message that already names its row.
func cellSuffix(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		key := path[i+1:]
		for _, c := range T3Cols {
			if c.Key == key {
				return c.ShortCN + "列"
			}
		}
		for _, o := range T4Outcomes {
			if o.Key == key {
				return o.CN
			}
		}
	}
	return ""
}
