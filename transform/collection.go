package transform

// Collection workbooks (report-format.md §7.6): provincial and municipal platforms export one row
// per reporting unit and one column per measure, under one to several header rows whose merged
// cells group the columns ("一、本年新收政府信息公开申请数量" over seven columns, then 自然人 /
// 法人或其他组织 / 总计, then the five organisation types), or under flat headers such as
// "本年新收-自然人". Identity columns (单位名称, 所属城市, 年度) say whose row it is.
//
// The reader emits such a sheet as an ordinary grid table; whether it is a collection is decided
// here, where the labels are known: a table is a collection table when its header columns map to
// at least minMappedColumns canonical cells and it has a column that names the units. Each header
// column's path (the distinct header texts above it, top to bottom, flat headers split at their
// separators) is cut in two, a row part and a column part, and given to the shared label matchers;
// the first cut that a matcher accepts decides the column.
//
// Every unit row becomes one Report (Unit "Sheet!row"); a unit that appears in several collection
// tables of one workbook (Table 2 on one sheet, Table 3 on another) gets the values of all of them.
// Rows naming no unit, and rows of totals (合计, 总计), are not units. Rules are left to check.

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govreports/govreports/extract"
)

const (
	// minMappedColumns is how many header columns must map to canonical cells before a table is
	// taken for a collection; the official Table 2/3/4 grids map none this way, because their
	// row labels are in rows, not in the header.
	minMappedColumns = 3
	// maxHeaderRows bounds the header above the first unit row.
	maxHeaderRows = 6
	// ctxEvery is how many unit rows are read between two looks at the context.
	ctxEvery = 64
)

// colTarget is the canonical cell a collection column holds.
type colTarget struct {
	table int  // 2, 3 or 4; 0 for a column that is not a measure
	index int  // T2 field; T3 row*NumT3Cols+col; T4 value
	yuan  bool // a Table 2 amount whose header gives the unit as 元
}

// label names the target in a finding's message.
func (t colTarget) label() string {
	switch t.table {
	case 2:
		return T2[t.index].Label()
	case 3:
		return t3CellLabel(t.index/NumT3Cols, t.index%NumT3Cols)
	case 4:
		return T4Label(t.index)
	}
	return ""
}

// Identity columns.
const (
	idNone = iota
	idBody
	idCity
	idYear
	idCounty // 县（区）: the county-level division, a placing hint
	idCode   // 单位编码, 统一社会信用代码: an identifier, neither a name nor a measure
)

// collectionTable is a table recognised as a collection.
type collectionTable struct {
	block    *extract.Block
	first    int // index of the first row below the header
	paths    [][]string
	targets  []colTarget
	identity []int
	body     int // column naming the unit
	city     int // -1 when absent
	county   int // -1 when absent
	year     int // -1 when absent
	// sheetYear is the year the table's sheet name or title states (一个年度一张表), 0 for none.
	sheetYear int
	mapped    int
	unmapped  []int // columns with a header that maps to nothing
	dups      []int // columns that repeat the target of an earlier column
	skip      map[int]bool
}

