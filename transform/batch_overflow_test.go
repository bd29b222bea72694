package transform

import (
	"context"
	"fmt"
	"testing"
)

// TestDecideOverflow: reports printing absurd numbers (18 digits, the most a cell reads) make a
// city's sum leave int64. The batch goes on: those values are left out of every level's sum with
// an H.OVERFLOW error on their reports naming the cell, whatever the order of the reports, and
// every other value, theirs in other cells included, is summed. Before, Decide failed and the run
// committed nothing.
func TestDecideOverflow(t *testing.T) {
	const huge = 900_000_000_000_000_000
	mNew := NumT2 + RowNewReceived*NumT3Cols + ColTotal
	mGranted := NumT2 + RowGranted*NumT3Cols + ColTotal
	for _, order := range []string{"absurd first", "absurd last"} {
		t.Run(order, func(t *testing.T) {
			var reps ReportSlice
			bodies := []string{"淮安市财政局", "淮安市教育局", "淮安市洪泽区教育局", "淮安市民政局"}
			var normal []*Report
			for i, b := range bodies {
				r := resolved(fmt.Sprintf("ok%d", i), b, 2024, int64(10+i))
				r.T3[RowGranted][ColTotal] = Value{Kind: Numeric, N: 1}
				normal = append(normal, r)
			}
			var absurd []*Report
			for i := range 12 {
				r := resolved(fmt.Sprintf("bad%d", i), "淮安市"+[]string{"商务局", "水利局", "交通运输局", "司法局", "审计局",
					"统计局", "公安局", "卫生健康委员会", "体育局", "文化广电和旅游局", "农业农村局", "应急管理局"}[i], 2024, huge)
				r.T3[RowGranted][ColTotal] = Value{Kind: Numeric, N: 2}
				absurd = append(absurd, r)
			}
			if order == "absurd first" {
				reps = append(append(reps, absurd...), normal...)
			} else {
				reps = append(append(reps, normal...), absurd...)
			}
			b, err := Decide(context.Background(), reps, BatchOptions{})
			if err != nil {
				t.Fatalf("Decide failed: %v", err)
			}
			flagged := map[string]bool{}
			for bf, err := range b.Findings() {
				if err != nil {
					t.Fatal(err)
				}
				if bf.Rule == RuleHOverflow {
					if bf.Severity != SevError || len(bf.Cells) != 1 || bf.Cells[0] != "table3.new_received.total" {
						t.Errorf("%s: %+v", reps[bf.Report].ID, bf.Finding)
					}
					flagged[reps[bf.Report].ID] = true
				}
			}
			for _, r := range absurd {
				if !b.Counted(indexOf(reps, r)) {
					t.Fatalf("%s: not counted (%+v): the case is not what it means to be", r.ID, b.Decisions[indexOf(reps, r)])
				}
				if !flagged[r.ID] {
					t.Errorf("%s: its huge value was not flagged", r.ID)
				}
			}
			for _, r := range normal {
				if flagged[r.ID] {
					t.Errorf("%s: flagged, but its values are ordinary", r.ID)
				}
			}
			for _, g := range allRollups(t, b) {
				if g.Level == RegionCounty && g.County.Name != "洪泽区" {
					continue
				}
				var wantNew, wantGranted int64
				for i, r := range normal {
					if g.Level != RegionCounty || i == 2 {
						wantNew += r.T3[RowNewReceived][ColTotal].N
						wantGranted++
					}
				}
				if g.Level != RegionCounty {
					wantGranted += 2 * int64(len(absurd))
				}
				if s := g.Sums[mNew]; !s.Valid || s.N != wantNew {
					t.Errorf("%s %s: new received %+v, want %d (the huge values left out)", g.Level, g.Area().Name, s, wantNew)
				}
				if s := g.Sums[mGranted]; s.N != wantGranted {
					t.Errorf("%s %s: granted %+v, want %d (every report's other cells kept)", g.Level, g.Area().Name, s, wantGranted)
				}
			}
		})
	}
}

func indexOf(reps ReportSlice, r *Report) int {
	for i := range reps {
		if reps[i] == r {
			return i
		}
	}
	return -1
}
