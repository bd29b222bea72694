package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/govreports/govreports"

// layers lists, for each package of the pipeline, the module packages it may import: cmd →
// pipeline → extract/transform/load; transform reads extract's Document; load writes transform's
// Report (and the extract types it carries); extract knows no other package of the module, and
// transform/region (the divisions and the body resolver) none at all.
var layers = map[string][]string{
	"extract":          {},
	"transform/region": {},
	"transform":        {"extract", "transform/region"},
	"load":             {"extract", "transform", "transform/region"},
	"pipeline":         {"extract", "transform", "transform/region", "load"},
	"cmd/govreports":   {"extract", "extract/pdfium", "transform", "transform/region", "load", "pipeline", "fixtures/synth"},
	// The PDF engine registers itself with extract; only programs that read PDFs import it.
	"extract/pdfium": {"extract"},
}

// thirdParty limits who may import a heavy library directly; an entry ending in "/" allows a whole
// tree. Arrow makes every build that imports it slow, so it stays in load; excelize reads workbooks
// in extract, writes them in load, and makes workbook fixtures. internal/deps only pins versions
// until every module has an importer.
var thirdParty = map[string][]string{
	"github.com/apache/arrow-go/": {"load", "internal/deps"},
	"github.com/xuri/excelize/":   {"extract", "load", "fixtures/", "internal/deps"},
	// PDFium in WebAssembly links a 5.8 MB module and wazero: only the engine package carries them.
	"github.com/klippa-app/go-pdfium": {"extract/pdfium"},
	"github.com/tetratelabs/wazero":   {"extract/pdfium"},
}

func allows(allowed []string, pkg string) bool {
	for _, a := range allowed {
		if pkg == a || (strings.HasSuffix(a, "/") && strings.HasPrefix(pkg, a)) {
			return true
		}
	}
	return false
}

// arrowFree packages must not reach Arrow through any package of the module.
var arrowFree = []string{"extract", "extract/pdfium", "transform", "transform/region", "fixtures/synth"}

// graph maps a module package (path relative to the module root) to everything its non-test files
// import.
type graph map[string][]string

func TestImportRules(t *testing.T) {
	g, err := parseModule(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for pkg := range layers {
		if _, ok := g[pkg]; !ok {
			t.Errorf("package %s of the rules does not exist: update the rules and docs/ARCHITECTURE.md", pkg)
		}
	}
	for _, v := range violations(g) {
		t.Error(v)
	}
}

// TestViolationsFindsBreaches makes sure the checker catches each kind of breach.
func TestViolationsFindsBreaches(t *testing.T) {
	g := graph{
		"extract":         {"fmt", module + "/transform"},
		"transform":       {module + "/extract", "github.com/apache/arrow-go/v18/arrow"},
		"load":            {module + "/transform", "github.com/xuri/excelize/v2"},
		"pipeline":        {module + "/load"},
		"cmd/govreports":  {module + "/pipeline"},
		"fixtures/synth":  {module + "/internal/helper"},
		"internal/helper": {module + "/pipeline", module + "/load"},
		"fixtures/gen/x":  {"github.com/xuri/excelize/v2"},
		"tools/x":         {"github.com/xuri/excelize/v2"},
	}
	got := strings.Join(violations(g), "\n")
	for _, want := range []string{
		"extract imports transform",
		"transform imports github.com/apache/arrow-go/v18/arrow",
		"internal/helper imports pipeline",
		"fixtures/synth depends on Arrow through",
		"extract depends on Arrow through",
		"tools/x imports github.com/xuri/excelize/v2",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("violations miss %q; got:\n%s", want, got)
		}
	}
	if strings.Contains(got, "load imports github.com/xuri") || strings.Contains(got, "cmd/govreports imports") ||
		strings.Contains(got, "fixtures/gen/x imports") {
		t.Errorf("allowed imports reported:\n%s", got)
	}
}

func violations(g graph) []string {
	var out []string
	pkgs := slices.Sorted(func(yield func(string) bool) {
		for p := range g {
			if !yield(p) {
				return
			}
		}
	})
	for _, pkg := range pkgs {
		for _, imp := range g[pkg] {
			if dep, ok := strings.CutPrefix(imp, module+"/"); ok {
				if allowed, layered := layers[pkg]; layered && !slices.Contains(allowed, dep) {
					out = append(out, pkg+" imports "+dep+": not allowed by docs/ARCHITECTURE.md")
				}
				// Outside the layers (helpers, fixtures, tools) nothing may reach into the top.
				if _, layered := layers[pkg]; !layered && (dep == "pipeline" || strings.HasPrefix(dep, "cmd/")) {
					out = append(out, pkg+" imports "+dep+": only cmd may use pipeline, and nothing imports cmd")
				}
				continue
			}
			for prefix, allowed := range thirdParty {
				if strings.HasPrefix(imp, prefix) && !allows(allowed, pkg) {
					out = append(out, pkg+" imports "+imp+": only "+strings.Join(allowed, ", ")+" may")
				}
			}
		}
	}
	for _, pkg := range arrowFree {
		if via := reachesArrow(g, pkg); via != "" {
			out = append(out, pkg+" depends on Arrow through "+via)
		}
	}
	return out
}

// reachesArrow returns the module package through which pkg reaches Arrow, or "".
func reachesArrow(g graph, pkg string) string {
	seen := map[string]bool{}
	var walk func(p string) string
	walk = func(p string) string {
		if seen[p] {
			return ""
		}
		seen[p] = true
		for _, imp := range g[p] {
			if strings.HasPrefix(imp, "github.com/apache/arrow-go/") {
				return p
			}
			if dep, ok := strings.CutPrefix(imp, module+"/"); ok {
				if via := walk(dep); via != "" {
					return via
				}
			}
		}
		return ""
	}
	return walk(pkg)
}

// parseModule reads the import clauses of every non-test Go file under root, whatever its build
// tags (a superset is the stricter check).
func parseModule(root string) (graph, error) {
	g := graph{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(p))
		if err != nil {
			return err
		}
		pkg := path.Clean(filepath.ToSlash(rel))
		for _, spec := range f.Imports {
			imp, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return err
			}
			if !slices.Contains(g[pkg], imp) {
				g[pkg] = append(g[pkg], imp)
			}
		}
		if _, ok := g[pkg]; !ok {
			g[pkg] = nil
		}
		return nil
	})
	if _, statErr := os.Stat(filepath.Join(root, "go.mod")); statErr != nil {
		return nil, statErr
	}
	return g, err
}
