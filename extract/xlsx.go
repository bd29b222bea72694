package extract

// The XLSX reader (report-format.md §7.6).
//
// A workbook becomes one Document: every sheet in workbook order, each sheet's used range cut into
// blocks. What the reader does, and why:
//
//   - Values are the stored values, never the displayed ones: a number is emitted as its plain
//     decimal ("56", "7730.28"), rounded to Excel's 15 significant digits so that binary noise such
//     as 55.99999999999999 reads "56"; number formats ("0%", "#,##0") are not applied. Text is
//     kept as written but for the ".0" a float's conversion to text leaves on a whole number
//     ("31984.0" reads "31984", see floatArtifact). A formula
//     contributes its cached value; a formula without one is emitted empty with a
//     "formula-no-cache" note, so transform can say why the number is missing.
//   - Merged ranges are expanded: the top-left cell keeps the value, every other cell of the range
//     repeats it with Cell.Copy set.
//   - A fully blank row ends a block. Within a run of non-blank rows, a row with two or more
//     separate pieces of text is a table row; a row with a single piece of text is a paragraph
//     (a title, a section heading) unless it sits inside a table: between table rows of the same
//     column span (a label row whose values are blank), or right above a table, merged over
//     exactly the table's columns (the "第二十条第（一）项" block heading of the official form). Tables
//     whose column spans differ and which are separated by a heading row are split there, so
//     headings reach transform as paragraphs, as they do from text, HTML and DOCX.
//   - Hidden sheets, rows and columns are read like visible ones and reported in notes, but for a
//     hidden column without a header of its own in a table (a control sum beside Table 3): it is
//     no part of the printed form and is left out of that table. Comments are ignored.
//   - Whether a table is a collection table (one row per unit) is decided by transform, which knows
//     the labels; the reader emits every table with LayoutGrid.
//
// How: the package is unpacked once under the zip limits (zipsafe.go), without inflating the parts
// that never change a cell's text (themes, styles, pictures, comments). The reader then reads only
// what it needs, with one pass of its own over each part's XML (xmlScanner): the sheet list and
// states from the workbook part and its relationships, the shared strings, and for each sheet, in
// one pass (scanSheet), the values, merged ranges, hidden rows and columns and formulas. Values
// are read exactly as excelize's row stream with raw values reads them (its row numbering and
// cell placement included; TestScanSheetMatchesExcelize and FuzzScanSheetMatchesExcelize hold the
// two together), at a fifth of the cost: excelize decodes every part through encoding/xml into
// structures. Markup that is not well-formed (tags that do not nest, unknown entities, characters
// XML forbids, bytes that are not UTF-8) is refused naming the part and line, never read in part.
// Limits: MaxUncompressed for all parts together, checked from the headers and enforced while
// inflating; a document type declaration (the entity bomb) in any part is refused; a sheet is
// refused as soon as its scan reaches a row beyond MaxRows or more than MaxCells cells, and the
// rows built, merged-range copies included, count against MaxCells and MaxBuilt; at most
// maxMergedRanges merged ranges per sheet.

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	pathpkg "path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/xuri/excelize/v2"
)

func readXLSX(ctx context.Context, src Source, data []byte, lim Limits) (*Document, error) {
	if !bytes.HasPrefix(data, []byte("PK")) && isXMLSpreadsheet(data) {
		return readXMLSpreadsheet(ctx, src, data, lim)
	}
	// openZip refuses encrypted packages (OLE-wrapped or with encrypted entries) and bad
	// directories; detect.go refuses them too, but the reader must not rely on being called
	// through Read.
	zr, err := openZip(src.Path, data, lim)
	if err != nil {
		return nil, err
	}
	pkg, err := unpackWorkbook(src.Path, zr, lim)
	if err != nil {
		return nil, err
	}
	sheets, err := workbookSheets(src.Path, pkg.parts)
	if err != nil {
		return nil, err
	}
	sst, err := sharedStrings(src.Path, pkg.parts)
	if err != nil {
		return nil, err
	}
	wr := &workbookReader{path: src.Path, lim: lim, doc: &Document{Source: src}, built: newBudget(lim)}
	for _, sh := range sheets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		data, ok := pkg.parts[sh.part]
		if sh.part == "" || !ok {
			return nil, wr.sheetError(sh.name, 0, 0, excelize.ErrSheetNotExist{SheetName: sh.name})
		}
		meta, err := scanSheet(data, lim, sst)
		if err != nil {
			var se *scanError
			if errors.As(err, &se) {
				place := zipPlace(sh.part, se.line)
				if se.at.row > 0 {
					place = Pos{Sheet: sh.name, Row: se.at.row, Col: se.at.col}.String()
				}
				return nil, Errorf(src.Path, place, se.cause, "sheet %q: %s", sh.name, se.msg)
			}
			return nil, Errorf(src.Path, sh.part, ErrCorrupt, "sheet %q: %v", sh.name, err)
		}
		if err := wr.readSheet(ctx, sh, &meta); err != nil {
			return nil, err
		}
	}
	if len(wr.doc.Blocks) == 0 {
		return nil, Errorf(src.Path, "", ErrNoContent, "no sheet holds any text or number")
	}
	return wr.doc, nil
}

// workbookPackage is a workbook unpacked once: the parts kept for reading.
type workbookPackage struct {
	parts map[string][]byte
}

// unpackWorkbook inflates the parts of the package once, through zipsafe's budgeted reader: MaxUncompressed holds for all parts together (declared sizes count
// for parts that are not read); a part whose stream is broken or longer than its header says is
// refused naming the part; a part name given twice is refused (which copy a program reads is
// arbitrary). Parts that cannot change the text of a cell (themes, styles, pictures, comments,
// document properties) are not inflated.
func unpackWorkbook(path string, zr *zip.Reader, lim Limits) (*workbookPackage, error) {
	wb := "xl/workbook.xml"
	if name := mainPart(zr); name != "" {
		wb = name
	}
	if _, err := findZipFile(path, zr, wb); err != nil {
		return nil, err
	}
	pkg := &workbookPackage{parts: map[string][]byte{}}
	budget := zipBudget(lim)
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if _, dup := pkg.parts[f.Name]; dup {
			return nil, Errorf(path, f.Name, ErrCorrupt, "the entry appears twice in the zip directory")
		}
		if skippedPart(f.Name) {
			// Never read, so only its declared size counts: a header that lies about a part
			// nobody inflates harms no one.
			if f.UncompressedSize64 > uint64(max(budget, 0)) {
				return nil, Errorf(path, f.Name, ErrLimit, "the entry declares %d uncompressed bytes, more than the %d left of the limit (raise --max-uncompressed to read it)", f.UncompressedSize64, max(budget, 0))
			}
			budget -= int64(f.UncompressedSize64)
			pkg.parts[f.Name] = nil
			continue
		}
		b, err := readZipEntry(path, f, lim, &budget)
		if err != nil {
			return nil, err
		}
		if err := checkPart(path, f.Name, b); err != nil {
			return nil, err
		}
		pkg.parts[f.Name] = b
	}
	return pkg, nil
}

// checkPart refuses, naming the part, a document type declaration in any XML part: OOXML never
// has one, and entity declarations in it are the "billion laughs" bomb. (The parts that are read
// are read by xmlScanner, which knows no entities but XML's own five; broken shared strings are
// refused by sharedStrings.)
func checkPart(path, name string, b []byte) error {
	if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rels") {
		return nil
	}
	if i := bytes.Index(b, []byte("<!DOCTYPE")); i >= 0 {
		return Errorf(path, zipPlace(name, 1+bytes.Count(b[:i], []byte("\n"))), ErrCorrupt,
			"the part declares a document type with entities (an XML entity bomb); a workbook never does")
	}
	return nil
}

