package extract

import (
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
