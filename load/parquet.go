package load

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Key-value metadata written into every Parquet file. Run times never go there: same inputs, same bytes.
const (
	KeySchemaVersion = "govreports.schema_version"
	KeyInputHash     = "govreports.input_hash"
)

// partFile is the one file of each partition; a fixed name keeps reruns byte-identical.
const partFile = "part-00000.parquet"

// defaultPartition is Hive's name for a null partition value.
const defaultPartition = "year=__HIVE_DEFAULT_PARTITION__"

func partitionName(year int) string {
	if year == 0 {
		return defaultPartition
	}
	return "year=" + strconv.Itoa(year)
}

// PartPath is the path of a table's file for year, relative to the Writer's dir.
func PartPath(table string, year int) string {
	return path.Join("parquet", table, partitionName(year), partFile)
}

// writeTables writes every part of every table under dir. On failure it removes what it wrote.
func writeTables(ctx context.Context, dir string, t *Tables, opt Options, mem memory.Allocator) ([]Output, error) {
	var outs []Output
	dirs := map[string]bool{} // folders to fsync once their entries are final
	fail := func(err error) ([]Output, error) {
		for _, o := range outs {
			os.Remove(filepath.Join(dir, filepath.FromSlash(o.Path)))
		}
		return nil, err
	}
	for _, tb := range t.list {
		for _, p := range tb.Parts {
			if err := ctx.Err(); err != nil {
				return fail(fmt.Errorf("load: %w", err))
			}
			o, err := writePart(dir, tb.Name, p, opt, mem)
			if err != nil {
				return fail(err)
			}
			outs = append(outs, o)
			for d := path.Dir(o.Path); d != "."; d = path.Dir(d) {
				dirs[d] = true
			}
		}
	}
	// Deepest first, so that each folder is synced after the entries below it.
	order := make([]string, 0, len(dirs)+1)
	for d := range dirs {
		order = append(order, d)
	}
	slices.SortFunc(order, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	order = append(order, ".")
	for _, d := range order {
		if err := syncDir(filepath.Join(dir, filepath.FromSlash(d))); err != nil {
			return fail(err)
		}
	}
	slices.SortFunc(outs, func(a, b Output) int { return strings.Compare(a.Path, b.Path) })
	return outs, nil
}

// writerProps are the Parquet settings of every file: zstd set explicitly (arrow-go would write
// uncompressed), dictionary encoding on, one row group holding all rows, our created_by.
func writerProps(opt Options, mem memory.Allocator, rows int64) *parquet.WriterProperties {
	return parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithDictionaryDefault(true),
		parquet.WithMaxRowGroupLength(max(rows, 1)),
		parquet.WithCreatedBy(opt.CreatedBy),
		parquet.WithAllocator(mem),
	)
}

// writePart writes one partition through a temporary file in the same folder, fsynced before it
// is renamed to its final name.
func writePart(dir, table string, p Part, opt Options, mem memory.Allocator) (Output, error) {
	rel := PartPath(table, p.Year)
	final := filepath.Join(dir, filepath.FromSlash(rel))
	folder := filepath.Dir(final)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return Output{}, fmt.Errorf("load: %w", err)
	}
	f, err := os.CreateTemp(folder, "."+partFile+".tmp-*")
	if err != nil {
		return Output{}, fmt.Errorf("load: %w", err)
	}
	// CreateTemp makes the file private; the warehouse's loader runs as another user.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return Output{}, fmt.Errorf("load: %w", err)
	}
	sink := &syncingFile{f: f, sum: sha256.New()}
	if err := encodePart(sink, p, opt, mem); err != nil {
		sink.Close()
		os.Remove(f.Name())
		return Output{}, fmt.Errorf("load: %s: %w", rel, err)
	}
	// pqarrow closed the sink already; Close again only reports how that went.
	if err := sink.Close(); err != nil {
		os.Remove(f.Name())
		return Output{}, fmt.Errorf("load: %s: %w", rel, err)
	}
	if err := os.Rename(f.Name(), final); err != nil {
		os.Remove(f.Name())
		return Output{}, fmt.Errorf("load: %w", err)
	}
	return Output{Path: rel, Table: table, Year: p.Year, Rows: p.Record.NumRows(), Bytes: sink.n,
		SHA256: hex.EncodeToString(sink.sum.Sum(nil))}, nil
}

// encodePart writes p's record as one Parquet file into sink and closes it.
func encodePart(sink *syncingFile, p Part, opt Options, mem memory.Allocator) error {
	fw, err := pqarrow.NewFileWriter(p.Record.Schema(), sink,
		writerProps(opt, mem, p.Record.NumRows()),
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(mem)))
	if err != nil {
		return err
	}
	if err := fw.AppendKeyValueMetadata(KeySchemaVersion, opt.SchemaVersion); err != nil {
		fw.Close()
		return err
	}
	if opt.InputHash != "" {
		if err := fw.AppendKeyValueMetadata(KeyInputHash, opt.InputHash); err != nil {
			fw.Close()
			return err
		}
	}
	if err := fw.Write(p.Record); err != nil {
		fw.Close()
		return err
	}
	// Close writes the footer and closes the sink, which fsyncs the file first.
	return fw.Close()
}

// syncingFile is the sink given to the Parquet writer. pqarrow closes its sink when it closes, so
// the fsync happens in Close. It hashes and counts the bytes on the way through.
type syncingFile struct {
	f      *os.File
	sum    hash.Hash
	n      int64
	closed bool
	err    error
}

func (s *syncingFile) Write(b []byte) (int, error) {
	n, err := s.f.Write(b)
	s.sum.Write(b[:n])
	s.n += int64(n)
	return n, err
}

// Close fsyncs and closes the file; it keeps the first error for writePart, which must not rename a
// file that was not made durable.
func (s *syncingFile) Close() error {
	if s.closed {
		return s.err
	}
	s.closed = true
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