// skippedPart reports the parts of a package that never change the text of a cell.
func skippedPart(name string) bool {
	for _, prefix := range []string{"xl/theme/", "docProps/", "xl/media/", "xl/drawings/", "xl/printerSettings/",
		"xl/embeddings/", "xl/pivotCache/", "xl/pivotTables/", "xl/threadedComments/", "xl/persons/", "customXml/", "xl/comments"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	switch name {
	case "xl/styles.xml", "xl/calcChain.xml", "xl/vbaProject.bin":
		return true
	}
	return false
}

// sheetEntry is one sheet of the workbook, in workbook order.
type sheetEntry struct {
	name    string
	part    string // the worksheet part; "" when the workbook's relationships name none
	visible bool
}

// workbookSheets lists the sheets the way excelize resolves them: the workbook part named by the
// package relationships, its sheets' r:id and state, and the workbook's relationships giving each
// id a target relative to the workbook's folder. A workbook part that is not well-formed XML is
// refused.
func workbookSheets(path string, parts map[string][]byte) ([]sheetEntry, error) {
	rels := scanRels
	wbPath := workbookPart(parts)
	type sheet struct{ name, state, id string }
	var sheets []sheet
	sc := xmlScanner{data: parts[wbPath]}
	for sc.next() {
		// <sheet> inside <workbook><sheets>, as encoding/xml's "sheets>sheet" path takes it.
		if !sc.end && sc.local == "sheet" && len(sc.open) >= 2 && len(sc.open) <= 3 && sc.open[1] == "sheets" &&
			(len(sc.open) == 2) == sc.selfClosing {
			sheets = append(sheets, sheet{sc.attr("name"), sc.attr("state"), sc.attr("id")})
		}
	}
	if sc.bad == "" && len(sc.open) > 0 {
		sc.bad = fmt.Sprintf("<%s> is not closed", sc.open[len(sc.open)-1])
	}
	if sc.bad == "" && len(sc.data) > 0 && !sc.sawElement {
		sc.bad = "no element"
	}
	if sc.bad != "" || len(sc.data) == 0 {
		if len(sc.data) == 0 {
			sc.bad = "the part is missing or empty"
		}
		return nil, Errorf(path, zipPlace(wbPath, sc.line()), ErrCorrupt, "the workbook part, which lists the sheets, is malformed XML: %s", sc.bad)
	}
	dir := pathpkg.Dir(wbPath)
	wbRels := rels(parts[relsOf(wbPath)])
	var out []sheetEntry
	for _, sh := range sheets {
		e := sheetEntry{name: sh.name}
		for _, r := range wbRels {
			if r.id != sh.id {
				continue
			}
			target := strings.TrimPrefix(pathpkg.Clean(pathpkg.Join(dir, r.target)), "/")
			if strings.HasPrefix(r.target, "/") {
				target = strings.TrimPrefix(pathpkg.Clean(r.target), "/")
			}
			if _, ok := parts[target]; ok {
				e.part = target
			}
		}
		out = append(out, e)
	}
	// A sheet is visible when any sheet of its name (excelize compares names without case) has
	// no state or "visible".
	for i := range out {
		for _, sh := range sheets {
			if strings.EqualFold(sh.name, out[i].name) && (sh.state == "" || sh.state == "visible") {
				out[i].visible = true
			}
		}
	}
	return out, nil
}

// scanRels reads a relationships part; one that is not well-formed gives the relationships read
// before the fault.
func scanRels(data []byte) []opcRel {
	var out []opcRel
	sc := xmlScanner{data: data}
	for sc.next() {
		if !sc.end && sc.local == "Relationship" {
			out = append(out, opcRel{sc.attr("Id"), sc.attr("Type"), sc.attr("Target")})
		}
	}
	return out
}

// workbookPart is the workbook part the package relationships name, xl/workbook.xml by default.
func workbookPart(parts map[string][]byte) string {
	wbPath := "xl/workbook.xml"
	for _, r := range scanRels(parts["_rels/.rels"]) {
		if strings.HasSuffix(r.typ, "/officeDocument") {
			wbPath = strings.TrimPrefix(r.target, "/")
		}
	}
	return wbPath
}

// sharedStringsPart is the shared strings part the workbook's relationships name, where a
// converter may have put it under another name, else xl/sharedStrings.xml.
func sharedStringsPart(parts map[string][]byte) string {
	wb := workbookPart(parts)
	for _, r := range scanRels(parts[relsOf(wb)]) {
		if strings.HasSuffix(r.typ, "/sharedStrings") {
			if name := resolveTarget(wb, r.target); parts[name] != nil {
				return name
			}
		}
	}
	return "xl/sharedStrings.xml"
}

// workbookReader carries what the sheets of one workbook share: the open file, the limits and the
// number of cells read so far.
type workbookReader struct {
	path  string
	lim   Limits
	doc   *Document
	cells int
	built *budget
}

// xcellBytes is what a cell read from a sheet costs: an xcell while the sheet is read, then the
// Document's Cell; xrowCost is a row of them.
var (
	xcellBytes = int64(unsafe.Sizeof(xcell{})) + cellCost
	xrowCost   = int64(unsafe.Sizeof([]xcell{})) + rowCost
)

// xcell is one cell of a sheet while it is being read.
type xcell struct {
	text  string
	merge int  // 1-based number of the merged range the cell lies in; 0 when none
	copy  bool // a cell of a merged range other than its top-left one
	// uncomputed is a formula without a cached value: no text, yet a cell of the table.
	uncomputed bool
}

// sheetGrid is one sheet's used range: grid[r-1][c-1] is the cell at row r, column c.
type sheetGrid struct {
	name   string
	grid   [][]xcell
	hidden []int // hidden rows that hold something
	width  int   // the widest row, in columns
	// merges are the sheet's merged ranges as written, [col1, row1, col2, row2], before they are
	// clipped to the used range; xcell.merge numbers them from 1.
	merges [][4]int
}

func (g *sheetGrid) at(row, col int) *xcell {
	if row < 1 || row > len(g.grid) || col < 1 || col > len(g.grid[row-1]) {
		return nil
	}
	return &g.grid[row-1][col-1]
}

// markUncomputed marks a formula cell without a cached value, growing its row to hold it: a row
// of values must keep the cell's place, or the numbers after it shift into its column. It returns
// how many cells the row grew by.
func (g *sheetGrid) markUncomputed(row, col int) int {
	for len(g.grid) < row {
		g.grid = append(g.grid, nil)
	}
	if row < 1 || col < 1 {
		return 0
	}
	cells := g.grid[row-1]
	grow := max(col-len(cells), 0)
	cells = append(cells, make([]xcell, grow)...)
	cells[col-1].uncomputed = cells[col-1].text == ""
	g.grid[row-1] = cells
	g.width = max(g.width, len(cells))
	return grow
}

func (g *sheetGrid) text(row, col int) string {
	if c := g.at(row, col); c != nil {
		return c.text
	}
	return ""
}

func (wr *workbookReader) readSheet(ctx context.Context, sh sheetEntry, meta *sheetMeta) error {
	name := sh.name
	g := &sheetGrid{name: name, merges: meta.merges}
	if err := wr.streamRows(ctx, g, meta.rows); err != nil {
		return err
	}
	if len(g.grid) == 0 {
		return nil
	}
	if !sh.visible {
		wr.note(Pos{Sheet: name}, "hidden-sheet", "the sheet is hidden; read anyway")
	}
	// Numbers are rendered plainly before merged ranges copy them.
	for ref := range meta.numeric {
		if c := g.at(ref.row, ref.col); c != nil {
			c.text, _ = plainNumber(c.text)
		}
	}
	computeFormulas(g, meta)
	for _, fc := range meta.noCache {
		if inRects(g.merges, fc.row, fc.col) && !isOrigin(g.merges, fc.row, fc.col) {
			continue // hidden under a merged range: Excel shows the range's first cell
		}
		if c := g.at(fc.row, fc.col); c != nil && c.text != "" {
			wr.note(Pos{Sheet: name, Row: fc.row, Col: fc.col}, "formula-computed",
				fmt.Sprintf("the formula =%s has no cached value; its value %s was computed from the cells it adds", fc.formula, c.text))
			continue
		}
		wr.note(Pos{Sheet: name, Row: fc.row, Col: fc.col}, "formula-no-cache",
			fmt.Sprintf("the formula =%s has no cached value (the workbook was saved without calculating it); the cell is read as empty", fc.formula))
		if grow := g.markUncomputed(fc.row, fc.col); grow > 0 {
			if err := wr.spend(name, fc.row, grow); err != nil {
				return err
			}
			if !wr.built.spend(int64(grow) * xcellBytes) {
				return wr.built.exceeded(Pos{Sheet: name, Row: fc.row, Col: 1}.String(), fmt.Sprintf("sheet %q", name))
			}
		}
	}
	for _, tc := range meta.typed {
		c := g.at(tc.row, tc.col)
		if c == nil || c.text == "" || inRects(g.merges, tc.row, tc.col) && !isOrigin(g.merges, tc.row, tc.col) {
			continue
		}
		// A cell of the table without a number, like a formula without its value, but showing
		// what it holds: it keeps its column, and the rules name it rather than read it.
		c.uncomputed, c.text = true, typedText(tc.typ, c.text)
		what := map[string]string{"b": "a boolean", "e": "an error value", "d": "a date"}[tc.typ]
		wr.note(Pos{Sheet: name, Row: tc.row, Col: tc.col}, "typed-cell",
			fmt.Sprintf("the cell holds %s (%s), not a number; read as no value", what, clip(c.text, 40)))
	}
	if err := wr.expandMerges(g); err != nil {
		return err
	}
	blocks := sheetBlocks(g)
	if len(g.hidden) > 0 {
		wr.dropHiddenTwins(g, blocks)
	}
	wr.hiddenNotes(g, meta.hiddenCols)
	wr.dropHiddenColumns(blocks, meta.hiddenCols)
	wr.doc.Blocks = append(wr.doc.Blocks, blocks...)
	return nil
}

// typedText is what Excel shows for a typed cell's stored value: TRUE or FALSE for a boolean's 1
// or 0, an ISO date without a midnight time.
func typedText(typ, v string) string {
	v = strings.TrimSpace(v)
	switch typ {
	case "b":
		switch v {
		case "1", "true":
			return "TRUE"
		case "0", "false":
			return "FALSE"
		}
	case "d":
		return strings.TrimSuffix(strings.TrimSuffix(v, "Z"), "T00:00:00")
	}
	return v
}

// cellRef is a 1-based cell coordinate.
type cellRef struct{ row, col int }

// streamRows takes the sheet's rows of values as scanSheet read them, enforcing the limits on
// what is built as it goes.
func (wr *workbookReader) streamRows(ctx context.Context, g *sheetGrid, rows []sheetRow) error {
	for i, sr := range rows {
		row := sr.num
		if sr.err != nil {
			return wr.sheetError(g.name, row, 0, sr.err)
		}
		if i%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		vals := sr.vals
		if len(vals) == 0 {
			continue
		}
		if wr.lim.MaxRows > 0 && row > wr.lim.MaxRows {
			return Errorf(wr.path, Pos{Sheet: g.name, Row: row, Col: 1}.String(), ErrLimit,
				"sheet %q has content in row %d, beyond the limit of %d rows (raise --max-rows to read it)", g.name, row, wr.lim.MaxRows)
		}
		if err := wr.spend(g.name, row, len(vals)); err != nil {
			return err
		}
		text := 0
		for _, v := range vals {
			text += len(v)
		}
		if !wr.built.spend(xrowCost + int64(len(vals))*xcellBytes + int64(text)) {
			return wr.built.exceeded(Pos{Sheet: g.name, Row: row, Col: 1}.String(), fmt.Sprintf("sheet %q", g.name))
		}
		for len(g.grid) < row {
			g.grid = append(g.grid, nil)
		}
		cells := make([]xcell, len(vals))
		for i, v := range vals {
			cells[i].text = floatArtifact(normalizeSpace(v)) // the text reader's normalisation (decode.go)
		}
		g.grid[row-1] = cells
		g.width = max(g.width, len(cells))
		if sr.hidden {
			g.hidden = append(g.hidden, row)
		}
	}
	return nil
}

// spend counts n more cells against MaxCells.
func (wr *workbookReader) spend(sheet string, row, n int) error {
	wr.cells += n
	if wr.lim.MaxCells > 0 && wr.cells > wr.lim.MaxCells {
		return Errorf(wr.path, Pos{Sheet: sheet, Row: row, Col: 1}.String(), ErrLimit,
			"the workbook has more than %d cells by sheet %q row %d (raise --max-cells to read it)", wr.lim.MaxCells, sheet, row)
	}
	return nil
}

func (wr *workbookReader) sheetError(sheet string, row, col int, err error) error {
	place := Pos{Sheet: sheet}
	if row > 0 {
		place.Row, place.Col = row, max(col, 1)
	}
	return Errorf(wr.path, place.String(), ErrCorrupt, "sheet %q cannot be read: %v", sheet, err)
}

func (wr *workbookReader) note(pos Pos, code, msg string) {
	wr.doc.Notes = append(wr.doc.Notes, Note{Pos: pos, Code: code, Message: msg})
}

func inRects(rects [][4]int, row, col int) bool {
	for _, r := range rects {
		if r[0] <= col && col <= r[2] && r[1] <= row && row <= r[3] {
			return true
		}
	}
	return false
}

func isOrigin(rects [][4]int, row, col int) bool {
	for _, r := range rects {
		if r[0] == col && r[1] == row {
			return true
		}
	}
	return false
}

// expandMerges gives every cell of a merged range the text of its first cell. Ranges are clipped
// to the sheet's used range, so a range drawn over a whole row or column costs nothing.
func (wr *workbookReader) expandMerges(g *sheetGrid) error {
	for i, r := range g.merges {
		c1, r1, c2, r2 := r[0], r[1], min(r[2], g.width), min(r[3], len(g.grid))
		text := g.text(r1, c1)
		if text == "" {
			continue
		}
		for row := r1; row <= r2; row++ {
			cells := g.grid[row-1]
			if grow := c2 - len(cells); grow > 0 {
				if err := wr.spend(g.name, row, grow); err != nil {
					return err
				}
				if !wr.built.spend(int64(grow) * xcellBytes) {
					return wr.built.exceeded(Pos{Sheet: g.name, Row: row, Col: 1}.String(), fmt.Sprintf("sheet %q", g.name))
				}
				cells = append(cells, make([]xcell, grow)...)
				g.grid[row-1] = cells
			}
			for col := c1; col <= c2; col++ {
				cells[col-1] = xcell{text: text, merge: i + 1, copy: row != r1 || col != c1}
			}
		}
	}
	return nil
}

// dropHiddenTwins empties in each table the hidden rows that repeat the labels of a row shown
// in the same table: last year's figures, or a first draft, kept under this year's row and hidden.
// Excel neither shows nor prints them, and read as well they give the row twice (refused as a
// duplicate) or, first in the table, in place of the one shown. A hidden row of its own (the form's
// row hidden by mistake) is still read. Labels are the row's texts that are not numbers, so a row
// of numbers alone (Table 4's) pairs with a shown row of numbers alone.
func (wr *workbookReader) dropHiddenTwins(g *sheetGrid, blocks []Block) {
	hidden := make(map[int]bool, len(g.hidden))
	for _, r := range g.hidden {
		hidden[r] = true
	}
	signature := func(row []Cell) string {
		var b strings.Builder
		for _, c := range row {
			t := strings.TrimSpace(c.Text)
			if t == "" || c.Uncomputed || c.Copy {
				continue // a merged label's copies depend on how the row was merged
			}
			if _, err := strconv.ParseFloat(strings.ReplaceAll(t, ",", ""), 64); err == nil {
				continue
			}
			b.WriteString(t)
			b.WriteByte(0)
		}
		return b.String()
	}
	dropped := map[int]bool{}
	for bi := range blocks {
		b := &blocks[bi]
		if b.Kind != Table {
			continue
		}
		rowOf := func(r []Cell) int {
			if len(r) == 0 {
				return 0
			}
			return r[0].Pos.Row
		}
		shown := map[string]int{}
		for _, r := range b.Rows {
			if n := rowOf(r); n > 0 && !hidden[n] {
				if _, ok := shown[signature(r)]; !ok {
					shown[signature(r)] = n
				}
			}
		}
		for _, r := range b.Rows {
			n := rowOf(r)
			if twin, ok := shown[signature(r)]; ok && hidden[n] {
				dropped[n] = true
				wr.note(Pos{Sheet: g.name, Row: n, Col: 1}, "hidden-twin-row",
					fmt.Sprintf("row %d is hidden and repeats the labels of row %d, which is shown; left out", n, twin))
				// Emptied, not removed: a table's rows stay the sheet's consecutive rows.
				for i := range r {
					r[i] = Cell{Pos: r[i].Pos}
				}
			}
		}
	}
	if len(dropped) > 0 {
		rest := g.hidden[:0]
		for _, r := range g.hidden {
			if !dropped[r] {
				rest = append(rest, r)
			}
		}
		g.hidden = rest
	}
}

func (wr *workbookReader) hiddenNotes(g *sheetGrid, hiddenCols [][2]int) {
	for i := 0; i < len(g.hidden); {
		j := i
		for j+1 < len(g.hidden) && g.hidden[j+1] == g.hidden[j]+1 {
			j++
		}
		first, last := g.hidden[i], g.hidden[j]
		what := fmt.Sprintf("row %d is hidden", first)
		if last > first {
			what = fmt.Sprintf("rows %d–%d are hidden", first, last)
		}
		wr.note(Pos{Sheet: g.name, Row: first, Col: 1}, "hidden-row", what+"; read anyway")
		i = j + 1
	}
	if len(hiddenCols) == 0 {
		return
	}
	used := make([]bool, g.width+1)
	for _, cells := range g.grid {
		for c := range cells {
			if cells[c].text != "" {
				used[c+1] = true
			}
		}
	}
	for col := 1; col <= g.width; col++ {
		if !used[col] {
			continue
		}
		for _, h := range hiddenCols {
			if h[0] <= col && col <= h[1] {
				wr.note(Pos{Sheet: g.name, Row: 1, Col: col}, "hidden-column",
					fmt.Sprintf("column %s is hidden; read anyway", ColumnName(col)))
				break
			}
		}
	}
}

// dropHiddenColumns takes out of each table the hidden columns that have no header of their own
// there: such a column is no part of the printed form (a control sum beside Table 3 would read as
// an eighth value). A hidden column under a header of the table (the form's own column, hidden by
// the filer) is kept: its numbers are the form's.
func (wr *workbookReader) dropHiddenColumns(blocks []Block, hiddenCols [][2]int) {
	if len(hiddenCols) == 0 {
		return
	}
	hidden := func(col int) bool {
		for _, h := range hiddenCols {
			if h[0] <= col && col <= h[1] {
				return true
			}
		}
		return false
	}
	for i := range blocks {
		b := &blocks[i]
		if b.Kind != Table {
			continue
		}
		drop := map[int]bool{}
		for r, row := range b.Rows {
			for _, c := range row {
				if !hidden(c.Pos.Col) {
					continue
				}
				if _, seen := drop[c.Pos.Col]; !seen {
					drop[c.Pos.Col] = true
				}
				if r < asideHeaderRows && hasWords(c.Text) {
					drop[c.Pos.Col] = false // a header: the column is the form's
				}
			}
		}
		for _, col := range slices.Sorted(maps.Keys(drop)) {
			if !drop[col] {
				continue
			}
			var held []string
			for r, row := range b.Rows {
				kept := row[:0]
				for _, c := range row {
					if c.Pos.Col != col {
						kept = append(kept, c)
					} else if t := strings.TrimSpace(c.Text); t != "" && !c.Copy {
						held = append(held, c.Pos.String()+" "+t)
					}
				}
				b.Rows[r] = kept
			}
			wr.note(Pos{Sheet: b.Pos.Sheet, Row: b.Pos.Row, Col: col}, "aside-column",
				asideMessage(fmt.Sprintf("the hidden column %s has no header in the table", ColumnName(col)), held))
		}
	}
}

// ---- what excelize does not say about a sheet ----

// maxMergedRanges bounds the merged ranges of one sheet; real forms have a few dozen, wide
// collection headers a few hundred.
const maxMergedRanges = 5000

// sheetMeta is what the reader needs to know of a sheet beyond its values: merged ranges, hidden
// columns, formulas without a cached value, and the cells whose stored number is not written
// plainly. excelize knows these only after parsing the whole sheet into structures, which costs
// more than the rest of reading together; one pass over the sheet's XML finds them.
type sheetMeta struct {
	merges     [][4]int
	hiddenCols [][2]int
	noCache    []formulaCell
	numeric    map[cellRef]bool
	// typed are the cells stored as a boolean, an error or a date: what they show is not a
	// number, and "1" (TRUE) or a date's digits must not be taken for one.
	typed []typedCell
	// shared are the shared formulas' masters by si; textNums the cells holding a number stored
	// as text. Both serve computing formulas saved without a value (formula.go).
	shared   map[string]formulaCell
	textNums map[cellRef]bool
	rows     []sheetRow
}

// sheetRow is one row of values as a streaming reader gives it: num counts rows the way
// excelize's row stream does (the r attribute, or the next row; never backwards), vals are the
// stored values by column (shared and inline strings resolved, numbers as stored), and err is what
// reading the row fails with (a cell or row reference that cannot be read), reported when the row
// is reached.
type sheetRow struct {
	num    int
	hidden bool
	vals   []string
	err    error
}

type typedCell struct {
	cellRef
	typ string // the cell's t: b, e or d
}

type formulaCell struct {
	cellRef
	formula string
	si      string // a shared formula's group
	shared  bool
}

// scanError is what scanSheet refuses a sheet for, with the line it stopped at.
type scanError struct {
	cause error // ErrCorrupt or ErrLimit
	line  int
	at    cellRef // the cell, when the error is about one
	msg   string
}

func (e *scanError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// scanSheet makes one pass over a worksheet part. It reads tags and attributes, not a full XML
// tree, but it checks that tags nest and close and that text is well-formed (entities, UTF-8), so
// that a damaged sheet is refused rather than read in part. Comments, CDATA and declarations are
// skipped between tags. Cell positions are tracked the way excelize tracks them: from the r
// attributes when present, else the next row or column. Besides what excelize does not say about a
// sheet (merged ranges, hidden columns, formulas without a value), it reads the values themselves
// the way excelize's row stream with raw values gives them (sheetRow), sst being the workbook's
// shared strings.
//
// The limits hold here too, so a sheet too large to read is refused at its first cell beyond
// MaxRows or its cell beyond MaxCells, before anything else reads it.
func scanSheet(data []byte, lim Limits, sst []string) (sheetMeta, error) {
	var m sheetMeta
	var sc xmlScanner
	sc.data = data
	if err := checkXMLEncoding(data); err != nil {
		return m, &scanError{ErrCorrupt, 1, cellRef{}, err.Error()}
	}
	row, col, cells := 0, 0, 0
	inData := false // inside <sheetData>, where excelize's stream reads rows
	var st rowStream
	for sc.next() {
		if sc.end {
			if sc.local == "sheetData" {
				inData, st.stopped = false, true // excelize's stream ends here
			}
			continue
		}
		switch sc.local {
		case "sheetData":
			inData = true
		case "row":
			if r, err := strconv.Atoi(sc.attr("r")); err == nil && r > 0 {
				row = r
			} else {
				row++
			}
			col = 0
			if !inData || st.stopped {
				break
			}
			st.row(&m, sc.attrs)
		case "c":
			col++
			cells++
			rAttr, hasR := "", false
			if c, r, err := excelize.CellNameToCoordinates(sc.attr("r")); err == nil {
				col, row = c, r
			}
			if lim.MaxRows > 0 && row > lim.MaxRows {
				return m, &scanError{ErrLimit, sc.line(), cellRef{row, col},
					fmt.Sprintf("a cell in row %d, beyond the limit of %d rows (raise --max-rows to read it)", row, lim.MaxRows)}
			}
			if lim.MaxCells > 0 && cells > lim.MaxCells {
				return m, &scanError{ErrLimit, sc.line(), cellRef{row, col},
					fmt.Sprintf("more than %d cells (raise --max-cells to read it)", lim.MaxCells)}
			}
			// The attributes as excelize reads them: in order, stopping at an s that is not a
			// number (the cell is then read as empty).
			typ, badStyle := "", false
			for _, a := range sc.attrs {
				switch a[0] {
				case "r":
					rAttr, hasR = a[1], a[1] != ""
				case "s":
					if _, err := strconv.ParseInt(a[1], 10, 64); err != nil {
						badStyle = true
					}
				case "t":
					typ = a[1]
				}
				if badStyle {
					break
				}
			}
			var ch cellContent
			if !sc.selfClosing {
				var err error
				if ch, err = sc.cellChildren(); err != nil {
					return m, &scanError{ErrCorrupt, sc.line(), cellRef{row, col}, "malformed XML: " + err.Error()}
				}
			}
			if cur := st.current(&m); cur != nil {
				st.col++
				if hasR {
					c, _, err := excelize.CellNameToCoordinates(rAttr)
					if err != nil {
						st.fail(cur, err)
						continue
					}
					st.col = c
				}
				if !badStyle {
					if val := cellValue(typ, &ch, sst); val != "" || ch.hasF {
						// excelize pads with blanks up to the cell's column, or appends a cell
						// that comes out of order.
						for len(cur.vals) < st.col-1 {
							cur.vals = append(cur.vals, "")
						}
						cur.vals = append(cur.vals, val)
					}
				}
			}
			at := cellRef{row, col}
			if ch.hasF && ch.fShared == "shared" && ch.f != "" {
				// The master of a shared formula: the others give only its si.
				if m.shared == nil {
					m.shared = map[string]formulaCell{}
				}
				m.shared[ch.fSI] = formulaCell{cellRef: at, formula: ch.f}
			}
			if ch.hasF && !ch.hasV {
				f := ch.f
				if f == "" {
					f = "…" // a shared formula written once for a range
				}
				fc := formulaCell{cellRef: at, formula: f}
				if ch.fShared == "shared" {
					fc.si, fc.shared = ch.fSI, true
				}
				m.noCache = append(m.noCache, fc)
			}
			if (ch.hasV || ch.hasIS) && (typ == "s" || typ == "str" || typ == "inlineStr") {
				// A number stored as text: SUM leaves it out, so a formula over it is not computed.
				if _, err := strconv.ParseFloat(strings.TrimSpace(cellValue(typ, &ch, sst)), 64); err == nil {
					if m.textNums == nil {
						m.textNums = map[cellRef]bool{}
					}
					m.textNums[at] = true
				}
			}
			if ch.hasV && (typ == "b" || typ == "e" || typ == "d") && strings.TrimSpace(ch.v) != "" {
				m.typed = append(m.typed, typedCell{at, typ})
			}
			if ch.hasV && (typ == "" || typ == "n") && isNoisyNumber(strings.TrimSpace(ch.v)) {
				if m.numeric == nil {
					m.numeric = map[cellRef]bool{}
				}
				m.numeric[at] = true
			}
		case "mergeCell":
			ref := sc.attr("ref")
			a, b, ok := strings.Cut(ref, ":")
			if !ok {
				b = a
			}
			c1, r1, err1 := excelize.CellNameToCoordinates(a)
			c2, r2, err2 := excelize.CellNameToCoordinates(b)
			if err1 != nil || err2 != nil {
				continue // excelize drops a range it cannot read, and so do we
			}
			if len(m.merges) == maxMergedRanges {
				return m, &scanError{ErrLimit, sc.line(), cellRef{}, fmt.Sprintf("more than %d merged ranges, more than a report sheet has", maxMergedRanges)}
			}
			m.merges = append(m.merges, [4]int{min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)})
		case "col":
			if h := sc.attr("hidden"); h == "1" || h == "true" {
				lo, err1 := strconv.Atoi(sc.attr("min"))
				hi, err2 := strconv.Atoi(sc.attr("max"))
				if err1 == nil && err2 == nil && lo <= hi {
					m.hiddenCols = append(m.hiddenCols, [2]int{lo, hi})
				}
			}
		}
	}
	if sc.bad != "" {
		return m, &scanError{ErrCorrupt, sc.line(), cellRef{}, "malformed XML: " + sc.bad}
	}
	if len(sc.open) > 0 {
		return m, &scanError{ErrCorrupt, sc.line(), cellRef{}, fmt.Sprintf("malformed XML: <%s> is not closed", sc.open[len(sc.open)-1])}
	}
	return m, nil
}

// rowStream numbers rows and gathers their cells the way excelize's row stream (Rows.Next and
// Rows.Columns) does, quirks included, so that the values read stay the values excelize read: a row
// is numbered by its r attribute, or as the row after the last one read; a row whose number is not
// ahead of the current row adds its cells to the current row, its columns counted on from there; the
// first row of a sheet that does not start at row 1 loses its hidden flag; a row number that is not
// a number fails the row being read (the first row when it is the first), one beyond excelize's
// limit too.
type rowStream struct {
	started bool
	curRow  int // the number of the last row tag read
	col     int // the column counter of the current row
	stopped bool
	n       int // len(m.rows) when the current row is m.rows[n-1]; 0 before any
}

// row reads a <row> tag.
func (st *rowStream) row(m *sheetMeta, attrs [][2]string) {
	rAttr, hasR, hidden := "", false, false
	for _, a := range attrs {
		switch a[0] {
		case "r":
			rAttr, hasR = a[1], true
		case "hidden":
			if h, err := strconv.ParseBool(a[1]); err == nil {
				hidden = h
			}
		}
	}
	rowNum, err := 0, error(nil)
	if hasR {
		rowNum, err = strconv.Atoi(rAttr)
	}
	if !st.started {
		st.started = true
		st.curRow = 1
		if err == nil && rowNum > excelize.TotalRows {
			m.rows = append(m.rows, sheetRow{num: 1, err: excelize.ErrMaxRows})
			st.stopped = true
			return
		}
		if err == nil && rowNum != 0 {
			st.curRow = rowNum
		}
		sr := sheetRow{num: st.curRow, hidden: hidden && st.curRow == 1, err: err}
		if sr.err != nil {
			sr.num = 1
			st.stopped = true
		}
		m.rows = append(m.rows, sr)
		st.n, st.col = len(m.rows), 0
		return
	}
	cur := &m.rows[st.n-1]
	if err == nil && rowNum > excelize.TotalRows {
		st.fail(cur, excelize.ErrMaxRows)
		return
	}
	if err == nil && rowNum != 0 {
		st.curRow = rowNum
	} else {
		st.curRow++
	}
	if err != nil {
		st.fail(cur, err)
		return
	}
	if st.curRow <= cur.num {
		return // its cells go on the current row
	}
	m.rows = append(m.rows, sheetRow{num: st.curRow, hidden: hidden})
	st.n, st.col = len(m.rows), 0
}

// current is the row that cells are read into; nil when the stream has stopped or no row started.
func (st *rowStream) current(m *sheetMeta) *sheetRow {
	if st.stopped || st.n == 0 {
		return nil
	}
	return &m.rows[st.n-1]
}

// fail stops the stream with err at row r.
func (st *rowStream) fail(r *sheetRow, err error) {
	r.vals, r.err, st.stopped = nil, err, true
}

// cellValue is a cell's value as excelize's row stream gives it with raw values: shared strings
// and inline strings resolved, anything else (numbers, booleans, dates, formula strings, errors)
// as stored. A shared string that does not exist reads as empty.
func cellValue(typ string, ch *cellContent, sst []string) string {
	switch typ {
	case "s":
		if ch.v == "" {
			return ""
		}
		i, _ := strconv.Atoi(strings.TrimSpace(ch.v)) // excelize reads a bad index as 0
		if i < 0 || i >= len(sst) {
			return ""
		}
		return sst[i]
	case "inlineStr":
		if ch.hasIS {
			return ch.is
		}
	}
	return ch.v
}

// sharedStrings reads the workbook's shared strings (the part its relationships name, usually
// xl/sharedStrings.xml): each <si>'s text, its <t> then its rich-text runs, phonetic runs left out.
func sharedStrings(path string, parts map[string][]byte) ([]string, error) {
	name := sharedStringsPart(parts)
	data := parts[name]
	if len(data) == 0 {
		return nil, nil
	}
	fail := func(sc *xmlScanner, msg string) error {
		return Errorf(path, zipPlace(name, sc.line()), ErrCorrupt, "the shared strings, which the sheets refer to, are malformed XML: %s", msg)
	}
	var sc xmlScanner
	sc.data = data
	if err := checkXMLEncoding(data); err != nil {
		return nil, fail(&sc, err.Error())
	}
	var out []string
	for sc.next() {
		if sc.end || sc.local != "si" || len(sc.open) != 2 && !(sc.selfClosing && len(sc.open) == 1) {
			continue
		}
		if sc.selfClosing {
			out = append(out, "")
			continue
		}
		text, err := sc.stringItem()
		if err != nil {
			return nil, fail(&sc, err.Error())
		}
		out = append(out, text)
	}
	if sc.bad != "" {
		return nil, fail(&sc, sc.bad)
	}
	if len(sc.open) > 0 {
		return nil, fail(&sc, fmt.Sprintf("<%s> is not closed", sc.open[len(sc.open)-1]))
	}
	return out, nil
}

// checkXMLEncoding refuses a part whose XML declaration names an encoding other than UTF-8.
func checkXMLEncoding(data []byte) error {
	if !bytes.HasPrefix(data, []byte("<?xml")) {
		return nil
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return nil
	}
	decl := string(data[:end])
	i := strings.Index(decl, "encoding=")
	if i < 0 {
		return nil
	}
	enc := strings.Trim(decl[i+len("encoding="):], " \"'")
	if j := strings.IndexAny(enc, "\"' "); j >= 0 {
		enc = enc[:j]
	}
	if !strings.EqualFold(enc, "utf-8") && !strings.EqualFold(enc, "utf8") {
		return fmt.Errorf("the part is encoded as %q; workbooks are UTF-8", enc)
	}
	return nil
}

// xmlScanner walks the tags of an XML document, checking that they nest.
type xmlScanner struct {
	data        []byte
	pos         int
	local       string // the current tag's local name
	end         bool   // the current tag is an end tag
	selfClosing bool
	attrs       [][2]string // the current start tag's attributes, by local name
	open        []string    // the names of the elements entered and not yet closed
	bad         string      // why the markup cannot be read, when it cannot
	sawElement  bool        // a tag was read
}

// line is the 1-based line of the scanner's position, for messages.
func (s *xmlScanner) line() int { return 1 + bytes.Count(s.data[:s.pos], []byte("\n")) }

// next moves to the next tag; false at the end of the data or at markup it cannot read (bad
// then says why).
func (s *xmlScanner) next() bool {
	if s.bad != "" {
		return false
	}
	for {
		i := bytes.IndexByte(s.data[s.pos:], '<')
		if i < 0 {
			return false
		}
		s.pos += i
		rest := s.data[s.pos:]
		if bytes.HasPrefix(rest, []byte("<![CDATA[")) {
			n := endAfter(rest, "]]>")
			if n < 0 {
				s.bad = "unterminated CDATA section"
				return false
			}
			s.pos += n
			continue
		}
		if skipped, err := s.skipNonElement(rest); err != nil {
			s.bad = err.Error()
			return false
		} else if skipped {
			continue
		}
		if !s.tag() {
			if s.bad == "" {
				s.bad = "a tag that does not end"
			}
			return false
		}
		switch {
		case s.end:
			if n := len(s.open); n == 0 {
				s.bad = fmt.Sprintf("</%s> closes nothing that is open", s.local)
				return false
			} else if s.open[n-1] != s.local {
				s.bad = fmt.Sprintf("</%s> where <%s> should close", s.local, s.open[n-1])
				return false
			}
			s.open = s.open[:len(s.open)-1]
		case !s.selfClosing:
			s.open = append(s.open, s.local)
		}
		s.sawElement = true
		return true
	}
}

// tag reads the tag at s.pos.
func (s *xmlScanner) tag() bool {
	d := s.data
	i := s.pos + 1
	s.end = i < len(d) && d[i] == '/'
	if s.end {
		i++
	}
	start := i
	for i < len(d) && !isXMLSpace(d[i]) && d[i] != '>' && d[i] != '/' {
		i++
	}
	if i == start || bytes.IndexByte(d[start:i], '<') >= 0 {
		s.bad = "a tag without a proper name"
		return false
	}
	name := string(d[start:i])
	if k := strings.LastIndexByte(name, ':'); k >= 0 {
		name = name[k+1:]
	}
	s.local, s.selfClosing, s.attrs = name, false, s.attrs[:0]
	for i < len(d) {
		switch c := d[i]; {
		case isXMLSpace(c):
			i++
		case c == '>':
			s.pos = i + 1
			return true
		case c == '/':
			s.selfClosing = true
			i++
		default:
			eq := bytes.IndexByte(d[i:], '=')
			if eq < 0 {
				return false
			}
			key := strings.TrimSpace(string(d[i : i+eq]))
			if k := strings.LastIndexByte(key, ':'); k >= 0 {
				key = key[k+1:]
			}
			i += eq + 1
			for i < len(d) && isXMLSpace(d[i]) {
				i++
			}
			if i >= len(d) || d[i] != '"' && d[i] != '\'' {
				return false
			}
			q := d[i]
			j := bytes.IndexByte(d[i+1:], q)
			if j < 0 {
				return false
			}
			if bytes.IndexByte(d[i+1:i+1+j], '<') >= 0 {
				s.bad = "an attribute value holding '<'"
				return false
			}
			s.attrs = append(s.attrs, [2]string{key, string(d[i+1 : i+1+j])})
			i += j + 2
		}
	}
	return false
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (s *xmlScanner) attr(name string) string {
	for _, a := range s.attrs {
		if a[0] == name {
			return a[1]
		}
	}
	return ""
}

// cellContent is what a <c> holds: its formula, stored value and inline string, and whether each
// is there.
type cellContent struct {
	f, v, is          string
	hasF, hasV, hasIS bool
	fShared, fSI      string // the formula's t (shared) and si, for a shared formula
}

// cellChildren reads the children of the <c> just entered, up to its end tag. As for excelize, a
// child given twice counts once, with its last text.
func (s *xmlScanner) cellChildren() (cellContent, error) {
	var ch cellContent
	depth := len(s.open)
	for s.next() {
		if s.end {
			if len(s.open) < depth {
				return ch, nil
			}
			continue
		}
		if len(s.open) != depth+1 && !(s.selfClosing && len(s.open) == depth) {
			continue // deeper than a child of the cell
		}
		var err error
		switch s.local {
		case "f":
			ch.hasF = true
			ch.fShared, ch.fSI = s.attr("t"), s.attr("si")
			if !s.selfClosing {
				ch.f, err = s.content()
			}
		case "v":
			ch.hasV = true
			ch.v = ""
			if !s.selfClosing {
				ch.v, err = s.content()
			}
		case "is":
			ch.hasIS = true
			ch.is = ""
			if !s.selfClosing {
				ch.is, err = s.stringItem()
			}
		}
		if err != nil {
			return ch, err
		}
	}
	if s.bad == "" {
		s.bad = "<c> is not closed"
	}
	return ch, errors.New(s.bad)
}

// stringItem reads the element just entered as a shared or inline string (<si>, <is>), up to its
// end tag: its <t>, then the <t> of each rich-text run <r>; phonetic runs are left out. Escaped
// characters (_x000D_) are decoded as excelize decodes them.
func (s *xmlScanner) stringItem() (string, error) {
	depth := len(s.open)
	var t string
	var runs []string
	inRun := false
	for s.next() {
		if s.end {
			switch {
			case len(s.open) < depth:
				text := t + strings.Join(runs, "")
				if text == "" {
					return "", nil
				}
				return bstrUnmarshal(text), nil
			case len(s.open) == depth:
				inRun = false
			}
			continue
		}
		level := len(s.open) - depth // 1 for a child; a self-closing tag is not pushed
		if s.selfClosing {
			level++
		}
		switch {
		case level == 1 && s.local == "t":
			t = ""
			if !s.selfClosing {
				var err error
				if t, err = s.content(); err != nil {
					return "", err
				}
			}
		case level == 1 && s.local == "r" && !s.selfClosing:
			inRun = true
			runs = append(runs, "")
		case level == 2 && inRun && s.local == "t":
			runs[len(runs)-1] = ""
			if !s.selfClosing {
				text, err := s.content()
				if err != nil {
					return "", err
				}
				runs[len(runs)-1] = text
			}
		}
	}
	if s.bad == "" {
		s.bad = "a string item is not closed"
	}
	return "", errors.New(s.bad)
}

// content reads the text of the element just entered, up to its end tag, as encoding/xml gives it
// to a string: the character data directly inside it (entities and character references
// decoded, line ends normalised to \n) and its CDATA sections; the text of nested elements is
// left out.
func (s *xmlScanner) content() (string, error) {
	depth := len(s.open)
	var text []byte
	pieces, single := 0, ""
	add := func(piece string) {
		if pieces == 0 {
			single = piece
		} else {
			if pieces == 1 {
				text = append(text, single...)
			}
			text = append(text, piece...)
		}
		pieces++
	}
	for {
		i := bytes.IndexByte(s.data[s.pos:], '<')
		if i < 0 {
			return "", errors.New("an element's text does not end")
		}
		if i > 0 && len(s.open) == depth {
			piece, err := xmlChars(s.data[s.pos : s.pos+i])
			if err != nil {
				return "", err
			}
			add(piece)
		}
		s.pos += i
		rest := s.data[s.pos:]
		if bytes.HasPrefix(rest, []byte("<![CDATA[")) {
			j := bytes.Index(rest, []byte("]]>"))
			if j < 0 {
				return "", errors.New("unterminated CDATA section")
			}
			if len(s.open) == depth {
				add(normalizeLineEnds(string(rest[len("<![CDATA["):j])))
			}
			s.pos += j + len("]]>")
			continue
		}
		// Comments, processing instructions and directives sit inside text without ending it:
		// encoding/xml (and so excelize) joins the text on both sides of them.
		if skipped, err := s.skipNonElement(rest); err != nil {
			return "", err
		} else if skipped {
			continue
		}
		if !s.next() {
			if s.bad == "" {
				s.bad = "an element's text does not end"
			}
			return "", errors.New(s.bad)
		}
		if s.end && len(s.open) < depth {
			if pieces <= 1 {
				return single, nil
			}
			return string(text), nil
		}
	}
}

// skipNonElement moves past the comment, processing instruction or directive that rest starts
// with, if it starts with one, ending each where encoding/xml ends it.
func (s *xmlScanner) skipNonElement(rest []byte) (bool, error) {
	var n int
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		n = endAfter(rest, "-->")
	case bytes.HasPrefix(rest, []byte("<?")):
		n = endAfter(rest, "?>")
	case bytes.HasPrefix(rest, []byte("<!")):
		n = directiveEnd(rest)
	default:
		return false, nil
	}
	if n < 0 {
		return false, errors.New("unterminated " + string(rest[:min(len(rest), 9)]))
	}
	s.pos += n
	return true, nil
}

// endAfter is the length of b up to and including the first close, or -1.
func endAfter(b []byte, close string) int {
	if j := bytes.Index(b, []byte(close)); j >= 0 {
		return j + len(close)
	}
	return -1
}

// directiveEnd is the length of the directive b starts with (<!DOCTYPE …>, <!ENTITY …>), or -1:
// angle brackets nest, quoted ones do not count, and comments inside are skipped whole.
func directiveEnd(b []byte) int {
	depth, quote := 1, byte(0)
	for i := 2; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '>':
			if depth--; depth == 0 {
				return i + 1
			}
		case c == '<':
			if bytes.HasPrefix(b[i:], []byte("<!--")) {
				n := endAfter(b[i:], "-->")
				if n < 0 {
					return -1
				}
				i += n - 1
				continue
			}
			depth++
		}
	}
	return -1
}

