package transform

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"iter"
	"math"
	"slices"
)

// findingStore holds a batch's findings encoded in one string, in report order, with an index of
// where each report's start, so that what the Batch keeps for them stays small however many
// reports a run has, and FindingsOf costs the same in any order (the workbooks read a year's
// reports in their sorted order). As structs with their messages, in a slice grown by append, the
// findings of the 10,000 generated reports (7,740, most of them X.DUPLICATE_UNIT, whose messages
// name two bodies and paths) took 540 bytes each, alive through the whole load stage. Deflated
// chunks took 50 bytes, but a read out of order then inflated a whole chunk: 22 s of a 10,000-report
// run's workbooks.
type findingStore struct {
	n       int
	data    string  // every finding encoded (encodeFinding), in report order
	reports []int32 // the reports that have findings, ascending
	starts  []int32 // where each of those reports' findings start in data; one more at the end
}

// pack encodes findings, sorted by report, into the empty store s.
func (s *findingStore) pack(fs []BatchFinding) error {
	s.n = len(fs)
	var raw bytes.Buffer
	for k := range fs {
		if k == 0 || fs[k].Report != fs[k-1].Report {
			if raw.Len() > math.MaxInt32 {
				return fmt.Errorf("batch findings: more than %d bytes", math.MaxInt32)
			}
			s.reports = append(s.reports, int32(fs[k].Report))
			s.starts = append(s.starts, int32(raw.Len()))
		}
		encodeFinding(&raw, &fs[k])
	}
	s.starts = append(s.starts, int32(raw.Len()))
	s.data = raw.String()
	return nil
}

func encodeFinding(buf *bytes.Buffer, f *BatchFinding) {
	buf.Write(binary.AppendUvarint(buf.AvailableBuffer(), uint64(f.Report)))
	str := func(s string) {
		buf.Write(binary.AppendUvarint(buf.AvailableBuffer(), uint64(len(s))))
		buf.WriteString(s)
	}
	str(f.Rule)
	str(string(f.Severity))
	str(f.Message)
	str(f.Culprit)
	str(f.Status)
	str(f.Place)
	// 0 for no cells (nil), else one more than their number: an empty list stays an empty list.
	n := uint64(0)
	if f.Cells != nil {
		n = uint64(len(f.Cells)) + 1
	}
	buf.Write(binary.AppendUvarint(buf.AvailableBuffer(), n))
	for _, c := range f.Cells {
		str(c)
	}
}

// decodeFindings decodes encoded findings. Their strings share the store's text.
func decodeFindings(raw string) ([]BatchFinding, error) {
	var out []BatchFinding
	p := 0
	num := func() (int, error) {
		v, k := binary.Uvarint([]byte(raw[p:min(len(raw), p+binary.MaxVarintLen64)]))
		if k <= 0 || v > math.MaxInt32 {
			return 0, fmt.Errorf("batch findings: bad number at byte %d", p)
		}
		p += k
		return int(v), nil
	}
	str := func() (string, error) {
		n, err := num()
		if err != nil {
			return "", err
		}
		if p+n > len(raw) {
			return "", fmt.Errorf("batch findings: string at byte %d runs past the chunk", p)
		}
		s := raw[p : p+n]
		p += n
		return s, nil
	}
	for p < len(raw) {
		var f BatchFinding
		var err error
		var sev string
		if f.Report, err = num(); err != nil {
			return nil, err
		}
		for _, dst := range []*string{&f.Rule, &sev, &f.Message, &f.Culprit, &f.Status, &f.Place} {
			if *dst, err = str(); err != nil {
				return nil, err
			}
		}
		f.Severity = Severity(sev)
		n, err := num()
		if err != nil {
			return nil, err
		}
		if n > 0 {
			f.Cells = make([]string, n-1)
			for j := range f.Cells {
				if f.Cells[j], err = str(); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// of returns the findings of report i.
func (s *findingStore) of(i int) []Finding {
	k, found := slices.BinarySearch(s.reports, int32(i))
	if !found {
		return nil
	}
	fs, err := decodeFindings(s.data[s.starts[k]:s.starts[k+1]])
	if err != nil {
		// The store was written by this process a moment ago, in memory: this is a bug.
		panic(err)
	}
	out := make([]Finding, len(fs))
	for j := range fs {
		out[j] = fs[j].Finding
	}
	return out
}

// all yields every finding in report order.
func (s *findingStore) all() iter.Seq[BatchFinding] {
	return func(yield func(BatchFinding) bool) {
		fs, err := decodeFindings(s.data)
		if err != nil {
			panic(err)
		}
		for _, f := range fs {
			if !yield(f) {
				return
			}
		}
	}
}
