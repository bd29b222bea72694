package transform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
	"unsafe"
)

// synthReports is a batch that exists only as a recipe: At builds report i afresh on every call,
// as a store that spills to disk decodes it, so that only what Decide itself keeps stays alive.
// Every city has a 全市 summary, departments, districts with summaries, departments and townships,
// over two years, with a duplicate now and then.
type synthReports struct {
	n int
	// peak is the largest live heap seen while Decide read reports, sampled every sample calls.
	calls, sample int
	peak          uint64
}

var syllables = []rune("安宝昌德丰广海和华嘉江金兰林明宁平庆瑞山")

func (s *synthReports) Len() int { return s.n }

func (s *synthReports) At(i int) (*Report, error) {
	if s.sample > 0 {
		if s.calls%s.sample == 0 {
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			s.peak = max(s.peak, ms.HeapAlloc)
		}
		s.calls++
	}
	year := 2023 + i%2
	u := i / 2 // unit number: each unit reports in both years
	city := string([]rune{syllables[u/400%20], syllables[u/8000%20]}) + "市"
	var body, scope string
	switch k := u % 400; {
	case k == 0:
		body, scope = city+"人民政府", ScopeRegional
	case k < 40:
		body, scope = fmt.Sprintf("%s第%d局", city, k), ScopeOrgan
	default:
		district := string(syllables[k/40%20]) + "区"
		switch d := k % 40; {
		case d == 0:
			body, scope = city+district+"人民政府", ScopeRegional
		case d < 30:
			body, scope = fmt.Sprintf("%s%s第%d局", city, district, d), ScopeOrgan
		default:
			body, scope = fmt.Sprintf("%s%s%s镇人民政府", city, district, string(syllables[d%20])), ScopeOrgan
		}
	}
	r := &Report{ID: fmt.Sprintf("%016x", i), Body: body, City: city, Year: year, Scope: scope, FormatVersion: Gov2021}
	r.Source.Path = fmt.Sprintf("in/%s/%d/%06d.txt", city, year, i)
	for c := range NumT3Cols {
		r.T3[RowNewReceived][c] = Value{Kind: Numeric, N: int64(i%7 + c)}
		r.T3[RowCarriedOver][c] = Value{Kind: Numeric, N: int64(u % 3)}
		r.T3[RowCarriedForward][c] = Value{Kind: Numeric, N: int64(u % 3)}
	}
	r.T2[6] = Value{Kind: Numeric, N: int64(u % 100)}
	return r, nil
}

// TestDecideMemoryFlat runs the batch stage over 100,000 reports and bounds what it keeps alive per
// report, the Batch it returns included.
func TestDecideMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 reports")
	}
	const n = 100_000
	reps := &synthReports{n: n}
	var base runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)
	reps.sample = n / 20
	spill, err := os.Create(filepath.Join(t.TempDir(), "batch.spill"))
	if err != nil {
		t.Fatal(err)
	}
	defer spill.Close()
	start := time.Now()
	b, err := Decide(context.Background(), reps, BatchOptions{Spill: spill})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	// The rollups grow with the divisions, not the reports (here a county for every 40 reports),
	// but they wait in the spill and only one year's groups are summed in the heap at a time: they
	// are within the bound. As structs they would be ~120 bytes a report here.
	groups := len(allRollups(t, b))
	rollups := float64(uintptr(groups)*unsafe.Sizeof(Rollup{})) / n
	perReport := float64(max(reps.peak, after.HeapAlloc)-base.HeapAlloc) / n
	t.Logf("%d reports in %s (reports built afresh on every read, the heap sampled every %d reads)", n,
		elapsed.Round(time.Millisecond), reps.sample)
	t.Logf("%d reports: peak %.0f bytes per report (the rollups as structs: %.0f); the Batch returned holds %.0f in all; "+
		"%d rollups, %d findings, %d H.SUM verdicts, %d coverage groups", n, perReport, rollups,
		float64(after.HeapAlloc-base.HeapAlloc)/n, groups, b.NumFindings(), len(b.Sums), len(b.Coverage))
	if perReport > 200 {
		t.Errorf("the batch stage keeps %.0f bytes per report, want under 200", perReport)
	}
	counted := 0
	for _, d := range b.Decisions {
		if d.Role == RoleCounted {
			counted++
		}
	}
	// Each city's 全市 summary contains everything else of its city and year.
	if cities := n / 800; counted != 2*cities {
		t.Errorf("%d counted reports, want the %d city summaries", counted, 2*cities)
	}
	runtime.KeepAlive(b)
}
