package load

import (
	"cmp"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/govreports/govreports/transform"
)

// rollupTable is one rollup output table and the level of the batch stage's rollups it holds.
type rollupTable struct {
	level transform.RegionLevel
	def   *tableDef[rollupRow]
}

// rollupTables are the rollup tables, from the top level down, in the order of Schemas.
var rollupTables = []rollupTable{
	{transform.RegionProvince, rollupProvinceTable},
	{transform.RegionCity, rollupCityTable},
	{transform.RegionCounty, rollupCountyTable},
}

// buildRollups turns the batch stage's rollups into the records of every rollup table. The batch
// stage summed the very reports whose rows the other tables hold, and each rollup is checked against
// its documented GROUP BY over those tables in the tests.
func buildRollups(mem memory.Allocator, rollups []transform.Rollup) ([]Table, error) {
	var tables []Table
	for _, rt := range rollupTables {
		parts, err := buildRollup(mem, rt, rollups)
		if err != nil {
			for _, t := range tables {
				releaseParts(t.Parts)
			}
			return nil, fmt.Errorf("%s: %w", rt.def.name, err)
		}
		tables = append(tables, Table{Name: rt.def.name, Schema: rt.def.schema, Parts: parts})
	}
	return tables, nil
}

func buildRollup(mem memory.Allocator, rt rollupTable, rollups []transform.Rollup) ([]Part, error) {
	tb := newTableBuilder(rt.def, mem)
	for i := range rollups {
		g := &rollups[i]
		if g.Level != rt.level {
			continue
		}
		for m, s := range g.Sums {
			if rollupMeasures[m].amount && s.Valid && (s.N > maxAmount || s.N < -maxAmount) {
				tb.release()
				return nil, fmt.Errorf("%s %s: %s: sum exceeds decimal(%d,6)", partitionName(g.Year),
					cmp.Or(g.Area().Name, unknownRegion), rollupMeasures[m].name, amountPrecision)
			}
		}
		tb.append(g.Year, g)
	}
	return tb.finish(nil)
}

// unknownRegion names the group of reports whose division was not identified.
const unknownRegion = "未识别"
