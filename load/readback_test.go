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

// rollupSpec is the documented GROUP BY of one rollup table (load/schema.go): the filter column of
// reports, the grouping columns besides year, and the columns taken from the first member that
// names them (any_value).
type rollupSpec struct {
	table, filter  string
	keys, anyValue []string
}

var rollupSpecs = []rollupSpec{
	{TableRollupProv, "in_rollup_province", []string{"province_code", "province"}, nil},
	{TableRollupCity, "in_rollup", []string{"city_code", "city"}, []string{"province_code", "province"}},
	{TableRollupCounty, "in_rollup_county", []string{"city_code", "city", "county_code", "county"},
		[]string{"province_code", "province"}},
}

func (s rollupSpec) key(r row) string {
	k := fmt.Sprint(r["year"])
	for _, c := range s.keys {
		k += fmt.Sprintf("/%q", fmt.Sprint(r[c]))
	}
	return k
}

// groupBy recomputes a rollup the way a warehouse user would: SUM over reports WHERE <filter>
// GROUP BY year and the spec's columns, and the Table 3 cells from applications joined on report_id.
func groupBy(spec rollupSpec, reports, apps []row) map[string]row {
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
	named := map[string]bool{} // groups whose any_value columns a member named
	for _, r := range reports {
		if r[spec.filter] != true {
			continue
		}
		k := spec.key(r)
		g := groups[k]
		if g == nil {
			g = row{"year": r["year"], "reports": int64(0)}
			for _, c := range spec.keys {
				g[c] = r[c]
			}
			for _, c := range spec.anyValue {
				g[c] = nil
			}
			groups[k] = g
		}
		if !named[k] && len(spec.anyValue) > 0 {
			for _, c := range spec.anyValue {
				named[k] = named[k] || r[c] != nil
			}
			if named[k] {
				for _, c := range spec.anyValue {
					g[c] = r[c]
				}
			}
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

// checkRollups asserts that every rollup table equals its GROUP BY over reports and applications,
// column by column, with no group missing or extra. rollup returns the rows of a rollup table.
func checkRollups(t testing.TB, rollup func(table string) []row, reports, apps []row) {
	t.Helper()
	for _, spec := range rollupSpecs {
		checkRollup(t, spec, rollup(spec.table), reports, apps)
	}
}

func checkRollup(t testing.TB, spec rollupSpec, rollup, reports, apps []row) {
	t.Helper()
	want := groupBy(spec, reports, apps)
	if len(rollup) != len(want) {
		t.Errorf("%s has %d rows, GROUP BY gives %d", spec.table, len(rollup), len(want))
	}
	for _, got := range rollup {
		k := spec.key(got)
		w, ok := want[k]
		if !ok {
			t.Errorf("%s row %s not produced by the GROUP BY", spec.table, k)
			continue
		}
		names := make([]string, 0, len(got))
		for name := range got {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if _, ok := w[name]; !ok {
				t.Errorf("%s %s: column %s has no counterpart in the GROUP BY", spec.table, k, name)
				continue
			}
			if fmt.Sprint(got[name]) != fmt.Sprint(w[name]) {
				t.Errorf("%s %s: %s = %v, GROUP BY gives %v", spec.table, k, name, got[name], w[name])
			}
		}
		if len(w) != len(got) {
			t.Errorf("%s %s: %d columns, GROUP BY gives %d", spec.table, k, len(got), len(w))
		}
	}
}
