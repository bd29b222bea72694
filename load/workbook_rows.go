package load

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The data rows of the detail sheets do not go through excelize. Its StreamWriter keeps up to
// 16 MiB of every sheet in memory, and twice that in capacity once it spills, until the whole
// workbook is written, and encoding a cell through it costs more than the rest of the row. The
// rows are encoded here instead, as the StreamWriter encodes them (a test holds the two to the
// same bytes), into a spool file. excelize still writes everything around them: the sheet with its
// columns, panes, header row and table. In place of the data it gets one marker row, and when it
// hands the sheet to the archive writer the marker is replaced by the spooled rows. The workbook
// bytes are the same as if excelize had written every row.

// rowSpool is the spool of one workbook's data rows: one span per detail-sheet part.
type rowSpool struct {
	dir   string
	file  *os.File
	w     *bufio.Writer
	size  int64
	spans []rowSpan
	open  bool
	// marker is the start of every marker row; a random nonce keeps text from a report from ever
	// looking like one.
	marker string
	row    []byte // the row being encoded, reused
	esc    bytes.Buffer
}

type rowSpan struct {
	offset, length int64
	spliced        bool
}

// markerIDDigits is the width of a part's number in its marker.
const markerIDDigits = 6

func newRowSpool(dir string) (*rowSpool, error) {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return &rowSpool{dir: dir, marker: "govreports-rows-" + hex.EncodeToString(nonce) + "-"}, nil
}

// begin starts the rows of a new part and returns the cell excelize writes in their place, as the
// only cell of the part's first data row.
func (s *rowSpool) begin() (excelize.Cell, error) {
	if s.open {
		return excelize.Cell{}, errors.New("workbook rows: a part is still open")
	}
	if len(s.spans) >= 1_000_000 {
		return excelize.Cell{}, errors.New("workbook rows: too many sheet parts")
	}
	if s.file == nil {
		f, err := os.CreateTemp(s.dir, ".rows-*")
		if err != nil {
			return excelize.Cell{}, err
		}
		s.file, s.w = f, bufio.NewWriterSize(f, 1<<16)
	}
	s.spans = append(s.spans, rowSpan{offset: s.size})
	s.open = true
	return excelize.Cell{Value: s.markerText(len(s.spans) - 1)}, nil
}

func (s *rowSpool) markerText(id int) string {
	return fmt.Sprintf("%s%0*d", s.marker, markerIDDigits, id)
}

// add encodes one row, its cells from column A, into the open part; tails, when not nil, holds
// cells already encoded (see cellTail), nil for the others.
func (s *rowSpool) add(row int, values []any, tails [][]byte, height float64) error {
	if !s.open {
		return errors.New("workbook rows: no part is open")
	}
	var err error
	s.row, err = appendRowTails(s.row[:0], &s.esc, row, values, tails, height)
	if err != nil {
		return err
	}
	n, err := s.w.Write(s.row)
	s.size += int64(n)
	s.spans[len(s.spans)-1].length += int64(n)
	return err
}

// end closes the open part.
func (s *rowSpool) end() error {
	if !s.open {
		return nil
	}
	s.open = false
	return s.w.Flush()
}

// close removes the spool file.
func (s *rowSpool) close() {
	if s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
		s.file = nil
	}
}

// check reports a part whose rows never reached the archive.
func (s *rowSpool) check() error {
	for i, sp := range s.spans {
		if !sp.spliced {
			return fmt.Errorf("workbook rows: the rows of sheet part %d were not written into their sheet", i)
		}
	}
	return nil
}

// splicer passes a sheet's XML through to out, replacing every marker row by its part's rows.
// A marker may be cut across two writes: the tail that could be the start of one waits in carry.
type splicer struct {
	s      *rowSpool
	out    func([]byte) error
	prefix []byte // a marker row up to its part number
	suffix []byte // the rest of it after the number
	carry  []byte
	buf    []byte
}