// xmlChars decodes character data as encoding/xml does: the five predefined entities and
// character references, \r\n and \r read as \n; anything else (an unknown entity, a character
// XML does not allow, bytes that are not UTF-8) is an error.
func xmlChars(b []byte) (string, error) {
	clean := true
	for _, c := range b {
		if c == '&' || c == '\r' || c < 0x20 && c != '\t' && c != '\n' || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return string(b), nil
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '\r':
			out = append(out, '\n')
			i++
			if i < len(b) && b[i] == '\n' {
				i++
			}
		case c == '&':
			j := bytes.IndexByte(b[i:], ';')
			if j < 0 {
				return "", errors.New("an entity reference without its ';'")
			}
			name := string(b[i+1 : i+j])
			var r rune
			switch name {
			case "lt":
				r = '<'
			case "gt":
				r = '>'
			case "amp":
				r = '&'
			case "apos":
				r = '\''
			case "quot":
				r = '"'
			default:
				base, digits := 10, ""
				switch {
				case strings.HasPrefix(name, "#x"):
					base, digits = 16, name[2:]
				case strings.HasPrefix(name, "#"):
					digits = name[1:]
				default:
					return "", fmt.Errorf("unknown entity &%s;", clip(name, 20))
				}
				n, err := strconv.ParseUint(digits, base, 64)
				if err != nil || n > unicode.MaxRune || !xmlCharOK(rune(n)) {
					return "", fmt.Errorf("invalid character reference &%s;", clip(name, 20))
				}
				r = rune(n)
			}
			out = utf8.AppendRune(out, r)
			i += j + 1
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				return "", errors.New("invalid UTF-8")
			}
			if !xmlCharOK(r) {
				return "", fmt.Errorf("illegal character code %U", r)
			}
			out = append(out, b[i:i+size]...)
			i += size
		}
	}
	return string(out), nil
}

