// Package pdfium is the PDF engine of package extract: PDFium, the PDF library of Chromium, compiled
// to WebAssembly (github.com/klippa-app/go-pdfium) and run by wazero. It is pure Go: no cgo, no
// external program, nothing to install. Importing the package registers the engine with extract:
//
//	import _ "github.com/govreports/govreports/extract/pdfium"
//
// Start-up is lazy: the WebAssembly module is compiled when the first PDF is read (about 4 s on
// a cold machine), and the compiled code is cached under the user's cache folder
// (os.UserCacheDir()/govreports/wazero) so later processes start in a fraction of a second. Module
// instances are pooled, one per concurrent reader at most GOMAXPROCS (more callers wait for a free
// one), reused from file to file, and dropped after any failure. The package starts no goroutine of
// its own; wazero compiles the module with short-lived goroutines that end before the first read
// returns.
//
// Limits (extract.Limits): MaxPDFMemory caps the WebAssembly memory of the instance reading a file
// (an allocation beyond it fails, and so does the file); MaxPDFTime and the caller's context are
// checked between pages and every few hundred glyphs. A single PDFium call is not interrupted:
// wazero can do that only by watching the context on every call, which made reading four times
// slower when measured (docs/ARCHITECTURE.md, "PDF engine").
package pdfium

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/govreports/govreports/extract"
)

func init() { extract.RegisterPDFEngine(Default) }

// Default is the engine registered with extract.
var Default = &Engine{}

// Engine opens PDFs with pooled PDFium instances. The zero value is ready; it is safe for
// concurrent use.
type Engine struct {
	mu    sync.Mutex
	cache wazero.CompilationCache
	pools map[uint32]pdfium.Pool // by memory limit in 64 KiB WebAssembly pages
}

const wasmPage = 64 << 10

// maxWasmPages is the most memory a 32-bit WebAssembly module can address (4 GiB).
const maxWasmPages = 65536

// pool returns the instance pool for a memory limit, compiling the module the first time.
func (e *Engine) pool(memory int64) (pdfium.Pool, error) {
	pages := uint32(maxWasmPages)
	if memory > 0 && memory/wasmPage < maxWasmPages {
		pages = uint32(max(memory/wasmPage, 1))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if p, ok := e.pools[pages]; ok {
		return p, nil
	}
	if e.cache == nil {
		e.cache = compilationCache()
	}
	// The bundled module lowers setjmp/longjmp to WebAssembly exception handling, which wazero
	// supports as an experimental core feature.
	rc := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithCompilationCache(e.cache).
		WithMemoryLimitPages(pages)
	n := max(runtime.GOMAXPROCS(0), 1)
	p, err := webassembly.Init(webassembly.Config{
		MaxTotal:      n,
		MaxIdle:       n,
		ReuseWorkers:  true,
		RuntimeConfig: rc,
		FSConfig:      wazero.NewFSConfig(), // no file system: documents are passed as bytes
		Stdout:        io.Discard,
		Stderr:        io.Discard,
	})
	if err != nil {
		return nil, fmt.Errorf("starting the PDF engine: %w", err)
	}
	if e.pools == nil {
		e.pools = map[uint32]pdfium.Pool{}
	}
	e.pools[pages] = p
	return p, nil
}

// compilationCache keeps the compiled module on disk between processes when the user has a cache
// folder, in memory otherwise.
func compilationCache() wazero.CompilationCache {
	if dir, err := os.UserCacheDir(); err == nil {
		dir = filepath.Join(dir, "govreports", "wazero")
		if err := os.MkdirAll(dir, 0o755); err == nil {
			if c, err := wazero.NewCompilationCacheWithDir(dir); err == nil {
				return c
			}
		}
	}
	return wazero.NewCompilationCache()
}

// Close releases the engine's instances and runtimes; the next Open starts them again. Programs
// need not call it: a process that ends releases everything.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs []error
	for k, p := range e.pools {
		errs = append(errs, p.Close())
		delete(e.pools, k)
	}
	return errors.Join(errs...)
}

// Open implements extract.PDFEngine.
func (e *Engine) Open(ctx context.Context, data []byte, lim extract.Limits) (extract.PDFDocument, error) {
	p, err := e.pool(lim.MaxPDFMemory)
	if err != nil {
		if lim.MaxPDFMemory > 0 {
			// PDFium needs some 18 MiB before it reads a byte; a lower cap is refused here.
			return nil, fmt.Errorf("%w: the PDF engine cannot start within %d bytes of memory (raise the PDF memory limit): %v", extract.ErrLimit, lim.MaxPDFMemory, err)
		}
		return nil, err
	}
	inst, err := p.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("PDF engine: %w", err)
	}
	d := &document{inst: inst, lim: lim}
	res, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		d.broken = !isOpenFailure(err)
		d.Close()
		switch {
		case errors.Is(err, pdfiumerrors.ErrPassword), errors.Is(err, pdfiumerrors.ErrSecurity):
			return nil, fmt.Errorf("%w: a password-protected PDF; save it again without a password or supply the DOCX/HTML original", extract.ErrEncrypted)
		case isOpenFailure(err):
			return nil, fmt.Errorf("%w: PDFium cannot parse it: %v", extract.ErrCorrupt, err)
		}
		return nil, fmt.Errorf("%w: the PDF engine failed on it: %v", extract.ErrCorrupt, err)
	}
	d.doc = res.Document
	n, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: d.doc})
	if err != nil {
		d.broken = true
		d.Close()
		return nil, fmt.Errorf("%w: counting pages: %v", extract.ErrCorrupt, err)
	}
	d.pages = n.PageCount
	return d, nil
}

