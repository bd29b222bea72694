package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestDiscover(t *testing.T) {
	in := t.TempDir()
	writeFiles(t, in, map[string]string{
		"a-c.txt":        "x",
		"a/b.txt":        "x",
		"a/.hidden.txt":  "x",
		".git/config":    "x",
		"out/old.txt":    "x", // the output folder, nested in the input folder
		"input.html":     "x",
		"notes.doc":      "x",
		"draft~.txt":     "x",
		"deep/er/c.TXT":  "x",
		"deep/er/d.txt":  "x",
		"zz/input.xlsx":  "x",
		"zz/readme.md":   "x",
		"zz/sub/e.txt":   "x",
		"zz/sub/f.html":  "x",
		"zz/sub/g.txt.1": "x",
	})
	mustSymlink(t, filepath.Join(in, "a-c.txt"), filepath.Join(in, "link.txt"))      // a symlinked file is read
	mustSymlink(t, filepath.Join(in, "a"), filepath.Join(in, "linkdir"))             // a symlinked folder is not (it could loop)
	mustSymlink(t, filepath.Join(in, "gone.txt"), filepath.Join(in, "dangling.txt")) // a dangling link is reported

	inputs, skipped, err := discover(context.Background(), in, filepath.Join(in, "out"),
		[]string{"*.txt", "*.html", "input.*"}, []string{"draft*", "e.*"})
	if err != nil {
		t.Fatal(err)
	}
	var rels []string
	for _, x := range inputs {
		rels = append(rels, x.Rel)
		if x.Path != filepath.Join(in, filepath.FromSlash(x.Rel)) || x.Size != 1 {
			t.Errorf("input %+v: path or size wrong", x)
		}
	}
	want := []string{"a-c.txt", "a/b.txt", "deep/er/d.txt", "input.html", "link.txt", "zz/input.xlsx", "zz/sub/f.html"}
	if !slices.Equal(rels, want) {
		t.Errorf("discovered\n%q\nwant\n%q", rels, want)
	}
	if len(skipped) != 1 || skipped[0].Path != filepath.Join(in, "dangling.txt") {
		t.Errorf("skipped %+v, want the dangling link", skipped)
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks: %v", err)
	}
}

func TestRunRejectsWhatItCannotList(t *testing.T) {
	h := newHarness(t, map[string]string{"a.txt": "id:a"})
	mustSymlink(t, filepath.Join(h.in, "nowhere"), filepath.Join(h.in, "b.txt"))
	if _, err := Run(context.Background(), h.config()); err != nil {
		t.Fatal(err)
	}
	rejects := h.sink().rejects
	if len(rejects) != 1 || rejects[0].Stage != StageDiscover || rejects[0].Path != filepath.Join(h.in, "b.txt") {
		t.Errorf("rejects %+v, want the dangling link at stage discover", rejects)
	}
}

func TestInputSetHashDependsOnContentOnly(t *testing.T) {
	a := []InputSummary{{Path: "a.txt", SHA256: "11"}, {Path: "b.txt", SHA256: "22"}}
	renamed := []InputSummary{{Path: "x/b.txt", SHA256: "22"}, {Path: "y.txt", SHA256: "11"}}
	if inputSetHash(a) != inputSetHash(renamed) {
		t.Error("the same contents under other names hash differently")
	}
	for _, b := range [][]InputSummary{{{SHA256: "11"}}, {{SHA256: "11"}, {SHA256: "23"}}} {
		if inputSetHash(a) == inputSetHash(b) {
			t.Errorf("%v and %v hash alike", a, b)
		}
	}
}