// xmlCharOK is XML 1.0's Char production, which encoding/xml enforces.
func xmlCharOK(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// normalizeLineEnds reads \r\n and \r as \n, as encoding/xml does in CDATA sections.
func normalizeLineEnds(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// clip shortens s to at most n bytes for a message.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// bstrExp matches the escaped characters of OOXML strings (_x000D_).
var bstrExp = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)

// bstrUnmarshal decodes the escaped characters of a string exactly as excelize does: _x005F_ is an
// underscore, _xHHHH_ the character U+HHHH (dropped when it is not one).
func bstrUnmarshal(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var result strings.Builder
	cursor := 0
	for _, match := range bstrExp.FindAllStringSubmatchIndex(s, -1) {
		result.WriteString(s[cursor:match[0]])
		cursor = match[1]
		if s[match[0]:match[1]] == "_x005F_" {
			result.WriteString("_")
			continue
		}
		v, _ := strconv.Unquote(`"\u` + s[match[0]+2:match[1]-1] + `"`)
		result.WriteString(v)
	}
	result.WriteString(s[cursor:])
	return result.String()
}

// isNoisyNumber reports whether s is a number whose plain form differs from s, so that the cell's
// type must be asked: plain integers and short decimals are the same either way.
func isNoisyNumber(s string) bool {
	if len(s) == 0 || !(s[0] >= '0' && s[0] <= '9' || s[0] == '-' || s[0] == '.' || s[0] == '+') {
		return false
	}
	p, ok := plainNumber(s)
	return ok && p != s
}

// floatArtifact drops the ".0" that a program's float-to-text conversion appends to a whole
// number: a text cell holding exactly "31984.0" is a count that went through str() of a float on
// its way into the workbook (a pandas object column, astype(str), a CSV imported as text), while
// a person typing a count writes "31984", and Excel would store "31984.0" typed into a General
// cell as the number. Even typed into a Text cell by hand, "12.0" is the whole number 12, so no
// value changes, only a spurious "count should be whole" finding goes. Every other form is left
// as written for transform to judge: "12.5" and "12.00" (a decimal someone chose), leading zeros
// ("0056.0", a code), noise ("7730.2800000000007" in a text cell). A numeric cell's "31984.0"
// reads "31984" anyway (plainNumber).
func floatArtifact(s string) string {
	n := len(s)
	if n < 3 || s[n-1] != '0' || s[n-2] != '.' {
		return s
	}
	digits := s[:n-2]
	if digits[0] == '-' {
		digits = digits[1:]
	}
	// str() of a float writes at most 16 digits before it turns to exponent form.
	if len(digits) == 0 || len(digits) > 16 || digits[0] == '0' && len(digits) > 1 {
		return s
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return s
		}
	}
	if digits == "0" {
		return "0" // "-0.0" too
	}
	return s[:n-2]
}

