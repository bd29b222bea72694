package transform

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/govreports/govreports/extract"
)

// Options configure Transform.
type Options struct {
	// Aliases map body names to city, level and parent; nil means none.
	Aliases *Aliases
	// DirCity is the name of the input's folder, used as the city when the body name lacks one and
	// the folder is named like a city (平顶山市); other folder names are ignored.
	DirCity string
	// Dir is the input's folder relative to the input root, slash-separated ("江苏省/淮安市"): its
	// names help place a body whose name fits several places (鼓楼区) or names none.
	Dir string
}

// ErrNoReport is the cause of a document in which no report table was found.
var ErrNoReport = fmt.Errorf("%w: no report tables (表二/表三/表四) found", extract.ErrNoContent)

// Transform turns a Document into reports: usually one, several for a collection workbook or a file
// that joins whole reports one after the other. An error
// means the document holds no report at all; it is an *extract.Error naming the file and place, or
// ctx.Err() when ctx is cancelled (checked between the stages and in the loops over a workbook's
// rows).
func Transform(ctx context.Context, doc *extract.Document, opt Options) ([]*Report, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// A folder tells the city only when it is named like one ("平顶山市/"), not "2024/" or "inbox/".
	opt.DirCity = cityOf(opt.DirCity)
	// Collection workbooks (one row per unit) come from platforms that export spreadsheets.
	if doc.Source.Format == extract.FormatXLSX {
		if reps, ok, err := collectionReports(ctx, doc, opt); ok || err != nil {
			return reps, err
		}
	}
	reps, err := transformDoc(doc, opt)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return reps, nil
}

// transformDoc reads the report of a document laid out as text, or each report of a file that
// holds several whole reports one after the other.
func transformDoc(doc *extract.Document, opt Options) ([]*Report, error) {
	sc := getScratch()
	defer sc.put()
	lines := splitArticles(documentLines(doc, sc))
	hs := findHeadings(lines)
	pages := pageStarts(doc.Notes)
	starts, untitled := reportStarts(lines, hs)
	if len(starts) == 0 {
		rep, err := transformOne(doc, opt, sc, lines, hs, pages, "")
		if err != nil {
			return nil, err
		}
		return []*Report{rep}, nil
	}
	// Each report is read from its own lines, as if it were alone in the file.
	bounds := append(append([]int{0}, starts...), len(lines))
	var reps []*Report
	var at []int    // the line each report starts at
	var bare []bool // the report has no title of its own
	for k := 0; k+1 < len(bounds); k++ {
		a, b := bounds[k], bounds[k+1]
		part := lines[a:b:b]
		var ps []int
		for _, p := range pages {
			if p >= a && p < b {
				ps = append(ps, p-a)
			}
		}
		unit := ""
		if k > 0 {
			unit = fmt.Sprintf("#%d", k+1)
		}
		rep, err := transformOne(doc, opt, sc, part, findHeadings(part), ps, unit)
		if err != nil {
			if k == 0 {
				return nil, err
			}
			continue // a trailing part without tables is no report
		}
		noTitle := k > 0 && untitled[k-1]
		if k > 0 && (sameReport(reps[0], rep) || noTitle && sameTables(reps[0], rep)) {
			// The same report printed twice (a page with its 超链版 and 图片版): one copy, or the
			// rollups would count it twice.
			reps[0].add(Finding{Rule: RuleSSections, Severity: SevInfo, Status: "uncertain", Place: lineplace(lines, a),
				Message: "文件中同一份报告出现两次（标题、年度和三张表的数值都相同），只计一次"})
			continue
		}
		if noTitle {
			// Its title was lost: whatever names the body (a signature) is less sure than a title.
			f := Finding{Rule: RuleSBody, Severity: SevWarning, Status: "uncertain", Place: lineplace(lines, a),
				Message: "这份报告没有标题（紧接在前一份报告之后，从“一、总体情况”开始），报告单位未能识别"}
			if rep.Body != "" {
				f.Message = fmt.Sprintf("这份报告没有标题（紧接在前一份报告之后，从“一、总体情况”开始），报告单位按文末落款识别为“%s”，请核对", rep.Body)
			}
			// It says why the body is unknown: in place of the plain "no body in the title".
			if i := slices.IndexFunc(rep.Findings, func(x Finding) bool { return x.Rule == RuleSBody && x.Place == "" }); i >= 0 && rep.Body == "" {
				rep.Findings[i] = f
			} else {
				rep.add(f)
			}
		}
		reps, at, bare = append(reps, rep), append(at, a), append(bare, noTitle)
	}
	if len(reps) > 1 {
		for k, rep := range reps {
			what := "各有标题和一至六部分"
			if slices.Contains(bare, true) {
				what = "各有一至六部分和表格，其中有的没有标题"
			}
			rep.add(Finding{Rule: RuleSSections, Severity: SevWarning, Status: "uncertain", Place: lineplace(lines, at[k]),
				Message: fmt.Sprintf("文件中依次含有%d份完整的年度报告（%s），已分别读取，这是第%d份", len(reps), what, k+1)})
		}
	}
	return reps, nil
}

