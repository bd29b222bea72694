package extract

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	unicodeenc "golang.org/x/text/encoding/unicode"
)

// The HTML reader (report-format.md §7.3). It decodes the page, renders it into lines and tables
// the way a browser shows them, finds the article inside the portal page, and emits only that:
// paragraphs in order and every data table as a grid with rowspan/colspan expanded.
//
// Finding the article. Each rendered line and table is scored: a data table +3, a heading (h1–h6
// or a line opening with an outline ordinal such as 一、 or （一）) +2, a line repeating the page's
// <title> +3, a line or table that is mostly link text (menus, breadcrumbs, "related" lists) −1
// or −2, and anything inside nav/header/footer/aside is never positive. A node's score is the sum
// over what it contains; the article is the node with the highest score, the deepest one on a tie
// (the smallest container holding it all). Pages whose best score stays below minArticleScore (a
// report has six section headings and three tables) are not narrowed down: they are emitted whole.
// Lines that are mostly link text are dropped even inside the article.
//
// Layout tables. A table that holds another table, has a single column or holds a heading is page
// layout, not data: its cells are rendered as ordinary blocks, so the tables inside it come out as
// tables of their own instead of being swallowed into one huge grid.

func readHTML(ctx context.Context, src Source, data []byte, lim Limits) (*Document, error) {
	text, enc, notes, err := decodeHTML(src.Path, data)
	if err != nil {
		return nil, err
	}
	src.Encoding = enc
	text, stray := dropStrayEndTags(text)
	notes = append(notes, stray...)
	built := newBudget(lim)
	if !built.spend(int64(len(text))) {
		return nil, built.exceeded("", "the decoded page")
	}
	if err := checkTreeSize(ctx, text, built); err != nil {
		return nil, err
	}
	root, err := html.Parse(strings.NewReader(text))
	if err != nil {
		// x/net/html refuses pages nested more than 512 elements deep.
		return nil, Errorf(src.Path, "", ErrCorrupt, "the page cannot be parsed: %v", err)
	}
	r := &htmlRenderer{ctx: ctx, path: src.Path, lim: lim, title: pageTitle(root), root: root, layoutMemo: map[*html.Node]bool{},
		built: built}
	start := findElement(root, atom.Body)
	if start == nil {
		start = root
	}
	if err := r.walk(start); err != nil {
		return nil, err
	}
	r.flush()
	if r.err != nil {
		return nil, r.err
	}
	if len(r.units) == 0 {
		return nil, Errorf(src.Path, "", ErrNoContent, "the page has no text")
	}
	doc := &Document{Source: src, Notes: notes}
	r.emit(doc, r.article())
	if len(doc.Blocks) == 0 {
		return nil, Errorf(src.Path, "", ErrNoContent, "the page has no text besides links")
	}
	return doc, nil
}

// checkTreeSize refuses a page whose parse tree would pass the budget, before it is built: a
// tokenizer counts the nodes and their text without keeping them. A small page cannot build much
// (a node takes at least three bytes of markup), so only a large one is counted.
func checkTreeSize(ctx context.Context, text string, built *budget) error {
	if built.max <= 0 || int64(len(text))/3*nodeCost <= built.max-built.used {
		return nil
	}
	z := html.NewTokenizer(strings.NewReader(text))
	for elements := 1; ; elements++ {
		if elements%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		cost := nodeCost
		switch z.Next() {
		case html.ErrorToken:
			return nil
		case html.StartTagToken, html.SelfClosingTagToken:
			_, more := z.TagName()
			for more {
				var key, val []byte
				key, val, more = z.TagAttr()
				cost += attrCost + int64(len(key)+len(val))
			}
		case html.EndTagToken:
			continue
		default:
			cost += int64(len(z.Raw()))
		}
		if !built.spend(cost) {
			return built.exceeded(fmt.Sprintf("element %d", elements), "the page's elements")
		}
	}
}

// ---- decoding ----

