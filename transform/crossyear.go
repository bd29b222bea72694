package transform

import (
	"fmt"
	"strings"
)

// Across years (report-format.md §5.3): the reports of one unit in consecutive years, matched by
// where the body sits (its division, by code when known) and the organ's normalised name. Pairs are
// made within the run and against History, what earlier runs wrote: tonight's run over this year's
// files still checks last year's carry-over. A year the run has is read from the run; History only
// fills years the run lacks. Findings go to the run's report of the pair.
//
// X.FORMAT, a report of 2021 or later in the 2019 tables, needs one report only and is checked by
// Transform.

// History is what earlier runs wrote that the cross-year rules and coverage need: a small value,
// one entry per report, built by load.ReadHistory from the Parquet of earlier outputs.
type History struct {
	Reports []HistoryReport
}

// HistoryReport is one report of an earlier run.
type HistoryReport struct {
	ID, Body, Source string
	Year             int
	// Place is where the earlier run placed the body; Scope, Role and FormatVersion as it wrote them.
	Place                      Place
	Scope, Role, FormatVersion string
	Values                     CrossValues
}

// Num is a number that may be unknown.
type Num struct {
	N     int64
	Known bool
}

// The measures the cross-year rules read, as indices into Measures: Table 3's carry-overs in every
// column, Table 2's 2021 counts of rules and normative documents, and the key measures of X.YOY.
var (
	mCarriedOver    = measureOf(RowCarriedOver)
	mCarriedForward = measureOf(RowCarriedForward)
	// mInForce[row] = issued, repealed, in_force of rules (row 0) and normative documents (row 1).
	mInForce = [2][3]int{{0, 1, 2}, {3, 4, 5}}
	// YoYMeasures are the key measures whose year-on-year swings X.YOY reports.
	YoYMeasures = []int{
		NumT2 + RowNewReceived*NumT3Cols + ColTotal,
		NumT2 + RowTotalProcessed*NumT3Cols + ColTotal,
		6, 7, 8, 9, // licensing, penalty, coercion, admin fees
		NumT2 + NumT3Rows*NumT3Cols + 4,  // review total
		NumT2 + NumT3Rows*NumT3Cols + 9,  // litigation without review, total
		NumT2 + NumT3Rows*NumT3Cols + 14, // litigation after review, total
	}
	// CrossMeasures are every measure a CrossValues holds.
	CrossMeasures = func() []int {
		ms := append(append([]int{}, mCarriedOver[:]...), mCarriedForward[:]...)
		for _, row := range mInForce {
			ms = append(ms, row[:]...)
		}
		for _, m := range YoYMeasures {
			if !containsInt(ms, m) {
				ms = append(ms, m)
			}
		}
		return ms
	}()
	crossSlot = func() map[int]int {
		s := map[int]int{}
		for i, m := range CrossMeasures {
			s[m] = i
		}
		return s
	}()
)

