package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/pipeline"
)

func TestExitCode(t *testing.T) {
	cases := []struct {
		name      string
		err       error
		res       pipeline.Result
		signalled int
		want      int
	}{
		{"all read", nil, pipeline.Result{}, 0, exitOK},
		{"rejects within the limit", nil, pipeline.Result{TooManyRejects: false}, 0, exitOK},
		{"rejects beyond the limit", nil, pipeline.Result{TooManyRejects: true}, 0, exitRejects},
		{"committed although a signal came late", nil, pipeline.Result{}, exitTerminated, exitOK},
		{"config", &pipeline.ConfigError{Err: errors.New("no --in")}, pipeline.Result{}, 0, exitUsage},
		{"locked", fmt.Errorf("x: %w", pipeline.ErrLocked), pipeline.Result{}, 0, exitFatal},
		{"fatal", errors.New("disk full"), pipeline.Result{}, 0, exitFatal},
		{"refused: a bad night", fmt.Errorf("%w: no report was read", pipeline.ErrRefused), pipeline.Result{}, 0, exitRejects},
		{"SIGINT", fmt.Errorf("read: %w", context.Canceled), pipeline.Result{}, exitInterrupted, exitInterrupted},
		{"SIGTERM", context.Canceled, pipeline.Result{}, exitTerminated, exitTerminated},
		{"cancelled without a signal", context.Canceled, pipeline.Result{}, 0, exitInterrupted},
	}
	for _, c := range cases {
		if got := exitCode(c.err, c.res, c.signalled); got != c.want {
			t.Errorf("%s: exit code %d, want %d", c.name, got, c.want)
		}
	}
}

// cli runs the command in-process and returns its exit code, stdout and stderr.
func cli(t *testing.T, ctx context.Context, signal int, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runCLI(ctx, args, cliEnv{stdout: &stdout, stderr: &stderr, signalled: func() int { return signal }})
	return code, stdout.String(), stderr.String()
}

