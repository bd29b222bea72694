package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/rs/zerolog"
)

// The output folder holds one complete dataset per committed run and one pointer to the current
// one, so that a commit is a single rename(2) and a crash at any point leaves either the previous
// dataset or the new one in force, never a mix:
//
//	out/
//	  datasets/<run id>/               one complete dataset: parquet/, govreports-YYYY.xlsx,
//	                                   run.json, and _SUCCESS, written last once the rest is synced
//	  current -> datasets/<run id>     the pointer; a commit replaces it with one rename(2)
//	  parquet -> current/parquet       stable paths for readers, one per name in the dataset,
//	  govreports-YYYY.xlsx -> current/govreports-YYYY.xlsx
//	  run.json -> current/run.json
//	  _SUCCESS -> current/_SUCCESS
//	  failed-run.json                  the last run that committed nothing (removed by the next commit)
//	  .staging-<run id>/               a run being written; never read
//
// A stable path that the current dataset lacks (the workbook of a year no longer among the
// inputs) dangles for a moment around the switch, which a reader sees as the file being absent:
// that is what the current dataset says. The previous dataset is kept until the next commit, so a
// reader that resolved current a moment before the switch can finish reading it.

// ErrLocked means another run holds the output folder.
var ErrLocked = errors.New("output folder is in use by another run")

// Names in the output folder.
const (
	successFile       = "_SUCCESS"
	summaryFile       = "run.json"
	failedSummaryFile = "failed-run.json"
	lockFile          = ".lock"
	stagingPrefix     = ".staging-"
	currentLink       = "current"
	datasetsDir       = "datasets"
	tmpPrefix         = ".tmp-" // a temporary link or a folder being swapped out; removed on start
	// intentFile names the run whose commit is under way, from before its staging is marked
	// complete until its switch is done: what a later start rolls forward or back.
	intentFile = ".commit"
	// asidePrefix is where an earlier version's commit moved the previous outputs; a crash left
	// them there, and recovery puts them back.
	asidePrefix = ".old-"
	// legacyRunID names the dataset of an earlier version's flat outputs when their run.json does
	// not say which run wrote them; it sorts before every real run id.
	legacyRunID = "00000000T000000Z-legacy"
)

// published reports whether a name of a dataset gets a stable path at the top of the output
// folder.
func published(name string) bool {
	if name == successFile || name == summaryFile || name == "parquet" {
		return true
	}
	ok, _ := path.Match("govreports-*.xlsx", name)
	return ok
}

// Steps of a run at which GOVREPORTS_TEST_PAUSE_AT stops the process (see pause), in the order a
// run reaches them. The crash tests kill the binary at each.
const (
	stepReading    = "reading"    // the first input was read
	stepSaving     = "saving"     // every input read; the writers are about to write the outputs
	stepStaged     = "staged"     // outputs written into staging, not yet synced
	stepSynced     = "synced"     // staging synced; run.json not yet written
	stepSummarised = "summarised" // run.json written into staging; _SUCCESS not yet
	stepComplete   = "complete"   // staging complete (_SUCCESS synced): from here recovery rolls forward
	stepPublished  = "published"  // staging renamed into datasets/<id>; links not yet made
	stepLinked     = "linked"     // stable paths for the new dataset's names exist; current not switched
	stepSwitched   = "switched"   // current points to the new dataset: the commit is done
	stepPruned     = "pruned"     // stable paths the dataset lacks removed; older datasets not yet
	stepMigrating  = "migrating"  // recovery: an earlier version's outputs are being moved into datasets/
	stepRecovered  = "recovered"  // recovery: the folder is whole; leftovers not yet removed
)

// pauseSteps lists every step, for the tests.
var pauseSteps = []string{stepReading, stepSaving, stepStaged, stepSynced, stepSummarised, stepComplete,
	stepPublished, stepLinked, stepSwitched, stepPruned, stepMigrating, stepRecovered}

// PauseEnv names the environment variable from which the command sets Config.PauseAt: it makes a
// run stop at one of its steps, for the crash tests, which kill the process there. Unset, it does
// nothing.
const PauseEnv = "GOVREPORTS_TEST_PAUSE_AT"

// pausedMessage is the log line of a run that stopped at a step; the crash tests wait for it.
const pausedMessage = "paused for a test at step"

