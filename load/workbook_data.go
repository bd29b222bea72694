package load

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/govreports/govreports/transform"
)

// The workbook reads nothing but the finished Arrow records, through the typed views below. A view
// holds the record's columns, never copies of its rows; the per-report index arrays are a few
// bytes per report.

// colReader fetches typed columns of one record and keeps the first error.
type colReader struct {
	rec   arrow.RecordBatch
	table string
	err   error
}

func readCol[T arrow.Array](r *colReader, name string) T {
	var zero T
	if r.err != nil {
		return zero
	}
	idx := r.rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		r.err = fmt.Errorf("load: workbook: %s has no column %s", r.table, name)
		return zero
	}
	a, ok := r.rec.Column(idx[0]).(T)
	if !ok {
		r.err = fmt.Errorf("load: workbook: %s.%s holds %s", r.table, name, r.rec.Column(idx[0]).DataType())
		return zero
	}
	return a
}

// numCol reads a count (int64) or an amount (decimal) column as a measure.
func numCol(r *colReader, name string) arrow.Array {
	if r.err != nil {
		return nil
	}
	idx := r.rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		r.err = fmt.Errorf("load: workbook: %s has no column %s", r.table, name)
		return nil
	}
	a := r.rec.Column(idx[0])
	switch a.(type) {
	case *array.Int64, *array.Decimal128:
		return a
	}
	r.err = fmt.Errorf("load: workbook: %s.%s holds %s", r.table, name, a.DataType())
	return nil
}

// cellNumber is the cell value of a measure: an int64 count, a float64 amount in 万元, or nil for
// null (shown blank, never 0).
func cellNumber(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	if f, ok := a.(*array.Float64); ok {
		return f.Value(i)
	}
	n, err := int64At(a, i)
	if err != nil {
		return nil
	}
	if _, ok := a.(*array.Decimal128); ok {
		return float64(n) / transform.AmountScale
	}
	return n
}

// optString reads a nullable string column; null reads as "".
func optString(a *array.String, i int) string {
	if a.IsNull(i) {
		return ""
	}
	return a.Value(i)
}

// reportView is one year partition of the reports table.
type reportView struct {
	n                                                         int
	id, body, city, scope, unit, source, format, version, sha *array.String
	role, roleOf                                              *array.String
	inRollup                                                  *array.Boolean
	t2                                                        [transform.NumT2]arrow.Array
	t4                                                        [transform.NumT4]arrow.Array
	errors, warnings, infos                                   *array.Int64
	confidence                                                *array.Float64
	readT2, readT3, readT4                                    *array.String
}

func newReportView(rec arrow.RecordBatch) (reportView, error) {
	r := &colReader{rec: rec, table: TableReports}
	v := reportView{
		n:        int(rec.NumRows()),
		id:       readCol[*array.String](r, "report_id"),
		body:     readCol[*array.String](r, "body"),
		city:     readCol[*array.String](r, "city"),
		scope:    readCol[*array.String](r, "scope"),
		unit:     readCol[*array.String](r, "unit"),
		source:   readCol[*array.String](r, "source_path"),
		sha:      readCol[*array.String](r, "source_sha256"),
		format:   readCol[*array.String](r, "format"),
		version:  readCol[*array.String](r, "format_version"),
		role:     readCol[*array.String](r, "role"),
		roleOf:   readCol[*array.String](r, "role_of"),
		inRollup: readCol[*array.Boolean](r, "in_rollup"),
		errors:   readCol[*array.Int64](r, "errors"),
		warnings: readCol[*array.Int64](r, "warnings"),
		infos:    readCol[*array.Int64](r, "infos"),

		confidence: readCol[*array.Float64](r, "confidence_score"),
		readT2:     readCol[*array.String](r, "read_table2"),
		readT3:     readCol[*array.String](r, "read_table3"),
		readT4:     readCol[*array.String](r, "read_table4"),
	}
	for i, f := range transform.T2 {
		v.t2[i] = numCol(r, f.Flat())
	}
	for i := range transform.NumT4 {
		v.t4[i] = numCol(r, transform.T4Flat(i))
	}
	return v, r.err
}

// bodyName is the report's body, or a stand-in naming its file when no body was identified.
func (v *reportView) bodyName(i int) string {
	if b := optString(v.body, i); b != "" {
		return b
	}
	return "（未识别单位：" + v.source.Value(i) + "）"
}

// appView is one year partition of the applications table.
type appView struct {
	n                 int
	id, rowKey, label *array.String
	derived           *array.Boolean
	vals              [transform.NumT3Cols]*array.Int64
	rowOf             map[string]int // row key → index in transform.T3Rows
}

