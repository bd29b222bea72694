package load

import (
	"slices"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/govreports/govreports/transform"
)

// SchemaVersion of the output tables, written into every Parquet file. Columns change append-only:
// appending a column bumps the minor version, anything else the major.
const SchemaVersion = "2.0.0"

// Names of the output tables, which are also their folder names under parquet/.
const (
	TableReports      = "reports"
	TableApplications = "applications"
	TableFindings     = "findings"
	TableRejects      = "rejects"
	TableRollupCity   = "rollup_city"
	TableRollupCounty = "rollup_county"
	TableRollupProv   = "rollup_province"
	TableCells        = "cells"
)

// Field metadata keys carried by every column, in Arrow records and in the schema stored in Parquet.
const (
	MetaLabel       = "label"       // the Chinese label, as analysts know the column
	MetaDescription = "description" // the English meaning
)

// TableSchema describes one output table.
type TableSchema struct {
	Name      string
	Doc       string // what one row is, and the rules that decide its values
	Partition string // how the table's files are laid out
	// ByYear says the files are partitioned by the reporting year (year=YYYY folders); otherwise
	// the table is one folder of files.
	ByYear bool
	Schema *arrow.Schema
}

// The Arrow types used by the tables: plain strings, int64 for counts and years, decimal128(18,6)
// for 万元 amounts so that transform's millionths are stored exactly.
var (
	typeString  = arrow.BinaryTypes.String
	typeInt64   = arrow.PrimitiveTypes.Int64
	typeBool    = arrow.FixedWidthTypes.Boolean
	typeFloat64 = arrow.PrimitiveTypes.Float64
	typeWanYuan = &arrow.Decimal128Type{Precision: amountPrecision, Scale: 6}
	// The element is named "element" because that is the name Parquet gives it: a schema read back
	// from a file then equals the one written.
	typeStrings = arrow.ListOfField(arrow.Field{Name: "element", Type: typeString})
)

// amountPrecision is the number of decimal digits a 万元 amount may have, its six decimals included.
const amountPrecision = 18

// The decimal scale above stores transform's millionths of 万元 unchanged; these fail to compile if
// transform.AmountScale ever differs from 10^6.
var (
	_ [transform.AmountScale - 1_000_000]struct{}
	_ [1_000_000 - transform.AmountScale]struct{}
)

const (
	partitionByYear = "Hive-style by reporting year: `year=YYYY/part-00000.parquet`; rows whose year is " +
		"unknown are in `year=0` (their `year` column is 0 too), so that the partition column is an " +
		"integer in every engine, every night. A partition is one file, or several (`part-00001.parquet`, …) " +
		"in a large run: read the folder."
	partitionNone = "not partitioned: `part-00000.parquet` (and `part-00001.parquet`, … in a large run; a reject has no year)."
)

// column is one column of a table whose rows are built from values of type R. The same definition
// gives the Arrow field, the documentation and the code that appends a row, so they cannot drift.
type column[R any] struct {
	name, label, desc string
	typ               arrow.DataType
	nullable          bool
	// put stages r's value in b.
	put func(b *colBuf, r *R)
}

// tableDef is one output table: its documentation and its columns.
type tableDef[R any] struct {
	name, doc, partition string
	cols                 []column[R]
	schema               *arrow.Schema
}

func newTableDef[R any](name, doc, partition string, cols []column[R]) *tableDef[R] {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{
			Name:     c.name,
			Type:     c.typ,
			Nullable: c.nullable,
			Metadata: arrow.NewMetadata([]string{MetaLabel, MetaDescription}, []string{c.label, c.desc}),
		}
	}
	return &tableDef[R]{name: name, doc: doc, partition: partition, cols: cols, schema: arrow.NewSchema(fields, nil)}
}

func (d *tableDef[R]) info() TableSchema {
	return TableSchema{Name: d.name, Doc: d.doc, Partition: d.partition, ByYear: d.partition != partitionNone, Schema: d.schema}
}

// Schemas returns every output table in the order they are written and documented.
func Schemas() []TableSchema {
	out := make([]TableSchema, len(outputTables))
	for i, t := range outputTables {
		out[i] = t.info()
	}
	return out
}

// Row types of the tables other than rejects.

// reportRow is one report with what the batch stage decided about it and where its body sits.
type reportRow struct {
	*transform.Report
	decision transform.Decision
	conf     *transform.Confidence // computed once for the columns that show it
	place    transform.Place
}

// appRow is one Table 3 row of one report.
type appRow struct {
	r       *transform.Report
	row     int
	derived bool
	vals    *[transform.NumT3Cols]transform.Value
}

type findingRow struct {
	r *transform.Report
	f *transform.Finding
}

// cellRow is one located value of one report.
type cellRow struct {
	r      *transform.Report
	path   int // the position in cellPaths
	amount bool
	v      *transform.Value
}

// rollupRow is one group of a rollup table, as the batch stage summed it; Sums follow
// rollupMeasures, which follow transform.Measures.
type rollupRow = transform.Rollup

// Appenders. Strings are made valid UTF-8 because Parquet readers reject invalid string columns;
// transform's text is UTF-8 already, so this only guards against a reader's bug.

func appendString(b *colBuf, s string) {
	b.dictText(s) // made valid there, once a row group
}

