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

// BenchmarkAddClose measures a batch of 2,000 reports from the first Add to the fsynced files.
func BenchmarkAddClose(b *testing.B) {
	reports := benchReports(2000)
	in := testInput(b, reports, nil)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	var written int64
	var peak int
	b.ReportAllocs()
	for b.Loop() {
		w, err := NewWriter(b.TempDir(), Options{InputHash: testInputHash, CreatedBy: testCreatedBy, Allocator: mem})
		if err != nil {
			b.Fatal(err)
		}
		if err := w.Load(context.Background(), in); err != nil {
			b.Fatal(err)
		}
		// Arrow memory held once every record is built: the most the Writer holds.
		peak = max(peak, mem.CurrentAlloc())
		outs, err := w.Close(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		written = 0
		for _, o := range outs {
			written += o.Bytes
		}
	}
	mem.AssertSize(b, 0)
	b.ReportMetric(float64(written)/1e6, "MB-written")
	b.ReportMetric(float64(peak)/1e6, "MB-arrow-peak")
}
