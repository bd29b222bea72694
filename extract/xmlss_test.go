package extract

import (
	"context"
	"strings"
	"testing"
)

// An Excel 2003 XML Spreadsheet is read into the same grid as a workbook: cells placed by
// ss:Index (a blank cell skipped keeps its column), merged ranges, typed and formula cells.
func TestReadXMLSpreadsheet(t *testing.T) {
	wrap := func(sheets ...string) string {
		return `<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>` +
			`<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">` +
			strings.Join(sheets, "") + `</Workbook>`
	}
	sheet := func(name, rows string) string {
		return `<Worksheet ss:Name="` + name + `"><Table>` + rows + `</Table></Worksheet>`
	}
	s := func(v string) string { return `<Cell><Data ss:Type="String">` + v + `</Data></Cell>` }
	n := func(v string) string { return `<Cell><Data ss:Type="Number">` + v + `</Data></Cell>` }
	cases := []struct {
		name, data string
		want       []string // table rows as cell texts joined by |, copies marked *
	}{
		{"blank cell skipped by index", wrap(sheet("S", `<Row>`+s("规章")+n("1")+`<Cell ss:Index="4"><Data ss:Type="Number">3</Data></Cell></Row>`+
			`<Row>`+s("行政规范性文件")+n("4")+n("5")+n("6")+`</Row>`)),
			[]string{"规章|1||3", "行政规范性文件|4|5|6"}},
		{"merged across and down", wrap(sheet("S", `<Row><Cell ss:MergeAcross="1"><Data ss:Type="String">信息内容</Data></Cell>`+s("件数")+`</Row>`+
			`<Row><Cell ss:MergeDown="1"><Data ss:Type="String">甲</Data></Cell>`+n("1")+n("2")+`</Row>`+
			`<Row><Cell ss:Index="2"><Data ss:Type="Number">3</Data></Cell>`+n("4")+`</Row>`)),
			[]string{"信息内容|*信息内容|件数", "甲|1|2", "*甲|3|4"}},
		{"typed, formula and rich text", wrap(sheet("S", `<Row>`+s("规章")+`<Cell><Data ss:Type="Boolean">1</Data></Cell>`+
			`<Cell ss:Formula="=1/0"><Data ss:Type="Error">#DIV/0!</Data></Cell><Cell ss:Formula="=SUM(RC[-3]:RC[-1])"/>`+
			`<Cell><ss:Data ss:Type="String"><html:B>7</html:B>件</ss:Data></Cell></Row>`+`<Row>`+s("x")+n("1")+n("2")+n("3")+n("4")+`</Row>`)),
			[]string{"规章|TRUE|#DIV/0!||7件", "x|1|2|3|4"}},
		{"row index and two sheets", wrap(sheet("说明", `<Row ss:Index="2">`+s("填报说明")+`</Row>`),
			sheet("年报", `<Row>`+s("规章")+n("1")+`</Row><Row>`+s("行政规范性文件")+n("2.50")+`</Row>`)),
			[]string{"规章|1", "行政规范性文件|2.5"}}, // a number written plainly, as from a workbook
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := []byte(c.data)
			if f, err := Detect(data); f != FormatXLSX || err != nil {
				t.Fatalf("Detect = %q, %v", f, err)
			}
			doc := readXLSXBytes(t, data, DefaultLimits())
			var got []string
			for _, b := range doc.Blocks {
				for _, r := range b.Rows {
					var cells []string
					for _, x := range r {
						if x.Copy {
							cells = append(cells, "*"+x.Text)
						} else {
							cells = append(cells, x.Text)
						}
					}
					got = append(got, strings.Join(cells, "|"))
				}
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("rows\n got %q\nwant %q", got, c.want)
			}
		})
	}
	if isXMLSpreadsheet([]byte(`<html><body>urn:schemas-microsoft-com:office:spreadsheet</body></html>`)) {
		t.Error("a page naming the namespace taken for a spreadsheet")
	}
}

// FuzzOfficeXML: Word and Excel files saved as one XML file never panic, and a refusal names
// the file.
func FuzzOfficeXML(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S"><Table><Row><Cell ss:MergeAcross="1" ss:MergeDown="1"><Data ss:Type="String">规章</Data></Cell><Cell ss:Index="4" ss:Formula="=SUM(RC[-1])"/></Row></Table></Worksheet></Workbook>`))
	f.Add([]byte(`<pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage"><pkg:part pkg:name="/word/document.xml"><pkg:xmlData><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:body></w:document></pkg:xmlData></pkg:part></pkg:package>`))
	f.Add([]byte(`<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:vmerge/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:wordDocument>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Read(context.Background(), "f.xml", data, DefaultLimits())
		if err != nil && !strings.Contains(err.Error(), "f.xml") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}

// FuzzFormula: any formula text is computed or refused without a panic.
func FuzzFormula(f *testing.F) {
	for _, s := range []string{"SUM(B1:C1)", "B1+$C$1-2", "SUM(A1,B1:C2)", "-(B1)", "SUM(", "A1:", "$", "ZZZZ1", "1E999", "SUM(XFD1048576:A1)"} {
		f.Add(s, 1, 1)
	}
	f.Fuzz(func(t *testing.T, formula string, dr, dc int) {
		g := &sheetGrid{grid: [][]xcell{{{text: "规章"}, {text: "1"}, {text: "2"}}, {{text: "x"}, {text: ""}, {text: "3"}}}, width: 3}
		meta := &sheetMeta{noCache: []formulaCell{{cellRef: cellRef{2, 2}, formula: formula}}}
		computeFormulas(g, meta)
		if moved, ok := shiftRefs(formula, dr%100, dc%100); ok {
			if _, ok := formulaTokens(moved); !ok {
				t.Fatalf("shiftRefs(%q) = %q, which does not tokenize", formula, moved)
			}
		}
	})
}