// validAll is items with every string made valid UTF-8: items itself when they all are.
func validAll(items []string) []string {
	for i, s := range items {
		if valid(s) != s {
			out := slices.Clone(items)
			for j := i; j < len(out); j++ {
				out[j] = valid(out[j])
			}
			return out
		}
	}
	return items
}

func appendOptString(b *colBuf, s string) {
	if s == "" {
		b.null(stringNullWidth)
		return
	}
	appendString(b, s)
}

// appendYear writes a year; 0 is the unknown year, as its partition folder says (year=0).
func appendYear(b *colBuf, year int) {
	b.int64(int64(year))
}

// Widths of a null as the row group cut counts it (colBuf.size).
const (
	stringNullWidth  = 4
	int64NullWidth   = 8
	decimalNullWidth = 16
)

// appendNumber writes a count, or an amount in millionths of 万元 as decimal(18,6).
func appendNumber(b *colBuf, n int64, amount bool) {
	if amount {
		b.decimal(n)
		return
	}
	b.int64(n)
}

// appendNull writes the null of a count or an amount column.
func appendNull(b *colBuf, amount bool) {
	if amount {
		b.null(decimalNullWidth)
		return
	}
	b.null(int64NullWidth)
}

// appendValue writes a value's number, or null when the report does not state one: null ≠ 0.
func appendValue(b *colBuf, v *transform.Value, amount bool) {
	if !v.Kind.Known() {
		appendNull(b, amount)
		return
	}
	appendNumber(b, v.N, amount)
}

// Column constructors.

func stringCol[R any](name, label, desc string, get func(*R) string) column[R] {
	return column[R]{name: name, label: label, desc: desc, typ: typeString,
		put: func(b *colBuf, r *R) { appendString(b, get(r)) }}
}

// keyCol is a string column whose values the program makes itself — a cell path, a row key, a
// kind, a method — from its own tables, not from a report's text: valid UTF-8 by construction
// (TestKeysValid), so not checked row by row, which the cells table's millions of rows would pay.
func keyCol[R any](name, label, desc string, get func(*R) string) column[R] {
	return column[R]{name: name, label: label, desc: desc, typ: typeString,
		put: func(b *colBuf, r *R) { b.str(get(r)) }}
}

// enumCol is a keyCol whose values are the entries of a fixed list the program makes (dict), get
// giving the position: written through the list as the column's dictionary (enumDict), which the
// cells table's millions of paths, kinds and methods would otherwise be hashed into one by one.
func enumCol[R any](name, label, desc string, dict *enumDict, get func(*R) int) column[R] {
	return column[R]{name: name, label: label, desc: desc, typ: typeString,
		put: func(b *colBuf, r *R) { b.enumVal(dict, get(r)) }}
}

// Enum lists. A Kind or Method with no name is "?", as its String says: the lists end with it.
var (
	cellPaths   = cellPathList()
	cellPathSet = newEnumDict(cellPaths)
	kindSet     = newEnumDict(namesOf(func(k transform.Kind) string { return k.String() }))
	methodSet   = newEnumDict(namesOf(func(m transform.Method) string { return m.String() }))
	t3KeySet    = newEnumDict(t3RowNames(func(r transform.T3Row) string { return r.Key }))
	t3LabelSet  = newEnumDict(t3RowNames(func(r transform.T3Row) string { return r.CN }))
)

// namesOf lists the names of an enumeration from 0 to the first without one ("?"), then "?".
func namesOf[E ~uint8](name func(E) string) []string {
	var names []string
	for e := E(0); name(e) != "?"; e++ {
		names = append(names, name(e))
	}
	return append(names, "?")
}

// enumIndex is e's position in a list namesOf made: the last, "?", when e has no name.
func enumIndex[E ~uint8](e E, d *enumDict) int {
	return min(int(e), len(d.vals)-1)
}

// cellPathList lists every cell path: Table 2's (t2Paths), then Table 3's row by row, then Table
// 4's; cellPathIndex gives a path's position.
func cellPathList() []string {
	paths := slices.Clone(t2Paths[:])
	for row := range transform.NumT3Rows {
		for col := range transform.NumT3Cols {
			paths = append(paths, transform.T3Path(row, col))
		}
	}
	for i := range transform.NumT4 {
		paths = append(paths, transform.T4Path(i))
	}
	return paths
}

func t3PathIndex(row, col int) int { return len(transform.T2) + row*transform.NumT3Cols + col }

func t4PathIndex(i int) int { return len(transform.T2) + transform.NumT3Rows*transform.NumT3Cols + i }

func t3RowNames(name func(transform.T3Row) string) []string {
	names := make([]string, transform.NumT3Rows)
	for i := range names {
		names[i] = name(transform.T3Rows[i])
	}
	return names
}

// optStringCol writes null for an empty string.
func optStringCol[R any](name, label, desc string, get func(*R) string) column[R] {
	return column[R]{name: name, label: label, desc: desc, typ: typeString, nullable: true,
		put: func(b *colBuf, r *R) { appendOptString(b, get(r)) }}
}

// optAppendCol is an optStringCol whose text get appends to a buffer the column reuses, for text
// made on the fly (a place in the source): a value the row group has seen makes no string.
func optAppendCol[R any](name, label, desc string, get func(r *R, buf []byte) []byte) column[R] {
	return column[R]{name: name, label: label, desc: desc, typ: typeString, nullable: true,
		put: func(b *colBuf, r *R) {
			b.text = get(r, b.text[:0])
			if len(b.text) == 0 {
				b.null(stringNullWidth)
				return
			}
			b.dictTextBytes(b.text)
		}}
}

