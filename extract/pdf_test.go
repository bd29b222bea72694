package extract

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// The layout is tested on pages built here, glyph by glyph, through a fake engine: the PDFium
// engine and real files are tested in package extract/pdfium.

// fakePDF serves prepared pages.
type fakePDF struct{ pages []*PDFPage }

func (f *fakePDF) Open(context.Context, []byte, Limits) (PDFDocument, error) { return f, nil }
func (f *fakePDF) NumPages() int                                             { return len(f.pages) }
func (f *fakePDF) Page(_ context.Context, i int) (*PDFPage, error)           { return f.pages[i], nil }
func (f *fakePDF) Close() error                                              { return nil }

// readPages reads pages through the fake engine, as extract.Read reads a PDF.
func readPages(t *testing.T, pages ...*PDFPage) (*Document, error) {
	t.Helper()
	old := currentPDFEngine()
	RegisterPDFEngine(&fakePDF{pages: pages})
	t.Cleanup(func() { RegisterPDFEngine(old) })
	return Read(context.Background(), "r.pdf", []byte("%PDF-1.7\n"), DefaultLimits())
}

// pg is a page under construction; y is measured from the top.
type pg struct{ PDFPage }

func newPage() *pg { return &pg{PDFPage{Width: 595, Height: 842}} }

// text places s with its top-left corner at (x, y): Chinese an em wide, ASCII half.
func (p *pg) text(x, y, size float64, s string) *pg {
	for _, r := range s {
		w := size
		if r < 0x80 {
			w = size / 2
		}
		p.Glyphs = append(p.Glyphs, PDFGlyph{R: r, Box: PDFRect{x, y, x + w, y + size}})
		x += w
	}
	return p
}

func (p *pg) hline(x0, x1, y float64) *pg {
	p.Rules = append(p.Rules, PDFRect{x0, y, x1, y})
	return p
}

func (p *pg) vline(x, y0, y1 float64) *pg {
	p.Rules = append(p.Rules, PDFRect{x, y0, x, y1})
	return p
}

// box draws the four edges of a cell.
func (p *pg) box(x0, y0, x1, y1 float64) *pg {
	return p.hline(x0, x1, y0).hline(x0, x1, y1).vline(x0, y0, y1).vline(x1, y0, y1)
}

func (p *pg) page() *PDFPage { return &p.PDFPage }

