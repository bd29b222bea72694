package region

import (
	"strings"
	"testing"
)

// userAliases is an alias file in the current format, as a user would write it.
const userAliases = `body,code,level,parent,scope
# a district whose name fits four cities, fixed to one
鼓楼区人民政府,350102,,,regional
# a zone outside the codes, with a code of its own under 宿迁市
宿迁市湖滨新区,321300H1,zone,321300,regional
# the user's own reading of the built-in 平潭综合实验区
平潭综合实验区,350128,county,,
# a body whose scope the title would get wrong
宿迁市人民政府办公室,,,,regional
`

func mustAliases(t testing.TB, text string) *Aliases {
	t.Helper()
	a, err := ParseAliases(strings.NewReader(text), "aliases.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestResolve(t *testing.T) {
	user := mustAliases(t, userAliases)
	type want struct {
		status Status
		code   string
		level  Level
		kind   Kind
		organ  string
		city   string // the chain's city name
		county string // the chain's county-level name
		body   string // the corrected body, when it differs from the printed one
	}
	tests := []struct {
		name    string
		body    string
		hints   Hints
		aliases *Aliases
		want    want
	}{
		// The bodies of spec §6, the seed and the real page.
		{"seed zone, in the codes", "平顶山市城乡一体化示范区", Hints{Year: 2024}, nil,
			want{status: Resolved, code: "410472", level: Zone, kind: KindZone, city: "平顶山市", county: "平顶山市城乡一体化示范区"}},
		{"spaces of a PDF title", "平顶山市 城乡一体化示范区", Hints{}, nil,
			want{status: Resolved, code: "410472", level: Zone, kind: KindZone, city: "平顶山市"}},
		{"general office of a district", "淮安市洪泽区人民政府办公室", Hints{Year: 2024}, nil,
			want{status: Resolved, code: "320813", level: County, kind: KindOffice, organ: "人民政府办公室", city: "淮安市", county: "洪泽区"}},
		{"district without its city, unique nationally", "洪泽区人民政府", Hints{Year: 2023}, nil,
			want{status: Resolved, code: "320813", level: County, kind: KindGovernment, organ: "人民政府", city: "淮安市", county: "洪泽区"}},
		{"department of a county", "沭阳县发展和改革局", Hints{}, nil,
			want{status: Resolved, code: "321322", level: County, kind: KindDepartment, organ: "发展和改革局", city: "宿迁市", county: "沭阳县"}},
		{"sub-district office after its district's government", "上海市黄浦区人民政府打浦桥街道办事处", Hints{}, nil,
			want{status: Resolved, code: "310101021", level: Township, kind: KindTownship, organ: "办事处", city: "上海市", county: "黄浦区"}},
		{"sub-district as a title names it", "上海市黄浦区人民政府打浦桥街道", Hints{}, nil,
			want{status: Resolved, code: "310101021", level: Township, kind: KindTownship, city: "上海市", county: "黄浦区"}},
		{"city government", "宿迁市人民政府", Hints{}, nil,
			want{status: Resolved, code: "321300", level: City, kind: KindGovernment, organ: "人民政府", city: "宿迁市"}},
		{"province general office", "河南省人民政府办公厅", Hints{}, nil,
			want{status: Resolved, code: "410000", level: Province, kind: KindOffice, organ: "人民政府办公厅"}},
		{"real page: built-in alias", "平潭综合实验区", Hints{Year: 2020}, nil,
			want{status: ResolvedAlias, code: "350128", level: Zone, kind: KindZone, city: "福州市", county: "平潭综合实验区"}},
		{"township government", "宝丰县城关镇人民政府", Hints{}, nil,
			want{status: Resolved, code: "410421100", level: Township, kind: KindTownship, organ: "人民政府", city: "平顶山市", county: "宝丰县"}},
		{"municipality district", "北京市东城区人民政府", Hints{}, nil,
			want{status: Resolved, code: "110101", level: County, kind: KindGovernment, organ: "人民政府", city: "北京市", county: "东城区"}},
		{"county-level city under its province", "济源市人民政府办公室", Hints{}, nil,
			want{status: Resolved, code: "419001", level: County, kind: KindOffice, organ: "人民政府办公室", city: "济源市", county: "济源市"}},
		{"zone by its abbreviation", "平顶山市高新区管理委员会", Hints{}, nil,
			want{status: Resolved, code: "410471", level: Zone, kind: KindZone, organ: "管理委员会", city: "平顶山市"}},
		{"zone named without the city's 市", "焦作市城乡一体化示范区", Hints{}, nil,
			want{status: Resolved, code: "410871", level: Zone, kind: KindZone, city: "焦作市"}},
		{"branch of a national organ", "国家税务总局平顶山市税务局", Hints{}, nil,
			want{status: Resolved, code: "410400", level: City, kind: KindDepartment, organ: "国家税务总局税务局", city: "平顶山市"}},
		{"department whose name holds 城乡", "平顶山市住房和城乡建设局", Hints{}, nil,
			want{status: Resolved, code: "410400", level: City, kind: KindDepartment, organ: "住房和城乡建设局", city: "平顶山市"}},

		// Look-alikes.
		{"OCR look-alike 沐 for 沭", "沐阳县人民政府", Hints{}, nil,
			want{status: ResolvedLookalike, code: "321322", level: County, kind: KindGovernment, organ: "人民政府", city: "宿迁市", body: "沭阳县人民政府"}},
		{"look-alike inside the chain", "宿迁市沐阳县教育局", Hints{}, nil,
			want{status: ResolvedLookalike, code: "321322", level: County, kind: KindDepartment, organ: "教育局", city: "宿迁市", body: "宿迁市沭阳县教育局"}},

		// Context decides a name that fits several places; without it the name stays ambiguous.
		{"ambiguous without context", "鼓楼区人民政府", Hints{}, nil, want{status: Ambiguous}},
		{"folder names the city", "鼓楼区人民政府", Hints{Dirs: []string{"2023", "南京市"}}, nil,
			want{status: ResolvedContext, code: "320106", level: County, kind: KindGovernment, organ: "人民政府", city: "南京市"}},
		{"folder names the city by its stem", "鼓楼区教育局", Hints{Dirs: []string{"福州"}}, nil,
			want{status: ResolvedContext, code: "350102", level: County, kind: KindDepartment, organ: "教育局", city: "福州市"}},
		{"folder names the province, which one city fits", "鼓楼区人民政府", Hints{Dirs: []string{"河南省"}}, nil,
			want{status: ResolvedContext, code: "410204", city: "开封市", kind: KindGovernment, organ: "人民政府", level: County}},
		{"folder names a province two candidates share", "鼓楼区人民政府", Hints{Dirs: []string{"江苏省"}}, nil, want{status: Ambiguous}},
		{"title names the city", "鼓楼区人民政府", Hints{Title: "徐州市鼓楼区人民政府2023年政府信息公开工作年度报告"}, nil,
			want{status: ResolvedContext, code: "320302", level: County, kind: KindGovernment, organ: "人民政府", city: "徐州市"}},
		{"narrative gives the address", "鼓楼区人民政府", Hints{Text: "联系地址：福州市鼓楼区某某路1号"}, nil,
			want{status: ResolvedContext, code: "350102", level: County, kind: KindGovernment, organ: "人民政府", city: "福州市"}},
		{"narrative naming only a province does not decide", "鼓楼区人民政府", Hints{Text: "根据《河南省政府信息公开规定》"}, nil, want{status: Ambiguous}},
		{"narrative naming two candidates' cities does not decide", "鼓楼区人民政府", Hints{Text: "南京市、徐州市"}, nil, want{status: Ambiguous}},
		{"folder decides before a narrative that disagrees", "鼓楼区人民政府", Hints{Dirs: []string{"开封市"}, Text: "南京市"}, nil,
			want{status: ResolvedContext, code: "410204", level: County, kind: KindGovernment, organ: "人民政府", city: "开封市"}},
		{"a later name settles an earlier one", "鼓楼区五凤街道办事处", Hints{}, nil,
			want{status: Resolved, code: "350102009", level: Township, kind: KindTownship, organ: "办事处", city: "福州市", county: "鼓楼区"}},
		{"a department named without any place, placed by its folder", "发展和改革局", Hints{Dirs: []string{"江苏省", "淮安市", "洪泽区"}}, nil,
			want{status: ResolvedContext, code: "320813", level: County, kind: KindDepartment, organ: "发展和改革局", city: "淮安市"}},

		// Former names.
		{"former district in its time", "北塘区市场监督管理局", Hints{Year: 2014}, nil,
			want{status: Resolved, code: "320204", level: County, kind: KindDepartment, organ: "市场监督管理局", city: "无锡市", county: "北塘区"}},
		{"former district after it was merged", "北塘区市场监督管理局", Hints{Year: 2022}, nil, want{status: Unknown}},
		{"former name, year unknown: recognised", "金坛市人民政府", Hints{}, nil,
			want{status: Resolved, code: "320482", level: County, kind: KindGovernment, organ: "人民政府", city: "常州市", county: "金坛市"}},
		{"renamed city in its time", "襄樊市人民政府", Hints{Year: 2009}, nil,
			want{status: Resolved, code: "420600", level: City, kind: KindGovernment, organ: "人民政府", city: "襄樊市"}},
		{"a district of another city under a city prefix", "常州市北塘区人民政府", Hints{Year: 2023}, nil, want{status: Partial, city: "常州市"}},

		// Zones outside the codes.
		{"zone by prefix", "柳州市高新技术产业开发区管理委员会", Hints{}, nil,
			want{status: ResolvedPrefix, level: Zone, kind: KindZone, organ: "管理委员会", city: "柳州市", county: "柳州市高新技术产业开发区"}},
		{"zone by alias", "宿迁市湖滨新区", Hints{}, user,
			want{status: ResolvedAlias, code: "321300H1", level: Zone, kind: KindZone, city: "宿迁市", county: "宿迁市湖滨新区"}},
		{"department of a zone by alias", "宿迁市湖滨新区社会事业局", Hints{}, user,
			want{status: ResolvedAlias, code: "321300H1", level: Zone, kind: KindDepartment, organ: "社会事业局", city: "宿迁市"}},

		// Aliases override.
		{"alias settles an ambiguous name", "鼓楼区人民政府", Hints{}, user,
			want{status: ResolvedAlias, code: "350102", level: County, kind: KindGovernment, organ: "人民政府", city: "福州市"}},
		{"user alias overrides the built-in one", "平潭综合实验区", Hints{}, user,
			want{status: ResolvedAlias, code: "350128", level: County, kind: KindGovernment, city: "福州市", county: "平潭县"}},

		// Not placed.
		{"made-up city", "样例市示范区管理委员会", Hints{Dirs: []string{"平顶山市"}}, nil, want{status: Unknown}},
		{"made-up district of a real city", "宿迁市新华区民政局", Hints{}, nil, want{status: Partial, city: "宿迁市"}},
		{"no place and no folder", "发展和改革局", Hints{}, nil, want{status: Unknown}},
		{"a market is no city", "市场监督管理局", Hints{}, nil, want{status: Unknown}},

		// A province's short name followed at once by a division's suffix names another place.
		{"autonomous prefecture by its short name, not 海南省", "海南州人民政府办公室", Hints{}, nil,
			want{status: Resolved, code: "632500", level: City, kind: KindOffice, organ: "人民政府办公室", city: "海南藏族自治州"}},
		{"autonomous county by its short name, not 河南省", "河南县人民政府", Hints{}, nil,
			want{status: Resolved, code: "632324", level: County, kind: KindGovernment, organ: "人民政府", city: "黄南藏族自治州", county: "河南蒙古族自治县"}},
		{"prefecture named without its people, no 族 printed", "伊犁州人民政府", Hints{}, nil,
			want{status: Resolved, code: "654000", level: City, kind: KindGovernment, organ: "人民政府", city: "伊犁哈萨克自治州"}},
		{"short prefecture, then its city", "延边州延吉市教育局", Hints{}, nil,
			want{status: Resolved, code: "222401", level: County, kind: KindDepartment, organ: "教育局", city: "延边朝鲜族自治州", county: "延吉市"}},
		{"province stem before an unknown county: not the province", "山西县人民政府", Hints{}, nil, want{status: Unknown}},
		{"province stem before an unknown city: not the province", "海南市教育局", Hints{}, nil, want{status: Unknown}},
		{"a real district named like a province stem", "海南区人民政府", Hints{}, nil,
			want{status: Resolved, code: "150303", level: County, kind: KindGovernment, organ: "人民政府", city: "乌海市", county: "海南区"}},
		{"province stem before a market is still the province", "河南市场监督管理局", Hints{}, nil,
			want{status: Resolved, code: "410000", level: Province, kind: KindDepartment, organ: "市场监督管理局"}},
		{"province stem before its city", "山西太原市人民政府", Hints{}, nil,
			want{status: Resolved, code: "140100", level: City, kind: KindGovernment, organ: "人民政府", city: "太原市"}},
		{"province and its city", "山西省太原市人民政府", Hints{}, nil,
			want{status: Resolved, code: "140100", level: City, kind: KindGovernment, organ: "人民政府", city: "太原市"}},
		{"province government", "海南省人民政府", Hints{}, nil,
			want{status: Resolved, code: "460000", level: Province, kind: KindGovernment, organ: "人民政府"}},
		{"province department", "河南省教育厅", Hints{}, nil,
			want{status: Resolved, code: "410000", level: Province, kind: KindDepartment, organ: "教育厅"}},
		{"a city named like a province", "吉林市人民政府", Hints{}, nil,
			want{status: Resolved, code: "220200", level: City, kind: KindGovernment, organ: "人民政府", city: "吉林市"}},
		{"empty", "  ", Hints{}, nil, want{status: Unknown}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewResolver(tt.aliases).Resolve(tt.body, tt.hints)
			w := tt.want
			if got.Status != w.status {
				t.Fatalf("status %s, want %s (place %+v, reason %s)", got.Status, w.status, got.Place, got.Reason)
			}
			if got.Printed != tt.body {
				t.Errorf("printed %q, want %q", got.Printed, tt.body)
			}
			if w.body != "" && got.Body != w.body {
				t.Errorf("body %q, want %q", got.Body, w.body)
			}
			if w.city != "" && got.Chain.City.Name != w.city {
				t.Errorf("city %q, want %q", got.Chain.City.Name, w.city)
			}
			switch got.Status {
			case Ambiguous:
				if len(got.Candidates) < 2 || !strings.Contains(got.Reason, "有") {
					t.Errorf("ambiguous with %d candidates, reason %q", len(got.Candidates), got.Reason)
				}
				if !got.Place.IsZero() {
					t.Errorf("an ambiguous body got a place: %+v", got.Place)
				}
				return
			case Unknown, Partial:
				if got.Reason == "" || !got.Place.IsZero() {
					t.Errorf("%s: reason %q, place %+v", got.Status, got.Reason, got.Place)
				}
				return
			}
			if got.Place.Code != w.code || got.Place.Level != w.level || got.Kind != w.kind || got.Organ != w.organ {
				t.Errorf("got %s %s %s organ %q, want %s %s %s organ %q", got.Place.Code, got.Place.Level, got.Kind, got.Organ, w.code, w.level, w.kind, w.organ)
			}
			if w.county != "" && got.Chain.County.Name != w.county {
				t.Errorf("county %q, want %q", got.Chain.County.Name, w.county)
			}
			if (got.Status == ResolvedContext || got.Status == ResolvedPrefix) && got.Reason == "" {
				t.Errorf("%s without a reason", got.Status)
			}
		})
	}
}

