package load

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/govreports/govreports/transform"
)

// Tables are written as they are read: every partition of a table, one (table, year) file, has an
// open Parquet writer and an open row group whose column writers take a report's rows as soon as
// the report is read (colBuf). A partition closes its row group once it has taken
// Options.RowGroupBytes of values (after a whole report), and all of a group's do when together
// they hold the group's bufferedGroups times that, the groups being the tables of each report alone
// and the others: the bytes depend on the group's rows only, the same whether WriteTables writes
// the groups in one pass or WriteReportTables writes the first apart.

// outputTable is one output table as Write sees it: its definition and where its rows come from.
// Every table of the run is one entry of outputTables; a new table needs a definition (schema.go)
// and an entry there, nothing else.
type outputTable interface {
	info() TableSchema
	open(p *pass) tableSink
	// ofReportAlone says the table's rows come from each report alone, with nothing of the batch
	// stage: WriteReportTables writes it.
	ofReportAlone() bool
}

// tableSink receives the rows of one table during one Write.
type tableSink interface {
	// report appends the rows of one report.
	report(rc *reportCtx) error
	// run appends the rows that come from the run as a whole (the batch stage, the rejects), once,
	// after the reports.
	run(in *Input) error
	// flush writes the open row group of every partition.
	flush() error
	// group is the table's group in pass.buffered.
	group() int
	// close writes every partition's footer, renames its file into place and lists the files. A
	// table without rows gets one empty partition, so that every table has a file and a schema.
	close() ([]Output, error)
	// abort releases the writers and removes the files not yet closed.
	abort()
}

// reportCtx is one report as the per-report tables see it.
type reportCtx struct {
	// r is the report, its batch findings appended to its own.
	r        *transform.Report
	i        int
	decision transform.Decision
	conf     transform.Confidence
	derived  bool // other_total is the sum of the 2021 sub-rows
}

// tableSpec is an outputTable whose rows have type R. fromReport emits the rows of one report
// (they go to the report's year); fromRun emits rows with their year, and may call done once a
// year's rows are all emitted, which writes and closes that year's partition at once. emit stages
// the row's values before it returns and keeps no pointer to the row: an emitter may reuse one.
type tableSpec[R any] struct {
	def        *tableDef[R]
	fromReport func(rc *reportCtx, emit func(*R))
	fromRun    func(in *Input, emit func(year int, r *R), done func(year int) error) error
	// alone: fromReport reads only the report context's r and derived, never the batch's part.
	alone bool
}

func (s *tableSpec[R]) info() TableSchema { return s.def.info() }

func (s *tableSpec[R]) ofReportAlone() bool { return s.alone }

// group is the index of the table's group in pass.buffered: 1 for a table of each report alone.
func (t *tableStream[R]) group() int {
	if t.spec.alone {
		return 1
	}
	return 0
}

func (s *tableSpec[R]) open(p *pass) tableSink {
	return &tableStream[R]{spec: s, p: p, parts: map[int]*partition{}, files: map[int]int{}, byYear: s.info().ByYear}
}

// tableStream writes one table's partitions.
type tableStream[R any] struct {
	spec   *tableSpec[R]
	p      *pass
	parts  map[int]*partition // the open file of each year
	files  map[int]int        // files of each year so far, closed or open
	byYear bool               // otherwise every row goes to the one partition, 0
	err    error
}

