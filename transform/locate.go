package transform

import (
	"strings"
	"unicode/utf8"
	"unsafe"
)

// section is one of the six numbered sections of a report (report-format.md §1.1).
type section struct {
	num     int    // 1–6
	ordinal string // the ordinal the format expects: 一 … 六
	title   string // canonical title, for messages
	match   func(s string) bool
}

var sections = []section{
	{1, "一", "总体情况", func(s string) bool { return strings.Contains(s, "总体情况") }},
	{2, "二", "主动公开政府信息情况", func(s string) bool { return strings.Contains(s, "主动公开政府信息情况") }},
	{3, "三", "收到和处理政府信息公开申请情况", func(s string) bool {
		return strings.Contains(s, "收到和处理政府信息公开申请") || strings.Contains(s, "收到和处理政府信息公开")
	}},
	{4, "四", "政府信息公开行政复议、行政诉讼情况", func(s string) bool {
		return strings.Contains(s, "行政复议") && (strings.Contains(s, "行政诉讼") || strings.Contains(s, "被申请"))
	}},
	{5, "五", "存在的主要问题及改进情况", func(s string) bool {
		return strings.Contains(s, "主要问题") || strings.Contains(s, "问题及改进") || strings.Contains(s, "问题和改进")
	}},
	{6, "六", "其他需要报告的事项", func(s string) bool { return strings.Contains(s, "其他需要报告") }},
}

// heading is a section heading found in the document.
type heading struct {
	sec  int // 1–6
	line int
	text string
}

// maxHeadingRunes bounds what can be a heading: a narrative sentence that mentions 行政复议 is not one.
const maxHeadingRunes = 40

// findHeadings returns the section headings in document order. A heading is a short line that is a
// paragraph or a row with a single filled cell, and whose text names a section.
func findHeadings(lines []line) []heading {
	var hs []heading
	for i := range lines {
		ln := &lines[i]
		s := strings.TrimLeft(ln.norm, "#*")
		if !ln.para && filled(ln) > 1 {
			// A heading in the first cell of a row, the rest of the row being the table's header
			// ("二、主动公开政府信息情况   第二十条第（一）项" in PDF text): the numbered title decides.
			if h, ok := headingCell(ln); ok {
				hs = append(hs, heading{sec: h, line: i, text: s})
			}
			continue
		}
		if ln.runes == 0 || ln.runes > maxHeadingRunes {
			continue
		}
		// A table header cell such as "行政复议行政诉讼" names a section's subject too; a heading
		// also says 情况/事项 or carries its ordinal.
		if !strings.Contains(s, "情况") && !strings.Contains(s, "事项") && leadingOrdinal(s) == "" {
			continue
		}
		for _, sec := range sections {
			if sec.match(s) {
				hs = append(hs, heading{sec: sec.num, line: i, text: s})
				break
			}
		}
	}
	return hs
}

// headingCell reports a row whose first filled cell is a numbered section title (一、 … 六、).
func headingCell(ln *line) (sec int, ok bool) {
	for _, c := range ln.cells {
		if c.Copy || trimSpace(c.Text) == "" {
			continue
		}
		var buf [128]byte // the normalised cell stays on the stack when it fits: n is not kept
		b := appendNorm(buf[:0], c.Text)
		n := strings.TrimLeft(unsafe.String(unsafe.SliceData(b), len(b)), "#*")
		if r, _ := utf8.DecodeRuneInString(n); !isChineseNumeral(r) {
			return 0, false // a heading that fills the cell starts with its ordinal
		}
		t := []rune(n)
		if len(t) > maxHeadingRunes {
			return 0, false
		}
		hs := inlineHeadings(t)
		if len(hs) == 1 && hs[0].start == 0 && hs[0].end == len(t) {
			return hs[0].sec, true
		}
		return 0, false
	}
	return 0, false
}

// filled counts the line's cells with text, copies of merged cells left out; lineOf counted them.
func filled(ln *line) int { return ln.filled }

// region is the span of lines a table is read from.
type region struct{ start, end int }

func (r region) found() bool { return r.end > r.start }

// tableRegions finds where Tables 2, 3 and 4 are: after their section headings, or, when a report
// omits a heading (a workbook holding only the tables), from the first line that only that table
// has. A region ends where the next section or table starts.
func tableRegions(lines []line, hs []heading) (t2, t3, t4 region) {
	starts := map[int]int{} // table number → first line
	for _, h := range hs {
		if h.sec >= 2 && h.sec <= 4 {
			if _, seen := starts[h.sec]; !seen {
				starts[h.sec] = h.line
			}
		}
	}
	anchor := func(table int, from int, ok func(ln *line) bool) {
		if _, seen := starts[table]; seen {
			return
		}
		for i := from; i < len(lines); i++ {
			if ok(&lines[i]) {
				starts[table] = i
				return
			}
		}
	}
	short := func(ln *line) bool { return !ln.para || ln.runes <= maxHeadingRunes }
	anchor(2, 0, func(ln *line) bool {
		return short(ln) && (strings.Contains(ln.norm, "第二十条") || strings.Contains(ln.norm, "信息内容"))
	})
	anchor(3, 0, func(ln *line) bool {
		return short(ln) && (strings.Contains(ln.norm, "本列数据") || strings.Contains(ln.norm, "申请人情况") || strings.Contains(ln.norm, "本年新收"))
	})
	from := 0
	if s, ok := starts[3]; ok {
		from = s + 1
	}
	anchor(4, from, func(ln *line) bool {
		return short(ln) && strings.Contains(ln.norm, "行政复议") && !strings.Contains(ln.norm, "本年新收")
	})
	// Every heading and table start bounds the regions.
	var bounds []int
	repeated := map[int]bool{}
	for _, h := range hs {
		// A table's section heading printed again inside it (a converter repeating the caption
		// over every page's fragment, §7.8) continues the table rather than ending it.
		if h.sec >= 2 && h.sec <= 4 && repeated[h.sec] {
			continue
		}
		repeated[h.sec] = true
		bounds = append(bounds, h.line)
	}
	for _, s := range starts {
		bounds = append(bounds, s)
	}
	end := func(start int) int {
		e := len(lines)
		for _, b := range bounds {
			if b > start && b < e {
				e = b
			}
		}
		return e
	}
	mk := func(table int) region {
		s, ok := starts[table]
		if !ok {
			return region{}
		}
		return region{s, end(s)}
	}
	return mk(2), mk(3), mk(4)
}
