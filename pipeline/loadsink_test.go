package pipeline

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// TestLoadSinkHalves checks the real Sink, which writes the tables and the workbooks at once: both
// appear when both succeed, and when either half fails the other's files are removed too, so that
// staging holds no output of a failed write.
func TestLoadSinkHalves(t *testing.T) {
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
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.blocked != "" {
				block(t, dir, tc.blocked)
			}
			sink, err := LoadSink(dir, SinkOptions{CreatedBy: "govreports test"})
			if err != nil {
				t.Fatal(err)
			}
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
			for _, o := range outs {
				paths = append(paths, o.Path)
			}
			if !slices.IsSorted(paths) || !slices.Equal(paths, files) {
				t.Fatalf("outputs %v, files %v: want the same, sorted", paths, files)
			}
			for _, want := range []string{"govreports-2023.xlsx", "govreports-2024.xlsx", "parquet/reports/year=2024/part-00000.parquet"} {
				if !slices.Contains(files, want) {
					t.Errorf("no %s among %v", want, files)
				}
			}
		})
	}
}
