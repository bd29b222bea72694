package transform

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
)

// The batch stage: what only the whole run can decide. Transform reads one file; Decide sees every
// report of the run at once and decides which are counted in the rollups (roles), which findings
// span reports (duplicates, the cross-year rules, H.SUM), what the rollups are, and which units of
// each city reported. It is pure: no goroutines, no I/O of its own (the reports come through the
// Reports interface, which the pipeline backs with whatever store it likes; earlier years come as a
// History value), no Arrow. load writes what Decide returns and decides nothing itself.
//
// Memory stays flat however many reports a run has: between its passes Decide keeps one small entry
// per report (where the body sits, interned, and what the duplicate rule compares), never a report.
// Every pass that needs numbers reads the reports again through Reports.At. What it returns that
// grows with the run, the findings and the rollups, it encodes into BatchOptions.Spill; the
// rollups are summed one year at a time, and read back one year and level at a time.

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
	// RoleCounted: summed into the rollups of its region, and contained in no summary report.
	RoleCounted Role = iota
	// RoleContained: a summary report of its region (Of) is in the batch and already includes it.
	RoleContained
	// RoleDuplicate: another report of the same body and year (Of) is counted instead.
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

// RollupSet says at which levels a report is summed into a rollup.
type RollupSet uint8

// Has reports whether the set holds level l (RegionProvince, RegionCity or RegionCounty).
func (s RollupSet) Has(l RegionLevel) bool { return s&(1<<l) != 0 }

func (s *RollupSet) add(l RegionLevel) { *s |= 1 << l }

// RollupLevels are the levels rollups are made at, from the top.
var RollupLevels = []RegionLevel{RegionProvince, RegionCity, RegionCounty}

// Decision is what the batch stage decided for one report.
type Decision struct {
	// Of is the index of the report that contains this one (RoleContained: the deepest summary
	// report that includes it) or is counted instead of it (RoleDuplicate); -1 otherwise. OfID is
	// that report's ID.
	Of   int
	OfID string
	Role Role
	// In holds the levels whose rollup sums the report. A report contained in a summary still
	// counts at the levels below the summary's: a district department contained in the city's
	// summary is part of its district's rollup, which the city summary is not.
	In RollupSet
}

// BatchFinding is a finding about one report that only the whole batch could make.
type BatchFinding struct {
	Report int // index into Reports
	Finding
}

// Rollup is the sum of the reports of one region and year that its level counts.
type Rollup struct {
	Level RegionLevel // RegionProvince, RegionCity or RegionCounty
	// Province, City and County are the group's divisions down to Level. A division whose name is
	// not known is the zero Area: all zero is the group of reports whose region was not identified
	// (未识别).
	Province, City, County Area
	Year                   int // 0: unknown year
	Reports                int // reports summed
	Sums                   [NumMeasures]Sum
}

// Area returns the group's own division.
func (g *Rollup) Area() Area {
	switch g.Level {
	case RegionProvince:
		return g.Province
	case RegionCity:
		return g.City
	}
	return g.County
}

// Batch is the outcome of the batch stage for one run.
type Batch struct {
	// Decisions has one entry per report, by index.
	Decisions []Decision
	// log holds the encoded findings and rollups, in memory or in BatchOptions.Spill.
	log spillLog
	// findings are the batch findings, encoded (findingStore): see FindingsOf, Findings and
	// NumFindings. A report's batch findings follow its own.
	findings findingStore
	// rollups are the rollups and the cities' own levels, encoded a block per year and level
	// (rollupStore): see RollupYears, Rollups and OwnLevel.
	rollups rollupStore
	// Sums holds H.SUM's verdicts: one per summary report with direct subordinates in the batch.
	Sums []SumCheck
	// Coverage says, per city, county and year of the run, which units reported this year and last.
	Coverage []Coverage
	// History is the History Decide compared with (nil for none): Coverage.LastHistory indexes
	// its Reports.
	History *History
}

// Counted reports whether report i is summed into the rollups of every level.
func (b *Batch) Counted(i int) bool { return b.Decisions[i].Role == RoleCounted }

