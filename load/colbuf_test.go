package load

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/govreports/govreports/transform"
)

// colRow holds a value of every kind of column the tables have.
type colRow struct {
	s, opt string
	n      int64
	count  transform.Value
	amount transform.Value
	b      bool
	f      float64
	list   []string
}

var colRowTable = newTableDef("coltest", "every kind of column", partitionByYear, []column[colRow]{
	stringCol("s", "字符串", "a string", func(r *colRow) string { return r.s }),
	optStringCol("opt", "可空字符串", "a string, null when empty", func(r *colRow) string { return r.opt }),
	int64Col("n", "整数", "an int64", func(r *colRow) int64 { return r.n }),
	valueCol("count", "数量", "a count", false, func(r *colRow) *transform.Value { return &r.count }),
	valueCol("amount", "金额", "an amount", true, func(r *colRow) *transform.Value { return &r.amount }),
	boolCol("b", "布尔", "a bool", func(r *colRow) bool { return r.b }),
	float64Col("f", "小数", "a float64", func(r *colRow) float64 { return r.f }),
	{name: "list", label: "列表", desc: "a list of strings", typ: typeStrings,
		put: func(b *colBuf, r *colRow) { b.strList(r.list) }},
	optAppendCol("opt_appended", "可空字符串（追加）", "opt again, appended to the column's buffer",
		func(r *colRow, buf []byte) []byte { return append(buf, r.opt...) }),
})

// colRows are n rows through every edge of every kind: nulls, empty strings and lists, negative
// and extreme amounts, invalid UTF-8.
func colRows(n int) []colRow {
	amounts := []int64{0, 1, -1, 123_456_789, -987_654_321, maxAmount, -maxAmount, math.MaxInt32 + 1}
	rows := make([]colRow, n)
	for i := range rows {
		r := &rows[i]
		r.s = fmt.Sprintf("报告%d", i%37)
		if i%5 != 0 {
			r.opt = fmt.Sprintf("opt-%d", i%11)
		}
		if i%97 == 3 {
			r.s = "bad \xff utf-8"
		}
		r.n = int64(i*i) - 5000
		if i%4 != 0 {
			r.count = transform.Value{Kind: transform.Numeric, N: int64(i % 13)}
		}
		if i%3 != 0 {
			r.amount = transform.Value{Kind: transform.Numeric, N: amounts[i%len(amounts)]}
		}
		r.b = i%2 == 0
		r.f = float64(i) / 7
		for k := range i % 4 {
			r.list = append(r.list, fmt.Sprintf("table3.row%d.total", k+i%5))
		}
		if i == 5 {
			// Past int16: every item after the first repeats at level 1, however many there are.
			for k := range 1<<15 + 10 {
				r.list = append(r.list, fmt.Sprint("c", k%7))
			}
		}
	}
	return rows
}

// arrowBuilders append the rows as Arrow builders would, as the writer did before colBuf.
func arrowRecord(t *testing.T, rows []colRow) arrow.RecordBatch {
	t.Helper()
	mem := checkedMem(t)
	schema := colRowTable.schema
	bs := make([]array.Builder, len(schema.Fields()))
	for i, f := range schema.Fields() {
		bs[i] = array.NewBuilder(mem, f.Type)
		defer bs[i].Release()
	}
	for _, r := range rows {
		bs[0].(*array.StringBuilder).Append(valid(r.s))
		if r.opt == "" {
			bs[1].AppendNull()
		} else {
			bs[1].(*array.StringBuilder).Append(valid(r.opt))
		}
		bs[2].(*array.Int64Builder).Append(r.n)
		if r.count.Kind.Known() {
			bs[3].(*array.Int64Builder).Append(r.count.N)
		} else {
			bs[3].AppendNull()
		}
		if r.amount.Kind.Known() {
			bs[4].(*array.Decimal128Builder).Append(decimal128.FromI64(r.amount.N))
		} else {
			bs[4].AppendNull()
		}
		bs[5].(*array.BooleanBuilder).Append(r.b)
		bs[6].(*array.Float64Builder).Append(r.f)
		lb := bs[7].(*array.ListBuilder)
		lb.Append(true)
		for _, s := range r.list {
			lb.ValueBuilder().(*array.StringBuilder).Append(s)
		}
		if r.opt == "" {
			bs[8].AppendNull()
		} else {
			bs[8].(*array.StringBuilder).Append(valid(r.opt))
		}
	}
	cols := make([]arrow.Array, len(bs))
	for i, b := range bs {
		cols[i] = b.NewArray()
		defer cols[i].Release()
	}
	return array.NewRecordBatch(schema, cols, int64(len(rows)))
}

