package transform

import (
	"cmp"
	"slices"
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
	Units                  []UnitCoverage
	// Missing are the divisions the gazetteer lists under the group — a city's districts and counties
	// (on the city's own group), a county's townships — with no report this year.
	Missing []Area
}

// UnitCoverage is one unit (a body, or a division's summary) in one year.
type UnitCoverage struct {
	// Report is this year's report of the unit that the batch kept (its role is in Decisions), -1
	// when the unit did not report this year; Duplicates counts its other reports of the year.
	Report     int
	Duplicates int
	// Last is the unit's report of the year before in the run, -1 when none; LastHistory its
	// report of the year before in History.Reports, -1 when none or when the run has it.
	Last, LastHistory int
}

// unitYear identifies one unit in one year.
type unitYear struct {
	place *placeRef
	organ string
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
	if p == nil || !p.Placed() {
		return groupKey{year: year}, c
	}
	l := min(p.Level, RegionCounty)
	c.Province = p.Province
	if l >= RegionCity {
		c.City = p.City
	}
	if l == RegionCounty {
		c.County = p.County
	}
	return groupKey{year, p.chain[l]}, c
}

// cover builds Batch.Coverage.
func (b *batch) cover() error {
	kept := map[unitYear]int{}     // the report the batch kept, per unit and year
	dups := map[unitYear]int{}     // its duplicates
	years := map[int32]bool{}      // the years of the run
	reached := map[groupKey]bool{} // divisions with a report in a year
	for i := range b.entries {
		e := &b.entries[i]
		if e.year == 0 {
			continue
		}
		years[e.year] = true
		if e.place == nil {
			continue
		}
		k := e.unitYear(e.year)
		if b.out.Decisions[i].Role == RoleDuplicate {
			dups[k]++
		} else {
			kept[k] = i
		}
		for l := RegionCity; l <= e.place.Level; l++ {
			reached[groupKey{e.year, e.place.chain[l]}] = true
		}
	}
	hist := b.historyUnits()
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
	// This year's units, in unit order.
	for _, idx := range b.units {
		i := int(idx)
		e := &b.entries[i]
		if e.place == nil || e.year == 0 || kept[e.unitYear(e.year)] != i {
			continue
		}
		u := UnitCoverage{Report: i, Duplicates: dups[e.unitYear(e.year)], Last: -1, LastHistory: -1}
		if j, ok := kept[e.unitYear(e.year-1)]; ok {
			u.Last = j
		} else if j, ok := hist[e.unitYear(e.year-1)]; ok {
			u.LastHistory = j
		}
		add(e.place, e.year, u)
	}
	// Units that reported the year before and not this year: from the run, then from History.
	for _, idx := range b.units {
		i := int(idx)
		e := &b.entries[i]
		if e.place == nil || e.year == 0 || kept[e.unitYear(e.year)] != i || !years[e.year+1] {
			continue
		}
		if _, ok := kept[e.unitYear(e.year+1)]; !ok {
			add(e.place, e.year+1, UnitCoverage{Report: -1, Last: i, LastHistory: -1})
		}
	}
	for k, j := range hist {
		next := k
		next.year++
		if !years[next.year] {
			continue
		}
		_, now := kept[next]
		_, before := kept[k] // the run has last year's report: added above
		if !now && !before {
			add(k.place, next.year, UnitCoverage{Report: -1, Last: -1, LastHistory: j})
		}
	}
	// Divisions the gazetteer lists without any report this year, on the group of their parent.
	if b.opt.Divisions != nil {
		for k, c := range groups {
			parent := c.County
			if !parent.Known() {
				parent = c.City
			}
			if !parent.Known() || k.chain == "" {
				continue
			}
			for _, d := range b.opt.Divisions(parent) {
				if !reached[groupKey{k.year, chainOf(k.chain, d)}] {
					c.Missing = append(c.Missing, d)
				}
			}
		}
	}
	for _, c := range groups {
		slices.SortStableFunc(c.Units, func(x, y UnitCoverage) int { return cmp.Compare(x.sortKey(), y.sortKey()) })
		b.out.Coverage = append(b.out.Coverage, *c)
	}
	slices.SortFunc(b.out.Coverage, func(x, y Coverage) int {
		return cmp.Or(compareYears(x.Year, y.Year), compareAreas(x.Province, y.Province), compareAreas(x.City, y.City),
			boolCompare(x.County.Known(), y.County.Known()), compareAreas(x.County, y.County))
	})
	return nil
}

// sortKey orders the units of a group: this year's reports in input order, then the missing ones
// (from the run, then from History).
func (u UnitCoverage) sortKey() int {
	if u.Report >= 0 {
		return u.Report
	}
	return 1<<40 + max(u.Last, 0)<<20 + max(u.LastHistory, 0)
}
