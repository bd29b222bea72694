package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stagePackages start no goroutines: pipeline owns every goroutine, channel and count. The Makefile
// relies on it for load, whose tests run without -race (they take minutes under it and could find
// no race in code that never runs concurrently with itself; pipeline's race tests drive load from
// several goroutines).
var stagePackages = []string{"extract", "transform", "transform/region", "load"}

func TestStagesStartNoGoroutines(t *testing.T) {
	for _, pkg := range stagePackages {
		stmts, err := goStatements(filepath.Join("..", "..", filepath.FromSlash(pkg)))
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range stmts {
			t.Errorf("%s starts a goroutine at %s: only pipeline may (docs/ARCHITECTURE.md)", pkg, at)
		}
	}
}

func TestGoStatementsFound(t *testing.T) {
	dir := t.TempDir()
	src := "package x\n\nfunc f() {\n\tgo func() {}()\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "x_test.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	stmts, err := goStatements(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 1 || !strings.HasSuffix(stmts[0], "x.go:4:2") {
		t.Errorf("go statements = %v, want the one in x.go:4:2 only", stmts)
	}
}

// goStatements lists the go statements of the non-test files of one package folder.
func goStatements(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var out []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			return nil, err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if g, ok := n.(*ast.GoStmt); ok {
				out = append(out, fset.Position(g.Pos()).String())
			}
			return true
		})
	}
	return out, nil
}
