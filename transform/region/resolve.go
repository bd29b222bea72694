package region

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Hints are what else is known about a report besides its body's name; each may be empty.
type Hints struct {
	// Year of the report: a former place fits only a report of a year before it left the lists.
	Year int
	// Dirs are the names of the folders holding the input, outermost first (relative to the input
	// root), and other names known to enclose the body, such as a collection workbook's city column.
	Dirs []string
	// Title is the report's title line.
	Title string
	// Issuer is what the report prints about itself outside its title: the signature (落款) at its
	// end and its contact address. It names the body's own place, so it decides before the folders.
	Issuer string
	// Text is narrative text of the report: the preamble, 联系地址, … . Only a city or county it
	// names decides, not a province: narratives cite other provinces' rules. A mention of the
	// body's full name (平顶山市新华区) or on an address line decides before the folders; any other
	// mention decides only after them, with a doubt (ResolveDoubt).
	Text string
}

// Resolver places reporting bodies. It is safe for concurrent use: it only reads.
type Resolver struct {
	g *Gazetteer
	// tables are the alias tables, the user's first; none while an alias file is being read.
	tables   []*Aliases
	maxRunes int // the longest name of the gazetteer and the tables
}

// NewResolver returns a resolver over the embedded divisions, the user's aliases (nil for none)
// and the built-in ones; the user's win.
func NewResolver(a *Aliases) *Resolver { return NewResolverWith(Default(), a) }

// NewResolverWith returns a resolver over another gazetteer (tests, other data).
func NewResolverWith(g *Gazetteer, a *Aliases) *Resolver {
	r := &Resolver{g: g}
	if a != nil {
		r.tables = append(r.tables, a)
	}
	r.tables = append(r.tables, Builtin())
	r.setMax()
	return r
}

// gazetteerOnly resolves by the divisions alone (used while reading an alias file).
func gazetteerOnly(g *Gazetteer) *Resolver {
	r := &Resolver{g: g}
	r.setMax()
	return r
}

func (r *Resolver) setMax() {
	r.maxRunes = r.g.maxRunes
	for _, a := range r.tables {
		r.maxRunes = max(r.maxRunes, a.max)
	}
}

// Gazetteer returns the divisions the resolver reads.
func (r *Resolver) Gazetteer() *Gazetteer { return r.g }

// cand is a place a piece of the name may mean.
type cand struct {
	p     Place
	alias *Alias // set when an alias file made the match
}

// segment is one place name found in the body.
type segment struct {
	start, end int // byte offsets
	cands      []cand
	lookalike  bool
}

// verticalPrefixes are national organs whose local branches put the place after them
// (国家税务总局平顶山市税务局).
var verticalPrefixes = []string{"国家税务总局", "国家金融监督管理总局", "中国人民银行", "中国银保监会", "中国证监会", "中国共产党", "中共"}

// Resolve places a body.
func (r *Resolver) Resolve(body string, h Hints) Resolution {
	res, _ := r.ResolveDoubt(body, h)
	return res
}

// ResolveDoubt places a body, and says in Chinese why the placement needs a look: only a passing
// mention in the text decided it, or the report's own words and its folders name different
// places; "" otherwise. (Not a field of Resolution: the caller reports it at once, and a
// Resolution is kept with every report.)
func (r *Resolver) ResolveDoubt(body string, h Hints) (Resolution, string) {
	res, doubt := r.resolve(body, h)
	if res.Scope == "" {
		res.Scope = r.scopeOf(res.Body)
	}
	return res, doubt
}