// decodeHTML picks the character set: a byte-order mark first, then a <meta> declaration, else the
// content itself (valid UTF-8 is UTF-8, anything else is taken as GB18030, the superset of the
// GB2312 and GBK that older Chinese sites use). A declaration the bytes belie is overruled with a
// note: UTF-8 declared over GBK bytes, GBK (or any other) declared over UTF-8 bytes.
func decodeHTML(path string, data []byte) (string, string, []Note, error) {
	var notes []Note
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		return decodeWith(path, data[3:], encoding.Nop, "utf-8", notes)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeWith(path, data[2:], unicodeenc.UTF16(unicodeenc.LittleEndian, unicodeenc.IgnoreBOM), "utf-16le", notes)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeWith(path, data[2:], unicodeenc.UTF16(unicodeenc.BigEndian, unicodeenc.IgnoreBOM), "utf-16be", notes)
	}
	label := metaCharset(data)
	if label != "" {
		e, name := htmlEncodingFor(label)
		switch {
		case e == nil:
			notes = append(notes, Note{Code: "unknown-charset", Message: fmt.Sprintf("the page declares charset %q, which is not known; the encoding was guessed from the content", label)})
		case name == "utf-8" && !utf8.Valid(data):
			notes = append(notes, Note{Code: "charset-mismatch", Message: "the page declares UTF-8 but is not valid UTF-8; it was read as GB18030"})
		case name != "utf-8" && declaredNotUTF8Wrong(data, e):
			// Pages re-saved as UTF-8 often keep the <meta> of the GBK original; read as declared,
			// every Chinese character would turn into another or fail to decode.
			notes = append(notes, Note{Code: "charset-utf8", Message: fmt.Sprintf("the page declares charset %q but its bytes are UTF-8; it was read as UTF-8", label)})
			return decodeWith(path, data, encoding.Nop, "utf-8", notes)
		case singleByteCharset(name) && !utf8.Valid(data) && gbkText(data):
			// Servers and templates set up for Western sites declare ISO-8859-1 over a GBK page;
			// read as declared, every Chinese character becomes two Latin letters and no table is
			// found.
			notes = append(notes, Note{Code: "charset-gbk", Message: fmt.Sprintf("the page declares charset %q but its bytes are Chinese GBK text; it was read as GB18030", label)})
			return decodeWith(path, data, simplifiedchinese.GB18030, "gb18030", notes)
		default:
			return decodeWith(path, data, e, name, notes)
		}
	}
	if utf8.Valid(data) {
		return decodeWith(path, data, encoding.Nop, "utf-8", notes)
	}
	return decodeWith(path, data, simplifiedchinese.GB18030, "gb18030", notes)
}

// declaredNotUTF8Wrong reports whether a page that declares the non-UTF-8 encoding e is in fact
// UTF-8: its bytes are valid UTF-8 holding non-ASCII text, and either e does not decode them
// cleanly or they hold so many multi-byte UTF-8 characters that they cannot be anything else. GBK
// text forms valid UTF-8 only by chance over a few characters (the classic 联通), never across a
// page, while UTF-8 read as GBK or Latin-1 may decode without a single error into other characters.
func declaredNotUTF8Wrong(data []byte, e encoding.Encoding) bool {
	const convincing = 8 // multi-byte characters that GBK text forms by chance with odds below 1e-6
	multi := 0
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return false
		}
		multi++
		i += n
	}
	if multi == 0 {
		return false // ASCII reads the same either way
	}
	if multi >= convincing {
		return true
	}
	out, err := e.NewDecoder().Bytes(data)
	return err != nil || bytes.ContainsRune(out, utf8.RuneError)
}

