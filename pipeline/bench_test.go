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

// BenchmarkExtractTransform measures the per-file work of a run's workers, extract+transform, on a
// seed-sized report in every format: the real seed as text, and the same report as HTML, DOCX and
// XLSX, and with its cell separators lost (squashed digits). reports/s is per goroutine.
func BenchmarkExtractTransform(b *testing.B) {
	for _, c := range []struct{ name, path string }{
		{"text", "seed/input.txt"},
		{"html", "html-seed/input.html"},
		{"docx", "docx-seed/input.docx"},
		{"xlsx", "xlsx-seed/input.xlsx"},
		{"squashed", "squashed-seed/input.txt"},
	} {
		b.Run(c.name, func(b *testing.B) {
			data, err := os.ReadFile(filepath.Join("..", "fixtures", filepath.FromSlash(c.path)))
			if err != nil {
				b.Fatal(err)
			}
			stages := Stages{}.withDefaults(extract.DefaultLimits())
			ctx := context.Background()
			reports := 0
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				doc, err := stages.Extract(ctx, c.path, data, extract.SHA256Hex(data))
				if err != nil {
					b.Fatal(err)
				}
				reps, err := stages.Transform(ctx, doc, transform.Options{})
				if err != nil {
					b.Fatal(err)
				}
				reports += len(reps)
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(reports)/b.Elapsed().Seconds(), "reports/s")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(reports), "allocs/report")
			b.SetBytes(int64(len(data)))
		})
	}
}