func (r *Resolver) resolve(body string, h Hints) (res Resolution, doubt string) {
	res = Resolution{Printed: body}
	body = normalize(body)
	res.Body = body
	if body == "" {
		res.Status, res.Reason = Unknown, "报告单位名称为空"
		return res, ""
	}
	var bounds [96]int
	b := runeBounds(body, bounds[:0])
	folded := foldPlace(body)
	segs, pos := r.segment(body, folded, b, 0, h.Year)
	vertical := ""
	if len(segs) == 0 {
		for _, pre := range verticalPrefixes {
			if strings.HasPrefix(body, pre) {
				vertical = pre
				segs, pos = r.segment(body, folded, b, utf8.RuneCountInString(pre), h.Year)
				break
			}
		}
	}
	if len(segs) == 0 {
		return r.noPlace(res, h), ""
	}
	rest := body[pos:]
	last := segs[len(segs)-1]
	lookalike := false
	for _, s := range segs {
		lookalike = lookalike || s.lookalike
	}
	viaAlias := false
	for _, s := range segs {
		viaAlias = viaAlias || s.cands[0].alias != nil
	}
	viaContext := false
	cands := last.cands
	if len(cands) > 1 {
		var i int
		var why string
		i, why, doubt = r.decide(cands, body[last.start:last.end], h)
		if i < 0 {
			return r.ambiguous(res, body[last.start:last.end], cands, segs), ""
		}
		cands = cands[i : i+1]
		viaContext, res.Reason = true, why
	}
	c := cands[0]
	if lookalike {
		res.Body = r.corrected(body, segs, c)
	}
	res.Chain = r.chainOf(c.p)

	// What follows the last known place: a zone outside the codes, a place not under it, or the organ.
	afterGov := strings.TrimPrefix(rest, "人民政府")
	if c.p.Level != Township && c.p.Level != Zone {
		if zone, organ, ok := zoneAhead(rest); ok {
			res.Status = ResolvedPrefix
			res.Place = Place{Name: body[:pos] + zone, Level: Zone, Parent: c.p.Code}
			res.Chain = r.chainOf(res.Place)
			res.Kind, res.Organ = classify(organ, Zone), vertical+organ
			res.Reason = fmt.Sprintf("“%s”不在行政区划代码和别名表中，按名称前缀归入%s", zone, c.p.Name)
			if lookalike {
				res.Status = ResolvedLookalike
			}
			return res, doubt
		}
		if token, ok := placeAhead(afterGov); ok {
			res.Status = Partial
			res.Candidates = r.namesakes(token)
			res.Reason = fmt.Sprintf("“%s”不是%s的下级区划%s", token, c.p.Name, describeNamesakes(res.Candidates))
			return res, ""
		}
	}
	res.Place = c.p
	res.Organ = vertical + rest
	if c.alias != nil && rest == "" {
		res.Organ = organSuffix(c.alias.Body)
		res.Kind = classify(res.Organ, c.p.Level)
	} else {
		res.Kind = classify(rest, c.p.Level)
	}
	if vertical != "" {
		res.Kind = KindDepartment
	}
	switch {
	case lookalike:
		res.Status = ResolvedLookalike
	case viaContext:
		res.Status = ResolvedContext
	case viaAlias:
		res.Status = ResolvedAlias
	default:
		res.Status = Resolved
	}
	if c.p.Former() && h.Year == 0 {
		res.Reason = fmt.Sprintf("“%s”是已撤销或更名的区划%s；报告未给出年度", c.p.Name, r.successorText(c.p))
	}
	return res, doubt
}

// segment finds the chain of place names that starts the body at rune s, each under the one before.
func (r *Resolver) segment(body, folded string, b []int, s, year int) ([]segment, int) {
	var segs []segment
	var prev []cand
	for s < len(b)-1 {
		at := s
		// A township after its county's government: 黄浦区人民政府打浦桥街道办事处.
		if len(segs) > 0 && strings.HasPrefix(body[b[s]:], "人民政府") && s+4 < len(b)-1 {
			if m, ok := r.matchAt(body, folded, b, s+4, prev, year); ok {
				segs = append(segs, m)
				prev = m.cands
				s = runeIndex(b, m.end)
				continue
			}
		}
		m, ok := r.matchAt(body, folded, b, at, prev, year)
		if !ok {
			break
		}
		segs = append(segs, m)
		prev = m.cands
		s = runeIndex(b, m.end)
	}
	// Later names narrow the earlier ones: 鼓楼区 is settled once the township after it is unique.
	for i := len(segs) - 2; i >= 0; i-- {
		segs[i].cands = ancestorsAmong(r, segs[i].cands, segs[i+1].cands)
	}
	if len(segs) == 0 {
		return nil, b[s]
	}
	return segs, segs[len(segs)-1].end
}

func runeIndex(b []int, off int) int {
	return sort.SearchInts(b, off)
}