// isOpenFailure tells PDFium's own verdicts on a file from failures of the instance.
func isOpenFailure(err error) bool {
	for _, e := range []error{pdfiumerrors.ErrFile, pdfiumerrors.ErrFormat, pdfiumerrors.ErrPassword,
		pdfiumerrors.ErrSecurity, pdfiumerrors.ErrUnknown, pdfiumerrors.ErrPage} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// document is an open PDF on one borrowed instance.
type document struct {
	inst   pdfium.Pdfium
	doc    references.FPDF_DOCUMENT
	lim    extract.Limits
	pages  int
	broken bool // a call failed: the instance goes, it does not return to the pool
	closed bool
}

func (d *document) NumPages() int { return d.pages }

func (d *document) Close() error {
	if d.closed {
		return nil
	}
	d.closed = true
	if d.doc != "" {
		if _, err := d.inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: d.doc}); err != nil {
			d.broken = true
		}
	}
	if d.broken {
		return d.inst.Kill()
	}
	return d.inst.Close()
}

// Page implements extract.PDFDocument.
func (d *document) Page(ctx context.Context, i int) (*extract.PDFPage, error) {
	page, err := d.page(ctx, i)
	if err != nil && ctx.Err() == nil {
		var ee *extract.Error
		if !errors.As(err, &ee) {
			d.broken = true
			err = fmt.Errorf("%w: %v", extract.ErrCorrupt, err)
		}
	}
	return page, err
}

// maxPageChars bounds the glyphs of one page; a dense A4 page has a few thousand.
const maxPageChars = 200_000

func (d *document) page(ctx context.Context, i int) (*extract.PDFPage, error) {
	in := d.inst
	lp, err := in.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: d.doc, Index: i})
	if err != nil {
		return nil, fmt.Errorf("loading the page: %w", err)
	}
	defer in.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: lp.Page})
	ref := requests.Page{ByReference: &lp.Page}
	fr, err := frameOf(in, ref)
	if err != nil {
		return nil, err
	}
	out := &extract.PDFPage{Width: fr.width, Height: fr.height}

	tp, err := in.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: ref})
	if err != nil {
		return nil, fmt.Errorf("reading the text layer: %w", err)
	}
	defer in.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	cc, err := in.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return nil, fmt.Errorf("counting characters: %w", err)
	}
	if cc.Count > maxPageChars {
		return nil, &extract.Error{Err: fmt.Errorf("%w: %d characters on one page, limit %d", extract.ErrLimit, cc.Count, maxPageChars)}
	}
	out.Glyphs = make([]extract.PDFGlyph, 0, cc.Count)
	for c := range cc.Count {
		if c%512 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		u, err := in.FPDFText_GetUnicode(&requests.FPDFText_GetUnicode{TextPage: tp.TextPage, Index: c})
		if err != nil {
			return nil, fmt.Errorf("character %d: %w", c, err)
		}
		r := rune(u.Unicode)
		if r == ' ' || r == '\r' || r == '\n' {
			continue // the layout works from positions; PDFium generates these between words and lines
		}
		b, err := in.FPDFText_GetLooseCharBox(&requests.FPDFText_GetLooseCharBox{TextPage: tp.TextPage, Index: c})
		if err != nil {
			continue // a glyph without a box has no place on the page
		}
		out.Glyphs = append(out.Glyphs, extract.PDFGlyph{R: r, Box: fr.rect(float64(b.Rect.Left), float64(b.Rect.Bottom), float64(b.Rect.Right), float64(b.Rect.Top))})
	}
	if err := d.objects(ctx, ref, fr, out); err != nil {
		return nil, err
	}
	return out, nil
}

// objects collects the page's rulings and images, looking inside form XObjects.
func (d *document) objects(ctx context.Context, ref requests.Page, fr frame, out *extract.PDFPage) error {
	in := d.inst
	n, err := in.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: ref})
	if err != nil {
		return fmt.Errorf("counting page objects: %w", err)
	}
	w := walker{ctx: ctx, in: in, fr: fr, out: out}
	for k := range n.Count {
		o, err := in.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: ref, Index: k})
		if err != nil {
			return fmt.Errorf("page object %d: %w", k, err)
		}
		if err := w.object(o.PageObject, identity, 0); err != nil {
			return err
		}
	}
	return nil
}

// maxPageObjects bounds the objects examined on one page, form contents included.
const maxPageObjects = 100_000

type walker struct {
	ctx   context.Context
	in    pdfium.Pdfium
	fr    frame
	out   *extract.PDFPage
	count int
}

