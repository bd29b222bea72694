package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

func TestRunKeepsInputOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	files := map[string]string{}
	idOf := map[string]string{}
	for i := range 40 {
		// Folder names sort differently from a depth-first walk ("d-1" < "d/…"), which the
		// order must follow too.
		name := fmt.Sprintf("d%s/f%03d.txt", []string{"", "-1", "/x"}[i%3], 40-i)
		files[name] = fmt.Sprintf("id:r%02d sleep:%d", i, rng.IntN(6))
		idOf[name] = fmt.Sprintf("2024/r%02d", i)
	}
	names := slices.Sorted(mapsKeys(files))
	var want []string
	for _, n := range names {
		want = append(want, idOf[n])
	}

	h := newHarness(t, files)
	cfg := h.config()
	cfg.Workers, cfg.Window = 4, 2
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if got := h.sink().ids; !slices.Equal(got, want) {
		t.Errorf("reports reached the writers in the order\n%v\nwant input order\n%v", got, want)
	}
	sum := readSummary(t, filepath.Join(h.out, summaryFile))
	for i, in := range sum.Inputs {
		if want := filepath.Join(h.in, filepath.FromSlash(names[i])); in.Path != want {
			t.Errorf("run.json input %d is %s, want %s", i, in.Path, want)
		}
	}
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestRunRejectsBadInputsAndGoesOn(t *testing.T) {
	h := newHarness(t, map[string]string{
		"a.txt":     "id:a",
		"b.txt":     "fail",
		"c.txt":     "panic",
		"d.txt":     "id:d",
		"large.txt": "id:large " + strings.Repeat("x", 200),
	})
	cfg := h.config()
	cfg.Limits = extract.DefaultLimits()
	cfg.Limits.MaxBytes = 100
	cfg.MaxRejects = 2
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.sink().ids, []string{"2024/a", "2024/d"}; !slices.Equal(got, want) {
		t.Errorf("written reports %v, want %v", got, want)
	}
	if !res.TooManyRejects {
		t.Error("3 rejects with --max-rejects 2: TooManyRejects not set")
	}
	if _, err := os.Stat(filepath.Join(h.out, successFile)); err != nil {
		t.Errorf("outputs not committed despite rejects: %v", err)
	}
	wantRejects := []struct{ file, stage, place, reason string }{
		{"b.txt", StageTransform, "3:7", "no Table 3"},
		{"c.txt", StageTransform, "", "internal error, please report it: fake stage exploded"},
		{"large.txt", StageRead, "", "limit 100"},
	}
	rejects := h.sink().rejects
	if len(rejects) != len(wantRejects) {
		t.Fatalf("rejects %+v, want %d", rejects, len(wantRejects))
	}
	sum := readSummary(t, filepath.Join(h.out, summaryFile))
	for i, w := range wantRejects {
		r := rejects[i]
		if r.Path != filepath.Join(h.in, w.file) || r.Stage != w.stage || r.Place != w.place || !strings.Contains(r.Reason, w.reason) {
			t.Errorf("reject %d = %+v, want %s at %s %q with %q", i, r, w.file, w.stage, w.place, w.reason)
		}
		var in *InputSummary
		for j := range sum.Inputs {
			if sum.Inputs[j].Path == r.Path {
				in = &sum.Inputs[j]
			}
		}
		if in == nil || in.Status != InputRejected || in.Reject == nil || *in.Reject != r.RejectInfo {
			t.Errorf("run.json entry of %s = %+v, want status rejected with %+v", w.file, in, r.RejectInfo)
		}
	}
	if sum.Status != StatusPartial || sum.Totals.Rejected != 3 || sum.Totals.Reports != 2 {
		t.Errorf("status %s, totals %+v; want partial with 3 rejected and 2 reports", sum.Status, sum.Totals)
	}

	cfg.MaxRejects = 3
	if res, err := Run(context.Background(), cfg); err != nil || res.TooManyRejects {
		t.Errorf("3 rejects with --max-rejects 3: TooManyRejects=%v err=%v, want neither", res.TooManyRejects, err)
	}
}

