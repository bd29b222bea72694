package load

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// maxCitySheets is the most cities whose 全市汇总-<城市> form sheets a workbook shows. A batch of
// more cities (a whole province's offices at once, or a generated nationwide corpus) gets one
// 各市汇总 sheet instead, a row per city: hundreds of tabs help no analyst, and excelize keeps every
// sheet written cell by cell in memory and finds a sheet by a linear search over all of them, so
// the workbook's time and memory grew with the square of the cities (333 cities: 11 s of a 10,000-
// report run's 37 s of writing, and most of its 300 MB).
const maxCitySheets = 40

// sheetCities is the overview that stands for the form sheets past maxCitySheets.
const sheetCities = "各市汇总"

// citySheets writes a form sheet per city, or the overview when there are too many cities.
func (b *workbookBuilder) citySheets() error {
	if len(b.v.cities) > maxCitySheets {
		return b.citiesSheet()
	}
	return b.summarySheets()
}

// citiesSheet writes 各市汇总: per city, its rollup_city row's report count and the key figures of
// the per-county breakdown, streamed.
func (b *workbookBuilder) citiesSheet() error {
	cols := []detailCol{
		{header: "省", kind: kindText, width: 14},
		{header: "城市", kind: kindText, width: 18},
		{header: "城市代码", kind: kindText, width: 10},
		{header: "报告数", kind: kindCount, width: 8},
	}
	for _, c := range breakdownCols {
		cols = append(cols, detailCol{header: c.group + " " + c.head, kind: kindOf(c.amount), width: 14})
	}
	d := b.newDetailSheet(sheetCities, "Cities", cols, 2)
	values, cells := streamRow(len(cols))
	text := b.st.data(kindText, markNone)
	for k := range b.v.cities {
		g := &b.v.cities[k]
		cells[0] = excelize.Cell{StyleID: text}
		cells[1] = excelize.Cell{StyleID: text, Value: cityName(g.city)}
		cells[2] = excelize.Cell{StyleID: text}
		cells[3] = excelize.Cell{StyleID: b.st.data(kindCount, markNone)}
		if r := g.rollup; r != nil {
			cells[0].Value = valid(r.Province.Name)
			cells[2].Value = valid(r.City.Code)
			cells[3].Value = int64(r.Reports)
		}
		for i := range breakdownCols {
			c := &breakdownCols[i]
			cells[4+i] = excelize.Cell{StyleID: b.st.data(kindOf(c.amount), markNone), Value: c.rollupValue(g.rollup)}
		}
		if err := d.add(values); err != nil {
			return err
		}
	}
	if err := d.close("（本年度没有可以计入汇总的报告）"); err != nil {
		return err
	}
	b.guideParts(d, fmt.Sprintf("本年度报告分属 %d 个城市，多于 %d 个，不再逐市排列官方表式：每市一行，为该市的汇总"+
		"（与 Parquet 表 rollup_city 的行相同），列出报告数和表二、表三、表四的主要数字；"+
		"各市的完整表式数字见 rollup_city，分县（区）数字见 rollup_county。", len(b.v.cities), maxCitySheets))
	return nil
}
