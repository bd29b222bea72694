package transform

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Scope (report-format.md §5.4 H.SCOPE): whether a report is one organ's own (本机关), the summary of
// a government's own level (本级), or a region's summary (全市/全区/全县). The batch stage decides from
// it which reports a summary already contains, so that nothing is counted twice.

var (
	// 本级 in a title: 市本级, 县本级, 本级政府
	titleLevel = regexp.MustCompile(`(?:省|市|区|县|旗|州|盟)?本级`)
	// a region's summary named in a title: 全市, 全区, 全县, 汇总
	titleRegional = regexp.MustCompile(`全(?:省|市|区|县|旗|州|盟|域)|汇总`)
)

// What the narrative says about its own reach, counted by hand rather than by expressions tried at
// every byte of every narrative line: 本机关/本单位/本局… (organ), 全市各部门/全县政府系统… (regional)
// and 市本级/县本级 (level).
var (
	organWords       = []string{"机关", "单位", "局", "委", "办", "部门", "中心"}
	regionWords      = []string{"省", "市", "区", "县", "旗", "州", "盟"}
	regionalWords    = []string{"各级", "各部门", "各乡镇", "各县", "各区", "政府系统", "共"}
	levelRegionWords = []string{"省", "市", "区", "县", "旗"}
)

// countOrgan counts 本 followed by one of organWords.
func countOrgan(s string) int {
	n := 0
	for {
		i := strings.Index(s, "本")
		if i < 0 {
			return n
		}
		s = s[i+len("本"):]
		if w := prefixOf(s, organWords); w != "" {
			n++
			s = s[len(w):]
		}
	}
}

// countRegional counts 全, a region word, then one of regionalWords.
func countRegional(s string) int {
	n := 0
	for {
		i := strings.Index(s, "全")
		if i < 0 {
			return n
		}
		s = s[i+len("全"):]
		if r := prefixOf(s, regionWords); r != "" {
			if w := prefixOf(s[len(r):], regionalWords); w != "" {
				n++
				s = s[len(r)+len(w):]
			}
		}
	}
}

// countLevel counts 本级 after one of levelRegionWords.
func countLevel(s string) int {
	n := 0
	for rest := s; ; {
		i := strings.Index(rest, "本级")
		if i < 0 {
			return n
		}
		if prefixOf(lastRuneOf(rest[:i]), levelRegionWords) != "" {
			n++
		}
		rest = rest[i+len("本级"):]
	}
}

// prefixOf is the first of words that s starts with, or "".
func prefixOf(s string, words []string) string {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return w
		}
	}
	return ""
}

func lastRuneOf(s string) string {
	_, w := utf8.DecodeLastRuneInString(s)
	return s[len(s)-w:]
}

// zoneReach counts how s says a zone's report covers the whole zone (辖区内各部门, 本区各街道,
// 全区各单位), leaving out what narrRegional counts already (全区各部门, 全区各乡镇). Written out
// rather than as an expression: a zone's every narrative line with 区 goes through it.
func zoneReach(s string) int {
	n := 0
	for i := 0; ; {
		j := strings.Index(s[i:], "区")
		if j < 0 {
			return n
		}
		at := i + j
		i = at + len("区")
		lead := ""
		for _, w := range []string{"辖区", "本区", "全区"} {
			if strings.HasSuffix(s[:i], w) {
				lead = w
				break
			}
		}
		rest := s[i:]
		if lead == "" {
			if !strings.HasPrefix(rest, "内") {
				continue
			}
			lead = "区内"
		}
		rest = strings.TrimPrefix(rest, "内")
		if r, ok := strings.CutPrefix(rest, "各"); ok {
			rest = r
		} else if r, ok := strings.CutPrefix(rest, "所有"); ok {
			rest = r
		} else {
			continue
		}
		for _, w := range []string{"部门", "单位", "街道", "乡镇", "社区", "机关"} {
			if strings.HasPrefix(rest, w) {
				if lead != "全区" || (w != "部门" && w != "乡镇") || !strings.HasPrefix(s[i:], "各") {
					n++
				}
				break
			}
		}
	}
}

