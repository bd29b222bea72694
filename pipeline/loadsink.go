package pipeline

import (
	"context"

	"golang.org/x/sync/errgroup"

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

func (s loadSink) Check(r *transform.Report) error { return load.CheckReport(r) }

// Write writes the tables and the workbooks at once, on two goroutines: they read the report
// store independently, and the workers are idle by now. When one half fails, the other's files
// are removed.
func (s loadSink) Write(ctx context.Context, in SinkInput) ([]Output, error) {
	rejects := make([]load.Reject, len(in.Rejects))
	for i, r := range in.Rejects {
		rejects[i] = load.Reject{Path: r.Path, SHA256: r.SHA256, Bytes: r.Bytes, Stage: r.Stage, Place: r.Place, Reason: r.Reason}
	}
	input := load.Input{Reports: in.Reports, Batch: in.Batch, Rejects: rejects, InputHash: in.InputHash}
	g, gctx := errgroup.WithContext(ctx)
	var tables, books []load.Output
	g.Go(func() (err error) {
		tables, err = s.w.WriteTables(gctx, input)
		return err
	})
	g.Go(func() (err error) {
		books, err = s.w.WriteWorkbooks(gctx, input)
		return err
	})
	if err := g.Wait(); err != nil {
		s.w.Remove(tables)
		s.w.Remove(books)
		return nil, err
	}
	files := append(books, tables...) // "govreports-…" sorts before "parquet/…"
	outs := make([]Output, len(files))
	for i, f := range files {
		outs[i] = Output{Path: f.Path, Table: f.Table, Year: f.Year, Rows: f.Rows, Bytes: f.Bytes, SHA256: f.SHA256}
	}
	return outs, nil
}
