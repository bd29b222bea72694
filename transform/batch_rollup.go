package transform

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// rollupKey identifies one rollup group: a level, a year and the division at that level (with the
// city, for a county: two districts of one name in two cities are two groups). The zero Areas are
// the group of reports whose division at that level was not identified.
type rollupKey struct {
	level        RegionLevel
	year         int
	city, county Area
	province     Area
}

func (b *batch) groupOf(e *entry, l RegionLevel) rollupKey {
	k := rollupKey{level: l, year: int(e.year)}
	if !e.place.Placed() {
		// Unidentified, under the city the report prints if any: as the reports table groups it.
		if l >= RegionCity {
			k.city = e.place.area
		}
		return k
	}
	switch l {
	case RegionProvince:
		k.province = e.place.Area(RegionProvince)
	case RegionCity:
		k.city = e.place.Area(RegionCity)
	case RegionCounty:
		k.city, k.county = e.place.Area(RegionCity), e.place.Area(RegionCounty)
	}
	return k
}

// ownLevel reports whether report i is in its city's own level (市本级, Batch.OwnLevel): it is placed
// at the city itself, counted or contained, not the city's regional (全市) summary, whose figures
// include the counties, and not contained in a summary of the city's own level (本级), which holds
// it. This is rollup_county's rule applied to the city's own division: a report counts there
// unless a summary of that division already does.
func (b *batch) ownLevel(i int) bool {
	d, e := &b.out.Decisions[i], &b.entries[i]
	if e.anon || !e.place.Placed() || e.place.Level != RegionCity || e.scope == scopeRegional {
		return false
	}
	switch d.Role {
	case RoleCounted:
		return true
	case RoleContained:
		return !b.ownLevel(d.Of)
	}
	return false
}

// sumRollups sums, per level, year and division, the reports whose decision rolls them up there,
// and the cities' own levels. It sums one year at a time and hands each year's groups to the
// Batch's rollupStore, which encodes them out of the heap, so that the groups of one year are all
// it holds (every year's took 60 MB at 100,000 reports); each report is still read once.
func (b *batch) sumRollups() error {
	byYear := map[int32][]int32{}
	for i := range b.entries {
		if b.out.Decisions[i].In != 0 || b.ownLevel(i) {
			y := b.entries[i].year
			byYear[y] = append(byYear[y], int32(i))
		}
	}
	years := make([]int32, 0, len(byYear))
	for y := range byYear {
		years = append(years, y)
	}
	slices.SortFunc(years, func(x, y int32) int { return compareYears(int(x), int(y)) })
	for _, y := range years {
		groups, own, err := b.sumYear(byYear[y])
		if err != nil {
			return err
		}
		delete(byYear, y)
		if err := b.out.rollups.add(int(y), groups, own); err != nil {
			return err
		}
	}
	return nil
}

// sumYear sums the reports of one year. A sum that would overflow int64 (a report printing
// absurd numbers) must not stop the batch: the year is summed again with every value of that
// group and measure larger than an equal share of int64 (MaxInt64 / the group's reports) left out,
// at every level the report counts in, so that the levels still agree; such a group can then no
// longer overflow, whatever the order of its reports. Each value left out is an H.OVERFLOW error
// on its report, and counts as skipped in the sums. Years without an overflow are summed once.
func (b *batch) sumYear(reports []int32) (groups, own map[rollupKey]*Rollup, err error) {
	var bounds map[overflowKey]int64
	for {
		groups, own, over, dropped, err := b.sumYearOnce(reports, bounds)
		if err != nil {
			return nil, nil, err
		}
		if len(over) == 0 {
			b.overflowFindings(dropped)
			return groups, own, nil
		}
		if bounds == nil {
			bounds = map[overflowKey]int64{}
		}
		for k := range over {
			g := groups[k.group]
			if k.own {
				g = own[k.group]
			}
			// Every value within the bound: n of them cannot leave int64, in any order or sign.
			bounds[k] = maxInt64 / int64(max(g.Reports, 1))
		}
	}
}

// overflowKey is one measure of one rollup group (or city's own level).
type overflowKey struct {
	group rollupKey
	own   bool
	m     int
}

// droppedValue is a value left out of the sums as too large to add.
type droppedValue struct {
	report int32
	m      int
	n      int64
	group  rollupKey
}

