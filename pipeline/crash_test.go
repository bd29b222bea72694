//go:build unix

package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests in this file run the real binary, kill it with SIGKILL at every step of a run and of
// its commit, and check after each kill that a reader of the output folder finds one whole
// dataset, that a rerun which is itself cancelled leaves it whole, and that the next good run
// commits.

var binary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

// govreports builds the command once per test binary.
func govreports(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	binary.once.Do(func() {
		binary.dir, binary.err = os.MkdirTemp("", "govreports-bin-")
		if binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "govreports")
		out, err := exec.Command("go", "build", "-o", binary.path, "github.com/govreports/govreports/cmd/govreports").CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

type proc struct {
	cmd    *exec.Cmd
	stderr *safeBuffer
	done   chan struct{}
	code   int
}

// startRun starts "govreports run" with args; pause names a step to stop at, or "".
func startRun(t *testing.T, pause string, wrap []string, args ...string) *proc {
	t.Helper()
	argv := append(append(wrap, govreports(t), "run", "--progress", "never", "--log-format", "json"), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), PauseEnv+"="+pause)
	p := &proc{cmd: cmd, stderr: &safeBuffer{}, done: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.done)
		err := cmd.Wait()
		p.code = cmd.ProcessState.ExitCode()
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled() {
			p.code = -int(ee.Sys().(syscall.WaitStatus).Signal())
		}
	}()
	return p
}

// waitPaused waits until the run logs that it stopped at step.
func (p *proc) waitPaused(t *testing.T, step string) {
	t.Helper()
	want := fmt.Sprintf(`"step":%q`, step)
	deadline := time.After(60 * time.Second)
	for {
		if s := p.stderr.String(); strings.Contains(s, pausedMessage) && strings.Contains(s, want) {
			return
		}
		select {
		case <-p.done:
			t.Fatalf("the run ended (exit %d) before it reached step %s:\n%s", p.code, step, p.stderr)
		case <-deadline:
			p.cmd.Process.Kill()
			t.Fatalf("the run did not reach step %s:\n%s", step, p.stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (p *proc) signal(t *testing.T, sig os.Signal) int {
	t.Helper()
	p.cmd.Process.Signal(sig)
	return p.wait(t)
}

func (p *proc) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(120 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("the run did not end:\n%s", p.stderr)
	}
	return p.code
}

// runToEnd runs the binary and returns its exit code and stderr.
func runToEnd(t *testing.T, args ...string) (int, string) {
	t.Helper()
	p := startRun(t, "", nil, args...)
	return p.wait(t), p.stderr.String()
}

// checkWhole checks what a reader of out finds: run.json through its usual path, and every
// output it lists, byte for byte, through the usual paths, and nothing else under parquet/ or
// among the workbooks. It returns the run id of the dataset found.
func checkWhole(t *testing.T, out string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, summaryFile))
	if err != nil {
		t.Fatalf("a reader finds no run.json: %v", err)
	}
	var sum Summary
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatalf("run.json: %v", err)
	}
	if sum.Status != StatusSucceeded && sum.Status != StatusPartial {
		t.Errorf("run.json of run %s has status %q", sum.RunID, sum.Status)
	}
	if _, err := os.Stat(filepath.Join(out, successFile)); err != nil {
		t.Errorf("a reader finds no _SUCCESS: %v", err)
	}
	if target, err := os.Readlink(filepath.Join(out, currentLink)); err == nil && target != path.Join(datasetsDir, sum.RunID) {
		t.Errorf("current points to %s, but run.json is run %s's", target, sum.RunID)
	}
	listed := map[string]bool{}
	for _, o := range sum.Outputs {
		listed[o.Path] = true
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(o.Path)))
		if err != nil {
			t.Errorf("output %s of run %s: %v", o.Path, sum.RunID, err)
			continue
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != o.SHA256 {
			t.Errorf("output %s is not the file run.json describes", o.Path)
		}
	}
	var found []string
	filepath.WalkDir(filepath.Join(out, "parquet")+"/", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			found = append(found, filepath.ToSlash(rel))
		}
		return nil
	})
	books, _ := filepath.Glob(filepath.Join(out, "govreports-*.xlsx"))
	for _, b := range books {
		if _, err := os.Stat(b); err == nil {
			found = append(found, filepath.Base(b))
		}
	}
	for _, f := range found {
		if !listed[f] {
			t.Errorf("a reader finds %s, which run %s did not write: a mix of two runs", f, sum.RunID)
		}
	}
	if len(sum.Outputs) == 0 || len(found) != len(sum.Outputs) {
		t.Errorf("run %s lists %d outputs, a reader finds %d", sum.RunID, len(sum.Outputs), len(found))
	}
	return sum.RunID
}

