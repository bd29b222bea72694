package load

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/govreports/govreports/transform"
)

// 全市汇总: each city's rollup laid out exactly like Tables 2, 3 and 4 of the official form (国办公开办函
// 〔2021〕30号, or the 2019 trial format where the reports summed use it), so that it can be laid
// beside a printed report. One sheet per city, 全市汇总-<city>, whether the year has one city or
// several.

// Columns of the form sheet. Table 3 has three label columns: A (三、本年度办理结果), B (the groups
// （三）…（六）) and the item labels, which span C–F. Four narrow columns rather than one wide one let
// Table 4, whose fifteen columns start at B, print hardly wider than Table 3: the sheet then fits a
// landscape page at a readable scale. Table 3 values are in G–M, Table 2 values in G–I.
const (
	colResults   = 1 // A
	colGroup     = 2 // B
	colItem      = 3 // C: item labels span C–F
	colItemEnd   = 6 // F
	formFirstVal = colItemEnd + 1
	t4First      = colGroup
	formLastCol  = t4First + transform.NumT4 - 1
)

// formValueWidth is the narrowest value column; a column widens to fit the longest number in it.
const formValueWidth = 10

// formColWidth is the initial width of column c of the form sheet.
func formColWidth(c int) float64 {
	switch {
	case c == colResults:
		return 6
	case c == colGroup:
		return 12
	case c <= colItemEnd:
		return 8.5
	}
	return formValueWidth
}

// Texts printed on the form.
const (
	t3Note       = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
	t3Applicants = "申请人情况"
	t3Natural    = "自然人"
	t3Legal      = "法人或其他组织"
	t3Results    = "三、本年度办理结果"
	t2Content    = "信息内容"
	section2     = "二、主动公开政府信息情况"
	section3     = "三、收到和处理政府信息公开申请情况"
	section4     = "四、政府信息公开行政复议、行政诉讼情况"
)

// t3GroupLabels are the merged group cells of Table 3, by transform.T3Row.Group.
var t3GroupLabels = map[string]string{
	"withheld":    "（三）不予公开",
	"unavailable": "（四）无法提供",
	"rejected":    "（五）不予处理",
	"other":       "（六）其他处理",
}

// t4Heads are the header cells of Table 4 above its outcome columns.
var t4Heads = struct{ review, litigation, direct, afterReview string }{
	"行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉",
}

// measureIndex maps a rollup measure name to its index in rollupMeasures.
var measureIndex = func() map[string]int {
	m := make(map[string]int, len(rollupMeasures))
	for i, ms := range rollupMeasures {
		m[ms.name] = i
	}
	return m
}()

func t3Measure(row, col int) string {
	return "t3_" + transform.T3Rows[row].Key + "_" + transform.T3Cols[col].Key
}

// grid writes cells of a sheet through the normal API, keeping the first error.
type grid struct {
	f       *excelize.File
	sheet   string
	heights map[int]float64
	err     error
}

func (g *grid) keep(err error) {
	if err != nil && g.err == nil {
		g.err = fmt.Errorf("sheet %s: %w", g.sheet, err)
	}
}

// str writes text; SetCellStr never makes a formula, whatever the text begins with.
func (g *grid) str(col, row int, s string, style int) {
	if g.err != nil {
		return
	}
	cell := cellName(col, row)
	g.keep(g.f.SetCellStr(g.sheet, cell, s))
	g.keep(g.f.SetCellStyle(g.sheet, cell, cell, style))
}

// num writes a count (int64), an amount (float64) or nothing (nil: the cell stays empty, never 0).
func (g *grid) num(col, row int, v any, style int) {
	if g.err != nil {
		return
	}
	cell := cellName(col, row)
	if v != nil {
		g.keep(g.f.SetCellValue(g.sheet, cell, v))
	}
	g.keep(g.f.SetCellStyle(g.sheet, cell, cell, style))
}

// span merges a range, styles all of it (so the borders of merged cells are drawn) and writes s
// into its top-left cell.
func (g *grid) span(c1, r1, c2, r2 int, s string, style int) {
	if g.err != nil {
		return
	}
	tl, br := cellName(c1, r1), cellName(c2, r2)
	g.keep(g.f.SetCellStyle(g.sheet, tl, br, style))
	g.keep(g.f.SetCellStr(g.sheet, tl, s))
	if tl != br {
		g.keep(g.f.MergeCell(g.sheet, tl, br))
	}
}

