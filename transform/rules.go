package transform

import (
	"fmt"
	"sort"
)

// A cell is addressed by one integer so that rules are plain linear equations over cells.
const (
	cellT2 = 0
	cellT3 = 1000
	cellT4 = 2000
)

func t3Cell(row, col int) int { return cellT3 + row*NumT3Cols + col }
func t4Cell(i int) int        { return cellT4 + i }

func (r *Report) cell(id int) *Value {
	switch {
	case id >= cellT4:
		return &r.T4[id-cellT4]
	case id >= cellT3:
		k := id - cellT3
		return &r.T3[k/NumT3Cols][k%NumT3Cols]
	default:
		return &r.T2[id]
	}
}

func cellPath(id int) string {
	switch {
	case id >= cellT4:
		return T4Path(id - cellT4)
	case id >= cellT3:
		k := id - cellT3
		return T3Path(k/NumT3Cols, k%NumT3Cols)
	default:
		return t2Paths[id]
	}
}

// eachCell visits every cell of the report with its id, in schema order.
func (r *Report) eachCell(fn func(id int, v *Value)) {
	for i := range r.T2 {
		fn(cellT2+i, &r.T2[i])
	}
	for row := 0; row < NumT3Rows; row++ {
		for c := 0; c < NumT3Cols; c++ {
			fn(t3Cell(row, c), &r.T3[row][c])
		}
	}
	for i := range r.T4 {
		fn(t4Cell(i), &r.T4[i])
	}
}

// cellName names a cell in the form's words for messages.
func (r *Report) cellName(id int) string {
	switch {
	case id >= cellT4:
		return T4Label(id - cellT4)
	case id >= cellT3:
		k := id - cellT3
		return t3CellLabel(k/NumT3Cols, k%NumT3Cols)
	default:
		return T2[id].Label()
	}
}

// term is one operand of an equation.
type term struct {
	cell int
	coef int64 // +1 or -1
}

// equation is one instance of a rule: Σ coef·cell = 0.
type equation struct {
	rule  string
	terms []term
	// describe renders the message for a failure: lhs and rhs are the two sides as printed.
	describe func(lhs, rhs int64) string
	lhsN     int // the first lhsN terms are the left-hand side (their coefs are +1), the rest the right (−1)
}

// outcome of evaluating an equation.
type outcome struct {
	status  string // pass, fail, pass_assuming_blank_zero, fail_assuming_blank_zero, not_assessable
	lhs     int64
	rhs     int64
	blocker int // for not_assessable: the first cell that is text or absent
}

func (r *Report) eval(e *equation) outcome {
	var o outcome
	blank := false
	for i, t := range e.terms {
		v := r.cell(t.cell)
		switch {
		case v.Kind.Known():
			if i < e.lhsN {
				o.lhs += v.N
			} else {
				o.rhs += v.N
			}
		case v.Kind.Blank():
			blank = true
		default:
			o.status, o.blocker = "not_assessable", t.cell
			return o
		}
	}
	switch {
	case o.lhs == o.rhs && !blank:
		o.status = "pass"
	case o.lhs == o.rhs:
		o.status = "pass_assuming_blank_zero"
	case !blank:
		o.status = "fail"
	default:
		o.status = "fail_assuming_blank_zero"
	}
	return o
}

func (o outcome) failed() bool { return o.status == "fail" || o.status == "fail_assuming_blank_zero" }

// equations lists every single-report identity of report-format.md §5.1–§5.2 for the report's format.
func (r *Report) equations() []equation {
	if r.FormatVersion == Gov2019 {
		return equations2019
	}
	return equations2021
}

// The identities depend only on the format, so each set is built once. Callers must not modify them.
var (
	equations2021 = buildEquations(false)
	equations2019 = buildEquations(true)
)

