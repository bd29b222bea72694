package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// Stage names, as recorded in rejects and run.json.
const (
	StageDiscover  = "discover"
	StageRead      = "read"
	StageExtract   = "extract"
	StageTransform = "transform"
	StageDedupe    = "dedupe"
	StageLoad      = "load" // the writers refused a report
)

// Stages are the per-file steps. They are plain functions so tests can slow them down or make
// them fail; the zero value means extract.Read and transform.Transform.
type Stages struct {
	Extract   func(ctx context.Context, path string, data []byte, sha256 string) (*extract.Document, error)
	Transform func(ctx context.Context, doc *extract.Document, opt transform.Options) ([]*transform.Report, error)
}

func (s Stages) withDefaults(lim extract.Limits) Stages {
	if s.Extract == nil {
		s.Extract = func(ctx context.Context, path string, data []byte, sha256 string) (*extract.Document, error) {
			return extract.ReadHashed(ctx, path, data, sha256, lim)
		}
	}
	if s.Transform == nil {
		s.Transform = transform.Transform
	}
	return s
}

// readInput reads one file whole. The size limit is checked before reading so that a huge file
// costs nothing; a file that vanished since discovery is an error like any other.
func readInput(path string, maxBytes int64) ([]byte, error) {
	// Non-blocking, so that a file replaced by a named pipe since discovery is refused below
	// instead of blocking the worker until something writes to the pipe.
	f, err := os.OpenFile(path, os.O_RDONLY|openNonBlock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if maxBytes > 0 && info.Size() > maxBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d (raise --max-bytes to read it)", extract.ErrTooLarge, info.Size(), maxBytes)
	}
	limit := maxBytes
	if limit <= 0 {
		limit = 1<<62 - 1
	}
	// Sized by Stat, the buffer takes the file in one read and sees its end in the next, where
	// io.ReadAll starts at 512 bytes and grows: 8 reads for a file of 10 KB.
	data, err := readAll(io.LimitReader(f, limit+1), make([]byte, 0, min(info.Size(), limit)+1))
	if err != nil {
		return nil, fmt.Errorf("byte %d: %w", len(data), err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: grew past %d bytes while being read", extract.ErrTooLarge, maxBytes)
	}
	return data, nil
}

// readAll is io.ReadAll appending to buf: it reads r until EOF, growing buf when it is full.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
