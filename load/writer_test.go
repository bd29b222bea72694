package load

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"

	"github.com/govreports/govreports/transform"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	testInputHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	testCreatedBy = "govreports test"
)

func checkedMem(t testing.TB) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

func newTestWriter(t testing.TB, dir string, mem memory.Allocator) *Writer {
	t.Helper()
	w, err := NewWriter(dir, Options{InputHash: testInputHash, CreatedBy: testCreatedBy, Allocator: mem})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func testInput(t testing.TB, reports []*transform.Report, rejects []Reject) Input {
	t.Helper()
	batch, err := transform.Decide(context.Background(), transform.ReportSlice(reports), transform.BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return Input{Reports: transform.ReportSlice(reports), Batch: batch, Rejects: rejects}
}

func writeBatch(t testing.TB, dir string, mem memory.Allocator, reports []*transform.Report, rejects []Reject) []Output {
	t.Helper()
	w := newTestWriter(t, dir, mem)
	outs, err := w.Write(context.Background(), testInput(t, reports, rejects))
	if err != nil {
		t.Fatal(err)
	}
	return outs
}

func TestRoundTrip(t *testing.T) {
	mem := checkedMem(t)
	dir := t.TempDir()
	reports := testReports()
	outs := writeBatch(t, dir, mem, reports, testRejects())
	checkOutputFiles(t, dir, outs)
	got, files := readOutputs(t, dir, outs, mem)
	checkFileProperties(t, files)
	// The rows carry the batch stage's findings after each report's own (here H.SUM: the zone's
	// numbers exceed those of the city summary that contains it).
	decided := withBatchFindings(t, reports)
	checkReports(t, decided, got[TableReports])
	checkApplications(t, reports, got[TableApplications])
	checkFindings(t, decided, got[TableFindings])
	checkRejects(t, testRejects(), got[TableRejects])
	checkCells(t, reports, got[TableCells])
	checkRollups(t, func(name string) []row { return got[name] }, got[TableReports], got[TableApplications])
	checkGolden(t, "roundtrip.golden", dumpTables(got))
}

// withBatchFindings returns copies of reports with the batch stage's findings appended, as the
// writer stores them.
func withBatchFindings(t *testing.T, reports []*transform.Report) []*transform.Report {
	t.Helper()
	b, err := transform.Decide(context.Background(), transform.ReportSlice(reports), transform.BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*transform.Report, len(reports))
	for i, r := range reports {
		c := *r
		extra, err := b.FindingsOf(i)
		if err != nil {
			t.Fatal(err)
		}
		c.Findings = append(slices.Clip(r.Findings), extra...)
		out[i] = &c
	}
	return out
}

// checkOutputFiles asserts the paths, sizes and hashes Close reports, and that nothing else was left.
func checkOutputFiles(t *testing.T, dir string, outs []Output) {
	t.Helper()
	var paths []string
	for _, o := range outs {
		paths = append(paths, o.Path)
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(o.Path)))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if int64(len(data)) != o.Bytes || hex.EncodeToString(sum[:]) != o.SHA256 {
			t.Errorf("%s: Output says %d bytes %s, file has %d bytes %x", o.Path, o.Bytes, o.SHA256, len(data), sum)
		}
		if strings.HasSuffix(o.Path, ".xlsx") {
			continue
		}
		if path.Dir(o.Path) != path.Dir(PartPath(o.Table, o.Year, 0)) || !isPartFile(path.Base(o.Path)) {
			t.Errorf("%s: Output table %s year %d", o.Path, o.Table, o.Year)
		}
	}
	want := []string{
		"govreports-2020.xlsx",
		"govreports-2024.xlsx",
		"govreports-unknown.xlsx",
		"parquet/applications/year=0/part-00000.parquet",
		"parquet/applications/year=2020/part-00000.parquet",
		"parquet/applications/year=2024/part-00000.parquet",
		"parquet/cells/year=0/part-00000.parquet",
		"parquet/cells/year=2020/part-00000.parquet",
		"parquet/cells/year=2024/part-00000.parquet",
		"parquet/findings/year=2024/part-00000.parquet",
		"parquet/rejects/part-00000.parquet",
		"parquet/reports/year=0/part-00000.parquet",
		"parquet/reports/year=2020/part-00000.parquet",
		"parquet/reports/year=2024/part-00000.parquet",
		"parquet/rollup_city/year=0/part-00000.parquet",
		"parquet/rollup_city/year=2020/part-00000.parquet",
		"parquet/rollup_city/year=2024/part-00000.parquet",
		"parquet/rollup_county/year=0/part-00000.parquet",
		"parquet/rollup_county/year=2020/part-00000.parquet",
		"parquet/rollup_county/year=2024/part-00000.parquet",
		"parquet/rollup_province/year=0/part-00000.parquet",
		"parquet/rollup_province/year=2020/part-00000.parquet",
		"parquet/rollup_province/year=2024/part-00000.parquet",
	}
	if !slices.Equal(paths, want) {
		t.Errorf("outputs:\n%s\nwant:\n%s", strings.Join(paths, "\n"), strings.Join(want, "\n"))
	}
	var onDisk []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			onDisk = append(onDisk, filepath.ToSlash(rel))
		}
		return err
	})
	if !slices.Equal(onDisk, want) {
		t.Errorf("files on disk:\n%s", strings.Join(onDisk, "\n"))
	}
}

