package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unsafe"
)

// The DOCX reader streams word/document.xml with encoding/xml and emits the body in order: every
// w:p as a Paragraph, every w:tbl as a Table with merged cells expanded into a true grid
// (report-format.md §7.5). Elements are matched by local name, so transitional and strict OOXML
// namespaces both work.

const (
	docxMain          = "word/document.xml"
	docxStyles        = "word/styles.xml"
	docxNumberingPart = "word/numbering.xml"
)

// maxGridColumns bounds the width of one table row after spans are expanded (Excel's column limit;
// Word allows 63). It stops a crafted span from allocating a huge row before MaxCells is reached.
const maxGridColumns = 16_384

// Pictures smaller than this are logos, seals or icons, not tables pasted as images (EMU: 360000/cm).
const (
	minTableImageWidth  = 8 * 360_000
	minTableImageHeight = 3 * 360_000
)

func readDOCX(ctx context.Context, src Source, data []byte, lim Limits) (*Document, error) {
	if !bytes.HasPrefix(data, []byte("PK")) && wordXMLKind(data) != "" {
		pkg, err := wordXMLPackage(src.Path, data, lim)
		if err != nil {
			return nil, err
		}
		data = pkg
	}
	zr, err := openZip(src.Path, data, lim)
	if err != nil {
		return nil, err
	}
	budget := zipBudget(lim)
	// The main part and the parts it uses are where the relationships say, as Word reads them;
	// Word's own names otherwise.
	main, stylesPart, numberingPart := docxMain, docxStyles, docxNumberingPart
	if name := mainPart(zr); name != "" {
		main = name
	}
	rels := readRels(zr, relsOf(main))
	if name := relOfType(zr, rels, main, "styles"); name != "" {
		stylesPart = name
	}
	if name := relOfType(zr, rels, main, "numbering"); name != "" {
		numberingPart = name
	}
	var styles map[string]docxStyle
	var numbering *docxNumbering
	if err := readOptionalPart(src.Path, zr, stylesPart, lim, &budget, func(r io.Reader) (err error) {
		styles, err = readDOCXStyles(ctx, src.Path, r)
		return err
	}); err != nil {
		return nil, err
	}
	if err := readOptionalPart(src.Path, zr, numberingPart, lim, &budget, func(r io.Reader) (err error) {
		numbering, err = readDOCXNumbering(ctx, src.Path, r)
		return err
	}); err != nil {
		return nil, err
	}
	f, err := findZipFile(src.Path, zr, main)
	if err != nil {
		return nil, err
	}
	rc, err := openZipEntry(src.Path, f, lim, &budget)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	p := &docxParser{
		ctx:       ctx,
		path:      src.Path,
		entry:     main,
		d:         newOOXMLDecoder(rc),
		lim:       lim,
		styles:    styles,
		numbering: numbering,
		doc:       &Document{Source: src},
		built:     newBudget(lim),
		zr:        zr,
		rels:      rels,
		budget:    &budget,
	}
	if err := p.body(); err != nil {
		return nil, err
	}
	if len(p.doc.Blocks) == 0 && len(p.doc.Notes) == 0 {
		return nil, Errorf(src.Path, main, ErrNoContent, "the document body has no text and no tables")
	}
	return p.doc, nil
}

// readOptionalPart parses a part the document can do without, when the package has it.
func readOptionalPart(path string, zr *zip.Reader, name string, lim Limits, budget *int64, parse func(io.Reader) error) error {
	if !hasZipFile(zr, name) {
		return nil
	}
	f, err := findZipFile(path, zr, name)
	if err != nil {
		return err
	}
	rc, err := openZipEntry(path, f, lim, budget)
	if err != nil {
		return err
	}
	defer rc.Close()
	return parse(rc)
}

func newOOXMLDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.Strict = true
	return d
}

// ooxmlToken returns the next token and refuses DTDs: OOXML parts never carry one, and a DOCTYPE
// with ENTITY declarations is the vehicle of entity-expansion and external-entity attacks. Errors
// are *Error values naming the entry and line.
func ooxmlToken(ctx context.Context, path, entry string, d *xml.Decoder, count *int) (xml.Token, error) {
	*count++
	if *count%4096 == 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	tok, err := d.Token()
	if err != nil {
		if err == io.EOF {
			return nil, err
		}
		var e *Error
		if errors.As(err, &e) || ctx.Err() != nil {
			return nil, err
		}
		line, _ := d.InputPos()
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			line = se.Line
		}
		return nil, Errorf(path, zipPlace(entry, line), ErrCorrupt, "malformed XML: %v", err)
	}
	if dir, ok := tok.(xml.Directive); ok {
		line, _ := d.InputPos()
		what := "a DOCTYPE declaration"
		if strings.Contains(string(dir), "ENTITY") {
			what = "a DOCTYPE with ENTITY declarations"
		}
		return nil, Errorf(path, zipPlace(entry, line), ErrCorrupt, "the XML carries %s; Office files never do, so it is refused", what)
	}
	return tok, nil
}

