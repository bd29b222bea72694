package transform

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
)

func batchReport(id, body, city string, year int, scope string) *Report {
	return &Report{ID: id, Source: extract.Source{Path: "in/" + id + ".txt"}, Body: body, City: city, Year: year,
		Scope: scope, FormatVersion: Gov2021}
}

// batchRep is one report of a batch test case and what Decide must decide about it.
type batchRep struct {
	body, city string
	county     string // the county-level division the body sits in; "" for a city-level body
	year       int
	scope      string
	want       Role
	of         int
	in         string // rollup levels: p (province), c (city), k (county)
	errors     int    // error findings of the report
	version    string // version mark of its title
}

func (r batchRep) report(i int) *Report {
	rp := batchReport(fmt.Sprintf("r%d", i), r.body, r.city, r.year, r.scope)
	rp.T3[RowNewReceived][ColTotal] = Value{Kind: Numeric, N: int64(i + 1)}
	rp.Version = r.version
	for range r.errors {
		rp.Findings = append(rp.Findings, Finding{Rule: RuleT3Balance, Severity: SevError})
	}
	return rp
}

func TestDecideRoles(t *testing.T) {
	organ, level, region := ScopeOrgan, ScopeLevel, ScopeRegional
	const none = ""
	cases := []struct {
		name    string
		exclude []string
		reports []batchRep
	}{
		{"organ alone", nil, []batchRep{{"A市财政局", "A市", none, 2024, organ, RoleCounted, -1, "pc", 0, ""}}},
		{"regional alone", nil, []batchRep{{"A市人民政府", "A市", none, 2024, region, RoleCounted, -1, "pc", 0, ""}}},
		{"city summary contains its city's organs and districts", nil, []batchRep{
			{"A市人民政府", "A市", none, 2024, region, RoleCounted, -1, "pc", 0, ""},
			{"A市财政局", "A市", none, 2024, organ, RoleContained, 0, "", 0, ""},
			{"A市甲区人民政府", "A市", "甲区", 2024, region, RoleContained, 0, "k", 0, ""}}},
		{"a county summary contains its departments and townships, the city's contains the county's", nil, []batchRep{
			{"A市甲区教育局", "A市", "甲区", 2024, organ, RoleContained, 2, "", 0, ""},
			{"A市甲区城关镇人民政府", "A市", "甲区", 2024, organ, RoleContained, 2, "", 0, ""},
			{"A市甲区人民政府", "A市", "甲区", 2024, region, RoleContained, 3, "k", 0, ""},
			{"A市人民政府", "A市", none, 2024, region, RoleCounted, -1, "pc", 0, ""},
			{"A市乙区教育局", "A市", "乙区", 2024, organ, RoleContained, 3, "k", 0, ""}}},
		{"a county summary without the city's: its district rolls up, the city counts it", nil, []batchRep{
			{"A市甲区人民政府", "A市", "甲区", 2024, region, RoleCounted, -1, "pck", 0, ""},
			{"A市甲区教育局", "A市", "甲区", 2024, organ, RoleContained, 0, "", 0, ""},
			{"A市财政局", "A市", none, 2024, organ, RoleCounted, -1, "pc", 0, ""}}},
		{"a 本级 summary contains the city's own departments only", nil, []batchRep{
			{"A市人民政府", "A市", none, 2024, level, RoleCounted, -1, "pc", 0, ""},
			{"A市财政局", "A市", none, 2024, organ, RoleContained, 0, "", 0, ""},
			{"A市甲区人民政府", "A市", "甲区", 2024, region, RoleCounted, -1, "pck", 0, ""},
			{"A市甲区教育局", "A市", "甲区", 2024, organ, RoleContained, 2, "", 0, ""}}},
		{"本级 and 全市: a department is in the 本级 summary, the 本级 summary in the 全市 one", nil, []batchRep{
			{"A市财政局", "A市", none, 2024, organ, RoleContained, 1, "", 0, ""},
			{"A市人民政府", "A市", none, 2024, level, RoleContained, 2, "", 0, ""},
			{"A市", "A市", none, 2024, region, RoleCounted, -1, "pc", 0, ""},
			{"A市甲区人民政府", "A市", "甲区", 2024, region, RoleContained, 2, "k", 0, ""}}},
		{"city summary of another year contains nothing", nil, []batchRep{
			{"A市人民政府", "A市", none, 2024, region, RoleCounted, -1, "pc", 0, ""},
			{"A市财政局", "A市", none, 2023, organ, RoleCounted, -1, "pc", 0, ""}}},
		{"city summary of another city contains nothing", nil, []batchRep{
			{"A市人民政府", "A市", none, 2024, region, RoleCounted, -1, "pc", 0, ""},
			{"B市财政局", "B市", none, 2024, organ, RoleCounted, -1, "pc", 0, ""}}},
		{"two districts of one city are siblings", nil, []batchRep{
			{"A市甲区人民政府", "A市", "甲区", 2024, region, RoleCounted, -1, "pck", 0, ""},
			{"A市乙区人民政府", "A市", "乙区", 2024, region, RoleCounted, -1, "pck", 0, ""}}},
		{"unidentified city: no summary, 未识别 at every level", nil, []batchRep{
			{"某某人民政府", "", none, 2024, region, RoleCounted, -1, "pck", 0, ""},
			{"某某局", "", none, 2024, organ, RoleCounted, -1, "pck", 0, ""}}},
		{"a unit's second report is a duplicate: the first in input order when all else is equal", nil, []batchRep{
			{"A市财政局", "A市", none, 2024, organ, RoleCounted, -1, "pc", 0, ""},
			{"A市财政局", "A市", none, 2024, organ, RoleDuplicate, 0, "", 0, ""}}},
		{"of two reports of a unit, the one with fewer errors counts", nil, []batchRep{
			{"A市财政局", "A市", none, 2024, organ, RoleDuplicate, 1, "", 2, ""},
			{"A市财政局", "A市", none, 2024, organ, RoleCounted, -1, "pc", 0, ""}}},
		{"a revision counts over the original", nil, []batchRep{
			{"A市财政局", "A市", none, 2024, organ, RoleDuplicate, 1, "", 0, ""},
			{"A市财政局", "A市", none, 2024, organ, RoleCounted, -1, "pc", 0, "修订版"},
			{"A市财政局", "A市", none, 2024, organ, RoleDuplicate, 1, "", 0, "超链版"}}},
		{"errors weigh more than a revision mark", nil, []batchRep{
			{"A市财政局", "A市", none, 2024, organ, RoleCounted, -1, "pc", 0, ""},
			{"A市财政局", "A市", none, 2024, organ, RoleDuplicate, 0, "", 1, "修订版"}}},
		{"a duplicate city summary contains nothing", nil, []batchRep{
			{"A市人民政府", "A市", none, 2024, region, RoleCounted, -1, "pc", 0, ""},
			{"A市人民政府", "A市", none, 2024, region, RoleDuplicate, 0, "", 0, ""},
			{"A市财政局", "A市", none, 2024, organ, RoleContained, 0, "", 0, ""}}},
		{"the city's office publishing the 全市 report duplicates the government's", nil, []batchRep{
			{"A市人民政府", "A市", none, 2024, region, RoleCounted, -1, "pc", 0, ""},
			{"A市人民政府办公室", "A市", none, 2024, region, RoleDuplicate, 0, "", 0, ""},
			{"A市人民政府办公室", "A市", none, 2024, organ, RoleContained, 0, "", 0, ""}}},
		{"no body: never a duplicate", nil, []batchRep{
			{"", "A市", none, 2024, organ, RoleCounted, -1, "pc", 0, ""},
			{"", "A市", none, 2024, organ, RoleCounted, -1, "pc", 0, ""}}},
		{"no year: never a duplicate", nil, []batchRep{
			{"A市财政局", "A市", none, 0, organ, RoleCounted, -1, "pc", 0, ""},
			{"A市财政局", "A市", none, 0, organ, RoleCounted, -1, "pc", 0, ""}}},
		{"the user excludes a body by name", []string{"A市 财政局"}, []batchRep{
			{"A市财政局", "A市", none, 2024, organ, RoleExcluded, -1, "", 0, ""},
			{"A市教育局", "A市", none, 2024, organ, RoleCounted, -1, "pc", 0, ""}}},
		{"an excluded summary contains nothing", []string{"A市人民政府"}, []batchRep{
			{"A市人民政府", "A市", none, 2024, region, RoleExcluded, -1, "", 0, ""},
			{"A市财政局", "A市", none, 2024, organ, RoleCounted, -1, "pc", 0, ""}}},
		{"an excluded report is never the one kept of a unit", []string{"A市财政局"}, []batchRep{
			{"A市财政局", "A市", none, 2024, organ, RoleExcluded, -1, "", 0, ""},
			{"A市财政局", "A市", none, 2024, organ, RoleExcluded, -1, "", 0, ""}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var reps ReportSlice
			for i, r := range tc.reports {
				reps = append(reps, r.report(i))
			}
			b, err := Decide(context.Background(), reps, BatchOptions{Exclude: tc.exclude})
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range tc.reports {
				d := b.Decisions[i]
				if d.Role != r.want || d.Of != r.of {
					t.Errorf("r%d %s: role %s of %d, want %s of %d", i, r.body, d.Role, d.Of, r.want, r.of)
				}
				if want := fmt.Sprintf("r%d", r.of); r.of >= 0 && d.OfID != want {
					t.Errorf("r%d: of id %q, want %q", i, d.OfID, want)
				}
				if got := inLetters(d.In); got != r.in {
					t.Errorf("r%d %s: rolls up at %q, want %q", i, r.body, got, r.in)
				}
				dup := map[Severity]int{}
				for _, f := range batchFindingsOf(t, b, i) {
					checkRegistered(t, r.body, f)
					if f.Rule == RuleXDuplicateUnit {
						dup[f.Severity]++
					}
				}
				if (dup[SevWarning] == 1) != (r.want == RoleDuplicate) || dup[SevWarning] > 1 {
					t.Errorf("r%d: %d X.DUPLICATE_UNIT warnings, role %s", i, dup[SevWarning], r.want)
				}
			}
			checkRollups(t, b, tc.reports)
		})
	}
}

