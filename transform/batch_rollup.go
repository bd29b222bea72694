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

// sumYear sums the reports of one year.
func (b *batch) sumYear(reports []int32) (groups, own map[rollupKey]*Rollup, err error) {
	groups, own = map[rollupKey]*Rollup{}, map[rollupKey]*Rollup{}
	for _, i := range reports {
		r, err := b.numbersAt(int(i))
		if err != nil {
			return nil, nil, err
		}
		e := &b.entries[i]
		add := func(groups map[rollupKey]*Rollup, l RegionLevel) error {
			k := b.groupOf(e, l)
			g := groups[k]
			if g == nil {
				g = &Rollup{Level: l, Year: k.year, Province: k.province, City: k.city, County: k.county}
				groups[k] = g
			}
			// The divisions above the group's own are its attributes: the first report that knows
			// them names them.
			if l > RegionProvince && !g.Province.Known() {
				g.Province = e.place.Area(RegionProvince)
			}
			g.Reports++
			for m := range Measures {
				if !g.Sums[m].add(r.Value(m)) {
					return fmt.Errorf("batch: %s %s %d: the sum of %s overflows int64 at %s", l,
						cmp.Or(g.Area().Name, "未识别"), g.Year, Measures[m].Name, r.Source.Path)
				}
			}
			return nil
		}
		in := b.out.Decisions[i].In
		for _, l := range RollupLevels {
			if in.Has(l) {
				if err := add(groups, l); err != nil {
					return nil, nil, err
				}
			}
		}
		if b.ownLevel(int(i)) {
			if err := add(own, RegionCity); err != nil {
				return nil, nil, err
			}
		}
	}
	return groups, own, nil
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