func measureOf(row int) (ms [NumT3Cols]int) {
	for c := range ms {
		ms[c] = NumT2 + row*NumT3Cols + c
	}
	return ms
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// numCross is len(CrossMeasures): the carry-overs (14), Table 2's counts (6), and the key measures
// not among them (9).
const numCross = 2*NumT3Cols + 6 + 9

// CrossValues are the numbers of one report that the cross-year rules compare.
type CrossValues struct{ v [numCross]Num }

// Set stores the value of measure m, one of CrossMeasures; other measures are ignored.
func (c *CrossValues) Set(m int, n int64) {
	if s, ok := crossSlot[m]; ok {
		c.v[s] = Num{N: n, Known: true}
	}
}

// Get returns the value of measure m.
func (c *CrossValues) Get(m int) Num {
	if s, ok := crossSlot[m]; ok {
		return c.v[s]
	}
	return Num{}
}

// CrossValuesOf takes a report's values of CrossMeasures.
func CrossValuesOf(r *Report) CrossValues {
	var c CrossValues
	for _, m := range CrossMeasures {
		if v := r.Value(m); v.Known() {
			c.Set(m, v.N)
		}
	}
	return c
}

// yearSide is one report of a cross-year pair: from the run (run ≥ 0) or from History.
type yearSide struct {
	run    int
	year   int
	format string
	vals   CrossValues
	body   string
	where  string
}

func (s *yearSide) name() string {
	return fmt.Sprintf("%d年度报告（%s）", s.year, s.where)
}

// Thresholds of X.YOY: a ratio beyond yoyInfo (or below its inverse) is worth a look, one beyond
// yoyWarn a probable slip (a unit, a digit). Small numbers swing freely: a measure is compared only
// when the larger of the two years is at least yoyFloor (counts) or yoyFloorAmount (万元).
const (
	yoyInfo        = 5
	yoyWarn        = 50
	yoyFloor       = 50
	yoyFloorAmount = 10 * AmountScale
)

// checkYears pairs each unit's reports of consecutive years, within the run and with History, and
// runs X.CARRY, X.IN_FORCE and X.YOY over each pair.
func (b *batch) checkYears() error {
	hist := b.historyUnits()
	fromHistory := func(i int) yearSide {
		hr := &b.opt.History.Reports[i]
		return yearSide{run: -1, year: hr.Year, format: hr.FormatVersion, vals: hr.Values, body: hr.Body,
			where: "此前输出 " + hr.Source}
	}
	var prev *yearSide
	for k, idx := range b.units {
		i := int(idx)
		e := &b.entries[i]
		if k > 0 && !sameUnit(e, &b.entries[b.units[k-1]]) {
			prev = nil
		}
		if e.anon || e.year == 0 || b.out.Decisions[i].Role == RoleDuplicate {
			continue
		}
		r, err := b.numbersAt(i)
		if err != nil {
			return err
		}
		cur := yearSide{run: i, year: int(e.year), format: r.FormatVersion, vals: CrossValuesOf(r), body: r.Body,
			where: r.Source.Path}
		if r.Unit != "" {
			cur.where += " " + r.Unit
		}
		last := prev
		if last == nil || last.year != cur.year-1 {
			last = nil
			if j, ok := hist[e.unitYear(e.year-1)]; ok {
				s := fromHistory(j)
				last = &s
			}
		}
		if last != nil {
			b.comparePair(last, &cur, i)
		}
		// A later year the run lacks but History has: this report is the earlier of the pair.
		nextInRun := k+1 < len(b.units) && sameUnit(e, &b.entries[b.units[k+1]]) && b.entries[b.units[k+1]].year == e.year+1
		if !nextInRun {
			if j, ok := hist[e.unitYear(e.year+1)]; ok {
				next := fromHistory(j)
				b.comparePair(&cur, &next, i)
			}
		}
		prev = &cur
	}
	return nil
}

// historyEntry places a report of History among the batch's places and units.
func (b *batch) historyEntry(hr *HistoryReport) entry {
	e := entry{place: b.intern(hr.Place), year: int32(hr.Year)}
	switch hr.Scope {
	case ScopeLevel:
		e.scope = scopeLevel
	case ScopeRegional:
		e.scope = scopeRegional
	}
	if e.scope == scopeOrgan || !e.place.Placed() {
		e.scope = scopeOrgan
		e.organ = b.internOrgan(hr.Place.Organ)
	}
	return e
}

// comparePair runs the cross-year rules over a unit's reports of two consecutive years; the
// findings go to the run's report at.
func (b *batch) comparePair(old, cur *yearSide, at int) {
	other := old
	if at == old.run {
		other = cur
	}
	// X.CARRY: this year's 上年结转 is last year's 结转下年度, column by column.
	var cells, diffs []string
	for c := range NumT3Cols {
		co, cf := cur.vals.Get(mCarriedOver[c]), old.vals.Get(mCarriedForward[c])
		if !co.Known || !cf.Known || co.N == cf.N {
			continue
		}
		mine, theirs, m := co.N, cf.N, mCarriedOver[c]
		if at == old.run {
			mine, theirs, m = cf.N, co.N, mCarriedForward[c]
		}
		cells = append(cells, Measures[m].Path)
		diffs = append(diffs, fmt.Sprintf("%s本报告%d、对照报告%d", T3Cols[c].ShortCN, mine, theirs))
	}
	if len(cells) > 0 {
		msg := fmt.Sprintf("“上年结转”与%s的“结转下年度”不符：", other.name())
		if at == old.run {
			msg = fmt.Sprintf("“结转下年度”与%s的“上年结转”不符：", other.name())
		}
		b.finding(at, Finding{Rule: RuleXCarry, Severity: SevWarning, Status: "fail", Cells: cells,
			Message: msg + strings.Join(diffs, "；")})
	}
	// X.IN_FORCE: in force this year = in force last year + issued − repealed, in the 2021 format.
	if cur.format == Gov2021 && old.format == Gov2021 {
		for _, ms := range mInForce {
			issued, repealed, now := cur.vals.Get(ms[0]), cur.vals.Get(ms[1]), cur.vals.Get(ms[2])
			before := old.vals.Get(ms[2])
			if !issued.Known || !repealed.Known || !now.Known || !before.Known {
				continue
			}
			if want := before.N + issued.N - repealed.N; want != now.N {
				side := ms[2]
				b.finding(at, Finding{Rule: RuleXInForce, Severity: SevWarning, Status: "fail",
					Cells: []string{Measures[side].Path},
					Message: fmt.Sprintf("表二 %s %d年度现行有效%d件，而%d年度现行有效%d件+本年制发%d件−本年废止%d件=%d件（对照%s；清理、失效等可致合理差异）",
						T2[ms[2]].RowCN, cur.year, now.N, old.year, before.N, issued.N, repealed.N, want, other.name())})
			}
		}
	}
	// X.YOY: large swings of the key measures.
	for _, m := range YoYMeasures {
		a, z := old.vals.Get(m), cur.vals.Get(m)
		if !a.Known || !z.Known || a.N < 0 || z.N < 0 {
			continue
		}
		floor := int64(yoyFloor)
		if Measures[m].Amount {
			floor = yoyFloorAmount
		}
		hi, lo := max(a.N, z.N), min(a.N, z.N)
		if hi < floor || lo*yoyInfo >= hi {
			continue
		}
		sev := SevInfo
		if lo*yoyWarn < hi {
			sev = SevWarning
		}
		msg := fmt.Sprintf("%s：%d年度%s，%d年度%s", measureLabel(m), old.year, formatMeasure(m, a.N),
			cur.year, formatMeasure(m, z.N))
		if a.N > 0 {
			msg += fmt.Sprintf("，为上年的%.2f倍", float64(z.N)/float64(a.N))
		}
		b.finding(at, Finding{Rule: RuleXYoY, Severity: sev, Status: "uncertain", Cells: []string{Measures[m].Path},
			Message: msg + fmt.Sprintf("（对照%s），变化较大，请核实", other.name())})
	}
}
