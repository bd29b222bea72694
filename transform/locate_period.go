package transform

import (
	"fmt"
	"strings"
)

// Reports often print another period's table beside their own: last year's Table 3 under a
// caption such as "上年度（2022年）情况", or "2022年情况" then "2023年情况" over two copies of Table 4.
// Both copies keep every identity, so only their captions tell them apart. These functions find
// such captions inside a table's region and narrow the region to the copy of the report's year.

// Kinds of period caption.
const (
	periodNone  = iota
	periodOwn   // names the report's own year or 本年度情况
	periodOther // names 上年度 or another year
)

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

// ownPeriod narrows reg to the copy of the table under the report's own period when period
// captions inside it mark another period's copy. It returns reg unchanged, and no caption, when
// there is nothing to choose; otherwise the captions of the copies left out. year is called only
// when a caption is found.
func ownPeriod(lines []line, reg region, year func() int) (region, []int) {
	if !reg.found() {
		return reg, nil
	}
	var caps []int
	for i := reg.start + 1; i < reg.end; i++ {
		if periodCaptionLine(&lines[i]) {
			caps = append(caps, i)
		}
	}
	if len(caps) == 0 {
		return reg, nil
	}
	y := year()
	type seg struct{ start, end, kind int }
	segs := []seg{{reg.start, reg.end, periodNone}}
	for _, c := range caps {
		k := periodCaption(lines[c].norm, y)
		if k == periodNone {
			continue
		}
		segs[len(segs)-1].end = c
		segs = append(segs, seg{c, reg.end, k})
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
		if k != pick && s.kind == periodOther && hasNumberRow(lines, s.start, s.end) {
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
