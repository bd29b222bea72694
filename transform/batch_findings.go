package transform

import (
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"io"
	"iter"
	"slices"
	"sync"
)

// findingStore holds a batch's findings compressed, in report order, so that what the Batch keeps
// for them stays small however many reports a run has. Measured on the 10,000 generated reports
// (7,740 findings, most of them X.DUPLICATE_UNIT, whose messages name two bodies and paths): as
// structs with their messages, in a slice grown by append, they took 540 bytes a finding, alive
// through the whole load stage; deflated in chunks of 256 KB, 50 bytes (64 KB chunks at the
// fastest level: 116). Packing them takes ~50 ms at 10,000 reports. FindingsOf is called per
// report in input order, so each chunk is decoded once per pass.
type findingStore struct {
	n      int
	chunks []findingChunk

	mu      sync.Mutex
	decoder io.ReadCloser
	cached  int // index of the chunk in dec; -1 for none
	dec     []BatchFinding
}

// findingChunk is up to chunkRaw bytes of encoded findings, deflated. A report's findings never
// straddle two chunks.
type findingChunk struct {
	first, last int // reports of the first and last finding
	data        []byte
}

// chunkRaw is the size of a chunk before compression: large enough for deflate to find the
// messages' repeats across reports, small enough that the one chunk decoded stays small.
const chunkRaw = 256 << 10

// pack compresses findings, sorted by report, into the empty store s.
func (s *findingStore) pack(fs []BatchFinding) error {
	s.n, s.cached = len(fs), -1
	var raw, out bytes.Buffer
	w, err := flate.NewWriter(&out, flate.DefaultCompression)
	if err != nil {
		return err
	}
	flush := func(first, last int) error {
		out.Reset()
		w.Reset(&out)
		if _, err := w.Write(raw.Bytes()); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
		s.chunks = append(s.chunks, findingChunk{first: first, last: last, data: bytes.Clone(out.Bytes())})
		raw.Reset()
		return nil
	}
	first := 0
	for k := range fs {
		if k > 0 && fs[k].Report != fs[k-1].Report && raw.Len() >= chunkRaw {
			if err := flush(first, fs[k-1].Report); err != nil {
				return err
			}
		}
		if raw.Len() == 0 {
			first = fs[k].Report
		}
		encodeFinding(&raw, &fs[k])
	}
	if raw.Len() > 0 {
		if err := flush(first, fs[len(fs)-1].Report); err != nil {
			return err
		}
	}
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

// decodeFindings decodes a chunk's findings. Their strings share one allocation, the chunk's text.
func decodeFindings(raw string) ([]BatchFinding, error) {
	var out []BatchFinding
	p := 0
	num := func() (int, error) {
		v, k := binary.Uvarint([]byte(raw[p:min(len(raw), p+binary.MaxVarintLen64)]))
		if k <= 0 || v > uint64(len(raw)) {
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

// inflate decompresses chunk c with the store's decoder; the caller holds s.mu.
func (s *findingStore) inflate(c int) ([]BatchFinding, error) {
	src := bytes.NewReader(s.chunks[c].data)
	if s.decoder == nil {
		s.decoder = flate.NewReader(src)
	} else if err := s.decoder.(flate.Resetter).Reset(src, nil); err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(s.decoder)
	if err != nil {
		return nil, fmt.Errorf("batch findings: chunk %d: %w", c, err)
	}
	return decodeFindings(string(raw))
}

// chunk returns the decoded findings of chunk c, keeping the last one decoded.
func (s *findingStore) chunk(c int) []BatchFinding {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cached != c {
		fs, err := s.inflate(c)
		if err != nil {
			// The store was written by this process a moment ago, in memory: this is a bug.
			panic(err)
		}
		s.cached, s.dec = c, fs
	}
	return s.dec
}

// of returns the findings of report i.
func (s *findingStore) of(i int) []Finding {
	c, found := slices.BinarySearchFunc(s.chunks, i, func(ch findingChunk, i int) int {
		switch {
		case ch.last < i:
			return -1
		case ch.first > i:
			return 1
		}
		return 0
	})
	if !found {
		return nil
	}
	fs := s.chunk(c)
	lo, _ := slices.BinarySearchFunc(fs, i, func(f BatchFinding, i int) int { return cmp.Compare(f.Report, i) })
	var out []Finding
	for j := lo; j < len(fs) && fs[j].Report == i; j++ {
		out = append(out, fs[j].Finding)
	}
	return out
}

// all yields every finding in report order.
func (s *findingStore) all() iter.Seq[BatchFinding] {
	return func(yield func(BatchFinding) bool) {
		for c := range s.chunks {
			for _, f := range s.chunk(c) {
				if !yield(f) {
					return
				}
			}
		}
	}
}