func (w *walker) object(o references.FPDF_PAGEOBJECT, m matrix, depth int) error {
	w.count++
	if w.count > maxPageObjects {
		return nil // a drawing, not a form: its rulings beyond this are not needed
	}
	if w.count%256 == 0 {
		if err := w.ctx.Err(); err != nil {
			return err
		}
	}
	t, err := w.in.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: o})
	if err != nil {
		return fmt.Errorf("page object type: %w", err)
	}
	switch t.Type {
	case enums.FPDF_PAGEOBJ_PATH, enums.FPDF_PAGEOBJ_IMAGE:
		b, err := w.in.FPDFPageObj_GetBounds(&requests.FPDFPageObj_GetBounds{PageObject: o})
		if err != nil {
			return nil // an empty path has no bounds
		}
		r := m.rect(float64(b.Left), float64(b.Bottom), float64(b.Right), float64(b.Top))
		box := w.fr.rect(r[0], r[1], r[2], r[3])
		if t.Type == enums.FPDF_PAGEOBJ_IMAGE {
			w.out.Images = append(w.out.Images, box)
			return nil
		}
		if min(box.X1-box.X0, box.Y1-box.Y0) <= thin {
			w.out.Rules = append(w.out.Rules, box)
			return nil
		}
		return w.segments(o, m)
	case enums.FPDF_PAGEOBJ_FORM:
		if depth >= 8 {
			return nil
		}
		fm, err := w.in.FPDFPageObj_GetMatrix(&requests.FPDFPageObj_GetMatrix{PageObject: o})
		if err != nil {
			return nil
		}
		inner := m.mul(matrixOf(fm.Matrix))
		n, err := w.in.FPDFFormObj_CountObjects(&requests.FPDFFormObj_CountObjects{PageObject: o})
		if err != nil {
			return nil
		}
		for k := range n.Count {
			c, err := w.in.FPDFFormObj_GetObject(&requests.FPDFFormObj_GetObject{PageObject: o, Index: uint64(k)})
			if err != nil {
				return fmt.Errorf("form object %d: %w", k, err)
			}
			if err := w.object(c.PageObject, inner, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// thin is the widest path, in points, taken whole as one ruling; a wider path is read segment by
// segment (a table drawn as one path, or as rectangles).
const thin = 3.0

// segments adds the straight, axis-parallel pieces of a wide path: the edges of a stroked
// rectangle, the lines of a table drawn as one path, thin filled rectangles inside it.
func (w *walker) segments(o references.FPDF_PAGEOBJECT, m matrix) error {
	in := w.in
	n, err := in.FPDFPath_CountSegments(&requests.FPDFPath_CountSegments{PageObject: o})
	if err != nil || n.Count > 20_000 {
		return nil
	}
	om, err := in.FPDFPageObj_GetMatrix(&requests.FPDFPageObj_GetMatrix{PageObject: o})
	if err != nil {
		return nil
	}
	full := m.mul(matrixOf(om.Matrix))
	var pts [][2]float64 // the points of the current subpath
	flush := func() {
		if len(pts) >= 2 {
			minX, minY, maxX, maxY := pts[0][0], pts[0][1], pts[0][0], pts[0][1]
			for _, p := range pts {
				minX, minY, maxX, maxY = min(minX, p[0]), min(minY, p[1]), max(maxX, p[0]), max(maxY, p[1])
			}
			if min(maxX-minX, maxY-minY) <= thin {
				w.out.Rules = append(w.out.Rules, w.fr.rect(minX, minY, maxX, maxY))
			} else {
				for k := 1; k < len(pts); k++ {
					a, b := pts[k-1], pts[k]
					if a[0] == b[0] || a[1] == b[1] {
						w.out.Rules = append(w.out.Rules, w.fr.rect(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])))
					}
				}
			}
		}
		pts = pts[:0]
	}
	for k := range n.Count {
		s, err := in.FPDFPath_GetPathSegment(&requests.FPDFPath_GetPathSegment{PageObject: o, Index: k})
		if err != nil {
			return nil
		}
		st, err := in.FPDFPathSegment_GetType(&requests.FPDFPathSegment_GetType{PathSegment: s.PathSegment})
		if err != nil {
			return nil
		}
		p, err := in.FPDFPathSegment_GetPoint(&requests.FPDFPathSegment_GetPoint{PathSegment: s.PathSegment})
		if err != nil {
			return nil
		}
		x, y := full.apply(float64(p.X), float64(p.Y))
		switch st.Type {
		case enums.FPDF_SEGMENT_MOVETO:
			flush()
			pts = append(pts, [2]float64{x, y})
		case enums.FPDF_SEGMENT_LINETO:
			pts = append(pts, [2]float64{x, y})
		default:
			flush() // a curve is no ruling
			continue
		}
		if c, err := in.FPDFPathSegment_GetClose(&requests.FPDFPathSegment_GetClose{PathSegment: s.PathSegment}); err == nil && c.IsClose && len(pts) > 0 {
			pts = append(pts, pts[0])
		}
	}
	flush()
	return nil
}
