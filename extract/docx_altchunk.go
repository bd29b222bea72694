package extract

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"path"
	"strings"
)

// A w:altChunk is content Word imports when it opens the file: web editors and government
// platforms write the report as an HTML page (or an MHT archive of one) and wrap it in a DOCX
// that holds nothing else. Word shows the page in place, so its paragraphs and tables are read
// in place, by the HTML reader. A chunk of another kind (RTF, plain text, another DOCX) is not
// read, and a note says so: its tables would otherwise be missing without a word.

// altChunk reads the part the w:altChunk just entered refers to and emits its blocks in place.
func (p *docxParser) altChunk(se xml.StartElement) error {
	id, _ := attr(se, "id")
	line := p.line()
	if err := p.skip(); err != nil { // w:altChunkPr, if any
		return err
	}
	where := Pos{Para: p.paras}
	var name string
	for _, r := range p.rels {
		if r.id == id && strings.HasSuffix(r.typ, "/aFChunk") {
			name = resolveTarget(p.entry, r.target)
		}
	}
	unread := func(why string) error {
		p.doc.Notes = append(p.doc.Notes, Note{Pos: where, Code: "altchunk-unread",
			Message: fmt.Sprintf("an embedded part (w:altChunk %s at %s) is not read: %s; if it holds the tables, their numbers are missing", id, zipPlace(p.entry, line), why)})
		return nil
	}
	if name == "" || !hasZipFile(p.zr, name) {
		return unread("the package has no part for it")
	}
	f, err := findZipFile(p.path, p.zr, name)
	if err != nil {
		return err
	}
	data, err := readZipEntry(p.path, f, p.lim, p.budget)
	if err != nil {
		return err
	}
	page, kind := chunkHTML(name, data)
	if page == nil {
		return unread(kind)
	}
	sub, err := readHTML(p.ctx, Source{Path: p.path}, page, p.lim)
	if errors.Is(err, ErrNoContent) {
		return nil // an empty chunk shows nothing
	}
	if err != nil {
		return err
	}
	// The chunk's paragraphs and tables continue the document's numbering.
	for _, b := range sub.Blocks {
		if err := p.growBlocks(); err != nil {
			return err
		}
		switch b.Kind {
		case Paragraph:
			p.paras++
			b.Pos = Pos{Para: p.paras}
		case Table:
			p.tables++
			b.Pos = Pos{Table: p.tables}
			for _, row := range b.Rows {
				for i := range row {
					row[i].Pos.Table = p.tables
				}
			}
		}
		p.doc.Blocks = append(p.doc.Blocks, b)
	}
	for _, n := range sub.Notes {
		n.Pos = where
		p.doc.Notes = append(p.doc.Notes, n)
	}
	return nil
}

// chunkHTML returns the HTML page an altChunk part holds: the part itself when it is HTML, the
// first text/html body of an MHT archive. Otherwise it returns nil and what the part is.
func chunkHTML(name string, data []byte) ([]byte, string) {
	head := data[:min(len(data), 2048)]
	ext := strings.ToLower(path.Ext(name))
	if ext == ".mht" || ext == ".mhtml" || bytes.Contains(bytes.ToLower(head), []byte("multipart/related")) {
		page, err := mhtHTML(data)
		if err != nil {
			return nil, "an MHT archive without a readable HTML page (" + err.Error() + ")"
		}
		return page, ""
	}
	if ext == ".htm" || ext == ".html" || ext == ".xhtml" || looksLikeHTML(data) {
		return data, ""
	}
	switch {
	case bytes.HasPrefix(head, []byte(`{\rtf`)):
		return nil, "it is RTF"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return nil, "it is another Office document"
	}
	return nil, "its format (" + ext + ") is not HTML"
}

// mhtHTML takes the first text/html part out of a MIME (MHT) archive, its transfer encoding
// undone. The page's own meta charset, or the content, tells its encoding afterwards.
func mhtHTML(data []byte) ([]byte, error) {
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(data)))
	hdr, err := tp.ReadMIMEHeader()
	if err != nil && len(hdr) == 0 {
		return nil, fmt.Errorf("no MIME header")
	}
	mt, params, err := mime.ParseMediaType(hdr.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("no content type")
	}
	if !strings.HasPrefix(mt, "multipart/") {
		if mt == "text/html" {
			return decodeTransfer(hdr.Get("Content-Transfer-Encoding"), tp.R)
		}
		return nil, fmt.Errorf("content type %s", mt)
	}
	mr := multipart.NewReader(tp.R, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if err != nil {
			return nil, fmt.Errorf("no text/html part")
		}
		if pt, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); pt == "text/html" {
			return decodeTransfer(part.Header.Get("Content-Transfer-Encoding"), part)
		}
	}
}

func decodeTransfer(enc string, r io.Reader) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r) // it skips the line breaks
	}
	return io.ReadAll(r)
}
