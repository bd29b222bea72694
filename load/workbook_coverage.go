package load

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/govreports/govreports/transform"
)

// 报送情况, the coverage view: one row per unit of the year — each body that reported this year or,
// when the run or --history has the year before, last year — with its place, its role and the
// reason, then the divisions the gazetteer lists without any report. It is drawn from the batch
// stage's Coverage and Decisions; load decides nothing here.

// Kinds of a unit's row in 报送情况 (column 情况), worst first.
const (
	covMissing    = "本年未报送"
	covNoReport   = "区划无报告"
	covExcluded   = "按设置不计入"
	covUnresolved = "区划未识别"
	covContained  = "已含在汇总报告中"
	covCounted    = "计入汇总"
)

// levelNames name the levels of a division, as a unit's level is shown.
var levelNames = map[transform.RegionLevel]string{transform.RegionProvince: "省", transform.RegionCity: "市",
	transform.RegionCounty: "县（区）", transform.RegionTownship: "乡镇（街道）"}

// unitLevel names, in Chinese, the level and kind of a body: 市政府, 市级部门, 县（区）政府, 开发区, 乡镇（街道）, ….
func unitLevel(p *transform.Place) string {
	if !p.Placed() {
		return "未识别"
	}
	level := levelNames[p.Level]
	switch {
	case p.Kind == transform.KindZone && p.Organ == "":
		return "开发区"
	case p.Kind == transform.KindZone:
		return "开发区部门"
	case p.Level == transform.RegionTownship || p.Kind == transform.KindTownship:
		return "乡镇（街道）"
	case p.Kind == transform.KindGovernment:
		return level + "政府"
	case p.Kind == transform.KindOffice:
		return level + "政府办公室"
	}
	return level + "级部门"
}

// scopeText names a report's scope in Chinese: 本机关, 本级汇总, or the regional summary of its level
// (全省汇总, 全市汇总, 全县（区）汇总).
func scopeText(scope string, p *transform.Place) string {
	if scope == transform.ScopeRegional && p.Placed() {
		switch p.Level {
		case transform.RegionProvince:
			return "全省汇总"
		case transform.RegionCity:
			return "全市汇总"
		case transform.RegionCounty:
			if p.Kind == transform.KindZone {
				return "全区汇总"
			}
			return "全县（区）汇总"
		}
	}
	return named(scopeNames, scope)
}

// lastYearKnown reports whether the run or its history has reports of the year before the view's.
func (v *yearView) lastYearKnown() bool {
	if v.year == 0 {
		return false
	}
	if _, ok := v.run.facts.years[v.year-1]; ok {
		return true
	}
	if h := v.run.in.Batch.History; h != nil {
		for i := range h.Reports {
			if h.Reports[i].Year == v.year-1 {
				return true
			}
		}
	}
	return false
}

// coverageCounts counts the rows of 报送情况 by kind, for 说明 and 全市汇总.
type coverageCounts map[string]int