// singleByteCharset reports the Western single-byte encodings, which decode any bytes without an
// error and so can never refute a wrong declaration by themselves.
func singleByteCharset(name string) bool {
	for _, p := range []string{"windows-125", "iso-8859-", "macintosh", "koi8"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// gbkText reports whether data decodes as GB18030 without an error into text holding Chinese
// characters: Latin-1 text with accented letters fails that at its first accent followed by ASCII,
// while a GBK page passes it at every character.
func gbkText(data []byte) bool {
	const convincing = 8
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return false
	}
	han := 0
	for _, r := range string(out) {
		if unicode.Is(unicode.Han, r) {
			if han++; han >= convincing {
				return true
			}
		}
	}
	return false
}

// htmlEncodingFor maps a charset label to an encoding and the name reported in Source.Encoding.
func htmlEncodingFor(label string) (encoding.Encoding, string) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "windows-936", "euc-cn", "csgb2312", "chinese", "gb_2312-80", "iso-ir-58":
		return simplifiedchinese.GB18030, "gb18030"
	}
	e, name := charset.Lookup(label)
	switch {
	case e == nil:
		return nil, ""
	case name == "utf-8" || strings.HasPrefix(name, "utf-16"):
		// A <meta> readable as ASCII cannot be UTF-16; browsers read such pages as UTF-8.
		return encoding.Nop, "utf-8"
	}
	return e, name
}

// metaCharset finds the charset declared by a <meta charset> or <meta http-equiv content>
// element near the start of the page; the bytes are scanned before decoding, which works because
// every encoding a <meta> can name is ASCII-compatible.
func metaCharset(data []byte) string {
	const scanLimit = 64 << 10
	if len(data) > scanLimit {
		data = data[:scanLimit]
	}
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			if string(name) == "body" {
				return ""
			}
			if string(name) != "meta" {
				continue
			}
			var cs, content string
			var pragma bool
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch strings.ToLower(string(k)) {
				case "charset":
					cs = string(v)
				case "content":
					content = string(v)
				case "http-equiv":
					pragma = strings.EqualFold(strings.TrimSpace(string(v)), "content-type")
				}
			}
			if cs != "" {
				return strings.TrimSpace(cs)
			}
			if pragma {
				if m := contentCharset.FindStringSubmatch(content); m != nil {
					return m[1]
				}
			}
		}
	}
}

var contentCharset = regexp.MustCompile(`(?i)charset\s*=\s*["']?([A-Za-z0-9_.:-]+)`)

// decodeWith decodes data and refuses the result when a visible share of it did not decode.
func decodeWith(path string, data []byte, e encoding.Encoding, name string, notes []Note) (string, string, []Note, error) {
	out, err := e.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", nil, Errorf(path, "", ErrEncoding, "as %s: %v", name, err)
	}
	bad, total, line, firstBad := 0, 0, 1, 0
	for _, r := range string(out) {
		total++
		switch {
		case r == '\n':
			line++
		case r == utf8.RuneError:
			bad++
			if firstBad == 0 {
				firstBad = line
			}
		}
	}
	if bad > 8 && bad*100 > total {
		return "", "", nil, Errorf(path, fmt.Sprintf("line %d", firstBad), ErrEncoding, "%d of %d characters do not decode as %s", bad, total, name)
	}
	return string(out), name, notes, nil
}

// ---- the DOM ----

func findElement(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, a); f != nil {
			return f
		}
	}
	return nil
}

func pageTitle(root *html.Node) string {
	t := findElement(root, atom.Title)
	if t == nil {
		return ""
	}
	var b strings.Builder
	for c := t.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return cleanText(b.String())
}

func getAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// skipped elements carry no report text: scripts, styles, form controls, embedded media, and
// struck or deleted text (Word's tracked changes save the old value as <del> beside the new one in
// <ins>; editors strike an old value through with <s>/<strike>): read, "<del>15</del>12" would be
// 1512, a wrong number no rule could tell from a true one.
var skipped = map[atom.Atom]bool{
	atom.Del: true, atom.S: true, atom.Strike: true,
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Svg: true, atom.Math: true,
	atom.Canvas: true, atom.Select: true, atom.Button: true, atom.Input: true, atom.Textarea: true,
	atom.Map: true, atom.Audio: true, atom.Video: true,
}

