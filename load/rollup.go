package load

import (
	"fmt"

	"github.com/govreports/govreports/transform"
)

// cityRollupRows are the batch stage's city rollups, the rows of rollup_city. The batch stage
// summed the very reports whose rows the other tables hold, and the rollup is checked against a
// GROUP BY over those tables in the tests.
func cityRollupRows(in *Input, emit func(int, *rollupRow)) error {
	for i := range in.Batch.Rollups {
		g := &in.Batch.Rollups[i]
		if g.Level != transform.LevelCity {
			continue
		}
		if err := checkRollupSums(g); err != nil {
			return err
		}
		emit(g.Year, g)
	}
	return nil
}

// checkRollupSums refuses a sum that does not fit its column.
func checkRollupSums(g *transform.Rollup) error {
	for m, s := range g.Sums {
		if rollupMeasures[m].amount && s.Valid && (s.N > maxAmount || s.N < -maxAmount) {
			return fmt.Errorf("rollup %s %s: %s: sum exceeds decimal(%d,6)", partitionName(g.Year),
				cityName(g.Region), rollupMeasures[m].name, amountPrecision)
		}
	}
	return nil
}