func int64Col[R any](name, label, desc string, get func(*R) int64) column[R] {
	return column[R]{name: name, label: label, desc: desc, typ: typeInt64,
		put: func(b *colBuf, r *R) { b.int64(get(r)) }}
}

func float64Col[R any](name, label, desc string, get func(*R) float64) column[R] {
	return column[R]{name: name, label: label, desc: desc, typ: typeFloat64,
		put: func(b *colBuf, r *R) { b.float64(get(r)) }}
}

func boolCol[R any](name, label, desc string, get func(*R) bool) column[R] {
	return column[R]{name: name, label: label, desc: desc, typ: typeBool,
		put: func(b *colBuf, r *R) { b.bool(get(r)) }}
}

func yearCol[R any](desc string, get func(*R) int) column[R] {
	return column[R]{name: "year", label: "年度", desc: desc, typ: typeInt64,
		put: func(b *colBuf, r *R) { appendYear(b, get(r)) }}
}

func valueCol[R any](name, label, desc string, amount bool, get func(*R) *transform.Value) column[R] {
	typ := arrow.DataType(typeInt64)
	if amount {
		typ = typeWanYuan
	}
	return column[R]{name: name, label: label, desc: desc, typ: typ, nullable: true,
		put: func(b *colBuf, r *R) { appendValue(b, get(r), amount) }}
}

// Descriptions shared by several tables.
const (
	descReportID = "stable identifier of the report, derived from its content hash (and its row, for " +
		"collection workbooks); unique within a batch; joins every table to reports"
	descBody = "the reporting body as read from the title; null when not identified"
	descCity = "the city of the reporting body; empty (not null) when not identified, shown as 未识别城市 " +
		"in the workbook"
	descYear = "the reporting year (statistical period 1 Jan–31 Dec); 0 when unknown, never null (the " +
		"partition year=0), so that the column is an integer wherever it is read from"
)

// reportID and reportYear are run columns (colBuf.runStr): a report's rows come together and share
// them.
func reportID[R any](get func(*R) *transform.Report) column[R] {
	return column[R]{name: "report_id", label: "报告编号", desc: descReportID, typ: typeString,
		put: func(b *colBuf, r *R) { b.runStr(valid(get(r).ID)) }}
}

func reportBody[R any](get func(*R) *transform.Report) column[R] {
	return optStringCol("body", "报告主体", descBody, func(r *R) string { return get(r).Body })
}

func reportCity[R any](get func(*R) *transform.Report) column[R] {
	return stringCol("city", "城市", descCity, func(r *R) string { return get(r).City })
}

func reportYear[R any](get func(*R) *transform.Report) column[R] {
	return column[R]{name: "year", label: "年度", desc: descYear, typ: typeInt64,
		put: func(b *colBuf, r *R) { b.runInt64(int64(get(r).Year)) }}
}

const reportsDoc = "One row per report read: its identity, its source file, every Table 2 value (the " +
	"2021 fields, then the 2019 trial-format fields), every Table 4 value and its finding counts. A value " +
	"the report does not state (blank, \"/\", \"—\", missing) is null, never 0.\n\n" +
	"**Where the body sits.** `region_*`, `province*`, `city_code`, `county*` and `township*` place the " +
	"body among the administrative divisions (GB/T 2260 codes when known), `body_kind` says what kind of " +
	"body it is and `organ` is its name without its place; a body that could not be placed has " +
	"`region_status` unknown and null divisions.\n\n" +
	"**Scope** (`scope`, with its evidence in `scope_evidence`): `organ` is one organ's own report " +
	"(本机关), `level` the summary of a government's own level — its departments (本级) — and `regional` " +
	"the summary of a whole division, lower governments included (全市, 全区, 全县).\n\n" +
	"**Roles** (`role`, `role_of`), decided by the batch stage so that nothing is counted twice:\n\n" +
	"- `contained`: a summary report of the same year in the batch already includes this one, and " +
	"`role_of` names the deepest such summary. A regional summary of a division includes every report " +
	"placed in the division or below it; a level summary includes the organ reports of its own division " +
	"only. Siblings never contain each other: two districts' summaries both count.\n" +
	"- `duplicate`: another report of the same unit (the same division and organ, or the same division's " +
	"summary of the same scope) and year is counted instead (`role_of`). The one counted has fewer error " +
	"findings, then a higher `confidence_score`, then a revision mark in its title (`version_mark`: 修订版, " +
	"更正版) where the other has none, then comes first in input order. Both stay here; X.DUPLICATE_UNIT says " +
	"which counts and why.\n" +
	"- `excluded`: left out by the user (`--exclude-body`).\n" +
	"- `counted`: none of these.\n\n" +
	"**Rollup membership.** `in_rollup_province`, `in_rollup` (the city level) and `in_rollup_county` say " +
	"which rollup tables sum the report. A counted or contained report rolls up at every level its place " +
	"reaches, except at the level of the summary that contains it and above, which that summary stands " +
	"for: a district's department contained in the city's 全市 summary is in its district's row of " +
	"`rollup_county`, not in `rollup_city`. A report whose body was not placed rolls up at every level " +
	"under the unidentified group (null codes, empty names; the workbook names it 未识别). Duplicates and " +
	"excluded reports roll up nowhere."

