package region

import (
	"errors"
	"strings"
	"testing"
)

func TestParseAliases(t *testing.T) {
	a := mustAliases(t, "\uFEFF"+userAliases)
	if a.Len() != 4 {
		t.Fatalf("%d aliases, want 4", a.Len())
	}
	for body, want := range map[string]Alias{
		"鼓楼区人民政府":    {Place: Place{Code: "350102", Name: "鼓楼区", Level: County, Parent: "350100"}, Scope: "regional", Line: 3},
		"宿迁市湖滨新区":    {Place: Place{Code: "321300H1", Name: "宿迁市湖滨新区", Level: Zone, Parent: "321300"}, Scope: "regional", Line: 5},
		"平潭综合实验区":    {Place: Place{Code: "350128", Name: "平潭县", Level: County, Parent: "350100"}, Line: 7},
		"宿迁市人民政府办公室": {Scope: "regional", Line: 9},
	} {
		got, ok := a.Lookup(body)
		want.Body = body
		if !ok || got.Body != want.Body || got.Scope != want.Scope || got.Line != want.Line ||
			got.Place.Code != want.Place.Code || got.Place.Name != want.Place.Name || got.Place.Level != want.Place.Level || got.Place.Parent != want.Place.Parent {
			t.Errorf("%s: %+v, want %+v", body, got, want)
		}
	}
	if _, ok := a.Lookup("宿迁市 湖滨新区"); !ok {
		t.Error("a look-up with spaces misses the alias")
	}
	var none *Aliases
	if _, ok := none.Lookup("宿迁市"); ok || none.Len() != 0 {
		t.Error("a nil table knows something")
	}
}

func TestParseAliasesFormats(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		body       string
		code       string // the place's code ("" for a place the alias makes without one)
		parent     string
		level      Level
	}{
		{"new, TAB separated", "body\tcode\tlevel\tparent\tscope\n洪泽区人民政府\t320813\t\t\tregional\n", "洪泽区人民政府", "320813", "320800", County},
		{"new, quoted field", "body,code,level,parent,scope\n\"淮安市,洪泽区\",320813,,,\n", "淮安市,洪泽区", "320813", "320800", County},
		{"new, parent by name", "body,code,level,parent\n某某产业园区,,zone,平顶山市\n", "某某产业园区", "", "410400", Zone},
		{"new, Chinese level and scope", "body,code,level,parent,scope\n某某新区,4104X1,开发区,410400,本机关\n", "某某新区", "4104X1", "410400", Zone},
		{"old, no header", "洪泽区人民政府,淮安市\n", "洪泽区人民政府", "320813", "320800", County},
		{"old, header", "body,city,level,parent\n# comment\n\n洪泽区人民政府,淮安市,区县,淮安市\n", "洪泽区人民政府", "320813", "320800", County},
		{"old, TAB", "示范区管理委员会\t平顶山市\n", "示范区管理委员会", "", "410400", Zone},
		{"old, unknown level word kept as free text", "洪泽区人民政府,淮安市,某级\n", "洪泽区人民政府", "320813", "320800", County},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := mustAliases(t, tt.text)
			al, ok := a.Lookup(tt.body)
			if !ok {
				t.Fatalf("%s not read", tt.body)
			}
			if al.Place.Code != tt.code || al.Place.Parent != tt.parent || al.Place.Level != tt.level {
				t.Errorf("place %+v, want code %q parent %s level %s", al.Place, tt.code, tt.parent, tt.level)
			}
		})
	}
}

func TestParseAliasesErrors(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"body,code,level,parent,scope\n某区,,,,\n", "aliases.csv:2: give a code, a parent or a scope"},
		{"body,code,level,parent,scope\n某区,320813,galaxy,,\n", `aliases.csv:2: level "galaxy"`},
		{"body,code,level,parent,scope\n某区,320813,,,both\n", `aliases.csv:2: scope "both"`},
		{"body,code,level,parent,scope\n某区,999999,,,\n", "code 999999 is not a division code; give its parent"},
		{"body,code,level,parent,scope\n某区,X1,,,\n", "code X1 is not a division code: give its parent's code"},
		{"body,code,level,parent,scope\n某区,X1,,999999,\n", "parent 999999 is not a division code"},
		{"body,code,level,parent,scope\n某区,X1,,鼓楼区,\n", `"鼓楼区" names 4 places`},
		{"body,code,level,parent,scope\n某区,X1,,火星市,\n", `"火星市" is neither a division code nor the name`},
		{"body,code,level,parent,scope\n某区,320813\n某区,320813\n", "aliases.csv:3: 某区 is already on line 2"},
		{"body,code,level,parent,scope\n某区,320813,,,,extra\n", "6 fields"},
		{"body,code,parent\n", "column 3 of the header"},
		{"body,code,level,parent,scope,more\n", "the header has 6 columns"},
		{"body,town\n", "the header must be body,code,level,parent,scope"},
		{"洪泽区人民政府,320813\n", "the second field is a code: write the header"},
		{"洪泽区人民政府\n", "aliases.csv:1: want body,city"},
		{"洪泽区人民政府,火星市\n", "aliases.csv:1: city:"},
		{"body,code,level,parent,scope\n\"unterminated,320813\n", "aliases.csv:2:"},
	} {
		_, err := ParseAliases(strings.NewReader(tt.text), "aliases.csv", nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrAliasFormat) {
			t.Errorf("%q: error %v, want one containing %q", tt.text, err, tt.want)
		}
	}
}

func TestBuiltinAliases(t *testing.T) {
	b := Builtin()
	if b.Len() == 0 {
		t.Fatal("no built-in aliases")
	}
	for _, al := range b.list {
		if al.Place.IsZero() || al.Place.Parent == "" {
			t.Errorf("built-in %s is not placed: %+v", al.Body, al.Place)
		}
	}
	got := NewResolver(nil).Resolve("河北雄安新区管理委员会", Hints{})
	if got.Status != ResolvedAlias || got.Place.Code != "13XA00" || got.Chain.Province.Name != "河北省" || !got.Chain.City.IsZero() || got.Kind != KindZone {
		t.Errorf("雄安新区: %+v", got)
	}
}

func FuzzParseAliases(f *testing.F) {
	f.Add(userAliases)
	f.Add("洪泽区人民政府,淮安市,district,淮安市\n")
	f.Add("body\tcode\tlevel\tparent\tscope\n某\t4104X1\tzone\t410400\torgan\n")
	f.Add("\uFEFFbody,city\n\"a\"\"b\",平顶山市\n")
	f.Fuzz(func(t *testing.T, text string) {
		a, err := ParseAliases(strings.NewReader(text), "fuzz.csv", nil)
		if err != nil {
			if !errors.Is(err, ErrAliasFormat) || !strings.Contains(err.Error(), "fuzz.csv") {
				t.Fatalf("error without the file's name or cause: %v", err)
			}
			return
		}
		for _, al := range a.list {
			if al.Body == "" || al.Line < 1 {
				t.Fatalf("alias %+v", al)
			}
			if got, ok := a.Lookup(al.Body); !ok || got.Line != al.Line {
				t.Fatalf("%q cannot be looked up", al.Body)
			}
			if al.Scope != "" && al.Scope != "organ" && al.Scope != "regional" {
				t.Fatalf("scope %q", al.Scope)
			}
			// Every alias resolves without panicking and places what it names.
			NewResolver(a).Resolve(al.Body, Hints{})
		}
	})
}