// FindingsOf returns the batch findings of report i, in the order the batch made them; an error
// only when BatchOptions.Spill cannot be read back.
func (b *Batch) FindingsOf(i int) ([]Finding, error) { return b.findings.of(i) }

// Findings yields every batch finding, sorted by report index; it stops after an error reading
// BatchOptions.Spill back.
func (b *Batch) Findings() iter.Seq2[BatchFinding, error] { return b.findings.all() }

// NumFindings is the number of batch findings.
func (b *Batch) NumFindings() int { return len(b.findings.index) }

// RollupYears returns the years that have rollups or own levels, as partitions sort: known years
// ascending, the unknown year (0) last.
func (b *Batch) RollupYears() []int { return b.rollups.years() }

// Rollups decodes the rollups of one year at level l (RegionProvince, RegionCity or RegionCounty),
// sorted by province, city then county (an unknown division last); nil when there are none. Each
// call decodes afresh: a caller keeps one year's rollups while it needs them. An error only when
// BatchOptions.Spill cannot be read back.
func (b *Batch) Rollups(year int, l RegionLevel) ([]Rollup, error) {
	return b.rollups.read(year, l, false)
}

// OwnLevel decodes, per city of one year, the city's own level (市本级): the reports placed at
// the city itself (its government, office and departments) that its rollup_county rows would hold
// were the city a county. See sumRollups. Sorted like Rollups; Level is RegionCity.
func (b *Batch) OwnLevel(year int) ([]Rollup, error) { return b.rollups.read(year, RegionCity, true) }

// BatchOptions configure Decide.
type BatchOptions struct {
	// History is what earlier runs wrote, for the cross-year rules and coverage; nil for none.
	History *History
	// Exclude leaves bodies out of the rollups: a body's name as printed, or a division code (every
	// report placed in that division or below it).
	Exclude []string
	// Divisions lists the divisions directly under a division — a city's districts and counties, a
	// county's townships — so that H.SUM and coverage can name the units missing; nil knows none.
	Divisions func(parent Area) []Area
	// Spill keeps the batch findings and rollups out of the heap (see Spill); nil keeps them in
	// memory.
	Spill Spill
	// Entries are the run's entries, one per report in the order of Reports, made as the reports
	// came (EntryOf, Entries.Add) so that the batch stage need not read every report once only to
	// learn them; nil reads them. Decide takes them over: they serve one Decide call.
	Entries *Entries
}

// Scope classes of an entry.
const (
	scopeOrgan uint8 = iota
	scopeLevel
	scopeRegional
)

// placeRef is one division of the batch, interned: every report placed in it shares it, and a
// division shares the one above it. It is small because a batch has as many divisions as townships.
type placeRef struct {
	area  Area
	Level RegionLevel
	up    *placeRef // the division above; nil at the province
	id    int32     // order of first appearance, for sorting
	// key identifies the division with the ones above it: its code when known, which identifies it
	// on its own, else the key of the division above and its name.
	key string
}

// Placed reports whether the division is a division at all, not the place of the unplaced bodies
// of a city (whose area is then the city by name, or nothing).
func (p *placeRef) Placed() bool { return p.Level != RegionNone }

// at returns the division at level l of the chain, nil when l is below the place.
func (p *placeRef) at(l RegionLevel) *placeRef {
	for q := p; q != nil; q = q.up {
		if q.Level == l {
			return q
		}
	}
	return nil
}

// Area returns the division at level l; the zero Area when l is below the place or not known.
func (p *placeRef) Area(l RegionLevel) Area {
	if q := p.at(l); q != nil {
		return q.area
	}
	return Area{}
}

// Own returns the place's own division.
func (p *placeRef) Own() Area { return p.area }

// chain returns the key of the division at level l; "" when l is below the place.
func (p *placeRef) chain(l RegionLevel) string {
	if q := p.at(l); q != nil {
		return q.key
	}
	return ""
}

// entry is what Decide keeps of one report between its passes: where its body sits and what the
// duplicate rule compares, not its numbers.
type entry struct {
	place *placeRef // for a body not placed, the place of the unplaced bodies of its city
	// organ is the unit's organ, interned (batch.organNames): the Place's organ for an organ's
	// report; 0, the empty name, for a summary's.
	organ    int32
	year     int32
	conf     float32
	errors   uint16
	rev      uint8 // revisionRank of the title's version mark
	scope    uint8
	format   uint8
	excluded bool
	anon     bool // the report names no body: it is no unit's, and never another report's duplicate
}

