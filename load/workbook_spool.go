package load

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/govreports/govreports/transform"
)

// Reading a report back from the run's store costs a read at its own place in the file (a year's
// reports in sheet order jump across it) and decoding all 32 KB of it. 申请明细 and 校验问题 show
// the reports in 各单位一览's order and need little of each, so the pass of 各单位一览 writes what
// they need into a record spool, a temporary file read back in order once: a year's reports are
// read once for the three sheets, and memory holds a buffer, not the year.

// recordSpool is a file of records written in order, then read back in order once.
type recordSpool struct {
	file *os.File
	w    *bufio.Writer
	r    *bufio.Reader
	rec  []byte // the record being built (see start), or the one last read
	n    int64  // records written
}

func newRecordSpool(dir string) (*recordSpool, error) {
	f, err := os.CreateTemp(dir, ".records-*")
	if err != nil {
		return nil, err
	}
	return &recordSpool{file: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

// start begins a record: the caller appends to what it returns and hands it to put.
func (s *recordSpool) start() []byte { return s.rec[:0] }

// put writes one record, prefixed by its length.
func (s *recordSpool) put(rec []byte) error {
	s.rec = rec
	if s.w == nil {
		return errors.New("workbook records: written after reading")
	}
	var n [binary.MaxVarintLen64]byte
	if _, err := s.w.Write(n[:binary.PutUvarint(n[:], uint64(len(rec)))]); err != nil {
		return err
	}
	s.n++
	_, err := s.w.Write(rec)
	return err
}

// next returns the next record, valid until the next call; io.EOF after the last. The first call
// ends the writing.
func (s *recordSpool) next() ([]byte, error) {
	if s.r == nil {
		if err := s.w.Flush(); err != nil {
			return nil, err
		}
		if _, err := s.file.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		s.r, s.w = bufio.NewReaderSize(s.file, 1<<16), nil
	}
	n, err := binary.ReadUvarint(s.r)
	if err != nil {
		return nil, err // io.EOF exactly at a record's start
	}
	if n > 1<<31 {
		return nil, fmt.Errorf("workbook records: a record of %d bytes", n)
	}
	if uint64(cap(s.rec)) < n {
		s.rec = make([]byte, n)
	}
	s.rec = s.rec[:n]
	if _, err := io.ReadFull(s.r, s.rec); err != nil {
		return nil, fmt.Errorf("workbook records: %w", noEOF(err))
	}
	return s.rec, nil
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// close removes the file.
func (s *recordSpool) close() {
	if s != nil && s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
		s.file = nil
	}
}

// appendRecString appends s, prefixed by its length.
func appendRecString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// recReader reads the fields of a record in the order they were appended.
type recReader struct {
	b   []byte
	err error
}

func (r *recReader) fail() {
	if r.err == nil {
		r.err = errors.New("workbook records: a record is cut short")
	}
	r.b = nil
}

func (r *recReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *recReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *recReader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *recReader) string() string {
	n := r.uvarint()
	if uint64(len(r.b)) < n {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// openSpools creates the record spools of 申请明细 and 校验问题.
func (b *workbookBuilder) openSpools() error {
	var err error
	if b.details, err = newRecordSpool(b.rows.dir); err != nil {
		return err
	}
	for r := range b.findings {
		if b.findings[r], err = newRecordSpool(b.rows.dir); err != nil {
			return err
		}
	}
	return nil
}

func (b *workbookBuilder) closeSpools() {
	b.details.close()
	for _, s := range b.findings {
		s.close()
	}
}

// recKnown marks, in a 申请明细 cell's mark byte, that a number follows.
const recKnown = 0x80

// spoolDetail writes what 申请明细 shows of a report: its names, and each Table 3 cell's number
// and colour; marks are the report's (reportMarks).
func (b *workbookBuilder) spoolDetail(w *wbReport, marks map[string]int) error {
	rec := b.details.start()
	version := w.version()
	rec = appendRecString(rec, cityName(w.city()))
	rec = appendRecString(rec, w.bodyName())
	rec = appendRecString(rec, w.id())
	rec = appendRecString(rec, version)
	derived := byte(0)
	if w.r.OtherTotalDerived() {
		derived = 1
	}
	rec = append(rec, derived)
	for row := range transform.NumT3Rows {
		applies := t3Applies(row, version)
		for c := range transform.NumT3Cols {
			v := &w.r.T3[row][c]
			known := v.Kind.Known()
			mk := byte(cellMark(marks, transform.T3Path(row, c), !known, applies))
			if !known {
				rec = append(rec, mk)
				continue
			}
			rec = binary.AppendVarint(append(rec, mk|recKnown), v.N)
		}
	}
	return b.details.put(rec)
}

// spoolFindings writes the rows of 校验问题 a report gives, each to the spool of its severity;
// k is the report's number within the year.
func (b *workbookBuilder) spoolFindings(k int32, w *wbReport) error {
	if len(w.findings) == 0 {
		return nil
	}
	city, body, source := cityName(w.city()), w.bodyName(), w.source()
	var labels, paths strings.Builder
	for j := range w.findings {
		f := &w.findings[j]
		sev := valid(string(f.Severity))
		s := b.findings[severityRank(sev)]
		labels.Reset()
		paths.Reset()
		for x, p := range f.Cells {
			p = valid(p)
			if x > 0 {
				labels.WriteString("；")
				paths.WriteString("; ")
			}
			labels.WriteString(cellLabel(p))
			paths.WriteString(p)
		}
		culprit := valid(f.Culprit)
		if culprit != "" {
			culprit = cellLabel(culprit)
		}
		rec := binary.AppendUvarint(s.start(), uint64(b.v.pos[k]))
		for _, t := range []string{sev, valid(f.Rule), city, body, valid(f.Message), culprit, valid(f.Status),
			valid(f.Place), source, labels.String(), paths.String()} {
			rec = appendRecString(rec, t)
		}
		if err := s.put(rec); err != nil {
			return err
		}
	}
	return nil
}