// spanNum is span for a number.
func (g *grid) spanNum(c1, r1, c2, r2 int, v any, style int) {
	if g.err != nil {
		return
	}
	tl, br := cellName(c1, r1), cellName(c2, r2)
	g.keep(g.f.SetCellStyle(g.sheet, tl, br, style))
	if v != nil {
		g.keep(g.f.SetCellValue(g.sheet, tl, v))
	}
	if tl != br {
		g.keep(g.f.MergeCell(g.sheet, tl, br))
	}
}

// height sets a row's height to at least h points: a row shared by several wrapped cells keeps
// the tallest.
func (g *grid) height(row int, h float64) {
	if g.err != nil {
		return
	}
	if g.heights == nil {
		g.heights = map[int]float64{}
	}
	h = min(h, maxRowHeight)
	if h > g.heights[row] {
		g.heights[row] = h
		g.keep(g.f.SetRowHeight(g.sheet, row, h))
	}
}

// formSpanWidth is the width of columns c1–c2 of the form sheet together.
func formSpanWidth(c1, c2 int) float64 {
	w := 0.0
	for c := c1; c <= c2; c++ {
		w += formColWidth(c)
	}
	return w
}

// wrapHeight sets the height of a row holding text s over columns c1–c2.
func (g *grid) wrapHeight(row, c1, c2 int, s string) {
	g.height(row, rowHeight(lines(s, formSpanWidth(c1, c2))))
}

// cityStats is what the summary of one city says about the reports it sums.
type cityStats struct {
	byVersion map[string]int
	// nulls counts, per rollup measure, the member reports that state no number for it although
	// their format has the cell; who names up to a few of them for the cell's comment.
	nulls       []int
	who         map[int][]string
	nullReports int
	members     string // the members' names (bodyList)
	// citySummary names the member that is the city's regional (全市) summary, "" when none is.
	citySummary string
}

const commentNames = 5

