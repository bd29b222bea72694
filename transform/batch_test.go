package transform

import (
	"context"
	"fmt"
	"testing"

	"github.com/govreports/govreports/extract"
)

func batchReport(id, body, city string, year int, scope string) *Report {
	return &Report{ID: id, Source: extract.Source{Path: "in/" + id + ".txt"}, Body: body, City: city, Year: year,
		Scope: scope, FormatVersion: Gov2021}
}

func TestDecideRoles(t *testing.T) {
	organ, region := ScopeOrgan, ScopeRegional
	type rep struct {
		body, city string
		year       int
		scope      string
		want       Role
		of         int
	}
	cases := []struct {
		name    string
		reports []rep
	}{
		{"organ alone", []rep{{"A市财政局", "A市", 2024, organ, RoleCounted, -1}}},
		{"regional alone", []rep{{"A市人民政府", "A市", 2024, region, RoleCounted, -1}}},
		{"city summary contains its city's organs", []rep{
			{"A市人民政府", "A市", 2024, region, RoleCounted, -1},
			{"A市财政局", "A市", 2024, organ, RoleContained, 0},
			{"A市甲区人民政府", "A市", 2024, region, RoleContained, 0}}},
		{"city summary of another year contains nothing", []rep{
			{"A市人民政府", "A市", 2024, region, RoleCounted, -1},
			{"A市财政局", "A市", 2023, organ, RoleCounted, -1}}},
		{"city summary of another city contains nothing", []rep{
			{"A市人民政府", "A市", 2024, region, RoleCounted, -1},
			{"B市财政局", "B市", 2024, organ, RoleCounted, -1}}},
		{"two districts of one city are siblings", []rep{
			{"A市甲区人民政府", "A市", 2024, region, RoleCounted, -1},
			{"A市乙区人民政府", "A市", 2024, region, RoleCounted, -1}}},
		{"unidentified city: no summary", []rep{
			{"某某人民政府", "", 2024, region, RoleCounted, -1},
			{"某某局", "", 2024, organ, RoleCounted, -1}}},
		{"a unit's second report is a duplicate", []rep{
			{"A市财政局", "A市", 2024, organ, RoleCounted, -1},
			{"A市财政局", "A市", 2024, organ, RoleDuplicate, 0}}},
		{"a duplicate city summary contains nothing", []rep{
			{"A市人民政府", "A市", 2024, region, RoleCounted, -1},
			{"A市人民政府", "A市", 2024, region, RoleDuplicate, 0},
			{"A市财政局", "A市", 2024, organ, RoleContained, 0}}},
		{"no body: never a duplicate", []rep{
			{"", "A市", 2024, organ, RoleCounted, -1},
			{"", "A市", 2024, organ, RoleCounted, -1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var reps ReportSlice
			for i, r := range tc.reports {
				rp := batchReport(fmt.Sprintf("r%d", i), r.body, r.city, r.year, r.scope)
				rp.T3[RowNewReceived][ColTotal] = Value{Kind: Numeric, N: int64(i + 1)}
				reps = append(reps, rp)
			}
			b, err := Decide(context.Background(), reps, BatchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := map[[2]any]*Rollup{}
			for i, r := range tc.reports {
				d := b.Decisions[i]
				if d.Role != r.want || d.Of != r.of {
					t.Errorf("r%d %s: role %s of %d, want %s of %d", i, r.body, d.Role, d.Of, r.want, r.of)
				}
				dup := 0
				for _, f := range b.FindingsOf(i) {
					if f.Rule == "X.DUPLICATE_UNIT" {
						dup++
					}
				}
				if (dup == 1) != (r.want == RoleDuplicate) || dup > 1 {
					t.Errorf("r%d: %d X.DUPLICATE_UNIT findings, role %s", i, dup, r.want)
				}
				if r.want == RoleCounted {
					k := [2]any{r.city, r.year}
					g := want[k]
					if g == nil {
						g = &Rollup{}
						want[k] = g
					}
					g.Reports++
					g.Sums[NumT2+RowNewReceived*NumT3Cols+ColTotal].N += int64(i + 1)
				}
			}
			// No city-year with reports may vanish from the rollups, and each equals the sum of its
			// counted reports.
			if len(b.Rollups) != len(want) {
				t.Fatalf("%d rollups, want %d", len(b.Rollups), len(want))
			}
			for _, g := range b.Rollups {
				w := want[[2]any{g.Region, g.Year}]
				m := NumT2 + RowNewReceived*NumT3Cols + ColTotal
				if w == nil || g.Reports != w.Reports || g.Sums[m].N != w.Sums[m].N || !g.Sums[m].Valid {
					t.Errorf("rollup %s %d: %d reports, new received %+v; want %+v", g.Region, g.Year, g.Reports, g.Sums[m], w)
				}
			}
		})
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