func newAppView(rec arrow.RecordBatch) (appView, error) {
	r := &colReader{rec: rec, table: TableApplications}
	v := appView{
		n:       int(rec.NumRows()),
		id:      readCol[*array.String](r, "report_id"),
		rowKey:  readCol[*array.String](r, "row_key"),
		label:   readCol[*array.String](r, "row_label"),
		derived: readCol[*array.Boolean](r, "derived"),
		rowOf:   t3RowIndex,
	}
	for c, col := range transform.T3Cols {
		v.vals[c] = readCol[*array.Int64](r, col.Key)
	}
	return v, r.err
}

// row returns the Table 3 row index of applications row i.
func (v *appView) row(i int) (int, error) {
	row, ok := v.rowOf[v.rowKey.Value(i)]
	if !ok {
		return 0, fmt.Errorf("load: workbook: applications: unknown row_key %q", v.rowKey.Value(i))
	}
	return row, nil
}

var t3RowIndex = func() map[string]int {
	m := make(map[string]int, transform.NumT3Rows)
	for i, r := range transform.T3Rows {
		m[r.Key] = i
	}
	return m
}()

// findingView is one year partition of the findings table.
type findingView struct {
	n                                                   int
	id, rule, severity, message, culprit, status, place *array.String
	cells                                               *array.List
	cellText                                            *array.String
}

func newFindingView(rec arrow.RecordBatch) (findingView, error) {
	r := &colReader{rec: rec, table: TableFindings}
	v := findingView{
		n:        int(rec.NumRows()),
		id:       readCol[*array.String](r, "report_id"),
		rule:     readCol[*array.String](r, "rule"),
		severity: readCol[*array.String](r, "severity"),
		message:  readCol[*array.String](r, "message"),
		culprit:  readCol[*array.String](r, "culprit"),
		status:   readCol[*array.String](r, "status"),
		place:    readCol[*array.String](r, "place"),
		cells:    readCol[*array.List](r, "cells"),
	}
	if r.err == nil {
		s, ok := v.cells.ListValues().(*array.String)
		if !ok {
			return v, fmt.Errorf("load: workbook: findings.cells holds %s", v.cells.DataType())
		}
		v.cellText = s
	}
	return v, r.err
}

// cellPaths returns the cell paths of finding i.
func (v *findingView) cellPaths(i int) []string {
	if v.cells.IsNull(i) {
		return nil
	}
	start, end := v.cells.ValueOffsets(i)
	out := make([]string, 0, end-start)
	for j := start; j < end; j++ {
		out = append(out, v.cellText.Value(int(j)))
	}
	return out
}

// Severity ranks: higher is worse; 0 is no finding.
const (
	rankNone = iota
	rankInfo
	rankWarning
	rankError
)

func severityRank(s string) int {
	switch transform.Severity(s) {
	case transform.SevError:
		return rankError
	case transform.SevWarning:
		return rankWarning
	case transform.SevInfo:
		return rankInfo
	}
	return rankNone
}

// rollupView is one year partition of rollup_city.
type rollupView struct {
	n        int
	city     *array.String
	reports  *array.Int64
	measures map[string]arrow.Array
}

func newRollupView(rec arrow.RecordBatch) (*rollupView, error) {
	r := &colReader{rec: rec, table: TableRollupCity}
	v := &rollupView{
		n:        int(rec.NumRows()),
		city:     readCol[*array.String](r, "city"),
		reports:  readCol[*array.Int64](r, "reports"),
		measures: map[string]arrow.Array{},
	}
	for _, m := range rollupMeasures {
		v.measures[m.name] = numCol(r, m.name)
	}
	return v, r.err
}

// rejectView is the rejects table, all parts.
type rejectView struct {
	parts []rejectPart
	n     int
}

type rejectPart struct {
	path, sha, stage, place, reason *array.String
	bytes                           *array.Int64
}

func newRejectView(t Table) (rejectView, error) {
	var v rejectView
	for _, p := range t.Parts {
		r := &colReader{rec: p.Record, table: TableRejects}
		part := rejectPart{
			path:   readCol[*array.String](r, "path"),
			sha:    readCol[*array.String](r, "sha256"),
			stage:  readCol[*array.String](r, "stage"),
			place:  readCol[*array.String](r, "place"),
			reason: readCol[*array.String](r, "reason"),
			bytes:  readCol[*array.Int64](r, "bytes"),
		}
		if r.err != nil {
			return v, r.err
		}
		v.parts = append(v.parts, part)
		v.n += int(p.Record.NumRows())
	}
	return v, nil
}

// each calls fn for every reject in table order.
func (v *rejectView) each(fn func(p *rejectPart, i int) error) error {
	for k := range v.parts {
		p := &v.parts[k]
		for i := range p.path.Len() {
			if err := fn(p, i); err != nil {
				return err
			}
		}
	}
	return nil
}