// rowsOf renders a table's rows as "text|^copy|…" lines.
func rowsOf(b Block) []string {
	var out []string
	for _, r := range b.Rows {
		var cells []string
		for _, c := range r {
			if c.Copy {
				cells = append(cells, "^"+c.Text)
			} else {
				cells = append(cells, c.Text)
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	return out
}

func tables(doc *Document) []Block {
	var out []Block
	for _, b := range doc.Blocks {
		if b.Kind == Table {
			out = append(out, b)
		}
	}
	return out
}

func equalLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestPDFRuledTable: a grid drawn cell by cell becomes a table of real cells: a heading merged over
// two columns, a label merged over two rows and written one character per line, a label wrapped in
// its cell, an empty cell, each cell placed by page and position.
func TestPDFRuledTable(t *testing.T) {
	p := newPage().text(72, 60, 12, "二、主动公开政府信息情况")
	// Columns at 72 | 132 | 252 | 312; rows at 100 | 120 | 150 | 170.
	p.box(72, 100, 312, 120).text(150, 104, 9, "第二十条第（一）项") // row 0: one cell over three columns
	p.box(72, 120, 132, 170)                                // rows 1–2, column 0: merged
	p.text(98, 124, 9, "本").text(98, 134, 9, "年").text(98, 144, 9, "度")
	p.box(132, 120, 252, 150).text(136, 123, 9, "行政规范性文件（含").text(136, 135, 9, "规章）") // wrapped
	p.box(252, 120, 312, 150).text(278, 131, 9, "12")
	p.box(132, 150, 252, 170).text(136, 155, 9, "行政许可")
	p.box(252, 150, 312, 170) // empty
	doc, err := readPages(t, p.page())
	if err != nil {
		t.Fatal(err)
	}
	ts := tables(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables, want 1: %+v", len(ts), doc.Blocks)
	}
	equalLines(t, rowsOf(ts[0]), []string{
		"第二十条第（一）项|^第二十条第（一）项|^第二十条第（一）项",
		"本年度|行政规范性文件（含规章）|12",
		"^本年度|行政许可|",
	})
	if ts[0].Layout != LayoutGrid {
		t.Errorf("layout %s, want grid", ts[0].Layout)
	}
	if got := ts[0].Rows[1][2].Pos.String(); got != "p1 x252 y120" {
		t.Errorf("the cell 12 is at %s, want p1 x252 y120", got)
	}
	if doc.Blocks[0].Kind != Paragraph || doc.Blocks[0].Text != "二、主动公开政府信息情况" {
		t.Errorf("first block %+v, want the heading as a paragraph", doc.Blocks[0])
	}
	if doc.Source.Format != FormatPDF {
		t.Errorf("format %s, want pdf", doc.Source.Format)
	}
}

// TestPDFTableBrokenByPage: a table at the foot of one page and the head of the next is one table,
// and a merged cell the break cut in two is one cell again, whether its text went whole into one
// part or flowed across; a new label at the head of the page stays a new cell.
func TestPDFTableBrokenByPage(t *testing.T) {
	// Columns 72 | 122 | 192 | 252 | 312. Page 1 rows 700 | 720 | 740; page 2 rows 72 | 92 | 112.
	p1 := newPage()
	p1.box(72, 700, 122, 740).text(76, 704, 9, "三、本年").text(76, 728, 9, "度办理结") // flows on: full to the foot
	p1.box(122, 700, 192, 740).text(140, 716, 9, "（三）甲")                        // merged over both rows, text whole
	p1.box(192, 700, 252, 720).text(210, 704, 9, "1")
	p1.box(192, 720, 252, 740).text(210, 724, 9, "2")
	p1.box(252, 700, 312, 740).text(264, 716, 9, "（五）") // complete: its last line ends short
	p2 := newPage()
	p2.box(72, 72, 122, 112).text(92, 86, 9, "果")
	p2.box(122, 72, 192, 112) // the rest of （三）甲, empty
	p2.box(192, 72, 252, 92).text(210, 76, 9, "3")
	p2.box(192, 92, 252, 112).text(210, 96, 9, "4")
	p2.box(252, 72, 312, 112).text(264, 86, 9, "（六）") // a new label at the head of the page
	p2.box(72, 112, 122, 152).text(80, 126, 9, "（四）")
	p2.box(122, 112, 192, 152).text(140, 126, 9, "乙")
	p2.box(192, 112, 252, 152).text(210, 126, 9, "5")
	p2.box(252, 112, 312, 152)
	doc, err := readPages(t, p1.page(), p2.page())
	if err != nil {
		t.Fatal(err)
	}
	ts := tables(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables, want one table over two pages", len(ts))
	}
	equalLines(t, rowsOf(ts[0]), []string{
		"三、本年度办理结果|（三）甲|1|（五）",
		"^三、本年度办理结果|^（三）甲|2|^（五）",
		"^三、本年度办理结果|^（三）甲|3|（六）",
		"^三、本年度办理结果|^（三）甲|4|^（六）",
		"（四）|乙|5|",
	})
	if got := ts[0].Rows[2][2].Pos.Page; got != 2 {
		t.Errorf("the cell 3 is on page %d, want 2", got)
	}
}

// TestPDFTextLines: running text becomes paragraphs (justified lines joined, an indented line starts
// a paragraph, a centred title wrapped over two lines is one), page numbers in the margin are
// dropped with a note, and lines of cells apart by wide gaps outside rulings are an aligned table.
func TestPDFTextLines(t *testing.T) {
	p := newPage()
	p.text(120, 60, 18, "某某市某某区某某局2024年政府信息").text(192, 84, 18, "公开工作年度报告") // both centred on x 264
	p.text(93, 120, 10.5, "一、总体情况")
	full := strings.Repeat("公", 42)                 // 42 em of 10.5 pt: 72 … 513, the right edge
	p.text(93, 140, 10.5, "本机关"+full[:len("公")*37]) // indented by two characters
	p.text(72, 156, 10.5, full)
	p.text(72, 172, 10.5, "全年共受理申请 57 件。")
	p.text(93, 188, 10.5, "新的段落。")
	p.text(72, 230, 10.5, "信息内容").text(200, 230, 10.5, "本年处理决定数量")
	p.text(72, 246, 10.5, "行政许可").text(240, 246, 10.5, "68")
	p.text(284, 800, 9, "- 3 -")
	doc, err := readPages(t, p.page())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range doc.Blocks {
		if b.Kind == Paragraph {
			got = append(got, b.Text)
		} else {
			got = append(got, fmt.Sprintf("%s %v", b.Layout, rowsOf(b)))
		}
	}
	equalLines(t, got, []string{
		"某某市某某区某某局2024年政府信息公开工作年度报告",
		"一、总体情况",
		"本机关" + full[:len("公")*37] + full + "全年共受理申请 57 件。",
		"新的段落。",
		"aligned [信息内容|本年处理决定数量 行政许可|68]",
	})
	if len(doc.Notes) != 1 || doc.Notes[0].Code != "page-furniture" || !strings.Contains(doc.Notes[0].Message, "- 3 -") {
		t.Errorf("notes %+v, want the page number dropped", doc.Notes)
	}
	for _, b := range doc.Blocks {
		if b.Layout == LayoutAligned && b.Rows[1][1].Pos.Col == 0 {
			t.Errorf("an aligned cell has no character column: %+v", b.Rows[1][1].Pos)
		}
	}
}

// TestPDFRefusals: what cannot be read is refused with a reason that names the file and the page.
func TestPDFRefusals(t *testing.T) {
	scan := &PDFPage{Width: 595, Height: 842, Images: []PDFRect{{0, 0, 595, 842}}}
	text := newPage().text(72, 72, 10.5, "二、主动公开政府信息情况").page()
	latin := newPage().text(72, 72, 10.5, strings.Repeat("ÄÖÜßàáâãäåæçèéêë", 3)).page()
	pua := newPage()
	for i := range 40 {
		pua.Glyphs = append(pua.Glyphs, PDFGlyph{R: 0xE000 + rune(i), Box: PDFRect{72 + float64(i)*10, 72, 82 + float64(i)*10, 82}})
	}
	ascii := newPage().text(72, 72, 10.5, "$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMN").page()
	tests := []struct {
		name  string
		pages []*PDFPage
		cause error
		place string
		text  string
	}{
		{"a scan", []*PDFPage{scan, scan}, ErrNoContent, "page 1", "scanned PDF without a text layer: run OCR first"},
		{"Latin-1 codes", []*PDFPage{text, latin}, ErrEncoding, "page 2", "maps to no Chinese text"},
		{"private-use codes", []*PDFPage{pua.page()}, ErrEncoding, "page 1", "maps to no Chinese text"},
		{"ASCII codes, no Chinese anywhere", []*PDFPage{ascii}, ErrEncoding, "page 1", "maps to no Chinese text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readPages(t, tc.pages...)
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tc.cause) || e.Path != "r.pdf" || e.Place != tc.place || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("err = %v, want %v at r.pdf %s saying %q", err, tc.cause, tc.place, tc.text)
			}
		})
	}
	t.Run("a scanned page among text pages", func(t *testing.T) {
		doc, err := readPages(t, text, scan)
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Notes) != 1 || doc.Notes[0].Code != "scanned-page" || doc.Notes[0].Pos.Page != 2 {
			t.Errorf("notes %+v, want page 2 noted as a scan", doc.Notes)
		}
	})
	t.Run("too many pages", func(t *testing.T) {
		lim := DefaultLimits()
		lim.MaxPages = 1
		old := currentPDFEngine()
		RegisterPDFEngine(&fakePDF{pages: []*PDFPage{text, text}})
		defer RegisterPDFEngine(old)
		_, err := Read(context.Background(), "r.pdf", []byte("%PDF-1.7\n"), lim)
		if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "2 pages, limit 1") {
			t.Errorf("err = %v, want the page limit", err)
		}
	})
	t.Run("no engine", func(t *testing.T) {
		old := currentPDFEngine()
		RegisterPDFEngine(nil)
		defer RegisterPDFEngine(old)
		_, err := Read(context.Background(), "r.pdf", []byte("%PDF-1.7\n"), DefaultLimits())
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "extract/pdfium") {
			t.Errorf("err = %v, want ErrUnsupported naming the engine package", err)
		}
	})
}