func reportColumns() []column[reportRow] {
	type R = reportRow
	self := func(r *R) *transform.Report { return r.Report }
	cols := []column[R]{
		reportID(self),
		reportBody(self),
		reportCity(self),
		reportYear(self),
		optStringCol("scope", "报告范围", "organ: one organ's own work; regional: a region's summary that "+
			"includes its subordinates; null when not determined", func(r *R) string { return r.Scope }),
		boolCol("in_rollup", "计入汇总", "whether rollup_city sums the report: false for a report contained "+
			"in a summary of its city or of a division within it, for a duplicate, for an excluded report and "+
			"for a body placed above the city level",
			func(r *R) bool { return r.decision.In.Has(transform.RegionCity) }),
		optStringCol("title", "报告标题", "the report's title as printed; null when none was found",
			func(r *R) string { return r.Title }),
		optStringCol("unit", "填报单位行", "for a report read from one row of a collection workbook, that "+
			"row (Sheet!5); null otherwise", func(r *R) string { return r.Unit }),
		stringCol("source_path", "来源文件", "path of the input file as given to the run",
			func(r *R) string { return r.Source.Path }),
		stringCol("source_sha256", "来源文件SHA-256", "SHA-256 of the input file's bytes, lowercase hex",
			func(r *R) string { return r.Source.SHA256 }),
		int64Col("source_bytes", "来源文件字节数", "size of the input file in bytes",
			func(r *R) int64 { return r.Source.Bytes }),
		stringCol("format", "文件格式", "container format detected from content: text, html, xlsx or docx",
			func(r *R) string { return string(r.Source.Format) }),
		optStringCol("encoding", "文本编码", "what a text or HTML input was decoded from (utf-8, gb18030, "+
			"utf-16le, …); null for xlsx and docx", func(r *R) string { return r.Source.Encoding }),
		stringCol("format_version", "年报格式版本", "the format of the report's tables: gov2021 "+
			"(国办公开办函〔2021〕30号), gov2019 (the 2019 trial format) or unknown",
			func(r *R) string { return formatVersion(r.Report) }),
	}
	for i := range transform.T2 {
		f := transform.T2[i]
		cols = append(cols, valueCol(f.Flat(), f.Label(), t2Description(f), f.Amount,
			func(r *R) *transform.Value { return &r.T2[i] }))
	}
	for i := range transform.NumT4 {
		cols = append(cols, valueCol(transform.T4Flat(i), transform.T4Label(i), t4Description(i), false,
			func(r *R) *transform.Value { return &r.T4[i] }))
	}
	return append(cols,
		int64Col("errors", "错误数", "number of findings of severity error",
			func(r *R) int64 { return int64(r.Count(transform.SevError)) }),
		int64Col("warnings", "警告数", "number of findings of severity warning",
			func(r *R) int64 { return int64(r.Count(transform.SevWarning)) }),
		int64Col("infos", "提示数", "number of findings of severity info",
			func(r *R) int64 { return int64(r.Count(transform.SevInfo)) }),
		float64Col("confidence_score", "读取可信度", "0–1: the share of the format's cells read, each "+
			"weighted by how it was read (grid 1, reassembled 0.95, decoded from a digit run 0.85, placed by "+
			"row order 0.8), lowered by 0.1 for every failing identity; sort by it to look at doubtful reports first",
			func(r *R) float64 { return r.conf.Score }),
		stringCol("read_table2", "表二读取方式", readDesc("Table 2"), func(r *R) string { return r.conf.Tables["table2"] }),
		stringCol("read_table3", "表三读取方式", readDesc("Table 3"), func(r *R) string { return r.conf.Tables["table3"] }),
		stringCol("read_table4", "表四读取方式", readDesc("Table 4"), func(r *R) string { return r.conf.Tables["table4"] }),
		int64Col("cells_by_identity", "由勾稽关系确定的单元格数", "cells decided by the identities alone: cut "+
			"out of a digit run whose separators were lost, or a row placed by the form's order, and confirmed "+
			"by the report's arithmetic", func(r *R) int64 { return int64(r.conf.ByIdentity) }),
		int64Col("cells_open", "未能确定的单元格数", "cells located but left null because no reading was "+
			"certain (several consistent cuts) or because they hold text",
			func(r *R) int64 { return int64(r.conf.Open) }),
		stringCol("role", "汇总角色", "how the report counts in the rollups, as the batch stage decided: "+
			"counted (in no summary report); contained (a summary report of its division, role_of, is in the "+
			"batch and already includes it); duplicate (another report of the same unit and year, role_of, is "+
			"counted instead); excluded (left out by the user)", func(r *R) string { return r.decision.Role.String() }),
		optStringCol("role_of", "所属汇总报告", "for a contained report the report_id of the summary report "+
			"that includes it; for a duplicate the report_id of the report counted instead; null otherwise",
			func(r *R) string { return r.decision.OfID }),
		optStringCol("region_code", "行政区划代码", "GB/T 2260 code of the division the body belongs to (a "+
			"department's division is its government's); null when not known", func(r *R) string { return r.place.Own().Code }),
		optStringCol("region_level", "行政区划级别", "level of that division: province, city, county (district, "+
			"county, county-level city, development zone) or township; null when the body was not placed",
			func(r *R) string { return regionLevel(r.place.Level) }),
		stringCol("region_status", "区划识别方式", "how the body was placed ("+transform.PlaceByName+": by its "+
			"name and the report's city; the resolver's statuses once it places bodies), or "+transform.PlaceUnknown,
			func(r *R) string { return r.place.Status }),
		optStringCol("province_code", "省级区划代码", "code of the province; null when not known",
			func(r *R) string { return r.place.Area(transform.RegionProvince).Code }),
		optStringCol("province", "省", "the province; null when not known",
			func(r *R) string { return r.place.Area(transform.RegionProvince).Name }),
		optStringCol("city_code", "地级区划代码", "code of the prefecture-level city (a municipality for its "+
			"districts); null when not known", func(r *R) string { return r.place.Area(transform.RegionCity).Code }),
		optStringCol("county_code", "县级区划代码", "code of the county-level division; null when the body "+
			"sits above the county level or its code is not known", func(r *R) string { return r.place.Area(transform.RegionCounty).Code }),
		optStringCol("county", "区县", "the county-level division (district, county, county-level city, "+
			"development zone); null when the body sits above it", func(r *R) string { return r.place.Area(transform.RegionCounty).Name }),
		optStringCol("township_code", "乡级区划代码", "code of the township; null when the body is not a "+
			"township's or the code is not known", func(r *R) string { return r.place.Area(transform.RegionTownship).Code }),
		optStringCol("township", "乡镇街道", "the township or sub-district; null when the body is not a township's",
			func(r *R) string { return r.place.Area(transform.RegionTownship).Name }),
		optStringCol("body_kind", "单位类型", "government (the government of its division, or the division "+
			"named alone), office (its general office), department, township or zone (a development zone's "+
			"administration); null when the body was not identified", func(r *R) string { return r.place.Kind }),
		optStringCol("organ", "机关名称", "the body's name without its place (财政局, 人民政府办公室); null for a "+
			"government", func(r *R) string { return r.place.Organ }),
		optStringCol("scope_evidence", "报告范围依据", "what scope was decided from: alias (the alias file), "+
			"title:<words> (本级, 全市, 汇总 in the title), body (a government summarises its division, any "+
			"other body reports its own work), narrative (section 一, when nothing names the body)",
			func(r *R) string { return r.ScopeBy }),
		optStringCol("version_mark", "版本标注", "the version mark printed with the title (修订版, 超链版) or a "+
			"revision mark in the file name; null when none", func(r *R) string { return r.Version }),
		boolCol("in_rollup_province", "计入省级汇总", "whether rollup_province sums the report",
			func(r *R) bool { return r.decision.In.Has(transform.RegionProvince) }),
		boolCol("in_rollup_county", "计入区县汇总", "whether rollup_county sums the report",
			func(r *R) bool { return r.decision.In.Has(transform.RegionCounty) }),
	)
}

