package load

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// The workbook tests read the written files back with excelize (and archive/zip), and compare them
// with the Arrow records they were built from, read independently through recordRows.

// workbookReports is a batch that exercises the workbook: one city with mixed formats, blanks,
// findings of every severity and a regional summary that stays out of its rollup; a city with one
// report; a body without a city; and a second year in the trial format only.
func workbookReports() []*transform.Report {
	a := newReport("wb-pds-a", "平顶山市", "平顶山市教育局", 2024, transform.Gov2021, transform.ScopeOrgan)
	fillT2Current(a, 5)
	a.T2[transform.T2AdminFees] = wan("12.5", 12_500000)
	fillT3(a, 3)
	fillT4(a, 1)

	b := newReport("wb-pds-b", "平顶山市", "平顶山市城乡一体化示范区", 2024, transform.Gov2021, transform.ScopeOrgan)
	fillT2Current(b, 7)
	b.T2[transform.T2AdminFees] = wan("7730.28", 7730_280000)
	fillT3(b, 4)
	fillT4(b, 2)
	b.T3[transform.RowGranted][0] = blankAt(44)
	b.T2[transform.T2Penalty] = naAt(17)
	b.T4[4] = blankAt(90)
	b.Findings = []transform.Finding{
		{Rule: "S.BLANKS", Severity: transform.SevWarning, Message: "3 个单元格为空白或“/”",
			Cells: []string{"table3.granted.natural_person", "table2.penalty.decisions", "table4.review.total"}},
		{Rule: "T3.BALANCE", Severity: transform.SevError, Message: "总计列：第一项加第二项之和不等于第三项加第四项之和",
			Cells: []string{"table3.new_received.total", "table3.carried_over.total",
				"table3.total_processed.total", "table3.carried_forward.total"},
			Culprit: "table3.new_received.total", Status: "fail", Place: "41:9"},
		{Rule: "X.YOY", Severity: transform.SevInfo, Message: "行政许可较上年增长超过 5 倍",
			Cells: []string{"table2.licensing.decisions"}},
	}

	c := newReport("wb-pds-c", "平顶山市", "平顶山市卫生健康委员会", 2024, transform.Gov2019, transform.ScopeOrgan)
	fillLegacyT2(c)
	fillT3(c, 2)
	fillT4(c, 3)

	// A district's summary beside the city's organs: siblings, all summed.
	d := newReport("wb-pds-d", "平顶山市", "平顶山市新华区人民政府", 2024, transform.Gov2021, transform.ScopeRegional)
	fillT2Current(d, 11)
	d.T2[transform.T2AdminFees] = wan("3.5", 3_500000)
	fillT3(d, 9)
	fillT4(d, 3)
	d.Findings = []transform.Finding{{Rule: "H.SCOPE", Severity: transform.SevInfo, Message: "区域汇总报告"}}

	e := newReport("wb-ha", "淮安市", "淮安市民政局", 2024, transform.Gov2021, transform.ScopeOrgan)
	fillT2Current(e, 13)
	fillT3(e, 6)
	fillT4(e, 2)
	e.T4[0] = naAt(91) // a blank no finding names: grey

	g := newReport("wb-none", "", "城东区市场监督管理局", 2024, transform.Gov2021, transform.ScopeOrgan)
	fillT2Current(g, 3)
	fillT3(g, 5)
	fillT4(g, 1)

	h := newReport("wb-2020", "平顶山市", "平顶山市教育局", 2020, transform.Gov2019, transform.ScopeOrgan)
	fillLegacyT2(h)
	fillT3(h, 8)
	fillT4(h, 1)
	return []*transform.Report{a, b, c, d, e, g, h}
}

// fillLegacyT2 states the Table 2 of the 2019 trial format: the legacy fields and the three
// 处理决定数量 it shares with 2021.
func fillLegacyT2(r *transform.Report) {
	for i, f := range transform.T2 {
		switch {
		case f.Amount && f.Version == transform.Gov2019:
			r.T2[i] = wan("25.1", 25_100000)
		case f.Version == transform.Gov2019 || f.Col == "decisions":
			r.T2[i] = numAt(int64(i*13%50+1), 10+i, 3)
		}
	}
}

// builtWorkbooks is a batch written to workbooks, with its records read back as plain rows.
type builtWorkbooks struct {
	dir     string
	outs    []Output
	records map[string][]row
}

func buildWorkbooks(t testing.TB, reports []*transform.Report, rejects []Reject, cfg workbookConfig) builtWorkbooks {
	t.Helper()
	mem := checkedMem(t)
	out := builtWorkbooks{dir: t.TempDir()}
	w := newTestWriter(t, out.dir, mem)
	w.book = cfg
	outs, err := w.Write(context.Background(), testInput(t, reports, rejects))
	if err != nil {
		t.Fatal(err)
	}
	out.records, _ = readOutputs(t, out.dir, outs, mem)
	for _, o := range outs {
		if o.Table == OutputWorkbook {
			out.outs = append(out.outs, o)
		}
	}
	return out
}

func (bw builtWorkbooks) open(t testing.TB, year int) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(filepath.Join(bw.dir, WorkbookName(year)), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

var standardConfig = workbookConfig{maxRows: excelMaxRows}

// sheetRows reads a sheet as raw cell text, padded so that every row has n columns.
func sheetRows(t testing.TB, f *excelize.File, sheet string) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s: %v", sheet, err)
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	for i := range rows {
		for len(rows[i]) < width {
			rows[i] = append(rows[i], "")
		}
	}
	return rows
}

// table is a detail sheet read as header → column index plus data rows.
type detailTable struct {
	col  map[string]int
	rows [][]string
}

func readDetail(t testing.TB, f *excelize.File, sheet string) detailTable {
	t.Helper()
	rows := sheetRows(t, f, sheet)
	if len(rows) == 0 {
		t.Fatalf("%s is empty", sheet)
	}
	d := detailTable{col: map[string]int{}, rows: rows[1:]}
	for i, h := range rows[0] {
		d.col[h] = i
	}
	return d
}

func (d detailTable) get(t testing.TB, r []string, header string) string {
	t.Helper()
	i, ok := d.col[header]
	if !ok {
		t.Fatalf("no column %q", header)
	}
	return r[i]
}

func TestWorkbookFilesAndSheets(t *testing.T) {
	bw := buildWorkbooks(t, workbookReports(), testRejects(), standardConfig)
	var names []string
	for _, o := range bw.outs {
		names = append(names, o.Path)
		data, err := os.ReadFile(filepath.Join(bw.dir, o.Path))
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(data)) != o.Bytes || o.Table != OutputWorkbook {
			t.Errorf("%s: output %+v, file has %d bytes", o.Path, o, len(data))
		}
		if sum := sha256Hex(data); sum != o.SHA256 {
			t.Errorf("%s: sha256 %s, output says %s", o.Path, sum, o.SHA256)
		}
	}
	if want := []string{"govreports-2020.xlsx", "govreports-2024.xlsx"}; !slices.Equal(names, want) {
		t.Errorf("workbooks %v, want %v", names, want)
	}
	if o := bw.outs[1]; o.Year != 2024 || o.Rows != 6 {
		t.Errorf("2024 output %+v, want year 2024 with 6 reports", o)
	}
	entries, _ := os.ReadDir(bw.dir)
	if len(entries) != 3 {
		t.Errorf("the folder holds %d entries, want only the 2 workbooks and parquet/ (temporary files left?)", len(entries))
	}

	cases := []struct {
		year   int
		sheets []string
	}{
		{2024, []string{"说明", "全市汇总-平顶山市", "全市汇总-淮安市", "全市汇总-未识别城市", "报送情况", "各单位一览", "申请明细",
			"校验问题", "未能读取", "图表"}},
		// One city: the same naming as several.
		{2020, []string{"说明", "全市汇总-平顶山市", "报送情况", "各单位一览", "申请明细", "校验问题", "未能读取", "图表"}},
	}
	for _, c := range cases {
		f := bw.open(t, c.year)
		if got := f.GetSheetList(); !slices.Equal(got, c.sheets) {
			t.Errorf("%d: sheets %q, want %q", c.year, got, c.sheets)
		}
		if f.GetActiveSheetIndex() != 0 {
			t.Errorf("%d: the workbook opens on sheet %d, want 说明", c.year, f.GetActiveSheetIndex())
		}
	}
}

func sha256Hex(b []byte) string { return fmt.Sprintf("%x", sha256.Sum256(b)) }

