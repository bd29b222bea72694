package load

import (
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Part is one partition of an output table: the rows of one reporting year, in input order.
type Part struct {
	// Year is the partition's year; 0 means unknown, written to year=__HIVE_DEFAULT_PARTITION__.
	Year   int
	Record arrow.RecordBatch
}

// Table is one finished output table.
type Table struct {
	Name   string
	Schema *arrow.Schema
	// Parts in the order of their paths: years ascending, the unknown year last. A table without
	// rows has one empty part for the unknown year, so that every table has a file and a schema.
	Parts []Part
}

// Rows counts the table's rows over all parts.
func (t *Table) Rows() int64 {
	var n int64
	for _, p := range t.Parts {
		n += p.Record.NumRows()
	}
	return n
}

// Tables holds the finished records of every output table: exactly what Close writes to Parquet,
// so that the workbook built from them can never disagree with the warehouse.
//
// The records belong to the Writer and are released by Close or Abort; a consumer that needs one
// longer must Retain it (and Release it when done).
type Tables struct {
	list []Table
}

// All returns the tables in the order of Schemas.
func (t *Tables) All() []Table { return t.list }

// Table returns the table called name (TableReports, TableApplications, …).
func (t *Tables) Table(name string) (Table, bool) {
	for _, tb := range t.list {
		if tb.Name == name {
			return tb, true
		}
	}
	return Table{}, false
}

func (t *Tables) release() {
	for _, tb := range t.list {
		releaseParts(tb.Parts)
	}
	t.list = nil
}

func releaseParts(parts []Part) {
	for _, p := range parts {
		p.Record.Release()
	}
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

// tableBuilder accumulates the rows of one table, one set of Arrow builders per year partition.
type tableBuilder[R any] struct {
	def   *tableDef[R]
	mem   memory.Allocator
	parts map[int]*partBuilder
}

type partBuilder struct {
	builders []array.Builder
	rows     int64
}

func newTableBuilder[R any](def *tableDef[R], mem memory.Allocator) *tableBuilder[R] {
	return &tableBuilder[R]{def: def, mem: mem, parts: map[int]*partBuilder{}}
}

func (t *tableBuilder[R]) part(year int) *partBuilder {
	p := t.parts[year]
	if p == nil {
		p = &partBuilder{builders: make([]array.Builder, len(t.def.cols))}
		for i, c := range t.def.cols {
			p.builders[i] = array.NewBuilder(t.mem, c.typ)
		}
		t.parts[year] = p
	}
	return p
}

// append adds one row to the partition of year.
func (t *tableBuilder[R]) append(year int, r *R) {
	p := t.part(year)
	for i, c := range t.def.cols {
		if c.put != nil {
			c.put(p.builders[i], r)
		}
	}
	p.rows++
}

// fillFunc builds the array of a column that has no put, for the partition of year.
type fillFunc func(year int, col string, rows int64) (arrow.Array, error)

// finish turns the builders into records, one per partition, and releases the builders. Columns
// without a put are built by fill.
func (t *tableBuilder[R]) finish(fill fillFunc) ([]Part, error) {
	if len(t.parts) == 0 {
		t.part(0)
	}
	years := make([]int, 0, len(t.parts))
	for y := range t.parts {
		years = append(years, y)
	}
	slices.SortFunc(years, partSort)

	parts := make([]Part, 0, len(years))
	for _, y := range years {
		rec, err := t.finishPart(y, t.parts[y], fill)
		if err != nil {
			releaseParts(parts)
			t.release()
			return nil, err
		}
		parts = append(parts, Part{Year: y, Record: rec})
	}
	t.release()
	return parts, nil
}

func (t *tableBuilder[R]) finishPart(year int, p *partBuilder, fill fillFunc) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, len(p.builders))
	defer func() {
		for _, a := range cols {
			if a != nil {
				a.Release()
			}
		}
	}()
	for i, b := range p.builders {
		c := t.def.cols[i]
		if c.put != nil {
			cols[i] = b.NewArray()
			continue
		}
		if fill == nil {
			return nil, fmt.Errorf("%s: column %s has no values", t.def.name, c.name)
		}
		a, err := fill(year, c.name, p.rows)
		if err != nil {
			return nil, err
		}
		cols[i] = a
		if int64(a.Len()) != p.rows || !arrow.TypeEqual(a.DataType(), c.typ) {
			return nil, fmt.Errorf("%s: column %s: built %d values of %s for %d rows of %s",
				t.def.name, c.name, a.Len(), a.DataType(), p.rows, c.typ)
		}
	}
	// NewRecordBatch retains the columns; the deferred release drops the builders' references.
	return array.NewRecordBatch(t.def.schema, cols, p.rows), nil
}

// release frees the builders of every partition; the builder is empty afterwards.
func (t *tableBuilder[R]) release() {
	for y, p := range t.parts {
		for _, b := range p.builders {
			b.Release()
		}
		delete(t.parts, y)
	}
}
