package transform_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/fixtures/synth"
	"github.com/govreports/govreports/transform"
)

// pagePropertyCount is how many one-line pages TestPageRoundTrip reads: GOVREPORTS_PROPERTY_N
// when set, else 1000; at most 200 under the race detector, which slows the decoder tenfold (the
// full count runs in the pass without -race), and 200 with -short.
func pagePropertyCount(t *testing.T) int {
	n := 1000
	if *long {
		n = 50000
	}
	if s := os.Getenv("GOVREPORTS_PROPERTY_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			t.Fatalf("GOVREPORTS_PROPERTY_N=%q: want a positive count", s)
		}
		n = v
	}
	if testing.Short() || raceEnabled {
		n = min(n, 200)
	}
	return n
}

// expectedCells reads what a reader must find in a page of report r printed with variant v:
// every cell path of the expected JSON, nil where the value must be null.
func expectedCells(t *testing.T, r synth.Report, v synth.Variant) map[string]*int64 {
	t.Helper()
	data, err := r.ExpectedJSONVariant(v)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]*int64{}
	for _, table := range []string{"table2", "table3", "table4"} {
		var rows map[string]map[string]json.RawMessage
		if err := json.Unmarshal(raw[table], &rows); err != nil {
			t.Fatal(err)
		}
		for row, cols := range rows {
			for col, v := range cols {
				path := table + "." + row + "." + col
				s := string(bytes.TrimSpace(v))
				if s == "null" {
					out[path] = nil
					continue
				}
				f, err := strconv.ParseFloat(s, 64)
				if err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				if table == "table2" && transform.T2[t2Field(path)].Amount {
					f *= transform.AmountScale
				}
				n := int64(math.Round(f))
				out[path] = &n
			}
		}
	}
	return out
}

func t2Field(path string) int {
	for i := range transform.T2 {
		if transform.T2[i].Path() == path {
			return i
		}
	}
	return -1
}

// accuracy counts cells over a corpus: exact, null with a finding naming the cell, and wrong (a
// value that differs from the truth, a value where none is printed, or a null no finding names).
type accuracy struct {
	reports, cells, exact, flagged int
	wrong                          []string
	byTable                        map[string][3]int
}

func (a *accuracy) String() string {
	s := fmt.Sprintf("%d reports, %d cells: %d exact (%.2f%%), %d null with a finding (%.2f%%), %d wrong",
		a.reports, a.cells, a.exact, 100*float64(a.exact)/float64(max(a.cells, 1)), a.flagged,
		100*float64(a.flagged)/float64(max(a.cells, 1)), len(a.wrong))
	for _, tb := range []string{"table2", "table3", "table4"} {
		c := a.byTable[tb]
		s += fmt.Sprintf("; %s %d/%d/%d", tb, c[0], c[1], c[2])
	}
	return s
}

func (a *accuracy) check(t *testing.T, name string, text []byte, want map[string]*int64) {
	t.Helper()
	if a.byTable == nil {
		a.byTable = map[string][3]int{}
	}
	rep := readOneQuiet(name, text)
	if rep == nil {
		a.wrong = append(a.wrong, name+": not read")
		return
	}
	a.reports++
	named := map[string]bool{}
	for _, f := range rep.Findings {
		for _, c := range f.Cells {
			named[c] = true
		}
	}
	tally := func(table string, k int) {
		c := a.byTable[table]
		c[k]++
		a.byTable[table] = c
	}
	visit := func(table, path string, v transform.Value) {
		w, listed := want[path]
		switch {
		case !listed:
			// A gov2021 report's other_total is derived from its three （六） rows, never read.
			if v.Known() && !strings.HasPrefix(path, "table3.other_total.") {
				a.wrong = append(a.wrong, fmt.Sprintf("%s: %s = %d (%q) is not in the printed format", name, path, v.N, v.Raw))
			}
			return
		case w == nil:
			a.cells++
			if v.Known() {
				a.wrong = append(a.wrong, fmt.Sprintf("%s: %s = %d (%q), want null", name, path, v.N, v.Raw))
				tally(table, 2)
				return
			}
			a.exact++
			tally(table, 0)
			return
		}
		a.cells++
		switch {
		case v.Known() && v.N == *w:
			a.exact++
			tally(table, 0)
		case !v.Known() && named[path]:
			a.flagged++
			tally(table, 1)
		case v.Known():
			a.wrong = append(a.wrong, fmt.Sprintf("%s: %s = %d (%q at %s), want %d", name, path, v.N, v.Raw, v.Pos, *w))
			tally(table, 2)
		default:
			a.wrong = append(a.wrong, fmt.Sprintf("%s: %s is null (%s %q) and no finding names it", name, path, v.Kind, v.Raw))
			tally(table, 2)
		}
	}
	for i := range transform.T2 {
		visit("table2", transform.T2[i].Path(), rep.T2[i])
	}
	for row := range rep.T3 {
		for c := 0; c < transform.NumT3Cols; c++ {
			visit("table3", transform.T3Path(row, c), rep.T3[row][c])
		}
	}
	for i := 0; i < transform.NumT4; i++ {
		visit("table4", transform.T4Path(i), rep.T4[i])
	}
}

// TestPageRoundTrip renders random valid reports, a quarter in the 2019 format, as web pages
// scraped onto one line and reads them back: every value exact, or null with a finding naming its
// cell; never a silent wrong value.
func TestPageRoundTrip(t *testing.T) {
	var a accuracy
	n := pagePropertyCount(t)
	for seed := uint64(1); seed <= uint64(n); seed++ {
		r := synth.Random(rand.New(rand.NewPCG(seed, 13)))
		r, v, page := synth.RandomPage(r, rand.New(rand.NewPCG(seed, 17)))
		a.check(t, fmt.Sprintf("page-%d", seed), page, expectedCells(t, r, v))
	}
	t.Log(a.String())
	reportWrong(t, a.wrong)
	// Table 3 and Table 4 have identities and must read almost whole.
	for _, tb := range []string{"table3", "table4"} {
		c := a.byTable[tb]
		if c[0]*100 < (c[0]+c[1]+c[2])*97 {
			t.Errorf("%s: only %d of %d cells exact", tb, c[0], c[0]+c[1]+c[2])
		}
	}
}

// readOneQuiet reads one text; nil when it gives no single report.
func readOneQuiet(name string, data []byte) *transform.Report {
	doc, err := extract.Read(context.Background(), name+".txt", data, extract.DefaultLimits())
	if err != nil {
		return nil
	}
	reps, err := transform.Transform(context.Background(), doc, transform.Options{})
	if err != nil || len(reps) != 1 {
		return nil
	}
	return reps[0]
}
