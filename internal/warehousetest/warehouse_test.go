//go:build warehouse

package warehousetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// root is the module root, from this package's folder.
const root = "../.."

// TestWarehouse runs the real binary over three inputs and reads each output folder with DuckDB:
// the bundled city (roles, contained reports, every rollup level, a rejected file), one clean
// report (findings and rejects without rows: one typed, empty file each) and three reports of
// three years (tables with rows for some years only, an unidentified city, a 2019-format report).
func TestWarehouse(t *testing.T) {
	duck := requireDuckDB(t)
	doc, err := parseSchemaDoc(filepath.Join(root, "docs", "schema.md"))
	if err != nil {
		t.Fatal(err)
	}
	bin := buildGovreports(t)
	runs := []struct {
		name  string
		in    func(t *testing.T) string // the input folder
		args  []string
		empty []string // tables the run leaves without rows
	}{
		{name: "huaian", in: func(*testing.T) string { return filepath.Join(root, "fixtures", "city", "huaian", "reports") },
			args: []string{"--max-rejects", "1"}},
		{name: "one-clean-report", in: fixtureInputs("seed"), empty: []string{"findings", "rejects"}},
		{name: "three-years", in: fixtureInputs("seed", "text-no-city", "text-gov2019"), empty: []string{"rejects"}},
	}
	for _, run := range runs {
		t.Run(run.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{"run", "--in", run.in(t), "--out", out, "--progress", "never", "--log-level", "error"}, run.args...)
			if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
				t.Fatalf("govreports %s: %v\n%s", strings.Join(args, " "), err, b)
			}
			checkOutput(t, duck, doc, filepath.Join(out, "parquet"), run.empty)
		})
	}
}

// fixtureInputs copies the input.txt of the named fixtures into one input folder.
func fixtureInputs(names ...string) func(t *testing.T) string {
	return func(t *testing.T) string {
		dir := filepath.Join(t.TempDir(), "in")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			b, err := os.ReadFile(filepath.Join(root, "fixtures", n, "input.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, n+".txt"), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
}

func buildGovreports(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "govreports")
	if b, err := exec.Command("go", "build", "-o", bin, "github.com/govreports/govreports/cmd/govreports").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return bin
}

// duckDB runs SQL in DuckDB through node and testdata/duckdb/query.mjs.
type duckDB struct{ node, script string }

// requireDuckDB finds node and the installed @duckdb/node-api; without them it skips the test,
// or fails it under CI=true.
func requireDuckDB(t *testing.T) duckDB {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	var missing string
	node, err := exec.LookPath("node")
	if err != nil {
		missing = "node is not installed"
	} else if _, err := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api", "package.json")); err != nil {
		missing = "the npm package @duckdb/node-api is not installed in " + dir
	}
	if missing != "" {
		const how = "`make test-warehouse` installs it (npm ci --prefix internal/warehousetest/testdata/duckdb)"
		if os.Getenv("CI") == "true" {
			t.Fatalf("DuckDB is required under CI=true, and %s: %s", missing, how)
		}
		t.Skipf("DuckDB is not available, so the warehouse is not checked: %s; %s", missing, how)
	}
	return duckDB{node: node, script: filepath.Join(dir, "query.mjs")}
}

type query struct {
	Name string `json:"name"`
	SQL  string `json:"sql"`
}

type result struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Types   []string `json:"types"`
	Rows    [][]any  `json:"rows"`
}

