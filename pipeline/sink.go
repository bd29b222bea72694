package pipeline

import (
	"context"

	"github.com/govreports/govreports/transform"
)

// Sink writes a run's outputs into a staging folder. The pipeline calls it from one goroutine, with
// reports and rejects in input order, then Close once, or Abort when the run fails.
type Sink interface {
	// Add writes one report. An error refuses that report only: the run records it as a reject
	// (stage "load") and goes on, so Add must not fail for reasons that concern the whole run.
	Add(r *transform.Report) error
	// Reject records an input that gave no report; an error here ends the run.
	Reject(r Reject) error
	// Close finishes every output file and lists them, paths relative to the staging folder.
	// inputHash fingerprints the inputs' contents (see inputSetHash); it goes into the data files.
	Close(ctx context.Context, inputHash string) ([]Output, error)
	// Abort drops whatever was written; the pipeline removes the staging folder afterwards.
	Abort()
}

// NewSink opens a Sink writing under stagingDir, which exists and is empty.
type NewSink func(stagingDir string, opt SinkOptions) (Sink, error)

// SinkOptions go into the metadata of the data files; none of them depends on the time of the run,
// so the same inputs give the same bytes.
type SinkOptions struct {
	CreatedBy string
}

// Reject is one input that gave no report: a row of the rejects table.
type Reject struct {
	Path   string
	SHA256 string
	Bytes  int64
	RejectInfo
}

// RejectInfo says at which stage and where an input failed, and why.
type RejectInfo struct {
	Stage  string `json:"stage"`
	Place  string `json:"place,omitempty"`
	Reason string `json:"reason"`
}

// Output is one file the run committed.
type Output struct {
	Path   string `json:"path"` // relative to the output folder, slash-separated
	Table  string `json:"table,omitempty"`
	Year   int    `json:"year,omitempty"`
	Rows   int64  `json:"rows"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}
