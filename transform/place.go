package transform

import (
	"fmt"
	"strings"

	// imported as division: transform has a type named region (a part of a page)
	division "github.com/govreports/govreports/transform/region"
)

// maxHintText caps the narrative handed to the resolver: the preamble and 联系地址 come early.
const maxHintText = 16 << 10

// placeBody resolves the report's body among the divisions (division.Resolution), fills City from
// it, and records what a reader should know as findings. cityCell is a collection
// workbook's city column; text returns the narrative, asked for only when the name alone does not
// decide; issuer is the body's name as the report's signature prints it ("" for none).
func (r *Report) placeBody(opt Options, title, cityCell, place string, text func() string, issuer string) {
	h := division.Hints{Year: r.Year, Dirs: opt.dirs(), Title: title, Issuer: issuer}
	folders := h.Dirs
	if cityCell != "" {
		h.Dirs = append(h.Dirs, cityCell) // the unit's own row says where it is: the innermost hint
	}
	rv := opt.resolver()
	res, doubt := rv.ResolveDoubt(r.Body, h)
	if res.Status == division.Ambiguous && text != nil {
		h.Text = text()
		res, doubt = rv.ResolveDoubt(r.Body, h)
	}
	r.Region = res
	if res.Status.Placed() || res.Status == division.Partial || res.Status == division.Ambiguous {
		r.City = res.Chain.City.Name
	}
	if r.City == "" && !res.Status.Placed() {
		// Not placed: keep what the name or the row prints as its city (a made-up 样例市 too), as
		// before the divisions were known; the region stays unknown.
		r.City = cityCell
		if r.City == "" {
			r.City = cityOf(r.Body)
		}
		if r.City == "" {
			r.City = opt.DirCity
		}
	}
	// Scope is decided after, from the alias file's scope (res.Scope), the title and the narrative:
	// detectScope.
	if r.Body == "" {
		return // S.BODY says it
	}
	switch res.Status {
	case division.ResolvedLookalike:
		r.add(Finding{Rule: RuleRegionLookalike, Severity: SevWarning, Status: "uncertain", Place: place,
			Message: fmt.Sprintf("报告单位“%s”与区划名称只差形近字，按“%s”识别（%s）", res.Printed, res.Body, placeName(res))})
		r.Body = res.Body
	case division.ResolvedPrefix:
		r.add(Finding{Rule: RuleRegion, Severity: SevInfo, Status: "uncertain", Place: place,
			Message: res.Reason + "；可在别名表中为其补充代码"})
	case division.Ambiguous:
		r.add(Finding{Rule: RuleRegion, Severity: SevWarning, Status: "uncertain", Place: place,
			Message: fmt.Sprintf("无法确定报告单位“%s”所属区划：%s（可在别名表中指定，或将文件放入以城市命名的文件夹）", res.Body, res.Reason)})
	case division.Partial:
		r.add(Finding{Rule: RuleRegion, Severity: SevWarning, Status: "not_assessable", Place: place,
			Message: fmt.Sprintf("报告单位“%s”：%s，只能归入%s", res.Body, res.Reason, placeName(res))})
	case division.Unknown:
		sev := SevInfo
		if len(res.Candidates) > 0 {
			sev = SevWarning // it names a place that did not exist that year, or exists elsewhere
		}
		r.add(Finding{Rule: RuleRegion, Severity: sev, Status: "not_assessable", Place: place,
			Message: fmt.Sprintf("未能识别报告单位“%s”所属区划，归入未识别：%s（可在别名表中补充）", res.Body, res.Reason)})
	case division.Resolved, division.ResolvedAlias:
		if res.Place.Former() && res.Reason != "" {
			r.add(Finding{Rule: RuleRegion, Severity: SevInfo, Status: "uncertain", Place: place, Message: res.Reason})
		}
	}
	// A place decided by a passing mention, or against the folders: the report's words are kept,
	// and the reader told.
	if doubt != "" {
		r.add(Finding{Rule: RuleRegion, Severity: SevWarning, Status: "uncertain", Place: place,
			Message: fmt.Sprintf("报告单位“%s”：%s", res.Body, doubt)})
	} else if len(folders) > 0 && text != nil {
		// A single report's folder (a collection's rows are many units in one file: the folder
		// speaks for the file, and the row's city column is checked below).
		if p, dir, ok := rv.FolderConflict(res, division.Hints{Year: r.Year, Dirs: folders}); ok {
			own := rv.PlaceLabel(res.Place)
			r.add(Finding{Rule: RuleRegion, Severity: SevWarning, Status: "uncertain", Place: place,
				Message: fmt.Sprintf("文件夹“%s”指向%s，与报告单位“%s”所属的%s不一致，按报告所写归入%s", dir, rv.PlaceLabel(p), res.Body, own, own)})
		}
	}
	// A workbook row that names a city other than the body's own: one of the two is wrong.
	if cityCell != "" && res.Status.Placed() && res.Chain.City.Name != "" && !sameCity(cityCell, res.Chain) {
		r.add(Finding{Rule: RuleRegion, Severity: SevWarning, Status: "uncertain", Place: place,
			Message: fmt.Sprintf("汇总表所列城市“%s”与报告单位“%s”所属的%s不一致，按单位名称归入%s", cityCell, res.Body, res.Chain.City.Name, res.Chain.City.Name)})
	}
}

// sameCity reports whether a printed city (平顶山市, 平顶山, or a province for a municipality) names
// the chain's city or province.
func sameCity(printed string, c division.Chain) bool {
	printed = strings.Join(strings.Fields(printed), "")
	for _, p := range []division.Place{c.City, c.Province} {
		if p.Name != "" && (printed == p.Name || printed == division.Stem(p.Name) || printed == p.Code) {
			return true
		}
	}
	return false
}

// placeName writes where a resolution puts the body: 宿迁市沭阳县.
func placeName(res division.Resolution) string {
	var b strings.Builder
	for _, p := range []division.Place{res.Chain.Province, res.Chain.City, res.Chain.County, res.Chain.Township} {
		if p.Name != "" && !strings.HasSuffix(b.String(), p.Name) {
			b.WriteString(p.Name)
		}
	}
	return b.String()
}

// dirs are the folder names of the input, outermost first.
func (o Options) dirs() []string {
	var out []string
	for _, d := range strings.Split(o.Dir, "/") {
		if d != "" && d != "." {
			out = append(out, d)
		}
	}
	if len(out) == 0 && o.DirCity != "" {
		out = append(out, o.DirCity)
	}
	return out
}

// resolver is the one of the options' alias table; building one is cheap.
func (o Options) resolver() *division.Resolver { return division.NewResolver(o.Aliases) }

// narrative joins the report's lines for the resolver's context, up to maxHintText bytes.
func narrative(lines []line) string {
	var b strings.Builder
	for i := range lines {
		if b.Len()+len(lines[i].norm) > maxHintText {
			break
		}
		b.WriteString(lines[i].norm)
		b.WriteByte('\n')
	}
	return b.String()
}