// summaryTables is what a 全市汇总 sheet shows, read by its printed labels: measure name → cell.
type summaryTables struct {
	cells map[string]string // rollup measure → cell name
	t3Top int               // row of the Table 3 note cell
	t4Top int               // row of the Table 4 header 行政复议
	t2Top []int             // rows of the Table 2 block headings
	rows  [][]string
}

// readSummary finds the tables of a summary sheet by their labels, independently of the code that
// laid them out.
func readSummary(t testing.TB, f *excelize.File, sheet string) summaryTables {
	t.Helper()
	rows := sheetRows(t, f, sheet)
	s := summaryTables{cells: map[string]string{}, rows: rows}
	t3ByLabel := map[string]int{}
	for i, r := range transform.T3Rows {
		t3ByLabel[r.CN] = i
	}
	at := func(r, c int) string {
		if r < len(rows) && c < len(rows[r]) {
			return rows[r][c]
		}
		return ""
	}
	// Table 2: blocks headed 第二十条第（N）项, a header row, then rows until the next heading.
	for r := 0; r < len(rows); r++ {
		if !strings.HasPrefix(at(r, 0), "第二十条第") {
			continue
		}
		s.t2Top = append(s.t2Top, r+1)
		headers := []string{at(r+1, 6), at(r+1, 7), at(r+1, 8)} // G–I
		for k := r + 2; k < len(rows) && slices.ContainsFunc(transform.T2[:], func(f transform.T2Field) bool {
			return f.RowCN == at(k, 0)
		}); k++ {
			for c, h := range headers {
				if h == "" {
					continue
				}
				field := -1
				for i, fd := range transform.T2 {
					if fd.RowCN == at(k, 0) && (fd.ColCN == h || (h == "处理决定数量" && fd.Col == "decisions")) {
						field = i
					}
				}
				if field < 0 {
					t.Fatalf("%s: Table 2 cell %q / %q matches no field", sheet, at(k, 0), h)
				}
				s.cells[transform.T2[field].Flat()] = cellName(7+c, k+1)
			}
		}
	}
	// Table 3: the note cell, three header rows, then rows labelled in C, B or A, values in G–M.
	for r := range rows {
		if at(r, 0) == t3Note {
			s.t3Top = r + 1
			for k := r + 3; k < len(rows); k++ {
				label := cmpOr(at(k, 2), at(k, 1), at(k, 0))
				row, ok := t3ByLabel[label]
				if strings.HasPrefix(label, "附：") {
					row, ok = transform.RowOtherTotal, true
				}
				if !ok {
					break
				}
				for c := range transform.NumT3Cols {
					s.cells[t3Measure(row, c)] = cellName(7+c, k+1)
				}
			}
		}
		// Table 4: a header of three rows from B, then 15 values in B–P.
		if at(r, 1) == "行政复议" {
			s.t4Top = r + 1
			for i := range transform.NumT4 {
				s.cells[transform.T4Flat(i)] = cellName(2+i, r+4)
			}
		}
	}
	return s
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func cellValue(t testing.TB, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// expectedNumber is a record value as the workbook shows it: "" for null.
func expectedNumber(v any) string {
	switch v := v.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case millionths:
		return strconv.FormatFloat(float64(v)/1e6, 'f', -1, 64)
	}
	return ""
}

func sameNumber(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	return err1 == nil && err2 == nil && math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(x))
}

func TestWorkbookSummaryEqualsRollupAndUnits(t *testing.T) {
	bw := buildWorkbooks(t, workbookReports(), testRejects(), standardConfig)
	for _, year := range []int{2020, 2024} {
		f := bw.open(t, year)
		units := readDetail(t, f, sheetUnits)
		detail := readDetail(t, f, sheetDetail)
		checked := 0
		for _, rr := range bw.records[TableRollupCity] {
			if rr["year"] != int64(year) {
				continue
			}
			city := cityName(rr["city"].(string))
			sheet := summaryName(rr["city"].(string))
			s := readSummary(t, f, sheet)
			if s.t3Top == 0 || s.t4Top == 0 || len(s.t2Top) == 0 {
				t.Fatalf("%d %s: tables not found (t2 %v, t3 %d, t4 %d)", year, sheet, s.t2Top, s.t3Top, s.t4Top)
			}

			// The sums of the unit rows counted in the rollup, and of their 申请明细 rows.
			members := map[string]bool{}
			unitSums := map[string]float64{}
			unitSeen := map[string]bool{}
			for _, r := range units.rows {
				if units.get(t, r, "城市") != city || units.get(t, r, "计入汇总") != "是" {
					continue
				}
				members[units.get(t, r, "报告编号")] = true
				for h, i := range units.col {
					if r[i] == "" || !strings.HasPrefix(h, "表") {
						continue
					}
					x, err := strconv.ParseFloat(r[i], 64)
					if err != nil {
						t.Fatalf("各单位一览 %s: %q is not a number", h, r[i])
					}
					unitSums[h] += x
					unitSeen[h] = true
				}
			}
			if int64(len(members)) != rr["reports"] {
				t.Errorf("%s: %d unit rows counted in the rollup, rollup_city says %v", sheet, len(members), rr["reports"])
			}
			detailSums := map[string]float64{}
			detailSeen := map[string]bool{}
			for _, r := range detail.rows {
				if !members[detail.get(t, r, "报告编号")] {
					continue
				}
				for c, col := range transform.T3Cols {
					v := detail.get(t, r, "表三 "+col.CN)
					if v == "" {
						continue
					}
					x, _ := strconv.ParseFloat(v, 64)
					key := "t3_" + detail.get(t, r, "行键") + "_" + col.Key
					detailSums[key] += x
					detailSeen[key] = true
					_ = c
				}
			}
			unitHeader := map[string]string{}
			for i, fd := range transform.T2 {
				unitHeader[fd.Flat()] = transform.T2[i].Label()
			}
			for i := range transform.NumT4 {
				unitHeader[transform.T4Flat(i)] = transform.T4Label(i)
			}
			for k, r := range t3KeyRows {
				unitHeader[t3Measure(r, transform.ColTotal)] = t3KeyHeaders[k]
			}

			for measure, cell := range s.cells {
				got := cellValue(t, f, sheet, cell)
				want := expectedNumber(rr[measure])
				if !sameNumber(got, want) {
					t.Errorf("%s %s (%s) = %q, rollup_city has %q", sheet, cell, measure, got, want)
				}
				if h, ok := unitHeader[measure]; ok {
					sum := ""
					if unitSeen[h] {
						sum = strconv.FormatFloat(unitSums[h], 'f', -1, 64)
					}
					if !sameNumber(got, sum) {
						t.Errorf("%s %s (%s) = %q, the unit rows sum to %q", sheet, cell, measure, got, sum)
					}
				}
				if strings.HasPrefix(measure, "t3_") {
					sum := ""
					if detailSeen[measure] {
						sum = strconv.FormatFloat(detailSums[measure], 'f', -1, 64)
					}
					if !sameNumber(got, sum) {
						t.Errorf("%s %s (%s) = %q, 申请明细 sums to %q", sheet, cell, measure, got, sum)
					}
				}
				checked++
			}
		}
		if checked == 0 {
			t.Errorf("%d: no summary cell checked", year)
		}
	}
}