// collectionReports reads every collection table of doc into one report per unit. ok is false when
// doc holds no collection table; the caller then reads it as one report.
func collectionReports(ctx context.Context, doc *extract.Document, opt Options) ([]*Report, bool, error) {
	var tables []*collectionTable
	for i := range doc.Blocks {
		if ctx.Err() != nil {
			return nil, true, ctx.Err()
		}
		b := &doc.Blocks[i]
		if b.Kind != extract.Table {
			continue
		}
		if ct := detectCollection(b); ct != nil {
			tables = append(tables, ct)
		}
	}
	if len(tables) == 0 {
		return nil, false, nil
	}
	docYear := documentYear(doc, tables)
	tableYears(tables)
	var reps []*Report
	byUnit := map[string]*Report{}
	tableOf := map[*Report]*collectionTable{}
	for _, ct := range tables {
		totals := findTotals(ct)
		for r := ct.first; r < len(ct.block.Rows); r++ {
			if (r-ct.first)%ctxEvery == 0 && ctx.Err() != nil {
				return nil, true, ctx.Err()
			}
			if ct.skip[r] || totals != nil && totals.at(r) {
				continue
			}
			row := ct.block.Rows[r]
			body := trimSpace(cellAt(row, ct.body).Text)
			if body == "" || isTotalsLabel(body) || isGroupHeading(ct, row, body) {
				continue
			}
			city := trimSpace(cellAt(row, ct.city).Text)
			year := cmp.Or(ct.sheetYear, docYear)
			if y := yearOf(cellAt(row, ct.year).Text); y != 0 {
				year = y
			}
			key := normLabel(body) + "\x00" + normLabel(city) + "\x00" + strconv.Itoa(year)
			rep, seen := byUnit[key]
			if !seen || tableOf[rep] == ct {
				rep = newUnitReport(doc, ct, r, body, city, countyHint(cellAt(row, ct.county).Text), year, opt)
				reps = append(reps, rep)
				byUnit[key] = rep
			}
			tableOf[rep] = ct
			readUnitRow(rep, ct, r)
			if totals != nil {
				totals.addUnit(ct, row, rep)
			}
		}
		if totals != nil {
			totals.check(ct)
		}
	}
	if len(reps) == 0 {
		ct := tables[0]
		return nil, true, &extract.Error{Path: doc.Source.Path, Place: ct.block.Pos.String(),
			Err: fmt.Errorf("%w: a collection table (one row per unit) whose rows name no unit", extract.ErrNoContent)}
	}
	notes := indexNotes(doc.Notes, tables)
	for i, rep := range reps {
		if i%ctxEvery == 0 && ctx.Err() != nil {
			return nil, true, ctx.Err()
		}
		rep.addNotes(notes.unitNotes(rep))
		rep.FormatVersion = collectionVersion(rep)
		rep.DeriveOtherTotal()
		check(rep)
	}
	return reps, true, nil
}

// detectCollection recognises a collection table; nil when b is not one.
func detectCollection(b *extract.Block) *collectionTable {
	rows := b.Rows
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	if len(rows) < 2 || width < minMappedColumns+1 {
		return nil
	}
	ct := &collectionTable{block: b, body: -1, city: -1, county: -1, year: -1, skip: map[int]bool{}}
	ct.first = -1
	for r := 0; r < len(rows) && r <= maxHeaderRows; r++ {
		if isColumnNumbering(rows[r]) {
			ct.skip[r] = true
			continue
		}
		if numbers, texts := countKinds(rows[r]); numbers >= 2 && numbers >= texts {
			ct.first = r
			break
		}
	}
	if ct.first <= 0 {
		return nil
	}
	ct.paths = make([][]string, width)
	ct.targets = make([]colTarget, width)
	ct.identity = make([]int, width)
	for c := 0; c < width; c++ {
		ct.paths[c] = headerPath(rows[:ct.first], c, ct.skip, false)
	}
	stripCommonPrefix(ct.paths)
	// "/" joins levels in some exports ("一、本年新收…/自然人") but also words (本年增/减): a path is
	// split at it only when it maps to nothing unsplit.
	var slashed [][]string
	seen := map[colTarget]bool{}
	for c := 0; c < width; c++ {
		if len(ct.paths[c]) == 0 {
			continue
		}
		t, ok := mapColumn(ct.paths[c])
		if !ok && hasSlash(ct.paths[c]) {
			if slashed == nil {
				slashed = make([][]string, width)
				for c := range slashed {
					slashed[c] = headerPath(rows[:ct.first], c, ct.skip, true)
				}
				stripCommonPrefix(slashed)
			}
			if len(slashed[c]) > 0 {
				t, ok = mapColumn(slashed[c])
			}
		}
		if ok {
			if seen[colTarget{table: t.table, index: t.index}] {
				ct.dups = append(ct.dups, c)
				continue
			}
			seen[colTarget{table: t.table, index: t.index}] = true
			ct.targets[c] = t
			ct.mapped++
			continue
		}
		// The lowest label names an identity column; labels above it are titles or groups.
		ct.identity[c] = identityColumn(ct.paths[c][len(ct.paths[c])-1])
		for k := len(ct.paths[c]) - 2; k >= 0 && ct.identity[c] == idNone; k-- {
			// A group heading over the first units (一、市直部门) is taken into the header when no
			// number stands beside it: the identity label is then above it.
			ct.identity[c] = identityColumn(ct.paths[c][k])
		}
		switch ct.identity[c] {
		case idBody:
			if ct.body < 0 {
				ct.body = c
			}
		case idCity:
			if ct.city < 0 {
				ct.city = c
			}
		case idYear:
			if ct.year < 0 {
				ct.year = c
			}
		case idCounty:
			if ct.county < 0 {
				ct.county = c
			}
		case idCode:
		default:
			if !isSerialHeader(ct.paths[c]) {
				ct.unmapped = append(ct.unmapped, c)
			}
		}
	}
	if ct.mapped < minMappedColumns {
		return nil
	}
	if ct.body < 0 {
		ct.body = namesColumn(ct)
	}
	if ct.body < 0 {
		return nil
	}
	for c, id := range ct.identity {
		// A second names, city or county column holding numbers is a measure whose header read
		// as an identity: say it was not read rather than drop it silently.
		if (id == idBody || id == idCity || id == idCounty) && c != ct.body && c != ct.city && c != ct.county && numericColumn(ct, c) {
			ct.unmapped = append(ct.unmapped, c)
		}
	}
	return ct
}