// attr returns the value of the attribute with the given local name ("w:val" → "val").
func attr(se xml.StartElement, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// onOff reads a WordprocessingML toggle: present means on unless w:val says otherwise.
func onOff(se xml.StartElement) bool {
	v, ok := attr(se, "val")
	return !ok || (v != "0" && v != "false" && v != "off")
}

// headingStyleName matches the names Word gives heading styles: "heading 1", "Heading1", "标题 1".
var headingStyleName = regexp.MustCompile(`^(?i:heading|标题|標題)\s*([1-9])$`)

// docxStyle is what a paragraph style gives its paragraphs: a heading level (0 when it is not a
// heading) and list numbering (numID empty when none); and what a paragraph or character style
// gives its runs: hidden text (w:vanish), which a run's own w:vanish overrides.
type docxStyle struct {
	level  int
	numID  string
	ilvl   int
	vanish int // 1 hidden, -1 shown, 0 the style does not say
}

// readDOCXStyles resolves every paragraph style. Chinese Word names the style ids "1", "2", … and
// only the style name says "heading 1", so the level must come from styles.xml; what a style does
// not set itself it inherits through w:basedOn.
func readDOCXStyles(ctx context.Context, path string, r io.Reader) (map[string]docxStyle, error) {
	type style struct {
		name, basedOn string
		outline       int // w:outlineLvl + 1; 0 when absent
		numID         string
		ilvl          int
		hasNum        bool
		vanish        int  // w:vanish in the style's w:rPr: 1 on, -1 off, 0 not set
		character     bool // a character style: it hides runs, but makes no heading or list
	}
	d := newOOXMLDecoder(r)
	all := map[string]*style{}
	var cur *style
	count := 0
	for {
		tok, err := ooxmlToken(ctx, path, docxStyles, d, &count)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "style" {
				cur = nil
				// Style ids are unique across types: a run's w:rStyle names a character style.
				if typ, _ := attr(t, "type"); typ == "paragraph" || typ == "character" || typ == "" {
					if id, ok := attr(t, "styleId"); ok {
						cur = &style{character: typ == "character"}
						all[id] = cur
					}
				}
				continue
			}
			if cur == nil {
				continue
			}
			switch t.Name.Local {
			case "name":
				cur.name = valOf(t)
			case "basedOn":
				cur.basedOn = valOf(t)
			case "outlineLvl":
				if v, err := strconv.Atoi(valOf(t)); err == nil && v >= 0 && v < 9 {
					cur.outline = v + 1
				}
			case "numId":
				cur.numID, cur.hasNum = valOf(t), true
			case "ilvl":
				cur.ilvl, _ = strconv.Atoi(valOf(t))
			case "vanish":
				cur.vanish = -1
				if onOff(t) {
					cur.vanish = 1
				}
			}
		case xml.EndElement:
			if t.Name.Local == "style" {
				cur = nil
			}
		}
	}
	var resolve func(id string, depth int) docxStyle
	resolve = func(id string, depth int) docxStyle {
		s := all[id]
		if s == nil || depth > 16 {
			return docxStyle{}
		}
		out := resolve(s.basedOn, depth+1)
		if s.vanish != 0 {
			out.vanish = s.vanish
		}
		if s.character {
			return docxStyle{vanish: out.vanish}
		}
		if m := headingStyleName.FindStringSubmatch(strings.TrimSpace(s.name)); m != nil {
			out.level = int(m[1][0] - '0')
		} else if s.outline > 0 {
			out.level = s.outline
		}
		if s.hasNum {
			out.numID, out.ilvl = s.numID, s.ilvl
		}
		return out
	}
	styles := make(map[string]docxStyle, len(all))
	for id := range all {
		styles[id] = resolve(id, 0)
	}
	return styles, nil
}

func valOf(se xml.StartElement) string {
	v, _ := attr(se, "val")
	return v
}

// docxParser holds the state of one pass over word/document.xml.
type docxParser struct {
	ctx       context.Context
	path      string
	entry     string
	d         *xml.Decoder
	lim       Limits
	styles    map[string]docxStyle
	numbering *docxNumbering // nil when the document has no lists
	doc       *Document
	// The package, the main part's relationships and what is left of the uncompressed budget,
	// for the parts w:altChunk embeds.
	zr     *zip.Reader
	rels   []opcRel
	budget *int64
	// sdts are the open content controls (w:sdt), true for one showing its placeholder
	// (w:showingPlcHdr: "单击或点击此处输入文字。" in an empty form cell), whose text is not
	// content; placeholders counts those.
	sdts         []bool
	placeholders int

	tokens int
	paras  int // paragraphs emitted
	tables int // tables emitted
	cells  int // grid cells emitted, against lim.MaxCells
	built  *budget
}