// checkFileProperties asserts what every file must carry: the schema with its labels, the
// metadata, row groups when it has rows, zstd and dictionary encoding.
func checkFileProperties(t *testing.T, files map[string]parquetFile) {
	t.Helper()
	schemas := map[string]*arrow.Schema{}
	for _, s := range Schemas() {
		schemas[s.Name] = s.Schema
	}
	for path, f := range files {
		table := strings.Split(path, "/")[1]
		want := schemas[table]
		if len(f.schema.Fields()) != len(want.Fields()) {
			t.Fatalf("%s: %d columns, want %d", path, len(f.schema.Fields()), len(want.Fields()))
		}
		for i, wf := range want.Fields() {
			gf := f.schema.Field(i)
			if gf.Name != wf.Name || !arrow.TypeEqual(gf.Type, wf.Type) || gf.Nullable != wf.Nullable {
				t.Errorf("%s: column %d is %s %s nullable=%v, want %s %s nullable=%v", path, i,
					gf.Name, gf.Type, gf.Nullable, wf.Name, wf.Type, wf.Nullable)
			}
			for _, key := range []string{MetaLabel, MetaDescription} {
				if g, w := fieldMeta(gf, key), fieldMeta(wf, key); g != w || w == "" {
					t.Errorf("%s: %s %s = %q, want %q", path, gf.Name, key, g, w)
				}
			}
		}
		if v := f.kv.FindValue(KeySchemaVersion); v == nil || *v != SchemaVersion {
			t.Errorf("%s: %s = %v", path, KeySchemaVersion, v)
		}
		if v := f.kv.FindValue(KeyInputHash); v == nil || *v != testInputHash {
			t.Errorf("%s: %s = %v", path, KeyInputHash, v)
		}
		if f.kv.FindValue("ARROW:schema") == nil {
			t.Errorf("%s: no stored Arrow schema", path)
		}
		if f.createdBy != testCreatedBy {
			t.Errorf("%s: created_by %q", path, f.createdBy)
		}
		if (f.rowGroups == 0) != (len(f.rows) == 0) {
			t.Errorf("%s: %d row groups for %d rows", path, f.rowGroups, len(f.rows))
		}
		for col, codec := range f.codecs {
			if codec != compress.Codecs.Zstd {
				t.Errorf("%s: column %s compressed with %v", path, col, codec)
			}
		}
		if enc, ok := f.encodings["report_id"]; ok && len(f.rows) > 0 &&
			!slices.Contains(enc, parquet.Encodings.RLEDict) && !slices.Contains(enc, parquet.Encodings.PlainDict) {
			t.Errorf("%s: report_id not dictionary encoded: %v", path, enc)
		}
	}
}

func byID(t *testing.T, rows []row) map[string][]row {
	t.Helper()
	m := map[string][]row{}
	for _, r := range rows {
		id := r["report_id"].(string)
		m[id] = append(m[id], r)
	}
	return m
}