// arrowBuilderBytes is what Arrow builders holding the rows took, as the row group cut counted it
// before colBuf: a string's bytes and a 4-byte offset, a list's offset and its items, a number's
// width, null or not.
func arrowBuilderBytes(rec arrow.RecordBatch) int64 {
	n := int64(0)
	var arrBytes func(a arrow.Array) int64
	arrBytes = func(a arrow.Array) int64 {
		switch a := a.(type) {
		case *array.String:
			n := 4 * int64(a.Len())
			for i := range a.Len() {
				n += int64(a.ValueLen(i))
			}
			return n
		case *array.List:
			return 4*int64(a.Len()) + arrBytes(a.ListValues())
		}
		if fw, ok := a.DataType().(arrow.FixedWidthDataType); ok {
			return int64(a.Len()) * int64(max(fw.BitWidth()/8, 1))
		}
		panic(fmt.Sprintf("no width for %s", a.DataType()))
	}
	for _, c := range rec.Columns() {
		n += arrBytes(c)
	}
	return n
}

// writeColRows writes rows through a partition, committing every commitEvery rows, and returns
// the file's bytes and what the row group took.
func writeColRows(t *testing.T, rows []colRow, commitEvery int) ([]byte, int64) {
	t.Helper()
	dir := t.TempDir()
	part := openColPartition(t, dir)
	for i := range rows {
		for k, c := range colRowTable.cols {
			c.put(&part.bufs[k], &rows[i])
		}
		part.rows++
		part.staged++
		if part.staged >= commitEvery {
			if err := part.commit(); err != nil {
				t.Fatal(err)
			}
		}
	}
	size := part.size()
	o, err := part.close()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(o.Path)))
	if err != nil {
		t.Fatal(err)
	}
	if o.Rows != int64(len(rows)) {
		t.Errorf("%d rows written, want %d", o.Rows, len(rows))
	}
	return data, size
}

// openColPartition opens the partition of colRowTable's year 2024 in a Writer over dir.
func openColPartition(t *testing.T, dir string) *partition {
	t.Helper()
	w, err := NewWriter(dir, Options{InputHash: testInputHash, CreatedBy: testCreatedBy, Allocator: checkedMem(t)})
	if err != nil {
		t.Fatal(err)
	}
	p := &pass{w: w, opt: w.opt}
	part, err := p.openPartition(colRowTable.name, colRowTable.schema, 2024, 0)
	if err != nil {
		t.Fatal(err)
	}
	return part
}

// TestColBufAsPqarrow: rows staged in colBufs and handed to the column writers at once make the
// very file pqarrow makes from Arrow arrays of the same rows — the same Parquet schema, levels,
// decimal bytes, statistics and ARROW:schema — and handed over a few rows at a time, a file of the
// same rows. The row group takes what Arrow's builders took, so row groups are cut where they were.
func TestColBufAsPqarrow(t *testing.T) {
	for _, n := range []int{0, 1, 7, 3000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rows := colRows(n)
			rec := arrowRecord(t, rows)
			defer rec.Release()
			want := pqarrowFile(t, rec)

			got, size := writeColRows(t, rows, max(n, 1))
			if !bytes.Equal(got, want) {
				t.Errorf("committed at once: %d bytes differ from pqarrow's %d", len(got), len(want))
			}
			if wantSize := arrowBuilderBytes(rec); size != wantSize {
				t.Errorf("the row group took %d bytes, Arrow's builders %d", size, wantSize)
			}

			// A few rows at a time: pages are cut elsewhere, the rows are the same.
			inParts, _ := writeColRows(t, rows, 5)
			checkSameRows(t, "committed in parts", want, inParts, n)
		})
	}
}