// numericColumn reports whether most of the first unit rows hold a number in column c.
func numericColumn(ct *collectionTable, c int) bool {
	numbers, cells := 0, 0
	for r := ct.first; r < len(ct.block.Rows) && cells < 20; r++ {
		t := trimSpace(cellAt(ct.block.Rows[r], c).Text)
		if t == "" || ct.skip[r] {
			continue
		}
		cells++
		if k := parseNumber(t, false, false).kind; k == Numeric || k == Zero {
			numbers++
		}
	}
	return cells > 0 && 2*numbers > cells
}

// headerPath lists the distinct texts above column c, top to bottom; flat headers are split at
// their separators ("本年新收-自然人" → 本年新收, 自然人).
func headerPath(header [][]extract.Cell, c int, skip map[int]bool, slash bool) []string {
	var path []string
	prev := ""
	for r, row := range header {
		if skip[r] {
			continue
		}
		t := trimSpace(cellAt(row, c).Text)
		if t == "" || t == prev {
			continue // the lower rows of a range merged downwards
		}
		if unitNote.MatchString(t) {
			continue // 单位：件 says how the column counts, not what: it names neither a measure nor the units
		}
		prev = t
		// The levels of one flat cell are all kept: in "其他处理-其他-其他" the row 其他 and the
		// column 其他 are two labels.
		path = append(path, splitFlatHeader(t, slash)...)
	}
	return path
}

// unitNote is a header cell giving the unit of measure: 单位：件, 计量单位：万元, （单位：件）.
var unitNote = regexp.MustCompile(`^[（(]?(?:计量)?单位\s*[:：]`)

// stripCommonPrefix drops the leading labels every column shares, such as a title row merged
// over the whole header: they name the table, not a measure, and would otherwise be read as part
// of every row label. Every path keeps at least its last label.
func stripCommonPrefix(paths [][]string) {
	n := -1
	var first []string
	for _, p := range paths {
		if len(p) == 0 {
			continue
		}
		if n < 0 {
			first, n = p, len(p)-1
			continue
		}
		k := 0
		for k < n && k < len(p)-1 && p[k] == first[k] {
			k++
		}
		n = k
	}
	if n <= 0 {
		return
	}
	for i, p := range paths {
		if len(p) > 0 {
			paths[i] = p[n:]
		}
	}
}

// flatSeparators join the levels of a flat header. "/" is not one: it belongs to 本年增/减; it is
// split at by slashSplit when the caller asks.
var flatSeparators = regexp.MustCompile(`\s*(?:--|——|-|－|—|_|＿|\||｜|›|»|>|＞|→)\s*`)

// splitFlatHeader splits a header cell into its levels: at the separators, at "/" too when slash
// is set, and before a trailing parenthesised column word ("本年新收申请数（自然人）", "规章（本年
// 制发件数）"), the form 行标签（列标签） some exports use.
func splitFlatHeader(s string, slash bool) []string {
	var out []string
	for _, p := range flatSeparators.Split(s, -1) {
		parts := []string{p}
		if slash {
			parts = slashSplit(p)
		}
		for _, p := range parts {
			head, col := splitParenColumn(trimSpace(p))
			if head != "" {
				out = append(out, head)
			}
			if col != "" {
				out = append(out, col)
			}
		}
	}
	return out
}

// slashSplit splits s at every "/" or "／" but the one of 增/减, which is a word, not two levels.
func slashSplit(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if r != '/' && r != '／' {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s[:i], " "))
		after, _ := utf8.DecodeRuneInString(strings.TrimLeft(s[i+utf8.RuneLen(r):], " "))
		if before == '增' && after == '减' {
			continue
		}
		out = append(out, s[start:i])
		start = i + utf8.RuneLen(r)
	}
	return append(out, s[start:])
}