// run runs the queries in one DuckDB and returns DuckDB's version and the results by name.
func (d duckDB) run(t *testing.T, qs []query) (string, map[string]*result) {
	t.Helper()
	in, err := json.Marshal(qs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(d.node, d.script)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", d.script, err, stderr.Bytes())
	}
	var got struct {
		Version string    `json:"version"`
		Results []*result `json:"results"`
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("node %s printed no JSON: %v", d.script, err)
	}
	byName := map[string]*result{}
	for _, r := range got.Results {
		byName[r.Name] = r
	}
	return got.Version, byName
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
func ident(s string) string     { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

var partitionDir = regexp.MustCompile(`^year=(0|[1-9][0-9]*)$`)

// tableFiles lists the Parquet files of each table folder under dir (out/parquet) and checks
// their layout: a partitioned table has only year=<integer> folders (never Hive's
// __HIVE_DEFAULT_PARTITION__), an unpartitioned one only files.
func tableFiles(t *testing.T, dir string, doc []*docTable) (files map[string][]string, real string) {
	t.Helper()
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	files = map[string][]string{}
	var documented []string
	for _, tab := range doc {
		documented = append(documented, tab.name)
		tdir := filepath.Join(real, tab.name)
		entries, err := os.ReadDir(tdir)
		if err != nil {
			t.Errorf("table %s: %v", tab.name, err)
			continue
		}
		for _, e := range entries {
			switch {
			case tab.partitioned && e.IsDir() && partitionDir.MatchString(e.Name()):
				parts, err := os.ReadDir(filepath.Join(tdir, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range parts {
					if p.IsDir() || filepath.Ext(p.Name()) != ".parquet" {
						t.Errorf("%s/%s/%s: not a Parquet file", tab.name, e.Name(), p.Name())
						continue
					}
					files[tab.name] = append(files[tab.name], filepath.Join(tdir, e.Name(), p.Name()))
				}
			case !tab.partitioned && !e.IsDir() && filepath.Ext(e.Name()) == ".parquet":
				files[tab.name] = append(files[tab.name], filepath.Join(tdir, e.Name()))
			default:
				t.Errorf("%s/%s: not a year=<integer> partition of a partitioned table nor a Parquet file of an unpartitioned one (partitioned: %v)",
					tab.name, e.Name(), tab.partitioned)
			}
		}
		if len(files[tab.name]) == 0 {
			t.Errorf("table %s has no file: a table without rows must still have one typed, empty file", tab.name)
		}
	}
	entries, err := os.ReadDir(real)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !slices.Contains(documented, e.Name()) {
			t.Errorf("parquet/%s is not a table of docs/schema.md", e.Name())
		}
	}
	_ = filepath.WalkDir(real, func(p string, _ fs.DirEntry, err error) error {
		if strings.Contains(p, "__HIVE_DEFAULT_PARTITION__") {
			t.Errorf("%s: a Hive default partition, which engines type as VARCHAR", p)
		}
		return err
	})
	return files, real
}

// glob is what a warehouse reads for a table: every file of every partition.
func glob(dir string, tab *docTable) string {
	if tab.partitioned {
		return filepath.Join(dir, tab.name, "*", "*.parquet")
	}
	return filepath.Join(dir, tab.name, "*.parquet")
}

func readTable(dir string, tab *docTable, opts string) string {
	return fmt.Sprintf("read_parquet(%s, hive_partitioning = %v%s)", sqlString(glob(dir, tab)), tab.partitioned, opts)
}

// checkOutput reads one output folder (out/parquet) with DuckDB and holds it against the document.
func checkOutput(t *testing.T, duck duckDB, doc []*docTable, dir string, empty []string) {
	files, real := tableFiles(t, dir, doc)
	byName := map[string]*docTable{}
	var qs []query
	for _, tab := range doc {
		byName[tab.name] = tab
		// The table as a warehouse reads it: every partition, year typed from the folder names.
		qs = append(qs, query{"describe " + tab.name, "DESCRIBE SELECT * FROM " + readTable(dir, tab, "")})
		// Each file on its own: an empty file must be as typed as a full one.
		for _, f := range files[tab.name] {
			qs = append(qs, query{"describe file " + f, fmt.Sprintf("DESCRIBE SELECT * FROM read_parquet(%s, hive_partitioning = false)", sqlString(f))})
		}
		// Rows, nulls in the columns documented non-null, and rows whose year is not their folder's.
		sel := []string{"count(*)"}
		for _, c := range tab.columns {
			if !c.nullable {
				sel = append(sel, fmt.Sprintf("count(*) FILTER (WHERE %s IS NULL)", ident(c.name)))
			}
		}
		if tab.partitioned {
			sel = append(sel, "count(*) FILTER (WHERE year IS DISTINCT FROM CAST(regexp_extract(filename, '/year=([0-9]+)/', 1) AS BIGINT))")
		}
		qs = append(qs, query{"counts " + tab.name, "SELECT " + strings.Join(sel, ", ") + " FROM " +
			strings.Replace(readTable(dir, tab, ", filename = true"), "hive_partitioning = true", "hive_partitioning = false", 1)})
	}
	var rollups []*docTable
	for _, tab := range doc {
		if len(tab.sql) == 0 {
			continue
		}
		rollups = append(rollups, tab)
		want, err := rollupQuery(dir, tab, byName)
		if err != nil {
			t.Fatal(err)
		}
		cols := make([]string, len(tab.columns))
		for i, c := range tab.columns {
			cols[i] = ident(c.name)
		}
		qs = append(qs,
			query{"rollup " + tab.name, "SELECT " + strings.Join(cols, ", ") + " FROM " +
				readTable(dir, tab, ", file_row_number = true") + " ORDER BY year, file_row_number"},
			query{"group by " + tab.name, want})
	}

	version, res := duck.run(t, qs)
	t.Logf("DuckDB %s read %s", version, dir)
	t.Logf("%-16s %5s %7s %7s  %s", "table", "files", "rows", "columns", "types (every file and the Hive-partitioned table) = docs/schema.md")
	for _, tab := range doc {
		types := checkTypes(t, tab, res["describe "+tab.name], "the table")
		for _, f := range files[tab.name] {
			rel, _ := filepath.Rel(real, f)
			checkTypes(t, tab, res["describe file "+f], rel)
		}
		counts := res["counts "+tab.name].Rows[0]
		rows := str(counts[0])
		i := 1
		for _, c := range tab.columns {
			if !c.nullable {
				if n := str(counts[i]); n != "0" {
					t.Errorf("%s.%s is documented non-null and has %s nulls", tab.name, c.name, n)
				}
				i++
			}
		}
		if tab.partitioned {
			if n := str(counts[i]); n != "0" {
				t.Errorf("%s: %s rows whose year is not their folder's", tab.name, n)
			}
		}
		wantEmpty := slices.Contains(empty, tab.name)
		if (rows == "0") != wantEmpty {
			t.Errorf("%s has %s rows; the input was chosen so that it has %s", tab.name, rows, map[bool]string{true: "none", false: "some"}[wantEmpty])
		}
		if wantEmpty && tab.partitioned && (len(files[tab.name]) != 1 || !strings.Contains(files[tab.name][0], "/year=0/")) {
			t.Errorf("%s has no rows and the files %v, want one typed, empty file in year=0", tab.name, files[tab.name])
		}
		t.Logf("%-16s %5d %7s %7d  %s", tab.name, len(files[tab.name]), rows, len(tab.columns), types)
	}
	for _, tab := range rollups {
		got, want := res["rollup "+tab.name], res["group by "+tab.name]
		n := compareRows(t, tab, got, want)
		spec, _ := tab.rollupSpec()
		t.Logf("%s: %d rows x %d columns = the documented GROUP BY %s over reports WHERE %s and applications (%d non-null values)",
			tab.name, len(got.Rows), len(tab.columns), strings.Join(spec.groupBy, ", "), spec.filter, n)
	}
}

// checkTypes compares one DESCRIBE with the document and returns a short account.
func checkTypes(t *testing.T, tab *docTable, r *result, what string) string {
	t.Helper()
	if len(r.Rows) != len(tab.columns) {
		t.Errorf("%s %s: DuckDB reads %d columns, docs/schema.md documents %d", tab.name, what, len(r.Rows), len(tab.columns))
	}
	seen := map[string]int{}
	for i, row := range r.Rows {
		name, typ := str(row[0]), str(row[1])
		if i >= len(tab.columns) {
			t.Errorf("%s %s: column %s %s is not documented", tab.name, what, name, typ)
			continue
		}
		c := tab.columns[i]
		want, err := duckType(c.typ)
		if err != nil {
			t.Errorf("%s.%s: %v", tab.name, c.name, err)
			continue
		}
		if name != c.name || typ != want {
			t.Errorf("%s %s: column %d is %s %s in DuckDB; docs/schema.md says %s %s (%s)", tab.name, what, i+1, name, typ, c.name, want, c.typ)
			continue
		}
		seen[typ]++
	}
	var parts []string
	for typ, n := range seen {
		parts = append(parts, fmt.Sprintf("%d %s", n, typ))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// str is a DuckDB value as text: BIGINT, HUGEINT and DECIMAL come as strings, NULL as nil.
func str(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		return v
	case json.Number:
		return v.String()
	default:
		return fmt.Sprint(v)
	}
}

// compareRows compares a rollup table, in file order, with its GROUP BY, row by row, and returns
// the number of non-null values compared.
func compareRows(t *testing.T, tab *docTable, got, want *result) int {
	t.Helper()
	if !slices.Equal(got.Columns, want.Columns) {
		t.Fatalf("%s: columns %v, the GROUP BY gives %v", tab.name, got.Columns, want.Columns)
	}
	if len(got.Rows) != len(want.Rows) {
		t.Errorf("%s has %d rows, its GROUP BY gives %d", tab.name, len(got.Rows), len(want.Rows))
	}
	key := func(row []any) string {
		var k []string
		for i, c := range got.Columns {
			if c == "year" || strings.HasSuffix(c, "_code") || c == "city" || c == "county" || c == "province" {
				k = append(k, c+"="+str(row[i]))
			}
		}
		return strings.Join(k, " ")
	}
	nonNull, diffs := 0, 0
	for i := range min(len(got.Rows), len(want.Rows)) {
		for j, c := range got.Columns {
			g, w := str(got.Rows[i][j]), str(want.Rows[i][j])
			if g != w {
				if diffs++; diffs <= 20 {
					t.Errorf("%s row %d (%s): %s = %s, the GROUP BY gives %s (row %s)", tab.name, i+1, key(got.Rows[i]), c, g, w, key(want.Rows[i]))
				}
			} else if g != "NULL" {
				nonNull++
			}
		}
	}
	if diffs > 20 {
		t.Errorf("%s: %d differences in all", tab.name, diffs)
	}
	return nonNull
}

// rollupQuery writes the documented GROUP BY of a rollup table in full: the measures that the
// document abbreviates with "…" are the table's own columns, summed over reports (t2_, t4_) or
// over applications joined to reports (t3_<row>_<column>), with the document's WHERE and GROUP BY.
// The columns the document takes with any_value are those of the first report, in the order of
// the reports table, that names them. Rows come in the documented order: year, then each division
// by code and name, the unidentified one last.
func rollupQuery(dir string, tab *docTable, doc map[string]*docTable) (string, error) {
	spec, err := tab.rollupSpec()
	if err != nil {
		return "", err
	}
	reports, apps := doc["reports"], doc["applications"]
	if reports == nil || apps == nil {
		return "", fmt.Errorf("docs/schema.md documents no reports or applications table")
	}
	if _, ok := reports.column(spec.filter); !ok {
		return "", fmt.Errorf("%s: WHERE %s: no such column of reports", tab.name, spec.filter)
	}
	var applicants []string // the Table 3 columns of applications
	for _, c := range apps.columns {
		if c.typ == "int64" && c.name != "year" {
			applicants = append(applicants, c.name)
		}
	}
	var keys, onKeys []string
	for _, k := range spec.groupBy {
		keys = append(keys, ident(k))
		onKeys = append(onKeys, fmt.Sprintf("g.%s IS NOT DISTINCT FROM t3.%s", ident(k), ident(k)))
	}
	gSel := slices.Clone(keys)
	var known []string
	for _, c := range spec.anyValue {
		known = append(known, fmt.Sprintf("coalesce(%s, '') <> ''", ident(c)))
	}
	for _, c := range spec.anyValue {
		gSel = append(gSel, fmt.Sprintf("first(%s ORDER BY file_row_number) FILTER (WHERE %s) AS %s", ident(c), strings.Join(known, " OR "), ident(c)))
	}
	gSel = append(gSel, "count(*) AS reports")
	t3Sel := []string{}
	for _, k := range spec.groupBy {
		t3Sel = append(t3Sel, "r."+ident(k))
	}
	var sel []string
	for _, c := range tab.columns {
		name := c.name
		switch {
		case slices.Contains(spec.groupBy, name) || slices.Contains(spec.anyValue, name) || name == "reports":
			sel = append(sel, "g."+ident(name))
		case strings.HasPrefix(name, "t3_"):
			applicant := ""
			for _, a := range applicants {
				if strings.HasSuffix(name, "_"+a) && len(a) > len(applicant) {
					applicant = a
				}
			}
			row := strings.TrimSuffix(strings.TrimPrefix(name, "t3_"), "_"+applicant)
			if applicant == "" || row == "" {
				return "", fmt.Errorf("%s.%s: not t3_<row>_<column> with a column of applications", tab.name, name)
			}
			t3Sel = append(t3Sel, fmt.Sprintf("sum(a.%s) FILTER (WHERE a.row_key = %s) AS %s", ident(applicant), sqlString(row), ident(name)))
			sel = append(sel, "t3."+ident(name))
		case strings.HasPrefix(name, "t2_") || strings.HasPrefix(name, "t4_"):
			if _, ok := reports.column(name); !ok {
				return "", fmt.Errorf("%s.%s: no such column of reports to sum", tab.name, name)
			}
			gSel = append(gSel, fmt.Sprintf("sum(%s) AS %s", ident(name), ident(name)))
			sel = append(sel, "g."+ident(name))
		default:
			return "", fmt.Errorf("%s.%s: no counterpart in the documented GROUP BY", tab.name, name)
		}
	}
	// The order: year, then each division (code, name) of the group, the province first where it
	// is an attribute; an unknown division (no code, no name) last.
	pairs := slices.Clone(spec.anyValue)
	pairs = append(pairs, spec.groupBy[1:]...)
	if spec.groupBy[0] != "year" || len(pairs)%2 != 0 {
		return "", fmt.Errorf("%s: GROUP BY %v: want year, then (code, name) pairs", tab.name, spec.groupBy)
	}
	order := []string{"g.year"}
	for i := 0; i < len(pairs); i += 2 {
		code, name := "g."+ident(pairs[i]), "g."+ident(pairs[i+1])
		order = append(order, fmt.Sprintf("(%s IS NULL AND coalesce(%s, '') = '')", code, name),
			fmt.Sprintf("coalesce(%s, '')", code), fmt.Sprintf("coalesce(%s, '')", name))
	}
	return fmt.Sprintf(`WITH r AS (
  SELECT * FROM %s WHERE %s
), a AS (
  SELECT * FROM %s
), g AS (
  SELECT %s
  FROM r GROUP BY %s
), t3 AS (
  SELECT %s
  FROM a JOIN r ON a.report_id = r.report_id GROUP BY %s
)
SELECT %s
FROM g LEFT JOIN t3 ON %s
ORDER BY %s`,
		readTable(dir, reports, ", file_row_number = true"), ident(spec.filter),
		readTable(dir, apps, ""),
		strings.Join(gSel, ",\n         "), strings.Join(keys, ", "),
		strings.Join(t3Sel, ",\n         "), strings.Join(t3Sel[:len(spec.groupBy)], ", "),
		strings.Join(sel, ", "), strings.Join(onKeys, " AND "), strings.Join(order, ", ")), nil
}