func (t *tableStream[R]) report(rc *reportCtx) error {
	if t.spec.fromReport == nil {
		return nil
	}
	year := rc.r.Year
	if !t.byYear {
		year = 0
	}
	t.spec.fromReport(rc, func(r *R) { t.append(year, r) })
	if t.err != nil {
		return t.err
	}
	if p := t.parts[year]; p != nil {
		if err := p.commit(); err != nil {
			return fmt.Errorf("load: %s: %w", p.rel, err)
		}
		before := p.bytes
		p.bytes = p.size()
		t.p.buffered[t.group()] += p.bytes - before
		if p.bytes >= t.p.opt.RowGroupBytes {
			if err := t.flushPart(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// flushPart writes one partition's row group, and closes its file once it holds RowGroupsPerFile:
// the next row of its year opens the next file.
func (t *tableStream[R]) flushPart(p *partition) error {
	t.p.buffered[t.group()] -= p.bytes
	p.bytes = 0
	if err := p.flush(); err != nil {
		return fmt.Errorf("load: %s: %w", p.rel, err)
	}
	if p.groups < t.p.opt.RowGroupsPerFile {
		return nil
	}
	delete(t.parts, p.year)
	o, err := p.close()
	if err != nil {
		return err
	}
	t.p.written = append(t.p.written, o)
	return nil
}

func (t *tableStream[R]) run(in *Input) error {
	if t.spec.fromRun == nil {
		return nil
	}
	if err := t.spec.fromRun(in, t.append, t.done); err != nil {
		return fmt.Errorf("load: %s: %w", t.spec.def.name, err)
	}
	return t.err
}

// done writes and closes the partition of year, if open: its rows are all there. The file is the
// one close would write; only its writer goes sooner.
func (t *tableStream[R]) done(year int) error {
	if t.err != nil {
		return t.err
	}
	if !t.byYear {
		year = 0
	}
	p := t.parts[year]
	if p == nil {
		return nil
	}
	t.p.buffered[t.group()] -= p.bytes
	p.bytes = 0
	delete(t.parts, year)
	o, err := p.close()
	if err != nil {
		return err
	}
	t.p.written = append(t.p.written, o)
	return nil
}

// append adds one row to the partition of year, opening it on its first row.
func (t *tableStream[R]) append(year int, r *R) {
	if t.err != nil {
		return
	}
	if !t.byYear {
		year = 0
	}
	p := t.parts[year]
	if p == nil {
		if p, t.err = t.p.openPartition(t.spec.def.name, t.spec.def.schema, year, t.files[year]); t.err != nil {
			return
		}
		t.parts[year] = p
		t.files[year]++
	}
	for i, c := range t.spec.def.cols {
		c.put(&p.bufs[i], r)
	}
	p.rows++
	if p.staged++; p.staged >= commitRows {
		if err := p.commit(); err != nil {
			t.err = fmt.Errorf("load: %s: %w", p.rel, err)
		}
	}
}

// commitRows is how many rows of the run (the rollups, the rejects) a partition stages before it
// hands them to its column writers; a report's rows go at the end of the report.
const commitRows = 4096

func (t *tableStream[R]) flush() error {
	for _, y := range sortedYears(t.parts) {
		if err := t.flushPart(t.parts[y]); err != nil {
			return err
		}
	}
	return nil
}

func (t *tableStream[R]) close() ([]Output, error) {
	if t.err != nil {
		return nil, t.err
	}
	if len(t.files) == 0 {
		p, err := t.p.openPartition(t.spec.def.name, t.spec.def.schema, 0, 0)
		if err != nil {
			return nil, err
		}
		t.parts[0] = p
	}
	var outs []Output
	for _, y := range sortedYears(t.parts) {
		o, err := t.parts[y].close()
		if err != nil {
			return outs, err
		}
		delete(t.parts, y)
		outs = append(outs, o)
	}
	return outs, nil
}

func (t *tableStream[R]) abort() {
	for y, p := range t.parts {
		p.abort()
		delete(t.parts, y)
	}
}

// sortedYears returns the years of parts as their partition paths sort.
func sortedYears(parts map[int]*partition) []int {
	years := make([]int, 0, len(parts))
	for y := range parts {
		years = append(years, y)
	}
	slices.SortFunc(years, partSort)
	return years
}

// partSort orders years as their partition paths sort: known years ascending, unknown (0) last.
func partSort(a, b int) int {
	switch {
	case a == b:
		return 0
	case a == 0:
		return 1
	case b == 0:
		return -1
	case a < b:
		return -1
	}
	return 1
}

// partition is one file being written: its Parquet writer, the open row group, what its columns
// have staged, and the temporary file it writes to, renamed to its final name by close.
type partition struct {
	rel    string // the final path, relative to the Writer's dir
	table  string
	year   int
	schema *arrow.Schema
	bufs   []colBuf // one a column
	rg     file.BufferedRowGroupWriter
	rows   int64 // rows in the open row group, staged or committed
	staged int   // rows staged, not yet committed
	groups int   // row groups written
	bytes  int64 // what the open row group took (size), as last measured
	total  int64 // rows in the row groups closed so far
	tmp    string
	sink   *syncingFile
	fw     *file.Writer
}

// openPartition creates the temporary file of a partition's file number seq and its Parquet writer.
func (p *pass) openPartition(table string, schema *arrow.Schema, year, seq int) (*partition, error) {
	rel := PartPath(table, year, seq)
	final := filepath.Join(p.w.dir, filepath.FromSlash(rel))
	folder := filepath.Dir(final)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	f, err := os.CreateTemp(folder, "."+path.Base(rel)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	part := &partition{rel: rel, table: table, year: year, schema: schema, tmp: f.Name(),
		sink: newSyncingFile(f)}
	// CreateTemp makes the file private; the warehouse's loader runs as another user.
	if err := f.Chmod(0o644); err != nil {
		part.abort()
		return nil, fmt.Errorf("load: %w", err)
	}
	if err := cmp.Or(part.start(p.opt, p.w.mem), part.sink.release()); err != nil {
		part.abort()
		return nil, fmt.Errorf("load: %s: %w", rel, err)
	}
	p.open = append(p.open, part)
	return part, nil
}

// arrowSchemaKey is the key-value metadata under which Arrow's readers find the Arrow schema of a
// Parquet file (base64 of its IPC serialization), as pqarrow writes it: it keeps the fields'
// label and description, and types Parquet alone cannot say.
const arrowSchemaKey = "ARROW:schema"

// start opens the Parquet writer, with the schema pqarrow derives from the Arrow schema and the
// file's metadata.
func (p *partition) start(opt Options, mem memory.Allocator) error {
	props := writerProps(opt, mem)
	pqSchema, err := pqarrow.ToParquet(p.schema, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return err
	}
	stored, err := storedArrowSchema(p.schema, mem)
	if err != nil {
		return err
	}
	meta := metadata.KeyValueMetadata{}
	if err := meta.Append(arrowSchemaKey, stored); err != nil {
		return err
	}
	fw, err := file.NewParquetWriterWithError(p.sink, pqSchema.Root(), file.WithWriterProps(props), file.WithWriteMetadata(meta))
	if err != nil {
		return err
	}
	p.fw = fw
	p.bufs = make([]colBuf, pqSchema.NumColumns())
	for i := range p.bufs {
		p.bufs[i] = newColBuf(pqSchema.Column(i))
	}
	if len(p.bufs) != len(p.schema.Fields()) {
		return fmt.Errorf("%d Parquet columns for %d fields: a field is nested", len(p.bufs), len(p.schema.Fields()))
	}
	if err := fw.AppendKeyValueMetadata(KeySchemaVersion, opt.SchemaVersion); err != nil {
		return err
	}
	if opt.InputHash != "" {
		return fw.AppendKeyValueMetadata(KeyInputHash, opt.InputHash)
	}
	return nil
}

// storedArrowSchema is the value of arrowSchemaKey for schema, as pqarrow stores it.
func storedArrowSchema(schema *arrow.Schema, mem memory.Allocator) (string, error) {
	var ser bytes.Buffer
	sw := ipc.NewWriter(&ser, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	if err := sw.Close(); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(ser.Bytes()), nil
}

// size is what the open row group took: the values, offsets of strings and lists, not validity bits.
func (p *partition) size() int64 {
	n := int64(0)
	for i := range p.bufs {
		n += p.bufs[i].size
	}
	return n
}

// commit hands the staged rows to the open row group's column writers, opening the row group on
// the first.
func (p *partition) commit() error {
	if p.staged == 0 {
		return nil
	}
	if p.rg == nil {
		rg, err := p.fw.AppendBufferedRowGroupChecked()
		if err != nil {
			return err
		}
		p.rg = rg
	}
	for i := range p.bufs {
		cw, err := p.rg.Column(i)
		if err != nil {
			return err
		}
		if err := p.bufs[i].commit(cw); err != nil {
			return err
		}
	}
	p.staged = 0
	return nil
}

// flush writes the open row group.
func (p *partition) flush() error {
	if p.rows == 0 {
		return nil
	}
	if err := p.commit(); err != nil {
		return err
	}
	for i := range p.bufs {
		cw, err := p.rg.Column(i)
		if err != nil {
			return err
		}
		if err := p.bufs[i].writeRuns(cw); err != nil {
			return err
		}
	}
	err := p.rg.Close()
	p.rg = nil
	for i := range p.bufs {
		p.bufs[i].size = 0
	}
	if rerr := p.sink.release(); err == nil {
		err = rerr
	}
	p.groups++
	p.total += p.rows
	p.rows = 0
	return err
}

// close writes the last row group and the footer, makes the file durable and renames it into place.
func (p *partition) close() (Output, error) {
	err := p.flush()
	p.bufs = nil
	if err == nil {
		// Close writes the footer and closes the sink, which fsyncs the file first.
		err = p.fw.Close()
		p.fw = nil
	}
	if cerr := p.sink.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(p.tmp, filepath.Join(filepath.Dir(p.tmp), path.Base(p.rel)))
	}
	if err != nil {
		p.abort()
		return Output{}, fmt.Errorf("load: %s: %w", p.rel, err)
	}
	p.tmp = ""
	return Output{Path: p.rel, Table: p.table, Year: p.year, Rows: p.total, Bytes: p.sink.n,
		SHA256: hex.EncodeToString(p.sink.sum.Sum(nil))}, nil
}

// abort releases everything and removes the temporary file; it is safe after close.
func (p *partition) abort() {
	if p.rg != nil {
		// The row group closes only with as many rows in every column, and a column it does not
		// close keeps its buffers: the staged rows and the run columns go to their writers first.
		p.commit()
		for i := range p.bufs {
			if cw, err := p.rg.Column(i); err == nil {
				p.bufs[i].writeRuns(cw)
			}
		}
	}
	p.bufs = nil
	if p.fw != nil {
		p.fw.Close() // releases its buffers; the file is removed below
		p.fw, p.rg = nil, nil
	}
	p.sink.Close()
	if p.tmp != "" {
		os.Remove(p.tmp)
		p.tmp = ""
	}
}