// blocks start and end a line.
var blocks = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true, atom.Body: true,
	atom.Center: true, atom.Dd: true, atom.Details: true, atom.Dialog: true, atom.Div: true,
	atom.Dl: true, atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Header: true, atom.Hgroup: true, atom.Hr: true, atom.Li: true,
	atom.Main: true, atom.Nav: true, atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true,
	atom.Summary: true, atom.Ul: true, atom.Table: true, atom.Caption: true, atom.Tr: true,
	atom.Td: true, atom.Th: true, atom.Html: true, atom.Legend: true,
}

// chrome elements hold page furniture by definition.
var chrome = map[atom.Atom]bool{atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true}

var chromeRoles = map[string]bool{"navigation": true, "banner": true, "contentinfo": true, "menu": true, "menubar": true}

func headingLevel(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	case atom.H6:
		return 6
	}
	return 0
}

// hidden reports content a browser does not show: the hidden attribute, an inline display:none or
// visibility:hidden (a CMS keeps an old value beside the new one that way), or a zero-height row (Word's "save as HTML" ends tables with one that only sets column widths).
func hidden(n *html.Node) bool {
	if _, ok := getAttr(n, "hidden"); ok {
		return true
	}
	if h, ok := getAttr(n, "height"); ok && n.DataAtom == atom.Tr && strings.TrimSpace(h) == "0" {
		return true
	}
	style, _ := getAttr(n, "style")
	if style == "" {
		return false
	}
	style = strings.ToLower(strings.Join(strings.Fields(style), ""))
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

func isChrome(n *html.Node) bool {
	if chrome[n.DataAtom] {
		return true
	}
	role, _ := getAttr(n, "role")
	return chromeRoles[strings.ToLower(role)]
}

// ---- rendering ----

// unitCost is what a unit costs twice over: in the renderer's list, then as a Block.
var unitCost = int64(unsafe.Sizeof(htmlUnit{})) + blockCost

// htmlUnit is one rendered line or table, with the block element it belongs to.
type htmlUnit struct {
	node   *html.Node
	table  bool
	text   string
	level  int
	rows   [][]Cell
	score  int
	chrome bool
	// linkLine marks a line that is mostly link text: a menu item, a breadcrumb, a share bar, a
	// table of contents. Such lines are page furniture even inside the article and are dropped.
	linkLine bool
}

type htmlRenderer struct {
	ctx   context.Context
	path  string
	lim   Limits
	title string
	root  *html.Node
	// layoutMemo remembers which elements hold a table or a heading, so nested tables are
	// classified in one pass over the tree, not one pass per table.
	layoutMemo map[*html.Node]bool

	units []htmlUnit

	// the line being built
	line      strings.Builder
	linkRunes int
	block     *html.Node
	level     int
	links     int // depth of <a> elements we are in
	pre       int // depth of <pre> elements we are in
	inChrome  int
	tables    int // data tables rendered, for error places
	cells     int // grid cells rendered, against lim.MaxCells
	nodes     int
	built     *budget
	err       error // the budget ran out while a line was kept
}

func (r *htmlRenderer) walk(n *html.Node) error {
	if r.err != nil {
		return r.err
	}
	r.nodes++
	if r.nodes%4096 == 0 {
		if err := r.ctx.Err(); err != nil {
			return err
		}
	}
	switch n.Type {
	case html.TextNode:
		r.text(n.Data)
		return nil
	case html.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if err := r.walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	if skipped[n.DataAtom] || hidden(n) {
		return nil
	}
	switch n.DataAtom {
	case atom.Br:
		r.flush()
		return nil
	case atom.Table:
		r.flush()
		return r.table(n)
	case atom.A:
		if _, ok := getAttr(n, "href"); ok { // <a name> is an anchor, not a link
			r.links++
			defer func() { r.links-- }()
		}
	case atom.Pre:
		r.pre++
		defer func() { r.pre-- }()
	}
	if isChrome(n) {
		r.inChrome++
		defer func() { r.inChrome-- }()
	}
	if !blocks[n.DataAtom] {
		return r.children(n)
	}
	r.flush()
	outer, outerLevel := r.block, r.level
	r.block = n
	if l := headingLevel(n.DataAtom); l > 0 {
		r.level = l
	}
	err := r.children(n)
	r.flush()
	r.block, r.level = outer, outerLevel
	return err
}

func (r *htmlRenderer) children(n *html.Node) error {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := r.walk(c); err != nil {
			return err
		}
	}
	return nil
}

func (r *htmlRenderer) text(s string) {
	if r.pre > 0 {
		// Preformatted text keeps its line breaks.
		for i, part := range strings.Split(s, "\n") {
			if i > 0 {
				r.flush()
			}
			r.addText(part)
		}
		return
	}
	r.addText(s)
}

func (r *htmlRenderer) addText(s string) {
	r.line.WriteString(s)
	if r.links > 0 {
		for _, c := range s {
			if !unicode.IsSpace(c) {
				r.linkRunes++
			}
		}
	}
}

// flush ends the current line and keeps it if it has text.
func (r *htmlRenderer) flush() {
	raw := r.line.String()
	links := r.linkRunes
	r.line.Reset()
	r.linkRunes = 0
	text := cleanHTMLText(raw)
	if text == "" {
		return
	}
	u := htmlUnit{node: r.block, text: text, level: r.level, chrome: r.inChrome > 0}
	runes := 0
	for _, c := range text {
		if !unicode.IsSpace(c) {
			runes++
		}
	}
	u.score = r.lineScore(text, u.level)
	if links*2 >= runes {
		u.score, u.linkLine = -1, true
	}
	if (!r.built.spend(int64(len(text))) || !r.built.grow(len(r.units), cap(r.units), unitCost)) && r.err == nil {
		r.err = r.built.exceeded(fmt.Sprintf("paragraph %d", len(r.units)+1), "the page's text")
	}
	r.units = append(r.units, u)
}

// outlineOrdinal matches the numbering that opens a section heading in Chinese documents.
var outlineOrdinal = regexp.MustCompile(`^(?:[一二三四五六七八九十]+\s*[、．.]|[（(]\s*[一二三四五六七八九十]+\s*[）)]|第[一二三四五六七八九十百零]+[章节部篇])`)

func (r *htmlRenderer) lineScore(text string, level int) int {
	if r.isTitle(text) {
		return 3
	}
	if level > 0 || outlineOrdinal.MatchString(text) {
		return 2
	}
	return 0
}

// isTitle reports whether a line repeats the page's <title>, which portals extend with the site name.
func (r *htmlRenderer) isTitle(text string) bool {
	if r.title == "" {
		return false
	}
	n, tn := utf8.RuneCountInString(text), utf8.RuneCountInString(r.title)
	if n < 8 || n*5 < tn*2 {
		return false
	}
	return strings.Contains(r.title, text) || strings.Contains(text, r.title)
}

// tableRows returns the rows of a table in order: its own tr elements, directly or inside
// thead/tbody/tfoot, never those of a nested table.
func tableRows(t *html.Node) []*html.Node {
	var rows []*html.Node
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || hidden(c) {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				rows = append(rows, c)
			case atom.Thead, atom.Tbody, atom.Tfoot:
				visit(c)
			}
		}
	}
	visit(t)
	return rows
}

