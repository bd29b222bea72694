package transform

import (
	"os"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
)

func paragraphs(texts ...string) []line {
	var ls []line
	for i, t := range texts {
		ls = append(ls, newLine([]extract.Cell{{Text: t, Pos: extract.Pos{Line: i + 1, Col: 1}}}, true, 0))
	}
	return ls
}

func TestDetectScope(t *testing.T) {
	cases := []struct {
		name, body, city, title, alias string
		narrative                      []string
		scope, by                      string
		hscope                         Severity // "" when no H.SCOPE finding is expected
	}{
		{"a government summarises its region", "淮安市洪泽区人民政府", "淮安市", "", "", nil, ScopeRegional, "body", ""},
		{"a department is its own", "淮安市民政局", "淮安市", "", "", nil, ScopeOrgan, "body", ""},
		{"a township is its own", "沭阳县城关镇人民政府", "宿迁市", "", "", nil, ScopeOrgan, "body", ""},
		{"a zone's administration is its own", "平顶山市城乡一体化示范区", "平顶山市", "", "", nil, ScopeOrgan, "body", ""},
		{"本级 in the title", "平顶山市人民政府", "平顶山市", "平顶山市本级2024年政府信息公开工作年度报告", "", nil,
			ScopeLevel, "title:市本级", ""},
		{"全市 in the title of an office", "平顶山市人民政府办公室", "平顶山市", "平顶山市人民政府办公室2024年全市政府信息公开工作年度报告", "", nil,
			ScopeRegional, "title:全市", ""},
		{"the alias file decides", "淮安市洪泽区人民政府", "淮安市", "", ScopeOrgan, []string{"全区各级行政机关共收到申请95件"},
			ScopeOrgan, "alias", ""},
		{"a government whose narrative speaks only of itself", "淮安市洪泽区人民政府", "淮安市", "", "",
			[]string{"一、总体情况", "本机关共办理申请17件。本机关严格落实。", "二、主动公开政府信息情况"}, ScopeRegional, "body", SevWarning},
		{"a government whose narrative speaks of its region", "淮安市洪泽区人民政府", "淮安市", "", "",
			[]string{"一、总体情况", "全区各级行政机关共收到申请95件，本机关办理17件。", "二、主动公开政府信息情况"}, ScopeRegional, "body", ""},
		{"a department whose narrative speaks of the whole city", "淮安市民政局", "淮安市", "", "",
			[]string{"一、总体情况", "全市各级民政部门共收到申请。", "二、主动公开政府信息情况"}, ScopeOrgan, "body", SevInfo},
		{"a zone speaking for the whole zone", "平顶山市城乡一体化示范区", "平顶山市", "", "",
			[]string{"一、总体情况", "全区各部门、各街道共收到申请95件。", "二、主动公开政府信息情况"}, ScopeRegional, "narrative", ""},
		{"a zone summarising its jurisdiction", "平顶山市城乡一体化示范区管理委员会", "平顶山市", "", "",
			[]string{"一、总体情况", "本报告汇总辖区内各街道的报告。", "二、主动公开政府信息情况"}, ScopeRegional, "narrative", ""},
		{"a zone speaking both ways", "平顶山市城乡一体化示范区", "平顶山市", "", "",
			[]string{"一、总体情况", "本区各部门共收到申请95件，本机关办理17件。", "二、主动公开政府信息情况"}, ScopeRegional, "narrative", SevInfo},
		{"a zone speaking of itself", "平顶山市城乡一体化示范区", "平顶山市", "", "",
			[]string{"一、总体情况", "本机关共收到申请17件。", "二、主动公开政府信息情况"}, ScopeOrgan, "body", ""},
		{"a zone's department speaking of the zone stays its own", "平顶山市城乡一体化示范区财政局", "平顶山市", "", "",
			[]string{"一、总体情况", "本区各部门共收到申请95件。", "二、主动公开政府信息情况"}, ScopeOrgan, "body", ""},
		{"no body: the narrative alone", "", "", "", "", []string{"一、总体情况", "全县各级行政机关共收到申请。"}, ScopeRegional, "narrative", ""},
		{"no body, no word: unknown", "", "", "", "", []string{"一、总体情况", "认真做好公开工作。"}, "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := &Report{Body: tc.body, City: tc.city, Title: tc.title}
			lines := paragraphs(tc.narrative...)
			r.detectScope(lines, findHeadings(lines), tc.alias)
			if r.Scope != tc.scope || r.ScopeBy != tc.by {
				t.Errorf("scope %q by %q, want %q by %q", r.Scope, r.ScopeBy, tc.scope, tc.by)
			}
			var got Severity
			for _, f := range r.Findings {
				checkRegistered(t, tc.name, f)
				if f.Rule == RuleHScope {
					got = f.Severity
				}
			}
			if got != tc.hscope {
				t.Errorf("H.SCOPE %q, want %q: %v", got, tc.hscope, r.Findings)
			}
		})
	}
}

func TestVersionOf(t *testing.T) {
	cases := []struct{ title, path, want string }{
		{"平顶山市教育局2024年政府信息公开工作年度报告（修订版）", "a/b.txt", "修订版"},
		{"平顶山市教育局2024年政府信息公开工作年度报告（超链版）", "a/b.txt", "超链版"},
		{"平顶山市教育局2024年政府信息公开工作年度报告", "a/教育局年报-更正.docx", "更正"},
		{"平顶山市教育局2024年政府信息公开工作年度报告", "修订/教育局.docx", ""},
	}
	for _, tc := range cases {
		got := versionOf(paragraphs(tc.title), tc.path)
		if got != tc.want {
			t.Errorf("versionOf(%q, %q) = %q, want %q", tc.title, tc.path, got, tc.want)
		}
	}
	if revisionRank("修订版") != 1 || revisionRank("超链版") != 0 || revisionRank("") != 0 {
		t.Error("revisionRank: a revision must outrank other marks")
	}
}

func TestLoadAliasesScope(t *testing.T) {
	path := t.TempDir() + "/aliases.csv"
	writeFile(t, path, "body,code,level,parent,scope\n洪泽区人民政府,320813,,,organ\n淮安市人民政府,320800,,,本级\n")
	a, err := LoadAliases(path)
	if err != nil {
		t.Fatal(err)
	}
	scope := func(body string) string { al, _ := a.Lookup(body); return al.Scope }
	if scope("洪泽区人民政府") != ScopeOrgan || scope("淮安市人民政府") != ScopeLevel || scope("别的") != "" {
		t.Errorf("scopes: %q %q", scope("洪泽区人民政府"), scope("淮安市人民政府"))
	}
	writeFile(t, path, "body,code,level,parent,scope\n洪泽区人民政府,320813,,,everything\n")
	if _, err := LoadAliases(path); err == nil || !strings.Contains(err.Error(), "organ, level or regional") {
		t.Errorf("a bad scope: %v", err)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
