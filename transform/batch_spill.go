package transform

import (
	"fmt"
	"io"
)

// Spill is where the batch stage keeps what it made outside the heap: its findings, which grow
// with the reports (154,000 at 100,000 generated reports, ~40 MB encoded), and its rollups (16,700
// groups of 230 sums at 100,000 reports, 60 MB as structs). The pipeline backs it with a file in
// the staging folder, whose pages the operating system caches; writes are sequential, and reads
// come only after Decide returns, at offsets written before.
type Spill interface {
	io.Writer
	io.ReaderAt
}

// spillLog is the one sequence of bytes the stores of a Batch append to: one offset counter for
// its findings and its rollups, which thus share one Spill. Without a Spill it keeps every byte.
type spillLog struct {
	spill Spill  // nil: everything stays in buf
	buf   []byte // appended, not yet written to spill (without a spill: everything)
	size  int64  // bytes appended, written or in buf
	err   error  // the first write error: Decide returns it
}

// spillChunk is how much the log holds before it writes to its Spill.
const spillChunk = 64 << 10

// appended records that the caller appended to buf since it was start bytes long, and writes a
// full chunk out. It returns the offset of what was appended.
func (l *spillLog) appended(start int) int64 {
	off := l.size
	l.size += int64(len(l.buf) - start)
	if l.spill != nil && len(l.buf) >= spillChunk {
		l.flush()
	}
	return off
}

func (l *spillLog) flush() {
	if l.spill == nil || len(l.buf) == 0 || l.err != nil {
		return
	}
	if _, err := l.spill.Write(l.buf); err != nil {
		l.err = fmt.Errorf("batch spill: %w", err)
	}
	l.buf = l.buf[:0]
}

// finish writes what is pending; the log is read-only afterwards.
func (l *spillLog) finish() error {
	l.flush()
	if l.spill != nil {
		l.buf = nil
	}
	return l.err
}

// read returns the n bytes at off, which finish made readable. Without a spill they share the
// log's memory, which is never written again.
func (l *spillLog) read(off int64, n int) ([]byte, error) {
	if l.spill == nil {
		if off < 0 || n < 0 || off+int64(n) > int64(len(l.buf)) {
			return nil, fmt.Errorf("read %d bytes at %d: past the %d bytes held", n, off, len(l.buf))
		}
		return l.buf[off : off+int64(n)], nil
	}
	buf := make([]byte, n)
	if _, err := l.spill.ReadAt(buf, off); err != nil {
		return nil, fmt.Errorf("read %d bytes at %d: %w", n, off, err)
	}
	return buf, nil
}

// logReader reads a finished spillLog for a walk that moves forward through a few regions of it at
// once. It keeps logWindows windows, each read in one go; a read that none holds refills the one
// used least recently. What it returns is valid until its next read.
type logReader struct {
	log  *spillLog
	wins [logWindows]logWindow
	tick int
}

type logWindow struct {
	off  int64
	buf  []byte
	used int
}

const (
	logWindows    = 8
	logWindowSize = 64 << 10
)

func (r *logReader) read(off int64, n int) ([]byte, error) {
	if r.log.spill == nil {
		return r.log.read(off, n)
	}
	r.tick++
	lru := &r.wins[0]
	for k := range r.wins {
		w := &r.wins[k]
		if off >= w.off && off+int64(n) <= w.off+int64(len(w.buf)) {
			w.used = r.tick
			return w.buf[off-w.off : off-w.off+int64(n)], nil
		}
		if w.used < lru.used {
			lru = w
		}
	}
	size := max(int64(n), min(logWindowSize, r.log.size-off))
	if int64(cap(lru.buf)) < size {
		lru.buf = make([]byte, size)
	}
	lru.buf = lru.buf[:size]
	if _, err := r.log.spill.ReadAt(lru.buf, off); err != nil {
		lru.buf = lru.buf[:0]
		return nil, fmt.Errorf("read %d bytes at %d: %w", n, off, err)
	}
	lru.off, lru.used = off, r.tick
	return lru.buf[:n], nil
}
