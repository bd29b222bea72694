package extract

import (
	"strings"
	"testing"
)

// Formulas saved without a cached value are computed when they are sums of plain numbers, as
// Excel computes them on opening the file; any other stays without a value, with its note.
func TestReadXLSXFormulasWithoutValues(t *testing.T) {
	n := func(ref, v string) string { return `<c r="` + ref + `"><v>` + v + `</v></c>` }
	f := func(ref, formula string) string { return `<c r="` + ref + `"><f>` + formula + `</f></c>` }
	s := func(ref, v string) string { return `<c r="` + ref + `" t="inlineStr"><is><t>` + v + `</t></is></c>` }
	row := func(r string, cells ...string) string {
		return `<row r="` + r + `">` + strings.Join(cells, "") + `</row>`
	}
	cases := []struct {
		name, sheet string
		at, want    string // the cell, and its text ("" for none)
		note        string
	}{
		{"sum of a range", row("1", s("A1", "规章"), n("B1", "1"), n("C1", "2"), f("D1", "SUM(B1:C1)")), "D1", "3", "formula-computed"},
		{"sum skips words and blanks", row("1", s("A1", "规章"), n("C1", "2"), f("D1", "SUM(A1:C1)")), "D1", "2", "formula-computed"},
		{"plus and minus", row("1", s("A1", "规章"), n("B1", "5"), n("C1", "2"), f("D1", "B1+C1-1.5")), "D1", "5.5", "formula-computed"},
		{"shared formula", row("1", s("A1", "规章"), n("B1", "1"), n("C1", "2"), `<c r="D1"><f t="shared" ref="D1:D2" si="0">SUM(B1:C1)</f><v>3</v></c>`) +
			row("2", s("A2", "文件"), n("B2", "4"), n("C2", "5"), `<c r="D2"><f t="shared" si="0"/></c>`), "D2", "9", "formula-computed"},
		{"shared with absolute references", row("1", s("A1", "规章"), n("B1", "1"), n("C1", "10"), `<c r="D1"><f t="shared" ref="D1:D2" si="3">B1+$C$1</f><v>11</v></c>`) +
			row("2", s("A2", "文件"), n("B2", "4"), `<c r="D2"><f t="shared" si="3"/></c>`), "D2", "14", "formula-computed"},
		{"a total of totals", row("1", s("A1", "甲"), n("B1", "1"), f("C1", "B1+1")) + row("2", s("A2", "乙"), n("B2", "2"), f("C2", "SUM(B2,C1)")), "C2", "4", "formula-computed"},
		{"over a number stored as text", row("1", s("A1", "规章"), s("B1", "7"), n("C1", "2"), f("D1", "SUM(B1:C1)")), "D1", "", "formula-no-cache"},
		{"over a word", row("1", s("A1", "规章"), n("C1", "2"), f("D1", "A1+C1")), "D1", "", "formula-no-cache"},
		{"over a boolean", row("1", s("A1", "规章"), `<c r="B1" t="b"><v>1</v></c>`, n("C1", "2"), f("D1", "SUM(B1:C1)")), "D1", "", "formula-no-cache"},
		{"another function", row("1", s("A1", "规章"), n("B1", "1"), n("C1", "2"), f("D1", "AVERAGE(B1:C1)")), "D1", "", "formula-no-cache"},
		{"another sheet", row("1", s("A1", "规章"), n("B1", "1"), n("C1", "2"), f("D1", "Sheet2!B1+C1")), "D1", "", "formula-no-cache"},
		{"a cycle", row("1", s("A1", "规章"), n("B1", "1"), f("C1", "D1+1"), f("D1", "C1+1")), "D1", "", "formula-no-cache"},
		{"multiplication", row("1", s("A1", "规章"), n("B1", "1"), n("C1", "2"), f("D1", "B1*C1")), "D1", "", "formula-no-cache"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := readXLSXBytes(t, handWritten(t, c.sheet, ""), DefaultLimits())
			cell := xlsxCell(t, doc, "Sheet1!"+c.at)
			if cell.Text != c.want || cell.Uncomputed != (c.want == "") {
				t.Errorf("%s = %q uncomputed=%v, want %q", c.at, cell.Text, cell.Uncomputed, c.want)
			}
			if notes := strings.Join(xlsxNotes(doc), "; "); !strings.Contains(notes, "Sheet1!"+c.at+" "+c.note) {
				t.Errorf("notes %q, want %s at %s", notes, c.note, c.at)
			}
		})
	}
}
