package load

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/govreports/govreports/transform"
)

// ErrNoHistory is the cause of a history folder that holds no earlier outputs.
var ErrNoHistory = errors.New("no earlier outputs (parquet/reports) found")

// ReadHistory reads what the cross-year rules need from the Parquet of earlier runs: the reports
// and the carry-over rows of their applications, into a small transform.History. dir is an output
// folder (holding parquet/), a parquet/ folder itself, or a folder whose subfolders are output
// folders (one per earlier run). Only the partitions of years are read; nil reads every year. A
// report found twice (two outputs holding the same report) is kept once.
//
// Outputs written before schema 1.2 have no region columns: their bodies are placed again from
// their names, by the resolver.
func ReadHistory(ctx context.Context, dir string, years []int) (*transform.History, error) {
	roots, err := historyRoots(dir)
	if err != nil {
		return nil, err
	}
	h := &transform.History{}
	seen := map[string]bool{}
	for _, root := range roots {
		if err := readHistoryRoot(ctx, root, years, h, seen); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// historyRoots finds the parquet/ folders under dir.
func historyRoots(dir string) ([]string, error) {
	isRoot := func(p string) bool {
		st, err := os.Stat(filepath.Join(p, TableReports))
		return err == nil && st.IsDir()
	}
	switch {
	case isRoot(filepath.Join(dir, "parquet")):
		return []string{filepath.Join(dir, "parquet")}, nil
	case isRoot(dir):
		return []string{dir}, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	var roots []string
	for _, e := range entries {
		p := filepath.Join(dir, e.Name(), "parquet")
		if !strings.HasPrefix(e.Name(), ".") && isRoot(p) {
			roots = append(roots, p)
		}
	}
	if len(roots) == 0 {
		return nil, fmt.Errorf("history: %s: %w", dir, ErrNoHistory)
	}
	slices.Sort(roots)
	return roots, nil
}

// historyRows are the T3 rows the cross-year rules read.
var historyRows = func() map[string]int {
	rows := map[string]int{}
	for _, m := range transform.CrossMeasures {
		if r := transform.Measures[m].T3Row; r >= 0 {
			rows[transform.T3Rows[r].Key] = r
		}
	}
	return rows
}()

func readHistoryRoot(ctx context.Context, root string, years []int, h *transform.History, seen map[string]bool) error {
	parts, err := historyParts(root, years)
	if err != nil {
		return err
	}
	for _, year := range parts {
		start := len(h.Reports)
		byID := map[string]int{}
		err := readPartition(ctx, filepath.Join(root, TableReports, year), func(c *rowCols, i int) {
			id := c.str("report_id", i)
			if id == "" || seen[id] {
				return
			}
			seen[id] = true
			hr := transform.HistoryReport{ID: id, Body: c.str("body", i), Source: c.str("source_path", i),
				Year: int(c.int("year", i)), Scope: c.str("scope", i), Role: c.str("role", i),
				FormatVersion: c.str("format_version", i)}
			if u := c.str("unit", i); u != "" {
				hr.Source += " " + u
			}
			hr.Place = historyPlace(c, i, hr.Body, c.str("city", i))
			for _, m := range transform.CrossMeasures {
				if ms := transform.Measures[m]; ms.T3Row < 0 {
					if n, ok := c.num(ms.Name, i); ok {
						hr.Values.Set(m, n)
					}
				}
			}
			byID[id] = len(h.Reports)
			h.Reports = append(h.Reports, hr)
		})
		if err != nil {
			return err
		}
		if len(h.Reports) == start {
			continue
		}
		folder := filepath.Join(root, TableApplications, year)
		if _, err := os.Stat(folder); errors.Is(err, os.ErrNotExist) {
			continue // an output without applications: Table 3's carry-overs stay unknown
		}
		err = readPartition(ctx, folder, func(c *rowCols, i int) {
			j, ok := byID[c.str("report_id", i)]
			row, want := historyRows[c.str("row_key", i)]
			if !ok || !want {
				return
			}
			for col := range transform.NumT3Cols {
				if n, ok := c.num(transform.T3Cols[col].Key, i); ok {
					h.Reports[j].Values.Set(transform.NumT2+row*transform.NumT3Cols+col, n)
				}
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// historyParts lists the year partitions of the reports table to read, as folder names.
func historyParts(root string, years []int) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(root, TableReports))
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	var parts []string
	for _, e := range entries {
		y, err := strconv.Atoi(strings.TrimPrefix(e.Name(), "year="))
		if !e.IsDir() || err != nil || y == 0 || !strings.HasPrefix(e.Name(), "year=") {
			continue // the unknown year's partition (year=0): no year to compare with
		}
		if years == nil || slices.Contains(years, y) {
			parts = append(parts, e.Name())
		}
	}
	return parts, nil
}

// historyPlace rebuilds where an earlier run placed a body, or places it again by name when the
// output predates the region columns.
func historyPlace(c *rowCols, i int, body, city string) transform.Place {
	if !c.has("region_status") {
		return transform.PlaceOfName(body, city, int(c.int("year", i)))
	}
	p := transform.Place{Status: c.str("region_status", i), Kind: c.str("body_kind", i), Organ: c.str("organ", i),
		Province: transform.Area{Code: c.str("province_code", i), Name: c.str("province", i)},
		City:     transform.Area{Code: c.str("city_code", i), Name: city},
		County:   transform.Area{Code: c.str("county_code", i), Name: c.str("county", i)},
		Township: transform.Area{Code: c.str("township_code", i), Name: c.str("township", i)}}
	for l := transform.RegionProvince; l <= transform.RegionTownship; l++ {
		if l.String() == c.str("region_level", i) {
			p.Level = l
		}
	}
	if p.Level == transform.RegionNone {
		p.City = transform.Area{}
	}
	return p
}

// rowCols reads the columns of one record by name.
type rowCols struct {
	rec  arrow.RecordBatch
	cols map[string]int
}

func (c *rowCols) has(name string) bool { _, ok := c.cols[name]; return ok }

func (c *rowCols) col(name string) arrow.Array {
	j, ok := c.cols[name]
	if !ok {
		return nil
	}
	return c.rec.Column(j)
}

// str returns a string column's value; "" for null or a missing column.
func (c *rowCols) str(name string, i int) string {
	a, ok := c.col(name).(*array.String)
	if !ok || a.IsNull(i) {
		return ""
	}
	return a.Value(i)
}

// int returns an int64 column's value; 0 for null or a missing column.
func (c *rowCols) int(name string, i int) int64 {
	n, _ := c.num(name, i)
	return n
}

// num returns a count or an amount (millionths of 万元); false for null or a missing column.
func (c *rowCols) num(name string, i int) (int64, bool) {
	switch a := c.col(name).(type) {
	case *array.Int64:
		if !a.IsNull(i) {
			return a.Value(i), true
		}
	case *array.Decimal128:
		if !a.IsNull(i) {
			return int64(a.Value(i).LowBits()), true
		}
	}
	return 0, false
}

// readParquetRows calls row for every row of a Parquet file written by this package.
// readPartition reads the rows of every file of one partition's folder, in the order of their
// names (the order they were written in).
func readPartition(ctx context.Context, folder string, row func(c *rowCols, i int)) error {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	n := 0
	for _, e := range entries { // ReadDir sorts by name
		if e.Type().IsRegular() && isPartFile(e.Name()) {
			n++
			if err := readParquetRows(ctx, filepath.Join(folder, e.Name()), row); err != nil {
				return err
			}
		}
	}
	if n == 0 {
		return fmt.Errorf("history: %s: no part-*.parquet file", folder)
	}
	return nil
}

func readParquetRows(ctx context.Context, path string, row func(c *rowCols, i int)) error {
	mem := memory.DefaultAllocator
	rdr, err := file.OpenParquetFile(path, false, file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 1 << 14}, mem)
	if err != nil {
		return fmt.Errorf("history: %s: %w", path, err)
	}
	rr, err := fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		return fmt.Errorf("history: %s: %w", path, err)
	}
	defer rr.Release()
	c := &rowCols{cols: map[string]int{}}
	for j, f := range rr.Schema().Fields() {
		c.cols[f.Name] = j
	}
	for rr.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		c.rec = rr.RecordBatch()
		for i := range int(c.rec.NumRows()) {
			row(c, i)
		}
	}
	if err := rr.Err(); err != nil {
		return fmt.Errorf("history: %s: %w", path, err)
	}
	return nil
}