// summary reports whether the entry is a summary report (本级 or 全区域).
func (e *entry) summary() bool { return e.scope != scopeOrgan && !e.anon && e.place.Placed() }

// sameUnit reports whether two entries are reports of the same unit (in any year).
func sameUnit(a, b *entry) bool {
	return !a.anon && !b.anon && a.place == b.place && a.organ == b.organ && a.scope == b.scope
}

var formats = map[string]uint8{Gov2021: 1, Gov2019: 2}

// batch is the state of one Decide call.
type batch struct {
	ctx  context.Context
	reps Reports
	opt  BatchOptions
	out  *Batch
	*Entries
	// units orders report indices by unit, then year, then input order.
	units []int32
	// cache of the IDs and paths of reports that decisions and findings name.
	named map[int]namedReport
	// hist indexes History by unit and year (historyUnits).
	hist map[unitYear]int
	// pass reads the reports of the passes that keep nothing of one report once they read the
	// next (passAt); side those read one at a time beside a pass (at).
	pass, side *PassReader
}

type namedReport struct{ id, body, where string }

// Decide runs the batch stage over every report of a run.
func Decide(ctx context.Context, reps Reports, opt BatchOptions) (*Batch, error) {
	b := newBatch(ctx, reps, opt)
	for _, step := range b.steps() {
		if err := step(); err != nil {
			return nil, err
		}
	}
	if err := cmp.Or(b.out.findings.finish(), b.out.log.finish()); err != nil {
		return nil, fmt.Errorf("batch stage: %w", err)
	}
	return b.out, nil
}

func newBatch(ctx context.Context, reps Reports, opt BatchOptions) *batch {
	n := reps.Len()
	b := &batch{ctx: ctx, reps: reps, opt: opt, out: &Batch{Decisions: make([]Decision, n), History: opt.History},
		Entries: opt.Entries, named: map[int]namedReport{}, pass: NewPassReader(reps), side: NewPassReader(reps)}
	if b.Entries == nil {
		b.Entries = NewEntries()
		b.Entries.fromStore = true
	}
	b.out.log.spill = opt.Spill
	b.out.findings.log, b.out.rollups.log = &b.out.log, &b.out.log
	for i := range b.out.Decisions {
		b.out.Decisions[i] = Decision{Role: RoleCounted, Of: -1}
	}
	return b
}

// steps are Decide's passes, in order.
func (b *batch) steps() []func() error {
	return []func() error{
		b.readEntries,
		b.markExcluded,
		b.markDuplicates,
		b.markContained,
		b.sumRollups,
		b.checkSums,
		b.checkYears,
		b.cover,
	}
}

// at reads report i's numbers and names (Report.UnmarshalNumbers) beside a pass, checking for
// cancellation now and then, into a second reused Report: valid until the next at. Its callers
// (a report a decision names, H.SUM's parent, a body left out by name) read its ID, body, path,
// unit and values and keep only strings and values of it; a fresh Report each (32 KB) was 5 % of
// the bytes a 10,000-report run allocates.
func (b *batch) at(i int) (*Report, error) {
	return b.read(i, b.side.Numbers)
}

// passAt reads report i into the batch's one reused Report: what it returns is valid until the
// next passAt (or numbersAt), so a caller must be done with it, having kept only values and
// strings, before it reads another report this way. The passes over every report (entries, and
// through numbersAt the rollups, cross-year pairs and H.SUM's children) read through it and
// allocate no Report each.
func (b *batch) passAt(i int) (*Report, error) {
	return b.read(i, b.pass.At)
}

// numbersAt is passAt reading only the report's numbers and what it is named by
// (Report.UnmarshalNumbers): the passes that sum and compare numbers, the rollups, the cross-year
// pairs and H.SUM's children, read nothing else.
func (b *batch) numbersAt(i int) (*Report, error) {
	return b.read(i, b.pass.Numbers)
}

