package transform

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// H.SUM (report-format.md §5.4): a summary report against the sum of its direct subordinates of the
// same year, measure by measure. The direct subordinates of a summary are the reports it contains
// directly (markContained): for a city's 全市 summary, its districts' and counties' summaries, its own
// departments, and the reports of any district that has no summary of its own.
//
// A measure passes when the children add up to the parent exactly. It fails when the children
// already exceed the parent (more children could only add to them), or when they fall short and the
// set of children is known to be complete. Otherwise it is uncertain: children are missing, or a
// child does not state the number. The set is complete only when the gazetteer lists the divisions
// under the summary's and each has its summary among the children, and the 本级 summary stands for the
// summary's own departments: no list says which departments a government has.

// SumStatus is the verdict of H.SUM on one measure.
type SumStatus uint8

const (
	SumNotAssessable SumStatus = iota // the summary does not state the number
	SumPass
	SumFail
	SumUncertain
)

var sumStatusNames = [...]string{"not_assessable", "pass", "fail", "uncertain"}

func (s SumStatus) String() string {
	if int(s) < len(sumStatusNames) {
		return sumStatusNames[s]
	}
	return "?"
}

// SumCheck is H.SUM's verdict on one summary report.
type SumCheck struct {
	Report   int // the summary report
	Children int // its direct subordinate reports in the batch
	// Complete: the children are known to be every unit the summary includes.
	Complete bool
	// Missing names the divisions the gazetteer lists under the summary's that have no report;
	// Partial those with reports but no summary of their own (their departments may be missing).
	Missing, Partial []string
	// Status is the verdict per measure (indices into Measures).
	Status [NumMeasures]SumStatus
}

// maxMeasuresListed bounds the measures a message spells out.
const maxMeasuresListed = 3

// checkSums runs H.SUM over every summary report with direct subordinates in the batch. Each
// summary is done on its own, reading its children again, so that only one set of sums is held.
func (b *batch) checkSums() error {
	var children []int32
	for i := range b.entries {
		if d := b.out.Decisions[i]; d.Role == RoleContained {
			children = append(children, int32(i))
		}
	}
	slices.SortStableFunc(children, func(x, y int32) int {
		return cmp.Compare(b.out.Decisions[x].Of, b.out.Decisions[y].Of)
	})
	for lo := 0; lo < len(children); {
		parent := b.out.Decisions[children[lo]].Of
		hi := lo + 1
		for hi < len(children) && b.out.Decisions[children[hi]].Of == parent {
			hi++
		}
		if err := b.checkSum(parent, children[lo:hi]); err != nil {
			return err
		}
		lo = hi
	}
	slices.SortFunc(b.out.Sums, func(x, y SumCheck) int { return cmp.Compare(x.Report, y.Report) })
	return nil
}

func (b *batch) checkSum(parent int, kids []int32) error {
	var sums [NumMeasures]Sum
	var unknown [NumMeasures]bool // some child does not state the number
	for _, c := range kids {
		r, err := b.numbersAt(int(c))
		if err != nil {
			return err
		}
		for m := range Measures {
			v := r.Value(m)
			if !v.Known() || !sums[m].add(v) {
				unknown[m] = true
			}
		}
	}
	chk := SumCheck{Report: parent, Children: len(kids)}
	known := b.completeness(parent, kids, &chk)
	r, err := b.at(parent)
	if err != nil {
		return err
	}
	var fails, shorts []int
	for m := range Measures {
		pv := r.Value(m)
		if !pv.Known() {
			continue
		}
		s := sums[m]
		signed := Measures[m].T2 >= 0 && T2[Measures[m].T2].Signed
		switch {
		case s.N == pv.N && !unknown[m]:
			chk.Status[m] = SumPass
		case s.N > pv.N && !signed:
			chk.Status[m] = SumFail // more children can only add to the sum
			fails = append(fails, m)
		case chk.Complete && !unknown[m]:
			chk.Status[m] = SumFail
			fails = append(fails, m)
		default:
			chk.Status[m] = SumUncertain
			if s.N != pv.N {
				shorts = append(shorts, m)
			}
		}
	}
	b.out.Sums = append(b.out.Sums, chk)
	describe := func(ms []int) (cells []string, text string) {
		var parts []string
		for k, m := range ms {
			cells = append(cells, Measures[m].Path)
			if k < maxMeasuresListed {
				parts = append(parts, fmt.Sprintf("%s：本报告%s，下级合计%s", measureLabel(m),
					formatMeasure(m, r.Value(m).N), formatMeasure(m, sums[m].N)))
			}
		}
		text = strings.Join(parts, "；")
		if len(ms) > maxMeasuresListed {
			text += fmt.Sprintf("；等共%d项", len(ms))
		}
		return cells, text
	}
	switch {
	case len(fails) > 0:
		cells, text := describe(fails)
		why := "下级合计已超过本报告"
		if chk.Complete {
			why = "下级报告齐全"
		}
		b.finding(parent, Finding{Rule: RuleHSum, Severity: SevWarning, Status: "fail", Cells: cells,
			Message: fmt.Sprintf("汇总报告与%d份直接下级报告之和不符（%s）：%s", len(kids), why, text)})
	case len(shorts) > 0:
		cells, text := describe(shorts)
		if chk.Complete {
			known = "齐全，但有下级报告未填写这些数值"
		}
		b.finding(parent, Finding{Rule: RuleHSum, Severity: SevInfo, Status: "uncertain", Cells: cells,
			Message: fmt.Sprintf("汇总报告与%d份直接下级报告之和不一致，无法判断是否有误（下级报告%s）：%s", len(kids), known, text)})
	}
	return nil
}

