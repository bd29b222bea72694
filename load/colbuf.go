package load

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
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
	// A run column (runStr, runInt64) holds the values of the whole row group as runs — a report's
	// rows share its id and year — until writeRuns; commit leaves it alone.
	run     bool
	runStrs []parquet.ByteArray // the runs' values, of a string column
	runInts []int64             // the runs' values, of an int64 column
	runLens []int32
	scratch []int32
	// A dictionary column (dictText) holds its row group's values as positions in a dictionary of
	// its own, its distinct values first seen first, which is the order the column writer's own
	// dictionary would take them in. writeDict hands the writer the dictionary whole, then the
	// positions: the writer would otherwise hash every row's string into its dictionary, which
	// allocates for each (a closure in arrow-go's memo table), and the cells table's raw texts and
	// sources are millions of rows. Nulls are definition levels only, in def.
	dict      bool
	dictSeen  map[string]int32    // a value as appended, invalid UTF-8 or not, to its position
	dictVals  []parquet.ByteArray // the distinct values, copies the colBuf owns
	dictIdx   []int32             // a position in dictVals for each value present
	dictBytes int64               // dictVals as the encoder counts its dictionary: bytes and a length each
	text      []byte              // where optAppendCol's values are made, reused row after row
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

// dictText appends text s to a dictionary column, made valid UTF-8 (invalid bytes become U+FFFD)
// the first time the row group sees it: a value seen before is known valid. The distinct values
// are copied: the row group outlives the reports whose strings they were.
func (c *colBuf) dictText(s string) {
	p, ok := c.dictSeen[s]
	if !ok {
		p = c.addDictValue(s, false)
	}
	c.dictAppend(p)
}

// dictTextBytes is dictText for text in a buffer the caller reuses: a value seen before in the
// row group costs a map look-up and no string.
func (c *colBuf) dictTextBytes(b []byte) {
	p, ok := c.dictSeen[string(b)]
	if !ok {
		p = c.addDictValue(string(b), true)
	}
	c.dictAppend(p)
}

func (c *colBuf) dictAppend(p int32) {
	c.present()
	c.dict = true
	c.dictIdx = append(c.dictIdx, p)
	c.size += int64(len(c.dictVals[p])) + 4
}

// addDictValue puts s, seen for the first time in the row group, in the column's dictionary and
// returns its position; owned says s is a copy already, which the column may keep.
func (c *colBuf) addDictValue(s string, owned bool) int32 {
	if c.dictSeen == nil {
		c.dictSeen = map[string]int32{}
	}
	v := valid(s)
	p, ok := c.dictSeen[v]
	if !ok {
		if !owned || v != s {
			v = strings.Clone(v)
		}
		p = int32(len(c.dictVals))
		c.dictSeen[v] = p
		c.dictVals = append(c.dictVals, stringBytes(v))
		c.dictBytes += int64(len(v)) + 4
	}
	if v != s {
		if !owned {
			s = strings.Clone(s)
		}
		c.dictSeen[s] = p // the invalid text too, to the valid value
	}
	return p
}

// runStr appends s to a run column of strings: the last run's value again lengthens the run.
func (c *colBuf) runStr(s string) {
	c.run = true
	c.size += int64(len(s)) + 4
	if n := len(c.runLens); n > 0 && string(c.runStrs[n-1]) == s {
		c.runLens[n-1]++
		return
	}
	c.runStrs = append(c.runStrs, stringBytes(s))
	c.runLens = append(c.runLens, 1)
}