// sameReport reports whether two reports read from one file are copies: the same body and year
// and the same values in every table.
func sameReport(a, b *Report) bool {
	return a.Body == b.Body && a.Year == b.Year && sameTables(a, b)
}

// sameTables reports whether two reports hold the same values in every table.
func sameTables(a, b *Report) bool {
	same := func(x, y []Value) bool {
		for i := range x {
			if x[i].Kind != y[i].Kind || x[i].N != y[i].N {
				return false
			}
		}
		return true
	}
	if !same(a.T2[:], b.T2[:]) || !same(a.T4[:], b.T4[:]) {
		return false
	}
	for r := range a.T3 {
		if !same(a.T3[r][:], b.T3[r][:]) {
			return false
		}
	}
	return true
}

func transformOne(doc *extract.Document, opt Options, sc *scratch, lines []line, hs []heading, pages []int, unit string) (*Report, error) {
	t2, t3, t4 := tableRegions(lines, hs)
	if !t2.found() && !t3.found() && !t4.found() {
		return nil, &extract.Error{Path: doc.Source.Path, Err: ErrNoReport}
	}
	tablesEnd := max(t2.end, t3.end, t4.end) // before ownPeriod narrows them: what follows is no report's
	// Another period's copy of a table (上年度) beside the report's own: read the own one.
	yc := reportYear{lines: lines}
	var otherPeriod []Finding
	var dropped [3][]int
	t2, dropped[0] = ownPeriod(lines, t2, t2Words, &yc)
	t3, dropped[1] = ownPeriod(lines, t3, t3Words, &yc)
	t4, dropped[2] = ownPeriod(lines, t4, t4Words, &yc)
	for k, d := range dropped {
		if len(d) > 0 {
			otherPeriod = append(otherPeriod, otherPeriodFinding(lines, [3]string{"表二", "表三", "表四"}[k], d))
		}
	}
	rep := &Report{ID: reportID(doc.Source.SHA256, unit), Source: doc.Source}
	for _, f := range otherPeriod {
		rep.add(f)
	}
	rd := reader{rep: rep, lines: lines, pageStarts: pages, sc: sc}
	if !rd.readColumns(t2, t3, t4) {
		rd.readTable2(t2)
		rd.readTable3(t3)
		rd.readTable4(t4)
	}
	if rep.Reads["table2"].Cells == 0 && rep.Reads["table3"].Cells == 0 && rep.Reads["table4"].Cells == 0 {
		place := ""
		for _, reg := range []region{t3, t2, t4} {
			if reg.found() {
				place = lineplace(lines, reg.start)
				break
			}
		}
		return nil, &extract.Error{Path: doc.Source.Path, Place: place,
			Err: fmt.Errorf("%w: headings found but no table values could be read after them", extract.ErrNoContent)}
	}
	rep.FormatVersion = formatVersion(rd.t2Version, rd.t3Version)
	rd.unstatedUnits()
	id := identify(lines)
	rep.Title, rep.Body = id.title, id.body
	rep.Year = id.titleYear
	if rep.Year == 0 {
		rep.Year = id.periodYear
	}
	// The signature (落款) completes a title that names the body in part (市教育局, 鼓楼区人民政府)
	// or not at all: it is the body's own name, surer than any folder.
	issuer, issuerLine := signature(lines)
	switch {
	case issuer == "" || issuer == id.body:
	case id.body == "":
		rep.Body = issuer
		rep.add(Finding{Rule: RuleSBody, Severity: SevInfo, Status: "uncertain", Place: lineplace(lines, issuerLine),
			Message: fmt.Sprintf("标题未写报告单位，按文末落款识别为“%s”", issuer)})
	case strings.HasSuffix(issuer, id.body):
		rep.Body = issuer
		rep.add(Finding{Rule: RuleSBody, Severity: SevInfo, Status: "uncertain", Place: lineplace(lines, issuerLine),
			Message: fmt.Sprintf("标题中的报告单位“%s”按文末落款补全为“%s”", id.body, issuer)})
	}
	rep.placeBody(opt, id.title, "", id.titlePos, func() string { return narrative(lines) }, issuer)
	rep.Version = versionOf(lines, doc.Source.Path)
	rep.detectScope(lines, hs, rep.Region.Scope)
	if rep.Body == "" {
		rep.add(Finding{Rule: RuleSBody, Severity: SevWarning, Status: "not_assessable", Message: "未能从标题识别报告单位"})
	}
	if len(id.doubt) > 0 {
		rep.add(Finding{Rule: RuleSBody, Severity: SevWarning, Status: "uncertain", Place: id.titlePos,
			Message: fmt.Sprintf("文中有多个标题样式的行，报告单位和年度取自“%s”，另有“%s”，请核对", id.title, strings.Join(id.doubt, "”“"))})
	}
	rep.addNotes(doc.Notes)
	rep.DeriveOtherTotal()
	check(rep)
	rep.checkStructure(lines, hs, id, [2]string{rd.t2Version, rd.t3Version})
	rep.checkNarrative(lines, hs)
	rd.flagUnread(hs, tablesEnd)
	return rep, nil
}

