package transform

import (
	"cmp"
	"regexp"
	"strings"

	division "github.com/govreports/govreports/transform/region"
)

// Where a report's body sits among the administrative divisions, as the batch stage needs it: the
// division the body belongs to, the chain above it, the kind of body and the organ's own name.
// PlaceOf derives it from a report; it is the one place that knows how a report's region was found.

// Area is one administrative division: its GB/T 2260 code ("" when not known) and its name.
type Area struct{ Code, Name string }

// Known reports whether the area names a division.
func (a Area) Known() bool { return a.Code != "" || a.Name != "" }

// RegionLevel is the level of a division, from the province down.
type RegionLevel uint8

const (
	RegionNone     RegionLevel = iota // not placed
	RegionProvince                    // 省, 自治区, 直辖市
	RegionCity                        // prefecture level: 地级市, 自治州, 地区, 盟
	RegionCounty                      // county level: 市辖区, 县, 县级市, 旗, and development zones
	RegionTownship                    // 乡, 镇, 街道
)

var regionLevelNames = [...]string{"", "province", "city", "county", "township"}

func (l RegionLevel) String() string {
	if int(l) < len(regionLevelNames) {
		return regionLevelNames[l]
	}
	return "?"
}

// Kinds of reporting body.
const (
	KindGovernment = "government" // the people's government of a place, or the place named alone
	KindOffice     = "office"     // its general office (人民政府办公室, 办公厅)
	KindDepartment = "department" // any other organ of a place (局, 委员会, 中心, …)
	KindTownship   = "township"   // a township's government or a sub-district office
	KindZone       = "zone"       // a development zone's administration (管理委员会), or the zone itself
)

// Statuses of placeByName, for reports without a resolution; the resolver's statuses otherwise
// (transform/region: resolved, resolved_via_alias, …, unknown).
const (
	PlaceByName  = "by_name" // the body's name (and the report's city) placed it
	PlaceUnknown = "unknown" // nothing placed it
)

// Place is where a report's body sits.
type Place struct {
	// Status says how the body was placed (the resolver's status, or PlaceByName); "unknown" (or
	// another status that does not place: ambiguous, partial) when it was not.
	Status string
	// Level is the level of the body's own division; RegionNone when not placed (City may then
	// still name the report's city).
	Level                            RegionLevel
	Province, City, County, Township Area
	Kind                             string // KindGovernment, …; "" when not placed
	// Organ is the body's name without its place: 财政局, 人民政府办公室; "" for a government or a
	// place named alone. For a body that was not placed it is the whole name, so that two reports of
	// one unplaced body still match.
	Organ string
}

// Placed reports whether the body was placed at all.
func (p *Place) Placed() bool { return p.Level != RegionNone }

// Area returns the division of the place at level l; the zero Area when l is below the place or
// not known.
func (p *Place) Area(l RegionLevel) Area {
	if l > p.Level {
		return Area{}
	}
	switch l {
	case RegionProvince:
		return p.Province
	case RegionCity:
		return p.City
	case RegionCounty:
		return p.County
	case RegionTownship:
		return p.Township
	}
	return Area{}
}

// Own returns the body's own division.
func (p *Place) Own() Area { return p.Area(p.Level) }

// Government reports whether the body is the government of its place (or the place named alone,
// or a zone's administration): the body whose report may summarise the place.
func (p *Place) Government() bool {
	return p.Kind == KindGovernment || p.Kind == KindTownship || p.Kind == KindZone && p.Organ == ""
}