func (s *rowSpool) splicer(out func([]byte) error) (*splicer, error) {
	// The marker row, as excelize writes it for the part's first data row (row 2).
	row, err := appendExcelizeRow(nil, &s.esc, 2, []any{excelize.Cell{Value: s.markerText(0)}})
	if err != nil {
		return nil, err
	}
	i := bytes.Index(row, []byte(s.marker))
	if i < 0 {
		return nil, errors.New("workbook rows: marker not in its own row")
	}
	cut := i + len(s.marker)
	return &splicer{s: s, out: out, prefix: row[:cut], suffix: row[cut+markerIDDigits:]}, nil
}

func (p *splicer) markerLen() int { return len(p.prefix) + markerIDDigits + len(p.suffix) }

func (p *splicer) Write(b []byte) (int, error) {
	data := b
	if len(p.carry) > 0 {
		p.buf = append(append(p.buf[:0], p.carry...), b...)
		data = p.buf
		p.carry = p.carry[:0]
	}
	for {
		i := bytes.Index(data, p.prefix)
		if i < 0 {
			// Keep what could be the start of a marker cut by the end of this write.
			keep := min(len(data), len(p.prefix)-1)
			if err := p.out(data[:len(data)-keep]); err != nil {
				return 0, err
			}
			p.carry = append(p.carry, data[len(data)-keep:]...)
			return len(b), nil
		}
		if len(data)-i < p.markerLen() {
			if err := p.out(data[:i]); err != nil {
				return 0, err
			}
			p.carry = append(p.carry, data[i:]...)
			return len(b), nil
		}
		id, ok := p.partAt(data[i:])
		if !ok {
			if err := p.out(data[:i+1]); err != nil {
				return 0, err
			}
			data = data[i+1:]
			continue
		}
		if err := p.out(data[:i]); err != nil {
			return 0, err
		}
		if err := p.rows(id); err != nil {
			return 0, err
		}
		data = data[i+p.markerLen():]
	}
}

// partAt reads the part number of a marker row at the start of b.
func (p *splicer) partAt(b []byte) (int, bool) {
	digits := b[len(p.prefix) : len(p.prefix)+markerIDDigits]
	if !bytes.Equal(b[len(p.prefix)+markerIDDigits:p.markerLen()], p.suffix) {
		return 0, false
	}
	id := 0
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		id = id*10 + int(c-'0')
	}
	return id, id < len(p.s.spans)
}

