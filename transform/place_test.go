package transform

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
)

func writeAliases(t *testing.T, text string) *Aliases {
	t.Helper()
	path := filepath.Join(t.TempDir(), "aliases.csv")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := LoadAliases(path)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestPlaceBody(t *testing.T) {
	aliases := writeAliases(t, "body,code,level,parent,scope\n宿迁市人民政府,,,,organ\n宿迁市湖滨新区,321300H1,zone,321300,regional\n")
	tests := []struct {
		name     string
		body     string
		year     int
		opt      Options
		cityCell string
		title    string
		text     string
		city     string
		scope    string
		status   string
		code     string
		rule     string   // the finding expected, "" for none
		severity Severity // of that finding
		newBody  string   // the body after correction, when it changes
	}{
		{name: "seed", body: "平顶山市城乡一体化示范区", year: 2024, city: "平顶山市", scope: ScopeOrgan, status: "resolved", code: "410472"},
		{name: "real page", body: "平潭综合实验区", year: 2020, city: "福州市", scope: ScopeRegional, status: "resolved_via_alias", code: "350128"},
		{name: "district government without its city", body: "洪泽区人民政府", year: 2023, city: "淮安市", scope: ScopeRegional, status: "resolved", code: "320813"},
		{name: "look-alike", body: "沐阳县人民政府", year: 2023, city: "宿迁市", scope: ScopeRegional, status: "resolved_via_lookalike", code: "321322",
			rule: RuleRegionLookalike, severity: SevWarning, newBody: "沭阳县人民政府"},
		{name: "ambiguous", body: "鼓楼区人民政府", year: 2023, scope: ScopeRegional, status: "ambiguous", rule: RuleRegion, severity: SevWarning},
		{name: "decided by the folder", body: "鼓楼区人民政府", year: 2023, opt: Options{Dir: "江苏/徐州市"}, city: "徐州市", scope: ScopeRegional, status: "resolved_via_context", code: "320302"},
		{name: "decided by the narrative", body: "鼓楼区人民政府", year: 2023, text: "联系地址：开封市鼓楼区", city: "开封市", scope: ScopeRegional, status: "resolved_via_context", code: "410204"},
		{name: "decided by a workbook's city column", body: "鼓楼区教育局", year: 2023, cityCell: "南京市", city: "南京市", scope: ScopeOrgan, status: "resolved_via_context", code: "320106"},
		{name: "a workbook's city column that contradicts the body", body: "洪泽区人民政府", year: 2023, cityCell: "宿迁市", city: "淮安市", scope: ScopeRegional,
			status: "resolved", code: "320813", rule: RuleRegion, severity: SevWarning},
		{name: "a workbook's city column by its stem", body: "洪泽区人民政府", year: 2023, cityCell: "淮安", city: "淮安市", scope: ScopeRegional, status: "resolved", code: "320813"},
		{name: "the old DirCity still helps", body: "鼓楼区人民政府", year: 2023, opt: Options{DirCity: "福州市"}, city: "福州市", scope: ScopeRegional, status: "resolved_via_context", code: "350102"},
		{name: "zone by prefix", body: "柳州市高新技术产业开发区", city: "柳州市", scope: ScopeOrgan, status: "resolved_by_prefix", rule: RuleRegion, severity: SevInfo},
		{name: "zone by alias, scope from the alias", body: "宿迁市湖滨新区", opt: Options{Aliases: aliases}, city: "宿迁市", scope: ScopeRegional, status: "resolved_via_alias", code: "321300H1"},
		{name: "scope forced by the alias", body: "宿迁市人民政府", opt: Options{Aliases: aliases}, city: "宿迁市", scope: ScopeOrgan, status: "resolved", code: "321300"},
		{name: "former district after its merger", body: "北塘区市场监督管理局", year: 2022, scope: ScopeOrgan, status: "unknown", rule: RuleRegion, severity: SevWarning},
		{name: "former district in its time", body: "北塘区市场监督管理局", year: 2014, city: "无锡市", scope: ScopeOrgan, status: "resolved", code: "320204"},
		{name: "made-up district of a real city keeps the city", body: "宿迁市新华区民政局", city: "宿迁市", scope: ScopeOrgan, status: "partial", rule: RuleRegion, severity: SevWarning},
		{name: "made-up city keeps its printed name", body: "样例市教育局", city: "样例市", scope: ScopeOrgan, status: "unknown", rule: RuleRegion, severity: SevInfo},
		{name: "no place, folder named like a made-up city", body: "教育局", opt: Options{DirCity: "样例市"}, city: "样例市", scope: ScopeOrgan, status: "unknown", rule: RuleRegion, severity: SevInfo},
		{name: "no place, folder names a real county", body: "教育局", opt: Options{Dir: "淮安市/洪泽区"}, city: "淮安市", scope: ScopeOrgan, status: "resolved_via_context", code: "320813"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Body: tt.body, Year: tt.year}
			asked := false
			r.placeBody(tt.opt, tt.title, tt.cityCell, "1:1", func() string { asked = true; return tt.text }, "")
			r.detectScope(nil, nil, r.Region.Scope)
			if string(r.Region.Status) != tt.status || r.Region.Place.Code != tt.code {
				t.Fatalf("region %s %q, want %s %q (%s)", r.Region.Status, r.Region.Place.Code, tt.status, tt.code, r.Region.Reason)
			}
			if r.City != tt.city || r.Scope != tt.scope {
				t.Errorf("city %q scope %s, want %q %s", r.City, r.Scope, tt.city, tt.scope)
			}
			want := tt.body
			if tt.newBody != "" {
				want = tt.newBody
			}
			if r.Body != want {
				t.Errorf("body %q, want %q", r.Body, want)
			}
			if tt.text != "" && !asked {
				t.Error("the narrative was not asked for")
			}
			var rules []string
			for _, f := range r.Findings {
				rules = append(rules, f.Rule)
				if f.Rule == tt.rule && f.Severity != tt.severity {
					t.Errorf("%s is %s, want %s: %s", f.Rule, f.Severity, tt.severity, f.Message)
				}
				if f.Place != "1:1" || !strings.Contains(f.Message, "“") {
					t.Errorf("finding %+v", f)
				}
			}
			if (tt.rule == "") != (len(rules) == 0) || (tt.rule != "" && (len(rules) != 1 || rules[0] != tt.rule)) {
				t.Errorf("findings %v, want %q", rules, tt.rule)
			}
		})
	}
}