func TestRunRejectsFileThatVanishes(t *testing.T) {
	h := newHarness(t, map[string]string{"a.txt": "id:a", "b.txt": "id:b", "c.txt": "id:c"})
	cfg := h.config()
	cfg.Workers = 1 // b is opened only after a is done
	cfg.Stages = fakeStages(func(path string) {
		if filepath.Base(path) == "a.txt" {
			os.Remove(filepath.Join(h.in, "b.txt"))
		}
	})
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if got, want := h.sink().ids, []string{"2024/a", "2024/c"}; !slices.Equal(got, want) {
		t.Errorf("written %v, want %v", got, want)
	}
	rejects := h.sink().rejects
	if len(rejects) != 1 || rejects[0].Stage != StageRead || !strings.Contains(rejects[0].Reason, "no such file") ||
		strings.Contains(rejects[0].Reason, h.in) {
		t.Errorf("rejects %+v, want b.txt at stage read saying it does not exist (without repeating the path)", rejects)
	}
}

func TestRunDetectsDuplicates(t *testing.T) {
	h := newHarness(t, map[string]string{
		"a.txt":      "id:x",
		"b/copy.txt": "id:x",              // same bytes as a.txt
		"c.txt":      "id:x (re-encoded)", // other bytes, same report
		"d.txt":      "id:w reports:2",    // a workbook of two reports
		"e.txt":      "id:w reports:2 (again)",
	})
	cfg := h.config()
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if got, want := h.sink().ids, []string{"2024/x", "2024/w-1", "2024/w-2"}; !slices.Equal(got, want) {
		t.Errorf("written %v, want each report once: %v", got, want)
	}
	sum := readSummary(t, filepath.Join(h.out, summaryFile))
	byPath := map[string]InputSummary{}
	for _, in := range sum.Inputs {
		byPath[strings.TrimPrefix(filepath.ToSlash(in.Path), filepath.ToSlash(h.in)+"/")] = in
	}
	first := filepath.Join(h.in, "a.txt")
	for _, c := range []struct{ file, reason string }{
		{"b/copy.txt", "same content as " + first},
		{"c.txt", "already read from " + first},
		{"e.txt", "already read from " + filepath.Join(h.in, "d.txt")},
	} {
		in := byPath[c.file]
		if in.Status != InputDuplicate || in.Reject == nil || in.Reject.Stage != StageDedupe || !strings.Contains(in.Reject.Reason, c.reason) {
			t.Errorf("%s: %+v, want a duplicate whose reason names %q", c.file, in, c.reason)
		}
	}
	if sum.Totals.Duplicates != 3 || sum.Totals.Rejected != 3 {
		t.Errorf("totals %+v, want 3 duplicates counted as rejected", sum.Totals)
	}
	// e.txt gives two reports, each refused: one reject row per report, placed by its unit.
	if n := len(h.sink().rejects); n != 4 {
		t.Errorf("%d reject rows, want 4 (b, c and both reports of e)", n)
	}
}

func TestRunRejectsReportTheWritersRefuse(t *testing.T) {
	h := newHarness(t, map[string]string{"a.txt": "id:a", "b.txt": "id:b year:10000"})
	h.configure = func(s *fakeSink) {
		s.refuse = func(r *transform.Report) error {
			if r.Year > 9999 {
				return fmt.Errorf("report %q: year %d out of range", r.ID, r.Year)
			}
			return nil
		}
	}
	if _, err := Run(context.Background(), h.config()); err != nil {
		t.Fatal(err)
	}
	rejects := h.sink().rejects
	if len(rejects) != 1 || rejects[0].Stage != StageLoad || !strings.Contains(rejects[0].Reason, "year 10000") {
		t.Errorf("rejects %+v, want b.txt at stage load", rejects)
	}
}

func TestRunPassesFolderAsCity(t *testing.T) {
	h := newHarness(t, map[string]string{"平顶山市/a.txt": "id:a", "b.txt": "id:b"})
	var cities []string
	cfg := h.config()
	cfg.Stages.Transform = func(ctx context.Context, doc *extract.Document, opt transform.Options) ([]*transform.Report, error) {
		cities = append(cities, opt.DirCity)
		return fakeTransform(ctx, doc, opt)
	}
	cfg.Workers = 1
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if want := []string{"", "平顶山市"}; !slices.Equal(cities, want) {
		t.Errorf("DirCity %q, want %q", cities, want)
	}
}

