package load

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/govreports/govreports/transform"
)

// Reading Parquet back into plain Go values, independent of the code under test.

// millionths is a decimal128(18,6) value read back: millionths of 万元.
type millionths int64

func (m millionths) String() string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d.%06d", sign, m/1_000_000, m%1_000_000)
}

// row is one table row: column name → nil (null), string, int64, bool, millionths or []string.
type row map[string]any

// parquetFile is one file read back.
type parquetFile struct {
	schema    *arrow.Schema
	kv        metadata.KeyValueMetadata
	createdBy string
	rowGroups int
	codecs    map[string]compress.Compression
	encodings map[string][]parquet.Encoding
	rows      []row
}

func readParquet(t testing.TB, path string, mem memory.Allocator) parquetFile {
	t.Helper()
	rdr, err := file.OpenParquetFile(path, false, file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer rdr.Close()
	md := rdr.MetaData()
	out := parquetFile{kv: md.KeyValueMetadata(), createdBy: md.GetCreatedBy(), rowGroups: rdr.NumRowGroups(),
		codecs: map[string]compress.Compression{}, encodings: map[string][]parquet.Encoding{}}
	for g := range rdr.NumRowGroups() {
		rg := md.RowGroup(g)
		for c := range rg.NumColumns() {
			cc, err := rg.ColumnChunk(c)
			if err != nil {
				t.Fatal(err)
			}
			name := cc.PathInSchema().String()
			out.codecs[name] = cc.Compression()
			out.encodings[name] = cc.Encodings()
		}
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 1 << 16}, mem)
	if err != nil {
		t.Fatalf("arrow reader %s: %v", path, err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	defer tbl.Release()
	out.schema = tbl.Schema()
	out.rows = tableRows(t, tbl)
	return out
}

// tableRows converts an Arrow table into rows.
func tableRows(t testing.TB, tbl arrow.Table) []row {
	rows := make([]row, tbl.NumRows())
	for i := range rows {
		rows[i] = row{}
	}
	for c := range int(tbl.NumCols()) {
		name := tbl.Schema().Field(c).Name
		i := 0
		for _, chunk := range tbl.Column(c).Data().Chunks() {
			for j := range chunk.Len() {
				rows[i][name] = goValue(t, chunk, j)
				i++
			}
		}
	}
	return rows
}

func recordRows(t testing.TB, rec arrow.RecordBatch) []row {
	tbl := array.NewTableFromRecords(rec.Schema(), []arrow.RecordBatch{rec})
	defer tbl.Release()
	return tableRows(t, tbl)
}

func goValue(t testing.TB, a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.String:
		return a.Value(i)
	case *array.Int64:
		return a.Value(i)
	case *array.Boolean:
		return a.Value(i)
	case *array.Float64:
		return a.Value(i)
	case *array.Decimal128:
		v := a.Value(i)
		if !v.FitsInPrecision(18) {
			t.Fatalf("decimal %v does not fit 18 digits", v)
		}
		return millionths(int64(v.LowBits()))
	case *array.List:
		start, end := a.ValueOffsets(i)
		vals := a.ListValues().(*array.String)
		out := []string{}
		for j := start; j < end; j++ {
			out = append(out, vals.Value(int(j)))
		}
		return out
	}
	t.Fatalf("unexpected array type %s", a.DataType())
	return nil
}

// readOutputs reads every output back and returns the rows of each table, all partitions in path
// order, after checking that each row's year matches its partition folder.
func readOutputs(t testing.TB, dir string, outs []Output, mem memory.Allocator) (map[string][]row, map[string]parquetFile) {
	t.Helper()
	tables := map[string][]row{}
	files := map[string]parquetFile{}
	for _, o := range outs {
		if o.Table == OutputWorkbook {
			continue // workbook_test.go reads those
		}
		f := readParquet(t, filepath.Join(dir, filepath.FromSlash(o.Path)), mem)
		files[o.Path] = f
		for _, r := range f.rows {
			if y, ok := r["year"]; ok && y != int64(o.Year) {
				t.Errorf("%s: row with year %v in partition of %v", o.Path, y, o.Year)
			}
		}
		tables[o.Table] = append(tables[o.Table], f.rows...)
	}
	return tables, files
}

// wantValue is what a report value must read back as.
func wantValue(v transform.Value, amount bool) any {
	if !v.Kind.Known() {
		return nil
	}
	if amount {
		return millionths(v.N)
	}
	return v.N
}

// groupBy recomputes rollup_city the way a warehouse user would: SUM over reports WHERE in_rollup
// GROUP BY city, year, and the Table 3 cells from applications joined on report_id.
func groupBy(reports, apps []row) map[string]row {
	key := func(r row) string { return fmt.Sprintf("%q/%v", r["city"], r["year"]) }
	groups := map[string]row{}
	member := map[string]row{}
	sqlSum := func(g row, name string, v any) {
		if v == nil {
			if _, ok := g[name]; !ok {
				g[name] = nil
			}
			return
		}
		switch v := v.(type) {
		case int64:
			s, _ := g[name].(int64)
			g[name] = s + v
		case millionths:
			s, _ := g[name].(millionths)
			g[name] = s + v
		default:
			panic(fmt.Sprintf("cannot sum %T", v))
		}
	}
	for _, r := range reports {
		if r["in_rollup"] != true {
			continue
		}
		g := groups[key(r)]
		if g == nil {
			g = row{"city": r["city"], "year": r["year"], "reports": int64(0)}
			groups[key(r)] = g
		}
		g["reports"] = g["reports"].(int64) + 1
		member[r["report_id"].(string)] = g
		for name, v := range r {
			if strings.HasPrefix(name, "t2_") || strings.HasPrefix(name, "t4_") {
				sqlSum(g, name, v)
			}
		}
	}
	for _, a := range apps {
		g := member[a["report_id"].(string)]
		if g == nil {
			continue
		}
		for _, c := range transform.T3Cols {
			sqlSum(g, "t3_"+a["row_key"].(string)+"_"+c.Key, a[c.Key])
		}
	}
	return groups
}

// checkRollup asserts that rollup rows equal the GROUP BY over reports and applications, column by
// column, with no group missing or extra.
func checkRollup(t testing.TB, rollup, reports, apps []row) {
	t.Helper()
	want := groupBy(reports, apps)
	if len(rollup) != len(want) {
		t.Errorf("rollup_city has %d rows, GROUP BY gives %d", len(rollup), len(want))
	}
	for _, got := range rollup {
		k := fmt.Sprintf("%q/%v", got["city"], got["year"])
		w, ok := want[k]
		if !ok {
			t.Errorf("rollup_city row %s not produced by the GROUP BY", k)
			continue
		}
		names := make([]string, 0, len(got))
		for name := range got {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if _, ok := w[name]; !ok {
				t.Errorf("rollup_city %s: column %s has no counterpart in the GROUP BY", k, name)
				continue
			}
			if fmt.Sprint(got[name]) != fmt.Sprint(w[name]) {
				t.Errorf("rollup_city %s: %s = %v, GROUP BY gives %v", k, name, got[name], w[name])
			}
		}
		if len(w) != len(got) {
			t.Errorf("rollup_city %s: %d columns, GROUP BY gives %d", k, len(got), len(w))
		}
	}
}
