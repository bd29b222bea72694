package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/load"
	"github.com/govreports/govreports/transform"
)

// Result is what a run did. Summary is set whenever the run got as far as reading inputs.
type Result struct {
	Summary *Summary
	// TooManyRejects is set when the outputs were committed but more inputs were rejected than
	// Config.MaxRejects allows.
	TooManyRejects bool
}

// Run reads every input under cfg.In and commits the outputs into cfg.Out. A rejected input never
// stops the run; an error means nothing was committed and the previous outputs are untouched.
// Errors are a *ConfigError for a mistake in cfg, wrap ErrLocked when another run holds cfg.Out,
// and wrap context.Canceled when ctx was cancelled.
func Run(ctx context.Context, cfg Config) (Result, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Result{}, err
	}
	started := time.Now()
	old := debug.SetMemoryLimit(cfg.MemoryLimit)
	defer debug.SetMemoryLimit(old)
	defer paceCollector()()
	stopGuard := limitGuard(cfg.MemoryLimit, cfg.memoryLimitChosen, guardInterval, cfg.Log)
	defer stopGuard()
	r := &run{
		cfg: cfg,
		sum: &Summary{
			RunID:   newRunID(started),
			Version: cfg.Version,
			Args:    cfg.Args,
			In:      cfg.In,
			MoreIn:  cfg.MoreIn,
			Out:     cfg.Out,
			Started: started.UTC(),
			Inputs:  []InputSummary{},
			Outputs: []Output{},
		},
		started:   started,
		pause:     func(string) error { return nil },
		firstByID: make(map[string]string),
		entries:   transform.NewEntries(),
	}
	err = r.execute(ctx)
	res := Result{Summary: r.sum}
	if err == nil {
		res.TooManyRejects = r.sum.Totals.Rejected > cfg.MaxRejects
	}
	return res, err
}

type run struct {
	cfg     Config
	sum     *Summary
	started time.Time
	// pause stops the run at a step named by Config.PauseAt (see pauser); a no-op otherwise.
	pause func(step string) error
	// loadTime and workTime add up the time spent in the sink and in the workers.
	loadTime, workTime time.Duration
	// firstByID names the input each report came from, so a report read twice is written once.
	firstByID map[string]string
	// store holds every report written, in input order, and inputOf the index in sum.Inputs of
	// the input each came from; rejects the inputs that gave none.
	store   *spillStore
	inputOf []int32
	// entries are the batch stage's entries of the stored reports, in store order.
	entries *transform.Entries
	rejects []Reject
	// sink is the run's Sink; the workers call its Check.
	sink Sink
	// release gives bytes back to the bytes in flight.
	release func(int64)
	// cache is the incremental cache (see cache.go); nil until the output folder is locked.
	cache *inputCache
	// outKey accumulates the outputs key (see reuse.go), outputsKey is its value once every
	// input is recorded; "" when the outputs cannot be keyed.
	outKey     *outputsKey
	outputsKey string
}

// fileResult is what a worker hands the collector for one input.
type fileResult struct {
	input     Input
	sha256    string
	bytes     int64
	format    string
	encoding  string
	reports   []encodedReport
	reject    *RejectInfo
	stack     []byte // set when a stage panicked
	cancelled bool
	cached    bool      // taken from the incremental cache
	key       *cacheKey // the input's cache key, when its outcome is cacheable
	elapsed   time.Duration
	// held is what the result still counts against the bytes in flight (its encoded reports),
	// released once the collector has stored it.
	held int64
}

// encodedReport is one report as a worker hands it over: encoded for the store, with what the
// collector needs to know of it without decoding it.
type encodedReport struct {
	id, unit string
	findings FindingCounts
	// refused is the sink's Check error: the report becomes a reject.
	refused error
	enc     []byte
	// entry is what the batch stage keeps of the report, made where the report is whole.
	entry transform.Entry
}

// encodedBytes is the size of a result's encoded reports.
func (res *fileResult) encodedBytes() int64 {
	n := int64(0)
	for i := range res.reports {
		n += int64(len(res.reports[i].enc))
	}
	return n
}