func inLetters(s RollupSet) string {
	out := ""
	for _, l := range RollupLevels {
		if s.Has(l) {
			out += map[RegionLevel]string{RegionProvince: "p", RegionCity: "c", RegionCounty: "k"}[l]
		}
	}
	return out
}

// checkRollups recomputes every rollup from the decisions: per level, the reports that roll up
// there grouped by the test's own names of their divisions. No city-year with a report that is not
// excluded may be missing from the city rollups.
func checkRollups(t *testing.T, b *Batch, reps []batchRep) {
	t.Helper()
	type key struct {
		level RegionLevel
		year  int
		name  string
	}
	m := NumT2 + RowNewReceived*NumT3Cols + ColTotal
	want := map[key][2]int64{}
	cityYears := map[key]bool{}
	for i, r := range reps {
		in := b.Decisions[i].In
		if r.want != RoleExcluded && r.city != "" && r.body != "" {
			cityYears[key{RegionCity, r.year, r.city}] = true
		}
		for _, l := range RollupLevels {
			if !in.Has(l) {
				continue
			}
			name := map[RegionLevel]string{RegionCity: r.city, RegionCounty: r.county}[l]
			if PlaceOf(&Report{Body: r.body, City: r.city}).Level == RegionNone {
				name = ""
			}
			w := want[key{l, r.year, name}]
			want[key{l, r.year, name}] = [2]int64{w[0] + 1, w[1] + int64(i+1)}
		}
	}
	got := map[key][2]int64{}
	for _, g := range allRollups(t, b) {
		k := key{g.Level, g.Year, g.Area().Name}
		if _, twice := got[k]; twice {
			t.Errorf("rollup %v twice", k)
		}
		if !g.Sums[m].Valid {
			t.Errorf("rollup %v: new received not valid", k)
		}
		got[k] = [2]int64{int64(g.Reports), g.Sums[m].N}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rollups %v, want %v", got, want)
	}
	for k := range cityYears {
		if _, ok := got[k]; !ok {
			t.Errorf("city %s %d has reports but no rollup", k.name, k.year)
		}
	}
}

func TestDecideCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Decide(ctx, ReportSlice{batchReport("a", "A", "A市", 2024, ScopeOrgan)}, BatchOptions{}); err == nil {
		t.Fatal("Decide ignored a cancelled context")
	}
}

func TestMeasuresCoverEveryValue(t *testing.T) {
	if len(Measures) != NumMeasures {
		t.Fatalf("%d measures, want %d", len(Measures), NumMeasures)
	}
	seen := map[string]bool{}
	r := &Report{}
	for m, ms := range Measures {
		if seen[ms.Name] || seen[ms.Path] {
			t.Errorf("measure %d: %s / %s twice", m, ms.Name, ms.Path)
		}
		seen[ms.Name], seen[ms.Path] = true, true
		// Every measure reads its own cell: mark the cell and read it back.
		switch {
		case ms.T2 >= 0:
			r.T2[ms.T2].N = int64(m)
		case ms.T3Row >= 0:
			r.T3[ms.T3Row][ms.T3Col].N = int64(m)
		default:
			r.T4[ms.T4].N = int64(m)
		}
	}
	for m := range Measures {
		if got := r.Value(m).N; got != int64(m) {
			t.Errorf("measure %d (%s) reads the value of measure %d", m, Measures[m].Name, got)
		}
	}
}

func TestDeriveOtherTotal(t *testing.T) {
	n := func(v int64) Value {
		if v == 0 {
			return Value{Kind: Zero}
		}
		return Value{Kind: Numeric, N: v}
	}
	blank, absent := Value{Kind: Empty}, Value{}
	withSubs := func(version string, subs [3]Value, total Value) *Report {
		r := &Report{FormatVersion: version}
		for c := range NumT3Cols {
			for i := range 3 {
				r.T3[RowOtherNoCorrection+i][c] = subs[i]
			}
			r.T3[RowOtherTotal][c] = total
		}
		return r
	}
	cases := []struct {
		name        string
		report      *Report
		wantDerived bool
		want        Value
	}{
		{"2021 sums the sub-rows", withSubs(Gov2021, [3]Value{n(1), n(2), n(4)}, absent), true, n(7)},
		{"2021 all zero is zero", withSubs(Gov2021, [3]Value{n(0), n(0), n(0)}, absent), true, n(0)},
		{"2021 a blank sub-row leaves it absent", withSubs(Gov2021, [3]Value{n(1), blank, n(4)}, absent), true, absent},
		{"2021 a missing sub-row leaves it absent", withSubs(Gov2021, [3]Value{n(1), absent, n(4)}, absent), true, absent},
		{"2021 ignores a stated other_total", withSubs(Gov2021, [3]Value{n(1), n(1), n(1)}, n(9)), true, n(3)},
		{"2021 without sub-rows is derived and absent", withSubs(Gov2021, [3]Value{}, n(9)), true, absent},
		{"2019 reads other_total", withSubs(Gov2019, [3]Value{}, n(9)), false, n(9)},
		{"unknown format with sub-rows sums", withSubs(Unknown, [3]Value{n(2), n(2), n(2)}, absent), true, n(6)},
		{"unknown format with one row reads", withSubs(Unknown, [3]Value{}, n(5)), false, n(5)},
		{"an overflowing sum is left absent", withSubs(Gov2021, [3]Value{n(1 << 62), n(1 << 62), n(1)}, absent), true, absent},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.report.DeriveOtherTotal()
			if got := tc.report.OtherTotalDerived(); got != tc.wantDerived {
				t.Errorf("derived = %v", got)
			}
			for c := range NumT3Cols {
				if got := tc.report.T3[RowOtherTotal][c]; got.Kind != tc.want.Kind || got.N != tc.want.N {
					t.Errorf("column %d = %+v, want %+v", c, got, tc.want)
				}
			}
		})
	}
}

