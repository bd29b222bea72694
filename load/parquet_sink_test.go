package load

import (
	"bytes"
	"crypto/sha256"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet/compress"
)

// TestSyncingFileBuffered: through its buffer, given back now and then, the sink writes, hashes and
// counts exactly the bytes written to it, in writes of any size, small and larger than the buffer.
func TestSyncingFileBuffered(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var want bytes.Buffer
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	s := newSyncingFile(f)
	for k := range 3000 {
		n := rng.IntN(300)
		if k%100 == 0 {
			n = rng.IntN(3 * sinkBuffer)
		}
		b := make([]byte, n)
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		if m, err := s.Write(b); m != n || err != nil {
			t.Fatalf("Write of %d bytes: %d, %v", n, m, err)
		}
		want.Write(b)
		if k%37 == 0 { // as after a row group
			if err := s.release(); err != nil || s.w != nil {
				t.Fatalf("release: %v, buffer kept: %v", err, s.w != nil)
			}
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(want.Bytes())
	if !bytes.Equal(got, want.Bytes()) || s.n != int64(want.Len()) || !bytes.Equal(s.sum.Sum(nil), sum[:]) {
		t.Errorf("file %d bytes, counted %d, hash %x; want %d bytes, hash %x", len(got), s.n, s.sum.Sum(nil), want.Len(), sum)
	}
	if _, err := s.Write([]byte("late")); err == nil {
		t.Error("a write after Close succeeded")
	}
}

// TestSyncingFileErrors: a write the file refuses, even one that only sat in the buffer, and a
// failed fsync both come out of Close, every time it is called.
func TestSyncingFileErrors(t *testing.T) {
	name := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(name, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := func(t *testing.T) *os.File {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	t.Run("buffered write", func(t *testing.T) {
		s := newSyncingFile(readOnly(t))
		if _, err := s.Write([]byte("PAR1")); err != nil {
			t.Fatalf("a buffered write failed already: %v", err)
		}
		if err := s.Close(); err == nil {
			t.Error("Close succeeded though the file refused the bytes")
		}
		if err := s.Close(); err == nil {
			t.Error("a second Close forgot the error")
		}
	})
	t.Run("release", func(t *testing.T) {
		s := newSyncingFile(readOnly(t))
		if _, err := s.Write([]byte("PAR1")); err != nil {
			t.Fatal(err)
		}
		if err := s.release(); err == nil {
			t.Error("release succeeded though the file refused the bytes")
		}
		if _, err := s.Write([]byte("more")); err == nil {
			t.Error("a write after a failed release succeeded")
		}
		if err := s.Close(); err == nil {
			t.Error("Close succeeded after a failed release")
		}
	})
	t.Run("large write", func(t *testing.T) {
		s := newSyncingFile(readOnly(t))
		if _, err := s.Write(make([]byte, 2*sinkBuffer)); err == nil {
			t.Error("a write larger than the buffer succeeded")
		}
		if err := s.Close(); err == nil {
			t.Error("Close succeeded after a failed write")
		}
	})
	t.Run("fsync", func(t *testing.T) {
		r, w, err := os.Pipe() // fsync of a pipe fails (EINVAL)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		s := newSyncingFile(w)
		if _, err := s.Write([]byte("PAR1")); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err == nil {
			t.Error("Close succeeded though the fsync failed")
		}
	})
}

// TestPartitionFlushFails: a partition whose last bytes cannot be written is not renamed into
// place, and its temporary file is removed.
func TestPartitionFlushFails(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := &pass{w: w, opt: w.opt}
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	part, err := p.openPartition("t", schema, 2024, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The file goes read-only under the sink: what comes next cannot be written.
	if err := part.sink.f.Close(); err != nil {
		t.Fatal(err)
	}
	if part.sink.f, err = os.Open(part.tmp); err != nil {
		t.Fatal(err)
	}
	if _, err := part.sink.Write([]byte("PAR1")); err != nil {
		t.Fatal(err)
	}
	tmp := part.tmp
	if out, err := part.close(); err == nil {
		t.Fatalf("close succeeded: %+v", out)
	}
	final := filepath.Join(dir, filepath.FromSlash(PartPath("t", 2024, 0)))
	for _, name := range []string{final, tmp} {
		if _, err := os.Stat(name); !os.IsNotExist(err) {
			t.Errorf("%s after a failed close: %v", name, err)
		}
	}
}

// TestWriterPropsZstdFastest: every column is zstd-compressed at its fastest level, which arrow-go
// maps to klauspost's SpeedFastest; the default level took twice the compression time for 0.9 %
// fewer bytes.
func TestWriterPropsZstdFastest(t *testing.T) {
	props := writerProps(Options{}, checkedMem(t))
	for _, path := range []string{"", "path", "report_id"} {
		if c, l := props.CompressionFor(path), props.CompressionLevelFor(path); c != compress.Codecs.Zstd || l != 1 {
			t.Errorf("column %q: %s level %d, want zstd level 1", path, c, l)
		}
	}
}
