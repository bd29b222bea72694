package load

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/govreports/govreports/transform"
)

// buildRollup turns the batch stage's city rollups into the records of rollup_city. The batch stage
// summed the very reports whose rows the other tables hold, and the rollup is checked against a
// GROUP BY over those tables in the tests.
func buildRollup(mem memory.Allocator, rollups []transform.Rollup) ([]Part, error) {
	tb := newTableBuilder(rollupTable, mem)
	for i := range rollups {
		g := &rollups[i]
		if g.Level != transform.LevelCity {
			continue
		}
		for m, s := range g.Sums {
			if rollupMeasures[m].amount && s.Valid && (s.N > maxAmount || s.N < -maxAmount) {
				tb.release()
				return nil, fmt.Errorf("rollup %s %s: %s: sum exceeds decimal(%d,6)", partitionName(g.Year),
					cityName(g.Region), rollupMeasures[m].name, amountPrecision)
			}
		}
		tb.append(g.Year, g)
	}
	return tb.finish(nil)
}