// cityStats reads the city's members once, in sheet order.
func (b *workbookBuilder) cityStats(g *cityGroup) (*cityStats, error) {
	v := b.v
	s := &cityStats{byVersion: map[string]int{}, nulls: make([]int, len(rollupMeasures)), who: map[int][]string{}}
	var names nameList
	err := v.each(g.members, false, func(_ int32, w *wbReport) error {
		name := w.bodyName()
		names.add(name)
		if w.scope() == transform.ScopeRegional && w.placeOf().Level == transform.RegionCity {
			s.citySummary = name
		}
		hit := false
		add := func(m int) {
			s.nulls[m]++
			if len(s.who[m]) < commentNames {
				s.who[m] = append(s.who[m], name)
			}
			hit = true
		}
		version := w.version()
		s.byVersion[version]++
		for k := range transform.NumT2 {
			if t2Applies(k, version) && !w.r.T2[k].Known() {
				add(measureIndex[transform.T2[k].Flat()])
			}
		}
		for k := range transform.NumT4 {
			if !w.r.T4[k].Known() {
				add(measureIndex[transform.T4Flat(k)])
			}
		}
		for row := range transform.NumT3Rows {
			if !t3Applies(row, version) {
				continue
			}
			for c := range transform.NumT3Cols {
				if !w.r.T3[row][c].Known() {
					add(measureIndex[t3Measure(row, c)])
				}
			}
		}
		if hit {
			s.nullReports++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.members = names.String()
	return s, nil
}

// summarySheets writes one 全市汇总 sheet per city, named 全市汇总-<city> however many cities the
// year has, so that a sheet's name never depends on what else the batch holds.
func (b *workbookBuilder) summarySheets() error {
	for k := range b.v.cities {
		g := &b.v.cities[k]
		name := b.names.take(summaryName(g.city))
		if err := b.summarySheet(name, g); err != nil {
			return err
		}
		about := cityName(g.city) + "的汇总：按官方表格式排列的表二、表三、表四合计"
		if len(g.counties) > 0 || g.own != nil {
			about += "，其下为分县（区）主要数字"
		}
		b.guide = append(b.guide, sheetGuide{name, about + "。"})
	}
	return nil
}

// summaryName is the name wanted for the 全市汇总 sheet of a city ("" for the unidentified group).
func summaryName(city string) string { return sheetSummary + "-" + cityName(city) }

func (b *workbookBuilder) summarySheet(name string, g *cityGroup) error {
	f, st, v := b.f, b.st, b.v
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	stats, err := b.cityStats(g)
	if err != nil {
		return err
	}
	gr := &grid{f: f, sheet: name}
	for c := 1; c <= formLastCol; c++ {
		gr.keep(f.SetColWidth(name, colName(c), colName(c), formColWidth(c)))
	}

	// Above the tables: whose figures these are.
	row := 1
	gr.span(1, row, formLastCol, row, cityName(g.city)+" "+yearTitle(v.year)+"政府信息公开工作年度报告统计表汇总", st.title())
	gr.height(row, 26)
	row++
	line := func(s string) {
		gr.span(1, row, formLastCol, row, s, st.note())
		gr.wrapHeight(row, 1, formLastCol, s)
		row++
	}
	line(fmt.Sprintf("汇总报告数：%d 份。每个单位只计一次；下列各表的数字为这些报告之和。", len(g.members)))
	if len(g.members) == 0 {
		line("本市本年度没有可以计入汇总的报告，下表为空。")
	} else {
		line("汇总单位：" + stats.members)
	}
	if len(g.outside) > 0 {
		texts, err := b.outsideText(g.outside)
		if err != nil {
			return err
		}
		for _, text := range texts {
			line(text)
		}
	}
	n19 := stats.byVersion[transform.Gov2019]
	gov2019Only := n19 > 0 && n19 == len(g.members)
	if n19 > 0 && !gov2019Only {
		n21 := stats.byVersion[transform.Gov2021]
		text := fmt.Sprintf("格式：%d 份报告为 2021 年格式，%d 份为 2019 年试行格式", n21, n19)
		if rest := len(g.members) - n21 - n19; rest > 0 {
			text += fmt.Sprintf("，%d 份格式未识别", rest)
		}
		line(text + fmt.Sprintf("。表三“（六）其他处理”的三个子项只汇总 2019 年试行格式以外的 %d 份报告；试行格式只有"+
			"“（六）其他处理”一行，全部 %d 份的合计见表三下方的“附”行。表二按两种格式分列。",
			len(g.members)-n19, len(g.members)))
	}
	if stats.nullReports > 0 {
		line(fmt.Sprintf("空白：%d 份报告有未给出数字的单元格（空白、“/”、“—”等）。这些单元格汇总时不计入、也不当作 0；"+
			"受影响的合计以橙色标出，批注写明涉及几份报告；这些单元格在“%s”中留空并着色。", stats.nullReports, sheetUnits))
	}
	if text := b.coverageLine(g); text != "" {
		line(text)
	}
	row++

	fs := &formSheet{b: b, gr: gr, g: g, stats: stats, need: map[int]float64{}}
	gr.span(1, row, formLastCol, row, section2, st.heading())
	row++
	if !gov2019Only {
		row = fs.table2(row, transform.Gov2021)
	}
	if n19 > 0 {
		if !gov2019Only {
			gr.span(1, row, formLastCol, row, fmt.Sprintf("2019 年试行格式（%d 份报告）", n19), st.note())
			row++
		}
		row = fs.table2(row, transform.Gov2019)
	}
	// Each of Tables 3 and 4 (with the breakdown) starts a printed page, so that no table is cut
	// across pages: Table 3 alone nearly fills a landscape page.
	row++
	gr.keep(f.InsertPageBreak(name, cellName(1, row)))
	gr.span(1, row, formLastCol, row, section3, st.heading())
	row++
	row = fs.table3(row, gov2019Only)
	if n19 > 0 && !gov2019Only {
		row = fs.otherTotalRow(row)
	}
	row++
	gr.keep(f.InsertPageBreak(name, cellName(1, row)))
	gr.span(1, row, formLastCol, row, section4, st.heading())
	row++
	row = fs.table4(row)
	fs.breakdown(row + 1)
	for c := 1; c <= formLastCol; c++ {
		if fs.need[c] > formColWidth(c) {
			gr.keep(f.SetColWidth(name, colName(c), colName(c), math.Ceil(fs.need[c])))
		}
	}
	if gr.err != nil {
		return gr.err
	}

	// Frozen title, and print setup: landscape A4, one page wide, title rows on every page.
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3",
		ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return b.printSetup(name, true, "$1:$2")
}

// printSetup sets landscape A4 and the rows repeated on every printed page; fitWidth shrinks the
// sheet to one page wide.
func (b *workbookBuilder) printSetup(sheet string, fitWidth bool, titleRows string) error {
	orientation, size := "landscape", 9 // A4
	layout := &excelize.PageLayoutOptions{Orientation: &orientation, Size: &size}
	if fitWidth {
		one, any := 1, 0
		layout.FitToWidth, layout.FitToHeight = &one, &any
		fit := true
		if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
			return err
		}
	}
	if err := b.f.SetPageLayout(sheet, layout); err != nil {
		return err
	}
	if titleRows == "" {
		return nil
	}
	return b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles",
		RefersTo: quoteSheet(sheet) + "!" + titleRows, Scope: sheet})
}

