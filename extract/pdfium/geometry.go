package pdfium

import (
	"fmt"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/structs"

	"github.com/govreports/govreports/extract"
)

// frame maps PDF user space (origin bottom-left, y up) to the page as displayed: the crop box's
// top-left corner at the origin, y down, the page's /Rotate applied.
type frame struct {
	x0, y0, x1, y1 float64 // the crop box in user space
	rotate         enums.FPDF_PAGE_ROTATION
	width, height  float64 // as displayed
}

func frameOf(in pdfium.Pdfium, ref requests.Page) (frame, error) {
	var f frame
	if b, err := in.FPDFPage_GetCropBox(&requests.FPDFPage_GetCropBox{Page: ref}); err == nil && b.Right > b.Left && b.Top > b.Bottom {
		f.x0, f.y0, f.x1, f.y1 = float64(b.Left), float64(b.Bottom), float64(b.Right), float64(b.Top)
	} else if b, err := in.FPDFPage_GetMediaBox(&requests.FPDFPage_GetMediaBox{Page: ref}); err == nil && b.Right > b.Left && b.Top > b.Bottom {
		f.x0, f.y0, f.x1, f.y1 = float64(b.Left), float64(b.Bottom), float64(b.Right), float64(b.Top)
	} else {
		return f, fmt.Errorf("the page has no media box")
	}
	if r, err := in.FPDFPage_GetRotation(&requests.FPDFPage_GetRotation{Page: ref}); err == nil {
		f.rotate = r.PageRotation
	}
	f.width, f.height = f.x1-f.x0, f.y1-f.y0
	if f.rotate == enums.FPDF_PAGE_ROTATION_90_CW || f.rotate == enums.FPDF_PAGE_ROTATION_270_CW {
		f.width, f.height = f.height, f.width
	}
	return f, nil
}

// point maps one point of user space.
func (f frame) point(x, y float64) (float64, float64) {
	switch f.rotate {
	case enums.FPDF_PAGE_ROTATION_90_CW:
		return y - f.y0, x - f.x0
	case enums.FPDF_PAGE_ROTATION_180_CW:
		return f.x1 - x, y - f.y0
	case enums.FPDF_PAGE_ROTATION_270_CW:
		return f.y1 - y, f.x1 - x
	}
	return x - f.x0, f.y1 - y
}

// rect maps a box of user space given by two corners.
func (f frame) rect(left, bottom, right, top float64) extract.PDFRect {
	ax, ay := f.point(left, bottom)
	bx, by := f.point(right, top)
	return extract.PDFRect{X0: min(ax, bx), Y0: min(ay, by), X1: max(ax, bx), Y1: max(ay, by)}
}

// matrix is a PDF transformation [a b c d e f]: x' = a·x + c·y + e, y' = b·x + d·y + f.
type matrix struct{ a, b, c, d, e, f float64 }

var identity = matrix{a: 1, d: 1}

func matrixOf(m structs.FPDF_FS_MATRIX) matrix {
	return matrix{float64(m.A), float64(m.B), float64(m.C), float64(m.D), float64(m.E), float64(m.F)}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
}

// mul is the transformation that applies n, then m.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		a: m.a*n.a + m.c*n.b, b: m.b*n.a + m.d*n.b,
		c: m.a*n.c + m.c*n.d, d: m.b*n.c + m.d*n.d,
		e: m.a*n.e + m.c*n.f + m.e, f: m.b*n.e + m.d*n.f + m.f,
	}
}

// rect is the bounding box of a transformed box, as [x0 y0 x1 y1].
func (m matrix) rect(x0, y0, x1, y1 float64) [4]float64 {
	if m == identity {
		return [4]float64{x0, y0, x1, y1}
	}
	out := [4]float64{1e18, 1e18, -1e18, -1e18}
	for _, p := range [][2]float64{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}} {
		x, y := m.apply(p[0], p[1])
		out[0], out[1], out[2], out[3] = min(out[0], x), min(out[1], y), max(out[2], x), max(out[3], y)
	}
	return out
}
