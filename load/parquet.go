package load

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"math"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
)

// Key-value metadata written into every Parquet file. Run times never go there: same inputs, same bytes.
const (
	KeySchemaVersion = "govreports.schema_version"
	KeyInputHash     = "govreports.input_hash"
)

// partFileName is the name of a partition's file number seq (from 0): a partition is cut into a new
// file after RowGroupsPerFile row groups, at points that depend on the rows only, so the names and
// the bytes stay the same on a rerun.
func partFileName(seq int) string {
	return fmt.Sprintf("part-%05d.parquet", seq)
}

// isPartFile: name is one of a partition's files.
func isPartFile(name string) bool {
	return strings.HasPrefix(name, "part-") && strings.HasSuffix(name, ".parquet")
}

// partitionName is the folder of a year's partition; the unknown year is year=0, never Hive's
// null partition (__HIVE_DEFAULT_PARTITION__), whose folder name makes engines that infer the
// partition column's type from its folders read it as a string when no other folder is there.
func partitionName(year int) string {
	return "year=" + strconv.Itoa(year)
}

// PartPath is the path of a table's file number seq for year (ignored for a table not partitioned
// by year), relative to the Writer's dir.
func PartPath(table string, year, seq int) string {
	for _, t := range outputTables {
		if info := t.info(); info.Name == table && !info.ByYear {
			return path.Join("parquet", table, partFileName(seq))
		}
	}
	return path.Join("parquet", table, partitionName(year), partFileName(seq))
}

// writerProps are the Parquet settings of every file: zstd set explicitly (arrow-go would write
// uncompressed) at its fastest level (zstdLevel), dictionary encoding on for every column (strings
// that repeat — paths, kinds, labels, bodies, rule ids — take a few bits a row), our created_by.
// Row groups are cut by Write, never by size, so the bytes do not depend on anything but the rows.
// No dictionary page limit: a chunk that fell back from dictionary to plain pages would get a
// footer listing its two page encodings in arrow-go's map order, other bytes from run to run
// (TestLargeDictionarySameBytes), and a dictionary never holds more than its row group's values,
// which Write bounds (Options.RowGroupBytes).
func writerProps(opt Options, mem memory.Allocator) *parquet.WriterProperties {
	return parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithCompressionLevel(zstdLevel),
		parquet.WithDictionaryDefault(true),
		parquet.WithDictionaryPageSizeLimit(math.MaxInt64),
		parquet.WithMaxRowGroupLength(math.MaxInt64),
		parquet.WithCreatedBy(opt.CreatedBy),
		parquet.WithAllocator(mem),
	)
}

// zstdLevel is zstd's fastest level: the pages are dictionary positions and short strings, which
// it packs nearly as well as the default level (3) for half the compression time; 10,000 reports'
// tables take 0.9 % more bytes.
const zstdLevel = 1

// syncingFile is the sink given to the Parquet writer (and the workbooks' archive). pqarrow closes
// its sink when it closes, so the fsync happens in Close. It hashes and counts the bytes on the way
// through, and buffers them: the Parquet writer writes page headers and footer fields of a few
// bytes each, tens of thousands of writes a file. The buffer is borrowed from sinkBuffers at the
// first write and given back by release (after a row group) and Close: the tables keep a few
// dozen files open, but write one at a time.
type syncingFile struct {
	f      *os.File
	w      *bufio.Writer // nil between release and the next write
	sum    hash.Hash
	n      int64
	werr   error // the first failed write: the file is incomplete
	closed bool
	err    error
}

// sinkBuffer is the size of a syncingFile's buffer.
const sinkBuffer = 64 << 10

var sinkBuffers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, sinkBuffer) }}

func newSyncingFile(f *os.File) *syncingFile {
	return &syncingFile{f: f, sum: sha256.New()}
}

func (s *syncingFile) Write(b []byte) (int, error) {
	if s.closed {
		return 0, os.ErrClosed
	}
	if s.werr != nil {
		return 0, s.werr
	}
	if s.w == nil {
		s.w = sinkBuffers.Get().(*bufio.Writer)
		s.w.Reset(s.f)
	}
	n, err := s.w.Write(b)
	s.sum.Write(b[:n])
	s.n += int64(n)
	if err != nil {
		s.werr = err
	}
	return n, err
}

// release writes out the buffer and gives it back; the next write borrows one again.
func (s *syncingFile) release() error {
	if s.w == nil {
		return s.werr
	}
	if err := s.w.Flush(); err != nil && s.werr == nil {
		s.werr = err
	}
	s.w.Reset(nil)
	sinkBuffers.Put(s.w)
	s.w = nil
	return s.werr
}

// Close writes out the buffer, fsyncs and closes the file; it keeps the first error for
// partition.close, which must not rename a file that was not all written and made durable.
func (s *syncingFile) Close() error {
	if s.closed {
		return s.err
	}
	s.closed = true
	if err := s.release(); err != nil {
		s.err = errors.Join(err, s.f.Close())
		return s.err
	}
	s.err = errors.Join(s.f.Sync(), s.f.Close())
	return s.err
}

// syncDir makes a folder's entries (new files, renames) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("load: sync %s: %w", dir, err)
	}
	return nil
}
