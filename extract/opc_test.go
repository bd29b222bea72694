package extract

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// Converters and platforms name the main part, and the parts it uses, otherwise than Word and
// Excel do; the relationships say where they are.
func TestOOXMLPartsThroughRelationships(t *testing.T) {
	const (
		officeDoc  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
		strictDoc  = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
		stylesRel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
		sheetRel   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
		sstRel     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
		spreadNS   = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
		typesXML   = `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`
		docxBody   = `<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>一、总体情况</w:t></w:r></w:p>`
		sheetXML   = `<worksheet ` + spreadNS + `><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>7</v></c></row></sheetData></worksheet>`
		sharedXML  = `<sst ` + spreadNS + `><si><t>规章</t></si></sst>`
		workbookWB = `<workbook ` + spreadNS + `><sheets><sheet name="报告" sheetId="1" r:id="rId1"/></sheets></workbook>`
	)
	rels := func(pairs ...string) string {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
		for i := 0; i+2 < len(pairs)+1; i += 3 {
			b.WriteString(`<Relationship Id="` + pairs[i] + `" Type="` + pairs[i+1] + `" Target="` + pairs[i+2] + `"/>`)
		}
		b.WriteString(`</Relationships>`)
		return b.String()
	}
	cases := []struct {
		name   string
		files  map[string]string
		format Format
		want   string // the text read: the first paragraph, or the first table row
	}{
		{"docx main part renamed, styles through its relationships", map[string]string{
			"[Content_Types].xml":           typesXML,
			"_rels/.rels":                   rels("rId1", officeDoc, "/word/document2.xml"),
			"word/document2.xml":            docxDocument(docxBody),
			"word/_rels/document2.xml.rels": rels("rId1", stylesRel, "custom-styles.xml"),
			"word/custom-styles.xml":        chineseStyles,
		}, FormatDOCX, "1 一、总体情况"},
		{"docx strict relationship type", map[string]string{
			"[Content_Types].xml": typesXML,
			"_rels/.rels":         rels("rId1", strictDoc, "word/main.xml"),
			"word/main.xml":       strings.ReplaceAll(docxDocument(docxBody), "http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main"),
		}, FormatDOCX, "0 一、总体情况"},
		{"xlsx workbook and shared strings renamed", map[string]string{
			"[Content_Types].xml":      typesXML,
			"_rels/.rels":              rels("rId1", officeDoc, "xl/wb.xml"),
			"xl/wb.xml":                workbookWB,
			"xl/_rels/wb.xml.rels":     rels("rId1", sheetRel, "/xl/worksheets/report.xml", "rId2", sstRel, "strings/sst1.xml"),
			"xl/worksheets/report.xml": sheetXML,
			"xl/strings/sst1.xml":      sharedXML,
		}, FormatXLSX, "规章 7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := docxZip(t, c.files)
			f, err := Detect(data)
			if err != nil || f != c.format {
				t.Fatalf("Detect = %q, %v; want %q", f, err, c.format)
			}
			doc, err := readDOCXBytes(t, data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			var got string
			if b := doc.Blocks[0]; b.Kind == Paragraph {
				got = strconv.Itoa(b.Level) + " " + b.Text
			} else {
				got = RowText(b.Rows[0])
			}
			if got != c.want {
				t.Errorf("read %q, want %q", got, c.want)
			}
		})
	}
}

// A workbook cell stored as a boolean, an error or a date holds no number: 1 (TRUE) or a date's
// digits must not be read as a count. It shows what Excel shows and is marked as a cell without
// a value, with a note.
func TestReadXLSXTypedCells(t *testing.T) {
	sheet := `<row r="1"><c r="A1" t="inlineStr"><is><t>规章</t></is></c>` +
		`<c r="B1" t="b"><v>1</v></c><c r="C1" t="b"><f>A1=A2</f><v>0</v></c><c r="D1" t="e"><v>#DIV/0!</v></c>` +
		`<c r="E1" t="d"><v>2024-03-15T00:00:00Z</v></c><c r="F1" t="d"><v>2024-03-15T08:30:00</v></c><c r="G1"><v>12</v></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>行政规范性文件</t></is></c><c r="B2"><v>3</v></c></row>`
	doc := readXLSXBytes(t, handWritten(t, sheet, ""), DefaultLimits())
	want := map[string]struct {
		text       string
		uncomputed bool
	}{
		"Sheet1!B1": {"TRUE", true}, "Sheet1!C1": {"FALSE", true}, "Sheet1!D1": {"#DIV/0!", true},
		"Sheet1!E1": {"2024-03-15", true}, "Sheet1!F1": {"2024-03-15T08:30:00", true}, "Sheet1!G1": {"12", false},
	}
	for at, w := range want {
		c := xlsxCell(t, doc, at)
		if c.Text != w.text || c.Uncomputed != w.uncomputed {
			t.Errorf("%s: text %q uncomputed %v, want %q %v", at, c.Text, c.Uncomputed, w.text, w.uncomputed)
		}
	}
	if got := strings.Count(strings.Join(xlsxNotes(doc), "\n"), "typed-cell"); got != 5 {
		t.Errorf("%d typed-cell notes, want 5: %v", got, xlsxNotes(doc))
	}
}

// A hidden row that repeats the labels of a row shown in the same table (last year's figures kept
// under this year's) is left out; a hidden row of its own is read.
func TestReadXLSXHiddenTwinRows(t *testing.T) {
	row := func(r int, hidden bool, cells ...string) string {
		h := ""
		if hidden {
			h = ` hidden="1"`
		}
		s := fmt.Sprintf(`<row r="%d"%s>`, r, h)
		for i, c := range cells {
			ref := ColumnName(i+1) + strconv.Itoa(r)
			if _, err := strconv.Atoi(c); err == nil {
				s += `<c r="` + ref + `"><v>` + c + `</v></c>`
			} else if c != "" {
				s += `<c r="` + ref + `" t="inlineStr"><is><t>` + c + `</t></is></c>`
			}
		}
		return s + `</row>`
	}
	head := row(1, false, "信息内容", "本年制发件数", "本年废止件数")
	cases := []struct {
		name, rows string
		want       []string
	}{
		{"hidden twin before", head + row(2, true, "规章", "9", "9") + row(3, false, "规章", "1", "2"),
			[]string{"信息内容 本年制发件数 本年废止件数", "规章 1 2"}},
		{"hidden twin after", head + row(2, false, "规章", "1", "2") + row(3, true, "规章", "9", "9"),
			[]string{"信息内容 本年制发件数 本年废止件数", "规章 1 2"}},
		{"numbers only", head + row(2, false, "规章", "1", "2") + row(3, true, "", "8", "8") + row(4, false, "", "5", "6"),
			[]string{"信息内容 本年制发件数 本年废止件数", "规章 1 2", "5 6"}},
		{"hidden row of its own", head + row(2, true, "规章", "1", "2") + row(3, false, "行政规范性文件", "3", "4"),
			[]string{"信息内容 本年制发件数 本年废止件数", "规章 1 2", "行政规范性文件 3 4"}},
		{"two hidden, none shown", head + row(2, true, "规章", "1", "2") + row(3, true, "规章", "3", "4"),
			[]string{"信息内容 本年制发件数 本年废止件数", "规章 1 2", "规章 3 4"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := readXLSXBytes(t, handWritten(t, c.rows, ""), DefaultLimits())
			var got []string
			for _, b := range doc.Blocks {
				for _, r := range b.Rows {
					if t := RowText(r); t != "" {
						got = append(got, t)
					}
				}
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("rows\n got %q\nwant %q", got, c.want)
			}
		})
	}
}
