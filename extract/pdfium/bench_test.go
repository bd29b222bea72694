package pdfium_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/govreports/govreports/extract"
)

// BenchmarkReadPDF reads a LibreOffice PDF of a real-sized report (2 pages) and the generated seed
// (3 pages) after the engine has started; ms/page is the figure docs/ARCHITECTURE.md quotes.
func BenchmarkReadPDF(b *testing.B) {
	for _, name := range []string{"libreoffice-docx-random.pdf", "generated-seed.pdf"} {
		data, err := os.ReadFile(filepath.Join(testdata, name))
		if err != nil {
			b.Fatal(err)
		}
		doc, err := extract.Read(context.Background(), name, data, extract.DefaultLimits()) // warm-up: start the engine
		if err != nil {
			b.Fatal(err)
		}
		pages := 0
		for _, bl := range doc.Blocks {
			pages = max(pages, bl.Pos.Page)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := extract.Read(context.Background(), name, data, extract.DefaultLimits()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*pages), "ms/page")
		})
	}
}