// resolved builds a report whose body the resolver places, as Transform does.
func resolved(id, body string, year int, n int64) *Report {
	r := &Report{ID: id, Source: extract.Source{Path: "in/" + id + ".txt"}, Body: body, Year: year, FormatVersion: Gov2021}
	r.placeBody(Options{}, "", "", "", nil, "")
	r.detectScope(nil, nil, r.Region.Scope)
	r.T3[RowNewReceived][ColTotal] = Value{Kind: Numeric, N: n}
	return r
}

// TestDecideWithResolver runs the batch stage over bodies the gazetteer places: roles by division
// code, rollups with codes, and H.SUM and coverage naming the divisions without a report.
func TestDecideWithResolver(t *testing.T) {
	reps := ReportSlice{
		resolved("city", "淮安市人民政府", 2024, 100),
		resolved("hz", "淮安市洪泽区人民政府", 2024, 30),
		resolved("hz-edu", "洪泽区教育局", 2024, 10),
		resolved("hy-edu", "淮安市淮阴区教育局", 2024, 5),
		resolved("fin", "淮安市财政局", 2024, 20),
		resolved("nowhere", "某某管理局", 2024, 1),
	}
	b, err := Decide(context.Background(), reps, BatchOptions{Divisions: Divisions})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"city": "counted", "hz": "contained city", "hz-edu": "contained hz",
		"hy-edu": "contained city", "fin": "contained city", "nowhere": "counted"}
	for i, r := range reps {
		d := b.Decisions[i]
		got := d.Role.String()
		if d.Of >= 0 {
			got += " " + reps[d.Of].ID
		}
		if got != want[r.ID] {
			t.Errorf("%s: %s, want %s", r.ID, got, want[r.ID])
		}
	}
	counties := map[string]int{}
	for _, g := range allRollups(t, b) {
		if g.Level == RegionCounty {
			counties[g.County.Code+" "+g.County.Name] = g.Reports
		}
		if g.Level == RegionCity && g.City.Code == "320800" && (g.Reports != 1 || g.Province.Code != "320000") {
			t.Errorf("淮安市: %d reports, province %+v", g.Reports, g.Province)
		}
	}
	// 洪泽区's own summary stands for it; 淮阴区 has only its department; the unplaced body is 未识别.
	if wantC := map[string]int{"320813 洪泽区": 1, "320804 淮阴区": 1, " ": 1}; !reflect.DeepEqual(counties, wantC) {
		t.Errorf("county rollups %v, want %v", counties, wantC)
	}
	var sum *SumCheck
	for k := range b.Sums {
		if reps[b.Sums[k].Report].ID == "city" {
			sum = &b.Sums[k]
		}
	}
	if sum == nil || sum.Complete || !slices.Contains(sum.Missing, "涟水县") || slices.Contains(sum.Missing, "洪泽区") ||
		!slices.Equal(sum.Partial, []string{"淮阴区"}) {
		t.Fatalf("H.SUM of the city: %+v", sum)
	}
	for _, f := range batchFindingsOf(t, b, 0) {
		if f.Rule == RuleHSum && (f.Status != "uncertain" || !strings.Contains(f.Message, "缺少淮安区、清江浦区、涟水县")) {
			t.Errorf("H.SUM finding: %+v", f)
		}
	}
	for _, c := range b.Coverage {
		if c.City.Code == "320800" && !c.County.Known() {
			var missing []string
			for _, m := range c.Missing {
				missing = append(missing, m.Name)
			}
			if !slices.Contains(missing, "金湖县") || slices.Contains(missing, "淮阴区") {
				t.Errorf("coverage of 淮安市 misses %v", missing)
			}
		}
	}
}