func rowCells(tr *html.Node) []*html.Node {
	var cells []*html.Node
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) && !hidden(c) {
			cells = append(cells, c)
		}
	}
	return cells
}

// holdsLayout reports whether n has a descendant table or heading: a table holding one is page
// layout, not data.
func (r *htmlRenderer) holdsLayout(n *html.Node) bool {
	if v, ok := r.layoutMemo[n]; ok {
		return v
	}
	found := false
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Table || headingLevel(c.DataAtom) > 0 || r.holdsLayout(c)) {
			found = true
			// keep going: memoising the other children now saves walking them again later
		}
	}
	r.layoutMemo[n] = found
	return found
}

func spanAttr(n *html.Node, key string, def, limit int) int {
	v, ok := getAttr(n, key)
	if !ok {
		return def
	}
	i, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || i < 0 {
		return def
	}
	return min(i, limit)
}

func (r *htmlRenderer) table(t *html.Node) error {
	rows := tableRows(t)
	width := 0
	for _, tr := range rows {
		w := 0
		for _, c := range rowCells(tr) {
			w += max(spanAttr(c, "colspan", 1, 1000), 1)
		}
		width = max(width, w)
	}
	layout := width <= 1 || r.holdsLayout(t)
	for c := t.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Caption {
			if err := r.walk(c); err != nil {
				return err
			}
		}
	}
	if layout {
		for _, tr := range rows {
			for _, c := range rowCells(tr) {
				if err := r.walk(c); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return r.dataTable(t, rows)
}

// dataTable expands rowspan and colspan into a true grid: the origin cell keeps its place, the
// other slots of its range get copies (Cell.Copy). Pages that write empty placeholder cells
// instead of spans come out as the same grid with empty cells.
func (r *htmlRenderer) dataTable(t *html.Node, trs []*html.Node) error {
	r.tables++
	place := fmt.Sprintf("table %d", r.tables)
	if r.lim.MaxRows > 0 && len(trs) > r.lim.MaxRows {
		return Errorf(r.path, place, ErrLimit, "%d rows, limit %d (raise --max-rows to read it)", len(trs), r.lim.MaxRows)
	}
	type slot struct {
		cell Cell
		set  bool
	}
	grid := make([][]slot, len(trs))
	linkRunes, runes, digits := 0, 0, false
	for ri, tr := range trs {
		col := 0
		for _, c := range rowCells(tr) {
			for col < len(grid[ri]) && grid[ri][col].set {
				col++
			}
			cs := max(spanAttr(c, "colspan", 1, 1000), 1)
			rs := spanAttr(c, "rowspan", 1, 65534)
			if rs == 0 { // rowspan=0 reaches to the end of the table
				rs = len(trs) - ri
			}
			rs = min(max(rs, 1), len(trs)-ri)
			if col+cs > maxGridColumns {
				return Errorf(r.path, fmt.Sprintf("%s row %d", place, ri+1), ErrLimit, "the row is more than %d columns wide", maxGridColumns)
			}
			r.cells += cs * rs
			if r.lim.MaxCells > 0 && r.cells > r.lim.MaxCells {
				return Errorf(r.path, fmt.Sprintf("%s row %d", place, ri+1), ErrLimit, "more than %d table cells in the document (raise --max-cells to read it)", r.lim.MaxCells)
			}
			text, lr := htmlCellText(c)
			if !r.built.spend(int64(cs*rs)*cellCost + int64(len(text))) {
				return r.built.exceeded(fmt.Sprintf("%s row %d", place, ri+1), "the page's tables")
			}
			linkRunes += lr
			for _, ch := range text {
				if !unicode.IsSpace(ch) {
					runes++
				}
				digits = digits || ('0' <= ch && ch <= '9') || ('０' <= ch && ch <= '９')
			}
			for dr := range rs {
				row := grid[ri+dr]
				for len(row) < col+cs {
					row = append(row, slot{})
				}
				for dc := range cs {
					// A slot already taken by a span from above keeps its first owner, as browsers do.
					if !row[col+dc].set {
						row[col+dc] = slot{cell: Cell{Text: text, Copy: dr > 0 || dc > 0}, set: true}
					}
				}
				grid[ri+dr] = row
			}
			col += cs
		}
	}
	width := 0
	for _, row := range grid {
		width = max(width, len(row))
	}
	out := make([][]Cell, len(grid))
	for ri, row := range grid {
		cells := make([]Cell, width)
		for ci := range cells {
			if ci < len(row) && row[ci].set {
				cells[ci] = row[ci].cell
			} else {
				cells[ci].Pad = true
			}
			cells[ci].Pos = Pos{Row: ri + 1, Col: ci + 1}
		}
		out[ri] = cells
		if !r.built.spend(rowBytes(cells)) {
			return r.built.exceeded(fmt.Sprintf("%s row %d", place, ri+1), "the page's tables")
		}
	}
	score := 0
	if len(out) >= 2 && width >= 2 && digits {
		score = 3
	}
	if runes > 0 && linkRunes*2 >= runes {
		score = -2
	}
	if !r.built.grow(len(r.units), cap(r.units), unitCost) {
		return r.built.exceeded(place, "the page's tables")
	}
	r.units = append(r.units, htmlUnit{node: t, table: true, rows: out, score: score, chrome: r.inChrome > 0})
	return nil
}

// htmlCellText renders a cell as one string: inline text joined, <br> as a space, block
// boundaries (p, div, li) joined the way joinParts does. It returns the count of link characters.
func htmlCellText(cell *html.Node) (string, int) {
	var parts []string
	var cur strings.Builder
	linkRunes := 0
	var visit func(n *html.Node, inLink bool)
	visit = func(n *html.Node, inLink bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				cur.WriteString(c.Data)
				if inLink {
					for _, ch := range c.Data {
						if !unicode.IsSpace(ch) {
							linkRunes++
						}
					}
				}
				continue
			case html.ElementNode:
			default:
				continue
			}
			if c.DataAtom == atom.Input && !hidden(c) {
				cur.WriteString(inputText(c))
				continue
			}
			if skipped[c.DataAtom] || hidden(c) {
				continue
			}
			if c.DataAtom == atom.Br {
				cur.WriteByte(' ')
				continue
			}
			if c.DataAtom == atom.Sup && footnoteMark(c, cur.String(), parts) {
				continue
			}
			if blocks[c.DataAtom] {
				parts = append(parts, cleanHTMLText(cur.String()))
				cur.Reset()
				visit(c, inLink)
				parts = append(parts, cleanHTMLText(cur.String()))
				cur.Reset()
				continue
			}
			_, href := getAttr(c, "href")
			visit(c, inLink || c.DataAtom == atom.A && href)
		}
	}
	visit(cell, false)
	parts = append(parts, cleanHTMLText(cur.String()))
	return joinParts(parts), linkRunes
}

