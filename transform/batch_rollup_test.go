package transform

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// allRollups is every rollup of b in the order the rollup tables had them when Batch held them
// all: level, year (unknown last), then division.
func allRollups(t testing.TB, b *Batch) []Rollup {
	t.Helper()
	var out []Rollup
	for _, l := range RollupLevels {
		for _, y := range b.RollupYears() {
			gs, err := b.Rollups(y, l)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, gs...)
		}
	}
	return out
}

// allOwnLevels is every own level of b, by year.
func allOwnLevels(t testing.TB, b *Batch) []Rollup {
	t.Helper()
	var out []Rollup
	for _, y := range b.RollupYears() {
		gs, err := b.OwnLevel(y)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, gs...)
	}
	return out
}

// testRollup is a group whose every field is set, with sums of every shape: invalid, zero,
// negative, the int64 extremes, skipped values.
func testRollup(l RegionLevel, year, k int) *Rollup {
	g := &Rollup{Level: l, Year: year, Reports: k*7 + 1,
		Province: Area{Code: fmt.Sprintf("%02d0000", k%3), Name: "江苏省"}}
	if l >= RegionCity {
		g.City = Area{Code: fmt.Sprintf("32%02d00", k%5), Name: fmt.Sprintf("第%d市", k%5)}
	}
	if l == RegionCounty {
		g.County = Area{Name: fmt.Sprintf("区%d", k)}
		if k%4 == 0 {
			g.County = Area{} // 未识别
		}
	}
	for m := range g.Sums {
		switch (m + k) % 6 {
		case 0:
		case 1:
			g.Sums[m] = Sum{N: int64(m * k), Valid: true}
		case 2:
			g.Sums[m] = Sum{N: -int64(m) << 40, Valid: true, Skipped: int32(k)}
		case 3:
			g.Sums[m] = Sum{Skipped: math.MaxInt32}
		case 4:
			g.Sums[m] = Sum{N: math.MaxInt64, Valid: true}
		case 5:
			g.Sums[m] = Sum{N: math.MinInt64, Valid: true, Skipped: 1}
		}
	}
	return g
}

// testGroups are the groups of one year: every level, in no order.
func testGroups(year, n int) (groups, own map[rollupKey]*Rollup) {
	groups, own = map[rollupKey]*Rollup{}, map[rollupKey]*Rollup{}
	for k := range n {
		for _, l := range RollupLevels {
			g := testRollup(l, year, k)
			groups[rollupKey{level: l, year: year, province: g.Province, city: g.City, county: g.County}] = g
		}
		if k%2 == 0 {
			g := testRollup(RegionCity, year, k)
			own[rollupKey{level: RegionCity, year: year, city: g.City}] = g
		}
	}
	return groups, own
}

// sortedOf is what the store must give back for groups of one level.
func sortedOf(groups map[rollupKey]*Rollup, l RegionLevel) []Rollup {
	var ps []*Rollup
	for _, g := range groups {
		if g.Level == l {
			ps = append(ps, g)
		}
	}
	var out []Rollup
	for _, g := range sortedRollups(ps) {
		out = append(out, *g)
	}
	return out
}

