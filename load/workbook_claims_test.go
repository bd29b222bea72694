package load

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/govreports/govreports/transform"
	division "github.com/govreports/govreports/transform/region"
)

// buildWith writes the workbooks of reports as the pipeline does, with the batch stage's options.
func buildWith(t testing.TB, reports []*transform.Report, rejects []Reject, opt transform.BatchOptions) (builtWorkbooks, *transform.Batch) {
	t.Helper()
	batch, err := transform.Decide(context.Background(), transform.ReportSlice(reports), opt)
	if err != nil {
		t.Fatal(err)
	}
	mem := checkedMem(t)
	bw := builtWorkbooks{dir: t.TempDir()}
	w := newTestWriter(t, bw.dir, mem)
	w.book = standardConfig
	outs, err := w.Write(context.Background(), Input{Reports: transform.ReportSlice(reports), Batch: batch, Rejects: rejects})
	if err != nil {
		t.Fatal(err)
	}
	bw.records, _ = readOutputs(t, bw.dir, outs, mem)
	for _, o := range outs {
		if o.Table == OutputWorkbook {
			bw.outs = append(bw.outs, o)
		}
	}
	return bw, batch
}

// huaian builds a report of 淮安市 in 2025 with figures from seed.
func huaian(id, body, scope string, seed int64) *transform.Report {
	r := newReport(id, "淮安市", body, 2025, transform.Gov2021, scope)
	r.Region = division.NewResolver(nil).Resolve(body, division.Hints{Year: 2025})
	fillT2Current(r, seed)
	r.T2[transform.T2AdminFees] = wan(strconv.FormatInt(seed, 10)+".5", seed*1_000000+500000)
	fillT3(r, seed)
	fillT4(r, seed)
	return r
}