func (b *batch) read(i int, at func(int) (*Report, error)) (*Report, error) {
	if i%256 == 0 && b.ctx.Err() != nil {
		return nil, b.ctx.Err()
	}
	r, err := at(i)
	if err != nil {
		return nil, fmt.Errorf("batch: report %d: %w", i, err)
	}
	return r, nil
}

// readEntries is the first pass: one entry per report, unless the caller made them as the
// reports came (BatchOptions.Entries).
func (b *batch) readEntries() error {
	if b.fromStore {
		for i := range b.reps.Len() {
			r, err := b.passAt(i)
			if err != nil {
				return err
			}
			b.Add(EntryOf(r))
		}
	}
	if len(b.entries) != b.reps.Len() {
		return fmt.Errorf("batch stage: %d entries for %d reports", len(b.entries), b.reps.Len())
	}
	b.units = make([]int32, len(b.entries))
	for i := range b.units {
		b.units[i] = int32(i)
	}
	slices.SortFunc(b.units, func(x, y int32) int {
		ex, ey := &b.entries[x], &b.entries[y]
		if ex.anon != ey.anon {
			return boolCompare(ex.anon, ey.anon)
		}
		{
			if c := cmp.Or(cmp.Compare(ex.place.id, ey.place.id), strings.Compare(b.organNames[ex.organ], b.organNames[ey.organ]),
				cmp.Compare(ex.scope, ey.scope)); c != 0 {
				return c
			}
		}
		return cmp.Or(cmp.Compare(ex.year, ey.year), cmp.Compare(x, y))
	})
	return nil
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// intern returns the batch's one placeRef of p's division. Only the division counts: the kind of
// body and the organ are the entry's, and how the division was found (Place.Status) does not make
// it another one, in this run or an earlier one.
func (b *Entries) intern(p Place) *placeRef {
	if !p.Placed() {
		// The bodies not placed share one place per city the reports print, for the rollups.
		// A city the gazetteer knows keeps its code, so that these bodies group with the city's
		// placed ones.
		key := "?" + p.City.Code + "|" + p.City.Name
		ref, ok := b.places[key]
		if !ok {
			ref = &placeRef{area: p.City, id: int32(len(b.places) + 1), key: key}
			b.places[key] = ref
		}
		return ref
	}
	var ref *placeRef
	for l := RegionProvince; l <= p.Level; l++ {
		a := p.Area(l)
		up := ""
		if ref != nil {
			up = ref.key
		}
		key := chainOf(up, a)
		next, ok := b.places[key]
		if !ok {
			next = &placeRef{area: a, Level: l, up: ref, id: int32(len(b.places) + 1), key: key}
			b.places[key] = next
		}
		ref = next
	}
	return ref
}

// chainOf is the chain key of division a under the division whose key is parent: its code, which
// identifies it on its own, or else the parent's key and its name. A division that is also the
// level below itself (a municipality is its own city, 济源市 its own county) keeps its code at both
// levels: keyed by the code alone, the lower level would be the upper one's ref, and the chain
// would lose that level (a district of 北京市 would have no city, and the rollups no 北京市).
func chainOf(parent string, a Area) string {
	switch {
	case a.Code != "" && a.Code != parent:
		return a.Code
	case a.Code != "":
		return parent + "/" + a.Code
	}
	return parent + "/" + a.Name
}

func (b *Entries) internOrgan(s string) int32 {
	if v, ok := b.organs[s]; ok {
		return v
	}
	v := int32(len(b.organNames))
	b.organs[s] = v
	b.organNames = append(b.organNames, s)
	return v
}

// name returns the ID, body and source of report i, reading it once.
func (b *batch) name(i int) (namedReport, error) {
	if nr, ok := b.named[i]; ok {
		return nr, nil
	}
	r, err := b.at(i)
	if err != nil {
		return namedReport{}, err
	}
	nr := namedReport{id: r.ID, body: r.Body, where: r.Source.Path}
	if r.Unit != "" {
		nr.where += " " + r.Unit
	}
	b.named[i] = nr
	return nr, nil
}

func (b *batch) finding(i int, f Finding) {
	b.out.findings.add(i, &f)
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