// runInt64 appends v to a run column of int64s.
func (c *colBuf) runInt64(v int64) {
	c.run = true
	c.size += 8
	if n := len(c.runLens); n > 0 && c.runInts[n-1] == v {
		c.runLens[n-1]++
		return
	}
	c.runInts = append(c.runInts, v)
	c.runLens = append(c.runLens, 1)
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
	if c.run || c.dict {
		return nil // written whole by writeRuns, or writeDict
	}
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

// dictEncoderOf returns the chunk's encoder when it is arrow-go's dictionary encoder, which
// commitEnum and writeDict hand a dictionary and positions; false when the chunk is plain.
func dictEncoderOf(w *file.ByteArrayColumnChunkWriter) (dictEncoder, bool) {
	enc, ok := w.CurrentEncoder().(dictEncoder)
	return enc, ok && w.CurrentEncoder().Encoding() == parquet.Encodings.PlainDict
}

// writeStrings writes the values at positions idx of vals through WriteBatch, the way of a chunk
// that takes no dictionary from us.
func (c *colBuf) writeStrings(w *file.ByteArrayColumnChunkWriter, vals []parquet.ByteArray, idx []int32, def []int16) error {
	strs := c.strs[:0]
	for _, i := range idx {
		strs = append(strs, vals[i])
	}
	c.strs = strs
	_, err := w.WriteBatch(strs, def, nil)
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
	enc, ok := dictEncoderOf(w)
	if !ok || c.maxDef > 0 {
		return c.writeStrings(w, d.vals, c.idx, def)
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
		if err := writeIndices(w, idx); err != nil {
			return err
		}
	}
	return nil
}

// writeRuns writes the row group's values of a run column, at the end of the row group, and
// empties it. The column writer would hash every row's value into the chunk's dictionary; the
// dictionary is made here from the runs instead — their distinct values in the order they come,
// which is the order the writer's own dictionary takes them in — and handed over whole
// (PutDictionary), then the rows as positions in it (WriteDictIndices) in batches of the writer's
// batch size, each counted in the page statistics and the page's raw size as WriteBatch counts
// its values. The chunk is the one WriteBatch makes of the row group's values written at once. A
// dictionary past the writer's page limit, where WriteBatch would fall back to plain pages, and a
// chunk not dictionary-encoded get the values through WriteBatch.
func (c *colBuf) writeRuns(cw file.ColumnChunkWriter) error {
	if c.dict {
		return c.writeDict(cw)
	}
	if !c.run || len(c.runLens) == 0 {
		return nil
	}
	defer func() {
		clear(c.runStrs)
		c.runStrs, c.runInts, c.runLens = c.runStrs[:0], c.runInts[:0], c.runLens[:0]
	}()
	// pos[i] is run i's value's position in the dictionary, dict its distinct values.
	pos := slices.Grow(c.scratch[:0], len(c.runLens))[:len(c.runLens)]
	c.scratch = pos
	mem := cw.Properties().Allocator()
	var dict arrow.Array
	dictBytes := int64(0)
	switch {
	case len(c.runStrs) > 0:
		seen := make(map[string]int32, len(c.runLens))
		b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.String)
		defer b.Release()
		for i, v := range c.runStrs {
			p, ok := seen[string(v)]
			if !ok {
				p = int32(len(seen))
				seen[string(v)] = p
				b.Append(v)
				dictBytes += int64(len(v)) + 4
			}
			pos[i] = p
		}
		dict = b.NewArray()
	default:
		seen := make(map[int64]int32, len(c.runLens))
		b := array.NewInt64Builder(mem)
		defer b.Release()
		for i, v := range c.runInts {
			p, ok := seen[v]
			if !ok {
				p = int32(len(seen))
				seen[v] = p
				b.Append(v)
				dictBytes += 8
			}
			pos[i] = p
		}
		dict = b.NewArray()
	}
	defer dict.Release()

	enc, ok := cw.CurrentEncoder().(dictEncoder)
	if !ok || cw.CurrentEncoder().Encoding() != parquet.Encodings.PlainDict || enc.NumEntries() != 0 ||
		dictBytes >= cw.Properties().DictionaryPageSizeLimit() || c.maxDef > 0 || c.maxRep > 0 {
		return c.writeRunValues(cw)
	}
	if err := enc.PutDictionary(dict); err != nil {
		return err
	}
	if enc.NumEntries() != dict.Len() {
		return fmt.Errorf("column %s: the dictionary has %d entries, not the %d of its values", cw.Descr().Path(), enc.NumEntries(), dict.Len())
	}
	batch := int(cw.Properties().WriteBatchSize())
	idx := make([]int32, 0, batch)
	run, left := 0, int(c.runLens[0]) // the run the next row is in, and its rows not yet written
	for run < len(c.runLens) {
		idx = idx[:0]
		lo, hi, raw := run, run, int64(0) // runs of the least and greatest value in the batch
		for len(idx) < batch && run < len(c.runLens) {
			k := min(left, batch-len(idx))
			for range k {
				idx = append(idx, pos[run])
			}
			if c.less(run, lo) {
				lo = run
			}
			if c.less(hi, run) {
				hi = run
			}
			raw += int64(k) * c.width(run)
			if left -= k; left == 0 {
				if run++; run < len(c.runLens) {
					left = int(c.runLens[run])
				}
			}
		}
		switch st := cw.PageStatistics().(type) {
		case *metadata.ByteArrayStatistics:
			st.IncNulls(0) // as Update does: the page then states it has no nulls
			st.IncNumValues(int64(len(idx)))
			st.SetMinMax(c.runStrs[lo], c.runStrs[hi])
		case *metadata.Int64Statistics:
			st.IncNulls(0)
			st.IncNumValues(int64(len(idx)))
			st.SetMinMax(c.runInts[lo], c.runInts[hi])
		}
		enc.AddRawSize(raw)
		if err := writeIndices(cw, idx); err != nil {
			return err
		}
	}
	return nil
}

