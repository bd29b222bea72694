package load

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/govreports/govreports/transform"
)

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	checkFile(t, filepath.Join("testdata", name), got)
}

func checkFile(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("%s drifted from the code at line %d:\n got %s\nwant %s\n(run go test ./load -run %s -update)",
					path, i+1, gl[i], wl[i], t.Name())
			}
		}
		t.Fatalf("%s drifted from the code: %d lines, want %d (run go test ./load -run %s -update)",
			path, len(gl), len(wl), t.Name())
	}
}

// dumpTables renders read-back rows as text: one line per row, non-null columns in schema order.
// Of cells, only the rows that hold no number are shown; checkCells covers the rest.
func dumpTables(tables map[string][]row) []byte {
	var b bytes.Buffer
	for _, s := range Schemas() {
		fmt.Fprintf(&b, "== %s (%d rows)\n", s.Name, len(tables[s.Name]))
		for _, r := range tables[s.Name] {
			if s.Name == TableCells && (r["kind"] == "numeric" || r["kind"] == "zero") {
				continue
			}
			var cols []string
			for _, f := range s.Schema.Fields() {
				if v := r[f.Name]; v != nil {
					cols = append(cols, fmt.Sprintf("%s=%v", f.Name, v))
				}
			}
			b.WriteString(strings.Join(cols, " ") + "\n")
		}
	}
	return b.Bytes()
}

func TestSchemaDoc(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSchemaMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	checkFile(t, filepath.Join("..", "docs", "schema.md"), b.Bytes())
}

func TestPrintSchemas(t *testing.T) {
	var b bytes.Buffer
	if err := PrintSchemas(&b); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "schemas.txt", b.Bytes())
	for _, s := range Schemas() {
		for _, f := range s.Schema.Fields() {
			if !strings.Contains(b.String(), "  "+f.Name+" ") {
				t.Errorf("listing lacks %s.%s", s.Name, f.Name)
			}
		}
	}
}

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

func TestSchemas(t *testing.T) {
	wantTables := []string{TableReports, TableApplications, TableFindings, TableRejects, TableRollupProv,
		TableRollupCity, TableRollupCounty, TableCells}
	schemas := Schemas()
	if len(schemas) != len(wantTables) {
		t.Fatalf("%d tables", len(schemas))
	}
	for i, s := range schemas {
		if s.Name != wantTables[i] || s.Doc == "" || s.Partition == "" {
			t.Errorf("table %d: %q, doc %q, partition %q", i, s.Name, s.Doc, s.Partition)
		}
		seen := map[string]bool{}
		for _, f := range s.Schema.Fields() {
			if !snakeCase.MatchString(f.Name) || seen[f.Name] {
				t.Errorf("%s.%s: not snake_case ASCII, or repeated", s.Name, f.Name)
			}
			seen[f.Name] = true
			if fieldMeta(f, MetaLabel) == "" || fieldMeta(f, MetaDescription) == "" {
				t.Errorf("%s.%s: missing label or description", s.Name, f.Name)
			}
		}
	}

	// The reports columns in the contracted order.
	var want []string
	want = append(want, "report_id", "body", "city", "year", "scope", "in_rollup", "title", "unit",
		"source_path", "source_sha256", "source_bytes", "format", "encoding", "format_version")
	for _, f := range transform.T2 {
		want = append(want, f.Flat())
	}
	for i := range transform.NumT4 {
		want = append(want, transform.T4Flat(i))
	}
	want = append(want, "errors", "warnings", "infos",
		"confidence_score", "read_table2", "read_table3", "read_table4", "cells_by_identity", "cells_open",
		"role", "role_of",
		// appended in 1.2
		"region_code", "region_level", "region_status", "province_code", "province", "city_code", "county_code",
		"county", "township_code", "township", "body_kind", "organ", "scope_evidence", "version_mark",
		"in_rollup_province", "in_rollup_county")
	if got := reportsTable.schema.Fields(); len(got) != len(want) {
		t.Fatalf("reports has %d columns, want %d", len(got), len(want))
	}
	for i, f := range reportsTable.schema.Fields() {
		if f.Name != want[i] {
			t.Errorf("reports column %d is %s, want %s", i, f.Name, want[i])
		}
	}
	measures := transform.NumT2 + transform.NumT3Rows*transform.NumT3Cols + transform.NumT4
	// rollup_city keeps its 1.1 columns first: city, year, reports, the measures; then what 1.2 appended.
	wantRollup := map[string][]string{
		TableRollupProv:   {"province_code", "province", "year", "reports"},
		TableRollupCity:   {"city", "year", "reports"},
		TableRollupCounty: {"province_code", "province", "city_code", "city", "county_code", "county", "year", "reports"},
	}
	for _, def := range []*tableDef[rollupRow]{rollupProvinceTable, rollupCityTable, rollupCountyTable} {
		fields := def.schema.Fields()
		lead := wantRollup[def.name]
		if len(fields) < len(lead)+measures {
			t.Fatalf("%s has %d columns", def.name, len(fields))
		}
		for i, name := range lead {
			if fields[i].Name != name {
				t.Errorf("%s column %d is %s, want %s", def.name, i, fields[i].Name, name)
			}
		}
		if fields[len(lead)].Name != transform.Measures[0].Name {
			t.Errorf("%s: the measures do not follow %s", def.name, lead[len(lead)-1])
		}
	}
	if tail := rollupCityTable.schema.Fields()[3+measures:]; len(tail) != 3 || tail[0].Name != "city_code" ||
		tail[1].Name != "province_code" || tail[2].Name != "province" {
		t.Errorf("rollup_city appended %v, want city_code, province_code, province", tail)
	}
	// Amounts are decimals, counts int64, in reports and in the rollups alike.
	for _, sch := range []*arrow.Schema{reportsTable.schema, rollupProvinceTable.schema, rollupCityTable.schema, rollupCountyTable.schema} {
		for _, f := range transform.T2 {
			idx := sch.FieldIndices(f.Flat())
			if len(idx) != 1 {
				t.Fatalf("no column %s", f.Flat())
			}
			if got := sch.Field(idx[0]).Type; arrow.TypeEqual(got, typeWanYuan) != f.Amount ||
				!f.Amount && !arrow.TypeEqual(got, typeInt64) {
				t.Errorf("%s is %s", f.Flat(), got)
			}
		}
	}
}

func TestEnglishCoversEveryKey(t *testing.T) {
	check := func(m map[string]string, keys ...string) {
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Errorf("no English for %q", k)
			}
		}
	}
	for _, f := range transform.T2 {
		check(t2RowEnglish, f.Row)
		check(t2ColEnglish, f.Col)
	}
	for _, r := range transform.T3Rows {
		check(t3RowEnglish, r.Key)
	}
	for _, c := range transform.T3Cols {
		check(t3ColEnglish, c.Key)
	}
	for _, b := range transform.T4Blocks {
		check(t4BlockEnglish, b.Key)
	}
	for _, o := range transform.T4Outcomes {
		check(t4OutcomeEnglish, o.Key)
	}
}
