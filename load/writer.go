// Package load writes what a run decided: the reports of the batch (through transform.Reports, in
// input order), the batch stage's roles, findings and rollups, and the rejects, as Parquet for the
// data warehouse and as the analysts' workbook, in one schema per output table defined once in
// this package. It decides nothing about the data itself: which reports count and what the
// rollups are come from transform.Decide. This is the only package that imports Arrow.
//
// Writing streams: one pass over the reports hands each report's rows to the column writers of one
// open Parquet writer per table and year (colBuf), a row group every Options.RowGroupBytes of
// values, and the workbooks are built from the reports (read again through transform.Reports), the
// batch and a few facts per report gathered on the way. Memory does not grow with the batch beyond
// a few bytes per report.
package load

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/govreports/govreports/transform"
)

// Options configure a Writer.
type Options struct {
	SchemaVersion string // written as govreports.schema_version; SchemaVersion when empty
	InputHash     string // sha256 over the sorted input hashes; written as govreports.input_hash when set
	CreatedBy     string // the Parquet created_by: "govreports <version>"; "govreports" when empty
	// Allocator holds the Parquet writers' buffers; memory.DefaultAllocator when nil. Tests pass a
	// checked one.
	Allocator memory.Allocator
	// RowGroupBytes is how much a partition's open row group takes, in bytes of values (counted
	// as Arrow arrays would hold them), before it is written; DefaultRowGroupBytes when 0. The cut comes after a whole
	// report and depends on the rows only, never on timing, so that the same inputs give the same
	// bytes.
	RowGroupBytes int64
	// RowGroupsPerFile is how many row groups a partition's file takes before the partition goes on
	// in its next file (part-00001.parquet, …); DefaultRowGroupsPerFile when 0. A file's footer
	// stays in memory until the file is closed, so this bounds what a large run holds.
	RowGroupsPerFile int
}

// DefaultRowGroupBytes makes row groups of a few hundred reports' cells, a few thousand reports'
// rows of reports: few enough that the files' footers (a few KB a column chunk, kept in memory
// until the file is closed) stay small, small enough that the open row groups stay small.
const DefaultRowGroupBytes = 8 << 20

// DefaultRowGroupsPerFile keeps a footer in memory to a few hundred KB for the widest table (a
// column chunk's metadata takes about 1.3 KB of heap) and files to a few tens of MB.
const DefaultRowGroupsPerFile = 16

// bufferedGroups bounds the open row groups of each group of tables together, in row groups: a run
// whose reports spread over many years writes its smaller partitions' row groups early rather than
// hold them. The bound of all partitions, four row groups, is shared: one to the tables of the
// batch ([0]: reports, findings, …), three to those of each report alone ([1]: cells and
// applications, most of the rows). Bounded apart, a group's bytes do not depend on the other's
// rows, so they are the same whether the groups are written in one pass or apart.
var bufferedGroups = [2]int64{1, 3}

// Reject is one input that produced no report.
type Reject struct {
	Path, SHA256 string
	Bytes        int64
	Stage        string // the stage that gave up: extract, transform, …
	Place        string // where in the file, when known
	Reason       string
}

// Output is one file written by Write.
type Output struct {
	Path   string // relative to the Writer's dir, slash-separated: parquet/reports/year=2024/part-00000.parquet
	Table  string
	Year   int // 0 for the unknown year (year=0) and for a table not partitioned by year
	Rows   int64
	Bytes  int64
	SHA256 string
}

// ErrDuplicateReport is returned by Write for a report whose ID an earlier report has: the same
// content read twice, which would be counted twice.
var ErrDuplicateReport = errors.New("duplicate report")

// maxYear keeps partition names four digits at most.
const maxYear = 9999

// Writer writes the outputs of one batch under dir: the tables (WriteTables) and the workbooks
// (WriteWorkbooks), which read the batch independently and may run at once, or both (Write).
type Writer struct {
	dir  string
	opt  Options
	mem  memory.Allocator
	book workbookConfig
	// Each half writes once; so does WriteReportTables.
	tablesUsed, booksUsed, reportTablesUsed bool
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
	// ReportTablesApart says WriteReportTables writes the tables whose rows come from each report
	// alone, so WriteTables leaves them out.
	ReportTablesApart bool
	// BookWorkers is how many years' workbooks WriteWorkbooks builds at once (0 or 1: one after
	// another). Each holds its year's view and its sheets' spools while it is built.
	BookWorkers int
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
	if opt.RowGroupBytes <= 0 {
		opt.RowGroupBytes = DefaultRowGroupBytes
	}
	if opt.RowGroupsPerFile <= 0 {
		opt.RowGroupsPerFile = DefaultRowGroupsPerFile
	}
	mem := opt.Allocator
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return &Writer{dir: dir, opt: opt, mem: mem, book: workbookConfig{maxRows: excelMaxRows}}, nil
}