func TestWorkbookSummaryText(t *testing.T) {
	bw := buildWorkbooks(t, workbookReports(), testRejects(), standardConfig)
	f := bw.open(t, 2024)
	text := func(sheet string) string {
		var b strings.Builder
		for _, r := range sheetRows(t, f, sheet) {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
		return b.String()
	}
	pds := text("全市汇总-平顶山市")
	for _, want := range []string{
		"汇总报告数：4 份",
		"平顶山市城乡一体化示范区", "平顶山市教育局", "平顶山市卫生健康委员会", "平顶山市新华区人民政府",
		"3 份报告为 2021 年格式，1 份为 2019 年试行格式",
		"附：（六）其他处理合计",
		"2019 年试行格式（1 份报告）",
		"空白：1 份报告有未给出数字的单元格",
	} {
		if !strings.Contains(pds, want) {
			t.Errorf("全市汇总-平顶山市 lacks %q", want)
		}
	}
	if strings.Contains(pds, "另列") {
		t.Error("a district's summary is set apart from its siblings")
	}
	ha := text("全市汇总-淮安市")
	if !strings.Contains(ha, "汇总报告数：1 份") || strings.Contains(ha, "附：") || strings.Contains(ha, "另列") {
		t.Errorf("全市汇总-淮安市, a city with one report, says:\n%s", ha[:min(len(ha), 600)])
	}
	if !strings.Contains(text("全市汇总-未识别城市"), "城东区市场监督管理局") {
		t.Error("the body without a city is not summed under 未识别城市")
	}

	// The blanks of the report left out of sums are marked and explained on their cells.
	s := readSummary(t, f, "全市汇总-平顶山市")
	comments, err := f.GetComments("全市汇总-平顶山市")
	if err != nil {
		t.Fatal(err)
	}
	byCell := map[string]string{}
	for _, c := range comments {
		byCell[c.Cell] = commentText(c)
	}
	for _, m := range []string{"t2_penalty_decisions", "t3_granted_natural_person", "t4_review_total"} {
		cell := s.cells[m]
		if fill := cellFill(t, f, "全市汇总-平顶山市", cell); fill != markColours[markExcluded].fill {
			t.Errorf("%s (%s): fill %q, want the excluded-blank colour", m, cell, fill)
		}
		if !strings.Contains(byCell[cell], "1 份报告此项未给出数字") || !strings.Contains(byCell[cell], "平顶山市城乡一体化示范区") {
			t.Errorf("%s (%s): comment %q", m, cell, byCell[cell])
		}
	}
	if fill := cellFill(t, f, "全市汇总-平顶山市", s.cells["t3_new_received_total"]); fill != "" {
		t.Errorf("a sum without blanks is filled %q", fill)
	}
	// 行政处罚 is shown twice, in the 2021 and in the trial Table 2, which share the field.
	if len(comments) != 4 {
		t.Errorf("%d comments, want the 4 cells with blanks: %v", len(comments), byCell)
	}
}

func commentText(c excelize.Comment) string {
	s := c.Text
	for _, p := range c.Paragraph {
		s += p.Text
	}
	return s
}

func cellFill(t testing.TB, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Fill.Color) == 0 {
		return ""
	}
	c := strings.ToUpper(st.Fill.Color[0])
	if len(c) == 8 { // ARGB
		c = c[2:]
	}
	return c
}

// mergesIn returns the merged ranges of a sheet lying within rows first–last.
func mergesIn(t testing.TB, f *excelize.File, sheet string, first, last int) []string {
	t.Helper()
	merges, err := f.GetMergeCells(sheet, true)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range merges {
		_, r1, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
		_, r2, _ := excelize.CellNameToCoordinates(m.GetEndAxis())
		if r1 >= first && r2 <= last {
			out = append(out, m.GetStartAxis()+":"+m.GetEndAxis())
		}
	}
	slices.Sort(out)
	return out
}

// rel writes a merge range with rows relative to base: rel(10, "A", 0, "C", 2) = "A10:C12".
func rel(base int, c1 string, r1 int, c2 string, r2 int) string {
	return c1 + strconv.Itoa(base+r1) + ":" + c2 + strconv.Itoa(base+r2)
}

func TestWorkbookMergedHeadersMatchTheForm(t *testing.T) {
	bw := buildWorkbooks(t, workbookReports(), testRejects(), standardConfig)

	// The sheet's grid: label columns A (三、), B (groups) and C–F (items, merged); Table 3 values
	// in G–M, Table 2 values in G–I, Table 4 in B–P.
	items := func(d, first, last int) []string {
		var out []string
		for r := first; r <= last; r++ {
			out = append(out, rel(d, "C", r, "F", r))
		}
		return out
	}
	t3Header := func(h int) []string {
		return []string{rel(h, "A", 0, "F", 2), // the note over the 3×3 label block
			rel(h, "G", 0, "M", 0), // 申请人情况 over seven columns
			rel(h, "G", 1, "G", 2), // 自然人
			rel(h, "H", 1, "L", 1), // 法人或其他组织 over five
			rel(h, "M", 1, "M", 2), // 总计
		}
	}
	// Table 3 of the 2021 form: 3 header rows, 25 data rows.
	t3 := func(h int) []string {
		d := h + 3
		return sortedStrings(slices.Concat(t3Header(h), []string{
			rel(d, "A", 0, "F", 0), rel(d, "A", 1, "F", 1), // 一、二、 across the label columns
			rel(d, "A", 2, "A", 23),                        // 三、本年度办理结果 rowspan 22
			rel(d, "B", 2, "F", 2), rel(d, "B", 3, "F", 3), // （一）（二） across two label columns
			rel(d, "B", 4, "B", 11),  // （三） rowspan 8
			rel(d, "B", 12, "B", 14), // （四） rowspan 3
			rel(d, "B", 15, "B", 19), // （五） rowspan 5
			rel(d, "B", 20, "B", 22), // （六） rowspan 3
			rel(d, "B", 23, "F", 23), // （七）总计
			rel(d, "A", 24, "F", 24), // 四、
		}, items(d, 4, 22))...)
	}
	// The 2019 trial form: （六）其他处理 is one row, 三、 spans 20.
	t3Trial := func(h int) []string {
		d := h + 3
		return sortedStrings(slices.Concat(t3Header(h), []string{
			rel(d, "A", 0, "F", 0), rel(d, "A", 1, "F", 1), rel(d, "A", 2, "A", 21),
			rel(d, "B", 2, "F", 2), rel(d, "B", 3, "F", 3), rel(d, "B", 4, "B", 11), rel(d, "B", 12, "B", 14),
			rel(d, "B", 15, "B", 19), rel(d, "B", 20, "F", 20), rel(d, "B", 21, "F", 21), rel(d, "A", 22, "F", 22),
		}, items(d, 4, 19))...)
	}
	// Table 4: 行政复议 (5) | 行政诉讼 (10) = 未经复议直接起诉 (5) | 复议后起诉 (5).
	t4 := func(h int) []string {
		return sortedStrings(
			rel(h, "B", 0, "F", 0), rel(h, "G", 0, "P", 0),
			rel(h, "B", 1, "B", 2), rel(h, "C", 1, "C", 2), rel(h, "D", 1, "D", 2), rel(h, "E", 1, "E", 2),
			rel(h, "F", 1, "F", 2), rel(h, "G", 1, "K", 1), rel(h, "L", 1, "P", 1),
		)
	}
	// Table 2 of the 2021 form: four blocks, 14 rows; a block of one column spans all three.
	t2 := func(h int) []string {
		return sortedStrings(
			rel(h, "A", 0, "I", 0), rel(h, "A", 1, "F", 1), rel(h, "A", 2, "F", 2), rel(h, "A", 3, "F", 3),
			rel(h, "A", 4, "I", 4), rel(h, "A", 5, "F", 5), rel(h, "G", 5, "I", 5), rel(h, "A", 6, "F", 6), rel(h, "G", 6, "I", 6),
			rel(h, "A", 7, "I", 7), rel(h, "A", 8, "F", 8), rel(h, "G", 8, "I", 8), rel(h, "A", 9, "F", 9), rel(h, "G", 9, "I", 9),
			rel(h, "A", 10, "F", 10), rel(h, "G", 10, "I", 10),
			rel(h, "A", 11, "I", 11), rel(h, "A", 12, "F", 12), rel(h, "G", 12, "I", 12), rel(h, "A", 13, "F", 13), rel(h, "G", 13, "I", 13),
		)
	}
	cases := []struct {
		year    int
		sheet   string
		trial   bool
		t2Start int // index of the first 2021 Table 2 block among the block headings; -1 when none
	}{
		{2024, "全市汇总-平顶山市", false, 0},
		{2024, "全市汇总-淮安市", false, 0},
		{2020, "全市汇总-平顶山市", true, -1},
	}
	for _, c := range cases {
		f := bw.open(t, c.year)
		s := readSummary(t, f, c.sheet)
		want, last := t3(s.t3Top), s.t3Top+27
		if c.trial {
			want, last = t3Trial(s.t3Top), s.t3Top+25
		}
		if got := mergesIn(t, f, c.sheet, s.t3Top, last); !slices.Equal(got, want) {
			t.Errorf("%s Table 3 merges\n got %v\nwant %v", c.sheet, got, want)
		}
		if got := mergesIn(t, f, c.sheet, s.t4Top, s.t4Top+3); !slices.Equal(got, t4(s.t4Top)) {
			t.Errorf("%s Table 4 merges\n got %v\nwant %v", c.sheet, got, t4(s.t4Top))
		}
		if c.t2Start >= 0 {
			h := s.t2Top[c.t2Start]
			if got := mergesIn(t, f, c.sheet, h, h+13); !slices.Equal(got, t2(h)) {
				t.Errorf("%s Table 2 merges\n got %v\nwant %v", c.sheet, got, t2(h))
			}
		}
		// The labels the merges hold.
		for cell, want := range map[string]string{
			"A" + strconv.Itoa(s.t3Top):   t3Note,
			"G" + strconv.Itoa(s.t3Top):   "申请人情况",
			"G" + strconv.Itoa(s.t3Top+1): "自然人",
			"H" + strconv.Itoa(s.t3Top+1): "法人或其他组织",
			"M" + strconv.Itoa(s.t3Top+1): "总计",
			"H" + strconv.Itoa(s.t3Top+2): "商业企业",
			"L" + strconv.Itoa(s.t3Top+2): "其他",
			"A" + strconv.Itoa(s.t3Top+5): "三、本年度办理结果",
			"B" + strconv.Itoa(s.t3Top+7): "（三）不予公开",
			"C" + strconv.Itoa(s.t3Top+7): "1.属于国家秘密",
			"B" + strconv.Itoa(s.t4Top):   "行政复议",
			"G" + strconv.Itoa(s.t4Top):   "行政诉讼",
			"G" + strconv.Itoa(s.t4Top+1): "未经复议直接起诉",
			"L" + strconv.Itoa(s.t4Top+1): "复议后起诉",
			"P" + strconv.Itoa(s.t4Top+2): "总计",
		} {
			if got := cellValue(t, f, c.sheet, cell); got != want {
				t.Errorf("%s %s = %q, want %q", c.sheet, cell, got, want)
			}
		}
	}
	// Both Table 2 layouts where the city mixes formats: the trial one lists its blocks (九) included.
	f := bw.open(t, 2024)
	s := readSummary(t, f, "全市汇总-平顶山市")
	var headings []string
	for _, r := range s.t2Top {
		headings = append(headings, cellValue(t, f, "全市汇总-平顶山市", "A"+strconv.Itoa(r)))
	}
	want := []string{"第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项",
		"第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项", "第二十条第（九）项"}
	if !slices.Equal(headings, want) {
		t.Errorf("Table 2 blocks %v, want %v", headings, want)
	}
}

