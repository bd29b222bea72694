package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

func noPause(string) error { return nil }

func testFolder(out string) *folder {
	nop := zerolog.Nop()
	return &folder{out: out, ops: osOps, log: &nop, pause: noPause}
}

// committedFolder returns an output folder holding one committed run of the fake sink (a 2024
// workbook and its Parquet file), and what a reader sees in it.
func committedFolder(t *testing.T) (*harness, map[string]string) {
	t.Helper()
	h := newHarness(t, map[string]string{"a.txt": "id:a", "b.txt": "id:b"})
	if _, err := Run(context.Background(), h.config()); err != nil {
		t.Fatal(err)
	}
	view := snapshot(t, h.out)
	delete(view, lockFile)
	return h, view
}

// stage writes a staging folder as the writers would leave it.
func stage(t *testing.T, out, id string, files map[string]string) string {
	t.Helper()
	staging := filepath.Join(out, stagingPrefix+id)
	writeFiles(t, staging, files)
	return staging
}

var newOutputs = map[string]string{
	"parquet/reports/year=2025/part-00000.parquet": "new rows",
	"govreports-2025.xlsx":                         "new book",
}

func writeSummaryInto(id string) func(dir string) error {
	return func(dir string) error {
		return writeFileSynced(filepath.Join(dir, summaryFile), []byte(`{"run_id":"`+id+`"}`))
	}
}

// failing wraps osOps so that the n-th call (1-based) of op fails.
type failing struct {
	op    string
	n     int
	calls map[string]int
	// also lists ops that fail on every call, to break the rollback as well.
	also []string
}

func (fl *failing) ops() fsOps {
	fl.calls = map[string]int{}
	check := func(op, path string) error {
		fl.calls[op]++
		if (op == fl.op && fl.calls[op] == fl.n) || slices.Contains(fl.also, op) {
			return fmt.Errorf("injected %s failure on %s", op, filepath.Base(path))
		}
		return nil
	}
	return fsOps{
		rename: func(a, b string) error {
			if err := check("rename", b); err != nil {
				return err
			}
			return os.Rename(a, b)
		},
		symlink: func(target, link string) error {
			if err := check("symlink", link); err != nil {
				return err
			}
			return os.Symlink(target, link)
		},
		remove: func(p string) error {
			if err := check("remove", p); err != nil {
				return err
			}
			return os.Remove(p)
		},
		removeAll: func(p string) error {
			if err := check("removeAll", p); err != nil {
				return err
			}
			return os.RemoveAll(p)
		},
	}
}