// inputText is what a text field in a table cell shows: its value. Reporting platforms preview a
// filled-in form with read-only fields in the cells; outside cells form controls are skipped.
func inputText(in *html.Node) string {
	switch typ, _ := getAttr(in, "type"); strings.ToLower(strings.TrimSpace(typ)) {
	case "", "text", "number", "tel":
		v, _ := getAttr(in, "value")
		return v
	}
	return ""
}

// footnoteMark reports whether sup, a <sup> inside a table cell, is a footnote mark after the
// cell's content ("12<sup>1</sup>", "390<sup>※</sup>", "56<sup>[2]</sup>"): a browser prints it
// raised and small, so the eye reads 12, while its text run into the number would make 121. A
// superscript that opens the cell, or that is longer than a mark, is kept.
func footnoteMark(sup *html.Node, before string, parts []string) bool {
	if strings.TrimSpace(before) == "" && !slices.ContainsFunc(parts, func(p string) bool { return p != "" }) {
		return false
	}
	text, _ := htmlCellText(sup)
	n := 0
	for _, c := range text {
		n++
		if n > 4 || unicode.IsLetter(c) && !unicode.Is(unicode.Latin, c) && c != '注' {
			return false
		}
	}
	return true
}

// ---- choosing the article ----

// minArticleScore is the least score for which the page is narrowed down to one container: with
// fewer signals (a short notice, a fragment) the smallest container could be a lone heading.
const minArticleScore = 8