// ancestorsAmong keeps the candidates that are above one of the places below.
func ancestorsAmong(r *Resolver, up, below []cand) []cand {
	out := up[:0:0]
	for _, u := range up {
		for _, d := range below {
			if r.g.ancestorOf(u.p.Code, d.p, r.extra) {
				out = append(out, u)
				break
			}
		}
	}
	return out
}

// matchAt finds the longest place name at rune s that fits under prev (any place when prev is
// nil): exactly first, then with look-alike characters folded.
func (r *Resolver) matchAt(body, folded string, b []int, s int, prev []cand, year int) (segment, bool) {
	var buf [8]cand
	for pass := 0; pass < 2; pass++ {
		src := body
		if pass == 1 {
			src = folded
		}
		maxR := min(len(b)-1-s, r.longestAt(src[b[s]:], pass == 1, prev != nil))
		for n := maxR; n >= 2; n-- {
			key := src[b[s]:b[s+n]]
			cs := r.lookup(buf[:0], key, pass == 1, prev != nil)
			cs = r.fit(cs, prev, year)
			if pass == 1 {
				printed := body[b[s]:b[s+n]]
				cs = dropExact(cs, printed)
			}
			if divisionAhead(body[b[s+n]:]) {
				cs = dropProvinceStems(cs, key)
			}
			if len(cs) > 0 {
				return segment{start: b[s], end: b[s+n], cands: append([]cand(nil), cs...), lookalike: pass == 1}, true
			}
		}
	}
	return segment{}, false
}

// longestAt bounds the names that may start at the start of s.
func (r *Resolver) longestAt(s string, fold, child bool) int {
	c, _ := utf8.DecodeRuneInString(s)
	n := 0
	if fold {
		n = r.g.folded.longestAt(c)
		if child {
			n = max(n, r.g.foldedChild.longestAt(c))
		}
	} else {
		n = r.g.byName.longestAt(c)
		if child {
			n = max(n, r.g.childNames.longestAt(c))
		}
	}
	for _, a := range r.tables {
		if fold {
			n = max(n, a.longestFolded[c])
		} else {
			n = max(n, a.longest[c])
		}
	}
	return n
}

// divisionSuffixes end the name of a division below a province.
var divisionSuffixes = []string{"自治州", "自治县", "自治旗", "地区", "街道", "县", "州", "市", "区", "旗", "盟", "镇", "乡"}

// divisionAhead: s starts with a division's suffix (市场监督管理局, 区域 are no 市, 区).
func divisionAhead(s string) bool {
	for _, suf := range divisionSuffixes {
		if rest, ok := strings.CutPrefix(s, suf); ok {
			return !strings.HasPrefix(rest, "场") && !strings.HasPrefix(rest, "域")
		}
	}
	return false
}

// dropProvinceStems drops the provinces named by their stem when a division's suffix follows it:
// 河南县 and 海南州 are other places (in 青海), never 河南省 and 海南省.
func dropProvinceStems(cs []cand, key string) []cand {
	out := cs[:0]
	for _, c := range cs {
		if c.alias == nil && c.p.Level == Province && c.p.Name != key {
			continue
		}
		out = append(out, c)
	}
	return out
}

func dropExact(cs []cand, printed string) []cand {
	out := cs[:0]
	for _, c := range cs {
		if c.name() != printed {
			out = append(out, c)
		}
	}
	return out
}

// name is what the candidate is called in the body: the alias's body or the place's name.
func (c cand) name() string {
	if c.alias != nil {
		return c.alias.Body
	}
	return c.p.Name
}

// lookup appends the candidates a name may mean. An alias overrides the gazetteer: the first table
// that knows the name answers alone.
func (r *Resolver) lookup(dst []cand, key string, fold, child bool) []cand {
	for _, a := range r.tables {
		if fold {
			for _, i := range a.folded[key] {
				if !a.list[i].Place.IsZero() {
					dst = append(dst, cand{p: a.list[i].Place, alias: &a.list[i]})
				}
			}
		} else if i, ok := a.byBody[key]; ok && !a.list[i].Place.IsZero() {
			dst = append(dst, cand{p: a.list[i].Place, alias: &a.list[i]})
		}
		if len(dst) > 0 {
			return dst
		}
	}
	var idx [8]int32
	ids := idx[:0]
	if fold {
		ids = r.g.folded.get(ids, key)
		if child {
			ids = r.g.foldedChild.get(ids, key)
		}
	} else {
		ids = r.g.byName.get(ids, key)
		if child {
			ids = r.g.childNames.get(ids, key)
		}
	}
	for _, i := range ids {
		dst = append(dst, cand{p: *r.g.at(i)})
	}
	return dst
}

