package transform

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/govreports/govreports/extract"
)

// A page scraped onto one line (report-format.md §7.8a): the site's chrome, the title, the six
// sections and the three tables all in one paragraph, headings glued to what follows them
// ("一、总体情况2020年，我区…", "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持…").
// splitArticles cuts such a line into the lines a document would have had: the title, each section
// heading, the narrative between them, and each table's text from its first header word to its
// end. The tables' text then goes to the digit-run decoder (squashed.go), which reads a table from
// one stream of characters whatever its line breaks.

// minArticleRunes is how long a line must be before it is searched for headings inside it: far
// more than any heading, row or title.
const minArticleRunes = 160

// maxTitleRunes bounds a heading's or title's text, as findHeadings and identify do.
const maxTitleRunes = maxHeadingRunes

// splitArticles returns lines with every article-on-one-line cut into its parts; other lines are
// kept as they are. It returns lines itself when there is nothing to cut.
func splitArticles(lines []line) []line {
	var out []line
	for i := range lines {
		ln := &lines[i]
		var pieces []line
		if isArticleLine(ln) {
			pieces = cutArticle(ln)
		}
		if len(pieces) <= 1 {
			if out != nil {
				out = append(out, *ln)
			}
			continue
		}
		if out == nil {
			out = append(make([]line, 0, len(lines)+len(pieces)), lines[:i]...)
		}
		out = append(out, pieces...)
	}
	if out == nil {
		return lines
	}
	return out
}

// isArticleLine is a cheap test: a long line that names a section or a table's header.
func isArticleLine(ln *line) bool {
	if ln.runes < minArticleRunes {
		// A heading glued to what follows it: "一、总体情况2020年，我区…".
		return ln.runes > maxHeadingRunes && startsWithHeading(ln.norm)
	}
	return articleWords.in(ln.norm)
}

// articleWords name a section or a table's header.
var articleWords = newWordSet("主动公开政府信息情况", "收到和处理政府信息公开", "第二十条", "申请人情况", "本列数据", "行政复议")

// startsWithHeading reports a normalised line that begins with a section heading.
func startsWithHeading(norm string) bool {
	s := strings.TrimLeft(norm, "#*")
	r, _ := utf8.DecodeRuneInString(s)
	if !isChineseNumeral(r) {
		return false
	}
	rs := []rune(s)
	if len(rs) > maxTitleRunes+4 {
		rs = rs[:maxTitleRunes+4]
	}
	hs := inlineHeadings(rs)
	return len(hs) > 0 && hs[0].start == 0
}

// piece is a part of an article line: runes [start, end) of its text.
type piece struct {
	start, end int
	kind       pieceKind
}

type pieceKind uint8

const (
	pieceText    pieceKind = iota // narrative or chrome: a paragraph
	pieceHeading                  // a section heading or the title: a short paragraph
	pieceTable                    // a table's text: one row for the decoder
)

// chromeWords end a table's text: site furniture after an article ("附件下载", "【打印本页】").
var chromeWords = []string{"附件下载", "附件：", "附件:", "【打印", "【关闭", "打印本页", "关闭窗口", "微信", "微博", "分享到", "扫一扫", "当前位置", "版权所有", "责任编辑", "来源：", "来源:", "浏览次数", "相关链接", "上一篇", "下一篇"}

// titleRE finds a report title's end words inside running text.
var titleRE = regexp.MustCompile(`政府信息公开(?:工作)?年度?报告`)

