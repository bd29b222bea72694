package pdfium_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/extract/pdfium"
	"github.com/govreports/govreports/fixtures/gen/pdfgen"
	"github.com/govreports/govreports/fixtures/synth"
)

var update = flag.Bool("update", false, "rewrite the generated PDFs and the golden files under extract/testdata/pdf")

const testdata = "../testdata/pdf"

// generated are the test PDFs pdfgen writes; the others in testdata were made once by LibreOffice
// (see testdata/pdf/README.md).
var generated = map[string]func() []byte{
	"generated-seed.pdf": func() []byte { return synth.Seed().Render(synth.PDF) },
	"scanned.pdf":        func() []byte { return pdfgen.Scanned(2) },
	"no-tounicode.pdf": func() []byte {
		return pdfgen.Write([]pdfgen.Block{{Kind: pdfgen.Title, Text: "某某局2024年政府信息公开工作年度报告"},
			{Kind: pdfgen.Para, Text: "全年共受理政府信息公开申请 57 件，均在法定期限内依法予以答复。"}},
			pdfgen.Options{Font: pdfgen.FontOptions{NoToUnicode: true}})
	},
}

// render writes a document the way the golden files show it: one line per paragraph, a table as
// its rows with copies marked ^, every block and cell with its place.
func render(doc *extract.Document) string {
	var b strings.Builder
	for _, bl := range doc.Blocks {
		if bl.Kind == extract.Paragraph {
			fmt.Fprintf(&b, "P %s %s\n", bl.Pos, bl.Text)
			continue
		}
		fmt.Fprintf(&b, "T %s %s\n", bl.Pos, bl.Layout)
		for _, row := range bl.Rows {
			b.WriteString("  ")
			for i, c := range row {
				if i > 0 {
					b.WriteString(" | ")
				}
				if c.Copy {
					b.WriteString("^")
				}
				fmt.Fprintf(&b, "%s @%s", c.Text, c.Pos)
			}
			b.WriteString("\n")
		}
	}
	for _, n := range doc.Notes {
		fmt.Fprintf(&b, "N %s %s %s\n", n.Pos, n.Code, n.Message)
	}
	return b.String()
}

// TestGolden reads the PDFs of testdata/pdf that are reports and compares what comes out, block by
// block and cell by cell with places, with the golden files beside them.
func TestGolden(t *testing.T) {
	if *update {
		for name, gen := range generated {
			if err := os.WriteFile(filepath.Join(testdata, name), gen(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, gen := range generated {
		got, err := os.ReadFile(filepath.Join(testdata, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, gen()) {
			t.Errorf("%s is not what pdfgen writes now: run go test ./extract/pdfium -run TestGolden -update", name)
		}
	}
	for _, name := range []string{"generated-seed.pdf", "libreoffice-docx-random.pdf"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(testdata, name)
			doc, err := extract.ReadFile(context.Background(), path, extract.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			got := render(doc)
			golden := strings.TrimSuffix(path, ".pdf") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("%s reads differently from %s:\n%s", name, golden, diff(string(want), got))
			}
		})
	}
}

// diff shows the first lines that differ.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < max(len(w), len(g)) && len(out) < 10; i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, fmt.Sprintf("line %d\n  want %s\n  got  %s", i+1, a, b))
		}
	}
	return strings.Join(out, "\n")
}