// plainNumber renders a stored number as a plain decimal with at most 15 significant digits,
// the precision Excel keeps; ok is false when s is not a finite number.
func plainNumber(s string) (string, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return s, false
	}
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if v == 0 {
		return "0", true
	}
	return strconv.FormatFloat(v, 'f', -1, 64), true
}

// sheetBlocks cuts a sheet into paragraphs and tables (see the file comment for the rules).
func sheetBlocks(g *sheetGrid) []Block {
	var blocks []Block
	row := 1
	for row <= len(g.grid) {
		if len(pieces(g, row)) == 0 {
			row++
			continue
		}
		end := row
		for end+1 <= len(g.grid) && len(pieces(g, end+1)) > 0 {
			end++
		}
		blocks = append(blocks, segmentBlocks(g, row, end)...)
		row = end + 1
	}
	return blocks
}

// pieces returns the columns where a separate piece of text starts in a row: a non-empty cell
// that does not continue the merged range of its left neighbour.
func pieces(g *sheetGrid, row int) []int {
	var out []int
	cells := g.grid[row-1]
	for i := range cells {
		c := &cells[i]
		if c.text == "" && !c.uncomputed {
			continue
		}
		if c.merge != 0 && i > 0 && cells[i-1].merge == c.merge {
			continue
		}
		out = append(out, i+1)
	}
	return out
}