// FuzzPDFLayout feeds the layout pages of arbitrary glyphs and rulings: it must not panic, and every
// glyph that is not a page number must land in a block.
func FuzzPDFLayout(f *testing.F) {
	f.Add([]byte("\x10\x20\x30\x40\x50\x60\x70\x80"), "公开 12")
	f.Add([]byte{0, 0, 200, 0, 0, 0, 0, 200, 200, 0, 200, 200, 0, 200, 200, 200}, "本年新收")
	f.Fuzz(func(t *testing.T, rules []byte, text string) {
		p := newPage()
		for i := 0; i+3 < len(rules); i += 4 {
			x0, y0, x1, y1 := float64(rules[i])*2, float64(rules[i+1])*3, float64(rules[i+2])*2, float64(rules[i+3])*3
			p.Rules = append(p.Rules, PDFRect{min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)})
		}
		for i, r := range []rune(text) {
			if i >= 400 {
				break
			}
			b := rules[i%max(len(rules), 1)%max(len(rules), 1):]
			x, y := float64(i%40)*12, float64(i/40)*14
			if len(b) > 0 {
				y += float64(b[0] % 7)
			}
			p.Glyphs = append(p.Glyphs, PDFGlyph{R: r, Box: PDFRect{x, y, x + 10, y + 10}})
		}
		old := currentPDFEngine()
		RegisterPDFEngine(&fakePDF{pages: []*PDFPage{p.page(), p.page()}})
		defer RegisterPDFEngine(old)
		doc, err := Read(context.Background(), "f.pdf", []byte("%PDF-1.7\n"), DefaultLimits())
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("not an *Error: %v", err)
			}
			return
		}
		if len(doc.Blocks) == 0 {
			t.Fatal("a document without blocks and without an error")
		}
	})
}

