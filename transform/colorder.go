package transform

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Tables 3 and 4 are read by position: a row's values go to the form's columns in the form's
// order. Real forms keep that order, but a header printed in another one (社会公益组织 before
// 科研机构, 复议后起诉 before 未经复议直接起诉, 结果纠正 before 结果维持) would put numbers in the
// wrong cells while every identity still holds: the applicants' sum and a block's total do not
// depend on the order of their terms. So the header is read as well. When a header line names
// every column of a group exactly once, in an order other than the form's, the values go to the
// cells their headers name, with a finding; when two header lines disagree, the values stay in
// the form's order with a warning. A header whose words are wrapped over several lines (PDF text)
// names no group on one line and changes nothing.

// colWord is how a header names a column: any of its stems.
type colWord []string

// t3ColWords name Table 3's columns, in T3Cols order. 其他 is also part of the group heading
// 法人或其他组织, which t3HeaderMask removes first.
var t3ColWords = [NumT3Cols]colWord{{"自然人"}, {"商业"}, {"科研"}, {"公益"}, {"法律"}, {"其他"}, {"总计", "合计"}}

var t3HeaderMask = []string{"法人或其他组织", "法人或者其他组织", "法人和其他组织"}

// t4OutcomeWords name a Table 4 block's columns, in T4Outcomes order.
var t4OutcomeWords = [5]colWord{{"维持"}, {"纠正"}, {"其他"}, {"尚未", "未审结"}, {"总计", "合计"}}

// t4LitigationWords name the two litigation blocks, in T4Blocks order from the second.
var t4LitigationWords = [2]colWord{{"未经复议"}, {"复议后"}}

// wordHit is a column word found in a header line: which column, and where in the line.
type wordHit struct{ col, at int }

// maxHits bounds the words a header line is searched for: Table 4's fifteen columns and more.
const maxHits = 24

// headerEnd is where reg's header ends: at the first line with three runs of digits or more,
// where the values start.
func (rd *reader) headerEnd(reg region) int {
	for i := reg.start; i < reg.end; i++ {
		if digitRuns(rd.lines[i].norm) >= 3 {
			return i
		}
	}
	return reg.end
}

func digitRuns(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		d := s[i] >= '0' && s[i] <= '9'
		if d && !in {
			n++
		}
		in = d
	}
	return n
}

// findWords appends to buf the hits of words in a line's normalised text (no white space, the
// copies of merged cells left out), in reading order; the mask texts are skipped. Each position
// is taken by the first word that starts there. It returns nil when a line has more than maxHits.
func findWords(norm string, words []colWord, mask []string, buf []wordHit) []wordHit {
	hits := buf[:0]
next:
	for off := 0; off < len(norm); {
		for _, m := range mask {
			if strings.HasPrefix(norm[off:], m) {
				off += len(m)
				continue next
			}
		}
		for col, w := range words {
			for _, stem := range w {
				if strings.HasPrefix(norm[off:], stem) {
					if len(hits) == maxHits {
						return nil
					}
					hits = append(hits, wordHit{col: col, at: off})
					off += len(stem)
					continue next
				}
			}
		}
		_, n := utf8.DecodeRuneInString(norm[off:])
		off += n
	}
	return hits
}

// groupOrder writes into order the printed order of a group of columns named once each among
// hits: order[k] is the column printed k-th. It returns false unless every column of the group
// appears exactly once.
func groupOrder(hits []wordHit, group []int, order []int) bool {
	var count [maxHits]int
	for _, h := range hits {
		count[h.col]++
	}
	var in [maxHits]bool
	for _, c := range group {
		if count[c] != 1 {
			return false
		}
		in[c] = true
	}
	k := 0
	for _, h := range hits {
		if in[h.col] {
			order[k] = h.col
			k++
		}
	}
	return true
}

// lineOrder gathers the orders a table's header lines give a group of columns.
type lineOrder struct {
	ord      [NumT4]int // the first order seen: ord[k] is the group's column printed k-th
	n        int        // len of the group; 0 while no header line has named the group
	line     int        // the first line that named it
	conflict bool       // a later line gave another order
}

func (l *lineOrder) agree(order []int, line int) {
	switch {
	case l.conflict:
	case l.n == 0:
		l.n, l.line = copy(l.ord[:], order), line
	case !slices.Equal(l.ord[:l.n], order):
		l.conflict = true
	}
}

// standard reports whether no line named the group or every line named it in the form's order.
func (l *lineOrder) standard() bool { return l.n == 0 || isIdentity(l.ord[:l.n]) }

func isIdentity(order []int) bool {
	for k, c := range order {
		if k != c {
			return false
		}
	}
	return true
}

// columnOrder is what a table's header says of the order of its columns, once it differs from
// the form's or its lines disagree (the zero value: the form's order).
type columnOrder struct {
	order    []int // order[k] is the form's column of the k-th printed column
	conflict bool  // two header lines give two different orders
	line     int   // the header line the finding points at
	printed  []string
}

func (o *columnOrder) any() bool { return o.order != nil || o.conflict }

