package extract

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// Limits bound what one input may cost, checked before the expensive work is done.
type Limits struct {
	MaxBytes        int64         // size of the file on disk
	MaxUncompressed int64         // total uncompressed size of a zip container's parts that are read
	MaxRows         int           // rows of one sheet or table
	MaxCells        int           // cells of one document
	MaxPages        int           // pages of one PDF
	MaxPDFTime      time.Duration // time to read one PDF; the caller's context may end it sooner
	MaxPDFMemory    int64         // memory the PDF engine may use for one file, in bytes
	// MaxBuilt bounds what a reader builds from one file, in bytes: the text it decodes and the
	// paragraphs, cells and rows of the Document (and HTML's parse tree), each counted with what
	// it costs in memory. A small file that expands to more (a zip of repeated paragraphs, a page
	// of millions of tiny elements) is refused with ErrLimit, naming the part being read.
	MaxBuilt int64
}

// DefaultLimits fit the largest real reports (a few MB) with a wide margin.
func DefaultLimits() Limits {
	return Limits{
		MaxBytes:        64 << 20,
		MaxUncompressed: 256 << 20,
		MaxRows:         200_000,
		MaxCells:        2_000_000,
		MaxPages:        500,
		MaxPDFTime:      2 * time.Minute,
		MaxPDFMemory:    1 << 30,
		MaxBuilt:        128 << 20,
	}
}

// reader turns the bytes of one detected format into a Document.
type reader func(ctx context.Context, src Source, data []byte, lim Limits) (*Document, error)

// readers is the explicit, ordered registry of formats: detection picks the row.
var readers = map[Format]reader{
	FormatText: readText,
	FormatHTML: readHTML,
	FormatXLSX: readXLSX,
	FormatDOCX: readDOCX,
	FormatPDF:  readPDF,
}

// ReadFile reads one input file. The size limit is checked before the file is read.
func ReadFile(ctx context.Context, path string, lim Limits) (*Document, error) {
	f, err := os.Open(path)
	if err != nil {
		// The path is already in the Error; keep only the cause of the *fs.PathError.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &Error{Path: path, Err: fmt.Errorf("open: %w", err)}
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, &Error{Path: path, Err: fmt.Errorf("stat: %w", err)}
	}
	if !info.Mode().IsRegular() {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: not a regular file", ErrUnsupported)}
	}
	if lim.MaxBytes > 0 && info.Size() > lim.MaxBytes {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: %d bytes, limit %d (raise --max-bytes to read it)", ErrTooLarge, info.Size(), lim.MaxBytes)}
	}
	data, err := io.ReadAll(io.LimitReader(f, limitOrMax(lim.MaxBytes)+1))
	if err != nil {
		return nil, &Error{Path: path, Place: fmt.Sprintf("byte %d", len(data)), Err: fmt.Errorf("read: %w", err)}
	}
	if lim.MaxBytes > 0 && int64(len(data)) > lim.MaxBytes {
		return nil, &Error{Path: path, Err: fmt.Errorf("%w: grew past %d bytes while being read", ErrTooLarge, lim.MaxBytes)}
	}
	return Read(ctx, path, data, lim)
}

func limitOrMax(n int64) int64 {
	if n <= 0 {
		return 1<<62 - 1
	}
	return n
}

// Read reads one input held in memory; path is used for the Source and in errors only.
func Read(ctx context.Context, path string, data []byte, lim Limits) (*Document, error) {
	return ReadHashed(ctx, path, data, SHA256Hex(data), lim)
}

// ReadHashed is Read for a caller that has hashed data already (SHA256Hex), as a run does to key
// its cache before it reads: hashing is a tenth of reading a text report.
func ReadHashed(ctx context.Context, path string, data []byte, sha256Hex string, lim Limits) (*Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	src := Source{Path: path, SHA256: sha256Hex, Bytes: int64(len(data))}
	if len(data) == 0 {
		return nil, &Error{Path: path, Err: ErrEmpty}
	}
	format, err := Detect(data)
	if err != nil {
		return nil, &Error{Path: path, Err: err}
	}
	src.Format = format
	doc, err := readers[format](ctx, src, data, lim)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			if e.Path == "" {
				e.Path = path
			}
			return nil, e
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &Error{Path: path, Err: err}
	}
	dropAsideColumns(doc)
	return doc, nil
}

// SHA256Hex hashes data the way Source.SHA256 does, for callers that reject a file before reading it.
func SHA256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