func TestResolveReasons(t *testing.T) {
	r := NewResolver(nil)
	for _, tt := range []struct {
		body  string
		hints Hints
		has   []string
	}{
		{"鼓楼区人民政府", Hints{}, []string{"有4处", "南京市鼓楼区", "徐州市鼓楼区", "福州市鼓楼区", "开封市鼓楼区"}},
		{"北塘区市场监督管理局", Hints{Year: 2022}, []string{"已撤销或更名", "无锡市北塘区（320204）", "梁溪区（320213）", "2022年"}},
		{"常州市北塘区人民政府", Hints{Year: 2023}, []string{"“北塘区”不是常州市的下级区划", "无锡市北塘区（320204"}},
		{"样例市示范区管理委员会", Hints{}, []string{"“样例市”不在行政区划代码和别名表中"}},
		{"鼓楼区人民政府", Hints{Dirs: []string{"南京市"}}, []string{"文件夹提到“南京市”", "归入南京市鼓楼区"}},
		{"金坛市人民政府", Hints{}, []string{"后继：金坛区（320413）", "报告未给出年度"}},
		{"城关镇人民政府", Hints{}, []string{"有88处", "…"}},
	} {
		got := r.Resolve(tt.body, tt.hints)
		for _, s := range tt.has {
			if !strings.Contains(got.Reason, s) {
				t.Errorf("%s: reason %q lacks %q", tt.body, got.Reason, s)
			}
		}
	}
}