// article returns the node whose subtree holds the report (see the package comment above).
func (r *htmlRenderer) article() *html.Node {
	own := map[*html.Node]int{}
	for _, u := range r.units {
		s := u.score
		if u.chrome && s > 0 {
			s = -1
		}
		if s != 0 && u.node != nil {
			own[u.node] += s
		}
	}
	var best *html.Node
	bestScore, bestDepth := 0, -1
	// subtree returns the score of n's subtree. One post-order walk visits every node once, so a
	// deeply nested page costs no more than a flat one.
	var subtree func(n *html.Node, depth int) int
	subtree = func(n *html.Node, depth int) int {
		s := own[n]
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				s += subtree(c, depth+1)
			}
		}
		if s > 0 && (s > bestScore || s == bestScore && depth > bestDepth) {
			best, bestScore, bestDepth = n, s, depth
		}
		return s
	}
	subtree(r.root, 0)
	if bestScore < minArticleScore {
		return nil
	}
	return best
}

// subtreeOf lists the element nodes of n's subtree, n included.
func subtreeOf(n *html.Node) map[*html.Node]bool {
	set := map[*html.Node]bool{}
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		set[n] = true
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				visit(c)
			}
		}
	}
	visit(n)
	return set
}

// emit numbers and appends the units inside the article (all of them when article is nil). When
// the article does not repeat the page title, the title is emitted first: it names the report.
func (r *htmlRenderer) emit(doc *Document, article *html.Node) {
	paras, tables := 0, 0
	var kept []htmlUnit
	titled := false
	var inside map[*html.Node]bool
	if article != nil {
		inside = subtreeOf(article)
	}
	for _, u := range r.units {
		if u.linkLine || article != nil && !inside[u.node] {
			continue
		}
		kept = append(kept, u)
		titled = titled || (!u.table && r.isTitle(u.text))
	}
	if !titled && r.title != "" && article != nil {
		kept = append([]htmlUnit{{text: r.title}}, kept...)
	}
	for _, u := range kept {
		if !u.table {
			paras++
			doc.Blocks = append(doc.Blocks, Block{Kind: Paragraph, Pos: Pos{Para: paras}, Text: u.text, Level: u.level})
			continue
		}
		tables++
		for _, row := range u.rows {
			for ci := range row {
				row[ci].Pos.Table = tables
			}
		}
		doc.Blocks = append(doc.Blocks, Block{Kind: Table, Pos: Pos{Table: tables}, Rows: u.rows, Layout: LayoutGrid})
	}
}