func (r *run) execute(ctx context.Context) error {
	cfg, log := r.cfg, r.cfg.Log
	go transform.Prepare()
	t := time.Now()
	inputs, skipped, err := discoverAll(ctx, cfg.inputFolders(), cfg.Out, cfg.Include, cfg.Exclude)
	if err != nil {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return err
	}
	r.sum.TimingsMS.Discover = ms(time.Since(t))

	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return fmt.Errorf("create output folder: %w", err)
	}
	unlock, err := lockFolder(cfg.Out, fmt.Sprintf("run %s (pid %d, started %s)",
		r.sum.RunID, os.Getpid(), r.sum.Started.Format(time.RFC3339)))
	if err != nil {
		return err
	}
	defer unlock()
	r.pause = r.pauser(ctx)
	f := &folder{out: cfg.Out, ops: osOps, log: log, pause: r.pause}
	if err := r.recover(f); err != nil {
		r.recordFailure(err)
		return err
	}
	previous, err := f.readPrevious()
	if err != nil {
		log.Warn().Str(FieldReason, err.Error()).
			Msg("the current outputs' run.json cannot be read: the run is not compared with them")
	}
	if len(inputs) == 0 && len(skipped) == 0 {
		err := fmt.Errorf("%w: the input folder %s holds no file to read (include %q, exclude %q); the previous outputs stay in place",
			ErrRefused, strings.Join(cfg.inputFolders(), ", "), cfg.Include, cfg.Exclude)
		r.recordFailure(err)
		return err
	}
	if !cfg.noCache {
		r.cache = newInputCache(cfg)
		r.outKey = newOutputsKey(cfg, r.cache.settings)
	}
	staging := filepath.Join(cfg.Out, stagingPrefix+r.sum.RunID)
	if err := os.Mkdir(staging, 0o755); err != nil {
		return fmt.Errorf("create staging folder: %w", err)
	}
	if err := r.sum.spillInputs(staging); err != nil {
		os.RemoveAll(staging)
		return err
	}
	log.Info().Str(FieldRunID, r.sum.RunID).Int(FieldInputs, len(inputs)).Int(FieldWorkers, cfg.Workers).
		Str(FieldOut, cfg.Out).Msg("run started")
	r.pauseInStages()

	err = r.produce(ctx, inputs, skipped, staging)
	if r.cache != nil {
		// The workers are done: the run's cache entries are kept (indexed) committed or not.
		r.cache.close()
	}
	// The outputs are written: the inputs come back into memory for run.json and the Result.
	if uerr := r.sum.unspill(); err == nil {
		err = uerr
	}
	if err == nil && ctx.Err() != nil {
		err = context.Cause(ctx)
	}
	if err == nil {
		err = r.policy(previous)
	}
	if err == nil {
		err = r.pause(stepStaged)
	}
	if err == nil {
		cfg.Progress.begin("committing", 0)
		err = r.commit(f, staging)
		cfg.Progress.end()
	}
	if err != nil {
		os.RemoveAll(staging)
		r.recordFailure(err)
		return err
	}
	// Only a committed run decides which entries are still wanted: a run that committed nothing
	// (an empty mount, a cancelled night) leaves every entry for the next.
	if r.cache != nil {
		if err := r.recordOutputs(); err != nil {
			log.Warn().Str(FieldReason, err.Error()).Msg("could not record the outputs for the next run")
		}
		if n, err := r.cache.prune(); err != nil {
			log.Warn().Str(FieldReason, err.Error()).Msg("could not prune the incremental cache")
		} else if n > 0 {
			log.Debug().Int(FieldRemoved, n).Msg("incremental cache pruned")
		}
	}
	r.logSummary()
	return nil
}

// recover repairs the output folder after an interrupted run and says what it did, in the log and
// in the run's summary.
func (r *run) recover(f *folder) error {
	done, err := f.recover()
	r.sum.Recovery = append(r.sum.Recovery, done...)
	for _, rec := range done {
		r.cfg.Log.Warn().Str(FieldAction, rec.Action).Str(FieldRunID, rec.RunID).Str(FieldReason, rec.Detail).
			Msg("output folder recovered after an interrupted run")
	}
	if err != nil {
		return fmt.Errorf("recover the output folder after an interrupted run: %w", err)
	}
	return nil
}

// ErrRefused means the run read too little to replace the outputs in place (no report at all, or
// fewer than half as many as the current outputs hold): it committed nothing and kept them.
var ErrRefused = errors.New("nothing committed")

