package transform

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govreports/govreports/extract"
)

func articleLine(text string) line {
	return newLine([]extract.Cell{{Text: text, Pos: extract.Pos{Line: 10, Col: 1}}}, true, 0)
}

// TestCutArticle: an article on one line is cut into title, headings, narrative and each table's
// text; row labels that look like headings (三、本年度办理结果, 四、结转下年度继续办理) are not headings.
func TestCutArticle(t *testing.T) {
	narrative := strings.Repeat("本机关坚持以公开为常态、不公开为例外，全年共受理政府信息公开申请21件。", 4)
	t2 := "第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章007"
	t3 := "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人一、本年新收政府信息公开申请数量200 000121三、本年度办理结果（一）予以公开6000017四、结转下年度继续办理 0 0 00 00 0"
	t4 := "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计000000000000000"
	type want struct {
		para bool
		text string // the piece's text, or its start followed by "…"
	}
	tests := []struct {
		name string
		line string
		want []want
	}{
		{
			"sections and tables",
			"平潭综合实验区2020年政府信息公开工作年度报告 " + narrative + "一、总体情况" + narrative + "二、主动公开政府信息情况 " + t2 +
				"三、收到和处理政府信息公开申请情况" + t3 + " 四、政府信息公开行政复议、行政诉讼情况" + t4 +
				" 五、存在的主要问题及改进情况（一）存在的主要问题:无。六、其他需要报告的事项 无 微信 微博",
			[]want{
				{true, "平潭综合实验区2020年政府信息公开工作年度报告"}, {true, "本机关…"}, {true, "一、总体情况"}, {true, "本机关…"},
				{true, "二、主动公开政府信息情况"}, {false, t2},
				{true, "三、收到和处理政府信息公开申请情况"}, {false, t3},
				{true, "四、政府信息公开行政复议、行政诉讼情况"}, {false, t4},
				{true, "五、存在的主要问题及改进情况"}, {true, "（一）存在的主要问题:无。"},
				{true, "六、其他需要报告的事项"}, {true, "无 微信 微博"},
			},
		},
		{
			"breadcrumb, ordinals that skip, chrome after a table",
			"当前位置：首页 > 政务公开 > XX县2024年度政府信息公开工作年度报告 " + narrative + "二、主动公开政府信息情况" + t2 +
				"三、收到和处理政府信息公开申请情况" + t3 + "五、政府信息公开行政复议、行政诉讼情况" + t4 + " 附件下载：【打印本页】",
			[]want{
				{true, "当前位置：首页 > 政务公开 >"}, {true, "XX县2024年度政府信息公开工作年度报告"}, {true, "本机关…"},
				{true, "二、主动公开政府信息情况"}, {false, t2},
				{true, "三、收到和处理政府信息公开申请情况"}, {false, t3},
				{true, "五、政府信息公开行政复议、行政诉讼情况"}, {false, t4}, {true, "附件下载：【打印本页】"},
			},
		},
		{
			"a sentence quoting 第二十条 before the table",
			"二、主动公开政府信息情况 按照《条例》第二十条规定，全年主动公开信息2602条。" + t2 + "三、收到和处理政府信息公开申请情况" + t3 + narrative,
			[]want{
				{true, "二、主动公开政府信息情况"}, {true, "按照《条例》第二十条规定，全年主动公开信息2602条。"}, {false, t2},
				{true, "三、收到和处理政府信息公开申请情况"}, {false, t3 + "本机关坚持以公开为常态、不公开为例外，全年共受理政府信息公开申请21件"}, {true, "。本机关…"},
			},
		},
		{
			"no headings: the tables' own header words",
			narrative + t2 + t3 + t4 + "。" + narrative,
			[]want{{true, "本机关…"}, {false, t2}, {false, t3}, {false, t4}, {true, "。本机关…"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln := articleLine(tt.line)
			if !isArticleLine(&ln) {
				t.Fatal("not taken for an article line")
			}
			got := cutArticle(&ln)
			var texts []string
			for _, g := range got {
				texts = append(texts, g.cells[0].Text)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("%d pieces, want %d:\n%s", len(got), len(tt.want), strings.Join(texts, "\n"))
			}
			col := 1
			for i, w := range tt.want {
				g := got[i]
				text := g.cells[0].Text
				ok := text == w.text || strings.HasSuffix(w.text, "…") && strings.HasPrefix(text, strings.TrimSuffix(w.text, "…"))
				if !ok || g.para != w.para || g.oneline == w.para {
					t.Errorf("piece %d = %q (para %v), want %q (para %v)", i, text, g.para, w.text, w.para)
				}
				// Positions advance along the line and point at the piece's first character.
				pos := g.cells[0].Pos
				if pos.Line != 10 || pos.Col < col {
					t.Errorf("piece %d at %v, after column %d", i, pos, col)
				}
				if r, _ := utf8.DecodeRuneInString(text); []rune(tt.line)[pos.Col-1] != r {
					t.Errorf("piece %d at %v does not start there", i, pos)
				}
				col = pos.Col
			}
		})
	}
}

// TestHeadingGluedToText: a heading glued to its first sentence becomes a line of its own.
func TestHeadingGluedToText(t *testing.T) {
	ln := articleLine("一、总体情况2020年，我区以习近平新时代中国特色社会主义思想为指导，深入贯彻中央、省里关于全面推进政务公开工作相关精神")
	got := splitArticles([]line{ln})
	if len(got) != 2 || got[0].cells[0].Text != "一、总体情况" || !strings.HasPrefix(got[1].cells[0].Text, "2020年") {
		t.Fatalf("got %d lines: %+v", len(got), got)
	}
	// A short line, or a long sentence that merely mentions a section, stays whole.
	quoting := strings.Repeat("根据《条例》第二十条第（一）项规定主动公开规章3件，全年发生行政复议1件，维持原决定；", 5)
	for _, s := range []string{"一、总体情况", "本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六个部分。", quoting} {
		if got := splitArticles([]line{articleLine(s)}); len(got) != 1 {
			t.Errorf("%q cut into %d lines", s, len(got))
		}
	}
}

// TestInlineHeadings: a title ends at 情况/事项, holds no digit, and names a section.
func TestInlineHeadings(t *testing.T) {
	for _, tt := range []struct {
		s    string
		secs []int
	}{
		{"四、结转下年度继续办理 0 0 00 00 0 四、政府信息公开行政复议、行政诉讼情况行政复议", []int{4}},
		{"三、本年度办理结果（一）予以公开6000017", nil},
		{"四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", []int{4}},
		{"一、总体情况二、主动公开政府信息情况三、收到和处理政府信息公开申请情况", []int{1, 2, 3}},
		{"五、存在的主要问题及改进情况（一）", []int{5}},
		{"十二、总体情况", []int{1}},
		{"（二）主动公开政府信息情况", nil},
	} {
		var secs []int
		for _, h := range inlineHeadings([]rune(tt.s)) {
			secs = append(secs, h.sec)
		}
		if !slices.Equal(secs, tt.secs) {
			t.Errorf("%q: sections %v, want %v", tt.s, secs, tt.secs)
		}
	}
}

// FuzzSplitArticles: no panic; every line it makes is a piece of the input with the position of
// its first character.
func FuzzSplitArticles(f *testing.F) {
	f.Add("平潭综合实验区2020年政府信息公开工作年度报告 一、总体情况二、主动公开政府信息情况第二十条第（一）项信息内容规章007三、收到和处理政府信息公开申请情况（本列数据）申请人情况一、本年新收0000000四、政府信息公开行政复议、行政诉讼情况行政复议结果维持000000000000000五、存在的主要问题及改进情况")
	f.Add("一、总体情况2020年，我区以习近平新时代中国特色社会主义思想为指导，深入贯彻中央、省里关于全面推进政务公开工作")
	f.Add(strings.Repeat("第二十条第本列数据行政复议结果维持。", 20))
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		rs := []rune(s)
		got := splitArticles([]line{articleLine(s)})
		if len(got) == 1 && got[0].cells[0].Text == s {
			return // not cut
		}
		for _, ln := range got {
			c := ln.cells[0]
			if c.Pos.Col < 1 || c.Pos.Col > len(rs) {
				t.Fatalf("piece %q at %v outside the line", c.Text, c.Pos)
			}
			if !strings.HasPrefix(string(rs[c.Pos.Col-1:]), c.Text) {
				t.Fatalf("piece %q is not the text at %v", c.Text, c.Pos)
			}
		}
	})
}

// TestIdentifyCrawlMetadata: a crawl's field labels before the title are not part of the body,
// and its other fields (a local path that quotes the title) are not the title.
func TestIdentifyCrawlMetadata(t *testing.T) {
	for _, tt := range []struct {
		lines []string
		body  string
		year  int
	}{
		{[]string{"标题: 平潭综合实验区2020年度政府信息公开工作年度报告"}, "平潭综合实验区", 2020},
		{[]string{"本地目录: zwgk/202103/80595_平潭综合实验区2020年度政府信息公开工作年度报告", "平潭综合实验区2020年政府信息公开工作年度报告"}, "平潭综合实验区", 2020},
		{[]string{"文章标题：XX县2024年政府信息公开工作年度报告"}, "XX县", 2024},
	} {
		var ls []line
		for _, s := range tt.lines {
			ls = append(ls, articleLine(s))
		}
		if id := identify(ls); id.body != tt.body || id.titleYear != tt.year {
			t.Errorf("%q: body %q year %d, want %q %d", tt.lines, id.body, id.titleYear, tt.body, tt.year)
		}
	}
}
