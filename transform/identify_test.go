package transform

import (
	"strings"
	"testing"
)

// identifyText runs identify over the lines of an article, one paragraph a line.
func identifyText(text string) identity {
	var ls []line
	for s := range strings.SplitSeq(text, "\n") {
		ls = append(ls, articleLine(s))
	}
	return identify(ls)
}

// TestIdentifyTitle: the report's own title gives body and year, whatever surrounds it: a year in
// Chinese numerals, a breadcrumb, links to other reports above it, a comparison period.
func TestIdentifyTitle(t *testing.T) {
	const head = "\n一、总体情况\n"
	const period = "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。"
	for _, tt := range []struct {
		name, text string
		body       string
		titleYear  int
		periodYear int
		doubt      bool
	}{
		// 1. Chinese-numeral years, in the title and in the period sentence.
		{"numeral title", "淮安市洪泽区人民政府二〇二三年政府信息公开工作年度报告" + head + period, "淮安市洪泽区人民政府", 2023, 2023, false},
		{"numeral 零 年度", "淮安市洪泽区人民政府二零二三年度政府信息公开工作年度报告" + head, "淮安市洪泽区人民政府", 2023, 0, false},
		{"numeral year first", "二〇二四年淮安市民政局政府信息公开工作年度报告" + head, "淮安市民政局", 2024, 0, false},
		{"numeral period", "XX县政府信息公开工作年度报告" + head + "报告所列数据统计期限为二〇二三年一月一日至十二月三十一日。", "XX县", 0, 2023, false},
		// 2. A breadcrumb is never the title.
		{"breadcrumb", "首页 > 淮安市人民政府 > 政府信息公开 > 政府信息公开年度报告\n清江浦区2023年政府信息公开工作年度报告" + head, "清江浦区", 2023, 0, false},
		{"breadcrumb 当前位置", "当前位置：首页>政务公开>年度报告\n清江浦区2023年政府信息公开工作年度报告" + head, "清江浦区", 2023, 0, false},
		{"breadcrumb only", "当前位置：首页>政务公开>清江浦区2023年政府信息公开工作年度报告" + head, "清江浦区", 2023, 0, false},
		// 3. Links to other reports above the title.
		{"links above", "相关链接\n淮安市洪泽区教育局2022年政府信息公开工作年度报告\n淮安市洪泽区民政局2022年政府信息公开工作年度报告\n\n淮安市洪泽区人民政府办公室政府信息公开工作年度报告" + head, "淮安市洪泽区人民政府办公室", 0, 0, false},
		{"unlabelled links above", "淮安市洪泽区教育局2022年政府信息公开工作年度报告\n淮安市洪泽区民政局2022年政府信息公开工作年度报告\n淮安市洪泽区人民政府办公室2023年政府信息公开工作年度报告" + head + period, "淮安市洪泽区人民政府办公室", 2023, 2023, false},
		{"links below title", "淮安市洪泽区人民政府办公室2023年政府信息公开工作年度报告\n相关链接\n淮安市洪泽区教育局2022年政府信息公开工作年度报告" + head, "淮安市洪泽区人民政府办公室", 2023, 0, false},
		{"no heading: in doubt", "淮安市洪泽区教育局2022年政府信息公开工作年度报告\n淮安市洪泽区人民政府办公室2023年政府信息公开工作年度报告", "淮安市洪泽区教育局", 2022, 0, true},
		{"same title twice", "标题：XX县2024年政府信息公开工作年度报告\nXX县2024年政府信息公开工作年度报告", "XX县", 2024, 0, false},
		// 4. A period compared with is not the report's.
		{"comparison first", "XX县政府信息公开工作年度报告" + head + "与上一统计周期（2022年1月1日至2022年12月31日）相比，工作稳步推进。" + period, "XX县", 0, 2023, false},
		{"comparison only", "XX县政府信息公开工作年度报告" + head + "较上年度（2022年1月1日至12月31日）有所增长。", "XX县", 0, 0, false},
		{"plain period", "XX县政府信息公开工作年度报告" + head + "统计期限从2024年1月1日至12月31日止。", "XX县", 0, 2024, false},
		// 5. A title split over two lines, the year starting the second.
		{"split, year on line 2", "淮安市洪泽区人民政府\n2024年政府信息公开工作年度报告" + head, "淮安市洪泽区人民政府", 2024, 0, false},
		{"split, 年度 on line 2", "淮安市洪泽区人民政府\n2024年度政府信息公开工作年度报告" + head, "淮安市洪泽区人民政府", 2024, 0, false},
		// 6. An office's title for another body's report names that body after 关于.
		{"issued by the office", "淮安市洪泽区人民政府办公室关于淮安市洪泽区2024年政府信息公开工作年度报告" + head, "淮安市洪泽区", 2024, 0, false},
		{"issued by the office, 印发", "淮安市洪泽区人民政府办公室关于印发《淮安市洪泽区人民政府2024年政府信息公开工作年度报告》的通知" + head, "淮安市洪泽区人民政府", 2024, 0, false},
		{"a sentence before is no half title", "本机关认真贯彻落实《条例》。\n2024年政府信息公开工作年度报告" + head, "", 2024, 0, false},
	} {
		id := identifyText(tt.text)
		if id.body != tt.body || id.titleYear != tt.titleYear || id.periodYear != tt.periodYear || (len(id.doubt) > 0) != tt.doubt {
			t.Errorf("%s: body %q year %d period %d doubt %q, want %q %d %d doubt %v",
				tt.name, id.body, id.titleYear, id.periodYear, id.doubt, tt.body, tt.titleYear, tt.periodYear, tt.doubt)
		}
	}
}

// TestArabicDates: Chinese-numeral dates read as Arabic ones; other numerals stay.
func TestArabicDates(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"二〇二三年一月一日至十二月三十一日", "2023年1月1日至12月31日"},
		{"二零二四年度", "2024年度"},
		{"三、年度报告", "三、年度报告"},
		{"第二十条", "第二十条"},
	} {
		if got := arabicDates(tt.in); got != tt.want {
			t.Errorf("arabicDates(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestSignature: the body's name in the signature at the end of a report, with or without its
// date; sentences, headings and dates alone are no signature.
func TestSignature(t *testing.T) {
	const body = "一、总体情况\n本机关认真贯彻落实《条例》。\n六、其他需要报告的事项\n本机关未收取信息处理费。"
	for _, tt := range []struct{ text, want string }{
		{body + "\n淮安市教育局\n2025年1月20日", "淮安市教育局"},
		{body + "\n淮安市洪泽区民政局    2025年1月15日", "淮安市洪泽区民政局"},
		{body + "\n淮安市洪泽区人民政府办公室\n2025年1月", "淮安市洪泽区人民政府办公室"},
		{body + "\n2025年1月20日", ""},
		{body, ""},
		{body + "\n联系电话：0517-12345678", ""},
	} {
		var ls []line
		for s := range strings.SplitSeq(tt.text, "\n") {
			ls = append(ls, articleLine(s))
		}
		if got, _ := signature(ls); got != tt.want {
			t.Errorf("signature of …%q = %q, want %q", tt.text[len(body):], got, tt.want)
		}
	}
	for in, want := range map[string]string{"淮安市教育局2025年1月20日": "淮安市教育局", "淮安市教育局2025年1月": "淮安市教育局", "2025年1月20日": "", "淮安市教育局": "淮安市教育局", "第5月": "第5月"} {
		if got := cutDate(in); got != want {
			t.Errorf("cutDate(%q) = %q, want %q", in, got, want)
		}
	}
}