func hasSlash(path []string) bool {
	for _, p := range path {
		if strings.ContainsAny(p, "/／") {
			return true
		}
	}
	return false
}

// splitParenColumn cuts a trailing parenthesised part off s when it is a column label (a Table 3
// applicant column, a Table 2 column, a Table 4 outcome) and something stands before it; otherwise
// head is s and col is empty. A parenthesis that qualifies the label (区分处理的…, 万元) stays.
func splitParenColumn(s string) (head, col string) {
	if !strings.HasSuffix(s, "）") && !strings.HasSuffix(s, ")") {
		return s, ""
	}
	depth := 0
	for i := len(s); i > 0; {
		r, w := utf8.DecodeLastRuneInString(s[:i])
		i -= w
		switch r {
		case '）', ')':
			depth++
		case '（', '(':
			depth--
		}
		if depth > 0 {
			continue
		}
		_, cw := utf8.DecodeLastRuneInString(s)
		head, inner := trimSpace(s[:i]), trimSpace(s[i+w:len(s)-cw])
		if head == "" || inner == "" || !isColumnLabel(inner) {
			return s, ""
		}
		return head, inner
	}
	return s, ""
}

// isColumnLabel tells a label that names a column of one of the tables.
func isColumnLabel(s string) bool {
	if isT3ColumnWord(s) {
		return true
	}
	if _, _, ok := matchT2Col(s); ok {
		return true
	}
	n := normLabel(s)
	for _, w := range t4Outcomes {
		if strings.HasPrefix(n, w) {
			return true // an outcome word opens the label; 其他 inside a qualifier is not one
		}
	}
	return false
}

// mapColumn gives a header path to the label matchers. For Table 3 the path is cut after its row
// label: the shortest row part whose remainder is all column words (法人或其他组织 / 商业企业, or
// 自然人), so that a column group word ("法人或其他组织" holds 其他) is not taken for part of the
// row label; longer row parts are tried next, so that a group heading above the row label
// ("（六）其他处理" over "3.其他") is kept, and a row label that reads like a column word ("（七）总计")
// is not lost.
// Tables 4 and 2 name their column in the lowest header label alone; everything above it is the
// block or row label.
func mapColumn(path []string) (colTarget, bool) {
	last := path[len(path)-1]
	for k := 1; k < len(path); k++ {
		if !allT3Columns(path[k:]) {
			continue
		}
		row, okRow := matchT3Row(strings.Join(path[:k], " "), -1)
		if !okRow && isResultsTotal(path[:k]) {
			row, okRow = RowTotalProcessed, true
		}
		if okRow && row == RowOtherTotal && k >= 2 && isBareColumnWord(path[k-1]) && !strings.Contains(normLabel(path[k-1]), "计") {
			row = RowOtherOther // "其他处理 / 其他": the 3.其他 row written without its number
		}
		col, okCol := matchT3Col(last)
		if okRow && okCol {
			return colTarget{table: 3, index: row*NumT3Cols + col}, true
		}
	}
	above := strings.Join(path[:len(path)-1], " ")
	if len(path) >= 2 {
		if i, ok := matchT4(above, last); ok {
			return colTarget{table: 4, index: i}, true
		}
		if f, ok := matchT2(above, last); ok {
			_, yuan, _ := matchT2Col(last)
			return colTarget{table: 2, index: f, yuan: yuan}, true
		}
	}
	// The row label written straight before the column label, with no separator
	// ("规章本年制发件数", "行政复议结果维持"): the column label is cut off the end of the lowest
	// label, and what stands before it must name the row.
	if row, col, ok := cutT2Column(last); ok {
		if f, ok := matchT2(above+" "+row, col); ok {
			_, yuan, _ := matchT2Col(col)
			return colTarget{table: 2, index: f, yuan: yuan}, true
		}
	}
	if row, col, ok := cutT4Outcome(last); ok {
		if i, ok := matchT4(above+" "+row, col); ok {
			return colTarget{table: 4, index: i}, true
		}
	}
	return colTarget{}, false
}

// cutT2Column splits a label at the start of its Table 2 column word; ok is false when the word
// is not there or nothing stands before it.
func cutT2Column(label string) (row, col string, ok bool) {
	s := normLabel(label)
	for _, f := range t2ColFragments {
		if i := strings.Index(s, f.text); i > 0 {
			return s[:i], s[i:], true
		}
	}
	return "", "", false
}

