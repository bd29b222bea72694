package transform

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestCollectionTotalsRows: rows of totals (合计 at the bottom or the top, 小计 per group with a
// grand total, a row of sums without a name, 合计 in the serial column) are not units, so the
// rollups do not count them again; each is checked against the run of units it totals: an info
// finding when it agrees, a warning naming the row when it does not. Units whose names hold 计
// (市统计局, 市审计局) stay units.
func TestCollectionTotalsRows(t *testing.T) {
	header := []any{"序号", "单位名称", "本年新收-自然人", "本年新收-商业企业", "本年新收-总计", "行政许可-本年处理决定数量"}
	u := func(n int, name string, a, b, lic int) []any { return []any{n, name, a, b, a + b, lic} }
	tot := func(label string, a, b, lic int) []any { return []any{"", label, a, b, a + b, lic} }
	units := [][]any{u(1, "市统计局", 3, 1, 7), u(2, "市审计局", 2, 0, 5), u(3, "甲县教育局", 4, 2, 9), u(4, "乙县民政局", 1, 1, 0)}
	for _, tc := range []struct {
		name  string
		rows  [][]any
		units []string
		// want lists the S.TOTAL_ROW findings as "severity row", in any unit's findings.
		want []string
	}{
		{"合计 at the bottom", append(append([][]any{header}, units...), tot("合计", 10, 4, 21)),
			[]string{"市统计局", "市审计局", "甲县教育局", "乙县民政局"}, []string{"info 6"}},
		{"合　计 with a count, at the top", append([][]any{header, tot("合　计（4个单位）", 10, 4, 21)}, units...),
			[]string{"市统计局", "市审计局", "甲县教育局", "乙县民政局"}, []string{"info 2"}},
		{"小计 per group and 全市合计", [][]any{header,
			{"一、市直部门"}, units[0], units[1], tot("市直部门小计", 5, 1, 12),
			{"二、县区："}, units[2], units[3], tot("县区小计", 5, 3, 9),
			tot("全市合计", 10, 4, 21)},
			[]string{"市统计局", "市审计局", "甲县教育局", "乙县民政局"}, []string{"info 10", "info 5", "info 9"}},
		{"小计 above each group, 合计 first", [][]any{header, tot("总计", 10, 4, 21),
			tot("市直小计", 5, 1, 12), units[0], units[1], tot("县区小计", 5, 3, 9), units[2], units[3]},
			[]string{"市统计局", "市审计局", "甲县教育局", "乙县民政局"}, []string{"info 2", "info 3", "info 6"}},
		{"groups named with their subtotals above their units", [][]any{header, tot("一、市直部门", 5, 1, 12), units[0], units[1],
			tot("二、县区", 5, 3, 9), units[2], units[3], tot("合计", 10, 4, 21)},
			[]string{"市统计局", "市审计局", "甲县教育局", "乙县民政局"}, []string{"info 2", "info 5", "info 8"}},
		{"a 合计 that disagrees", append(append([][]any{header}, units...), tot("合计", 10, 5, 21)),
			[]string{"市统计局", "市审计局", "甲县教育局", "乙县民政局"}, []string{"warning 6"}},
		{"sums without a name, 合计 in the serial column", append(append([][]any{header}, units...),
			tot("", 10, 4, 21), []any{"合计", "", 10, 4, 14, 21}, tot("", 1, 1, 1)),
			[]string{"市统计局", "市审计局", "甲县教育局", "乙县民政局"}, []string{"info 6", "info 7", "warning 8"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := sheetFile(t, "汇总", tc.rows)
			reps, ok, err := collectionReports(context.Background(), readWorkbook(t, f, "totals.xlsx"), Options{})
			if err != nil || !ok {
				t.Fatalf("ok=%v err=%v", ok, err)
			}
			var bodies, got []string
			for _, r := range reps {
				bodies = append(bodies, r.Body)
				for _, f := range r.Findings {
					if f.Rule == RuleSTotalRow {
						_, row, _ := strings.Cut(f.Place, "!")
						got = append(got, string(f.Severity)+" "+strings.TrimLeft(row, "ABCDEFGHIJ"))
						if f.Severity == SevWarning && len(f.Cells) == 0 && !strings.Contains(f.Message, "没有可与之核对") {
							t.Errorf("warning without cells: %s", f.Message)
						}
					}
				}
			}
			if !slices.Equal(bodies, tc.units) {
				t.Errorf("units %v, want %v", bodies, tc.units)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("S.TOTAL_ROW findings %v, want %v", got, tc.want)
			}
		})
	}
}

func TestIsTotalsLabel(t *testing.T) {
	for s, want := range map[string]bool{
		"合计": true, "合 计": true, "总计": true, "全市合计": true, "市直部门小计": true, "县区小计": true,
		"合计（32个单位）": true, "小计：": true, "汇总": true, "全市": true,
		"市直部门": true, "一、市直部门": true, "其中：县区": true, "（二）乡镇（街道）": true, "县（市、区）": true,
		"市直部门教育局": false, "一、市教育局": false, "其中：甲县教育局": false,
		"市统计局": false, "淮安市审计局": false, "市计划生育协会": false, "统计局（合计）": false, "市发展和改革委员会": false,
	} {
		if got := isTotalsLabel(s); got != want {
			t.Errorf("isTotalsLabel(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestCollectionIdentityColumns: layouts platforms export around the names column. A 单位编码
// column before the names is an identifier, not the names; a 县（区） column is the unit's county,
// not a measure nobody can map; a group heading right under the header (一、市直部门) does not
// hide the 单位名称 label above it.
func TestCollectionIdentityColumns(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows [][]any
	}{
		{"单位编码 before 单位名称", [][]any{
			{"序号", "单位编码", "单位名称", "本年新收-自然人", "本年新收-商业企业", "本年新收-总计"},
			{1, "32080001", "甲县教育局", 3, 1, 4},
			{2, "32080002", "乙县民政局", 0, 2, 2}}},
		{"市 and 县（区） before the names", [][]any{
			{"序号", "市", "县（区）", "单位名称", "本年新收-自然人", "本年新收-商业企业", "本年新收-总计"},
			{1, "淮安市", "市本级", "甲县教育局", 3, 1, 4},
			{2, "淮安市", "洪泽区", "乙县民政局", 0, 2, 2}}},
		{"a 单位：件 row under the header", [][]any{
			{"单位名称", "本年新收", "本年新收", "本年新收"},
			{"", "自然人", "商业企业", "总计"},
			{"", "单位：件", "", ""},
			{"甲县教育局", 3, 1, 4},
			{"乙县民政局", 0, 2, 2}}},
		{"a group heading under the header", [][]any{
			{"单位名称", "本年新收-自然人", "本年新收-商业企业", "本年新收-总计"},
			{"一、市直部门"},
			{"甲县教育局", 3, 1, 4},
			{"二、县区："},
			{"乙县民政局", 0, 2, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reps, ok, err := collectionReports(context.Background(), readWorkbook(t, sheetFile(t, "汇总", tc.rows), "ids.xlsx"), Options{})
			if err != nil || !ok {
				t.Fatalf("ok=%v err=%v", ok, err)
			}
			var bodies []string
			for _, r := range reps {
				bodies = append(bodies, r.Body)
				for _, f := range r.Findings {
					if f.Rule == RuleSColumnLabel {
						t.Errorf("%s: %s", r.Body, f.Message)
					}
				}
			}
			if want := []string{"甲县教育局", "乙县民政局"}; !slices.Equal(bodies, want) {
				t.Fatalf("units %v, want %v", bodies, want)
			}
			if v := reps[1].T3[RowNewReceived][ColTotal]; v.N != 2 {
				t.Errorf("乙县民政局 new received total %v %d, want 2", v.Kind, v.N)
			}
			if v := reps[0].T3[RowNewReceived][0]; v.N != 3 {
				t.Errorf("甲县教育局 new received natural persons %v %d, want 3", v.Kind, v.N)
			}
		})
	}
}

// TestCollectionNumbersUnderAnIdentityHeader: a column of numbers whose header reads like a names
// column (a second 单位… header) is not read, and says so: its numbers are not silently lost.
func TestCollectionNumbersUnderAnIdentityHeader(t *testing.T) {
	f := sheetFile(t, "汇总", [][]any{
		{"单位名称", "本年新收-自然人", "本年新收-商业企业", "本年新收-总计", "单位数（个）"},
		{"甲县教育局", 3, 1, 4, 12},
		{"乙县民政局", 0, 2, 2, 5}})
	reps, ok, err := collectionReports(context.Background(), readWorkbook(t, f, "ids.xlsx"), Options{})
	if err != nil || !ok || len(reps) != 2 {
		t.Fatalf("%d reports ok=%v err=%v", len(reps), ok, err)
	}
	found := false
	for _, f := range reps[0].Findings {
		found = found || f.Rule == RuleSColumnLabel && strings.Contains(f.Message, "单位数")
	}
	if !found {
		t.Errorf("no S.COLUMN_LABEL naming the 单位数 column: %+v", reps[0].Findings)
	}
}

// TestCollectionSheetPerYear: one sheet per year, the year only in the sheet's name: each sheet's
// units are reports of its year, not one unit read twice with the second year's values dropped.
func TestCollectionSheetPerYear(t *testing.T) {
	f := sheetFile(t, "2023年", [][]any{
		{"单位名称", "本年新收-自然人", "本年新收-商业企业", "本年新收-总计"},
		{"甲县教育局", 3, 1, 4}, {"乙县民政局", 0, 2, 2}})
	if _, err := f.NewSheet("2024年"); err != nil {
		t.Fatal(err)
	}
	for r, row := range [][]any{{"单位名称", "本年新收-自然人", "本年新收-商业企业", "本年新收-总计"},
		{"甲县教育局", 5, 1, 6}, {"乙县民政局", 1, 2, 3}} {
		for c, v := range row {
			if err := f.SetCellValue("2024年", string(rune('A'+c))+strconv.Itoa(r+1), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	reps, ok, err := collectionReports(context.Background(), readWorkbook(t, f, "years.xlsx"), Options{})
	if err != nil || !ok {
		t.Fatalf("ok=%v err=%v", ok, err)
	}
	var got []string
	for _, r := range reps {
		got = append(got, fmt.Sprintf("%s %d %d", r.Body, r.Year, r.T3[RowNewReceived][ColTotal].N))
		for _, f := range r.Findings {
			if f.Rule == RuleSRowDuplicate || f.Rule == RuleSYear {
				t.Errorf("%s %d: %s %s", r.Body, r.Year, f.Rule, f.Message)
			}
		}
	}
	want := []string{"甲县教育局 2023 4", "乙县民政局 2023 2", "甲县教育局 2024 6", "乙县民政局 2024 3"}
	if !slices.Equal(got, want) {
		t.Errorf("reports %v, want %v", got, want)
	}
}
