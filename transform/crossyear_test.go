package transform

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// yearRep is one report of a cross-year case, with the numbers the rules compare.
type yearRep struct {
	body    string
	year    int
	format  string
	over    [NumT3Cols]int64 // 上年结转; -1: not stated
	forward [NumT3Cols]int64 // 结转下年度
	rules   [3]int64         // rules issued, repealed, in force
	lic     int64            // 行政许可
}

func (y yearRep) report(id string) *Report {
	r := batchReport(id, y.body, "A市", y.year, ScopeOrgan)
	r.FormatVersion = y.format
	set := func(v *Value, n int64) {
		if n >= 0 {
			*v = Value{Kind: Numeric, N: n}
		}
	}
	for c := range NumT3Cols {
		set(&r.T3[RowCarriedOver][c], y.over[c])
		set(&r.T3[RowCarriedForward][c], y.forward[c])
	}
	for k := range 3 {
		set(&r.T2[k], y.rules[k])
	}
	set(&r.T2[6], y.lic)
	return r
}

func (y yearRep) history(id string) HistoryReport {
	r := y.report(id)
	return HistoryReport{ID: id, Body: r.Body, Source: "old/" + id + ".txt", Year: r.Year, Place: PlaceOf(r),
		Scope: r.Scope, Role: RoleCounted.String(), FormatVersion: r.FormatVersion, Values: CrossValuesOf(r)}
}

// carry builds seven columns whose total is the sum of the six applicant columns.
func carry(n ...int64) (c [NumT3Cols]int64) {
	for i, v := range n {
		c[i] = v
		c[ColTotal] += v
	}
	return c
}

func TestCrossYear(t *testing.T) {
	const fin, edu = "A市财政局", "A市教育局"
	g21 := Gov2021
	ok23 := yearRep{fin, 2023, g21, carry(1), carry(3, 2), [3]int64{2, 1, 11}, 100}
	ok24 := yearRep{fin, 2024, g21, carry(3, 2), carry(1), [3]int64{2, 1, 12}, 120}
	type want struct {
		report int    // index into run
		rule   string // "" for no finding at all on any report
		sev    Severity
		cells  []string
		words  string
	}
	brk := ok24
	brk.over = carry(3, 1) // one applicant less than last year carried forward
	inForce := ok24
	inForce.rules[2] = 13
	yoyInfo, yoyWarn, small := ok24, ok24, ok24
	yoyInfo.lic, yoyWarn.lic = 600, 6000
	small.lic = 20
	old := ok23
	old.lic = 10 // 10 → 20: a doubling, but small numbers swing freely
	g19 := ok23
	g19.format = Gov2019
	g19.rules[2] = 5
	cases := []struct {
		name    string
		run     []yearRep
		history []yearRep
		want    []want
	}{
		{"consistent years: nothing", []yearRep{ok23, ok24}, nil, nil},
		{"carry-over break within the run, one column named", []yearRep{ok23, brk}, nil,
			[]want{{1, RuleXCarry, SevWarning, []string{"table3.carried_over.commercial_enterprise", "table3.carried_over.total"}, "商业企业本报告1、对照报告2"}}},
		{"carry-over break against History", []yearRep{brk}, []yearRep{ok23},
			[]want{{0, RuleXCarry, SevWarning, []string{"table3.carried_over.commercial_enterprise", "table3.carried_over.total"}, "此前输出 old/h0.txt"}}},
		{"History's later year checks the run's earlier one", []yearRep{ok23}, []yearRep{brk},
			[]want{{0, RuleXCarry, SevWarning, []string{"table3.carried_forward.commercial_enterprise", "table3.carried_forward.total"}, "“结转下年度”与2024年度报告（此前输出 old/h0.txt）的“上年结转”不符"}}},
		{"the run's year wins over History's", []yearRep{ok23, ok24}, []yearRep{func() yearRep { y := ok23; y.forward = carry(9); return y }()}, nil},
		{"in-force break", []yearRep{ok23, inForce}, nil,
			[]want{{1, RuleXInForce, SevWarning, []string{"table2.rules.in_force"}, "11件+本年制发2件−本年废止1件=12件"}}},
		{"in force is not compared with the 2019 format", []yearRep{g19, ok24}, nil, nil},
		{"a five-fold jump is worth a look", []yearRep{ok23, yoyInfo}, nil,
			[]want{{1, RuleXYoY, SevInfo, []string{"table2.licensing.decisions"}, "为上年的6.00倍"}}},
		{"a sixty-fold jump is probably a slip", []yearRep{ok23, yoyWarn}, nil,
			[]want{{1, RuleXYoY, SevWarning, []string{"table2.licensing.decisions"}, "为上年的60.00倍"}}},
		{"small numbers swing freely", []yearRep{old, small}, nil, nil},
		{"other units are not compared", []yearRep{ok23, func() yearRep { y := brk; y.body = edu; return y }()}, nil, nil},
		{"years two apart are not compared", []yearRep{ok23, func() yearRep { y := brk; y.year = 2025; return y }()}, nil, nil},
		{"a duplicate is not compared, the report kept is", []yearRep{ok23, ok24, brk}, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var reps ReportSlice
			for i, y := range tc.run {
				reps = append(reps, y.report(fmt.Sprintf("r%d", i)))
			}
			var h *History
			if tc.history != nil {
				h = &History{}
				for i, y := range tc.history {
					h.Reports = append(h.Reports, y.history(fmt.Sprintf("h%d", i)))
				}
			}
			b, err := Decide(context.Background(), reps, BatchOptions{History: h})
			if err != nil {
				t.Fatal(err)
			}
			var got []want
			for f, err := range b.Findings() {
				if err != nil {
					t.Fatal(err)
				}
				checkRegistered(t, tc.name, f.Finding)
				if f.Rule == RuleXDuplicateUnit {
					continue
				}
				got = append(got, want{f.Report, f.Rule, f.Severity, f.Cells, f.Message})
			}
			if len(got) != len(tc.want) {
				t.Fatalf("findings %+v, want %+v", got, tc.want)
			}
			for k, w := range tc.want {
				g := got[k]
				if g.report != w.report || g.rule != w.rule || g.sev != w.sev || !slices.Equal(g.cells, w.cells) ||
					!strings.Contains(g.words, w.words) {
					t.Errorf("finding %+v, want %+v", g, w)
				}
			}
		})
	}
}

func TestCrossMeasures(t *testing.T) {
	if len(CrossMeasures) != numCross {
		t.Fatalf("%d cross measures, numCross %d", len(CrossMeasures), numCross)
	}
	want := map[int]string{mCarriedOver[ColTotal]: "t3_carried_over_total", mCarriedForward[0]: "t3_carried_forward_natural_person",
		mInForce[0][2]: "t2_rules_in_force", mInForce[1][0]: "t2_normative_documents_issued", 6: "t2_licensing_decisions",
		9: "t2_admin_fees_amount_wan_yuan", YoYMeasures[len(YoYMeasures)-1]: "t4_litigation_after_review_total"}
	for m, name := range want {
		if Measures[m].Name != name {
			t.Errorf("measure %d is %s, want %s", m, Measures[m].Name, name)
		}
	}
	var c CrossValues
	c.Set(mNew, 5)
	c.Set(NumT2+RowGranted*NumT3Cols, 7) // not a cross measure: ignored
	if c.Get(mNew) != (Num{5, true}) || c.Get(NumT2+RowGranted*NumT3Cols).Known || c.Get(mCarriedOver[0]).Known {
		t.Errorf("CrossValues: %+v", c)
	}
}