// Recovery is one repair a run made to its output folder before it started, recorded in run.json
// and failed-run.json.
type Recovery struct {
	// Action is rolled_forward (a complete dataset of an interrupted commit was made current),
	// rolled_back (the unfinished outputs of an interrupted run were removed; the current dataset
	// stays), repaired (stable paths fixed after a crash past the switch), restored (an earlier
	// version's interrupted commit was undone) or migrated (an earlier version's flat outputs
	// were moved into datasets/).
	Action string `json:"action"`
	RunID  string `json:"run_id,omitempty"` // the run whose outputs were rolled forward, back, …
	Detail string `json:"detail"`
}

// Recovery actions.
const (
	RecoveryRolledForward = "rolled_forward"
	RecoveryRolledBack    = "rolled_back"
	RecoveryRepaired      = "repaired"
	RecoveryRestored      = "restored"
	RecoveryMigrated      = "migrated"
)

// fsOps are the filesystem calls of a commit that can fail halfway; tests replace them to fail on
// cue and check that the failure is undone and reported.
type fsOps struct {
	rename    func(oldpath, newpath string) error
	symlink   func(target, link string) error
	remove    func(path string) error
	removeAll func(path string) error
}

var osOps = fsOps{rename: os.Rename, symlink: os.Symlink, remove: os.Remove, removeAll: os.RemoveAll}

// folder is the output folder of a run, held under its lock.
type folder struct {
	out   string
	ops   fsOps
	log   *zerolog.Logger
	pause func(step string) error
}

func (f *folder) path(elem ...string) string {
	return filepath.Join(append([]string{f.out}, elem...)...)
}

// currentID returns the run id current points to, "" when there is no current dataset.
func (f *folder) currentID() (string, error) {
	target, err := os.Readlink(f.path(currentLink))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", currentLink, err)
	}
	dir, id := path.Split(filepath.ToSlash(target))
	if path.Clean(dir) != datasetsDir || id == "" {
		return "", fmt.Errorf("%s points to %q, not to a folder under %s/", f.path(currentLink), target, datasetsDir)
	}
	return id, nil
}

// complete reports whether dir holds a finished dataset: _SUCCESS is written last, after every
// other file of it was synced.
func complete(dir string) bool {
	info, err := os.Lstat(filepath.Join(dir, successFile))
	return err == nil && info.Mode().IsRegular()
}

// replaceLink makes out/name a symlink to target with one rename(2) of a temporary link, so a
// reader finds the old target or the new one. It cannot replace a folder.
func (f *folder) replaceLink(name, target string) error {
	tmp := f.path(tmpPrefix + name)
	if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := f.ops.symlink(target, tmp); err != nil {
		return err
	}
	if err := f.ops.rename(tmp, f.path(name)); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// switchTo points current at datasets/id: the one step that changes what readers see.
func (f *folder) switchTo(id string) error {
	if err := f.replaceLink(currentLink, path.Join(datasetsDir, id)); err != nil {
		return fmt.Errorf("switch %s to %s: %w", currentLink, id, err)
	}
	return syncDir(f.out)
}

// linkTarget is what the stable path of name points to.
func linkTarget(name string) string { return path.Join(currentLink, name) }

// isOurLink reports whether out/name is a stable path made by link.
func (f *folder) isOurLink(name string) bool {
	target, err := os.Readlink(f.path(name))
	return err == nil && filepath.ToSlash(target) == linkTarget(name)
}

// link gives every published name of datasets/id a stable path at the top of the folder and
// returns the names it created. A link made before current points to id dangles until then, and a
// reader sees the file as absent, which is what the current dataset says.
func (f *folder) link(id string) (created []string, err error) {
	entries, err := os.ReadDir(f.path(datasetsDir, id))
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if !published(name) || f.isOurLink(name) {
			continue
		}
		if info, err := os.Lstat(f.path(name)); err == nil && info.IsDir() {
			return created, fmt.Errorf("%s is a folder, not a link to %s", f.path(name), linkTarget(name))
		}
		if err := f.replaceLink(name, linkTarget(name)); err != nil {
			return created, fmt.Errorf("link %s: %w", name, err)
		}
		created = append(created, name)
	}
	return created, syncDir(f.out)
}

// prune removes the stable paths whose name datasets/id lacks (the workbook of a year no longer
// read), and returns their names.
func (f *folder) prune(id string) ([]string, error) {
	entries, err := os.ReadDir(f.out)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if e.Type()&fs.ModeSymlink == 0 || !published(name) || !f.isOurLink(name) {
			continue
		}
		if _, err := os.Lstat(f.path(datasetsDir, id, name)); err == nil {
			continue
		}
		if err := f.ops.remove(f.path(name)); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, name)
	}
	if err := syncDir(f.out); err != nil {
		errs = append(errs, err)
	}
	return removed, errors.Join(errs...)
}