// TestPDFUnruledTable: a table without rulings is rows of cells apart by wide gaps; a label wrapped
// over three lines with its values on the middle one is one cell again, each wrapped part going to
// the nearer row, and a group label on a line of its own becomes a cell of that row.
func TestPDFUnruledTable(t *testing.T) {
	p := newPage()
	p.text(110, 100, 9, "本年新收").text(300, 100, 9, "12").text(340, 100, 9, "3")
	p.text(110, 120, 9, "1.申请人无正当理由")
	p.text(60, 128, 9, "（六）")
	p.text(110, 131, 9, "补正、行政机关").text(300, 131, 9, "1").text(340, 131, 9, "0")
	p.text(110, 142, 9, "政府信息公开申请")
	p.text(110, 170, 9, "2.重复申请").text(300, 170, 9, "5").text(340, 170, 9, "6")
	doc, err := readPages(t, p.page())
	if err != nil {
		t.Fatal(err)
	}
	ts := tables(doc)
	if len(ts) != 1 || ts[0].Layout != LayoutAligned {
		t.Fatalf("blocks %+v, want one aligned table", doc.Blocks)
	}
	equalLines(t, rowsOf(ts[0]), []string{
		"本年新收|12|3",
		"（六）|1.申请人无正当理由补正、行政机关政府信息公开申请|1|0",
		"2.重复申请|5|6",
	})
}

// TestPDFRunningHeader: a header repeated at the top of every page is dropped from the second page
// on, so a table broken by the page stays one table.
func TestPDFRunningHeader(t *testing.T) {
	head := func(p *pg, n int) *pg {
		return p.text(200, 40, 9, "某某县人民政府办公室").text(480, 40, 9, fmt.Sprintf("第%d页", n))
	}
	p1 := head(newPage(), 1)
	p1.box(72, 700, 192, 740).text(80, 716, 9, "行政许可")
	p1.box(192, 700, 252, 740).text(210, 716, 9, "68")
	p2 := head(newPage(), 2)
	p2.box(72, 72, 192, 112).text(80, 86, 9, "行政处罚")
	p2.box(192, 72, 252, 112).text(210, 86, 9, "27")
	doc, err := readPages(t, p1.page(), p2.page())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range doc.Blocks {
		if b.Kind == Paragraph {
			got = append(got, b.Text)
		} else {
			got = append(got, strings.Join(rowsOf(b), " / "))
		}
	}
	equalLines(t, got, []string{"某某县人民政府办公室|第1页", "行政许可|68 / 行政处罚|27"})
}