// policy protects the last good outputs from a bad night: a missing mount, the wrong folder, a
// night of garbage. A few rejects among good files are not its business (see MaxRejects).
func (r *run) policy(previous *previousRun) error {
	n, t := r.sum.Totals.Reports, r.sum.Totals
	switch {
	case n == 0:
		return fmt.Errorf("%w: no report was read (%d inputs, %d rejected); the previous outputs stay in place",
			ErrRefused, t.Inputs, t.Rejected)
	case previous != nil && !r.cfg.AllowShrink && 2*n < previous.Reports:
		return fmt.Errorf("%w: %d reports read, fewer than half of the %d in the outputs of run %s that this run would replace; "+
			"they stay in place (if the smaller set is right, run again with --allow-shrink)",
			ErrRefused, n, previous.Reports, previous.RunID)
	}
	return nil
}

// pauser returns the run's pause function: it stops at the step named by Config.PauseAt until
// ctx ends (the crash tests kill the process there), and does nothing at any other step.
func (r *run) pauser(ctx context.Context) func(step string) error {
	at := r.cfg.PauseAt
	return func(step string) error {
		if at == "" || step != at {
			return nil
		}
		r.cfg.Log.Warn().Str(FieldStep, step).Msg(pausedMessage)
		<-ctx.Done()
		return context.Cause(ctx)
	}
}

// pauseInStages makes the first input read, or the writers' Close, stop at the pause step, when
// that step is one of theirs.
func (r *run) pauseInStages() {
	switch r.cfg.PauseAt {
	case stepReading:
		read := r.cfg.Stages.Extract
		var first atomic.Bool
		r.cfg.Stages.Extract = func(ctx context.Context, path string, data []byte, sha256 string) (*extract.Document, error) {
			if first.CompareAndSwap(false, true) {
				if err := r.pause(stepReading); err != nil {
					return nil, err
				}
			}
			return read(ctx, path, data, sha256)
		}
	case stepSaving:
		open := r.cfg.NewSink
		r.cfg.NewSink = func(dir string, opt SinkOptions) (Sink, error) {
			s, err := open(dir, opt)
			if err != nil {
				return nil, err
			}
			return pausingSink{s, r.pause}, nil
		}
	}
}

// pausingSink stops before its outputs are written.
type pausingSink struct {
	Sink
	pause func(step string) error
}

func (s pausingSink) Write(ctx context.Context, in SinkInput) ([]Output, error) {
	if err := s.pause(stepSaving); err != nil {
		return nil, err
	}
	return s.Sink.Write(ctx, in)
}

