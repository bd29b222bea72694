package pipeline

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"
)

// Run statuses in run.json.
const (
	StatusSucceeded = "succeeded" // every input read, outputs committed
	StatusPartial   = "partial"   // outputs committed, some inputs rejected
	StatusFailed    = "failed"    // nothing committed
	StatusCancelled = "cancelled" // interrupted, nothing committed
	StatusRefused   = "refused"   // read too little to replace the outputs in place: nothing committed
)

// Input statuses in run.json.
const (
	InputOK        = "ok"
	InputRejected  = "rejected"
	InputDuplicate = "duplicate"
)

// Summary is run.json: what a run read, what it rejected and why, what it wrote, and how long it took.
type Summary struct {
	RunID    string    `json:"run_id"`
	Version  string    `json:"version"`
	Args     []string  `json:"args"`
	In       string    `json:"in"`
	MoreIn   []string  `json:"more_in,omitempty"` // further input folders
	Out      string    `json:"out"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Status   string    `json:"status"`
	Error    string    `json:"error,omitempty"` // why a failed or refused run committed nothing
	// Dataset is the folder of the committed dataset, relative to the output folder
	// (datasets/<run id>); Outputs' paths are relative to it, and equally to the output folder
	// through its stable paths.
	Dataset string `json:"dataset,omitempty"`
	// Recovery lists what the run repaired in the output folder before it started, after an
	// interrupted run.
	Recovery []Recovery `json:"recovery,omitempty"`
	// InputHash is SHA-256 over the sorted SHA-256 of the inputs, as in the data files' metadata.
	InputHash string `json:"input_hash,omitempty"`
	// OutputsFrom names the run whose data files this run reused, its inputs and settings being
	// the same (see the incremental cache in docs/ARCHITECTURE.md).
	OutputsFrom      string         `json:"outputs_from,omitempty"`
	Inputs           []InputSummary `json:"inputs"`
	Outputs          []Output       `json:"outputs"`
	Totals           Totals         `json:"totals"`
	TimingsMS        Timings        `json:"timings_ms"`
	ReportsPerSecond float64        `json:"reports_per_second"`
	PeakRSSBytes     int64          `json:"peak_rss_bytes"`

	// spill, while set, holds the inputs instead of Inputs: see spillInputs.
	spill *inputSpill
}

// InputSummary is one input's line in run.json.
type InputSummary struct {
	Path     string `json:"path"`
	SHA256   string `json:"sha256,omitempty"`
	Bytes    int64  `json:"bytes"`
	Format   string `json:"format,omitempty"`
	Encoding string `json:"encoding,omitempty"`
	Status   string `json:"status"`
	Reports  int    `json:"reports"`
	// DuplicateReports counts this input's reports of a unit and year that an earlier file holds.
	DuplicateReports int           `json:"duplicate_reports,omitempty"`
	Findings         FindingCounts `json:"findings"`
	Reject           *RejectInfo   `json:"reject,omitempty"`
	// Cached is set when the input's reports (or reject) came from the incremental cache: its
	// bytes were hashed, not read again.
	Cached    bool    `json:"cached,omitempty"`
	ElapsedMS float64 `json:"elapsed_ms"`
}

// FindingCounts counts findings by severity.
type FindingCounts struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
}

func (c *FindingCounts) add(o FindingCounts) {
	c.Error += o.Error
	c.Warning += o.Warning
	c.Info += o.Info
}

// Totals sum the inputs. Rejected includes Duplicates.
type Totals struct {
	Inputs   int `json:"inputs"`
	Reports  int `json:"reports"`
	Rejected int `json:"rejected"`
	// Duplicates counts input files that gave nothing new: the same bytes as an earlier file, or
	// only reports already read from one.
	Duplicates int `json:"duplicates"`
	// DuplicateReports counts reports written but left out of the rollups because an earlier file
	// holds the same unit's report of the same year (finding X.DUPLICATE_UNIT).
	DuplicateReports int           `json:"duplicate_reports"`
	Findings         FindingCounts `json:"findings"`
	// Cached counts the inputs taken from the incremental cache instead of read again.
	Cached int `json:"cached"`
}

// Timings are in milliseconds. ExtractTransform is summed over the workers, so it can exceed Total;
// Load is the time spent in the writers (adding reports and closing); the rest are wall clock.
type Timings struct {
	Discover         float64 `json:"discover"`
	ExtractTransform float64 `json:"extract_transform"`
	Load             float64 `json:"load"`
	Commit           float64 `json:"commit"`
	Total            float64 `json:"total"`
}

// ms is a duration in milliseconds to a tenth: finer would be noise.
func ms(d time.Duration) float64 { return round1(float64(d.Microseconds()) / 1000) }

// round1 rounds to one decimal, for the figures people read in run.json and the log.
func round1(x float64) float64 { return math.Round(x*10) / 10 }

func (s *Summary) addInput(in InputSummary) error {
	if s.spill != nil {
		if err := s.spill.add(&in); err != nil {
			return err
		}
	} else {
		s.Inputs = append(s.Inputs, in)
	}
	s.Totals.Inputs++
	s.Totals.Reports += in.Reports
	s.Totals.DuplicateReports += in.DuplicateReports
	s.Totals.Findings.add(in.Findings)
	if in.Cached {
		s.Totals.Cached++
	}
	switch in.Status {
	case InputDuplicate:
		s.Totals.Duplicates++
		s.Totals.Rejected++
	case InputRejected:
		s.Totals.Rejected++
	}
	return nil
}

// The inputs of a run grow with it: ~250 bytes each in run.json's form (a path, the hex SHA-256,
// a reject's reason), 25 MB at 100,000 inputs alive through the whole load stage. While the run
// reads and writes, Summary keeps of each input only its counters, which the batch stage and the
// reuse of outputs still change (16 bytes), and spills the rest to a file in the staging folder;
// unspill reads them back once the outputs are written, when the memory they take is no longer
// on top of the writers'.

// inputsSpillName is the file of the spilled inputs in the staging folder.
const inputsSpillName = ".inputs.spill"

// inputSpill is the file of spilled inputs: one line of JSON per input, its counters zero.
type inputSpill struct {
	f      *os.File
	w      *bufio.Writer
	counts []inputCounts
}

// inputCounts are the counters of a spilled input.
type inputCounts struct{ err, warn, info, dup int32 }

func (c inputCounts) findings() FindingCounts {
	return FindingCounts{Error: int(c.err), Warning: int(c.warn), Info: int(c.info)}
}

// spillInputs starts keeping the inputs added from now on in a file in dir. The caller must call
// unspill before removing dir.
func (s *Summary) spillInputs(dir string) error {
	if s.spill != nil || len(s.Inputs) > 0 {
		return errors.New("spill inputs: already started")
	}
	f, err := os.OpenFile(filepath.Join(dir, inputsSpillName), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("spill inputs: %w", err)
	}
	s.spill = &inputSpill{f: f, w: bufio.NewWriterSize(f, 1<<16)}
	return nil
}

func (sp *inputSpill) add(in *InputSummary) error {
	c := inputCounts{err: int32(in.Findings.Error), warn: int32(in.Findings.Warning), info: int32(in.Findings.Info),
		dup: int32(in.DuplicateReports)}
	rec := *in
	rec.Findings, rec.DuplicateReports = FindingCounts{}, 0
	line, err := json.Marshal(&rec)
	if err != nil {
		return fmt.Errorf("spill input %s: %w", in.Path, err)
	}
	if _, err := sp.w.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("spill input %s: %w", in.Path, err)
	}
	sp.counts = append(sp.counts, c)
	return nil
}

// numInputs is the number of inputs added.
func (s *Summary) numInputs() int {
	if s.spill != nil {
		return len(s.spill.counts)
	}
	return len(s.Inputs)
}

// addCounts adds to input i's finding counts and duplicate reports, and to the totals.
func (s *Summary) addCounts(i int, c FindingCounts, dup int) {
	if s.spill != nil {
		p := &s.spill.counts[i]
		p.err += int32(c.Error)
		p.warn += int32(c.Warning)
		p.info += int32(c.Info)
		p.dup += int32(dup)
	} else {
		s.Inputs[i].Findings.add(c)
		s.Inputs[i].DuplicateReports += dup
	}
	s.Totals.Findings.add(c)
	s.Totals.DuplicateReports += dup
}

// setCounts replaces input i's finding counts and duplicate reports; the caller keeps the totals.
func (s *Summary) setCounts(i int, c FindingCounts, dup int) {
	if s.spill != nil {
		s.spill.counts[i] = inputCounts{err: int32(c.Error), warn: int32(c.Warning), info: int32(c.Info), dup: int32(dup)}
		return
	}
	s.Inputs[i].Findings, s.Inputs[i].DuplicateReports = c, dup
}

// eachInput calls fn with every input in order, as run.json will list it.
func (s *Summary) eachInput(fn func(*InputSummary) error) error {
	if s.spill == nil {
		for i := range s.Inputs {
			if err := fn(&s.Inputs[i]); err != nil {
				return err
			}
		}
		return nil
	}
	sp := s.spill
	if err := sp.w.Flush(); err != nil {
		return fmt.Errorf("spilled inputs: %w", err)
	}
	if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("spilled inputs: %w", err)
	}
	// Writes go on at the end of the file once the inputs are read.
	defer sp.f.Seek(0, io.SeekEnd)
	rd := bufio.NewReaderSize(sp.f, 1<<16)
	for i := range sp.counts {
		line, err := rd.ReadBytes('\n')
		if err != nil {
			return fmt.Errorf("spilled inputs: input %d: %w", i, err)
		}
		var in InputSummary
		d := json.NewDecoder(bytes.NewReader(line))
		d.DisallowUnknownFields()
		if err := d.Decode(&in); err != nil {
			return fmt.Errorf("spilled inputs: input %d: %w", i, err)
		}
		in.Findings, in.DuplicateReports = sp.counts[i].findings(), int(sp.counts[i].dup)
		if err := fn(&in); err != nil {
			return err
		}
	}
	return nil
}

// unspill reads the spilled inputs back into Inputs and removes their file. It is a no-op when
// the inputs are not spilled.
func (s *Summary) unspill() error {
	sp := s.spill
	if sp == nil {
		return nil
	}
	inputs := make([]InputSummary, 0, len(sp.counts))
	err := s.eachInput(func(in *InputSummary) error {
		inputs = append(inputs, *in)
		return nil
	})
	name := sp.f.Name()
	if cerr := sp.f.Close(); err == nil {
		err = cerr
	}
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	s.spill = nil
	if err != nil {
		return err
	}
	s.Inputs = append(s.Inputs, inputs...)
	return nil
}

func (s *Summary) marshal() ([]byte, error) {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
