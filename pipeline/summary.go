package pipeline

import (
	"encoding/json"
	"math"
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

func (s *Summary) addInput(in InputSummary) {
	s.Inputs = append(s.Inputs, in)
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
}

func (s *Summary) marshal() ([]byte, error) {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