func TestRunCancelledCommitsNothing(t *testing.T) {
	h := newHarness(t, map[string]string{"a.txt": "id:a year:2023", "b.txt": "id:b"})
	if _, err := Run(context.Background(), h.config()); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, h.out)
	delete(before, lockFile)
	for i := range 20 {
		writeFiles(t, h.in, map[string]string{fmt.Sprintf("n%02d.txt", i): fmt.Sprintf("id:n%d", i)})
	}

	cases := []struct {
		name    string
		status  string
		written bool // the writers were given the batch
		setup   func(cfg *Config, cancel context.CancelFunc)
	}{
		{"while reading", StatusCancelled, false, func(cfg *Config, cancel context.CancelFunc) {
			cfg.Stages = fakeStages(func(path string) {
				if filepath.Base(path) == "n05.txt" {
					cancel()
				}
			})
		}},
		{"while saving", StatusCancelled, true, func(cfg *Config, cancel context.CancelFunc) {
			h.configure = func(s *fakeSink) {
				s.onClose = func(ctx context.Context) error { cancel(); <-ctx.Done(); return ctx.Err() }
			}
		}},
		{"after saving", StatusCancelled, true, func(cfg *Config, cancel context.CancelFunc) {
			h.configure = func(s *fakeSink) { s.onClose = func(context.Context) error { cancel(); return nil } }
		}},
		{"writers fail", StatusFailed, true, func(cfg *Config, cancel context.CancelFunc) {
			h.configure = func(s *fakeSink) { s.onClose = func(context.Context) error { return errors.New("disk full") } }
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.configure = nil
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cfg := h.config()
			c.setup(&cfg, cancel)
			_, err := Run(ctx, cfg)
			if err == nil {
				t.Fatal("Run succeeded")
			}
			if cancelled := errors.Is(err, context.Canceled); cancelled != (c.status == StatusCancelled) {
				t.Errorf("error %v: cancelled=%v, want status %s", err, cancelled, c.status)
			}
			if h.sink().written != c.written {
				t.Errorf("sink written = %v, want %v", h.sink().written, c.written)
			}
			after := snapshot(t, h.out)
			failed := readSummary(t, filepath.Join(h.out, failedSummaryFile))
			if failed.Status != c.status || failed.Error == "" || len(failed.Outputs) != 0 {
				t.Errorf("failed-run.json: status %q error %q outputs %v, want %s with the error", failed.Status, failed.Error, failed.Outputs, c.status)
			}
			delete(after, failedSummaryFile)
			delete(after, lockFile)
			if !mapsEqual(before, after) {
				t.Errorf("previous outputs changed:\nbefore %v\nafter  %v", keys(before), keys(after))
			}
			assertNoLeftovers(t, h.out)
		})
	}

	// The next good run commits and removes the failure record.
	h.configure = nil
	if _, err := Run(context.Background(), h.config()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(h.out, failedSummaryFile)); !os.IsNotExist(err) {
		t.Errorf("failed-run.json still there after a successful run: %v", err)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) []string { return slices.Sorted(mapsKeys(m)) }

func assertNoLeftovers(t *testing.T, out string) {
	t.Helper()
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), stagingPrefix) || strings.HasPrefix(e.Name(), asidePrefix) ||
			strings.HasPrefix(e.Name(), tmpPrefix) || strings.HasSuffix(e.Name(), ".tmp") || e.Name() == intentFile {
			t.Errorf("leftover %s in the output folder", e.Name())
		}
	}
}

func TestRunSecondConcurrentRunHitsTheLock(t *testing.T) {
	h := newHarness(t, map[string]string{"a.txt": "id:a", "b.txt": "id:b"})
	reached, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	first := h.config()
	first.Stages = fakeStages(func(string) {
		once.Do(func() { close(reached) })
		<-release
	})
	done := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), first)
		done <- err
	}()
	<-reached

	second := h.config()
	start := time.Now()
	_, err := Run(context.Background(), second)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "pid") {
		t.Errorf("second run: %v, want ErrLocked naming the holder", err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("second run waited %v for the lock instead of failing fast", waited)
	}
	close(release)
	if err := <-done; err != nil {
		t.Errorf("first run: %v", err)
	}
	if _, err := os.Stat(filepath.Join(h.out, failedSummaryFile)); !os.IsNotExist(err) {
		t.Error("the locked-out run wrote into the folder it did not hold")
	}
	// Once the first run is done the folder is free again.
	if _, err := Run(context.Background(), h.config()); err != nil {
		t.Errorf("run after the lock was released: %v", err)
	}
}

