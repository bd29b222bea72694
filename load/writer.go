// Package load writes what a run decided: the reports of the batch (through transform.Reports, in
// input order), the batch stage's roles, findings and rollups, and the rejects, as Arrow records of
// one schema per output table defined once in this package, written as Parquet for the data
// warehouse and as the analysts' workbook. It decides nothing about the data itself: which reports
// count and what the rollups are come from transform.Decide. This is the only package that
// imports Arrow.
package load

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/govreports/govreports/transform"
)

// Options configure a Writer.
type Options struct {
	SchemaVersion string // written as govreports.schema_version; SchemaVersion when empty
	InputHash     string // sha256 over the sorted input hashes; written as govreports.input_hash when set
	CreatedBy     string // the Parquet created_by: "govreports <version>"; "govreports" when empty
	// Allocator holds the Arrow buffers; memory.DefaultAllocator when nil. Tests pass a checked one.
	Allocator memory.Allocator
}

// Reject is one input that produced no report.
type Reject struct {
	Path, SHA256 string
	Bytes        int64
	Stage        string // the stage that gave up: extract, transform, …
	Place        string // where in the file, when known
	Reason       string
}

// Output is one file written by Close.
type Output struct {
	Path   string // relative to the Writer's dir, slash-separated: parquet/reports/year=2024/part-00000.parquet
	Table  string
	Year   int // 0 for year=__HIVE_DEFAULT_PARTITION__
	Rows   int64
	Bytes  int64
	SHA256 string
}

// ErrDuplicateReport is returned by Add for a report whose ID was added before: the same content
// read twice, which would be counted twice. The caller may record it as a reject and go on.
var ErrDuplicateReport = errors.New("duplicate report")

// maxYear keeps partition names four digits at most.
const maxYear = 9999

type writerState uint8

const (
	stateOpen     writerState = iota // accepting reports
	stateFinished                    // records built, not yet written
	stateDone                        // closed or aborted
)

// Writer builds the output tables of one batch and writes them under dir.
type Writer struct {
	dir string
	opt Options
	mem memory.Allocator

	reports      *tableBuilder[reportRow]
	applications *tableBuilder[appRow]
	findings     *tableBuilder[findingRow]
	rejects      *tableBuilder[Reject]
	cells        *tableBuilder[cellRow]

	ids   map[string]struct{}
	batch *transform.Batch

	tables *Tables
	state  writerState
}

// Input is everything a run writes.
type Input struct {
	// Reports are the run's reports in input order; Batch holds the batch stage's decisions about
	// them (one per report), its findings and the rollups.
	Reports transform.Reports
	Batch   *transform.Batch
	// Rejects are the inputs that gave no report, in input order.
	Rejects []Reject
	// InputHash fingerprints the inputs' contents; it goes into every data file's metadata.
	InputHash string
}

// NewWriter returns a Writer that will write under dir, a staging folder that must exist.
func NewWriter(dir string, opt Options) (*Writer, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("load: output folder: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("load: output folder %q is not a folder", dir)
	}
	if opt.SchemaVersion == "" {
		opt.SchemaVersion = SchemaVersion
	}
	if opt.CreatedBy == "" {
		opt.CreatedBy = "govreports"
	}
	mem := opt.Allocator
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &Writer{
		dir:          dir,
		opt:          opt,
		mem:          mem,
		reports:      newTableBuilder(reportsTable, mem),
		applications: newTableBuilder(applicationsTable, mem),
		findings:     newTableBuilder(findingsTable, mem),
		rejects:      newTableBuilder(rejectsTable, mem),
		cells:        newTableBuilder(cellsTable, mem),
		ids:          map[string]struct{}{},
	}, nil
}

func (w *Writer) checkOpen() error {
	if w.state != stateOpen {
		return errors.New("load: writer no longer accepts rows: its tables are finished")
	}
	return nil
}

// Write builds every output table from in and writes it, then the workbooks, under the Writer's
// folder; see Load and Close.
func (w *Writer) Write(ctx context.Context, in Input) ([]Output, error) {
	if err := w.Load(ctx, in); err != nil {
		return nil, err
	}
	return w.Close(ctx)
}