// pageStarts lists the text lines that begin a page: a form feed's line, the line after a page
// number. Empty for formats without pages.
func pageStarts(notes []extract.Note) []int {
	var out []int
	for _, n := range notes {
		switch n.Code {
		case "page-break":
			out = append(out, n.Pos.Line)
		case "page-furniture":
			out = append(out, n.Pos.Line+1)
		}
	}
	return out
}

// formatVersion of the report: Table 3 decides, being the larger table; Table 2 when Table 3 is silent.
func formatVersion(t2, t3 string) string {
	for _, v := range []string{t3, t2} {
		if v == Gov2021 || v == Gov2019 {
			return v
		}
	}
	return Unknown
}

// DeriveOtherTotal fills other_total of a report that prints the 2021 sub-rows of (六)其他处理 from
// those sub-rows, so that rollups can add it across formats: in the gov2021 format, and in an
// unknown format that states any sub-row. A column stays absent unless all three sub-rows are known.
func (r *Report) DeriveOtherTotal() {
	if !r.OtherTotalDerived() {
		return
	}
	for c := 0; c < NumT3Cols; c++ {
		var sum Sum
		ok := true
		for row := RowOtherNoCorrection; row <= RowOtherOther && ok; row++ {
			v := r.T3[row][c]
			ok = v.Known() && sum.add(v)
		}
		r.T3[RowOtherTotal][c] = Value{}
		if ok {
			kind := Zero
			if sum.N != 0 {
				kind = Numeric
			}
			r.T3[RowOtherTotal][c] = Value{Kind: kind, N: sum.N, Method: ByGrid}
		}
	}
}

// OtherTotalDerived reports whether other_total was summed from the three (六) sub-rows rather than
// read: always in the gov2021 format, in an unknown format when it states any sub-row, never in
// gov2019, which prints (六)其他处理 as one row.
func (r *Report) OtherTotalDerived() bool {
	switch r.FormatVersion {
	case Gov2021:
		return true
	case Gov2019:
		return false
	}
	for row := RowOtherNoCorrection; row <= RowOtherOther; row++ {
		for _, v := range r.T3[row] {
			if v.Kind != Absent {
				return true
			}
		}
	}
	return false
}