// rows writes part id's rows in place of its marker.
func (p *splicer) rows(id int) error {
	sp := &p.s.spans[id]
	if sp.spliced {
		return fmt.Errorf("workbook rows: the marker of sheet part %d appears twice", id)
	}
	sp.spliced = true
	r := io.NewSectionReader(p.s.file, sp.offset, sp.length)
	buf := make([]byte, 1<<16)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if werr := p.out(buf[:n]); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// flush passes on what waited in carry: the sheet is complete.
func (p *splicer) flush() error {
	err := p.out(p.carry)
	p.carry = p.carry[:0]
	return err
}

// appendRow appends the XML of a row as excelize's StreamWriter.SetRow writes it for cells from
// column A, but for the cells' references (below): values hold excelize.Cell,
// *excelize.Cell or bare values; a nil value leaves its cell out. height, when not 0, is the row's
// custom height in points.
//
// References: a cell that follows the cell before it in its row (or is the row's first, in column A)
// is written without its reference (r="F12"), which the format makes optional: a reader places
// such a cell in the next column, as Excel, LibreOffice and excelize do. A cell after a gap keeps
// it. The references were a fifth of a detail sheet's bytes and, a new number on every row, what
// compressed worst: without them a year's 申请明细 of 10,000 reports deflates to 1.0 MB instead of
// 3.4 MB, in half the time.
func appendRow(dst []byte, esc *bytes.Buffer, row int, values []any, height float64) ([]byte, error) {
	return appendRowTails(dst, esc, row, values, nil, height)
}

// cellPrefix is how appendCell starts a cell that follows the one before it (no reference), when
// the cell's value needs no xml:space of its own (any text, and numbers).
const cellPrefix = `<c`

// cellTail encodes a cell as appendCell does and returns what follows its reference, which does not
// depend on the cell's place: a row of cells that repeat (a report's names on each of its rows)
// encodes them once. It returns nil for a cell it cannot cut so.
func cellTail(esc *bytes.Buffer, style int, val any) []byte {
	enc, err := appendCell(nil, esc, 1, "1", false, style, "", val)
	if err != nil || !bytes.HasPrefix(enc, []byte(cellPrefix)) || bytes.HasPrefix(enc, []byte(cellPrefix+` xml:space`)) {
		return nil // a reference would go after xml:space, inside what would be the tail
	}
	return enc[len(cellPrefix):]
}

// appendRowTails is appendRow with tails (see rowSpool.add).
func appendRowTails(dst []byte, esc *bytes.Buffer, row int, values []any, tails [][]byte, height float64) ([]byte, error) {
	return encodeRow(dst, esc, row, values, tails, height, false)
}

// appendExcelizeRow appends a row exactly as excelize's StreamWriter writes it: every cell with its
// reference (the marker rows excelize writes into the frame).
func appendExcelizeRow(dst []byte, esc *bytes.Buffer, row int, values []any) ([]byte, error) {
	return encodeRow(dst, esc, row, values, nil, 0, true)
}

// encodeRow is appendRowTails, every cell with its reference when allRefs says so.
func encodeRow(dst []byte, esc *bytes.Buffer, row int, values []any, tails [][]byte, height float64, allRefs bool) ([]byte, error) {
	if row < 1 || row > excelize.TotalRows {
		return dst, fmt.Errorf("workbook rows: row %d is out of range", row)
	}
	if height > excelize.MaxRowHeight {
		return dst, excelize.ErrMaxRowHeight
	}
	rowNum := strconv.Itoa(row)
	dst = append(dst, `<row r="`...)
	dst = append(dst, rowNum...)
	dst = append(dst, '"')
	if height > 0 {
		dst = append(dst, ` ht="`...)
		dst = strconv.AppendFloat(dst, height, 'f', -1, 64)
		dst = append(dst, `" customHeight="1"`...)
	}
	dst = append(dst, '>')
	last := 0 // the column of the cell written last
	for i, val := range values {
		if val == nil {
			continue
		}
		// A cell right after the one before it needs no reference (see appendRow).
		ref := allRefs || i != last
		last = i + 1
		if i < len(tails) && tails[i] != nil {
			dst = append(dst, `<c`...)
			if ref {
				dst = append(dst, ` r="`...)
				dst = appendColumnName(dst, i+1)
				dst = append(dst, rowNum...)
				dst = append(dst, '"')
			}
			dst = append(dst, tails[i]...)
			continue
		}
		style, formula := 0, ""
		switch c := val.(type) {
		case excelize.Cell:
			style, formula, val = c.StyleID, c.Formula, c.Value
		case *excelize.Cell:
			if c == nil {
				return dst, fmt.Errorf("workbook rows: row %d column %d: a nil cell", row, i+1)
			}
			style, formula, val = c.StyleID, c.Formula, c.Value
		}
		var err error
		dst, err = appendCell(dst, esc, i+1, rowNum, ref, style, formula, val)
		if err != nil {
			return dst, fmt.Errorf("workbook rows: row %d column %d: %w", row, i+1, err)
		}
	}
	return append(dst, `</row>`...), nil
}

// appendCell appends one <c> element, with its reference when ref says so. The cell's type follows
// its value: a number is written as it is, a string inline (or, under a formula, as the formula's
// cached text), a bool as 1 or 0.
func appendCell(dst []byte, esc *bytes.Buffer, col int, row string, ref bool, style int, formula string, val any) ([]byte, error) {
	typ := ""
	if formula != "" {
		typ = "str"
	}
	var number, inline string
	isInline := false
	// An integer is written straight into dst: its digits need no escaping, protection or cut.
	var integer int64
	isInteger := false
	switch v := val.(type) {
	case nil:
	case int:
		typ, integer, isInteger = "", int64(v), true
	case int64:
		typ, integer, isInteger = "", v, true
	case int32:
		typ, integer, isInteger = "", int64(v), true
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			typ, inline, isInline = "inlineStr", strconv.FormatFloat(v, 'g', -1, 64), true
		} else {
			typ, number = "", excelFloat(v)
		}
	case bool:
		typ, number = "b", "0"
		if v {
			number = "1"
		}
	case string:
		if formula != "" {
			// The formula's cached result, the value of <v>.
			number = v
		} else {
			typ, inline, isInline = "inlineStr", v, true
		}
	default:
		return dst, fmt.Errorf("a %T value is not written to a workbook", val)
	}
	number, numberPreserve := cellText(number)
	dst = append(dst, `<c`...)
	if numberPreserve {
		dst = append(dst, ` xml:space="preserve"`...)
	}
	if ref {
		dst = append(dst, ` r="`...)
		dst = appendColumnName(dst, col)
		dst = append(dst, row...)
		dst = append(dst, '"')
	}
	if style != 0 {
		dst = append(dst, ` s="`...)
		dst = strconv.AppendInt(dst, int64(style), 10)
		dst = append(dst, '"')
	}
	if typ != "" {
		dst = append(dst, ` t="`...)
		dst = append(dst, typ...)
		dst = append(dst, '"')
	}
	dst = append(dst, '>')
	if formula != "" {
		dst = append(dst, `<f>`...)
		dst = appendEscaped(dst, formula, true)
		dst = append(dst, `</f>`...)
	}
	if isInteger {
		dst = append(dst, `<v>`...)
		dst = strconv.AppendInt(dst, integer, 10)
		dst = append(dst, `</v>`...)
	}
	if number != "" {
		dst = append(dst, `<v>`...)
		dst = appendEscaped(dst, protectEscapes(number), true)
		dst = append(dst, `</v>`...)
	}
	if isInline {
		text, preserve := cellText(inline)
		dst = append(dst, `<is><t`...)
		if preserve {
			dst = append(dst, ` xml:space="preserve"`...)
		}
		dst = append(dst, '>')
		if strings.Contains(text, "_x") {
			// Escaped first, then protected: the protection works on the text as it is stored.
			esc.Reset()
			dst = append(dst, protectEscapes(string(appendEscaped(esc.AvailableBuffer(), text, false)))...)
		} else {
			dst = appendEscaped(dst, text, false)
		}
		dst = append(dst, `</t></is>`...)
	}
	return append(dst, `</c>`...), nil
}