// regionLevel names a level; "" (null) for none.
func regionLevel(l transform.RegionLevel) string {
	if l == transform.RegionNone {
		return ""
	}
	return l.String()
}

func readDesc(table string) string {
	return "how " + table + " was read: grid (cells delimited in the source), reassembled (wrapped " +
		"labels, fragments, one cell per line), decoded (digit runs cut by the identities), placed (rows " +
		"without labels placed by order), or none (not read); the least sure method among its cells"
}

// formatVersion names an undetermined format "unknown", the name report-json.md gives it.
func formatVersion(r *transform.Report) string {
	if r.FormatVersion == "" {
		return transform.Unknown
	}
	return r.FormatVersion
}

const applicationsDoc = "Table 3 (收到和处理政府信息公开申请情况) in long form: one row per report and " +
	"row key, for the 25 printed rows of the 2021 format and `other_total`, with the seven applicant " +
	"columns. Every report has all 26 rows, in the printed order; a value the report does not state is " +
	"null. Join to `reports` on `report_id` (for `in_rollup`).\n\n" +
	"`other_total` ((六)其他处理) is printed as one row by the 2019 trial format and read from it " +
	"(`derived` false). The 2021 format splits it into three sub-rows; for those reports it is derived " +
	"as the sum of the three sub-rows, column by column, and null when any of the three is null. A " +
	"report whose format is unknown is treated as 2021 when it states any of the sub-rows. The three " +
	"sub-rows are null in 2019 reports, so sums over them cover 2021 reports only."

func applicationColumns() []column[appRow] {
	report := func(a *appRow) *transform.Report { return a.r }
	cols := []column[appRow]{
		reportID(report),
		reportBody(report),
		reportCity(report),
		reportYear(report),
		enumCol("row_key", "行键", "canonical key of the Table 3 row (new_received, granted, …)",
			t3KeySet, func(a *appRow) int { return a.row }),
		enumCol("row_label", "行名称", "the row's label as printed on the 2021 form",
			t3LabelSet, func(a *appRow) int { return a.row }),
		boolCol("derived", "是否推算", "true when the row was computed rather than read: other_total of a "+
			"2021-format report, summed from its three sub-rows", func(a *appRow) bool { return a.derived }),
	}
	for c := range transform.NumT3Cols {
		col := transform.T3Cols[c]
		cols = append(cols, valueCol(col.Key, "表三 "+col.CN, "Table 3 applicants: "+english(t3ColEnglish, col.Key),
			false, func(a *appRow) *transform.Value { return &a.vals[c] }))
	}
	return cols
}