// sheetText is a sheet's cells, a row a line.
func sheetText(t testing.TB, f *excelize.File, sheet string) string {
	var b strings.Builder
	for _, r := range sheetRows(t, f, sheet) {
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	return b.String()
}

// breakdownRows reads the per-county breakdown of a 全市汇总 sheet: name → its cells from 报告数 on.
func breakdownRows(t testing.TB, f *excelize.File, sheet string) (map[string][]string, []string) {
	rows := sheetRows(t, f, sheet)
	out := map[string][]string{}
	var order []string
	in := false
	for k, r := range rows {
		if len(r) > 0 && r[0] == "县（区）" {
			in = true
			rows = rows[k+2:]
			break
		}
	}
	if !in {
		return nil, nil
	}
	for _, r := range rows {
		if len(r) < breakdownTo || r[bdReports-1] == "" {
			break
		}
		out[r[0]] = r[bdReports-1 : breakdownTo]
		order = append(order, r[0])
	}
	return out, order
}

// TestWorkbookBreakdownEqualsRollupCounty checks every row of the per-county breakdown against the
// rollup_county Parquet rows, the city's own level against the batch stage's, and the total
// against rollup_city.
func TestWorkbookBreakdownEqualsRollupCounty(t *testing.T) {
	reports := []*transform.Report{
		huaian("c", "淮安市人民政府", transform.ScopeRegional, 50),
		huaian("c1", "淮安市教育局", transform.ScopeOrgan, 3),
		huaian("c2", "淮安市人民政府办公室", transform.ScopeOrgan, 4),
		huaian("d", "淮安市淮安区人民政府", transform.ScopeRegional, 20),
		huaian("d1", "淮安市淮安区教育局", transform.ScopeOrgan, 5),
		huaian("x1", "盱眙县教育局", transform.ScopeOrgan, 6),
		huaian("x2", "盱眙县财政局", transform.ScopeOrgan, 7),
		huaian("z", "淮安经济技术开发区管理委员会", transform.ScopeOrgan, 8),
	}
	reports[5].T2[0] = blankAt(10) // a blank is left out of the sum, as in rollup_county
	bw, batch := buildWith(t, reports, nil, transform.BatchOptions{})
	f := bw.open(t, 2025)
	sheet := summaryName("淮安市")
	got, order := breakdownRows(t, f, sheet)
	if len(got) == 0 {
		t.Fatalf("no breakdown on %s:\n%s", sheet, sheetText(t, f, sheet))
	}
	check := func(name string, rr row) {
		t.Helper()
		cells, ok := got[name]
		if !ok {
			t.Errorf("no breakdown row %q in %q", name, order)
			return
		}
		if !sameNumber(cells[0], expectedNumber(rr["reports"])) {
			t.Errorf("%s: %s reports, want %v", name, cells[0], rr["reports"])
		}
		for k, c := range breakdownCols {
			want := ""
			if c.amount {
				want = expectedNumber(rr[c.measures[0]])
			} else {
				var sum int64
				seen := false
				for _, m := range c.measures {
					if v, ok := rr[m].(int64); ok {
						sum += v
						seen = true
					}
				}
				if seen {
					want = strconv.FormatInt(sum, 10)
				}
			}
			if !sameNumber(cells[1+k], want) {
				t.Errorf("%s %s = %q, want %q", name, c.head, cells[1+k], want)
			}
		}
	}
	counties := 0
	for _, rr := range bw.records[TableRollupCounty] {
		if rr["year"] != int64(2025) {
			continue
		}
		name, _ := rr["county"].(string)
		if name == "" {
			name = "未识别县区的单位"
		}
		check(name, rr)
		counties++
	}
	if counties < 3 {
		t.Errorf("%d rollup_county rows, want the district, the county and the zone", counties)
	}
	for _, rr := range bw.records[TableRollupCity] {
		if rr["year"] == int64(2025) {
			check("全市合计（同上表）", rr)
		}
	}
	ownLevels, err := batch.OwnLevel(2025)
	if err != nil || len(ownLevels) != 1 {
		t.Fatalf("own levels %+v, %v", ownLevels, err)
	}
	for _, y := range batch.RollupYears() {
		if gs, _ := batch.OwnLevel(y); y != 2025 && len(gs) != 0 {
			t.Fatalf("own levels in %d: %+v", y, gs)
		}
	}
	// The city's own level as the batch stage summed it: the two departments, not the 全市 summary.
	own := row{"reports": int64(ownLevels[0].Reports)}
	for m, ms := range rollupMeasures {
		if s := ownLevels[0].Sums[m]; s.Valid && ms.amount {
			own[ms.name] = millionths(s.N)
		} else if s.Valid {
			own[ms.name] = s.N
		}
	}
	if own["reports"] != int64(2) {
		t.Errorf("淮安市本级 sums %v reports, want the two departments", own["reports"])
	}
	check("淮安市本级", own)
	if len(got) != counties+2 {
		t.Errorf("breakdown rows %q, want %d counties, 本级 and the total", order, counties)
	}
}

// TestWorkbookClaims builds, for each explanation the workbook prints only when it holds, a batch
// where it holds and one where it does not, and checks it is printed in the first only.
func TestWorkbookClaims(t *testing.T) {
	// Each batch is built once and its sheets read once: the cases share them.
	type batchCase struct {
		reports func() []*transform.Report
		rejects []Reject
		opt     transform.BatchOptions
		sheets  map[string]string
	}
	organs := &batchCase{reports: func() []*transform.Report {
		return []*transform.Report{huaian("a", "淮安市教育局", transform.ScopeOrgan, 3),
			huaian("b", "淮安市淮安区人民政府", transform.ScopeRegional, 5)}
	}}
	withSummary := &batchCase{reports: func() []*transform.Report {
		return []*transform.Report{huaian("c", "淮安市人民政府", transform.ScopeRegional, 50),
			huaian("a", "淮安市教育局", transform.ScopeOrgan, 3),
			huaian("b", "淮安市淮安区人民政府", transform.ScopeRegional, 5),
			huaian("b1", "淮安市淮安区教育局", transform.ScopeOrgan, 6)}
	}}
	withDuplicate := &batchCase{reports: func() []*transform.Report {
		return []*transform.Report{huaian("a", "淮安市教育局", transform.ScopeOrgan, 3),
			huaian("a2", "淮安市教育局", transform.ScopeOrgan, 3)}
	}}
	withExcluded := &batchCase{reports: organs.reports, opt: transform.BatchOptions{Exclude: []string{"淮安市教育局"}}}
	withBlank := &batchCase{reports: func() []*transform.Report {
		r := organs.reports()
		r[0].T4[0] = blankAt(90)
		return r
	}}
	withLegacy := &batchCase{reports: func() []*transform.Report {
		r := organs.reports()
		old := newReport("o", "淮安市", "淮安市财政局", 2025, transform.Gov2019, transform.ScopeOrgan)
		old.Region = division.NewResolver(nil).Resolve(old.Body, division.Hints{Year: 2025})
		fillLegacyT2(old)
		fillT3(old, 2)
		fillT4(old, 2)
		return append(r, old)
	}}
	withRejects := &batchCase{reports: organs.reports, rejects: testRejects()}
	withUnknownCity := &batchCase{reports: func() []*transform.Report {
		r := organs.reports()
		g := newReport("g", "", "城东区市场监督管理局", 2025, transform.Gov2021, transform.ScopeOrgan)
		fillT3(g, 5)
		return append(r, g)
	}}
	lastYear := &batchCase{reports: func() []*transform.Report {
		r := organs.reports()
		old := huaian("p", "淮安市财政局", transform.ScopeOrgan, 9)
		old.Year = 2024
		return append(r, old)
	}}
	// Last year is known from --history only: an earlier run's 淮安市财政局 and 淮安市教育局.
	history := func() *transform.History {
		h := &transform.History{}
		for _, body := range []string{"淮安市财政局", "淮安市教育局"} {
			r := huaian("h-"+body, body, transform.ScopeOrgan, 1)
			h.Reports = append(h.Reports, transform.HistoryReport{ID: "h-" + body, Body: body, Source: "old/" + body + ".txt",
				Year: 2024, Place: transform.PlaceOf(r), Scope: transform.ScopeOrgan, Role: "counted"})
		}
		return h
	}
	withHistory := &batchCase{reports: organs.reports, opt: transform.BatchOptions{History: history()}}
	withDivisions := &batchCase{reports: organs.reports, opt: transform.BatchOptions{Divisions: transform.Divisions}}

	cases := []struct {
		name        string
		sheet       string // "" for 全市汇总-淮安市
		claim       string
		holds, fail *batchCase
	}{
		{"contained, named by its own summary", "", "已包含在淮安市淮安区人民政府的汇总报告中（1 份）：淮安市淮安区教育局", withSummary, organs},
		{"contained in the city's summary", "", "已包含在淮安市人民政府的汇总报告中（2 份）：淮安市教育局、淮安市淮安区人民政府", withSummary, organs},
		{"duplicate", "", "同一单位同年度另有一份报告被采用", withDuplicate, organs},
		{"excluded", "", "按用户设置不计入", withExcluded, organs},
		{"nothing outside the sum", "", "份报告未直接计入下表", withSummary, organs},
		{"blanks", "", "空白：1 份报告有未给出数字的单元格", withBlank, organs},
		{"formats", "", "份为 2019 年试行格式", withLegacy, organs},
		{"rows add up", "", "上列各行之和等于全市合计", organs, withSummary},
		{"total from the city's summary", "", "全市合计取自淮安市人民政府的全市汇总报告", withSummary, organs},
		{"own level", "", "“淮安市本级”为市政府及其部门的报告", organs, &batchCase{reports: func() []*transform.Report {
			return organs.reports()[1:]
		}}},
		{"units missing this year", "", "1 个单位上年度有报告、本年度没有", lastYear, organs},
		{"divisions without a report", "", "区划本年度没有任何报告", withDivisions, organs},
		{"about: contained", sheetAbout, "已含在汇总报告中：本批次中有某区划的汇总报告时", withSummary, organs},
		{"about: duplicates", sheetAbout, "重复报告：同一单位同年度有两份以上报告时只采用一份", withDuplicate, organs},
		{"about: excluded", sheetAbout, "按设置不计入：运行时指定排除的单位或区划", withExcluded, organs},
		{"about: unknown city", sheetAbout, "无法从报告中识别城市的单位归入", withUnknownCity, organs},
		{"about: orange", sheetAbout, "有此情况的合计以橙色标出", withBlank, organs},
		{"about: legend orange", sheetAbout, "橙色（全市汇总）", withBlank, organs},
		{"about: 2019", sheetAbout, "2019 年试行格式：试行格式的表二指标", withLegacy, organs},
		{"about: rejects", sheetAbout, "未能读取的文件没有年度", withRejects, organs},
		{"about: 申请明细 2019", sheetAbout, "2019 年试行格式没有“（六）其他处理”的三个子项", withLegacy, organs},
		{"about: 报送情况 last year", sheetAbout, "上年是否报送", lastYear, organs},
		{"about: 报送情况 no last year", sheetAbout, "“上年”一列为“—”", organs, lastYear},
		{"unplaced county row", "", "县（区）未能识别的单位合为", &batchCase{reports: func() []*transform.Report {
			r := organs.reports()
			// 淮安市 has no 新华区: the body is not placed, its city is the one it prints.
			return append(r, huaian("u", "淮安市新华区民政局", transform.ScopeOrgan, 4))
		}}, organs},
		{"about: grey", sheetAbout, "报告未给出数字的单元格为灰色", withBlank, organs},
		{"about: legend", sheetAbout, "颜色图例", withBlank, organs},
		{"coverage: unresolved", sheetCoverage, "单位未能对应到行政区划", withUnknownCity, organs},
		{"about: 2 units in the chart", sheetAbout, "本年新收申请最多的 2 个单位", organs, withDuplicate},
		{"coverage: missing unit from history", sheetCoverage, "old/淮安市财政局.txt", withHistory, organs},
		{"coverage: last year from history", sheetCoverage, "上年报告见历史数据", withHistory, organs},
		{"about: 报送情况 last year from history", sheetAbout, "上年是否报送", withHistory, organs},
		{"coverage: missing unit", sheetCoverage, "2024 年度有报告，本批次中没有该单位本年度的报告", lastYear, organs},
		{"coverage: rejects named", sheetCoverage, "若是未能读取的文件", &batchCase{reports: lastYear.reports, rejects: testRejects()}, lastYear},
		{"coverage: duplicates", sheetCoverage, "另有 1 份重复报告", withDuplicate, organs},
		{"coverage: divisions", sheetCoverage, "名录所列区划", withDivisions, organs},
	}
	text := func(t *testing.T, bc *batchCase, sheet string) string {
		if bc.sheets == nil {
			bw, _ := buildWith(t, bc.reports(), bc.rejects, bc.opt)
			f := bw.open(t, 2025)
			bc.sheets = map[string]string{}
			for _, s := range f.GetSheetList() {
				bc.sheets[s] = sheetText(t, f, s)
			}
		}
		if sheet == "" {
			sheet = summaryName("淮安市")
		}
		return bc.sheets[sheet]
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if s := text(t, tc.holds, tc.sheet); !strings.Contains(s, tc.claim) {
				t.Errorf("where it holds, %q is not printed:\n%s", tc.claim, s)
			}
			if s := text(t, tc.fail, tc.sheet); strings.Contains(s, tc.claim) {
				t.Errorf("where it does not hold, %q is printed:\n%s", tc.claim, s)
			}
		})
	}
}