// excelFloat writes a float as excelize does: the shortest decimal that reads back, cut to Excel's
// 15 significant digits.
func excelFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if math.Abs(v) == math.MaxFloat64 {
		return s
	}
	dot := strings.IndexByte(s, '.')
	significant := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' || significant == 0 && c == '0' {
			continue
		}
		significant++
		if significant <= 15 {
			continue
		}
		if dot >= 0 && i > dot {
			return strings.TrimSuffix(s[:i], ".")
		}
		break
	}
	return s
}

// cellText cuts a string to the 32,767 UTF-16 units a cell holds; preserve says whether it starts
// or ends with white space that must be kept.
func cellText(s string) (text string, preserve bool) {
	if len(s) > excelize.TotalCellChars {
		s = cutUTF16(s, excelize.TotalCellChars)
	}
	if s == "" {
		return "", false
	}
	for _, edge := range []byte{s[0], s[len(s)-1]} {
		if edge == '\t' || edge == '\n' || edge == '\r' || edge == ' ' {
			preserve = true
		}
	}
	return s, preserve
}

// cutUTF16 cuts s to at most n UTF-16 code units, at a rune boundary.
func cutUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		if units += utf16.RuneLen(r); units > n {
			return s[:i]
		}
	}
	return s
}

// appendEscaped appends s escaped as encoding/xml's EscapeText escapes text (a line break only when
// newline is set): the five markup characters, tab and carriage return as references, and what XML
// cannot hold as U+FFFD.
func appendEscaped(dst []byte, s string, newline bool) []byte {
	if plainText(s) {
		return append(dst, s...)
	}
	return appendEscapedRunes(dst, s, newline)
}