// unknownCity is how a group of reports without an identified city is named.
const unknownCity = "未识别城市"

// cityName names a city group for display.
func cityName(city string) string {
	if city == "" {
		return unknownCity
	}
	return city
}

// cityGroup is the reports of one city in one year.
type cityGroup struct {
	city    string  // "" when not identified
	members []int32 // reports counted in the rollup, in sheet order
	outside []int32 // reports of the city left out of the rollup (regional summaries)
	rollup  int     // row in the rollup record; -1 when none of the city's reports is in it
}

// yearView is everything one workbook shows: one year's partitions of every table.
type yearView struct {
	year int
	rep  reportView
	app  appView
	fnd  findingView
	roll *rollupView // nil when no report of the year is in the rollup

	byID     map[string]int32 // report_id → report index
	order    []int32          // report indices in sheet order: city (unidentified last), body, source
	pos      []int32          // report index → its position in order
	appRange [][2]int32       // report index → [start, end) of its applications rows
	fndRange [][2]int32       // report index → [start, end) of its findings rows
	cities   []cityGroup
}

func partOf(t *Tables, name string, year int) (arrow.RecordBatch, error) {
	tb, ok := t.Table(name)
	if !ok {
		return nil, fmt.Errorf("load: workbook: no %s table", name)
	}
	for _, p := range tb.Parts {
		if p.Year == year {
			return p.Record, nil
		}
	}
	return nil, nil
}

func newYearView(t *Tables, year int) (*yearView, error) {
	v := &yearView{year: year}
	rec, err := partOf(t, TableReports, year)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, fmt.Errorf("load: workbook: no reports for %s", partitionName(year))
	}
	if v.rep, err = newReportView(rec); err != nil {
		return nil, err
	}
	if rec, err = partOf(t, TableApplications, year); err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, fmt.Errorf("load: workbook: no applications for %s", partitionName(year))
	}
	if v.app, err = newAppView(rec); err != nil {
		return nil, err
	}
	// A year without findings has no findings partition: an empty view stands in.
	if rec, err = partOf(t, TableFindings, year); err != nil {
		return nil, err
	}
	if rec != nil {
		if v.fnd, err = newFindingView(rec); err != nil {
			return nil, err
		}
	}
	if rec, err = partOf(t, TableRollupCity, year); err != nil {
		return nil, err
	}
	if rec != nil {
		if v.roll, err = newRollupView(rec); err != nil {
			return nil, err
		}
	}
	if err := v.index(); err != nil {
		return nil, err
	}
	return v, nil
}

