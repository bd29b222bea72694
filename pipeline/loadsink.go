package pipeline

import (
	"context"

	"github.com/govreports/govreports/load"
	"github.com/govreports/govreports/transform"
)

// LoadSink is the real Sink: load.Writer, writing Parquet (and the workbooks) into staging.
func LoadSink(stagingDir string, opt SinkOptions) (Sink, error) {
	w, err := load.NewWriter(stagingDir, load.Options{
		SchemaVersion: load.SchemaVersion,
		CreatedBy:     opt.CreatedBy,
	})
	if err != nil {
		return nil, err
	}
	return loadSink{w}, nil
}

type loadSink struct{ w *load.Writer }

func (s loadSink) Add(r *transform.Report) error { return s.w.Add(r) }

func (s loadSink) Reject(r Reject) error {
	return s.w.Reject(load.Reject{Path: r.Path, SHA256: r.SHA256, Bytes: r.Bytes,
		Stage: r.Stage, Place: r.Place, Reason: r.Reason})
}

func (s loadSink) Close(ctx context.Context, inputHash string) ([]Output, error) {
	s.w.SetInputHash(inputHash)
	files, err := s.w.Close(ctx)
	if err != nil {
		return nil, err
	}
	outs := make([]Output, len(files))
	for i, f := range files {
		outs[i] = Output{Path: f.Path, Table: f.Table, Year: f.Year, Rows: f.Rows, Bytes: f.Bytes, SHA256: f.SHA256}
	}
	return outs, nil
}

func (s loadSink) Abort() { s.w.Abort() }
