package extract

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"io"
	"strings"
)

// Word saves a document as one XML file too: "Word XML Document" is the package flattened
// (Flat OPC: pkg:package, each part in a pkg:part), and Word 2003's "XML Document" (WordML:
// w:wordDocument) has the same paragraphs, tables, rows and cells under the 2003 namespace. OA
// systems and platforms export both, often named .doc or .xml. Either is read by the DOCX reader:
// the parts of a Flat OPC file are put back into a package, a WordML file is the main part.

const (
	flatOPCNamespace = "http://schemas.microsoft.com/office/2006/xmlPackage"
	wordMLNamespace  = "http://schemas.microsoft.com/office/word/2003/wordml"
)

// wordXMLKind tells a Word XML file by its root element: "flat" for Flat OPC, "wordml" for Word
// 2003 XML, "" for anything else. Only input that starts with markup is looked at.
func wordXMLKind(data []byte) string {
	head := bytes.TrimPrefix(data[:min(len(data), 4096)], []byte("\xEF\xBB\xBF"))
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) == 0 || head[0] != '<' ||
		!bytes.Contains(head, []byte("wordDocument")) && !bytes.Contains(head, []byte("xmlPackage")) {
		return "" // a page or text: no decoder is made
	}
	d := xml.NewDecoder(bytes.NewReader(head))
	d.Strict = false
	root, _ := rootName(d.Token)
	switch {
	case root.Local == "package" && root.Space == flatOPCNamespace:
		return "flat"
	case root.Local == "wordDocument" && root.Space == wordMLNamespace:
		return "wordml"
	}
	return ""
}

// wordXMLPackage turns a Word XML file into the package the DOCX reader reads.
func wordXMLPackage(path string, data []byte, lim Limits) ([]byte, error) {
	parts := map[string][]byte{}
	switch wordXMLKind(data) {
	case "wordml":
		parts["word/document.xml"] = data
	case "flat":
		var err error
		if parts, err = flatOPCParts(path, data, lim); err != nil {
			return nil, err
		}
	default:
		return nil, Errorf(path, "", ErrCorrupt, "neither a zip package nor a Word XML document")
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err == nil {
			_, err = w.Write(b)
		}
		if err != nil {
			return nil, Errorf(path, name, ErrCorrupt, "%v", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, Errorf(path, "", ErrCorrupt, "%v", err)
	}
	return buf.Bytes(), nil
}

// flatOPCParts cuts each pkg:part's content out of a Flat OPC file: the bytes between
// pkg:xmlData's tags as written (the part's own namespace declarations are on its root), or
// pkg:binaryData decoded. The parts together may not pass the uncompressed-size limit.
func flatOPCParts(path string, data []byte, lim Limits) (map[string][]byte, error) {
	parts := map[string][]byte{}
	budget := zipBudget(lim)
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var (
		name      string // the pkg:part we are in
		dataStart int64  // where its xmlData or binaryData content starts; -1 outside one
		binary    bool
		depth     int // element depth inside the data element
	)
	dataStart = -1
	for {
		off := d.InputOffset()
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, Errorf(path, "", ErrCorrupt, "malformed Word XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.Directive:
			return nil, Errorf(path, "", ErrCorrupt, "the XML carries a DOCTYPE declaration; Office files never do, so it is refused")
		case xml.StartElement:
			if dataStart >= 0 {
				depth++
				continue
			}
			switch t.Name.Local {
			case "part":
				name = ""
				for _, a := range t.Attr {
					if a.Name.Local == "name" {
						name = strings.TrimPrefix(a.Value, "/")
					}
				}
			case "xmlData", "binaryData":
				dataStart, binary, depth = d.InputOffset(), t.Name.Local == "binaryData", 0
			}
		case xml.EndElement:
			if dataStart < 0 {
				continue
			}
			if depth > 0 {
				depth--
				continue
			}
			content := data[dataStart:off]
			if binary {
				b, err := base64.StdEncoding.DecodeString(string(content))
				if err != nil {
					return nil, Errorf(path, name, ErrCorrupt, "the part's base64 data is broken: %v", err)
				}
				content = b
			}
			if budget -= int64(len(content)); budget < 0 {
				return nil, Errorf(path, name, ErrLimit, "the document's parts pass the limit of %d uncompressed bytes (raise --max-uncompressed to read it)", lim.MaxUncompressed)
			}
			if name != "" {
				if _, dup := parts[name]; dup {
					return nil, Errorf(path, name, ErrCorrupt, "the part appears twice in the package")
				}
				parts[name] = content
			}
			dataStart = -1
		}
	}
	if len(parts) == 0 {
		return nil, Errorf(path, "", ErrNoContent, "the Word XML package has no parts")
	}
	return parts, nil
}
