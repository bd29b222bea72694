package region

import "strings"

// Level of a place in the hierarchy of divisions.
type Level uint8

const (
	LevelNone Level = iota
	Province        // 省, 自治区, 直辖市
	City            // prefecture level: 地级市, 地区, 自治州, 盟
	County          // county level: 市辖区, 县, 县级市, 旗, 自治县, 林区, 特区
	Zone            // a development zone or other area with its own administration (开发区, 示范区, 新区, 综合实验区), at the county level
	Township        // 乡, 镇, 街道 and their equals
)

var levelNames = [...]string{"", "province", "city", "county", "zone", "township"}

func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return "?"
}

// ParseLevel reads a level as the alias file writes it, in English or Chinese; ok is false for a
// word it does not know.
func ParseLevel(s string) (Level, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return LevelNone, true
	case "province", "省", "省级":
		return Province, true
	case "city", "prefecture", "市", "地级市", "地市", "市级":
		return City, true
	case "county", "district", "县", "区", "县级", "区县", "县区", "县级市":
		return County, true
	case "zone", "开发区", "功能区", "园区", "示范区", "新区":
		return Zone, true
	case "township", "town", "street", "乡", "镇", "乡镇", "街道", "乡镇街道":
		return Township, true
	}
	return LevelNone, false
}

// Place is one division: its code, its name, its level and the code of the place above it
// ("" for a province).
type Place struct {
	// Code is the 6-digit division code (9 digits for a township). A place that an alias file
	// creates may carry a code of its own making, or none: a zone placed by the prefix of its name
	// has no code.
	Code   string
	Name   string
	Level  Level
	Parent string

	// A former place (one the current lists no longer have: renamed, merged, recoded) carries the
	// year of the first list without it, its successors among the current places, and how these
	// were found: "code" (same code, new name), "name" (same name, new code), "stem" (金坛市 →
	// 金坛区) or "created" (the places created in its city at the time: possible successors only).
	Until        int
	Successors   []string
	SuccessorsBy string
}

// Former reports whether the current lists no longer have the place.
func (p Place) Former() bool { return p.Until != 0 }

// IsZero reports whether p is no place.
func (p Place) IsZero() bool { return p.Name == "" && p.Code == "" }

// Chain is the line of places a place belongs to. County holds the county-level place: a zone
// directly under a city or province, or the county a zone lies in. A municipality is its own
// city: the City of 北京市 itself and of every place in it (北京市东城区) is 北京市; a county-level
// place directly under its province (济源市, 仙桃市) is its own city.
type Chain struct {
	Province, City, County, Township Place
}

// Kind of reporting body.
type Kind string

const (
	KindGovernment Kind = "government" // the people's government of the place (…人民政府)
	KindOffice     Kind = "office"     // its general office (人民政府办公室, 办公厅)
	KindDepartment Kind = "department" // a department or other organ of the place (局, 委员会, 中心, …)
	KindTownship   Kind = "township"   // a township's government or a sub-district office (镇人民政府, 街道办事处)
	KindZone       Kind = "zone"       // a development zone's administration (管理委员会), or the zone itself
)

// Status says how a body was placed, from the surest to no place at all.
type Status string

const (
	Resolved          Status = "resolved"               // the name alone places it, uniquely
	ResolvedAlias     Status = "resolved_via_alias"     // an alias file placed (part of) it
	ResolvedPrefix    Status = "resolved_by_prefix"     // a zone outside the division codes, placed under the place its name starts with
	ResolvedContext   Status = "resolved_via_context"   // several places fit the name; a folder, the title or the text decided
	ResolvedLookalike Status = "resolved_via_lookalike" // the name differs from a known one in look-alike characters (沐阳县 → 沭阳县)
	Partial           Status = "partial"                // the name starts with a known place, then names one that is not under it
	Ambiguous         Status = "ambiguous"              // several places fit and nothing decides: see Candidates
	Unknown           Status = "unknown"                // no place found: see Reason
)

// Placed reports whether the status places the body.
func (s Status) Placed() bool {
	switch s {
	case Resolved, ResolvedAlias, ResolvedPrefix, ResolvedContext, ResolvedLookalike:
		return true
	}
	return false
}

// Resolution is what the resolver found about one body.
type Resolution struct {
	Status Status
	// Printed is the body's name as given; Body the same with look-alike characters corrected.
	Printed, Body string
	// Place is the place the body belongs to (a department's place is its government's place);
	// zero unless Status.Placed().
	Place Place
	// Chain of places above and including Place; for Partial, the part of the name that is known.
	Chain Chain
	Kind  Kind
	// Organ is the body's name without its place: "人民政府办公室", "发展和改革局"; "" for a zone or
	// place named alone.
	Organ string
	// Scope is "organ" or "regional" when an alias file fixes it for this body, else "".
	Scope string
	// Candidates are the places that fit an Ambiguous name, or the former places an Unknown or
	// Partial name recalls.
	Candidates []Place
	// Reason says in Chinese how a context or prefix decided, or why the body was not placed.
	Reason string
}
