package transform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/fixtures/gen/xlsxgen"
	"github.com/xuri/excelize/v2"
)

var collectionExpected = filepath.Join("..", "fixtures", "xlsx-collection", "expected.jsonl")

func loadUnits(t testing.TB) []*xlsxgen.Report {
	t.Helper()
	units, err := xlsxgen.LoadReports(collectionExpected)
	if err != nil {
		t.Fatal(err)
	}
	return units
}

// readWorkbook reads a workbook built in the test the way the pipeline does.
func readWorkbook(t testing.TB, f *excelize.File, name string) *extract.Document {
	t.Helper()
	data, err := xlsxgen.Bytes(f)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := extract.Read(context.Background(), name, data, extract.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// sheetFile builds a one-sheet workbook from rows of cells and merged ranges.
func sheetFile(t testing.TB, sheet string, rows [][]any, merges ...string) *excelize.File {
	t.Helper()
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			if v == nil || v == "" {
				continue
			}
			if err := f.SetCellValue(sheet, extract.ColumnName(c+1)+strconv.Itoa(r+1), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, m := range merges {
		a, b, _ := strings.Cut(m, ":")
		if err := f.MergeCell(sheet, a, b); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// wantN is the Value.N of an expected JSON number.
func wantN(n *json.Number, amount bool) int64 {
	if amount {
		f, _ := n.Float64()
		return int64(math.Round(f * AmountScale))
	}
	v, _ := n.Int64()
	return v
}

// compareUnit checks every 2021 value of a report against the expected unit: the number, and the
// cell it was read from (cells maps value paths to references, or is nil).
func compareUnit(t *testing.T, got *Report, want *xlsxgen.Report, cells func(path string) string) {
	t.Helper()
	check := func(path string, v Value, n *json.Number, amount bool) {
		t.Helper()
		if n == nil {
			if v.Kind != Absent && v.Kind != Empty {
				t.Errorf("%s %s: %v %q, want nothing", got.Unit, path, v.Kind, v.Raw)
			}
			return
		}
		if !v.Known() || v.N != wantN(n, amount) {
			t.Errorf("%s %s: %v %d (%q at %s), want %s", got.Unit, path, v.Kind, v.N, v.Raw, v.Pos, n)
		}
		if cells != nil && v.Pos.String() != cells(path) {
			t.Errorf("%s %s read at %s, want %s", got.Unit, path, v.Pos, cells(path))
		}
		if v.Method != ByGrid {
			t.Errorf("%s %s: method %v", got.Unit, path, v.Method)
		}
	}
	for i := 0; i < NumT2Current; i++ {
		f := T2[i]
		check(f.Path(), got.T2[i], want.Table2[f.Row][f.Col], f.Amount)
	}
	for row := 0; row < NumT3Printed; row++ {
		for col := 0; col < NumT3Cols; col++ {
			check(T3Path(row, col), got.T3[row][col], want.Table3[T3Rows[row].Key][T3Cols[col].Key], false)
		}
	}
	for i := 0; i < NumT4; i++ {
		check(T4Path(i), got.T4[i], want.Table4[T4Blocks[i/5].Key][T4Outcomes[i%5].Key], false)
	}
}

func TestCollectionMergedHeaders(t *testing.T) {
	units := loadUnits(t)
	f, cells, err := xlsxgen.WriteCollection(units, xlsxgen.CollectionOptions{Title: "样例市2023年度政府信息公开工作年度报告数据汇总表", TotalsRow: true})
	if err != nil {
		t.Fatal(err)
	}
	doc := readWorkbook(t, f, "collection.xlsx")
	reps, ok, err := collectionReports(context.Background(), doc, Options{})
	if err != nil || !ok {
		t.Fatalf("collectionReports: ok=%v err=%v", ok, err)
	}
	if len(reps) != len(units) {
		t.Fatalf("%d reports, want %d (the 合计 row is not a unit)", len(reps), len(units))
	}
	ids := map[string]bool{}
	for i, r := range reps {
		want := units[i]
		sheet, ref, _ := strings.Cut(cells[fmt.Sprintf("unit.%d", i+1)], "!")
		_, row, _ := excelize.SplitCellName(ref)
		if wantUnit := fmt.Sprintf("%s!%d", sheet, row); r.Unit != wantUnit {
			t.Errorf("unit %d: Unit %q, want %q", i, r.Unit, wantUnit)
		}
		if r.Body != want.Body || r.City != want.City || r.Year != want.Year || r.FormatVersion != Gov2021 {
			t.Errorf("unit %d: %q %q %d %s, want %q %q %d gov2021", i, r.Body, r.City, r.Year, r.FormatVersion, want.Body, want.City, want.Year)
		}
		if r.ID != reportID(doc.Source.SHA256, r.Unit) || ids[r.ID] {
			t.Errorf("unit %d: ID %q is not the content hash with the unit, or repeats", i, r.ID)
		}
		ids[r.ID] = true
		if r.Source.SHA256 != doc.Source.SHA256 {
			t.Errorf("unit %d: source %+v", i, r.Source)
		}
		compareUnit(t, r, want, func(path string) string { return cells[fmt.Sprintf("unit.%d.%s", i+1, path)] })
		for name, n := range map[string]int{"table2": NumT2Current, "table3": NumT3Printed * NumT3Cols, "table4": NumT4} {
			tr := r.Reads[name]
			if tr == nil || !tr.Found || tr.Layout != extract.LayoutCollection || tr.Cells != n || tr.ByMethod["grid"] != n {
				t.Errorf("unit %d: Reads[%s] = %+v, want %d cells by grid, layout collection", i, name, tr, n)
			}
		}
		for _, f := range r.Findings {
			if f.Rule == RuleRegion {
				continue // the units' 样例市 is made up: no division code places it
			}
			if f.Rule == RuleSTotalRow && f.Severity == SevInfo && i == 0 {
				continue // the 合计 row, read as the total of the units and found equal
			}
			t.Errorf("unit %d: unexpected finding %s %s: %s", i, f.Rule, f.Severity, f.Message)
		}
	}
	// other_total is derived from the three sub-rows, as for any gov2021 report.
	if v := reps[0].T3[RowOtherTotal][ColTotal]; !v.Known() {
		t.Errorf("other_total not derived: %+v", v)
	}
}

func TestCollectionFlatHeaders(t *testing.T) {
	units := loadUnits(t)
	f, cells, err := xlsxgen.WriteCollection(units, xlsxgen.CollectionOptions{Flat: true})
	if err != nil {
		t.Fatal(err)
	}
	reps, ok, err := collectionReports(context.Background(), readWorkbook(t, f, "flat.xlsx"), Options{})
	if err != nil || !ok || len(reps) != len(units) {
		t.Fatalf("collectionReports: %d reports, ok=%v, err=%v", len(reps), ok, err)
	}
	for i, r := range reps {
		compareUnit(t, r, units[i], func(path string) string { return cells[fmt.Sprintf("unit.%d.%s", i+1, path)] })
		for _, f := range r.Findings {
			if f.Rule != RuleRegion { // the units' 样例市 is made up: no division code places it
				t.Errorf("unit %d: finding %+v", i, f)
			}
		}
	}
}

// TestCollectionShortHeaders: a platform export with abbreviated flat headers under a title merged
// over the table, a serial column, a row of column numbers, a column nobody can map (a remark
// column would not even reach transform: extract leaves it out), a 合计 row,
// an amount whose header says 元, and the year only in the title.
func TestCollectionShortHeaders(t *testing.T) {
	f := sheetFile(t, "数据", [][]any{
		{"2024年度政府信息公开年报数据汇总"},
		{"序号", "单位", "本年新收-自然人", "本年新收-商业企业", "本年新收-总计", "行政复议-结果纠正", "行政复议-总计", "行政许可-本年处理决定数量", "行政事业性收费-本年收费金额（元）", "联系人"},
		{"甲", "乙", 1, 2, 3, 4, 5, 6, 7, "丙"},
		{1, "甲县教育局", 3, 1, 4, 1, 1, 20, 12500, "无"},
		{2, "乙县民政局", 0, 0, 0, 0, 0, 5, 0, ""},
		{"", "合计", 3, 1, 4, 1, 1, 25, 12500, ""},
	}, "A1:J1")
	reps, ok, err := collectionReports(context.Background(), readWorkbook(t, f, "short.xlsx"), Options{DirCity: "样例市"})
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	if len(reps) != 2 {
		t.Fatalf("%d reports, want 2", len(reps))
	}
	r := reps[0]
	if r.Body != "甲县教育局" || r.Year != 2024 || r.City != "样例市" || r.Unit != "数据!4" {
		t.Errorf("identity %q %d %q %q", r.Body, r.Year, r.City, r.Unit)
	}
	for _, tc := range []struct {
		v    Value
		n    int64
		at   string
		name string
	}{
		{r.T3[RowNewReceived][0], 3, "数据!C4", "new_received.natural_person"},
		{r.T3[RowNewReceived][1], 1, "数据!D4", "new_received.commercial_enterprise"},
		{r.T3[RowNewReceived][ColTotal], 4, "数据!E4", "new_received.total"},
		{r.T4[1], 1, "数据!F4", "review.corrected"},
		{r.T4[4], 1, "数据!G4", "review.total"},
		{r.T2[T2Licensing], 20, "数据!H4", "licensing"},
		{r.T2[T2AdminFees], 12500 * AmountScale / 10000, "数据!I4", "admin_fees in 元, converted"},
	} {
		if !tc.v.Known() || tc.v.N != tc.n || tc.v.Pos.String() != tc.at {
			t.Errorf("%s = %v %d at %s, want %d at %s", tc.name, tc.v.Kind, tc.v.N, tc.v.Pos, tc.n, tc.at)
		}
	}
	rules := map[string]int{}
	for _, f := range r.Findings {
		rules[f.Rule]++
		if f.Rule == "S.COLUMN_LABEL" && !strings.Contains(f.Message, "联系人") {
			t.Errorf("column finding does not name the column: %s", f.Message)
		}
	}
	for _, rule := range []string{"S.COLUMN_LABEL", "T2.UNIT", "S.ROWS_COMPLETE"} {
		if rules[rule] == 0 {
			t.Errorf("no %s finding; findings: %v", rule, rules)
		}
	}
	if rules["S.CITY"] != 0 || rules["S.YEAR"] != 0 {
		t.Errorf("city and year are known; findings: %v", rules)
	}
}

// TestCollectionHeaderForms: flat headers written 行标签（列标签）, with "/" between the levels, or
// with the row and column labels run together; a 2021 sub-row in parentheses is its own row.
func TestCollectionHeaderForms(t *testing.T) {
	for _, tc := range []struct {
		header string
		get    func(r *Report) Value
	}{
		{"一、本年新收政府信息公开申请数量（自然人）", func(r *Report) Value { return r.T3[RowNewReceived][0] }},
		{"本年新收申请数（总计）", func(r *Report) Value { return r.T3[RowNewReceived][ColTotal] }},
		{"其他处理-逾期不补正（自然人）", func(r *Report) Value { return r.T3[RowOtherNoCorrection][0] }},
		{"其他处理-其他-其他", func(r *Report) Value { return r.T3[RowOtherOther][5] }},
		{"一、本年新收政府信息公开申请数量/商业企业", func(r *Report) Value { return r.T3[RowNewReceived][1] }},
		{"行政许可/本年处理决定数量", func(r *Report) Value { return r.T2[T2Licensing] }},
		{"规章（本年制发件数）", func(r *Report) Value { return r.T2[T2RulesIssued] }},
		{"规章本年制发件数", func(r *Report) Value { return r.T2[T2RulesIssued] }},
		{"行政复议结果纠正", func(r *Report) Value { return r.T4[1] }},
	} {
		f := sheetFile(t, "Sheet1", [][]any{
			{"单位名称", "上年结转-自然人", "上年结转-总计", tc.header},
			{"甲县教育局", 1, 2, 7},
			{"乙县民政局", 0, 0, 9},
		})
		reps, ok, err := collectionReports(context.Background(), readWorkbook(t, f, "forms.xlsx"), Options{})
		if err != nil || !ok || len(reps) != 2 {
			t.Errorf("%s: %d reports, ok=%v, err=%v", tc.header, len(reps), ok, err)
			continue
		}
		if v := tc.get(reps[0]); !v.Known() || v.N != 7 || v.Pos.String() != "Sheet1!D2" {
			t.Errorf("%s: read %v %d at %s, want 7 at Sheet1!D2", tc.header, v.Kind, v.N, v.Pos)
		}
		if reps[0].T3[RowOtherTotal][0].Kind != Absent {
			t.Errorf("%s: a value put on the 2019 row （六）其他处理", tc.header)
		}
	}
}

// TestCollectionAcrossSheets: Table 2 measures on one sheet, Tables 3 and 4 on another, for the
// same units: each unit is one report with the values of both.
func TestCollectionAcrossSheets(t *testing.T) {
	units := loadUnits(t)[:3]
	var doc extract.Document
	for _, tc := range []struct {
		sheet  string
		tables []int
	}{{"表二", []int{2}}, {"表三", []int{3, 4}}} {
		f, _, err := xlsxgen.WriteCollection(units, xlsxgen.CollectionOptions{Sheet: tc.sheet, Tables: tc.tables})
		if err != nil {
			t.Fatal(err)
		}
		part := readWorkbook(t, f, "parts.xlsx")
		doc.Source = part.Source
		doc.Blocks = append(doc.Blocks, part.Blocks...)
	}
	reps, ok, err := collectionReports(context.Background(), &doc, Options{})
	if err != nil || !ok || len(reps) != len(units) {
		t.Fatalf("%d reports, ok=%v err=%v; want %d", len(reps), ok, err, len(units))
	}
	for i, r := range reps {
		compareUnit(t, r, units[i], nil)
		if !strings.HasPrefix(r.Unit, "表二!") {
			t.Errorf("unit %q, want the row where the unit first appears", r.Unit)
		}
		if r.T2[T2Licensing].Pos.Sheet != "表二" || r.T3[RowGranted][0].Pos.Sheet != "表三" {
			t.Errorf("values not read from both sheets: %s, %s", r.T2[T2Licensing].Pos, r.T3[RowGranted][0].Pos)
		}
	}
}

// TestCollectionNotes: what the reader noticed in one unit's row goes to that unit's report only.
func TestCollectionNotes(t *testing.T) {
	units := loadUnits(t)[:2]
	f, cells, err := xlsxgen.WriteCollection(units, xlsxgen.CollectionOptions{Tables: []int{4}})
	if err != nil {
		t.Fatal(err)
	}
	doc := readWorkbook(t, f, "notes.xlsx")
	at := cells["unit.2.table4.review.total"]
	sheet, ref, _ := strings.Cut(at, "!")
	col, row, _ := excelize.CellNameToCoordinates(ref)
	doc.Notes = append(doc.Notes, extract.Note{Pos: extract.Pos{Sheet: sheet, Row: row, Col: col}, Code: "formula-no-cache", Message: "the formula has no cached value"})
	reps, _, err := collectionReports(context.Background(), doc, Options{})
	if err != nil || len(reps) != 2 {
		t.Fatalf("%d reports, err %v", len(reps), err)
	}
	has := func(r *Report) bool {
		for _, f := range r.Findings {
			if f.Place == at {
				return true
			}
		}
		return false
	}
	if has(reps[0]) || !has(reps[1]) {
		t.Errorf("note at %s: unit 1 has it %v, unit 2 has it %v; want only unit 2", at, has(reps[0]), has(reps[1]))
	}
}

func TestCollectionGov2019(t *testing.T) {
	f := sheetFile(t, "Sheet1", [][]any{
		{"单位名称", "年度", "（六）其他处理", "", "（七）总计", "", "行政许可", "行政许可"},
		{"", "", "自然人", "总计", "自然人", "总计", "上一年项目数量", "本年增/减"},
		{"甲局", 2020, 1, 1, 5, 5, 30, "-3"},
		{"乙局", 2020, 0, 0, 2, 2, 10, "+1"},
	}, "C1:D1", "E1:F1", "A1:A2", "B1:B2")
	reps, ok, err := collectionReports(context.Background(), readWorkbook(t, f, "2019.xlsx"), Options{})
	if err != nil || !ok || len(reps) != 2 {
		t.Fatalf("%d reports ok=%v err=%v", len(reps), ok, err)
	}
	r := reps[0]
	if r.FormatVersion != Gov2019 || r.Year != 2020 {
		t.Errorf("format %s year %d, want gov2019 2020", r.FormatVersion, r.Year)
	}
	if v := r.T3[RowOtherTotal][0]; v.N != 1 || v.Pos.String() != "Sheet1!C3" {
		t.Errorf("other_total = %+v", v)
	}
	change, _ := t2Index("licensing", "change")
	if v := r.T2[change]; !v.Known() || v.N != -3 {
		t.Errorf("licensing change = %+v, want -3", v)
	}
}

func TestCollectionNotACollection(t *testing.T) {
	rs, err := xlsxgen.LoadReports(filepath.Join("..", "fixtures", "xlsx-seed", "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	form, _, err := xlsxgen.WriteForm(rs[0], xlsxgen.FormOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]*excelize.File{
		"the official form": form,
		"Table 4 alone": sheetFile(t, "Sheet1", [][]any{
			{"行政复议", "", "", "", "", "行政诉讼"},
			{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"},
			{0, 1, 0, 0, 1, 0},
		}),
		"numbers without a names column": sheetFile(t, "Sheet1", [][]any{
			{"本年新收-自然人", "本年新收-商业企业", "本年新收-总计"},
			{1, 2, 3},
			{4, 5, 9},
		}),
	} {
		reps, ok, err := collectionReports(context.Background(), readWorkbook(t, f, "form.xlsx"), Options{})
		if ok || err != nil || reps != nil {
			t.Errorf("%s: taken for a collection (%d reports, err %v)", name, len(reps), err)
		}
	}
}

func TestCollectionWithoutUnits(t *testing.T) {
	f := sheetFile(t, "Sheet1", [][]any{
		{"单位名称", "本年新收-自然人", "本年新收-商业企业", "本年新收-总计"},
		{"合计", 1, 2, 3},
	})
	_, ok, err := collectionReports(context.Background(), readWorkbook(t, f, "empty.xlsx"), Options{})
	var e *extract.Error
	if !ok || err == nil || !errors.As(err, &e) || e.Path != "empty.xlsx" || e.Place == "" {
		t.Errorf("ok=%v err=%v; want an error naming the file and the table", ok, err)
	}
}

func TestMapColumn(t *testing.T) {
	t3 := func(row, col int) colTarget { return colTarget{table: 3, index: row*NumT3Cols + col} }
	fee, _ := t2Index("admin_fees", "amount_wan_yuan")
	for _, tc := range []struct {
		path []string
		want colTarget
		ok   bool
	}{
		{[]string{"一、本年新收政府信息公开申请数量", "自然人"}, t3(RowNewReceived, 0), true},
		{[]string{"一、本年新收政府信息公开申请数量", "法人或其他组织", "商业企业"}, t3(RowNewReceived, 1), true},
		{[]string{"（六）其他处理 3.其他", "法人或其他组织", "其他"}, t3(RowOtherOther, 5), true},
		{[]string{"（六）其他处理", "3.其他", "自然人"}, t3(RowOtherOther, 0), true},
		{[]string{"（六）其他处理", "总计"}, t3(RowOtherTotal, ColTotal), true},
		{[]string{"汇总表", "三、本年度办理结果", "（七）总计", "总计"}, t3(RowTotalProcessed, ColTotal), true},
		{[]string{"本年新收", "商业企业"}, t3(RowNewReceived, 1), true},
		{[]string{"行政复议", "其他结果"}, colTarget{table: 4, index: 2}, true},
		{[]string{"行政诉讼", "复议后起诉", "总计"}, colTarget{table: 4, index: 14}, true},
		{[]string{"四、政府信息公开行政复议、行政诉讼情况", "行政诉讼", "未经复议直接起诉", "结果纠正"}, colTarget{table: 4, index: 6}, true},
		{[]string{"规章", "本年制发件数"}, colTarget{table: 2, index: T2RulesIssued}, true},
		{[]string{"行政事业性收费", "本年收费金额（单位：万元）"}, colTarget{table: 2, index: fee}, true},
		{[]string{"行政事业性收费", "本年收费金额（单位：元）"}, colTarget{table: 2, index: fee, yuan: true}, true},
		{[]string{"单位名称"}, colTarget{}, false},
		{[]string{"申请人情况", "法人或其他组织", "商业企业"}, colTarget{}, false},
		{[]string{"第二十条第（一）项", "本年制发件数"}, colTarget{}, false},
		{[]string{"备注"}, colTarget{}, false},
		// A 2021 sub-row label holding a column word is a row, not the 2019 row's column.
		{[]string{"其他处理", "逾期不补正（自然人）"}, colTarget{}, false},
		{[]string{"其他处理", "逾期不补正", "自然人"}, t3(RowOtherNoCorrection, 0), true},
		{[]string{"其他处理", "其他", "其他"}, t3(RowOtherOther, 5), true},
		{[]string{"其他处理", "其他", "总计"}, t3(RowOtherOther, ColTotal), true},
		{[]string{"其他处理", "其他"}, t3(RowOtherTotal, 5), true},
		// Row and column label run together.
		{[]string{"规章本年制发件数"}, colTarget{table: 2, index: T2RulesIssued}, true},
		{[]string{"行政事业性收费本年收费金额（元）"}, colTarget{table: 2, index: fee, yuan: true}, true},
		{[]string{"行政复议结果维持"}, colTarget{table: 4, index: 0}, true},
		{[]string{"行政诉讼", "复议后起诉总计"}, colTarget{table: 4, index: 14}, true},
		{[]string{"办理结果总计", "自然人"}, t3(RowTotalProcessed, 0), true},
		{[]string{"三、本年度办理结果", "合计", "总计"}, t3(RowTotalProcessed, ColTotal), true},
		{[]string{"三、本年度办理结果", "总计"}, colTarget{}, false},
		{[]string{"本年制发件数"}, colTarget{}, false},
		{[]string{"结果维持"}, colTarget{}, false},
	} {
		got, ok := mapColumn(tc.path)
		if got != tc.want || ok != tc.ok {
			t.Errorf("mapColumn(%q) = %+v, %v; want %+v, %v", tc.path, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCollectionHeaderHelpers(t *testing.T) {
	for in, want := range map[string]string{
		"本年新收-自然人": "本年新收|自然人",
		"一、本年新收 — 法人或其他组织 — 商业企业": "一、本年新收|法人或其他组织|商业企业",
		"行政许可_本年增/减":              "行政许可|本年增/减",
		"规章":                      "规章",
		"本年新收申请数（自然人）":            "本年新收申请数|自然人",
		"其他处理-逾期不补正（自然人）":         "其他处理|逾期不补正|自然人",
		"（二）部分公开（区分处理的，只计这一情形，不计其他情形）（总计）": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）|总计",
		"（二）部分公开（区分处理的，只计这一情形，不计其他情形）":     "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
		"行政事业性收费（本年收费金额（万元））":              "行政事业性收费|本年收费金额（万元）",
		"本年收费金额（万元）":                       "本年收费金额（万元）",
		"（自然人）":                            "（自然人）",
		"一、本年新收/自然人":                       "一、本年新收/自然人",
	} {
		if got := strings.Join(splitFlatHeader(in, false), "|"); got != want {
			t.Errorf("splitFlatHeader(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"一、本年新收/自然人":         "一、本年新收|自然人",
		"法人或其他组织／商业企业":       "法人或其他组织|商业企业",
		"行政许可/本年增/减":         "行政许可|本年增/减",
		"行政许可/上年项目数 / 增 / 减": "行政许可|上年项目数|增 / 减",
	} {
		if got := strings.Join(splitFlatHeader(in, true), "|"); got != want {
			t.Errorf("splitFlatHeader(%q, slash) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]int{"单位名称": idBody, "填报单位": idBody, "所属城市": idCity, "地市": idCity, "年度": idYear, "报告年份": idYear, "备注": idNone} {
		if got := identityColumn(in); got != want {
			t.Errorf("identityColumn(%q) = %d, want %d", in, got, want)
		}
	}
	for in, want := range map[string]int{"2024": 2024, "2024年": 2024, "２０２３年度": 2023, "": 0, "去年": 0} {
		if got := yearOf(in); got != want {
			t.Errorf("yearOf(%q) = %d, want %d", in, got, want)
		}
	}
	cells := func(texts ...string) []extract.Cell {
		var out []extract.Cell
		for _, t := range texts {
			out = append(out, extract.Cell{Text: t})
		}
		return out
	}
	for _, tc := range []struct {
		row  []extract.Cell
		want bool
	}{
		{cells("甲", "乙", "1", "2", "3", "4"), true},
		{cells("栏次", "", "1", "2", "3"), true},
		{cells("X局", "1", "2", "3"), false},
		{cells("合计", "1", "2", "3"), false},
		{cells("甲", "1", "2", "4"), false},
		{cells("甲", "2", "3", "4"), false},
		{cells("1", "2"), false},
	} {
		if got := isColumnNumbering(tc.row); got != tc.want {
			t.Errorf("isColumnNumbering(%v) = %v", extract.RowText(tc.row), got)
		}
	}
	paths := [][]string{{"汇总表", "单位名称"}, {"汇总表", "本年新收", "自然人"}, nil, {"汇总表", "备注"}}
	stripCommonPrefix(paths)
	if fmt.Sprint(paths) != "[[单位名称] [本年新收 自然人] [] [备注]]" {
		t.Errorf("stripCommonPrefix: %v", paths)
	}
}