// TestWorkbookNamesAreChinese checks that the codes the workbook shows — scopes, levels, statuses —
// are shown in Chinese, never as the program's identifiers.
func TestWorkbookNamesAreChinese(t *testing.T) {
	ascii := func(s string) bool {
		for _, r := range s {
			if r > 127 {
				return false
			}
		}
		return true
	}
	for _, code := range []string{"fail", "fail_assuming_blank_zero", "not_assessable", "uncertain", "pass",
		"pass_assuming_blank_zero", "resolved"} {
		if got := named(statusNames, code); ascii(got) {
			t.Errorf("status %s shown as %q", code, got)
		}
	}
	for _, scope := range []string{transform.ScopeOrgan, transform.ScopeLevel, transform.ScopeRegional} {
		if got := scopeText(scope, &transform.Place{}); ascii(got) {
			t.Errorf("scope %s shown as %q", scope, got)
		}
	}
	for _, l := range []transform.RegionLevel{transform.RegionNone, transform.RegionProvince, transform.RegionCity,
		transform.RegionCounty, transform.RegionTownship} {
		for _, k := range []string{transform.KindGovernment, transform.KindOffice, transform.KindDepartment,
			transform.KindTownship, transform.KindZone} {
			if got := unitLevel(&transform.Place{Level: l, Kind: k}); ascii(got) || got == "" {
				t.Errorf("level %s kind %s shown as %q", l, k, got)
			}
		}
	}
	// In a workbook: the level and scope columns of 各单位一览 hold no identifier.
	reports := []*transform.Report{huaian("c", "淮安市人民政府", transform.ScopeLevel, 5),
		huaian("a", "淮安市教育局", transform.ScopeOrgan, 3), huaian("b", "淮安市淮安区人民政府", transform.ScopeRegional, 4)}
	bw, _ := buildWith(t, reports, nil, transform.BatchOptions{})
	units := readDetail(t, bw.open(t, 2025), sheetUnits)
	want := map[string][2]string{"淮安市人民政府": {"市政府", "本级汇总"}, "淮安市教育局": {"市级部门", "本机关"},
		"淮安市淮安区人民政府": {"县（区）政府", "全县（区）汇总"}}
	for _, r := range units.rows {
		body := units.get(t, r, "报告主体")
		if got := [2]string{units.get(t, r, "单位层级"), units.get(t, r, "报告范围")}; got != want[body] {
			t.Errorf("%s: 单位层级, 报告范围 %q, want %q", body, got, want[body])
		}
	}
}