// pqarrowFile is the file pqarrow writes of rec with the tables' settings.
func pqarrowFile(t *testing.T, rec arrow.RecordBatch) []byte {
	t.Helper()
	var want bytes.Buffer
	mem := checkedMem(t)
	opt := Options{InputHash: testInputHash, CreatedBy: testCreatedBy, SchemaVersion: SchemaVersion}
	fw, err := pqarrow.NewFileWriter(colRowTable.schema, &want, writerProps(opt, mem),
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem)))
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.AppendKeyValueMetadata(KeySchemaVersion, SchemaVersion); err != nil {
		t.Fatal(err)
	}
	if err := fw.AppendKeyValueMetadata(KeyInputHash, testInputHash); err != nil {
		t.Fatal(err)
	}
	if rec.NumRows() > 0 {
		if err := fw.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return want.Bytes()
}

// checkSameRows: the file got holds the n rows of the file want, read back.
func checkSameRows(t *testing.T, what string, want, got []byte, n int) {
	t.Helper()
	mem := checkedMem(t)
	dir := t.TempDir()
	for name, data := range map[string][]byte{"want.parquet": want, "got.parquet": got} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantRows := readParquet(t, filepath.Join(dir, "want.parquet"), mem).rows
	gotRows := readParquet(t, filepath.Join(dir, "got.parquet"), mem).rows
	if len(gotRows) != n || fmt.Sprint(gotRows) != fmt.Sprint(wantRows) {
		t.Errorf("%s: %d rows read back, want %d the same as pqarrow's", what, len(gotRows), n)
	}
}

// TestDictColumns: the string columns hold a row group's values as positions in a dictionary of
// their own until the row group ends (colBuf.dictText). Whatever the values, and however the rows
// are committed, the file holds pqarrow's rows, and committed at once it is pqarrow's file: rows
// that begin with nulls (committed before the dictionary has a value), a column of nulls only,
// every value distinct, text that is not valid UTF-8. Past one data page (a MB of values), the pages before the last hold
// positions as wide as the whole dictionary needs, where pqarrow's are as wide as the entries
// seen so far: the same rows, a few bytes more.
func TestDictColumns(t *testing.T) {
	long := func(i int) string { return fmt.Sprintf("%04d-%s", i, strings.Repeat("值", 200)) } // 605 bytes
	cases := []struct {
		name    string
		n       int
		row     func(i int, r *colRow)
		onePage bool
	}{
		{"leading nulls", 50, func(i int, r *colRow) {
			if i >= 20 {
				r.opt = fmt.Sprint("v", i%3)
			}
		}, true},
		{"nulls only", 30, func(i int, r *colRow) {}, true},
		// The invalid text and its valid form are one value of the dictionary.
		{"invalid UTF-8", 40, func(i int, r *colRow) {
			r.s = []string{"a\xff", "a\uFFFD", "b", "\xfe\xff"}[i%4]
			r.opt = []string{"", "\xff", "o", "\uFFFD"}[i%4]
		}, true},
		{"all distinct", 4000, func(i int, r *colRow) { r.s, r.opt = fmt.Sprint("s", i), fmt.Sprint("o", i) }, true},
		{"past one data page", 2500, func(i int, r *colRow) {
			r.s = long(i)
			if i%4 != 0 {
				r.opt = long(i % 50)
			}
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows := make([]colRow, c.n)
			for i := range rows {
				rows[i].s = "x"
				c.row(i, &rows[i])
			}
			rec := arrowRecord(t, rows)
			defer rec.Release()
			want := pqarrowFile(t, rec)
			atOnce, _ := writeColRows(t, rows, c.n)
			if c.onePage && !bytes.Equal(atOnce, want) {
				t.Errorf("committed at once: %d bytes differ from pqarrow's %d", len(atOnce), len(want))
			}
			for _, every := range []int{1, 3, 1000, c.n} {
				got, _ := writeColRows(t, rows, every)
				checkSameRows(t, fmt.Sprintf("committed every %d rows", every), want, got, c.n)
			}
		})
	}
}

