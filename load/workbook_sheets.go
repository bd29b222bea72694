package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/govreports/govreports/transform"
)

// The detail sheets (各单位一览, 申请明细, 校验问题, 未能读取) are written row by row in order, so that
// their size never sits in memory: excelize's StreamWriter writes each sheet's frame and header,
// the data rows go to the row spool (workbook_rows.go). Each is an Excel table (autofilter, banded
// rows) with a frozen header. A sheet that would pass the row limit continues on "<name> (2)", ….

// streamRow is a row of cells that is filled again for every row: values points into cells, so
// that no cell is boxed into an interface of its own.
func streamRow(n int) ([]any, []excelize.Cell) {
	values, cells := make([]any, n), make([]excelize.Cell, n)
	for i := range cells {
		values[i] = &cells[i]
	}
	return values, cells
}

// detailCol is one column of a detail sheet.
type detailCol struct {
	header string
	kind   valueKind
	width  float64
	wrap   bool // long text, wrapped within the width; the row grows to show all of it
}

// detailSheet writes one detail sheet and its continuations.
type detailSheet struct {
	b          *workbookBuilder
	base       string // the first part's name
	table      string // the Excel table name, ASCII
	cols       []detailCol
	freezeCols int
	// printCols, when set, limits the print area to the first printCols columns, which are
	// scaled to the page's width: the columns after them are for the screen only.
	printCols int

	// tails, when set, holds the next row's cells already encoded (rowSpool.add).
	tails [][]byte

	parts []string // the names of the parts written so far
	sw    *excelize.StreamWriter
	// spooling: the current part's data rows go to the row spool (its marker row is written).
	spooling bool
	row      int   // the last row written on the current part
	rows     int64 // data rows over all parts
	err      error
}

func (b *workbookBuilder) newDetailSheet(base, table string, cols []detailCol, freezeCols int) *detailSheet {
	return &detailSheet{b: b, base: base, table: table, cols: cols, freezeCols: freezeCols}
}

// perPart is how many data rows a part holds.
func (d *detailSheet) perPart() int { return d.b.cfg.maxRows - 1 }

// partName is the name of part k (0-based) as it is, or will be, created.
func (d *detailSheet) partName(k int) string {
	if k < len(d.parts) {
		return d.parts[k]
	}
	if k == 0 {
		return d.base
	}
	return d.base + " (" + strconv.Itoa(k+1) + ")"
}

// place returns the sheet and row of data row p (0-based) of the sheet.
func (d *detailSheet) place(p int) (string, int) {
	return d.partName(p / d.perPart()), p%d.perPart() + 2
}

// add writes one data row, starting a new part when the current one is full. A row with wrapped
// columns is as tall as its longest wrapped text.
func (d *detailSheet) add(values []any) error {
	if d.err != nil {
		return d.err
	}
	if d.sw == nil || d.row >= d.b.cfg.maxRows {
		if d.err = d.finishPart(); d.err != nil {
			return d.err
		}
		if d.err = d.startPart(); d.err != nil {
			return d.err
		}
	}
	d.row++
	d.rows++
	if !d.spooling {
		// excelize writes a marker row where the part's rows go; they go to the row spool.
		marker, err := d.b.rows.begin()
		if err == nil {
			err = d.sw.SetRow(cellName(1, d.row), []any{marker})
		}
		if d.err = err; err != nil {
			return err
		}
		d.spooling = true
	}
	height := 0.0
	if n := d.wrappedLines(values); n > 1 {
		height = min(rowHeight(n), maxRowHeight)
	}
	if d.err = d.b.rows.add(d.row, values, d.tails, height); d.err != nil {
		return d.err
	}
	if d.err = d.b.checkCtx(d.row); d.err != nil {
		return d.err
	}
	return nil
}

// wrappedLines is how many lines the tallest wrapped cell of a row takes.
func (d *detailSheet) wrappedLines(values []any) int {
	n := 1
	for c, col := range d.cols {
		if !col.wrap || c >= len(values) {
			continue
		}
		var value any
		switch cell := values[c].(type) {
		case excelize.Cell:
			value = cell.Value
		case *excelize.Cell:
			value = cell.Value
		}
		if text, ok := value.(string); ok {
			n = max(n, lines(text, col.width))
		}
	}
	return n
}

func (d *detailSheet) startPart() error {
	b, f := d.b, d.b.f
	name := b.names.take(d.partName(len(d.parts)))
	d.parts = append(d.parts, name)
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	if err := b.printSetup(name, d.printCols > 0, "$1:$1"); err != nil {
		return err
	}
	if d.printCols > 0 {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area",
			RefersTo: quoteSheet(name) + "!$A:$" + colName(d.printCols), Scope: name}); err != nil {
			return err
		}
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	d.sw, d.row = sw, 1
	headerLines := 1
	for c, col := range d.cols {
		if err := sw.SetColWidth(c+1, c+1, col.width); err != nil {
			return err
		}
		headerLines = max(headerLines, lines(col.header, col.width))
	}
	panes := &excelize.Panes{Freeze: true, YSplit: 1, XSplit: d.freezeCols,
		TopLeftCell: cellName(d.freezeCols+1, 2), ActivePane: "bottomLeft"}
	if d.freezeCols > 0 {
		panes.ActivePane = "bottomRight"
	}
	if err := sw.SetPanes(panes); err != nil {
		return err
	}
	header := make([]any, len(d.cols))
	for c, col := range d.cols {
		header[c] = excelize.Cell{StyleID: b.st.head(), Value: col.header}
	}
	return sw.SetRow("A1", header, excelize.RowOpts{Height: rowHeight(headerLines)})
}