// checkClean checks that a good run left nothing behind.
func checkClean(t *testing.T, out string) {
	t.Helper()
	assertNoLeftovers(t, out)
	if _, err := os.Stat(filepath.Join(out, failedSummaryFile)); err == nil {
		t.Error("failed-run.json is still there after a good run")
	}
	if ds, _ := os.ReadDir(filepath.Join(out, datasetsDir)); len(ds) > 2 {
		t.Errorf("%d datasets kept, want the current one and the previous one", len(ds))
	}
}

func genInputs(t *testing.T, dir string, n, seed int) {
	t.Helper()
	cmd := exec.Command(govreports(t), "gen", "--n", fmt.Sprint(n), "--seed", fmt.Sprint(seed), "--out", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen: %v\n%s", err, out)
	}
}

// TestCrashAtEveryStep kills the binary at every step of a run and its commit.
func TestCrashAtEveryStep(t *testing.T) {
	root := t.TempDir()
	inA, inB := filepath.Join(root, "a"), filepath.Join(root, "b")
	genInputs(t, inA, 6, 1)
	genInputs(t, inB, 8, 2)
	// Which dataset a reader finds while the run is stopped, and what the next start does.
	type expect struct {
		newCurrent bool   // the stopped run's outputs are what readers see
		recovery   string // what the next start logs
	}
	steps := map[string]expect{
		stepReading:    {false, RecoveryRolledBack},
		stepSaving:     {false, RecoveryRolledBack},
		stepStaged:     {false, RecoveryRolledBack},
		stepSynced:     {false, RecoveryRolledBack},
		stepSummarised: {false, RecoveryRolledBack},
		stepComplete:   {false, RecoveryRolledForward},
		stepPublished:  {false, RecoveryRolledForward},
		stepLinked:     {false, RecoveryRolledForward},
		stepSwitched:   {true, RecoveryRepaired},
		stepPruned:     {true, ""},
	}
	for _, step := range pauseSteps {
		want, ok := steps[step]
		if !ok {
			continue // recovery's own steps: TestCrashDuringRecovery
		}
		t.Run(step, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if code, stderr := runToEnd(t, "--in", inA, "--out", out); code != 0 {
				t.Fatalf("first run: exit %d\n%s", code, stderr)
			}
			first := checkWhole(t, out)

			p := startRun(t, step, nil, "--in", inB, "--out", out)
			p.waitPaused(t, step)
			got := checkWhole(t, out) // what a reader sees at this instant
			if p.signal(t, syscall.SIGKILL) != -int(syscall.SIGKILL) {
				t.Fatalf("the run was not killed:\n%s", p.stderr)
			}
			if after := checkWhole(t, out); after != got {
				t.Errorf("the kill changed the dataset from %s to %s", got, after)
			}
			if (got != first) != want.newCurrent {
				t.Errorf("stopped at %s, readers see run %s (the first run is %s); want the new run: %v", step, got, first, want.newCurrent)
			}

			// A rerun recovers the folder first, then is cancelled: the folder stays whole. (--full:
			// the inputs are unchanged, and the cache would answer without reading them.)
			c := startRun(t, stepReading, nil, "--in", inA, "--out", out, "--full")
			c.waitPaused(t, stepReading)
			recovered := checkWhole(t, out)
			if code := c.signal(t, os.Interrupt); code != 130 {
				t.Errorf("cancelled rerun: exit %d, want 130\n%s", code, c.stderr)
			}
			if after := checkWhole(t, out); after != recovered {
				t.Errorf("the cancelled rerun changed the dataset from %s to %s", recovered, after)
			}
			if (recovered != first) != (want.newCurrent || want.recovery == RecoveryRolledForward) {
				t.Errorf("after recovery readers see run %s (first %s); rolled forward or switched: %v", recovered, first, want.newCurrent || want.recovery == RecoveryRolledForward)
			}
			logged := strings.Contains(c.stderr.String(), `"action":"`+want.recovery+`"`)
			failed := readSummary(t, filepath.Join(out, failedSummaryFile))
			var actions []string
			for _, r := range failed.Recovery {
				actions = append(actions, r.Action)
			}
			if want.recovery != "" && (!logged || !strings.Contains(strings.Join(actions, " "), want.recovery)) {
				t.Errorf("the rerun did not say it %s (failed-run.json recovery %q):\n%s", want.recovery, actions, c.stderr)
			}
			if failed.Status != StatusCancelled {
				t.Errorf("failed-run.json status %q, want cancelled", failed.Status)
			}

			// A good run commits.
			code, stderr := runToEnd(t, "--in", inB, "--out", out)
			if code != 0 {
				t.Fatalf("good rerun: exit %d\n%s", code, stderr)
			}
			if last := checkWhole(t, out); last == first || last == got || last == recovered {
				t.Errorf("the good rerun's dataset %s is not new", last)
			}
			checkClean(t, out)
		})
	}
}

