package extract

import (
	"archive/zip"
	"bytes"
	"fmt"
	"unicode/utf8"
)

// Detect tells the format of an input from its content; the file name plays no part.
// Formats govreports does not read get an error that says what to convert them to.
func Detect(data []byte) (Format, error) {
	switch {
	case len(data) == 0:
		return "", ErrEmpty
	case isPDF(data):
		return FormatPDF, nil
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		if bytes.Contains(data, utf16le("EncryptionInfo")) || bytes.Contains(data, utf16le("EncryptedPackage")) {
			return "", fmt.Errorf("%w: an encrypted Office file; save it again without a password", ErrEncrypted)
		}
		return "", fmt.Errorf("%w: legacy binary Office file (.doc/.xls); save it as .docx or .xlsx", ErrUnsupported)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return detectZip(data)
	case bytes.HasPrefix(data, []byte{0x1F, 0x8B}):
		return "", fmt.Errorf("%w: gzip archive; unpack it first", ErrUnsupported)
	case bytes.HasPrefix(data, []byte("Rar!")) || bytes.HasPrefix(data, []byte("7z\xBC\xAF\x27\x1C")):
		return "", fmt.Errorf("%w: archive; unpack it first", ErrUnsupported)
	case bytes.HasPrefix(data, []byte("{\\rtf")):
		return "", fmt.Errorf("%w: RTF; save it as .docx", ErrUnsupported)
	case isImage(data):
		return "", fmt.Errorf("%w: an image (a scanned report?); run OCR on it first, govreports reads text", ErrUnsupported)
	}
	// A Word document saved as one XML file (Flat OPC or Word 2003 XML) would read as a page or
	// as text full of markup; only input starting with markup is looked at.
	if wordXMLKind(data) != "" {
		return FormatDOCX, nil
	}
	if isXMLSpreadsheet(data) {
		return FormatXLSX, nil
	}
	if looksLikeHTML(data) {
		return FormatHTML, nil
	}
	return FormatText, nil
}

// isPDF finds the %PDF- header, which readers accept anywhere in the first kilobyte (some files
// carry a few bytes of junk before it).
func isPDF(data []byte) bool {
	return bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-"))
}

// isImage recognises the picture formats scanned reports come in: PNG, JPEG, GIF, TIFF, WebP.
func isImage(data []byte) bool {
	for _, sig := range [][]byte{
		[]byte("\x89PNG\r\n\x1a\n"), {0xFF, 0xD8, 0xFF}, []byte("GIF87a"), []byte("GIF89a"),
		[]byte("II*\x00"), []byte("MM\x00*"),
	} {
		if bytes.HasPrefix(data, sig) {
			return true
		}
	}
	return len(data) >= 12 && bytes.HasPrefix(data, []byte("RIFF")) && string(data[8:12]) == "WEBP"
}

func detectZip(data []byte) (Format, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("%w: zip container: %v", ErrCorrupt, err)
	}
	var hasWord, hasXL, hasTypes bool
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			hasWord = true
		case "xl/workbook.xml":
			hasXL = true
		case "[Content_Types].xml":
			hasTypes = true
		}
	}
	switch {
	case hasWord:
		return FormatDOCX, nil
	case hasXL:
		return FormatXLSX, nil
	}
	// A converter's package whose main part has another name: _rels/.rels names it.
	if name := mainPart(zr); name != "" {
		if f := mainPartFormat(zr, name); f != "" {
			return f, nil
		}
	}
	switch {
	case hasTypes:
		return "", fmt.Errorf("%w: an Office file that is neither a Word document nor a workbook", ErrUnsupported)
	}
	return "", fmt.Errorf("%w: zip archive; unpack it and give govreports the reports inside", ErrUnsupported)
}

// looksLikeHTML sniffs markup near the start, past any BOM, blank space and comments, in any of
// the encodings a page may come in.
func looksLikeHTML(data []byte) bool {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		head = asciiOfUTF16(head[2:], head[0] == 0xFF)
	}
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	head = bytes.TrimLeft(head, " \t\r\n")
	// Only the opening needs lowercasing to compare prefixes (the longest is 14 bytes).
	lower := bytes.ToLower(head[:min(len(head), 16)])
	for _, p := range [][]byte{[]byte("<!doctype html"), []byte("<html"), []byte("<?xml"), []byte("<head"), []byte("<body"), []byte("<meta"), []byte("<table"), []byte("<div"), []byte("<!--")} {
		if bytes.HasPrefix(lower, p) {
			if bytes.Equal(p, []byte("<?xml")) || bytes.Equal(p, []byte("<!--")) {
				all := bytes.ToLower(head)
				return bytes.Contains(all, []byte("<html")) || bytes.Contains(all, []byte("<table"))
			}
			return true
		}
	}
	return false
}

// asciiOfUTF16 keeps the ASCII characters of UTF-16 text, enough to sniff markup.
func asciiOfUTF16(b []byte, little bool) []byte {
	out := make([]byte, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		lo, hi := b[i], b[i+1]
		if !little {
			lo, hi = hi, lo
		}
		if hi == 0 && lo < utf8.RuneSelf {
			out = append(out, lo)
		}
	}
	return out
}

func utf16le(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		out = append(out, s[i], 0)
	}
	return out
}
