// Package load turns the stream of transform.Reports of a batch into Arrow records, one schema per
// output table defined once in this package, and writes them as Parquet for the data warehouse.
//
// Records are built as reports arrive; the reports themselves are not kept. At the end of the batch
// the records are finished (in_rollup decided, rollup_city computed from the finished reports and
// applications records), offered to the workbook through Writer.Tables, and written by Close. This is
// the only package that imports Arrow.
package load

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
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

// Writer builds the output tables of one batch and writes them under dir/parquet.
type Writer struct {
	dir string
	opt Options
	mem memory.Allocator

	reports      *tableBuilder[transform.Report]
	applications *tableBuilder[appRow]
	findings     *tableBuilder[findingRow]
	rejects      *tableBuilder[Reject]
	cells        *tableBuilder[cellRow]

	ids map[string]struct{}
	// rollupKeys holds, per year partition and per reports row, what in_rollup depends on.
	rollupKeys map[int][]rollupKey

	tables *Tables
	state  writerState
}

type rollupKey struct {
	city      string
	regional  bool
	duplicate bool // another input of the batch already holds this body's report for the year
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
		rollupKeys:   map[int][]rollupKey{},
	}, nil
}

func (w *Writer) checkOpen() error {
	if w.state != stateOpen {
		return errors.New("load: writer no longer accepts rows: its tables are finished")
	}
	return nil
}

// Add appends the rows of one report to every table. Reports are added in input order from one
// goroutine. A report that cannot be stored is refused whole, with an error naming it, and nothing
// of it is added.
func (w *Writer) Add(r *transform.Report) error {
	if err := w.checkOpen(); err != nil {
		return err
	}
	if r == nil {
		return errors.New("load: nil report")
	}
	if err := w.check(r); err != nil {
		return fmt.Errorf("load: report %q (%s): %w", r.ID, r.Source.Path, err)
	}
	other, derived, err := otherTotal(r)
	if err != nil {
		return fmt.Errorf("load: report %q (%s): %w", r.ID, r.Source.Path, err)
	}

	w.ids[r.ID] = struct{}{}
	w.reports.append(r.Year, r)
	w.rollupKeys[r.Year] = append(w.rollupKeys[r.Year],
		rollupKey{city: r.City, regional: r.Scope == transform.ScopeRegional, duplicate: r.DuplicateOf != ""})

	for row := range transform.NumT3Rows {
		a := appRow{r: r, row: row, vals: &r.T3[row]}
		if row == transform.RowOtherTotal {
			a.vals, a.derived = &other, derived
		}
		w.applications.append(r.Year, &a)
	}
	for i := range r.Findings {
		w.findings.append(r.Year, &findingRow{r: r, f: &r.Findings[i]})
	}
	w.addCells(r, derived)
	return nil
}

// check refuses what the tables cannot hold, before anything is appended.
func (w *Writer) check(r *transform.Report) error {
	if r.ID == "" {
		return errors.New("report has no id")
	}
	if _, dup := w.ids[r.ID]; dup {
		return ErrDuplicateReport
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

// otherSubRows are the three rows the 2021 format prints instead of (六)其他处理.
var otherSubRows = [...]int{transform.RowOtherNoCorrection, transform.RowOtherFeeUnpaid, transform.RowOtherOther}

// otherTotal returns the other_total row of r and whether it was derived rather than read: read in
// the 2019 format, which prints it; summed from the three sub-rows in the 2021 format (and in an
// unknown format that states a sub-row), null in a column where any sub-row is null.
func otherTotal(r *transform.Report) (vals [transform.NumT3Cols]transform.Value, derived bool, err error) {
	derived = r.FormatVersion == transform.Gov2021
	if r.FormatVersion != transform.Gov2019 && !derived {
		for _, row := range otherSubRows {
			for _, v := range r.T3[row] {
				derived = derived || v.Kind != transform.Absent
			}
		}
	}
	if !derived {
		return r.T3[transform.RowOtherTotal], false, nil
	}
	for c := range vals {
		var total int64
		known := true
		for _, row := range otherSubRows {
			v := r.T3[row][c]
			if !v.Known() {
				known = false
				break
			}
			if (v.N > 0 && total > math.MaxInt64-v.N) || (v.N < 0 && total < math.MinInt64-v.N) {
				return vals, true, fmt.Errorf("%s: sum of the sub-rows overflows int64",
					transform.T3Path(transform.RowOtherTotal, c))
			}
			total += v.N
		}
		if !known {
			continue // Absent: written as null
		}
		vals[c] = transform.Value{Kind: transform.Numeric, N: total}
		if total == 0 {
			vals[c].Kind = transform.Zero
		}
	}
	return vals, true, nil
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

// Reject records one input that produced no report.
func (w *Writer) Reject(r Reject) error {
	if err := w.checkOpen(); err != nil {
		return err
	}
	if r.Path == "" {
		return errors.New("load: reject without a path")
	}
	w.rejects.append(0, &r)
	return nil
}

// Tables finishes the batch and returns its records, for the workbook: call it after the last Add
// and Reject, and use the records before Close or Abort releases them. Calling it again returns
// the same tables. Close calls it when nobody did.
func (w *Writer) Tables() (*Tables, error) {
	switch w.state {
	case stateFinished:
		return w.tables, nil
	case stateDone:
		return nil, errors.New("load: writer is closed")
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
	reports, err := w.reports.finish(w.fillInRollup)
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
	rollup, err := buildRollup(w.mem, reports, apps)
	if err := add(TableRollupCity, rollupTable.schema, rollup, err); err != nil {
		t.release()
		return nil, err
	}
	cells, err := w.cells.finish(nil)
	if err := add(TableCells, cellsTable.schema, cells, err); err != nil {
		t.release()
		return nil, err
	}
	w.rollupKeys, w.ids = nil, nil
	return t, nil
}

// fillInRollup builds the in_rollup column of the reports partition of year: a regional report is
// out when another report of the same city and year is in the batch, and so is a second report of a
// unit already counted (Report.DuplicateOf).
func (w *Writer) fillInRollup(year int, col string, rows int64) (arrow.Array, error) {
	if col != "in_rollup" {
		return nil, fmt.Errorf("no values for column %s", col)
	}
	keys := w.rollupKeys[year]
	perCity := map[string]int{}
	for _, k := range keys {
		if !k.duplicate {
			perCity[k.city]++
		}
	}
	b := array.NewBooleanBuilder(w.mem)
	defer b.Release()
	b.Reserve(len(keys))
	for _, k := range keys {
		b.Append(!k.duplicate && (!k.regional || perCity[k.city] == 1))
	}
	return b.NewArray(), nil
}

// SetInputHash sets the fingerprint of the input set written into every file's metadata; the
// pipeline knows it only once every input has been read, which is before Close.
func (w *Writer) SetInputHash(h string) { w.opt.InputHash = h }

// Close finishes the tables if Tables was not called, writes every partition of every table to
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
	w.rollupKeys, w.ids = nil, nil
	w.state = stateDone
}
