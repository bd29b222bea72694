package transform

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

const reportWords = "政府信息公开工作年度报告"

// titleWords are what a title line holds.
var titleWords = newWordSet(reportWords, "政府信息公开年度报告")

var (
	// <year>年<body>政府信息公开工作年度报告
	titleYearFirst = regexp.MustCompile(`^(?:关于)?((?:19|20)\d\d)年度?(.*?)政府信息公开(?:工作)?年度?报告`)
	// <body><year>年(度)政府信息公开工作年度报告
	titleBodyFirst = regexp.MustCompile(`^(?:关于)?(.*?)((?:19|20)\d\d)年度?(?:的)?政府信息公开(?:工作)?年度?报告`)
	// <body>政府信息公开工作年度报告(<year>年)
	titleNoYear = regexp.MustCompile(`^(?:关于)?(.*?)政府信息公开(?:工作)?年度?报告(?:\(((?:19|20)\d\d)年?度?\))?`)
	// 统计期限从2024年1月1日至12月31日止 / 自2024年1月1日起至2024年12月31日止
	periodRE = regexp.MustCompile(`((?:19|20)\d\d)年1月1日(?:起)?(?:至|到|-|—|~)((?:19|20)\d\d年)?12月31日`)
	// the field label a crawl or a CMS puts before the title: "标题: …", "文章标题：…"
	metaLabel = regexp.MustCompile(`^(?:文章标题|信息标题|标题|题目|信息名称)[:：]`)
	// any other field of crawl metadata: "本地目录: …/80595_平潭…年度报告", "原文链接: …"
	metaField = regexp.MustCompile(`^\p{Han}{2,6}[:：]`)
	// version marks printed after a title: （超链版）（图片版）（正式版）
	versionMark = regexp.MustCompile(`\([^()]{0,6}版\)`)
	// a city-level prefix of a body name
	// (a district or county name is not part of it: 北塘区市场监督管理局 has no city prefix)
	cityPrefix = regexp.MustCompile(`^(?:[^省市区县]{2,7}省|[^区]{2,10}自治区)?([^市省区县镇乡]{2,7}市|[^州区县]{2,9}自治州|[^州区县]{2,3}州|[^盟区县]{2,5}盟|[^区县]{2,5}地区)`)
)

// periodLead bounds what periodRE matches before its 12月31日, in bytes: a year (4), 年 (3),
// 1月1日 (8), 起 (3), 至 (3) and a second year with its 年 (7), 28 in all.
const periodLead = 32

// identity is what the title and the statistical-period sentence say about a report.
type identity struct {
	title      string
	titlePos   string
	body       string
	titleYear  int
	periodYear int
	// doubt names the other title-like lines when several compete and none is clearly the
	// report's own (no section heading to anchor the choice): the caller reports it.
	doubt []string
}

// titleCand is a line that reads as a title, with what it says.
type titleCand struct {
	line  int
	id    identity
	crumb bool // the last step of a breadcrumb: a title only when nothing else is
	link  bool // listed under a "相关链接" header: a link to another report
	prose bool // holds sentence punctuation: a title only when nothing else is
}

var (
	// a site's navigation path: "首页 > 政务公开 > …", "当前位置：…"
	crumbLead = regexp.MustCompile(`^(?:您?当前(?:的)?位置|您的位置|你的位置|所在位置|位置)[:：]|^(?:网站)?首页(?:>|＞|»|›|→|/)`)
	crumbSep  = regexp.MustCompile(`>|＞|»|›|→`)
	// a clause that names a period to compare with, not the report's own: 与上一统计周期（…）相比
	comparePeriod = regexp.MustCompile(`上一|上年|去年|前一|上个|上期|同比|相比|相较|比较|对比`)
)

// isCrumb reports a breadcrumb line: never a title, and no part of a body's name.
func isCrumb(t string) bool {
	if strings.ContainsAny(t, ">＞»›→") && len(crumbSep.FindAllStringIndex(t, 3)) >= 2 {
		return true
	}
	// crumbLead is anchored: only a line starting with one of its first characters is tried.
	switch r, _ := utf8.DecodeRuneInString(t); r {
	case '您', '当', '你', '所', '位', '网', '首':
		return crumbLead.MatchString(t)
	}
	return false
}