func buildEquations(gov2019 bool) []equation {
	var eqs []equation
	side := func(lhs, rhs []int) []term {
		ts := make([]term, 0, len(lhs)+len(rhs))
		for _, c := range lhs {
			ts = append(ts, term{c, 1})
		}
		for _, c := range rhs {
			ts = append(ts, term{c, -1})
		}
		return ts
	}
	for c := 0; c < NumT3Cols; c++ {
		col := T3Cols[c].ShortCN
		eqs = append(eqs, equation{
			rule:  RuleT3Balance,
			terms: side([]int{t3Cell(RowNewReceived, c), t3Cell(RowCarriedOver, c)}, []int{t3Cell(RowTotalProcessed, c), t3Cell(RowCarriedForward, c)}),
			lhsN:  2,
			describe: func(l, rr int64) string {
				return fmt.Sprintf("表三 %s列：一+二=%d，三(七)+四=%d，相差%d", col, l, rr, abs(l-rr))
			},
		})
		parts := []int{t3Cell(RowGranted, c), t3Cell(RowPartiallyGranted, c)}
		last := RowOtherOther
		if gov2019 {
			last = RowRejectedLast
		}
		for row := RowWithheldFirst; row <= last; row++ {
			parts = append(parts, t3Cell(row, c))
		}
		if gov2019 {
			parts = append(parts, t3Cell(RowOtherTotal, c))
		}
		eqs = append(eqs, equation{
			rule:  RuleT3Results,
			terms: side([]int{t3Cell(RowTotalProcessed, c)}, parts),
			lhsN:  1,
			describe: func(l, rr int64) string {
				return fmt.Sprintf("表三 %s列：三(七)总计=%d，(一)至(六)各项之和=%d，相差%d", col, l, rr, abs(l-rr))
			},
		})
	}
	for row := 0; row < NumT3Rows; row++ {
		if row >= RowOtherNoCorrection && row <= RowOtherOther && gov2019 || row == RowOtherTotal && !gov2019 {
			continue
		}
		parts := make([]int, ColTotal)
		for c := range parts {
			parts[c] = t3Cell(row, c)
		}
		name := rowName(row)
		eqs = append(eqs, equation{
			rule:  RuleT3Applicants,
			terms: side([]int{t3Cell(row, ColTotal)}, parts),
			lhsN:  1,
			describe: func(l, rr int64) string {
				return fmt.Sprintf("表三 %s行：总计=%d，六类申请人之和=%d，相差%d", name, l, rr, abs(l-rr))
			},
		})
	}
	for b := range T4Blocks {
		block := T4Blocks[b].CN
		eqs = append(eqs, equation{
			rule:  RuleT4Sum,
			terms: side([]int{t4Cell(b*5 + 4)}, []int{t4Cell(b * 5), t4Cell(b*5 + 1), t4Cell(b*5 + 2), t4Cell(b*5 + 3)}),
			lhsN:  1,
			describe: func(l, rr int64) string {
				return fmt.Sprintf("表四 %s：总计=%d，结果维持+结果纠正+其他结果+尚未审结=%d，相差%d", block, l, rr, abs(l-rr))
			},
		})
	}
	return eqs
}

