package pipeline

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
)

// spillTestInput is input i of a summary, with every field of InputSummary set on some inputs.
func spillTestInput(i int) InputSummary {
	in := InputSummary{Path: fmt.Sprintf("深圳/in-%06d.txt", i), SHA256: fmt.Sprintf("%064x", i*7919), Bytes: int64(1000 + i),
		Format: "text", Encoding: "utf-8", Status: InputOK, Reports: 1 + i%3, ElapsedMS: float64(i%97) / 10,
		Findings: FindingCounts{Error: i % 2, Warning: i % 5, Info: i % 3}, DuplicateReports: i % 4}
	switch i % 7 {
	case 3:
		in.Status, in.Reports, in.Format = InputRejected, 0, ""
		in.Reject = &RejectInfo{Stage: StageExtract, Place: "表三", Reason: "table 3: <no rows> & \"quoted\"\n"}
	case 5:
		in.Cached, in.SHA256 = true, ""
	}
	return in
}

// TestSpilledInputs adds the same inputs to a summary held in memory and to one that spills them,
// changes their counters as the batch stage and the reuse of outputs do, and wants the same
// Inputs, totals, input hash and run.json bytes back; the spill file is gone afterwards.
func TestSpilledInputs(t *testing.T) {
	for _, n := range []int{0, 1, 2000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			dir := t.TempDir()
			mem, spilled := &Summary{Inputs: []InputSummary{}, Outputs: []Output{}}, &Summary{Inputs: []InputSummary{}, Outputs: []Output{}}
			if err := spilled.spillInputs(dir); err != nil {
				t.Fatal(err)
			}
			for i := range n {
				for _, s := range []*Summary{mem, spilled} {
					if err := s.addInput(spillTestInput(i)); err != nil {
						t.Fatal(err)
					}
				}
			}
			if len(spilled.Inputs) != 0 {
				t.Fatalf("%d inputs in memory while spilled", len(spilled.Inputs))
			}
			for _, s := range []*Summary{mem, spilled} {
				if s.numInputs() != n {
					t.Fatalf("numInputs %d, want %d", s.numInputs(), n)
				}
				for i := 0; i < n; i += 3 {
					s.addCounts(i, FindingCounts{Warning: 1, Info: 2}, 1)
				}
				for i := 1; i < n; i += 11 {
					s.setCounts(i, FindingCounts{Error: i}, i%5)
				}
			}
			hm, err := mem.inputHash()
			if err != nil {
				t.Fatal(err)
			}
			hs, err := spilled.inputHash()
			if err != nil {
				t.Fatal(err)
			}
			if hm != hs || hm != inputSetHash(mem.Inputs) {
				t.Errorf("input hash %s spilled, %s in memory", hs, hm)
			}
			if err := spilled.unspill(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(dir, inputsSpillName)); !os.IsNotExist(err) {
				t.Errorf("spill file left behind: %v", err)
			}
			if !reflect.DeepEqual(spilled.Inputs, mem.Inputs) || spilled.Totals != mem.Totals {
				t.Fatalf("spilled inputs differ from the ones kept in memory")
			}
			a, err := mem.marshal()
			if err != nil {
				t.Fatal(err)
			}
			b, err := spilled.marshal()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("run.json differs:\n%s\nwant\n%s", b, a)
			}
		})
	}
}

// TestSpilledInputsMemory bounds what a summary keeps per input while the inputs are spilled: their
// counters, not their paths and hashes (~250 bytes an input in memory).
func TestSpilledInputsMemory(t *testing.T) {
	const n = 50_000
	s := &Summary{}
	if err := s.spillInputs(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range n {
		if err := s.addInput(spillTestInput(i)); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / n
	t.Logf("%.1f bytes per spilled input", per)
	if per > 40 {
		t.Errorf("the summary keeps %.0f bytes per spilled input, want under 40", per)
	}
	runtime.KeepAlive(s)
	if err := s.unspill(); err != nil {
		t.Fatal(err)
	}
}
