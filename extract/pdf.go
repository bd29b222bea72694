package extract

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"unicode"
)

// The PDF reader rebuilds a report from the text layer of a PDF: every glyph with its box, and the
// ruling lines the page draws. Ruled tables become grids of real cells (report-format.md §7.5 in
// another dress: merged cells expanded, copies marked), so transform reads them exactly as it reads
// a DOCX table; text outside the rulings becomes paragraphs, or rows of aligned cells split at wide
// gaps (§7.2) when a table has no rulings. Page numbers in the margins are dropped.
//
// Parsing the PDF itself is left to a PDFEngine: package extract/pdfium provides PDFium compiled to
// WebAssembly and registers it when imported, so that packages which never read a PDF (and their
// tests) do not link or build it. The geometry below is plain Go and needs no engine to be tested.

// FormatPDF is a PDF file, detected by its %PDF- header.
const FormatPDF Format = "pdf"

// PDFRect is a box on a page in points, with the origin at the top-left corner of the page as it
// is displayed (after /Rotate) and y growing downwards.
type PDFRect struct{ X0, Y0, X1, Y1 float64 }

func (r PDFRect) width() float64  { return r.X1 - r.X0 }
func (r PDFRect) height() float64 { return r.Y1 - r.Y0 }
func (r PDFRect) midX() float64   { return (r.X0 + r.X1) / 2 }
func (r PDFRect) midY() float64   { return (r.Y0 + r.Y1) / 2 }

// PDFGlyph is one character of the text layer: its Unicode value (0 when the font maps it to
// none) and its box (the font's ascent to descent, the advance width).
type PDFGlyph struct {
	R   rune
	Box PDFRect
}

// PDFPage is what the layout needs of one page.
type PDFPage struct {
	Width, Height float64
	Glyphs        []PDFGlyph // in content order; whitespace the engine generated is left out
	// Rules are the axis-parallel lines and thin rectangles the page strokes or fills: each line
	// segment of a path, or a path's bounds when the whole path is thin. Table rulings are among them.
	Rules []PDFRect
	// Images are the bounds of the page's image objects, to tell a scan from an empty page.
	Images []PDFRect
}

// PDFDocument is an open PDF. Pages are read one at a time so a long file is never held whole.
type PDFDocument interface {
	NumPages() int
	// Page reads page i (0-based).
	Page(ctx context.Context, i int) (*PDFPage, error)
	Close() error
}

// PDFEngine opens PDF files. Open fails with an error wrapping ErrEncrypted for a password-protected
// file and ErrCorrupt for one the engine cannot parse. An engine is safe for concurrent use.
type PDFEngine interface {
	Open(ctx context.Context, data []byte, lim Limits) (PDFDocument, error)
}

var (
	pdfEngineMu sync.RWMutex
	pdfEngine   PDFEngine
)

// RegisterPDFEngine installs the engine the PDF reader uses. Package extract/pdfium calls it when it
// is imported; a program that reads PDFs imports that package for its side effect.
func RegisterPDFEngine(e PDFEngine) {
	pdfEngineMu.Lock()
	defer pdfEngineMu.Unlock()
	pdfEngine = e
}

func currentPDFEngine() PDFEngine {
	pdfEngineMu.RLock()
	defer pdfEngineMu.RUnlock()
	return pdfEngine
}

// pagePlace names a page in errors and notes.
func pagePlace(i int) string { return fmt.Sprintf("page %d", i+1) }

// Reasons a PDF is refused; each error also names the file and the page.
var (
	errScanned    = errors.New("scanned PDF without a text layer: run OCR first")
	errNoUnicode  = errors.New("the PDF's text layer maps to no Chinese text (a font without a ToUnicode map gives Latin-1 or private-use codes, not characters): the numbers cannot be trusted; export the PDF again with embedded Unicode fonts or supply the DOCX/HTML original")
	errNoPDFReady = errors.New("this program was built without a PDF engine (import github.com/govreports/govreports/extract/pdfium)")
)

func readPDF(ctx context.Context, src Source, data []byte, lim Limits) (*Document, error) {
	eng := currentPDFEngine()
	if eng == nil {
		return nil, &Error{Path: src.Path, Err: fmt.Errorf("%w: PDF: %w", ErrUnsupported, errNoPDFReady)}
	}
	parent := ctx
	if lim.MaxPDFTime > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, lim.MaxPDFTime)
		defer cancel()
	}
	doc, err := eng.Open(ctx, data, lim)
	if err != nil {
		return nil, pdfError(parent, src.Path, "", err, lim)
	}
	defer doc.Close()
	n := doc.NumPages()
	if n == 0 {
		return nil, Errorf(src.Path, "", ErrNoContent, "a PDF without pages")
	}
	if lim.MaxPages > 0 && n > lim.MaxPages {
		return nil, Errorf(src.Path, "", ErrLimit, "%d pages, limit %d (a report has a few dozen)", n, lim.MaxPages)
	}
	b := newPDFBuilder(src, lim)
	for i := range n {
		if err := ctx.Err(); err != nil {
			return nil, pdfError(parent, src.Path, pagePlace(i), err, lim)
		}
		page, err := doc.Page(ctx, i)
		if err != nil {
			return nil, pdfError(parent, src.Path, pagePlace(i), err, lim)
		}
		if err := b.addPage(i, page); err != nil {
			var e *Error
			if errors.As(err, &e) {
				e.Path = src.Path
				return nil, e
			}
			return nil, &Error{Path: src.Path, Place: pagePlace(i), Err: err}
		}
	}
	return b.finish()
}

// pdfError names the file and page of an engine failure. The file's own deadline (MaxPDFTime) is a
// reading limit; the caller's context ending is not the file's fault and is returned as it is.
func pdfError(parent context.Context, path, place string, err error, lim Limits) error {
	var e *Error
	if errors.As(err, &e) {
		if e.Path == "" {
			e.Path = path
		}
		if e.Place == "" {
			e.Place = place
		}
		return e
	}
	if errors.Is(err, context.DeadlineExceeded) && parent.Err() == nil && lim.MaxPDFTime > 0 {
		return Errorf(path, place, ErrLimit, "reading the PDF took longer than %s", lim.MaxPDFTime)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err // the run was interrupted: not this file's fault
	}
	return &Error{Path: path, Place: place, Err: err}
}

// glyphClass sorts a glyph for the text-layer check: is it Chinese, or a sign that the font had no
// Unicode map (private-use codes, U+FFFD, control codes, no code at all)?
type glyphClass uint8

const (
	glyphOther glyphClass = iota
	glyphHan
	glyphGarbage
)

func classifyGlyph(r rune) glyphClass {
	switch {
	case unicode.Is(unicode.Han, r):
		return glyphHan
	case r == 0, r == unicode.ReplacementChar, r < 0x20, r >= 0x7F && r < 0xA0,
		r >= 0xE000 && r <= 0xF8FF, r >= 0xF0000:
		return glyphGarbage
	case r >= 0xA0 && r <= 0xFF && unicode.IsLetter(r):
		// Latin-1 letters (ÄÖÜ…) are what a CJK font's codes look like read as WinAnsi.
		return glyphGarbage
	}
	return glyphOther
}
