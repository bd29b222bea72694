package load

import (
	"strconv"
	"strings"
	"testing"

	"github.com/govreports/govreports/transform"
	division "github.com/govreports/govreports/transform/region"
)

// manyCities are real prefecture-level cities, more than maxCitySheets of them.
var manyCities = strings.Fields(`南京市 无锡市 徐州市 常州市 苏州市 南通市 连云港市 淮安市 盐城市 扬州市 镇江市
	泰州市 宿迁市 杭州市 宁波市 温州市 嘉兴市 湖州市 绍兴市 金华市 衢州市 舟山市 台州市 丽水市 合肥市 芜湖市
	蚌埠市 淮南市 马鞍山市 淮北市 铜陵市 安庆市 黄山市 滁州市 阜阳市 宿州市 六安市 亳州市 池州市 宣城市
	福州市 厦门市 莆田市 三明市 泉州市`)

// TestWorkbookManyCities: a year of more than maxCitySheets cities gets one 各市汇总 sheet, a row
// per city equal to its rollup_city row, instead of a form sheet per city.
func TestWorkbookManyCities(t *testing.T) {
	if len(manyCities) <= maxCitySheets {
		t.Fatalf("%d cities do not pass maxCitySheets (%d)", len(manyCities), maxCitySheets)
	}
	res := division.NewResolver(division.Builtin())
	placed := func(r *transform.Report) {
		r.Region = res.Resolve(r.Body, division.Hints{Year: r.Year})
		if !r.Region.Status.Placed() {
			t.Fatalf("%s not placed: %+v", r.Body, r.Region)
		}
	}
	var reports []*transform.Report
	for i, city := range manyCities {
		r := newReport("c"+strconv.Itoa(i), city, city+"人民政府", 2024, transform.Gov2021, transform.ScopeOrgan)
		fillT3(r, int64(i+1))
		placed(r)
		reports = append(reports, r)
		if i%3 == 0 { // a second unit in some cities
			d := newReport("d"+strconv.Itoa(i), city, city+"教育局", 2024, transform.Gov2021, transform.ScopeOrgan)
			fillT3(d, int64(100+i))
			placed(d)
			reports = append(reports, d)
		}
	}
	bw := buildWorkbooks(t, reports, nil, standardConfig)
	f := bw.open(t, 2024)
	for _, name := range f.GetSheetList() {
		if strings.HasPrefix(name, sheetSummary) {
			t.Errorf("sheet %s: no form sheet per city past %d cities", name, maxCitySheets)
		}
	}
	cities := readDetail(t, f, sheetCities)
	byCity := map[string][]string{}
	for _, r := range cities.rows {
		byCity[cities.get(t, r, "城市")] = r
	}
	if len(cities.rows) != len(manyCities) || len(byCity) != len(manyCities) {
		t.Fatalf("%d rows for %d cities (%d distinct)", len(cities.rows), len(manyCities), len(byCity))
	}
	checked := 0
	for _, rr := range bw.records[TableRollupCity] {
		if rr["year"] != int64(2024) {
			continue
		}
		r, ok := byCity[rr["city"].(string)]
		if !ok {
			t.Errorf("no row for %v", rr["city"])
			continue
		}
		str := func(v any) string { s, _ := v.(string); return s }
		if cities.get(t, r, "城市代码") != str(rr["city_code"]) || cities.get(t, r, "省") != str(rr["province"]) {
			t.Errorf("%v: code %q province %q, rollup_city says %v %v", rr["city"], cities.get(t, r, "城市代码"),
				cities.get(t, r, "省"), rr["city_code"], rr["province"])
		}
		if !sameNumber(cities.get(t, r, "报告数"), expectedNumber(rr["reports"])) {
			t.Errorf("%v: %s reports, rollup_city says %v", rr["city"], cities.get(t, r, "报告数"), rr["reports"])
		}
		stated := 0
		for _, c := range breakdownCols {
			want := expectedNumber(rr[c.measures[0]])
			if want != "" {
				stated++
			}
			if got := cities.get(t, r, c.group+" "+c.head); !sameNumber(got, want) {
				t.Errorf("%v %s = %q, rollup_city says %q", rr["city"], c.head, got, want)
			}
		}
		if str(rr["city_code"]) == "" || str(rr["province"]) == "" {
			t.Errorf("%v: rollup_city has no code or province: the comparison proves little", rr["city"])
		}
		if stated == 0 {
			t.Errorf("%v: no figure stated: the comparison proves nothing", rr["city"])
		}
		checked++
	}
	if checked != len(manyCities) {
		t.Errorf("%d rollup_city rows checked, want %d", checked, len(manyCities))
	}
	// 报送情况 lists the units that reported, not every division of 45 cities that did not.
	coverage := readDetail(t, f, sheetCoverage)
	for _, r := range coverage.rows {
		if got := coverage.get(t, r, "情况"); got == covNoReport {
			t.Errorf("报送情况 lists a division without a report past %d cities: %v", maxCitySheets, r)
			break
		}
	}
	if len(coverage.rows) != len(reports) {
		t.Errorf("报送情况 has %d rows for %d units", len(coverage.rows), len(reports))
	}
	guide := sheetText(t, f, sheetAbout)
	if !strings.Contains(guide, "不逐一列出") {
		t.Errorf("说明 does not say that the divisions without a report are left out:\n%s", guide)
	}
	if !strings.Contains(guide, sheetCities) || !strings.Contains(guide, strconv.Itoa(len(manyCities))+" 个城市") {
		t.Errorf("说明 does not explain 各市汇总:\n%s", guide)
	}
}