// docxPara is one w:p: its text, heading level, the picture it holds if any, and the content of
// its text boxes, which reads after the paragraph.
type docxPara struct {
	text  string
	level int
	image *docxImage
	boxed []docxItem
}

type docxImage struct {
	kind          string // "a picture", "an embedded object"
	width, height int64  // EMU; 0 when unknown
}

// docxTable is one w:tbl as written: rows of cells with their merge marks, cell content in order.
type docxTable struct {
	line   int // where it starts in the XML, for errors
	rows   []docxRow
	nested bool // a cell holds another table
}

type docxRow struct {
	before, after int // w:gridBefore, w:gridAfter
	cells         []docxCell
}

const (
	vmergeNone = iota
	vmergeRestart
	vmergeContinue
)

type docxCell struct {
	span   int // w:gridSpan
	vmerge int
	hmerge bool // legacy w:hMerge continue: part of the cell to the left
	// deleted is a tracked deletion of the cell (w:cellDel): dropped from its row.
	deleted bool
	items   []docxItem
}

// docxItem is one piece of cell content: a paragraph or a nested table.
type docxItem struct {
	para  docxPara
	table *docxTable
}

func (p *docxParser) token() (xml.Token, error) {
	tok, err := ooxmlToken(p.ctx, p.path, p.entry, p.d, &p.tokens)
	// Content controls are tracked here, where every token passes, whatever level (run,
	// paragraph, cell, row, table) they wrap.
	switch t := tok.(type) {
	case xml.StartElement:
		switch t.Name.Local {
		case "sdt":
			p.sdts = append(p.sdts, false)
		case "showingPlcHdr":
			if n := len(p.sdts); n > 0 && !p.sdts[n-1] && onOff(t) {
				p.sdts[n-1] = true
				p.placeholders++
			}
		}
	case xml.EndElement:
		if n := len(p.sdts); n > 0 && t.Name.Local == "sdt" {
			if p.sdts[n-1] {
				p.placeholders--
			}
			p.sdts = p.sdts[:n-1]
		}
	}
	return tok, err
}

func (p *docxParser) line() int {
	l, _ := p.d.InputPos()
	return l
}

func (p *docxParser) place() string { return zipPlace(p.entry, p.line()) }

// growBlocks counts the growth of the Document's blocks, before one is appended. A document of
// millions of paragraphs stops here, as soon as it passes the budget.
func (p *docxParser) growBlocks() error {
	if !p.built.grow(len(p.doc.Blocks), cap(p.doc.Blocks), blockCost) {
		return p.built.exceeded(p.place(), "the document")
	}
	return nil
}

// spend counts n bytes built against MaxBuilt, at the current place.
func (p *docxParser) spend(n int64) error {
	if !p.built.spend(n) {
		return p.built.exceeded(p.place(), "the document")
	}
	return nil
}

// body walks the document and emits blocks. Containers such as w:body, w:sdt and w:customXml are
// descended into simply by reading on; w:p and w:tbl are consumed whole by their own parsers.
func (p *docxParser) body() error {
	for {
		tok, err := p.token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if ee, ok := tok.(xml.EndElement); ok && ee.Name.Local == "body" {
			return nil // what follows the body (WordML's or Flat OPC's other parts) is not text
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "p":
			para, err := p.paragraph()
			if err != nil {
				return err
			}
			if err := p.emitPara(para); err != nil {
				return err
			}
		case "tbl":
			t, err := p.table(0)
			if err != nil {
				return err
			}
			if err := p.emitTable(t); err != nil {
				return err
			}
		case "Fallback", "del", "moveFrom":
			// mc:Fallback repeats mc:Choice for old readers; deleted content is not content.
			if err := p.skip(); err != nil {
				return err
			}
		case "altChunk":
			if err := p.altChunk(se); err != nil {
				return err
			}
		}
	}
}

