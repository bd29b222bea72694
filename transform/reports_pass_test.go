package transform

import (
	"context"
	"reflect"
	"testing"
)

// encodedReports is ReportsInto over encoded reports, as the pipeline's store is.
type encodedReports struct {
	enc   [][]byte
	intos int // AtInto calls
	ats   int // At calls: a Report allocated each
}

func encodeReports(t testing.TB, reps Reports) *encodedReports {
	t.Helper()
	e := &encodedReports{}
	for i := range reps.Len() {
		r, err := reps.At(i)
		if err != nil {
			t.Fatal(err)
		}
		b, err := r.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		e.enc = append(e.enc, b)
	}
	return e
}

func (e *encodedReports) Len() int                  { return len(e.enc) }
func (e *encodedReports) At(i int) (*Report, error) { e.ats++; return DecodeReport(e.enc[i]) }
func (e *encodedReports) AtInto(i int, r *Report) error {
	e.intos++
	return r.UnmarshalBinary(e.enc[i])
}

// TestPassReader: over ReportsInto it decodes every report into one Report, and what a caller kept
// of an earlier report (its strings and slices) stays as it was; over plain Reports it returns
// what At does.
func TestPassReader(t *testing.T) {
	plain := ReportSlice{
		batchReport("r0", "淮安市商务局", "淮安市", 2023, ScopeOrgan),
		batchReport("r1", "淮安市教育局", "淮安市", 2024, ScopeOrgan),
	}
	plain[0].Findings = []Finding{{Rule: RuleT3Balance, Severity: SevError, Cells: []string{"t3.a"}}}
	enc := encodeReports(t, plain)

	p := NewPassReader(enc)
	r0, err := p.At(0)
	if err != nil {
		t.Fatal(err)
	}
	body, findings := r0.Body, r0.Findings
	r1, err := p.At(1)
	if err != nil {
		t.Fatal(err)
	}
	if r1 != r0 {
		t.Error("PassReader over ReportsInto allocated a second Report")
	}
	if enc.intos != 2 {
		t.Errorf("%d AtInto calls, want 2", enc.intos)
	}
	if r1.ID != "r1" || r1.Body != "淮安市教育局" || r1.Year != 2024 || len(r1.Findings) != 0 {
		t.Errorf("second report read as %s %s %d %v", r1.ID, r1.Body, r1.Year, r1.Findings)
	}
	if body != "淮安市商务局" || !reflect.DeepEqual(findings, plain[0].Findings) {
		t.Errorf("what was kept of the first report changed: %s %v", body, findings)
	}

	p = NewPassReader(plain)
	for i := range plain {
		if r, err := p.At(i); err != nil || r != plain[i] {
			t.Errorf("over a ReportSlice, At(%d) = %p, %v; want the slice's report", i, r, err)
		}
	}
}

// TestDecideReusingReports: Decide over a store it can decode into one Report (its passes over
// every report) decides exactly what it decides over reports it reads afresh each time. A pass
// that kept the reused Report across reads would read one report's numbers as another's.
func TestDecideReusingReports(t *testing.T) {
	fresh := &multiYearReports{synthReports{n: 3000}}
	enc := encodeReports(t, fresh)
	want, err := Decide(context.Background(), fresh, BatchOptions{Divisions: Divisions})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decide(context.Background(), enc, BatchOptions{Divisions: Divisions})
	if err != nil {
		t.Fatal(err)
	}
	if enc.intos < enc.Len() {
		t.Fatalf("%d AtInto calls for %d reports: the passes did not reuse a Report", enc.intos, enc.Len())
	}
	// The reports read one at a time beside a pass (named by a decision, H.SUM's parents) are
	// decoded into a reused Report too.
	if enc.ats != 0 {
		t.Errorf("%d reports decoded into a Report of their own", enc.ats)
	}
	sameBatch(t, got, want)
}

// TestDecideWithEntries: Decide given the entries made as the reports came decides exactly what it
// decides reading them itself, and reads every report once less.
func TestDecideWithEntries(t *testing.T) {
	reps := &multiYearReports{synthReports{n: 3000}}
	enc := encodeReports(t, reps)
	want, err := Decide(context.Background(), enc, BatchOptions{Divisions: Divisions})
	if err != nil {
		t.Fatal(err)
	}
	reading := enc.intos
	entries := NewEntries()
	for i := range reps.Len() {
		r, err := reps.At(i)
		if err != nil {
			t.Fatal(err)
		}
		entries.Add(EntryOf(r))
	}
	enc.intos = 0
	got, err := Decide(context.Background(), enc, BatchOptions{Divisions: Divisions, Entries: entries})
	if err != nil {
		t.Fatal(err)
	}
	if enc.intos != reading-enc.Len() {
		t.Errorf("%d reads with the entries given, %d without: want %d fewer", enc.intos, reading, enc.Len())
	}
	sameBatch(t, got, want)

	short := NewEntries()
	short.Add(EntryOf(batchReport("r0", "淮安市商务局", "淮安市", 2023, ScopeOrgan)))
	if _, err := Decide(context.Background(), enc, BatchOptions{Entries: short}); err == nil {
		t.Error("Decide took 1 entry for 3,000 reports")
	}
}

