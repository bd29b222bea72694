package load

import (
	"cmp"
	"fmt"

	"github.com/govreports/govreports/transform"
)

// rollupRows are the batch stage's rollups of one level, the rows of that level's rollup table.
// The batch stage summed the very reports whose rows the other tables hold, and each rollup is
// checked against its documented GROUP BY over those tables in the tests. A year is decoded, its
// partition written and closed, and let go before the next: the batch keeps the rollups out of
// the heap, and so does this.
func rollupRows(level transform.RegionLevel) func(in *Input, emit func(int, *rollupRow), done func(int) error) error {
	return func(in *Input, emit func(int, *rollupRow), done func(int) error) error {
		for _, year := range in.Batch.RollupYears() {
			gs, err := in.Batch.Rollups(year, level)
			if err != nil {
				return err
			}
			for i := range gs {
				if err := checkRollupSums(&gs[i]); err != nil {
					return err
				}
				emit(year, &gs[i])
			}
			if err := done(year); err != nil {
				return err
			}
		}
		return nil
	}
}

// checkRollupSums refuses a sum that does not fit its column.
func checkRollupSums(g *transform.Rollup) error {
	for m, s := range g.Sums {
		if rollupMeasures[m].amount && s.Valid && (s.N > maxAmount || s.N < -maxAmount) {
			return fmt.Errorf("%s %s: %s: sum exceeds decimal(%d,6)", partitionName(g.Year),
				cmp.Or(g.Area().Name, unknownRegion), rollupMeasures[m].name, amountPrecision)
		}
	}
	return nil
}

// unknownRegion names the group of reports whose division was not identified.
const unknownRegion = "未识别"
