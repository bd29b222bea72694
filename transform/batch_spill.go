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
