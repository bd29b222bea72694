package region

import (
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed data/divisions.txt
var divisionsData string

// Gazetteer holds the divisions: current places sorted by code, former places, and name indexes.
type Gazetteer struct {
	places []Place // current, sorted by code
	former []Place // sorted by code, then name
	source string  // the data's provenance line

	// Names index places: an entry i < len(places) is places[i], else former[i-len(places)].
	// byName has every current name and the former names that are not also a successor's name
	// (a code that moved keeps its name: the current place answers for it).
	byName names
	// childNames are zones' names without their city's (平顶山市城乡一体化示范区 → 城乡一体化示范区),
	// matched only right after their parent.
	childNames names
	// folded indexes, under look-alike folding, the names that hold a look-alike character.
	folded, foldedChild names
	maxRunes            int // the longest name, in runes
}

// names maps a name to the places that bear it; most names have one, so the first sits in one map
// and the rest in another (this keeps the index small and quick to build).
type names struct {
	first map[string]int32
	more  map[string][]int32
	// longest maps a name's first character to the longest name (in runes) that starts with it,
	// so a look-up tries only lengths that exist.
	longest map[rune]int
}

func newNames(n int) names {
	return names{first: make(map[string]int32, n), more: map[string][]int32{}, longest: map[rune]int{}}
}

// longestAt returns the longest name starting with r, 0 for none.
func (ns *names) longestAt(r rune) int { return ns.longest[r] }

func (ns *names) add(name string, i int32) {
	r, _ := utf8.DecodeRuneInString(name)
	ns.longest[r] = max(ns.longest[r], utf8.RuneCountInString(name))
	if _, ok := ns.first[name]; !ok {
		ns.first[name] = i
		return
	}
	ns.more[name] = append(ns.more[name], i)
}

// get appends the places of name to dst.
func (ns *names) get(dst []int32, name string) []int32 {
	i, ok := ns.first[name]
	if !ok {
		return dst
	}
	dst = append(dst, i)
	return append(dst, ns.more[name]...)
}

var (
	defaultOnce sync.Once
	defaultGaz  *Gazetteer
)

// Default returns the embedded divisions, parsed on first use.
func Default() *Gazetteer {
	defaultOnce.Do(func() {
		g, err := Parse(divisionsData)
		if err != nil {
			panic("region: embedded data/divisions.txt: " + err.Error()) // a build defect: tests parse it
		}
		defaultGaz = g
	})
	return defaultGaz
}

// Parse reads a division file in the format gen writes (see data/divisions.txt's header).
func Parse(data string) (*Gazetteer, error) {
	g := &Gazetteer{}
	nTown := strings.Count(data, "\n")
	g.places = make([]Place, 0, nTown)
	// Township codes are written as 3 digits after their county: one buffer holds them all.
	var codes strings.Builder
	type pending struct{ at, end int }
	var townCodes []pending
	last6 := ""
	inFormer := false
	var fields [6]string
	for n, line := 1, ""; data != ""; n++ {
		line, data, _ = strings.Cut(data, "\n")
		if line == "" || line[0] == '#' {
			if src, ok := strings.CutPrefix(line, "# current: "); ok {
				g.source = src
			}
			continue
		}
		if line == "[former]" {
			inFormer = true
			continue
		}
		f := splitTabs(line, fields[:0])
		if inFormer {
			if len(f) != 5 || len(f[0]) != 6 {
				return nil, fmt.Errorf("line %d: want code, name, year, successors, evidence", n)
			}
			until, err := strconv.Atoi(f[2])
			if err != nil || until < 1980 {
				return nil, fmt.Errorf("line %d: bad year %q", n, f[2])
			}
			p := Place{Code: f[0], Name: f[1], Level: levelOf(f[0]), Until: until, SuccessorsBy: f[4]}
			if f[3] != "" {
				p.Successors = strings.Split(f[3], ",")
			}
			g.former = append(g.former, p)
			continue
		}
		if len(f) != 2 || f[1] == "" || !digits(f[0]) {
			return nil, fmt.Errorf("line %d: want code<TAB>name", n)
		}
		code := f[0]
		switch len(code) {
		case 6:
			last6 = code
		case 3:
			if last6 == "" {
				return nil, fmt.Errorf("line %d: township before any county", n)
			}
			at := codes.Len()
			codes.WriteString(last6)
			codes.WriteString(code)
			townCodes = append(townCodes, pending{at, len(g.places)})
			code = ""
		case 9:
		default:
			return nil, fmt.Errorf("line %d: code %q is neither 3, 6 nor 9 digits", n, code)
		}
		g.places = append(g.places, Place{Code: code, Name: f[1], Level: levelOf(f[0])})
	}
	all := codes.String()
	for _, t := range townCodes {
		g.places[t.end].Code = all[t.at : t.at+9]
	}
	if !sort.SliceIsSorted(g.places, func(a, b int) bool { return g.places[a].Code < g.places[b].Code }) {
		return nil, fmt.Errorf("places are not sorted by code")
	}
	sort.SliceStable(g.former, func(a, b int) bool { return g.former[a].Code < g.former[b].Code })
	for i := range g.places {
		g.places[i].Parent = g.parentOf(g.places[i].Code, false)
	}
	for i := range g.former {
		g.former[i].Parent = g.parentOf(g.former[i].Code, true)
	}
	g.index()
	return g, nil
}

// splitTabs splits a line at TABs into dst (no allocation for short lines).
func splitTabs(line string, dst []string) []string {
	for {
		f, rest, more := strings.Cut(line, "\t")
		dst = append(dst, f)
		if !more {
			return dst
		}
		line = rest
	}
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// levelOf reads a code's level from its shape: PP0000 province, PPCC00 city, PPCC7x zone (the
// statistical codes give development zones 71–79), other 6 digits county, 9 digits township.
func levelOf(code string) Level {
	switch {
	case len(code) == 3 || len(code) == 9:
		return Township
	case len(code) != 6:
		return LevelNone
	case code[2:] == "0000":
		return Province
	case code[4:] == "00":
		return City
	case code[4] == '7':
		return Zone
	}
	return County
}

// parentOf: a township's county (or its city, for a city without counties); a county's city (or
// its province: municipalities, 省直辖 places); a city's province.
func (g *Gazetteer) parentOf(code string, withFormer bool) string {
	has := func(c string) bool {
		if _, ok := g.current(c); ok {
			return true
		}
		if withFormer {
			_, ok := g.formerByCode(c)
			return ok
		}
		return false
	}
	switch levelOf(code) {
	case Township:
		if has(code[:6]) {
			return code[:6]
		}
		if has(code[:4] + "00") {
			return code[:4] + "00"
		}
		return code[:2] + "0000"
	case County, Zone:
		if has(code[:4] + "00") {
			return code[:4] + "00"
		}
		return code[:2] + "0000"
	case City:
		return code[:2] + "0000"
	}
	return ""
}

func (g *Gazetteer) index() {
	n := len(g.places) + len(g.former)
	g.byName = newNames(n)
	g.childNames = newNames(512)
	g.folded = newNames(1024)
	g.foldedChild = newNames(64)
	add := func(ns, fold *names, name string, i int32) {
		ns.add(name, i)
		if hasLookalike(name) {
			fold.add(foldPlace(name), i)
		}
		if r := len([]rune(name)); r > g.maxRunes {
			g.maxRunes = r
		}
	}
	for i := range g.places {
		p := &g.places[i]
		add(&g.byName, &g.folded, p.Name, int32(i))
		if p.Level == Province {
			// Bodies and folders write a province without 省 (江苏淮安市…); no other place bears
			// these stems, and a longer name (吉林市) is tried first.
			if st := Stem(p.Name); st != p.Name {
				add(&g.byName, &g.folded, st, int32(i))
			}
		}
		if p.Level == Zone {
			if short := g.shortZoneName(p); short != "" {
				for _, n := range zoneNameVariants(short) {
					add(&g.childNames, &g.foldedChild, n, int32(i))
				}
			}
		}
	}
	for i := range g.former {
		p := &g.former[i]
		if p.SuccessorsBy == "name" || (p.SuccessorsBy == "code" && g.sameNameSuccessor(p)) {
			continue // a code that moved: its current namesake answers for the name
		}
		add(&g.byName, &g.folded, p.Name, int32(len(g.places)+i))
	}
	// Autonomous places go by their name without the peoples (海南州 for 海南藏族自治州, 河南县 for
	// 河南蒙古族自治县), banners by their contracted names (科左中旗), and so on: shortNames. A short
	// name is indexed only when it means one place: none bears it as its own, and no other place's
	// name shortens to it (an ambiguous short form is left to the alias file).
	type shortName struct {
		name string
		i    int32
	}
	var shorts []shortName
	owner := map[string]int32{}
	for i := range g.places {
		if l := g.places[i].Level; l != County && l != City {
			continue
		}
		for _, short := range shortNames(g.places[i].Name) {
			if _, taken := g.byName.first[short]; taken {
				continue
			}
			shorts = append(shorts, shortName{short, int32(i)})
			if o, seen := owner[short]; seen && o != int32(i) {
				owner[short] = -1
				continue
			}
			owner[short] = int32(i)
		}
	}
	for _, s := range shorts {
		if owner[s.name] == s.i {
			add(&g.byName, &g.folded, s.name, s.i)
			owner[s.name] = -2 // indexed once
		}
	}
}

// shortNames are the short forms a county- or prefecture-level name goes by, besides its own:
//   - an autonomous place's name without its peoples (autonomousShortName: 河南县, 海南州);
//   - for a county, when more than three characters remain, their first two (前郭尔罗斯蒙古族自治县
//     → 前郭县);
//   - a banner's or county's 左翼/右翼 contracted to the name's first character and 左/右
//     (科尔沁左翼中旗 → 科左中旗, 喀喇沁左翼蒙古族自治县 → 喀左县).
func shortNames(name string) []string {
	var out []string
	short := autonomousShortName(name)
	full := name
	if short != "" {
		out = append(out, short)
		full = short
		suffix := string([]rune(short)[utf8.RuneCountInString(short)-1:])
		if base := []rune(strings.TrimSuffix(short, suffix)); len(base) > 3 && suffix == "县" {
			out = append(out, string(base[:2])+suffix)
		}
	}
	for _, wing := range [][2]string{{"左翼", "左"}, {"右翼", "右"}} {
		before, after, ok := strings.Cut(full, wing[0])
		if !ok || utf8.RuneCountInString(before) < 2 {
			continue
		}
		first, _ := utf8.DecodeRuneInString(before)
		out = append(out, string(first)+wing[1]+after)
	}
	return out
}

// peoples are the names of the peoples autonomous places are named after, as the names print them.
var peoples = []string{
	"柯尔克孜", "乌孜别克", "维吾尔", "达斡尔", "鄂伦春", "鄂温克", "哈萨克", "塔吉克", "塔塔尔", "俄罗斯",
	"蒙古", "朝鲜", "土家", "布依", "哈尼", "傈僳", "拉祜", "东乡", "纳西", "景颇", "仫佬", "布朗", "撒拉",
	"毛南", "仡佬", "锡伯", "阿昌", "普米", "德昂", "保安", "裕固", "独龙", "赫哲", "门巴", "珞巴", "基诺",
	"高山", "回", "藏", "苗", "彝", "壮", "满", "侗", "瑶", "白", "傣", "黎", "佤", "畲", "水", "土", "羌",
	"怒", "京", "各",
}

// autonomousShortName: an autonomous prefecture, county or banner's name without its peoples, as it
// is commonly shortened (延边朝鲜族自治州 → 延边州, 河南蒙古族自治县 → 河南县, 伊犁哈萨克自治州 →
// 伊犁州); "" for other names, or when less than two characters would remain (东乡族自治县).
func autonomousShortName(name string) string {
	var base, suffix string
	for _, s := range [][2]string{{"自治州", "州"}, {"自治县", "县"}, {"自治旗", "旗"}} {
		if b, ok := strings.CutSuffix(name, s[0]); ok {
			base, suffix = b, s[1]
			break
		}
	}
	if base == "" {
		return ""
	}
	for cut := true; cut; {
		cut = false
		withZu, hasZu := strings.CutSuffix(base, "族")
		for _, p := range peoples {
			// One-character names only before 族 (水, 白, 土 also end place names).
			if rest, ok := strings.CutSuffix(withZu, p); ok && (hasZu || utf8.RuneCountInString(p) > 1) {
				base, cut = rest, true
				break
			}
		}
	}
	if base == name || utf8.RuneCountInString(base) < 2 {
		return ""
	}
	return base + suffix
}

func (g *Gazetteer) sameNameSuccessor(p *Place) bool {
	for _, s := range p.Successors {
		if c, ok := g.current(s); ok && c.Name == p.Name {
			return true
		}
	}
	return false
}

// shortZoneName: a zone's name without its province's and city's names or stems, when it starts
// with them: 平顶山市城乡一体化示范区 → 城乡一体化示范区, 山西长治高新技术产业园区 → 高新技术产业园区.
func (g *Gazetteer) shortZoneName(p *Place) string {
	name := p.Name
	if prov, ok := g.current(p.Code[:2] + "0000"); ok {
		name = cutPlacePrefix(name, prov.Name)
	}
	if city, ok := g.current(p.Parent); ok && city.Level == City {
		name = cutPlacePrefix(name, city.Name)
	}
	if name == p.Name || len([]rune(name)) < 2 {
		return ""
	}
	return name
}

// zoneNameVariants: a zone's short name and the abbreviations reports print (高新区 for
// 高新技术产业开发区, 经开区 for 经济技术开发区).
func zoneNameVariants(short string) []string {
	out := []string{short}
	for _, v := range [][2]string{
		{"高新技术产业开发区", "高新区"}, {"高新技术产业开发区", "高新技术开发区"},
		{"经济技术开发区", "经开区"}, {"经济技术开发区", "经济开发区"},
	} {
		if strings.HasSuffix(short, v[0]) {
			out = append(out, strings.TrimSuffix(short, v[0])+v[1])
		}
	}
	return out
}

// cutPlacePrefix cuts a place's full name (平顶山市) or stem (平顶山) from the start of s.
func cutPlacePrefix(s, place string) string {
	if rest, ok := strings.CutPrefix(s, place); ok {
		return rest
	}
	if st := Stem(place); len([]rune(st)) >= 2 {
		if rest, ok := strings.CutPrefix(s, st); ok {
			return rest
		}
	}
	return s
}

// Stem drops a place name's generic ending: 平顶山市 → 平顶山, 延边朝鲜族自治州 → 延边朝鲜族,
// 河南省 → 河南. Names of one character and the ending stay whole (叶县).
func Stem(name string) string {
	for _, suf := range []string{"特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "省", "市", "县", "区", "旗", "盟", "州"} {
		if s, ok := strings.CutSuffix(name, suf); ok && len([]rune(s)) >= 2 {
			return s
		}
	}
	return name
}

// at returns the place an index entry names.
func (g *Gazetteer) at(i int32) *Place {
	if int(i) < len(g.places) {
		return &g.places[i]
	}
	return &g.former[int(i)-len(g.places)]
}

func (g *Gazetteer) current(code string) (Place, bool) {
	i := sort.Search(len(g.places), func(i int) bool { return g.places[i].Code >= code })
	if i < len(g.places) && g.places[i].Code == code {
		return g.places[i], true
	}
	return Place{}, false
}

// formerByCode returns the former place of a code that left the lists last.
func (g *Gazetteer) formerByCode(code string) (Place, bool) {
	i := sort.Search(len(g.former), func(i int) bool { return g.former[i].Code >= code })
	var best Place
	for ; i < len(g.former) && g.former[i].Code == code; i++ {
		if g.former[i].Until > best.Until {
			best = g.former[i]
		}
	}
	return best, best.Code != ""
}

// Lookup returns the place of a code: the current one, else the former one that left the lists
// last.
func (g *Gazetteer) Lookup(code string) (Place, bool) {
	if p, ok := g.current(code); ok {
		return p, true
	}
	return g.formerByCode(code)
}

// ByName returns the places, current and former, that bear exactly this name (a province also
// answers to its stem: 江苏), by code.
func (g *Gazetteer) ByName(name string) []Place {
	var idx [8]int32
	var out []Place
	for _, i := range g.byName.get(idx[:0], name) {
		out = append(out, *g.at(i))
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Code < out[b].Code })
	return out
}

// Children returns the current places directly under code, by code.
func (g *Gazetteer) Children(code string) []Place {
	prefix := code
	switch levelOf(code) {
	case Province:
		prefix = code[:2]
	case City:
		prefix = code[:4]
	}
	i := sort.Search(len(g.places), func(i int) bool { return g.places[i].Code >= prefix })
	var out []Place
	for ; i < len(g.places) && strings.HasPrefix(g.places[i].Code, prefix); i++ {
		if g.places[i].Parent == code {
			out = append(out, g.places[i])
		}
	}
	return out
}

// Chain returns the places above and including the place of code.
func (g *Gazetteer) Chain(code string) Chain {
	p, ok := g.Lookup(code)
	if !ok {
		return Chain{}
	}
	return g.chainOf(p, nil)
}

// chainOf walks up from p; extra resolves codes the gazetteer lacks (an alias file's own codes).
func (g *Gazetteer) chainOf(p Place, extra func(string) (Place, bool)) Chain {
	var c Chain
	for n := 0; n < 6 && !p.IsZero(); n++ {
		switch p.Level {
		case Province:
			c.Province = p
		case City:
			c.City = p
		case County:
			c.County = p // a zone under a county (沭阳县经济开发区) counts with the county
		case Zone:
			if c.County.IsZero() {
				c.County = p
			}
		case Township:
			c.Township = p
		}
		if p.Parent == "" {
			break
		}
		next, ok := g.Lookup(p.Parent)
		if !ok && extra != nil {
			next, ok = extra(p.Parent)
		}
		if !ok {
			break
		}
		p = next
	}
	// A municipality is its own city, for every place in it: itself (北京市人民政府), its districts
	// and counties, zones and townships directly under it. Its city level is never empty, so that
	// the city the report shows and the city its rollups and sheets group it under are one.
	if c.City.IsZero() && municipality(c.Province.Code) {
		c.City = c.Province
	}
	if c.City.IsZero() && !c.County.IsZero() && c.County.Level == County && c.County.Parent == c.Province.Code && c.Province.Code != "" {
		c.City = c.County // 省直辖: the county-level city is its own city
	}
	return c
}

// municipality: 北京, 天津, 上海, 重庆.
func municipality(code string) bool {
	switch code {
	case "110000", "120000", "310000", "500000":
		return true
	}
	return false
}

// Source names the data's origin, as the generated file's header says it.
func (g *Gazetteer) Source() string { return g.source }

// Len returns the number of current and former places.
func (g *Gazetteer) Len() (current, former int) { return len(g.places), len(g.former) }

// ancestorOf reports whether anc is p's code or that of a place above it.
func (g *Gazetteer) ancestorOf(anc string, p Place, extra func(string) (Place, bool)) bool {
	for n := 0; n < 6; n++ {
		if p.Code == anc && anc != "" {
			return true
		}
		if p.Parent == "" {
			return false
		}
		if p.Parent == anc {
			return true
		}
		next, ok := g.Lookup(p.Parent)
		if !ok && extra != nil {
			next, ok = extra(p.Parent)
		}
		if !ok {
			return false
		}
		p = next
	}
	return false
}