func TestUsage(t *testing.T) {
	cases := []struct {
		args []string
		code int
		out  string // in stdout or stderr
	}{
		{[]string{"help"}, exitOK, "Exit codes"},
		{[]string{"help"}, exitOK, "143"},
		{nil, exitUsage, "Usage:"},
		{[]string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
		{[]string{"run", "--bogus"}, exitUsage, "flag provided but not defined"},
		{[]string{"run", "--out", "x"}, exitUsage, "--in"},
		{[]string{"run", "--in", ".", "--out", "x", "--progress", "sometimes"}, exitUsage, "--progress"},
		{[]string{"run", "--in", ".", "--out", "x", "--log-format", "xml"}, exitUsage, "--log-format"},
		{[]string{"run", "--in", ".", "--out", "x", "--log-level", "loud"}, exitUsage, "--log-level"},
		{[]string{"run", "--in", ".", "--out", "x", "stray"}, exitUsage, "unexpected arguments"},
		{[]string{"run", "--in", ".", "--out", "../x", "--history", "no/such/folder"}, exitUsage, "history folder"},
		{[]string{"extract"}, exitUsage, "no files"},
		{[]string{"gen", "--n", "3"}, exitUsage, "--out"},
		{[]string{"gen", "--n", "3", "--out", "x", "--layout", "wavy"}, exitUsage, "unknown layout"},
		{[]string{"gen", "--n", "3", "--city", "平顶山市", "--out", "x"}, exitUsage, "either --n"},
		{[]string{"gen", "--city", "平顶山市", "--years", "2025-2023", "--out", "x"}, exitUsage, "FIRST-LAST"},
		{[]string{"gen", "--city", "样例市", "--out", "x"}, exitUsage, "not a prefecture-level city"},
		{[]string{"gen", "--city", "平顶山市", "--years", "2019-2020", "--out", "x"}, exitUsage, "2021 format"},
		{[]string{"version"}, exitOK, "govreports dev (schema "},
	}
	for _, c := range cases {
		code, stdout, stderr := cli(t, context.Background(), 0, c.args...)
		if code != c.code || !strings.Contains(stdout+stderr, c.out) {
			t.Errorf("%q: exit %d, output %q; want exit %d mentioning %q", c.args, code, stdout+stderr, c.code, c.out)
		}
	}
}

func TestGenThenRun(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if code, _, stderr := cli(t, context.Background(), 0, "gen", "--n", "30", "--out", in, "--seed", "3"); code != exitOK {
		t.Fatalf("gen: exit %d: %s", code, stderr)
	}
	entries, _ := os.ReadDir(in)
	seen := map[string]bool{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(in, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		seen[extract.SHA256Hex(data)] = true
	}
	if len(entries) != 30 || len(seen) != 30 {
		t.Fatalf("gen wrote %d files with %d distinct contents, want 30 distinct", len(entries), len(seen))
	}

	// A file that is not a report is rejected and logged; the outputs are committed, and exit 0
	// says --max-rejects tolerates it (without the flag the same run would exit 3, as TestExitCode
	// and the pipeline tests show). One real run only: Parquet writing is slow under -race.
	os.WriteFile(filepath.Join(in, "broken.txt"), []byte("\x00\x00binary\x00"), 0o644)
	code, _, stderr := cli(t, context.Background(), 0, "run", "--in", in, "--out", out, "--max-rejects", "1",
		"--memory-limit", "300MiB", "--max-built", "64MiB")
	if code != exitOK {
		t.Fatalf("run with one reject and --max-rejects 1: exit %d: %s", code, stderr)
	}
	// The floor make bench compares a run with counts every file and byte.
	code, stdout, _ := cli(t, context.Background(), 0, "bench-floor", in)
	var total int64
	for _, e := range entries {
		info, _ := e.Info()
		total += info.Size()
	}
	total += int64(len("\x00\x00binary\x00"))
	if want := fmt.Sprintf("floor files=31 bytes=%d seconds=", total); code != exitOK || !strings.HasPrefix(stdout, want) {
		t.Errorf("bench-floor: exit %d, %q, want %q…", code, stdout, want)
	}
	if code, _, _ := cli(t, context.Background(), 0, "bench-floor"); code != exitUsage {
		t.Errorf("bench-floor without a folder: exit %d", code)
	}
	if code, _, _ := cli(t, context.Background(), 0, "bench-floor", filepath.Join(dir, "missing")); code != exitFatal {
		t.Errorf("bench-floor of a missing folder: exit %d", code)
	}

	var sum pipeline.Summary
	data, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil || json.Unmarshal(data, &sum) != nil {
		t.Fatalf("run.json: %v", err)
	}
	if sum.Totals.Reports != 30 || sum.Totals.Rejected != 1 || sum.Args[0] != "run" || sum.Status != pipeline.StatusPartial {
		t.Errorf("run.json status %s totals %+v args %q, want partial with 30 reports and 1 reject", sum.Status, sum.Totals, sum.Args)
	}
	rejectLogged := false
	sc := bufio.NewScanner(strings.NewReader(stderr))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("stderr is not a terminal, so logs must be JSON lines: %q", sc.Text())
		}
		if line["message"] == "input rejected" && strings.HasSuffix(fmt.Sprint(line[pipeline.FieldPath]), "broken.txt") &&
			line[pipeline.FieldStage] == pipeline.StageExtract && line["level"] == "warn" {
			rejectLogged = true
		}
	}
	if !rejectLogged {
		t.Errorf("no warn line for the reject in\n%s", stderr)
	}

	// The same run again takes every input from the incremental cache and reuses the outputs;
	// `config` shows --full, which would read every file again.
	code, _, stderr = cli(t, context.Background(), 0, "run", "--in", in, "--out", out, "--max-rejects", "1",
		"--memory-limit", "300MiB", "--max-built", "64MiB")
	data, err = os.ReadFile(filepath.Join(out, "run.json"))
	if code != exitOK || err != nil {
		t.Fatalf("rerun: exit %d (%v): %s", code, err, stderr)
	}
	var again pipeline.Summary
	json.Unmarshal(data, &again)
	if again.Totals.Cached != 31 || again.OutputsFrom != sum.RunID || again.Totals.Reports != 30 {
		t.Errorf("rerun: cached %d, outputs from %q (first run %s), totals %+v; want 31 cached, the outputs reused",
			again.Totals.Cached, again.OutputsFrom, sum.RunID, again.Totals)
	}
	if code, stdout, _ := cli(t, context.Background(), 0, "config", "--full"); code != exitOK || !strings.Contains(stdout, "flag --full") {
		t.Errorf("config --full: exit %d\n%s", code, stdout)
	}

	// A run cancelled by SIGTERM exits 143.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if code, _, _ := cli(t, ctx, exitTerminated, "run", "--in", in, "--out", out); code != exitTerminated {
		t.Errorf("cancelled run: exit %d, want %d", code, exitTerminated)
	}
}