// TestCheckCities: a city group and its rollup_city row that disagree cost the run nothing: the
// group shows no sums, and 说明 names the city.
func TestCheckCities(t *testing.T) {
	rollups := []transform.Rollup{
		{Level: transform.RegionCity, City: transform.Area{Code: "320800", Name: "淮安市"}, Reports: 2},
		{Level: transform.RegionCity, City: transform.Area{Code: "320300", Name: "徐州市"}, Reports: 2},
		{Level: transform.RegionCity, Reports: 1}, // 未识别, no group of its own
	}
	for _, tc := range []struct {
		name    string
		cities  []cityGroup
		notes   []string // each note contains this, in order
		dropped []bool   // per group: it shows no rollup
	}{
		{"agree", []cityGroup{{city: "淮安市", members: []int32{0, 1}, rollup: &rollups[0]},
			{city: "徐州市", members: []int32{2, 3}, rollup: &rollups[1]}},
			[]string{"“未识别城市”：rollup_city 计入的 1 份"}, []bool{false, false}},
		{"members without a rollup", []cityGroup{{city: "北京市", members: []int32{0}}},
			[]string{"“北京市”：rollup_city 计入 0 份报告，各单位一览计入汇总的有 1 份", "淮安市", "徐州市", "未识别城市"}, []bool{true}},
		{"counts differ", []cityGroup{{city: "淮安市", members: []int32{0}, rollup: &rollups[0]}},
			[]string{"“淮安市”：rollup_city 计入 2 份报告，各单位一览计入汇总的有 1 份", "徐州市", "未识别城市"}, []bool{true}},
		{"a rollup without members", []cityGroup{{city: "徐州市", outside: []int32{0}, rollup: &rollups[1]}},
			[]string{"“徐州市”：rollup_city 计入 2 份报告，各单位一览计入汇总的有 0 份", "淮安市", "未识别城市"}, []bool{true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &yearView{cities: tc.cities}
			v.checkCities(rollups)
			if len(v.notes) != len(tc.notes) {
				t.Fatalf("notes %q, want %d", v.notes, len(tc.notes))
			}
			for i, n := range tc.notes {
				if !strings.Contains(v.notes[i], n) {
					t.Errorf("note %d: %q, want one with %q", i, v.notes[i], n)
				}
			}
			for i, d := range tc.dropped {
				if (v.cities[i].rollup == nil) != d {
					t.Errorf("group %s: rollup %v", v.cities[i].city, v.cities[i].rollup)
				}
			}
		})
	}
}