func optional(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func yearValue(y int) any { return int64(y) }

func checkReports(t *testing.T, reports []*transform.Report, rows []row) {
	t.Helper()
	// 平顶山市人民政府's report is the city's own summary: the city's other report of the year is
	// contained in it.
	wantRole := map[string][2]any{"r-pds-organ": {"contained", "r-pds-region"}, "r-pds-region": {"counted", nil},
		"r-ha-2019": {"counted", nil}, "r-unknown": {"counted", nil}, "r-ha-2024": {"counted", nil}}
	// Where each body sits, and the rollups it is summed in: the zone's report is contained in its
	// city's summary, so only its county-level row sums it; the body that was not placed rolls up
	// under 未识别 everywhere.
	none := any(nil)
	place := func(level, kind, county any, p, c, k bool) row {
		status := transform.PlaceByName
		if level == nil {
			status = transform.PlaceUnknown
		}
		return row{"region_code": none, "region_level": level, "region_status": status, "province_code": none,
			"province": none, "city_code": none, "county_code": none, "county": county, "township_code": none,
			"township": none, "body_kind": kind, "organ": none, "in_rollup_province": p, "in_rollup": c,
			"in_rollup_county": k}
	}
	wantPlaces := map[string]row{
		"r-pds-organ":  place("county", "zone", "城乡一体化示范区", false, false, true),
		"r-pds-region": place("city", "government", none, true, true, false),
		"r-ha-2019":    place("county", "government", "洪泽区", true, true, true),
		"r-unknown":    place(none, none, none, true, true, true),
		"r-ha-2024":    place("city", "government", none, true, true, false),
	}
	// Partitions in path order (the unknown year 0, 2020, 2024), input order within each.
	var order []string
	for _, r := range rows {
		order = append(order, r["report_id"].(string))
	}
	if want := []string{"r-unknown", "r-ha-2019", "r-pds-organ", "r-pds-region", "r-ha-2024"}; !slices.Equal(order, want) {
		t.Errorf("reports order %v, want %v", order, want)
	}
	got := byID(t, rows)
	for _, r := range reports {
		g := got[r.ID][0]
		want := row{
			"report_id": r.ID, "body": optional(r.Body), "city": r.City, "year": yearValue(r.Year),
			"scope": optional(r.Scope), "in_rollup": wantRole[r.ID][0] == "counted", "title": optional(r.Title),
			"role": wantRole[r.ID][0], "role_of": wantRole[r.ID][1],
			"unit": optional(r.Unit), "source_path": r.Source.Path, "source_sha256": r.Source.SHA256,
			"source_bytes": r.Source.Bytes, "format": string(r.Source.Format),
			"encoding": optional(r.Source.Encoding), "format_version": r.FormatVersion,
			"errors": int64(r.Count(transform.SevError)), "warnings": int64(r.Count(transform.SevWarning)),
			"infos": int64(r.Count(transform.SevInfo)),
		}
		for k, v := range wantPlaces[r.ID] {
			want[k] = v
		}
		want["in_rollup"] = wantPlaces[r.ID]["in_rollup"]
		want["scope_evidence"], want["version_mark"] = optional(r.ScopeBy), optional(r.Version)
		conf := r.Confidence()
		want["confidence_score"] = conf.Score
		want["read_table2"], want["read_table3"], want["read_table4"] = conf.Tables["table2"], conf.Tables["table3"], conf.Tables["table4"]
		want["cells_by_identity"], want["cells_open"] = int64(conf.ByIdentity), int64(conf.Open)
		for i, f := range transform.T2 {
			want[f.Flat()] = wantValue(r.T2[i], f.Amount)
		}
		for i := range transform.NumT4 {
			want[transform.T4Flat(i)] = wantValue(r.T4[i], false)
		}
		if !reflect.DeepEqual(g, want) {
			for k := range want {
				if !reflect.DeepEqual(g[k], want[k]) {
					t.Errorf("reports %s: %s = %#v, want %#v", r.ID, k, g[k], want[k])
				}
			}
			if len(g) != len(want) {
				t.Errorf("reports %s: %d columns, want %d", r.ID, len(g), len(want))
			}
		}
	}
	// Spot checks a reader of the files would make.
	if v := got["r-pds-organ"][0]["t2_admin_fees_amount_wan_yuan"]; fmt.Sprint(v) != "7730.280000" {
		t.Errorf("admin fees read back as %v", v)
	}
	if v := got["r-unknown"][0]["t2_rules_issued"]; v != nil {
		t.Errorf("a blank cell read back as %v, want null", v)
	}
	if v := got["r-unknown"][0]["t2_admin_fees_amount_wan_yuan"]; v != millionths(0) {
		t.Errorf("an explicit 0 read back as %v, want 0", v)
	}
}

func checkApplications(t *testing.T, reports []*transform.Report, rows []row) {
	t.Helper()
	got := byID(t, rows)
	for _, r := range reports {
		rs := got[r.ID]
		if len(rs) != transform.NumT3Rows {
			t.Fatalf("applications %s: %d rows, want %d", r.ID, len(rs), transform.NumT3Rows)
		}
		for i, g := range rs {
			tr := transform.T3Rows[i]
			want := row{"report_id": r.ID, "body": optional(r.Body), "city": r.City, "year": yearValue(r.Year),
				"row_key": tr.Key, "row_label": tr.CN, "derived": false}
			for c, col := range transform.T3Cols {
				want[col.Key] = wantValue(r.T3[i][c], false)
			}
			// other_total is written as transform left it, marked derived when transform summed it.
			if i == transform.RowOtherTotal && r.OtherTotalDerived() {
				want["derived"] = true
			}
			if !reflect.DeepEqual(g, want) {
				t.Errorf("applications %s row %s:\n got %v\nwant %v", r.ID, tr.Key, g, want)
			}
		}
	}
	// The null sub-row of r-pds-region makes its other_total natural_person null, the others stay.
	ot := got["r-pds-region"][transform.RowOtherTotal]
	if ot["natural_person"] != nil || ot["total"] == nil {
		t.Errorf("r-pds-region other_total: %v", ot)
	}
	if ot := got["r-ha-2019"][transform.RowOtherTotal]; ot["derived"] != false || ot["total"] == nil {
		t.Errorf("2019 other_total must be read: %v", ot)
	}
	if sub := got["r-ha-2019"][transform.RowOtherOther]; sub["total"] != nil {
		t.Errorf("2019 other_other must be null: %v", sub)
	}
}

func checkFindings(t *testing.T, reports []*transform.Report, rows []row) {
	t.Helper()
	var want []row
	for _, r := range reports {
		for _, f := range r.Findings {
			cells := f.Cells
			if cells == nil {
				cells = []string{}
			}
			want = append(want, row{"report_id": r.ID, "body": optional(r.Body), "year": yearValue(r.Year),
				"rule": f.Rule, "severity": string(f.Severity), "message": f.Message, "cells": cells,
				"culprit": optional(f.Culprit), "status": optional(f.Status), "place": optional(f.Place)})
		}
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("findings:\n got %v\nwant %v", rows, want)
	}
}

func checkRejects(t *testing.T, rejects []Reject, rows []row) {
	t.Helper()
	var want []row
	for _, r := range rejects {
		want = append(want, row{"path": r.Path, "sha256": optional(r.SHA256), "bytes": r.Bytes,
			"stage": r.Stage, "place": optional(r.Place), "reason": r.Reason})
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rejects:\n got %v\nwant %v", rows, want)
	}
}

func checkCells(t *testing.T, reports []*transform.Report, rows []row) {
	t.Helper()
	got := map[string]row{}
	for _, r := range rows {
		k := r["report_id"].(string) + " " + r["path"].(string)
		if _, dup := got[k]; dup {
			t.Errorf("cells: %s twice", k)
		}
		got[k] = r
	}
	n := 0
	check := func(r *transform.Report, path string, amount bool, v transform.Value) {
		k := r.ID + " " + path
		g, ok := got[k]
		if v.Kind == transform.Absent {
			if ok {
				t.Errorf("cells: %s is absent but has a row", k)
			}
			return
		}
		n++
		want := row{"report_id": r.ID, "year": yearValue(r.Year), "path": path, "kind": v.Kind.String(),
			"value": nil, "value_wan_yuan": nil, "raw": v.Raw, "source": optional(v.Pos.String()),
			"method": v.Method.String()}
		if amount {
			want["value_wan_yuan"] = wantValue(v, true)
		} else {
			want["value"] = wantValue(v, false)
		}
		if !reflect.DeepEqual(g, want) {
			t.Errorf("cells %s:\n got %v\nwant %v", k, g, want)
		}
	}
	for _, r := range reports {
		for i, f := range transform.T2 {
			check(r, f.Path(), f.Amount, r.T2[i])
		}
		for row := range transform.NumT3Rows {
			if row == transform.RowOtherTotal && r.OtherTotalDerived() {
				continue // summed, not located: no provenance
			}
			for col := range transform.NumT3Cols {
				check(r, transform.T3Path(row, col), false, r.T3[row][col])
			}
		}
		for i := range transform.NumT4 {
			check(r, transform.T4Path(i), false, r.T4[i])
		}
	}
	if n != len(rows) {
		t.Errorf("cells: %d rows, %d located values", len(rows), n)
	}
	if g := got["r-pds-organ table3.granted.total"]; g["kind"] != "empty" || g["value"] != nil || g["source"] != "44:2" {
		t.Errorf("a located blank: %v", g)
	}
	if g := got["r-pds-organ table2.admin_fees.amount_wan_yuan"]; g["value_wan_yuan"] != millionths(7730_280000) ||
		g["source"] != "Sheet1!C12" || g["raw"] != "7730.28" {
		t.Errorf("an amount: %v", g)
	}
}

func TestDeterministic(t *testing.T) {
	mem := checkedMem(t)
	dirs := [2]string{t.TempDir(), t.TempDir()}
	var outs [2][]Output
	for i, dir := range dirs {
		outs[i] = writeBatch(t, dir, mem, testReports(), testRejects())
	}
	if !reflect.DeepEqual(outs[0], outs[1]) {
		t.Fatalf("outputs differ:\n%v\n%v", outs[0], outs[1])
	}
	for _, o := range outs[0] {
		a, _ := os.ReadFile(filepath.Join(dirs[0], o.Path))
		b, _ := os.ReadFile(filepath.Join(dirs[1], o.Path))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs", o.Path)
		}
	}
}