// fit keeps the candidates under one of prev that existed in the report's year.
func (r *Resolver) fit(cs []cand, prev []cand, year int) []cand {
	out := cs[:0]
	for _, c := range cs {
		if year != 0 && c.p.Former() && year > c.p.Until {
			continue
		}
		if prev != nil {
			under := false
			for _, p := range prev {
				if p.p.Code != "" && p.p.Code != c.p.Code && r.g.ancestorOf(p.p.Code, c.p, r.extra) {
					under = true
					break
				}
			}
			if !under {
				continue
			}
		}
		dup := false
		for _, o := range out {
			if o.p.Code == c.p.Code && o.p.Name == c.p.Name {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, c)
		}
	}
	return out
}

// extra finds the places alias files make under codes of their own.
func (r *Resolver) extra(code string) (Place, bool) {
	for _, a := range r.tables {
		if p, ok := a.place(code); ok {
			return p, true
		}
	}
	return Place{}, false
}

func (r *Resolver) chainOf(p Place) Chain { return r.g.chainOf(p, r.extra) }

// scopeOf returns the scope an alias fixes for exactly this body.
func (r *Resolver) scopeOf(body string) string {
	for _, a := range r.tables {
		if al, ok := a.Lookup(body); ok && al.Scope != "" {
			return al.Scope
		}
	}
	return ""
}

// corrected writes the body with each look-alike place name replaced by the name it stands for.
func (r *Resolver) corrected(body string, segs []segment, final cand) string {
	var b strings.Builder
	at := 0
	for i, s := range segs {
		if !s.lookalike {
			continue
		}
		c := final
		if i < len(segs)-1 {
			if len(s.cands) != 1 {
				return body // which of several names it stands for is not settled
			}
			c = s.cands[0]
		}
		b.WriteString(body[at:s.start])
		b.WriteString(c.name())
		at = s.end
	}
	b.WriteString(body[at:])
	return b.String()
}

// noPlace handles a body that starts with no known place.
func (r *Resolver) noPlace(res Resolution, h Hints) Resolution {
	body := res.Body
	if lvl, organ, ok := levelWordBody(body); ok {
		// 市教育局 in a folder 淮安市/洪泽区 is the city's bureau, not the district's: the body's
		// place is the one of the folder's chain its level word names, or none.
		return r.levelWordPlace(res, h, lvl, organ)
	}
	if token, ok := unknownPrefix(body); ok {
		res.Status = Unknown
		res.Candidates = r.namesakes(token)
		if len(res.Candidates) > 0 && allFormer(res.Candidates) {
			var parts []string
			for _, p := range res.Candidates {
				parts = append(parts, placeLabel(r.chainOf(p))+"（"+p.Code+"）"+r.successorText(p))
			}
			res.Reason = fmt.Sprintf("“%s”是已撤销或更名的区划：%s；报告年度（%d年）时已不存在", token, strings.Join(parts, "；"), h.Year)
		} else {
			res.Reason = fmt.Sprintf("“%s”不在行政区划代码和别名表中%s", token, describeNamesakes(res.Candidates))
		}
		return res
	}
	if p, dir, ok := r.placeFromDirs(h); ok {
		res.Status, res.Place, res.Chain = ResolvedContext, p, r.chainOf(p)
		res.Kind, res.Organ = classify(body, LevelNone), body
		if res.Kind == KindGovernment {
			res.Kind = KindDepartment
		}
		res.Reason = fmt.Sprintf("单位名称不含地名，按文件夹“%s”归入%s", dir, p.Name)
		return res
	}
	res.Status = Unknown
	res.Reason = "单位名称不含可识别的地名，文件夹也未指明"
	return res
}

// levelWords are the level words a body may start with instead of its place's name (市教育局).
var levelWords = []string{"市", "区", "县", "旗", "州"}

