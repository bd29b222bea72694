package transform

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// testFindings are findings of reports 0..11999, made out of report order as the batch's passes
// make them (each pass walks the reports again), with nil and empty Cells.
func testFindings() []BatchFinding {
	var fs []BatchFinding
	for pass := range 3 {
		for i := 0; i < 12000; i += 1 + i%3 {
			if i%4 <= pass {
				continue
			}
			f := Finding{Rule: RuleXDuplicateUnit, Severity: SevWarning, Status: "uncertain",
				Message: fmt.Sprintf("某单位 %d年度另有报告（in/%05d.txt），计入汇总的是该报告", 2020+pass, i)}
			switch pass {
			case 1:
				f.Cells = []string{}
				f.Severity, f.Culprit, f.Place = SevInfo, "T3.x", "第2页"
			case 2:
				f.Cells = []string{"T1.a", "", "T3.总计.新收"}
			}
			fs = append(fs, BatchFinding{Report: i, Finding: f})
		}
	}
	return fs
}

// TestFindingStoreRoundTrip adds findings out of report order and reads them back, per report in
// and out of order and all at once, field for field, from memory and from a file spill.
// spillCases are the two backings of a batch's spillLog the store tests run over: none (the bytes
// stay in memory) and a file in the test's temporary folder.
var spillCases = []struct {
	name  string
	spill func(t *testing.T) Spill
}{
	{"memory", func(*testing.T) Spill { return nil }},
	{"file", func(t *testing.T) Spill {
		f, err := os.Create(filepath.Join(t.TempDir(), "batch.spill"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}},
}

func TestFindingStoreRoundTrip(t *testing.T) {
	fs := testFindings()
	want := map[int][]Finding{}
	for _, f := range fs {
		want[f.Report] = append(want[f.Report], f.Finding)
	}
	for _, tc := range spillCases {
		t.Run(tc.name, func(t *testing.T) {
			s := newFindingStore(tc.spill(t))
			for k := range fs {
				s.add(fs[k].Report, &fs[k].Finding)
			}
			if err := s.done(); err != nil {
				t.Fatal(err)
			}
			if len(s.index) != len(fs) {
				t.Errorf("%d findings indexed, want %d", len(s.index), len(fs))
			}
			if tc.name == "file" && len(s.log.buf) != 0 {
				t.Errorf("%d bytes still in memory after finish", len(s.log.buf))
			}
			check := func(i int) {
				t.Helper()
				got, err := s.of(i)
				if err != nil || !reflect.DeepEqual(got, want[i]) {
					t.Fatalf("report %d: got %#v, %v; want %#v", i, got, err, want[i])
				}
			}
			for i := -1; i <= 12001; i++ {
				check(i)
			}
			for i := 12001; i >= 0; i -= 7 {
				check(i)
			}
			var all []BatchFinding
			for f, err := range s.all() {
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, f)
			}
			if len(all) != len(fs) {
				t.Fatalf("all: %d findings, want %d", len(all), len(fs))
			}
			for k := range all {
				if k > 0 && all[k].Report < all[k-1].Report {
					t.Fatalf("all: report %d after %d", all[k].Report, all[k-1].Report)
				}
			}
		})
	}
	empty := newFindingStore(nil)
	if err := empty.done(); err != nil {
		t.Fatal(err)
	}
	if got, err := empty.of(0); got != nil || err != nil {
		t.Errorf("empty store: %v %v", got, err)
	}
}

// newFindingStore is a findingStore with a log of its own, as a Batch's shares its with the rollups.
func newFindingStore(spill Spill) *findingStore {
	return &findingStore{log: &spillLog{spill: spill}}
}

// done finishes the store and its log, as Decide does.
func (s *findingStore) done() error {
	return cmp.Or(s.finish(), s.log.finish())
}

// batchFindingsOf is b.FindingsOf for tests, where the store is in memory.
func batchFindingsOf(t testing.TB, b *Batch, i int) []Finding {
	t.Helper()
	fs, err := b.FindingsOf(i)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// failingSpill fails its writes after limit bytes and every read.
type failingSpill struct{ limit, written int }

func (f *failingSpill) Write(p []byte) (int, error) {
	if f.written+len(p) > f.limit {
		return 0, errors.New("disk full")
	}
	f.written += len(p)
	return len(p), nil
}

func (f *failingSpill) ReadAt(p []byte, off int64) (int, error) {
	return 0, errors.New("input/output error")
}

// TestFindingStoreSpillErrors: a spill that cannot be written fails finish (so Decide), and one that
// cannot be read back fails the read naming the report, never an empty list.
func TestFindingStoreSpillErrors(t *testing.T) {
	fs := testFindings()
	full := newFindingStore(&failingSpill{limit: spillChunk})
	for k := range fs {
		full.add(fs[k].Report, &fs[k].Finding)
	}
	if err := full.done(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("finish on a full spill: %v", err)
	}
	unreadable := newFindingStore(&failingSpill{limit: 1 << 30})
	unreadable.add(7, &fs[0].Finding)
	if err := unreadable.done(); err != nil {
		t.Fatal(err)
	}
	if got, err := unreadable.of(7); err == nil || got != nil || !strings.Contains(err.Error(), "report 7") {
		t.Errorf("of on an unreadable spill: %v, %v", got, err)
	}
	for _, err := range unreadable.all() {
		if err == nil {
			t.Error("all on an unreadable spill yielded no error")
		}
	}
}

// FuzzDecodeFinding: any bytes decode to a finding or an error, never a panic, and what encodes
// decodes back to itself.
func FuzzDecodeFinding(f *testing.F) {
	for _, bf := range testFindings()[:3] {
		f.Add(string(encodeFinding(nil, &bf.Finding)), "", "")
	}
	f.Add("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", "a", "b")
	f.Fuzz(func(t *testing.T, raw, msg, cell string) {
		if g, err := decodeFinding(raw); err == nil {
			// Varints have more than one spelling: compare decoded values, not bytes.
			if again, err := decodeFinding(string(encodeFinding(nil, &g))); err != nil || !reflect.DeepEqual(again, g) {
				t.Errorf("%q decodes to %#v, which re-encodes to %#v, %v", raw, g, again, err)
			}
		}
		in := Finding{Rule: "R", Severity: SevError, Message: msg, Cells: []string{cell, msg}}
		out, err := decodeFinding(string(encodeFinding(nil, &in)))
		if err != nil || !reflect.DeepEqual(out, in) {
			t.Errorf("%#v round-trips to %#v, %v", in, out, err)
		}
	})
}

// countingSpill is a file spill that counts its reads.
type countingSpill struct {
	*os.File
	reads int
}

func (c *countingSpill) ReadAt(p []byte, off int64) (int, error) {
	c.reads++
	return c.File.ReadAt(p, off)
}

// TestFindingStoreRuns: of reads each run of a report's findings that lie end to end in one read
// and decodes the same findings as reading them one by one; all, through its windows (one a pass
// that made findings), yields the same findings as one-by-one reads too.
func TestFindingStoreRuns(t *testing.T) {
	const reports = 3000
	f, err := os.Create(filepath.Join(t.TempDir(), "batch.spill"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	spill := &countingSpill{File: f}
	s := newFindingStore(spill)
	// The even passes each make one to three findings, in a run, for a quarter of the reports;
	// the odd passes one every few reports, which breaks the runs of the reports they touch.
	for pass := range logWindows - 1 {
		for i := range reports {
			n := 0
			if i%4 == pass/2 {
				n = 1 + i%3
			}
			if pass%2 == 1 {
				n = 0
				if i%(pass+2) == 0 {
					n = 1
				}
			}
			for k := range n {
				f := Finding{Rule: fmt.Sprintf("R%d", pass), Severity: SevWarning,
					Message: fmt.Sprintf("报告 %d 第 %d 条 %s", i, k, strings.Repeat("长", (i*7+k)%40))}
				if k == 1 {
					f.Cells = []string{"T3.a", ""}
				}
				if k == 2 {
					f.Cells = []string{}
				}
				s.add(i, &f)
			}
		}
	}
	if err := s.done(); err != nil {
		t.Fatal(err)
	}
	oneByOne := func(i int) (out []Finding, runs int) {
		for k, ref := range s.index {
			if int(ref.report) != i {
				continue
			}
			f, err := s.read(ref)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, f)
			if k == 0 || s.index[k-1].report != ref.report || s.index[k-1].off+int64(s.index[k-1].len) != ref.off {
				runs++
			}
		}
		return out, runs
	}
	split := 0
	var want []BatchFinding
	for i := range reports {
		w, runs := oneByOne(i)
		if runs > 1 {
			split++
		}
		before := spill.reads
		got, err := s.of(i)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, w) {
			t.Fatalf("report %d: of gives %#v, one by one %#v", i, got, w)
		}
		if reads := spill.reads - before; reads != runs {
			t.Errorf("report %d: %d reads for %d runs of findings", i, reads, runs)
		}
		for _, f := range w {
			want = append(want, BatchFinding{Report: i, Finding: f})
		}
	}
	if split == 0 || split == reports {
		t.Fatalf("%d of %d reports have findings in more than one run: the test covers one case only", split, reports)
	}
	before := spill.reads
	var got []BatchFinding
	for f, err := range s.all() {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, f)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("all differs from reading one by one")
	}
	if reads := spill.reads - before; reads > len(want)/20 {
		t.Errorf("all read the spill %d times for %d findings", reads, len(want))
	}
	t.Logf("%d findings, %d reports split, all: %d reads", len(want), split, spill.reads-before)
}