// TestInRollup checks that in_rollup writes the batch stage's roles and that rollup_city sums the
// counted reports only (the roles themselves are transform's: TestDecideRoles).
func TestInRollup(t *testing.T) {
	organ, region := transform.ScopeOrgan, transform.ScopeRegional
	reports := []*transform.Report{
		newReport("city", "A市", "A市人民政府", 2024, transform.Gov2021, region),
		newReport("dept", "A市", "A市财政局", 2024, transform.Gov2021, organ),
		newReport("dept2", "A市", "A市财政局", 2024, transform.Gov2021, organ),
		newReport("other", "B市", "B市甲区人民政府", 2024, transform.Gov2021, region),
		newReport("district", "A市", "A市甲区人民政府", 2024, transform.Gov2021, region),
		newReport("district-dept", "A市", "A市甲区教育局", 2024, transform.Gov2021, organ),
	}
	for i, r := range reports {
		fillT3(r, int64(i+1))
	}
	mem := checkedMem(t)
	dir := t.TempDir()
	got, _ := readOutputs(t, dir, writeBatch(t, dir, mem, reports, nil), mem)
	// province, city, county
	want := map[string][3]bool{"city": {true, true, false}, "dept": {}, "dept2": {}, "other": {true, true, true},
		"district": {false, false, true}, "district-dept": {}}
	rows := got[TableReports]
	for _, r := range rows {
		id := r["report_id"].(string)
		if got := [3]any{r["in_rollup_province"], r["in_rollup"], r["in_rollup_county"]}; got != [3]any{want[id][0], want[id][1], want[id][2]} {
			t.Errorf("%s: in rollups %v, want %v", id, got, want[id])
		}
	}
	checkRollups(t, func(name string) []row { return got[name] }, rows, got[TableApplications])
}

func TestCheckReport(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(r *transform.Report)
		want   string
	}{
		{"no id", func(r *transform.Report) { r.ID = "" }, "no id"},
		{"year", func(r *transform.Report) { r.Year = 20240 }, "year 20240"},
		{"negative year", func(r *transform.Report) { r.Year = -1 }, "year -1"},
		{"amount too large", func(r *transform.Report) {
			r.T2[transform.T2AdminFees] = transform.Value{Kind: transform.Numeric, N: 1 << 62}
		}, "table2.admin_fees.amount_wan_yuan"},
		{"bad kind", func(r *transform.Report) { r.T3[3][2].Kind = 99 }, "table3.partially_granted.research_institution: unknown kind"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad := newReport("bad", "A市", "机关", 2024, transform.Gov2021, transform.ScopeOrgan)
			fillT3(bad, 3)
			tc.mutate(bad)
			err := CheckReport(bad)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), bad.Source.Path) {
				t.Fatalf("err = %v, want one naming %s and %q", err, bad.Source.Path, tc.want)
			}
			// Write refuses the batch whole rather than write part of it.
			mem := checkedMem(t)
			good := newReport("good", "A市", "机关", 2024, transform.Gov2021, transform.ScopeOrgan)
			dir := t.TempDir()
			w := newTestWriter(t, dir, mem)
			if _, err := w.Write(context.Background(), testInput(t, []*transform.Report{good, bad}, nil)); err == nil {
				t.Error("Write accepted a report CheckReport refuses")
			}
			assertNoFiles(t, dir)
		})
	}
	if err := CheckReport(newReport("ok", "A市", "机关", 2024, transform.Gov2021, transform.ScopeOrgan)); err != nil {
		t.Errorf("a good report was refused: %v", err)
	}
	// The same report twice would be counted twice.
	a := newReport("same", "A市", "机关", 2024, transform.Gov2021, transform.ScopeOrgan)
	b := newReport("same", "B市", "机关", 2024, transform.Gov2021, transform.ScopeOrgan)
	w := newTestWriter(t, t.TempDir(), checkedMem(t))
	if _, err := w.Write(context.Background(), testInput(t, []*transform.Report{a, b}, nil)); !errors.Is(err, ErrDuplicateReport) {
		t.Errorf("err = %v, want ErrDuplicateReport", err)
	}
}