// produce runs discovery's results through the workers, the batch stage and the sink, leaving
// finished outputs in staging.
func (r *run) produce(ctx context.Context, inputs []Input, skipped []unlisted, staging string) error {
	cfg := r.cfg
	sink, err := cfg.NewSink(staging, SinkOptions{
		CreatedBy: "govreports " + cfg.Version,
	})
	if err != nil {
		return fmt.Errorf("open writers: %w", err)
	}
	r.sink = sink
	if r.store, err = newSpillStore(staging); err != nil {
		return err
	}
	// The store is a working file of the run, never an output.
	defer r.store.remove()
	for _, s := range skipped {
		res := fileResult{input: Input{Path: s.Path}, reject: &RejectInfo{Stage: StageDiscover, Reason: err2reason(s.Err)}}
		if err := r.record(sink, res); err != nil {
			return err
		}
	}

	cfg.Progress.begin("reading", len(inputs))
	err = r.collectInOrder(ctx, inputs, sink)
	if err != nil {
		cfg.Progress.end()
		return err
	}
	// What only the collector needed: a run keeps a few bytes per report from here on.
	r.firstByID = nil
	cfg.Progress.begin("saving", 0)
	defer cfg.Progress.end()
	t := time.Now()
	defer func() { r.loadTime += time.Since(t) }()
	if r.outKey != nil && !r.outKey.broken {
		r.outputsKey = r.outKey.sum()
		if err := r.pause(stepSaving); err != nil {
			return err
		}
		if !cfg.Full && r.reuseOutputs(staging, r.outputsKey) {
			r.inputOf = nil
			if r.sum.InputHash, err = r.sum.inputHash(); err != nil {
				return err
			}
			if err := r.store.remove(); err != nil {
				return fmt.Errorf("remove the report store: %w", err)
			}
			return nil
		}
	}
	opt := transform.BatchOptions{Exclude: cfg.ExcludeBodies, Divisions: transform.Divisions}
	if cfg.History != "" {
		years, err := adjacentYears(r.store)
		if err == nil {
			opt.History, err = load.ReadHistory(ctx, cfg.History, years)
		}
		switch {
		case errors.Is(err, load.ErrNoHistory):
			// The first night of a history kept in the output folder itself: nothing to compare yet.
			cfg.Log.Warn().Str(FieldHistory, cfg.History).Msg("no earlier outputs in the history folder: the cross-year rules compare this run's reports only")
		case err != nil:
			return fmt.Errorf("read history: %w", err)
		default:
			cfg.Log.Info().Str(FieldHistory, cfg.History).Int(FieldReports, len(opt.History.Reports)).Msg("history read")
		}
	}
	spill, err := newScratchFile(staging, batchSpillName)
	if err != nil {
		return err
	}
	defer spill.remove()
	opt.Spill = spill.f
	opt.Entries, r.entries = r.entries, nil
	if r.sum.InputHash, err = r.sum.inputHash(); err != nil {
		return err
	}
	var early *earlyWrite
	if es, ok := sink.(EarlySink); ok && es.EarlyFits() {
		// Deferred after the store's removal, so it runs first: the early write reads the store.
		early = startEarly(ctx, es, r.store, r.sum.InputHash)
		defer early.abandon()
	}
	batch, err := transform.Decide(ctx, r.store, opt)
	if err != nil {
		return fmt.Errorf("batch stage: %w", err)
	}
	if err := r.recordBatch(batch); err != nil {
		return err
	}
	r.inputOf = nil
	outputs, err := sink.Write(ctx, SinkInput{Reports: r.store, Batch: batch, Rejects: r.rejects, InputHash: r.sum.InputHash,
		EarlyWritten: early != nil})
	if err != nil {
		return fmt.Errorf("write outputs: %w", err)
	}
	if early != nil {
		more, err := early.keep()
		if err != nil {
			early.sink.Remove(outputs)
			return fmt.Errorf("write outputs: %w", err)
		}
		outputs = append(outputs, more...)
		slices.SortFunc(outputs, func(a, b Output) int { return strings.Compare(a.Path, b.Path) })
	}
	if err := r.store.remove(); err != nil {
		return fmt.Errorf("remove the report store: %w", err)
	}
	if err := spill.remove(); err != nil {
		return fmt.Errorf("remove the batch spill: %w", err)
	}
	// Staging paths are the committed paths: the commit moves the folder's entries as they are.
	for _, o := range outputs {
		o.Path = filepath.ToSlash(o.Path)
		r.sum.Outputs = append(r.sum.Outputs, o)
	}
	return nil
}

// adjacentYears are the years next to the run's: the only ones of History the cross-year rules
// and coverage compare with.
func adjacentYears(reps transform.Reports) ([]int, error) {
	seen := map[int]bool{}
	var years []int
	rd := transform.NewPassReader(reps)
	for i := range reps.Len() {
		r, err := rd.At(i)
		if err != nil {
			return nil, err
		}
		for _, y := range []int{r.Year - 1, r.Year + 1} {
			if r.Year != 0 && !seen[y] {
				seen[y] = true
				years = append(years, y)
			}
		}
	}
	slices.Sort(years)
	return years, nil
}

// recordBatch adds what the batch stage found to run.json: its findings, counted with the inputs
// of their reports, and the reports that duplicate another unit's.
func (r *run) recordBatch(b *transform.Batch) error {
	for f, err := range b.Findings() {
		if err != nil {
			return fmt.Errorf("batch stage: %w", err)
		}
		c := FindingCounts{}
		switch f.Severity {
		case transform.SevError:
			c.Error = 1
		case transform.SevWarning:
			c.Warning = 1
		case transform.SevInfo:
			c.Info = 1
		}
		r.sum.addCounts(int(r.inputOf[f.Report]), c, 0)
	}
	for i, d := range b.Decisions {
		if d.Role == transform.RoleDuplicate {
			r.sum.addCounts(int(r.inputOf[i]), FindingCounts{}, 1)
		}
	}
	return nil
}

