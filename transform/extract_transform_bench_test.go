package transform

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/govreports/govreports/extract"
)

// BenchmarkExtractTransformText is pipeline's BenchmarkExtractTransform/text and /squashed without
// linking Arrow: extract.Read then Transform of the seed report, as a run's worker does them.
func BenchmarkExtractTransformText(b *testing.B) {
	for _, c := range []struct{ name, path string }{
		{"text", "seed/input.txt"},
		{"squashed", "squashed-seed/input.txt"},
	} {
		b.Run(c.name, func(b *testing.B) {
			data, err := os.ReadFile(filepath.Join("..", "fixtures", filepath.FromSlash(c.path)))
			if err != nil {
				b.Fatal(err)
			}
			ctx, lim := context.Background(), extract.DefaultLimits()
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				doc, err := extract.Read(ctx, c.path, data, lim)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Transform(ctx, doc, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
		})
	}
}
