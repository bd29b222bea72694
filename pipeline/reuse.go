package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Reusing the outputs of an unchanged night. The batch stage and the writers read every report of
// the run, so with the incremental cache a rerun over unchanged inputs would still spend most of
// its time writing the same Parquet and workbooks again. A committed run therefore records, beside
// its cache entries, the outputs key of its dataset: SHA-256 over everything its data files depend
// on (the settings fingerprint, each input in order with its cache key and outcome, the excluded
// bodies, the history folder's listing). A run whose outputs key equals the record's links the
// recorded dataset's data files into staging (a copy where links are refused), checking each
// file's size and SHA-256 against the record, instead of running the batch stage and the writers:
// the files are those a full run would write, since the same inputs and settings give the same
// bytes. Anything that does not match (another key, a file missing or altered, another number of
// inputs) makes the run write its outputs as usual.

// outputsRecordFile is the record, in the cache's format folder.
const outputsRecordFile = "outputs.json"

// outputsRecord is what a committed run leaves for the next.
type outputsRecord struct {
	Key     string   `json:"key"`
	RunID   string   `json:"run_id"`
	Outputs []Output `json:"outputs"`
	// Batch is what the batch stage added to each input's line of run.json, in input order:
	// findings by severity (error, warning, info) and duplicate reports.
	Batch [][4]int `json:"batch"`
}

// outputsKey accumulates a run's outputs key as the collector records the inputs.
type outputsKey struct {
	h hash.Hash
	// broken is set when an input's outcome is not described by what was hashed (a report
	// without a cache key): the run's outputs cannot be reused nor recorded.
	broken bool
}

func newOutputsKey(cfg Config, settings []byte) *outputsKey {
	k := &outputsKey{h: sha256.New()}
	k.h.Write(settings)
	fmt.Fprintf(k.h, "\x00exclude %q\x00", cfg.ExcludeBodies)
	if cfg.History != "" {
		id, err := folderListing(cfg.History)
		if err != nil {
			k.broken = true
		}
		fmt.Fprintf(k.h, "history %s\x00", id)
	}
	return k
}

// add hashes one input's outcome as the collector recorded it.
func (k *outputsKey) add(in *InputSummary, key *cacheKey, reports int) {
	if key == nil && reports > 0 {
		k.broken = true
	}
	if key != nil {
		k.h.Write(key[:])
	}
	fmt.Fprintf(k.h, "|%q %q %d %q %q %q %d", in.Path, in.SHA256, in.Bytes, in.Format, in.Encoding, in.Status, in.Reports)
	if r := in.Reject; r != nil {
		fmt.Fprintf(k.h, " %q %q %q", r.Stage, r.Place, r.Reason)
	}
	k.h.Write([]byte{'\n'})
}

func (k *outputsKey) sum() string { return hex.EncodeToString(k.h.Sum(nil)) }

// folderListing fingerprints a folder by its listing: every name (dot-names left out: the
// output folder's lock, cache and staging), its kind, size, modification time and link target.
func folderListing(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%q %v %d %d", rel, info.Mode(), info.Size(), info.ModTime().UnixNano())
		if d.Type()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			fmt.Fprintf(h, " -> %q", target)
		}
		h.Write([]byte{'\n'})
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

// reuseOutputs links the recorded dataset's data files into staging when the run's outputs key is
// the record's, and completes the run's summary as the batch stage would have. It returns false,
// having left staging as it found it, when the outputs must be written.
func (r *run) reuseOutputs(staging, key string) bool {
	log := r.cfg.Log
	rec, err := readOutputsRecord(filepath.Join(r.cache.dir, outputsRecordFile))
	if err != nil {
		log.Warn().Str(FieldReason, err.Error()).Msg("the record of the last outputs cannot be read: the outputs are written again")
		return false
	}
	if rec == nil || rec.Key != key || len(rec.Batch) != r.sum.numInputs() {
		return false
	}
	dataset := filepath.Join(r.cfg.Out, datasetsDir, rec.RunID)
	var placed []string
	undo := func(reason string) bool {
		for i := len(placed) - 1; i >= 0; i-- {
			os.Remove(placed[i])
		}
		log.Warn().Str(FieldRunID, rec.RunID).Str(FieldReason, reason).
			Msg("the outputs of an unchanged run cannot be reused: they are written again")
		return false
	}
	for _, o := range rec.Outputs {
		rel := filepath.FromSlash(o.Path)
		if !filepath.IsLocal(rel) || rel == summaryFile || rel == successFile {
			return undo(fmt.Sprintf("the record names %q", o.Path))
		}
		dst := filepath.Join(staging, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return undo(err.Error())
		}
		src := filepath.Join(dataset, rel)
		if err := os.Link(src, dst); err != nil {
			if err := copyFile(src, dst); err != nil {
				os.Remove(dst)
				return undo(err.Error())
			}
		}
		placed = append(placed, dst)
		if err := checkFile(dst, o.Bytes, o.SHA256); err != nil {
			return undo(fmt.Sprintf("%s: %v", o.Path, err))
		}
	}
	t := &r.sum.Totals
	t.Findings, t.DuplicateReports = FindingCounts{}, 0
	for i, b := range rec.Batch {
		c := FindingCounts{Error: b[0], Warning: b[1], Info: b[2]}
		r.sum.setCounts(i, c, b[3])
		t.Findings.add(c)
		t.DuplicateReports += b[3]
	}
	r.sum.OutputsFrom = rec.RunID
	r.sum.Outputs = append(r.sum.Outputs, rec.Outputs...)
	log.Info().Str(FieldRunID, rec.RunID).Int(FieldOutputs, len(rec.Outputs)).
		Msg("inputs and settings unchanged: the outputs of the last run are reused")
	return true
}

// checkFile compares a file's size and SHA-256 with what a record says.
func checkFile(path string, size int64, sum string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return err
	}
	if n != size || hex.EncodeToString(h.Sum(nil)) != sum {
		return errors.New("not the file the record describes")
	}
	return nil
}

func readOutputsRecord(path string) (*outputsRecord, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rec outputsRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if rec.RunID == "" || strings.ContainsAny(rec.RunID, `/\`) || rec.RunID == ".." {
		return nil, fmt.Errorf("%s: run id %q", path, rec.RunID)
	}
	return &rec, nil
}

// recordOutputs leaves the record of a committed run for the next one, or removes a record the
// run's outputs no longer match.
func (r *run) recordOutputs() error {
	path := filepath.Join(r.cache.dir, outputsRecordFile)
	if r.outputsKey == "" {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	rec := outputsRecord{Key: r.outputsKey, RunID: r.sum.RunID, Outputs: r.sum.Outputs,
		Batch: make([][4]int, len(r.sum.Inputs))}
	for i, in := range r.sum.Inputs {
		rec.Batch[i] = [4]int{in.Findings.Error, in.Findings.Warning, in.Findings.Info, in.DuplicateReports}
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(r.cache.dir, 0o755); err != nil {
		return err
	}
	tmp := filepath.Join(r.cache.dir, cacheTmpPrefix+outputsRecordFile)
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