// cutArticle cuts one article line into lines. Headings are found by their ordinal and title
// (二、主动公开政府信息情况; ordinals may skip or restart, the title decides), tables by their own
// header words after their section heading, or anywhere when the page has no headings.
func cutArticle(ln *line) []line {
	rs, pos := lineRunes(ln)
	heads := inlineHeadings(rs)
	var ps []piece
	// The title, when the line holds it before its first heading.
	limit := len(rs)
	if len(heads) > 0 {
		limit = heads[0].start
	}
	if t, ok := inlineTitle(rs, limit); ok {
		ps = append(ps, t)
	}
	ps = append(ps, headingPieces(heads)...)
	ps = append(ps, tablePieces(rs, heads)...)
	if len(ps) == 0 {
		return nil
	}
	// Everything not claimed is text, cut at the claimed pieces.
	sortPieces(ps)
	var all []piece
	at := 0
	for _, p := range ps {
		if p.start < at {
			continue // overlaps an earlier piece: keep the earlier
		}
		if p.start > at {
			all = append(all, piece{at, p.start, pieceText})
		}
		all = append(all, p)
		at = p.end
	}
	if at < len(rs) {
		all = append(all, piece{at, len(rs), pieceText})
	}
	out := make([]line, 0, len(all))
	for _, p := range all {
		a, b := trimRunes(rs, p.start, p.end)
		if a >= b {
			continue
		}
		cell := extract.Cell{Text: string(rs[a:b]), Pos: pos[a]}
		nl := newLine([]extract.Cell{cell}, p.kind != pieceTable, 0)
		nl.oneline = p.kind == pieceTable
		out = append(out, nl)
	}
	return out
}

// lineRunes lays a line's cells out as one rune stream (cells apart by a space), each rune with
// its position: the cell's, advanced by the rune's offset in text.
func lineRunes(ln *line) ([]rune, []extract.Pos) {
	rs := make([]rune, 0, ln.runes+len(ln.cells))
	pos := make([]extract.Pos, 0, ln.runes+len(ln.cells))
	for _, c := range ln.cells {
		if c.Copy || c.Text == "" {
			continue
		}
		if len(rs) > 0 {
			rs = append(rs, ' ')
			pos = append(pos, c.Pos)
		}
		k := 0
		for _, r := range c.Text {
			rs = append(rs, r)
			pos = append(pos, runePos(c.Pos, k))
			k++
		}
	}
	return rs, pos
}

func trimRunes(rs []rune, a, b int) (int, int) {
	for a < b && isBlankRune(rs[a]) {
		a++
	}
	for b > a && isBlankRune(rs[b-1]) {
		b--
	}
	return a, b
}

func isBlankRune(r rune) bool {
	return r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0'
}

// inlineHeading is a section heading inside a line.
type inlineHeading struct {
	start, end int
	sec        int
}

// inlineHeadings finds the section headings of an article line, in order, each section once: an
// ordinal (一、 … 十、) right before a title that names the section and ends in 情况 or 事项. A
// title holds no digit and no sentence end, so a row label such as "四、结转下年度继续办理 0 0 …"
// is not taken for the heading that follows it.
func inlineHeadings(rs []rune) []inlineHeading {
	var hs []inlineHeading
	seen := map[int]bool{}
	for i := 0; i < len(rs); i++ {
		if !isChineseNumeral(rs[i]) || i > 0 && isChineseNumeral(rs[i-1]) {
			continue
		}
		j := i
		for j < len(rs) && j-i < 3 && isChineseNumeral(rs[j]) {
			j++
		}
		if j >= len(rs) || rs[j] != '、' {
			continue
		}
		end, sec := headingTitle(rs, i, j+1)
		if sec == 0 || seen[sec] {
			continue
		}
		seen[sec] = true
		hs = append(hs, inlineHeading{i, end, sec})
		i = end - 1
	}
	return hs
}

// headingTitle reads the title after an ordinal at rs[from:]: the shortest text ending in 情况 or
// 事项 that names a section. It returns the end and the section (0 when none).
func headingTitle(rs []rune, ord, from int) (end, sec int) {
	for k := from; k < len(rs) && k-ord <= maxTitleRunes; k++ {
		r := rs[k]
		if r >= '0' && r <= '9' || r >= '０' && r <= '９' || r == '。' || r == '；' {
			return 0, 0
		}
		if k+1 >= len(rs) || !(r == '情' && rs[k+1] == '况' || r == '事' && rs[k+1] == '项') {
			continue
		}
		text := normLabel(string(rs[ord : k+2]))
		for _, s := range sections {
			if s.match(text) {
				return k + 2, s.num
			}
		}
	}
	return 0, 0
}

