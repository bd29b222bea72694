package pipeline

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govreports/govreports/fixtures/synth"
)

// TestRunRealStages drives extract, transform and load over the seed, synthetic reports and a file
// that is not a report, on one worker and on three, and checks that the same inputs give the same
// data files and that the report store is gone.
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
		res, err := Run(context.Background(), Config{In: in, Out: filepath.Join(root, fmt.Sprint("out", i)), Workers: 1 + 2*i, Version: "test"})
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
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == spillName {
			t.Errorf("the report store was left at %s", p)
		}
		return err
	})
}
