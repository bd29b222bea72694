package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"testing"
)

func zipWithEntries(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte("<x/>")); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDetect(t *testing.T) {
	seed, err := os.ReadFile("testdata/text/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	ole := []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	tests := []struct {
		name   string
		in     []byte
		format Format
		err    error
	}{
		{"seed text", seed, FormatText, nil},
		{"seed as GB18030", encodeGB18030(t, string(seed)), FormatText, nil},
		{"seed as UTF-16", encodeUTF16(string(seed), true, true), FormatText, nil},
		{"Markdown", []byte("# 标题\n| a | b |\n"), FormatText, nil},
		{"text that starts with a tag-like word", []byte("<注> 本报告…\n"), FormatText, nil},
		{"HTML doctype", []byte("<!DOCTYPE html><html><body><table></table></body></html>"), FormatHTML, nil},
		{"HTML after BOM and blank lines", append(append([]byte{}, bomUTF8...), []byte("\r\n  <HTML lang=zh>")...), FormatHTML, nil},
		{"HTML fragment", []byte("<table><tr><td>规章</td></tr></table>"), FormatHTML, nil},
		{"HTML in UTF-16", encodeUTF16("<html><body>报告</body></html>", true, true), FormatHTML, nil},
		{"comment then HTML", []byte("<!-- saved from url --><html>"), FormatHTML, nil},
		{"comment without HTML", []byte("<!-- 注释 -->\n报告正文\n"), FormatText, nil},
		{"XML that is not HTML", []byte("<?xml version=\"1.0\"?><data/>"), FormatText, nil},
		{"DOCX", zipWithEntries(t, "[Content_Types].xml", "word/document.xml"), FormatDOCX, nil},
		{"XLSX", zipWithEntries(t, "[Content_Types].xml", "xl/workbook.xml"), FormatXLSX, nil},
		{"PPTX", zipWithEntries(t, "[Content_Types].xml", "ppt/presentation.xml"), "", ErrUnsupported},
		{"plain zip", zipWithEntries(t, "a.txt"), "", ErrUnsupported},
		{"broken zip", []byte("PK\x03\x04garbage"), "", ErrCorrupt},
		{"empty", nil, "", ErrEmpty},
		{"PDF", []byte("%PDF-1.7\n"), FormatPDF, nil},
		{"PDF after junk bytes", []byte("\r\n%PDF-1.4\n"), FormatPDF, nil},
		{"legacy Office", append(ole, 0, 0), "", ErrUnsupported},
		{"encrypted Office", append(ole, encodeUTF16("EncryptedPackage", true, false)...), "", ErrEncrypted},
		{"gzip", []byte{0x1F, 0x8B, 8, 0}, "", ErrUnsupported},
		{"RAR", []byte("Rar!\x1a\x07"), "", ErrUnsupported},
		{"7z", []byte("7z\xBC\xAF\x27\x1C"), "", ErrUnsupported},
		{"RTF", []byte(`{\rtf1\ansi`), "", ErrUnsupported},
		{"PNG scan", []byte("\x89PNG\r\n\x1a\n\x00\x00"), "", ErrUnsupported},
		{"JPEG scan", []byte{0xFF, 0xD8, 0xFF, 0xE0}, "", ErrUnsupported},
		{"GIF", []byte("GIF89a"), "", ErrUnsupported},
		{"TIFF", []byte("II*\x00\x08\x00"), "", ErrUnsupported},
		{"WebP", []byte("RIFF\x10\x00\x00\x00WEBPVP8 "), "", ErrUnsupported},
		{"RIFF that is not WebP", []byte("RIFF\x10\x00\x00\x00WAVEfmt "), FormatText, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(tt.in)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Detect = %q, %v; want error %v", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.format {
				t.Fatalf("Detect = %q, %v; want %q", got, err, tt.format)
			}
		})
	}
}