// PlaceOf places a report's body: it is the one function that turns what transform found about a
// body (Report.Region, the resolver's answer) into the batch stage's Place. A body the resolver did
// not place keeps the report's city by name (Report.City, as the reports table shows it), so that
// the rollups group it under that city, its county unidentified; without a city it is unidentified
// at every level. A report that carries no resolution (built by hand, or read from an output that
// predates the region columns) is placed by placeByName.
func PlaceOf(r *Report) Place {
	res := &r.Region
	if res.Status == "" {
		return placeByName(normLabel(r.Body), r.City)
	}
	p := Place{Status: string(res.Status), Kind: string(res.Kind), Organ: normLabel(res.Organ)}
	if !res.Status.Placed() {
		p.Organ = normLabel(cmp.Or(res.Body, r.Body))
		if p.Kind == "" && p.Organ != "" {
			p.Kind = kindByEnding(p.Organ)
		}
		if r.City != "" {
			p.Province, p.City = cityByName(res, r.City)
		}
		return p
	}
	area := func(d division.Place) Area { return Area{Code: d.Code, Name: d.Name} }
	p.Province, p.City, p.County, p.Township = area(res.Chain.Province), area(res.Chain.City),
		area(res.Chain.County), area(res.Chain.Township)
	// One unit, however its name is printed: a government's or a township's organ is the place
	// itself (人民政府, 办事处), a zone's its administration, an office the government's office.
	switch {
	case p.Kind == KindGovernment || p.Kind == KindTownship:
		p.Organ = ""
	case p.Kind == KindZone && (p.Organ == "管理委员会" || p.Organ == "管委会"):
		p.Organ = ""
	case p.Kind == KindOffice:
		p.Organ = "办公室"
	}
	switch res.Place.Level {
	case division.Province:
		p.Level = RegionProvince
	case division.City:
		p.Level = RegionCity
	case division.County, division.Zone:
		p.Level = RegionCounty
	case division.Township:
		p.Level = RegionTownship
	}
	return p
}

// cityByName is the city (and its province) of a body the resolver could not place but whose
// report names its city: the resolver's chain when it kept the city (a partial match), else the one
// city of that name in the gazetteer. A city name the gazetteer does not know stays without a code;
// rollups then group it by name, apart from any coded city.
func cityByName(res *division.Resolution, name string) (province, city Area) {
	if c := res.Chain.City; c.Code != "" && c.Name == name {
		return Area{Code: res.Chain.Province.Code, Name: res.Chain.Province.Name}, Area{Code: c.Code, Name: c.Name}
	}
	g := division.Default()
	var found []division.Place
	for _, pl := range g.ByName(name) {
		if pl.Level == division.City && pl.Until == 0 {
			found = append(found, pl)
		}
	}
	if len(found) != 1 {
		return Area{}, Area{Name: name}
	}
	if prov, ok := g.Lookup(found[0].Parent); ok {
		province = Area{Code: prov.Code, Name: prov.Name}
	}
	return province, Area{Code: found[0].Code, Name: found[0].Name}
}

// PlaceOfName places a body known only by its name and city, with the resolver: for the reports of
// an earlier output that predates the region columns.
func PlaceOfName(body, city string, year int) Place {
	r := &Report{Body: body, Year: year}
	r.placeBody(Options{}, "", city, "", nil, "")
	return PlaceOf(r)
}

// Divisions lists the divisions the gazetteer has directly under a division: a city's districts,
// counties and zones, a county's townships. It knows none for a division without a code.
func Divisions(parent Area) []Area {
	if parent.Code == "" {
		return nil
	}
	var out []Area
	for _, d := range division.Default().Children(parent.Code) {
		out = append(out, Area{Code: d.Code, Name: d.Name})
	}
	return out
}

var (
	placeProvince = regexp.MustCompile(`^(?:北京市|天津市|上海市|重庆市|[^省市区县]{2,7}省|[^区]{2,10}自治区)`)
	// a development zone named after its city: 城乡一体化示范区, 高新技术产业开发区, 综合实验区
	placeZone = regexp.MustCompile(`^[^局委办市县]{2,14}?(?:示范区|开发区|高新区|新区|实验区|产业园区|经济区|保税区)`)
	// a county-level division: 洪泽区, 沭阳县, 舞钢市, 鄂温克族自治旗
	placeCounty = regexp.MustCompile(`^[^省市区县镇乡和及与的局委办]{1,6}?(?:自治县|自治旗|区|县|市|旗)`)
	// a township: 打浦桥街道, 城关镇; only when its government or office follows
	placeTownship = regexp.MustCompile(`^[^省市区县镇乡和及与的局委办]{1,8}?(?:街道|镇|乡)(?:人民政府|政府|办事处|$)`)
)

var municipalities = map[string]bool{"北京市": true, "天津市": true, "上海市": true, "重庆市": true}