// TestDecideOwnLevel checks the cities' own levels (市本级): the reports placed at the city itself
// that no summary of the city's own level holds, never the 全市 summary.
func TestDecideOwnLevel(t *testing.T) {
	organ, level, region := ScopeOrgan, ScopeLevel, ScopeRegional
	const none = ""
	cases := []struct {
		name    string
		reports []batchRep
		own     []int // the reports of A市's own level in 2024
	}{
		{"departments alone", []batchRep{
			{"A市财政局", "A市", none, 2024, organ, RoleCounted, -1, "pc", 0, ""},
			{"A市教育局", "A市", none, 2024, organ, RoleCounted, -1, "pc", 0, ""},
			{"A市甲区人民政府", "A市", "甲区", 2024, region, RoleCounted, -1, "pck", 0, ""}}, []int{0, 1}},
		{"a 全市 summary is not the own level; its departments are", []batchRep{
			{"A市人民政府", "A市", none, 2024, region, RoleCounted, -1, "pc", 0, ""},
			{"A市财政局", "A市", none, 2024, organ, RoleContained, 0, "", 0, ""},
			{"A市甲区人民政府", "A市", "甲区", 2024, region, RoleContained, 0, "k", 0, ""}}, []int{1}},
		{"a 本级 summary holds its departments", []batchRep{
			{"A市人民政府", "A市", none, 2024, level, RoleCounted, -1, "pc", 0, ""},
			{"A市财政局", "A市", none, 2024, organ, RoleContained, 0, "", 0, ""}}, []int{0}},
		{"本级 inside 全市", []batchRep{
			{"A市财政局", "A市", none, 2024, organ, RoleContained, 1, "", 0, ""},
			{"A市人民政府", "A市", none, 2024, level, RoleContained, 2, "", 0, ""},
			{"A市", "A市", none, 2024, region, RoleCounted, -1, "pc", 0, ""}}, []int{1}},
		{"duplicates and excluded are not counted", []batchRep{
			{"A市财政局", "A市", none, 2024, organ, RoleCounted, -1, "pc", 0, ""},
			{"A市财政局", "A市", none, 2024, organ, RoleDuplicate, 0, "", 0, ""}}, []int{0}},
		{"no city-level report: no own level", []batchRep{
			{"A市甲区人民政府", "A市", "甲区", 2024, region, RoleCounted, -1, "pck", 0, ""}}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var reps ReportSlice
			for i, r := range tc.reports {
				reps = append(reps, r.report(i))
			}
			b, err := Decide(context.Background(), reps, BatchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			m := NumT2 + RowNewReceived*NumT3Cols + ColTotal
			var want int64
			for _, i := range tc.own {
				want += int64(i + 1)
			}
			own := allOwnLevels(t, b)
			switch {
			case len(tc.own) == 0 && len(own) != 0:
				t.Fatalf("own levels %+v, want none", own)
			case len(tc.own) == 0:
				return
			case len(own) != 1:
				t.Fatalf("%d own levels, want 1", len(own))
			}
			g := own[0]
			if g.City.Name != "A市" || g.Year != 2024 || g.Level != RegionCity || g.Reports != len(tc.own) || g.Sums[m].N != want {
				t.Errorf("own level %s %d: %d reports, new applications %d; want A市 2024, %d reports, %d",
					g.City.Name, g.Year, g.Reports, g.Sums[m].N, len(tc.own), want)
			}
		})
	}
}