// writeDict writes the row group's values of a dictionary column, at the end of the row group, and
// empties it. As writeRuns does for runs, the dictionary goes to the encoder whole (PutDictionary)
// and the rows as positions in it (WriteDictIndices), in batches of the writer's batch size, each
// counted in the page statistics (nulls, values, bounds) and the page's raw size as WriteBatch
// counts its values; a null is a position the indices' validity leaves out. Rows before the first
// value of the row group, all nulls, went through WriteBatch at their commit, which adds nothing
// to the dictionary. A dictionary past the writer's page limit, where WriteBatch falls back to
// plain pages, and a chunk not dictionary-encoded get the values through WriteBatch.
func (c *colBuf) writeDict(cw file.ColumnChunkWriter) error {
	defer func() {
		clear(c.dictSeen)
		clear(c.dictVals)
		clear(c.strs)
		c.dict, c.dictBytes = false, 0
		c.dictVals, c.dictIdx, c.def, c.strs = c.dictVals[:0], c.dictIdx[:0], c.def[:0], c.strs[:0]
	}()
	w, ok := cw.(*file.ByteArrayColumnChunkWriter)
	if !ok {
		return fmt.Errorf("column %s: no dictionary of a %T", cw.Descr().Path(), cw)
	}
	var def []int16
	rows := len(c.dictIdx)
	if c.maxDef > 0 {
		def, rows = c.def, len(c.def)
	}
	enc, ok := dictEncoderOf(w)
	if !ok || enc.NumEntries() != 0 || c.dictBytes >= w.Properties().DictionaryPageSizeLimit() || c.maxRep > 0 {
		return c.writeStrings(w, c.dictVals, c.dictIdx, def)
	}
	b := array.NewBinaryBuilder(w.Properties().Allocator(), arrow.BinaryTypes.String)
	defer b.Release()
	for _, v := range c.dictVals {
		b.Append(v)
	}
	dict := b.NewArray()
	defer dict.Release()
	if err := enc.PutDictionary(dict); err != nil {
		return err
	}
	if enc.NumEntries() != dict.Len() {
		return fmt.Errorf("column %s: the dictionary has %d entries, not the %d of its values", w.Descr().Path(), enc.NumEntries(), dict.Len())
	}
	batch := int(w.Properties().WriteBatchSize())
	idx := slices.Grow(c.scratch[:0], batch)
	validity := make([]byte, bitutil.BytesForBits(int64(batch)))
	next := 0 // the next value present
	for off := 0; off < rows; off += batch {
		n := min(batch, rows-off)
		idx = idx[:0]
		nulls := 0
		lo, hi, raw := int32(-1), int32(-1), int64(0)
		clear(validity)
		for k := range n {
			if def != nil && def[off+k] != c.maxDef {
				idx = append(idx, 0)
				nulls++
				continue
			}
			p := c.dictIdx[next]
			next++
			idx = append(idx, p)
			bitutil.SetBit(validity, k)
			if lo < 0 || bytes.Compare(c.dictVals[p], c.dictVals[lo]) < 0 {
				lo = p
			}
			if hi < 0 || bytes.Compare(c.dictVals[hi], c.dictVals[p]) < 0 {
				hi = p
			}
			raw += int64(len(c.dictVals[p])) + 4
		}
		if st, ok := w.PageStatistics().(*metadata.ByteArrayStatistics); ok {
			st.IncNulls(int64(nulls))
			st.IncNumValues(int64(n - nulls))
			if lo >= 0 {
				st.SetMinMax(c.dictVals[lo], c.dictVals[hi])
			}
		}
		enc.AddRawSize(raw)
		var levels []int16
		if def != nil {
			levels = def[off : off+n]
		}
		if err := writeIndicesValid(w, idx, validity, nulls, levels); err != nil {
			return err
		}
	}
	c.scratch = idx
	if next != len(c.dictIdx) {
		return fmt.Errorf("column %s: %d values for %d present", w.Descr().Path(), len(c.dictIdx), next)
	}
	return nil
}