// finishPart turns the current part's rows into an Excel table and flushes it.
func (d *detailSheet) finishPart() error {
	if d.sw == nil {
		return nil
	}
	if d.spooling {
		d.spooling = false
		if err := d.b.rows.end(); err != nil {
			return err
		}
	}
	if d.row > 1 {
		stripes := true
		name := d.table
		if len(d.parts) > 1 {
			name += strconv.Itoa(len(d.parts))
		}
		if err := d.sw.AddTable(&excelize.Table{
			Range:          "A1:" + cellName(len(d.cols), d.row),
			Name:           name,
			StyleName:      "TableStyleMedium2",
			ShowRowStripes: &stripes,
		}); err != nil {
			return err
		}
	}
	err := d.sw.Flush()
	d.sw = nil
	return err
}

// close finishes the sheet; a sheet without rows still exists, with a line saying so.
func (d *detailSheet) close(empty string) error {
	if d.err != nil {
		return d.err
	}
	if d.sw == nil && len(d.parts) == 0 {
		if err := d.startPart(); err != nil {
			return err
		}
		d.row++
		if err := d.sw.SetRow(cellName(1, d.row), []any{excelize.Cell{StyleID: d.b.st.data(kindText, markNone), Value: empty}}); err != nil {
			return err
		}
		d.row = 1 // no table over a note
	}
	if err := d.finishPart(); err != nil {
		return err
	}
	if len(d.parts) > 1 {
		d.b.notes = append(d.b.notes, fmt.Sprintf("“%s”共 %d 行，超过每张工作表 %d 行的上限（含表头），依次续写在%s。",
			d.base, d.rows, d.b.cfg.maxRows, quoteList(d.parts)))
	}
	return nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "“" + n + "”"
	}
	return strings.Join(q, "、")
}

// textWidth is the width for a text column: its widest value or its header wrapped on up to three
// lines, within bounds.
func textWidth(header string, widest int) float64 {
	w := max(widest, int(math.Ceil(float64(displayWidth(header))/3)))
	return float64(min(max(w+2, 8), 60))
}

// numberWidth is the width for a number column whose header wraps on up to three lines.
func numberWidth(header string, kind valueKind) float64 {
	w := 10
	if kind == kindAmount {
		w = 14
	}
	return float64(max(w, int(math.Ceil(float64(displayWidth(header))/3))+1))
}

var (
	scopeNames = map[string]string{transform.ScopeOrgan: "本机关", transform.ScopeLevel: "本级汇总",
		transform.ScopeRegional: "区域汇总"}
	versionNames = map[string]string{transform.Gov2021: "2021 年格式", transform.Gov2019: "2019 年试行格式",
		transform.Unknown: "未识别"}
	readNames = map[string]string{"grid": "表格", "reassembled": "拼合", "decoded": "拆分数字串",
		"placed": "按顺序定位", "none": "未读到"}
	severityNames = map[string]string{string(transform.SevError): "错误", string(transform.SevWarning): "警告",
		string(transform.SevInfo): "提示"}
	statusNames = map[string]string{"fail": "不成立", "fail_assuming_blank_zero": "空白按 0 计仍不成立",
		"not_assessable": "无法评估", "uncertain": "不确定", "pass": "成立", "pass_assuming_blank_zero": "空白按 0 计成立",
		"resolved": "已判定"}
	stageNames = map[string]string{"discover": "查找文件", "read": "打开文件", "extract": "读取文件",
		"transform": "识别表格", "dedupe": "去除重复", "load": "写出数据"}
)

