package transform

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Reports often print another period's table beside their own: last year's Table 3 under a
// caption such as "上年度（2022年）情况", or "2022年情况" then "2023年情况" over two copies of Table 4.
// Both copies keep every identity, so only their captions tell them apart. These functions find
// such captions inside a table's region and narrow the region to the copy of the report's year.

// Kinds of period caption.
const (
	periodNone    = iota
	periodOwn     // names the report's own year or 本年度情况
	periodOther   // names 上年度 or another year
	periodForeign // another table's caption (表1 各部门申请情况)
)

// tableWords tell one report table's own caption from another table's and where its header starts.
type tableWords struct {
	numerals string            // its numbers in a caption: 三3
	title    string            // a word of its title: 收到和处理
	anchor   func(string) bool // a line of its header, nil when none is distinctive
}

var (
	t2Words = tableWords{"二2", "主动公开", func(s string) bool { return strings.Contains(s, "第二十条") }}
	t3Words = tableWords{"三3", "收到和处理", func(s string) bool {
		return strings.Contains(s, "本列数据") || strings.Contains(s, "申请人情况")
	}}
	t4Words = tableWords{"四4", "行政复议", nil}
)

// foreignCaptionLine is the cheap precheck for a table caption: a short one-cell line 表N….
func foreignCaptionLine(ln *line) bool {
	return ln.filled <= 1 && ln.runes > 1 && ln.runes <= maxHeadingRunes && strings.HasPrefix(ln.norm, "表")
}

// foreign reports a caption "表N …" of another table than t: its number is not t's and it does not
// name t's title.
func (t tableWords) foreign(s string) bool {
	rest := strings.TrimPrefix(s, "表")
	r, size := utf8.DecodeRuneInString(rest)
	if !(r >= '0' && r <= '9') && !isChineseNumeral(r) {
		return false // 表格说明, 表述…: no caption
	}
	if next, _ := utf8.DecodeRuneInString(rest[size:]); strings.ContainsRune(t.numerals, r) && !(next >= '0' && next <= '9') {
		return false // its own number (表三, 表3, not 表31)
	}
	return !strings.Contains(rest, t.title)
}

// periodCaptionLine is the cheap precheck: a short line of one filled cell that says 年. Table rows
// have several filled cells; the long sentences of a narrative are no captions.
func periodCaptionLine(ln *line) bool {
	return ln.filled <= 1 && ln.runes > 0 && ln.runes <= maxHeadingRunes && strings.Contains(ln.norm, "年")
}