func TestRunBoundsResultsInFlight(t *testing.T) {
	files := map[string]string{}
	for i := range 60 {
		files[fmt.Sprintf("f%02d.txt", i)] = fmt.Sprintf("id:f%02d", i)
	}
	h := newHarness(t, files)
	var started atomic.Int64
	release := make(chan struct{})
	cfg := h.config()
	cfg.Workers, cfg.Window = 2, 3
	cfg.Stages = fakeStages(func(path string) {
		started.Add(1)
		if filepath.Base(path) == "f00.txt" {
			<-release // the collector waits for this one while the others finish
		}
	})
	done := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), cfg)
		done <- err
	}()
	// Let the run go as far as it can while the first file is stuck.
	for last := int64(-1); ; time.Sleep(50 * time.Millisecond) {
		n := started.Load()
		if n == last {
			break
		}
		last = n
	}
	if n, bound := started.Load(), int64(cfg.Window+cfg.Workers); n > bound {
		t.Errorf("%d files read while the first one is pending, want at most window+workers = %d", n, bound)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := len(h.sink().ids); n != 60 {
		t.Errorf("%d reports written, want 60", n)
	}
}

// TestRunBoundsBytesInFlight: with a memory limit that lets one large file in flight at a time,
// four workers read the large files one by one, and the small ones four at once.
func TestRunBoundsBytesInFlight(t *testing.T) {
	files := map[string]string{}
	for i := range 6 {
		files[fmt.Sprintf("big%d.txt", i)] = fmt.Sprintf("id:big%d\n", i) + strings.Repeat("x", 300<<10)
	}
	for i := range 12 {
		files[fmt.Sprintf("small%02d.txt", i)] = fmt.Sprintf("id:small%02d", i)
	}
	h := newHarness(t, files)
	var running, most atomic.Int64
	var mu sync.Mutex
	mostSmall := int64(0)
	cfg := h.config()
	cfg.Workers = 4
	cfg.MemoryLimit = inFlightShare * 4 * minWeight // four small files, or one large one
	read := cfg.Stages.Extract
	cfg.Stages.Extract = func(ctx context.Context, path string, data []byte, sha256 string) (*extract.Document, error) {
		n := running.Add(1)
		defer running.Add(-1)
		mu.Lock()
		if strings.Contains(path, "big") {
			most.Store(max(most.Load(), n))
		} else {
			mostSmall = max(mostSmall, n)
		}
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		return read(ctx, path, data, sha256)
	}
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if n := most.Load(); n != 1 {
		t.Errorf("%d files were read at once with a large one among them, want 1", n)
	}
	if mostSmall < 2 {
		t.Errorf("at most %d small files were read at once, want several", mostSmall)
	}
	if n := len(h.sink().ids); n != 18 {
		t.Errorf("%d reports written, want 18", n)
	}
}

