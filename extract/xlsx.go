package extract

// The XLSX reader (report-format.md §7.6).
//
// A workbook becomes one Document: every sheet in workbook order, each sheet's used range cut into
// blocks. What the reader does, and why:
//
//   - Values are the stored values, never the displayed ones: a number is emitted as its plain
//     decimal ("56", "7730.28"), rounded to Excel's 15 significant digits so that binary noise such
//     as 55.99999999999999 reads "56"; number formats ("0%", "#,##0") are not applied. A formula
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
//   - Hidden sheets, rows and columns are read like visible ones and reported in notes; comments
//     are ignored.
//   - Whether a table is a collection table (one row per unit) is decided by transform, which knows
//     the labels; the reader emits every table with LayoutGrid.
//
// How: the package is unpacked once under the zip limits (zipsafe.go) and packed again, without
// the parts that never change a cell's text, for excelize, which gives the sheet list and the
// values (its row stream, raw values, shared strings). What excelize would only tell after
// parsing a whole sheet into structures, at several times the cost of the rest (merged ranges,
// hidden columns, formulas and cell types), comes from one pass over the sheet's XML (scanSheet),
// which also refuses a sheet whose markup is broken. Limits: MaxUncompressed for all parts
// together, checked from the headers and enforced while inflating; a sheet is refused as soon as
// its stream reaches a row beyond MaxRows or the cells read so far, merged-range copies included,
// exceed MaxCells; at most maxMergedRanges merged ranges per sheet.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	pathpkg "path"
	"strconv"
	"strings"
	"unsafe"

	"github.com/xuri/excelize/v2"
)

func readXLSX(ctx context.Context, src Source, data []byte, lim Limits) (*Document, error) {
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
	var f *excelize.File
	if err := guard(func() (err error) {
		f, err = excelize.OpenReader(bytes.NewReader(pkg.stored), excelize.Options{RawCellValue: true,
			UnzipSizeLimit: zipBudget(lim), UnzipXMLSizeLimit: zipBudget(lim)})
		return err
	}); err != nil {
		return nil, openError(src.Path, err)
	}
	defer f.Close()

	wr := &workbookReader{f: f, path: src.Path, lim: lim, doc: &Document{Source: src}, built: newBudget(lim)}
	var sheets []string
	if err := guard(func() error { sheets = f.GetSheetList(); return nil }); err != nil {
		return nil, Errorf(src.Path, "xl/workbook.xml", ErrCorrupt, "%v", err)
	}
	for _, name := range sheets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var meta sheetMeta
		if part, ok := pkg.sheets[name]; ok {
			if meta, err = scanSheet(pkg.parts[part], lim); err != nil {
				var se *scanError
				if errors.As(err, &se) {
					place := zipPlace(part, se.line)
					if se.at.row > 0 {
						place = Pos{Sheet: name, Row: se.at.row, Col: se.at.col}.String()
					}
					return nil, Errorf(src.Path, place, se.cause, "sheet %q: %s", name, se.msg)
				}
				return nil, Errorf(src.Path, part, ErrCorrupt, "sheet %q: %v", name, err)
			}
		}
		if err := wr.readSheet(ctx, name, &meta); err != nil {
			return nil, err
		}
	}
	if len(wr.doc.Blocks) == 0 {
		return nil, Errorf(src.Path, "", ErrNoContent, "no sheet holds any text or number")
	}
	return wr.doc, nil
}

// guard runs excelize code, turning a panic in it into an error: excelize is a large parser fed
// untrusted bytes, and a panic there means a file it cannot read, not a crash. Only excelize calls
// are guarded, so that a panic in this reader's own code still fails tests and fuzzing.
func guard(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("excelize failed on this file: %v", p)
		}
	}()
	return fn()
}

// workbookPackage is a workbook unpacked once: the parts kept for reading, the sheets' part names,
// and the kept parts packed again without compression for excelize.
type workbookPackage struct {
	parts  map[string][]byte
	sheets map[string]string // sheet name → worksheet part
	stored []byte
}

// unpackWorkbook inflates the parts of the package once, through zipsafe's budgeted reader, before
// excelize sees any of them: MaxUncompressed holds for all parts together (declared sizes count
// for parts that are not read); a part whose stream is broken or longer than its header says is
// refused naming the part (excelize would silently cut it short); a part name given twice is
// refused (which copy a program reads is arbitrary). Parts that cannot change the text of a cell
// (themes, styles, pictures, comments, document properties) are left out, and the rest is packed
// again without compression, so excelize parses only what reading needs and inflates nothing
// twice.
func unpackWorkbook(path string, zr *zip.Reader, lim Limits) (*workbookPackage, error) {
	if _, err := findZipFile(path, zr, "xl/workbook.xml"); err != nil {
		return nil, err
	}
	pkg := &workbookPackage{parts: map[string][]byte{}}
	var names []string
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
		names = append(names, f.Name)
	}
	pkg.sheets = sheetParts(pkg.parts)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, name := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err == nil {
			_, err = w.Write(pkg.parts[name])
		}
		if err != nil {
			return nil, Errorf(path, name, ErrCorrupt, "%v", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, Errorf(path, "", ErrCorrupt, "%v", err)
	}
	pkg.stored = out.Bytes()
	return pkg, nil
}