// sameBatch fails t unless got holds what want does: decisions, H.SUM checks, coverage, findings,
// rollups and own levels.
func sameBatch(t *testing.T, got, want *Batch) {
	t.Helper()
	if !reflect.DeepEqual(got.Decisions, want.Decisions) {
		t.Error("decisions differ")
	}
	if len(want.Sums) == 0 || !reflect.DeepEqual(got.Sums, want.Sums) {
		t.Errorf("H.SUM checks differ (%d and %d; the batch must have some)", len(got.Sums), len(want.Sums))
	}
	if !reflect.DeepEqual(got.Coverage, want.Coverage) {
		t.Error("coverage differs")
	}
	findings := func(b *Batch) []BatchFinding {
		var out []BatchFinding
		for f, err := range b.Findings() {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, f)
		}
		return out
	}
	if fw := findings(want); len(fw) == 0 || !reflect.DeepEqual(findings(got), fw) {
		t.Errorf("batch findings differ (%d wanted; the batch must have some)", len(fw))
	}
	years := want.RollupYears()
	if !reflect.DeepEqual(got.RollupYears(), years) {
		t.Fatalf("rollup years %v, want %v", got.RollupYears(), years)
	}
	for _, y := range years {
		for _, l := range RollupLevels {
			g, err1 := got.Rollups(y, l)
			w, err2 := want.Rollups(y, l)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s rollups of %d differ", l, y)
			}
		}
		g, err1 := got.OwnLevel(y)
		w, err2 := want.OwnLevel(y)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("own levels of %d differ", y)
		}
	}
}

// passReports is ReportsPasses over encoded reports: each pass reads through its own reader.
type passReports struct {
	*encodedReports
	passes []*passReader
}

type passReader struct {
	e     *encodedReports
	reads []int
}

func (p *passReports) NewPass() ReportReader {
	r := &passReader{e: p.encodedReports}
	p.passes = append(p.passes, r)
	return r
}

func (r *passReader) AtInto(i int, rep *Report) error {
	r.reads = append(r.reads, i)
	return rep.UnmarshalBinary(r.e.enc[i])
}

// TestPassReaderOwnReader: over ReportsPasses, each PassReader reads through a reader of its own
// and never through the Reports' AtInto.
func TestPassReaderOwnReader(t *testing.T) {
	plain := ReportSlice{
		batchReport("r0", "淮安市商务局", "淮安市", 2023, ScopeOrgan),
		batchReport("r1", "淮安市教育局", "淮安市", 2024, ScopeOrgan),
	}
	reps := &passReports{encodedReports: encodeReports(t, plain)}
	a, b := NewPassReader(reps), NewPassReader(reps)
	for _, i := range []int{1, 0} {
		r, err := a.At(i)
		if err != nil || r.ID != plain[i].ID {
			t.Fatalf("At(%d) = %v, %v", i, r, err)
		}
	}
	if r, err := b.At(1); err != nil || r.Body != plain[1].Body {
		t.Fatalf("second pass: At(1) = %v, %v", r, err)
	}
	if len(reps.passes) != 2 {
		t.Fatalf("%d readers for two passes", len(reps.passes))
	}
	if !reflect.DeepEqual(reps.passes[0].reads, []int{1, 0}) || !reflect.DeepEqual(reps.passes[1].reads, []int{1}) ||
		reps.intos != 0 {
		t.Errorf("passes read %v and %v (%d through the Reports), want [1 0] and [1] on two readers",
			reps.passes[0].reads, reps.passes[1].reads, reps.intos)
	}
}

// numbersReports is encodedReports that can decode a report's numbers alone, as the pipeline's
// store can.
type numbersReports struct {
	*encodedReports
	numbers int // NumbersInto calls
}

func (e *numbersReports) NumbersInto(i int, r *Report) error {
	e.numbers++
	return r.UnmarshalNumbers(e.enc[i])
}

// TestDecideReadingNumbers: the batch stage's sums, cross-year pairs and H.SUM's children read
// only the reports' numbers when the store can decode those alone, and decide exactly what they
// decide reading every report whole.
func TestDecideReadingNumbers(t *testing.T) {
	reps := &multiYearReports{synthReports{n: 3000}}
	whole := encodeReports(t, reps)
	want, err := Decide(context.Background(), whole, BatchOptions{Divisions: Divisions})
	if err != nil {
		t.Fatal(err)
	}
	nums := &numbersReports{encodedReports: encodeReports(t, reps)}
	got, err := Decide(context.Background(), nums, BatchOptions{Divisions: Divisions})
	if err != nil {
		t.Fatal(err)
	}
	if nums.numbers < reps.Len() {
		t.Errorf("%d reports read as numbers, want at least every report once (the rollups)", nums.numbers)
	}
	if nums.intos+nums.numbers != whole.intos {
		t.Errorf("%d reads whole and %d as numbers, against %d whole: want as many in all", nums.intos, nums.numbers, whole.intos)
	}
	sameBatch(t, got, want)
}
