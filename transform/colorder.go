package transform

import (
	"fmt"
	"strings"
	"unicode"
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

var t3HeaderMask = []string{"法人或其他组织", "法人或者其他组织"}

// t4OutcomeWords name a Table 4 block's columns, in T4Outcomes order.
var t4OutcomeWords = [5]colWord{{"维持"}, {"纠正"}, {"其他"}, {"尚未", "未审结"}, {"总计", "合计"}}

// t4LitigationWords name the two litigation blocks, in T4Blocks order from the second.
var t4LitigationWords = [2]colWord{{"未经复议"}, {"复议后"}}

// wordHit is a column word found in a header line: which column, and where (cell, then offset).
type wordHit struct{ col, at int }

// headerLines are the lines of reg before its values start: the first line with three runs of
// digits or more ends the header.
func (rd *reader) headerLines(reg region) []int {
	var out []int
	for i := reg.start; i < reg.end; i++ {
		if digitRuns(rd.lines[i].norm) >= 3 {
			break
		}
		out = append(out, i)
	}
	return out
}

func digitRuns(s string) int {
	n, in := 0, false
	for _, r := range s {
		d := unicode.IsDigit(r)
		if d && !in {
			n++
		}
		in = d
	}
	return n
}

// findWords lists the hits of words in a line's cells, in reading order; mask texts are removed
// first. Copies of merged cells are left out: they repeat a header of another row.
func findWords(ln *line, words []colWord, mask []string) []wordHit {
	var hits []wordHit
	for ci := range ln.cells {
		c := &ln.cells[ci]
		if c.Copy || c.Text == "" {
			continue
		}
		text := strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, c.Text)
		for _, m := range mask {
			text = strings.ReplaceAll(text, m, "")
		}
		// Each position of the text is taken by the first word that starts there.
		for off := 0; off < len(text); {
			n := 0
		words:
			for col, w := range words {
				for _, stem := range w {
					if strings.HasPrefix(text[off:], stem) {
						hits = append(hits, wordHit{col: col, at: ci<<16 | min(off, 1<<16-1)})
						n = len(stem)
						break words
					}
				}
			}
			if n == 0 {
				_, n = utf8.DecodeRuneInString(text[off:])
			}
			off += n
		}
	}
	return hits
}

// groupOrder is the printed order of a group of columns named once each among hits: order[k]
// is the column printed k-th. ok is false unless every column of group appears exactly once.
func groupOrder(hits []wordHit, group []int) (order []int, ok bool) {
	count := map[int]int{}
	for _, h := range hits {
		count[h.col]++
	}
	in := map[int]bool{}
	for _, c := range group {
		if count[c] != 1 {
			return nil, false
		}
		in[c] = true
	}
	for _, h := range hits {
		if in[h.col] {
			order = append(order, h.col)
		}
	}
	return order, true
}

// columnOrder is what the header lines of a table say of the order of its columns.
type columnOrder struct {
	order    []int // order[k] is the form's column of the k-th printed column; nil: the form's order
	conflict bool  // two header lines give two different orders
	place    string
	printed  []string // the header words, in printed order, for the finding
}

// agree merges the order one header line gives.
func (o *columnOrder) agree(order []int, place string, printed []string) {
	switch {
	case o.conflict:
	case o.order == nil && o.place == "":
		o.order, o.place, o.printed = order, place, printed
	case !equalInts(o.order, order):
		o.conflict = true
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func isIdentity(order []int) bool {
	for k, c := range order {
		if k != c {
			return false
		}
	}
	return true
}

// t3ColumnOrder reads the order of Table 3's columns from its header: the five organisation
// types when one line names them, with 自然人 and 总计 too when that line names them as well.
func (rd *reader) t3ColumnOrder(reg region) columnOrder {
	var o columnOrder
	for _, i := range rd.headerLines(reg) {
		hits := findWords(&rd.lines[i], t3ColWords[:], t3HeaderMask)
		orgs, ok := groupOrder(hits, []int{1, 2, 3, 4, 5})
		if !ok {
			continue
		}
		order := append([]int{0}, append(orgs, ColTotal)...)
		if all, ok := groupOrder(hits, []int{0, 1, 2, 3, 4, 5, ColTotal}); ok {
			order = all
		}
		printed := make([]string, len(order))
		for k, c := range order {
			printed[k] = T3Cols[c].CN
		}
		o.agree(order, rd.lines[i].cells[0].Pos.String(), printed)
	}
	return o
}

// t4ColumnOrder reads the order of Table 4's columns: of the two litigation blocks, from a line
// naming both, and of the outcomes within a block, from lines naming them in groups of five,
// which must all agree. The review block stays first.
func (rd *reader) t4ColumnOrder(reg region) columnOrder {
	blocks := []int{0, 1, 2}
	var outcomes columnOrder
	blockConflict, blockPlace := false, ""
	for _, i := range rd.headerLines(reg) {
		ln := &rd.lines[i]
		if lit, ok := groupOrder(findWords(ln, t4LitigationWords[:], nil), []int{0, 1}); ok {
			b := []int{0, lit[0] + 1, lit[1] + 1}
			if blockPlace != "" && !equalInts(b, blocks) {
				blockConflict = true
			}
			blocks, blockPlace = b, ln.cells[0].Pos.String()
		}
		hits := findWords(ln, t4OutcomeWords[:], nil)
		if len(hits) == 0 || len(hits)%5 != 0 || len(hits) > NumT4 {
			continue
		}
		for g := 0; g < len(hits); g += 5 {
			order, ok := groupOrder(hits[g:g+5], []int{0, 1, 2, 3, 4})
			if !ok {
				break
			}
			outcomes.agree(order, ln.cells[0].Pos.String(), nil)
		}
	}
	o := columnOrder{conflict: outcomes.conflict || blockConflict, place: cmpOr(blockPlace, outcomes.place)}
	within := outcomes.order
	if within == nil {
		within = []int{0, 1, 2, 3, 4}
	}
	if isIdentity(blocks) && isIdentity(within) {
		return o
	}
	o.order = make([]int, NumT4)
	for p := range NumT4 {
		o.order[p] = blocks[p/5]*5 + within[p%5]
	}
	if !isIdentity(blocks) {
		for _, b := range blocks {
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

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// apply puts vals, in printed order, into the form's order, and says what it did in a finding.
// It returns false when the order is the form's and vals is untouched.
func (o *columnOrder) apply(vals []valCell) bool {
	if o.order == nil || o.conflict || isIdentity(o.order) || len(vals) != len(o.order) {
		return false
	}
	moved := make([]valCell, len(vals))
	for k, c := range o.order {
		moved[c] = vals[k]
	}
	copy(vals, moved)
	return true
}

// report adds the finding of a table's header order: the values moved, or the headers disagreeing.
func (o *columnOrder) report(rep *Report, table string) {
	switch {
	case o.conflict:
		rep.add(Finding{Rule: RuleSColumnOrder, Severity: SevWarning, Status: "uncertain", Place: o.place,
			Message: fmt.Sprintf("%s 各表头行给出的列顺序不一致，数值按格式规定的列顺序读取，请核对各列", table)})
	case o.order != nil && !isIdentity(o.order):
		rep.add(Finding{Rule: RuleSColumnOrder, Severity: SevInfo, Status: "resolved", Place: o.place,
			Message: fmt.Sprintf("%s 表头的列顺序与格式不同（%s），各列数值已按表头对应", table, strings.Join(o.printed, "、"))})
	}
}