// less: run a's value sorts before run b's, as the statistics compare them.
func (c *colBuf) less(a, b int) bool {
	if len(c.runStrs) > 0 {
		return bytes.Compare(c.runStrs[a], c.runStrs[b]) < 0
	}
	return c.runInts[a] < c.runInts[b]
}

// width is what a value of run i adds to the page's raw size, as the dictionary encoder counts it.
func (c *colBuf) width(i int) int64 {
	if len(c.runStrs) > 0 {
		return int64(len(c.runStrs[i])) + 4
	}
	return 8
}

// writeRunValues writes a run column's values through WriteBatch, at once.
func (c *colBuf) writeRunValues(cw file.ColumnChunkWriter) error {
	var err error
	switch w := cw.(type) {
	case *file.ByteArrayColumnChunkWriter:
		vals := make([]parquet.ByteArray, 0, c.rows())
		for i, v := range c.runStrs {
			for range c.runLens[i] {
				vals = append(vals, v)
			}
		}
		_, err = w.WriteBatch(vals, nil, nil)
	case *file.Int64ColumnChunkWriter:
		vals := make([]int64, 0, c.rows())
		for i, v := range c.runInts {
			for range c.runLens[i] {
				vals = append(vals, v)
			}
		}
		_, err = w.WriteBatch(vals, nil, nil)
	default:
		err = fmt.Errorf("column %s: no runs of a %T", cw.Descr().Path(), cw)
	}
	return err
}

// rows counts a run column's staged rows.
func (c *colBuf) rows() int {
	n := 0
	for _, l := range c.runLens {
		n += int(l)
	}
	return n
}

// writeIndices hands positions in the chunk's dictionary to its writer.
func writeIndices(cw file.ColumnChunkWriter, idx []int32) error {
	return writeIndicesValid(cw, idx, nil, 0, nil)
}

// writeIndicesValid hands positions in the chunk's dictionary to its writer, one a row: nulls of
// them, whose bits in valid are 0 and whose levels in def say so, are left out.
func writeIndicesValid(cw file.ColumnChunkWriter, idx []int32, valid []byte, nulls int, def []int16) error {
	buf := memory.NewBufferBytes(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(idx))), 4*len(idx)))
	var validity *memory.Buffer
	if nulls > 0 {
		validity = memory.NewBufferBytes(valid)
	}
	data := array.NewData(arrow.PrimitiveTypes.Int32, len(idx), []*memory.Buffer{validity, buf}, nil, nulls, 0)
	defer data.Release()
	arr := array.NewInt32Data(data)
	defer arr.Release()
	return cw.WriteDictIndices(arr, def, nil)
}
