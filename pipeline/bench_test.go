package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// BenchmarkExtractTransform measures the per-file work of a run's workers on the real seed report.
func BenchmarkExtractTransform(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "fixtures", "seed", "input.txt"))
	if err != nil {
		b.Fatal(err)
	}
	stages := Stages{}.withDefaults(extract.DefaultLimits())
	ctx := context.Background()
	reports := 0
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		doc, err := stages.Extract(ctx, "seed/input.txt", data)
		if err != nil {
			b.Fatal(err)
		}
		reps, err := stages.Transform(doc, transform.Options{})
		if err != nil {
			b.Fatal(err)
		}
		reports += len(reps)
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(reports)/b.Elapsed().Seconds(), "reports/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(reports), "allocs/report")
	b.SetBytes(int64(len(data)))
}
