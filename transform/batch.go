package transform

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
)

// The batch stage: what only the whole run can decide. Transform reads one file; Decide sees every
// report of the run at once and decides which are counted in the rollups (roles), which findings
// span reports, and what the rollups are. It is pure: no goroutines, no I/O of its own (the reports
// come through the Reports interface, which the pipeline backs with whatever store it likes), no
// Arrow. load writes what Decide returns and decides nothing itself.

// Reports is every report of a run, in input order. The pipeline backs it with a store that may
// decode each report afresh on every At, so a caller must neither keep nor modify what At returns.
type Reports interface {
	Len() int
	At(i int) (*Report, error)
}

// ReportSlice is Reports held in memory.
type ReportSlice []*Report

func (s ReportSlice) Len() int                  { return len(s) }
func (s ReportSlice) At(i int) (*Report, error) { return s[i], nil }

// Role says whether and how a report counts in the rollups.
type Role uint8

const (
	// RoleCounted: summed into the rollups of its region.
	RoleCounted Role = iota
	// RoleContained: a summary report of its region is in the batch and already includes it.
	RoleContained
	// RoleDuplicate: another report of the same body and year is counted instead.
	RoleDuplicate
	// RoleExcluded: left out by the user.
	RoleExcluded
)

var roleNames = [...]string{"counted", "contained", "duplicate", "excluded"}

func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "?"
}

// Decision is what the batch stage decided for one report.
type Decision struct {
	Role Role
	// Of is the index of the report that contains this one (RoleContained) or is counted instead
	// of it (RoleDuplicate); -1 otherwise. OfID is that report's ID.
	Of   int
	OfID string
}

// BatchFinding is a finding about one report that only the whole batch could make.
type BatchFinding struct {
	Report int // index into Reports
	Finding
}

// Rollup is the sum of the counted reports of one region and year.
type Rollup struct {
	Level   string // LevelCity
	Region  string // the region's name; "" groups the reports whose region was not identified
	Year    int    // 0: unknown year
	Reports int    // counted reports summed
	Sums    [NumMeasures]Sum
}

// Rollup levels.
const LevelCity = "city"

// Batch is the outcome of the batch stage for one run.
type Batch struct {
	// Decisions has one entry per report, by index.
	Decisions []Decision
	// Findings are sorted by report index; a report's batch findings follow its own.
	Findings []BatchFinding
	// Rollups are sorted by level, year (unknown last), then region.
	Rollups []Rollup
}

// Counted reports whether report i is summed into the rollups.
func (b *Batch) Counted(i int) bool { return b.Decisions[i].Role == RoleCounted }

// FindingsOf returns the batch findings of report i.
func (b *Batch) FindingsOf(i int) []Finding {
	lo, _ := slices.BinarySearchFunc(b.Findings, i, func(f BatchFinding, i int) int { return cmp.Compare(f.Report, i) })
	var out []Finding
	for j := lo; j < len(b.Findings) && b.Findings[j].Report == i; j++ {
		out = append(out, b.Findings[j].Finding)
	}
	return out
}

// BatchOptions configure Decide.
type BatchOptions struct{}

// entry is what Decide keeps of one report between its passes: the identity, not the numbers.
type entry struct {
	id, body, city, source, unit string
	year                         int
	regional                     bool
}

// Decide runs the batch stage over every report of a run.
func Decide(ctx context.Context, reps Reports, opt BatchOptions) (*Batch, error) {
	n := reps.Len()
	entries := make([]entry, n)
	for i := range n {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		r, err := reps.At(i)
		if err != nil {
			return nil, fmt.Errorf("batch: report %d: %w", i, err)
		}
		entries[i] = entry{id: r.ID, body: r.Body, city: r.City, source: r.Source.Path, unit: r.Unit,
			year: r.Year, regional: r.Scope == ScopeRegional}
	}
	b := &Batch{Decisions: make([]Decision, n)}
	for i := range b.Decisions {
		b.Decisions[i] = Decision{Role: RoleCounted, Of: -1}
	}
	b.markDuplicates(entries)
	b.markContained(entries)
	slices.SortStableFunc(b.Findings, func(x, y BatchFinding) int { return cmp.Compare(x.Report, y.Report) })
	if err := b.sumRollups(ctx, reps, entries); err != nil {
		return nil, err
	}
	return b, nil
}

