package load

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/govreports/govreports/transform"
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
func pageSummary(t *testing.T, data []byte, dicts bool) []string {
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
				if dp, ok := pr.Page().(*file.DictionaryPage); ok && dicts {
					out = append(out, fmt.Sprintf("  dictionary: %d entries, %x", dp.NumValues(), sha256.Sum256(dp.Data())))
				}
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
				got, want := pageSummary(t, enum, false), pageSummary(t, str, false)
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

// runRow is a row of the run tests: a report's id and year, which its rows share, and a number.
type runRow struct {
	r *transform.Report
	n int64
}

// A report's id and year as run columns, and as plain columns: the two tables have the same schema.
var (
	runTable = newTableDef("runtest", "run columns", partitionByYear, []column[runRow]{
		reportID(func(r *runRow) *transform.Report { return r.r }),
		reportYear(func(r *runRow) *transform.Report { return r.r }),
		int64Col("n", "整数", "an int64", func(r *runRow) int64 { return r.n }),
	})
	runAsPlainTable = newTableDef("runtest", "run columns", partitionByYear, []column[runRow]{
		stringCol("report_id", "报告编号", descReportID, func(r *runRow) string { return r.r.ID }),
		yearCol(descYear, func(r *runRow) int { return r.r.Year }),
		int64Col("n", "整数", "an int64", func(r *runRow) int64 { return r.n }),
	})
)

// runRows are n rows of reports of 1 to 300 rows each; a report's id comes again later, ids and
// years do not come in order, and one id is not valid UTF-8.
func runRows(n int) []runRow {
	rows := make([]runRow, n)
	var r *transform.Report
	left := 0
	for i := range rows {
		if left == 0 {
			k := len(rows[:i]) % 17
			r = &transform.Report{ID: fmt.Sprintf("r-%05d", (i*7919)%1000), Year: 2025 - k%4}
			if k == 3 {
				r.ID = "bad \xff id"
			}
			left = 1 + (i*31)%300
		}
		left--
		// Few distinct n: a chunk that falls back to plain pages lists its pages' encodings in an
		// order arrow-go takes from a map, which would make the bytes compared here vary.
		rows[i] = runRow{r: r, n: int64(i % 1000)}
	}
	return rows
}

// TestRunColsAsPlain: run columns staged a report at a time make the very file the same values make
// as plain columns written at once, whether committed at once or a few rows at a time, on one page
// or several: the same dictionary, in the same order, the same pages and statistics.
func TestRunColsAsPlain(t *testing.T) {
	for _, n := range []int{0, 1, 7, 3000, 200_000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rows := runRows(n)
			want := writeTableRows(t, runAsPlainTable, rows, max(n, 1))
			if n >= 200_000 && len(pageSummary(t, want, true)) < 8 {
				t.Errorf("%d chunks and pages, want several pages", len(pageSummary(t, want, true)))
			}
			if got := writeTableRows(t, runTable, rows, max(n, 1)); !bytes.Equal(got, want) {
				t.Errorf("committed at once: %d bytes differ from the plain columns' %d", len(got), len(want))
				g, w := pageSummary(t, got, true), pageSummary(t, want, true)
				for i := range min(len(g), len(w)) {
					if g[i] != w[i] {
						t.Errorf("%s\nplain: %s", g[i], w[i])
					}
				}
			}
			// In parts, the plain column n is cut into other pages; the run columns are not.
			wantPages := runColPages(pageSummary(t, want, true))
			for _, every := range []int{5, 1500} {
				got := runColPages(pageSummary(t, writeTableRows(t, runTable, rows, every), true))
				if len(got) != len(wantPages) {
					t.Errorf("committed every %d rows: %d chunks and pages of the run columns, want %d", every, len(got), len(wantPages))
				}
				for i := range min(len(got), len(wantPages)) {
					if got[i] != wantPages[i] {
						t.Errorf("committed every %d rows: %s\nplain, at once: %s", every, got[i], wantPages[i])
						break
					}
				}
			}
		})
	}
}

// runColPages keeps the lines of a pageSummary about columns 0 and 1, the run columns.
func runColPages(summary []string) []string {
	var out []string
	keep := false
	for _, l := range summary {
		if !strings.HasPrefix(l, " ") {
			keep = strings.Contains(l, " col 0:") || strings.Contains(l, " col 1:")
		}
		if keep {
			out = append(out, l)
		}
	}
	return out
}