// appendEscapedRunes is appendEscaped rune by rune.
func appendEscapedRunes(dst []byte, s string, newline bool) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\'' && c != '&' && c != '<' && c != '>' {
			i++
			continue
		}
		r, width := utf8.DecodeRuneInString(s[i:])
		var rep string
		switch r {
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '\t':
			rep = "&#x9;"
		case '\n':
			if newline {
				rep = "&#xA;"
			}
		case '\r':
			rep = "&#xD;"
		default:
			if !xmlChar(r) || r == utf8.RuneError && width == 1 {
				rep = "\uFFFD"
			}
		}
		if rep != "" {
			dst = append(dst, s[last:i]...)
			dst = append(dst, rep...)
			last = i + width
		}
		i += width
	}
	return append(dst, s[last:]...)
}

// plainText reports whether appendEscaped leaves s as it is: valid UTF-8 without markup or control
// characters and without U+FFFE or U+FFFF. It looks at bytes, where the loop of appendEscaped
// decodes every rune of a Chinese text; most cells are such texts.
func plainText(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\'' || c == '&' || c == '<' || c == '>' {
				return false
			}
			i++
			continue
		}
		// Three bytes led by E1–EC or EE–EF are a valid rune whatever their continuation bytes
		// (E0 and ED restrict theirs): the CJK ideographs and the fullwidth forms.
		if i+2 < len(s) && c >= 0xE1 && c <= 0xEF && c != 0xED && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			if c == 0xEF && s[i+1] == 0xBF && s[i+2] >= 0xBE { // U+FFFE, U+FFFF
				return false
			}
			i += 3
			continue
		}
		r, width := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && width == 1 || !xmlChar(r) {
			return false
		}
		i += width
	}
	return true
}

// xmlChar reports whether XML 1.0 allows r in text.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

var (
	escapedChar      = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
	escapedCharAfter = regexp.MustCompile(`^x[a-fA-F\d]{4}_`)
)

// protectEscapes protects every literal "_xHHHH_" of s, which a spreadsheet would read as an
// escaped character, by writing its underscore as "_x005F_", so that the cell shows the text as it
// was. It follows excelize, with one difference: excelize drops a pattern that names half of a
// surrogate pair (_xD800_), where this keeps it, protected like any other.
func protectEscapes(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	cursor := 0
	for _, m := range escapedChar.FindAllStringIndex(s, -1) {
		b.WriteString(s[cursor:m[0]])
		cursor = m[1]
		match := s[m[0]:m[1]]
		if match != "_x005F_" {
			b.WriteString("_x005F" + match)
			continue
		}
		// An escaped underscore that an escape follows shares its last underscore with it.
		if next := s[m[1]:min(len(s), m[1]+6)]; escapedCharAfter.MatchString(next) && validEscape(next[1:5]) {
			b.WriteString(match + "x005F" + match)
			continue
		}
		b.WriteString(match + "x005F_")
	}
	b.WriteString(s[cursor:])
	return b.String()
}

// validEscape reports whether four hex digits name a character (not half of a surrogate pair).
func validEscape(h string) bool {
	n, err := strconv.ParseUint(h, 16, 32)
	return err == nil && !(n >= 0xD800 && n <= 0xDFFF)
}

// appendColumnName appends the letters of column col (1 = A).
func appendColumnName(dst []byte, col int) []byte {
	var buf [4]byte
	i := len(buf)
	for col > 0 {
		col--
		i--
		buf[i] = byte('A' + col%26)
		col /= 26
	}
	return append(dst, buf[i:]...)
}
