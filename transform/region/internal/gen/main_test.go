package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/divisions.golden")

// TestRun builds the division file from small fakes of the three packages: townships under their
// county or, when the county is the city itself (东莞市), under the city; 市辖区 dropped; former
// names with each kind of successor evidence. Two runs give the same bytes.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "a.txt")
	if err := run("testdata/cd", "testdata/gb", "testdata/pcc", out); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	if err := run("testdata/cd", "testdata/gb", "testdata/pcc", filepath.Join(dir, "b.txt")); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "b.txt"))
	if string(got) != string(again) {
		t.Fatal("two runs differ")
	}
	golden := filepath.Join("testdata", "divisions.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("output differs from %s (rerun with -update after checking):\n%s", golden, got)
	}
}

func TestRunErrors(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.txt")
	if err := run("testdata/missing", "testdata/gb", "testdata/pcc", out); err == nil {
		t.Error("a missing package gave no error")
	}
	if err := checkEdition("testdata/gb", 2023); err == nil {
		t.Error("a README without the edition passed")
	}
}