// collectInOrder reads and transforms the inputs on cfg.Workers workers and hands the results to
// the sink in input order. Each input gets a one-slot future; the futures queue holds at most
// cfg.Window of them, so however slow one file is, no more than Window+Workers results wait in
// memory. Bytes bound them too: an input is dispatched only once its weight (its size and an
// estimate of what reading it builds) fits in the bytes in flight, a quarter of the memory limit;
// the worker gives back all but its encoded reports, the collector the rest. Weights are taken
// in input order, so the result the collector waits for always holds its own.
func (r *run) collectInOrder(ctx context.Context, inputs []Input, sink Sink) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	budget := max(r.cfg.MemoryLimit/inFlightShare, minWeight)
	inFlight := semaphore.NewWeighted(budget)
	futures := make(chan chan fileResult, r.cfg.Window)
	var workers errgroup.Group
	workers.SetLimit(r.cfg.Workers)
	dispatched := make(chan struct{})
	go func() {
		defer close(dispatched)
		defer close(futures)
		for _, in := range inputs {
			w := weight(in, r.cfg.Limits.MaxBuilt, budget)
			if inFlight.Acquire(ctx, w) != nil {
				return
			}
			future := make(chan fileResult, 1)
			select {
			case futures <- future:
			case <-ctx.Done():
				return
			}
			workers.Go(func() error {
				res := r.processFile(ctx, in)
				res.held = min(res.encodedBytes(), w)
				inFlight.Release(w - res.held)
				future <- res
				return nil
			})
		}
	}()
	r.release = func(n int64) { inFlight.Release(n) }

	err := r.collect(ctx, futures, sink, len(inputs))
	cancel(err)
	<-dispatched
	workers.Wait()
	return err
}

