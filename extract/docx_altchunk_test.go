package extract

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
)

// A DOCX from a web editor holds its report as an HTML page (or MHT archive) in a w:altChunk:
// its paragraphs and tables are read in place; a chunk that is not HTML leaves a note.
func TestReadDOCXAltChunk(t *testing.T) {
	const page = `<html><head><meta charset="utf-8"></head><body><p>二、主动公开政府信息情况</p>` +
		`<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>7</td></tr></table></body></html>`
	qp := strings.NewReplacer("=", "=3D", "<meta charset", "<meta=\r\n charset").Replace(page) // a soft line break
	mht := func(enc, body string) string {
		return "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\n" +
			"Content-Type: text/xml\r\n\r\n<xml/>\r\n--B\r\nContent-Transfer-Encoding: " + enc + "\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\r\n" +
			body + "\r\n--B--\r\n"
	}
	b64 := base64.StdEncoding.EncodeToString([]byte(page))
	b64 = b64[:40] + "\r\n" + b64[40:]
	cases := []struct {
		name, part, data string
		want             []string // blocks: "P text" or "T first row"
		note             string
	}{
		{"html", "afchunk.htm", page, []string{"P 一、总体情况", "P 二、主动公开政府信息情况", "T 信息内容 本年制发件数", "T1 规章 7", "P 三、收到和处理"}, ""},
		{"html without extension", "chunk1", page, []string{"P 一、总体情况", "P 二、主动公开政府信息情况", "T 信息内容 本年制发件数", "T1 规章 7", "P 三、收到和处理"}, ""},
		{"mht quoted-printable", "afchunk.mht", mht("quoted-printable", qp), []string{"P 一、总体情况", "P 二、主动公开政府信息情况", "T 信息内容 本年制发件数", "T1 规章 7", "P 三、收到和处理"}, ""},
		{"mht base64", "afchunk.mht", mht("base64", b64), []string{"P 一、总体情况", "P 二、主动公开政府信息情况", "T 信息内容 本年制发件数", "T1 规章 7", "P 三、收到和处理"}, ""},
		{"rtf", "afchunk.rtf", `{\rtf1\ansi 7}`, []string{"P 一、总体情况", "P 三、收到和处理"}, "it is RTF"},
		{"no part", "", "", []string{"P 一、总体情况", "P 三、收到和处理"}, "no part"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rels := `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
			files := map[string]string{"[Content_Types].xml": docxContentTypes}
			if c.part != "" {
				rels += `<Relationship Id="c1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="` + c.part + `"/>`
				files["word/"+c.part] = c.data
			}
			files["word/_rels/document.xml.rels"] = rels + `</Relationships>`
			files["word/document.xml"] = docxDocument(wp("一、总体情况") + `<w:altChunk r:id="c1"><w:altChunkPr><w:matchSrc/></w:altChunkPr></w:altChunk>` + wp("三、收到和处理"))
			doc, err := readDOCXBytes(t, docxZip(t, files), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range doc.Blocks {
				if b.Kind == Paragraph {
					got = append(got, "P "+b.Text)
					continue
				}
				got = append(got, "T "+RowText(b.Rows[0]))
				if len(b.Rows) > 1 {
					// The chunk's cells carry the document's table numbers.
					got = append(got, fmt.Sprintf("T%d %s", b.Rows[1][1].Pos.Table, RowText(b.Rows[1])))
				}
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("blocks\n got %q\nwant %q", got, c.want)
			}
			var notes []string
			for _, n := range doc.Notes {
				notes = append(notes, n.Code+": "+n.Message)
			}
			if c.note == "" && len(notes) > 0 || c.note != "" && (len(notes) != 1 || !strings.Contains(notes[0], "altchunk-unread") || !strings.Contains(notes[0], c.note)) {
				t.Errorf("notes %q, want one altchunk-unread saying %q", notes, c.note)
			}
		})
	}
}
