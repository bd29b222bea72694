//go:build warehouse

package warehousetest

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// docTable is one table of docs/schema.md as the reader sees it: its columns with their Arrow
// types, whether it is partitioned on year and, for a rollup, its documented GROUP BY.
type docTable struct {
	name        string
	columns     []docColumn
	partitioned bool
	listed      int      // the column count in the document's table list
	sql         []string // the lines of the ```sql block, if any
}

type docColumn struct {
	name, typ string // typ as printed: string, int64, decimal128(18,6), list<string>, …
	nullable  bool
}

func (t *docTable) column(name string) (docColumn, bool) {
	for _, c := range t.columns {
		if c.name == name {
			return c, true
		}
	}
	return docColumn{}, false
}

var (
	docListItem = regexp.MustCompile("^- \\[`([a-z_]+)`\\]\\(#[a-z_]+\\) — ([0-9]+) columns$")
	docHeading  = regexp.MustCompile("^## ([a-z_]+)$")
)

// parseSchemaDoc reads the tables of docs/schema.md: the table list at the top, then one section
// per table with its **Partitioning:** line, an optional ```sql block and the column table
// (| # | column | label | type | nullable | meaning |).
func parseSchemaDoc(path string) ([]*docTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var (
		tables []*docTable
		listed = map[string]int{}
		cur    *docTable
		inSQL  bool
		line   int
	)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line++
		s := sc.Text()
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", path, line, fmt.Sprintf(format, args...))
		}
		switch {
		case inSQL:
			if s == "```" {
				inSQL = false
			} else {
				cur.sql = append(cur.sql, s)
			}
		case docListItem.MatchString(s):
			m := docListItem.FindStringSubmatch(s)
			listed[m[1]], _ = strconv.Atoi(m[2])
		case docHeading.MatchString(s):
			cur = &docTable{name: docHeading.FindStringSubmatch(s)[1], listed: -1}
			if n, ok := listed[cur.name]; ok {
				cur.listed = n
			}
			tables = append(tables, cur)
		case cur == nil:
		case s == "```sql":
			inSQL = true
		case strings.HasPrefix(s, "**Partitioning:**"):
			switch {
			case strings.Contains(s, "Hive-style by reporting year"):
				cur.partitioned = true
			case strings.Contains(s, "not partitioned"):
			default:
				return nil, bad("a partitioning neither Hive-style by year nor none: %q", s)
			}
		case strings.HasPrefix(s, "| "):
			cells := strings.Split(strings.Trim(s, "| "), " | ")
			if len(cells) < 6 {
				return nil, bad("a column row with %d cells, want 6", len(cells))
			}
			if cells[0] == "#" || strings.HasPrefix(cells[0], "---") {
				continue
			}
			n, err := strconv.Atoi(cells[0])
			if err != nil || n != len(cur.columns)+1 {
				return nil, bad("column number %q, want %d", cells[0], len(cur.columns)+1)
			}
			name := strings.Trim(cells[1], "`")
			var nullable bool
			switch cells[4] {
			case "yes":
				nullable = true
			case "no":
			default:
				return nil, bad("nullable %q, want yes or no", cells[4])
			}
			cur.columns = append(cur.columns, docColumn{name: name, typ: cells[3], nullable: nullable})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(tables) == 0 {
		return nil, fmt.Errorf("%s: no table found", path)
	}
	for _, t := range tables {
		if len(t.columns) == 0 {
			return nil, fmt.Errorf("%s: table %s has no column rows", path, t.name)
		}
		if t.listed != len(t.columns) {
			return nil, fmt.Errorf("%s: table %s lists %d columns at the top and documents %d", path, t.name, t.listed, len(t.columns))
		}
	}
	return tables, nil
}

var (
	decimalType = regexp.MustCompile(`^decimal128\(([0-9]+),([0-9]+)\)$`)
	listType    = regexp.MustCompile(`^list<(.+)>$`)
)

// duckType is the DuckDB type a Parquet column of the documented Arrow type reads as.
func duckType(arrow string) (string, error) {
	switch arrow {
	case "string", "large_string", "utf8":
		return "VARCHAR", nil
	case "bool":
		return "BOOLEAN", nil
	case "int8":
		return "TINYINT", nil
	case "int16":
		return "SMALLINT", nil
	case "int32":
		return "INTEGER", nil
	case "int64":
		return "BIGINT", nil
	case "float32":
		return "FLOAT", nil
	case "float64":
		return "DOUBLE", nil
	case "date32":
		return "DATE", nil
	}
	if m := decimalType.FindStringSubmatch(arrow); m != nil {
		return "DECIMAL(" + m[1] + "," + m[2] + ")", nil
	}
	if m := listType.FindStringSubmatch(arrow); m != nil {
		elem, err := duckType(m[1])
		if err != nil {
			return "", err
		}
		return elem + "[]", nil
	}
	return "", fmt.Errorf("no DuckDB type known for the Arrow type %q", arrow)
}

// rollupSpec is the documented GROUP BY of a rollup table, read from its ```sql block.
type rollupSpec struct {
	filter   string   // the WHERE column of reports
	groupBy  []string // year and the division columns
	anyValue []string // columns taken from the first report that names them (province_code, province)
}

var (
	sqlWhere    = regexp.MustCompile(`^WHERE ([a-z_]+)$`)
	sqlGroupBy  = regexp.MustCompile(`^GROUP BY ([a-z_, ]+)$`)
	sqlAnyValue = regexp.MustCompile(`any_value\(([a-z_]+)\) AS ([a-z_]+)`)
)

func (t *docTable) rollupSpec() (rollupSpec, error) {
	var s rollupSpec
	for _, l := range t.sql {
		l = strings.TrimSpace(l)
		if m := sqlWhere.FindStringSubmatch(l); m != nil {
			s.filter = m[1]
		}
		if m := sqlGroupBy.FindStringSubmatch(l); m != nil {
			s.groupBy = strings.Split(m[1], ", ")
		}
		for _, m := range sqlAnyValue.FindAllStringSubmatch(l, -1) {
			if m[1] != m[2] {
				return s, fmt.Errorf("%s: any_value(%s) AS %s: the test expects a column of the same name", t.name, m[1], m[2])
			}
			s.anyValue = append(s.anyValue, m[1])
		}
	}
	if s.filter == "" || len(s.groupBy) == 0 {
		return s, fmt.Errorf("%s: its ```sql block has no WHERE <column> or GROUP BY line", t.name)
	}
	return s, nil
}
