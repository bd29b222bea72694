package transform

import (
	"regexp"
	"strconv"
	"strings"
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
}

// identify reads body and year from the title line(s) and the statistical period sentence.
func identify(lines []line) identity {
	var id identity
	for i := range lines {
		ln := &lines[i]
		if !titleWords.in(ln.norm) {
			continue
		}
		if ln.runes > 80 {
			continue // a sentence that mentions reports, not a title
		}
		t := titleText(ln)
		// A title split over two lines ("2025年上海市黄浦区人民政府打浦桥街道" / "政府信息公开工作年度报告").
		if strings.HasPrefix(strings.TrimLeft(t, "#*"), "政府信息公开") && i > 0 && lines[i-1].runes > 0 && lines[i-1].runes <= 40 {
			t = lines[i-1].norm + t
		}
		t = strings.TrimLeft(t, "#*")
		if !metaLabel.MatchString(t) && metaField.MatchString(t) {
			continue // a crawl's other metadata that quotes the title in a path
		}
		t = metaLabel.ReplaceAllString(t, "")
		t = versionMark.ReplaceAllString(t, "")
		id.title = t
		if len(ln.cells) > 0 {
			id.titlePos = ln.cells[0].Pos.String()
		}
		// Each expression runs once: its submatches, or nil when it does not match.
		if m := titleYearFirst.FindStringSubmatch(t); m != nil {
			id.titleYear, _ = strconv.Atoi(m[1])
			id.body = m[2]
		} else if m := titleBodyFirst.FindStringSubmatch(t); m != nil {
			id.body = m[1]
			id.titleYear, _ = strconv.Atoi(m[2])
		} else {
			if m := titleNoYear.FindStringSubmatch(t); m != nil {
				id.body = m[1]
				if m[2] != "" {
					id.titleYear, _ = strconv.Atoi(m[2])
				}
			}
		}
		id.body = cleanBody(id.body)
		break
	}
	for i := range lines {
		if !strings.Contains(lines[i].norm, "12月31日") {
			continue
		}
		if m := findNearWord(periodRE, lines[i].norm, "12月31日", periodLead); m != nil {
			id.periodYear, _ = strconv.Atoi(m[1])
			break
		}
	}
	return id
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

// cleanBody strips what titles wrap around a body's name.
func cleanBody(s string) string {
	s = strings.Trim(s, "《》<>:：,，.。 ")
	s = strings.TrimSuffix(s, "的")
	s = strings.TrimPrefix(s, "关于")
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