// commit makes the outputs in staging the current dataset of run id. finish writes run.json
// into staging. Before staging is marked complete, the intent file names the run, so that a
// later start knows which outputs an interrupted commit meant to make current (and never
// mistakes a dataset a user made current by hand for an interrupted commit). Every failure
// before the switch is undone and the error says so, together with anything the undoing could not
// do; failures after the switch only leave leftovers, which are logged and cleaned up by the next
// run.
func (f *folder) commit(staging, id string, finish func(dir string) error) error {
	if err := syncTree(staging); err != nil {
		return fmt.Errorf("sync staged outputs: %w", err)
	}
	if err := f.pause(stepSynced); err != nil {
		return err
	}
	if err := finish(staging); err != nil {
		return fmt.Errorf("write %s: %w", summaryFile, err)
	}
	if err := f.pause(stepSummarised); err != nil {
		return err
	}
	if err := writeFileAtomic(f.path(intentFile), []byte(id+"\n")); err != nil {
		return f.undo(fmt.Errorf("write %s: %w", intentFile, err), "", nil, staging)
	}
	// _SUCCESS last: from the moment it is on disk, the next start rolls this commit forward.
	if err := writeFileSynced(filepath.Join(staging, successFile), nil); err != nil {
		return f.undo(fmt.Errorf("write %s: %w", successFile, err), "", nil, staging)
	}
	if err := syncDir(staging); err != nil {
		return f.undo(fmt.Errorf("sync staged outputs: %w", err), "", nil, staging)
	}
	if err := f.pause(stepComplete); err != nil {
		return f.undo(err, "", nil, staging)
	}
	return f.publish(staging, id)
}

// publish moves a complete staging folder into datasets/ and switches current to it.
func (f *folder) publish(staging, id string) error {
	previous, err := f.currentID()
	if err != nil {
		return f.undo(err, "", nil, staging)
	}
	if err := os.MkdirAll(f.path(datasetsDir), 0o755); err != nil {
		return f.undo(err, "", nil, staging)
	}
	dataset := f.path(datasetsDir, id)
	if err := f.ops.rename(staging, dataset); err != nil {
		return f.undo(fmt.Errorf("move the outputs into %s: %w", dataset, err), "", nil, staging)
	}
	if err := syncDir(f.path(datasetsDir)); err != nil {
		return f.undo(err, dataset, nil, "")
	}
	if err := f.pause(stepPublished); err != nil {
		return f.undo(err, dataset, nil, "")
	}
	created, err := f.link(id)
	if err != nil {
		return f.undo(err, dataset, created, "")
	}
	if err := f.pause(stepLinked); err != nil {
		return f.undo(err, dataset, created, "")
	}
	if err := f.switchTo(id); err != nil {
		return f.undo(err, dataset, created, "")
	}

	// Committed. What follows only tidies up; a failure is a leftover for the next run.
	warn := func(err error, what string) {
		f.log.Warn().Str(FieldReason, err.Error()).Msg("outputs committed, but " + what)
	}
	_ = f.pause(stepSwitched)
	if _, err := f.prune(id); err != nil {
		warn(err, "a stable path of an earlier dataset could not be removed")
	}
	_ = f.pause(stepPruned)
	if err := f.ops.remove(f.path(intentFile)); err != nil {
		warn(err, "the commit's intent file could not be removed")
	}
	if err := f.retain(id, previous); err != nil {
		warn(err, "an earlier dataset could not be removed")
	}
	if err := f.ops.removeAll(f.path(failedSummaryFile)); err != nil {
		warn(err, "the record of an earlier failed run could not be removed")
	}
	return nil
}