func TestExtract(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("%PDF-1.7 not text"), 0o644)
	missing := filepath.Join(dir, "missing.txt")
	seed := filepath.Join("..", "..", "fixtures", "seed", "input.txt")

	code, stdout, stderr := cli(t, context.Background(), 0, "extract", bad, seed, missing)
	if code != exitFatal {
		t.Errorf("exit %d, want %d when a file cannot be read", code, exitFatal)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("stdout has %d lines, want the seed's one report:\n%s", len(lines), stdout)
	}
	var rep struct {
		Body   string `json:"body"`
		Year   int    `json:"year"`
		Source struct {
			Path string `json:"path"`
		} `json:"source"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &rep); err != nil || rep.Body == "" || rep.Year == 0 || rep.Source.Path != seed {
		t.Errorf("report line %q: %+v %v", lines[0], rep, err)
	}
	for _, name := range []string{bad, missing} {
		if !strings.Contains(stderr, name+":") {
			t.Errorf("stderr does not name %s:\n%s", name, stderr)
		}
	}
	if !strings.Contains(stderr, "PDF") {
		t.Errorf("stderr does not say why bad.txt failed:\n%s", stderr)
	}
}

func TestSchema(t *testing.T) {
	code, plain, _ := cli(t, context.Background(), 0, "schema")
	_, markdown, _ := cli(t, context.Background(), 0, "schema", "--markdown")
	if code != exitOK || !strings.Contains(plain, "reports") || !strings.HasPrefix(markdown, "# ") || plain == markdown {
		t.Errorf("schema: exit %d\nplain %.200q\nmarkdown %.200q", code, plain, markdown)
	}
}

// TestGenPDFThenExtract: gen --layout pdf writes PDF reports, and the program reads them (the PDF
// engine is linked in): extract prints the generated body.
func TestGenPDFThenExtract(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in")
	if code, _, stderr := cli(t, context.Background(), 0, "gen", "--n", "2", "--out", in, "--layout", "pdf"); code != exitOK {
		t.Fatalf("gen: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := cli(t, context.Background(), 0, "extract", filepath.Join(in, "report-00001.pdf"))
	if code != exitOK || !strings.Contains(stdout, "平顶山市城乡一体化示范区") {
		t.Fatalf("extract of a generated PDF: exit %d, stdout %.200s, stderr %s", code, stdout, stderr)
	}
}

// TestGenCity: gen --city writes the city's reports and manifest, the same bytes each time, the
// manifest recording the command; a folder that holds something else is refused.
func TestGenCity(t *testing.T) {
	dir := t.TempDir()
	read := func(root string) map[string]string {
		files := map[string]string{}
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			files[filepath.ToSlash(rel)] = string(data)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	var runs [2]map[string]string
	for i := range runs {
		out := filepath.Join(dir, "city")
		code, stdout, stderr := cli(t, context.Background(), 0, "gen", "--city", "410400", "--years", "2024-2025",
			"--units-per-county", "2", "--out", out)
		if code != exitOK || !strings.Contains(stdout, "河南省平顶山市 2024–2025") {
			t.Fatalf("gen --city: exit %d: %s%s", code, stdout, stderr)
		}
		runs[i] = read(out)
	}
	if len(runs[0]) != len(runs[1]) {
		t.Fatalf("two runs wrote %d and %d files", len(runs[0]), len(runs[1]))
	}
	for name, data := range runs[0] {
		if runs[1][name] != data {
			t.Errorf("%s differs between two runs", name)
		}
	}
	var m struct {
		Command string `json:"command"`
		Reports []struct {
			File string `json:"file"`
		} `json:"reports"`
	}
	if err := json.Unmarshal([]byte(runs[0]["manifest.json"]), &m); err != nil {
		t.Fatal(err)
	}
	if want := "govreports gen --city 410400 --years 2024-2025 --seed 1 --units-per-county 2 --out "; !strings.HasPrefix(m.Command, want) {
		t.Errorf("manifest command %q, want it to start with %q", m.Command, want)
	}
	for _, r := range m.Reports {
		if _, ok := runs[0][r.File]; !ok {
			t.Errorf("manifest lists %s, which gen did not write", r.File)
		}
	}
	if len(m.Reports) != len(runs[0])-2 { // manifest.json and README.md
		t.Errorf("manifest lists %d reports, gen wrote %d files besides it and the README", len(m.Reports), len(runs[0])-2)
	}

	other := filepath.Join(dir, "other")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "keep.txt"), []byte("mine"), 0o644)
	if code, _, stderr := cli(t, context.Background(), 0, "gen", "--city", "平顶山市", "--out", other); code != exitFatal || !strings.Contains(stderr, "not empty") {
		t.Errorf("gen --city into a folder of other files: exit %d, %s; want it refused", code, stderr)
	}
}
