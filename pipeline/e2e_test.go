package pipeline

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/govreports/govreports/extract"

	"github.com/govreports/govreports/fixtures/synth"
	"github.com/govreports/govreports/transform"
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
	cfg.Stages.Extract = func(ctx context.Context, path string, data []byte, sha256 string) (*extract.Document, error) {
		if filepath.Base(path) == "a.txt" { // inputs are read in order on one worker: a before the others
			for name, f := range change {
				if err := f(filepath.Join(in, name)); err != nil {
					t.Error(err)
				}
			}
		}
		return extract.ReadHashed(ctx, path, data, sha256, lim)
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

// TestRunHistoryCarryOver runs two nights: the first over a unit's 2023 report, the second over its
// 2024 report alone, with the first night's outputs as --history. The 2024 report carries over one
// application more than 2023 carried forward: the second night finds it from the Parquet alone,
// and a night without --history does not.
func TestRunHistoryCarryOver(t *testing.T) {
	const body, city = "淮安市洪泽区财政局", "淮安市"
	r23 := synth.Random(rand.New(rand.NewPCG(23, 23)))
	r24 := synth.Random(rand.New(rand.NewPCG(24, 24)))
	r23.Body, r23.City, r23.Year = body, city, 2023
	r24.Body, r24.City, r24.Year = body, city, 2024
	// 2023 carries forward what 2024 carries over, keeping 2023's identities: new + over = total
	// processed + forward.
	over, fwd, nw := transform.RowCarriedOver, transform.RowCarriedForward, transform.RowNewReceived
	for c := range transform.ColTotal {
		r23.T3[fwd][c] = r24.T3[over][c]
		r23.T3[nw][c] = r23.T3[transform.RowTotalProcessed][c] + r23.T3[fwd][c] - r23.T3[over][c]
		if r23.T3[nw][c] < 0 {
			r23.T3[over][c] -= r23.T3[nw][c]
			r23.T3[nw][c] = 0
		}
	}
	// The planted break: 2024 carries over one natural person's application more (and carries it
	// forward again, so that 2024 itself still balances).
	r24.T3[over][0]++
	r24.T3[fwd][0]++
	for _, r := range []*synth.Report{&r23, &r24} {
		for _, row := range []int{over, fwd, nw} {
			r.T3[row][transform.ColTotal] = 0
			for c := range transform.ColTotal {
				r.T3[row][transform.ColTotal] += r.T3[row][c]
			}
		}
	}
	root := t.TempDir()
	writeFiles(t, filepath.Join(root, "in23"), map[string]string{"finance-2023.txt": string(r23.Render(synth.Tabs))})
	writeFiles(t, filepath.Join(root, "in24"), map[string]string{"finance-2024.txt": string(r24.Render(synth.Tabs))})
	run := func(in, out, history string) []findingRow {
		t.Helper()
		_, err := Run(context.Background(), Config{In: filepath.Join(root, in), Out: filepath.Join(root, out),
			History: history, Workers: 1, Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return readFindings(t, filepath.Join(root, out, "parquet", "findings"))
	}
	for _, f := range run("in23", "out23", "") {
		if f.rule == transform.RuleXCarry || strings.HasPrefix(f.rule, "T3.") {
			t.Errorf("2023 alone: %+v", f)
		}
	}
	if fs := carryFindings(run("in24", "out24-alone", "")); len(fs) != 0 {
		t.Errorf("without --history: %+v", fs)
	}
	// A history folder without outputs yet (the first night) is no reason to fail.
	empty := filepath.Join(root, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if fs := carryFindings(run("in24", "out24-first", empty)); len(fs) != 0 {
		t.Errorf("with an empty history: %+v", fs)
	}
	fs := carryFindings(run("in24", "out24", filepath.Join(root, "out23")))
	want := []string{"table3.carried_over.natural_person", "table3.carried_over.total"}
	if len(fs) != 1 || !slices.Equal(fs[0].cells, want) || fs[0].year != 2024 {
		t.Fatalf("with --history: %+v, want one X.CARRY on %v", fs, want)
	}
	if !strings.Contains(fs[0].message, "finance-2023.txt") {
		t.Errorf("the finding does not name last year's report: %s", fs[0].message)
	}
}

type findingRow struct {
	rule, message string
	year          int64
	cells         []string
}

func carryFindings(fs []findingRow) []findingRow {
	var out []findingRow
	for _, f := range fs {
		if f.rule == transform.RuleXCarry {
			out = append(out, f)
		}
	}
	return out
}

// readFindings reads every partition of the findings table.
func readFindings(t *testing.T, dir string) []findingRow {
	t.Helper()
	var out []findingRow
	eachRecord(t, dir, func(rec arrow.RecordBatch) {
		col := func(name string) arrow.Array { return rec.Column(rec.Schema().FieldIndices(name)[0]) }
		rule, msg := col("rule").(*array.String), col("message").(*array.String)
		year, cells := col("year").(*array.Int64), col("cells").(*array.List)
		vals := cells.ListValues().(*array.String)
		for i := range int(rec.NumRows()) {
			f := findingRow{rule: rule.Value(i), message: msg.Value(i), year: year.Value(i)}
			start, end := cells.ValueOffsets(i)
			for j := start; j < end; j++ {
				f.cells = append(f.cells, vals.Value(int(j)))
			}
			out = append(out, f)
		}
	})
	return out
}

// eachRecord calls fn with every record batch of the Parquet files of a table folder
// (year=*/part-*.parquet); it fails the test when there are none.
func eachRecord(t *testing.T, dir string, fn func(arrow.RecordBatch)) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "year=*", "part-*.parquet"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no files under %s: %v", dir, err)
	}
	for _, p := range paths {
		rdr, err := file.OpenParquetFile(p, false)
		if err != nil {
			t.Fatal(err)
		}
		fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := fr.ReadTable(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		rr := array.NewTableReader(tbl, 0)
		for rr.Next() {
			fn(rr.RecordBatch())
		}
		rr.Release()
		tbl.Release()
		rdr.Close()
	}
}
