package main

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/govreports/govreports/pipeline"
)

func TestConfigFileAndFlags(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "govreports.toml")
	os.WriteFile(file, []byte(`
in = ["/data/a", "/data/b"]
out = "/data/out"
workers = 3
exclude = ["~$*"]
max_rejects = 5
history = "/data/history"
log_level = "warn"

[limits]
max_rows = 1000
`), 0o644)

	code, stdout, stderr := cli(t, context.Background(), 0, "config", "--config", file, "--workers", "1", "--in", "/flag/in", "--max-cells", "77")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		`in                 = ["/flag/in"]`, "# flag --in", // a flag replaces the file's list
		`out                = "/data/out"`, "# file " + file,
		"workers            = 1", "# flag --workers",
		`exclude            = ["~$*"]`,
		"max_rejects        = 5",
		`history            = "/data/history"`,
		`log_format         = "auto"`, "# default",
		"[limits]", "max_rows           = 1000", "max_cells          = 77",
		"max_bytes          = 67108864",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("config output lacks %q:\n%s", want, stdout)
		}
	}
	line := func(key string) string {
		for _, l := range strings.Split(stdout, "\n") {
			if strings.HasPrefix(l, key+" ") {
				return l
			}
		}
		return ""
	}
	for key, source := range map[string]string{"in": "flag --in", "out": "file", "workers": "flag --workers",
		"log_level": "file", "log_format": "default", "max_cells": "flag --max-cells", "max_rows": "file"} {
		if l := line(key); !strings.HasSuffix(l, "# "+source) && !strings.Contains(l, "# "+source+" ") {
			t.Errorf("%s: %q, want its source %q", key, l, source)
		}
	}

	// The printed configuration is itself a valid file giving the same settings.
	again := filepath.Join(dir, "again.toml")
	os.WriteFile(again, []byte(stdout), 0o644)
	_, stdout2, stderr2 := cli(t, context.Background(), 0, "config", "--config", again)
	if strip := regexp.MustCompile(` *#.*`); strip.ReplaceAllString(stdout2, "") != strip.ReplaceAllString(stdout, "") {
		t.Errorf("the printed configuration does not read back the same:\n%s\n%s%s", stdout, stdout2, stderr2)
	}
}

func TestConfigFileMistakes(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, content, msg string }{
		{"unknown key", "out = \"x\"\nmax_reject = 3\n", "unknown setting max_reject"},
		{"unknown limit", "[limits]\nmax_rowz = 3\n", "unknown setting limits.max_rowz"},
		{"bad syntax", "out = \n", "line 1"},
		{"wrong type", "workers = \"two\"\n", "workers"},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".toml")
			os.WriteFile(file, []byte(c.content), 0o644)
			for _, cmd := range []string{"config", "run"} {
				code, _, stderr := cli(t, context.Background(), 0, cmd, "--config", file)
				if code != exitUsage || !strings.Contains(stderr, c.msg) || !strings.Contains(stderr, file) {
					t.Errorf("%s: exit %d, %q; want exit 2 naming the file and %q", cmd, code, stderr, c.msg)
				}
			}
		})
	}
	if code, _, stderr := cli(t, context.Background(), 0, "config", "--config", filepath.Join(dir, "missing.toml")); code != exitUsage || !strings.Contains(stderr, "missing.toml") {
		t.Errorf("missing file: exit %d, %q", code, stderr)
	}
}

// TestRunFromConfigFile runs from a file with two input folders; a flag overrides the output.
func TestRunFromConfigFile(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if code, _, stderr := cli(t, context.Background(), 0, "gen", "--n", "4", "--out", a); code != exitOK {
		t.Fatal(stderr)
	}
	os.Mkdir(b, 0o755)
	names, _ := filepath.Glob(filepath.Join(a, "*"))
	for _, name := range names[2:] {
		os.Rename(name, filepath.Join(b, filepath.Base(name)))
	}
	file := filepath.Join(dir, "govreports.toml")
	os.WriteFile(file, []byte(`in = ["`+a+`", "`+b+`"]
out = "`+filepath.Join(dir, "not-this")+`"
progress = "never"
`), 0o644)
	out := filepath.Join(dir, "out")
	code, _, stderr := cli(t, context.Background(), 0, "run", "--config", file, "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var sum pipeline.Summary
	data, err := os.ReadFile(filepath.Join(out, "run.json"))
	if err != nil || json.Unmarshal(data, &sum) != nil {
		t.Fatal(err)
	}
	if sum.Totals.Reports != 4 || sum.In != a || !slices.Equal(sum.MoreIn, []string{b}) {
		t.Errorf("run.json: %d reports from %s %v, want 4 from both folders", sum.Totals.Reports, sum.In, sum.MoreIn)
	}
	if _, err := os.Stat(filepath.Join(dir, "not-this")); err == nil {
		t.Error("--out did not override the file's output folder")
	}
}

func TestRunRefusals(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if code, _, stderr := cli(t, context.Background(), 0, "gen", "--n", "2", "--out", in); code != exitOK {
		t.Fatal(stderr)
	}
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"out equal to in", []string{"--in", in, "--out", in}, exitUsage, "is the input folder"},
		{"out inside in", []string{"--in", in, "--out", filepath.Join(in, "out")}, exitUsage, "lies inside --in"},
		{"in inside out", []string{"--in", in, "--out", dir}, exitUsage, "lies inside --out"},
		{"negative max-rejects", []string{"--in", in, "--out", filepath.Join(dir, "o1"), "--max-rejects", "-1"}, exitUsage, "--max-rejects must be 0 or more"},
		{"empty input folder", []string{"--in", empty, "--out", filepath.Join(dir, "o2")}, exitRejects, "holds no file to read"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := cli(t, context.Background(), 0, append([]string{"run", "--progress", "never"}, c.args...)...)
			if code != c.code || !strings.Contains(stderr, c.msg) {
				t.Errorf("exit %d, %s; want exit %d saying %q", code, stderr, c.code, c.msg)
			}
		})
	}
	failed, err := os.ReadFile(filepath.Join(dir, "o2", "failed-run.json"))
	if err != nil || !strings.Contains(string(failed), `"status": "refused"`) {
		t.Errorf("empty input folder: failed-run.json %s (%v), want status refused", failed, err)
	}
}

// TestMessagesNameFlagsThatExist finds every "--flag" in the string literals of the program and
// checks that some command defines it.
func TestMessagesNameFlagsThatExist(t *testing.T) {
	defined := map[string]bool{"help": true, "version": true} // govreports --help, --version
	for _, cmd := range []string{"run", "extract", "gen", "schema", "config"} {
		_, stdout, stderr := cli(t, context.Background(), 0, cmd, "-h")
		for _, m := range regexp.MustCompile(`(?m)^  -([a-z][a-z0-9-]*)`).FindAllStringSubmatch(stdout+stderr, -1) {
			defined[m[1]] = true
		}
	}
	if !defined["max-rows"] || !defined["config"] || !defined["seed"] {
		t.Fatalf("the flag list looks wrong: %v", defined)
	}
	flagRef := regexp.MustCompile(`(?:^|[^\w-])--([a-z][a-z0-9-]*)`)
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "fixtures" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return fs.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			for _, m := range flagRef.FindAllStringSubmatch(s, -1) {
				checked++
				if !defined[m[1]] {
					t.Errorf("%s: message names --%s, which no command defines: %.120q", fset.Position(lit.Pos()), m[1], s)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Errorf("only %d flag references found: the scan is broken", checked)
	}
}
