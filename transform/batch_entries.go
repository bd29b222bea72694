package transform

// Entry is what the batch stage keeps of one report between its passes, taken from the report
// alone: where its body sits, its year, scope, confidence and errors. The pipeline makes it in the
// worker that transformed the report, beside its encoding, so that Decide's first pass is not a
// pass over the report store (a tenth of a 10,000-report run's store decoding).
type Entry struct {
	place  Place
	year   int32
	conf   float32
	errors uint16
	rev    uint8
	scope  uint8
	format uint8
	anon   bool
}

// EntryOf is report r's entry.
func EntryOf(r *Report) Entry {
	e := Entry{
		place:  PlaceOf(r),
		year:   int32(r.Year),
		conf:   float32(r.Confidence().Score),
		errors: uint16(min(r.Count(SevError), 1<<16-1)),
		rev:    revisionRank(r.Version),
		format: formats[r.FormatVersion],
		anon:   r.Body == "",
	}
	switch r.Scope {
	case ScopeLevel:
		e.scope = scopeLevel
	case ScopeRegional:
		e.scope = scopeRegional
	}
	return e
}

// Entries are the entries of a run's reports, in the order of its Reports, with the divisions and
// organs they name interned: a few dozen bytes per report, and one placeRef per division.
type Entries struct {
	entries []entry
	places  map[string]*placeRef // by key
	organs  map[string]int32
	// organNames are the interned organs; 0 is "".
	organNames []string
	// fromStore says Decide reads the reports to make the entries (no BatchOptions.Entries).
	fromStore bool
}

// NewEntries returns an empty Entries.
func NewEntries() *Entries {
	return &Entries{places: map[string]*placeRef{}, organs: map[string]int32{"": 0}, organNames: []string{""}}
}

// Add appends the entry of the next report.
func (x *Entries) Add(e Entry) {
	en := entry{year: e.year, conf: e.conf, errors: e.errors, rev: e.rev, format: e.format, scope: e.scope, anon: e.anon}
	en.place = x.intern(e.place)
	if en.scope == scopeOrgan || !en.place.Placed() {
		en.scope = scopeOrgan // an unplaced body summarises nothing the batch can find
		en.organ = x.internOrgan(e.place.Organ)
	}
	x.entries = append(x.entries, en)
}

// Len is the number of entries added.
func (x *Entries) Len() int { return len(x.entries) }
