package transform

// ReportsInto is Reports that can also decode report i into a Report the caller provides: a store
// that decodes on every At allocates a Report (32 KB) each time, and a run reads each report
// several times (the batch stage's passes, the tables, the workbooks).
type ReportsInto interface {
	Reports
	// AtInto decodes report i into r, replacing all of r.
	AtInto(i int, r *Report) error
}

// PassReader reads reports for one pass that keeps nothing of a report once it reads the next:
// through AtInto into one Report it reuses when the Reports allow it, else through At. The
// Report it returns is valid until its next At; the strings and slices in it are the Report's own
// (the codec allocates them afresh), so they may be kept, but the Report and pointers into it may
// not. A PassReader is for one goroutine.
type PassReader struct {
	reps    Reports
	into    ReportsInto
	scratch Report
}

// NewPassReader returns a PassReader over reps.
func NewPassReader(reps Reports) *PassReader {
	p := &PassReader{reps: reps}
	p.into, _ = reps.(ReportsInto)
	return p
}

// At returns report i, valid until the next At.
func (p *PassReader) At(i int) (*Report, error) {
	if p.into == nil {
		return p.reps.At(i)
	}
	if err := p.into.AtInto(i, &p.scratch); err != nil {
		return nil, err
	}
	return &p.scratch, nil
}