func (r *run) collect(ctx context.Context, futures <-chan chan fileResult, sink Sink, want int) error {
	firstBySHA := make(map[string]string)
	got := 0
	for future := range futures {
		var res fileResult
		select {
		case res = <-future:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		if res.cancelled {
			return context.Cause(ctx)
		}
		if res.reject == nil {
			if first, ok := firstBySHA[res.sha256]; ok {
				res.reports = nil
				res.reject = &RejectInfo{Stage: StageDedupe,
					Reason: fmt.Sprintf("same content as %s, whose reports are kept", first)}
			} else {
				firstBySHA[res.sha256] = res.input.Path
			}
		}
		err := r.record(sink, res)
		r.release(res.held)
		if err != nil {
			return err
		}
		got++
		r.cfg.Progress.advance(len(res.reports))
	}
	if got < want {
		return context.Cause(ctx)
	}
	return nil
}

// record takes one input's outcome for the batch and run.json. A report the sink refuses, or one
// already read from an earlier file, becomes a reject of its own; the input counts as rejected when
// none of its reports was kept. Its only error is the report store's: the run cannot go on.
func (r *run) record(sink Sink, res fileResult) error {
	in := InputSummary{
		Path:      res.input.Path,
		SHA256:    res.sha256,
		Bytes:     res.bytes,
		Format:    res.format,
		Encoding:  res.encoding,
		Status:    InputOK,
		Cached:    res.cached,
		ElapsedMS: ms(res.elapsed),
	}
	r.workTime += res.elapsed
	t := time.Now()
	defer func() { r.loadTime += time.Since(t) }()

	reject := func(info RejectInfo, stack []byte) {
		if in.Reject == nil {
			in.Reject = &info
		}
		ev := r.cfg.Log.Warn().Str(FieldPath, in.Path).Str(FieldStage, info.Stage)
		if info.Place != "" {
			ev = ev.Str(FieldPlace, info.Place)
		}
		ev = ev.Str(FieldReason, info.Reason)
		if in.SHA256 != "" {
			ev = ev.Str(FieldSHA256, in.SHA256)
		}
		if stack != nil {
			ev = ev.Bytes(FieldStack, stack)
		}
		ev.Msg("input rejected")
		r.rejects = append(r.rejects, Reject{Path: in.Path, SHA256: in.SHA256, Bytes: in.Bytes, RejectInfo: info})
	}
	if res.reject != nil {
		reject(*res.reject, res.stack)
	}
	for i := range res.reports {
		rep := &res.reports[i]
		if first, dup := r.firstByID[rep.id]; dup {
			reject(RejectInfo{Stage: StageDedupe, Place: rep.unit,
				Reason: fmt.Sprintf("report %s was already read from %s", rep.id, first)}, nil)
			continue
		}
		if rep.refused != nil {
			reject(RejectInfo{Stage: StageLoad, Place: rep.unit, Reason: rep.refused.Error()}, nil)
			continue
		}
		if err := r.store.append(rep.enc); err != nil {
			return err
		}
		r.entries.Add(rep.entry)
		r.firstByID[rep.id] = in.Path
		r.inputOf = append(r.inputOf, int32(r.sum.numInputs()))
		in.Reports++
		in.Findings.add(rep.findings)
	}
	if in.Reports == 0 && in.Reject != nil {
		in.Status = InputRejected
		if in.Reject.Stage == StageDedupe {
			in.Status = InputDuplicate
		}
	}
	if r.outKey != nil {
		r.outKey.add(&in, res.key, len(res.reports))
	}
	return r.sum.addInput(in)
}

// processFile reads, extracts and transforms one input. Every failure becomes a reject naming the
// stage; a panic in a stage is one too, so one strange file cannot stop the batch.
func (r *run) processFile(ctx context.Context, in Input) (res fileResult) {
	start := time.Now()
	res = fileResult{input: in, bytes: in.Size}
	stage := StageRead
	defer func() {
		if p := recover(); p != nil {
			res.reports = nil
			res.reject = &RejectInfo{Stage: stage, Reason: fmt.Sprintf("internal error, please report it: %v", p)}
			res.stack = debug.Stack()
		}
		res.elapsed = time.Since(start)
	}()
	if ctx.Err() != nil {
		res.cancelled = true
		return res
	}
	data, err := readInput(in.Path, r.cfg.Limits.MaxBytes)
	if err != nil {
		res.reject = &RejectInfo{Stage: StageRead, Reason: err2reason(err)}
		return res
	}
	res.bytes = int64(len(data))
	res.sha256 = extract.SHA256Hex(data)
	if c := r.cache; c != nil {
		k := c.key(in, res.sha256)
		if c.get(in, k, &res) {
			res.cached, res.key = true, &k
			return res
		}
		var stageErr error
		res = r.readAndTransform(ctx, in, data, res, &stage, &stageErr)
		if cacheable(&res, stageErr) {
			res.key = &k
			c.put(in, k, &res)
		}
		return res
	}
	return r.readAndTransform(ctx, in, data, res, &stage, new(error))
}

// readAndTransform runs the per-file stages over an input's bytes. *stage names the stage running,
// for a panic's reject; *stageErr is the error of the stage that rejected the input.
func (r *run) readAndTransform(ctx context.Context, in Input, data []byte, res fileResult, stage *string, stageErr *error) fileResult {
	*stage = StageExtract
	doc, err := r.cfg.Stages.Extract(ctx, in.Path, data, res.sha256)
	if err != nil {
		if ctx.Err() != nil {
			res.cancelled = true
			return res
		}
		if format, detectErr := extract.Detect(data); detectErr == nil {
			res.format = string(format)
		}
		*stageErr = err
		res.reject = rejectFrom(StageExtract, err)
		return res
	}
	if doc.Source.SHA256 != "" {
		res.sha256 = doc.Source.SHA256
	}
	res.format, res.encoding = string(doc.Source.Format), doc.Source.Encoding

	*stage = StageTransform
	reports, err := r.cfg.Stages.Transform(ctx, doc, transform.Options{Aliases: r.cfg.Aliases, DirCity: dirName(in.Rel), Dir: path.Dir(in.Rel)})
	if err != nil && ctx.Err() != nil {
		res.cancelled = true
		return res
	}
	switch {
	case err != nil:
		*stageErr = err
		res.reject = rejectFrom(StageTransform, err)
	case len(reports) == 0:
		res.reject = &RejectInfo{Stage: StageTransform, Reason: "no report found in the file"}
	default:
		res.reports, err = r.encode(reports)
		if err != nil {
			res.reject = &RejectInfo{Stage: StageTransform, Reason: err2reason(err)}
		}
	}
	return res
}

// encode checks and encodes a file's reports in the worker, so that the collector only appends
// bytes.
func (r *run) encode(reports []*transform.Report) ([]encodedReport, error) {
	out := make([]encodedReport, len(reports))
	for i, rep := range reports {
		enc, err := rep.AppendBinary(nil)
		if err != nil {
			return nil, fmt.Errorf("encode report %s: %w", rep.ID, err)
		}
		out[i] = encodedReport{id: rep.ID, unit: rep.Unit, refused: r.sink.Check(rep), enc: enc, entry: transform.EntryOf(rep),
			findings: FindingCounts{
				Error:   rep.Count(transform.SevError),
				Warning: rep.Count(transform.SevWarning),
				Info:    rep.Count(transform.SevInfo),
			}}
	}
	return out, nil
}

// dirName is the name of the folder holding an input, relative to the input folder: transform
// uses it as the city when the body's name does not say.
func dirName(rel string) string {
	dir := path.Dir(rel)
	if dir == "." {
		return ""
	}
	return path.Base(dir)
}

// rejectFrom splits a stage error into place and reason; the path is recorded separately.
func rejectFrom(stage string, err error) *RejectInfo {
	var xe *extract.Error
	if errors.As(err, &xe) {
		return &RejectInfo{Stage: stage, Place: xe.Place, Reason: err2reason(xe.Err)}
	}
	return &RejectInfo{Stage: stage, Reason: err2reason(err)}
}

// err2reason drops the path an *fs.PathError repeats, since rejects carry the path already.
func err2reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// commit closes the summary, writes it into the staged dataset and makes that dataset current.
func (r *run) commit(f *folder, staging string) error {
	t := time.Now()
	err := f.commit(staging, r.sum.RunID, func(dir string) error {
		r.sum.Status = StatusSucceeded
		if r.sum.Totals.Rejected > 0 {
			r.sum.Status = StatusPartial
		}
		r.sum.Dataset = path.Join(datasetsDir, r.sum.RunID)
		r.sum.TimingsMS.Commit = ms(time.Since(t))
		r.finishSummary()
		data, err := r.sum.marshal()
		if err != nil {
			return err
		}
		return writeFileSynced(filepath.Join(dir, summaryFile), data)
	})
	if err != nil {
		r.sum.Dataset = ""
		return fmt.Errorf("commit outputs: %w", err)
	}
	return nil
}

func (r *run) finishSummary() {
	finished := time.Now()
	r.sum.Finished = finished.UTC()
	total := finished.Sub(r.started)
	r.sum.TimingsMS.Total = ms(total)
	r.sum.TimingsMS.ExtractTransform = ms(r.workTime)
	r.sum.TimingsMS.Load = ms(r.loadTime)
	if s := total.Seconds(); s > 0 {
		r.sum.ReportsPerSecond = round1(float64(r.sum.Totals.Reports) / s)
	}
	r.sum.PeakRSSBytes = peakRSS()
}

// recordFailure writes the summary of a run that committed nothing to failed-run.json, leaving
// run.json to describe the outputs that are in place.
func (r *run) recordFailure(err error) {
	r.sum.Status = StatusFailed
	switch {
	case errors.Is(err, context.Canceled):
		r.sum.Status = StatusCancelled
	case errors.Is(err, ErrRefused):
		r.sum.Status = StatusRefused
	}
	r.sum.Error = err.Error()
	r.sum.Outputs = []Output{}
	r.finishSummary()
	data, mErr := r.sum.marshal()
	if mErr == nil {
		mErr = writeFileAtomic(filepath.Join(r.cfg.Out, failedSummaryFile), data)
	}
	if mErr != nil {
		r.cfg.Log.Warn().Str(FieldPath, failedSummaryFile).Str(FieldReason, mErr.Error()).
			Msg("could not write the summary of the failed run")
	}
}

func (r *run) logSummary() {
	s := r.sum
	ev := r.cfg.Log.Info()
	if r.sum.Totals.Rejected > r.cfg.MaxRejects {
		ev = r.cfg.Log.Warn()
	}
	ev.Str(FieldRunID, s.RunID).Str(FieldStatus, s.Status).
		Int(FieldInputs, s.Totals.Inputs).Int(FieldReports, s.Totals.Reports).
		Int(FieldRejected, s.Totals.Rejected).Int(FieldDuplicateFiles, s.Totals.Duplicates).
		Int(FieldDuplicateReports, s.Totals.DuplicateReports).Int(FieldCached, s.Totals.Cached).
		Int(FieldFindingsError, s.Totals.Findings.Error).Int(FieldFindingsWarning, s.Totals.Findings.Warning).
		Int(FieldOutputs, len(s.Outputs)).Float64(FieldElapsedMS, s.TimingsMS.Total).
		Float64(FieldReportsPerSecond, s.ReportsPerSecond).Int64(FieldPeakRSSBytes, s.PeakRSSBytes).
		Str(FieldOut, r.cfg.Out).Msg("run finished")
}

// newRunID sorts by start time and is unique across runs started in the same second.
func newRunID(started time.Time) string {
	var b [4]byte
	rand.Read(b[:])
	return started.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}
