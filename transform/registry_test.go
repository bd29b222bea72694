package transform

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var ruleIDPattern = regexp.MustCompile(`\b[A-Z][0-9A-Z]?\.[A-Z][A-Z0-9_]*[A-Z0-9]\b`)

// specRules parses testdata/spec-rules.md (a copy of report-format.md §5 and §7.7) into the rule ids
// of each subsection: every id in the first cell of a table row, and for §7.7, which has no table,
// every id in its text.
func specRules(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "spec-rules.md"))
	if err != nil {
		t.Fatal(err)
	}
	section := ""
	heading := regexp.MustCompile(`^###? (\d+\.\d+)`)
	ids := map[string]string{}
	for _, ln := range strings.Split(string(data), "\n") {
		if m := heading.FindStringSubmatch(ln); m != nil {
			section = m[1]
			continue
		}
		text, table := "", strings.HasPrefix(ln, "|")
		switch {
		case table:
			text = strings.Split(ln, "|")[1]
		case section == "7.7":
			text = ln
		}
		for _, id := range ruleIDPattern.FindAllString(text, -1) {
			prev, ok := ids[id]
			switch {
			case ok && !table:
				continue // the text of §7.7 mentions rules of §5
			case ok && prev != section:
				t.Errorf("spec: %s in the tables of §%s and §%s", id, prev, section)
			}
			ids[id] = section
		}
	}
	if len(ids) < 20 {
		t.Fatalf("spec copy: only %d rule ids parsed", len(ids))
	}
	return ids
}

func TestRegistryMatchesSpec(t *testing.T) {
	spec := specRules(t)
	seen := map[string]bool{}
	for _, r := range Registry {
		if seen[r.ID] {
			t.Errorf("%s registered twice", r.ID)
		}
		seen[r.ID] = true
		if !ruleIDPattern.MatchString(r.ID) || ruleIDPattern.FindString(r.ID) != r.ID {
			t.Errorf("%s: not shaped like a rule id", r.ID)
		}
		if severityRank(r.Severity) == 0 || r.Title == "" {
			t.Errorf("%s: severity %q title %q", r.ID, r.Severity, r.Title)
		}
		if sec, inSpec := spec[r.ID]; inSpec && sec != r.Section {
			t.Errorf("%s: registered for §%q, the spec states it in §%s", r.ID, r.Section, sec)
		} else if !inSpec && r.Section != "" {
			t.Errorf("%s: registered for §%s, which does not state it", r.ID, r.Section)
		}
	}
	for id, sec := range spec {
		if !seen[id] {
			t.Errorf("%s (spec §%s) is not registered", id, sec)
		}
	}
}

// TestRuleIDsOnlyInRegistry reads the package's source: a rule id spelled as a string anywhere but
// registry.go would escape the registry, and every Finding's Rule must be a registered constant.
func TestRuleIDsOnlyInRegistry(t *testing.T) {
	constants := map[string]string{}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	parsed := map[string]*ast.File{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed[name] = f
	}
	ast.Inspect(parsed["registry.go"], func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok && len(vs.Values) == 1 {
			if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				constants[vs.Names[0].Name] = s
			}
		}
		return true
	})
	for name, c := range constants {
		if _, ok := LookupRule(c); !ok {
			t.Errorf("registry.go: constant %s = %q has no Registry entry", name, c)
		}
	}
	for name, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if name == "registry.go" || n.Kind != token.STRING {
					return true
				}
				s, _ := strconv.Unquote(n.Value)
				if ruleIDPattern.FindString(s) == s && s != "" {
					t.Errorf("%s: rule id %q spelled out; use its Rule constant", fset.Position(n.Pos()), s)
				}
			case *ast.KeyValueExpr:
				key, ok := n.Key.(*ast.Ident)
				if !ok || key.Name != "Rule" && key.Name != "rule" {
					return true
				}
				if id, ok := n.Value.(*ast.Ident); ok {
					if _, ok := constants[id.Name]; !ok {
						t.Errorf("%s: Rule: %s is not a registry constant", fset.Position(n.Pos()), id.Name)
					}
				}
			}
			return true
		})
	}
}

// TestFixtureFindingsRegistered checks the findings every fixture's golden output carries: each
// rule registered, no finding more severe than its rule allows.
func TestFixtureFindingsRegistered(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "fixtures", "*", "expected*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixture goldens: %v", err)
	}
	n := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		walkFindings(doc, func(rule, sev string) {
			n++
			checkRegistered(t, p, Finding{Rule: rule, Severity: Severity(sev)})
		})
	}
	if n == 0 {
		t.Fatal("the fixture goldens hold no findings")
	}
}

func walkFindings(v any, f func(rule, sev string)) {
	switch v := v.(type) {
	case map[string]any:
		rule, ok1 := v["rule"].(string)
		sev, ok2 := v["severity"].(string)
		if ok1 && ok2 {
			f(rule, sev)
		}
		for _, x := range v {
			walkFindings(x, f)
		}
	case []any:
		for _, x := range v {
			walkFindings(x, f)
		}
	}
}

// checkRegistered fails the test for a finding whose rule is not registered or that is more severe
// than its rule allows. Tests of the batch stage run it over every finding Decide makes.
func checkRegistered(t testing.TB, where string, f Finding) {
	t.Helper()
	r, ok := LookupRule(f.Rule)
	if !ok {
		t.Errorf("%s: finding of unregistered rule %q", where, f.Rule)
		return
	}
	if severityRank(f.Severity) == 0 || severityRank(f.Severity) > severityRank(r.Severity) {
		t.Errorf("%s: %s finding of severity %q, the registry allows at most %s", where, f.Rule, f.Severity, r.Severity)
	}
}