// t4Outcomes are the words that start a Table 4 outcome label.
var t4Outcomes = []string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "合计"}

// cutT4Outcome splits a label at the start of its Table 4 outcome word, the last one in the label.
func cutT4Outcome(label string) (row, col string, ok bool) {
	s := normLabel(label)
	best := -1
	for _, w := range t4Outcomes {
		if i := strings.LastIndex(s, w); i > best {
			best = i
		}
	}
	if best <= 0 {
		return "", "", false
	}
	return s[:best], s[best:], true
}

// isResultsTotal tells the （七）总计 row written as the total of the 办理结果 block without its
// number ("办理结果总计", "本年度办理结果-合计").
func isResultsTotal(labels []string) bool {
	n := normLabel(strings.Join(labels, ""))
	return strings.Contains(n, "办理结果") && (strings.HasSuffix(n, "总计") || strings.HasSuffix(n, "合计"))
}

func allT3Columns(labels []string) bool {
	for i, l := range labels {
		if !isT3ColumnWord(l) {
			return false
		}
		if i < len(labels)-1 && isBareColumnWord(l) {
			return false // 其他 or 总计 above another column word is a row (其他处理 / 其他), not a group
		}
	}
	return true
}

func isBareColumnWord(l string) bool {
	switch normLabel(l) {
	case "总计", "合计", "小计", "其他", "其它":
		return true
	}
	return false
}

// isT3ColumnWord tells an applicant column label (自然人, 法人或其他组织, 总计) from a row label that
// merely holds one: "逾期不补正（自然人）" names the 2021 row 逾期不补正, and taking it for the
// column would put its values on the 2019 row （六）其他处理 above it.
func isT3ColumnWord(l string) bool {
	if _, ok := matchT3Col(l); !ok {
		return false
	}
	if isBareColumnWord(l) {
		return true // bare column words the row matcher also reads as rows
	}
	_, isRow := matchT3Row(l, -1)
	return !isRow
}

// identityColumn classifies a header that is not a measure.
func identityColumn(header string) int {
	h := normLabel(header)
	switch {
	case h == "":
		return idNone
	case strings.Contains(h, "年度") || strings.Contains(h, "年份") || h == "年":
		return idYear
	case strings.Contains(h, "城市") || strings.Contains(h, "地市") || strings.Contains(h, "市州") || h == "市" || h == "所属市":
		return idCity
	case strings.Contains(h, "代码") || strings.Contains(h, "编码") || strings.Contains(h, "编号"):
		return idCode // 单位编码 names no unit: the name is in its own column
	case strings.Contains(h, "单位") || strings.Contains(h, "名称") || h == "机关" || h == "部门" || h == "报告主体":
		return idBody
	case utf8.RuneCountInString(h) <= 10 && strings.Contains(h, "县") || countyHeaders[h]:
		return idCounty // 县（区）, 县市区, 所属区县
	}
	return idNone
}

// countyHeaders name a county column without saying 县.
var countyHeaders = map[string]bool{"区": true, "地区": true, "区域": true, "所属区域": true, "所属地区": true,
	"区划": true, "行政区划": true, "所属区划": true, "市区": true}

func isSerialHeader(path []string) bool {
	h := normLabel(path[len(path)-1])
	return h == "序号" || h == "编号" || h == "行次" || h == "栏次"
}

// namesColumn finds the column that names the units when no header says so: the leftmost
// non-measure column whose unit rows hold distinct text that is not a number, in two rows at least.
func namesColumn(ct *collectionTable) int {
	for c := range ct.targets {
		if ct.targets[c].table != 0 {
			return -1 // names come before the measures
		}
		names := map[string]bool{}
		rows := 0
		for r := ct.first; r < len(ct.block.Rows); r++ {
			if ct.skip[r] {
				continue
			}
			rows++
			t := trimSpace(cellAt(ct.block.Rows[r], c).Text)
			if t != "" && parseNumber(t, false, false).kind == Text && !isTotalsLabel(t) {
				names[t] = true
			}
		}
		if len(names) >= 2 && 2*len(names) >= rows {
			return c
		}
	}
	return -1
}