// Load builds the records of every output table from in; Tables then offers them (to the workbook
// and to tests) and Close writes them. On error the Writer is aborted.
func (w *Writer) Load(ctx context.Context, in Input) error {
	if err := w.checkOpen(); err != nil {
		return err
	}
	n := in.Reports.Len()
	if in.Batch == nil || len(in.Batch.Decisions) != n {
		w.Abort()
		return fmt.Errorf("load: the batch stage's decisions do not match the %d reports", n)
	}
	w.batch = in.Batch
	if in.InputHash != "" {
		w.opt.InputHash = in.InputHash
	}
	for i := range n {
		if i%256 == 0 && ctx.Err() != nil {
			w.Abort()
			return fmt.Errorf("load: %w", ctx.Err())
		}
		r, err := in.Reports.At(i)
		if err == nil {
			err = w.add(r, i)
		}
		if err != nil {
			w.Abort()
			return err
		}
	}
	for i := range in.Rejects {
		if err := w.reject(&in.Rejects[i]); err != nil {
			w.Abort()
			return err
		}
	}
	if _, err := w.Tables(); err != nil {
		return err
	}
	return nil
}

// CheckReport refuses a report the output tables cannot hold — no id, a year out of range, an
// amount beyond decimal(18,6), a value of unknown kind — with an error naming the cell. The pipeline
// calls it for each report as it arrives and records a refused one as a reject.
func CheckReport(r *transform.Report) error {
	if r == nil {
		return errors.New("load: nil report")
	}
	if err := check(r); err != nil {
		return fmt.Errorf("load: report %q (%s): %w", r.ID, r.Source.Path, err)
	}
	return nil
}

// add appends the rows of report i to every table, its batch findings after its own.
func (w *Writer) add(r *transform.Report, i int) error {
	if err := CheckReport(r); err != nil {
		return err
	}
	if _, dup := w.ids[r.ID]; dup {
		return fmt.Errorf("load: report %q (%s): %w", r.ID, r.Source.Path, ErrDuplicateReport)
	}
	if extra := w.batch.FindingsOf(i); len(extra) > 0 {
		copied := *r
		copied.Findings = append(r.Findings[:len(r.Findings):len(r.Findings)], extra...)
		r = &copied
	}
	w.ids[r.ID] = struct{}{}
	w.reports.append(r.Year, &reportRow{Report: r, decision: w.batch.Decisions[i], place: transform.PlaceOf(r)})
	derived := r.OtherTotalDerived()
	for row := range transform.NumT3Rows {
		w.applications.append(r.Year, &appRow{r: r, row: row, vals: &r.T3[row],
			derived: row == transform.RowOtherTotal && derived})
	}
	for i := range r.Findings {
		w.findings.append(r.Year, &findingRow{r: r, f: &r.Findings[i]})
	}
	w.addCells(r, derived)
	return nil
}

// check refuses what the tables cannot hold, before anything is appended.
func check(r *transform.Report) error {
	if r.ID == "" {
		return errors.New("report has no id")
	}
	if r.Year < 0 || r.Year > maxYear {
		return fmt.Errorf("year %d out of range", r.Year)
	}
	for i := range r.T2 {
		if err := checkValue(&r.T2[i], transform.T2[i].Amount); err != nil {
			return fmt.Errorf("%s: %w", transform.T2[i].Path(), err)
		}
	}
	for row := range r.T3 {
		for col := range r.T3[row] {
			if err := checkValue(&r.T3[row][col], false); err != nil {
				return fmt.Errorf("%s: %w", transform.T3Path(row, col), err)
			}
		}
	}
	for i := range r.T4 {
		if err := checkValue(&r.T4[i], false); err != nil {
			return fmt.Errorf("%s: %w", transform.T4Path(i), err)
		}
	}
	return nil
}

// maxAmount bounds a 万元 amount in millionths so that it fits decimal128(18,6).
const maxAmount = 999_999_999_999_999_999

func checkValue(v *transform.Value, amount bool) error {
	if v.Kind > transform.Text {
		return fmt.Errorf("unknown kind %d", v.Kind)
	}
	if amount && v.Kind.Known() && (v.N > maxAmount || v.N < -maxAmount) {
		return fmt.Errorf("amount %d millionths of 万元 exceeds decimal(%d,6)", v.N, amountPrecision)
	}
	return nil
}