// identify reads body and year from the title line(s) and the statistical period sentence.
// Of several title-like lines, the report's own is the one that heads the article: the nearest
// before its first section heading, links to other reports (相关链接 …) and breadcrumbs aside.
func identify(lines []line) identity {
	var cands []titleCand
	anchor := -1 // the first section heading (一、总体情况)
	inLinks := false
	for i := range lines {
		ln := &lines[i]
		if ln.runes == 0 {
			continue
		}
		if anchor < 0 && ln.runes <= 30 && (leadingOrdinal(ln.norm) == "一" || strings.Contains(ln.norm, "总体情况")) {
			anchor = i
		}
		if ln.runes <= 12 && isLinkHeader(strings.TrimLeft(ln.norm, "#*")) {
			inLinks = true
			continue
		}
		c, ok := titleAt(lines, i)
		if !ok {
			inLinks = false // a list of links ends at the first line that is not one
			continue
		}
		c.link = inLinks
		cands = append(cands, c)
	}
	id := chooseTitle(cands, anchor)
	for i := range lines {
		s := lines[i].norm
		if hasNumeralDate(s) {
			s = arabicDates(s)
		}
		if y := periodYear(s); y != 0 {
			id.periodYear = y
			break
		}
	}
	return id
}

// titleAt reads line i as a title, when it is one.
func titleAt(lines []line, i int) (titleCand, bool) {
	ln := &lines[i]
	// Both title words end in 年度报告: one vector search rules out most lines.
	if ln.runes > 80 || !strings.Contains(ln.norm, "年度报告") || !titleWords.in(ln.norm) {
		return titleCand{}, false // no title, or a sentence that mentions reports
	}
	t := titleText(ln)
	// A title split over two lines ("2025年上海市黄浦区人民政府打浦桥街道" / "政府信息公开工作年度报告",
	// or "淮安市洪泽区人民政府" / "2024年政府信息公开工作年度报告").
	if splitTitleTail(strings.TrimLeft(t, "#*")) && i > 0 && lines[i-1].runes > 0 && lines[i-1].runes <= 40 && !isCrumb(lines[i-1].norm) &&
		!titleWords.in(lines[i-1].norm) && !strings.ContainsAny(lines[i-1].norm, "。，,；") {
		t = strings.TrimLeft(lines[i-1].norm, "#*") + strings.TrimLeft(t, "#*")
	}
	t = strings.TrimLeft(t, "#*")
	c := titleCand{line: i}
	if isCrumb(t) {
		// Only its last step may be the report's title.
		steps := crumbSep.Split(t, -1)
		t = steps[len(steps)-1]
		if !titleWords.in(t) {
			return titleCand{}, false
		}
		c.crumb = true
	}
	if !metaLabel.MatchString(t) && metaField.MatchString(t) {
		return titleCand{}, false // a crawl's other metadata that quotes the title in a path
	}
	t = metaLabel.ReplaceAllString(t, "")
	t = versionMark.ReplaceAllString(t, "")
	c.prose = strings.ContainsAny(t, "。，,；")
	c.id.title = t
	if len(ln.cells) > 0 {
		c.id.titlePos = ln.cells[0].Pos.String()
	}
	// A year in Chinese numerals (二〇二三年) reads as an Arabic one; the title keeps its text.
	if hasNumeralYear(t) {
		t = arabicDates(t)
	}
	// Each expression runs once: its submatches, or nil when it does not match.
	if m := titleYearFirst.FindStringSubmatch(t); m != nil {
		c.id.titleYear, _ = strconv.Atoi(m[1])
		c.id.body = m[2]
	} else if m := titleBodyFirst.FindStringSubmatch(t); m != nil {
		c.id.body = m[1]
		c.id.titleYear, _ = strconv.Atoi(m[2])
	} else if m := titleNoYear.FindStringSubmatch(t); m != nil {
		c.id.body = m[1]
		if m[2] != "" {
			c.id.titleYear, _ = strconv.Atoi(m[2])
		}
	}
	c.id.body = cleanBody(c.id.body)
	return c, true
}

// splitTitleTail reports a line that is the second half of a title split over two lines: it starts
// with the report's words, or with its year (2024年, 2024年度) and then the report's words.
func splitTitleTail(t string) bool {
	if len(t) > 4 && (t[:2] == "19" || t[:2] == "20") && t[2] >= '0' && t[2] <= '9' && t[3] >= '0' && t[3] <= '9' {
		rest, ok := strings.CutPrefix(t[4:], "年")
		if !ok {
			return false
		}
		rest = strings.TrimPrefix(rest, "度")
		t = strings.TrimPrefix(rest, "的")
	}
	return strings.HasPrefix(t, "政府信息公开")
}

// signatureLines bounds the lines at the end of a report searched for its signature.
const signatureLines = 6

var (
	// the organ words that end a body's name in a signature
	signOrgans = []string{"政府", "办公室", "办公厅", "局", "委员会", "管委会", "办事处", "委", "办", "中心", "厅", "署", "院"}
)