// skip consumes the rest of the element whose start tag was just read, through the same checks
// as every other token (xml.Decoder.Skip would let a DOCTYPE pass unseen).
func (p *docxParser) skip() error {
	for depth := 1; depth > 0; {
		tok, err := p.token()
		if err == io.EOF {
			return Errorf(p.path, p.place(), ErrCorrupt, "the document ends inside an element")
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// paragraph reads one w:p after its start tag. Runs are joined without separators (Word splits
// runs anywhere, even inside a word); w:tab, w:br and w:cr become a space.
func (p *docxParser) paragraph() (docxPara, error) {
	var (
		para      docxPara
		b         strings.Builder
		depth     = 1
		inRun     int  // depth of the w:r we are in, 0 outside
		inRunPr   bool // inside the current run's w:rPr
		inText    bool // inside w:t
		hidden    bool // the current run is w:vanish
		pStyle    string
		outline   int
		hasOutLvl bool
		numID     string
		ilvl      int
		hasNum    bool
	)
	for depth > 0 {
		tok, err := p.token()
		if err == io.EOF {
			return para, Errorf(p.path, p.place(), ErrCorrupt, "the document ends inside a paragraph")
		}
		if err != nil {
			return para, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "r":
				// pPr comes before the runs: the paragraph style is known here.
				inRun, hidden = depth, p.styles[pStyle].vanish > 0
			case "rPr":
				inRunPr = inRun > 0
			case "rStyle":
				// A character style can hide the run (an old value kept as hidden text).
				if v := p.styles[valOf(t)].vanish; inRunPr && v != 0 {
					hidden = v > 0
				}
			case "vanish":
				if inRunPr {
					hidden = onOff(t)
				}
			case "t":
				inText = inRun > 0 && !hidden && p.placeholders == 0
			case "tab", "br", "cr":
				// w:tab also defines tab stops inside w:pPr/w:tabs; only a run's tab is text.
				if inRun > 0 && !hidden && p.placeholders == 0 {
					b.WriteByte(' ')
				}
			case "noBreakHyphen":
				if inRun > 0 && !hidden && p.placeholders == 0 {
					b.WriteByte('-')
				}
			case "pStyle":
				pStyle = valOf(t)
			case "numId":
				numID, hasNum = valOf(t), true
			case "ilvl":
				ilvl, _ = strconv.Atoi(valOf(t))
			case "outlineLvl":
				if v, err := strconv.Atoi(valOf(t)); err == nil && v >= 0 && v < 9 {
					outline, hasOutLvl = v+1, true
				}
			case "drawing", "pict", "object":
				img, boxed, err := p.image(t)
				if err != nil {
					return para, err
				}
				if para.image == nil {
					para.image = img
				}
				para.boxed = append(para.boxed, boxed...)
				depth--
			case "Fallback", "rt", "delText", "instrText", "del", "moveFrom", "pPrChange", "rPrChange":
				// Alternate renderings, ruby guides, deleted text, field codes and the old
				// properties of tracked changes are not text.
				if err := p.skip(); err != nil {
					return para, err
				}
				depth--
			}
		case xml.EndElement:
			if depth == inRun {
				inRun, hidden = 0, false
			}
			depth--
			switch t.Name.Local {
			case "rPr":
				inRunPr = false
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText {
				if err := p.spend(int64(len(t))); err != nil {
					return para, err
				}
				b.Write(t)
			}
		}
	}
	para.text = cleanText(b.String())
	switch {
	case hasOutLvl:
		para.level = outline
	case pStyle != "":
		para.level = p.headingLevel(pStyle)
	}
	if !hasNum {
		if s, ok := p.styles[pStyle]; ok && s.numID != "" {
			numID, ilvl = s.numID, s.ilvl
		}
	}
	// Word draws a list number in front of the text; it is part of what the reader sees
	// ("一、总体情况" whose 一、 is a list number).
	if label := p.numbering.next(numID, ilvl); label != "" && para.text != "" {
		para.text = cleanText(label + para.text)
	}
	return para, nil
}

// headingLevel resolves a paragraph style id to a heading level: through styles.xml when the
// document has one, else from ids such as "Heading2" that carry the level themselves.
func (p *docxParser) headingLevel(styleID string) int {
	if s, ok := p.styles[styleID]; ok {
		return s.level
	}
	if m := headingStyleName.FindStringSubmatch(styleID); m != nil {
		return int(m[1][0] - '0')
	}
	return 0
}

// image consumes a w:drawing, w:pict or w:object. It returns the picture it shows (nil for a
// text box, a shape or a horizontal rule: nothing a table could have been pasted as), and the
// content of any text box inside, which Word shows as text: report titles sit in text boxes.
func (p *docxParser) image(start xml.StartElement) (*docxImage, []docxItem, error) {
	img := &docxImage{kind: "a picture"}
	picture := start.Name.Local == "object"
	if picture {
		img.kind = "an embedded object"
	}
	rule := false
	var boxed []docxItem
	for depth := 1; depth > 0; {
		tok, err := p.token()
		if err == io.EOF {
			return nil, nil, Errorf(p.path, p.place(), ErrCorrupt, "the document ends inside a picture")
		}
		if err != nil {
			return nil, nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch t.Name.Local {
			case "extent":
				if img.width == 0 {
					img.width, _ = strconv.ParseInt(attrOr(t, "cx"), 10, 64)
					img.height, _ = strconv.ParseInt(attrOr(t, "cy"), 10, 64)
				}
			case "blip", "imagedata", "OLEObject":
				picture = true
			case "chart":
				picture, img.kind = true, "a chart"
			case "p":
				// A paragraph of a text box (w:txbxContent).
				para, err := p.paragraph()
				if err != nil {
					return nil, nil, err
				}
				depth--
				boxed = append(boxed, docxItem{para: para})
			case "tbl":
				t, err := p.table(1)
				if err != nil {
					return nil, nil, err
				}
				depth--
				boxed = append(boxed, docxItem{table: t})
			case "Fallback":
				// The VML copy of what mc:Choice already held.
				if err := p.skip(); err != nil {
					return nil, nil, err
				}
				depth--
			}
			if v, ok := attr(t, "hr"); ok && v != "f" && v != "false" {
				rule = true
			}
			if style, ok := attr(t, "style"); ok && img.width == 0 {
				img.width, img.height = vmlSize(style)
			}
		case xml.EndElement:
			depth--
		}
	}
	if !picture || rule {
		return nil, boxed, nil
	}
	return img, boxed, nil
}

// vmlSize reads width and height from a VML style ("width:415.3pt;height:210pt") in EMU; zero
// when the style does not give both.
func vmlSize(style string) (int64, int64) {
	var w, h int64
	for _, decl := range strings.Split(style, ";") {
		name, value, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		emu := cssLengthEMU(strings.TrimSpace(value))
		switch strings.TrimSpace(strings.ToLower(name)) {
		case "width":
			w = emu
		case "height":
			h = emu
		}
	}
	if w == 0 || h == 0 {
		return 0, 0
	}
	return w, h
}

func cssLengthEMU(v string) int64 {
	units := []struct {
		suffix string
		emu    float64
	}{{"pt", 12700}, {"in", 914400}, {"cm", 360000}, {"mm", 36000}, {"px", 9525}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(strings.ToLower(v), u.suffix); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || f <= 0 || f > 1e7 {
				return 0
			}
			return int64(f * u.emu)
		}
	}
	return 0
}

// table reads one w:tbl after its start tag, nested tables included.
func (p *docxParser) table(nesting int) (*docxTable, error) {
	if nesting > 32 {
		return nil, Errorf(p.path, p.place(), ErrLimit, "tables nested more than 32 deep")
	}
	t := &docxTable{line: p.line()}
	var (
		row    *docxRow
		cell   *docxCell
		inTrPr bool
		inTcPr bool
	)
	for depth := 1; depth > 0; {
		tok, err := p.token()
		if err == io.EOF {
			return nil, Errorf(p.path, p.place(), ErrCorrupt, "the document ends inside a table")
		}
		if err != nil {
			return nil, err
		}
		switch x := tok.(type) {
		case xml.StartElement:
			depth++
			switch x.Name.Local {
			case "tr":
				if p.lim.MaxRows > 0 && len(t.rows) >= p.lim.MaxRows {
					return nil, Errorf(p.path, p.place(), ErrLimit, "a table with more than %d rows (raise --max-rows to read it)", p.lim.MaxRows)
				}
				if !p.built.grow(len(t.rows), cap(t.rows), int64(unsafe.Sizeof(docxRow{}))) {
					return nil, p.built.exceeded(p.place(), "the document's tables")
				}
				t.rows = append(t.rows, docxRow{})
				row, cell = &t.rows[len(t.rows)-1], nil
			case "trPr":
				inTrPr = true
			case "gridBefore", "gridAfter":
				if inTrPr && row != nil {
					n, _ := strconv.Atoi(valOf(x))
					n = min(max(n, 0), maxGridColumns)
					if x.Name.Local == "gridBefore" {
						row.before = n
					} else {
						row.after = n
					}
				}
			case "tc":
				if row == nil {
					// A cell outside any row: malformed, but its content still belongs to the table.
					t.rows = append(t.rows, docxRow{})
					row = &t.rows[len(t.rows)-1]
				}
				if err := p.spend(cellCost); err != nil {
					return nil, err
				}
				row.cells = append(row.cells, docxCell{span: 1})
				cell = &row.cells[len(row.cells)-1]
			case "tcPr":
				inTcPr = true
			case "gridSpan":
				if inTcPr && cell != nil {
					n, _ := strconv.Atoi(valOf(x))
					cell.span = min(max(n, 1), maxGridColumns)
				}
			case "vMerge", "vmerge": // WordML 2003 writes w:vmerge
				if inTcPr && cell != nil {
					if v := valOf(x); v == "restart" {
						cell.vmerge = vmergeRestart
					} else {
						cell.vmerge = vmergeContinue
					}
				}
			case "cellDel":
				// A cell deleted with tracked changes on: still written, no longer shown.
				if inTcPr && cell != nil {
					cell.deleted = true
				}
			case "hMerge", "hmerge":
				if inTcPr && cell != nil {
					cell.hmerge = valOf(x) != "restart"
				}
			case "p":
				para, err := p.paragraph()
				if err != nil {
					return nil, err
				}
				depth--
				if cell != nil {
					boxed := para.boxed
					para.boxed = nil
					cell.items = append(cell.items, docxItem{para: para})
					cell.items = append(cell.items, boxed...)
				} else if err := p.emitPara(para); err != nil {
					// Text outside a cell (malformed) is kept as a paragraph of its own.
					return nil, err
				}
			case "tbl":
				inner, err := p.table(nesting + 1)
				if err != nil {
					return nil, err
				}
				depth--
				if cell != nil {
					cell.items = append(cell.items, docxItem{table: inner})
					t.nested = true
				} else if err := p.emitTable(inner); err != nil {
					return nil, err
				}
			case "Fallback", "del", "moveFrom":
				if err := p.skip(); err != nil {
					return nil, err
				}
				depth--
			case "altChunk":
				// Imported content inside a cell: rare, and not read; say so.
				id, _ := attr(x, "id")
				p.doc.Notes = append(p.doc.Notes, Note{Pos: Pos{Table: p.tables + 1}, Code: "altchunk-unread",
					Message: fmt.Sprintf("an embedded part (w:altChunk %s at %s) inside a table cell is not read", id, p.place())})
				if err := p.skip(); err != nil {
					return nil, err
				}
				depth--
			}
		case xml.EndElement:
			depth--
			switch x.Name.Local {
			case "trPr":
				inTrPr = false
			case "tcPr":
				inTcPr = false
			case "tc":
				if cell != nil && cell.deleted && row != nil && len(row.cells) > 0 {
					row.cells = row.cells[:len(row.cells)-1]
				}
				cell = nil
			case "tr":
				row, cell = nil, nil
			}
		}
	}
	return t, nil
}

func (p *docxParser) emitPara(para docxPara) error {
	if para.text != "" {
		if err := p.growBlocks(); err != nil {
			return err
		}
		p.paras++
		p.doc.Blocks = append(p.doc.Blocks, Block{Kind: Paragraph, Pos: Pos{Para: p.paras}, Text: para.text, Level: para.level})
	}
	if para.image != nil {
		p.noteImage(para)
	}
	return p.emitItems(para.boxed)
}

// emitItems emits paragraphs and tables in order.
func (p *docxParser) emitItems(items []docxItem) error {
	for _, it := range items {
		var err error
		if it.table != nil {
			err = p.emitTable(it.table)
		} else {
			err = p.emitPara(it.para)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// noteImage records a picture in the body that is big enough to be a table pasted as an image
// (report-format.md §7.5): the reader cannot see its numbers, and transform turns the note into a
// finding when a table is then missing.
func (p *docxParser) noteImage(para docxPara) {
	img := para.image
	if img.width > 0 && img.height > 0 && (img.width < minTableImageWidth || img.height < minTableImageHeight) {
		return
	}
	size := ""
	if img.width > 0 && img.height > 0 {
		size = fmt.Sprintf(" (%.1f×%.1f cm)", float64(img.width)/360_000, float64(img.height)/360_000)
	}
	where := "before the first paragraph"
	pos := Pos{}
	switch {
	case para.text != "":
		where, pos = fmt.Sprintf("in paragraph %d", p.paras), Pos{Para: p.paras}
	case p.paras > 0:
		where, pos = fmt.Sprintf("after paragraph %d", p.paras), Pos{Para: p.paras}
	}
	p.doc.Notes = append(p.doc.Notes, Note{
		Pos:     pos,
		Code:    "image-table",
		Message: fmt.Sprintf("%s%s %s: if a table was pasted as an image, its numbers cannot be read", img.kind, size, where),
	})
}

// emitTable emits a data table as one grid, and a layout table (one that holds other tables, or
// has a single column) as its content in reading order, so the data tables inside are not hidden.
func (p *docxParser) emitTable(t *docxTable) error {
	if t.nested || docxWidth(t) <= 1 {
		for _, row := range t.rows {
			for _, c := range row.cells {
				if err := p.emitItems(c.items); err != nil {
					return err
				}
			}
		}
		return nil
	}
	p.tables++
	rows, err := p.grid(t)
	if err != nil {
		return err
	}
	if err := p.growBlocks(); err != nil {
		return err
	}
	p.doc.Blocks = append(p.doc.Blocks, Block{Kind: Table, Pos: Pos{Table: p.tables}, Rows: rows, Layout: LayoutGrid})
	return nil
}

// docxWidth is the widest row in grid columns.
func docxWidth(t *docxTable) int {
	w := 0
	for _, r := range t.rows {
		n := r.before + r.after
		for _, c := range r.cells {
			n += c.span
		}
		w = max(w, n)
	}
	return w
}

// grid expands a data table into rows of equal width. A w:gridSpan cell fills its columns with
// copies; a w:vMerge continue cell repeats the text of the restart cell above it; w:gridBefore and
// w:gridAfter become empty cells so every column index means the same grid column on every row.
func (p *docxParser) grid(t *docxTable) ([][]Cell, error) {
	width := docxWidth(t)
	if width > maxGridColumns {
		return nil, Errorf(p.path, zipPlace(p.entry, t.line), ErrLimit, "a table %d columns wide", width)
	}
	if need := len(t.rows) * width; p.lim.MaxCells > 0 && p.cells+need > p.lim.MaxCells {
		return nil, Errorf(p.path, zipPlace(p.entry, t.line), ErrLimit, "more than %d table cells in the document (raise --max-cells to read it)", p.lim.MaxCells)
	}
	p.cells += len(t.rows) * width
	if !p.built.spend(int64(len(t.rows)) * (rowCost + int64(width)*cellCost)) {
		return nil, p.built.exceeded(zipPlace(p.entry, t.line), "the document's tables")
	}
	// origin[c] is the text of the vertical merge that column c is in, if any.
	type origin struct {
		text string
		ok   bool
	}
	above := make([]origin, width)
	rows := make([][]Cell, len(t.rows))
	for ri, r := range t.rows {
		row := make([]Cell, 0, width)
		pos := func() Pos { return Pos{Table: p.tables, Row: ri + 1, Col: len(row) + 1} }
		for range r.before {
			above[len(row)] = origin{}
			row = append(row, Cell{Pos: pos()})
		}
		for _, c := range r.cells {
			text, cp := cellText(c.items), false
			col := len(row)
			switch {
			case c.hmerge && col > 0:
				text, cp = row[col-1].Text, true
			case c.vmerge == vmergeContinue && above[col].ok:
				text, cp = above[col].text, true
			}
			for i := range c.span {
				switch {
				case c.vmerge == vmergeRestart:
					above[col+i] = origin{text: text, ok: true}
				case c.vmerge == vmergeContinue && above[col+i].ok:
					// stays in the merge started above
				default:
					above[col+i] = origin{}
				}
				row = append(row, Cell{Text: text, Pos: pos(), Copy: cp || i > 0})
			}
		}
		for len(row) < width {
			above[len(row)] = origin{}
			row = append(row, Cell{Pos: pos(), Pad: true})
		}
		rows[ri] = row
	}
	return rows, nil
}

// cellText joins the paragraphs of a cell (see joinParts). A nested table in a data table cell
// cannot be a grid of its own here, so its text is flattened into the cell, row by row.
func cellText(items []docxItem) string {
	var parts []string
	for _, it := range items {
		if it.table != nil {
			for _, r := range it.table.rows {
				for _, c := range r.cells {
					parts = append(parts, cellText(c.items))
				}
			}
			continue
		}
		parts = append(parts, it.para.text)
	}
	return joinParts(parts)
}

// ---- list numbering ----

// docxNumbering renders the list numbers Word draws in front of numbered paragraphs
// (word/numbering.xml). Counters belong to the abstract list, as in Word, so two w:num that share
// one keep counting unless a w:startOverride restarts a level.
type docxNumbering struct {
	abstract map[string]*[9]numLevel // abstractNumId → levels
	nums     map[string]numInstance  // numId → its list
	counters map[string]*[9]int      // abstractNumId → current value per level, 0 = not started
	used     map[string]bool         // numIds seen, so overrides apply once
}

type numLevel struct {
	start        int
	format, text string
	suffix       string // what follows the number: " " (tab or space) or ""
}

type numInstance struct {
	abstract  string
	overrides map[int]int // level → start
}

func readDOCXNumbering(ctx context.Context, path string, r io.Reader) (*docxNumbering, error) {
	n := &docxNumbering{abstract: map[string]*[9]numLevel{}, nums: map[string]numInstance{}, counters: map[string]*[9]int{}, used: map[string]bool{}}
	d := newOOXMLDecoder(r)
	var (
		levels   *[9]numLevel
		lvl      = -1
		num      string
		override = -1
		count    int
	)
	for {
		tok, err := ooxmlToken(ctx, path, docxNumberingPart, d, &count)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "abstractNum":
				levels = &[9]numLevel{}
				for i := range levels {
					levels[i] = numLevel{start: 1, format: "decimal", suffix: " "}
				}
				id, _ := attr(t, "abstractNumId")
				n.abstract[id] = levels
			case "lvl":
				lvl = -1
				if v, err := strconv.Atoi(attrOr(t, "ilvl")); err == nil && v >= 0 && v < 9 {
					lvl = v
				}
			case "start":
				if v, err := strconv.Atoi(valOf(t)); err == nil && levels != nil && lvl >= 0 && num == "" {
					levels[lvl].start = v
				}
			case "numFmt":
				if levels != nil && lvl >= 0 && num == "" {
					levels[lvl].format = valOf(t)
				}
			case "lvlText":
				if levels != nil && lvl >= 0 && num == "" {
					levels[lvl].text = valOf(t)
				}
			case "suff":
				if levels != nil && lvl >= 0 && num == "" && valOf(t) == "nothing" {
					levels[lvl].suffix = ""
				}
			case "num":
				num, _ = attr(t, "numId")
				n.nums[num] = numInstance{overrides: map[int]int{}}
			case "abstractNumId":
				if num != "" {
					inst := n.nums[num]
					inst.abstract = valOf(t)
					n.nums[num] = inst
				}
			case "lvlOverride":
				override = -1
				if v, err := strconv.Atoi(attrOr(t, "ilvl")); err == nil && v >= 0 && v < 9 {
					override = v
				}
			case "startOverride":
				if v, err := strconv.Atoi(valOf(t)); err == nil && num != "" && override >= 0 {
					n.nums[num].overrides[override] = v
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "abstractNum":
				levels = nil
			case "num":
				num = ""
			case "lvl":
				lvl = -1
			}
		}
	}
}

func attrOr(se xml.StartElement, local string) string {
	v, _ := attr(se, local)
	return v
}

// next counts one paragraph of list numID at level ilvl and returns the number Word draws for it,
// with its suffix; "" for bullets, numID 0 (numbering switched off) and unknown lists.
func (n *docxNumbering) next(numID string, ilvl int) string {
	if n == nil || numID == "" || numID == "0" || ilvl < 0 || ilvl >= 9 {
		return ""
	}
	inst, ok := n.nums[numID]
	levels := n.abstract[inst.abstract]
	if !ok || levels == nil {
		return ""
	}
	c := n.counters[inst.abstract]
	if c == nil {
		c = &[9]int{}
		n.counters[inst.abstract] = c
	}
	if !n.used[numID] {
		n.used[numID] = true
		for l := range inst.overrides {
			c[l] = 0
		}
	}
	startOf := func(l int) int {
		if s, ok := inst.overrides[l]; ok {
			return s
		}
		return levels[l].start
	}
	if c[ilvl] == 0 {
		c[ilvl] = startOf(ilvl)
	} else {
		c[ilvl]++
	}
	for l := ilvl + 1; l < 9; l++ {
		c[l] = 0
	}
	lv := levels[ilvl]
	if lv.format == "bullet" || lv.format == "none" || lv.text == "" {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(lv.text); i++ {
		ch := lv.text[i]
		if ch == '%' && i+1 < len(lv.text) && lv.text[i+1] >= '1' && lv.text[i+1] <= '9' {
			l := int(lv.text[i+1] - '1')
			v := c[l]
			if v == 0 {
				v = startOf(l)
			}
			b.WriteString(formatListNumber(v, levels[l].format))
			i++
			continue
		}
		b.WriteByte(ch)
	}
	return b.String() + lv.suffix
}

// formatListNumber writes n in one of Word's list number formats; unknown formats are decimal.
func formatListNumber(n int, format string) string {
	switch format {
	case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "ideographDigital":
		return chineseNumeral(n, []rune("〇一二三四五六七八九"), "十")
	case "chineseLegalSimplified", "ideographLegalTraditional":
		return chineseNumeral(n, []rune("零壹贰叁肆伍陆柒捌玖"), "拾")
	case "ideographTraditional":
		if n >= 1 && n <= 10 {
			return string([]rune("甲乙丙丁戊己庚辛壬癸")[n-1])
		}
	case "ideographZodiac":
		if n >= 1 && n <= 12 {
			return string([]rune("子丑寅卯辰巳午未申酉戌亥")[n-1])
		}
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	case "decimalFullWidth", "decimalFullWidth2":
		var b strings.Builder
		for _, d := range strconv.Itoa(n) {
			b.WriteRune(d - '0' + '０')
		}
		return b.String()
	case "decimalZero":
		return fmt.Sprintf("%02d", n)
	case "lowerLetter", "upperLetter":
		if n >= 1 {
			s := strings.Repeat(string(rune('a'+(n-1)%26)), (n-1)/26+1)
			if format == "upperLetter" {
				s = strings.ToUpper(s)
			}
			return s
		}
	case "lowerRoman", "upperRoman":
		if n >= 1 && n < 4000 {
			s := romanNumeral(n)
			if format == "lowerRoman" {
				s = strings.ToLower(s)
			}
			return s
		}
	}
	return strconv.Itoa(n)
}

// chineseNumeral writes 1–99 the way Chinese numbering does: 一, 十, 十一, 二十, 二十一.
func chineseNumeral(n int, digits []rune, ten string) string {
	switch {
	case n < 0 || n >= 100:
		return strconv.Itoa(n)
	case n < 10:
		return string(digits[n])
	}
	var b strings.Builder
	if n/10 > 1 {
		b.WriteRune(digits[n/10])
	}
	b.WriteString(ten)
	if n%10 > 0 {
		b.WriteRune(digits[n%10])
	}
	return b.String()
}

func romanNumeral(n int) string {
	var b strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for n >= p.v {
			b.WriteString(p.s)
			n -= p.v
		}
	}
	return b.String()
}