// rowName is a Table 3 row in the form's words. Messages use the form's labels rather than the
// report's printing of them, so the same report gives the same messages in every format.
func rowName(row int) string {
	return "“" + T3Rows[row].CN + "”"
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// checkIdentities evaluates every equation, reports each failure on its own (analysts expect that),
// and adds the probable culprit to the failures it explains.
func (r *Report) checkIdentities() {
	eqs := r.equations()
	outs := make([]outcome, len(eqs))
	var failing []int
	for i := range eqs {
		outs[i] = r.eval(&eqs[i])
		if outs[i].failed() {
			failing = append(failing, i)
		}
	}
	culprits := findCulprits(eqs, outs, failing)
	notAssessable := map[string]bool{}
	for i := range eqs {
		e, o := &eqs[i], outs[i]
		// The cells of the equation, for a finding: most equations hold and need none.
		paths := func() []string {
			paths := make([]string, len(e.terms))
			for k, t := range e.terms {
				paths[k] = cellPath(t.cell)
			}
			return paths
		}
		switch {
		case o.failed():
			f := Finding{Rule: e.rule, Severity: SevError, Status: o.status, Cells: paths(), Message: e.describe(o.lhs, o.rhs)}
			if o.status == "fail_assuming_blank_zero" {
				f.Message += "（空白单元格按0计）"
			}
			if c, ok := culprits[i]; ok {
				f.Culprit = cellPath(c.cell)
				f.Place = r.cell(c.cell).Pos.String()
				cur := r.cell(c.cell).N
				f.Message += fmt.Sprintf("；可能出错的单元格：%s（现为%d，若为%d则相关各式均成立）", r.cellName(c.cell), cur, cur+c.delta)
			}
			r.add(f)
		case o.status == "not_assessable":
			// One finding per blocking cell and rule is enough; the S.* findings say why it is blocked.
			key := e.rule + "|" + cellPath(o.blocker)
			if notAssessable[key] {
				continue
			}
			notAssessable[key] = true
			v := r.cell(o.blocker)
			why := "未读到"
			switch {
			case v.Uncomputed():
				why = "为公式，文件保存时未存下计算结果"
			case v.Kind == Text && v.Raw == rawOffPage:
				why = "在页面边缘以外，未能读取"
			case v.Kind == Text:
				why = fmt.Sprintf("为文字“%s”", clip(v.Raw))
			}
			r.add(Finding{Rule: e.rule, Severity: SevWarning, Status: "not_assessable", Cells: paths(), Place: v.Pos.String(),
				Message: fmt.Sprintf("%s 无法核对：%s%s", ruleTitle(e.rule), r.cellName(o.blocker), why)})
		}
	}
	r.checkForwardLE(outs, eqs)
}

func ruleTitle(rule string) string {
	switch rule {
	case RuleT3Balance:
		return "表三 一+二=三(七)+四"
	case RuleT3Results:
		return "表三 三(七)总计=(一)至(六)之和"
	case RuleT3Applicants:
		return "表三 总计=六类申请人之和"
	case RuleT4Sum:
		return "表四 总计=各结果之和"
	}
	return rule
}

// culprit is a cell whose correction by delta makes every failing equation through it hold.
type culprit struct {
	cell  int
	delta int64
}

// findCulprits looks, among the failing equations, for cells that lie on every failing equation
// they take part in, on at least two of them (a row rule crossing a column rule), on no passing one,
// and whose one correction fixes all of them. A hint, never a change of the value.
func findCulprits(eqs []equation, outs []outcome, failing []int) map[int]culprit {
	if len(failing) == 0 {
		return nil
	}
	// Equations by cell.
	byCell := map[int][]int{}
	for i := range eqs {
		for _, t := range eqs[i].terms {
			byCell[t.cell] = append(byCell[t.cell], i)
		}
	}
	result := map[int]culprit{}
	cells := make([]int, 0)
	for _, fi := range failing {
		for _, t := range eqs[fi].terms {
			cells = append(cells, t.cell)
		}
	}
	sort.Ints(cells)
	var prev = -1
	for _, c := range cells {
		if c == prev {
			continue
		}
		prev = c
		var delta int64
		nFail := 0
		ok := true
		for _, ei := range byCell[c] {
			o := outs[ei]
			if o.status != "fail" {
				// A passing or unassessable equation through the cell would break or stay unknown.
				ok = false
				break
			}
			coef := int64(0)
			for k, t := range eqs[ei].terms {
				if t.cell == c {
					if k < eqs[ei].lhsN {
						coef = 1
					} else {
						coef = -1
					}
				}
			}
			// lhs − rhs + coef·d = 0  ⇒  d = (rhs − lhs)/coef
			d := (o.rhs - o.lhs) * coef
			if nFail == 0 {
				delta = d
			} else if d != delta {
				ok = false
				break
			}
			nFail++
		}
		if !ok || nFail < 2 {
			continue
		}
		for _, ei := range byCell[c] {
			if _, taken := result[ei]; taken {
				// Two candidate cells explain the same failures: no single culprit.
				result[ei] = culprit{cell: -1}
				continue
			}
			result[ei] = culprit{cell: c, delta: delta}
		}
	}
	for ei, cu := range result {
		if cu.cell < 0 {
			delete(result, ei)
		}
	}
	return result
}

// checkForwardLE checks T3.FORWARD_LE where T3.BALANCE could not be assessed: what is carried
// forward cannot exceed what was there to handle.
func (r *Report) checkForwardLE(outs []outcome, eqs []equation) {
	for i := range eqs {
		if eqs[i].rule != RuleT3Balance || outs[i].status != "not_assessable" {
			continue
		}
		c := eqs[i].terms[0].cell - cellT3 - RowNewReceived*NumT3Cols
		nr, co, cf := r.T3[RowNewReceived][c], r.T3[RowCarriedOver][c], r.T3[RowCarriedForward][c]
		if !nr.Known() || !co.Known() || !cf.Known() {
			continue
		}
		if cf.N > nr.N+co.N {
			r.add(Finding{Rule: RuleT3ForwardLE, Severity: SevError, Status: "fail",
				Cells:   []string{T3Path(RowCarriedForward, c), T3Path(RowNewReceived, c), T3Path(RowCarriedOver, c)},
				Place:   cf.Pos.String(),
				Message: fmt.Sprintf("表三 %s列：四（结转下年度）=%d，大于一+二=%d", T3Cols[c].ShortCN, cf.N, nr.N+co.N)})
		}
	}
}