// levelWordBody splits a body that names its place by its level word alone: 市教育局 → 市, 教育局.
// 市场监督管理局 and 区域… are no such bodies.
func levelWordBody(body string) (lvl, organ string, ok bool) {
	for _, w := range levelWords {
		rest, found := strings.CutPrefix(body, w)
		if !found || utf8.RuneCountInString(rest) < 2 {
			continue
		}
		if strings.HasPrefix(rest, "场") || strings.HasPrefix(rest, "域") || strings.HasPrefix(rest, "级") || strings.HasPrefix(rest, "区") {
			return "", "", false
		}
		return w, rest, true
	}
	return "", "", false
}

// levelWordPlace places a body named by its level word: the innermost place of the folders' chain
// whose name ends with that word.
func (r *Resolver) levelWordPlace(res Resolution, h Hints, lvl, organ string) Resolution {
	p, dir, ok := r.placeFromDirs(h)
	if !ok {
		res.Status = Unknown
		res.Reason = fmt.Sprintf("单位名称只写了“%s”，文件夹也未指明是哪个%s", lvl, lvl)
		return res
	}
	ch := r.chainOf(p)
	for _, q := range []Place{ch.Township, ch.County, ch.City} {
		if q.IsZero() || !strings.HasSuffix(q.Name, lvl) {
			continue
		}
		res.Status, res.Place, res.Chain = ResolvedContext, q, r.chainOf(q)
		res.Organ, res.Kind = organ, classify(organ, q.Level)
		res.Reason = fmt.Sprintf("单位名称只写了“%s”，按文件夹“%s”归入%s", lvl, dir, placeLabel(res.Chain))
		return res
	}
	res.Status = Unknown
	res.Reason = fmt.Sprintf("单位名称只写了“%s”，文件夹“%s”（%s）中没有对应的%s", lvl, dir, placeLabel(ch), lvl)
	return res
}

// FolderConflict returns the place the input's innermost placed folder names when the body was
// placed elsewhere: neither there nor under it (淮安市教育局 in a folder 洪泽区, or in 宿迁市). The
// body's own name wins; the caller says that the two disagree.
func (r *Resolver) FolderConflict(res Resolution, h Hints) (Place, string, bool) {
	// A body placed by its context was placed with the folders in view (decide says when the
	// report's words overrode them).
	if !res.Status.Placed() || res.Status == ResolvedContext || len(h.Dirs) == 0 || res.Place.IsZero() {
		return Place{}, "", false
	}
	p, dir, ok := r.placeFromDirs(h)
	if !ok || p.Code == "" || p.Code == res.Place.Code || r.g.ancestorOf(p.Code, res.Place, r.extra) {
		return Place{}, "", false
	}
	return p, dir, true
}

// PlaceLabel writes a place with its city: 南京市鼓楼区.
func (r *Resolver) PlaceLabel(p Place) string { return placeLabel(r.chainOf(p)) }

// placeFromDirs returns the place the innermost folder names, when it names exactly one.
func (r *Resolver) placeFromDirs(h Hints) (Place, string, bool) {
	for i := len(h.Dirs) - 1; i >= 0; i-- {
		d := normalize(h.Dirs[i])
		if d == "" {
			continue
		}
		if p, ok := r.g.current(d); ok && digits(d) {
			return p, d, true
		}
		var bounds [64]int
		b := runeBounds(d, bounds[:0])
		segs, _ := r.segment(d, foldPlace(d), b, 0, h.Year)
		if len(segs) == 0 && utf8.RuneCountInString(d) >= 2 {
			d += "市" // a folder named by a city's stem: 平顶山
			b = runeBounds(d, bounds[:0])
			segs, _ = r.segment(d, foldPlace(d), b, 0, h.Year)
		}
		if len(segs) == 0 {
			continue
		}
		last := segs[len(segs)-1]
		if len(last.cands) == 1 && !last.lookalike {
			return last.cands[0].p, h.Dirs[i], true
		}
	}
	return Place{}, "", false
}