// t3ColumnOrder reads the order of Table 3's columns from its header: the five organisation
// types when one line names them, with 自然人 and 总计 too when that line names them as well.
func (rd *reader) t3ColumnOrder(reg region) columnOrder {
	var cols lineOrder
	var buf [maxHits]wordHit
	for i, end := reg.start, rd.headerEnd(reg); i < end; i++ {
		// A line that cannot name all five organisation types is not searched: strings.Contains
		// is a vector search, findWords tries every word at every byte.
		norm := rd.lines[i].norm
		if !strings.Contains(norm, "公益") || !strings.Contains(norm, "科研") {
			continue
		}
		hits := findWords(norm, t3ColWords[:], t3HeaderMask, buf[:])
		order := [NumT3Cols]int{0, 1, 2, 3, 4, 5, ColTotal}
		if !groupOrder(hits, t3Orgs[:], order[1:6]) {
			continue
		}
		groupOrder(hits, t3All[:], order[:])
		cols.agree(order[:], i)
	}
	if cols.standard() && !cols.conflict {
		return columnOrder{}
	}
	o := columnOrder{conflict: cols.conflict, line: cols.line}
	if !o.conflict {
		o.order = slices.Clone(cols.ord[:NumT3Cols])
		for _, c := range o.order {
			o.printed = append(o.printed, T3Cols[c].CN)
		}
	}
	return o
}

var (
	t3Orgs        = [...]int{1, 2, 3, 4, 5}
	t3All         = [...]int{0, 1, 2, 3, 4, 5, ColTotal}
	t4Litigation  = [...]int{0, 1}
	t4OutcomeCols = [...]int{0, 1, 2, 3, 4}
)

// t4ColumnOrder reads the order of Table 4's columns: of the two litigation blocks, from a line
// naming both, and of the outcomes within a block, from lines naming them in groups of five,
// which must all agree. The review block stays first.
func (rd *reader) t4ColumnOrder(reg region) columnOrder {
	var blocks, outcomes lineOrder
	var buf [maxHits]wordHit
	for i, end := reg.start, rd.headerEnd(reg); i < end; i++ {
		norm := rd.lines[i].norm
		// Only lines holding the words every order needs are searched (see t3ColumnOrder).
		namesBlocks, namesOutcomes := strings.Contains(norm, "复议后"), strings.Contains(norm, "维持")
		lit := [3]int{0, 1, 2}
		if namesBlocks && groupOrder(findWords(norm, t4LitigationWords[:], nil, buf[:]), t4Litigation[:], lit[1:]) {
			lit[1]++
			lit[2]++
			blocks.agree(lit[:], i)
		}
		if !namesOutcomes {
			continue
		}
		hits := findWords(norm, t4OutcomeWords[:], nil, buf[:])
		if len(hits) == 0 || len(hits)%5 != 0 || len(hits) > NumT4 {
			continue
		}
		for g := 0; g < len(hits); g += 5 {
			var order [5]int
			if !groupOrder(hits[g:g+5], t4OutcomeCols[:], order[:]) {
				break
			}
			outcomes.agree(order[:], i)
		}
	}
	if blocks.standard() && outcomes.standard() && !blocks.conflict && !outcomes.conflict {
		return columnOrder{}
	}
	o := columnOrder{conflict: blocks.conflict || outcomes.conflict, line: outcomes.line}
	if blocks.n > 0 {
		o.line = blocks.line
	}
	if o.conflict {
		return o
	}
	bl, within := []int{0, 1, 2}, []int{0, 1, 2, 3, 4}
	if blocks.n > 0 {
		bl = blocks.ord[:3]
	}
	if outcomes.n > 0 {
		within = outcomes.ord[:5]
	}
	o.order = make([]int, NumT4)
	for p := range NumT4 {
		o.order[p] = bl[p/5]*5 + within[p%5]
	}
	if !isIdentity(bl) {
		for _, b := range bl {
			o.printed = append(o.printed, T4Blocks[b].CN)
		}
	}
	if !isIdentity(within) {
		for _, c := range within {
			o.printed = append(o.printed, T4Outcomes[c].CN)
		}
	}
	return o
}

// apply puts vals, in printed order, into the form's order. It leaves vals as they are when the
// header's lines disagree or vals is not a whole row.
func (o *columnOrder) apply(vals []valCell) {
	if o.order == nil || o.conflict || len(vals) != len(o.order) {
		return
	}
	var moved [NumT4]valCell
	for k, c := range o.order {
		moved[c] = vals[k]
	}
	copy(vals, moved[:len(vals)])
}

// report adds the finding of a table's header order: the values moved, or the headers disagreeing.
func (o *columnOrder) report(rd *reader, table string) {
	place := ""
	if cells := rd.lines[o.line].cells; len(cells) > 0 {
		place = cells[0].Pos.String()
	}
	switch {
	case o.conflict:
		rd.rep.add(Finding{Rule: RuleSColumnOrder, Severity: SevWarning, Status: "uncertain", Place: place,
			Message: fmt.Sprintf("%s 各表头行给出的列顺序不一致，数值按格式规定的列顺序读取，请核对各列", table)})
	case o.order != nil:
		rd.rep.add(Finding{Rule: RuleSColumnOrder, Severity: SevInfo, Status: "resolved", Place: place,
			Message: fmt.Sprintf("%s 表头的列顺序与格式不同（%s），各列数值已按表头对应", table, strings.Join(o.printed, "、"))})
	}
}
