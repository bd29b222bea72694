package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// TestGenPage: --layout page writes web pages scraped onto one line (report-format.md §7.8a),
// every one a report the readers find whole tables in.
func TestGenPage(t *testing.T) {
	dir := t.TempDir()
	if code, _, stderr := cli(t, context.Background(), 0, "gen", "--n", "12", "--out", dir, "--layout", "page", "--seed", "5"); code != exitOK {
		t.Fatalf("gen --layout page: exit %d: %s", code, stderr)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 12 {
		t.Fatalf("gen wrote %d files (%v), want 12", len(entries), err)
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// The article is one line, after crawl metadata lines at most.
		lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
		if last := lines[len(lines)-1]; !bytes.Contains(last, []byte("主动公开政府信息情况")) || !bytes.Contains(last, []byte("行政复议")) {
			t.Fatalf("%s: the article is not on its last line", e.Name())
		}
		doc, err := extract.ReadFile(context.Background(), path, extract.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		reps, err := transform.Transform(context.Background(), doc, transform.Options{})
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		for _, table := range []string{"table3", "table4"} {
			if rd := reps[0].Reads[table]; rd == nil || rd.Cells == 0 {
				t.Errorf("%s: %s not read", e.Name(), table)
			}
		}
	}
}