// decide picks the one candidate whose city (or county, or province) the hints name. The report's
// own words about itself come first: the title, the issuer (落款, address), the body's full name in
// the text; then the folders; last a passing mention in the text, which decides only with a doubt.
// It returns -1 when no source singles one out. doubt says why the choice needs a look: a passing
// mention decided, or the folders name another of the places than the report's own words.
func (r *Resolver) decide(cands []cand, name string, h Hints) (best int, why, doubt string) {
	type source struct {
		label string
		texts []string
		mode  mentionMode
		min   int // the weakest mention that decides
	}
	sources := [...]source{
		{"标题", []string{h.Title}, mentionAny, 1},
		{"落款或地址", []string{h.Issuer}, mentionAny, 1},
		{"正文中的全称或地址", []string{h.Text}, mentionOwn, 2},
		{"文件夹", h.Dirs, mentionDirs, 1},
		{"正文", []string{h.Text}, mentionAny, 2},
	}
	pick := func(s source) (int, string) {
		best, bestScore, tie, named := -1, 0, false, ""
		for i, c := range cands {
			score, nm := r.mentioned(c, name, s.texts, s.mode)
			switch {
			case score > bestScore:
				best, bestScore, tie, named = i, score, false, nm
			case score == bestScore && score > 0:
				tie = true
			}
		}
		if best >= 0 && !tie && bestScore >= s.min {
			return best, named
		}
		return -1, ""
	}
	for k, s := range sources {
		i, named := pick(s)
		if i < 0 {
			continue
		}
		label := placeLabel(r.chainOf(cands[i].p))
		why = fmt.Sprintf("“%s”有%d处，%s提到“%s”，归入%s", cands[i].name(), len(cands), s.label, named, label)
		switch s.mode {
		case mentionDirs:
			// The folders decided by an outer name (平顶山市) while an inner one names a place the
			// candidate is not under (叶县, which has no 城关镇): the folder is wrong, or the name.
			if p, dir, ok := r.placeFromDirs(h); ok && p.Code != "" && !r.g.ancestorOf(p.Code, cands[i].p, r.extra) {
				doubt = fmt.Sprintf("文件夹“%s”（%s）下没有“%s”，按文件夹中的“%s”归入%s，请核对", dir, placeLabel(r.chainOf(p)), cands[i].name(), named, label)
			}
		case mentionAny, mentionOwn:
			if k == len(sources)-1 {
				doubt = fmt.Sprintf("“%s”有%d处，只有正文顺带提到“%s”，据此归入%s，请核对", cands[i].name(), len(cands), named, label)
				break
			}
			// The report's own words decided: say so when the folders point elsewhere.
			if j, dir := pick(sources[3]); j >= 0 && j != i {
				doubt = fmt.Sprintf("%s提到“%s”，与文件夹所指的“%s”（%s）不一致，按%s归入%s", s.label, named, dir, placeLabel(r.chainOf(cands[j].p)), s.label, label)
			}
		}
		return i, why, doubt
	}
	return -1, "", ""
}

// mentionMode is how a source's texts are searched for a place above a candidate.
type mentionMode uint8

const (
	mentionAny  mentionMode = iota // anywhere in the text
	mentionOwn                     // as part of the body's full name (平顶山市新华区), or on an address line
	mentionDirs                    // a folder's name, its stem or code, or anywhere in it
)

// addressLead starts a line that gives the body's own address.
var addressLead = regexp.MustCompile(`(?:联系|通讯|通信|办公|单位)?地址[:：]`)

// mentioned scores how closely texts name a place above c: 3 its county, 2 its city, 1 its
// province, 0 none; with the name found. name is the body's ambiguous place name (新华区).
func (r *Resolver) mentioned(c cand, name string, texts []string, mode mentionMode) (int, string) {
	ch := r.chainOf(c.p)
	levels := [...]struct {
		p     Place
		score int
	}{{ch.County, 3}, {ch.City, 2}, {ch.Province, 1}}
	for _, l := range levels {
		if l.p.IsZero() || l.p.Code == c.p.Code {
			continue
		}
		for _, t := range texts {
			if t == "" {
				continue
			}
			switch mode {
			case mentionOwn:
				if ownMention(t, l.p.Name, name) {
					return l.score, l.p.Name
				}
				continue
			case mentionDirs:
				if n := normalize(t); n == l.p.Code || (n == Stem(l.p.Name) && len([]rune(n)) >= 2) {
					return l.score, l.p.Name
				}
			}
			if strings.Contains(t, l.p.Name) {
				return l.score, l.p.Name
			}
		}
	}
	return 0, ""
}