// checkPart refuses, naming the part, what excelize would only report later against a sheet: a
// document type declaration (OOXML never has one; entity declarations in it are the "billion
// laughs" bomb) in any XML part, and broken XML in the shared strings, which every sheet reads.
func checkPart(path, name string, b []byte) error {
	if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rels") {
		return nil
	}
	if i := bytes.Index(b, []byte("<!DOCTYPE")); i >= 0 {
		return Errorf(path, zipPlace(name, 1+bytes.Count(b[:i], []byte("\n"))), ErrCorrupt,
			"the part declares a document type with entities (an XML entity bomb); a workbook never does")
	}
	if pathpkg.Base(name) != "sharedStrings.xml" {
		return nil
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			line, _ := d.InputPos()
			return Errorf(path, zipPlace(name, line), ErrCorrupt, "the shared strings, which the sheets refer to, are malformed XML: %v", err)
		}
	}
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

// sheetParts maps sheet names to their worksheet parts the way excelize resolves them: the
// workbook part named by the package relationships, its sheets' r:id, and the workbook's
// relationships giving each id a target relative to the workbook's folder.
func sheetParts(parts map[string][]byte) map[string]string {
	type rel struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	}
	type rels struct {
		Rels []rel `xml:"Relationship"`
	}
	var root rels
	_ = xml.Unmarshal(parts["_rels/.rels"], &root)
	wbPath := "xl/workbook.xml"
	for _, r := range root.Rels {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			wbPath = strings.TrimPrefix(r.Target, "/")
		}
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	_ = xml.Unmarshal(parts[wbPath], &wb)
	dir := pathpkg.Dir(wbPath)
	var wbRels rels
	_ = xml.Unmarshal(parts[pathpkg.Join(dir, "_rels", pathpkg.Base(wbPath)+".rels")], &wbRels)
	out := map[string]string{}
	for _, sh := range wb.Sheets {
		for _, r := range wbRels.Rels {
			if r.ID != sh.ID {
				continue
			}
			target := strings.TrimPrefix(pathpkg.Clean(pathpkg.Join(dir, r.Target)), "/")
			if strings.HasPrefix(r.Target, "/") {
				target = strings.TrimPrefix(pathpkg.Clean(r.Target), "/")
			}
			if _, ok := parts[target]; ok {
				out[sh.Name] = target
			}
		}
	}
	return out
}

// openError classifies what excelize says about a workbook it cannot open.
func openError(path string, err error) error {
	switch {
	case errors.Is(err, excelize.ErrWorkbookFileFormat), errors.Is(err, excelize.ErrWorkbookPassword):
		return Errorf(path, "", ErrEncrypted, "the workbook is encrypted; save it again without a password")
	case strings.Contains(err.Error(), "unzip size exceeds"):
		return Errorf(path, "", ErrLimit, "%v (raise --max-uncompressed to read it)", err)
	}
	return Errorf(path, "", ErrCorrupt, "the workbook could not be opened: %v", err)
}