// retain removes every dataset but the current one and the one it replaced: a reader that
// resolved current just before the switch can finish reading the previous one.
func (f *folder) retain(current, previous string) error {
	entries, err := os.ReadDir(f.path(datasetsDir))
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if name := e.Name(); name != current && name != previous {
			if err := f.ops.removeAll(f.path(datasetsDir, name)); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// undo rolls back a commit that failed before the switch: the links it created dangle (they
// point through current, which still names the previous dataset) and are removed; the new outputs
// lose their _SUCCESS first, so that no later start can roll them forward, then are removed, and
// last the intent file. Whatever cannot be undone is added to the error, naming what is left and
// what the next start will do with it.
func (f *folder) undo(cause error, dataset string, created []string, staging string) error {
	var errs []error
	for _, name := range created {
		if err := f.ops.remove(f.path(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove the new link %s: %w", name, err))
		}
	}
	unfinished := true
	for _, dir := range []string{dataset, staging} {
		if dir == "" {
			continue
		}
		if err := f.ops.remove(filepath.Join(dir, successFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("mark %s unfinished: %w (the next run will make it current)", dir, err))
			unfinished = false
			continue
		}
		if err := f.ops.removeAll(dir); err != nil {
			errs = append(errs, fmt.Errorf("remove %s: %w (the next run will remove it)", dir, err))
		}
	}
	if unfinished {
		if err := f.ops.remove(f.path(intentFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove %s: %w (the next run will remove it)", intentFile, err))
		}
	}
	if err := syncDir(f.out); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w; rolling back also failed: %w", cause, errors.Join(errs...))
	}
	return cause
}

// readIntent returns the run id the intent file names, "" when there is none.
func (f *folder) readIntent() (string, error) {
	data, err := os.ReadFile(f.path(intentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	id := strings.TrimSpace(string(data))
	if id == "" || strings.ContainsAny(id, `/\`) || id == "." || id == ".." {
		return "", fmt.Errorf("%s names %q, not a run", f.path(intentFile), id)
	}
	return id, nil
}

// recover brings the output folder back to one whole dataset after a crash, before a run starts:
// it undoes an earlier version's interrupted commit, moves an earlier version's flat outputs into
// datasets/, rolls an interrupted commit forward when its outputs were complete (back otherwise),
// repairs the stable paths, and only then removes what no dataset needs. Each step can itself be
// interrupted and is redone by the next start.
func (f *folder) recover() ([]Recovery, error) {
	var done []Recovery
	if r, err := f.restoreAside(); err != nil {
		return done, err
	} else if r != nil {
		done = append(done, *r)
	}
	if r, err := f.migrate(); err != nil {
		return done, err
	} else if r != nil {
		done = append(done, *r)
	}

	current, err := f.currentID()
	if err != nil {
		return done, err
	}
	if current != "" {
		if _, err := os.Stat(f.path(datasetsDir, current)); errors.Is(err, fs.ErrNotExist) {
			// Someone removed the current dataset: there is nothing to protect, so start afresh
			// rather than fail every night.
			removed, err := f.prune(current)
			if err != nil {
				return done, err
			}
			if err := f.ops.remove(f.path(currentLink)); err != nil {
				return done, err
			}
			done = append(done, Recovery{Action: RecoveryRepaired, RunID: current,
				Detail: fmt.Sprintf("current pointed to %s/%s, which no longer exists; the link and the stable paths %q were removed",
					datasetsDir, current, removed)})
			current = ""
		}
	}
	intent, err := f.readIntent()
	if err != nil {
		return done, err
	}
	forward := false
	if intent != "" && intent != current {
		staging, dataset := f.path(stagingPrefix+intent), f.path(datasetsDir, intent)
		if !complete(dataset) && complete(staging) {
			if err := os.MkdirAll(f.path(datasetsDir), 0o755); err != nil {
				return done, err
			}
			if err := f.ops.rename(staging, dataset); err != nil {
				return done, fmt.Errorf("roll forward run %s: %w", intent, err)
			}
			if err := syncDir(f.path(datasetsDir)); err != nil {
				return done, err
			}
		}
		if complete(dataset) {
			if _, err := f.link(intent); err != nil {
				return done, fmt.Errorf("roll forward run %s: %w", intent, err)
			}
			if err := f.switchTo(intent); err != nil {
				return done, fmt.Errorf("roll forward run %s: %w", intent, err)
			}
			detail := fmt.Sprintf("the commit of run %s was interrupted after its outputs were complete on disk; they are now current", intent)
			if current != "" {
				detail += fmt.Sprintf(" (replacing run %s)", current)
			}
			done = append(done, Recovery{Action: RecoveryRolledForward, RunID: intent, Detail: detail})
			current, forward = intent, true
		}
	}
	if current != "" {
		created, err := f.link(current)
		if err != nil {
			return done, err
		}
		removed, err := f.prune(current)
		if err != nil {
			return done, err
		}
		if !forward && len(created)+len(removed) > 0 {
			done = append(done, Recovery{Action: RecoveryRepaired, RunID: current,
				Detail: fmt.Sprintf("the stable paths of run %s were repaired: created %q, removed %q", current, created, removed)})
		}
	}
	if err := f.pause(stepRecovered); err != nil {
		return done, err
	}

	// The folder is whole: now remove what no dataset needs, then the intent.
	entries, err := os.ReadDir(f.out)
	if err != nil {
		return done, err
	}
	var errs []error
	rolledBack := func(id string) {
		detail := fmt.Sprintf("the unfinished outputs of run %s were removed", id)
		if current != "" {
			detail += fmt.Sprintf("; run %s stays current", current)
		}
		done = append(done, Recovery{Action: RecoveryRolledBack, RunID: id, Detail: detail})
	}
	for _, e := range entries {
		name := e.Name()
		if id, ok := strings.CutPrefix(name, stagingPrefix); ok {
			if err := f.ops.removeAll(f.path(name)); err != nil {
				errs = append(errs, err)
				continue
			}
			rolledBack(id)
		} else if strings.HasPrefix(name, tmpPrefix) || (strings.HasPrefix(name, ".") && strings.HasSuffix(name, ".tmp")) {
			// A temporary link or folder, or the temporary file of writeFileAtomic.
			if err := f.ops.removeAll(f.path(name)); err != nil {
				errs = append(errs, err)
			}
		}
	}
	datasets, err := os.ReadDir(f.path(datasetsDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return done, err
	}
	for _, e := range datasets {
		// A dataset without _SUCCESS is one whose commit was undone: it was never current.
		if id := e.Name(); id != current && !complete(f.path(datasetsDir, id)) {
			if err := f.ops.removeAll(f.path(datasetsDir, id)); err != nil {
				errs = append(errs, err)
				continue
			}
			if id == intent {
				rolledBack(id)
			}
		}
	}
	if intent != "" && len(errs) == 0 {
		if err := f.ops.remove(f.path(intentFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return done, fmt.Errorf("remove leftovers: %w", err)
	}
	return done, nil
}

// restoreAside undoes the commit of an earlier version that was interrupted after it had moved
// the previous outputs into .old-<id>/. That commit moved every previous output aside, run.json
// last, before it moved any new one in: when run.json is aside, every output name at the top
// came in with the interrupted commit and is pushed aside too (removed later as a leftover);
// otherwise nothing had come in yet. Then every name in .old-<id>/ goes back in place.
func (f *folder) restoreAside() (*Recovery, error) {
	entries, err := os.ReadDir(f.out)
	if err != nil {
		return nil, err
	}
	var restored *Recovery
	for _, e := range entries {
		id, ok := strings.CutPrefix(e.Name(), asidePrefix)
		if !ok || !e.IsDir() {
			continue
		}
		aside := f.path(e.Name())
		names, err := os.ReadDir(aside)
		if err != nil {
			return nil, err
		}
		back := map[string]bool{}
		for _, n := range names {
			back[n.Name()] = true
		}
		discard := func(name string) error {
			if _, err := os.Lstat(f.path(name)); err != nil {
				return nil
			}
			return f.ops.rename(f.path(name), f.path(tmpPrefix+"new-"+id+"-"+name))
		}
		if back[summaryFile] {
			for _, top := range entries {
				if name := top.Name(); published(name) && !back[name] {
					if err := discard(name); err != nil {
						return nil, fmt.Errorf("restore the outputs of an interrupted commit: %w", err)
					}
				}
			}
		}
		for _, n := range names {
			name := n.Name()
			if err := discard(name); err != nil {
				return nil, fmt.Errorf("restore the outputs of an interrupted commit: %w", err)
			}
			if err := f.ops.rename(filepath.Join(aside, name), f.path(name)); err != nil {
				return nil, fmt.Errorf("restore the outputs of an interrupted commit: %w", err)
			}
		}
		if err := f.ops.remove(aside); err != nil {
			return nil, err
		}
		if err := syncDir(f.out); err != nil {
			return nil, err
		}
		restored = &Recovery{Action: RecoveryRestored, RunID: id,
			Detail: fmt.Sprintf("an earlier version's commit of run %s was interrupted; the previous outputs it had moved aside are back in place", id)}
	}
	return restored, nil
}

// migrate moves the flat outputs of an earlier version (parquet/, govreports-*.xlsx, run.json
// and _SUCCESS as real files at the top of the folder) into datasets/<their run id>, by hard
// links, makes it current, and replaces each of them by its stable path, one atomic rename each;
// readers see the same bytes throughout. Interrupted, it is redone: existing links are kept.
func (f *folder) migrate() (*Recovery, error) {
	entries, err := os.ReadDir(f.out)
	if err != nil {
		return nil, err
	}
	var legacy []string
	for _, e := range entries {
		if published(e.Name()) && e.Type()&fs.ModeSymlink == 0 {
			legacy = append(legacy, e.Name())
		}
	}
	if len(legacy) == 0 {
		return nil, nil
	}
	id, err := f.currentID()
	if err != nil {
		return nil, err
	}
	if id == "" {
		id = legacyID(f.path(summaryFile))
	}
	dataset := f.path(datasetsDir, id)
	for _, name := range legacy {
		if err := linkTree(f.path(name), filepath.Join(dataset, name)); err != nil {
			return nil, fmt.Errorf("move the outputs of an earlier version into %s: %w", dataset, err)
		}
	}
	if err := syncTree(dataset); err != nil {
		return nil, err
	}
	if err := syncDir(f.path(datasetsDir)); err != nil {
		return nil, err
	}
	if err := f.pause(stepMigrating); err != nil {
		return nil, err
	}
	if current, err := f.currentID(); err != nil {
		return nil, err
	} else if current == "" {
		if err := f.switchTo(id); err != nil {
			return nil, err
		}
	}
	for _, name := range legacy {
		if err := f.swapIn(name); err != nil {
			return nil, fmt.Errorf("replace %s by a link into %s: %w", name, dataset, err)
		}
	}
	if err := syncDir(f.out); err != nil {
		return nil, err
	}
	return &Recovery{Action: RecoveryMigrated, RunID: id,
		Detail: fmt.Sprintf("the outputs of an earlier version (%s) were moved into %s/%s and linked from their usual paths",
			strings.Join(legacy, ", "), datasetsDir, id)}, nil
}

// swapIn replaces the real file or folder out/name by its stable path. A file is replaced by one
// rename; a folder is exchanged with the link where the system can (renameat2), else moved aside
// first, which leaves its path missing for the time of one rename.
func (f *folder) swapIn(name string) error {
	info, err := os.Lstat(f.path(name))
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return f.replaceLink(name, linkTarget(name))
	}
	tmp := f.path(tmpPrefix + name)
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := f.ops.symlink(linkTarget(name), tmp); err != nil {
		return err
	}
	if err := exchange(tmp, f.path(name)); err != nil {
		aside := f.path(tmpPrefix + "old-" + name)
		if err := f.ops.rename(f.path(name), aside); err != nil {
			return err
		}
		if err := f.ops.rename(tmp, f.path(name)); err != nil {
			return errors.Join(err, f.ops.rename(aside, f.path(name)))
		}
		tmp = aside
	}
	// tmp now holds the old folder, whose files are hard links into the dataset.
	return f.ops.removeAll(tmp)
}

// legacyID is the run id in an earlier version's run.json, or legacyRunID.
func legacyID(summary string) string {
	data, err := os.ReadFile(summary)
	if err != nil {
		return legacyRunID
	}
	var s struct {
		RunID string `json:"run_id"`
	}
	if json.Unmarshal(data, &s) != nil || s.RunID == "" || strings.ContainsAny(s.RunID, `/\.`) {
		return legacyRunID
	}
	return s.RunID
}

// linkTree recreates src at dst with hard links (copies where the filesystem refuses links),
// keeping whatever already exists at dst from an interrupted earlier attempt.
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		if _, err := os.Lstat(to); err == nil {
			return nil
		}
		if err := os.Link(p, to); err == nil {
			return nil
		}
		return copyFile(p, to)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	return out.Close()
}

// previousRun is what the policy needs of the dataset a commit would replace.
type previousRun struct {
	RunID   string `json:"run_id"`
	Reports int
}

// readPrevious reads the current dataset's run.json; nil when there is none or it cannot be read.
func (f *folder) readPrevious() (*previousRun, error) {
	data, err := os.ReadFile(f.path(currentLink, summaryFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var s struct {
		RunID  string `json:"run_id"`
		Totals struct {
			Reports int `json:"reports"`
		} `json:"totals"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", f.path(currentLink, summaryFile), err)
	}
	return &previousRun{RunID: s.RunID, Reports: s.Totals.Reports}, nil
}

// writeFileAtomic replaces path with data through a synced temporary file and a rename, so a reader
// sees the old file or the new one, never half of one.
func writeFileAtomic(path string, data []byte) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := writeFileSynced(tmp, data); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(path))
}

func writeFileSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncTree flushes every file and folder under dir to disk, so that the renames of a commit never
// expose files whose data is still only in the page cache.
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return syncDir(path)
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		return f.Sync()
	})
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}
