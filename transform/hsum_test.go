package transform

import (
	"context"
	"strings"
	"testing"
)

// mNew is the measure new_received × total, the number the H.SUM cases vary.
var mNew = NumT2 + RowNewReceived*NumT3Cols + ColTotal

// sumRep is one report of an H.SUM case: its body, scope and new_received total (-1: not stated).
type sumRep struct {
	body, scope string
	n           int64
}

func TestHSum(t *testing.T) {
	organ, level, region := ScopeOrgan, ScopeLevel, ScopeRegional
	divisions := func(names ...string) func(Area) []Area {
		return func(a Area) []Area {
			if a.Name != "A市" {
				return nil
			}
			var out []Area
			for _, n := range names {
				out = append(out, Area{Name: n})
			}
			return out
		}
	}
	cases := []struct {
		name      string
		divisions func(Area) []Area
		reports   []sumRep // the first is the summary checked
		status    SumStatus
		complete  bool
		severity  Severity // of the H.SUM finding; "" for none
		words     []string // the finding's message must say these
	}{
		{"children add up: pass", nil, []sumRep{
			{"A市人民政府", region, 30}, {"A市财政局", organ, 10}, {"A市甲区人民政府", region, 20}},
			SumPass, false, "", nil},
		{"children exceed the summary: fail even when incomplete", nil, []sumRep{
			{"A市人民政府", region, 25}, {"A市财政局", organ, 10}, {"A市甲区人民政府", region, 20}},
			SumFail, false, SevWarning, []string{"下级合计已超过本报告", "本报告25，下级合计30"}},
		{"children fall short and nobody knows the divisions: uncertain", nil, []sumRep{
			{"A市人民政府", region, 40}, {"A市财政局", organ, 10}, {"A市甲区人民政府", region, 20}},
			SumUncertain, false, SevInfo, []string{"下级行政区划名单未知", "没有本级汇总报告"}},
		{"every division and the 本级 summary present and short: fail", divisions("甲区", "乙区"), []sumRep{
			{"A市", region, 40}, {"A市人民政府", level, 10}, {"A市甲区人民政府", region, 20}, {"A市乙区人民政府", region, 5}},
			SumFail, true, SevWarning, []string{"下级报告齐全", "本报告40，下级合计35"}},
		{"every division and the 本级 summary present and equal: pass", divisions("甲区", "乙区"), []sumRep{
			{"A市", region, 35}, {"A市人民政府", level, 10}, {"A市甲区人民政府", region, 20}, {"A市乙区人民政府", region, 5}},
			SumPass, true, "", nil},
		{"missing divisions are named", divisions("甲区", "乙区", "丙县"), []sumRep{
			{"A市人民政府", region, 40}, {"A市甲区人民政府", region, 20}, {"A市乙区教育局", organ, 5}},
			SumUncertain, false, SevInfo, []string{"缺少丙县的报告", "乙区没有本级汇总报告", "没有本级汇总报告，本级各部门是否齐全未知"}},
		{"a child that does not state the number leaves it uncertain", divisions("甲区"), []sumRep{
			{"A市", region, 30}, {"A市人民政府", level, 10}, {"A市甲区人民政府", region, -1}},
			SumUncertain, true, SevInfo, []string{"有下级报告未填写这些数值"}},
		{"a 本级 summary cannot know its departments", divisions("甲区"), []sumRep{
			{"A市人民政府", level, 30}, {"A市财政局", organ, 10}, {"A市教育局", organ, 10}},
			SumUncertain, false, SevInfo, []string{"无本级部门名单"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var reps ReportSlice
			for i, r := range tc.reports {
				rp := batchReport(string(rune('a'+i)), r.body, "A市", 2024, r.scope)
				if r.n >= 0 {
					rp.T3[RowNewReceived][ColTotal] = Value{Kind: Numeric, N: r.n}
				}
				reps = append(reps, rp)
			}
			b, err := Decide(context.Background(), reps, BatchOptions{Divisions: tc.divisions})
			if err != nil {
				t.Fatal(err)
			}
			var chk *SumCheck
			for k := range b.Sums {
				if b.Sums[k].Report == 0 {
					chk = &b.Sums[k]
				}
			}
			if chk == nil {
				t.Fatalf("no H.SUM verdict on the summary; decisions %+v", b.Decisions)
			}
			if chk.Status[mNew] != tc.status || chk.Complete != tc.complete {
				t.Errorf("status %s complete %v, want %s %v", chk.Status[mNew], chk.Complete, tc.status, tc.complete)
			}
			if chk.Status[NumT2] != SumNotAssessable {
				t.Errorf("a number the summary does not state: %s", chk.Status[NumT2])
			}
			var got *Finding
			for _, f := range batchFindingsOf(t, b, 0) {
				checkRegistered(t, tc.name, f)
				if f.Rule == RuleHSum {
					got = &f
				}
			}
			switch {
			case tc.severity == "" && got != nil:
				t.Errorf("unexpected %s", got.Message)
			case tc.severity != "" && got == nil:
				t.Errorf("no H.SUM finding, want %s", tc.severity)
			case got != nil:
				if got.Severity != tc.severity || !strings.Contains(strings.Join(got.Cells, " "), Measures[mNew].Path) {
					t.Errorf("finding %+v, want severity %s on %s", got, tc.severity, Measures[mNew].Path)
				}
				for _, w := range tc.words {
					if !strings.Contains(got.Message, w) {
						t.Errorf("message %q does not say %q", got.Message, w)
					}
				}
			}
		})
	}
}

func TestFormatMeasure(t *testing.T) {
	for _, tc := range []struct {
		m    int
		n    int64
		want string
	}{
		{mNew, 42, "42"},
		{9, 7730_280000, "7730.28万元"},
		{9, 5 * AmountScale, "5万元"},
		{9, -1_500000, "-1.5万元"},
	} {
		if got := formatMeasure(tc.m, tc.n); got != tc.want {
			t.Errorf("formatMeasure(%d, %d) = %q, want %q", tc.m, tc.n, got, tc.want)
		}
	}
}