// TestRollupStoreRoundTrip stores the groups of several years (the unknown one among them),
// findings written between them through the same log, and reads every year and level back, field
// for field, from memory and from a file spill.
func TestRollupStoreRoundTrip(t *testing.T) {
	years := []int{2021, 2023, 2024, 0}
	for _, tc := range spillCases {
		t.Run(tc.name, func(t *testing.T) {
			log := &spillLog{spill: tc.spill(t)}
			b := &Batch{findings: findingStore{log: log}, rollups: rollupStore{log: log}}
			type yearGroups struct{ groups, own map[rollupKey]*Rollup }
			want := map[int]yearGroups{}
			fs := testFindings()
			for k, y := range years {
				groups, own := testGroups(y, 60+k*50)
				want[y] = yearGroups{groups, own}
				if err := b.rollups.add(y, groups, own); err != nil {
					t.Fatal(err)
				}
				for j := k; j < len(fs); j += len(years) {
					b.findings.add(fs[j].Report, &fs[j].Finding)
				}
			}
			if err := cmp.Or(b.findings.finish(), log.finish()); err != nil {
				t.Fatal(err)
			}
			if tc.name == "file" && len(log.buf) != 0 {
				t.Errorf("%d bytes still in memory after finish", len(log.buf))
			}
			if got := b.RollupYears(); !slices.Equal(got, years) {
				t.Errorf("years %v, want %v", got, years)
			}
			for _, y := range years {
				for _, l := range RollupLevels {
					got, err := b.Rollups(y, l)
					if err != nil {
						t.Fatal(err)
					}
					if w := sortedOf(want[y].groups, l); !reflect.DeepEqual(got, w) {
						t.Fatalf("%s rollups of %d: %d groups differ from the %d stored", l, y, len(got), len(w))
					}
				}
				got, err := b.OwnLevel(y)
				if err != nil {
					t.Fatal(err)
				}
				if w := sortedOf(want[y].own, RegionCity); !reflect.DeepEqual(got, w) {
					t.Fatalf("own levels of %d: %d groups differ from the %d stored", y, len(got), len(w))
				}
			}
			if got, err := b.Rollups(2022, RegionCity); got != nil || err != nil {
				t.Errorf("a year without rollups: %v, %v", got, err)
			}
			// The findings written between the years are intact.
			n := 0
			for f, err := range b.Findings() {
				if err != nil {
					t.Fatal(err)
				}
				n++
				_ = f
			}
			if n != len(fs) {
				t.Errorf("%d findings read back, want %d", n, len(fs))
			}
		})
	}
	var empty Batch
	if years := empty.RollupYears(); len(years) != 0 {
		t.Errorf("empty batch: years %v", years)
	}
	if got, err := empty.Rollups(2024, RegionProvince); got != nil || err != nil {
		t.Errorf("empty batch: %v, %v", got, err)
	}
}

// TestRollupStoreSpillErrors: a spill that cannot be written fails add (so Decide), one that cannot
// be read back fails Rollups and OwnLevel naming the year, and damaged bytes are an error too.
func TestRollupStoreSpillErrors(t *testing.T) {
	groups, own := testGroups(2024, 300)
	full := rollupStore{log: &spillLog{spill: &failingSpill{limit: spillChunk}}}
	if err := full.add(2024, groups, own); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("add on a full spill: %v", err)
	}
	log := &spillLog{spill: &failingSpill{limit: 1 << 30}}
	unreadable := Batch{rollups: rollupStore{log: log}}
	if err := unreadable.rollups.add(2024, groups, own); err != nil {
		t.Fatal(err)
	}
	if err := log.finish(); err != nil {
		t.Fatal(err)
	}
	if got, err := unreadable.Rollups(2024, RegionCounty); err == nil || got != nil || !strings.Contains(err.Error(), "2024") {
		t.Errorf("Rollups on an unreadable spill: %d groups, %v", len(got), err)
	}
	if got, err := unreadable.OwnLevel(2024); err == nil || got != nil || !strings.Contains(err.Error(), "input/output error") {
		t.Errorf("OwnLevel on an unreadable spill: %d groups, %v", len(got), err)
	}

	mem := &spillLog{}
	damaged := Batch{rollups: rollupStore{log: mem}}
	if err := damaged.rollups.add(2024, groups, own); err != nil {
		t.Fatal(err)
	}
	mem.finish()
	blk := damaged.rollups.index[1]
	mem.buf[blk.off] = 9 // the first city group's level
	if got, err := damaged.Rollups(2024, RegionCity); err == nil || got != nil || !strings.Contains(err.Error(), "level 9") {
		t.Errorf("Rollups of damaged bytes: %d groups, %v", len(got), err)
	}
	damaged.rollups.index[1].len--
	if _, err := damaged.Rollups(2024, RegionCity); err == nil {
		t.Error("Rollups of a short block: no error")
	}
}

// FuzzDecodeRollup: any bytes decode to a group or an error, never a panic, and a group decoded
// encodes to bytes that decode to the same group.
func FuzzDecodeRollup(f *testing.F) {
	for k, l := range []RegionLevel{RegionProvince, RegionCity, RegionCounty} {
		f.Add(encodeRollup(nil, testRollup(l, 2024, k)))
	}
	f.Add(encodeRollup(nil, &Rollup{Level: RegionCounty}))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, raw []byte) {
		g, err := decodeRollup(raw)
		if err != nil {
			return
		}
		again, err := decodeRollup(encodeRollup(nil, &g))
		if err != nil || !reflect.DeepEqual(again, g) {
			t.Fatalf("re-encoded group decodes to %+v, %v; want %+v", again, err, g)
		}
	})
}