// coverageSheet writes 报送情况.
func (b *workbookBuilder) coverageSheet() error {
	v := b.v
	lastKnown := v.lastYearKnown()
	cols := []detailCol{
		{header: "城市", kind: kindText, width: textWidth("城市", v.width(wCity))},
		{header: "县（区）", kind: kindText, width: 16, wrap: true},
		{header: "单位", kind: kindText, width: min(textWidth("单位", v.width(wBody)), 30), wrap: true},
		{header: "单位层级", kind: kindText, width: max(textWidth("单位层级", v.width(wLevel)), 12)},
		{header: "报告范围", kind: kindText, width: max(textWidth("报告范围", v.width(wScope)), 10)},
		{header: "本年", kind: kindText, width: 8},
		{header: "上年", kind: kindText, width: 8},
		{header: "情况", kind: kindText, width: 14},
		{header: "重复报告数", kind: kindCount, width: 8},
		{header: "说明", kind: kindText, width: 56, wrap: true},
		{header: "来源文件", kind: kindText, width: textWidth("来源文件", v.width(wSource))},
		{header: "报告编号", kind: kindText, width: textWidth("报告编号", v.width(wID))},
	}
	d := b.newDetailSheet(sheetCoverage, "Coverage", cols, 3)
	// Printed: the first ten columns, up to 说明, scaled to the page's width; the file and the id
	// are for the screen.
	d.printCols = len(cols) - 2
	values, cells := streamRow(len(cols))
	text, wrapped := b.st.data(kindText, markNone), b.st.wrapped()
	b.coverage = coverageCounts{}

	// The duplicates of each report kept, by year-local index.
	dups := map[int][]int32{}
	for k, i := range v.facts.idx {
		if d := v.run.in.Batch.Decisions[i]; d.Role == transform.RoleDuplicate && d.Of >= 0 {
			dups[d.Of] = append(dups[d.Of], int32(k))
		}
	}
	lastText := func(has bool) string {
		switch {
		case !lastKnown:
			return "—"
		case has:
			return "已报送"
		}
		return "未报送"
	}
	write := func(vals []any) error {
		b.coverage[vals[7].(string)]++
		for c := range cols {
			var val any
			if c < len(vals) {
				val = vals[c]
			}
			style := text
			switch {
			case c == 8:
				style = b.st.data(kindCount, markNone)
			case cols[c].wrap:
				style = wrapped
			}
			cells[c] = excelize.Cell{StyleID: style, Value: val}
		}
		return d.add(values)
	}

	// A group's rows are written in the order an analyst reads them: the units that reported, the
	// government first; those that did not; the divisions without any report. The order is found
	// from a few bytes per unit, and each row is built as it is written, so that memory does not
	// grow with the group.
	type item struct {
		rank int
		name string
		unit int   // index into the group's Units; -1 - k for its k-th Missing division
		vals []any // the row, kept from ordering to writing in a group of at most keptRows units
	}
	var items []item
	// The divisions without any report come from the gazetteer: a few dozen to a few hundred a city.
	// Past maxCitySheets cities (a province's or a nationwide batch) they would bury the units that
	// did report, tens of thousands of rows, so they are left out and the guide says so.
	listDivisions := len(v.cities) <= maxCitySheets
	for ci := range v.run.in.Batch.Coverage {
		c := &v.run.in.Batch.Coverage[ci]
		if c.Year != v.year {
			continue
		}
		items = items[:0]
		keep := len(c.Units) <= keptRows
		for k := range c.Units {
			vals, err := b.coverageRow(c, k, dups, lastText)
			if err != nil {
				return err
			}
			if vals == nil {
				continue
			}
			rank := levelRank(vals[3].(string))
			if vals[7] == covMissing {
				rank += 10
			}
			it := item{rank: rank, name: strings.Clone(vals[2].(string)), unit: k}
			if keep {
				it.vals = vals
			}
			items = append(items, it)
		}
		slices.SortStableFunc(items, func(x, y item) int {
			return cmp.Or(cmp.Compare(x.rank, y.rank), strings.Compare(x.name, y.name))
		})
		if listDivisions {
			for k := range c.Missing {
				items = append(items, item{rank: 20, unit: -1 - k})
			}
		}
		for _, it := range items {
			if err := b.checkCtx(int(d.rows)); err != nil {
				return err
			}
			vals := it.vals
			if vals == nil {
				var err error
				if vals, err = b.coverageRow(c, it.unit, dups, lastText); err != nil {
					return err
				}
			}
			if err := write(vals); err != nil {
				return err
			}
		}
	}
	empty := "（本年度没有可统计报送情况的单位）"
	if v.year == 0 {
		empty = "（年度未识别的报告不统计报送情况）"
	}
	if err := d.close(empty); err != nil {
		return err
	}
	about := "每个单位一行：本年是否报送"
	if lastKnown {
		about += "、上年是否报送"
	}
	about += "，在汇总中的角色（计入、已含在汇总报告中、重复、按设置不计入、区划未识别）及原因；"
	if listDivisions {
		about += "其后是区划名录中有而本年没有任何报告的区划。"
	} else {
		about += fmt.Sprintf("本年度报告分属 %d 个城市，多于 %d 个，区划名录中有而本年没有任何报告的区划不逐一列出。", len(v.cities), maxCitySheets)
	}
	if !lastKnown {
		about += "本批次和历史数据中都没有上一年度的报告，“上年”一列为“—”。"
	}
	b.guideParts(d, about)
	return nil
}

// levelRank orders the units of a group by their level (unitLevel): governments and zones first,
// then offices, departments, townships.
func levelRank(level string) int {
	switch {
	case strings.HasSuffix(level, "政府办公室"):
		return 1
	case strings.HasSuffix(level, "政府") || level == "开发区":
		return 0
	case strings.HasSuffix(level, "部门"):
		return 2
	case level == "乡镇（街道）":
		return 3
	}
	return 4
}