// named translates a code through names, keeping an unknown code as it is.
func named(names map[string]string, code string) string {
	if s, ok := names[code]; ok {
		return s
	}
	return code
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// unitColumn is one column of 各单位一览.
type unitColumn struct {
	detailCol
	text    func(w *wbReport) string // a text column
	num     func(w *wbReport) any    // a measure column
	path    string                   // the measure's cell path, for highlighting
	applies func(w *wbReport) bool   // whether the report's format has the cell, so that a null is a blank
	year    bool                     // the year: a number without separators
}

// t3KeyRows are the Table 3 measures 各单位一览 shows, from the applications total column.
var t3KeyRows = []int{transform.RowNewReceived, transform.RowCarriedOver, transform.RowGranted,
	transform.RowTotalProcessed, transform.RowCarriedForward}

var t3KeyHeaders = []string{"表三 本年新收申请（总计）", "表三 上年结转申请（总计）", "表三 予以公开（总计）",
	"表三 办理结果总计（总计）", "表三 结转下年度（总计）"}

// width is the widest value of a text column over the year's reports, capped (see maxMeasured).
func (v *yearView) width(c int) int {
	if c == wRole {
		return v.roleWidth
	}
	return v.facts.widths[c]
}

func (b *workbookBuilder) unitColumns() []unitColumn {
	v := b.v
	text := func(header string, width int, get func(w *wbReport) string) unitColumn {
		return unitColumn{detailCol: detailCol{header: header, kind: kindText,
			width: textWidth(header, v.width(width))}, text: get}
	}
	always := func(*wbReport) bool { return true }
	cols := []unitColumn{
		text("城市", wCity, func(w *wbReport) string { return cityName(w.city()) }),
		text("报告主体", wBody, (*wbReport).bodyName),
		{detailCol: detailCol{header: "年度", kind: kindCount, width: 7}, year: true},
		text("单位层级", wLevel, (*wbReport).level),
		text("报告范围", wScope, (*wbReport).scopeText),
		text("计入汇总", wInRollup, func(w *wbReport) string { return yesNo(w.inRollup()) }),
		text("汇总角色", wRole, v.roleText),
		text("年报格式", wVersion, func(w *wbReport) string { return named(versionNames, w.version()) }),
		text("文件格式", wFormat, (*wbReport).format),
		text("来源文件", wSourceUnit, (*wbReport).sourceUnit),
	}
	for k, f := range transform.T2 {
		// The legacy fields only when some report of the year states one.
		if f.Version == transform.Gov2019 && !v.facts.legacy[k] {
			continue
		}
		kind := kindCount
		if f.Amount {
			kind = kindAmount
		}
		h := f.Label()
		cols = append(cols, unitColumn{detailCol: detailCol{header: h, kind: kind, width: numberWidth(h, kind)},
			num:  func(w *wbReport) any { return valueNumber(&w.r.T2[k], f.Amount) },
			path: f.Path(), applies: func(w *wbReport) bool { return t2Applies(k, w.version()) }})
	}
	for k, row := range t3KeyRows {
		h := t3KeyHeaders[k]
		cols = append(cols, unitColumn{detailCol: detailCol{header: h, kind: kindCount, width: numberWidth(h, kindCount)},
			num:  func(w *wbReport) any { return valueNumber(&w.r.T3[row][transform.ColTotal], false) },
			path: transform.T3Path(row, transform.ColTotal), applies: always})
	}
	for k := range transform.NumT4 {
		h := transform.T4Label(k)
		cols = append(cols, unitColumn{detailCol: detailCol{header: h, kind: kindCount, width: numberWidth(h, kindCount)},
			num: func(w *wbReport) any { return valueNumber(&w.r.T4[k], false) }, path: transform.T4Path(k), applies: always})
	}
	for _, c := range []struct {
		h   string
		sev transform.Severity
	}{{"错误数", transform.SevError}, {"警告数", transform.SevWarning}, {"提示数", transform.SevInfo}} {
		cols = append(cols, unitColumn{detailCol: detailCol{header: c.h, kind: kindCount, width: 8},
			num: func(w *wbReport) any { return w.count(c.sev) }})
	}
	// How surely each report was read, so that an analyst can sort the doubtful ones to the top.
	cols = append(cols, unitColumn{detailCol: detailCol{header: "读取可信度", kind: kindScore, width: 10},
		num: func(w *wbReport) any { return w.score() }},
		text("读取方式（表二/表三/表四）", wReads, func(w *wbReport) string {
			if w.fact != nil && w.fact.reads != readsUnknown {
				return v.run.facts.reads[w.fact.reads]
			}
			return readsText(w.confidence())
		}))
	return append(cols, text("报告编号", wID, (*wbReport).id))
}

// reportMarks returns, for a report, the worst severity of the findings naming each cell path.
func reportMarks(w *wbReport, into map[string]int) {
	clear(into)
	for i := range w.findings {
		f := &w.findings[i]
		rank := severityRank(valid(string(f.Severity)))
		for _, p := range f.Cells {
			p = valid(p)
			into[p] = max(into[p], rank)
		}
		if c := valid(f.Culprit); c != "" {
			into[c] = max(into[c], rank)
		}
	}
}

// cellMark is the mark of a measure cell: the worst finding naming it, else grey for a blank the
// report's format should have filled.
func cellMark(marks map[string]int, path string, null, applies bool) mark {
	if m := markFromRank(marks[path]); m != markNone {
		return m
	}
	if null && applies {
		return markBlank
	}
	return markNone
}

// topUnit is one bar of the applications chart.
type topUnit struct {
	n          int64
	name, city string
}

// addTop keeps the topUnits largest in top, the earlier first among equals.
func addTop(top []topUnit, u topUnit) []topUnit {
	at := len(top)
	for k, t := range top {
		if t.n < u.n {
			at = k
			break
		}
	}
	if at >= topUnits {
		return top
	}
	top = slices.Insert(top, at, u)
	return top[:min(len(top), topUnits)]
}

// unitSheet writes 各单位一览: one row per report. It also finds the units of the chart.
func (b *workbookBuilder) unitSheet() error {
	v := b.v
	cols := b.unitColumns()
	dcols := make([]detailCol, len(cols))
	for c := range cols {
		dcols[c] = cols[c].detailCol
	}
	d := b.newDetailSheet(sheetUnits, "Units", dcols, 2)
	b.units = d
	values, cells := streamRow(len(cols))
	marks := map[string]int{}
	// This pass also spools what 申请明细 and 校验问题 show of each report (workbook_spool.go).
	if err := b.openSpools(); err != nil {
		return err
	}
	var used [numMarks]bool // b.used, without a map write per cell
	err := v.each(v.order, true, func(k int32, w *wbReport) error {
		reportMarks(w, marks)
		if err := b.spoolDetail(w, marks); err != nil {
			return err
		}
		if err := b.spoolFindings(k, w); err != nil {
			return err
		}
		for c := range cols {
			col := &cols[c]
			switch {
			case col.text != nil:
				cells[c] = excelize.Cell{StyleID: b.st.data(kindText, markNone), Value: col.text(w)}
			case col.year:
				var y any
				if v.year != 0 {
					y = v.year
				}
				cells[c] = excelize.Cell{StyleID: b.st.data(kindText, markNone), Value: y}
			default:
				val := col.num(w)
				mk := markNone
				if col.path != "" {
					mk = cellMark(marks, col.path, val == nil, col.applies(w))
				}
				if !used[mk] {
					used[mk], b.used[mk] = true, true
				}
				cells[c] = excelize.Cell{StyleID: b.st.data(col.kind, mk), Value: val}
			}
		}
		// Top units by new applications: the reports counted in the rollup, so that a regional
		// summary does not stand beside its own subordinates.
		if nr := &w.r.T3[transform.RowNewReceived][transform.ColTotal]; w.inRollup() && nr.Known() {
			b.top = addTop(b.top, topUnit{n: nr.N, name: w.bodyName(), city: cityName(w.city())})
		}
		return d.add(values)
	})
	if err != nil {
		return err
	}
	if err := d.close("（本年度没有报告）"); err != nil {
		return err
	}
	about := "每份报告一行：城市、单位、来源文件，表二、表四的全部数字，表三的主要数字，以及校验问题的个数。"
	var colours []string
	if b.used[markError] || b.used[markWarning] || b.used[markInfo] {
		colours = append(colours, "被校验问题点名的单元格按严重程度着色")
	}
	if b.used[markBlank] {
		colours = append(colours, "报告未给出数字的单元格为灰色")
	}
	if len(colours) > 0 {
		about += strings.Join(colours, "，") + "（见本页颜色图例）。"
	}
	b.guideParts(d, about)
	return nil
}

func (b *workbookBuilder) guideParts(d *detailSheet, about string) {
	for k, name := range d.parts {
		text := about
		if k > 0 {
			text = fmt.Sprintf("“%s”的续表（第 %d 部分）。", d.base, k+1)
		}
		b.guide = append(b.guide, sheetGuide{name, text})
	}
}

// detailSheet writes 申请明细: Table 3 in long form, one row per report and row.
func (b *workbookBuilder) detailSheet() error {
	v := b.v
	labelW := 0
	for _, row := range transform.T3Rows {
		labelW = max(labelW, displayWidth(row.CN))
	}
	cols := []detailCol{
		{header: "城市", kind: kindText, width: textWidth("城市", v.width(wCity))},
		{header: "报告主体", kind: kindText, width: textWidth("报告主体", v.width(wBody))},
		{header: "年报格式", kind: kindText, width: 16},
		{header: "行次", kind: kindText, width: 9},
		{header: "项目", kind: kindText, width: float64(min(labelW+2, 60))},
		{header: "推算", kind: kindText, width: 6},
	}
	for _, c := range transform.T3Cols {
		cols = append(cols, detailCol{header: "表三 " + c.CN, kind: kindCount, width: numberWidth("表三 "+c.CN, kindCount)})
	}
	cols = append(cols, detailCol{header: "行键", kind: kindText, width: 28},
		detailCol{header: "报告编号", kind: kindText, width: textWidth("报告编号", v.width(wID))})
	d := b.newDetailSheet(sheetDetail, "Applications", cols, 2)

	if b.details == nil {
		return errors.New("workbook: 申请明细 is written from the pass of 各单位一览, which has not run")
	}
	values, cells := streamRow(len(cols))
	text := b.st.data(kindText, markNone)
	derivedRows, gov2019 := false, false
	// The text cells repeat: a report's names on each of its rows, a row's labels for every report.
	// Each is encoded once (cellTail), only the numbers row by row.
	var esc bytes.Buffer
	tails := make([][]byte, len(cols))
	d.tails = tails
	defer func() { d.tails = nil }()
	var rowTails [transform.NumT3Rows][3][]byte
	for row := range rowTails {
		for k := range rowTails[row] {
			rowTails[row][k] = cellTail(&esc, text, t3RowTexts[row][k])
		}
	}
	derivedTails := [2][]byte{cellTail(&esc, text, ""), cellTail(&esc, text, "是")}
	for {
		rec, err := b.details.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		r := recReader{b: rec}
		// Boxed once for the report's rows: a string stored in an interface is copied to the heap.
		var city, body, id any = r.string(), r.string(), r.string()
		version := r.string()
		derivedOther := r.byte() == 1
		derivedRows = derivedRows || derivedOther
		if version == transform.Gov2019 {
			gov2019 = true
		}
		var versionName any = named(versionNames, version)
		tails[0], tails[1], tails[2] = cellTail(&esc, text, city), cellTail(&esc, text, body), cellTail(&esc, text, versionName)
		tails[7+transform.NumT3Cols] = cellTail(&esc, text, id)
		for row := range transform.NumT3Rows {
			var derived any = ""
			tails[5] = derivedTails[0]
			if row == transform.RowOtherTotal && derivedOther {
				derived = "是"
				tails[5] = derivedTails[1]
			}
			tails[3], tails[4], tails[6+transform.NumT3Cols] = rowTails[row][0], rowTails[row][1], rowTails[row][2]
			label := &t3RowTexts[row]
			cells[0] = excelize.Cell{StyleID: text, Value: city}
			cells[1] = excelize.Cell{StyleID: text, Value: body}
			cells[2] = excelize.Cell{StyleID: text, Value: versionName}
			cells[3] = excelize.Cell{StyleID: text, Value: label[0]}
			cells[4] = excelize.Cell{StyleID: text, Value: label[1]}
			cells[5] = excelize.Cell{StyleID: text, Value: derived}
			for c := range transform.NumT3Cols {
				var val any
				mk := r.byte()
				if mk&recKnown != 0 {
					val = r.varint()
				}
				cells[6+c] = excelize.Cell{StyleID: b.st.data(kindCount, mark(mk&^recKnown)), Value: val}
			}
			cells[6+transform.NumT3Cols] = excelize.Cell{StyleID: text, Value: label[2]}
			cells[7+transform.NumT3Cols] = excelize.Cell{StyleID: text, Value: id}
			if r.err != nil {
				return r.err
			}
			if err := d.add(values); err != nil {
				return err
			}
		}
	}
	if err := d.close("（本年度没有报告）"); err != nil {
		return err
	}
	about := "表三的长表：每份报告每一行次一行，七个申请人列。"
	if derivedRows {
		about += "2021 年格式的“（六）其他处理”合计由三个子项相加，标为“推算”。"
	}
	if gov2019 {
		about += "2019 年试行格式没有“（六）其他处理”的三个子项，留空。"
	}
	b.guideParts(d, about)
	return nil
}

// t3RowTexts are the ordinal, label and key of each Table 3 row, boxed once.
var t3RowTexts = func() (t [transform.NumT3Rows][3]any) {
	for r, row := range transform.T3Rows {
		t[r] = [3]any{row.Ordinal, row.CN, row.Key}
	}
	return t
}()

// findingSheet writes 校验问题: one row per finding, errors first, each linked to its report's
// row in 各单位一览.
func (b *workbookBuilder) findingSheet() error {
	v := b.v
	// The first ten columns are printed, scaled to the width of a landscape A4 page (about 155
	// character widths, so at about 85 %): the long texts wrap, and each row is as tall as its
	// longest, so a printed row shows a whole message. The cells involved (often dozens of
	// labels) and their paths come last and stay on the screen only.
	cols := []detailCol{
		{header: "严重程度", kind: kindText, width: 9},
		{header: "规则", kind: kindText, width: 17, wrap: true},
		{header: "城市", kind: kindText, width: min(textWidth("城市", v.width(wCity)), 10), wrap: true},
		{header: "报告主体", kind: kindText, width: min(textWidth("报告主体", v.width(wBody)), 18), wrap: true},
		{header: "问题说明", kind: kindText, width: 44, wrap: true},
		{header: "疑似错误单元格", kind: kindText, width: 14, wrap: true},
		{header: "评估", kind: kindText, width: 9, wrap: true},
		{header: "位置", kind: kindText, width: 9, wrap: true},
		{header: "来源文件", kind: kindText, width: min(textWidth("来源文件", v.width(wSource)), 16), wrap: true},
		{header: "各单位一览", kind: kindText, width: 12, wrap: true},
		{header: "涉及单元格", kind: kindText, width: 50},
		{header: "涉及单元格路径", kind: kindText, width: 50},
	}
	d := b.newDetailSheet(sheetFindings, "Findings", cols, 0)
	d.printCols = len(cols) - 2
	values, cells := streamRow(len(cols))
	text, wrapped := b.st.data(kindText, markNone), b.st.wrapped()
	if b.details == nil {
		return errors.New("workbook: 校验问题 is written from the pass of 各单位一览, which has not run")
	}
	for _, rank := range []int{rankError, rankWarning, rankInfo, rankNone} {
		for {
			rec, err := b.findings[rank].next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			r := recReader{b: rec}
			k := r.uvarint()
			sev, rule, city, body, message, culprit, status, place, source, labels, paths := r.string(), r.string(),
				r.string(), r.string(), r.string(), r.string(), r.string(), r.string(), r.string(), r.string(), r.string()
			if r.err != nil {
				return r.err
			}
			b.severity[rank]++
			sheet, row := b.units.place(int(k))
			target := sheet + " 第 " + strconv.Itoa(row) + " 行"
			cells[0] = excelize.Cell{StyleID: b.st.data(kindText, markFromRank(rank)), Value: named(severityNames, sev)}
			cells[1] = excelize.Cell{StyleID: wrapped, Value: rule}
			cells[2] = excelize.Cell{StyleID: wrapped, Value: city}
			cells[3] = excelize.Cell{StyleID: wrapped, Value: body}
			cells[4] = excelize.Cell{StyleID: wrapped, Value: message}
			cells[5] = excelize.Cell{StyleID: wrapped, Value: culprit}
			cells[6] = excelize.Cell{StyleID: wrapped, Value: named(statusNames, status)}
			cells[7] = excelize.Cell{StyleID: wrapped, Value: place}
			cells[8] = excelize.Cell{StyleID: wrapped, Value: source}
			// Our own formula, built from a sheet name and a row number only: no report text
			// ever reaches a formula.
			cells[9] = excelize.Cell{StyleID: b.st.wrappedLink(), Value: target,
				Formula: "HYPERLINK(\"#" + quoteSheet(sheet) + "!A" + strconv.Itoa(row) + "\",\"" + target + "\")"}
			cells[10] = excelize.Cell{StyleID: text, Value: labels}
			cells[11] = excelize.Cell{StyleID: text, Value: paths}
			if err := d.add(values); err != nil {
				return err
			}
		}
	}
	if err := d.close("（本年度的报告没有校验问题）"); err != nil {
		return err
	}
	b.guideParts(d, "每个校验问题一行，错误在前、警告次之、提示最后；“各单位一览”列的链接跳到该单位在“各单位一览”中的行。"+
		"长文字自动换行；打印时只打印前十列，缩放到 A4 横向一页宽；“涉及单元格”和“涉及单元格路径”（供程序使用）在最后，不打印。")
	return nil
}

// rejectSheet writes 未能读取: every input of the run that gave no report. Rejects have no year,
// so every workbook of the run lists them all.
func (b *workbookBuilder) rejectSheet() error {
	// Reasons are shown in Chinese; the program's English wording, which the log, run.json and
	// the rejects table keep, follows in the last column, which is not printed.
	cols := []detailCol{
		{header: "文件", kind: kindText, width: 40, wrap: true},
		{header: "阶段", kind: kindText, width: 10},
		{header: "位置", kind: kindText, width: 14, wrap: true},
		{header: "原因", kind: kindText, width: 50, wrap: true},
		{header: "字节数", kind: kindCount, width: 12},
		{header: "SHA-256", kind: kindText, width: 66},
		{header: "原因（程序原文）", kind: kindText, width: 60},
	}
	d := b.newDetailSheet(sheetRejects, "Rejects", cols, 1)
	d.printCols = 5
	values, cells := streamRow(len(cols))
	text, wrapped := b.st.data(kindText, markNone), b.st.wrapped()
	for i := range b.run.in.Rejects {
		r := &b.run.in.Rejects[i]
		reason := valid(r.Reason)
		cells[0] = excelize.Cell{StyleID: wrapped, Value: valid(r.Path)}
		cells[1] = excelize.Cell{StyleID: text, Value: named(stageNames, valid(r.Stage))}
		cells[2] = excelize.Cell{StyleID: wrapped, Value: valid(r.Place)}
		cells[3] = excelize.Cell{StyleID: wrapped, Value: rejectReasonZH(reason)}
		cells[4] = excelize.Cell{StyleID: b.st.data(kindCount, markNone), Value: r.Bytes}
		cells[5] = excelize.Cell{StyleID: text, Value: valid(r.SHA256)}
		cells[6] = excelize.Cell{StyleID: text, Value: reason}
		if err := d.add(values); err != nil {
			return err
		}
	}
	if err := d.close("（本次运行没有未能读取的文件）"); err != nil {
		return err
	}
	b.guideParts(d, "本次运行中未能读取的全部文件（不分年度）：文件、出错的阶段和位置、原因。")
	return nil
}

// resultGroups are the six outcome groups of the result chart, each the sum of Table 3 rows.
var resultGroups = []struct {
	label string
	rows  []int
}{
	{"予以公开", []int{transform.RowGranted}},
	{"部分公开", []int{transform.RowPartiallyGranted}},
	{"不予公开", rowRange(transform.RowWithheldFirst, transform.RowWithheldLast)},
	{"无法提供", rowRange(transform.RowUnavailableFirst, transform.RowUnavailableLast)},
	{"不予处理", rowRange(transform.RowRejectedFirst, transform.RowRejectedLast)},
	{"其他处理", []int{transform.RowOtherTotal}},
}

func rowRange(first, last int) []int {
	var rows []int
	for r := first; r <= last; r++ {
		rows = append(rows, r)
	}
	return rows
}

// topUnits is how many units the applications chart shows.
const topUnits = 20

// chartSheet writes 图表: the data of two charts and the charts, native Excel charts over it.
func (b *workbookBuilder) chartSheet() error {
	f, st, v := b.f, b.st, b.v
	name := b.names.take(sheetCharts)
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	gr := &grid{f: f, sheet: name}
	for c, w := range []float64{6, 36, 14, 14} {
		gr.keep(f.SetColWidth(name, colName(c+1), colName(c+1), w))
	}

	// The top units were found by unitSheet.
	units := b.top

	head := st.formHead()
	gr.span(1, 1, 4, 1, fmt.Sprintf("本年新收政府信息公开申请数量最多的 %d 个单位（计入汇总的报告，表三第一行总计）", len(units)), st.heading())
	gr.str(1, 2, "排名", head)
	gr.str(2, 2, "单位", head)
	gr.str(3, 2, "城市", head)
	gr.str(4, 2, "本年新收申请", head)
	for k, u := range units {
		gr.num(1, 3+k, int64(k+1), st.form(kindCount, markNone))
		gr.str(2, 3+k, u.name, st.formLabel("left"))
		gr.str(3, 3+k, u.city, st.formLabel("left"))
		gr.num(4, 3+k, u.n, st.form(kindCount, markNone))
	}

	// The result breakdown of every city, from rollup_city.
	resRow := 3 + max(len(units), 1) + 2
	gr.span(1, resRow, 4, resRow, "各城市本年度办理结果（全市汇总，表三总计列）", st.heading())
	gr.str(2, resRow+1, "城市", head)
	for k, g := range resultGroups {
		gr.str(3+k, resRow+1, g.label, head)
		if k >= 2 {
			gr.keep(f.SetColWidth(name, colName(3+k), colName(3+k), 12))
		}
	}
	var cities []*cityGroup
	for k := range v.cities {
		if v.cities[k].rollup != nil {
			cities = append(cities, &v.cities[k])
		}
	}
	for k, g := range cities {
		row := resRow + 2 + k
		gr.str(2, row, cityName(g.city), st.formLabel("left"))
		for c, rg := range resultGroups {
			names := make([]string, len(rg.rows))
			for x, r := range rg.rows {
				names[x] = t3Measure(r, transform.ColTotal)
			}
			gr.num(3+c, row, measureSum(g.rollup, names...), st.form(kindCount, markNone))
		}
	}
	if gr.err != nil {
		return gr.err
	}

	sheet := quoteSheet(name)
	chartCol := colName(3 + len(resultGroups) + 1)
	if len(units) > 0 {
		noVary := false
		last := strconv.Itoa(2 + len(units))
		err := f.AddChart(name, chartCol+"2", &excelize.Chart{
			Type: excelize.Bar,
			Series: []excelize.ChartSeries{{
				Name:       sheet + "!$D$2",
				Categories: sheet + "!$B$3:$B$" + last,
				Values:     sheet + "!$D$3:$D$" + last,
			}},
			Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "本年新收申请数量最多的单位"}}},
			Legend:     excelize.ChartLegend{Position: "none"},
			VaryColors: &noVary,
			XAxis:      excelize.ChartAxis{ReverseOrder: true},
			PlotArea:   excelize.ChartPlotArea{ShowVal: true},
			Dimension:  excelize.ChartDimension{Width: 760, Height: uint(160 + 22*len(units))},
		})
		if err != nil {
			return err
		}
	}
	if len(cities) > 0 {
		first, last := strconv.Itoa(resRow+2), strconv.Itoa(resRow+1+len(cities))
		anchor := chartCol + strconv.Itoa(max(resRow, 2+len(units)+14))
		chart := &excelize.Chart{
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "本年度办理结果构成"}}},
			Legend:    excelize.ChartLegend{Position: "right"},
			Dimension: excelize.ChartDimension{Width: 760, Height: 420},
		}
		if len(cities) == 1 {
			// One city: a pie of its six outcome groups.
			chart.Type = excelize.Pie
			chart.Series = []excelize.ChartSeries{{
				Name:       sheet + "!$B$" + first,
				Categories: sheet + "!$C$" + strconv.Itoa(resRow+1) + ":$" + colName(2+len(resultGroups)) + "$" + strconv.Itoa(resRow+1),
				Values:     sheet + "!$C$" + first + ":$" + colName(2+len(resultGroups)) + "$" + first,
			}}
			chart.PlotArea = excelize.ChartPlotArea{ShowPercent: true, ShowLeaderLines: true}
		} else {
			// Several cities: one bar per city, split into the six groups as shares.
			chart.Type = excelize.BarPercentStacked
			chart.XAxis = excelize.ChartAxis{ReverseOrder: true}
			chart.Dimension.Height = uint(200 + 28*len(cities))
			for c := range resultGroups {
				col := colName(3 + c)
				chart.Series = append(chart.Series, excelize.ChartSeries{
					Name:       sheet + "!$" + col + "$" + strconv.Itoa(resRow+1),
					Categories: sheet + "!$B$" + first + ":$B$" + last,
					Values:     sheet + "!$" + col + "$" + first + ":$" + col + "$" + last,
				})
			}
		}
		if err := f.AddChart(name, anchor, chart); err != nil {
			return err
		}
	}
	if err := b.printSetup(name, true, ""); err != nil {
		return err
	}
	var charts []string
	if len(units) > 0 {
		charts = append(charts, fmt.Sprintf("本年新收申请最多的 %d 个单位", len(units)))
	}
	if len(cities) > 0 {
		who := "各城市"
		if len(cities) == 1 {
			who = cityName(cities[0].city)
		}
		charts = append(charts, who+"办理结果的构成（予以公开、部分公开、不予公开、无法提供、不予处理、其他处理）")
	}
	about := "原生 Excel 图表及其数据：" + strings.Join(charts, "；") + "。"
	if len(charts) == 0 {
		about = "本年度没有计入汇总的数字，没有图表。"
	}
	b.guide = append(b.guide, sheetGuide{name, about})
	return nil
}

