package load

import (
	"encoding/binary"
	"fmt"
	"unsafe"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"
)

// colBuf stages one column's values of one partition in Parquet's own terms — the values present
// and the definition (and, for a list, repetition) levels that place nulls, empty lists and list
// items — until they are handed to the open row group's column writer (commit). Rows go straight
// from a report to the column writers, which keep only encoded pages: no Arrow builder holds a
// copy of the row group, and no Arrow array is made from it.
//
// The staged strings are not copied: a colBuf refers to the reports' own strings, which the report
// store allocates afresh on every read and which nothing ever writes to, and the column writers
// copy what they keep (the dictionary, the statistics' bounds) before commit returns. The staging
// slices are reused from commit to commit.
type colBuf struct {
	maxDef, maxRep int16
	typeLen        int // bytes of a fixed-length value (a decimal)
	def, rep       []int16
	strs           []parquet.ByteArray
	ints           []int64
	bools          []bool
	floats         []float64
	decs           []byte // fixed-length values, typeLen bytes each
	flba           []parquet.FixedLenByteArray
	// size is the bytes of values appended since the row group began, counted as Arrow's builders
	// counted them (a string its bytes and a 4-byte offset, a number its width, null or not): the
	// row group cut depends on it, and thus on the rows only.
	size int64
}

func newColBuf(c *schema.Column) colBuf {
	return colBuf{maxDef: c.MaxDefinitionLevel(), maxRep: c.MaxRepetitionLevel(), typeLen: c.TypeLength()}
}

// present records the levels of a flat value that is there.
func (c *colBuf) present() {
	if c.maxDef > 0 {
		c.def = append(c.def, c.maxDef)
	}
}

// null appends a null of a nullable flat column.
func (c *colBuf) null(width int64) {
	c.def = append(c.def, c.maxDef-1)
	c.size += width
}

// stringBytes views s as bytes without copying it: the column writers only read what they are
// given (see colBuf), and s is never written to.
func stringBytes(s string) parquet.ByteArray {
	return unsafe.Slice(unsafe.StringData(s), len(s))
}

func (c *colBuf) str(s string) {
	c.present()
	c.strs = append(c.strs, stringBytes(s))
	c.size += int64(len(s)) + 4
}

func (c *colBuf) int64(v int64) {
	c.present()
	c.ints = append(c.ints, v)
	c.size += 8
}

func (c *colBuf) float64(v float64) {
	c.present()
	c.floats = append(c.floats, v)
	c.size += 8
}

func (c *colBuf) bool(v bool) {
	c.present()
	c.bools = append(c.bools, v)
	c.size++
}

// decimal appends an unscaled decimal as Parquet stores one in typeLen bytes: big-endian two's
// complement, the low typeLen bytes of the 16 an Arrow decimal128 has.
func (c *colBuf) decimal(unscaled int64) {
	c.present()
	var be [16]byte
	binary.BigEndian.PutUint64(be[:8], uint64(unscaled>>63))
	binary.BigEndian.PutUint64(be[8:], uint64(unscaled))
	c.decs = append(c.decs, be[16-c.typeLen:]...)
	c.size += 16
}

// strList appends a row of a list of strings that is never null itself, nor are its items.
func (c *colBuf) strList(items []string) {
	c.size += 4
	if len(items) == 0 {
		c.def = append(c.def, c.maxDef-1)
		c.rep = append(c.rep, 0)
		return
	}
	rep := int16(0) // the first item starts the row; the others repeat at the list's level
	for _, s := range items {
		c.def = append(c.def, c.maxDef)
		c.rep = append(c.rep, rep)
		rep = c.maxRep
		c.strs = append(c.strs, stringBytes(s))
		c.size += int64(len(s)) + 4
	}
}

// commit writes what is staged to cw, the column's writer in the open row group, and empties the
// staging.
func (c *colBuf) commit(cw file.ColumnChunkWriter) error {
	var def, rep []int16
	if c.maxDef > 0 {
		def = c.def
	}
	if c.maxRep > 0 {
		rep = c.rep
	}
	var err error
	switch w := cw.(type) {
	case *file.ByteArrayColumnChunkWriter:
		_, err = w.WriteBatch(c.strs, def, rep)
	case *file.Int64ColumnChunkWriter:
		_, err = w.WriteBatch(c.ints, def, rep)
	case *file.Float64ColumnChunkWriter:
		_, err = w.WriteBatch(c.floats, def, rep)
	case *file.BooleanColumnChunkWriter:
		_, err = w.WriteBatch(c.bools, def, rep)
	case *file.FixedLenByteArrayColumnChunkWriter:
		c.flba = c.flba[:0]
		for off := 0; off+c.typeLen <= len(c.decs); off += c.typeLen {
			c.flba = append(c.flba, c.decs[off:off+c.typeLen])
		}
		_, err = w.WriteBatch(c.flba, def, rep)
	default:
		err = fmt.Errorf("column %s: no way to write a %T", cw.Descr().Path(), cw)
	}
	clear(c.strs) // drop the references to the reports' strings
	c.def, c.rep, c.strs, c.ints, c.floats, c.bools, c.decs = c.def[:0], c.rep[:0], c.strs[:0], c.ints[:0], c.floats[:0], c.bools[:0], c.decs[:0]
	return err
}
