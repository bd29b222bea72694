package load

import (
	"github.com/govreports/govreports/transform"

	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// BenchmarkWorkbook writes the workbook of province-sized batches, 1,000 and 10,000 reports, and
// reports how much memory the workbook needs:
//
//	go test ./load -run '^$' -bench Workbook -benchtime 1x
//
// peak-live-MB is the largest live heap seen at any garbage collection while the workbook is
// written, minus the live heap before (the reports, held in memory by the benchmark). Live heap
// excludes garbage, so the figure does not depend on the collector's pacing; the collector runs at
// GOGC=10 meanwhile so that it looks often. The workbook reads the reports one at a time and
// streams its large sheets, so the figure stays flat as reports grow.
func BenchmarkWorkbook(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("reports=%d", n), func(b *testing.B) {
			next := largeBatch(n)
			reports := make([]*transform.Report, n)
			for i := range n {
				reports[i] = next(i)
			}
			in := testInput(b, reports, nil)
			var peak, size int64
			var gcs uint64
			for b.Loop() {
				dir := b.TempDir()
				var outs []Output
				var err error
				// The facts are consumed (the sort keys are dropped): gather them again.
				f := newRunFacts(in.Batch)
				for i, r := range reports {
					f.add(in.Batch, r, i)
				}
				pk, n := livePeak(func() {
					outs, err = writeWorkbooks(context.Background(), dir, f, &in, Options{}, workbookConfig{maxRows: excelMaxRows})
				})
				peak, gcs = max(peak, pk), n
				if err != nil {
					b.Fatal(err)
				}
				size = outs[0].Bytes
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-live-MB")
			b.ReportMetric(float64(gcs), "GCs")
			b.ReportMetric(float64(size)/(1<<20), "xlsx-MB")
		})
	}
}

// livePeak runs fn and returns the largest live heap seen at a garbage collection while it ran,
// above the live heap before, and the number of collections it saw.
func livePeak(fn func()) (int64, uint64) {
	old := debug.SetGCPercent(10)
	defer debug.SetGCPercent(old)
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	read := func() (int64, uint64) {
		metrics.Read(samples)
		return int64(samples[0].Value.Uint64()), samples[1].Value.Uint64()
	}
	runtime.GC()
	base, cycles := read()

	var peak int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			live, _ := read()
			peak = max(peak, live)
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	fn()
	runtime.GC() // the last stretch, since the last collection
	close(stop)
	wg.Wait()
	_, end := read()
	return peak - base, end - cycles
}