// countKinds counts the numbers and the texts among a row's own cells (merged copies aside).
func countKinds(row []extract.Cell) (numbers, texts int) {
	for _, c := range row {
		if c.Copy || trimSpace(c.Text) == "" {
			continue
		}
		switch parseNumber(c.Text, true, true).kind {
		case Numeric, Zero:
			numbers++
		case Text:
			texts++
		}
	}
	return numbers, texts
}

// isColumnNumbering recognises the row of column numbers statistical forms print under the header
// (甲 乙 1 2 3 …): numbers counting up by one from 1, and no text but column marks. A unit's row
// always names the unit, so it is never taken for one.
func isColumnNumbering(row []extract.Cell) bool {
	var nums []int64
	for _, c := range row {
		t := trimSpace(c.Text)
		if c.Copy || t == "" {
			continue
		}
		p := parseNumber(t, false, false)
		switch {
		case p.kind == Numeric && p.issue == issueNone:
			nums = append(nums, p.n)
		case !columnMark.MatchString(normLabel(t)):
			return false
		}
	}
	if len(nums) < 3 || nums[0] != 1 {
		return false
	}
	for i := 1; i < len(nums); i++ {
		if nums[i] != nums[i-1]+1 {
			return false
		}
	}
	return true
}

// columnMark is what a numbering row prints over label columns: 甲, 乙, A, 栏次.
var columnMark = regexp.MustCompile(`^(?:[甲乙丙丁戊己庚辛壬癸]|[A-Za-z]|栏次|行次|序号|-)$`)

// isGroupHeading tells a row that names a group of units and holds no number at all ("一、市直部门",
// "县区："): platforms put one over each group. A unit that filled in nothing keeps its row.
func isGroupHeading(ct *collectionTable, row []extract.Cell, body string) bool {
	n := normLabel(body)
	if first, _ := utf8.DecodeRuneInString(n); !strings.ContainsRune("一二三四五六七八九十（(0123456789", first) &&
		!strings.HasSuffix(n, ":") && !strings.HasSuffix(n, "：") {
		return false // most names: no regexp
	}
	if !groupHeading.MatchString(n) {
		return false
	}
	for c, tg := range ct.targets {
		if tg.table != 0 && trimSpace(cellAt(row, c).Text) != "" {
			return false
		}
	}
	return true
}

// groupHeading is a label opened by an ordinal (一、 （一） 1.) or closed by a colon.
var groupHeading = regexp.MustCompile(`^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[、.．])|[:：]$`)

func cellAt(row []extract.Cell, c int) extract.Cell {
	if c < 0 || c >= len(row) {
		return extract.Cell{}
	}
	return row[c]
}

var yearRE = regexp.MustCompile(`(?:19|20)\d\d`)

// yearOf reads a year written as 2024, 2024年 or 2024年度.
func yearOf(s string) int {
	m := yearRE.FindString(foldWidth(s))
	if m == "" {
		return 0
	}
	y, _ := strconv.Atoi(m)
	return y
}

// documentYear is the year a collection workbook states outside its unit rows: a title or a
// statistical period sentence, else a caption such as "2024年度政府信息公开工作情况汇总表", in the
// paragraphs or in the rows above the tables' headers.
func documentYear(doc *extract.Document, tables []*collectionTable) int {
	var lines []line
	for _, b := range doc.Blocks {
		if b.Kind == extract.Paragraph {
			lines = append(lines, newLine([]extract.Cell{{Text: b.Text, Pos: b.Pos}}, true, b.Level))
		}
	}
	for _, ct := range tables {
		for _, row := range ct.block.Rows[:ct.first] {
			lines = append(lines, newLine(row, false, 0))
		}
	}
	id := identify(lines)
	if id.titleYear != 0 {
		return id.titleYear
	}
	if id.periodYear != 0 {
		return id.periodYear
	}
	for _, ln := range lines {
		if m := captionYear.FindStringSubmatch(ln.norm); m != nil {
			y, _ := strconv.Atoi(m[1])
			return y
		}
	}
	return 0
}

var captionYear = regexp.MustCompile(`((?:19|20)\d\d)年`)

