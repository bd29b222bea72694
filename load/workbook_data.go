package load

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/govreports/govreports/transform"
)

// The workbook holds no year in memory. The pass that writes the tables gathers a few facts per
// report (runFacts: the year's reports, their sort keys, the widths of the text columns); each
// sheet then reads the reports it shows afresh, in its own order, through transform.Reports, and
// shows them exactly as the tables hold them (valid, optString, valueNumber). Besides the reports,
// a workbook reads the batch stage's decisions, findings and rollups and the run's rejects.

// valid makes s valid UTF-8, as every string column of the tables is written (appendString).
func valid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// valueNumber is the cell value of a number as the tables hold it: an int64 count, a float64
// amount in 万元, or nil when the report states no number (shown blank, never 0).
func valueNumber(v *transform.Value, amount bool) any {
	if !v.Kind.Known() {
		return nil
	}
	if amount {
		return float64(v.N) / transform.AmountScale
	}
	return v.N
}

// sumNumber is the cell value of a rollup sum, as rollup_city holds it.
func sumNumber(s transform.Sum, amount bool) any {
	if !s.Valid {
		return nil
	}
	if amount {
		return float64(s.N) / transform.AmountScale
	}
	return s.N
}

// hashSet holds strings by a 128-bit hash: a few bytes each, however long the strings.
type hashSet map[[16]byte]struct{}

func newIDSet() hashSet { return hashSet{} }

// add adds s and reports whether it was new.
func (h hashSet) add(s string) bool {
	f := fnv.New128a()
	f.Write([]byte(s))
	var k [16]byte
	f.Sum(k[:0])
	if _, ok := h[k]; ok {
		return false
	}
	h[k] = struct{}{}
	return true
}

// Text columns whose width the pass measures over each year's reports, capped (see textWidth).
const (
	wCity = iota
	wBody
	wScope
	wLevel
	wInRollup
	wRole
	wVersion
	wFormat
	wSourceUnit
	wReads
	wID
	wSource
	numWidths
)

// maxMeasured is where measuring a column's width stops: textWidth gives its widest column from
// there on.
const maxMeasured = 58

// runFacts is what the pass over the reports gathers for the workbooks.
type runFacts struct {
	batch   *transform.Batch
	years   map[int]*yearFacts
	sources hashSet // distinct source files of the reports
	reports int64
	// named holds the name and source of every report another report's role names.
	named map[int]*namedReport
	reads []string // the texts of confFact.reads
	// units holds, for every report, what 报送情况 shows of it (unitFacts), in a file in dir ("":
	// the system's temporary folder): 报送情况 reads them in its own order, and reading the
	// reports back costs a read and a decoding of 32 KB each.
	dir   string
	units *unitFile
	err   error // the first error writing units
}

type namedReport struct {
	year             int
	name, source, id string
}

// yearFacts is what the pass gathers about one year's reports.
type yearFacts struct {
	year int
	idx  []int32 // the year's reports, indices into Reports, in input order
	// keys holds each report's sort key (see sortKey), keys[ends[k-1]:ends[k]] the k-th; they are
	// dropped once the year's order is known.
	keys    []byte
	ends    []uint32
	widths  [numWidths]int
	legacy  [transform.NumT2]bool // some report of the year states the Table 2 field
	conf    []confFact            // per report
	roles   map[roleRef]bool      // the roles of the year's reports, for the width of 汇总角色
	gov2019 int                   // reports of the 2019 trial format
}

type roleRef struct {
	role transform.Role
	of   int
	city bool // in rollup_city
}

func newRunFacts(b *transform.Batch) *runFacts {
	f := &runFacts{batch: b, years: map[int]*yearFacts{}, sources: hashSet{}, named: map[int]*namedReport{}}
	for _, d := range b.Decisions {
		if d.Of >= 0 {
			f.named[d.Of] = nil
		}
	}
	return f
}