func TestWriterOnce(t *testing.T) {
	mem := checkedMem(t)
	w := newTestWriter(t, t.TempDir(), mem)
	r := newReport("a", "A市", "机关", 2024, transform.Gov2021, transform.ScopeOrgan)
	if _, err := w.Write(context.Background(), testInput(t, []*transform.Report{r}, nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(context.Background(), testInput(t, nil, nil)); err == nil {
		t.Error("a second Write succeeded")
	}
	if _, err := NewWriter(filepath.Join(t.TempDir(), "missing"), Options{}); err == nil {
		t.Error("NewWriter accepted a missing folder")
	}
	dir := t.TempDir()
	if _, err := newTestWriter(t, dir, mem).Write(context.Background(), testInput(t, []*transform.Report{r}, []Reject{{}})); err == nil {
		t.Error("a reject without a path was accepted")
	}
	assertNoFiles(t, dir)
	in := testInput(t, []*transform.Report{r}, nil)
	in.Batch.Decisions = nil
	if _, err := newTestWriter(t, t.TempDir(), mem).Write(context.Background(), in); err == nil {
		t.Error("Write accepted a batch without decisions")
	}
}

// countingMem counts the allocations made through it, so that a leak test can tell it saw some.
type countingMem struct {
	memory.Allocator
	n int
}

func (m *countingMem) Allocate(size int) []byte { m.n++; return m.Allocator.Allocate(size) }

// failingReports fails, or cancels, at report at.
type failingReports struct {
	transform.Reports
	at     int
	cancel context.CancelFunc
}

func (f failingReports) At(i int) (*transform.Report, error) {
	if i == f.at {
		if f.cancel != nil {
			f.cancel()
		} else {
			return nil, errors.New("the store broke")
		}
	}
	return f.Reports.At(i)
}

// TestFailuresRelease fails a Write at every stage: it returns the error, leaves no file and no
// Arrow memory behind (checkedMem asserts it), though row groups were already written.
func TestFailuresRelease(t *testing.T) {
	next := largeBatch(40)
	var reports []*transform.Report
	for i := range 40 {
		r := next(i)
		r.Year = 2023 + i%2
		reports = append(reports, r)
	}
	cases := []struct {
		name  string
		setup func(dir string, in *Input, ctx context.Context, cancel context.CancelFunc)
		want  string
	}{
		{"store", func(_ string, in *Input, _ context.Context, _ context.CancelFunc) {
			in.Reports = failingReports{Reports: in.Reports, at: 25}
		}, "the store broke"},
		{"cancelled", func(_ string, in *Input, _ context.Context, cancel context.CancelFunc) {
			in.Reports = failingReports{Reports: in.Reports, at: 20, cancel: cancel}
		}, "context canceled"},
		{"bad report", func(_ string, in *Input, _ context.Context, _ context.CancelFunc) {
			bad := *reports[30]
			bad.Year = -1
			s := slices.Clone(in.Reports.(transform.ReportSlice))
			s[30] = &bad
			in.Reports = s
		}, "year -1"},
		{"rollup", func(_ string, in *Input, _ context.Context, _ context.CancelFunc) {
			// Two amounts at the maximum: their sum does not fit the rollups' decimal.
			s := slices.Clone(in.Reports.(transform.ReportSlice))
			for i := range 2 {
				r := newReport(fmt.Sprintf("max%d", i), "A市", fmt.Sprintf("机关%d", i), 2024, transform.Gov2021, transform.ScopeOrgan)
				r.T2[transform.T2AdminFees] = transform.Value{Kind: transform.Numeric, N: maxAmount}
				s = append(s, r)
			}
			b, err := transform.Decide(context.Background(), s, transform.BatchOptions{})
			if err != nil {
				panic(err)
			}
			in.Reports, in.Batch = s, b
		}, "decimal(18,6)"},
		{"unwritable table", func(dir string, _ *Input, _ context.Context, _ context.CancelFunc) {
			os.MkdirAll(filepath.Join(dir, "parquet"), 0o755)
			os.WriteFile(filepath.Join(dir, "parquet", TableFindings), nil, 0o644)
		}, TableFindings},
		{"unwritable workbook", func(dir string, _ *Input, _ context.Context, _ context.CancelFunc) {
			os.Mkdir(filepath.Join(dir, WorkbookName(2024)), 0o755)
		}, WorkbookName(2024)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			counted := &countingMem{Allocator: checkedMem(t)}
			dir := t.TempDir()
			in := testInput(t, reports, testRejects())
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tc.setup(dir, &in, ctx, cancel)
			// Small files too, so that files already closed and renamed into place must go.
			w, err := NewWriter(dir, Options{Allocator: counted, RowGroupBytes: 16 << 10, RowGroupsPerFile: 2})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(ctx, in); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one saying %q", err, tc.want)
			}
			if counted.n == 0 {
				t.Fatal("no Arrow allocation: the test proves nothing")
			}
			os.Remove(filepath.Join(dir, "parquet", TableFindings))
			os.Remove(filepath.Join(dir, WorkbookName(2024)))
			assertNoFiles(t, dir)
		})
	}
}