func sortedStrings(s ...string) []string {
	slices.Sort(s)
	return s
}

// numberHeaders are the columns of the detail sheets that hold numbers.
func isNumberHeader(h string) bool {
	return strings.HasPrefix(h, "表") || strings.HasSuffix(h, "数") || h == "年度" || h == "字节数" || h == "读取可信度"
}

func TestWorkbookNumbersAreNumbers(t *testing.T) {
	bw := buildWorkbooks(t, workbookReports(), testRejects(), standardConfig)
	f := bw.open(t, 2024)
	checkType := func(sheet, cell string, number bool) {
		t.Helper()
		v := cellValue(t, f, sheet, cell)
		if v == "" {
			return
		}
		typ, err := f.GetCellType(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		isNumber := typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber
		if isNumber != number {
			t.Errorf("%s %s %q: cell type %v, want number %v", sheet, cell, v, typ, number)
		}
		if number {
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				t.Errorf("%s %s: %q is not a number", sheet, cell, v)
			}
		}
	}
	numbers := 0
	for _, sheet := range []string{sheetUnits, sheetDetail, sheetFindings, sheetRejects} {
		rows := sheetRows(t, f, sheet)
		for r := 1; r < len(rows); r++ {
			for c, h := range rows[0] {
				number := isNumberHeader(h) && !strings.HasPrefix(h, "报告")
				checkType(sheet, cellName(c+1, r+1), number)
				if number && rows[r][c] != "" {
					numbers++
				}
			}
		}
	}
	s := readSummary(t, f, "全市汇总-平顶山市")
	for _, cell := range s.cells {
		checkType("全市汇总-平顶山市", cell, true)
		numbers++
	}
	if numbers < 300 {
		t.Errorf("only %d numeric cells checked", numbers)
	}

	// Number formats: counts as integers, 万元 with two to six decimals.
	formatOf := func(sheet, cell string) string {
		id, _ := f.GetCellStyle(sheet, cell)
		st, _ := f.GetStyle(id)
		if st.CustomNumFmt != nil {
			return *st.CustomNumFmt
		}
		return strconv.Itoa(st.NumFmt)
	}
	units := readDetail(t, f, sheetUnits)
	fee := cellName(units.col[transform.T2[transform.T2AdminFees].Label()]+1, 2)
	count := cellName(units.col[transform.T2[transform.T2Penalty].Label()]+1, 2)
	if got := formatOf(sheetUnits, fee); got != amountFormat {
		t.Errorf("万元 cell format %q, want %q", got, amountFormat)
	}
	if got := formatOf(sheetUnits, count); got != "3" {
		t.Errorf("count cell format %q, want built-in 3 (#,##0)", got)
	}
}

func TestWorkbookUnitsAndHighlights(t *testing.T) {
	bw := buildWorkbooks(t, workbookReports(), testRejects(), standardConfig)
	f := bw.open(t, 2024)
	units := readDetail(t, f, sheetUnits)
	if len(units.rows) != 6 {
		t.Fatalf("各单位一览 has %d rows, want 6", len(units.rows))
	}
	var order []string
	rowOf := map[string]int{}
	for i, r := range units.rows {
		order = append(order, units.get(t, r, "城市")+"/"+units.get(t, r, "报告主体"))
		rowOf[units.get(t, r, "报告编号")] = i + 2
	}
	wantOrder := []string{"平顶山市/平顶山市卫生健康委员会", "平顶山市/平顶山市城乡一体化示范区",
		"平顶山市/平顶山市教育局", "平顶山市/平顶山市新华区人民政府", "淮安市/淮安市民政局", "未识别城市/城东区市场监督管理局"}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("rows in order %v, want %v", order, wantOrder)
	}
	// Legacy Table 2 columns appear because one report states them.
	if _, ok := units.col[transform.T2[transform.NumT2Current].Label()]; !ok {
		t.Error("no legacy Table 2 columns although a 2019 report states them")
	}

	fillAt := func(sheet, header string, row int) string {
		t.Helper()
		c, ok := units.col[header]
		if sheet != sheetUnits {
			c, ok = readDetail(t, f, sheet).col[header]
		}
		if !ok {
			t.Fatalf("%s: no column %q", sheet, header)
		}
		return cellFill(t, f, sheet, cellName(c+1, row))
	}
	b := rowOf["wb-pds-b"]
	for _, c := range []struct {
		header string
		row    int
		want   mark
		blank  bool
	}{
		{t3KeyHeaders[0], b, markError, false},                                          // T3.BALANCE names new_received.total
		{t3KeyHeaders[1], b, markError, false},                                          // … and carried_over.total
		{transform.T2[transform.T2Penalty].Label(), b, markWarning, true},               // S.BLANKS names a "/" cell
		{transform.T4Label(4), b, markWarning, true},                                    // … and a blank
		{transform.T2[transform.T2Licensing].Label(), b, markInfo, false},               // X.YOY
		{transform.T2[transform.T2Coercion].Label(), b, markNone, false},                // named by nothing
		{transform.T4Label(0), rowOf["wb-ha"], markBlank, true},                         // a "/" no finding names
		{transform.T2[transform.NumT2Current].Label(), b, markNone, true},               // legacy field of a 2021 report
		{transform.T2[transform.T2Penalty].Label(), rowOf["wb-pds-c"], markNone, false}, // shared by 2019
	} {
		if got := fillAt(sheetUnits, c.header, c.row); got != markColours[c.want].fill {
			t.Errorf("各单位一览 %s row %d: fill %q, want %q", c.header, c.row, got, markColours[c.want].fill)
		}
		v := cellValue(t, f, sheetUnits, cellName(units.col[c.header]+1, c.row))
		if (v == "") != c.blank {
			t.Errorf("各单位一览 %s row %d = %q, blank %v expected", c.header, c.row, v, c.blank)
		}
	}

	// 申请明细: the blank natural-person cell of 予以公开 is empty, not 0, and highlighted.
	detail := readDetail(t, f, sheetDetail)
	found := false
	for i, r := range detail.rows {
		if detail.get(t, r, "报告编号") == "wb-pds-b" && detail.get(t, r, "行键") == "granted" {
			found = true
			if v := detail.get(t, r, "表三 自然人"); v != "" {
				t.Errorf("blank cell shows %q", v)
			}
			if got := fillAt(sheetDetail, "表三 自然人", i+2); got != markColours[markWarning].fill {
				t.Errorf("申请明细 blank named by S.BLANKS: fill %q", got)
			}
		}
		if detail.get(t, r, "报告编号") == "wb-pds-c" && detail.get(t, r, "行键") == "other_other" {
			if got := fillAt(sheetDetail, "表三 自然人", i+2); got != "" {
				t.Errorf("a 2019 report's missing (六) sub-row is marked %q; the format has no such row", got)
			}
		}
	}
	if !found || len(detail.rows) != 6*transform.NumT3Rows {
		t.Errorf("申请明细 has %d rows, want %d with the blank cell", len(detail.rows), 6*transform.NumT3Rows)
	}

	// Frozen header and first columns, one Excel table over the rows.
	panes, err := f.GetPanes(sheetUnits)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.XSplit != 2 || panes.YSplit != 1 {
		t.Errorf("各单位一览 panes %+v, want frozen at C2", panes)
	}
	tables, err := f.GetTables(sheetUnits)
	if err != nil {
		t.Fatal(err)
	}
	if want := "A1:" + cellName(len(units.col), 7); len(tables) != 1 || tables[0].Range != want ||
		tables[0].ShowRowStripes == nil || !*tables[0].ShowRowStripes {
		t.Errorf("各单位一览 tables %+v, want one banded table over %s", tables, want)
	}
}

