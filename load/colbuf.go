package load

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
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
	// enum is the fixed dictionary of a column whose values are its entries (enumCol), and idx the
	// staged values as positions in it; nil for any other column.
	enum *enumDict
	idx  []int32
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

// enumVal appends entry i of d: the string d.vals[i], staged as its position. An enum column is
// flat; a nullable one is written as strings.
func (c *colBuf) enumVal(d *enumDict, i int) {
	c.present()
	c.enum = d
	c.idx = append(c.idx, int32(i))
	c.size += int64(len(d.vals[i])) + 4
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
		if c.enum != nil {
			err = c.commitEnum(w, def)
			break
		}
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
	c.idx = c.idx[:0]
	return err
}

// enumDict is the dictionary of a string column whose values the program names from a short fixed
// list of its own (cell paths, kinds, methods): every chunk of the column gets the whole list as its
// dictionary page and the values go in as positions in it, so the column writer does not hash the
// cells table's millions of strings one by one into the dictionary it would build (arrow-go boxes
// each into an interface and allocates twice a value). The list is at most a few hundred short
// strings, a few KB a chunk before compression; entries a chunk does not use stay in its
// dictionary, which Parquet allows.
type enumDict struct {
	vals []parquet.ByteArray
	arr  arrow.Array // vals as the encoder's PutDictionary takes them
	rank []int32     // rank[i] is vals[i]'s place in byte order, for the statistics' bounds
}

// newEnumDict makes the dictionary of vals, which must be distinct: the encoder's dictionary would
// otherwise not match the positions.
func newEnumDict(vals []string) *enumDict {
	d := &enumDict{rank: make([]int32, len(vals))}
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	for _, v := range vals {
		d.vals = append(d.vals, parquet.ByteArray(v))
		b.Append(v)
	}
	d.arr = b.NewArray() // held for the life of the program: the encoders retain and release it
	order := make([]int, len(vals))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return bytes.Compare(d.vals[a], d.vals[b]) })
	for r, i := range order {
		if r > 0 && bytes.Equal(d.vals[order[r-1]], d.vals[i]) {
			panic(fmt.Sprintf("load: enum value %q twice", vals[i]))
		}
		d.rank[i] = int32(r)
	}
	return d
}

// dictEncoder is what commitEnum needs of the column's encoder when it is arrow-go's dictionary
// encoder, whose type is internal to arrow-go.
type dictEncoder interface {
	NumEntries() int
	PutDictionary(arrow.Array) error
	AddRawSize(int64)
}

// commitEnum writes the staged positions of an enum column. The encoder takes the whole dictionary
// when the chunk begins, then positions in batches of the writer's batch size, and each batch
// counts in the page statistics and the page's raw size (which cuts the pages) what WriteBatch
// would have counted for its strings: the statistics, levels and page cuts are those of WriteBatch;
// only the dictionary's order and unused entries differ. A chunk that is not dictionary-encoded
// (the properties turned it off) gets the strings.
func (c *colBuf) commitEnum(w *file.ByteArrayColumnChunkWriter, def []int16) error {
	d := c.enum
	enc, ok := w.CurrentEncoder().(dictEncoder)
	if !ok || w.CurrentEncoder().Encoding() != parquet.Encodings.PlainDict || c.maxDef > 0 {
		strs := c.strs[:0]
		for _, i := range c.idx {
			strs = append(strs, d.vals[i])
		}
		c.strs = strs
		_, err := w.WriteBatch(strs, def, nil)
		return err
	}
	if enc.NumEntries() == 0 {
		if err := enc.PutDictionary(d.arr); err != nil {
			return err
		}
	}
	if enc.NumEntries() != len(d.vals) {
		return fmt.Errorf("column %s: the dictionary has %d entries, not the %d of its values", w.Descr().Path(), enc.NumEntries(), len(d.vals))
	}
	batch := int(w.Properties().WriteBatchSize())
	for off := 0; off < len(c.idx); off += batch {
		idx := c.idx[off:min(off+batch, len(c.idx))]
		lo, hi, raw := idx[0], idx[0], int64(0)
		for _, i := range idx {
			if d.rank[i] < d.rank[lo] {
				lo = i
			}
			if d.rank[i] > d.rank[hi] {
				hi = i
			}
			raw += int64(len(d.vals[i])) + 4
		}
		if st, ok := w.PageStatistics().(*metadata.ByteArrayStatistics); ok {
			st.IncNulls(0) // as Update does: the page then states it has no nulls
			st.IncNumValues(int64(len(idx)))
			st.SetMinMax(d.vals[lo], d.vals[hi])
		}
		enc.AddRawSize(raw)
		buf := memory.NewBufferBytes(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(idx))), 4*len(idx)))
		data := array.NewData(arrow.PrimitiveTypes.Int32, len(idx), []*memory.Buffer{nil, buf}, nil, 0, 0)
		arr := array.NewInt32Data(data)
		err := w.WriteDictIndices(arr, nil, nil)
		arr.Release()
		data.Release()
		if err != nil {
			return err
		}
	}
	return nil
}
