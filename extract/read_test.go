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