func TestEmptyBatch(t *testing.T) {
	mem := checkedMem(t)
	dir := t.TempDir()
	outs := writeBatch(t, dir, mem, nil, nil)
	if len(outs) != len(Schemas()) {
		t.Fatalf("%d outputs for %d tables", len(outs), len(Schemas()))
	}
	_, files := readOutputs(t, dir, outs, mem)
	for _, o := range outs {
		if o.Year != 0 || o.Rows != 0 || len(files[o.Path].rows) != 0 {
			t.Errorf("%s: year %d, %d rows", o.Path, o.Year, o.Rows)
		}
	}
	checkFileProperties(t, files)
}

func assertNoFiles(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			t.Errorf("left behind: %s", p)
		}
		return err
	})
}

// TestDecimalExact writes amounts at the edges of decimal(18,6) and reads them back exactly.
func TestDecimalExact(t *testing.T) {
	mem := checkedMem(t)
	dir := t.TempDir()
	amounts := []int64{1, 999_999, 7730_280000, maxAmount, -5}
	var reports []*transform.Report
	for i, n := range amounts {
		// One city each, and the maximum alone in its year: their sum would not fit in any rollup
		// (province, city or county), which is the second half of this test.
		year := 2024
		if n == maxAmount {
			year = 2023
		}
		r := newReport(fmt.Sprintf("d%d", i), fmt.Sprintf("%c市", 'A'+i), "机关", year, transform.Gov2021, transform.ScopeOrgan)
		r.T2[transform.T2AdminFees] = transform.Value{Kind: transform.Numeric, N: n}
		reports = append(reports, r)
	}
	outs := writeBatch(t, dir, mem, reports, nil)
	got, _ := readOutputs(t, dir, outs, mem)
	for _, r := range got[TableReports] {
		var i int
		fmt.Sscanf(r["report_id"].(string), "d%d", &i)
		if v := r["t2_admin_fees_amount_wan_yuan"]; v != millionths(amounts[i]) {
			t.Errorf("%s: %v, want %v", r["report_id"], v, millionths(amounts[i]))
		}
	}
	// Two amounts at the maximum sum beyond decimal(18,6): the rollup refuses rather than wrap.
	w := newTestWriter(t, t.TempDir(), mem)
	var twice []*transform.Report
	for i, n := range []int64{maxAmount, maxAmount} {
		r := newReport(fmt.Sprintf("m%d", i), "A市", fmt.Sprintf("机关%d", i), 2024, transform.Gov2021, transform.ScopeOrgan)
		r.T2[transform.T2AdminFees] = transform.Value{Kind: transform.Numeric, N: n}
		twice = append(twice, r)
	}
	if _, err := w.Write(context.Background(), testInput(t, twice, nil)); err == nil || !strings.Contains(err.Error(), "decimal(18,6)") {
		t.Errorf("err = %v", err)
	}
}

// TestInvalidUTF8 writes text that is not UTF-8: Parquet string columns must stay readable.
func TestInvalidUTF8(t *testing.T) {
	mem := checkedMem(t)
	dir := t.TempDir()
	r := newReport("u", "A市", "", 2024, transform.Gov2021, transform.ScopeOrgan)
	r.Body = "机关\xff\xfe"
	r.T3[0][0] = transform.Value{Kind: transform.Text, Raw: "\xe5\xb8"}
	outs := writeBatch(t, dir, mem, []*transform.Report{r}, nil)
	got, _ := readOutputs(t, dir, outs, mem)
	if b := got[TableReports][0]["body"]; b != "机关\uFFFD" {
		t.Errorf("body read back as %q", b)
	}
	for _, c := range got[TableCells] {
		if c["path"] == "table3.new_received.natural_person" && c["raw"] != "\uFFFD" {
			t.Errorf("raw read back as %q", c["raw"])
		}
	}
}

