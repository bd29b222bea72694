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

// EarlySink is a Sink that can write the outputs whose content comes from each report alone
// before the batch stage has decided: the pipeline has it write them while the batch stage runs,
// on a core the batch stage leaves idle, and Write the rest.
type EarlySink interface {
	Sink
	// EarlyFits says whether the run's memory allows writing those outputs beside the batch stage
	// and then beside Write; when it does not, Write writes everything.
	EarlyFits() bool
	// WriteEarly writes them, reading reports once in input order while the batch stage and then
	// Write read them too, and lists them. On error nothing it wrote remains.
	WriteEarly(ctx context.Context, reports transform.Reports, inputHash string) ([]Output, error)
	// Remove deletes outputs it wrote, when the rest of the outputs could not be written.
	Remove(outs []Output)
}

// SinkInput is everything a run writes.
type SinkInput struct {
	Reports transform.Reports // in input order
	Batch   *transform.Batch  // the batch stage's decisions, findings and rollups
	Rejects []Reject          // in input order
	// InputHash fingerprints the inputs' contents (see inputSetHash); it goes into the data files.
	InputHash string
	// EarlyWritten says WriteEarly writes the outputs of each report alone: Write leaves them out.
	EarlyWritten bool
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
