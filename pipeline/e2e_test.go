package pipeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/fixtures/synth"
)

// TestRunRealStages drives extract, transform and load over the seed, synthetic reports and a file
// that is not a report, twice, and checks that the same inputs give the same data files.
func TestRunRealStages(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("..", "fixtures", "seed", "input.txt"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"seed/input.txt":      string(seed),
		"bad/input.txt":       "\x00\x01\x02 not a report \x00",
		"seed/input-copy.txt": string(seed),
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 5 {
		files[fmt.Sprintf("synth/%d/input.txt", i)] = string(synth.Random(rng).Render(synth.Tabs))
	}
	root := t.TempDir()
	in := filepath.Join(root, "in")
	writeFiles(t, in, files)

	var runs [2]*Summary
	for i := range runs {
		res, err := Run(context.Background(), Config{In: in, Out: filepath.Join(root, fmt.Sprint("out", i)), Workers: 2, Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		runs[i] = res.Summary
	}
	sum := runs[0]
	if sum.Totals.Reports != 6 || sum.Totals.Rejected != 2 || sum.Totals.Duplicates != 1 || sum.Status != StatusPartial {
		t.Errorf("totals %+v status %s, want 6 reports, the bad file and the copy rejected", sum.Totals, sum.Status)
	}
	for _, x := range sum.Inputs {
		if filepath.Base(filepath.Dir(x.Path)) == "bad" && (x.Reject == nil || x.Reject.Stage != StageExtract) {
			t.Errorf("bad input: %+v, want rejected at stage extract", x)
		}
	}
	if len(sum.Outputs) == 0 {
		t.Fatal("no outputs")
	}
	sums := func(s *Summary) []string {
		var l []string
		for _, o := range s.Outputs {
			l = append(l, o.Path+" "+o.SHA256)
			if _, err := os.Stat(filepath.Join(s.Out, filepath.FromSlash(o.Path))); err != nil {
				t.Errorf("output %s not in place: %v", o.Path, err)
			}
		}
		return l
	}
	if a, b := sums(runs[0]), sums(runs[1]); !slices.Equal(a, b) {
		t.Errorf("same inputs, different data files:\n%v\n%v", a, b)
	}
}

// TestRunInputsChangeDuringTheRun changes inputs after discovery, before they are read: each
// becomes a reject naming what happened, the others are committed.
func TestRunInputsChangeDuringTheRun(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("..", "fixtures", "seed", "input.txt"))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(8, 8))
	files := map[string]string{"a.txt": string(seed)}
	for _, name := range []string{"b.txt", "c.txt", "d.txt", "e.txt", "f.txt"} {
		files[name] = string(synth.Random(rng).Render(synth.Tabs))
	}
	root := t.TempDir()
	in := filepath.Join(root, "in")
	writeFiles(t, in, files)
	change := map[string]func(path string) error{
		"b.txt": os.Remove,
		"c.txt": func(p string) error { os.Remove(p); return os.Mkdir(p, 0o755) },
		"d.txt": func(p string) error { return os.Truncate(p, 0) },
		"e.txt": func(p string) error { return os.Chmod(p, 0) },
		"f.txt": func(p string) error { os.Remove(p); return mkfifo(p) },
	}
	want := map[string]string{
		"b.txt": "no such file or directory",
		"c.txt": "not a regular file",
		"d.txt": "empty file",
		"e.txt": "permission denied",
		"f.txt": "not a regular file", // a named pipe: refused, not waited on
	}
	if os.Geteuid() == 0 {
		// root reads a file whatever its mode: the chmod changes nothing for this run.
		delete(want, "e.txt")
	}
	lim := extract.DefaultLimits()
	cfg := Config{In: in, Out: filepath.Join(root, "out"), Workers: 1, Version: "test", MaxRejects: 10}
	cfg.Stages.Extract = func(ctx context.Context, path string, data []byte) (*extract.Document, error) {
		if filepath.Base(path) == "a.txt" { // inputs are read in order on one worker: a before the others
			for name, f := range change {
				if err := f(filepath.Join(in, name)); err != nil {
					t.Error(err)
				}
			}
		}
		return extract.Read(ctx, path, data, lim)
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, x := range res.Summary.Inputs {
		if x.Reject != nil {
			got[filepath.Base(x.Path)] = x.Reject.Stage + ": " + x.Reject.Reason
		}
	}
	for name, reason := range want {
		if !strings.Contains(got[name], reason) {
			t.Errorf("%s: reject %q, want one saying %q", name, got[name], reason)
		}
	}
	if len(got) != len(want) || res.Summary.Totals.Reports != 6-len(want) {
		t.Errorf("rejects %v, %d reports; want %d rejects and the rest committed", got, res.Summary.Totals.Reports, len(want))
	}
}
