package load

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/govreports/govreports/transform"
)

// yearsReports are reports of four years and of an unknown year, a few bodies each.
func yearsReports() []*transform.Report {
	var reps []*transform.Report
	for _, year := range []int{2021, 2022, 2023, 2024, 0} {
		for k, body := range []string{"平顶山市教育局", "平顶山市商务局", "宝丰县人民政府"} {
			r := newReport("yr-"+body+"-"+string(rune('a'+year%26)), "平顶山市", body, year, transform.Gov2021, transform.ScopeOrgan)
			fillT2Current(r, int64(k+year%7))
			fillT3(r, int64(k+1))
			fillT4(r, int64(year%3))
			reps = append(reps, r)
		}
	}
	return reps
}

// TestWorkbooksAtOnce: the years' workbooks built several at once are the files built one after
// another, in the same order; when one year fails, none of the workbooks is left.
func TestWorkbooksAtOnce(t *testing.T) {
	reps := yearsReports()
	write := func(t *testing.T, dir string, workers int) ([]Output, error) {
		w := newTestWriter(t, dir, nil)
		in := testInput(t, reps, nil)
		in.BookWorkers = workers
		return w.WriteWorkbooks(context.Background(), in)
	}
	one, err := write(t, t.TempDir(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(one) != 5 {
		t.Fatalf("%d workbooks, want 5", len(one))
	}
	for _, workers := range []int{2, 5, 8} {
		got, err := write(t, t.TempDir(), workers)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, one) {
			t.Errorf("%d at once:\n%v\nwant\n%v", workers, got, one)
		}
	}

	for _, blocked := range []string{WorkbookName(2021), WorkbookName(2023), WorkbookName(0)} {
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, blocked, "blocker"), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := write(t, dir, 3); err == nil {
			t.Fatalf("%s blocked: no error", blocked)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Name() != blocked {
				t.Errorf("%s blocked: %s left", blocked, e.Name())
			}
		}
	}
}

// TestWorkbooksAtOnceCancelled: a cancelled context stops the builders with the context's error
// and leaves nothing.
func TestWorkbooksAtOnceCancelled(t *testing.T) {
	dir := t.TempDir()
	w := newTestWriter(t, dir, nil)
	in := testInput(t, yearsReports(), nil)
	in.BookWorkers = 2
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := w.WriteWorkbooks(ctx, in); err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("err = %v, want the context's", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files left", len(entries))
	}
}
