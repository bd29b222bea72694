package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Input is one file found under the input folder.
type Input struct {
	Path string // the input folder joined with Rel: how the user names the file
	Rel  string // relative to the input folder, slash-separated; the sort key
	Size int64  // at discovery
}

// unlisted is a folder under the input folder that could not be listed: its files are unknown, so
// the run reports it as a reject instead of silently reading less.
type unlisted struct {
	Path string
	Err  error
}

// discoverAll lists the files of every input folder, folder by folder in the order given.
func discoverAll(ctx context.Context, ins []string, out string, include, exclude []string) ([]Input, []unlisted, error) {
	var inputs []Input
	var skipped []unlisted
	for _, in := range ins {
		i, s, err := discover(ctx, in, out, include, exclude)
		if err != nil {
			return nil, nil, err
		}
		inputs, skipped = append(inputs, i...), append(skipped, s...)
	}
	return inputs, skipped, nil
}

// discover lists the files under in, recursively, sorted by relative path. It skips hidden files
// and folders, the output folder when it lies inside in, and symlinked folders (which could loop).
func discover(ctx context.Context, in, out string, include, exclude []string) ([]Input, []unlisted, error) {
	outInfo, _ := os.Stat(out) // nil when out does not exist yet: then nothing of it can be under in
	var inputs []Input
	var skipped []unlisted
	err := filepath.WalkDir(in, func(path string, d fs.DirEntry, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if err != nil {
			if path == in {
				return err
			}
			skipped = append(skipped, unlisted{Path: path, Err: err})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if path != in && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if outInfo != nil && path != in {
				if info, err := d.Info(); err == nil && os.SameFile(info, outInfo) {
					return fs.SkipDir
				}
			}
			return nil
		}
		info, err := os.Stat(path) // follows a symlinked file; a dangling link fails here
		if err != nil {
			skipped = append(skipped, unlisted{Path: path, Err: err})
			return nil
		}
		if !info.Mode().IsRegular() || !selected(d.Name(), include, exclude) {
			return nil
		}
		rel, err := filepath.Rel(in, path)
		if err != nil {
			return err
		}
		inputs = append(inputs, Input{Path: path, Rel: filepath.ToSlash(rel), Size: info.Size()})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("list input folder %s: %w", in, err)
	}
	slices.SortFunc(inputs, func(a, b Input) int { return strings.Compare(a.Rel, b.Rel) })
	return inputs, skipped, nil
}

// selected applies the include and exclude globs to a base name. The patterns were validated with
// the configuration, so Match errors cannot happen here.
func selected(name string, include, exclude []string) bool {
	for _, pattern := range exclude {
		if ok, _ := filepath.Match(pattern, name); ok {
			return false
		}
	}
	if len(include) == 0 {
		return true
	}
	for _, pattern := range include {
		if ok, _ := filepath.Match(pattern, name); ok {
			return true
		}
	}
	return false
}

// inputSetHash fingerprints the input set for the data files' metadata and run.json: SHA-256 over
// the sorted SHA-256 of the inputs' contents, so it depends on what was read, not on names or runs.
func inputSetHash(inputs []InputSummary) string {
	sums := make([]string, 0, len(inputs))
	for _, in := range inputs {
		sums = append(sums, in.SHA256)
	}
	return hashSums(sums)
}

// inputHash is inputSetHash of the summary's inputs, spilled or not.
func (s *Summary) inputHash() (string, error) {
	sums := make([]string, 0, s.numInputs())
	err := s.eachInput(func(in *InputSummary) error {
		sums = append(sums, in.SHA256)
		return nil
	})
	return hashSums(sums), err
}

// hashSums is SHA-256 over the sorted sums, one a line. It sorts sums.
func hashSums(sums []string) string {
	slices.Sort(sums)
	h := sha256.New()
	for _, s := range sums {
		fmt.Fprintf(h, "%s\n", s)
	}
	return hex.EncodeToString(h.Sum(nil))
}