const findingsDoc = "One row per finding of a report: a consistency rule that failed, a doubtful " +
	"number, a missing part. Rule ids are those of report-format.md §5."

func findingColumns() []column[findingRow] {
	type R = findingRow
	report := func(f *R) *transform.Report { return f.r }
	return []column[R]{
		reportID(report),
		reportBody(report),
		reportYear(report),
		stringCol("rule", "规则", "the rule id (T3.BALANCE, X.CARRY, …)", func(f *R) string { return f.f.Rule }),
		stringCol("severity", "严重程度", "error, warning or info", func(f *R) string { return string(f.f.Severity) }),
		stringCol("message", "说明", "what was found, in words", func(f *R) string { return f.f.Message }),
		{name: "cells", label: "涉及单元格", typ: typeStrings,
			desc: "the cell paths the finding concerns (table3.granted.total, …); empty when none",
			put:  func(b *colBuf, f *R) { b.strList(validAll(f.f.Cells)) }},
		optStringCol("culprit", "疑似错误单元格", "the probable culprit: the one cell on every failing "+
			"equation whose correction fixes them all; null when there is none",
			func(f *R) string { return f.f.Culprit }),
		optStringCol("status", "评估状态", "how the rule was evaluated: fail, fail_assuming_blank_zero, "+
			"not_assessable, uncertain; null when not a rule evaluation", func(f *R) string { return f.f.Status }),
		optStringCol("place", "位置", "where in the source the finding points (12:5, Sheet1!C12, …); null "+
			"when it points at no single place", func(f *R) string { return f.f.Place }),
	}
}

const rejectsDoc = "One row per input that produced no report: unreadable, not a report, no tables " +
	"found. The batch goes on without it; the run summary carries the same list."

func rejectColumns() []column[Reject] {
	return []column[Reject]{
		stringCol("path", "文件", "path of the input file as given to the run", func(r *Reject) string { return r.Path }),
		optStringCol("sha256", "SHA-256", "SHA-256 of the file's bytes, lowercase hex; null when the file "+
			"could not be read", func(r *Reject) string { return r.SHA256 }),
		int64Col("bytes", "字节数", "size of the file in bytes", func(r *Reject) int64 { return r.Bytes }),
		stringCol("stage", "阶段", "the stage that gave up on the file (extract, transform, …)",
			func(r *Reject) string { return r.Stage }),
		optStringCol("place", "位置", "where in the file reading failed (12:5, Sheet1!C12, …); null when "+
			"the whole file is at fault", func(r *Reject) string { return r.Place }),
		stringCol("reason", "原因", "why the file was rejected", func(r *Reject) string { return r.Reason }),
	}
}

// rollupSQL is the GROUP BY every rollup table equals, given its filter and grouping columns.
func rollupSQL(filter, groupBy string, anyValue bool) string {
	sel := groupBy
	if anyValue {
		sel += ",\n       any_value(province_code) AS province_code, any_value(province) AS province," +
			"  -- of the first report that names them"
	} else {
		sel += ","
	}
	return "```sql\n" +
		"SELECT " + sel + "\n" +
		"       count(*) AS reports,\n" +
		"       sum(t2_rules_issued) AS t2_rules_issued, …        -- every t2_ and t4_ column of reports\n" +
		"FROM reports\n" +
		"WHERE " + filter + "\n" +
		"GROUP BY " + groupBy + "\n" +
		"-- t3_<row>_<column>: sum(<column>) FILTER (WHERE row_key = '<row>') over applications joined to\n" +
		"-- reports on report_id, with the same WHERE and GROUP BY\n" +
		"```\n\n"
}

const rollupCommon = "Sums follow SQL SUM: nulls are ignored and a sum over nulls only is null. The 2021 " +
	"sub-rows of (六)其他处理 sum over 2021 reports only; `t3_other_total_*` covers every format. Which " +
	"reports a level sums is decided by the batch stage and written in `reports` (see its roles): a report " +
	"contained in a summary report is summed at the levels below the summary's only, so no number is " +
	"counted twice and no division with reports is left out. Reports whose body was not placed form the " +
	"unidentified group (未识别): null codes and names (`city` is empty, as in `reports`). A value so large " +
	"that adding it would leave int64 (a report printing absurd numbers) is left out of every level's sum " +
	"of that measure, with an `H.OVERFLOW` error on its report naming the cell: there the rollup is the " +
	"GROUP BY without those values. Rows are ordered by year, then code and name."

var (
	rollupProvinceDoc = "Per province and year, the measures of the reports with `in_rollup_province` summed: " +
		"every Table 2 field, every Table 3 cell (`t3_<row>_<column>`, `other_total` included) and every Table 4 " +
		"field. It equals\n\n" + rollupSQL("in_rollup_province", "year, province_code, province", false) + rollupCommon
	rollupCityDoc = "Per prefecture-level city and year, the measures of the reports with `in_rollup` summed, " +
		"like rollup_province. It equals\n\n" + rollupSQL("in_rollup", "year, city_code, city", true) +
		"An unidentified city has the empty name, as in `reports`. " + rollupCommon
	rollupCountyDoc = "Per county-level division (district, county, county-level city, development zone) and " +
		"year, the measures of the reports with `in_rollup_county` summed, like rollup_province. Bodies placed " +
		"above the county level (a city's own departments) are in no row: `rollup_city` holds them. It equals\n\n" +
		rollupSQL("in_rollup_county", "year, city_code, city, county_code, county", true) +
		rollupCommon
)

