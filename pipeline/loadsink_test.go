package pipeline

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// sinkBatch is three reports of two years, two of them one body's, and their batch.
func sinkBatch(t *testing.T) (transform.ReportSlice, *transform.Batch) {
	t.Helper()
	reps := transform.ReportSlice{}
	for i, year := range []int{2023, 2024, 2024} {
		reps = append(reps, &transform.Report{ID: strings.Repeat(string(rune('a'+i)), 16), Year: year, City: "淮安市",
			Body:   []string{"淮安市商务局", "淮安市商务局", "淮安市教育局"}[i],
			Source: extract.Source{Path: filepath.Join("in", string(rune('a'+i))+".txt"), SHA256: strings.Repeat("0", 64)}})
	}
	batch, err := transform.Decide(context.Background(), reps, transform.BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return reps, batch
}

// TestLoadSinkHalves checks the real Sink, which writes the tables and the workbooks at once or one
// after the other: both appear when both succeed, the same bytes either way, and when either half
// fails the other's files are removed too, so that staging holds no output of a failed write.
func TestLoadSinkHalves(t *testing.T) {
	reps, batch := sinkBatch(t)
	// block makes the final path of one output a folder that is not empty, so that its rename fails.
	block := func(t *testing.T, dir, rel string) {
		if err := os.MkdirAll(filepath.Join(dir, rel, "blocker"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name    string
		blocked string // the output whose half must fail; "" for none
	}{
		{"both", ""},
		{"workbook fails", "govreports-2024.xlsx"},
		{"table fails", "parquet/reports/year=2024/part-00000.parquet"},
	}
	sums := map[bool]map[string]string{}
	for _, atOnce := range []bool{true, false} {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/atOnce=%v", tc.name, atOnce), func(t *testing.T) {
				dir := t.TempDir()
				if tc.blocked != "" {
					block(t, dir, tc.blocked)
				}
				s, err := LoadSink(dir, SinkOptions{CreatedBy: "govreports test"})
				if err != nil {
					t.Fatal(err)
				}
				sink := s.(*loadSink)
				sink.atOnce = func() bool { return atOnce }
				outs, err := sink.Write(context.Background(), SinkInput{Reports: reps, Batch: batch, InputHash: "h"})
				var files []string
				filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
					if err == nil && !d.IsDir() && d.Name() != "blocker" {
						rel, _ := filepath.Rel(dir, p)
						files = append(files, filepath.ToSlash(rel))
					}
					return nil
				})
				slices.Sort(files)
				if tc.blocked != "" {
					if err == nil {
						t.Fatalf("Write succeeded with %s blocked", tc.blocked)
					}
					if len(files) != 0 {
						t.Fatalf("a failed Write left %v", files)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				var paths []string
				got := map[string]string{}
				for _, o := range outs {
					paths = append(paths, o.Path)
					got[o.Path] = o.SHA256
				}
				if !slices.IsSorted(paths) || !slices.Equal(paths, files) {
					t.Fatalf("outputs %v, files %v: want the same, sorted", paths, files)
				}
				for _, want := range []string{"govreports-2023.xlsx", "govreports-2024.xlsx", "parquet/reports/year=2024/part-00000.parquet"} {
					if !slices.Contains(files, want) {
						t.Errorf("no %s among %v", want, files)
					}
				}
				sums[atOnce] = got
			})
		}
	}
	if len(sums) == 2 && !maps.Equal(sums[true], sums[false]) {
		t.Errorf("the outputs differ between the two orders:\n%v\n%v", sums[true], sums[false])
	}
}