// signature returns the body's name as the report's signature (落款) prints it: a short line among
// the last ones that ends with an organ word, alone or followed by the date. Reports put the
// issuing body there even when their title names it only in part (市教育局) or not at all.
func signature(lines []line) (name string, at int) {
	seen := 0
	for i := len(lines) - 1; i >= 0 && seen < signatureLines; i-- {
		ln := &lines[i]
		if ln.runes == 0 {
			continue
		}
		seen++
		if !ln.para || ln.runes > 40 {
			continue
		}
		t := cutDate(ln.norm)
		if t == "" || utf8.RuneCountInString(t) < 3 || strings.ContainsAny(t, "。，,；;：:、（）()") || !hasAnySuffix(t, signOrgans) {
			continue
		}
		return t, i
	}
	return "", -1
}

func hasAnySuffix(s string, sufs []string) bool {
	for _, x := range sufs {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// cutDate cuts a date that ends s (2025年1月20日, 2025年1月) from it; s itself without one.
// Written out rather than as an expression: it runs on every report's last lines.
func cutDate(s string) string {
	t := s
	digitsBefore := func(suffix string, lo, hi int) bool {
		u, ok := strings.CutSuffix(t, suffix)
		if !ok {
			return false
		}
		n := 0
		for n < len(u) && n < hi && u[len(u)-1-n] >= '0' && u[len(u)-1-n] <= '9' {
			n++
		}
		if n < lo {
			return false
		}
		t = u[:len(u)-n]
		return true
	}
	if strings.HasSuffix(t, "日") && !digitsBefore("日", 1, 2) {
		return s
	}
	if !digitsBefore("月", 1, 2) || !digitsBefore("年", 4, 4) {
		return s
	}
	return t
}

// chooseTitle picks the report's own title among the candidates: plain titles before the last
// step of a breadcrumb or a prose line, lines outside a list of links before those in one; of
// these the nearest before the first section heading, else the first. When other candidates
// say another body or year and no heading anchors the choice, the choice is in doubt.
func chooseTitle(cands []titleCand, anchor int) identity {
	pool := cands
	for _, keep := range []func(c titleCand) bool{
		func(c titleCand) bool { return !c.crumb },
		func(c titleCand) bool { return !c.prose },
		func(c titleCand) bool { return !c.link },
	} {
		var kept []titleCand
		for _, c := range pool {
			if keep(c) {
				kept = append(kept, c)
			}
		}
		if len(kept) > 0 {
			pool = kept
		}
	}
	if len(pool) == 0 {
		return identity{}
	}
	pick, anchored := 0, false
	if anchor >= 0 {
		for k, c := range pool {
			if c.line < anchor {
				pick, anchored = k, true
			}
		}
	}
	id := pool[pick].id
	if anchored {
		return id
	}
	// Candidates after the heading are the report's text or a page's links, not rivals, when
	// one precedes it; without an anchor every candidate competes.
	for k, c := range pool {
		if k != pick && (c.id.body != id.body || c.id.titleYear != id.titleYear) && !slices.Contains(id.doubt, c.id.title) {
			id.doubt = append(id.doubt, c.id.title)
		}
	}
	return id
}

// periodYear is the year of the report's statistical period in s (统计期限自2024年1月1日起至
// 2024年12月31日止), 0 when s states none. A period introduced as the one compared with
// (与上一统计周期（2022年1月1日至2022年12月31日）相比) is not the report's.
func periodYear(s string) int {
	if !strings.Contains(s, "12月31日") {
		return 0
	}
	// A period starts four bytes before its first 年1月1日: the expression is run from there, not
	// tried at every byte of a long paragraph.
	off := strings.Index(s, "年1月1日")
	if off < 0 {
		return 0
	}
	return periodYearFrom(s, max(off-4, 0))
}

// periodYearFrom is periodYear with the expression tried from byte off of s on.
func periodYearFrom(s string, off int) int {
	for _, m := range periodRE.FindAllStringSubmatchIndex(s[off:], -1) {
		for k := range m {
			if m[k] >= 0 {
				m[k] += off
			}
		}
		from := max(strings.LastIndexAny(s[:m[0]], "。；，,"), 0)
		to := len(s)
		if j := strings.IndexAny(s[m[1]:], "。；，,"); j >= 0 {
			to = m[1] + j
		}
		if comparePeriod.MatchString(s[from:m[0]]) || comparePeriod.MatchString(s[m[1]:to]) {
			continue
		}
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		return y
	}
	return 0
}

// numeralYear is a year written in Chinese numerals digit by digit: 二〇二三年, 二零二三年度.
var (
	numeralYear = regexp.MustCompile(`[〇零○Ｏ一二三四五六七八九]{4}年`)
	numeralDay  = regexp.MustCompile(`[一二三四五六七八九十]{1,3}[月日]`)
)

// hasNumeralYear reports a Chinese-numeral year in s (numeralYear matches in s): four numerals
// before a 年, looked for from each 年 backwards, since most lines of a report hold a 年 and a
// backtracking expression tried at every byte cost a tenth of the identification.
func hasNumeralYear(s string) bool {
	for {
		i := strings.Index(s, "年")
		if i < 0 {
			return false
		}
		j, k := i, 0
		for ; k < 4; k++ {
			r, w := utf8.DecodeLastRuneInString(s[:j])
			if !isYearNumeral(r) {
				break
			}
			j -= w
		}
		if k == 4 {
			return true
		}
		s = s[i+len("年"):]
	}
}

func isYearNumeral(r rune) bool {
	switch r {
	case '〇', '零', '○', 'Ｏ', '一', '二', '三', '四', '五', '六', '七', '八', '九':
		return true
	}
	return false
}

// linkHeads begin the header of a list of links to other pages, which a crawl keeps above or
// beside an article: 相关链接, 往期回顾, 更多 ….
var linkHeads = [...]string{"相关", "推荐", "延伸", "往期", "历年", "其他", "更多", "热点", "最新"}

// isLinkHeader reports such a header: one of linkHeads and at most four more Han characters, or a
// line starting 上一篇/下一篇. (A hand-written match: it runs on every short line, table rows too.)
func isLinkHeader(s string) bool {
	if strings.HasPrefix(s, "上一篇") || strings.HasPrefix(s, "下一篇") {
		return true
	}
	for _, h := range linkHeads {
		if !strings.HasPrefix(s, h) {
			continue
		}
		n := 0
		for _, r := range s[len(h):] {
			if n++; n > 4 || !unicode.Is(unicode.Han, r) {
				return false
			}
		}
		return true
	}
	return false
}

// hasNumeralDate reports a Chinese-numeral date in s: a year, or 十二月三十一日.
func hasNumeralDate(s string) bool {
	return strings.Contains(s, "月") && (hasNumeralYear(s) || strings.Contains(s, "十二月三十一日"))
}

// arabicDates rewrites the Chinese numerals of dates in s as Arabic ones (二〇二三年一月一日 →
// 2023年1月1日), so that one set of expressions reads both.
func arabicDates(s string) string {
	s = numeralYear.ReplaceAllStringFunc(s, func(y string) string {
		var b strings.Builder
		for _, r := range strings.TrimSuffix(y, "年") {
			switch r {
			case '〇', '零', '○', 'Ｏ':
				b.WriteByte('0')
			default:
				b.WriteByte(byte('0' + numeralDigit[r]))
			}
		}
		return b.String() + "年"
	})
	return numeralDay.ReplaceAllStringFunc(s, func(d string) string {
		_, w := utf8.DecodeLastRuneInString(d)
		n, ok := chineseNumeral(d[:len(d)-w])
		if !ok || n < 1 || n > 31 {
			return d
		}
		return strconv.FormatInt(n, 10) + d[len(d)-w:]
	})
}

// fieldLabel is the label of a CMS metadata field that holds a page's title: 名称, 标题, 题名 ….
var fieldLabel = regexp.MustCompile(`^(?:信息名称|文件名称|文章标题|名称|标题|题名)[:：]?`)

// titleText is the normalised text of a title line. A title in a row of a page's metadata table
// (索引号 … | 名称 | <title>) is the cell that holds the report's name, without the row's field labels.
func titleText(ln *line) string {
	t := ln.norm
	if !ln.para && filled(ln) > 1 {
		for _, c := range ln.cells {
			if n := normLabel(c.Text); !c.Copy && (strings.Contains(n, reportWords) || strings.Contains(n, "政府信息公开年度报告")) {
				t = n
				break
			}
		}
	}
	return fieldLabel.ReplaceAllString(t, "")
}

// cleanBody strips what titles wrap around a body's name. A title an office issues on another
// body's behalf (…人民政府办公室关于(印发)淮安市洪泽区2024年…) names the report's body after its 关于.
func cleanBody(s string) string {
	s = strings.Trim(s, "《》<>:：,，.。 ")
	s = strings.TrimSuffix(s, "的")
	if i := strings.LastIndex(s, "关于"); i >= 0 {
		s = s[i+len("关于"):]
		for _, verb := range []string{"印发", "公布", "发布", "报送"} {
			s = strings.TrimPrefix(s, verb)
		}
		s = strings.Trim(s, "《》<>")
	}
	return s
}

// cityOf returns the city-level prefix of a body name: 平顶山市城乡一体化示范区 → 平顶山市.
func cityOf(body string) string {
	m := cityPrefix.FindStringSubmatchIndex(body)
	if m == nil {
		return ""
	}
	// "…市场" is a market (市场监督管理局), not a city, unless the city's own 市 precedes it.
	if rest := body[m[3]:]; strings.HasPrefix(rest, "场") {
		return ""
	}
	return body[m[2]:m[3]]
}
