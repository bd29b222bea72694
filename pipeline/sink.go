package pipeline

import (
	"context"

	"github.com/govreports/govreports/transform"
)

// Sink writes a run's outputs into a staging folder. The pipeline checks each report with Check as
// it arrives, then, once every input is read and the batch stage has run, calls Write once.
type Sink interface {
	// Check refuses a report the outputs cannot hold; the run records it as a reject (stage "load")
	// and goes on, so Check must not fail for reasons that concern the whole run. The workers call
	// it, several at once.
	Check(r *transform.Report) error
	// Write writes every output file into staging and lists them, paths relative to the staging
	// folder. On error nothing it wrote remains.
	Write(ctx context.Context, in SinkInput) ([]Output, error)
}

// SinkInput is everything a run writes.
type SinkInput struct {
	Reports transform.Reports // in input order
	Batch   *transform.Batch  // the batch stage's decisions, findings and rollups
	Rejects []Reject          // in input order
	// InputHash fingerprints the inputs' contents (see inputSetHash); it goes into the data files.
	InputHash string
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
