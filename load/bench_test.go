package load

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/govreports/govreports/transform"
)

// benchReports is a batch of n complete reports over a few cities and years, every tenth regional.
func benchReports(n int) []*transform.Report {
	cities := []string{"平顶山市", "淮安市", "怀化市", "上海市", ""}
	reports := make([]*transform.Report, n)
	for i := range reports {
		scope := transform.ScopeOrgan
		if i%10 == 0 {
			scope = transform.ScopeRegional
		}
		r := newReport(fmt.Sprintf("bench-%05d", i), cities[i%len(cities)], fmt.Sprintf("机关%d", i),
			2022+i%3, transform.Gov2021, scope)
		fillT2Current(r, int64(i%50+1))
		r.T2[transform.T2AdminFees] = wan("12.34", int64(i)*10_000+340_000)
		fillT3(r, int64(i%40+1))
		fillT4(r, int64(i))
		r.Findings = []transform.Finding{
			{Rule: "T3.APPLICANTS", Severity: transform.SevError, Message: "申请人合计不符",
				Cells: []string{"table3.granted.total", "table3.granted.natural_person"}, Culprit: "table3.granted.total"},
			{Rule: "S.BLANKS", Severity: transform.SevWarning, Message: "空白单元格"},
		}
		reports[i] = r
	}
	return reports
}

// BenchmarkWrite measures a batch of 2,000 reports from the first row to the fsynced files and
// workbooks: time, bytes written, and the most Arrow memory the Writer held at once (the builders
// of one row group of every open partition, and the Parquet writers' buffers).
func BenchmarkWrite(b *testing.B) {
	reports := benchReports(2000)
	in := testInput(b, reports, nil)
	var written int64
	var peak int64
	b.ReportAllocs()
	for b.Loop() {
		mem := &peakMem{Allocator: memory.NewCheckedAllocator(memory.NewGoAllocator())}
		w, err := NewWriter(b.TempDir(), Options{InputHash: testInputHash, CreatedBy: testCreatedBy, Allocator: mem})
		if err != nil {
			b.Fatal(err)
		}
		outs, err := w.Write(context.Background(), in)
		if err != nil {
			b.Fatal(err)
		}
		peak = max(peak, mem.peak)
		written = 0
		for _, o := range outs {
			written += o.Bytes
		}
	}
	b.ReportMetric(float64(written)/1e6, "MB-written")
	b.ReportMetric(float64(peak)/1e6, "MB-arrow-peak")
}

// peakMem records the most memory allocated through it at once.
type peakMem struct {
	memory.Allocator
	cur, peak int64
}

func (m *peakMem) Allocate(size int) []byte {
	m.cur += int64(size)
	m.peak = max(m.peak, m.cur)
	return m.Allocator.Allocate(size)
}

func (m *peakMem) Reallocate(size int, b []byte) []byte {
	m.cur += int64(size - len(b))
	m.peak = max(m.peak, m.cur)
	return m.Allocator.Reallocate(size, b)
}

func (m *peakMem) Free(b []byte) {
	m.cur -= int64(len(b))
	m.Allocator.Free(b)
}