// nameList joins report names with 、 (bodyList). A cell holds 32,767 characters; a city of
// thousands of units is listed in 各单位一览 instead, and the list stops taking names once it is
// past the limit.
type nameList struct {
	b     strings.Builder
	runes int
	n     int
}

const nameListLimit = 30000

func (l *nameList) add(name string) {
	l.n++
	if l.runes > nameListLimit {
		return
	}
	if l.n > 1 {
		l.b.WriteString("、")
		l.runes++
	}
	l.b.WriteString(name)
	l.runes += utf8.RuneCountInString(name)
}

func (l *nameList) String() string {
	s := l.b.String()
	if l.runes > nameListLimit {
		s = string([]rune(s)[:nameListLimit]) + fmt.Sprintf("……（共 %d 个单位，完整名单见“%s”）", l.n, sheetUnits)
	}
	return s
}

// outsideText explains, grouped by role and by the report that contains them, why the city's other
// reports are not summed: each sentence is true of the reports it names.
func (b *workbookBuilder) outsideText(outside []int32) ([]string, error) {
	type containedGroup struct {
		in    string // the containing report, named as 汇总角色 names it
		names *nameList
	}
	var contained []*containedGroup
	byContainer := map[int]*containedGroup{}
	byRole := map[transform.Role]*nameList{}
	err := b.v.each(outside, false, func(_ int32, w *wbReport) error {
		if w.d.Role == transform.RoleContained {
			g := byContainer[w.d.Of]
			if g == nil {
				g = &containedGroup{in: b.v.reportName(w.d.Of), names: &nameList{}}
				byContainer[w.d.Of] = g
				contained = append(contained, g)
			}
			g.names.add(w.bodyName())
			return nil
		}
		l := byRole[w.d.Role]
		if l == nil {
			l = &nameList{}
			byRole[w.d.Role] = l
		}
		l.add(w.bodyName())
		return nil
	})
	if err != nil {
		return nil, err
	}
	lines := []string{fmt.Sprintf("本市另有 %d 份报告未直接计入下表（其数据和来源文件见“%s”）：", len(outside), sheetUnits)}
	for _, g := range contained {
		lines = append(lines, fmt.Sprintf("　· 已包含在%s的汇总报告中（%d 份）：%s", g.in, g.names.n, g.names))
	}
	if l := byRole[transform.RoleDuplicate]; l != nil {
		lines = append(lines, fmt.Sprintf("　· 重复报告（%d 份），同一单位同年度另有一份报告被采用，这一份不再相加：%s", l.n, l))
	}
	if l := byRole[transform.RoleExcluded]; l != nil {
		lines = append(lines, fmt.Sprintf("　· 按用户设置不计入（%d 份）：%s", l.n, l))
	}
	if l := byRole[transform.RoleCounted]; l != nil {
		// Counted, yet outside the city's rollup: placed above the city (a province's body).
		lines = append(lines, fmt.Sprintf("　· 计入省级汇总，不属于某一城市（%d 份）：%s", l.n, l))
	}
	return lines, nil
}

// formSheet writes the tables of one city's summary.
type formSheet struct {
	b     *workbookBuilder
	gr    *grid
	g     *cityGroup
	stats *cityStats
	need  map[int]float64 // value column → the width its numbers need
}

// numberText is how Excel shows a count or an amount with the form's number formats.
func numberText(v any) string {
	switch v := v.(type) {
	case int64:
		return groupThousands(strconv.FormatInt(v, 10))
	case float64:
		s := strconv.FormatFloat(v, 'f', -1, 64)
		whole, frac, _ := strings.Cut(s, ".")
		for len(frac) < 2 {
			frac += "0"
		}
		return groupThousands(whole) + "." + frac
	}
	return ""
}

func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + b.String()
}