func TestRunSummary(t *testing.T) {
	h := newHarness(t, map[string]string{"x/a.txt": "id:a", "b.txt": "fail"})
	cfg := h.config()
	cfg.MaxRejects = 5
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	sum := readSummary(t, filepath.Join(h.out, summaryFile))
	if !regexp.MustCompile(`^\d{8}T\d{6}Z-[0-9a-f]{8}$`).MatchString(sum.RunID) {
		t.Errorf("run_id %q", sum.RunID)
	}
	if sum.Version != "test" || !slices.Equal(sum.Args, cfg.Args) || sum.In != h.in || sum.Out != h.out {
		t.Errorf("version/args/in/out = %q %q %q %q", sum.Version, sum.Args, sum.In, sum.Out)
	}
	if sum.Started.IsZero() || sum.Finished.Before(sum.Started) || sum.Started.Location() != time.UTC {
		t.Errorf("started %v finished %v, want UTC and in order", sum.Started, sum.Finished)
	}
	if sum.Status != StatusPartial || res.Summary.RunID != sum.RunID {
		t.Errorf("status %q, want partial; result summary %q", sum.Status, res.Summary.RunID)
	}
	content := "id:a"
	okIn := sum.Inputs[1]
	if okIn.Path != filepath.Join(h.in, "x", "a.txt") || okIn.SHA256 != extract.SHA256Hex([]byte(content)) ||
		okIn.Bytes != int64(len(content)) || okIn.Format != "text" || okIn.Encoding != "utf-8" ||
		okIn.Status != InputOK || okIn.Reports != 1 || okIn.Findings != (FindingCounts{Error: 1, Info: 1}) ||
		okIn.Reject != nil || okIn.ElapsedMS < 0 {
		t.Errorf("ok input %+v", okIn)
	}
	bad := sum.Inputs[0]
	if bad.SHA256 != extract.SHA256Hex([]byte("fail")) || bad.Bytes != 4 || bad.Reject == nil || bad.Reject.Place != "3:7" {
		t.Errorf("rejected input %+v, want its hash, size and the place", bad)
	}
	if sum.Totals != (Totals{Inputs: 2, Reports: 1, Rejected: 1, Findings: FindingCounts{Error: 1, Info: 1}}) {
		t.Errorf("totals %+v", sum.Totals)
	}
	if len(sum.Outputs) != 2 {
		t.Fatalf("outputs %+v, want the fake's two files", sum.Outputs)
	}
	for _, o := range sum.Outputs {
		data, err := os.ReadFile(filepath.Join(h.out, filepath.FromSlash(o.Path)))
		if err != nil || extract.SHA256Hex(data) != o.SHA256 || int64(len(data)) != o.Bytes {
			t.Errorf("output %+v does not match the committed file (%v)", o, err)
		}
	}
	if sum.TimingsMS.Total <= 0 || sum.TimingsMS.ExtractTransform <= 0 || sum.ReportsPerSecond <= 0 || sum.PeakRSSBytes <= 0 {
		t.Errorf("timings %+v, reports/s %v, peak RSS %d: want them measured", sum.TimingsMS, sum.ReportsPerSecond, sum.PeakRSSBytes)
	}
	if s := h.sink(); s.opt.CreatedBy != "govreports test" || len(s.inputHash) != 64 || s.inputHash != sum.InputHash {
		t.Errorf("sink options %+v, input hash %q (run.json %q)", s.opt, s.inputHash, sum.InputHash)
	}
}

func TestRunReplacesPreviousOutputs(t *testing.T) {
	h := newHarness(t, map[string]string{"a.txt": "id:a year:2023", "b.txt": "id:b"})
	if _, err := Run(context.Background(), h.config()); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(h.in, "a.txt"))
	writeFiles(t, h.out, map[string]string{
		failedSummaryFile:            "{}",
		".staging-crashed/parquet/x": "half written",
		"notes.txt":                  "a user's file",
	})
	if _, err := Run(context.Background(), h.config()); err != nil {
		t.Fatal(err)
	}
	got := keys(snapshot(t, h.out))
	want := []string{lockFile, successFile, "govreports-2024.xlsx", "notes.txt", "parquet/reports/year=2024/part-00000.parquet", summaryFile}
	if !slices.Equal(got, want) {
		t.Errorf("output folder %v, want %v (2023 outputs, leftovers and the failure record gone)", got, want)
	}
}

func TestRunConfigErrors(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"in/a.txt": "id:a", "file": "x", "empty/.hidden": "x"})
	base := Config{In: filepath.Join(root, "in"), Out: filepath.Join(root, "out"), NewSink: func(string, SinkOptions) (Sink, error) {
		t.Error("a sink was opened")
		return nil, errors.New("no")
	}}
	cases := []struct {
		name string
		edit func(*Config)
		msg  string
	}{
		{"no input", func(c *Config) { c.In = "" }, "--in"},
		{"missing input", func(c *Config) { c.In = filepath.Join(root, "nope") }, "no such file"},
		{"input is a file", func(c *Config) { c.In = filepath.Join(root, "file") }, "not a folder"},
		{"output is a file", func(c *Config) { c.Out = filepath.Join(root, "file") }, "not a folder"},
		{"bad glob", func(c *Config) { c.Include = []string{"[a"} }, "syntax error"},
		{"negative workers", func(c *Config) { c.Workers = -1 }, "--workers must be 0"},
		{"negative max-rejects", func(c *Config) { c.MaxRejects = -1 }, "--max-rejects must be 0 or more"},
		{"negative limit", func(c *Config) { c.Limits.MaxRows = -5 }, "--max-rows must be 0"},
		{"output is the input", func(c *Config) { c.Out = c.In }, "is the input folder"},
		{"output inside the input", func(c *Config) { c.Out = filepath.Join(c.In, "out") }, "lies inside --in"},
		{"output inside the input through a link", func(c *Config) {
			os.Symlink(c.In, filepath.Join(root, "link"))
			c.Out = filepath.Join(root, "link", "sub", "out")
		}, "lies inside --in"},
		{"input inside the output", func(c *Config) { c.Out = root }, "lies inside --out"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := base
			c.edit(&cfg)
			_, statErr := os.Stat(cfg.Out)
			_, err := Run(context.Background(), cfg)
			var ce *ConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %v, want a ConfigError saying %q", err, c.msg)
			}
			if _, err := os.Stat(cfg.Out); os.IsNotExist(statErr) && err == nil {
				t.Errorf("the output folder %s was created", cfg.Out)
			}
		})
	}
}

