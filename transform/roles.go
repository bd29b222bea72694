package transform

import (
	"fmt"
	"strings"
)

// Roles: each report is counted, contained in a summary report of its region, a duplicate of
// another report of its unit and year, or excluded by the user. Siblings never exclude each other:
// only a summary of a region that includes a report's region contains it, so no city-year with
// reports can vanish from a rollup.

// markExcluded gives RoleExcluded to the reports of the bodies and divisions the user left out.
func (b *batch) markExcluded() error {
	if len(b.opt.Exclude) == 0 {
		return nil
	}
	names, codes := map[string]bool{}, map[string]bool{}
	for _, x := range b.opt.Exclude {
		if x = trimSpace(x); isDivisionCode(x) {
			codes[x] = true
		} else if x != "" {
			names[normLabel(x)] = true
		}
	}
	for i := range b.entries {
		e := &b.entries[i]
		excluded := false
		{
			for l := RegionProvince; l <= e.place.Level && !excluded; l++ {
				excluded = codes[e.place.Area(l).Code]
			}
		}
		if !excluded && len(names) > 0 {
			r, err := b.at(i)
			if err != nil {
				return err
			}
			excluded = names[normLabel(r.Body)]
		}
		if excluded {
			e.excluded = true
			b.out.Decisions[i].Role = RoleExcluded
		}
	}
	return nil
}

// isDivisionCode reports whether s is shaped like a GB/T 2260 code (6 digits, 9 or 12 for a township).
func isDivisionCode(s string) bool {
	if len(s) != 6 && len(s) != 9 && len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// markDuplicates keeps one report per unit and year and makes the others its duplicates. The one
// counted is chosen by a fixed rule, so the choice never depends on scheduling: fewer error
// findings, then a higher reading confidence, then a revision mark in the title (修订版, 更正版)
// over none, then the earlier input (inputs are sorted by path). Both reports stay in the reports
// table; the duplicate gets X.DUPLICATE_UNIT saying which report is counted and why, the counted
// one an info finding naming its duplicates.
func (b *batch) markDuplicates() error {
	for lo := 0; lo < len(b.units); {
		hi := lo + 1
		first := &b.entries[b.units[lo]]
		for hi < len(b.units) {
			e := &b.entries[b.units[hi]]
			if !sameUnit(first, e) || e.year != first.year {
				break
			}
			hi++
		}
		if err := b.dedupe(b.units[lo:hi]); err != nil {
			return err
		}
		lo = hi
	}
	return nil
}

// dedupe decides among the reports of one unit and year (in input order).
func (b *batch) dedupe(group []int32) error {
	var live []int
	for _, i := range group {
		if !b.entries[i].excluded {
			live = append(live, int(i))
		}
	}
	if len(live) < 2 || b.entries[live[0]].anon || b.entries[live[0]].year == 0 {
		return nil // no body or no year: nothing says two reports are one unit's
	}
	keep := live[0]
	for _, i := range live[1:] {
		if _, better := b.prefer(i, keep); better {
			keep = i
		}
	}
	kept, err := b.name(keep)
	if err != nil {
		return err
	}
	var others []string
	for _, i := range live {
		if i == keep {
			continue
		}
		why, _ := b.prefer(keep, i)
		b.out.Decisions[i] = Decision{Role: RoleDuplicate, Of: keep, OfID: kept.id}
		dup, err := b.name(i)
		if err != nil {
			return err
		}
		others = append(others, dup.where)
		b.finding(i, Finding{Rule: RuleXDuplicateUnit, Severity: SevWarning, Status: "uncertain",
			Message: fmt.Sprintf("%s %d年度另有报告（%s），计入汇总的是该报告（%s）；本份保留在报告表中，不计入汇总",
				kept.body, b.entries[i].year, kept.where, why)})
	}
	b.finding(keep, Finding{Rule: RuleXDuplicateUnit, Severity: SevInfo, Status: "resolved",
		Message: fmt.Sprintf("%s %d年度共有%d份报告，计入汇总的是本份；其余（%s）保留在报告表中，不计入汇总",
			kept.body, b.entries[keep].year, len(live), strings.Join(others, "、"))})
	return nil
}

// prefer reports whether report a is to be counted rather than report b, and why, in words.
func (b *batch) prefer(a, c int) (why string, better bool) {
	x, y := &b.entries[a], &b.entries[c]
	switch {
	case x.errors != y.errors:
		return fmt.Sprintf("错误较少：%d项对%d项", x.errors, y.errors), x.errors < y.errors
	case x.conf != y.conf:
		return fmt.Sprintf("读取可信度较高：%.3f对%.3f", x.conf, y.conf), x.conf > y.conf
	case x.rev != y.rev:
		return "为修订后的版本", x.rev > y.rev
	}
	return "两份条件相同，取输入顺序在前的一份", a < c
}

// markContained finds, for each report, the deepest summary report of the batch that includes it,
// and marks the report contained in it. A regional summary of a division (全市, 全区, 全县) includes
// every report placed in the division or below it; a level summary (本级) includes the own reports
// of the organs of its division only, not lower governments. Then it sets the rollup levels of
// every report: a report counts at a level unless a summary at that level or below already holds it.
func (b *batch) markContained() error {
	type sumKey struct {
		year  int32
		chain string
		scope uint8
	}
	summaries := map[sumKey]int{}
	for i := range b.entries {
		e := &b.entries[i]
		if !e.summary() || b.out.Decisions[i].Role != RoleCounted {
			continue
		}
		// Two summaries of one division and scope are one unit's: markDuplicates kept one.
		summaries[sumKey{e.year, e.place.chain(e.place.Level), e.scope}] = i
	}
	for i := range b.entries {
		e := &b.entries[i]
		d := &b.out.Decisions[i]
		if d.Role != RoleCounted {
			continue
		}
		if e.place.Placed() && len(summaries) > 0 {
			of := -1
			for l := e.place.Level; l >= RegionProvince && of < 0; l-- {
				if l == e.place.Level && e.scope == scopeOrgan {
					if s, ok := summaries[sumKey{e.year, e.place.chain(l), scopeLevel}]; ok {
						of = s
						break
					}
				}
				if l == e.place.Level && e.scope == scopeRegional {
					continue // its own division's regional summary is itself
				}
				if s, ok := summaries[sumKey{e.year, e.place.chain(l), scopeRegional}]; ok && s != i {
					of = s
				}
			}
			if of >= 0 {
				s, err := b.name(of)
				if err != nil {
					return err
				}
				*d = Decision{Role: RoleContained, Of: of, OfID: s.id}
			}
		}
	}
	for i := range b.entries {
		b.out.Decisions[i].In = b.rollupLevels(i)
	}
	return nil
}

// rollupLevels returns the levels whose rollup sums report i. A counted or contained report rolls
// up at every level its place reaches (an unplaced report under 未识别 at every level), except the
// levels at and above the summary that contains it, which that summary stands for.
func (b *batch) rollupLevels(i int) RollupSet {
	d := &b.out.Decisions[i]
	if d.Role != RoleCounted && d.Role != RoleContained {
		return 0
	}
	e := &b.entries[i]
	container := RegionNone // the levels at and above the container's are its to sum
	if d.Role == RoleContained {
		container = b.entries[d.Of].place.Level
	}
	placed := e.place.Placed()
	var set RollupSet
	for _, l := range RollupLevels {
		if l > container && (!placed || e.place.Level >= l) {
			set.add(l)
		}
	}
	return set
}