// add records report i of the run. The batch stage's findings of the report are read by the
// sheets that show them (yearView.report).
func (f *runFacts) add(b *transform.Batch, r *transform.Report, i int) {
	y := f.years[r.Year]
	if y == nil {
		y = &yearFacts{year: r.Year, roles: map[roleRef]bool{}}
		f.years[r.Year] = y
	}
	f.reports++
	// The confidence as 各单位一览 shows it: of the report as read, whose findings are its own.
	conf := r.Confidence()
	decision := b.Decisions[i]
	w := wbReport{r: r, d: decision, findings: r.Findings, conf: &conf}
	source := w.source()
	f.sources.add(source)
	if _, ok := f.named[i]; ok {
		f.named[i] = &namedReport{year: r.Year, name: strings.Clone(w.bodyName()), source: strings.Clone(source),
			id: strings.Clone(w.id())}
	}
	f.addUnit(i, &w)

	y.idx = append(y.idx, int32(i))
	y.keys = appendSortKey(y.keys, &w)
	y.ends = append(y.ends, uint32(len(y.keys)))
	measure := func(c int, s string) {
		if y.widths[c] < maxMeasured {
			y.widths[c] = min(max(y.widths[c], displayWidth(s)), maxMeasured)
		}
	}
	measure(wCity, cityName(w.city()))
	measure(wBody, w.bodyName())
	measure(wScope, w.scopeText())
	measure(wLevel, w.level())
	measure(wInRollup, yesNo(w.inRollup()))
	measure(wVersion, named(versionNames, w.version()))
	measure(wFormat, w.format())
	measure(wSourceUnit, w.sourceUnit())
	reads := readsText(&conf)
	measure(wReads, reads)
	y.conf = append(y.conf, confFact{score: conf.Score, reads: f.readsCode(reads)})
	measure(wID, w.id())
	measure(wSource, source)
	y.roles[roleOf(decision)] = true
	if w.version() == transform.Gov2019 {
		y.gov2019++
	}
	for k, fld := range transform.T2 {
		if fld.Version == transform.Gov2019 && r.T2[k].Known() {
			y.legacy[k] = true
		}
	}
}

// confFact is a report's confidence as 各单位一览 shows it, kept from the pass that gathers the
// facts: computing it walks every cell of the report through maps.
type confFact struct {
	score float64
	reads uint8 // index into runFacts.reads; readsUnknown when it is not there
}

const readsUnknown = 255

// readsCode numbers the texts of how the tables were read: a few dozen at most.
func (f *runFacts) readsCode(text string) uint8 {
	for k, t := range f.reads {
		if t == text {
			return uint8(k)
		}
	}
	if len(f.reads) == readsUnknown {
		return readsUnknown
	}
	f.reads = append(f.reads, text)
	return uint8(len(f.reads) - 1)
}