// TestPDFRepeatedHeader: header rows a word processor repeats at the head of every page are read
// once, and the table goes on below them.
func TestPDFRepeatedHeader(t *testing.T) {
	header := func(p *pg, y float64) {
		p.box(72, y, 192, y+20).text(80, y+5, 9, "信息内容")
		p.box(192, y, 312, y+20).text(200, y+5, 9, "本年处理决定数量")
	}
	p1 := newPage()
	header(p1, 700)
	p1.box(72, 720, 192, 740).text(80, 725, 9, "行政许可")
	p1.box(192, 720, 312, 740).text(240, 725, 9, "68")
	p2 := newPage()
	header(p2, 72)
	p2.box(72, 92, 192, 112).text(80, 97, 9, "行政处罚")
	p2.box(192, 92, 312, 112).text(240, 97, 9, "27")
	doc, err := readPages(t, p1.page(), p2.page())
	if err != nil {
		t.Fatal(err)
	}
	ts := tables(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables, want 1", len(ts))
	}
	equalLines(t, rowsOf(ts[0]), []string{"信息内容|本年处理决定数量", "行政许可|68", "行政处罚|27"})
}

// TestPDFDashedBorders: borders drawn as dots are whole borders; the cells stay apart.
func TestPDFDashedBorders(t *testing.T) {
	p := newPage()
	// Dots half a point long every 7 points.
	dashedH := func(x0, x1, y float64) {
		for x := x0; x <= x1; x += 7 {
			p.hline(x, min(x+0.5, x1), y)
		}
	}
	dashedV := func(x, y0, y1 float64) {
		for y := y0; y <= y1; y += 7 {
			p.vline(x, y, min(y+0.5, y1))
		}
	}
	for _, y := range []float64{100, 120, 140} {
		dashedH(72, 312, y)
	}
	for _, x := range []float64{72, 192, 312} {
		dashedV(x, 100, 140)
	}
	p.text(80, 105, 9, "行政许可").text(240, 105, 9, "68")
	p.text(80, 125, 9, "行政处罚").text(240, 125, 9, "27")
	doc, err := readPages(t, p.page())
	if err != nil {
		t.Fatal(err)
	}
	ts := tables(doc)
	if len(ts) != 1 || ts[0].Layout != LayoutGrid {
		t.Fatalf("blocks %+v, want one ruled table", doc.Blocks)
	}
	equalLines(t, rowsOf(ts[0]), []string{"行政许可|68", "行政处罚|27"})
}