// sumYearOnce sums the reports of one year, leaving out each value beyond a bound of a group it
// counts in; over holds the group measures that overflowed nonetheless (their sums are then wrong:
// the caller sums again).
func (b *batch) sumYearOnce(reports []int32, bounds map[overflowKey]int64) (groups, own map[rollupKey]*Rollup,
	over map[overflowKey]bool, dropped []droppedValue, err error) {
	groups, own = map[rollupKey]*Rollup{}, map[rollupKey]*Rollup{}
	var keys [4]overflowKey // the groups the report counts in, at most one per level and its own level
	for _, i := range reports {
		r, err := b.numbersAt(int(i))
		if err != nil {
			return nil, nil, nil, nil, err
		}
		e := &b.entries[i]
		in := b.out.Decisions[i].In
		ks := keys[:0]
		for _, l := range RollupLevels {
			if in.Has(l) {
				ks = append(ks, overflowKey{group: b.groupOf(e, l)})
			}
		}
		if b.ownLevel(int(i)) {
			ks = append(ks, overflowKey{group: b.groupOf(e, RegionCity), own: true})
		}
		gs := [4]*Rollup{}
		for j, k := range ks {
			set := groups
			if k.own {
				set = own
			}
			g := set[k.group]
			if g == nil {
				l := k.group.level
				g = &Rollup{Level: l, Year: k.group.year, Province: k.group.province, City: k.group.city, County: k.group.county}
				set[k.group] = g
			}
			// The divisions above the group's own are its attributes: the first report that knows
			// them names them.
			if g.Level > RegionProvince && !g.Province.Known() {
				g.Province = e.place.Area(RegionProvince)
			}
			g.Reports++
			gs[j] = g
		}
		for m := range Measures {
			v := r.Value(m)
			if bounds != nil && v.Known() {
				if k, out := beyond(bounds, ks, m, v.N); out {
					dropped = append(dropped, droppedValue{report: i, m: m, n: v.N, group: k.group})
					for j := range ks {
						gs[j].Sums[m].Skipped++
					}
					continue
				}
			}
			for j, k := range ks {
				if !gs[j].Sums[m].add(v) {
					if over == nil {
						over = map[overflowKey]bool{}
					}
					over[overflowKey{group: k.group, own: k.own, m: m}] = true
				}
			}
		}
	}
	return groups, own, over, dropped, nil
}

// beyond reports whether value n of measure m exceeds the bound of one of the groups it counts in,
// and which.
func beyond(bounds map[overflowKey]int64, ks []overflowKey, m int, n int64) (overflowKey, bool) {
	for _, k := range ks {
		k.m = m
		if bound, ok := bounds[k]; ok && (n > bound || n < -bound) {
			return k, true
		}
	}
	return overflowKey{}, false
}

// overflowFindings tells each report whose values were left out of the sums: one error finding a
// report, naming its cells.
func (b *batch) overflowFindings(dropped []droppedValue) {
	for lo := 0; lo < len(dropped); {
		hi := lo + 1
		for hi < len(dropped) && dropped[hi].report == dropped[lo].report {
			hi++
		}
		var cells, parts []string
		for k, d := range dropped[lo:hi] {
			cells = append(cells, Measures[d.m].Path)
			if k < maxMeasuresListed {
				parts = append(parts, fmt.Sprintf("%s=%s", measureLabel(d.m), formatMeasure(d.m, d.n)))
			}
		}
		text := strings.Join(parts, "；")
		if hi-lo > maxMeasuresListed {
			text += fmt.Sprintf("；等共%d项", hi-lo)
		}
		g := dropped[lo].group
		area := cmp.Or(groupName(g), "未识别")
		b.finding(int(dropped[lo].report), Finding{Rule: RuleHOverflow, Severity: SevError, Status: "fail", Cells: cells,
			Message: fmt.Sprintf("数值过大，与%s %d年的其他报告相加超出可计算范围，未计入汇总（该汇总的这些指标不含本报告）：%s",
				area, g.year, text)})
		lo = hi
	}
}

// groupName names a rollup group's own division.
func groupName(k rollupKey) string {
	switch k.level {
	case RegionProvince:
		return k.province.Name
	case RegionCity:
		return k.city.Name
	}
	return cmp.Or(k.county.Name, k.city.Name)
}

// sortedRollups returns the groups of one year and level sorted by province, city and county.
func sortedRollups(groups []*Rollup) []*Rollup {
	slices.SortFunc(groups, func(x, y *Rollup) int {
		return cmp.Or(compareAreas(x.Province, y.Province), compareAreas(x.City, y.City), compareAreas(x.County, y.County))
	})
	return groups
}

// compareAreas orders divisions by code, then name; the unknown division last.
func compareAreas(a, b Area) int {
	if a.Known() != b.Known() {
		return boolCompare(!a.Known(), !b.Known())
	}
	return cmp.Or(strings.Compare(a.Code, b.Code), strings.Compare(a.Name, b.Name))
}
