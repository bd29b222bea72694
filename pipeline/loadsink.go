package pipeline

import (
	"context"
	"runtime"
	"runtime/debug"
	"runtime/metrics"

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
	return &loadSink{w: w}, nil
}

type loadSink struct {
	w *load.Writer
	// atOnce says whether the early tables and the two halves may run at the same time; bothFit
	// when nil.
	atOnce func() bool
	// together is atOnce's answer, asked once: at EarlyFits, after the collector, or at Write when
	// no early write was asked for.
	together *bool
}

// runTogether returns the run's one decision to write at once or one thing after another. It is
// taken once because the live heap is a fair measure only before the early write starts: after
// it, the heap holds that write's open row groups, more or fewer depending on where it has got to,
// and the same batch could take one order one night and the other the next.
func (s *loadSink) runTogether() bool {
	if s.together == nil {
		fits := s.atOnce
		if fits == nil {
			fits = bothFit
		}
		v := fits()
		s.together = &v
	}
	return *s.together
}

func (s *loadSink) Check(r *transform.Report) error { return load.CheckReport(r) }

// Write writes the tables and the workbooks, at once on two goroutines when the memory allows it
// (load starts none of its own): the two halves read the report store and the batch
// independently. When either half fails the other is cancelled and what both wrote is removed.
func (s *loadSink) Write(ctx context.Context, in SinkInput) ([]Output, error) {
	rejects := make([]load.Reject, len(in.Rejects))
	for i, r := range in.Rejects {
		rejects[i] = load.Reject{Path: r.Path, SHA256: r.SHA256, Bytes: r.Bytes, Stage: r.Stage, Place: r.Place, Reason: r.Reason}
	}
	li := load.Input{Reports: in.Reports, Batch: in.Batch, Rejects: rejects, InputHash: in.InputHash, ReportTablesApart: in.EarlyWritten}
	var tables, books []load.Output
	g, gctx := errgroup.WithContext(ctx)
	if s.runTogether() {
		// The workbooks outlast the tables: two years at once keep both cores busy to the end.
		li.BookWorkers = booksAtOnce
	} else {
		g.SetLimit(1)
	}
	g.Go(func() (err error) { tables, err = s.w.WriteTables(gctx, li); return err })
	g.Go(func() (err error) { books, err = s.w.WriteWorkbooks(gctx, li); return err })
	if err := g.Wait(); err != nil {
		s.w.Remove(tables)
		s.w.Remove(books)
		return nil, err
	}
	return outputsOf(append(books, tables...)), nil
}

// EarlyFits: the tables of each report alone are written beside the batch stage and then beside
// both halves when the run writes at once (runTogether).
func (s *loadSink) EarlyFits() bool { return s.runTogether() }

// WriteEarly writes the tables whose rows come from each report alone (load.WriteReportTables).
func (s *loadSink) WriteEarly(ctx context.Context, reports transform.Reports, inputHash string) ([]Output, error) {
	files, err := s.w.WriteReportTables(ctx, reports, inputHash)
	if err != nil {
		return nil, err
	}
	return outputsOf(files), nil
}

// Remove deletes files the sink wrote.
func (s *loadSink) Remove(outs []Output) {
	files := make([]load.Output, len(outs))
	for i, o := range outs {
		files[i] = load.Output{Path: o.Path}
	}
	s.w.Remove(files)
}

func outputsOf(files []load.Output) []Output {
	outs := make([]Output, len(files))
	for i, f := range files {
		outs[i] = Output{Path: f.Path, Table: f.Table, Year: f.Year, Rows: f.Rows, Bytes: f.Bytes, SHA256: f.SHA256}
	}
	return outs
}

// booksAtOnce is how many years' workbooks a run writing at once builds at the same time.
const booksAtOnce = 2

// loadWorkingSet is what the batch stage and writing at once (the early tables beside the batch
// stage, then beside both halves) add to the live heap beyond what the collector leaves: the batch
// stage's decisions and findings, the tables' open row groups and the workbooks' view of their
// year, which grow with the batch. Measured (GODEBUG=gctrace=1): 10,000 generated reports leave
// 12.7 MiB live after the collector and peak at 72 MiB written at once; 60,000 leave 19.8 MiB and
// peaked at 124 MB written at once, past the soft limit's 3/4, which the guard then raised (228 MiB
// peak RSS against 182 MiB one thing after another); 100,000 leave 24.8 MiB and 43 MiB after the
// batch stage alone.
const loadWorkingSet = 95 << 20

// bothFit reports whether the run may write at once: when what the collector leaves live, with
// loadWorkingSet on top, stays clear of the soft memory limit (below 3/4 of it, where limitGuard
// would raise the default). Under the default limit that is a live heap of at most 17.5 MiB:
// 10,000 reports write at once (farm-bench, 5 pairs: 0.94 of the wall time of one thing after
// another for 1.04 of the CPU; 181 MiB peak RSS), and 40,000 (16.9 MiB, 184 MiB); 60,000 and
// 100,000 one thing after another (182 MiB both), so a large batch's memory stays flat.
func bothFit() bool {
	// The runtime measures the live heap at the end of each collection; one collection here (tens
	// of milliseconds) measures it now, before the batch stage, rather than wherever the last one
	// fell, so that the same batch takes the same order from run to run.
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return false
	}
	return fitsAtOnce(int64(sample[0].Value.Uint64()), debug.SetMemoryLimit(-1))
}

// fitsAtOnce is bothFit's rule for a live heap and a soft limit.
func fitsAtOnce(live, limit int64) bool {
	return (live+loadWorkingSet)*nearDen <= limit*nearNum
}

// earlyWrite is an EarlySink's WriteEarly running beside the batch stage and Write.
type earlyWrite struct {
	sink   EarlySink
	cancel context.CancelFunc
	done   chan struct{}
	outs   []Output
	err    error
	kept   bool
}

func startEarly(ctx context.Context, s EarlySink, reports transform.Reports, inputHash string) *earlyWrite {
	ctx, cancel := context.WithCancel(ctx)
	e := &earlyWrite{sink: s, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		e.outs, e.err = s.WriteEarly(ctx, reports, inputHash)
	}()
	return e
}

// keep waits for the early write and returns what it wrote: the run keeps it.
func (e *earlyWrite) keep() ([]Output, error) {
	<-e.done
	e.cancel()
	e.kept = e.err == nil
	return e.outs, e.err
}

// abandon stops the early write, unless kept, and removes what it wrote: the run failed before
// the rest of the outputs were written.
func (e *earlyWrite) abandon() {
	if e.kept {
		return
	}
	e.cancel()
	<-e.done
	if len(e.outs) > 0 {
		e.sink.Remove(e.outs)
	}
}
