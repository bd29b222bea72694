package transform

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"iter"
	"math"
	"slices"
)

// findingStore holds a batch's findings encoded, each written once as the batch makes it, with an
// index (16 bytes a finding) sorted by report at the end, so that FindingsOf costs the same in any
// order (the workbooks read a year's reports in their sorted order) and what the Batch keeps in
// the heap is the index alone when a Spill backs it. As structs with their messages, the findings
// took 540 bytes each, and packing them at the end of Decide had both forms live at its peak.
type findingStore struct {
	log   *spillLog // shared with the Batch's rollups
	index []findingRef
	err   error // a finding too large to index: Decide returns it
}

// findingRef locates one encoded finding.
type findingRef struct {
	off    int64
	report int32
	len    int32
}

// add encodes the finding f of report i.
func (s *findingStore) add(i int, f *Finding) {
	if s.err != nil {
		return
	}
	start := len(s.log.buf)
	s.log.buf = encodeFinding(s.log.buf, f)
	n := len(s.log.buf) - start
	if n > math.MaxInt32 || i > math.MaxInt32 {
		s.log.buf = s.log.buf[:start]
		s.err = fmt.Errorf("batch findings: finding of %d bytes of report %d", n, i)
		return
	}
	off := s.log.appended(start)
	s.index = append(s.index, findingRef{off: off, report: int32(i), len: int32(n)})
}

// finish sorts the index by report, each report's findings in the order they were made. The log
// is the caller's to finish.
func (s *findingStore) finish() error {
	slices.SortStableFunc(s.index, func(x, y findingRef) int { return cmp.Compare(x.report, y.report) })
	return s.err
}

// encodeFinding appends f: its strings each preceded by their length, then its cells.
func encodeFinding(dst []byte, f *Finding) []byte {
	for _, s := range [...]string{f.Rule, string(f.Severity), f.Message, f.Culprit, f.Status, f.Place} {
		dst = binary.AppendUvarint(dst, uint64(len(s)))
		dst = append(dst, s...)
	}
	// 0 for no cells (nil), else one more than their number: an empty list stays an empty list.
	n := uint64(0)
	if f.Cells != nil {
		n = uint64(len(f.Cells)) + 1
	}
	dst = binary.AppendUvarint(dst, n)
	for _, c := range f.Cells {
		dst = binary.AppendUvarint(dst, uint64(len(c)))
		dst = append(dst, c...)
	}
	return dst
}

// decodeFinding decodes one encoded finding. Its strings share raw.
func decodeFinding(raw string) (Finding, error) {
	var f Finding
	p := 0
	num := func() (int, error) {
		v, k := binary.Uvarint([]byte(raw[p:min(len(raw), p+binary.MaxVarintLen64)]))
		if k <= 0 || v > math.MaxInt32 {
			return 0, fmt.Errorf("bad number at byte %d", p)
		}
		p += k
		return int(v), nil
	}
	str := func() (string, error) {
		n, err := num()
		if err != nil {
			return "", err
		}
		if n > len(raw)-p {
			return "", fmt.Errorf("string at byte %d runs past the finding", p)
		}
		s := raw[p : p+n]
		p += n
		return s, nil
	}
	var sev string
	var err error
	for _, dst := range [...]*string{&f.Rule, &sev, &f.Message, &f.Culprit, &f.Status, &f.Place} {
		if *dst, err = str(); err != nil {
			return f, err
		}
	}
	f.Severity = Severity(sev)
	n, err := num()
	if err != nil {
		return f, err
	}
	if n > 0 {
		f.Cells = make([]string, n-1)
		for j := range f.Cells {
			if f.Cells[j], err = str(); err != nil {
				return f, err
			}
		}
	}
	if p != len(raw) {
		return f, fmt.Errorf("%d bytes left after the finding", len(raw)-p)
	}
	return f, nil
}

// read decodes the finding ref locates.
func (s *findingStore) read(ref findingRef) (Finding, error) {
	buf, err := s.log.read(ref.off, int(ref.len))
	if err != nil {
		return Finding{}, fmt.Errorf("batch findings: report %d: %w", ref.report, err)
	}
	f, err := decodeFinding(string(buf))
	if err != nil {
		return f, fmt.Errorf("batch findings: report %d: finding at %d: %w", ref.report, ref.off, err)
	}
	return f, nil
}

// of returns the findings of report i.
func (s *findingStore) of(i int) ([]Finding, error) {
	k, _ := slices.BinarySearchFunc(s.index, i, func(r findingRef, i int) int { return cmp.Compare(int(r.report), i) })
	var out []Finding
	for ; k < len(s.index) && int(s.index[k].report) == i; k++ {
		f, err := s.read(s.index[k])
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// all yields every finding in report order; it stops at the first that cannot be read.
func (s *findingStore) all() iter.Seq2[BatchFinding, error] {
	return func(yield func(BatchFinding, error) bool) {
		for _, ref := range s.index {
			f, err := s.read(ref)
			if !yield(BatchFinding{Report: int(ref.report), Finding: f}, err) || err != nil {
				return
			}
		}
	}
}
