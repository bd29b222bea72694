package transform

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Tolerant label matching for OCR output and typos (report-format.md §3.2, §7.8): when no
// distinctive fragment of a Table 3 row matches exactly, a row's canonical text or a long fragment
// may match with look-alike characters swapped (沐/沭, 未/末) or with one or two characters
// substituted, dropped or added. Such a match is taken only when it is unique and fits the row
// order, and always leaves an S.FUZZY_LABEL finding.

// lookalikes are groups of characters OCR confuses; each maps to the group's first character.
var lookalikes = []string{
	"沭沐", "未末", "已己巳", "日曰", "人入八", "土士", "千干于", "天夭", "戊戌戍", "候侯", "拨拔",
	"汩汨", "睛晴", "崇祟", "刺剌", "扰拢", "账帐", "申甲由", "田由", "支文", "处外", "理埋",
	"制刺", "执抉", "秘泌", "密蜜", "务条", "复夏", "诉拆", "讼松", "审宙", "许讦", "请清", "责贵",
	"〇0Oo", "1lI", "-一—",
}

var lookalikeOf = func() map[rune]rune {
	m := map[rune]rune{}
	for _, g := range lookalikes {
		first, _ := utf8.DecodeRuneInString(g)
		for _, r := range g {
			m[r] = first
		}
	}
	return m
}()

// foldLookalikes maps every look-alike character of s to its group's representative.
func foldLookalikes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if c, ok := lookalikeOf[r]; ok {
			r = c
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fuzzyFragment is a piece of a row label matched approximately.
type fuzzyFragment struct {
	runes []rune // look-alike folded
	text  string // as the form prints it, for messages
	row   int
}

// fuzzyT3Fragments: each row's canonical text without its ordinal, and the exact-match fragments
// of four characters or more. Shorter pieces are too easy to hit by accident.
var fuzzyT3Fragments = func() []fuzzyFragment {
	var out []fuzzyFragment
	seen := map[string]bool{}
	add := func(text string, row int) {
		if utf8.RuneCountInString(text) < 4 || seen[text] {
			return
		}
		seen[text] = true
		out = append(out, fuzzyFragment{runes: []rune(foldLookalikes(text)), text: text, row: row})
	}
	for row := range T3Rows {
		s := normLabel(T3Rows[row].CN)
		s = s[ordinalEnd(s):]
		// The parenthetical of （二）部分公开（…） is often dropped; its head is enough.
		if i := strings.IndexByte(s, '('); i > 0 {
			s = s[:i]
		}
		add(s, row)
	}
	for _, f := range t3Fragments {
		add(f.text, f.row)
	}
	return out
}()

// allowedEdits is how many characters may differ between a fragment and the label.
func allowedEdits(n int) int {
	if n >= 8 {
		return 2
	}
	return 1
}

// approxFind returns the fewest edits (substitutions, insertions, deletions) that turn pat into
// some substring of text, and where the best such substring ends (rune index, exclusive). It is
// the classic "pattern anywhere in text" edit distance: row 0 of the table costs nothing.
func approxFind(pat, text []rune) (dist, end int) {
	m := len(pat)
	prev := make([]int, m+1)
	cur := make([]int, m+1)
	for i := range prev {
		prev[i] = i
	}
	dist, end = m, 0
	for j := 1; j <= len(text); j++ {
		cur[0] = 0
		for i := 1; i <= m; i++ {
			c := prev[i-1]
			if pat[i-1] != text[j-1] {
				c++
			}
			c = min(c, prev[i]+1, cur[i-1]+1)
			cur[i] = c
		}
		if cur[m] <= dist {
			dist, end = cur[m], j
		}
		prev, cur = cur, prev
	}
	return dist, end
}

// fuzzyMatch is the best approximate match of a label.
type fuzzyMatch struct {
	row       int
	dist, end int
	frag      string
	lookalike bool // exact once look-alikes are folded
}

// fuzzyT3Match finds the row a label approximately names. after is the last row matched: a row
// after it is preferred; among equals the fragment ending furthest right wins (leftovers of earlier
// lines come first), then the smaller distance. Two different rows equally good: no match.
func fuzzyT3Match(label string, after int) (fuzzyMatch, bool) {
	s := normLabel(label)
	// The group headings a label carries are read exactly and name no row: approximated, one
	// would be a row one character away (不予公开 → 予以公开). A mark stands in their place so
	// that no fragment runs across one.
	for _, h := range t3GroupHeadings {
		s = strings.ReplaceAll(s, h, "|")
	}
	if strings.Trim(s, "|") == "" {
		return fuzzyMatch{}, false
	}
	text := []rune(foldLookalikes(s))
	var found []fuzzyMatch
	for _, f := range fuzzyT3Fragments {
		if len(text)+allowedEdits(len(f.runes)) < len(f.runes) {
			continue
		}
		d, e := approxFind(f.runes, text)
		if d > allowedEdits(len(f.runes)) {
			continue
		}
		found = append(found, fuzzyMatch{row: f.row, dist: d, end: e, frag: f.text, lookalike: d == 0})
	}
	if len(found) == 0 {
		return fuzzyMatch{}, false
	}
	better := func(a, b fuzzyMatch) bool {
		if t3After(a.row, after) != t3After(b.row, after) {
			return t3After(a.row, after)
		}
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		return a.end > b.end
	}
	sort.SliceStable(found, func(i, j int) bool { return better(found[i], found[j]) })
	best := found[0]
	for _, f := range found[1:] {
		if better(best, f) {
			break
		}
		if f.row != best.row {
			return fuzzyMatch{}, false // two rows fit equally well
		}
	}
	return best, true
}

// fuzzyT3Row is matchT3Row's fallback: it matches a label approximately and records the match as
// an S.FUZZY_LABEL finding.
func (rd *reader) fuzzyT3Row(label string, after int, place string) (int, bool) {
	m, ok := fuzzyT3Match(label, after)
	if !ok {
		return 0, false
	}
	how := fmt.Sprintf("与“%s”相差%d个字", m.frag, m.dist)
	if m.lookalike {
		how = fmt.Sprintf("与“%s”只差形近字", m.frag)
	}
	rd.rep.add(Finding{Rule: RuleSFuzzyLabel, Severity: SevInfo, Status: "uncertain", Place: place,
		Message: fmt.Sprintf("表三 行标签“%s”%s，按“%s”行读取", clip(label), how, T3Rows[m.row].CN)})
	return m.row, true
}