// tableYears sets each table's own year when the tables of a workbook are one per year: a sheet
// named 2023年 or 2024, or a title row above the header stating its year. A workbook whose tables
// all state one year, or none, leaves it to documentYear; otherwise the units of two years' sheets
// would be taken for one unit read twice.
func tableYears(tables []*collectionTable) {
	years := map[int]bool{}
	for _, ct := range tables {
		y := yearOf(ct.block.Pos.Sheet)
		if y == 0 {
			for _, row := range ct.block.Rows[:ct.first] {
				for _, c := range row {
					if m := captionYear.FindStringSubmatch(foldWidth(c.Text)); m != nil && !c.Copy {
						y, _ = strconv.Atoi(m[1])
						break
					}
				}
				if y != 0 {
					break
				}
			}
		}
		ct.sheetYear = y
		years[y] = true
	}
	if len(years) < 2 {
		for _, ct := range tables {
			ct.sheetYear = 0
		}
	}
}

// countyHint is a 县（区） cell as a placing hint; 市本级 and the like name no division.
func countyHint(s string) string {
	s = trimSpace(s)
	if strings.Contains(s, "本级") || strings.Contains(s, "市直") || isTotalsLabel(s) {
		return ""
	}
	return s
}

func newUnitReport(doc *extract.Document, ct *collectionTable, r int, body, city, county string, year int, opt Options) *Report {
	pos := cellAt(ct.block.Rows[r], ct.body).Pos
	unit := fmt.Sprintf("%s!%d", pos.Sheet, pos.Row)
	if pos.Sheet == "" { // a collection table from a format without sheets
		unit = pos.String()
	}
	rep := &Report{ID: reportID(doc.Source.SHA256, unit), Source: doc.Source, Unit: unit,
		Body: body, Year: year, Reads: map[string]*TableRead{}}
	rep.placeBody(opt, "", city, pos.String(), nil, "")
	if county != "" && !rep.Region.Status.Placed() {
		// The unit's name alone did not place it: its row's 县（区） says where it sits.
		rep.placeBody(opt, "", city+county, pos.String(), nil, "")
	}
	rep.detectScope(nil, nil, rep.Region.Scope)
	if rep.Year == 0 {
		rep.add(Finding{Rule: RuleSYear, Severity: SevWarning, Status: "not_assessable", Place: pos.String(),
			Message: fmt.Sprintf("汇总表未给出“%s”的年度", body)})
	}
	for _, name := range []string{"table2", "table3", "table4"} {
		rep.Reads[name] = &TableRead{}
	}
	return rep
}

var tableNames = [5]string{2: "table2", 3: "table3", 4: "table4"}

// readUnitRow reads the measures of one unit row into rep.
func readUnitRow(rep *Report, ct *collectionTable, r int) {
	rd := reader{rep: rep}
	row := ct.block.Rows[r]
	for c, t := range ct.targets {
		if t.table == 0 {
			continue
		}
		cell := cellAt(row, c)
		if cell.Pos.IsZero() { // a short row: the cell is not in the table at all
			continue
		}
		read := rep.Reads[tableNames[t.table]]
		if !read.Found {
			read.Found, read.Layout = true, extract.LayoutCollection
			read.Place = cellAt(ct.block.Rows[0], c).Pos.String()
		}
		var dst *Value
		var path, table string
		amount, signed := false, false
		switch t.table {
		case 2:
			f := &T2[t.index]
			dst, path, table = &rep.T2[t.index], t2Paths[t.index], "T2"
			amount, signed = f.Amount, f.Signed
		case 3:
			row, col := t.index/NumT3Cols, t.index%NumT3Cols
			dst, path, table = &rep.T3[row][col], T3Path(row, col), "T3"
		case 4:
			dst, path, table = &rep.T4[t.index], T4Path(t.index), "T4"
		}
		if dst.Kind != Absent {
			rep.add(Finding{Rule: RuleSRowDuplicate, Severity: SevWarning, Status: "uncertain", Place: cell.Pos.String(),
				Cells: []string{path}, Message: fmt.Sprintf("%s 在汇总表中出现两次，采用第一次的值", t.label())})
			continue
		}
		v := valCell{cell: cell, p: parseNumber(cell.Text, amount, signed)}
		if amount && t.yuan && v.p.issue == issueNone && v.p.kind.Known() {
			// The header says 元: the number is in 元 although the field is in 万元.
			v.p = parseNumber(cell.Text+"元", true, false)
		}
		rd.setValue(dst, v, ByGrid)
		if v.p.issue != issueNone {
			rd.noteIssue(dst, v.p.issue, path, t.label(), table)
		}
		read.count(ByGrid, 1)
	}
	columnFindings(rep, ct)
}