// coverageRow builds the cells of one row of 报送情况: unit k of group c, or (k < 0) its Missing
// division -1-k. It returns nil for a unit that has nothing to show.
// keptRows is the largest group of units whose rows 报送情况 keeps from ordering them to writing
// them (a few hundred bytes a row); a larger group's rows are built again as they are written, so
// that memory does not grow with a group. A variable for the tests of the second way.
var keptRows = 512

// The reports a row names (the unit's, its duplicates, its report of last year) are read from the
// facts gathered before the workbooks (runFacts.unit), not from the store.
func (b *workbookBuilder) coverageRow(c *transform.Coverage, k int, dups map[int][]int32,
	lastText func(bool) string) ([]any, error) {
	v := b.v
	city := cityName(valid(c.City.Name))
	county := valid(c.County.Name)
	switch {
	case c.Unplaced:
		county = "未识别"
	case !c.County.Known() && c.City.Known():
		county = city + "本级"
	case !c.County.Known():
		county = "省本级"
	}
	if k < 0 {
		m := c.Missing[-1-k]
		level := "县（区）"
		if c.County.Known() {
			level = "乡镇（街道）"
		}
		why := "名录所列区划（代码 " + valid(m.Code) + "），本批次无其本年度报告"
		return []any{city, county, valid(m.Name), level, "", "未报送", "", covNoReport, nil, why}, nil
	}
	u := c.Units[k]
	if u.Report >= 0 {
		// The year's reports are in input order: their indices ascend.
		if _, ok := slices.BinarySearch(v.facts.idx, u.Report); !ok {
			return nil, fmt.Errorf("load: workbook: coverage names report %d, not of year %d", u.Report, v.year)
		}
		w, err := v.run.facts.unit(int(u.Report))
		if err != nil {
			return nil, err
		}
		d := v.run.in.Batch.Decisions[u.Report]
		// The role in short: the containing summary by its body (各单位一览 names its file).
		kind, why := covCounted, v.roleTextOf(roleOf(d))
		if d.Role == transform.RoleContained {
			why = "已含在" + v.reportName(d.Of) + "的汇总报告中"
		}
		switch {
		case d.Role == transform.RoleExcluded:
			kind = covExcluded
		case c.Unplaced && c.City.Known():
			kind = covUnresolved
			why = "单位未能对应到行政区划，按报告所列城市计入" + city + "，所属县（区）未识别；" + why
		case c.Unplaced:
			kind = covUnresolved
			why = "单位未能对应到行政区划，归入“" + unknownCity + "”；" + why
		case d.Role == transform.RoleContained:
			kind = covContained
		}
		var ndup any
		if n := len(dups[int(u.Report)]); n > 0 {
			ndup = int64(n)
			names := &nameList{}
			for _, dk := range dups[int(u.Report)] {
				dw, err := v.run.facts.unit(int(v.facts.idx[dk]))
				if err != nil {
					return nil, err
				}
				names.add(dw.source)
			}
			why += fmt.Sprintf("；另有 %d 份重复报告（%s）不计入", n, names)
		}
		last := u.Last >= 0 || u.LastHistory >= 0
		if last && u.LastHistory >= 0 {
			why += "；上年报告见历史数据"
		}
		return []any{city, county, w.name, w.level, w.scope, "已报送",
			lastText(last), kind, ndup, why, w.source, w.id}, nil
	}
	// A unit that reported the year before and not this year.
	var name, source, id, level, scope string
	switch {
	case u.Last >= 0:
		lw, err := v.run.facts.unit(int(u.Last))
		if err != nil {
			return nil, err
		}
		name, source, id, level, scope = lw.name, lw.source, lw.id, lw.level, lw.scope
	case u.LastHistory >= 0 && v.run.in.Batch.History != nil:
		hr := &v.run.in.Batch.History.Reports[u.LastHistory]
		name, source, id = valid(hr.Body), valid(hr.Source), valid(hr.ID)
		level, scope = unitLevel(&hr.Place), scopeText(valid(hr.Scope), &hr.Place)
	default:
		return nil, nil
	}
	why := strconv.Itoa(v.year-1) + " 年度有报告，本批次中没有该单位本年度的报告"
	if v.run.rejects > 0 {
		why += "（若是未能读取的文件，见“" + sheetRejects + "”）"
	}
	return []any{city, county, name, level, scope, "未报送", "已报送", covMissing, nil, why, source, id}, nil
}
