package load

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// enumRow is a row of the enum tests: a cell path by its position in cellPaths, and a number.
type enumRow struct {
	path int
	n    int64
}

// The same column written as an enum and as strings: the two tables have the same schema.
var (
	enumTable = newTableDef("enumtest", "an enum column", partitionByYear, []column[enumRow]{
		enumCol("path", "路径", "a cell path", cellPathSet, func(r *enumRow) int { return r.path }),
		int64Col("n", "整数", "an int64", func(r *enumRow) int64 { return r.n }),
	})
	enumAsStrTable = newTableDef("enumtest", "an enum column", partitionByYear, []column[enumRow]{
		keyCol("path", "路径", "a cell path", func(r *enumRow) string { return cellPaths[r.path] }),
		int64Col("n", "整数", "an int64", func(r *enumRow) int64 { return r.n }),
	})
)

// enumRows are n rows in runs, as a report's cells come, over the Table 3 paths only: the
// dictionary holds entries no row uses, and the first value is not the least.
func enumRows(n int) []enumRow {
	rows := make([]enumRow, n)
	t3 := transform3Paths()
	for i := range rows {
		rows[i] = enumRow{path: t3[(i/3+i%7)%len(t3)], n: int64(i)}
	}
	return rows
}

func transform3Paths() []int {
	var out []int
	for i := range cellPaths {
		if i >= t3PathIndex(0, 0) && i < t4PathIndex(0) {
			out = append(out, i)
		}
	}
	return out
}

// writeTableRows writes rows of def through a partition, committing every commitEvery rows, and
// returns the file's bytes.
func writeTableRows[R any](t *testing.T, def *tableDef[R], rows []R, commitEvery int) []byte {
	t.Helper()
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{InputHash: testInputHash, CreatedBy: testCreatedBy, Allocator: checkedMem(t)})
	if err != nil {
		t.Fatal(err)
	}
	p := &pass{w: w, opt: w.opt}
	part, err := p.openPartition(def.name, def.schema, 2024, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		for k, c := range def.cols {
			c.put(&part.bufs[k], &rows[i])
		}
		part.rows++
		if part.staged++; part.staged >= commitEvery {
			if err := part.commit(); err != nil {
				t.Fatal(err)
			}
		}
	}
	o, err := part.close()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(o.Path)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// pageSummary lists every data page of every column chunk of a file: its values, its levels'
// and values' place, and its statistics — everything but the dictionary's order.
func pageSummary(t *testing.T, data []byte) []string {
	t.Helper()
	rdr, err := file.NewParquetReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	var out []string
	for g := range rdr.NumRowGroups() {
		rg := rdr.RowGroup(g)
		for c := range rg.NumColumns() {
			md, err := rg.MetaData().ColumnChunk(c)
			if err != nil {
				t.Fatal(err)
			}
			st, err := md.Statistics()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("rg %d col %d: %d values, %v, min %q max %q, %d values %d nulls", g, c,
				md.NumValues(), md.Encodings(), st.EncodeMin(), st.EncodeMax(), st.NumValues(), st.NullCount()))
			pr, err := rg.GetColumnPageReader(c)
			if err != nil {
				t.Fatal(err)
			}
			for pr.Next() {
				if dp, ok := pr.Page().(file.DataPage); ok {
					s := dp.Statistics()
					out = append(out, fmt.Sprintf("  page %s: %d values, min %q max %q nulls %v/%d", dp.Type(),
						dp.NumValues(), s.Min, s.Max, s.HasNullCount, s.NullCount))
				}
			}
			if err := pr.Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

// TestEnumColAsStrings: an enum column gives the rows, levels, pages and statistics (of every page
// and chunk) that the same values written as strings give — committed at once or a few rows at a
// time, over several pages — and its dictionary is the whole list, as pqarrow writes an Arrow
// dictionary array of the same list: the very bytes.
func TestEnumColAsStrings(t *testing.T) {
	for _, n := range []int{0, 1, 7, 3000, 200_000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rows := enumRows(n)
			for _, every := range []int{max(n, 1), 5, 1500} {
				enum := writeTableRows(t, enumTable, rows, every)
				str := writeTableRows(t, enumAsStrTable, rows, every)
				got, want := pageSummary(t, enum), pageSummary(t, str)
				if len(got) != len(want) {
					t.Errorf("committed every %d rows: %d chunks and pages, the strings' %d", every, len(got), len(want))
				}
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Errorf("committed every %d rows: %s\nwritten as strings: %s", every, got[i], want[i])
						break
					}
				}
				if n >= 200_000 && len(got) < 6 {
					t.Errorf("committed every %d rows: %d chunks and pages, want several pages", every, len(got))
				}
				dir := t.TempDir()
				for name, data := range map[string][]byte{"enum.parquet": enum, "str.parquet": str} {
					if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				mem := checkedMem(t)
				gotRows := readParquet(t, filepath.Join(dir, "enum.parquet"), mem).rows
				wantRows := readParquet(t, filepath.Join(dir, "str.parquet"), mem).rows
				if len(gotRows) != n || fmt.Sprint(gotRows) != fmt.Sprint(wantRows) {
					t.Errorf("committed every %d rows: %d rows read back, want the %d written as strings", every, len(gotRows), n)
				}
				if n > 0 && bytes.Equal(enum, str) {
					t.Error("the enum column was written as strings")
				}
			}
			if n <= 3000 { // pqarrow states a dictionary array's statistics on its first page only
				if got, want := writeTableRows(t, enumTable, rows, max(n, 1)), pqarrowEnumFile(t, rows); !bytes.Equal(got, want) {
					t.Errorf("%d bytes differ from pqarrow's %d for a dictionary array of the list", len(got), len(want))
				}
			}
		})
	}
}

// pqarrowEnumFile is what pqarrow writes of rows given the path column as an Arrow dictionary
// array whose dictionary is cellPaths, with the writer's properties and metadata: the ARROW:schema
// stored is the table's (a string column), as the files have it.
func pqarrowEnumFile(t *testing.T, rows []enumRow) []byte {
	t.Helper()
	mem := checkedMem(t)
	dictType := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	fields := enumTable.schema.Fields()
	fields[0].Type = dictType
	schema := arrow.NewSchema(fields, nil)

	idx := array.NewInt32Builder(mem)
	defer idx.Release()
	nb := array.NewInt64Builder(mem)
	defer nb.Release()
	for _, r := range rows {
		idx.Append(int32(r.path))
		nb.Append(r.n)
	}
	indices := idx.NewArray()
	defer indices.Release()
	paths := array.NewDictionaryArray(dictType, indices, cellPathSet.arr)
	defer paths.Release()
	ns := nb.NewArray()
	defer ns.Release()
	rec := array.NewRecordBatch(schema, []arrow.Array{paths, ns}, int64(len(rows)))
	defer rec.Release()

	var out bytes.Buffer
	opt := Options{InputHash: testInputHash, CreatedBy: testCreatedBy, SchemaVersion: SchemaVersion}
	fw, err := pqarrow.NewFileWriter(schema, &out, writerProps(opt, mem), pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem)))
	if err != nil {
		t.Fatal(err)
	}
	stored, err := storedArrowSchema(enumTable.schema, mem)
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range [][2]string{{arrowSchemaKey, stored}, {KeySchemaVersion, SchemaVersion}, {KeyInputHash, testInputHash}} {
		if err := fw.AppendKeyValueMetadata(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	if len(rows) > 0 {
		if err := fw.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