// columnFindings tells a unit's report about header columns that were not read.
func columnFindings(rep *Report, ct *collectionTable) {
	header := func(c int) string {
		return fmt.Sprintf("%s（%s）", strings.Join(ct.paths[c], " / "), cellAt(ct.block.Rows[0], c).Pos)
	}
	if len(ct.unmapped) > 0 {
		var names []string
		for _, c := range ct.unmapped {
			names = append(names, header(c))
		}
		rep.add(Finding{Rule: RuleSColumnLabel, Severity: SevWarning, Status: "uncertain", Place: cellAt(ct.block.Rows[0], ct.unmapped[0]).Pos.String(),
			Message: fmt.Sprintf("汇总表有%d列的表头无法对应到任何指标，未采用：%s", len(names), strings.Join(names, "；"))})
	}
	for _, c := range ct.dups {
		rep.add(Finding{Rule: RuleSColumnLabel, Severity: SevWarning, Status: "uncertain", Place: cellAt(ct.block.Rows[0], c).Pos.String(),
			Message: fmt.Sprintf("汇总表列“%s”与前面一列对应同一指标，未采用", header(c))})
	}
}

// noteIndex sorts the reader's notes once for all the units of a workbook: the notes on the header
// or whole columns of a collection table concern every unit; a note on a unit row concerns the unit
// whose first row it is. Both lists keep the notes' order.
type noteIndex struct {
	header []int            // indices into notes
	byRow  map[string][]int // "Sheet!row" → indices into notes
	notes  []extract.Note
}

// tableSpan is the rows of a collection table on its sheet.
type tableSpan struct {
	sheet                  string
	first, headerEnd, last int
}

func indexNotes(notes []extract.Note, tables []*collectionTable) *noteIndex {
	var spans []tableSpan
	for _, ct := range tables {
		b := ct.block
		if len(b.Rows) == 0 {
			continue
		}
		spans = append(spans, tableSpan{sheet: b.Pos.Sheet, first: b.Rows[0][0].Pos.Row,
			headerEnd: b.Rows[ct.first][0].Pos.Row, last: b.Rows[len(b.Rows)-1][0].Pos.Row})
	}
	ix := &noteIndex{byRow: map[string][]int{}, notes: notes}
	for i, n := range notes {
		if n.Pos.Sheet == "" {
			continue
		}
		header, inside := false, false
		for _, sp := range spans {
			if n.Pos.Sheet != sp.sheet || n.Pos.Row < sp.first || n.Pos.Row > sp.last {
				continue
			}
			inside = true
			if n.Pos.Row < sp.headerEnd {
				header = true
				break
			}
		}
		switch {
		case header:
			ix.header = append(ix.header, i)
		case inside:
			key := n.Pos.Sheet + "!" + strconv.Itoa(n.Pos.Row)
			ix.byRow[key] = append(ix.byRow[key], i)
		}
	}
	return ix
}

// unitNotes picks the reader's notes that concern a unit: those on its own row and those on the
// header or whole columns of a table it was read from, in the reader's order.
func (ix *noteIndex) unitNotes(rep *Report) []extract.Note {
	own := ix.byRow[rep.Unit]
	if len(ix.header)+len(own) == 0 {
		return nil
	}
	out := make([]extract.Note, 0, len(ix.header)+len(own))
	h, o := ix.header, own
	for len(h) > 0 || len(o) > 0 {
		if len(o) == 0 || (len(h) > 0 && h[0] < o[0]) {
			out = append(out, ix.notes[h[0]])
			h = h[1:]
		} else {
			out = append(out, ix.notes[o[0]])
			o = o[1:]
		}
	}
	return out
}

// collectionVersion tells the format from the columns present: the split (六) rows are gov2021,
// the single (六)其他处理 row gov2019; Table 2's columns decide when Table 3 is silent.
func collectionVersion(rep *Report) string {
	t3 := ""
	for c := 0; c < NumT3Cols; c++ {
		for row := RowOtherNoCorrection; row <= RowOtherOther; row++ {
			if rep.T3[row][c].Kind != Absent {
				t3 = Gov2021
			}
		}
		if rep.T3[RowOtherTotal][c].Kind != Absent && t3 == "" {
			t3 = Gov2019
		}
	}
	t2 := ""
	for i := range T2 {
		if rep.T2[i].Kind == Absent {
			continue
		}
		if T2[i].Col == "decisions" && T2[i].Row != "other_external_services" {
			continue // a column both formats have
		}
		t2 = mergeVersion(t2, T2[i].Version)
	}
	return formatVersion(t2, t3)
}