// value writes the city's sum of a measure into a cell or a merged range, marked when some
// reports' blanks were left out of it.
func (fs *formSheet) value(c1, r1, c2 int, measure string) {
	b, g := fs.b, fs.g
	m, ok := measureIndex[measure]
	if !ok {
		fs.gr.keep(fmt.Errorf("no rollup measure %s", measure))
		return
	}
	kind := kindCount
	if rollupMeasures[m].amount {
		kind = kindAmount
	}
	var v any
	if g.rollup != nil {
		v = sumNumber(g.rollup.Sums[m], rollupMeasures[m].amount)
	}
	mk := markNone
	if fs.stats.nulls[m] > 0 {
		mk = markExcluded
		b.blankSums = true
	}
	fs.gr.spanNum(c1, r1, c2, r1, v, b.st.form(kind, mk))
	if need := float64(len(numberText(v))+2) / float64(c2-c1+1); need > fs.need[c1] {
		fs.need[c1] = need
	}
	if mk == markExcluded {
		fs.gr.keep(b.f.AddComment(fs.gr.sheet, excelize.Comment{
			Cell: cellName(c1, r1), Author: "govreports",
			Paragraph: []excelize.RichTextRun{{Text: fs.nullComment(m)}},
			Width:     300, Height: 90,
		}))
	}
}

func (fs *formSheet) nullComment(m int) string {
	names := fs.stats.who[m]
	s := fmt.Sprintf("%d 份报告此项未给出数字（空白、“/”等），汇总时未计入，也未当作 0：%s",
		fs.stats.nulls[m], strings.Join(names, "、"))
	if fs.stats.nulls[m] > len(names) {
		s += " 等"
	}
	return s
}

// t2Block is one block of Table 2 (第二十条第（N）项) in one format.
type t2Block struct {
	key          string
	rows         []string          // row keys in printed order
	cols         []string          // column keys in printed order
	cell         map[[2]string]int // (row, col) → T2 index
	rowCN, colCN map[string]string
}

// t2ColOrder is the printed column order of both formats.
var t2ColOrder = []string{"issued", "repealed", "in_force", "newly_made", "newly_published", "published_total",
	"prior_year_items", "change", "decisions", "projects", "amount_wan_yuan"}

// t2Blocks lays out Table 2 of a format from transform.T2: the fields the format prints (see
// t2Applies), grouped by block in T2's order.
func t2Blocks(version string) []*t2Block {
	var blocks []*t2Block
	byKey := map[string]*t2Block{}
	for i, f := range transform.T2 {
		if !t2Applies(i, version) {
			continue
		}
		bl := byKey[f.Block]
		if bl == nil {
			bl = &t2Block{key: f.Block, cell: map[[2]string]int{}, rowCN: map[string]string{}, colCN: map[string]string{}}
			byKey[f.Block] = bl
			blocks = append(blocks, bl)
		}
		if !slices.Contains(bl.rows, f.Row) {
			bl.rows = append(bl.rows, f.Row)
		}
		if !slices.Contains(bl.cols, f.Col) {
			bl.cols = append(bl.cols, f.Col)
		}
		bl.cell[[2]string{f.Row, f.Col}] = i
		// A label printed by the format itself wins over one of a field it shares with the other format.
		if _, ok := bl.rowCN[f.Row]; !ok || f.Version == version {
			bl.rowCN[f.Row] = f.RowCN
		}
		if _, ok := bl.colCN[f.Col]; !ok || f.Version == version {
			bl.colCN[f.Col] = f.ColCN
		}
	}
	// Blocks in article order: a shared field may come first in T2 from a later block.
	slices.SortStableFunc(blocks, func(a, b *t2Block) int { return articleNumber(a.key) - articleNumber(b.key) })
	for _, bl := range blocks {
		slices.SortStableFunc(bl.cols, func(a, b string) int {
			return slices.Index(t2ColOrder, a) - slices.Index(t2ColOrder, b)
		})
	}
	return blocks
}

// articleNumber is the item number of a Table 2 block key: art20_5 → 5; -1 when there is none.
func articleNumber(block string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(block, "art20_"))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// articleItem is the heading of a Table 2 block: art20_5 → 第二十条第（五）项.
func articleItem(block string) string {
	numerals := []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	n := articleNumber(block)
	if n < 0 || n >= len(numerals) {
		return block
	}
	return "第二十条第（" + numerals[n] + "）项"
}

