package transform

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/govreports/govreports/extract"
)

// A transform reuses the scratch of the one before it: the report must not depend on what that
// one read (a value or label left over from a longer document).
func TestScratchReuse(t *testing.T) {
	ctx, lim := context.Background(), extract.DefaultLimits()
	read := func(path string) []*Report {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("..", "fixtures", filepath.FromSlash(path)))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := extract.Read(ctx, path, data, lim)
		if err != nil {
			t.Fatal(err)
		}
		reps, err := Transform(ctx, doc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return reps
	}
	paths := []string{"seed/input.txt", "squashed-seed/input.txt", "text-gov2019/input.txt", "html-seed/input.html", "text-cut-table3/input.txt"}
	first := map[string][]*Report{}
	for _, p := range paths {
		first[p] = read(p)
	}
	for i := len(paths) - 1; i >= 0; i-- {
		if got := read(paths[i]); !reflect.DeepEqual(got, first[paths[i]]) {
			t.Errorf("%s read after other documents differs from its first reading", paths[i])
		}
	}
}