// multiYearReports is synthReports over the years 2021 to 2024 and the unknown year, with units
// that report in some years only.
type multiYearReports struct{ synthReports }

func (s *multiYearReports) At(i int) (*Report, error) {
	r, err := s.synthReports.At(i)
	if err != nil {
		return nil, err
	}
	r.Year = []int{2024, 2023, 0, 2021, 2024, 2022, 2023}[i%7]
	r.Source.Path = fmt.Sprintf("in/%d/%06d.txt", r.Year, i)
	r.T2[7] = Value{Kind: Text, Raw: "/"}
	if i%5 == 0 {
		r.T3[RowNewReceived][0] = Value{Kind: Empty}
	}
	return r, nil
}

// TestDecideRollupsByYear: the rollups Decide sums a year at a time are, group for group and in
// the same order, those of one pass over every year at once as Batch used to hold them (level,
// year with the unknown last, division), and so are the own levels (by year, then division).
func TestDecideRollupsByYear(t *testing.T) {
	reps := &multiYearReports{synthReports{n: 6000}}
	spill, err := os.Create(filepath.Join(t.TempDir(), "batch.spill"))
	if err != nil {
		t.Fatal(err)
	}
	defer spill.Close()
	b, err := Decide(context.Background(), reps, BatchOptions{Spill: spill})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := b.RollupYears(), []int{2021, 2022, 2023, 2024, 0}; !slices.Equal(got, want) {
		t.Fatalf("years %v, want %v", got, want)
	}

	// Every year at once, in one map, sorted as a whole.
	ref := newBatch(context.Background(), reps, BatchOptions{})
	for _, step := range ref.steps()[:4] {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	all := make([]int32, len(ref.entries))
	for i := range all {
		all[i] = int32(i)
	}
	groups, own, err := ref.sumYear(all)
	if err != nil {
		t.Fatal(err)
	}
	sorted := func(groups map[rollupKey]*Rollup) []Rollup {
		var out []Rollup
		for _, g := range groups {
			out = append(out, *g)
		}
		slices.SortFunc(out, func(x, y Rollup) int {
			return cmp.Or(cmp.Compare(x.Level, y.Level), compareYears(x.Year, y.Year),
				compareAreas(x.Province, y.Province), compareAreas(x.City, y.City), compareAreas(x.County, y.County))
		})
		return out
	}
	want, wantOwn := sorted(groups), sorted(own)
	got, gotOwn := allRollups(t, b), allOwnLevels(t, b)
	if len(got) != len(want) || len(gotOwn) != len(wantOwn) || len(wantOwn) == 0 {
		t.Fatalf("%d rollups and %d own levels, want %d and %d", len(got), len(gotOwn), len(want), len(wantOwn))
	}
	for k := range want {
		if !reflect.DeepEqual(got[k], want[k]) {
			t.Fatalf("rollup %d: %s %d %s, want %s %d %s", k, got[k].Level, got[k].Year, got[k].Area(),
				want[k].Level, want[k].Year, want[k].Area())
		}
	}
	if !reflect.DeepEqual(gotOwn, wantOwn) {
		t.Error("own levels differ from one pass over every year")
	}
}

// countingReports counts the reads of each report.
type countingReports struct {
	Reports
	reads []int
}

func (c *countingReports) At(i int) (*Report, error) {
	c.reads[i]++
	return c.Reports.At(i)
}

// TestSumRollupsReadsOnce: summing a year at a time still reads each report once, not once a year.
func TestSumRollupsReadsOnce(t *testing.T) {
	reps := &countingReports{Reports: &multiYearReports{synthReports{n: 700}}, reads: make([]int, 700)}
	b := newBatch(context.Background(), reps, BatchOptions{})
	for _, step := range b.steps()[:4] {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	before := slices.Clone(reps.reads)
	if err := b.sumRollups(); err != nil {
		t.Fatal(err)
	}
	for i := range reps.reads {
		if n := reps.reads[i] - before[i]; n > 1 {
			t.Fatalf("report %d read %d times", i, n)
		}
	}
}