// TestDecideMunicipalities: a municipality's code is its province's and its city's, and a place
// directly under a province (济源市) has one code as city and county. Each level of such a chain
// is still a level of its own: a district of a municipality rolls up under the municipality as its
// city, never under 未识别, and 济源市 is a county of its own.
func TestDecideMunicipalities(t *testing.T) {
	reps := ReportSlice{
		resolved("bj", "北京市人民政府", 2024, 100),
		resolved("bj-cy", "北京市朝阳区人民政府", 2024, 30),
		resolved("bj-cy-edu", "北京市朝阳区教育局", 2024, 3),
		resolved("sh-pt", "上海市普陀区人民政府", 2024, 20),
		resolved("tj-hp", "天津市和平区人民政府", 2024, 10),
		resolved("cq-ws", "重庆市巫山县人民政府", 2024, 5),
		resolved("jy", "济源市人民政府", 2024, 7),
		resolved("ha", "淮安市洪泽区人民政府", 2024, 1),
	}
	b, err := Decide(context.Background(), reps, BatchOptions{Divisions: Divisions})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reps {
		if r.City == "" {
			t.Errorf("%s: no city", r.Body)
		}
	}
	got := map[string]int{}
	for _, g := range allRollups(t, b) {
		switch g.Level {
		case RegionCity:
			got["city "+g.City.Code+" "+g.City.Name] = g.Reports
		case RegionCounty:
			got["county "+g.City.Name+" "+g.County.Code+" "+g.County.Name] = g.Reports
		}
	}
	want := map[string]int{
		"city 110000 北京市": 1, "city 310000 上海市": 1, "city 120000 天津市": 1, "city 500000 重庆市": 1,
		"city 419001 济源市": 1, "city 320800 淮安市": 1,
		"county 北京市 110105 朝阳区": 1, "county 上海市 310107 普陀区": 1, "county 天津市 120101 和平区": 1,
		"county 重庆市 500237 巫山县": 1, "county 济源市 419001 济源市": 1, "county 淮安市 320813 洪泽区": 1,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rollups\n%v\nwant\n%v", got, want)
	}
}