// sortKey orders a year's reports for the sheets: the city group (unidentified last; its name,
// then its code), body, source, unit, id. The city group is the rollup_city row the report belongs
// to (see cityGroup). Each part is escaped (0 → 0 1) and ended
// by 0 0, so that comparing the keys as bytes compares the parts as strings, one after the other.
func appendSortKey(b []byte, w *wbReport) []byte {
	group := w.cityGroup()
	if group.Name == "" {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	for _, s := range []string{group.Name, group.Code, w.body(), w.source(), w.unit(), w.id()} {
		for i := range len(s) {
			b = append(b, s[i])
			if s[i] == 0 {
				b = append(b, 1)
			}
		}
		b = append(b, 0, 0)
	}
	return b
}

// keyParts reads the first n parts of a sort key and where they end.
func keyParts(key []byte, n int) ([]string, int) {
	var parts []string
	var cur []byte
	i := 1
	for ; i < len(key) && len(parts) < n; i++ {
		if key[i] == 0 {
			if key[i+1] == 0 {
				parts = append(parts, string(cur))
				cur = cur[:0]
				i++
				continue
			}
			i++ // an escaped 0
			cur = append(cur, 0)
			continue
		}
		cur = append(cur, key[i])
	}
	return parts, i
}

// keyGroup reads the city group back out of a sort key.
func keyGroup(key []byte) transform.Area {
	parts, _ := keyParts(key, 2)
	return transform.Area{Name: parts[0], Code: parts[1]}
}

// wbReport is one report as the workbook shows it.
type wbReport struct {
	r        *transform.Report
	d        transform.Decision
	findings []transform.Finding // its own, then the batch stage's
	conf     *transform.Confidence
	place    *transform.Place // PlaceOf, found once
	fact     *confFact        // the confidence, when the facts kept it
}

// placeOf is where the report's body sits (transform.PlaceOf), found once.
func (w *wbReport) placeOf() *transform.Place {
	if w.place == nil {
		p := transform.PlaceOf(w.r)
		w.place = &p
	}
	return w.place
}

// score is the confidence's score.
func (w *wbReport) score() float64 {
	if w.fact != nil {
		return w.fact.score
	}
	return w.confidence().Score
}

func (w *wbReport) confidence() *transform.Confidence {
	if w.conf == nil {
		c := w.r.Confidence()
		w.conf = &c
	}
	return w.conf
}

func (w *wbReport) city() string { return valid(w.r.City) }

// cityGroup is the row of rollup_city the report belongs to, as the batch stage groups it: the
// city its body is placed in, or, for a body not placed, the city its report prints. A
// municipality's own body (北京市人民政府) sits at the province level, above its city, but the
// municipality is its city (Place.City): it shows in that city's group, outside its rollup.
func (w *wbReport) cityGroup() transform.Area {
	place := w.placeOf()
	a := place.City
	if place.Placed() && place.Level != transform.RegionProvince {
		a = place.Area(transform.RegionCity)
	}
	return transform.Area{Code: valid(a.Code), Name: valid(a.Name)}
}
func (w *wbReport) body() string { return valid(w.r.Body) }

// scopeText is the report's scope in Chinese (本机关, 本级汇总, 全市汇总, …).
func (w *wbReport) scopeText() string { return scopeText(w.scope(), w.placeOf()) }

// level is the level and kind of the report's body in Chinese (市政府, 县（区）级部门, …).
func (w *wbReport) level() string { return unitLevel(w.placeOf()) }

func (w *wbReport) scope() string   { return valid(w.r.Scope) }
func (w *wbReport) unit() string    { return valid(w.r.Unit) }
func (w *wbReport) source() string  { return valid(w.r.Source.Path) }
func (w *wbReport) sha256() string  { return valid(w.r.Source.SHA256) }
func (w *wbReport) format() string  { return valid(string(w.r.Source.Format)) }
func (w *wbReport) version() string { return valid(formatVersion(w.r)) }
func (w *wbReport) id() string      { return valid(w.r.ID) }
func (w *wbReport) inRollup() bool  { return w.d.In.Has(transform.RegionCity) }

// bodyName is the report's body, or a stand-in naming its file when no body was identified.
func (w *wbReport) bodyName() string {
	if b := w.body(); b != "" {
		return b
	}
	return "（未识别单位：" + w.source() + "）"
}

// sourceUnit is the source file, with the row of a collection workbook.
func (w *wbReport) sourceUnit() string {
	if u := w.unit(); u != "" {
		return w.source() + "（" + u + "）"
	}
	return w.source()
}

// count counts the findings of a severity.
func (w *wbReport) count(s transform.Severity) int64 {
	n := int64(0)
	for i := range w.findings {
		if w.findings[i].Severity == s {
			n++
		}
	}
	return n
}

// readsText says how the three tables were read.
func readsText(c *transform.Confidence) string {
	return named(readNames, valid(c.Tables["table2"])) + "/" + named(readNames, valid(c.Tables["table3"])) + "/" +
		named(readNames, valid(c.Tables["table4"]))
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

// runView is what the whole run contributes to every workbook: its counts and its rejects, which
// have no year.
type runView struct {
	opt     Options
	in      *Input
	facts   *runFacts
	years   []int // years with reports, in partition order (unknown last)
	inputs  int   // distinct input files: the sources of all reports, and the rejects
	reports int64 // reports of all years
	rejects int
}

func newRunView(facts *runFacts, in *Input, opt Options) *runView {
	if opt.SchemaVersion == "" {
		opt.SchemaVersion = SchemaVersion
	}
	if opt.CreatedBy == "" {
		opt.CreatedBy = "govreports"
	}
	run := &runView{opt: opt, in: in, facts: facts, reports: facts.reports, rejects: len(in.Rejects)}
	for y := range facts.years {
		run.years = append(run.years, y)
	}
	slices.SortFunc(run.years, partSort)
	run.inputs = len(facts.sources) + run.rejects
	return run
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
	outside []int32 // reports of the city left out of the rollup (contained, duplicates, excluded)
	rollup  *transform.Rollup
	// counties are the city's rollup_county rows of the year, in their order; own is the city's own
	// level (市本级, Batch.OwnLevel), nil when no report is in it.
	counties []*transform.Rollup
	own      *transform.Rollup
}

// yearView is everything one workbook shows. Reports are numbered within the year (0…n-1, in
// input order); facts.idx maps them to Reports.
type yearView struct {
	year  int
	n     int
	run   *runView
	facts *yearFacts

	order  []int32 // reports in sheet order: city (unidentified last), body, source, unit, id
	pos    []int32 // report → its position in order
	cities []cityGroup
	// notes are remarks for 说明 on what the view could not show (checkCities).
	notes []string
	// roleWidth is the widest 汇总角色 text of the year, capped.
	roleWidth int
}

// newYearView orders the year's reports and groups them by city; the sort keys are dropped.
func newYearView(run *runView, y *yearFacts) (*yearView, error) {
	v := &yearView{year: y.year, n: len(y.idx), run: run, facts: y}
	key := func(k int32) []byte {
		start := uint32(0)
		if k > 0 {
			start = y.ends[k-1]
		}
		return y.keys[start:y.ends[k]]
	}
	v.order = make([]int32, v.n)
	for i := range v.order {
		v.order[i] = int32(i)
	}
	slices.SortStableFunc(v.order, func(a, b int32) int { return bytes.Compare(key(a), key(b)) })
	v.pos = make([]int32, v.n)
	for p, i := range v.order {
		v.pos[i] = int32(p)
	}

	// The year's rollups, decoded for this view alone: the batch keeps them out of the heap.
	cityRollups, err := run.in.Batch.Rollups(y.year, transform.RegionCity)
	if err != nil {
		return nil, fmt.Errorf("load: workbook: %w", err)
	}
	countyRollups, err := run.in.Batch.Rollups(y.year, transform.RegionCounty)
	if err != nil {
		return nil, fmt.Errorf("load: workbook: %w", err)
	}
	ownLevels, err := run.in.Batch.OwnLevel(y.year)
	if err != nil {
		return nil, fmt.Errorf("load: workbook: %w", err)
	}
	rollups := map[transform.Area]*transform.Rollup{}
	for i := range cityRollups {
		g := &cityRollups[i]
		rollups[transform.Area{Code: valid(g.City.Code), Name: valid(g.City.Name)}] = g
	}
	counties := map[transform.Area][]*transform.Rollup{}
	for i := range countyRollups {
		g := &countyRollups[i]
		a := transform.Area{Code: valid(g.City.Code), Name: valid(g.City.Name)}
		counties[a] = append(counties[a], g)
	}
	own := map[transform.Area]*transform.Rollup{}
	for i := range ownLevels {
		g := &ownLevels[i]
		own[transform.Area{Code: valid(g.City.Code), Name: valid(g.City.Name)}] = g
	}
	decisions := run.in.Batch.Decisions
	var prev []byte
	for _, i := range v.order {
		k := key(i)
		if len(v.cities) == 0 || !sameCity(prev, k) {
			group := keyGroup(k)
			v.cities = append(v.cities, cityGroup{city: group.Name, rollup: rollups[group], counties: counties[group],
				own: own[group]})
		}
		prev = k
		g := &v.cities[len(v.cities)-1]
		if decisions[y.idx[i]].In.Has(transform.RegionCity) {
			g.members = append(g.members, i)
		} else {
			g.outside = append(g.outside, i)
		}
	}
	y.keys, y.ends = nil, nil
	v.checkCities(cityRollups)
	for ref := range y.roles {
		v.roleWidth = max(v.roleWidth, min(displayWidth(v.roleTextOf(ref)), maxMeasured))
	}
	return v, nil
}

// checkCities holds each city group to its rollup_city row: the row sums exactly the group's
// members. Where they disagree (the batch stage and the sheets placing some report in two cities),
// the sums shown would not be those of the reports listed: the group shows none, and 说明 says so.
// One odd report must not cost the run its outputs, so this is a note, never an error.
func (v *yearView) checkCities(cityRollups []transform.Rollup) {
	shown := map[*transform.Rollup]bool{}
	for k := range v.cities {
		g := &v.cities[k]
		reports := 0
		if g.rollup != nil {
			shown[g.rollup] = true
			reports = g.rollup.Reports
		}
		if (g.rollup != nil) == (len(g.members) > 0) && reports == len(g.members) {
			continue
		}
		v.notes = append(v.notes, fmt.Sprintf("城市“%s”：rollup_city 计入 %d 份报告，各单位一览计入汇总的有 %d 份，二者不一致，"+
			"本工作簿不显示该市的合计，请核对这些报告的区划识别。", cityName(g.city), reports, len(g.members)))
		g.rollup = nil
	}
	for i := range cityRollups {
		if r := &cityRollups[i]; !shown[r] {
			v.notes = append(v.notes, fmt.Sprintf("城市“%s”：rollup_city 计入的 %d 份报告在各单位一览中没有对应的城市分组，本工作簿未显示其合计。",
				cityName(valid(r.City.Name)), r.Reports))
		}
	}
}

// sameCity reports whether two sort keys start with the same city group.
func sameCity(a, b []byte) bool {
	_, ea := keyParts(a, 2)
	_, eb := keyParts(b, 2)
	return bytes.Equal(a[:ea], b[:eb])
}

// report reads report k of the year, as the tables hold it, through rd: it is valid until rd's
// next read.
func (v *yearView) report(rd *transform.PassReader, k int32) (*wbReport, error) {
	w, err := v.reportOnly(rd, k)
	if err != nil {
		return nil, err
	}
	i := int(v.facts.idx[k])
	r := w.r
	extra, err := v.run.in.Batch.FindingsOf(i)
	if err != nil {
		return nil, fmt.Errorf("load: workbook: %w", err)
	}
	if len(extra) > 0 {
		w.findings = append(r.Findings[:len(r.Findings):len(r.Findings)], extra...)
	}
	return w, nil
}

// reportOnly is report without the batch stage's findings (w.findings holds the report's own
// only), for the sheets that show no finding: reading them back costs a search and a decoding.
func (v *yearView) reportOnly(rd *transform.PassReader, k int32) (*wbReport, error) {
	i := int(v.facts.idx[k])
	r, err := rd.At(i)
	if err != nil {
		return nil, fmt.Errorf("load: workbook: report %d: %w", i, err)
	}
	return &wbReport{r: r, d: v.run.in.Batch.Decisions[i], findings: r.Findings, fact: &v.facts.conf[k]}, nil
}

// each calls fn for the reports ks, in that order; findings says whether fn needs the batch
// stage's findings of a report (see reportOnly).
func (v *yearView) each(ks []int32, findings bool, fn func(k int32, w *wbReport) error) error {
	// fn keeps strings and numbers of a report, never the report: one Report serves the pass.
	rd := transform.NewPassReader(v.run.in.Reports)
	read := v.reportOnly
	if findings {
		read = v.report
	}
	for _, k := range ks {
		w, err := read(rd, k)
		if err != nil {
			return err
		}
		if err := fn(k, w); err != nil {
			return err
		}
	}
	return nil
}

// roleText says in Chinese how a report counts in the rollups, naming the report its role
// refers to.
func (v *yearView) roleText(w *wbReport) string { return v.roleTextOf(roleOf(w.d)) }

// roleOf is the part of a decision its text depends on.
func roleOf(d transform.Decision) roleRef {
	ref := roleRef{role: d.Role, of: -1, city: d.In.Has(transform.RegionCity)}
	if d.Role == transform.RoleContained || d.Role == transform.RoleDuplicate {
		ref.of = d.Of
	}
	return ref
}

// reportName names report i (an index into Reports) by its body, or by its id when it is of
// another year.
func (v *yearView) reportName(i int) string {
	n := v.run.facts.named[i]
	switch {
	case n == nil:
		return ""
	case n.year == v.year:
		return n.name
	}
	return n.id
}

// roleTextOf is roleText for a role and the report it names.
func (v *yearView) roleTextOf(ref roleRef) string {
	other := func() string {
		n := v.run.facts.named[ref.of]
		switch {
		case n == nil:
			return ""
		case n.year == v.year:
			return n.name + "（" + n.source + "）"
		}
		return n.id
	}
	switch ref.role {
	case transform.RoleCounted:
		if !ref.city {
			return "计入省级汇总（不属于某一城市）"
		}
		return "计入汇总"
	case transform.RoleContained:
		return "已含在" + other() + "的汇总报告中"
	case transform.RoleDuplicate:
		return "重复：以同一单位同年度的另一份报告" + other() + "为准，本份不计入"
	case transform.RoleExcluded:
		return "按用户设置不计入"
	}
	return valid(ref.role.String())
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