// TestFitsAtOnce checks the rule that lets the run write at once: only while the live heap the
// collector leaves and loadWorkingSet stay below 3/4 of the soft limit.
func TestFitsAtOnce(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		live, limit int64
		want        bool
	}{
		{13 * mib, DefaultMemoryLimit, true}, // 10,000 generated reports after the collector
		{17 * mib, DefaultMemoryLimit, true}, // 40,000; about the largest live heap that fits the default limit
		{18 * mib, DefaultMemoryLimit, false},
		{20 * mib, DefaultMemoryLimit, false}, // 60,000: written at once, its peak RSS rose to 228 MiB
		{25 * mib, DefaultMemoryLimit, false}, // 100,000
		{70 * mib, 256 * mib, true},
		{0, 120 * mib, false}, // the working set alone is near such a limit
	} {
		if got := fitsAtOnce(tc.live, tc.limit); got != tc.want {
			t.Errorf("fitsAtOnce(%d MiB, %d MiB) = %v, want %v", tc.live/mib, tc.limit/mib, got, tc.want)
		}
	}
}

// TestLoadSinkEarly: the real Sink's tables of each report alone written early, then the rest, give
// the same files byte for byte as one Write; a failed early write leaves none of its files.
func TestLoadSinkEarly(t *testing.T) {
	reps, batch := sinkBatch(t)
	write := func(early bool, blocked string) (map[string]string, error) {
		dir := t.TempDir()
		if blocked != "" {
			if err := os.MkdirAll(filepath.Join(dir, blocked, "blocker"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		s, err := LoadSink(dir, SinkOptions{CreatedBy: "govreports test"})
		if err != nil {
			t.Fatal(err)
		}
		sink := s.(*loadSink)
		var outs []Output
		if early {
			if outs, err = sink.WriteEarly(context.Background(), reps, "h"); err != nil {
				var left []string
				filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
					if err == nil && !d.IsDir() && d.Name() != "blocker" {
						left = append(left, p)
					}
					return nil
				})
				if len(left) > 0 {
					t.Errorf("a failed early write left %v", left)
				}
				return nil, err
			}
		}
		rest, err := sink.Write(context.Background(), SinkInput{Reports: reps, Batch: batch, InputHash: "h", EarlyWritten: early})
		if err != nil {
			t.Fatal(err)
		}
		sums := map[string]string{}
		for _, o := range append(outs, rest...) {
			if _, dup := sums[o.Path]; dup {
				t.Errorf("%s written twice", o.Path)
			}
			sums[o.Path] = o.SHA256
		}
		return sums, nil
	}
	one, _ := write(false, "")
	two, err := write(true, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(slices.Collect(maps.Keys(two)), "parquet/cells/year=0/part-00000.parquet") || !maps.Equal(one, two) {
		t.Errorf("written early the outputs differ:\n%v\n%v", one, two)
	}
	if _, err := write(true, "parquet/cells/year=0/part-00000.parquet"); err == nil {
		t.Error("the early write succeeded with a cells file blocked")
	}
}

// TestLoadSinkDecidesOnce: the run's order (at once, or one thing after another) is asked once, at
// EarlyFits, and Write keeps it; a Write with no EarlyFits before it asks itself. Asked again after
// the early write started, the rule would read a heap holding that write's row groups.
func TestLoadSinkDecidesOnce(t *testing.T) {
	reps, batch := sinkBatch(t)
	for _, early := range []bool{true, false} {
		t.Run(fmt.Sprintf("early=%v", early), func(t *testing.T) {
			s, err := LoadSink(t.TempDir(), SinkOptions{CreatedBy: "govreports test"})
			if err != nil {
				t.Fatal(err)
			}
			sink := s.(*loadSink)
			asked := 0
			// A rule that would change its answer: only the first is kept.
			sink.atOnce = func() bool { asked++; return asked == 1 }
			if early {
				if !sink.EarlyFits() || !sink.EarlyFits() {
					t.Error("EarlyFits changed its answer")
				}
			}
			if _, err := sink.Write(context.Background(), SinkInput{Reports: reps, Batch: batch, InputHash: "h"}); err != nil {
				t.Fatal(err)
			}
			if asked != 1 {
				t.Errorf("the rule was asked %d times, want once", asked)
			}
			if !sink.runTogether() {
				t.Error("Write did not keep the first answer")
			}
		})
	}
}
