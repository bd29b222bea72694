package load

import (
	"cmp"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/govreports/govreports/transform"
)

// Tables are written as they are read: every partition of a table, one (table, year) file, has
// Arrow builders for the rows of its current row group and an open Parquet writer. A partition
// writes its builders as a row group once they hold Options.RowGroupBytes (after a whole report),
// and all of them do when together they hold bufferedGroups times that: a run holds a few hundred
// reports' rows, not the year's, and the bytes depend on the rows only.

// outputTable is one output table as Write sees it: its definition and where its rows come from.
// Every table of the run is one entry of outputTables; a new table needs a definition (schema.go)
// and an entry there, nothing else.
type outputTable interface {
	info() TableSchema
	open(p *pass) tableSink
}

// tableSink receives the rows of one table during one Write.
type tableSink interface {
	// report appends the rows of one report.
	report(rc *reportCtx) error
	// run appends the rows that come from the run as a whole (the batch stage, the rejects), once,
	// after the reports.
	run(in *Input) error
	// flush turns the builders of every partition into a row group.
	flush() error
	// close writes every partition's footer, renames its file into place and lists the files. A
	// table without rows gets one empty partition, so that every table has a file and a schema.
	close() ([]Output, error)
	// abort releases the builders and removes the files not yet closed.
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
// year's rows are all emitted, which writes and closes that year's partition at once.
type tableSpec[R any] struct {
	def        *tableDef[R]
	fromReport func(rc *reportCtx, emit func(*R))
	fromRun    func(in *Input, emit func(year int, r *R), done func(year int) error) error
}

func (s *tableSpec[R]) info() TableSchema { return s.def.info() }

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
	t.spec.fromReport(rc, func(r *R) { t.append(year, r) })
	if t.err != nil {
		return t.err
	}
	if p := t.parts[year]; p != nil {
		before := p.bytes
		p.bytes = p.size()
		t.p.buffered += p.bytes - before
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
	t.p.buffered -= p.bytes
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
// one close would write, a row group of every row; only its builders go sooner.
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
	t.p.buffered -= p.bytes
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
		c.put(p.builders[i], r)
	}
	p.rows++
}

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

// partition is one file being written: the builders of its current row group, the Parquet writer
// and the temporary file it writes to, renamed to its final name by close.
type partition struct {
	rel      string // the final path, relative to the Writer's dir
	table    string
	year     int
	schema   *arrow.Schema
	builders []array.Builder
	rows     int64 // rows in the builders
	groups   int   // row groups written
	bytes    int64 // what the builders hold (size), as last measured
	total    int64 // rows written so far
	tmp      string
	sink     *syncingFile
	fw       *pqarrow.FileWriter
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
	part.builders = make([]array.Builder, len(schema.Fields()))
	for i, f := range schema.Fields() {
		part.builders[i] = array.NewBuilder(p.w.mem, f.Type)
	}
	p.open = append(p.open, part)
	return part, nil
}

// start opens the Parquet writer and writes the file's metadata.
func (p *partition) start(opt Options, mem memory.Allocator) error {
	fw, err := pqarrow.NewFileWriter(p.schema, p.sink, writerProps(opt, mem),
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem)))
	if err != nil {
		return err
	}
	p.fw = fw
	if err := fw.AppendKeyValueMetadata(KeySchemaVersion, opt.SchemaVersion); err != nil {
		return err
	}
	if opt.InputHash != "" {
		return fw.AppendKeyValueMetadata(KeyInputHash, opt.InputHash)
	}
	return nil
}

// size is what the builders hold: the values, offsets of strings and lists, not validity bits.
func (p *partition) size() int64 {
	n := int64(0)
	for _, b := range p.builders {
		n += builderBytes(b)
	}
	return n
}

func builderBytes(b array.Builder) int64 {
	switch b := b.(type) {
	case *array.StringBuilder:
		return int64(b.DataLen()) + 4*int64(b.Len())
	case *array.BinaryBuilder:
		return int64(b.DataLen()) + 4*int64(b.Len())
	case *array.ListBuilder:
		return 4*int64(b.Len()) + builderBytes(b.ValueBuilder())
	}
	if fw, ok := b.Type().(arrow.FixedWidthDataType); ok {
		return int64(b.Len()) * int64(max(fw.BitWidth()/8, 1))
	}
	return 8 * int64(b.Len())
}

// flush writes the builders' rows as one row group.
func (p *partition) flush() error {
	if p.rows == 0 {
		return nil
	}
	cols := make([]arrow.Array, len(p.builders))
	for i, b := range p.builders {
		cols[i] = b.NewArray()
	}
	rec := array.NewRecordBatch(p.schema, cols, p.rows)
	for _, c := range cols {
		c.Release()
	}
	err := p.fw.Write(rec)
	rec.Release()
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
	p.releaseBuilders()
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

func (p *partition) releaseBuilders() {
	for _, b := range p.builders {
		b.Release()
	}
	p.builders = nil
}

// abort releases everything and removes the temporary file; it is safe after close.
func (p *partition) abort() {
	p.releaseBuilders()
	if p.fw != nil {
		p.fw.Close() // releases its buffers; the file is removed below
		p.fw = nil
	}
	p.sink.Close()
	if p.tmp != "" {
		os.Remove(p.tmp)
		p.tmp = ""
	}
}