func TestResolveScopeFromAliases(t *testing.T) {
	r := NewResolver(mustAliases(t, userAliases))
	for body, want := range map[string]string{
		"宿迁市人民政府办公室": "regional", // a scope-only alias: placed by the gazetteer, scope fixed
		"宿迁市湖滨新区":    "regional",
		"宿迁市湖滨新区财政局": "", // a department of the zone is not the zone
		"宿迁市人民政府":    "",
	} {
		got := r.Resolve(body, Hints{})
		if got.Scope != want {
			t.Errorf("%s: scope %q, want %q", body, got.Scope, want)
		}
		if !got.Status.Placed() {
			t.Errorf("%s: %s", body, got.Status)
		}
	}
	got := r.Resolve("宿迁市人民政府办公室", Hints{})
	if got.Status != Resolved || got.Kind != KindOffice || got.Place.Code != "321300" {
		t.Errorf("scope-only alias changed the placing: %+v", got)
	}
}

// TestResolveOldAliases: the older body,city format still places bodies within their city.
func TestResolveOldAliases(t *testing.T) {
	a := mustAliases(t, "洪泽区人民政府,淮安市,district\n示范区管理委员会\t平顶山市\n")
	r := NewResolver(a)
	got := r.Resolve("洪泽区人民政府", Hints{})
	if got.Status != ResolvedAlias || got.Place.Code != "320813" || got.Kind != KindGovernment {
		t.Errorf("洪泽区人民政府: %+v", got)
	}
	got = r.Resolve("示范区管理委员会", Hints{})
	if got.Status != ResolvedAlias || got.Place.Level != Zone || got.Place.Parent != "410400" || got.Chain.City.Name != "平顶山市" || got.Kind != KindZone {
		t.Errorf("示范区管理委员会: %+v", got)
	}
}