// span is a range of columns.
type span struct{ lo, hi int }

func (s span) within(o span) bool { return o.lo <= s.lo && s.hi <= o.hi }

// rowSpan is the columns from a row's first to its last non-empty cell.
func rowSpan(g *sheetGrid, row int) span {
	s := span{}
	for i, c := range g.grid[row-1] {
		if c.text == "" && !c.uncomputed {
			continue
		}
		if s.lo == 0 {
			s.lo = i + 1
		}
		s.hi = i + 1
	}
	return s
}

// mergedOver reports whether the cell is the first cell of a range merged over exactly the
// columns s, as written in the sheet (not as clipped to the used range).
func mergedOver(g *sheetGrid, row, col int, s span) bool {
	c := g.at(row, col)
	if c == nil || c.merge == 0 || c.copy {
		return false
	}
	m := g.merges[c.merge-1]
	return m[0] == s.lo && m[2] == s.hi && m[2] > m[0]
}

// segmentBlocks turns a run of non-blank rows into blocks.
func segmentBlocks(g *sheetGrid, first, last int) []Block {
	var (
		blocks  []Block
		table   []int // rows of the table being built
		cover   span  // the columns the table covers so far
		pending []int // one-piece rows seen since the last table row
	)
	paragraphs := func(rows []int) {
		for _, r := range rows {
			ps := pieces(g, r)
			c := g.at(r, ps[0])
			if c.copy {
				continue // the lower rows of a range merged downwards: its text is already out
			}
			blocks = append(blocks, Block{Kind: Paragraph, Pos: Pos{Sheet: g.name, Row: r, Col: ps[0]}, Text: c.text})
		}
	}
	closeTable := func() {
		if len(table) > 0 {
			blocks = append(blocks, tableBlock(g, table, cover))
		}
		table, cover = nil, span{}
	}
	for r := first; r <= last; r++ {
		ps := pieces(g, r)
		if len(ps) < 2 {
			pending = append(pending, r)
			continue
		}
		s := rowSpan(g, r)
		if len(table) > 0 && (len(pending) == 0 || s.within(cover)) {
			table = append(table, pending...)
			table = append(table, r)
			cover = span{min(cover.lo, s.lo), max(cover.hi, s.hi)}
			pending = pending[:0]
			continue
		}
		closeTable()
		// A one-piece row right above the table, merged over exactly the table's columns, is a
		// row of the grid (a block heading), not a heading of the document.
		var caption []int
		if n := len(pending); n > 0 && pending[n-1] == r-1 {
			if p := pieces(g, r-1); mergedOver(g, r-1, p[0], s) {
				caption, pending = []int{r - 1}, pending[:n-1]
			}
		}
		paragraphs(pending)
		pending = pending[:0]
		table = append(caption, r)
		cover = s
		for _, c := range caption {
			cs := rowSpan(g, c)
			cover = span{min(cover.lo, cs.lo), max(cover.hi, cs.hi)}
		}
	}
	closeTable()
	paragraphs(pending)
	return blocks
}

func tableBlock(g *sheetGrid, rows []int, cover span) Block {
	b := Block{Kind: Table, Pos: Pos{Sheet: g.name, Row: rows[0], Col: cover.lo}, Layout: LayoutGrid}
	b.Rows = make([][]Cell, len(rows))
	for i, r := range rows {
		out := make([]Cell, 0, cover.hi-cover.lo+1)
		for col := cover.lo; col <= cover.hi; col++ {
			c := Cell{Pos: Pos{Sheet: g.name, Row: r, Col: col}}
			if x := g.at(r, col); x != nil {
				c.Text, c.Copy, c.Uncomputed = x.text, x.copy, x.uncomputed
			}
			out = append(out, c)
		}
		b.Rows[i] = out
	}
	return b
}