// aboutSheet writes 说明, the first sheet: what the workbook is, the run, a guide to the sheets,
// the colour legend and the rules the figures follow.
func (b *workbookBuilder) aboutSheet(name string) error {
	f, st, v, run := b.f, b.st, b.v, b.run
	gr := &grid{f: f, sheet: name}
	gr.keep(f.SetColWidth(name, "A", "A", 24))
	gr.keep(f.SetColWidth(name, "B", "B", 100))
	row := 1
	gr.span(1, row, 2, row, yearTitle(v.year)+"政府信息公开工作年度报告汇总工作簿", st.title())
	gr.height(row, 26)
	row++
	para := func(s string) {
		gr.span(1, row, 2, row, s, st.note())
		gr.height(row, rowHeight(lines(s, 124)))
		row++
	}
	pair := func(k string, val any) {
		gr.str(1, row, k, st.formLabel("left"))
		switch val := val.(type) {
		case string:
			gr.str(2, row, val, st.formLabel("left"))
			gr.height(row, rowHeight(lines(val, 100)))
		default:
			gr.num(2, row, val, st.get(styleKey{role: roleForm, kind: kindCount, align: "left"}))
		}
		row++
	}
	heading := func(s string) {
		row++
		gr.span(1, row, 2, row, s, st.heading())
		row++
	}
	para("本工作簿由 govreports 根据各单位的政府信息公开工作年度报告自动生成：按城市汇总表二、表三、表四（版式同官方表格），" +
		"逐单位列出全部数字，并列出校验发现的问题和未能读取的文件。数字与同一次运行的 Parquet 数据完全一致（由同一批记录生成）。")

	heading("本次运行")
	members := 0
	for _, g := range v.cities {
		members += len(g.members)
	}
	hash := run.opt.InputHash
	if hash == "" {
		hash = "（未提供）"
	}
	yearText := strconv.Itoa(v.year)
	if v.year == 0 {
		yearText = "未识别（报告中找不到年度）"
	}
	pair("报告年度", yearText)
	pair("本工作簿报告数", int64(v.n))
	pair("其中计入汇总", int64(members))
	pair("本次运行读取的文件", int64(run.inputs))
	pair("本次运行生成的报告（各年度）", run.reports)
	pair("未能读取的文件", int64(run.rejects))
	pair("校验问题（本工作簿）", fmt.Sprintf("错误 %d 个，警告 %d 个，提示 %d 个", b.severity[rankError],
		b.severity[rankWarning], b.severity[rankInfo]))
	pair("数据结构版本", run.opt.SchemaVersion)
	pair("输入文件集哈希（SHA-256）", hash)
	pair("生成程序", run.opt.CreatedBy)

	heading("各工作表")
	for _, s := range b.guide {
		gr.str(1, row, s.name, st.link())
		gr.keep(f.SetCellHyperLink(name, cellName(1, row), quoteSheet(s.name)+"!A1", "Location"))
		gr.str(2, row, s.about, st.note())
		gr.height(row, rowHeight(lines(s.about, 100)))
		row++
	}

	b.used[markError] = b.severity[rankError] > 0
	b.used[markWarning] = b.severity[rankWarning] > 0
	b.used[markInfo] = b.severity[rankInfo] > 0
	b.used[markExcluded] = b.blankSums
	colours := false
	for m, used := range b.used {
		colours = colours || used && m != markNone
	}
	if colours {
		heading("颜色图例")
	}
	legend := []struct {
		m    mark
		text string
	}{
		{markError, "红色：校验问题（错误）点名的单元格，如表三勾稽关系不成立。"},
		{markWarning, "黄色：校验问题（警告）点名的单元格，如上年结转与上年度结转下年度不一致。"},
		{markInfo, "蓝色：校验问题（提示）点名的单元格。"},
		{markBlank, "灰色：报告在此处没有给出数字（空白、“/”、“—”等）。单元格留空，不当作 0。"},
		{markExcluded, "橙色（全市汇总）：有报告此项为空白，汇总时未计入；批注写明涉及哪些报告。"},
	}
	for _, l := range legend {
		if !b.used[l.m] {
			continue // a colour the workbook does not use needs no legend
		}
		gr.str(1, row, "示例", st.form(kindText, l.m))
		gr.str(2, row, l.text, st.note())
		row++
	}

	heading("阅读须知")
	notes := b.readingNotes()
	notes = append(notes, b.notes...)
	for _, n := range notes {
		para("· " + n)
	}
	if gr.err != nil {
		return gr.err
	}
	return b.printSetup(name, true, "")
}

