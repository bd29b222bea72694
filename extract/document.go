// Package extract reads report files of every supported format into one format-neutral Document.
//
// A reader knows its file format and nothing of the report's domain: it yields ordered blocks
// (paragraphs and tables), every cell carrying the place it came from. Everything that needs to know
// what a 政府信息公开工作年度报告 is lives in package transform.
package extract

import (
	"strconv"
	"strings"
)

// Format is the container format of an input, detected from content.
type Format string

const (
	FormatText Format = "text"
	FormatHTML Format = "html"
	FormatXLSX Format = "xlsx"
	FormatDOCX Format = "docx"
	// FormatPDF is declared in pdf.go.
)

// Source describes the input a Document was read from.
type Source struct {
	Path     string `json:"path"`
	SHA256   string `json:"sha256"`
	Bytes    int64  `json:"bytes"`
	Format   Format `json:"format"`
	Encoding string `json:"encoding,omitempty"` // what text or HTML was decoded from: utf-8, gb18030, utf-16le, …
}

// Pos is where a block or cell came from. Exactly one family of fields is set:
// Line/Col for text, Sheet/Row/Col for a workbook cell, Table/Row/Col for an HTML or DOCX table cell,
// Para for an HTML or DOCX paragraph, Page/X/Y for PDF (X and Y in points from the top-left corner
// of the page as displayed; a cell of an unruled PDF table also has Col, its column in half-width
// characters). All numbers are 1-based; zero means unknown.
type Pos struct {
	Line  int    `json:"line,omitempty"`
	Col   int    `json:"col,omitempty"`
	Sheet string `json:"sheet,omitempty"`
	Table int    `json:"table,omitempty"`
	Row   int    `json:"row,omitempty"`
	Para  int    `json:"para,omitempty"`
	Page  int    `json:"page,omitempty"`
	X     int    `json:"x,omitempty"`
	Y     int    `json:"y,omitempty"`
}

// String renders the place the way a user looks it up: "12:5", "Sheet1!C12",
// "table 2 row 5 cell 3", "paragraph 7", "p3 x120 y540". It is built without fmt: the cells table
// holds one for every value of every report (fmt.Sprintf was a tenth of writing that table).
func (p Pos) String() string {
	var buf [64]byte
	return string(p.AppendTo(buf[:0]))
}

// AppendTo appends String's text to b: a writer with millions of places to store (the cells
// table) looks them up without making a string of each.
func (p Pos) AppendTo(b []byte) []byte {
	num := func(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }
	switch {
	case p.Page > 0:
		if p.X == 0 && p.Y == 0 {
			return num(append(b, "page "...), p.Page)
		}
		b = num(append(b, 'p'), p.Page)
		b = num(append(b, " x"...), p.X)
		return num(append(b, " y"...), p.Y)
	case p.Sheet != "":
		if p.Row == 0 {
			return append(b, p.Sheet...)
		}
		b = append(append(b, p.Sheet...), '!')
		return num(append(b, ColumnName(p.Col)...), p.Row)
	case p.Table > 0:
		if p.Row == 0 {
			return num(append(b, "table "...), p.Table)
		}
		b = num(append(b, "table "...), p.Table)
		b = num(append(b, " row "...), p.Row)
		return num(append(b, " cell "...), p.Col)
	case p.Para > 0:
		return num(append(b, "paragraph "...), p.Para)
	case p.Line > 0:
		b = num(b, p.Line)
		if p.Col == 0 {
			return b
		}
		return num(append(b, ':'), p.Col)
	}
	return b
}

// IsZero reports whether the position is unknown.
func (p Pos) IsZero() bool { return p == Pos{} }

// ColumnName turns a 1-based column number into spreadsheet letters: 1 → A, 27 → AA.
func ColumnName(n int) string {
	if n <= 0 {
		return "?"
	}
	var b [8]byte
	i := len(b)
	for n > 0 && i > 0 {
		n--
		i--
		b[i] = byte('A' + n%26)
		n /= 26
	}
	return string(b[i:])
}

// BlockKind tells paragraphs from tables.
type BlockKind uint8

const (
	Paragraph BlockKind = iota + 1
	Table
)

// Layout says how a table's cells were delimited in the source, so that transform and the
// confidence score can tell a clean grid from a reconstruction.
type Layout string

const (
	LayoutTabs       Layout = "tabs"          // tab-separated text (§7.1)
	LayoutAligned    Layout = "aligned"       // columns aligned with runs of spaces, PDF text (§7.2)
	LayoutPipe       Layout = "pipe"          // Markdown pipe table (§7.4)
	LayoutCellLines  Layout = "cell-per-line" // one cell per line (§7.1 variant)
	LayoutSpaces     Layout = "spaces"        // single spaces between cells (browser copy without tabs)
	LayoutGrid       Layout = "grid"          // a real grid: HTML, DOCX or XLSX
	LayoutCollection Layout = "collection"    // XLSX: one row per unit, one column per measure (§7.6)
)

// Cell is one table cell after merged ranges are expanded.
type Cell struct {
	Text string `json:"text"`
	Pos  Pos    `json:"pos"`
	// Copy marks a cell that repeats the value of a merged range it belongs to without being the
	// range's first cell. Labels may use it; values must not be counted twice.
	Copy bool `json:"copy,omitempty"`
	// Uncomputed marks a formula cell of a workbook saved without its computed value: a cell of
	// the table that holds no value (Text is empty), unlike a blank, which the format reads as 0.
	// A workbook cell stored as a boolean, an error or a date is one too, with Text what Excel
	// shows (TRUE, #REF!, 2024-03-15): there, but no number.
	Uncomputed bool `json:"uncomputed,omitempty"`
	// Pad marks a cell the source row did not have: an HTML or DOCX row with fewer cells than
	// its table is wide is filled out with empty cells. A missing cell shifts the numbers after
	// it, which an empty cell in its place does not; transform tells the two apart by this.
	Pad bool `json:"pad,omitempty"`
	// Cut marks a cell on the edge where its table runs off the page (a PDF whose table is wider
	// than the page): the row's cells beyond it are lost, so its values keep their places from
	// the other end of the row. A cut cell whose own text is partly off the page is also
	// Uncomputed: there, but unreadable.
	Cut bool `json:"cut,omitempty"`
}

// Block is a paragraph or a table, in document order.
type Block struct {
	Kind BlockKind `json:"kind"`
	Pos  Pos       `json:"pos"`
	// Text is the paragraph's text, normalised (NBSP, U+3000 and zero-width characters folded).
	Text string `json:"text,omitempty"`
	// Level is a heading level when the source marks one (Markdown #, HTML h1–h6, DOCX Heading
	// styles), 0 otherwise.
	Level int `json:"level,omitempty"`
	// Rows holds a table's cells, row by row; rows may differ in length.
	Rows   [][]Cell `json:"rows,omitempty"`
	Layout Layout   `json:"layout,omitempty"`
}

// Note is something a reader noticed that is not fatal but that a user should hear about:
// a formula without a cached value, a table pasted as an image, a hidden sheet.
type Note struct {
	Pos     Pos    `json:"pos"`
	Code    string `json:"code"` // stable, machine-readable: "formula-no-cache", "image-table", …
	Message string `json:"message"`
}

// Document is one input file read into the neutral block model.
type Document struct {
	Source Source  `json:"source"`
	Blocks []Block `json:"blocks"`
	Notes  []Note  `json:"notes,omitempty"`
}

// Text returns the cells of a row joined by single spaces, for messages and label matching.
func RowText(row []Cell) string {
	var b strings.Builder
	for _, c := range row {
		if c.Text == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c.Text)
	}
	return b.String()
}
