package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	pathpkg "path"
	"strings"
)

// An OOXML package names its main part in _rels/.rels (the officeDocument relationship) and the
// parts the main part uses in the main part's own relationships. Word and Excel write
// word/document.xml and xl/workbook.xml, but converters and platforms write other names
// (word/document2.xml, xl/wb.xml); Word and Excel follow the relationships, and so do we.

// maxRelsBytes bounds what is inflated of one relationships part: real ones are a few KB.
const maxRelsBytes = 1 << 20

type opcRel struct{ id, typ, target string }

// readRels reads the relationships part name, best effort: a missing or malformed part gives the
// relationships read before the fault (the caller falls back on the usual part names).
func readRels(zr *zip.Reader, name string) []opcRel {
	var f *zip.File
	for _, zf := range zr.File {
		if zf.Name == name {
			f = zf
			break
		}
	}
	if f == nil || f.UncompressedSize64 > maxRelsBytes {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	return parseRels(io.LimitReader(rc, maxRelsBytes))
}

func parseRels(r io.Reader) []opcRel {
	d := xml.NewDecoder(r)
	var out []opcRel
	for {
		tok, err := d.RawToken()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.Directive:
			return out // no DTD in a relationships part
		case xml.StartElement:
			if t.Name.Local == "Relationship" {
				id, _ := attr(t, "Id")
				typ, _ := attr(t, "Type")
				target, _ := attr(t, "Target")
				mode, _ := attr(t, "TargetMode")
				if mode != "External" {
					out = append(out, opcRel{id, typ, target})
				}
			}
		}
	}
}

// relsOf is the relationships part of part: word/document.xml → word/_rels/document.xml.rels.
func relsOf(part string) string {
	return pathpkg.Join(pathpkg.Dir(part), "_rels", pathpkg.Base(part)+".rels")
}

// resolveTarget turns a relationship's target into a part name: relative to the folder of the
// part the relationship belongs to, or from the package root when it starts with a slash.
func resolveTarget(source, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(pathpkg.Clean(target), "/")
	}
	return strings.TrimPrefix(pathpkg.Clean(pathpkg.Join(pathpkg.Dir(source), target)), "/")
}

// relOfType finds the target of source's first relationship whose type ends in /kind (transitional
// and strict relationship types differ only before it), or "" when there is none or the part it
// names is not in the package.
func relOfType(zr *zip.Reader, rels []opcRel, source, kind string) string {
	for _, r := range rels {
		if strings.HasSuffix(r.typ, "/"+kind) {
			if name := resolveTarget(source, r.target); hasZipFile(zr, name) {
				return name
			}
		}
	}
	return ""
}

// mainPart is the package's main part as _rels/.rels names it, or "" when it names none that
// exists.
func mainPart(zr *zip.Reader) string {
	return relOfType(zr, readRels(zr, "_rels/.rels"), "", "officeDocument")
}

// mainPartFormat tells a Word document from a workbook by the main part's root element, for a
// package whose main part has another name than Word's or Excel's.
func mainPartFormat(zr *zip.Reader, name string) Format {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return ""
		}
		defer rc.Close()
		head, _ := io.ReadAll(io.LimitReader(rc, 4096))
		root, _ := rootName(xml.NewDecoder(bytes.NewReader(head)).RawToken)
		switch root.Local {
		case "document":
			return FormatDOCX
		case "workbook":
			return FormatXLSX
		}
		return ""
	}
	return ""
}

// rootName is the name of the first element next (a decoder's Token or RawToken) gives; ok is
// false when a directive (a DTD) or an error comes first.
func rootName(next func() (xml.Token, error)) (name xml.Name, ok bool) {
	for {
		tok, err := next()
		if err != nil {
			return xml.Name{}, false
		}
		switch t := tok.(type) {
		case xml.Directive:
			return xml.Name{}, false
		case xml.StartElement:
			return t.Name, true
		}
	}
}