// valueSpans splits the three value columns G–I among n columns: one each, the last taking what
// is left (a single column spans all three, as on the form).
func valueSpans(n int) [][2]int {
	spans := make([][2]int, n)
	for k := range n {
		spans[k] = [2]int{formFirstVal + k, formFirstVal + k}
	}
	if n > 0 {
		spans[n-1][1] = formFirstVal + 2
	}
	return spans
}

// table2 writes Table 2 of a format from row on and returns the next free row.
func (fs *formSheet) table2(row int, version string) int {
	gr, st := fs.gr, fs.b.st
	head, label := st.formHead(), st.formLabel("center")
	for _, bl := range t2Blocks(version) {
		gr.span(1, row, formFirstVal+2, row, articleItem(bl.key), head)
		row++
		spans := valueSpans(len(bl.cols))
		gr.span(1, row, colItemEnd, row, t2Content, head)
		for k, col := range bl.cols {
			text := bl.colCN[col]
			if version == transform.Gov2019 && col == "decisions" {
				text = "处理决定数量" // the trial format's wording for the field it shares with 2021
			}
			gr.span(spans[k][0], row, spans[k][1], row, text, head)
			gr.wrapHeight(row, spans[k][0], spans[k][1], text)
		}
		row++
		for _, r := range bl.rows {
			gr.span(1, row, colItemEnd, row, bl.rowCN[r], label)
			for k, col := range bl.cols {
				i, ok := bl.cell[[2]string{r, col}]
				if !ok {
					gr.span(spans[k][0], row, spans[k][1], row, "", st.form(kindText, markNone))
					continue
				}
				fs.value(spans[k][0], row, spans[k][1], transform.T2[i].Flat())
			}
			row++
		}
	}
	return row
}

// t3FormRows are the Table 3 rows a format prints, in order: the 2019 trial format prints
// other_total in place of the three (六) sub-rows.
func t3FormRows(gov2019 bool) []int {
	var rows []int
	for r := range transform.NumT3Printed {
		sub := r == transform.RowOtherNoCorrection || r == transform.RowOtherFeeUnpaid || r == transform.RowOtherOther
		switch {
		case !sub:
			rows = append(rows, r)
		case gov2019 && r == transform.RowOtherNoCorrection:
			rows = append(rows, transform.RowOtherTotal)
		case !gov2019:
			rows = append(rows, r)
		}
	}
	return rows
}

// table3 writes Table 3 from row on (header of three rows, then the data rows) and returns the
// next free row.
func (fs *formSheet) table3(row int, gov2019 bool) int {
	gr, st := fs.gr, fs.b.st
	head := st.formHead()
	last := formFirstVal + transform.NumT3Cols - 1

	gr.span(1, row, colItemEnd, row+2, t3Note, head)
	gr.span(formFirstVal, row, last, row, t3Applicants, head)
	gr.span(formFirstVal, row+1, formFirstVal, row+2, t3Natural, head)
	gr.span(formFirstVal+1, row+1, last-1, row+1, t3Legal, head)
	gr.span(last, row+1, last, row+2, transform.T3Cols[transform.ColTotal].CN, head)
	for c := 1; c < transform.ColTotal; c++ {
		text := transform.T3Cols[c].CN
		gr.span(formFirstVal+c, row+2, formFirstVal+c, row+2, text, head)
		gr.wrapHeight(row+2, formFirstVal+c, formFirstVal+c, text)
	}
	gr.height(row, rowHeight(2))
	row += 3

	rows := t3FormRows(gov2019)
	label := st.formLabel("left")
	center := st.formLabel("center")
	inResults := func(r int) bool { return strings.HasPrefix(transform.T3Rows[r].Ordinal, "三") }
	for k, r := range rows {
		tr := transform.T3Rows[r]
		switch {
		case !inResults(r):
			gr.span(colResults, row, colItemEnd, row, tr.CN, label)
			gr.wrapHeight(row, colResults, colItemEnd, tr.CN)
		case tr.Group == "":
			gr.span(colGroup, row, colItemEnd, row, tr.CN, label)
			gr.wrapHeight(row, colGroup, colItemEnd, tr.CN)
		default:
			if k == 0 || transform.T3Rows[rows[k-1]].Group != tr.Group {
				n := 0
				for _, next := range rows[k:] {
					if transform.T3Rows[next].Group != tr.Group {
						break
					}
					n++
				}
				gr.span(colGroup, row, colGroup, row+n-1, t3GroupLabels[tr.Group], center)
			}
			gr.span(colItem, row, colItemEnd, row, tr.CN, label)
			gr.wrapHeight(row, colItem, colItemEnd, tr.CN)
		}
		if inResults(r) && (k == 0 || !inResults(rows[k-1])) {
			n := 0
			for _, next := range rows[k:] {
				if !inResults(next) {
					break
				}
				n++
			}
			gr.span(colResults, row, colResults, row+n-1, t3Results, center)
		}
		for c := range transform.NumT3Cols {
			fs.value(formFirstVal+c, row, formFirstVal+c, t3Measure(r, c))
		}
		row++
	}
	return row
}

