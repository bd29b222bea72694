package transform

import (
	"cmp"
	"maps"
	"slices"
	"strings"
)

// Coverage: which units of each city and county reported in each year of the run, which reported
// the year before (in the run or in History) and not this year, which divisions the gazetteer lists
// without any report, and — through Decisions — which were contained in a summary or duplicates.
// The workbook's coverage view is drawn from it.

// Coverage is one group of units in one year: a city's own level (County is zero: the city
// government and its departments), one county-level division (its government, departments and
// townships), or, all zero, the reports whose region was not identified.
type Coverage struct {
	Year                   int
	Province, City, County Area
	// Unplaced marks the group of the bodies whose division was not identified (under City when
	// the reports print one).
	Unplaced bool
	Units    []UnitCoverage
	// Missing are the divisions the gazetteer lists under the group — a city's districts and counties
	// (on the city's own group), a county's townships — with no report this year.
	Missing []Area
}

// UnitCoverage is one unit (a body, or a division's summary) in one year.
type UnitCoverage struct {
	// Report is this year's report of the unit that the batch kept (its role is in Decisions), -1
	// when the unit did not report this year; Duplicates counts its other reports of the year.
	Report     int32
	Duplicates int32
	// Last is the unit's report of the year before in the run, -1 when none; LastHistory its
	// report of the year before in History.Reports, -1 when none or when the run has it.
	Last, LastHistory int32
}

// unitYear identifies one unit in one year.
type unitYear struct {
	place *placeRef
	organ int32
	scope uint8
	year  int32
}

func (e *entry) unitYear(year int32) unitYear { return unitYear{e.place, e.organ, e.scope, year} }

// historyUnits indexes History by unit and year: of several reports of one unit and year, the one
// the earlier run did not mark as a duplicate.
func (b *batch) historyUnits() map[unitYear]int {
	if b.hist != nil || b.opt.History == nil {
		return b.hist
	}
	h := b.opt.History
	b.hist = map[unitYear]int{}
	for i := range h.Reports {
		hr := &h.Reports[i]
		if hr.Year == 0 || hr.Body == "" {
			continue
		}
		e := b.historyEntry(hr)
		k := e.unitYear(e.year)
		if j, ok := b.hist[k]; !ok || h.Reports[j].Role == RoleDuplicate.String() && hr.Role != RoleDuplicate.String() {
			b.hist[k] = i
		}
	}
	return b.hist
}

// groupKey identifies a coverage group: a year and the chain key of the group's division ("" for
// the reports whose region was not identified).
type groupKey struct {
	year  int32
	chain string
}

// coverGroup returns the key and divisions of the group a place belongs to: its county-level
// division, or its city (or province) for a body of that level.
func coverGroup(p *placeRef, year int32) (groupKey, Coverage) {
	c := Coverage{Year: int(year)}
	if !p.Placed() {
		c.City, c.Unplaced = p.area, true
		return groupKey{year, p.key}, c
	}
	l := min(p.Level, RegionCounty)
	// A township of a city without counties (中山市, 东莞市) belongs to its city's own group. Its
	// chain has no county, or an empty one (intern keeps a link per level): keyed by that, such
	// townships would sit in a group of their own beside their city's, with no county to name it.
	for l > RegionProvince {
		if q := p.at(l); q != nil && q.area.Known() {
			break
		}
		l--
	}
	c.Province = p.Area(RegionProvince)
	if l >= RegionCity {
		c.City = p.Area(RegionCity)
	}
	if l == RegionCounty {
		c.County = p.Area(RegionCounty)
	}
	return groupKey{year, p.chain(l)}, c
}

