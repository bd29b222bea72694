package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
)

// TestReadInput: a file is read whole, whatever its size against the buffer its size gave, up to
// the limit and refused past it; readAll grows the buffer when a reader gives more than it holds
// (a file that grew after its Stat).
func TestReadInput(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		size, limit int
		tooLarge    bool
	}{
		{0, 0, false}, {1, 0, false}, {511, 0, false}, {512, 0, false}, {513, 0, false},
		{100_000, 0, false}, {100, 100, false}, {101, 100, true}, {99, 100, false},
	} {
		data := []byte(strings.Repeat("报告0123", tc.size/10+1)[:tc.size])
		name := filepath.Join(dir, fmt.Sprintf("f%d-%d", tc.size, tc.limit))
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readInput(name, int64(tc.limit))
		if tc.tooLarge {
			if !errors.Is(err, extract.ErrTooLarge) {
				t.Errorf("%d bytes, limit %d: %v, want too large", tc.size, tc.limit, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, data) {
			t.Errorf("%d bytes, limit %d: %d bytes, %v", tc.size, tc.limit, len(got), err)
		}
	}
	for _, start := range []int{0, 1, 3, 4096} {
		want := strings.Repeat("长", 3000)
		got, err := readAll(strings.NewReader(want), make([]byte, 0, start))
		if err != nil || string(got) != want {
			t.Errorf("readAll from a buffer of %d: %d bytes, %v", start, len(got), err)
		}
	}
	if _, err := readInput(dir, 0); err == nil {
		t.Error("a folder was read")
	}
}