// periodCaption classifies a caption line against the report's year (0 when unknown).
func periodCaption(s string, year int) int {
	// Sentences, and Table 3's own row labels (上年结转…, 本年新收…, 本年度办理结果), are no captions.
	if strings.ContainsAny(s, "。，；,;") || strings.Contains(s, "结转") || strings.Contains(s, "新收") ||
		strings.Contains(s, "办理结果") || strings.Contains(s, "申请数量") {
		return periodNone
	}
	own, other := false, false
	for _, w := range []string{"上年度", "上一年度", "上年情况", "上年数", "(上年)", "（上年）"} {
		if strings.Contains(s, w) {
			other = true
		}
	}
	for _, w := range []string{"本年度情况", "本年情况", "本年度数据", "本年数据", "(本年)", "（本年）", "(本年度)", "（本年度）"} {
		if strings.Contains(s, w) {
			own = true
		}
	}
	// Years written in the line: 2022年, 2022年度.
	for i := 0; i+6 <= len(s); i++ {
		if (s[i] == '1' || s[i] == '2') && isDigits(s[i:i+4]) && strings.HasPrefix(s[i+4:], "年") && (i == 0 || s[i-1] < '0' || s[i-1] > '9') {
			y := int(s[i]-'0')*1000 + int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
			switch {
			case year == 0:
			case y == year:
				own = true
			default:
				other = true
			}
		}
	}
	switch {
	case own && other:
		return periodNone // "2023年与2022年对比": a comparison, not one period
	case own:
		return periodOwn
	case other:
		return periodOther
	}
	return periodNone
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// hasNumberRow reports whether lines[a:b] hold a row of several cells with a digit: a table's body.
func hasNumberRow(lines []line, a, b int) bool {
	for i := a; i < b; i++ {
		if lines[i].filled > 1 && strings.ContainsAny(lines[i].norm, "0123456789") {
			return true
		}
	}
	return false
}

// reportYear is the report's year, read from its title or period sentence only when first asked.
type reportYear struct {
	lines []line
	done  bool
	y     int
}

func (r *reportYear) get() int {
	if !r.done {
		id := identify(r.lines)
		r.y, r.done = id.titleYear, true
		if r.y == 0 {
			r.y = id.periodYear
		}
	}
	return r.y
}

// ownPeriod narrows reg to the copy of the table under the report's own period when period
// captions inside it mark another period's copy. It returns reg unchanged, and no caption, when
// there is nothing to choose; otherwise the captions of the copies left out. The year is read only
// when a caption is found.
func ownPeriod(lines []line, reg region, t tableWords, year *reportYear) (region, []int) {
	if !reg.found() {
		return reg, nil
	}
	var caps []int
	for i := reg.start + 1; i < reg.end; i++ {
		if periodCaptionLine(&lines[i]) || foreignCaptionLine(&lines[i]) {
			caps = append(caps, i)
		}
	}
	if len(caps) == 0 {
		return reg, nil
	}
	y := year.get()
	type seg struct{ start, end, kind int }
	segs := []seg{{reg.start, reg.end, periodNone}}
	cut := func(at, kind int) {
		segs[len(segs)-1].end = at
		segs = append(segs, seg{at, reg.end, kind})
	}
	for _, c := range caps {
		k := periodCaption(lines[c].norm, y)
		if foreignCaptionLine(&lines[c]) && t.foreign(lines[c].norm) {
			k = periodForeign
		}
		if k == periodNone {
			continue
		}
		// Another table's rows end where this table's own header starts again: its copy without
		// a caption (表一 各部门办理情况 … then Table 3 printed bare).
		if last := segs[len(segs)-1]; last.kind == periodForeign && t.anchor != nil {
			for i := last.start + 1; i < c; i++ {
				if t.anchor(lines[i].norm) {
					cut(i, periodNone)
					break
				}
			}
		}
		cut(c, k)
	}
	if last := segs[len(segs)-1]; last.kind == periodForeign && t.anchor != nil {
		for i := last.start + 1; i < reg.end; i++ {
			if t.anchor(lines[i].norm) {
				cut(i, periodNone)
				break
			}
		}
	}
	if len(segs) == 1 {
		return reg, nil
	}
	pick := -1
	for _, want := range []int{periodOwn, periodNone} {
		for k, s := range segs {
			if pick < 0 && s.kind == want && hasNumberRow(lines, s.start, s.end) {
				pick = k
			}
		}
	}
	if pick < 0 {
		return reg, nil // only other periods' numbers: read them as before, the identities and checks decide
	}
	var dropped []int
	for k, s := range segs {
		if k != pick && s.kind >= periodOther && hasNumberRow(lines, s.start, s.end) {
			dropped = append(dropped, s.start)
		}
	}
	if len(dropped) == 0 {
		return reg, nil
	}
	return region{segs[pick].start, segs[pick].end}, dropped
}

// otherPeriodFinding says which copies of a table were left out as another period's.
func otherPeriodFinding(lines []line, table string, dropped []int) Finding {
	var names []string
	for _, d := range dropped {
		names = append(names, strings.TrimSpace(lines[d].norm))
	}
	return Finding{Rule: RuleSTablePresent, Severity: SevInfo, Status: "uncertain", Place: lineplace(lines, dropped[0]),
		Message: fmt.Sprintf("%s旁另有其他年度的同名表格（“%s”），按标注为本年度的表格读取，其他年度的未读取", table, strings.Join(names, "”“"))}
}

// reportStarts finds where further whole reports begin in a file that holds several (a crawl that
// joined a district's page and a department's, or one body's two years): a title line after the
// first report's closing sections (五/六), followed by a new 一、总体情况 and the table sections.
// A part whose title was lost (a crawl that dropped the second page's title, a breadcrumb in its
// place) starts at its 一、总体情况 when it goes on through the table sections to its own 五/六: it
// is a whole report all the same, read with its body unknown; untitled marks such starts.
// An annex that repeats the tables has no 总体情况 and stays with its report. It returns nil for the
// usual file with one report; the check on the headings is cheap, titles are read only then.
func reportStarts(lines []line, hs []heading) (starts []int, untitled []bool) {
	closed, from := false, 0 // closed: the current report printed section 五 or 六
	for k, h := range hs {
		switch {
		case h.sec >= 5:
			closed = true
			from = h.line + 1
		case h.sec == 1 && closed && tablesFollow(hs[k+1:]):
			title := -1
			for i := from; i < h.line; i++ {
				if c, ok := titleAt(lines, i); ok && !c.crumb && !c.prose {
					title = i
					break
				}
			}
			switch {
			case title >= 0:
				if title > 0 && lines[title-1].runes > 0 && lines[title-1].runes <= 40 && splitTitleTail(strings.TrimLeft(lines[title].norm, "#*")) {
					title-- // the title's first half is on the line before
				}
				starts, untitled = append(starts, title), append(untitled, false)
			case closesFollow(hs[k+1:]):
				starts, untitled = append(starts, openingOf(lines, from, h.line)), append(untitled, true)
			}
			closed = false
		}
	}
	return starts, untitled
}

// tablesFollow reports whether the headings go on to Table 3's section before a new report starts.
func tablesFollow(hs []heading) bool {
	for _, h := range hs {
		if h.sec == 3 {
			return true
		}
		if h.sec == 1 || h.sec >= 5 {
			return false
		}
	}
	return false
}

// closesFollow reports whether the headings go on through Table 3's section to a closing section
// (五/六) before a new 一 starts: the whole sequence of a report.
func closesFollow(hs []heading) bool {
	t3 := false
	for _, h := range hs {
		switch {
		case h.sec == 1:
			return false
		case h.sec == 3:
			t3 = true
		case h.sec >= 5:
			return t3
		}
	}
	return false
}

// openingOf is where an untitled report whose 一、总体情况 is at line one begins: the opening
// sentence before it (本报告根据…编制, the period 统计期限…) belongs to it, not to the report before.
func openingOf(lines []line, from, one int) int {
	at := one
	for i := one - 1; i >= from && i >= one-4; i-- {
		s := lines[i].norm
		switch {
		case lines[i].runes == 0:
		case strings.Contains(s, "本报告") || strings.Contains(s, "统计期限"):
			at = i
		default:
			return at
		}
	}
	return at
}