// TestCommitUndoesEveryFailureBeforeTheSwitch fails each filesystem call of a commit in turn and
// checks that readers still see the previous outputs, that nothing of the new run is left behind,
// and that the next run starts cleanly.
func TestCommitUndoesEveryFailureBeforeTheSwitch(t *testing.T) {
	cases := []struct {
		name string
		fail failing
		msg  string
	}{
		{"moving staging into datasets/", failing{op: "rename", n: 1}, "move the outputs into"},
		{"creating the new workbook's link", failing{op: "symlink", n: 1}, "link govreports-2025.xlsx"},
		{"renaming the new workbook's link", failing{op: "rename", n: 2}, "link govreports-2025.xlsx"},
		{"creating the new current link", failing{op: "symlink", n: 2}, "switch current"},
		{"switching current", failing{op: "rename", n: 3}, "switch current"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, before := committedFolder(t)
			previous, _ := testFolder(h.out).currentID()
			f := testFolder(h.out)
			f.ops = c.fail.ops()
			staging := stage(t, h.out, "29990101T000000Z-00000001", newOutputs)
			err := f.commit(staging, "29990101T000000Z-00000001", writeSummaryInto("new"))
			if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), "injected") {
				t.Fatalf("commit error %v, want the injected failure while %q", err, c.msg)
			}
			if strings.Contains(err.Error(), "rolling back") {
				t.Errorf("error %v reports a rollback failure that did not happen", err)
			}
			after := snapshot(t, h.out)
			delete(after, lockFile)
			if !mapsEqual(before, after) {
				t.Errorf("readers see\n%v\nwant the previous outputs\n%v", keys(after), keys(before))
			}
			if cur, _ := testFolder(h.out).currentID(); cur != previous {
				t.Errorf("current is %q, want %q", cur, previous)
			}
			if ds, _ := os.ReadDir(filepath.Join(h.out, datasetsDir)); len(ds) != 1 {
				t.Errorf("datasets/ holds %d folders, want the previous one only", len(ds))
			}
			if _, err := os.Lstat(filepath.Join(h.out, "govreports-2025.xlsx")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the new workbook's link is left: %v", err)
			}
			assertNoLeftovers(t, h.out)
			// The next run commits normally.
			if _, err := Run(context.Background(), h.config()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestCommitReportsRollbackFailures: when the undoing fails too, the error says what is left and
// what the next start will do with it, and the next start does that.
func TestCommitReportsRollbackFailures(t *testing.T) {
	h, before := committedFolder(t)
	f := testFolder(h.out)
	fl := failing{op: "rename", n: 3, also: []string{"remove", "removeAll"}}
	f.ops = fl.ops()
	id := "29990101T000000Z-00000002"
	staging := stage(t, h.out, id, newOutputs)
	err := f.commit(staging, id, writeSummaryInto(id))
	if err == nil {
		t.Fatal("commit succeeded")
	}
	for _, want := range []string{"switch current", "rolling back also failed", "remove the new link govreports-2025.xlsx",
		"mark " + filepath.Join(h.out, datasetsDir, id) + " unfinished", "the next run will make it current"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	// The previous outputs are still what readers see: the left-over link dangles.
	after := snapshot(t, h.out)
	delete(after, lockFile)
	delete(after, intentFile) // left, as the error says, for the next start
	if !mapsEqual(before, after) {
		t.Errorf("readers see %v, want %v", keys(after), keys(before))
	}
	// As announced, the next start makes the complete dataset current.
	done, err := testFolder(h.out).recover()
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 1 || done[0].Action != RecoveryRolledForward || done[0].RunID != id {
		t.Errorf("recovery %+v, want run %s rolled forward", done, id)
	}
	view := snapshot(t, h.out)
	if view["govreports-2025.xlsx"] != "new book" || view["govreports-2024.xlsx"] != "" {
		t.Errorf("after recovery readers see %v", keys(view))
	}
}

// TestRecover builds the folder as a crash at each point of a commit leaves it and checks what
// the next start does.
func TestRecover(t *testing.T) {
	id := "29990101T000000Z-00000003"
	intend := func(t *testing.T, out string) { writeFiles(t, out, map[string]string{intentFile: id + "\n"}) }
	cases := []struct {
		name   string
		crash  func(t *testing.T, out string)
		action string // "" when nothing is to be done
		newer  bool   // the new outputs are current afterwards
	}{
		{"staging incomplete, the intent half written", func(t *testing.T, out string) {
			stage(t, out, id, newOutputs)
			writeFiles(t, out, map[string]string{"." + intentFile + ".tmp": "2999"})
		}, RecoveryRolledBack, false},
		{"staging with run.json and the intent, without _SUCCESS", func(t *testing.T, out string) {
			stage(t, out, id, map[string]string{"govreports-2025.xlsx": "new book", summaryFile: "{}"})
			intend(t, out)
		}, RecoveryRolledBack, false},
		{"staging complete", func(t *testing.T, out string) {
			stage(t, out, id, withSuccess(newOutputs))
			intend(t, out)
		}, RecoveryRolledForward, true},
		{"moved into datasets/", func(t *testing.T, out string) {
			writeFiles(t, filepath.Join(out, datasetsDir, id), withSuccess(newOutputs))
			intend(t, out)
		}, RecoveryRolledForward, true},
		{"linked, not switched", func(t *testing.T, out string) {
			writeFiles(t, filepath.Join(out, datasetsDir, id), withSuccess(newOutputs))
			intend(t, out)
			if _, err := testFolder(out).link(id); err != nil {
				t.Fatal(err)
			}
		}, RecoveryRolledForward, true},
		{"switched, old links not pruned", func(t *testing.T, out string) {
			writeFiles(t, filepath.Join(out, datasetsDir, id), withSuccess(newOutputs))
			intend(t, out)
			f := testFolder(out)
			if _, err := f.link(id); err != nil {
				t.Fatal(err)
			}
			if err := f.switchTo(id); err != nil {
				t.Fatal(err)
			}
		}, RecoveryRepaired, true},
		{"an undone commit's dataset", func(t *testing.T, out string) {
			writeFiles(t, filepath.Join(out, datasetsDir, id), newOutputs)
			intend(t, out)
		}, RecoveryRolledBack, false},
		// Someone pointed current back at the previous dataset by hand: the newer complete one is
		// not an interrupted commit and stays where it is.
		{"a newer dataset without intent", func(t *testing.T, out string) {
			writeFiles(t, filepath.Join(out, datasetsDir, id), withSuccess(newOutputs))
		}, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, before := committedFolder(t)
			c.crash(t, h.out)
			done, err := testFolder(h.out).recover()
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, d := range done {
				actions = append(actions, d.Action)
				if d.Detail == "" || (d.Action != RecoveryRepaired && d.RunID != id) {
					t.Errorf("recovery %+v does not say which run and what", d)
				}
			}
			if want := []string{c.action}; c.action == "" && len(actions) != 0 || c.action != "" && !slices.Equal(actions, want) {
				t.Errorf("recovery actions %q, want %q", actions, c.action)
			}
			view := snapshot(t, h.out)
			delete(view, lockFile)
			if c.newer {
				if view["govreports-2025.xlsx"] != "new book" || view[successFile] != "" || len(view) != 4 {
					t.Errorf("readers see %v, want the new dataset whole", keys(view))
				}
			} else if !mapsEqual(before, view) {
				t.Errorf("readers see %v, want the previous outputs %v", keys(view), keys(before))
			}
			assertNoLeftovers(t, h.out)
			// Recovery is done once: a second start finds nothing to do.
			if again, err := testFolder(h.out).recover(); err != nil || len(again) != 0 {
				t.Errorf("second recovery: %+v, %v; want nothing to do", again, err)
			}
		})
	}
}

func withSuccess(files map[string]string) map[string]string {
	m := map[string]string{successFile: "", summaryFile: `{"run_id":"new"}`}
	for k, v := range files {
		m[k] = v
	}
	return m
}

// legacyLayout writes the flat outputs of an earlier version.
func legacyLayout(t *testing.T, out string) map[string]string {
	files := map[string]string{
		successFile: "",
		summaryFile: `{"run_id":"20240101T000000Z-0badcafe","totals":{"reports":2}}`,
		"parquet/reports/year=2024/part-00000.parquet":  "old rows",
		"parquet/findings/year=2024/part-00000.parquet": "old findings",
		"govreports-2024.xlsx":                          "old book",
		"notes.txt":                                     "a user's file",
	}
	writeFiles(t, out, files)
	return files
}

func TestRecoverMigratesTheFlatLayout(t *testing.T) {
	out := t.TempDir()
	files := legacyLayout(t, out)
	done, err := testFolder(out).recover()
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 1 || done[0].Action != RecoveryMigrated || done[0].RunID != "20240101T000000Z-0badcafe" {
		t.Fatalf("recovery %+v, want the flat outputs migrated into the dataset of their run", done)
	}
	if view := snapshot(t, out); !mapsEqual(view, files) {
		t.Errorf("readers see %v, want the same files as before %v", view, files)
	}
	for _, name := range []string{"parquet", "govreports-2024.xlsx", successFile, summaryFile} {
		if target, err := os.Readlink(filepath.Join(out, name)); err != nil || target != linkTarget(name) {
			t.Errorf("%s: link to %q (%v), want %q", name, target, err, linkTarget(name))
		}
	}
	if info, err := os.Lstat(filepath.Join(out, "notes.txt")); err != nil || !info.Mode().IsRegular() {
		t.Errorf("the user's file was touched: %v", err)
	}
	assertNoLeftovers(t, out)
	if again, err := testFolder(out).recover(); err != nil || len(again) != 0 {
		t.Errorf("second recovery: %+v, %v", again, err)
	}
}

// TestRecoverMigrationInterrupted: a migration interrupted after some names were swapped is
// finished by the next start, and readers saw the old bytes all along.
func TestRecoverMigrationInterrupted(t *testing.T) {
	out := t.TempDir()
	files := legacyLayout(t, out)
	f := testFolder(out)
	f.ops = (&failing{op: "rename", n: 3}).ops() // current, then the first file swapped, then fail
	if _, err := f.recover(); err == nil {
		t.Fatal("the injected failure did not stop the migration")
	}
	if view := snapshot(t, out); !mapsEqual(view, files) {
		t.Errorf("half-way, readers see %v, want %v", view, files)
	}
	if _, err := testFolder(out).recover(); err != nil {
		t.Fatal(err)
	}
	if view := snapshot(t, out); !mapsEqual(view, files) {
		t.Errorf("after the second start, readers see %v, want %v", view, files)
	}
	for _, name := range []string{"parquet", "govreports-2024.xlsx", successFile, summaryFile} {
		if target, _ := os.Readlink(filepath.Join(out, name)); target != linkTarget(name) {
			t.Errorf("%s is not a stable path into current", name)
		}
	}
	assertNoLeftovers(t, out)
}

// TestRecoverRestoresAnEarlierVersionsInterruptedCommit: the earlier version moved the previous
// outputs into .old-<id>/ (run.json last), then moved new ones in; a crash left both.
func TestRecoverRestoresAnEarlierVersionsInterruptedCommit(t *testing.T) {
	for _, c := range []struct {
		name       string
		aside, top map[string]string
	}{
		{"crash while moving the new outputs in", map[string]string{
			successFile: "", summaryFile: `{"run_id":"20240101T000000Z-00000001"}`,
			"parquet/reports/year=2023/part-00000.parquet": "old rows", "govreports-2023.xlsx": "old book",
		}, map[string]string{
			"parquet/reports/year=2024/part-00000.parquet": "new rows", "govreports-2024.xlsx": "new book",
		}},
		{"crash while moving the previous outputs aside", map[string]string{
			successFile: "", "govreports-2023.xlsx": "old book",
		}, map[string]string{
			summaryFile: `{"run_id":"20240101T000000Z-00000001"}`, "parquet/reports/year=2023/part-00000.parquet": "old rows",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			writeFiles(t, filepath.Join(out, asidePrefix+"20240202T000000Z-00000002"), c.aside)
			writeFiles(t, out, c.top)
			writeFiles(t, filepath.Join(out, stagingPrefix+"20240202T000000Z-00000002"), map[string]string{"govreports-2025.xlsx": "x"})
			done, err := testFolder(out).recover()
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, d := range done {
				actions = append(actions, d.Action)
			}
			if !slices.Equal(actions, []string{RecoveryRestored, RecoveryMigrated, RecoveryRolledBack}) {
				t.Errorf("recovery %q", actions)
			}
			want := map[string]string{
				successFile: "", summaryFile: `{"run_id":"20240101T000000Z-00000001"}`,
				"parquet/reports/year=2023/part-00000.parquet": "old rows", "govreports-2023.xlsx": "old book",
			}
			if view := snapshot(t, out); !mapsEqual(view, want) {
				t.Errorf("readers see %v, want the previous outputs %v", view, want)
			}
			assertNoLeftovers(t, out)
		})
	}
}

func TestRunPolicyProtectsTheLastGoodOutputs(t *testing.T) {
	files := map[string]string{}
	for i := range 10 {
		files[fmt.Sprintf("f%02d.txt", i)] = fmt.Sprintf("id:f%02d", i)
	}
	h := newHarness(t, files)
	if _, err := Run(context.Background(), h.config()); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, h.out)
	delete(before, lockFile)

	refused := func(t *testing.T, cfg Config, reason string) {
		t.Helper()
		res, err := Run(context.Background(), cfg)
		if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), reason) {
			t.Fatalf("error %v, want a refusal saying %q", err, reason)
		}
		failed := readSummary(t, filepath.Join(h.out, failedSummaryFile))
		if failed.Status != StatusRefused || !strings.Contains(failed.Error, reason) || res.Summary.Status != StatusRefused {
			t.Errorf("failed-run.json status %q error %q, want refused saying %q", failed.Status, failed.Error, reason)
		}
		after := snapshot(t, h.out)
		delete(after, lockFile)
		delete(after, failedSummaryFile)
		if !mapsEqual(before, after) {
			t.Errorf("the previous outputs changed: %v, want %v\n%s", keys(after), keys(before), diffMaps(before, after))
		}
		assertNoLeftovers(t, h.out)
	}

	t.Run("every input unreadable", func(t *testing.T) {
		for name := range files {
			writeFiles(t, h.in, map[string]string{name: "fail"})
		}
		defer writeFiles(t, h.in, files)
		refused(t, h.config(), "no report was read (10 inputs, 10 rejected)")
	})
	t.Run("fewer than half as many reports", func(t *testing.T) {
		for _, name := range []string{"f00.txt", "f01.txt", "f02.txt", "f03.txt", "f04.txt", "f05.txt"} {
			os.Rename(filepath.Join(h.in, name), filepath.Join(h.in, "."+name))
		}
		defer func() {
			for _, name := range []string{"f00.txt", "f01.txt", "f02.txt", "f03.txt", "f04.txt", "f05.txt"} {
				os.Rename(filepath.Join(h.in, "."+name), filepath.Join(h.in, name))
			}
		}()
		refused(t, h.config(), "4 reports read, fewer than half of the 10")
		// --allow-shrink commits the smaller set.
		cfg := h.config()
		cfg.AllowShrink = true
		if _, err := Run(context.Background(), cfg); err != nil {
			t.Fatalf("with --allow-shrink: %v", err)
		}
		if sum := readSummary(t, filepath.Join(h.out, summaryFile)); sum.Totals.Reports != 4 {
			t.Errorf("committed %d reports, want 4", sum.Totals.Reports)
		}
		// Back to the full set for the next case: growing is always fine.
		for _, name := range []string{"f00.txt", "f01.txt", "f02.txt", "f03.txt", "f04.txt", "f05.txt"} {
			os.Rename(filepath.Join(h.in, "."+name), filepath.Join(h.in, name))
		}
		if _, err := Run(context.Background(), h.config()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("half as many reports is fine", func(t *testing.T) {
		cfg := h.config()
		cfg.Exclude = []string{"f0[0-4].txt"}
		if _, err := Run(context.Background(), cfg); err != nil {
			t.Fatalf("5 of 10: %v", err)
		}
		if _, err := Run(context.Background(), h.config()); err != nil {
			t.Fatal(err)
		}
		before = snapshot(t, h.out)
		delete(before, lockFile)
	})
	t.Run("empty input folder", func(t *testing.T) {
		empty := t.TempDir()
		cfg := h.config()
		cfg.In = empty
		refused(t, cfg, "holds no file to read")
	})
}

func diffMaps(a, b map[string]string) string {
	var d []string
	for k, v := range a {
		if b[k] != v {
			d = append(d, fmt.Sprintf("%s: %.300q != %.300q", k, v, b[k]))
		}
	}
	return strings.Join(d, "\n")
}

// TestRecoverFromARemovedDataset: someone deleted the current dataset; the next run starts afresh
// instead of failing every night.
func TestRecoverFromARemovedDataset(t *testing.T) {
	h, _ := committedFolder(t)
	id, _ := testFolder(h.out).currentID()
	os.RemoveAll(filepath.Join(h.out, datasetsDir, id))
	done, err := testFolder(h.out).recover()
	if err != nil {
		t.Fatal(err)
	}
	if len(done) != 1 || done[0].Action != RecoveryRepaired || !strings.Contains(done[0].Detail, "no longer exists") {
		t.Errorf("recovery %+v", done)
	}
	if view := snapshot(t, h.out); len(view) != 1 { // the lock only
		t.Errorf("readers see %v, want nothing", keys(view))
	}
	if _, err := Run(context.Background(), h.config()); err != nil {
		t.Fatal(err)
	}
	if view := snapshot(t, h.out); view["govreports-2024.xlsx"] == "" {
		t.Errorf("the next run did not commit: %v", keys(view))
	}
}