// TestRunCountsDuplicateReports: a unit's second report of a year (another file, other numbers) is
// written with X.DUPLICATE_UNIT and left out of the rollups; the summary and the log count it.
func TestRunCountsDuplicateReports(t *testing.T) {
	h := newHarness(t, map[string]string{
		"a.txt": "id:a body:甲局",
		"b.txt": "id:b body:甲局", // the same unit again
		"c.txt": "id:c body:甲局 year:2023",
		"d.txt": "id:d body:乙局",
		"e.txt": "id:d body:乙局 (copy)", // the same report: a duplicate file
	})
	var logs bytes.Buffer
	log := zerolog.New(&logs)
	cfg := h.config()
	cfg.Log = &log
	cfg.MaxRejects = 1
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if tot := res.Summary.Totals; tot.DuplicateReports != 1 || tot.Duplicates != 1 || tot.Reports != 4 {
		t.Errorf("totals %+v, want 4 reports of which 1 duplicate report, and 1 duplicate file", tot)
	}
	var finished map[string]any
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, `"run finished"`) {
			json.Unmarshal([]byte(line), &finished)
		}
	}
	if finished[FieldDuplicateReports] != 1.0 || finished[FieldDuplicateFiles] != 1.0 {
		t.Errorf("the summary line says duplicate_reports=%v duplicate_files=%v, want 1 and 1", finished[FieldDuplicateReports], finished[FieldDuplicateFiles])
	}
	if rps := res.Summary.ReportsPerSecond; rps != math.Round(rps*10)/10 {
		t.Errorf("reports_per_second %v is not rounded to one decimal", rps)
	}
	for _, ms := range []float64{res.Summary.TimingsMS.Total, res.Summary.TimingsMS.Load} {
		if ms != math.Round(ms*10)/10 {
			t.Errorf("timing %v ms is not rounded to a tenth", ms)
		}
	}
}

// TestRunSpillsBatchFindings: the batch stage's findings and rollups wait for the writers in a
// working file of the staging folder, not in the heap, and the file is gone once the run is
// committed.
func TestRunSpillsBatchFindings(t *testing.T) {
	h := newHarness(t, map[string]string{
		"a.txt": "id:a body:甲局",
		"b.txt": "id:b body:甲局", // the same unit again: X.DUPLICATE_UNIT on one of them
	})
	var spilled int64
	var seen []string
	rollups := 0
	h.configure = func(s *fakeSink) {
		s.onClose = func(context.Context) error {
			info, err := os.Stat(filepath.Join(s.dir, batchSpillName))
			if err != nil {
				return err
			}
			spilled = info.Size()
			for i := range s.batch.Decisions {
				got, err := s.batch.FindingsOf(i)
				if err != nil {
					return err
				}
				for _, f := range got {
					seen = append(seen, f.Rule)
				}
			}
			for _, y := range s.batch.RollupYears() {
				for _, l := range transform.RollupLevels {
					gs, err := s.batch.Rollups(y, l)
					if err != nil {
						return err
					}
					rollups += len(gs)
				}
			}
			return nil
		}
	}
	if _, err := Run(context.Background(), h.config()); err != nil {
		t.Fatal(err)
	}
	if spilled == 0 || !slices.Contains(seen, transform.RuleXDuplicateUnit) {
		t.Errorf("spill of %d bytes, findings %v: want X.DUPLICATE_UNIT read back from the spill", spilled, seen)
	}
	if rollups == 0 {
		t.Error("no rollup read back from the spill")
	}
	filepath.WalkDir(h.out, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == batchSpillName {
			t.Errorf("%s left in the output folder", path)
		}
		return nil
	})
}