// measure is one summed column of rollup_city: a reports column or a Table 3 cell.
type measure struct {
	name, label, desc string
	amount            bool
	t3Row, t3Col      int // the Table 3 cell; t3Row is -1 for a reports column
}

// rollupMeasures describe transform.Measures, the columns the batch stage sums, in their order.
var rollupMeasures = func() []measure {
	ms := make([]measure, len(transform.Measures))
	for i, m := range transform.Measures {
		ms[i] = measure{name: m.Name, amount: m.Amount, t3Row: m.T3Row, t3Col: m.T3Col}
		switch {
		case m.T2 >= 0:
			ms[i].label, ms[i].desc = transform.T2[m.T2].Label(), t2Description(transform.T2[m.T2])+"; summed"
		case m.T3Row >= 0:
			ms[i].label, ms[i].desc = t3Label(m.T3Row, m.T3Col), t3Description(m.T3Row, m.T3Col)+"; summed"
		default:
			ms[i].label, ms[i].desc = transform.T4Label(m.T4), t4Description(m.T4)+"; summed"
		}
	}
	return ms
}()

// measureColumns are the summed columns of a rollup table, in the order of transform.Measures.
func measureColumns() []column[rollupRow] {
	type R = rollupRow
	var cols []column[R]
	for i, m := range rollupMeasures {
		typ := arrow.DataType(typeInt64)
		if m.amount {
			typ = typeWanYuan
		}
		cols = append(cols, column[R]{name: m.name, label: m.label, desc: m.desc, typ: typ, nullable: true,
			put: func(b *colBuf, g *R) {
				if s := g.Sums[i]; s.Valid {
					appendNumber(b, s.N, m.amount)
				} else {
					appendNull(b, m.amount)
				}
			}})
	}
	return cols
}

func rollupReports(filter string) column[rollupRow] {
	return int64Col("reports", "报告数", "number of reports summed (those with "+filter+")",
		func(g *rollupRow) int64 { return int64(g.Reports) })
}

// Columns naming a rollup's divisions.
func provinceCols() []column[rollupRow] {
	return []column[rollupRow]{
		optStringCol("province_code", "省级区划代码", "code of the province; null when not known",
			func(g *rollupRow) string { return g.Province.Code }),
		optStringCol("province", "省", "the province; null when not known",
			func(g *rollupRow) string { return g.Province.Name }),
	}
}

func cityCodeCol() column[rollupRow] {
	return optStringCol("city_code", "地级区划代码", "code of the city; null when not known",
		func(g *rollupRow) string { return g.City.Code })
}

func cityNameCol() column[rollupRow] {
	return stringCol("city", "城市", descCity, func(g *rollupRow) string { return g.City.Name })
}

func rollupProvinceColumns() []column[rollupRow] {
	cols := append(provinceCols(), yearCol(descYear, func(g *rollupRow) int { return g.Year }),
		rollupReports("in_rollup_province"))
	return append(cols, measureColumns()...)
}

// rollupCityColumns keep the order of schema 1.1 (city, year, reports, the measures); the codes and
// the province were appended in 1.2.
func rollupCityColumns() []column[rollupRow] {
	cols := []column[rollupRow]{cityNameCol(), yearCol(descYear, func(g *rollupRow) int { return g.Year }),
		rollupReports("in_rollup")}
	cols = append(cols, measureColumns()...)
	return append(append(cols, cityCodeCol()), provinceCols()...)
}

func rollupCountyColumns() []column[rollupRow] {
	cols := append(provinceCols(), cityCodeCol(), cityNameCol(),
		optStringCol("county_code", "县级区划代码", "code of the county-level division; null when not known",
			func(g *rollupRow) string { return g.County.Code }),
		optStringCol("county", "区县", "the county-level division; null for the unidentified group",
			func(g *rollupRow) string { return g.County.Name }),
		yearCol(descYear, func(g *rollupRow) int { return g.Year }),
		rollupReports("in_rollup_county"))
	return append(cols, measureColumns()...)
}

const cellsDoc = "Provenance: one row per value located in a report, whatever it held (a number, an " +
	"explicit 0, a blank, \"/\", text), with the text as printed and the place it was read from. A value " +
	"the report does not have at all is not a row, nor is a derived value."

func cellColumns() []column[cellRow] {
	type R = cellRow
	report := func(c *R) *transform.Report { return c.r }
	return []column[R]{
		reportID(report),
		reportYear(report),
		enumCol("path", "单元格路径", "the cell's canonical path: table2.<row>.<column>, "+
			"table3.<row>.<column> or table4.<block>.<outcome>", cellPathSet, func(c *R) int { return c.path }),
		enumCol("kind", "内容类型", "what the cell held: numeric, zero, empty, na or text", kindSet,
			func(c *R) int { return enumIndex(c.v.Kind, kindSet) }),
		{name: "value", label: "数值", typ: typeInt64, nullable: true,
			desc: "the count; null unless kind is numeric or zero, and null for 万元 amounts",
			put: func(b *colBuf, c *R) {
				if c.amount {
					b.null(int64NullWidth)
					return
				}
				appendValue(b, c.v, false)
			}},
		{name: "value_wan_yuan", label: "金额（万元）", typ: typeWanYuan, nullable: true,
			desc: "the amount in 万元 for amount cells; null unless kind is numeric or zero, and null for counts",
			put: func(b *colBuf, c *R) {
				if !c.amount {
					b.null(decimalNullWidth)
					return
				}
				appendValue(b, c.v, true)
			}},
		stringCol("raw", "原文", "the cell text as printed, whitespace normalised; empty for a blank cell",
			func(c *R) string { return c.v.Raw }),
		optAppendCol("source", "来源位置", "where the value was read: line:column of a text file, "+
			"Sheet!C12 of a workbook, table/row/cell of HTML or DOCX; null when unknown",
			func(c *R, buf []byte) []byte { return c.v.Pos.AppendTo(buf) }),
		enumCol("method", "读取方式", "how the value was read: grid (a delimited cell), reassembled (a "+
			"table rebuilt from fragments), decoded (cut from a digit run by the identities), placed (a "+
			"row placed by order)", methodSet, func(c *R) int { return enumIndex(c.v.Method, methodSet) }),
	}
}

