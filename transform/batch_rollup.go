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
// and the cities' own levels.
func (b *batch) sumRollups() error {
	groups := map[rollupKey]*Rollup{}
	own := map[rollupKey]*Rollup{}
	for i := range b.entries {
		in := b.out.Decisions[i].In
		isOwn := b.ownLevel(i)
		if in == 0 && !isOwn {
			continue
		}
		r, err := b.at(i)
		if err != nil {
			return err
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
		for _, l := range RollupLevels {
			if in.Has(l) {
				if err := add(groups, l); err != nil {
					return err
				}
			}
		}
		if isOwn {
			if err := add(own, RegionCity); err != nil {
				return err
			}
		}
	}
	b.out.Rollups = sortedRollups(groups)
	b.out.OwnLevel = sortedRollups(own)
	return nil
}

func sortedRollups(groups map[rollupKey]*Rollup) []Rollup {
	out := make([]Rollup, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(x, y Rollup) int {
		return cmp.Or(cmp.Compare(x.Level, y.Level), compareYears(x.Year, y.Year),
			compareAreas(x.Province, y.Province), compareAreas(x.City, y.City), compareAreas(x.County, y.County))
	})
	return out
}

// compareAreas orders divisions by code, then name; the unknown division last.
func compareAreas(a, b Area) int {
	if a.Known() != b.Known() {
		return boolCompare(!a.Known(), !b.Known())
	}
	return cmp.Or(strings.Compare(a.Code, b.Code), strings.Compare(a.Name, b.Name))
}