// otherTotalRow adds, below a 2021 Table 3 that sums 2019 reports too, the row the 2019 format
// prints: (六)其他处理 over every report.
func (fs *formSheet) otherTotalRow(row int) int {
	gr, st := fs.gr, fs.b.st
	text := "附：" + transform.T3Rows[transform.RowOtherTotal].CN + "合计（两种格式的全部报告）"
	gr.span(colResults, row, colItemEnd, row, text, st.formLabel("left"))
	gr.wrapHeight(row, colResults, colItemEnd, text)
	for c := range transform.NumT3Cols {
		fs.value(formFirstVal+c, row, formFirstVal+c, t3Measure(transform.RowOtherTotal, c))
	}
	return row + 1
}

// table4 writes Table 4 from row on: a header of three rows and one row of 15 values.
func (fs *formSheet) table4(row int) int {
	gr, st := fs.gr, fs.b.st
	head := st.formHead()
	outcomes := len(transform.T4Outcomes)
	review, direct, after := t4First, t4First+outcomes, t4First+2*outcomes
	gr.span(review, row, direct-1, row, t4Heads.review, head)
	gr.span(direct, row, after+outcomes-1, row, t4Heads.litigation, head)
	for k, o := range transform.T4Outcomes {
		gr.span(review+k, row+1, review+k, row+2, o.CN, head)
		gr.span(direct+k, row+2, direct+k, row+2, o.CN, head)
		gr.span(after+k, row+2, after+k, row+2, o.CN, head)
	}
	gr.span(direct, row+1, direct+outcomes-1, row+1, t4Heads.direct, head)
	gr.span(after, row+1, after+outcomes-1, row+1, t4Heads.afterReview, head)
	row += 3
	for i := range transform.NumT4 {
		fs.value(t4First+i, row, t4First+i, transform.T4Flat(i))
	}
	return row + 1
}

// measureSum adds measures of a city's rollup: nil when none of them has a value.
func measureSum(g *transform.Rollup, names ...string) any {
	if g == nil {
		return nil
	}
	var total int64
	seen := false
	for _, name := range names {
		m, ok := measureIndex[name]
		if !ok || !g.Sums[m].Valid {
			continue
		}
		total += g.Sums[m].N
		seen = true
	}
	if !seen {
		return nil
	}
	return total
}

// coverageLine sums up the city's rows of 报送情况, saying only what the batch stage found.
func (b *workbookBuilder) coverageLine(g *cityGroup) string {
	reported, missing, divisions, unresolved := 0, 0, 0, 0
	for i := range b.run.in.Batch.Coverage {
		c := &b.run.in.Batch.Coverage[i]
		if c.Year != b.v.year || cityName(valid(c.City.Name)) != cityName(g.city) {
			continue
		}
		for _, u := range c.Units {
			switch {
			case u.Report >= 0 && c.Unplaced:
				unresolved++
				reported++
			case u.Report >= 0:
				reported++
			case u.Last >= 0 || u.LastHistory >= 0:
				missing++
			}
		}
		divisions += len(c.Missing)
	}
	if reported+missing+divisions == 0 {
		return ""
	}
	text := fmt.Sprintf("报送情况：本年度 %d 个单位有报告", reported)
	if unresolved > 0 {
		text += fmt.Sprintf("（其中 %d 个未能对应到行政区划）", unresolved)
	}
	if missing > 0 {
		text += fmt.Sprintf("；%d 个单位上年度有报告、本年度没有", missing)
	}
	if divisions > 0 {
		text += fmt.Sprintf("；区划名录中 %d 个区划本年度没有任何报告", divisions)
	}
	return text + "。详见“" + sheetCoverage + "”。"
}