// TestCrashDuringRecovery kills a run while it repairs the folder after an earlier crash, and
// while it migrates the flat layout of an earlier version.
func TestCrashDuringRecovery(t *testing.T) {
	root := t.TempDir()
	in := filepath.Join(root, "in")
	genInputs(t, in, 6, 3)

	t.Run("rolling forward", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		if code, stderr := runToEnd(t, "--in", in, "--out", out); code != 0 {
			t.Fatal(stderr)
		}
		p := startRun(t, stepComplete, nil, "--in", in, "--out", out)
		p.waitPaused(t, stepComplete)
		p.signal(t, syscall.SIGKILL)
		r := startRun(t, stepRecovered, nil, "--in", in, "--out", out)
		r.waitPaused(t, stepRecovered)
		mid := checkWhole(t, out)
		r.signal(t, syscall.SIGKILL)
		if after := checkWhole(t, out); after != mid {
			t.Errorf("dataset changed from %s to %s", mid, after)
		}
		if code, stderr := runToEnd(t, "--in", in, "--out", out); code != 0 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
		checkWhole(t, out)
		checkClean(t, out)
	})

	t.Run("migrating an earlier version's outputs", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		if code, stderr := runToEnd(t, "--in", in, "--out", out); code != 0 {
			t.Fatal(stderr)
		}
		// Turn the folder into the flat layout of an earlier version.
		flat := filepath.Join(t.TempDir(), "flat")
		if err := os.CopyFS(flat, os.DirFS(filepath.Join(out, currentLink))); err != nil {
			t.Fatal(err)
		}
		os.RemoveAll(out)
		os.Rename(flat, out)
		before := checkWhole(t, out)

		p := startRun(t, stepMigrating, nil, "--in", in, "--out", out)
		p.waitPaused(t, stepMigrating)
		checkWhole(t, out)
		p.signal(t, syscall.SIGKILL)
		if got := checkWhole(t, out); got != before {
			t.Errorf("readers see run %s, want the earlier version's %s", got, before)
		}
		code, stderr := runToEnd(t, "--in", in, "--out", out)
		if code != 0 || !strings.Contains(stderr, `"action":"migrated"`) {
			t.Fatalf("exit %d, want 0 with the migration logged\n%s", code, stderr)
		}
		if got := checkWhole(t, out); got == before {
			t.Error("the run after the migration did not commit")
		}
		checkClean(t, out)
		for _, name := range []string{"parquet", summaryFile, successFile} {
			if target, _ := os.Readlink(filepath.Join(out, name)); target != linkTarget(name) {
				t.Errorf("%s is not a stable path into current after the migration", name)
			}
		}
	})
}