func TestStatusPlaced(t *testing.T) {
	for s, want := range map[Status]bool{Resolved: true, ResolvedAlias: true, ResolvedPrefix: true, ResolvedContext: true,
		ResolvedLookalike: true, Partial: false, Ambiguous: false, Unknown: false} {
		if s.Placed() != want {
			t.Errorf("%s.Placed() = %v", s, !want)
		}
	}
}

func TestClassify(t *testing.T) {
	for _, tt := range []struct {
		organ string
		level Level
		want  Kind
	}{
		{"", City, KindGovernment}, {"人民政府", County, KindGovernment}, {"人民政府", Township, KindTownship},
		{"", Zone, KindZone}, {"管理委员会", Zone, KindZone}, {"管理委员会", City, KindDepartment},
		{"人民政府办公室", County, KindOffice}, {"办公厅", Province, KindOffice}, {"管委会办公室", Zone, KindOffice},
		{"街道办事处", Township, KindTownship}, {"发展和改革委员会", City, KindDepartment}, {"政务服务中心", County, KindDepartment},
	} {
		if got := classify(tt.organ, tt.level); got != tt.want {
			t.Errorf("classify(%q, %s) = %s, want %s", tt.organ, tt.level, got, tt.want)
		}
	}
}

func TestResolveShortForms(t *testing.T) {
	r := NewResolver(nil)
	for _, tt := range []struct {
		body  string
		hints Hints
		code  string
	}{
		{"江苏淮安市洪泽区人民政府", Hints{}, "320813"}, // a province without 省
		{"吉林市人民政府", Hints{}, "220200"},      // the city, not the province's stem
		{"中共平顶山市委办公室", Hints{}, "410400"},
		{"教育局", Hints{Dirs: []string{"平顶山"}}, "410400"}, // a folder named by a city's stem
	} {
		got := r.Resolve(tt.body, tt.hints)
		if !got.Status.Placed() || got.Place.Code != tt.code {
			t.Errorf("%s: %s %s (%s), want %s", tt.body, got.Status, got.Place.Code, got.Reason, tt.code)
		}
	}
	if ps := Default().ByName("江苏"); len(ps) != 1 || ps[0].Code != "320000" {
		t.Errorf("江苏: %+v", ps)
	}
}