// workbookReader carries what the sheets of one workbook share: the open file, the limits and the
// number of cells read so far.
type workbookReader struct {
	f     *excelize.File
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

func (g *sheetGrid) text(row, col int) string {
	if c := g.at(row, col); c != nil {
		return c.text
	}
	return ""
}

func (wr *workbookReader) readSheet(ctx context.Context, name string, meta *sheetMeta) error {
	g := &sheetGrid{name: name, merges: meta.merges}
	if err := wr.streamRows(ctx, g); err != nil {
		return err
	}
	if len(g.grid) == 0 {
		return nil
	}
	visible := true
	_ = guard(func() (err error) { visible, err = wr.f.GetSheetVisible(name); return err })
	if !visible {
		wr.note(Pos{Sheet: name}, "hidden-sheet", "the sheet is hidden; read anyway")
	}
	// Numbers are rendered plainly before merged ranges copy them.
	for ref := range meta.numeric {
		if c := g.at(ref.row, ref.col); c != nil {
			c.text, _ = plainNumber(c.text)
		}
	}
	for _, fc := range meta.noCache {
		if inRects(g.merges, fc.row, fc.col) && !isOrigin(g.merges, fc.row, fc.col) {
			continue // hidden under a merged range: Excel shows the range's first cell
		}
		wr.note(Pos{Sheet: name, Row: fc.row, Col: fc.col}, "formula-no-cache",
			fmt.Sprintf("the formula =%s has no cached value (the workbook was saved without calculating it); the cell is read as empty", fc.formula))
	}
	if err := wr.expandMerges(g); err != nil {
		return err
	}
	wr.hiddenNotes(g, meta.hiddenCols)
	wr.doc.Blocks = append(wr.doc.Blocks, sheetBlocks(g)...)
	return nil
}

// cellRef is a 1-based cell coordinate.
type cellRef struct{ row, col int }

// streamRows reads the sheet's values row by row, enforcing the limits as it goes.
func (wr *workbookReader) streamRows(ctx context.Context, g *sheetGrid) error {
	var rows *excelize.Rows
	if err := guard(func() (err error) { rows, err = wr.f.Rows(g.name); return err }); err != nil {
		return wr.sheetError(g.name, 0, 0, err)
	}
	defer rows.Close()
	row := 0
	for {
		var more, hidden bool
		var vals []string
		err := guard(func() (err error) {
			if more = rows.Next(); more {
				hidden = rows.GetRowOpts().Hidden
				vals, err = rows.Columns(excelize.Options{RawCellValue: true})
			}
			return err
		})
		if !more && err == nil {
			break
		}
		row++
		if err != nil {
			return wr.sheetError(g.name, row, 0, err)
		}
		if row%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
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
			cells[i].text = normalizeSpace(v) // the text reader's normalisation (decode.go)
		}
		g.grid[row-1] = cells
		g.width = max(g.width, len(cells))
		if hidden {
			g.hidden = append(g.hidden, row)
		}
	}
	if err := rows.Error(); err != nil {
		return wr.sheetError(g.name, row+1, 0, err)
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
}

type formulaCell struct {
	cellRef
	formula string
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
// tree, but it checks that tags nest and close, since excelize's row stream silently stops at
// markup it cannot parse and a damaged sheet must be refused rather than read in part. Comments,
// CDATA and declarations are skipped. Cell positions are tracked the way excelize tracks them:
// from the r attributes when present, else the next row or column.
//
// The limits hold here too, so a sheet too large to read is refused at its first cell beyond
// MaxRows or its cell beyond MaxCells, before anything else reads it.
func scanSheet(data []byte, lim Limits) (sheetMeta, error) {
	var m sheetMeta
	var sc xmlScanner
	sc.data = data
	row, col, cells := 0, 0, 0
	for sc.next() {
		if sc.end {
			continue
		}
		switch sc.local {
		case "row":
			if r, err := strconv.Atoi(sc.attr("r")); err == nil && r > 0 {
				row = r
			} else {
				row++
			}
			col = 0
		case "c":
			col++
			cells++
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
			typ := sc.attr("t")
			if sc.selfClosing {
				continue
			}
			f, hasF, v, hasV := sc.cellChildren()
			at := cellRef{row, col}
			if hasF && !hasV {
				if f == "" {
					f = "…" // a shared formula written once for a range
				}
				m.noCache = append(m.noCache, formulaCell{at, html.UnescapeString(f)})
			}
			if hasV && (typ == "" || typ == "n") && isNoisyNumber(strings.TrimSpace(v)) {
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
		skip := func(close string) bool {
			j := bytes.Index(rest, []byte(close))
			if j < 0 {
				s.bad = "unterminated " + string(rest[:min(len(rest), 9)])
				return false
			}
			s.pos += j + len(close)
			return true
		}
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			if !skip("-->") {
				return false
			}
			continue
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			if !skip("]]>") {
				return false
			}
			continue
		case bytes.HasPrefix(rest, []byte("<?")), bytes.HasPrefix(rest, []byte("<!")):
			if !skip(">") {
				return false
			}
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

// cellChildren reads the children of the <c> just entered, up to its end tag: the formula text
// and whether there is one, the stored value and whether there is one.
func (s *xmlScanner) cellChildren() (formula string, hasF bool, value string, hasV bool) {
	for s.next() {
		switch {
		case s.end && s.local == "c":
			return
		case s.end:
		case s.local == "f":
			hasF = true
			if !s.selfClosing {
				formula = s.text()
			}
		case s.local == "v":
			hasV = true
			if !s.selfClosing {
				value = s.text()
			}
		}
	}
	return
}

// text returns the character data from s.pos to the next tag.
func (s *xmlScanner) text() string {
	i := bytes.IndexByte(s.data[s.pos:], '<')
	if i < 0 {
		return ""
	}
	return string(s.data[s.pos : s.pos+i])
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
		if c.text == "" {
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
		if c.text == "" {
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
				c.Text, c.Copy = x.text, x.copy
			}
			out = append(out, c)
		}
		b.Rows[i] = out
	}
	return b
}
