package pdfium_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/fixtures/synth"
	"github.com/govreports/govreports/transform"
)

// propertyN is how many generated reports the property test reads: GOVREPORTS_PROPERTY_N when set,
// else 1000, or 50 under -race or -short (the race detector slows the engine's calls tenfold; the
// Makefile's pass without -race reads the full count).
func propertyN(t *testing.T) int {
	if s := os.Getenv("GOVREPORTS_PROPERTY_N"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			t.Fatalf("GOVREPORTS_PROPERTY_N=%q: want a count", s)
		}
		return n
	}
	if raceEnabled || testing.Short() {
		return 50
	}
	return 1000
}

// TestGeneratedPDFsReadExactly renders random valid reports as PDFs (synth's pdf layout: ruled
// tables with merged or placeholder cells, borders drawn three ways, tables broken by pages) and
// reads them back: every value of every report must come back exact, with no finding about a cell.
func TestGeneratedPDFsReadExactly(t *testing.T) {
	n := propertyN(t)
	// The reports are read by as many workers as there are cores, as the pipeline reads them; the
	// tally is the same whatever the order.
	results := make([]tally, n)
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				results[i] = checkGenerated(uint64(i + 1))
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	var complete, cells, exact, broken int
	var wrong []string
	for _, r := range results {
		complete, cells, exact, broken = complete+r.complete, cells+r.cells, exact+r.exact, broken+r.broken
		wrong = append(wrong, r.wrong...)
	}
	t.Logf("%d generated PDFs in %s: %d read completely; %d of %d cells exact; %d tables broken by a page read whole",
		n, time.Since(start).Round(time.Millisecond), complete, exact, cells, broken)
	if n >= 100 && broken < n/10 {
		t.Errorf("only %d tables broken by a page in %d reports: the corpus should exercise page breaks", broken, n)
	}
	for i, w := range wrong {
		if i == 20 {
			t.Errorf("… %d more", len(wrong)-20)
			break
		}
		t.Error(w)
	}
}

// tally counts what the reads of generated reports gave back.
type tally struct {
	complete, cells, exact, broken int
	wrong                          []string
}

// checkGenerated renders one random report as a PDF, reads it back and compares every value.
func checkGenerated(seed uint64) (res tally) {
	r := synth.Random(rand.New(rand.NewPCG(seed, 13)))
	name := fmt.Sprintf("pdf-%d.pdf", seed)
	doc, err := extract.Read(context.Background(), name, r.Render(synth.PDF), extract.DefaultLimits())
	if err != nil {
		res.wrong = append(res.wrong, fmt.Sprintf("%s: extract: %v", name, err))
		return
	}
	for _, b := range doc.Blocks {
		if b.Kind == extract.Table && len(b.Rows) > 0 && b.Rows[0][0].Pos.Page != b.Rows[len(b.Rows)-1][0].Pos.Page {
			res.broken++ // a table broken by a page, read as one
		}
	}
	reps, err := transform.Transform(context.Background(), doc, transform.Options{})
	if err != nil || len(reps) != 1 {
		res.wrong = append(res.wrong, fmt.Sprintf("%s: transform: %v (%d reports)", name, err, len(reps)))
		return
	}
	rep := reps[0]
	ok := true
	check := func(path string, v *transform.Value, want int64) {
		res.cells++
		if v.Known() && v.N == want {
			res.exact++
			return
		}
		ok = false
		res.wrong = append(res.wrong, fmt.Sprintf("%s: %s = %v (%q at %s), want %d", name, path, v.N, v.Raw, v.Pos, want))
	}
	for i := range transform.NumT2Current {
		check(transform.T2[i].Path(), &rep.T2[i], r.T2[i])
	}
	for row := range transform.NumT3Printed {
		for c := range transform.NumT3Cols {
			check(transform.T3Path(row, c), &rep.T3[row][c], r.T3[row][c])
		}
	}
	for i := range transform.NumT4 {
		check(transform.T4Path(i), &rep.T4[i], r.T4[i])
	}
	if rep.Body != r.Body || rep.Year != r.Year {
		ok = false
		res.wrong = append(res.wrong, fmt.Sprintf("%s: body %q year %d, want %q %d", name, rep.Body, rep.Year, r.Body, r.Year))
	}
	for _, f := range rep.Findings {
		if len(f.Cells) > 0 || f.Rule == "S.BODY" || f.Rule == "S.SOURCE" {
			ok = false
			res.wrong = append(res.wrong, fmt.Sprintf("%s: finding %s %s", name, f.Rule, f.Message))
		}
	}
	if ok {
		res.complete++
	}
	return res
}
