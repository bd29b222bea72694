package transform

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
)

// variantReport writes the text-tabs case's tables under another head and tail: its title line
// replaced by title (one or more lines), its own name in the narrative by 本机关, extra after the
// period sentence and sig appended as the signature.
func variantReport(t *testing.T, title, extra, sig string) []byte {
	t.Helper()
	data, err := os.ReadFile("../fixtures/text-tabs/input.txt")
	if err != nil {
		t.Fatal(err)
	}
	const seedBody = "平顶山市城乡一体化示范区"
	const period = "统计期限从 2024 年 1 月 1 日至 12 月 31 日止。"
	text := string(data)
	i := strings.Index(text, "# "+seedBody)
	j := i + strings.IndexByte(text[i:], '\n')
	text = text[:i] + title + text[j:]
	text = strings.ReplaceAll(text, seedBody, "本机关")
	text = strings.Replace(text, period, period+extra, 1)
	if sig != "" {
		text = strings.TrimRight(text, "\n") + "\n\n" + sig + "\n"
	}
	return []byte(text)
}

// TestIdentifyVariants: body, place and scope of reports whose identification went wrong silently:
// a folder that overrode the report's own words, a passing mention that decided, a title split with
// its year on the second line, a signature that names the body the title leaves out, a zone that
// speaks for the whole zone, a contracted county name.
func TestIdentifyVariants(t *testing.T) {
	const T = "2024年政府信息公开工作年度报告"
	type want struct {
		body, code, scope string
		findings          []string // rule/severity that must be there
		noRegionDoubt     bool     // no S.REGION warning may be there
	}
	for _, tt := range []struct {
		name, dir, title, extra, sig string
		want
	}{
		{"city bureau in a district's folder", "淮安市/洪泽区", "淮安市教育局" + T, "", "",
			want{"淮安市教育局", "320800", ScopeOrgan, []string{"S.REGION/warning"}, false}},
		{"city bureau in another city's folder", "宿迁市", "淮安市民政局" + T, "", "",
			want{"淮安市民政局", "320800", ScopeOrgan, []string{"S.REGION/warning"}, false}},
		{"district in another city's county folder", "宿迁市/沭阳县", "淮安市洪泽区人民政府" + T, "", "",
			want{"淮安市洪泽区人民政府", "320813", ScopeRegional, []string{"S.REGION/warning"}, false}},
		{"district bureau in its own folder", "淮安市/洪泽区", "淮安市洪泽区民政局" + T, "", "",
			want{"淮安市洪泽区民政局", "320813", ScopeOrgan, nil, true}},
		{"市… title completed by the signature", "淮安市/洪泽区", "市教育局" + T, "", "淮安市教育局\n2025年1月20日",
			want{"淮安市教育局", "320800", ScopeOrgan, []string{"S.BODY/info", "S.REGION/warning"}, false}},
		{"市… title, no signature: the folder's city", "淮安市/洪泽区", "市教育局" + T, "", "",
			want{"市教育局", "320800", ScopeOrgan, nil, true}},
		{"bare organ signed by another city", "宿迁市", "教育局" + T, "", "淮安市教育局\n2025年1月20日",
			want{"淮安市教育局", "320800", ScopeOrgan, []string{"S.BODY/info", "S.REGION/warning"}, false}},
		{"no body in the title, signature with the date on its line", "", T, "", "淮安市洪泽区民政局    2025年1月15日",
			want{"淮安市洪泽区民政局", "320813", ScopeOrgan, []string{"S.BODY/info"}, true}},
		{"shared district: the signature beats the folder", "南京市", "鼓楼区人民政府" + T, "", "福州市鼓楼区人民政府\n2025年1月20日",
			want{"福州市鼓楼区人民政府", "350102", ScopeRegional, []string{"S.REGION/warning"}, false}},
		{"shared district: the folder beats a passing mention", "南京市", "鼓楼区人民政府" + T, "学习借鉴福州市先进经验。", "",
			want{"鼓楼区人民政府", "320106", ScopeRegional, nil, true}},
		{"shared district: a passing mention decides with a doubt", "", "新华区人民政府" + T, "学习借鉴石家庄市先进经验。", "",
			want{"新华区人民政府", "130105", ScopeRegional, []string{"S.REGION/warning"}, false}},
		{"shared district: the address decides", "", "新华区人民政府" + T, "联系地址：平顶山市新华区建设路西段。", "",
			want{"新华区人民政府", "410402", ScopeRegional, nil, true}},
		{"shared district: the signature beats a passing mention", "", "新华区人民政府" + T, "学习借鉴石家庄市先进经验。", "沧州市新华区人民政府\n2025年1月20日",
			want{"沧州市新华区人民政府", "130902", ScopeRegional, []string{"S.BODY/info"}, true}},
		{"government signed by its office", "", "洪泽区人民政府" + T, "", "淮安市洪泽区人民政府办公室\n2025年1月20日",
			want{"洪泽区人民政府", "320813", ScopeRegional, nil, true}},
		{"title split, the year on the second line", "", "淮安市洪泽区人民政府\n2024年政府信息公开工作年度报告", "", "",
			want{"淮安市洪泽区人民政府", "320813", ScopeRegional, nil, true}},
		{"zone speaking for the whole zone", "", "平顶山高新技术产业开发区管理委员会" + T, "全区各部门、各街道共受理政府信息公开申请57件。", "",
			want{"平顶山高新技术产业开发区管理委员会", "410471", ScopeRegional, []string{"H.SCOPE/info"}, true}},
		{"zone summarising its jurisdiction", "", "平顶山高新技术产业开发区" + T, "本报告由辖区内各部门、各街道的年度报告汇总而成。", "",
			want{"平顶山高新技术产业开发区", "410471", ScopeRegional, nil, true}},
		{"zone's own work", "", "平顶山高新技术产业开发区管理委员会" + T, "", "",
			want{"平顶山高新技术产业开发区管理委员会", "410471", ScopeOrgan, nil, true}},
		{"an office's title for its government's report", "", "淮安市洪泽区人民政府办公室关于淮安市洪泽区2024年政府信息公开工作年度报告", "", "",
			want{"淮安市洪泽区", "320813", ScopeRegional, nil, true}},
		{"township not under its county folder", "河南省/平顶山市/叶县", "城关镇人民政府" + T, "", "",
			want{"城关镇人民政府", "410421100", ScopeOrgan, []string{"S.REGION/warning"}, false}},
		{"contracted autonomous county", "", "喀左县人民政府" + T, "", "",
			want{"喀左县人民政府", "211324", ScopeRegional, nil, true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := extract.Read(context.Background(), "variant.txt", variantReport(t, tt.title, tt.extra, tt.sig), extract.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			dirCity := tt.dir[strings.LastIndexByte(tt.dir, '/')+1:]
			reps, err := Transform(context.Background(), doc, Options{Dir: tt.dir, DirCity: dirCity})
			if err != nil {
				t.Fatal(err)
			}
			r := reps[0]
			got := map[string]bool{}
			for _, f := range r.Findings {
				got[f.Rule+"/"+string(f.Severity)] = true
			}
			if r.Body != tt.body || r.Region.Place.Code != tt.code || r.Scope != tt.scope {
				t.Errorf("body %q code %q scope %s, want %q %q %s (%s)", r.Body, r.Region.Place.Code, r.Scope, tt.body, tt.code, tt.scope, r.Region.Reason)
			}
			for _, f := range tt.findings {
				if !got[f] {
					t.Errorf("no %s finding: %v", f, r.Findings)
				}
			}
			if tt.noRegionDoubt && got["S.REGION/warning"] {
				t.Errorf("an S.REGION warning: %v", r.Findings)
			}
		})
	}
}