// pass is one WriteTables or WriteReportTables: the tables being written.
type pass struct {
	w   *Writer
	opt Options
	in  *Input
	// which tables of outputTables the pass writes.
	which   func(outputTable) bool
	alone   bool // only tables of each report alone: in.Batch may be nil
	tables  []tableSink
	open    []*partition // every partition opened, to remove its file on failure
	written []Output     // files in place, to remove on failure
	// buffered is what the open row groups of every partition took (partition.bytes summed), for
	// the tables of each report alone ([true]) and the others ([false]).
	buffered [2]int64
}

// Write writes every output table of in as Parquet, then the workbooks, under the Writer's folder,
// and returns the files sorted by path. On error nothing it wrote remains.
func (w *Writer) Write(ctx context.Context, in Input) ([]Output, error) {
	tables, err := w.WriteTables(ctx, in)
	if err != nil {
		return nil, err
	}
	books, err := w.WriteWorkbooks(ctx, in)
	if err != nil {
		w.Remove(tables)
		return nil, err
	}
	return append(books, tables...), nil // "govreports-…" sorts before "parquet/…"
}

// Remove deletes files this Writer wrote, when the other half of the outputs failed.
func (w *Writer) Remove(outs []Output) {
	for _, o := range outs {
		os.Remove(filepath.Join(w.dir, filepath.FromSlash(o.Path)))
	}
}

// checkInput refuses an input whose batch does not match its reports.
func checkInput(in *Input) error {
	n := in.Reports.Len()
	if in.Batch == nil || len(in.Batch.Decisions) != n {
		return fmt.Errorf("load: the batch stage's decisions do not match the %d reports", n)
	}
	return nil
}

// options are the Writer's options for one input.
func (w *Writer) options(in *Input) Options {
	opt := w.opt
	if in.InputHash != "" {
		opt.InputHash = in.InputHash
	}
	return opt
}

// WriteTables writes every output table of in as Parquet, reading in.Reports once in input order,
// and returns the files sorted by path. It may run at the same time as WriteWorkbooks (in.Reports
// must then allow concurrent At). On error nothing it wrote remains.
func (w *Writer) WriteTables(ctx context.Context, in Input) ([]Output, error) {
	if w.tablesUsed {
		return nil, errors.New("load: a Writer writes one batch")
	}
	w.tablesUsed = true
	if err := checkInput(&in); err != nil {
		return nil, err
	}
	apart := in.ReportTablesApart
	p := &pass{w: w, opt: w.options(&in), in: &in, which: func(t outputTable) bool { return !apart || !t.ofReportAlone() }}
	return p.run(ctx)
}

// WriteReportTables writes the tables whose rows come from each report alone (applications,
// cells), reading reps once in input order, and returns the files sorted by path. They need
// nothing of the batch stage, so a run writes them while the batch stage decides, and then
// WriteTables, given Input.ReportTablesApart, the others; the outputs are the same as one
// WriteTables writes. It may run at the same time as the batch stage and the other writes (reps
// must then allow concurrent reads). On error nothing it wrote remains.
func (w *Writer) WriteReportTables(ctx context.Context, reps transform.Reports, inputHash string) ([]Output, error) {
	if w.reportTablesUsed {
		return nil, errors.New("load: a Writer writes one batch")
	}
	w.reportTablesUsed = true
	in := &Input{Reports: reps, InputHash: inputHash}
	p := &pass{w: w, opt: w.options(in), in: in, which: outputTable.ofReportAlone, alone: true}
	return p.run(ctx)
}

// run writes the pass's tables; on error it removes what it wrote.
func (p *pass) run(ctx context.Context) ([]Output, error) {
	outs, err := p.write(ctx)
	if err != nil {
		p.abort()
		return nil, err
	}
	return outs, nil
}

// WriteWorkbooks writes the workbook of every year of in, reading in.Reports once in input order
// for what the workbooks need to know of every report, then each year's reports in the workbook's
// order, and returns the files sorted by path. On error nothing it wrote remains.
func (w *Writer) WriteWorkbooks(ctx context.Context, in Input) ([]Output, error) {
	if w.booksUsed {
		return nil, errors.New("load: a Writer writes one batch")
	}
	w.booksUsed = true
	if err := checkInput(&in); err != nil {
		return nil, err
	}
	facts := newRunFacts(in.Batch)
	facts.dir = w.dir
	defer facts.close()
	// The facts keep strings of a report, never the report: one Report serves the whole pass.
	reports := transform.NewPassReader(in.Reports)
	for i := range in.Reports.Len() {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("load: workbook: %w", ctx.Err())
		}
		r, err := reports.At(i)
		if err != nil {
			return nil, fmt.Errorf("load: workbook: report %d: %w", i, err)
		}
		if err := CheckReport(r); err != nil {
			return nil, err
		}
		facts.add(in.Batch, r, i)
	}
	return writeWorkbooks(ctx, w.dir, facts, &in, w.options(&in), w.book)
}