// index sorts the reports for the sheets and finds each report's rows in the other tables.
func (v *yearView) index() error {
	n := v.rep.n
	byID := make(map[string]int32, n)
	for i := range n {
		byID[v.rep.id.Value(i)] = int32(i)
	}
	v.byID = byID
	var err error
	if v.appRange, err = ranges(n, v.app.n, v.app.id, byID, TableApplications); err != nil {
		return err
	}
	if v.fnd.n > 0 {
		if v.fndRange, err = ranges(n, v.fnd.n, v.fnd.id, byID, TableFindings); err != nil {
			return err
		}
	} else {
		v.fndRange = make([][2]int32, n)
	}

	v.order = make([]int32, n)
	for i := range v.order {
		v.order[i] = int32(i)
	}
	r := &v.rep
	slices.SortFunc(v.order, func(a, b int32) int {
		ca, cb := r.city.Value(int(a)), r.city.Value(int(b))
		if (ca == "") != (cb == "") {
			return cmp.Compare(boolInt(ca == ""), boolInt(cb == ""))
		}
		return cmp.Or(
			strings.Compare(ca, cb),
			strings.Compare(optString(r.body, int(a)), optString(r.body, int(b))),
			strings.Compare(r.source.Value(int(a)), r.source.Value(int(b))),
			strings.Compare(optString(r.unit, int(a)), optString(r.unit, int(b))),
			strings.Compare(r.id.Value(int(a)), r.id.Value(int(b))),
		)
	})
	v.pos = make([]int32, n)
	for p, i := range v.order {
		v.pos[i] = int32(p)
	}

	rollupRow := map[string]int{}
	if v.roll != nil {
		for i := range v.roll.n {
			rollupRow[v.roll.city.Value(i)] = i
		}
	}
	for _, i := range v.order {
		city := r.city.Value(int(i))
		if len(v.cities) == 0 || v.cities[len(v.cities)-1].city != city {
			row, ok := rollupRow[city]
			if !ok {
				row = -1
			}
			v.cities = append(v.cities, cityGroup{city: city, rollup: row})
		}
		g := &v.cities[len(v.cities)-1]
		if r.inRollup.Value(int(i)) {
			g.members = append(g.members, i)
		} else {
			g.outside = append(g.outside, i)
		}
	}
	for _, g := range v.cities {
		if (g.rollup >= 0) != (len(g.members) > 0) {
			return fmt.Errorf("load: workbook: rollup_city and reports disagree on city %q", g.city)
		}
		if g.rollup >= 0 && v.roll.reports.Value(g.rollup) != int64(len(g.members)) {
			return fmt.Errorf("load: workbook: rollup_city counts %d reports for city %q, reports has %d",
				v.roll.reports.Value(g.rollup), g.city, len(g.members))
		}
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ranges finds each report's rows in a table written in report order: one contiguous run per report.
func ranges(reports, rows int, ids *array.String, byID map[string]int32, table string) ([][2]int32, error) {
	out := make([][2]int32, reports)
	seen := make([]bool, reports)
	for j := 0; j < rows; {
		id := ids.Value(j)
		i, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("load: workbook: %s row %d names unknown report %q", table, j, id)
		}
		if seen[i] {
			return nil, fmt.Errorf("load: workbook: %s rows of report %q are not contiguous", table, id)
		}
		seen[i] = true
		start := j
		for j < rows && ids.Value(j) == id {
			j++
		}
		out[i] = [2]int32{int32(start), int32(j)}
	}
	return out, nil
}

// cellRef locates a cell path (table2.rules.issued, …) in the canonical tables.
type cellRef struct {
	table int // 2, 3 or 4
	idx   int // T2 or T4 index; T3 row
	col   int // T3 column
}

var cellRefs = func() map[string]cellRef {
	m := map[string]cellRef{}
	for i, f := range transform.T2 {
		m[f.Path()] = cellRef{table: 2, idx: i}
	}
	for r := range transform.NumT3Rows {
		for c := range transform.NumT3Cols {
			m[transform.T3Path(r, c)] = cellRef{table: 3, idx: r, col: c}
		}
	}
	for i := range transform.NumT4 {
		m[transform.T4Path(i)] = cellRef{table: 4, idx: i}
	}
	return m
}()

// cellLabel names a cell path in Chinese, as the form prints it; an unknown path is shown as is.
func cellLabel(path string) string {
	ref, ok := cellRefs[path]
	if !ok {
		return path
	}
	switch ref.table {
	case 2:
		return transform.T2[ref.idx].Label()
	case 3:
		return t3Label(ref.idx, ref.col)
	}
	return transform.T4Label(ref.idx)
}

// t2Applies says whether a report of format version states Table 2 field i: the 2019 trial format
// prints the legacy fields and the three 处理决定数量 it shares with 2021; any other format prints
// the 2021 fields.
func t2Applies(i int, version string) bool {
	f := transform.T2[i]
	if version == transform.Gov2019 {
		return f.Version == transform.Gov2019 || f.Col == "decisions"
	}
	return f.Version != transform.Gov2019
}

// t3Applies says whether a report of format version states Table 3 row: the 2019 trial format has
// no (六) sub-rows, the others have all rows (other_total derived in 2021).
func t3Applies(row int, version string) bool {
	if version == transform.Gov2019 {
		return row != transform.RowOtherNoCorrection && row != transform.RowOtherFeeUnpaid &&
			row != transform.RowOtherOther
	}
	return true
}

// int64At reads a count, or an amount in millionths of 万元, as int64.
func int64At(a arrow.Array, i int) (int64, error) {
	switch a := a.(type) {
	case *array.Int64:
		return a.Value(i), nil
	case *array.Decimal128:
		v := a.Value(i)
		if !v.FitsInPrecision(amountPrecision) {
			return 0, fmt.Errorf("amount exceeds decimal(%d,6)", amountPrecision)
		}
		// Within 18 digits the value is its low 64 bits in two's complement.
		return int64(v.LowBits()), nil
	}
	return 0, fmt.Errorf("cannot sum a column of %s", a.DataType())
}

// roleText says in Chinese how report i counts in the rollups, naming the report its role refers to.
func (v *yearView) roleText(i int) string {
	r := &v.rep
	other := func() string {
		if j, ok := v.byID[optString(r.roleOf, i)]; ok {
			return r.bodyName(int(j)) + "（" + r.source.Value(int(j)) + "）"
		}
		return optString(r.roleOf, i)
	}
	switch r.role.Value(i) {
	case transform.RoleCounted.String():
		return "计入汇总"
	case transform.RoleContained.String():
		return "已含在" + other() + "的汇总报告中"
	case transform.RoleDuplicate.String():
		return "重复：同一单位同年度的报告" + other() + "已计入"
	case transform.RoleExcluded.String():
		return "按用户设置不计入"
	}
	return r.role.Value(i)
}