func headingPieces(hs []inlineHeading) []piece {
	out := make([]piece, len(hs))
	for i, h := range hs {
		out[i] = piece{h.start, h.end, pieceHeading}
	}
	return out
}

// inlineTitle finds the report's title before limit: the words 政府信息公开工作年度报告 with the
// body and year before them, back to the nearest separator (a blank, ">", "》", a colon, a sentence
// end), so that a breadcrumb or a "标题:" label in front stays outside.
func inlineTitle(rs []rune, limit int) (piece, bool) {
	s := string(rs[:limit])
	for _, m := range titleRE.FindAllStringIndex(s, 4) {
		end := utf8.RuneCountInString(s[:m[1]])
		start := utf8.RuneCountInString(s[:m[0]])
		for start > 0 && end-start < maxTitleRunes*2 && !isTitleBoundary(rs[start-1]) {
			start--
		}
		if start > 0 && (rs[start-1] == '《' || rs[start-1] == '“') {
			continue // a document's name quoted in a sentence
		}
		// A version mark printed after the title: （超链版）.
		if end < limit && (rs[end] == '（' || rs[end] == '(') {
			for k := end + 1; k < limit && k-end <= 8; k++ {
				if rs[k] == '）' || rs[k] == ')' {
					if rs[k-1] == '版' {
						end = k + 1
					}
					break
				}
			}
		}
		t := normLabel(string(rs[start:end]))
		if titleBodyFirst.MatchString(t) || titleYearFirst.MatchString(t) {
			return piece{start, end, pieceHeading}, true
		}
	}
	return piece{}, false
}

func isTitleBoundary(r rune) bool {
	switch r {
	case ' ', '\t', '\u3000', '\u00a0', '>', '》', '›', '»', '|', ':', '：', '。', '，', ',', '；', ']', '】', '）', ')':
		return true
	}
	return false
}

// tableAnchors are the header words a table's text starts with, per table, in the order they are
// tried; strict ones serve pages without section headings.
var tableAnchors = map[int]struct{ loose, strict []string }{
	2: {[]string{"第二十条", "信息内容"}, nil}, // strict: t2Header
	3: {[]string{"本列数据", "申请人情况", "本年新收"}, []string{"本列数据", "申请人情况"}},
	4: {[]string{"行政复议"}, nil}, // strict: t4Header
}

