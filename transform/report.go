// Package transform holds all domain knowledge of govreports, once, for every input format: it finds
// Tables 2, 3 and 4 in a Document by their headings and labels, maps rows and columns to the canonical
// keys, parses numbers, identifies body, city and year, and checks every consistency rule.
//
// Its output is a plain Report value; it imports neither Arrow nor excelize.
package transform

import (
	"github.com/govreports/govreports/extract"
	// imported as division: transform has a type named region (a part of a page)
	division "github.com/govreports/govreports/transform/region"
)

// Kind is what a cell holds (report-format.md §5.7). The zero value, Absent, means the cell was not
// located at all.
type Kind uint8

const (
	Absent  Kind = iota // not located in the report
	Numeric             // a number other than 0
	Zero                // an explicit 0
	Empty               // nothing: blank, spaces, &nbsp;
	NA                  // "/", "—", "无", "不适用", …
	Text                // anything else
)

var kindNames = [...]string{"absent", "numeric", "zero", "empty", "na", "text"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "?"
}

// Known reports whether the kind carries a number.
func (k Kind) Known() bool { return k == Numeric || k == Zero }

// Blank reports whether the kind is a blank the format expects to be 0 (EMPTY or NA).
func (k Kind) Blank() bool { return k == Empty || k == NA }

// AmountScale is the fixed-point scale of 万元 amounts: N holds millionths of 万元 (0.01 元).
const AmountScale = 1_000_000

// Method says how a value was read, from the surest to the least sure.
type Method uint8

const (
	ByGrid       Method = iota // a cell of a table whose cells were delimited in the source
	ByReassembly               // a table rebuilt from fragments, wrapped lines or split cells
	ByDecoding                 // cut out of a digit run whose cell boundaries were lost, chosen by the identities
	ByPlacement                // a row without a label, placed by order and confirmed by the identities
)

var methodNames = [...]string{"grid", "reassembled", "decoded", "placed"}

func (m Method) String() string {
	if int(m) < len(methodNames) {
		return methodNames[m]
	}
	return "?"
}

// Value is one number of the report with where it came from.
type Value struct {
	Kind Kind
	// N is the value: a count, or for amount fields millionths of 万元 (see AmountScale).
	N      int64
	Raw    string      // the cell text as printed (normalised whitespace)
	Pos    extract.Pos // where it was read
	Note   string      // an annotation printed with the number: "其中修订 16 件"
	Method Method
}

// Known reports whether the value carries a number.
func (v Value) Known() bool { return v.Kind.Known() }

// Uncomputed reports whether the value is a formula cell saved without its computed value: text
// always has some, so TEXT with an empty Raw is only ever such a cell.
func (v Value) Uncomputed() bool { return v.Kind == Text && v.Raw == "" }

// Severity of a finding.
type Severity string

const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
	SevInfo    Severity = "info"
)

// Finding is one thing the checks found in a report: a failed rule, a doubtful number, a missing part.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
	Cells    []string `json:"cells,omitempty"`
	// Culprit is the cell that lies on every failing equation of its group and whose correction by
	// one delta fixes them all (report-format.md §5.2); empty when there is none.
	Culprit string `json:"culprit,omitempty"`
	// Status is how the rule was evaluated: fail, fail_assuming_blank_zero, not_assessable, uncertain.
	Status string `json:"status,omitempty"`
	// Place is where in the source the finding points, when it points at one place.
	Place string `json:"place,omitempty"`
}

// TableRead says how one table was found and read, for the confidence score.
type TableRead struct {
	Found  bool           `json:"found"`
	Layout extract.Layout `json:"layout,omitempty"`
	Place  string         `json:"place,omitempty"` // where the table starts
	// Cells counts the values located; ByMethod splits them by how they were read.
	Cells    int            `json:"cells"`
	ByMethod map[string]int `json:"by_method,omitempty"`
}

// Scope of a report (report-format.md §5.4 H.SCOPE): one organ's own work (本机关); the summary of a
// government's own level, its departments (本级); or a region's summary that includes everything
// under it, lower governments and their departments too (全市/全区/全县).
const (
	ScopeOrgan    = "organ"
	ScopeLevel    = "level"
	ScopeRegional = "regional"
)

// Report is one annual report read, mapped to the canonical schema and checked.
type Report struct {
	// ID is stable across runs: derived from the content hash (and the row for collection workbooks).
	ID     string
	Source extract.Source
	// Unit is set for reports that come from one row of a collection workbook: "Sheet!5".
	Unit string

	Title string
	Body  string
	// City is the name of the body's prefecture-level city (Region.Chain.City), or, for a body the
	// divisions do not place, the city its name or folder prints; "" when unknown.
	City          string
	Year          int // 0 when unknown
	FormatVersion string
	Scope         string
	// ScopeBy is the evidence Scope was decided from: alias, title (本级, 全市, 汇总 in the title),
	// body (a government's report summarises its region, an organ's is its own), narrative.
	ScopeBy string
	// Version is the version mark printed with the title (修订版, 更正版, 超链版); "" when none.
	Version string
	// Region is where the body sits among the divisions, and how surely (transform/region).
	Region division.Resolution

	T2 [NumT2]Value
	T3 [NumT3Rows][NumT3Cols]Value
	T4 [NumT4]Value

	// T3Labels keeps each Table 3 row's label as the report printed it (provenance).
	T3Labels [NumT3Rows]string

	Reads    map[string]*TableRead // "table2", "table3", "table4"
	Findings []Finding
}

// Count returns the number of findings of a severity.
func (r *Report) Count(s Severity) int {
	n := 0
	for i := range r.Findings {
		if r.Findings[i].Severity == s {
			n++
		}
	}
	return n
}

func (r *Report) add(f Finding) { r.Findings = append(r.Findings, f) }