// TestRowGroups writes the same batch with a row group for every report and with one for all: the
// files hold the same rows, a row group per report that has rows in the table, with every string
// column dictionary encoded, and the same batch gives the same bytes again.
func TestRowGroups(t *testing.T) {
	next := largeBatch(20)
	var reports []*transform.Report
	for i := range 20 {
		reports = append(reports, next(i))
	}
	write := func(size int64) ([]Output, map[string][]row, map[string]parquetFile) {
		mem := checkedMem(t)
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{InputHash: testInputHash, CreatedBy: testCreatedBy, Allocator: mem, RowGroupBytes: size, RowGroupsPerFile: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		outs, err := w.Write(context.Background(), testInput(t, reports, nil))
		if err != nil {
			t.Fatal(err)
		}
		got, files := readOutputs(t, dir, outs, mem)
		return outs, got, files
	}
	_, whole, wholeFiles := write(1 << 30)
	outs, grouped, files := write(1)
	if !reflect.DeepEqual(whole, grouped) {
		t.Error("row groups changed the rows")
	}
	checkFileProperties(t, files)
	for path, f := range files {
		want := 20
		switch {
		case len(f.rows) == 0:
			want = 0
		case strings.Contains(path, "/rollup_"):
			want = 1 // written after the reports, at once
		case strings.Contains(path, TableFindings):
			want = 2 // only reports 0 and 10 have findings
		}
		if f.rowGroups != want {
			t.Errorf("%s: %d row groups, want %d", path, f.rowGroups, want)
		}
		if w := wholeFiles[path].rowGroups; w != min(want, 1) {
			t.Errorf("%s: %d row groups with a large row group size, want %d", path, w, min(want, 1))
		}
		for _, fld := range f.schema.Fields() {
			if fld.Type.ID() != arrow.STRING || len(f.rows) == 0 {
				continue
			}
			if enc := f.encodings[fld.Name]; !slices.Contains(enc, parquet.Encodings.RLEDict) {
				t.Errorf("%s: %s not dictionary encoded: %v", path, fld.Name, enc)
			}
		}
	}
	again, _, _ := write(1)
	for i, o := range outs {
		if o.SHA256 != again[i].SHA256 {
			t.Errorf("%s differs between two writes", o.Path)
		}
	}
}

// TestFilesPerPartition cuts every partition into files of at most RowGroupsPerFile row groups:
// part-00000.parquet, part-00001.parquet, … hold, read in name order, the rows of the one file a
// larger limit writes; every file is a complete Parquet file with the table's schema; a rerun
// writes the same bytes.
func TestFilesPerPartition(t *testing.T) {
	next := largeBatch(20)
	var reports []*transform.Report
	for i := range 20 {
		reports = append(reports, next(i))
	}
	write := func(perFile int) ([]Output, map[string][]row, map[string]parquetFile) {
		mem := checkedMem(t)
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{InputHash: testInputHash, CreatedBy: testCreatedBy, Allocator: mem, RowGroupBytes: 1, RowGroupsPerFile: perFile})
		if err != nil {
			t.Fatal(err)
		}
		outs, err := w.Write(context.Background(), testInput(t, reports, nil))
		if err != nil {
			t.Fatal(err)
		}
		checkNothingElse(t, dir, outs)
		got, files := readOutputs(t, dir, outs, mem)
		return outs, got, files
	}
	_, whole, _ := write(1 << 20)
	outs, cut, files := write(3)
	if !reflect.DeepEqual(whole, cut) {
		t.Error("cutting partitions into files changed the rows")
	}
	checkFileProperties(t, files)
	// A partition of 20 row groups (one a report) is 7 files: 3+3+3+3+3+3+2.
	perFolder := map[string][]int{}
	rows := map[string]int64{}
	for _, o := range outs {
		if o.Table == OutputWorkbook {
			continue
		}
		perFolder[path.Dir(o.Path)] = append(perFolder[path.Dir(o.Path)], files[o.Path].rowGroups)
		rows[path.Dir(o.Path)] += o.Rows
		if int64(len(files[o.Path].rows)) != o.Rows {
			t.Errorf("%s: Output says %d rows, the file has %d", o.Path, o.Rows, len(files[o.Path].rows))
		}
	}
	for _, folder := range []string{"parquet/reports/year=2024", "parquet/applications/year=2024", "parquet/cells/year=2024"} {
		if got := perFolder[folder]; !slices.Equal(got, []int{3, 3, 3, 3, 3, 3, 2}) {
			t.Errorf("%s: row groups per file %v, want [3 3 3 3 3 3 2]", folder, got)
		}
		for i := range 7 {
			want := folder + "/" + partFileName(i)
			if !slices.ContainsFunc(outs, func(o Output) bool { return o.Path == want }) {
				t.Errorf("no %s", want)
			}
		}
	}
	if rows["parquet/reports/year=2024"] != 20 {
		t.Errorf("reports: %d rows over the files, want 20", rows["parquet/reports/year=2024"])
	}
	again, _, _ := write(3)
	if len(again) != len(outs) {
		t.Fatalf("%d files on a rerun, %d before", len(again), len(outs))
	}
	for i, o := range outs {
		if o.Path != again[i].Path || o.SHA256 != again[i].SHA256 {
			t.Errorf("%s differs between two writes", o.Path)
		}
	}
}

// checkNothingElse asserts that dir holds the outputs and nothing else (no temporary file).
func checkNothingElse(t *testing.T, dir string, outs []Output) {
	t.Helper()
	want := map[string]bool{}
	for _, o := range outs {
		want[o.Path] = true
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			if !want[filepath.ToSlash(rel)] {
				t.Errorf("left in the folder: %s", rel)
			}
		}
		return err
	})
}

// TestStableTypedOutput writes the outputs of four nights — reports of several years and of an
// unknown one, reports of the unknown year only, rejects only, nothing — and checks that every
// table has at least one file every night, that every file of a table has the documented schema
// (so the warehouse sees one schema per table, night after night), that no folder is Hive's null
// partition, and that every partition folder names an integer year that its rows carry.
func TestStableTypedOutput(t *testing.T) {
	unknown := newReport("u1", "", "", 0, transform.Gov2021, transform.ScopeOrgan)
	fillT3(unknown, 2)
	nights := map[string]struct {
		reports []*transform.Report
		rejects []Reject
	}{
		"several years": {testReports(), testRejects()},
		"unknown year":  {[]*transform.Report{unknown}, nil},
		"rejects only":  {nil, testRejects()},
		"nothing":       {nil, nil},
	}
	for name, night := range nights {
		t.Run(name, func(t *testing.T) {
			mem := checkedMem(t)
			dir := t.TempDir()
			outs := writeBatch(t, dir, mem, night.reports, night.rejects)
			_, files := readOutputs(t, dir, outs, mem)
			checkFileProperties(t, files) // every file against the documented schema
			perTable := map[string]int{}
			for path := range files {
				parts := strings.Split(path, "/")
				table := parts[1]
				perTable[table]++
				byYear := false
				for _, s := range Schemas() {
					if s.Name == table {
						byYear = s.ByYear
					}
				}
				switch {
				case strings.Contains(path, "__HIVE_DEFAULT_PARTITION__"):
					t.Errorf("%s: Hive's null partition", path)
				case !byYear && len(parts) != 3:
					t.Errorf("%s: a table without years in a partition folder", path)
				case byYear:
					year, ok := strings.CutPrefix(parts[2], "year=")
					if _, err := strconv.Atoi(year); !ok || err != nil || len(parts) != 4 {
						t.Errorf("%s: not under year=<integer>", path)
					}
				}
			}
			for _, s := range Schemas() {
				if perTable[s.Name] == 0 {
					t.Errorf("table %s has no file", s.Name)
				}
			}
		})
	}
}