// completeness decides whether the children of a summary are every unit it includes, filling
// Complete, Missing and Partial, and says in words what is known of them.
func (b *batch) completeness(parent int, kids []int32, chk *SumCheck) string {
	p := &b.entries[parent]
	own := p.place.Own()
	var gaps []string
	if p.scope == scopeLevel {
		return "是否齐全未知（无本级部门名单）"
	}
	hasLevel := false
	for _, c := range kids {
		e := &b.entries[c]
		hasLevel = hasLevel || e.scope == scopeLevel && e.place.chain(e.place.Level) == p.place.chain(p.place.Level)
	}
	var subs []Area
	listed := false
	if b.opt.Divisions != nil && p.place.Level < RegionTownship {
		subs = b.opt.Divisions(own)
		listed = subs != nil
	}
	below := p.place.Level + 1
	for _, d := range subs {
		summary, any := false, false
		for _, c := range kids {
			e := &b.entries[c]
			if e.place.Level < below || !sameArea(e.place.Area(below), d) {
				continue
			}
			any = true
			summary = summary || e.scope == scopeRegional && e.place.Level == below
		}
		switch {
		case !any:
			chk.Missing = append(chk.Missing, d.Name)
		case !summary:
			chk.Partial = append(chk.Partial, d.Name)
		}
	}
	chk.Complete = listed && hasLevel && len(chk.Missing) == 0 && len(chk.Partial) == 0
	if chk.Complete {
		return "齐全"
	}
	if !listed {
		gaps = append(gaps, "下级行政区划名单未知")
	}
	if len(chk.Missing) > 0 {
		gaps = append(gaps, "缺少"+strings.Join(chk.Missing, "、")+"的报告")
	}
	if len(chk.Partial) > 0 {
		gaps = append(gaps, strings.Join(chk.Partial, "、")+"没有本级汇总报告，所属单位可能不全")
	}
	if !hasLevel {
		gaps = append(gaps, "没有本级汇总报告，本级各部门是否齐全未知")
	}
	return "不全（" + strings.Join(gaps, "；") + "）"
}

// sameArea reports whether two divisions are the same: by code when both have one, else by name.
func sameArea(a, b Area) bool {
	if a.Code != "" && b.Code != "" {
		return a.Code == b.Code
	}
	return a.Name == b.Name && a.Name != ""
}

// measureLabel names a measure in the form's words.
func measureLabel(m int) string {
	switch ms := &Measures[m]; {
	case ms.T2 >= 0:
		return T2[ms.T2].Label()
	case ms.T3Row >= 0:
		return "表三 " + rowName(ms.T3Row) + " " + T3Cols[ms.T3Col].ShortCN
	default:
		return T4Label(ms.T4)
	}
}

// formatMeasure writes a measure's number: a count, or an amount in 万元.
func formatMeasure(m int, n int64) string {
	if !Measures[m].Amount {
		return fmt.Sprint(n)
	}
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	s := fmt.Sprintf("%s%d.%06d", sign, n/AmountScale, n%AmountScale)
	return strings.TrimRight(strings.TrimRight(s, "0"), ".") + "万元"
}