// noteSeverity grades what readers notice: a page number dropped from PDF text is routine, a
// formula without a value or a table pasted as an image leaves numbers unread.
var noteSeverity = map[string]Severity{
	"page-furniture": "",
	"page-break":     "",
	"hidden":         SevInfo,
	"hidden-row":     SevInfo,
	"hidden-column":  SevInfo,
	"aside-column":   SevInfo,
	"hidden-sheet":   SevInfo,
	// S.TEXT_CELL warns of a TRUE, #REF! or date in a table; the note says what the cell is.
	"typed-cell":       SevInfo,
	"unknown-charset":  SevInfo,
	"charset-mismatch": SevInfo,
	"charset-utf8":     SevInfo,
}

// noteMessage says in Chinese what a reader's note means for the numbers; the reader's own words
// follow in brackets.
var noteMessage = map[string]string{
	"formula-no-cache": "公式单元格没有保存计算结果，该单元格按空值处理",
	"formula-computed": "公式单元格没有保存计算结果，已按公式由所引用的单元格算出",
	"typed-cell":       "单元格存的是逻辑值、错误值或日期，不是数字，该单元格按空值处理",
	"altchunk-unread":  "文档中嵌入的外部内容（altChunk）无法读取，其中如有表格，数字未能读取",
	"clipped-table":    "表格超出页面边缘，页面以外的列未能读取",
	"struck-text":      "页面上有带删除线的文字（打印出的修订删除内容），未作为内容读取",
	"clipped-cell":     "单元格中的数字被页面边缘截断，该单元格按空值处理",
	"image-table":      "表格以图片形式插入，无法读取其中的数字",
	"hidden-row":       "工作表中有隐藏的行，已照常读取",
	"hidden-twin-row":  "工作表中隐藏的行与显示的行标签相同（如上年数或草稿），按显示的行读取，隐藏行未读取",
	"hidden-column":    "工作表中有隐藏的列，已照常读取",
	"aside-column":     "表格旁的备注、校验列或无表头的隐藏列不是表内数值，未作为数值读取",
	"hidden-sheet":     "工作簿中有隐藏的工作表，已照常读取",
	"unknown-charset":  "网页声明的字符集无法识别，已按内容判断编码",
	"charset-mismatch": "网页声明为UTF-8但内容不是UTF-8，已按GB18030读取",
	"charset-utf8":     "网页声明的字符集与内容不符，内容是UTF-8，已按UTF-8读取",
}

// addNotes turns what a reader noticed into findings (S.SOURCE).
func (r *Report) addNotes(notes []extract.Note) {
	var uncomputed map[extract.Pos]int // the report's cells that are formulas without a value
	for _, n := range notes {
		if (n.Code == "formula-no-cache" || n.Code == "clipped-cell" || n.Code == "typed-cell") && uncomputed == nil {
			uncomputed = map[extract.Pos]int{}
			r.eachCell(func(id int, v *Value) {
				if v.Kind == Text && v.Pos != (extract.Pos{}) {
					uncomputed[v.Pos] = id
				}
			})
		}
	}
	for _, n := range notes {
		sev, known := noteSeverity[n.Code]
		if !known {
			sev = SevWarning
		}
		if sev == "" {
			continue
		}
		msg := n.Message
		if cn, ok := noteMessage[n.Code]; ok {
			msg = cn + "（" + n.Message + "）"
		}
		id, inTable := uncomputed[n.Pos]
		f := Finding{Rule: RuleSSource, Severity: sev, Status: "uncertain", Place: n.Pos.String(), Message: msg}
		if inTable && (n.Code == "formula-no-cache" || n.Code == "clipped-cell" || n.Code == "typed-cell") {
			// The formula (or the cut number) is a cell of a table: name it, so the null is
			// explained where it is.
			f.Cells = []string{cellPath(id)}
			f.Message = r.cellName(id) + " " + msg
		}
		r.add(f)
	}
}

// reportID is stable across runs: the content hash, plus the unit for collection workbooks.
func reportID(sha, unit string) string {
	if unit == "" {
		if len(sha) >= 16 {
			return sha[:16]
		}
		return sha
	}
	return extract.SHA256Hex([]byte(sha + "|" + unit))[:16]
}
