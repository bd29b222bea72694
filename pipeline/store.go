package pipeline

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/govreports/govreports/transform"
)

// spillStore is the run's report store: every report, encoded by a worker (transform's binary
// codec), appended to one file in the staging folder, with its end offset in memory (8 bytes a
// report). At decodes a report afresh from the file on every call, a pass's cursor (NewPass) from
// the window it last read; the operating system's page cache keeps the file's recent pages, so
// memory stays flat however many reports a run reads.
// The file is removed before the commit: it is never an output.
type spillStore struct {
	mu   sync.Mutex
	f    *os.File
	w    *bufio.Writer
	ends []int64 // ends[i] is where report i ends; it starts where i-1 ends
	size int64
	err  error // the first write error: the store is unusable after it
}

// readBufs are At's read buffers: the writers read the store from two goroutines at once.
var readBufs = sync.Pool{New: func() any { return new([]byte) }}

// spillName is the store's file in the staging folder.
const spillName = ".reports.spill"

func newSpillStore(dir string) (*spillStore, error) {
	f, err := os.OpenFile(dir+string(os.PathSeparator)+spillName, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("report store: %w", err)
	}
	return &spillStore{f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

// append adds one encoded report.
func (s *spillStore) append(enc []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	if _, err := s.w.Write(enc); err != nil {
		s.err = fmt.Errorf("report store: %w", err)
		return s.err
	}
	s.size += int64(len(enc))
	s.ends = append(s.ends, s.size)
	return nil
}

// Len is the number of reports stored.
func (s *spillStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ends)
}

// At decodes report i. The report is the caller's: nothing else holds it. At may be called from
// several goroutines at once.
func (s *spillStore) At(i int) (*transform.Report, error) {
	r := new(transform.Report)
	if err := s.AtInto(i, r); err != nil {
		return nil, err
	}
	return r, nil
}

// AtInto decodes report i into r (transform.ReportsInto), for a pass that reuses one Report. It
// may be called from several goroutines at once, each with its own r.
func (s *spillStore) AtInto(i int, r *transform.Report) error {
	f, start, end, _, err := s.locate(i)
	if err != nil {
		return err
	}
	bp := readBufs.Get().(*[]byte)
	defer readBufs.Put(bp)
	if n := int(end - start); cap(*bp) < n {
		*bp = make([]byte, n)
	}
	buf := (*bp)[:end-start]
	if _, err := f.ReadAt(buf, start); err != nil {
		return fmt.Errorf("report store: report %d: %w", i, err)
	}
	if err := r.UnmarshalBinary(buf); err != nil {
		return fmt.Errorf("report store: report %d: %w", i, err)
	}
	return nil
}

// passWindow is how much a cursor reads at once on a pass in input order: 80-odd reports of 3 KB
// in one read instead of one read each. A read of 256 KiB from the page cache costs about three
// of 3 KB (the system call, not the copy, is most of it), so a window pays even for a pass that
// reads only every fifth report, as the batch stage's sums do (a year's reports).
const passWindow = 256 << 10

// passGap is how far past the last report a pass may read and still be going on in order.
const passGap = passWindow / 4

// NewPass returns a cursor over the store for one pass on one goroutine
// (transform.ReportsPasses).
func (s *spillStore) NewPass() transform.ReportReader { return &spillCursor{s: s, last: -1} }

// spillCursor reads the store for one pass. It keeps the bytes it last read, which the file never
// changes (it only grows): when the pass goes on in order, to a report after the last within
// passGap of it, it reads a whole window ahead; when the pass jumps (back, or far ahead: the
// workbooks' sheets read a year's reports in sheet order) it reads the report's own bytes only.
type spillCursor struct {
	s    *spillStore
	buf  []byte // the bytes at off in the file
	off  int64
	last int   // the report read last
	next int64 // where it ends
}

func (c *spillCursor) AtInto(i int, r *transform.Report) error {
	return c.decodeInto(i, r, r.UnmarshalBinary)
}

// NumbersInto decodes report i's numbers only (transform.NumbersReader).
func (c *spillCursor) NumbersInto(i int, r *transform.Report) error {
	return c.decodeInto(i, r, r.UnmarshalNumbers)
}

func (c *spillCursor) decodeInto(i int, r *transform.Report, decode func([]byte) error) error {
	f, start, end, size, err := c.s.locate(i)
	if err != nil {
		return err
	}
	if start < c.off || end > c.off+int64(len(c.buf)) {
		n := end - start
		if i > c.last && start-c.next <= passGap {
			n = max(n, min(passWindow, size-start))
		}
		if int64(cap(c.buf)) < n {
			c.buf = make([]byte, n)
		}
		c.buf = c.buf[:n]
		if _, err := f.ReadAt(c.buf, start); err != nil {
			c.buf = c.buf[:0]
			return fmt.Errorf("report store: report %d: %w", i, err)
		}
		c.off = start
	}
	c.last, c.next = i, end
	if err := decode(c.buf[start-c.off : end-c.off]); err != nil {
		return fmt.Errorf("report store: report %d: %w", i, err)
	}
	return nil
}

// locate flushes what was appended and returns where report i lies in the file and the file's
// size.
func (s *spillStore) locate(i int) (f *os.File, start, end, size int64, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, 0, 0, 0, s.err
	}
	if i < 0 || i >= len(s.ends) {
		return nil, 0, 0, 0, fmt.Errorf("report store: report %d of %d", i, len(s.ends))
	}
	if s.w.Buffered() > 0 {
		if err := s.w.Flush(); err != nil {
			s.err = fmt.Errorf("report store: %w", err)
			return nil, 0, 0, 0, s.err
		}
	}
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.f, start, s.ends[i], s.size, nil
}

// Bytes is the size of the file.
func (s *spillStore) Bytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.size
}

// remove closes and deletes the file. It is safe to call more than once.
func (s *spillStore) remove() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	name := s.f.Name()
	err := s.f.Close()
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	s.f, s.ends = nil, nil
	if s.err == nil {
		s.err = fmt.Errorf("report store: removed")
	}
	return err
}

// batchSpillName is the file of the batch stage's findings and rollups in the staging folder
// (transform.BatchOptions.Spill).
const batchSpillName = ".batch.spill"

// scratchFile is a working file of the run in the staging folder, removed before the commit.
type scratchFile struct{ f *os.File }

func newScratchFile(dir, name string) (*scratchFile, error) {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("working file: %w", err)
	}
	return &scratchFile{f: f}, nil
}

// remove closes and deletes the file. It is safe to call more than once.
func (s *scratchFile) remove() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	if rerr := os.Remove(s.f.Name()); err == nil {
		err = rerr
	}
	s.f = nil
	return err
}