// placeByName is the interim placement: province, city, county-level division and township peeled
// off the front of the name in turn; what is left is the organ. The city is the report's (which
// transform took from the alias file, the name or the folder), so that the rollups group reports by
// the very city the reports table shows: a body is placed at the city level or below only when the
// report has a city. A report without a body but with a city sits in its city.
func placeByName(body, city string) Place {
	p := Place{Status: PlaceUnknown}
	if body == "" && city == "" {
		return p
	}
	rest := body
	if m := placeProvince.FindString(rest); m != "" {
		p.Province = Area{Name: m}
		p.Level = RegionProvince
		rest = rest[len(m):]
		if municipalities[m] && city == m {
			// A municipality's districts are its counties: it is their city as well.
			rest = m + rest
		}
	}
	if city != "" {
		p.City, p.Level = Area{Name: city}, RegionCity
		rest = strings.TrimPrefix(rest, city)
	}
	if p.Level == RegionNone {
		p.Organ, p.Kind = body, kindByEnding(body)
		return p
	}
	p.Status = PlaceByName
	if body == "" || p.Level < RegionCity {
		// No body, or a body of a province without a city: nothing below to peel off.
		p.Organ = rest
		switch {
		case body == "":
		case rest == "" || rest == "人民政府" || rest == "政府":
			p.Kind, p.Organ = KindGovernment, ""
		case strings.HasPrefix(rest, "人民政府办公"):
			p.Kind = KindOffice
		default:
			p.Kind = KindDepartment
		}
		return p
	}
	zone := false
	if m := placeZone.FindString(rest); m != "" {
		p.County, p.Level, rest, zone = Area{Name: m}, RegionCounty, rest[len(m):], true
	} else if m := placeCounty.FindString(rest); m != "" && !strings.HasPrefix(rest[len(m):], "场") {
		p.County, p.Level, rest = Area{Name: m}, RegionCounty, rest[len(m):]
	}
	if p.Level == RegionCounty {
		// 上海市黄浦区人民政府打浦桥街道: the district's government precedes its sub-district.
		if t := strings.TrimPrefix(rest, "人民政府"); t != rest && placeTownship.MatchString(t) {
			rest = t
		}
		if m := placeTownship.FindStringSubmatchIndex(rest); m != nil {
			end := m[1]
			for _, suffix := range []string{"人民政府", "政府", "办事处"} {
				if strings.HasSuffix(rest[:end], suffix) {
					end -= len(suffix)
					break
				}
			}
			p.Township, p.Level, rest = Area{Name: rest[:end]}, RegionTownship, rest[end:]
		}
	}
	p.Organ = rest
	switch {
	case p.Level == RegionTownship && (rest == "" || rest == "人民政府" || rest == "政府" || rest == "办事处"):
		p.Kind, p.Organ = KindTownship, ""
	case rest == "" || rest == "人民政府" || rest == "政府":
		p.Kind, p.Organ = KindGovernment, ""
		if zone {
			p.Kind = KindZone
		}
	case zone && (rest == "管理委员会" || rest == "管委会"):
		p.Kind, p.Organ = KindZone, ""
	case p.Level == RegionCity && rest != "" && kindByEnding(rest) == KindGovernment:
		// a county-level place the patterns do not know (鄂温克族自治旗人民政府)
		p.Kind = KindGovernment
	case strings.HasPrefix(rest, "人民政府办公") || strings.HasPrefix(rest, "政府办公"):
		p.Kind = KindOffice
	default:
		p.Kind = KindDepartment
	}
	return p
}

var (
	endGovernment = regexp.MustCompile(`(?:省|市|区|县|旗|州|盟|地区)(?:人民)?政府$`)
	endTownship   = regexp.MustCompile(`(?:镇|乡|街道)(?:人民政府|政府|办事处)?$|街道办事处$`)
	endOffice     = regexp.MustCompile(`政府办公(?:室|厅)$`)
	endZone       = regexp.MustCompile(`(?:示范区|开发区|高新区|新区|实验区|产业园区|经济区|保税区)(?:管理委员会|管委会)?$`)
)

// kindByEnding tells the kind of a body that could not be placed from how its name ends.
func kindByEnding(body string) string {
	switch {
	case endTownship.MatchString(body):
		return KindTownship
	case endOffice.MatchString(body):
		return KindOffice
	case endGovernment.MatchString(body):
		return KindGovernment
	case endZone.MatchString(body):
		return KindZone
	}
	return KindDepartment
}
