package extract

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadFileRefusesHugeFileBeforeReading: a 200 MB single-line file is refused by its size, with
// an error naming the file and the limit, before a byte of it is read.
func TestReadFileRefusesHugeFileBeforeReading(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: 200 MB on paper, nothing on disk.
	if err := f.Truncate(200 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, err = ReadFile(context.Background(), path, DefaultLimits())
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrTooLarge) || e.Path != path || !strings.Contains(err.Error(), "--max-bytes") {
		t.Fatalf("err = %v, want ErrTooLarge naming %s and the flag", err, path)
	}
}

// TestReadFileMissing names the file once, with the cause.
func TestReadFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gone.txt")
	_, err := ReadFile(context.Background(), path, DefaultLimits())
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v, want a not-exist *Error", err)
	}
	if n := strings.Count(err.Error(), path); n != 1 {
		t.Errorf("%q names the file %d times, want once", err, n)
	}
}

// TestReadHashedKeepsTheCallersHash: Read hashes the data itself; ReadHashed takes the hash a run
// computed already (to key its cache) instead of hashing the file a second time.
func TestReadHashedKeepsTheCallersHash(t *testing.T) {
	data := []byte("2023年政府信息公开工作年度报告\n")
	for _, c := range []struct {
		name string
		read func() (*Document, error)
		want string
	}{
		{"Read", func() (*Document, error) { return Read(context.Background(), "a.txt", data, DefaultLimits()) }, SHA256Hex(data)},
		{"ReadHashed", func() (*Document, error) {
			return ReadHashed(context.Background(), "a.txt", data, "given", DefaultLimits())
		}, "given"},
	} {
		doc, err := c.read()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if doc.Source.SHA256 != c.want {
			t.Errorf("%s: Source.SHA256 = %q, want %q", c.name, doc.Source.SHA256, c.want)
		}
	}
}