// readingNotes are the rules of 阅读须知, each printed only when the workbook has what it speaks of.
func (b *workbookBuilder) readingNotes() []string {
	v := b.v
	roles := map[transform.Role]bool{}
	for ref := range v.facts.roles {
		roles[ref.role] = true
	}
	notes := []string{"全市汇总：每个单位只计一次；表中的数字是计入汇总的报告之和。"}
	if roles[transform.RoleContained] {
		notes = append(notes, "已含在汇总报告中：本批次中有某区划的汇总报告时（全市、全区、全县汇总包含该区划内的全部单位，本级汇总只包含"+
			"本级政府部门），它已包含的报告不再相加；“各单位一览”的“汇总角色”写明是哪一份汇总报告。")
	}
	if roles[transform.RoleDuplicate] {
		notes = append(notes, "重复报告：同一单位同年度有两份以上报告时只采用一份（错误较少、读取可信度较高、修订版优先，其次按输入顺序），"+
			"其余保留在“各单位一览”中，不计入汇总。")
	}
	if roles[transform.RoleExcluded] {
		notes = append(notes, "按设置不计入：运行时指定排除的单位或区划，其报告列在“各单位一览”中，不计入任何汇总。")
	}
	for _, g := range v.cities {
		if g.city == "" {
			notes = append(notes, "城市：无法从报告中识别城市的单位归入“"+unknownCity+"”，单独成组汇总。")
			break
		}
	}
	blank := "空白不是 0：报告中空白、“/”、“—”的单元格在本工作簿中留空，汇总时不计入"
	if b.blankSums {
		blank += "；有此情况的合计以橙色标出"
	}
	notes = append(notes, blank+"。")
	if v.facts.gov2019 > 0 {
		notes = append(notes, "2019 年试行格式：试行格式的表二指标与 2021 年格式不同，表三“（六）其他处理”只有一行（没有三个子项）。"+
			"同一城市两种格式并存时，全市汇总分别列出两种表二，表三的三个子项只汇总 2021 年格式的报告，另给出全部报告的“（六）其他处理”合计。")
	}
	notes = append(notes, "行政事业性收费的单位为万元，保留两位至六位小数；其余数字均为件数。")
	if b.run.rejects > 0 {
		notes = append(notes, "未能读取的文件没有年度，每个年度的工作簿都列出本次运行的全部未能读取文件。")
	}
	return append(notes, "本工作簿不含公式（“校验问题”中的跳转链接除外），可放心排序、筛选；同样的输入总是生成完全相同的文件。")
}
