package load

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/govreports/govreports/transform"
)

// countedReports counts how often each report is read.
type countedReports struct {
	transform.ReportSlice
	reads []int
}

func (c *countedReports) At(i int) (*transform.Report, error) {
	c.reads[i]++
	return c.ReportSlice.At(i)
}

// A workbook reads each report of its year twice: for 全市汇总 and for 各单位一览, whose pass spools
// what 申请明细 and 校验问题 show; 报送情况 reads what the facts kept. Reading a report back is most
// of what a sheet costs.
func TestWorkbookReadsEachReportTwice(t *testing.T) {
	const n = 300
	next := largeBatch(n)
	reports := make([]*transform.Report, n)
	for i := range n {
		reports[i] = next(i)
	}
	in := testInput(t, reports, nil)
	f := newRunFacts(in.Batch)
	for i, r := range reports {
		f.add(in.Batch, r, i)
	}
	counted := &countedReports{ReportSlice: transform.ReportSlice(reports), reads: make([]int, n)}
	in.Reports = counted
	if _, err := writeWorkbooks(context.Background(), t.TempDir(), f, &in, Options{}, workbookConfig{maxRows: excelMaxRows}); err != nil {
		t.Fatal(err)
	}
	for i, k := range counted.reads {
		if k != 2 {
			t.Errorf("report %d was read %d times, want 2", i, k)
		}
	}
}

func TestRecordSpool(t *testing.T) {
	s, err := newRecordSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	for i := range 5000 {
		rec := appendRecString(s.start(), "记录")
		rec = append(rec, byte(i))
		if err := s.put(rec); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5000 {
		rec, err := s.next()
		if err != nil {
			t.Fatal(err)
		}
		r := recReader{b: rec}
		if got, b := r.string(), r.byte(); got != "记录" || b != byte(i) || r.err != nil || len(r.b) != 0 {
			t.Fatalf("record %d: %q %d %v", i, got, b, r.err)
		}
	}
	if _, err := s.next(); err != io.EOF {
		t.Errorf("after the last record: %v, want io.EOF", err)
	}
	if err := s.put([]byte("late")); err == nil {
		t.Error("a record written after reading was taken")
	}
	r := recReader{b: []byte{5, 'a'}}
	if r.string(); r.err == nil {
		t.Error("a cut record read without an error")
	}
}

// Past 255 texts of how the tables were read, a report's is computed again rather than kept.
func TestReadsCodeOverflows(t *testing.T) {
	f := newRunFacts(&transform.Batch{})
	for k := range readsUnknown {
		if got := f.readsCode(fmt.Sprint(k)); got != uint8(k) {
			t.Fatalf("text %d numbered %d", k, got)
		}
	}
	if got := f.readsCode("0"); got != 0 {
		t.Errorf("a known text numbered %d, want 0", got)
	}
	if got := f.readsCode("new"); got != readsUnknown {
		t.Errorf("the 256th text numbered %d, want %d", got, readsUnknown)
	}
}

// The facts of 报送情况 read back as they were gathered, in any order, once the pass is sealed;
// reports gathered out of input order are refused.
func TestUnitFacts(t *testing.T) {
	reports := workbookReports()
	in := testInput(t, reports, nil)
	f := newRunFacts(in.Batch)
	f.dir = t.TempDir()
	defer f.close()
	for i, r := range reports {
		f.add(in.Batch, r, i)
	}
	if _, err := f.unit(0); err == nil {
		t.Error("facts were read before the pass was sealed")
	}
	if err := f.seal(); err != nil {
		t.Fatal(err)
	}
	for i := len(reports) - 1; i >= 0; i-- {
		w := &wbReport{r: reports[i]}
		want := unitFacts{w.bodyName(), w.sourceUnit(), w.id(), w.level(), w.scopeText()}
		if got, err := f.unit(i); err != nil || got != want {
			t.Errorf("report %d: %+v %v, want %+v", i, got, err, want)
		}
	}
	if _, err := f.unit(len(reports)); err == nil {
		t.Error("the facts of a report never gathered were read")
	}
	f.add(in.Batch, reports[0], 0)
	if _, err := f.unit(0); err == nil {
		t.Error("a report gathered out of order was taken")
	}
	f.close()
	if entries, _ := os.ReadDir(f.dir); len(entries) != 0 {
		t.Errorf("%d files left after close", len(entries))
	}
}
