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
	return decodeFindingAt(string(buf), ref)
}

// decodeFindingAt decodes the finding ref locates from raw, its bytes.
func decodeFindingAt(raw string, ref findingRef) (Finding, error) {
	f, err := decodeFinding(raw)
	if err != nil {
		return f, fmt.Errorf("batch findings: report %d: finding at %d: %w", ref.report, ref.off, err)
	}
	return f, nil
}

// contiguous is how many refs from refs[0] on lie end to end in the log.
func contiguous(refs []findingRef) int {
	n := 1
	for n < len(refs) && refs[n].off == refs[n-1].off+int64(refs[n-1].len) {
		n++
	}
	return n
}

// of returns the findings of report i. A report's findings lie end to end in the log when one pass
// made them all, so each run of them is read at once: one read instead of one a finding.
func (s *findingStore) of(i int) ([]Finding, error) {
	k, _ := slices.BinarySearchFunc(s.index, i, func(r findingRef, i int) int { return cmp.Compare(int(r.report), i) })
	end := k
	for end < len(s.index) && int(s.index[end].report) == i {
		end++
	}
	var out []Finding
	for k < end {
		refs := s.index[k:end]
		refs = refs[:contiguous(refs)]
		first, last := refs[0], refs[len(refs)-1]
		n := int(last.off + int64(last.len) - first.off)
		buf, err := s.log.read(first.off, n)
		if err != nil {
			return nil, fmt.Errorf("batch findings: report %d: %w", i, err)
		}
		// One copy for the run: the findings' strings share it, never the read buffer.
		raw := string(buf)
		for _, ref := range refs {
			p := int(ref.off - first.off)
			f, err := decodeFindingAt(raw[p:p+int(ref.len)], ref)
			if err != nil {
				return nil, err
			}
			out = append(out, f)
		}
		k += len(refs)
	}
	return out, nil
}

// all yields every finding in report order; it stops at the first that cannot be read. In report
// order the findings come from the few passes that made them, each pass's in a region of the log
// of its own, in report order too: a logReader keeps a window in each.
func (s *findingStore) all() iter.Seq2[BatchFinding, error] {
	return func(yield func(BatchFinding, error) bool) {
		rd := logReader{log: s.log}
		for _, ref := range s.index {
			buf, err := rd.read(ref.off, int(ref.len))
			var f Finding
			if err != nil {
				err = fmt.Errorf("batch findings: report %d: %w", ref.report, err)
			} else {
				f, err = decodeFindingAt(string(buf), ref)
			}
			if !yield(BatchFinding{Report: int(ref.report), Finding: f}, err) || err != nil {
				return
			}
		}
	}
}