// TestKillAtRandomTimes kills runs at random moments, mid-write included; a reader always finds a
// whole dataset and the next good run commits.
func TestKillAtRandomTimes(t *testing.T) {
	root := t.TempDir()
	inA, inB := filepath.Join(root, "a"), filepath.Join(root, "b")
	genInputs(t, inA, 40, 4)
	genInputs(t, inB, 50, 5)
	out := filepath.Join(root, "out")
	start := time.Now()
	if code, stderr := runToEnd(t, "--in", inA, "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	took := time.Since(start)
	rng := rand.New(rand.NewPCG(9, 9))
	ins := []string{inB, inA}
	for i := range 6 {
		p := startRun(t, "", nil, "--in", ins[i%2], "--out", out)
		after := time.Duration(rng.Int64N(int64(took)))
		time.Sleep(after)
		p.signal(t, syscall.SIGKILL)
		id := checkWhole(t, out)
		t.Logf("killed after %v (a run takes about %v): readers see run %s", after.Round(time.Millisecond), took.Round(time.Millisecond), id)
	}
	if code, stderr := runToEnd(t, "--in", inA, "--out", out); code != 0 {
		t.Fatalf("good rerun: exit %d\n%s", code, stderr)
	}
	checkWhole(t, out)
	checkClean(t, out)
}

// TestOutputFilesystemFailsMidWrite runs the binary with a file size limit (RLIMIT_FSIZE), so that
// writing an output fails after so many bytes as on a full disk: the run fails naming the file,
// commits nothing, and the previous outputs stay whole.
func TestOutputFilesystemFailsMidWrite(t *testing.T) {
	root := t.TempDir()
	in := filepath.Join(root, "in")
	genInputs(t, in, 30, 6)
	out := filepath.Join(root, "out")
	if code, stderr := runToEnd(t, "--in", in, "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	first := checkWhole(t, out)
	var sum Summary
	data, _ := os.ReadFile(filepath.Join(out, summaryFile))
	json.Unmarshal(data, &sum)
	// Fail at the smallest output larger than the summary of the failure, and at the largest.
	var smallest, largest int64 = 1 << 62, 0
	for _, o := range sum.Outputs {
		if o.Bytes > 16<<10 {
			smallest = min(smallest, o.Bytes)
		}
		largest = max(largest, o.Bytes)
	}
	for _, limit := range []int64{smallest - 1, largest - 1} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			blocks := limit / 512 // ulimit -f counts 512-byte blocks
			p := startRun(t, "", []string{"sh", "-c", fmt.Sprintf(`ulimit -f %d && exec "$0" "$@"`, blocks)}, "--in", in, "--out", out, "--full")
			code := p.wait(t)
			stderr := p.stderr.String()
			if code != 1 || !strings.Contains(stderr, "file too large") {
				t.Fatalf("exit %d, want 1 with the write error:\n%s", code, stderr)
			}
			if got := checkWhole(t, out); got != first {
				t.Errorf("readers see run %s, want the previous %s", got, first)
			}
			failed := readSummary(t, filepath.Join(out, failedSummaryFile))
			if failed.Status != StatusFailed || !strings.Contains(failed.Error, "file too large") {
				t.Errorf("failed-run.json: %s %q", failed.Status, failed.Error)
			}
			assertNoLeftovers(t, out)
		})
	}
	if code, stderr := runToEnd(t, "--in", in, "--out", out); code != 0 {
		t.Fatalf("good rerun: exit %d\n%s", code, stderr)
	}
	checkClean(t, out)
}
