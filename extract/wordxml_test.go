package extract

import (
	"encoding/base64"
	"strings"
	"testing"
)

// A Word document saved as one XML file, Flat OPC or Word 2003 XML, is read like the DOCX it
// stands for; before, it read as text full of markup.
func TestReadWordXML(t *testing.T) {
	body := wp("一、总体情况") + wtbl(wtr("", dcell{text: "规章"}, dcell{text: "7"})) + wp("二、主动公开")
	main := strings.TrimPrefix(docxDocument(body), `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n")
	header := `<w:hdr ` + docxNS + `>` + wp("页眉文字") + `</w:hdr>`
	flat := func(extra string) string {
		return `<?xml version="1.0" standalone="yes"?><?mso-application progid="Word.Document"?>` +
			`<pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">` +
			`<pkg:part pkg:name="/_rels/.rels"><pkg:xmlData><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships></pkg:xmlData></pkg:part>` +
			`<pkg:part pkg:name="/word/document.xml"><pkg:xmlData>` + main + `</pkg:xmlData></pkg:part>` +
			`<pkg:part pkg:name="/word/header1.xml"><pkg:xmlData>` + header + `</pkg:xmlData></pkg:part>` + extra +
			`</pkg:package>`
	}
	wordml := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><?mso-application progid="Word.Document"?>` +
		`<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"><w:styles><w:style w:type="paragraph" w:styleId="a"><w:name w:val="Normal"/></w:style></w:styles><w:body>` +
		strings.ReplaceAll(body, "<w:tblGrid/>", "") +
		`<w:tbl><w:tr><w:tc><w:tcPr><w:vmerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>` +
		`<w:tr><w:tc><w:tcPr><w:vmerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>` +
		`</w:body></w:wordDocument>`
	cases := []struct {
		name, data string
		want       string // blocks, then "!" and the error when refused
	}{
		{"flat opc", flat(""), "P 一、总体情况|T 规章 7|P 二、主动公开"},
		{"flat opc with a binary part", flat(`<pkg:part pkg:name="/word/media/image1.png"><pkg:binaryData>` + base64.StdEncoding.EncodeToString([]byte("png")) + `</pkg:binaryData></pkg:part>`), "P 一、总体情况|T 规章 7|P 二、主动公开"},
		{"flat opc with a part twice", flat(`<pkg:part pkg:name="/word/document.xml"><pkg:xmlData>` + main + `</pkg:xmlData></pkg:part>`), "!appears twice"},
		{"flat opc with bad base64", flat(`<pkg:part pkg:name="/x.bin"><pkg:binaryData>***</pkg:binaryData></pkg:part>`), "!base64"},
		{"word 2003 xml", wordml, "P 一、总体情况|T 规章 7|P 二、主动公开|T 甲 1|T 甲 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if f, err := Detect([]byte(c.data)); f != FormatDOCX || err != nil {
				t.Fatalf("Detect = %q, %v", f, err)
			}
			doc, err := readDOCXBytes(t, []byte(c.data), DefaultLimits())
			if strings.HasPrefix(c.want, "!") {
				if err == nil || !strings.Contains(err.Error(), c.want[1:]) {
					t.Fatalf("error %v, want one saying %q", err, c.want[1:])
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range doc.Blocks {
				if b.Kind == Paragraph {
					got = append(got, "P "+b.Text)
					continue
				}
				for _, r := range b.Rows {
					got = append(got, "T "+RowText(r))
				}
			}
			if g := strings.Join(got, "|"); g != c.want {
				t.Errorf("read %q, want %q", g, c.want)
			}
		})
	}
	// Pages and text that merely start with markup are not Word XML.
	for _, s := range []string{`<?xml version="1.0"?><html><body>x</body></html>`, `<p>wordDocument</p>`, "规章 7"} {
		if k := wordXMLKind([]byte(s)); k != "" {
			t.Errorf("wordXMLKind(%q) = %q", s, k)
		}
	}
}
