package transform

import (
	"fmt"
	"slices"
	"strings"
)

// A Table 3 row that holds six numbers where the form has seven: a cell the page left out (an
// HTML row one <td> short, a Word row ended early, a text row one field short). Read in order, the
// numbers after the gap land one column to the left and the last column reads blank: wrong
// numbers. Which column the gap is in, the identities decide: the row's own sum (总计 = the six
// applicant columns) and each column's balances (T3.BALANCE, T3.RESULTS) against the other rows.
// When exactly one gapPlacement of the six numbers satisfies every identity that can be checked,
// the numbers take those columns and the gap stays null, its implied value in the finding; when
// none or several do, the whole row stays null with the candidates in the finding.

// shortRow is a Table 3 row read one value short, kept until every other row has been read.
type shortRow struct {
	row   int
	place string
	vals  []valCell // the six values, in order
	label string
	// blankLast: the row printed a blank seventh cell (trailingBlankShort). Where a gap in 总计
	// gives the same row as another, 总计 is the gap: the numbers stay where they were printed.
	blankLast bool
}

// dropPads removes the cells the source row did not have (extract.Cell.Pad) from a row's values;
// it returns vals itself when there are none, which is the common case and allocates nothing.
func dropPads(vals []valCell) []valCell {
	pads := 0
	for i := range vals {
		if vals[i].cell.Pad {
			pads++
		}
	}
	if pads == 0 {
		return vals
	}
	out := make([]valCell, 0, len(vals)-pads)
	for _, v := range vals {
		if !v.cell.Pad {
			out = append(out, v)
		}
	}
	return out
}

// trailingBlankShort reports a row whose seventh value is an empty cell after six numbers that
// do not add up to 0: in text, a row one field short followed by the separator that ends every
// row ("予以公开\t38\t0\t0\t1\t0\t39\t"). Read in order, the numbers after the gap sit one column
// to the left and 总计 reads blank; as a short row, the identities place them. A total truly
// left blank is placed the same way (its gap is 总计), so nothing is lost.
func trailingBlankShort(vals []valCell) bool {
	if len(vals) != NumT3Cols || vals[NumT3Cols-1].p.kind != Empty || !plainVals(vals[:NumT3Cols-1]) {
		return false
	}
	for _, v := range vals[:NumT3Cols-1] {
		if v.p.n != 0 {
			return true
		}
	}
	return false
}

// plainVals reports whether every value is a number read without an issue.
func plainVals(vals []valCell) bool {
	for i := range vals {
		if !vals[i].p.kind.Known() || vals[i].p.issue != issueNone {
			return false
		}
	}
	return true
}

// placeShortRows decides the columns of the rows kept aside as one value short. A row placed
// helps check the next, so the rows are tried again while one more gets placed.
func (rd *reader) placeShortRows(short []shortRow) {
	if len(short) == 0 {
		return
	}
	saved := rd.rep.FormatVersion
	rd.rep.FormatVersion = rd.t3Version
	eqs := rd.rep.equations()
	rd.rep.FormatVersion = saved
	done := make([]bool, len(short))
	cands := make([][]gapPlacement, len(short))
	for progress := true; progress; {
		progress = false
		for i := range short {
			if done[i] {
				continue
			}
			cands[i] = rd.shortRowPlacements(eqs, &short[i])
			if len(cands[i]) == 1 {
				p := cands[i][0]
				if short[i].blankLast && p.gap != ColTotal && slices.Contains(p.same, ColTotal) {
					p.same = append(slices.DeleteFunc(slices.Clone(p.same), func(c int) bool { return c == ColTotal }), p.gap)
					p.gap = ColTotal
					slices.Sort(p.same)
				}
				rd.placeShortRow(&short[i], p)
				done[i], progress = true, true
			}
		}
	}
	for i := range short {
		if !done[i] {
			rd.refuseShortRow(&short[i], cands[i])
		}
	}
}

// gapPlacement is one reading of a short row: the gap's column and the full row with the gap's
// implied value filled in.
type gapPlacement struct {
	gap  int
	full [NumT3Cols]int64
	// same are the other columns the gap could be in giving this very row (equal numbers side
	// by side): the same values either way, so one reading.
	same []int
}