// mustReportContext is reportContext for tests, whose batch findings are in memory.
func mustReportContext(t testing.TB, b *transform.Batch, r *transform.Report, i int) *reportCtx {
	t.Helper()
	rc, err := reportContext(b, r, i, false)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

// TestReportTablesApart: the tables of each report alone written apart, before the batch stage has
// decided, and the others after, give the same files byte for byte as one WriteTables, with row
// groups small enough that partitions flush on their own and as a group.
func TestReportTablesApart(t *testing.T) {
	reports := benchReports(600)
	in := testInput(t, reports, testRejects())
	opt := Options{InputHash: testInputHash, CreatedBy: testCreatedBy, RowGroupBytes: 16 << 10, RowGroupsPerFile: 3}
	write := func(apart bool) map[string]string {
		dir := t.TempDir()
		w, err := NewWriter(dir, opt)
		if err != nil {
			t.Fatal(err)
		}
		var outs []Output
		if apart {
			early, err := w.WriteReportTables(context.Background(), in.Reports, in.InputHash)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range early {
				if o.Table != TableCells && o.Table != TableApplications {
					t.Errorf("WriteReportTables wrote %s", o.Path)
				}
			}
			rest := in
			rest.ReportTablesApart = true
			later, err := w.WriteTables(context.Background(), rest)
			if err != nil {
				t.Fatal(err)
			}
			outs = append(early, later...)
		} else {
			if outs, err = w.WriteTables(context.Background(), in); err != nil {
				t.Fatal(err)
			}
		}
		files := map[string]string{}
		for _, o := range outs {
			if _, dup := files[o.Path]; dup {
				t.Errorf("%s written twice", o.Path)
			}
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(o.Path)))
			if err != nil {
				t.Fatal(err)
			}
			if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != o.SHA256 {
				t.Errorf("%s: the file on disk is not the one listed", o.Path)
			}
			files[o.Path] = o.SHA256
		}
		return files
	}
	one, two := write(false), write(true)
	if len(one) < 2*len(outputTables) {
		t.Fatalf("%d files: the row groups are not small enough to cut the tables into several", len(one))
	}
	var differ []string
	for p, sum := range one {
		if two[p] != sum {
			differ = append(differ, p)
		}
	}
	for p := range two {
		if _, ok := one[p]; !ok {
			differ = append(differ, p)
		}
	}
	slices.Sort(differ)
	if len(differ) > 0 {
		t.Errorf("written apart, %d of %d files differ from one pass's: %v", len(differ), len(one), differ[:min(len(differ), 5)])
	}
}

// TestLargeDictionarySameBytes: a column whose distinct values in one row group pass arrow-go's
// default dictionary page limit (1 MiB; here the findings' messages) is written the same bytes
// every time. Had the chunk fallen back from dictionary to plain pages, arrow-go would list the
// two page encodings of its footer's encoding stats in map order, which changes from run to run.
func TestLargeDictionarySameBytes(t *testing.T) {
	reports := benchReports(700)
	for i, r := range reports {
		r.Findings = append(r.Findings, transform.Finding{Rule: "S.BLANKS", Severity: transform.SevWarning,
			Message: fmt.Sprintf("%04d %s", i, strings.Repeat("空白单元格", 400))})
	}
	in := testInput(t, reports, nil)
	var first map[string]string
	for run := range 6 {
		w := newTestWriter(t, t.TempDir(), memory.NewGoAllocator())
		outs, err := w.WriteTables(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		sums := map[string]string{}
		for _, o := range outs {
			sums[o.Path] = o.SHA256
		}
		if run == 0 {
			first = sums
			continue
		}
		for p, s := range sums {
			if first[p] != s {
				t.Fatalf("run %d wrote other bytes for %s", run, p)
			}
		}
	}
}

// TestReportContextOwned: a report the pass decoded for itself takes its batch findings in place;
// one the Reports hold is copied and left as it was. Both read the same findings.
func TestReportContextOwned(t *testing.T) {
	reports := benchReports(40)
	b, err := transform.Decide(context.Background(), transform.ReportSlice(reports), transform.BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	withExtra := 0
	for i, r := range reports {
		before := len(r.Findings)
		shared, err := reportContext(b, r, i, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Findings) != before {
			t.Fatalf("report %d: the held report's findings changed", i)
		}
		own := *r
		own.Findings = slices.Clone(r.Findings)
		mine, err := reportContext(b, &own, i, true)
		if err != nil {
			t.Fatal(err)
		}
		if mine.r != &own {
			t.Errorf("report %d: an owned report was copied", i)
		}
		if !reflect.DeepEqual(mine.r.Findings, shared.r.Findings) {
			t.Errorf("report %d: findings differ in place and copied", i)
		}
		if len(shared.r.Findings) > before {
			withExtra++
		}
	}
	if withExtra == 0 {
		t.Fatal("no report has batch findings: the test checks nothing")
	}
	if !transform.NewPassReader(newEncodedStore(t, reports)).Owned() || transform.NewPassReader(transform.ReportSlice(reports)).Owned() {
		t.Error("Owned: true for a store decoded into the pass's Report, false for reports held in memory")
	}
}