var hyperlinkFormula = regexp.MustCompile(`^HYPERLINK\("#'([^']+)'!A(\d+)","([^"]+)"\)$`)

// checkFindingLinks follows the link of every 校验问题 row to 各单位一览 and checks that it lands on
// the row of the finding's report; it returns the number of links followed.
func checkFindingLinks(t testing.TB, f *excelize.File) int {
	t.Helper()
	n := 0
	for _, sheet := range sheetParts(f, sheetFindings) {
		findings := readDetail(t, f, sheet)
		for i, r := range findings.rows {
			cell := cellName(findings.col["各单位一览"]+1, i+2)
			formula, err := f.GetCellFormula(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			m := hyperlinkFormula.FindStringSubmatch(formula)
			if m == nil {
				t.Fatalf("%s %s: formula %q is not a link into 各单位一览", sheet, cell, formula)
			}
			if !strings.HasPrefix(m[1], sheetUnits) {
				t.Errorf("%s links to sheet %q", cell, m[1])
			}
			target, _ := strconv.Atoi(m[2])
			body := cellValue(t, f, m[1], cellName(2, target))
			if body != findings.get(t, r, "报告主体") {
				t.Errorf("%s row %d links to %s!A%d, the row of %q, not of %q", sheet, i+2, m[1], target, body,
					findings.get(t, r, "报告主体"))
			}
			if got := findings.get(t, r, "各单位一览"); got != m[3] {
				t.Errorf("%s shows %q, its link says %q", cell, got, m[3])
			}
			n++
		}
	}
	return n
}

// sheetParts lists a detail sheet and its continuations, in order.
func sheetParts(f *excelize.File, base string) []string {
	var parts []string
	for _, s := range f.GetSheetList() {
		if s == base || strings.HasPrefix(s, base+" (") {
			parts = append(parts, s)
		}
	}
	return parts
}

func TestWorkbookFindings(t *testing.T) {
	bw := buildWorkbooks(t, workbookReports(), testRejects(), standardConfig)
	f := bw.open(t, 2024)
	findings := readDetail(t, f, sheetFindings)
	var severities []string
	for _, r := range findings.rows {
		severities = append(severities, findings.get(t, r, "严重程度"))
	}
	if n := checkFindingLinks(t, f); n != len(findings.rows) {
		t.Errorf("%d links checked for %d findings", n, len(findings.rows))
	}
	if want := []string{"错误", "警告", "提示", "提示"}; !slices.Equal(severities, want) {
		t.Errorf("severities in order %v, want %v", severities, want)
	}
	first := findings.rows[0]
	if got := findings.get(t, first, "涉及单元格"); !strings.Contains(got, "表三 一、本年新收政府信息公开申请数量 总计") {
		t.Errorf("cells involved %q, want their Chinese labels", got)
	}
	if got := findings.get(t, first, "疑似错误单元格"); got != t3Label(transform.RowNewReceived, transform.ColTotal) {
		t.Errorf("culprit %q", got)
	}
	if got := findings.get(t, first, "评估"); got != "不成立" {
		t.Errorf("status %q", got)
	}
	if got := cellFill(t, f, sheetFindings, "A2"); got != markColours[markError].fill {
		t.Errorf("an error's severity cell is filled %q", got)
	}

	rejects := readDetail(t, f, sheetRejects)
	if len(rejects.rows) != 2 || rejects.get(t, rejects.rows[1], "位置") != "Sheet1!C12" ||
		rejects.get(t, rejects.rows[0], "原因") != "二进制内容，不是报告" ||
		rejects.get(t, rejects.rows[0], "原因（程序原文）") != "binary content, not a report" ||
		rejects.get(t, rejects.rows[0], "阶段") != "读取文件" {
		t.Errorf("未能读取 rows %q", rejects.rows)
	}

	about := strings.Join(slices.Concat(sheetRows(t, f, sheetAbout)...), "\n")
	for _, want := range []string{"本工作簿报告数\n6", "其中计入汇总\n6", "本次运行读取的文件\n9",
		"本次运行生成的报告（各年度）\n7", "未能读取的文件\n2", "错误 1 个，警告 1 个，提示 2 个",
		SchemaVersion, testInputHash, "生成程序\n" + testCreatedBy, "颜色图例", "全市汇总-平顶山市", "未识别城市"} {
		if !strings.Contains(about, want) {
			t.Errorf("说明 lacks %q", want)
		}
	}
}

func TestWorkbookCharts(t *testing.T) {
	for _, c := range []struct {
		name    string
		reports []*transform.Report
		year    int
		second  string // the chart type of the result breakdown
	}{
		{"several cities", workbookReports(), 2024, "<barChart>"},
		{"one city", workbookReports()[6:], 2020, "<pieChart>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			bw := buildWorkbooks(t, c.reports, nil, standardConfig)
			zr, err := zip.OpenReader(filepath.Join(bw.dir, WorkbookName(c.year)))
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			var charts []string
			for _, e := range zr.File {
				if strings.HasPrefix(e.Name, "xl/charts/chart") {
					charts = append(charts, readZipEntry(t, e))
				}
			}
			if len(charts) != 2 {
				t.Fatalf("%d charts, want 2", len(charts))
			}
			if !strings.Contains(charts[0], "<barChart>") || !strings.Contains(charts[0], "!$D$3:$D$") {
				t.Errorf("the first chart is not a bar chart over the applications column")
			}
			if !strings.Contains(charts[1], c.second) {
				t.Errorf("the result chart is not %s", c.second)
			}
			f := bw.open(t, c.year)
			rows := sheetRows(t, f, sheetCharts)
			var header []string
			for _, r := range rows {
				if len(r) > 2 && r[1] == "城市" {
					header = r[2:8]
				}
			}
			if want := []string{"予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"}; !slices.Equal(header, want) {
				t.Errorf("result breakdown header %q, want %q", header, want)
			}
		})
	}
}