// TestKeysValid: the strings keyCol writes unchecked — cell paths, Table 3 row keys and labels,
// kinds, methods — are valid UTF-8, every one the program can make.
func TestKeysValid(t *testing.T) {
	var keys []string
	for _, f := range transform.T2 {
		keys = append(keys, f.Path())
	}
	for row := range transform.NumT3Rows {
		keys = append(keys, transform.T3Rows[row].Key, transform.T3Rows[row].CN)
		for col := range transform.NumT3Cols {
			keys = append(keys, transform.T3Path(row, col))
		}
	}
	for i := range transform.NumT4 {
		keys = append(keys, transform.T4Path(i))
	}
	for k := range transform.Text + 2 {
		keys = append(keys, k.String())
	}
	for m := range transform.Method(8) {
		keys = append(keys, m.String())
	}
	for _, k := range keys {
		if k == "" || !utf8.ValidString(k) {
			t.Errorf("key %q is empty or not valid UTF-8", k)
		}
	}
}

// TestRowsReused: the per-report row emitters allocate nothing per row — the cells table has
// millions — and a reused row still hands every value over: the rows emitted are those of a row
// made afresh each time.
func TestRowsReused(t *testing.T) {
	r := benchReports(1)[0]
	rc := &reportCtx{r: r}
	var got []cellRow
	cellRows(rc, func(c *cellRow) { got = append(got, *c) })
	if len(got) < 100 {
		t.Fatalf("%d cells, want a full report's", len(got))
	}
	for _, c := range got {
		if c.r != r || c.v == nil || c.v.Kind == transform.Absent {
			t.Fatalf("cell %s: not a located value of the report", cellPaths[c.path])
		}
	}
	if got[0].path == got[1].path {
		t.Errorf("the first two cells share path %s: the row was not refilled", cellPaths[got[0].path])
	}
	for name, emit := range map[string]func(){
		"cells":        func() { cellRows(rc, func(*cellRow) {}) },
		"applications": func() { applicationRows(rc, func(*appRow) {}) },
		"findings":     func() { findingRows(rc, func(*findingRow) {}) },
	} {
		if n := testing.AllocsPerRun(20, emit); n > 2 {
			t.Errorf("%s: %.0f allocations a report, want at most 2 (the row and its closure)", name, n)
		}
	}
}

// TestDictColumnsAllocateNothingPerRow: staging and committing rows whose strings the row group
// has seen allocates nothing (arrow-go's dictionary allocated for every string value it hashed:
// two allocations a row here, millions in the cells table).
func TestDictColumnsAllocateNothingPerRow(t *testing.T) {
	part := openColPartition(t, t.TempDir())
	defer part.abort()
	rows := make([]colRow, 500)
	for i := range rows {
		rows[i] = colRow{s: fmt.Sprint("报告", i%7), n: int64(i % 5), b: i%2 == 0}
		if i%3 != 0 {
			rows[i].opt = fmt.Sprint("opt-", i%11)
		}
	}
	commit := func() {
		for i := range rows {
			for k, c := range colRowTable.cols {
				c.put(&part.bufs[k], &rows[i])
			}
			part.rows++
			part.staged++
		}
		if err := part.commit(); err != nil {
			t.Fatal(err)
		}
	}
	commit() // the dictionaries hold every value now, the staging slices have their size
	if perRow := testing.AllocsPerRun(20, commit) / float64(len(rows)); perRow > 0.05 {
		t.Errorf("%.2f allocations a row, want none", perRow)
	}
}
