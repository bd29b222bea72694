package load

import (
	"fmt"
	"strconv"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// Hand-built reports for the tests: every kind of value, both formats, amounts with decimals,
// findings with cells and a culprit, unknown city and year.

func numAt(n int64, line, col int) transform.Value {
	v := transform.Value{Kind: transform.Numeric, N: n, Raw: strconv.FormatInt(n, 10),
		Pos: extract.Pos{Line: line, Col: col}}
	if n == 0 {
		v.Kind = transform.Zero
	}
	return v
}

// wan is an amount in 万元 written as printed ("7730.28"), stored in millionths.
func wan(raw string, millionths int64) transform.Value {
	return transform.Value{Kind: transform.Numeric, N: millionths, Raw: raw,
		Pos: extract.Pos{Sheet: "Sheet1", Row: 12, Col: 3}, Method: transform.ByGrid}
}

func blankAt(line int) transform.Value {
	return transform.Value{Kind: transform.Empty, Pos: extract.Pos{Line: line, Col: 2}}
}

func naAt(line int) transform.Value {
	return transform.Value{Kind: transform.NA, Raw: "/", Pos: extract.Pos{Line: line, Col: 4}}
}

func textAt(line int, raw string) transform.Value {
	return transform.Value{Kind: transform.Text, Raw: raw, Pos: extract.Pos{Line: line, Col: 6},
		Method: transform.ByReassembly}
}

func newReport(id, city, body string, year int, version, scope string) *transform.Report {
	return &transform.Report{
		ID: id,
		Source: extract.Source{Path: "in/" + id + ".txt", SHA256: fmt.Sprintf("%064x", len(id)*7919),
			Bytes: int64(1000 + len(id)), Format: extract.FormatText, Encoding: "utf-8"},
		Title:         body + " " + strconv.Itoa(year) + " 年政府信息公开工作年度报告",
		Body:          body,
		City:          city,
		Year:          year,
		FormatVersion: version,
		Scope:         scope,
	}
}

// fillT3 states every printed row of the format with numbers derived from seed; the 2019 format
// prints other_total instead of the three sub-rows.
func fillT3(r *transform.Report, seed int64) {
	line := 40
	for row := range transform.NumT3Rows {
		sub := row == transform.RowOtherNoCorrection || row == transform.RowOtherFeeUnpaid ||
			row == transform.RowOtherOther
		printed := row != transform.RowOtherTotal
		if r.FormatVersion == transform.Gov2019 {
			printed = !sub
		}
		if !printed {
			continue
		}
		line++
		for col := range transform.NumT3Cols {
			r.T3[row][col] = numAt(seed*int64(row+1)+int64(col)*3%(seed+1), line, col+2)
		}
	}
	r.DeriveOtherTotal() // as transform does after reading
}

func fillT2Current(r *transform.Report, seed int64) {
	for i := range transform.NumT2Current {
		if transform.T2[i].Amount {
			continue
		}
		r.T2[i] = numAt(seed*int64(i+2)%97, 10+i, 2)
	}
}

func fillT4(r *transform.Report, seed int64) {
	for i := range transform.NumT4 {
		r.T4[i] = numAt((seed+int64(i))%4, 90, i+1)
	}
}

// testReports is a batch covering what the tables must carry.
func testReports() []*transform.Report {
	// Two reports of one city and year: the city government's summary is counted and contains the other.
	a := newReport("r-pds-organ", "平顶山市", "平顶山市城乡一体化示范区", 2024, transform.Gov2021, transform.ScopeOrgan)
	fillT2Current(a, 5)
	a.T2[transform.T2AdminFees] = wan("7730.28", 7730_280000)
	fillT3(a, 3)
	fillT4(a, 1)
	a.T3[transform.RowGranted][transform.ColTotal] = blankAt(44) // null in applications, a cells row
	a.Findings = []transform.Finding{
		{Rule: "T3.BALANCE", Severity: transform.SevError, Message: "第一项加第二项之和不等于第三项加第四项之和",
			Cells:   []string{"table3.new_received.total", "table3.carried_over.total", "table3.total_processed.total"},
			Culprit: "table3.new_received.total", Status: "fail", Place: "41:9"},
		{Rule: "S.BLANKS", Severity: transform.SevWarning, Message: "空白单元格"},
		{Rule: "X.FORMAT", Severity: transform.SevInfo, Message: "格式"},
	}

	b := newReport("r-pds-region", "平顶山市", "平顶山市人民政府", 2024, transform.Gov2021, transform.ScopeRegional)
	fillT2Current(b, 11)
	b.T2[transform.T2AdminFees] = wan("96171.6", 96171_600000)
	fillT3(b, 7)
	fillT4(b, 2)
	b.T3[transform.RowOtherFeeUnpaid][0] = naAt(63) // other_total natural_person becomes null
	b.DeriveOtherTotal()

	// A 2019 trial-format report: legacy Table 2 fields, a signed change, other_total read.
	c := newReport("r-ha-2019", "淮安市", "淮安市洪泽区人民政府", 2020, transform.Gov2019, transform.ScopeOrgan)
	for i := transform.NumT2Current; i < transform.NumT2; i++ {
		if transform.T2[i].Amount {
			c.T2[i] = wan("25.1", 25_100000)
			continue
		}
		c.T2[i] = numAt(int64(i*13%50), 10+i, 3)
	}
	for i, f := range transform.T2 {
		if f.Signed {
			c.T2[i] = numAt(-3, 10+i, 4)
			c.T2[i].Raw = "-3"
			break
		}
	}
	fillT3(c, 2)
	fillT4(c, 3)

	// Unknown city and year, nulls of every kind, alone: in the rollup though regional.
	d := newReport("r-unknown", "", "", 0, transform.Gov2021, transform.ScopeRegional)
	d.Title = ""
	d.Source.Encoding = ""
	d.Source.Format = extract.FormatDOCX
	fillT3(d, 1)
	d.T2[transform.T2RulesIssued] = blankAt(11)
	d.T2[transform.T2RulesRepealed] = naAt(12)
	d.T2[transform.T2RulesInForce] = textAt(13, "见附件")
	d.T2[transform.T2AdminFees] = wan("0.00", 0)
	d.T2[transform.T2AdminFees].Kind = transform.Zero
	d.T4[0] = textAt(91, "一件")

	// Regional but alone in its city and year: in the rollup.
	e := newReport("r-ha-2024", "淮安市", "淮安市人民政府", 2024, transform.Gov2021, transform.ScopeRegional)
	fillT2Current(e, 17)
	fillT3(e, 5)
	fillT4(e, 3)
	e.Unit = "汇总表!5"
	e.Source.Format = extract.FormatXLSX
	e.Source.Encoding = ""

	return []*transform.Report{a, b, c, d, e}
}

func testRejects() []Reject {
	return []Reject{
		{Path: "in/scan.pdf.txt", SHA256: fmt.Sprintf("%064x", 1), Bytes: 7, Stage: "extract", Reason: "binary content, not a report"},
		{Path: "in/broken.xlsx", Bytes: 0, Stage: "extract", Place: "Sheet1!C12", Reason: "corrupt file"},
	}
}