func (p *pass) write(ctx context.Context) ([]Output, error) {
	in := p.in
	for _, t := range outputTables {
		if p.which(t) {
			p.tables = append(p.tables, t.open(p))
		}
	}
	ids := newIDSet()
	// A report's rows reach the column writers before the next report is read, and keep only its
	// strings, which are its own: one Report serves the whole pass.
	reports := transform.NewPassReader(in.Reports)
	for i := range in.Reports.Len() {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("load: %w", ctx.Err())
		}
		r, err := reports.At(i)
		if err != nil {
			return nil, fmt.Errorf("load: report %d: %w", i, err)
		}
		if err := CheckReport(r); err != nil {
			return nil, err
		}
		if !ids.add(r.ID) {
			return nil, fmt.Errorf("load: report %q (%s): %w", r.ID, r.Source.Path, ErrDuplicateReport)
		}
		rc := &reportCtx{r: r, i: i, derived: r.OtherTotalDerived()}
		if !p.alone {
			if rc, err = reportContext(in.Batch, r, i, reports.Owned()); err != nil {
				return nil, fmt.Errorf("load: %w", err)
			}
		}
		for _, t := range p.tables {
			if err := t.report(rc); err != nil {
				return nil, err
			}
		}
		for g, b := range p.buffered {
			if b > bufferedGroups[g]*p.opt.RowGroupBytes {
				if err := p.flush(g); err != nil {
					return nil, err
				}
			}
		}
	}
	for i := range in.Rejects {
		if in.Rejects[i].Path == "" {
			return nil, errors.New("load: reject without a path")
		}
	}
	for _, t := range p.tables {
		if err := t.run(in); err != nil {
			return nil, err
		}
	}
	for _, t := range p.tables {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("load: %w", ctx.Err())
		}
		outs, err := t.close()
		p.written = append(p.written, outs...)
		if err != nil {
			return nil, err
		}
	}
	p.tables = nil
	outs := slices.Clone(p.written)
	if err := syncTree(p.w.dir, outs); err != nil {
		return nil, err
	}
	slices.SortFunc(outs, func(a, b Output) int { return strings.Compare(a.Path, b.Path) })
	return outs, nil
}

// reportContext prepares report i for the tables and the workbooks: its batch findings after its
// own, so that both show the same. owned says r is the caller's to change (a pass's decoded
// copy): the findings are then added to it rather than to a copy of the whole Report.
func reportContext(b *transform.Batch, r *transform.Report, i int, owned bool) (*reportCtx, error) {
	extra, err := b.FindingsOf(i)
	if err != nil {
		return nil, err
	}
	if len(extra) > 0 && owned {
		r.Findings = append(r.Findings, extra...)
	} else if len(extra) > 0 {
		copied := *r
		copied.Findings = append(r.Findings[:len(r.Findings):len(r.Findings)], extra...)
		r = &copied
	}
	return &reportCtx{r: r, i: i, decision: b.Decisions[i], conf: r.Confidence(), derived: r.OtherTotalDerived()}, nil
}

// flush writes a row group of every partition of group g that has rows.
func (p *pass) flush(g int) error {
	for _, t := range p.tables {
		if t.group() != g {
			continue
		}
		if err := t.flush(); err != nil {
			return err
		}
	}
	return nil
}

// abort releases every builder and removes every file this pass wrote.
func (p *pass) abort() {
	for _, t := range p.tables {
		t.abort()
	}
	for _, part := range p.open {
		part.abort()
	}
	for _, o := range p.written {
		os.Remove(filepath.Join(p.w.dir, filepath.FromSlash(o.Path)))
	}
}

// syncTree makes the folders of the files durable, deepest first, so that each folder is synced
// after the entries below it.
func syncTree(dir string, outs []Output) error {
	dirs := map[string]bool{}
	for _, o := range outs {
		for d := path.Dir(o.Path); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	order := make([]string, 0, len(dirs)+1)
	for d := range dirs {
		order = append(order, d)
	}
	slices.SortFunc(order, func(a, b string) int {
		return strings.Count(b, "/") - strings.Count(a, "/")
	})
	order = append(order, ".")
	for _, d := range order {
		if err := syncDir(filepath.Join(dir, filepath.FromSlash(d))); err != nil {
			return err
		}
	}
	return nil
}

// CheckReport refuses a report the output tables cannot hold — no id, a year out of range, an
// amount beyond decimal(18,6), a value of unknown kind — with an error naming the cell. The pipeline
// calls it for each report as it arrives and records a refused one as a reject. It is safe to call
// from several goroutines.
func CheckReport(r *transform.Report) error {
	if r == nil {
		return errors.New("load: nil report")
	}
	if err := check(r); err != nil {
		return fmt.Errorf("load: report %q (%s): %w", r.ID, r.Source.Path, err)
	}
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