// tablePieces finds each table's text: from its first header word after its section heading
// (anywhere, for a page without headings) to the next heading, a sentence end or the site's chrome.
func tablePieces(rs []rune, hs []inlineHeading) []piece {
	var out []piece
	s := string(rs)
	// rune offset → byte offset, for searching the text.
	byteAt := make([]int, len(rs)+1)
	b := 0
	for i, r := range rs {
		byteAt[i] = b
		b += utf8.RuneLen(r)
	}
	byteAt[len(rs)] = b
	runeAt := func(off int) int { return utf8.RuneCountInString(s[:off]) }
	find := func(from, to int, words []string) int {
		best := -1
		for _, w := range words {
			if i := strings.Index(s[byteAt[from]:byteAt[to]], w); i >= 0 {
				at := runeAt(byteAt[from] + i)
				if best < 0 || at < best {
					best = at
				}
			}
		}
		return best
	}
	next := func(at int) int { // where the next heading starts
		for _, h := range hs {
			if h.start >= at {
				return h.start
			}
		}
		return len(rs)
	}
	sectionOf := map[int]inlineHeading{}
	for _, h := range hs {
		sectionOf[h.sec] = h
	}
	// withBracket moves a table's start onto the bracket that opens its note: （本列数据…）.
	withBracket := func(at int) int {
		if at > 0 && (rs[at-1] == '（' || rs[at-1] == '(') {
			return at - 1
		}
		return at
	}
	anchor := func(table, from, to int) int { // the strict header words of a table
		at := -1
		switch table {
		case 2:
			if a := headerAt(s, byteAt, runeAt, from, "第二十条第", "信息内容", 60); a >= 0 && a < to {
				at = a
			}
		case 3:
			at = find(from, to, tableAnchors[table].strict)
		case 4:
			if a := headerAt(s, byteAt, runeAt, from, "行政复议", "维持", 120); a >= 0 && a < to {
				at = a
			}
		}
		if at < 0 {
			return -1
		}
		return withBracket(at)
	}
	// A table without its own heading is looked for by its strict header words only in a line
	// that is an article: one with a table's heading, or with two tables' header words. A long
	// sentence quoting 第二十条第（一）项 is not a table.
	article := false
	strict := 0
	for table := 2; table <= 4; table++ {
		if _, ok := sectionOf[table]; ok {
			article = true
		}
		if anchor(table, 0, len(rs)) >= 0 {
			strict++
		}
	}
	article = article || strict >= 2
	from := 0
	for table := 2; table <= 4; table++ {
		start := -1
		if h, ok := sectionOf[table]; ok {
			// The strict header words first: a sentence before the table may quote 第二十条.
			if start = anchor(table, h.end, next(h.end)); start < 0 {
				start = find(h.end, next(h.end), tableAnchors[table].loose)
			}
		} else if article {
			start = anchor(table, from, len(rs))
		}
		if start < 0 {
			continue
		}
		start = withBracket(start)
		end := next(start + 1)
		if stop := find(start, end, append([]string{"。"}, chromeWords...)); stop > start {
			end = stop
		}
		end = tableEnd(rs, start, end)
		// A table ends where a later one's header words begin.
		for t := table + 1; t <= 4; t++ {
			if _, ok := sectionOf[t]; ok {
				continue // its heading bounds this table already
			}
			if n := anchor(t, start+1, end); n > start {
				end = n
			}
		}
		out = append(out, piece{start, end, pieceTable})
		from = end
	}
	return out
}

// maxTableGap is the longest stretch without a digit inside a table once its numbers have begun:
// the longest row label with its group heading is shorter; a sentence or the site's chrome after
// the table is longer.
const maxTableGap = 60

// tableEnd ends a table's text before a long stretch without digits after its last number (and
// the unit printed with it).
func tableEnd(rs []rune, start, end int) int {
	last := -1
	for i := start; i < end; i++ {
		r := rs[i]
		if r >= '0' && r <= '9' || r >= '０' && r <= '９' {
			last = i
			continue
		}
		if last >= 0 && i-last > maxTableGap {
			e := last + 1
			for e < end && e-last <= 2 && (rs[e] == '元' || rs[e] == '万' || rs[e] == '件') {
				e++
			}
			return e
		}
	}
	return end
}

// headerAt finds a table's header without its section heading, from rune from on: word followed
// within window bytes by then, with no sentence end between (第二十条第…信息内容 for Table 2,
// 行政复议…结果维持 for Table 4), never a sentence that merely mentions them. It returns the rune
// offset of word, or -1.
func headerAt(s string, byteAt []int, runeAt func(int) int, from int, word, then string, window int) int {
	off := byteAt[from]
	for {
		i := strings.Index(s[off:], word)
		if i < 0 {
			return -1
		}
		at := off + i
		w := s[at:min(len(s), at+window)]
		if j := strings.Index(w, then); j >= 0 && !strings.ContainsAny(w[:j], "。；，,") {
			return runeAt(at)
		}
		off = at + len(word)
	}
}

func sortPieces(ps []piece) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].start < ps[j-1].start; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}