// shortRowPlacements returns the distinct placements of a short row that satisfy every identity
// through the row whose other terms are known (blanks count as 0, as the rules take them).
func (rd *reader) shortRowPlacements(eqs []equation, s *shortRow) []gapPlacement {
	var out []gapPlacement
	lo, hi := t3Cell(s.row, 0), t3Cell(s.row, NumT3Cols-1)
	for gap := 0; gap < NumT3Cols; gap++ {
		var x [NumT3Cols]int64
		for c, j := 0, 0; c < NumT3Cols; c++ {
			if c != gap {
				x[c] = s.vals[j].p.n
				j++
			}
		}
		g, ok := int64(-1), true
		for i := range eqs {
			e := &eqs[i]
			if !strings.HasPrefix(e.rule, "T3.") {
				continue
			}
			var sum, coef int64
			inRow, hasGap, assessable := false, false, true
			for _, t := range e.terms {
				switch {
				case t.cell == lo+gap:
					inRow, hasGap, coef = true, true, t.coef
				case t.cell >= lo && t.cell <= hi:
					inRow = true
					sum += t.coef * x[t.cell-lo]
				default:
					v := rd.rep.cell(t.cell)
					switch {
					case v.Known():
						sum += t.coef * v.N
					case v.Kind.Blank():
					default:
						assessable = false
					}
				}
			}
			if !inRow || !assessable {
				continue
			}
			if !hasGap {
				ok = sum == 0
			} else if n := -sum * coef; n < 0 || g >= 0 && n != g {
				ok = false
			} else {
				g = n
			}
			if !ok {
				break
			}
		}
		if !ok || g < 0 {
			continue
		}
		x[gap] = g
		// Equal numbers side by side give the same row whichever of them the gap is taken to
		// follow: one reading, not two.
		if i := slices.IndexFunc(out, func(p gapPlacement) bool { return p.full == x }); i >= 0 {
			out[i].same = append(out[i].same, gap)
		} else {
			out = append(out, gapPlacement{gap: gap, full: x})
		}
	}
	return out
}

// placeShortRow stores a short row in the columns the identities chose; the gap stays null.
func (rd *reader) placeShortRow(s *shortRow, p gapPlacement) {
	for c, j := 0, 0; c < NumT3Cols; c++ {
		v := &rd.rep.T3[s.row][c]
		if c == p.gap {
			*v = Value{Kind: Text, Raw: "(missing cell)", Pos: v.Pos}
			continue
		}
		rd.setValue(v, s.vals[j], ByPlacement)
		j++
	}
	if r := rd.rep.Reads["table3"]; r != nil {
		r.count(ByPlacement, NumT3Cols-1)
	}
	where := T3Cols[p.gap].ShortCN + "列"
	for _, c := range p.same {
		where += "或" + T3Cols[c].ShortCN + "列（两种放法数值相同）"
	}
	rd.rep.add(Finding{Rule: RuleSRowValues, Severity: SevWarning, Status: "resolved", Place: s.place,
		Cells: []string{T3Path(s.row, p.gap)},
		Message: fmt.Sprintf("表三 “%s”行只有6个数值（应为7个），按勾稽关系缺的一格是%s，按勾稽关系应为%d（未填入），其余数值依次放入其他各列",
			clip(s.label), where, p.full[p.gap])})
}

// refuseShortRow leaves a short row null and says why: no gapPlacement satisfies the identities
// (a number of the row or of its columns is wrong), or several do.
func (rd *reader) refuseShortRow(s *shortRow, cands []gapPlacement) {
	why := "没有一种放法能满足勾稽关系"
	if len(cands) > 1 {
		cols := make([]string, len(cands))
		for i, p := range cands {
			cols[i] = T3Cols[p.gap].ShortCN
		}
		why = fmt.Sprintf("缺%s列均能满足勾稽关系，无法确定", strings.Join(cols, "、"))
	}
	rd.rep.add(Finding{Rule: RuleSRowValues, Severity: SevError, Status: "not_assessable", Place: s.place,
		Cells:   rowPaths(s.row),
		Message: fmt.Sprintf("表三 “%s”行读到6个数值（应为7个），缺哪一格%s，该行数值未采用", clip(s.label), why)})
}