func readZipEntry(t testing.TB, e *zip.File) string {
	t.Helper()
	r, err := e.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWorkbookRowOverflow(t *testing.T) {
	// 6 reports give 156 rows of 申请明细: with 40 rows a sheet (39 of data), four sheets.
	bw := buildWorkbooks(t, workbookReports(), testRejects(), workbookConfig{maxRows: 40})
	f := bw.open(t, 2024)
	sheets := f.GetSheetList()
	want := []string{"说明", "全市汇总-平顶山市", "全市汇总-淮安市", "全市汇总-未识别城市", "报送情况", "各单位一览",
		"申请明细", "申请明细 (2)", "申请明细 (3)", "申请明细 (4)", "校验问题", "未能读取", "图表"}
	if !slices.Equal(sheets, want) {
		t.Fatalf("sheets %q, want %q", sheets, want)
	}
	var keys []string
	for _, s := range want[6:10] {
		d := readDetail(t, f, s)
		if len(d.rows) > 39 {
			t.Errorf("%s has %d data rows, over the limit", s, len(d.rows))
		}
		if d.col["行键"] == 0 {
			t.Errorf("%s lacks the header row", s)
		}
		for _, r := range d.rows {
			keys = append(keys, d.get(t, r, "报告编号")+"/"+d.get(t, r, "行键"))
		}
		if tables, _ := f.GetTables(s); len(tables) != 1 {
			t.Errorf("%s has %d tables, want 1", s, len(tables))
		}
	}
	if len(keys) != 6*transform.NumT3Rows || len(slices.Compact(slices.Clone(keys))) != len(keys) {
		t.Errorf("the parts hold %d rows, want each of %d once", len(keys), 6*transform.NumT3Rows)
	}
	about := strings.Join(slices.Concat(sheetRows(t, f, sheetAbout)...), "\n")
	if !strings.Contains(about, "“申请明细”共 156 行，超过每张工作表 40 行的上限") ||
		!strings.Contains(about, "“申请明细 (4)”") {
		t.Error("说明 does not say where 申请明细 continues")
	}

	// Links into a continued 各单位一览 land on the right part and row, from a continued 校验问题.
	bw = buildWorkbooks(t, workbookReports(), nil, workbookConfig{maxRows: 3})
	f = bw.open(t, 2024)
	if got := sheetParts(f, sheetUnits); len(got) != 3 {
		t.Errorf("各单位一览 in parts %q, want 3 of 2 rows", got)
	}
	if got := sheetParts(f, sheetFindings); len(got) != 2 {
		t.Errorf("校验问题 in parts %q, want 2 of 2 rows", got)
	}
	if n := checkFindingLinks(t, f); n != 4 {
		t.Errorf("%d links checked, want 4", n)
	}
}

func TestWorkbookDeterministic(t *testing.T) {
	write := func() map[string][]byte {
		bw := buildWorkbooks(t, workbookReports(), testRejects(), standardConfig)
		out := map[string][]byte{}
		for _, o := range bw.outs {
			b, err := os.ReadFile(filepath.Join(bw.dir, o.Path))
			if err != nil {
				t.Fatal(err)
			}
			out[o.Path] = b
		}
		return out
	}
	first := write()
	for range 3 {
		again := write()
		for name, b := range first {
			if !bytes.Equal(b, again[name]) {
				t.Fatalf("%s differs between two writes of the same batch", name)
			}
		}
	}
	for name, b := range first {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range zr.File {
			names = append(names, e.Name)
			if e.ModifiedDate != archiveDate || e.ModifiedTime != 0 {
				t.Errorf("%s %s: modified %v", name, e.Name, e.Modified)
			}
			if e.Name == "docProps/core.xml" {
				core := readZipEntry(t, e)
				if strings.Count(core, fixedTime) != 2 || !strings.Contains(core, "<dc:creator>govreports</dc:creator>") {
					t.Errorf("%s core properties %s", name, core)
				}
			}
			if e.Name == "docProps/app.xml" {
				if app := readZipEntry(t, e); !strings.Contains(app, "<Application>"+testCreatedBy+"</Application>") {
					t.Errorf("%s app properties %s", name, app)
				}
			}
		}
		if !slices.IsSorted(names) || names[0] != "[Content_Types].xml" {
			t.Errorf("%s entries not in order: %v", name, names)
		}
	}
}

func TestWorkbookFormulaInjectionAndSheetNames(t *testing.T) {
	long := "一个名字非常非常非常非常非常非常非常长的城市名称（第一部分）"
	hostile := []string{`=HYPERLINK("http://example.com/x","点我")`, "+1+2", "-3-4", "@SUM(1,2)", "=1+1"}
	var reports []*transform.Report
	for i, body := range hostile {
		r := newReport("inj-"+strconv.Itoa(i), "测试[市]:*?/\\", body, 2024, transform.Gov2021, transform.ScopeOrgan)
		fillT3(r, int64(i+1))
		r.Findings = []transform.Finding{{Rule: "T3.BALANCE", Severity: transform.SevError, Message: "=cmd|' /C calc'!A0",
			Cells: []string{"table3.new_received.total"}}}
		reports = append(reports, r)
	}
	for i, city := range []string{long + "甲", long + "乙", "'引号市'"} {
		r := newReport("city-"+strconv.Itoa(i), city, city+"人民政府", 2024, transform.Gov2021, transform.ScopeOrgan)
		fillT3(r, 2)
		reports = append(reports, r)
	}
	bw := buildWorkbooks(t, reports, []Reject{{Path: "=evil.txt", Stage: "extract", Reason: "-1+1"}}, standardConfig)
	f := bw.open(t, 2024)

	sheets := f.GetSheetList()
	seen := map[string]bool{}
	for _, s := range sheets {
		if n := len(utf16Units(s)); n > 31 || strings.ContainsAny(s, `[]:*?/\`) || strings.HasPrefix(s, "'") ||
			strings.HasSuffix(s, "'") || seen[strings.ToLower(s)] {
			t.Errorf("bad sheet name %q (%d units)", s, n)
		}
		seen[strings.ToLower(s)] = true
	}
	summaries := 0
	for _, s := range sheets {
		if strings.HasPrefix(s, sheetSummary+"-") {
			summaries++
		}
	}
	if summaries != 4 {
		t.Errorf("%d summary sheets, want one per city (4): %q", summaries, sheets)
	}

	// Every hostile text is a string cell, and the only formulas are our own links.
	for _, s := range sheets {
		rows := sheetRows(t, f, s)
		for r, cells := range rows {
			for c, v := range cells {
				cell := cellName(c+1, r+1)
				formula, err := f.GetCellFormula(s, cell)
				if err != nil {
					t.Fatal(err)
				}
				if formula != "" && (s != sheetFindings || !hyperlinkFormula.MatchString(formula)) {
					t.Errorf("%s %s holds formula %q", s, cell, formula)
				}
				if v == "" || !strings.ContainsAny(v[:1], "=+-@") {
					continue
				}
				typ, _ := f.GetCellType(s, cell)
				if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
					t.Errorf("%s %s %q is stored as %v, not as text", s, cell, v, typ)
				}
			}
		}
	}
	units := readDetail(t, f, sheetUnits)
	var bodies []string
	for _, r := range units.rows {
		bodies = append(bodies, units.get(t, r, "报告主体"))
	}
	for _, h := range hostile {
		if !slices.Contains(bodies, h) {
			t.Errorf("body %q not shown verbatim: %q", h, bodies)
		}
	}
}

func utf16Units(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		if r >= 0x10000 {
			out = append(out, 0, 0)
			continue
		}
		out = append(out, uint16(r))
	}
	return out
}

func TestWorkbookEdgeCases(t *testing.T) {
	t.Run("no reports", func(t *testing.T) {
		bw := buildWorkbooks(t, nil, testRejects(), standardConfig)
		if len(bw.outs) != 0 {
			t.Errorf("a batch without reports wrote %v", bw.outs)
		}
	})
	t.Run("unknown year", func(t *testing.T) {
		r := newReport("u", "", "", 0, transform.Unknown, "")
		fillT3(r, 1)
		bw := buildWorkbooks(t, []*transform.Report{r}, nil, standardConfig)
		if len(bw.outs) != 1 || bw.outs[0].Path != "govreports-unknown.xlsx" || bw.outs[0].Year != 0 {
			t.Fatalf("outputs %+v", bw.outs)
		}
		f := bw.open(t, 0)
		units := readDetail(t, f, sheetUnits)
		if got := units.get(t, units.rows[0], "年度"); got != "" {
			t.Errorf("unknown year shown as %q", got)
		}
		if got := units.get(t, units.rows[0], "报告主体"); !strings.Contains(got, r.Source.Path) {
			t.Errorf("a body not identified is shown as %q, without its file", got)
		}
		findings := readDetail(t, f, sheetFindings)
		if len(findings.rows) != 1 || findings.rows[0][0] != "（本年度的报告没有校验问题）" {
			t.Errorf("校验问题 without findings: %q", findings.rows)
		}
	})
	t.Run("a city's summary and a duplicate", func(t *testing.T) {
		// The city government's summary contains the district's report; a second copy of the city's
		// report is a duplicate. Only the first is summed, and the sheet says why of the others.
		a := newReport("ra", "怀化市", "怀化市人民政府", 2024, transform.Gov2021, transform.ScopeRegional)
		b := newReport("rb", "怀化市", "怀化市鹤城区人民政府", 2024, transform.Gov2021, transform.ScopeRegional)
		c := newReport("rc", "怀化市", "怀化市人民政府", 2024, transform.Gov2021, transform.ScopeRegional)
		fillT3(a, 1)
		fillT3(b, 2)
		fillT3(c, 1)
		bw := buildWorkbooks(t, []*transform.Report{a, b, c}, nil, standardConfig)
		f := bw.open(t, 2024)
		s := readSummary(t, f, summaryName("怀化市"))
		if v := cellValue(t, f, summaryName("怀化市"), s.cells["t3_new_received_total"]); v != fmt.Sprint(a.T3[0][transform.ColTotal].N) {
			t.Errorf("the rollup shows %q, want the city's own summary", v)
		}
		text := strings.Join(slices.Concat(s.rows...), "")
		for _, want := range []string{"汇总报告数：1 份", "已包含在怀化市人民政府的汇总报告中（1 份）：怀化市鹤城区人民政府",
			"重复报告（1 份），同一单位同年度另有一份报告被采用，这一份不再相加：怀化市人民政府"} {
			if !strings.Contains(text, want) {
				t.Errorf("summary text lacks %q: %s", want, text[:min(len(text), 600)])
			}
		}
		units := readDetail(t, f, sheetUnits)
		roles := map[string]bool{}
		for _, r := range units.rows {
			roles[units.get(t, r, "汇总角色")] = true
		}
		for _, want := range []string{"计入汇总", "已含在怀化市人民政府（in/ra.txt）的汇总报告中", "重复：以同一单位同年度的另一份报告怀化市人民政府（in/ra.txt）为准，本份不计入"} {
			if !roles[want] {
				t.Errorf("各单位一览 汇总角色 lacks %q: %v", want, roles)
			}
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		in := testInput(t, workbookReports(), nil)
		f := newRunFacts(in.Batch)
		for i, r := range workbookReports() {
			f.add(in.Batch, r, i)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		dir := t.TempDir()
		if _, err := writeWorkbooks(ctx, dir, f, &in, Options{}, standardConfig); !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("a cancelled write left %d files", len(entries))
		}
	})
	t.Run("row limit out of range", func(t *testing.T) {
		in := testInput(t, nil, nil)
		if _, err := writeWorkbooks(context.Background(), t.TempDir(), newRunFacts(in.Batch), &in, Options{}, workbookConfig{maxRows: 2}); err == nil {
			t.Error("a limit of 2 rows per sheet was accepted")
		}
	})
}

func TestSheetNames(t *testing.T) {
	n := newSheetNames()
	long := strings.Repeat("长", 40)
	for _, c := range []struct{ in, want string }{
		{"全市汇总", "全市汇总"},
		{"全市汇总", "全市汇总 (2)"},
		{`A[B]C:D*E?F/G`, "A_B_C_D_E_F_G"},
		{`a\b`, "a_b"},
		{long, strings.Repeat("长", 31)},
		{long, strings.Repeat("长", 27) + " (2)"},
		{"'引号'", "引号"},
		{"'''", "_"},
		{"\x00\x01", "_ (2)"},
		{"", "_ (3)"},
		{"Sheet", "Sheet"},
		{"sheet", "sheet (2)"}, // Excel compares names without case
	} {
		if got := n.take(c.in); got != c.want {
			t.Errorf("take(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := sanitizeSheetName(strings.Repeat("a", 30) + "😀"); got != strings.Repeat("a", 30) {
		t.Errorf("a character over the limit is split: %q", got)
	}
}

func FuzzSheetName(f *testing.F) {
	for _, s := range []string{"全市汇总-平顶山市", "测试[市]:*?/\\", "'x'", strings.Repeat("长", 40), "", "😀😀"} {
		f.Add(s, s+"x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		n := newSheetNames()
		x, y := n.take(a), n.take(b)
		if strings.EqualFold(x, y) {
			t.Fatalf("take gave %q twice", x)
		}
		wb := excelize.NewFile()
		defer wb.Close()
		for _, s := range []string{x, y} {
			if len(utf16Units(s)) > maxSheetName {
				t.Fatalf("%q is longer than %d units", s, maxSheetName)
			}
			if _, err := wb.NewSheet(s); err != nil {
				t.Fatalf("excelize refuses %q: %v", s, err)
			}
		}
	})
}

func TestColName(t *testing.T) {
	for col, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA", 16384: "XFD"} {
		if got := colName(col); got != want {
			t.Errorf("colName(%d) = %q, want %q", col, got, want)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "城市": 4, "表三 总计": 9, "（一）": 6, "１２": 4} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestSpoolZipIsAValidSortedArchive(t *testing.T) {
	spool, err := os.CreateTemp(t.TempDir(), "spool")
	if err != nil {
		t.Fatal(err)
	}
	defer spool.Close()
	z, err := newSpoolZip(spool, nil)
	if err != nil {
		t.Fatal(err)
	}
	content := map[string]string{
		"xl/b.xml":            strings.Repeat("<row>数据</row>", 5000),
		"[Content_Types].xml": "<Types/>",
		"a/empty":             "",
	}
	for _, name := range []string{"xl/b.xml", "[Content_Types].xml", "a/empty"} {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		// Written in pieces, as excelize copies a stream.
		for chunk := range slices.Chunk([]byte(content[name]), 777) {
			if _, err := w.Write(chunk); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := z.Create("a/empty"); err == nil {
		t.Error("a duplicate entry was accepted")
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := z.writeArchive(&buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range zr.File {
		names = append(names, e.Name)
		if got := readZipEntry(t, e); got != content[e.Name] { // checks the CRC too
			t.Errorf("%s: content differs (%d bytes, want %d)", e.Name, len(got), len(content[e.Name]))
		}
	}
	if want := []string{"[Content_Types].xml", "a/empty", "xl/b.xml"}; !slices.Equal(names, want) {
		t.Errorf("entries %v, want %v", names, want)
	}
}

func TestWorkbookLayout(t *testing.T) {
	reports := workbookReports()
	big := reports[4] // 淮安市民政局, alone in its city
	big.T3[transform.RowNewReceived][transform.ColTotal] = numAt(123_456_789_012, 41, 8)
	bw := buildWorkbooks(t, reports, testRejects(), standardConfig)
	f := bw.open(t, 2024)

	// Summary and 说明: landscape A4, one page wide; the summary's title rows repeat and stay frozen.
	for _, sheet := range []string{"全市汇总-平顶山市", sheetAbout, sheetCharts} {
		layout, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		props, err := f.GetSheetProps(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if layout.Orientation == nil || *layout.Orientation != "landscape" || layout.FitToWidth == nil ||
			*layout.FitToWidth != 1 || layout.FitToHeight == nil || *layout.FitToHeight != 0 ||
			props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: page layout %+v, fit to page %v", sheet, layout, props.FitToPage)
		}
	}
	panes, err := f.GetPanes("全市汇总-平顶山市")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 2 || panes.XSplit != 0 {
		t.Errorf("summary panes %+v, want the two title rows frozen", panes)
	}
	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope] = dn.RefersTo
		}
	}
	for sheet, want := range map[string]string{
		"全市汇总-平顶山市": "'全市汇总-平顶山市'!$1:$2",
		sheetUnits:  "'各单位一览'!$1:$1",
		sheetDetail: "'申请明细'!$1:$1",
	} {
		if titles[sheet] != want {
			t.Errorf("%s prints %q as title rows, want %q", sheet, titles[sheet], want)
		}
	}

	// Widths that fit: the body column holds the longest body; the summary column of a huge
	// count widens to show it.
	units := readDetail(t, f, sheetUnits)
	widest := 0
	for _, r := range units.rows {
		widest = max(widest, displayWidth(units.get(t, r, "报告主体")))
	}
	w, err := f.GetColWidth(sheetUnits, colName(units.col["报告主体"]+1))
	if err != nil {
		t.Fatal(err)
	}
	if w < float64(widest) {
		t.Errorf("报告主体 is %v wide, its longest value %d", w, widest)
	}
	s := readSummary(t, f, "全市汇总-淮安市")
	col, _, _ := excelize.SplitCellName(s.cells["t3_new_received_total"])
	if w, _ := f.GetColWidth("全市汇总-淮安市", col); w < float64(len("123,456,789,012")) {
		t.Errorf("column %s is %v wide, too narrow for 123,456,789,012", col, w)
	}
	if w, _ := f.GetColWidth("全市汇总-平顶山市", col); w != formValueWidth {
		t.Errorf("column %s of another city is %v wide, want the default %v", col, w, formValueWidth)
	}
}

// TestWorkbookFindingsPrint: 校验问题 prints whole messages on a landscape page: its long texts
// wrap, its rows grow to show them, its printed columns fit the page's width, and the cell paths
// stay out of the print area; 未能读取 likewise leaves its technical columns unprinted.
func TestWorkbookFindingsPrint(t *testing.T) {
	reports := workbookReports()
	long := strings.Repeat("表三 自然人列：一+二=43，三(七)+四=44，相差1；", 6)
	reports[0].Findings = append(reports[0].Findings, transform.Finding{Rule: "T3.BALANCE", Severity: transform.SevError,
		Status: "fail", Message: long})
	bw := buildWorkbooks(t, reports, testRejects(), standardConfig)
	f := bw.open(t, 2024)

	areas := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Area" {
			areas[dn.Scope] = dn.RefersTo
		}
	}
	findings := readDetail(t, f, sheetFindings)
	pathCol := findings.col["涉及单元格"]
	if want := "'校验问题'!$A:$" + colName(pathCol); areas[sheetFindings] != want || pathCol != len(findings.col)-2 ||
		findings.col["涉及单元格路径"] != len(findings.col)-1 {
		t.Errorf("校验问题 print area %q, want %q: every column but the cells and their paths, which come last", areas[sheetFindings], want)
	}
	if want := "'未能读取'!$A:$E"; areas[sheetRejects] != want {
		t.Errorf("未能读取 print area %q, want %q", areas[sheetRejects], want)
	}
	layout, err := f.GetPageLayout(sheetFindings)
	if err != nil {
		t.Fatal(err)
	}
	if layout.Orientation == nil || *layout.Orientation != "landscape" || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
		t.Errorf("校验问题 page layout %+v, want landscape, one page wide", layout)
	}
	// Scaled to one page width, the printed columns must not shrink below about 80 %: a
	// landscape A4 page holds about 135 character widths at 100 %.
	printed := 0.0
	for c := range pathCol {
		w, err := f.GetColWidth(sheetFindings, colName(c+1))
		if err != nil {
			t.Fatal(err)
		}
		printed += w
	}
	if printed > 135/0.8 {
		t.Errorf("the printed columns are %.0f characters wide: scaled to the page, the text would be unreadable", printed)
	}
	for r, row := range findings.rows {
		if findings.get(t, row, "问题说明") != long {
			continue
		}
		cell := colName(findings.col["问题说明"]+1) + strconv.Itoa(r+2)
		style, err := f.GetCellStyle(sheetFindings, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(style)
		if err != nil {
			t.Fatal(err)
		}
		if st.Alignment == nil || !st.Alignment.WrapText {
			t.Errorf("问题说明 %s does not wrap", cell)
		}
		w, _ := f.GetColWidth(sheetFindings, colName(findings.col["问题说明"]+1))
		h, err := f.GetRowHeight(sheetFindings, r+2)
		if err != nil {
			t.Fatal(err)
		}
		if need := rowHeight(lines(long, w)); h < need {
			t.Errorf("row %d is %v high, %v needed to show the whole message", r+2, h, need)
		}
		return
	}
	t.Error("the long finding is not in 校验问题")
}

func TestRejectReasonZH(t *testing.T) {
	for reason, want := range map[string]string{
		"same content as /in/a.txt, whose reports are kept":                                                                        "与 /in/a.txt 的内容完全相同，只读取了那个文件",
		"report 2024/x was already read from /in/a.txt":                                                                            "报告 2024/x 已经从 /in/a.txt 读取过，不重复计入",
		"no report found in the file":                                                                                              "文件中没有找到年度报告",
		"open: no such file or directory":                                                                                          "文件已不存在（找到之后、读取之前被删除或移走）",
		"open: permission denied":                                                                                                  "没有读取该文件的权限",
		"file exceeds the size limit: 300 bytes, limit 100 (raise --max-bytes to read it)":                                         "文件过大：300 字节，超过上限 100 字节（可用 --max-bytes 调高）",
		"unsupported file format: PDF; convert it to text first":                                                                   "PDF 文件：请先转换为文本（pdftotext -layout），或提供 DOCX、HTML 原件",
		"unsupported file format: zip archive; unpack it and give govreports the reports inside":                                   "压缩包：请先解压，再读取其中的报告",
		"encrypted or password-protected file: the workbook is encrypted":                                                          "文件已加密：请去掉密码后重新保存",
		"corrupt file: the entry inflates to more than the 40 bytes its header declares":                                           "文件已损坏：压缩包中某一部分的实际大小与其声明的不符",
		"corrupt file: the part declares a document type with entities (an XML entity bomb); a workbook never does":                "文件已损坏或被恶意构造（XML 实体炸弹），拒绝读取",
		"file exceeds a reading limit: sheet \"S\" has content in row 9, beyond the limit of 5 rows (raise --max-rows to read it)": "表格行数超过上限（可用 --max-rows 调高）",
		"no readable content: no report tables (表二/表三/表四) found":                                                                   "没有找到表二、表三、表四",
		"internal error, please report it: boom":                                                                                   "程序内部错误，请将此文件报告给开发人员",
		"something new":                                                                                                            "其他原因（程序原文见最后一列）",
	} {
		if got := rejectReasonZH(reason); got != want {
			t.Errorf("%q:\n got %q\nwant %q", reason, got, want)
		}
	}
}

// TestWorkbookUnplacedBody: a body whose name prints a city but that the divisions do not place
// (宿迁市 has no 新华区) is summed under its city's code, while a report placed by its name alone is
// summed under the city without a code: rollup_city has two rows of one name. The workbook pairs
// its city groups with the rollup rows as the batch stage groups them (it used to refuse the whole
// batch), one summary sheet each, and lists both reports in their printed city.
func TestWorkbookUnplacedBody(t *testing.T) {
	// The fixture's 宿迁市新华区民政局: 宿迁市 has no 新华区.
	doc, err := extract.ReadFile(context.Background(), filepath.Join("..", "fixtures", "docx-random", "input.docx"), extract.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	read, err := transform.Transform(context.Background(), doc, transform.Options{})
	if err != nil {
		t.Fatal(err)
	}
	unplaced := read[0]
	placed := newReport("placed", "宿迁市", "宿迁市人民政府", unplaced.Year, transform.Gov2021, transform.ScopeOrgan)
	fillT3(placed, 2)
	reports := []*transform.Report{placed, unplaced}
	batch, err := transform.Decide(context.Background(), transform.ReportSlice(reports),
		transform.BatchOptions{Divisions: transform.Divisions})
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	cities, err := batch.Rollups(unplaced.Year, transform.RegionCity)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range cities {
		if g.City.Name == "宿迁市" {
			rows++
		}
	}
	if rows != 2 {
		t.Fatalf("the batch does not show the case: %d rollup rows of 宿迁市", rows)
	}
	dir := t.TempDir()
	w := newTestWriter(t, dir, checkedMem(t))
	outs, err := w.Write(context.Background(), Input{Reports: transform.ReportSlice(reports), Batch: batch})
	if err != nil {
		t.Fatal(err)
	}
	bw := builtWorkbooks{dir: dir}
	for _, o := range outs {
		if o.Table == OutputWorkbook {
			bw.outs = append(bw.outs, o)
		}
	}
	f := bw.open(t, unplaced.Year)
	sheets := f.GetSheetList()
	for _, want := range []string{summaryName("宿迁市"), summaryName("宿迁市") + " (2)"} {
		if !slices.Contains(sheets, want) {
			t.Errorf("no sheet %s in %q", want, sheets)
		}
	}
	units := readDetail(t, f, sheetUnits)
	for _, r := range units.rows {
		if got := units.get(t, r, "城市"); got != "宿迁市" {
			t.Errorf("%s listed in city %q, want its own 宿迁市", units.get(t, r, "报告主体"), got)
		}
	}
}

// TestSpoolZipWriteError: what the spool refuses, though it sat in the spool's buffer until the
// archive was written, fails writeArchive.
func TestSpoolZipWriteError(t *testing.T) {
	name := filepath.Join(t.TempDir(), "spool")
	if err := os.WriteFile(name, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	spool, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer spool.Close()
	z, err := newSpoolZip(spool, nil)
	if err != nil {
		t.Fatal(err)
	}
	w, err := z.Create("xl/a.xml")
	if err == nil {
		_, err = w.Write([]byte("<a/>"))
	}
	if err == nil {
		err = z.Close()
	}
	if err != nil {
		t.Fatalf("a write failed before the archive was written: %v", err)
	}
	if err := z.writeArchive(io.Discard); err == nil {
		t.Error("writeArchive succeeded though the spool refused the entry")
	}
}
