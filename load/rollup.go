package load

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/govreports/govreports/transform"
)

// sum is a SQL SUM: nulls are skipped, and a sum that saw no value is null.
type sum struct {
	n     int64
	valid bool
}

func (s *sum) add(n int64) error {
	if (n > 0 && s.n > math.MaxInt64-n) || (n < 0 && s.n < math.MinInt64-n) {
		return fmt.Errorf("sum overflows int64")
	}
	s.n += n
	s.valid = true
	return nil
}

// buildRollup computes rollup_city from the finished reports and applications records — the very
// records that are written — so the rollup equals a GROUP BY over the files by construction.
func buildRollup(mem memory.Allocator, reports, apps []Part) ([]Part, error) {
	appsByYear := map[int]arrow.RecordBatch{}
	for _, p := range apps {
		appsByYear[p.Year] = p.Record
	}
	tb := newTableBuilder(rollupTable, mem)
	for _, p := range reports {
		groups, err := rollupYear(p.Record, appsByYear[p.Year])
		if err != nil {
			tb.release()
			return nil, fmt.Errorf("%s: %w", partitionName(p.Year), err)
		}
		for _, g := range groups {
			g.year = p.Year
			tb.append(p.Year, g)
		}
	}
	return tb.finish(nil)
}

// rollupYear groups one year's reports with in_rollup by city, sorted by city.
func rollupYear(reports, apps arrow.RecordBatch) ([]*rollupRow, error) {
	cols, err := columnsOf(reports, "report_id", "city", "in_rollup")
	if err != nil {
		return nil, err
	}
	ids, cities := cols[0].(*array.String), cols[1].(*array.String)
	inRollup := cols[2].(*array.Boolean)

	// The reports columns that are measures, by measure index.
	fromReports := map[int]arrow.Array{}
	for i, m := range rollupMeasures {
		if m.t3Row >= 0 {
			continue
		}
		c, err := columnsOf(reports, m.name)
		if err != nil {
			return nil, err
		}
		fromReports[i] = c[0]
	}

	groups := map[string]*rollupRow{}
	member := map[string]*rollupRow{} // report_id → its group, for the reports in the rollup
	for i := range int(reports.NumRows()) {
		if !inRollup.Value(i) {
			continue
		}
		city := cities.Value(i)
		g := groups[city]
		if g == nil {
			g = &rollupRow{city: city, sums: make([]sum, len(rollupMeasures))}
			groups[city] = g
		}
		g.reports++
		member[ids.Value(i)] = g
		for m, a := range fromReports {
			if a.IsNull(i) {
				continue
			}
			n, err := int64At(a, i)
			if err == nil {
				err = g.sums[m].add(n)
			}
			if err != nil {
				return nil, fmt.Errorf("city %q, %s: %w", city, rollupMeasures[m].name, err)
			}
		}
	}
	if apps != nil && len(member) > 0 {
		if err := rollupApplications(apps, member); err != nil {
			return nil, err
		}
	}

	out := make([]*rollupRow, 0, len(groups))
	for _, g := range groups {
		for m, s := range g.sums {
			if rollupMeasures[m].amount && s.valid && (s.n > maxAmount || s.n < -maxAmount) {
				return nil, fmt.Errorf("city %q, %s: sum exceeds decimal(%d,6)", g.city, rollupMeasures[m].name, amountPrecision)
			}
		}
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b *rollupRow) int { return strings.Compare(a.city, b.city) })
	return out, nil
}

// rollupApplications adds the Table 3 cells of the member reports to their groups.
func rollupApplications(apps arrow.RecordBatch, member map[string]*rollupRow) error {
	names := []string{"report_id", "row_key"}
	for _, c := range transform.T3Cols {
		names = append(names, c.Key)
	}
	cols, err := columnsOf(apps, names...)
	if err != nil {
		return err
	}
	ids, rowKeys := cols[0].(*array.String), cols[1].(*array.String)
	values := cols[2:]

	measureOf := map[string]int{} // row key → the measure index of its first column
	for i, m := range rollupMeasures {
		if m.t3Row >= 0 && m.t3Col == 0 {
			measureOf[transform.T3Rows[m.t3Row].Key] = i
		}
	}
	for i := range int(apps.NumRows()) {
		g := member[ids.Value(i)]
		if g == nil {
			continue
		}
		first, ok := measureOf[rowKeys.Value(i)]
		if !ok {
			return fmt.Errorf("applications: unknown row_key %q", rowKeys.Value(i))
		}
		for c, a := range values {
			if a.IsNull(i) {
				continue
			}
			n, err := int64At(a, i)
			if err == nil {
				err = g.sums[first+c].add(n)
			}
			if err != nil {
				return fmt.Errorf("city %q, %s: %w", g.city, rollupMeasures[first+c].name, err)
			}
		}
	}
	return nil
}

// columnsOf returns rec's columns by name.
func columnsOf(rec arrow.RecordBatch, names ...string) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(names))
	for i, name := range names {
		idx := rec.Schema().FieldIndices(name)
		if len(idx) != 1 {
			return nil, fmt.Errorf("no column %s", name)
		}
		out[i] = rec.Column(idx[0])
	}
	return out, nil
}

// int64At reads a count, or an amount in millionths of 万元, as int64.
func int64At(a arrow.Array, i int) (int64, error) {
	switch a := a.(type) {
	case *array.Int64:
		return a.Value(i), nil
	case *array.Decimal128:
		v := a.Value(i)
		if !v.FitsInPrecision(amountPrecision) {
			return 0, fmt.Errorf("amount exceeds decimal(%d,6)", amountPrecision)
		}
		// Within 18 digits the value is its low 64 bits in two's complement.
		return int64(v.LowBits()), nil
	}
	return 0, fmt.Errorf("cannot sum a column of %s", a.DataType())
}