func TestResolveZoneUnderCounty(t *testing.T) {
	got := NewResolver(nil).Resolve("沭阳县经济开发区管理委员会", Hints{})
	if got.Status != ResolvedPrefix || got.Place.Level != Zone || got.Place.Parent != "321322" || got.Chain.County.Name != "沭阳县" ||
		got.Chain.City.Name != "宿迁市" || got.Kind != KindZone || got.Organ != "管理委员会" {
		t.Errorf("%+v", got)
	}
}

func TestAutonomousShortName(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"海南藏族自治州", "海南州"},
		{"河南蒙古族自治县", "河南县"},
		{"海西蒙古族藏族自治州", "海西州"},
		{"伊犁哈萨克自治州", "伊犁州"},      // the people without 族
		{"龙胜各族自治县", "龙胜县"},       // 各族
		{"三都水族自治县", "三都县"},       // a one-character people before 族
		{"莫力达瓦达斡尔族自治旗", "莫力达瓦旗"}, // a banner
		{"东乡族自治县", ""},           // nothing would remain
		{"鄂伦春自治旗", ""},
		{"平顶山市", ""},
		{"内蒙古自治区", ""},
	} {
		if got := autonomousShortName(c.name); got != c.want {
			t.Errorf("autonomousShortName(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

// TestDecideEvidence: of several places of one name, the report's own words (title, signature,
// address, the body's full name in the text) decide before the folders, and the folders before a
// passing mention, which decides only with a doubt; a folder that the report's words overrule is a
// doubt too.
func TestDecideEvidence(t *testing.T) {
	r := NewResolver(nil)
	for _, tt := range []struct {
		name, body string
		h          Hints
		code       string
		doubt      bool
	}{
		{"passing mention: decides with a doubt", "新华区人民政府", Hints{Text: "全区学习借鉴石家庄市先进经验。"}, "130105", true},
		{"address line", "新华区人民政府", Hints{Text: "联系地址：平顶山市新华区建设路西段。"}, "410402", false},
		{"the full name in the text", "新华区人民政府", Hints{Text: "平顶山市新华区坚持以公开为常态。"}, "410402", false},
		{"the signature beats a passing mention", "新华区人民政府", Hints{Issuer: "沧州市新华区人民政府", Text: "学习石家庄市经验"}, "130902", false},
		{"the folder beats a passing mention", "鼓楼区人民政府", Hints{Dirs: []string{"南京市"}, Text: "学习借鉴福州市先进经验"}, "320106", false},
		{"the signature beats the folder, with a doubt", "鼓楼区人民政府", Hints{Dirs: []string{"南京市"}, Issuer: "福州市鼓楼区人民政府"}, "350102", true},
		{"the title beats the folder, with a doubt", "鼓楼区人民政府", Hints{Dirs: []string{"南京市"}, Title: "福州市鼓楼区人民政府2024年政府信息公开工作年度报告"}, "350102", true},
		{"an outer folder decides against the inner one, with a doubt", "城关镇人民政府", Hints{Dirs: []string{"河南省", "平顶山市", "叶县"}}, "410421100", true},
		{"the inner folder decides", "城关镇人民政府", Hints{Dirs: []string{"河南省", "平顶山市", "宝丰县"}}, "410421100", false},
		{"folder and signature agree", "鼓楼区人民政府", Hints{Dirs: []string{"福州市"}, Issuer: "福州市鼓楼区人民政府"}, "350102", false},
	} {
		got, doubt := r.ResolveDoubt(tt.body, tt.h)
		if got.Place.Code != tt.code || (doubt != "") != tt.doubt {
			t.Errorf("%s: %s %q doubt %q, want %s doubt %v", tt.name, got.Status, got.Place.Code, doubt, tt.code, tt.doubt)
		}
	}
}

// TestLevelWordBody: a body named by its level word alone (市教育局) is the organ of the place of
// that level in its folders' chain, not of the innermost folder.
func TestLevelWordBody(t *testing.T) {
	r := NewResolver(nil)
	dirs := []string{"淮安市", "洪泽区"}
	for _, tt := range []struct {
		body   string
		dirs   []string
		status Status
		code   string
		kind   Kind
	}{
		{"市教育局", dirs, ResolvedContext, "320800", KindDepartment},
		{"区民政局", dirs, ResolvedContext, "320813", KindDepartment},
		{"市人民政府办公室", dirs, ResolvedContext, "320800", KindOffice},
		{"县教育局", []string{"淮安市"}, Unknown, "", ""},
		{"市教育局", nil, Unknown, "", ""},
		{"市场监督管理局", dirs, ResolvedContext, "320813", KindDepartment}, // 市场 is no 市
	} {
		got := r.Resolve(tt.body, Hints{Dirs: tt.dirs})
		if got.Status != tt.status || got.Place.Code != tt.code || got.Kind != tt.kind {
			t.Errorf("%s in %v: %s %q %s, want %s %q %s (%s)", tt.body, tt.dirs, got.Status, got.Place.Code, got.Kind, tt.status, tt.code, tt.kind, got.Reason)
		}
	}
}

// TestFolderConflict: a folder that names a place neither the body's nor above it.
func TestFolderConflict(t *testing.T) {
	r := NewResolver(nil)
	for _, tt := range []struct {
		body string
		dirs []string
		want string // the folder's place, "" for none
	}{
		{"淮安市教育局", []string{"淮安市", "洪泽区"}, "320813"},
		{"淮安市教育局", []string{"宿迁市"}, "321300"},
		{"淮安市洪泽区民政局", []string{"淮安市", "涟水县"}, "320826"},
		{"淮安市洪泽区民政局", []string{"淮安市", "洪泽区"}, ""},
		{"淮安市教育局", []string{"淮安市", "2024年", "市直"}, ""},
		{"洪泽区朱坝街道办事处", []string{"江苏", "淮安市"}, ""},
		{"淮安市教育局", []string{"reports", "inbox"}, ""},
	} {
		h := Hints{Dirs: tt.dirs}
		p, _, ok := r.FolderConflict(r.Resolve(tt.body, h), h)
		if ok != (tt.want != "") || p.Code != tt.want {
			t.Errorf("%s in %v: %q %v, want %q", tt.body, tt.dirs, p.Code, ok, tt.want)
		}
	}
}

// TestShortNames: the short forms derived from a name, and that every one the gazetteer indexes
// means exactly one place, which none bears as its own name.
func TestShortNames(t *testing.T) {
	for _, tt := range []struct {
		name string
		want []string
	}{
		{"喀喇沁左翼蒙古族自治县", []string{"喀喇沁左翼县", "喀喇县", "喀左县"}},
		{"前郭尔罗斯蒙古族自治县", []string{"前郭尔罗斯县", "前郭县"}},
		{"积石山保安族东乡族撒拉族自治县", []string{"积石山县"}},
		{"双江拉祜族佤族布朗族傣族自治县", []string{"双江县"}},
		{"科尔沁左翼中旗", []string{"科左中旗"}},
		{"察哈尔右翼前旗", []string{"察右前旗"}},
		{"西双版纳傣族自治州", []string{"西双版纳州"}}, // a prefecture keeps its whole name
		{"平顶山市", nil},
	} {
		if got := shortNames(tt.name); strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("shortNames(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
	g := Default()
	r := NewResolver(nil)
	for _, p := range g.places {
		if p.Level != County && p.Level != City {
			continue
		}
		for _, s := range shortNames(p.Name) {
			var idx [8]int32
			ids := g.byName.get(idx[:0], s)
			if len(ids) > 1 {
				t.Errorf("short name %s of %s means %d places", s, p.Name, len(ids))
			}
		}
	}
	for body, code := range map[string]string{"喀左县人民政府": "211324", "前郭县人民政府": "220721", "科左中旗人民政府": "150521", "积石山县人民政府": "622927"} {
		if got := r.Resolve(body, Hints{}); got.Place.Code != code {
			t.Errorf("%s: %s %q, want %s", body, got.Status, got.Place.Code, code)
		}
	}
}