// addCells appends one provenance row per located value. A derived other_total is not located.
func (w *Writer) addCells(r *transform.Report, otherDerived bool) {
	add := func(path string, amount bool, v *transform.Value) {
		if v.Kind != transform.Absent {
			w.cells.append(r.Year, &cellRow{r: r, path: path, amount: amount, v: v})
		}
	}
	for i := range r.T2 {
		add(transform.T2[i].Path(), transform.T2[i].Amount, &r.T2[i])
	}
	for row := range r.T3 {
		if row == transform.RowOtherTotal && otherDerived {
			continue
		}
		for col := range r.T3[row] {
			add(transform.T3Path(row, col), false, &r.T3[row][col])
		}
	}
	for i := range r.T4 {
		add(transform.T4Path(i), false, &r.T4[i])
	}
}

// reject records one input that produced no report.
func (w *Writer) reject(r *Reject) error {
	if r.Path == "" {
		return errors.New("load: reject without a path")
	}
	w.rejects.append(0, r)
	return nil
}

// Tables returns the records Load built, for the workbook and for tests: use them before Close or
// Abort releases them.
func (w *Writer) Tables() (*Tables, error) {
	switch w.state {
	case stateFinished:
		return w.tables, nil
	case stateDone:
		return nil, errors.New("load: writer is closed")
	}
	if w.batch == nil {
		return nil, errors.New("load: nothing loaded")
	}
	t, err := w.finish()
	if err != nil {
		w.Abort()
		return nil, err
	}
	w.tables, w.state = t, stateFinished
	return t, nil
}

func (w *Writer) finish() (*Tables, error) {
	t := &Tables{}
	add := func(name string, schema *arrow.Schema, parts []Part, err error) error {
		if err != nil {
			return fmt.Errorf("load: %s: %w", name, err)
		}
		t.list = append(t.list, Table{Name: name, Schema: schema, Parts: parts})
		return nil
	}
	reports, err := w.reports.finish(nil)
	if err := add(TableReports, reportsTable.schema, reports, err); err != nil {
		return nil, err
	}
	apps, err := w.applications.finish(nil)
	if err := add(TableApplications, applicationsTable.schema, apps, err); err != nil {
		t.release()
		return nil, err
	}
	findings, err := w.findings.finish(nil)
	if err := add(TableFindings, findingsTable.schema, findings, err); err != nil {
		t.release()
		return nil, err
	}
	rejects, err := w.rejects.finish(nil)
	if err := add(TableRejects, rejectsTable.schema, rejects, err); err != nil {
		t.release()
		return nil, err
	}
	rollups, err := buildRollups(w.mem, w.batch.Rollups)
	if err != nil {
		t.release()
		return nil, fmt.Errorf("load: %w", err)
	}
	t.list = append(t.list, rollups...)
	cells, err := w.cells.finish(nil)
	if err := add(TableCells, cellsTable.schema, cells, err); err != nil {
		t.release()
		return nil, err
	}
	w.ids = nil
	return t, nil
}

// Close writes every partition of every table to
// dir/parquet/<table>/year=…/part-00000.parquet (each through a temporary file, fsynced and renamed),
// releases all records and returns the files sorted by path. On failure nothing it wrote remains.
func (w *Writer) Close(ctx context.Context) ([]Output, error) {
	if w.state == stateDone {
		return nil, errors.New("load: writer is closed")
	}
	t, err := w.Tables()
	if err != nil {
		return nil, err
	}
	defer w.Abort()
	outs, err := writeTables(ctx, w.dir, t, w.opt, w.mem)
	if err != nil {
		return nil, err
	}
	// The workbooks are built from the same records, so they can never disagree with the Parquet.
	books, err := writeWorkbooks(ctx, w.dir, t, w.opt)
	if err != nil {
		for _, o := range outs {
			os.Remove(filepath.Join(w.dir, filepath.FromSlash(o.Path)))
		}
		return nil, err
	}
	return append(books, outs...), nil // "govreports-…" sorts before "parquet/…"
}

// Abort releases every builder and record; nothing is written. It is safe to call more than once
// and after Close.
func (w *Writer) Abort() {
	w.reports.release()
	w.applications.release()
	w.findings.release()
	w.rejects.release()
	w.cells.release()
	if w.tables != nil {
		w.tables.release()
		w.tables = nil
	}
	w.ids, w.batch = nil, nil
	w.state = stateDone
}