// ownMention reports whether t names place as part of the body's full name (place followed by
// name, 平顶山市新华区, or 平顶山市人民政府新华区…) or on an address line.
func ownMention(t, place, name string) bool {
	for rest := t; ; {
		i := strings.Index(rest, place)
		if i < 0 {
			return false
		}
		after := rest[i+len(place):]
		if strings.HasPrefix(after, name) {
			return true
		}
		lineStart := strings.LastIndexByte(rest[:i], '\n') + 1
		if addressLead.MatchString(rest[lineStart:i]) {
			return true
		}
		rest = after
	}
}

func (r *Resolver) ambiguous(res Resolution, name string, cands []cand, segs []segment) Resolution {
	res.Status = Ambiguous
	for _, c := range cands {
		res.Candidates = append(res.Candidates, c.p)
	}
	// The chain the candidates share (宿迁市… when two zones of one city fit).
	ch := r.chainOf(cands[0].p)
	for _, c := range cands[1:] {
		o := r.chainOf(c.p)
		if o.Province.Code != ch.Province.Code {
			ch.Province = Place{}
		}
		if o.City.Code != ch.City.Code {
			ch.City = Place{}
		}
		ch.County, ch.Township = Place{}, Place{}
	}
	if ch.Province.IsZero() {
		ch.City = Place{}
	}
	res.Chain = ch
	var labels []string
	for i, c := range cands {
		if i == maxListed {
			labels = append(labels, "…")
			break
		}
		labels = append(labels, placeLabel(r.chainOf(c.p)))
	}
	res.Reason = fmt.Sprintf("“%s”有%d处：%s；文件夹、标题和正文都未指明是哪一处", name, len(cands), strings.Join(labels, "、"))
	return res
}

// maxListed caps the places a message names.
const maxListed = 8

// namesakes are the places, current or former, that bear a name, for messages.
func (r *Resolver) namesakes(name string) []Place {
	out := r.g.ByName(name)
	if len(out) > maxListed {
		out = out[:maxListed]
	}
	return out
}

func allFormer(ps []Place) bool {
	for _, p := range ps {
		if !p.Former() {
			return false
		}
	}
	return len(ps) > 0
}

// describeNamesakes says where else a name is found: "（另有：无锡市北塘区（已撤销，2016年起不再列出））".
func describeNamesakes(ps []Place) string {
	if len(ps) == 0 {
		return ""
	}
	return "（另有：" + describe(ps) + "）"
}

func describe(ps []Place) string {
	g := Default()
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = placeLabel(g.chainOf(p, nil)) + "（" + p.Code
		if p.Former() {
			parts[i] += fmt.Sprintf("，已撤销或更名，%d年起不再列出", p.Until)
		}
		parts[i] += "）"
	}
	return strings.Join(parts, "、")
}

// successorText names a former place's successors.
func (r *Resolver) successorText(p Place) string {
	if len(p.Successors) == 0 {
		return fmt.Sprintf("，%d年起不再列出", p.Until)
	}
	names := make([]string, 0, len(p.Successors))
	for _, s := range p.Successors {
		if q, ok := r.g.current(s); ok {
			names = append(names, q.Name+"（"+s+"）")
		}
	}
	if p.SuccessorsBy == "created" {
		return fmt.Sprintf("，%d年起不再列出，可能的后继：%s", p.Until, strings.Join(names, "、"))
	}
	return fmt.Sprintf("，%d年起不再列出，后继：%s", p.Until, strings.Join(names, "、"))
}

// placeLabel writes a place with its city: 南京市鼓楼区, 上海市黄浦区打浦桥街道, 河南省.
func placeLabel(c Chain) string {
	var b strings.Builder
	for _, p := range []Place{c.Province, c.City, c.County, c.Township} {
		if p.IsZero() || strings.HasSuffix(b.String(), p.Name) {
			continue
		}
		if p.Level == Province && !c.City.IsZero() && c.City.Code != p.Code {
			continue // 南京市鼓楼区, not 江苏省南京市鼓楼区
		}
		b.WriteString(p.Name)
	}
	return b.String()
}

func runeBounds(s string, b []int) []int {
	for i := range s {
		b = append(b, i)
	}
	return append(b, len(s))
}

// ---- what follows a place ----

const organChars = "局委办厅所处院站队部会室组社团校"