// detectScope sets Scope and ScopeBy. The evidence, surest first: the alias file (aliasScope), a
// mark in the title (本级; 全市 or 汇总), then the kind of body — a government's report summarises
// its region, any other organ's is its own — checked against what the narrative says about its
// reach. A narrative that contradicts the body is reported as H.SCOPE, and the body's reading kept.
func (r *Report) detectScope(lines []line, hs []heading, aliasScope string) {
	if aliasScope != "" {
		r.Scope, r.ScopeBy = aliasScope, "alias"
		return
	}
	if m := titleLevel.FindString(r.Title); m != "" {
		r.Scope, r.ScopeBy = ScopeLevel, "title:"+m
		return
	}
	if m := titleRegional.FindString(r.Title); m != "" {
		r.Scope, r.ScopeBy = ScopeRegional, "title:"+m
		return
	}
	p := PlaceOf(r)
	zoneAdmin := p.Kind == KindZone && p.Organ == ""
	organ, regional, level, zone, place := narrativeReach(lines, hs, zoneAdmin)
	switch {
	case r.Body == "":
		// Nothing names the body: only the narrative can tell, and only when it speaks one way.
		switch {
		case regional > 0 && organ == 0:
			r.Scope, r.ScopeBy = ScopeRegional, "narrative"
		case organ > 0 && regional == 0 && level == 0:
			r.Scope, r.ScopeBy = ScopeOrgan, "narrative"
		}
	case p.Kind == KindGovernment:
		r.Scope, r.ScopeBy = ScopeRegional, "body"
		if organ > 0 && regional == 0 && level == 0 {
			r.add(Finding{Rule: RuleHScope, Severity: SevWarning, Status: "uncertain", Place: place,
				Message: fmt.Sprintf("%s的报告按区域汇总计（下级单位的报告视为已包含在内），但正文只提及本机关（%d处）；"+
					"如只是本机关的报告，请在别名表的scope列注明organ", r.Body, organ)})
		}
	case zoneAdmin && regional+zone > 0:
		// A zone's administration reports its own work unless its text speaks for the whole zone;
		// then it is the zone's summary, as a government's is its region's. Speaking both ways
		// (本机关 is also how a summary names its compiler) keeps the summary, with a note.
		r.Scope, r.ScopeBy = ScopeRegional, "narrative"
		if organ > 0 {
			r.add(Finding{Rule: RuleHScope, Severity: SevInfo, Status: "uncertain", Place: place,
				Message: fmt.Sprintf("%s的正文既以全区口径表述（%d处）又提及本机关（%d处），按区域汇总计（下级单位的报告视为已包含在内）；"+
					"如只是本机关的报告，请在别名表的scope列注明organ", r.Body, regional+zone, organ)})
		}
	default:
		// A department's, an office's, a township's or a zone's administration's own work.
		r.Scope, r.ScopeBy = ScopeOrgan, "body"
		if regional > 0 && organ == 0 {
			r.add(Finding{Rule: RuleHScope, Severity: SevInfo, Status: "uncertain", Place: place,
				Message: fmt.Sprintf("%s的报告按本机关计，但正文以全区域口径表述（%d处）；如为区域汇总，请在别名表的scope列注明regional",
					r.Body, regional)})
		}
	}
}

// narrativeReach counts what the narrative of section 一 (or, without headings, the paragraphs
// before the first table) says about its reach, and where it first says it.
// zone, counted only for a zone's administration (zoneAdmin), is what it says about the whole zone
// in words other than a district's.
func narrativeReach(lines []line, hs []heading, zoneAdmin bool) (organ, regional, level, zone int, place string) {
	start, end := 0, len(lines)
	for _, h := range hs {
		if h.sec == 1 && start == 0 {
			start = h.line
		} else if h.sec >= 2 && h.line > start {
			end = h.line
			break
		}
	}
	for i := start; i < end; i++ {
		ln := &lines[i]
		if !ln.para {
			if len(hs) == 0 {
				break // the first table: the narrative is over
			}
			continue
		}
		o, g, l := countOrgan(ln.norm), countRegional(ln.norm), countLevel(ln.norm)
		// 全区各部门 is counted above, as for a district: only the zone's other words here.
		if zoneAdmin {
			if z := zoneReach(ln.norm); z > 0 {
				zone += z
				if place == "" {
					place = lineplace(lines, i)
				}
			}
		}
		if place == "" && o+g+l > 0 {
			place = lineplace(lines, i)
		}
		organ, regional, level = organ+o, regional+g, level+l
	}
	return organ, regional, level, zone, place
}

var (
	// a revision mark: 修订版, 更正版, 第二次修订, 修改稿
	revisionMark = regexp.MustCompile(`修订|更正|修正|修改|更新|补正|重新发布`)
)

// versionOf returns the version mark printed with the title ("(修订版)", "(超链版)", as normalised),
// or a revision mark in the file's name when the title has none.
func versionOf(lines []line, path string) string {
	for i := range lines {
		ln := &lines[i]
		if ln.runes > 80 || !strings.Contains(ln.norm, "年度报告") {
			continue
		}
		if m := versionMark.FindString(ln.norm); m != "" {
			return strings.Clone(strings.Trim(m, "()")) // not a slice of the document's text
		}
		break
	}
	base := path[strings.LastIndexAny(path, `/\`)+1:]
	if m := revisionMark.FindString(base); m != "" {
		return m
	}
	return ""
}

// revisionRank orders the versions of one report: a revision (修订, 更正, …) supersedes the
// original; other marks (超链版, 图片版) are the same report in another dress.
func revisionRank(version string) uint8 {
	if revisionMark.MatchString(version) {
		return 1
	}
	return 0
}
