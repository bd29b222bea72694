package transform

// ReportsInto is Reports that can also decode report i into a Report the caller provides: a store
// that decodes on every At allocates a Report (32 KB) each time, and a run reads each report
// several times (the batch stage's passes, the tables, the workbooks).
type ReportsInto interface {
	Reports
	ReportReader
}

// ReportReader decodes reports into a Report the caller provides.
type ReportReader interface {
	// AtInto decodes report i into r, replacing all of r.
	AtInto(i int, r *Report) error
}

// NumbersReader is a ReportReader that can also decode only a report's numbers and what it is
// named by (Report.UnmarshalNumbers): the batch stage's sums and comparisons read nothing else.
type NumbersReader interface {
	ReportReader
	// NumbersInto decodes report i's numbers into r, replacing all of r.
	NumbersInto(i int, r *Report) error
}

// ReportsPasses is ReportsInto that gives each pass a reader of its own, which may keep state
// from one report to the next: the pipeline's store reads ahead when a pass reads in order.
type ReportsPasses interface {
	ReportsInto
	// NewPass returns a reader for one pass on one goroutine.
	NewPass() ReportReader
}

// PassReader reads reports for one pass that keeps nothing of a report once it reads the next:
// through AtInto into one Report it reuses when the Reports allow it (through a reader of the
// pass's own when they are ReportsPasses), else through At. The Report it returns is valid until
// its next At; the strings and slices in it are the Report's own (the codec allocates them
// afresh), so they may be kept, but the Report and pointers into it may not. A PassReader is for
// one goroutine.
type PassReader struct {
	reps    Reports
	into    ReportReader
	scratch Report
}

// NewPassReader returns a PassReader over reps.
func NewPassReader(reps Reports) *PassReader {
	p := &PassReader{reps: reps}
	switch r := reps.(type) {
	case ReportsPasses:
		p.into = r.NewPass()
	case ReportsInto:
		p.into = r
	}
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

// Owned reports whether the Report At returns is the reader's own, decoded for this pass, which
// the caller may change until the next At; when false it is the one the Reports hold.
func (p *PassReader) Owned() bool { return p.into != nil }

// Numbers returns report i with its numbers and what it is named by (Report.UnmarshalNumbers)
// when the reader can decode only those, the whole report otherwise; valid until the next At or
// Numbers.
func (p *PassReader) Numbers(i int) (*Report, error) {
	nr, ok := p.into.(NumbersReader)
	if !ok {
		return p.At(i)
	}
	if err := nr.NumbersInto(i, &p.scratch); err != nil {
		return nil, err
	}
	return &p.scratch, nil
}