// cover builds Batch.Coverage in one sweep over the reports in unit order, keeping nothing per
// report: a unit's years are adjacent there.
func (b *batch) cover() error {
	years := map[int32]bool{}      // the years of the run
	reached := map[groupKey]bool{} // divisions with a report in a year
	for i := range b.entries {
		e := &b.entries[i]
		if e.year == 0 {
			continue
		}
		years[e.year] = true
		for l := RegionCity; l <= e.place.Level; l++ {
			reached[groupKey{e.year, e.place.chain(l)}] = true
		}
	}
	hist := b.historyUnits()
	covered := map[unitYear]bool{} // History's reports the run supersedes or follows
	groups := map[groupKey]*Coverage{}
	add := func(p *placeRef, year int32, u UnitCoverage) {
		k, c := coverGroup(p, year)
		g := groups[k]
		if g == nil {
			g = &c
			groups[k] = g
		}
		g.Units = append(g.Units, u)
	}
	type unitYearReports struct {
		year       int32
		kept, dups int32
	}
	var ys []unitYearReports
	for lo := 0; lo < len(b.units); {
		first := &b.entries[b.units[lo]]
		hi := lo + 1
		for hi < len(b.units) && sameUnit(first, &b.entries[b.units[hi]]) {
			hi++
		}
		ys = ys[:0]
		for _, idx := range b.units[lo:hi] {
			e := &b.entries[idx]
			if e.year == 0 {
				continue
			}
			if len(ys) == 0 || ys[len(ys)-1].year != e.year {
				ys = append(ys, unitYearReports{year: e.year, kept: -1})
			}
			y := &ys[len(ys)-1]
			if b.out.Decisions[idx].Role == RoleDuplicate {
				y.dups++
			} else {
				y.kept = idx
			}
		}
		for k, y := range ys {
			u := UnitCoverage{Report: y.kept, Duplicates: y.dups, Last: -1, LastHistory: -1}
			if k > 0 && ys[k-1].year == y.year-1 {
				u.Last = ys[k-1].kept
			} else if j, ok := hist[first.unitYear(y.year-1)]; ok {
				u.LastHistory = int32(j)
			}
			add(first.place, y.year, u)
			if years[y.year+1] && (k+1 == len(ys) || ys[k+1].year != y.year+1) {
				add(first.place, y.year+1, UnitCoverage{Report: -1, Last: y.kept, LastHistory: -1})
			}
			for _, d := range []int32{0, -1} {
				if _, ok := hist[first.unitYear(y.year+d)]; ok {
					covered[first.unitYear(y.year+d)] = true
				}
			}
		}
		lo = hi
	}
	// Units of History that reported the year before a year of the run, and that the run lacks.
	for k, j := range hist {
		if years[k.year+1] && !covered[k] {
			add(k.place, k.year+1, UnitCoverage{Report: -1, Last: -1, LastHistory: int32(j)})
		}
	}
	// Divisions the gazetteer lists without any report this year, on the group of their parent.
	if b.opt.Divisions != nil {
		for k, c := range groups {
			parent := c.County
			if !parent.Known() {
				parent = c.City
			}
			if !parent.Known() || c.Unplaced {
				continue
			}
			for _, d := range b.opt.Divisions(parent) {
				if !reached[groupKey{k.year, chainOf(k.chain, d)}] {
					c.Missing = append(c.Missing, d)
				}
			}
		}
	}
	// Groups in key order: two groups that look alike (the unplaced bodies of one city, under two
	// keys) keep one order from run to run.
	keys := slices.SortedFunc(maps.Keys(groups), func(x, y groupKey) int {
		return cmp.Or(cmp.Compare(x.year, y.year), strings.Compare(x.chain, y.chain))
	})
	for _, k := range keys {
		c := groups[k]
		slices.SortStableFunc(c.Units, func(x, y UnitCoverage) int { return cmp.Compare(x.sortKey(), y.sortKey()) })
		b.out.Coverage = append(b.out.Coverage, *c)
	}
	slices.SortStableFunc(b.out.Coverage, func(x, y Coverage) int {
		return cmp.Or(compareYears(x.Year, y.Year), compareAreas(x.Province, y.Province), compareAreas(x.City, y.City),
			boolCompare(x.County.Known(), y.County.Known()), compareAreas(x.County, y.County))
	})
	return nil
}

// sortKey orders the units of a group: this year's reports in input order, then the missing ones
// (from the run, then from History).
func (u UnitCoverage) sortKey() int64 {
	if u.Report >= 0 {
		return int64(u.Report)
	}
	if u.Last >= 0 {
		return 1<<40 + int64(u.Last)
	}
	return 1<<41 + int64(u.LastHistory)
}