// ---- text normalisation shared by the HTML and DOCX readers ----

// cleanText normalises a line of markup text the way the text reader does (normalizeSpace, in
// decode.go) and then collapses runs of spaces to one, as a browser or Word shows them.
func cleanText(s string) string {
	s = normalizeSpace(s)
	if !strings.ContainsAny(s, " \t\n\r\f\v") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// cleanHTMLText is cleanText plus the CSS rule for line breaks in source text: a break between two
// CJK characters is dropped ("商业\n企业" is 商业企业), elsewhere it is a space.
func cleanHTMLText(s string) string {
	if !strings.ContainsAny(s, "\n\r") {
		return cleanText(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			b.WriteRune(c)
			prev = c
			i += size
			continue
		}
		j, newline := i, false
		for j < len(s) && strings.IndexByte(" \t\n\r\f", s[j]) >= 0 {
			newline = newline || s[j] == '\n' || s[j] == '\r'
			j++
		}
		next, _ := utf8.DecodeRuneInString(s[j:])
		if !(newline && isCJK(prev) && isCJK(next)) {
			b.WriteByte(' ')
		}
		i = j
	}
	return cleanText(b.String())
}

// isCJK reports Han characters and CJK punctuation: text Chinese writes without spaces.
func isCJK(c rune) bool {
	return unicode.Is(unicode.Han, c) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF)
}

// joinParts joins the paragraphs of one table cell. Narrow cells split words over paragraphs
// ("商业" / "企业"), so two CJK sides join without a separator; anything else gets a space.
func joinParts(parts []string) string {
	var b strings.Builder
	var last rune
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			first, _ := utf8.DecodeRuneInString(p)
			if !(isCJK(last) && isCJK(first)) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(p)
		last, _ = utf8.DecodeLastRuneInString(p)
	}
	return b.String()
}