// TestPlaceBodyNarrativeOnlyWhenNeeded: the narrative is joined only for a name that fits several places.
func TestPlaceBodyNarrativeOnlyWhenNeeded(t *testing.T) {
	r := &Report{Body: "宿迁市人民政府"}
	r.placeBody(Options{}, "", "", "", func() string { t.Error("narrative asked for a unique name"); return "" }, "")
}

func TestRegionJSON(t *testing.T) {
	for _, tt := range []struct {
		body string
		want string // a fragment of the region object
	}{
		{"平顶山市城乡一体化示范区", `"region":{"status":"resolved","code":"410472","name":"平顶山市城乡一体化示范区","level":"zone","kind":"zone","organ":null,"province":{"code":"410000","name":"河南省"},"city":{"code":"410400","name":"平顶山市"},"county":{"code":"410472","name":"平顶山市城乡一体化示范区"},"township":null}`},
		{"沐阳县人民政府", `"printed":"沐阳县人民政府"`},
		{"鼓楼区人民政府", `"candidates":[{"code":"320106","name":"鼓楼区"},`},
		{"北塘区人民政府", `"former":{"until":2016,"successors":["320213","320214"],"by":"created"}`},
	} {
		r := &Report{Body: tt.body, Reads: map[string]*TableRead{}}
		r.placeBody(Options{}, "", "", "", nil, "")
		var buf bytes.Buffer
		if err := WriteJSON(&buf, r); err != nil {
			t.Fatal(err)
		}
		if !json.Valid(buf.Bytes()) {
			t.Fatalf("invalid JSON: %s", buf.Bytes())
		}
		if !strings.Contains(buf.String(), tt.want) {
			t.Errorf("%s: JSON lacks %s:\n%s", tt.body, tt.want, buf.String())
		}
	}
}

// TestTransformPlacesBodyByNarrative: the seed re-titled for a 鼓楼区 (four cities have one) is placed
// by the address its narrative gives, through Transform, and by its folder through Options.Dir.
func TestTransformPlacesBodyByNarrative(t *testing.T) {
	raw, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(raw), "# 平顶山市城乡一体化示范区 2024 年", "# 鼓楼区人民政府 2024 年", 1)
	path := filepath.Join(t.TempDir(), "report.txt")
	for _, tt := range []struct {
		name, text string
		opt        Options
		status     string
		city       string
	}{
		{"no hint", text, Options{}, "ambiguous", ""},
		{"narrative", strings.Replace(text, "## 一、总体情况", "联系地址：开封市鼓楼区某某路1号\n\n## 一、总体情况", 1), Options{}, "resolved_via_context", "开封市"},
		{"folder", text, Options{Dir: "2024/福州市"}, "resolved_via_context", "福州市"},
	} {
		if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
			t.Fatal(err)
		}
		doc, err := extract.ReadFile(context.Background(), path, extract.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		reps, err := Transform(context.Background(), doc, tt.opt)
		if err != nil {
			t.Fatal(err)
		}
		r := reps[0]
		if r.Body != "鼓楼区人民政府" || string(r.Region.Status) != tt.status || r.City != tt.city {
			t.Errorf("%s: body %q status %s city %q (%s)", tt.name, r.Body, r.Region.Status, r.City, r.Region.Reason)
		}
	}
}