// TestPDFRowBrokenByPage: a row the page break cut in two (word processors let a row break across
// pages by default) is one row again when its text flowed from the foot of one page to the head of
// the next: a label with a label, the digits of a number wrapped in its narrow cell with digits.
// Rows that are whole of their own stay apart.
func TestPDFRowBrokenByPage(t *testing.T) {
	// Columns 72 | 200 | 230 | 290: a label, a narrow number cell (room for three digits at 12pt),
	// a wide one. Page 1 ends with the row at 700–720 (or 700–732), page 2 begins at 72.
	type cell struct {
		x, y float64
		s    string
	}
	build := func(foot float64, p1, p2 []cell) []*PDFPage {
		a := newPage()
		a.box(72, 680, 200, 700).box(200, 680, 230, 700).box(230, 680, 290, 700)
		a.text(76, 684, 12, "项目").text(204, 684, 12, "数").text(236, 684, 12, "其他")
		a.box(72, 700, 200, foot).box(200, 700, 230, foot).box(230, 700, 290, foot)
		b := newPage()
		b.box(72, 72, 200, 92).box(200, 72, 230, 92).box(230, 72, 290, 92)
		b.box(72, 92, 200, 112).box(200, 92, 230, 112).box(230, 92, 290, 112)
		b.text(76, 96, 12, "三、本年度").text(206, 96, 12, "5").text(257, 96, 12, "0")
		for _, c := range p1 {
			a.text(c.x, c.y, 12, c.s)
		}
		for _, c := range p2 {
			b.text(c.x, c.y, 12, c.s)
		}
		return []*PDFPage{a.page(), b.page()}
	}
	cases := []struct {
		name   string
		foot   float64
		p1, p2 []cell
		want   []string
	}{
		{"number wrapped across the page", 720,
			[]cell{{76, 706, "二、上年结转政府信息"}, {206, 706, "112"}, {257, 706, "0"}},
			[]cell{{76, 76, "公开申请数量"}, {206, 76, "4"}},
			[]string{"项目|数|其他", "二、上年结转政府信息公开申请数量|1124|0", "三、本年度|5|0"}},
		{"label cut, values on the first page", 720,
			[]cell{{76, 706, "4.保护第三方的合法权"}, {206, 706, "13"}, {257, 706, "0"}},
			[]cell{{76, 76, "益"}},
			[]string{"项目|数|其他", "4.保护第三方的合法权益|13|0", "三、本年度|5|0"}},
		{"a glyph carried over with the punctuation after it", 720,
			[]cell{{76, 706, "申请人无正当理由逾"}, {206, 706, "0"}},
			[]cell{{76, 76, "期、行政机关"}},
			[]string{"项目|数|其他", "申请人无正当理由逾期、行政机关|0|", "三、本年度|5|0"}},
		{"a label that ends short is whole", 720,
			[]cell{{76, 706, "申请人无正当理由逾"}, {206, 706, "0"}},
			[]cell{{76, 76, "期限行政机关"}},
			[]string{"项目|数|其他", "申请人无正当理由逾|0|", "期限行政机关||", "三、本年度|5|0"}},
		{"a label wrapped inside a wide padding", 720,
			[]cell{{77, 706, "申请人无正当理由逾"}, {206, 706, "0"}},
			[]cell{{77, 76, "期限行政机关"}},
			[]string{"项目|数|其他", "申请人无正当理由逾期限行政机关|0|", "三、本年度|5|0"}},
		{"a number that ended on the first page", 732,
			[]cell{{76, 706, "一、本年新收政府信息"}, {76, 718, "公开申请数量总计情况"}, {206, 706, "151"}, {206, 718, "77"}},
			[]cell{{76, 76, "二、上年结转政府信息"}, {206, 76, "1152"}},
			[]string{"项目|数|其他", "一、本年新收政府信息公开申请数量总计情况|15177|", "二、上年结转政府信息|1152|", "三、本年度|5|0"}},
		{"values in both parts with room to spare", 720,
			[]cell{{76, 706, "一、本年新收政府信息"}, {206, 706, "112"}, {257, 706, "0"}},
			[]cell{{76, 76, "二、上年结转"}, {206, 76, "4"}, {257, 76, "0"}},
			[]string{"项目|数|其他", "一、本年新收政府信息|112|0", "二、上年结转|4|0", "三、本年度|5|0"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := readPages(t, build(c.foot, c.p1, c.p2)...)
			if err != nil {
				t.Fatal(err)
			}
			ts := tables(doc)
			if len(ts) != 1 {
				t.Fatalf("%d tables, want one", len(ts))
			}
			equalLines(t, rowsOf(ts[0]), c.want)
		})
	}
}

// TestPDFWrappedNumber: a ruled cell holds one value, so digits stacked in it, each line too full
// for the next digit, are one number; lines with room to spare are left apart for transform to flag.
func TestPDFWrappedNumber(t *testing.T) {
	cases := []struct {
		name  string
		width float64
		lines []string
		want  string
	}{
		{"wrapped in a narrow cell", 30, []string{"301", "24"}, "30124"},
		{"three lines", 30, []string{"123", "456", "7"}, "1234567"},
		{"room for another digit", 44, []string{"12", "0"}, "12 0"},
		{"not digits", 30, []string{"12", "件"}, "12 件"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := newPage()
			p.box(72, 100, 200, 150).text(76, 104, 12, "项目")
			p.box(200, 100, 200+c.width, 150)
			for i, s := range c.lines {
				p.text(204, 104+12*float64(i), 12, s)
			}
			doc, err := readPages(t, p.page())
			if err != nil {
				t.Fatal(err)
			}
			ts := tables(doc)
			if len(ts) != 1 {
				t.Fatalf("%d tables, want one", len(ts))
			}
			equalLines(t, rowsOf(ts[0]), []string{"项目|" + c.want})
		})
	}
}