// markDuplicates keeps one report per body and year: the first in input order (inputs are sorted
// by path, so the choice does not depend on scheduling). The others are duplicates of it, written
// for the analyst with X.DUPLICATE_UNIT but not summed twice.
func (b *Batch) markDuplicates(entries []entry) {
	type bodyYear struct {
		body string
		year int
	}
	first := map[bodyYear]int{}
	for i, e := range entries {
		if e.body == "" || e.year == 0 {
			continue
		}
		key := bodyYear{e.body, e.year}
		j, seen := first[key]
		if !seen {
			first[key] = i
			continue
		}
		b.Decisions[i] = Decision{Role: RoleDuplicate, Of: j, OfID: entries[j].id}
		where := entries[j].source
		if entries[j].unit != "" {
			where += " " + entries[j].unit
		}
		b.Findings = append(b.Findings, BatchFinding{Report: i, Finding: Finding{
			Rule: RuleXDuplicateUnit, Severity: SevWarning, Status: "uncertain",
			Message: fmt.Sprintf("%s %d年度的报告已在%s中读到，本份不计入汇总", e.body, e.year, where)}})
	}
}

// markContained finds, per city and year, the city's own summary report — a regional report whose
// body is the city itself or its people's government — and marks every other counted report of the
// city and year as contained in it. Without such a report every report counts: two regional
// reports of one city (a district's and another district's) are siblings, never each other's parts.
func (b *Batch) markContained(entries []entry) {
	type cityYear struct {
		city string
		year int
	}
	summary := map[cityYear]int{}
	for i, e := range entries {
		if b.Decisions[i].Role != RoleCounted || !e.regional || e.city == "" || !isCityGovernment(e.body, e.city) {
			continue
		}
		key := cityYear{e.city, e.year}
		if _, two := summary[key]; two {
			summary[key] = -1 // two summaries of one city: decide nothing
			continue
		}
		summary[key] = i
	}
	for i, e := range entries {
		s, ok := summary[cityYear{e.city, e.year}]
		if !ok || s < 0 || s == i || b.Decisions[i].Role != RoleCounted {
			continue
		}
		b.Decisions[i] = Decision{Role: RoleContained, Of: s, OfID: entries[s].id}
	}
}

// isCityGovernment reports whether body names the city itself or its people's government.
func isCityGovernment(body, city string) bool {
	rest, ok := strings.CutPrefix(body, city)
	return ok && (rest == "" || rest == "人民政府" || rest == "政府")
}

// sumRollups sums the counted reports per city and year.
func (b *Batch) sumRollups(ctx context.Context, reps Reports, entries []entry) error {
	type cityYear struct {
		city string
		year int
	}
	groups := map[cityYear]*Rollup{}
	for i := range entries {
		if !b.Counted(i) {
			continue
		}
		if i%256 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		e := &entries[i]
		key := cityYear{e.city, e.year}
		g := groups[key]
		if g == nil {
			g = &Rollup{Level: LevelCity, Region: e.city, Year: e.year}
			groups[key] = g
		}
		r, err := reps.At(i)
		if err != nil {
			return fmt.Errorf("batch: report %d: %w", i, err)
		}
		g.Reports++
		for m := range Measures {
			if !g.Sums[m].add(r.Value(m)) {
				return fmt.Errorf("batch: %s %d: the sum of %s overflows int64 at %s", cmp.Or(e.city, "未识别城市"),
					e.year, Measures[m].Name, e.source)
			}
		}
	}
	b.Rollups = make([]Rollup, 0, len(groups))
	for _, g := range groups {
		b.Rollups = append(b.Rollups, *g)
	}
	slices.SortFunc(b.Rollups, func(x, y Rollup) int {
		return cmp.Or(strings.Compare(x.Level, y.Level), compareYears(x.Year, y.Year), strings.Compare(x.Region, y.Region))
	})
	return nil
}

// compareYears orders known years ascending and the unknown year (0) last, as partitions sort.
func compareYears(a, b int) int {
	if (a == 0) != (b == 0) {
		if a == 0 {
			return 1
		}
		return -1
	}
	return cmp.Compare(a, b)
}