var (
	zoneWords = `示范区|开发区|高新区|经开区|新区|实验区|试验区|园区|保税区|合作区|度假区|管理区|产业集聚区|工业区|保护区`
	// a zone outside the codes, named after its place: 平顶山市 + 城乡一体化示范区
	zoneRE = regexp.MustCompile(`^(\p{Han}{0,12}?)(?:` + zoneWords + `)`)
	// a place-like name: 新华区, 城东区, 某某镇, 某某街道
	placeRE = regexp.MustCompile(`^\p{Han}{2,6}?(?:区|县|旗|镇|乡|街道)`)
	// words ending like places that are none: 城乡(建设), 城镇, 社区, 辖区, …
	notPlaceEnd = []string{"城乡", "城镇", "乡镇", "社区", "辖区", "市区", "郊区", "片区", "小区", "林区", "牧区", "灾区", "矿区", "山区", "库区", "老区", "湖区", "垦区", "城区", "景区", "园区", "地区", "保护区", "风景区"}
	// a place-like start of a whole body: 样例市…, 某某区…, 某某县…
	unknownRE = regexp.MustCompile(`^\p{Han}{2,8}?(?:省|自治区|市|自治州|州|盟|地区|区|县|旗)`)
)

// zoneAhead finds a zone's name at the start of rest: 城乡一体化示范区 of 城乡一体化示范区管理委员会.
func zoneAhead(rest string) (zone, organ string, ok bool) {
	if !strings.Contains(rest, "区") { // every zone word ends in 区: skip the regexp
		return "", "", false
	}
	m := zoneRE.FindStringSubmatchIndex(rest)
	if m == nil || strings.ContainsAny(rest[m[2]:m[3]], organChars) {
		return "", "", false
	}
	return rest[:m[1]], rest[m[1]:], true
}

// placeAhead finds a place-like name that is no known place at the start of rest.
func placeAhead(rest string) (string, bool) {
	if !strings.ContainsAny(rest, "区县旗镇乡街") {
		return "", false
	}
	m := placeRE.FindString(rest)
	if m == "" || strings.ContainsAny(m, organChars) {
		return "", false
	}
	for _, e := range notPlaceEnd {
		if strings.HasSuffix(m, e) {
			return "", false
		}
	}
	return m, true
}

// unknownPrefix finds a place-like start of a body that names no known place (样例市示范区管理委员会 →
// 样例市), so it is not taken for a department of whatever folder holds it.
func unknownPrefix(body string) (string, bool) {
	m := unknownRE.FindString(body)
	if m == "" || strings.ContainsAny(m, organChars) || strings.HasPrefix(body[len(m):], "场") {
		return "", false // 市场监督管理局 is no 市
	}
	for _, e := range notPlaceEnd {
		if strings.HasSuffix(m, e) {
			return "", false
		}
	}
	return m, true
}

// organSuffix is the organ word that ends a body's name, for alias bodies that are matched whole.
func organSuffix(body string) string {
	for _, s := range []string{"人民政府办公室", "人民政府办公厅", "街道办事处", "镇人民政府", "乡人民政府", "人民政府", "管理委员会办公室", "管委会办公室", "管理委员会", "管委会"} {
		if strings.HasSuffix(body, s) {
			if s == "镇人民政府" || s == "乡人民政府" {
				return "人民政府"
			}
			return s
		}
	}
	return ""
}

var offices = map[string]bool{
	"人民政府办公室": true, "人民政府办公厅": true, "政府办公室": true, "政府办公厅": true, "政府办": true,
	"办公室": true, "办公厅": true, "管委会办公室": true, "管理委员会办公室": true, "党政办公室": true,
	"党政综合办公室": true, "党工委管委会办公室": true,
}

// classify tells the kind of body from the organ's name and the level of its place.
func classify(organ string, level Level) Kind {
	switch organ {
	case "", "人民政府", "政府":
		switch level {
		case Township:
			return KindTownship
		case Zone:
			return KindZone
		}
		return KindGovernment
	case "街道办事处", "办事处", "人民政府办事处", "街道":
		if level == Township {
			return KindTownship
		}
	case "管理委员会", "管委会", "党工委管委会", "党工委管理委员会", "党工委、管委会":
		if level == Zone {
			return KindZone
		}
	}
	if offices[organ] {
		return KindOffice
	}
	return KindDepartment
}
