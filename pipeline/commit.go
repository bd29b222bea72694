package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrLocked means another run holds the output folder.
var ErrLocked = errors.New("output folder is in use by another run")

// Names in the output folder.
const (
	successFile       = "_SUCCESS"
	summaryFile       = "run.json"
	failedSummaryFile = "failed-run.json"
	lockFile          = ".lock"
	stagingPrefix     = ".staging-"
	asidePrefix       = ".old-"
)

// ownedPatterns are the previous run's outputs that a commit replaces even when this run has no
// counterpart (a workbook of a year no longer among the inputs), so the folder shows one run only.
var ownedPatterns = []string{successFile, "parquet", "govreports-*.xlsx"}

func owned(name string) bool {
	for _, pattern := range ownedPatterns {
		if ok, _ := filepath.Match(pattern, name); ok {
			return true
		}
	}
	return false
}

// removeLeftovers deletes staging and aside folders of runs that died without cleaning up. It runs
// under the lock, so no live run owns them.
func removeLeftovers(out string) ([]string, error) {
	entries, err := os.ReadDir(out)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if name := e.Name(); strings.HasPrefix(name, stagingPrefix) || strings.HasPrefix(name, asidePrefix) {
			if err := os.RemoveAll(filepath.Join(out, name)); err != nil {
				return removed, err
			}
			removed = append(removed, name)
		}
	}
	return removed, nil
}

// commit moves everything in staging into out by rename. The previous outputs are moved aside
// first (_SUCCESS first, so readers see the folder as incomplete during the swap), then the new ones
// move in, then _SUCCESS is written and last finish writes run.json. On any failure the previous
// outputs, _SUCCESS and run.json are put back. The caller removes aside after a success.
func commit(out, staging, aside string, finish func() error) (err error) {
	if err := syncTree(staging); err != nil {
		return fmt.Errorf("sync staged outputs: %w", err)
	}
	fresh, err := os.ReadDir(staging)
	if err != nil {
		return err
	}
	incoming := make(map[string]bool, len(fresh))
	for _, e := range fresh {
		incoming[e.Name()] = true
	}
	previous, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	var replaced []string
	if _, err := os.Lstat(filepath.Join(out, successFile)); err == nil {
		replaced = append(replaced, successFile)
	}
	for _, e := range previous {
		if name := e.Name(); name != successFile && (owned(name) || incoming[name] || name == summaryFile) {
			replaced = append(replaced, name)
		}
	}
	if err := os.Mkdir(aside, 0o755); err != nil {
		return err
	}

	var movedAside, movedIn, written []string
	defer func() {
		if err == nil {
			return
		}
		for _, name := range append(movedIn, written...) {
			os.RemoveAll(filepath.Join(out, name))
		}
		for _, name := range movedAside {
			os.Rename(filepath.Join(aside, name), filepath.Join(out, name))
		}
	}()
	for _, name := range replaced {
		if err := os.Rename(filepath.Join(out, name), filepath.Join(aside, name)); err != nil {
			return fmt.Errorf("move previous output aside: %w", err)
		}
		movedAside = append(movedAside, name)
	}
	for _, e := range fresh {
		if err := os.Rename(filepath.Join(staging, e.Name()), filepath.Join(out, e.Name())); err != nil {
			return fmt.Errorf("move output into place: %w", err)
		}
		movedIn = append(movedIn, e.Name())
	}
	written = append(written, successFile)
	if err := writeFileSynced(filepath.Join(out, successFile), nil); err != nil {
		return fmt.Errorf("write %s: %w", successFile, err)
	}
	written = append(written, summaryFile)
	if err := finish(); err != nil {
		return fmt.Errorf("write %s: %w", summaryFile, err)
	}
	return syncDir(out)
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
