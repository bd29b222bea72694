package transform

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// The hand-written matchers of the hot path must say what the expressions they replace say.
var (
	linkHeaderRE  = regexp.MustCompile(`^(?:相关|推荐|延伸|往期|历年|其他|更多|热点|最新)\p{Han}{0,4}$|^(?:上一篇|下一篇)`)
	numeralYearRE = regexp.MustCompile(`[〇零○Ｏ一二三四五六七八九]{4}年`)
	narrOrgan     = regexp.MustCompile(`本(?:机关|单位|局|委|办|部门|中心)`)
	narrRegional  = regexp.MustCompile(`全(?:省|市|区|县|旗|州|盟)(?:各级|各部门|各乡镇|各县|各区|政府系统|共)`)
	narrLevel     = regexp.MustCompile(`(?:省|市|区|县|旗)本级`)
)

func TestHandMatchersAgreeWithExpressions(t *testing.T) {
	fixed := []string{
		"", "年", "相关", "相关链接", "相关链接文", "相关链接文章阅读", "相关链接1", "其他", "更多>>", "上一篇：2023年",
		"下一篇", "上一", "二〇二三年", "二〇二三年度", "二零二三年", "○二三年", "一二三年", "2023年二〇二三年",
		"统计期限为二〇二四年一月一日至二〇二四年十二月三十一日", "年二〇二年", "二〇二Ｏ年", "九九九九年", "\xe5年",
		"二〇二\xff三年", "最新动态", "热点", "推荐阅读 ", "往期回顾：", "历年年报",
		"首页>政务公开>年报", "网站首页/信息公开", "当前位置：首页", "您当前的位置:", "位置：", "a>b>c", "a>b",
		"统计期限自2024年1月1日起至2024年12月31日止", "4年1月1日，2024年1月1日至12月31日",
		"与上一统计周期（2022年1月1日至2022年12月31日）相比，2023年1月1日至2023年12月31日",
		"年1月1日至12月31日", "2023年1月1日—12月31日", "1999年1月1日~2000年12月31日",
		"本机关本单位本本局", "本级市本级县本级本级", "全市各部门全县政府系统全全区共", "全市各", "本", "全区各区各县",
	}
	for _, s := range fixed {
		checkHandMatchers(t, s)
	}
	// Random strings over the characters the expressions care about, and a few others.
	alphabet := []rune("本机关单位局委办部门中心全省市区县旗州盟各级乡镇政府系统共>＞»›→您当前的位置所在网站首页:：20241至到-—~起比上12月31日〇零○Ｏ一二三四五六七八九十年月日相关推荐延伸往期历年其他更多热点最新上下一篇链接文章 a1：\uFFFD")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := rng.IntN(24)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = alphabet[rng.IntN(len(alphabet))]
		}
		checkHandMatchers(t, string(rs))
	}
}

func checkHandMatchers(t *testing.T, s string) {
	t.Helper()
	if got, want := isLinkHeader(s), linkHeaderRE.MatchString(s); got != want {
		t.Errorf("isLinkHeader(%q) = %v, the expression says %v", s, got, want)
	}
	if got, want := hasNumeralYear(s), numeralYearRE.MatchString(s); got != want {
		t.Errorf("hasNumeralYear(%q) = %v, the expression says %v", s, got, want)
	}
	if got, want := isCrumb(s), crumbLead.MatchString(s) || len(crumbSep.FindAllStringIndex(s, 3)) >= 2; got != want {
		t.Errorf("isCrumb(%q) = %v, the expressions say %v", s, got, want)
	}
	if got, want := countOrgan(s), len(narrOrgan.FindAllStringIndex(s, -1)); got != want {
		t.Errorf("countOrgan(%q) = %d, the expression finds %d", s, got, want)
	}
	if got, want := countRegional(s), len(narrRegional.FindAllStringIndex(s, -1)); got != want {
		t.Errorf("countRegional(%q) = %d, the expression finds %d", s, got, want)
	}
	if got, want := countLevel(s), len(narrLevel.FindAllStringIndex(s, -1)); got != want {
		t.Errorf("countLevel(%q) = %d, the expression finds %d", s, got, want)
	}
	if got, want := periodYear(s), periodYearFrom(s, 0); got != want {
		t.Errorf("periodYear(%q) = %d, the expression tried at every byte says %d", s, got, want)
	}
}

// FuzzHandMatchers holds the hand-written matchers against their expressions on any text.
func FuzzHandMatchers(f *testing.F) {
	for _, s := range []string{"相关链接", "二〇二三年", "首页>政务公开>年报", "统计期限自2024年1月1日起至2024年12月31日止", "本机关全市各部门市本级"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkHandMatchers(t, s) })
}