// The tables, defined once.
var (
	reportsTable        = newTableDef(TableReports, reportsDoc, partitionByYear, reportColumns())
	applicationsTable   = newTableDef(TableApplications, applicationsDoc, partitionByYear, applicationColumns())
	findingsTable       = newTableDef(TableFindings, findingsDoc, partitionByYear, findingColumns())
	rejectsTable        = newTableDef(TableRejects, rejectsDoc, partitionNone, rejectColumns())
	rollupProvinceTable = newTableDef(TableRollupProv, rollupProvinceDoc, partitionByYear, rollupProvinceColumns())
	rollupCityTable     = newTableDef(TableRollupCity, rollupCityDoc, partitionByYear, rollupCityColumns())
	rollupCountyTable   = newTableDef(TableRollupCounty, rollupCountyDoc, partitionByYear, rollupCountyColumns())
	cellsTable          = newTableDef(TableCells, cellsDoc, partitionByYear, cellColumns())
)

// outputTables are the tables Write writes, in the order they are written and documented, each
// with where its rows come from.
var outputTables = []outputTable{
	&tableSpec[reportRow]{def: reportsTable, fromReport: reportRows},
	&tableSpec[appRow]{def: applicationsTable, fromReport: applicationRows, alone: true},
	&tableSpec[findingRow]{def: findingsTable, fromReport: findingRows},
	&tableSpec[Reject]{def: rejectsTable, fromRun: rejectRows},
	&tableSpec[rollupRow]{def: rollupProvinceTable, fromRun: rollupRows(transform.RegionProvince)},
	&tableSpec[rollupRow]{def: rollupCityTable, fromRun: rollupRows(transform.RegionCity)},
	&tableSpec[rollupRow]{def: rollupCountyTable, fromRun: rollupRows(transform.RegionCounty)},
	&tableSpec[cellRow]{def: cellsTable, fromReport: cellRows, alone: true},
}

// reportRows is the reports row of a report.
func reportRows(rc *reportCtx, emit func(*reportRow)) {
	emit(&reportRow{Report: rc.r, decision: rc.decision, conf: &rc.conf, place: transform.PlaceOf(rc.r)})
}

// applicationRows are the Table 3 rows of a report, all of them, in the printed order.
func applicationRows(rc *reportCtx, emit func(*appRow)) {
	r := rc.r
	a := &appRow{r: r} // reused, as in cellRows
	for row := range transform.NumT3Rows {
		a.row, a.vals, a.derived = row, &r.T3[row], row == transform.RowOtherTotal && rc.derived
		emit(a)
	}
}

// findingRows are a report's findings, its batch findings after its own.
func findingRows(rc *reportCtx, emit func(*findingRow)) {
	f := &findingRow{r: rc.r} // reused, as in cellRows
	for i := range rc.r.Findings {
		f.f = &rc.r.Findings[i]
		emit(f)
	}
}

// rejectRows are the inputs that gave no report. A reject has no year.
func rejectRows(in *Input, emit func(int, *Reject), _ func(int) error) error {
	for i := range in.Rejects {
		emit(0, &in.Rejects[i])
	}
	return nil
}

// t2Paths caches transform.T2[i].Path(), which builds the string on every call: the cells table
// would build one for every Table 2 value of every report.
var t2Paths = func() (p [len(transform.T2)]string) {
	for i := range transform.T2 {
		p[i] = transform.T2[i].Path()
	}
	return p
}()

// cellRows are one provenance row per located value. A derived other_total is not located.
func cellRows(rc *reportCtx, emit func(*cellRow)) {
	r := rc.r
	// One row is reused: emit stages its values before it returns and keeps no pointer to it, and
	// a row allocated afresh for each of the cells table's millions of values is garbage.
	row := &cellRow{r: r}
	add := func(path int, amount bool, v *transform.Value) {
		if v.Kind != transform.Absent {
			row.path, row.amount, row.v = path, amount, v
			emit(row)
		}
	}
	for i := range r.T2 {
		add(i, transform.T2[i].Amount, &r.T2[i])
	}
	for row := range r.T3 {
		if row == transform.RowOtherTotal && rc.derived {
			continue
		}
		for col := range r.T3[row] {
			add(t3PathIndex(row, col), false, &r.T3[row][col])
		}
	}
	for i := range r.T4 {
		add(t4PathIndex(i), false, &r.T4[i])
	}
}