// TestRefusals: PDFs that cannot be read are refused with a reason naming the file and the page.
func TestRefusals(t *testing.T) {
	tests := []struct {
		file  string
		cause error
		place string
		text  string
	}{
		{"scanned.pdf", extract.ErrNoContent, "page 1", "scanned PDF without a text layer: run OCR first"},
		{"no-tounicode.pdf", extract.ErrEncoding, "page 1", "maps to no Chinese text"},
		{"encrypted.pdf", extract.ErrEncrypted, "", "password"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(testdata, tc.file)
			_, err := extract.ReadFile(context.Background(), path, extract.DefaultLimits())
			var e *extract.Error
			if !errors.As(err, &e) || !errors.Is(err, tc.cause) || e.Path != path || e.Place != tc.place || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("err = %v, want %v naming %s at %q and saying %q", err, tc.cause, path, tc.place, tc.text)
			}
		})
	}
	t.Run("corrupt", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(testdata, "generated-seed.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = extract.Read(context.Background(), "cut.pdf", data[:len(data)/3], extract.DefaultLimits())
		var e *extract.Error
		if !errors.As(err, &e) || e.Path != "cut.pdf" {
			t.Fatalf("err = %v, want an *extract.Error naming cut.pdf", err)
		}
	})
	t.Run("time limit", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(testdata, "generated-seed.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		lim := extract.DefaultLimits()
		lim.MaxPDFTime = time.Nanosecond
		_, err = extract.Read(context.Background(), "slow.pdf", data, lim)
		if !errors.Is(err, extract.ErrLimit) || !strings.Contains(err.Error(), "slow.pdf") || !strings.Contains(err.Error(), "took longer than") {
			t.Fatalf("err = %v, want the time limit naming slow.pdf", err)
		}
	})
	t.Run("memory limit", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(testdata, "generated-seed.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		lim := extract.DefaultLimits()
		lim.MaxPDFMemory = 4 << 20 // less than PDFium needs to start
		_, err = extract.Read(context.Background(), "big.pdf", data, lim)
		if !errors.Is(err, extract.ErrLimit) || !strings.Contains(err.Error(), "big.pdf") || !strings.Contains(err.Error(), "memory") {
			t.Fatalf("err = %v, want the memory limit naming big.pdf", err)
		}
	})
}

// TestOwnerPasswordIsRead: a PDF encrypted only with an owner password (permissions, no password to
// open) is read like any other.
func TestOwnerPasswordIsRead(t *testing.T) {
	doc, err := extract.ReadFile(context.Background(), filepath.Join(testdata, "owner-password.pdf"), extract.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Blocks) == 0 || !strings.Contains(doc.Blocks[0].Text, "平顶山市城乡一体化示范区") {
		t.Errorf("first block %+v, want the title", doc.Blocks)
	}
}

// TestConcurrentReads: the engine serves concurrent readers (as the pipeline's workers are) with
// results identical to a lone read.
func TestConcurrentReads(t *testing.T) {
	var files [][]byte
	for _, name := range []string{"generated-seed.pdf", "libreoffice-docx-random.pdf"} {
		data, err := os.ReadFile(filepath.Join(testdata, name))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, data)
	}
	want := make([]string, len(files))
	for i, data := range files {
		doc, err := extract.Read(context.Background(), "x.pdf", data, extract.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		want[i] = render(doc)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 6 {
		wg.Go(func() {
			for k := range 4 {
				i := (w + k) % len(files)
				doc, err := extract.Read(context.Background(), "x.pdf", files[i], extract.DefaultLimits())
				if err != nil {
					errs <- err
					return
				}
				if render(doc) != want[i] {
					errs <- fmt.Errorf("worker %d: file %d read differently", w, i)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// FuzzReadPDF feeds the engine and the layout arbitrary bytes, seeded with the test PDFs: a file
// either reads or is refused with an *extract.Error; nothing panics or hangs.
func FuzzReadPDF(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join(testdata, "*.pdf"))
	for _, n := range names {
		if data, err := os.ReadFile(n); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := extract.DefaultLimits()
		lim.MaxPDFTime = 10 * time.Second
		doc, err := extract.Read(context.Background(), "f.pdf", data, lim)
		if err != nil {
			var e *extract.Error
			if !errors.As(err, &e) {
				t.Fatalf("not an *extract.Error: %v", err)
			}
			return
		}
		if len(doc.Blocks) == 0 {
			t.Fatal("a document without blocks and without an error")
		}
	})
}

// TestEngineClose: a closed engine starts again on the next file.
func TestEngineClose(t *testing.T) {
	e := &pdfium.Engine{}
	data, err := os.ReadFile(filepath.Join(testdata, "generated-seed.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		d, err := e.Open(context.Background(), data, extract.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if d.NumPages() < 2 {
			t.Errorf("%d pages", d.NumPages())
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
