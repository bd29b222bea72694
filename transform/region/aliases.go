package region

import (
	"bufio"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Alias places one body, or a place outside the division codes, and may fix its scope.
type Alias struct {
	Body  string // the name as reports print it (normalised: no spaces)
	Place Place  // where it belongs: a place of the gazetteer, or one the alias makes
	// Scope forces the H.SCOPE classification of the body itself: "organ", "level", "regional" or "".
	Scope string
	Line  int // line of the alias file
}

// Aliases are an alias file's entries, by body name.
type Aliases struct {
	name   string // the file, for messages
	list   []Alias
	byBody map[string]int
	folded map[string][]int
	byCode map[string]int // places the file makes, by their own codes
	max    int            // the longest body, in runes
	// longest and longestFolded map a body's first character to the longest body starting with it
	longest, longestFolded map[rune]int
}

// Len returns the number of aliases.
func (a *Aliases) Len() int {
	if a == nil {
		return 0
	}
	return len(a.list)
}

// Lookup returns the alias of exactly this body.
func (a *Aliases) Lookup(body string) (Alias, bool) {
	if a == nil {
		return Alias{}, false
	}
	i, ok := a.byBody[normalize(body)]
	if !ok {
		return Alias{}, false
	}
	return a.list[i], true
}

// place returns a place the alias file made under its own code.
func (a *Aliases) place(code string) (Place, bool) {
	if a == nil {
		return Place{}, false
	}
	i, ok := a.byCode[code]
	if !ok {
		return Place{}, false
	}
	return a.list[i].Place, true
}

// ErrAliasFormat is the cause of every alias file error.
var ErrAliasFormat = errors.New("alias file")

// ParseAliases reads an alias file: CSV (comma or TAB separated, UTF-8, lines starting with #
// ignored) with the header body,code,level,parent,scope:
//
//   - body: the name as printed (平潭综合实验区, 洪泽区人民政府);
//   - code: its division code; or a code of your own for a place outside the codes; or empty;
//   - level: province, city, county, zone or township (Chinese words too); empty takes the code's
//     level, or zone for a place outside the codes;
//   - parent: the code (or the unique name) of the place above it; needed when the code is not a
//     division code;
//   - scope: organ, level (本级) or regional, forcing the H.SCOPE classification of this body; or empty.
//
// The older format body,city[,level[,parent]] (header optional) is still read: the body is placed
// within the city, whose name must be a city or province of the codes. name is used in messages.
func ParseAliases(r io.Reader, name string, g *Gazetteer) (*Aliases, error) {
	if g == nil {
		g = Default()
	}
	a := &Aliases{name: name, byBody: map[string]int{}, folded: map[string][]int{}, byCode: map[string]int{},
		longest: map[rune]int{}, longestFolded: map[rune]int{}}
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	first, err := br.Peek(4096)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("%w %s: %v", ErrAliasFormat, name, err)
	}
	cr := csv.NewReader(br)
	if line, _, _ := strings.Cut(string(first), "\n"); strings.Contains(line, "\t") {
		cr.Comma = '\t'
	}
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = cr.Comma == ',' // with TAB it would merge empty fields
	newFormat := false
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%w %s:%d: %v", ErrAliasFormat, name, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%w %s: %v", ErrAliasFormat, name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 {
			// The older format chose TAB or comma line by line.
			if other := ","; cr.Comma == ',' {
				rec = strings.Split(rec[0], "\t")
			} else {
				rec = strings.Split(rec[0], other)
			}
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if n == 0 && strings.EqualFold(rec[0], "body") {
			switch {
			case len(rec) >= 2 && strings.EqualFold(rec[1], "code"):
				if err := checkHeader(rec); err != nil {
					return nil, fmt.Errorf("%w %s:%d: %v", ErrAliasFormat, name, line, err)
				}
				newFormat = true
			case len(rec) >= 2 && strings.EqualFold(rec[1], "city"):
			default:
				return nil, fmt.Errorf("%w %s:%d: the header must be body,code,level,parent,scope (or the older body,city,level,parent)", ErrAliasFormat, name, line)
			}
			continue
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		var al Alias
		if newFormat {
			al, err = newAlias(rec, g, a)
		} else {
			al, err = oldAlias(rec, g)
		}
		if err != nil {
			return nil, fmt.Errorf("%w %s:%d: %v", ErrAliasFormat, name, line, err)
		}
		al.Line = line
		if prev, dup := a.byBody[al.Body]; dup {
			return nil, fmt.Errorf("%w %s:%d: %s is already on line %d", ErrAliasFormat, name, line, al.Body, a.list[prev].Line)
		}
		a.byBody[al.Body] = len(a.list)
		if hasLookalike(al.Body) {
			f := foldPlace(al.Body)
			a.folded[f] = append(a.folded[f], len(a.list))
		}
		if al.Place.Code != "" {
			if _, known := g.Lookup(al.Place.Code); !known {
				a.byCode[al.Place.Code] = len(a.list)
			}
		}
		n := utf8.RuneCountInString(al.Body)
		a.max = max(a.max, n)
		r, _ := utf8.DecodeRuneInString(al.Body)
		a.longest[r] = max(a.longest[r], n)
		r, _ = utf8.DecodeRuneInString(foldPlace(al.Body))
		a.longestFolded[r] = max(a.longestFolded[r], n)
		a.list = append(a.list, al)
	}
	return a, nil
}

func checkHeader(rec []string) error {
	want := []string{"body", "code", "level", "parent", "scope"}
	if len(rec) > len(want) {
		return fmt.Errorf("the header has %d columns; want %s", len(rec), strings.Join(want, ","))
	}
	for i, h := range rec {
		if !strings.EqualFold(h, want[i]) {
			return fmt.Errorf("column %d of the header is %q; want %s", i+1, h, strings.Join(want, ","))
		}
	}
	return nil
}

func field(rec []string, i int) string {
	if i < len(rec) {
		return rec[i]
	}
	return ""
}

// newAlias reads body,code,level,parent,scope.
func newAlias(rec []string, g *Gazetteer, a *Aliases) (Alias, error) {
	if len(rec) > 5 {
		return Alias{}, fmt.Errorf("%d fields; want body,code,level,parent,scope", len(rec))
	}
	body := normalize(field(rec, 0))
	if body == "" {
		return Alias{}, fmt.Errorf("the body is empty")
	}
	code, levelText, parentText, scope := field(rec, 1), field(rec, 2), field(rec, 3), field(rec, 4)
	level, ok := ParseLevel(levelText)
	if !ok {
		return Alias{}, fmt.Errorf("level %q: want province, city, county, zone or township", levelText)
	}
	scope, err := parseScope(scope)
	if err != nil {
		return Alias{}, err
	}
	parent := ""
	if parentText != "" {
		if parent, err = parentCode(parentText, g, a); err != nil {
			return Alias{}, err
		}
	}
	al := Alias{Body: body, Scope: scope}
	if code != "" {
		if strings.ContainsAny(code, " ,\t") {
			return Alias{}, fmt.Errorf("code %q holds a separator", code)
		}
		if p, known := g.Lookup(code); known {
			// A body that is the place keeps the place; one that the file gives another level
			// (平潭综合实验区, a zone sharing 平潭县's code) becomes a place of its own name.
			al.Place = p
			if level != LevelNone && level != p.Level {
				al.Place = Place{Code: code, Name: placeName(body), Level: level, Parent: p.Parent}
			}
			if parent != "" {
				al.Place.Parent = parent
			}
			return al, nil
		}
		if digits(code) && (len(code) == 6 || len(code) == 9) && parent == "" {
			return Alias{}, fmt.Errorf("code %s is not a division code; give its parent (or check the code)", code)
		}
		if parent == "" {
			return Alias{}, fmt.Errorf("code %s is not a division code: give its parent's code", code)
		}
		if level == LevelNone {
			level = Zone
		}
		al.Place = Place{Code: code, Name: body, Level: level, Parent: parent}
		return al, nil
	}
	if parent == "" {
		// A body and a scope only: it is placed as the gazetteer places it.
		if scope == "" {
			return Alias{}, fmt.Errorf("give a code, a parent or a scope for %s", body)
		}
		return al, nil
	}
	al.Place = placeWithin(body, parent, level, g)
	return al, nil
}

// oldAlias reads the older body,city[,level[,parent]].
func oldAlias(rec []string, g *Gazetteer) (Alias, error) {
	body := normalize(field(rec, 0))
	city := field(rec, 1)
	if body == "" || city == "" {
		return Alias{}, fmt.Errorf("want body,city[,level[,parent]] (or the header body,code,level,parent,scope)")
	}
	if digits(city) {
		return Alias{}, fmt.Errorf("the second field is a code: write the header body,code,level,parent,scope first")
	}
	code, err := parentCode(city, g, nil)
	if err != nil {
		return Alias{}, fmt.Errorf("city: %v", err)
	}
	level, _ := ParseLevel(field(rec, 2)) // the old level was free text: kept when it is a known word
	return Alias{Body: body, Place: placeWithin(body, code, level, g)}, nil
}

// placeWithin places a body that an alias puts within parent: as the gazetteer would under that
// parent (洪泽区人民政府 within 淮安市 → 洪泽区), else as a place of its own under the parent.
func placeWithin(body, parent string, level Level, g *Gazetteer) Place {
	r := gazetteerOnly(g)
	res := r.Resolve(body, Hints{})
	if res.Status.Placed() && res.Status != ResolvedPrefix && g.ancestorOf(parent, res.Place, nil) {
		if level != LevelNone {
			res.Place.Level = level
		}
		return res.Place
	}
	if level == LevelNone {
		level = Zone
	}
	return Place{Name: placeName(body), Level: level, Parent: parent}
}

// placeName is a body's name without the government's organ word: 某某管理委员会 → 某某.
func placeName(body string) string {
	if o := organSuffix(body); o != "" && o != body {
		return strings.TrimSuffix(body, o)
	}
	return body
}

// parentCode reads a parent given as a code, or as a name that one city or province bears.
func parentCode(s string, g *Gazetteer, a *Aliases) (string, error) {
	if _, ok := g.Lookup(s); ok {
		return s, nil
	}
	if _, ok := a.place(s); ok {
		return s, nil
	}
	if digits(s) {
		return "", fmt.Errorf("parent %s is not a division code", s)
	}
	var found []Place
	for _, p := range g.ByName(normalize(s)) {
		if (p.Level == City || p.Level == Province || p.Level == County) && !p.Former() {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 1:
		return found[0].Code, nil
	case 0:
		return "", fmt.Errorf("%q is neither a division code nor the name of a current city, county or province", s)
	}
	return "", fmt.Errorf("%q names %d places (%s): give the code", s, len(found), describe(found))
}

func parseScope(s string) (string, error) {
	switch strings.ToLower(s) {
	case "":
		return "", nil
	case "organ", "本机关":
		return "organ", nil
	case "level", "本级":
		return "level", nil
	case "regional", "区域汇总", "汇总":
		return "regional", nil
	}
	return "", fmt.Errorf("scope %q: want organ, level or regional", s)
}

// normalize drops white space of every kind (titles print "平顶山市 城乡一体化示范区").
func normalize(s string) string {
	if strings.IndexFunc(s, unicode.IsSpace) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

//go:embed builtin_aliases.csv
var builtinData string

var (
	builtinOnce sync.Once
	builtin     *Aliases
)

// Builtin returns the aliases shipped with the program: well-known areas outside the division
// codes (平潭综合实验区). Every resolver consults them after the user's.
func Builtin() *Aliases {
	builtinOnce.Do(func() {
		a, err := ParseAliases(strings.NewReader(builtinData), "builtin_aliases.csv", Default())
		if err != nil {
			panic("region: " + err.Error()) // a build defect: tests parse it
		}
		builtin = a
	})
	return builtin
}
