package load

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// valueKind is what a cell holds, which decides its number format.
type valueKind uint8

const (
	kindText valueKind = iota
	kindCount
	kindAmount
	kindScore // a 0–1 confidence, shown with two decimals
)

// mark is the colour a cell carries; the legend in 说明 explains each.
type mark uint8

const (
	markNone     mark = iota
	markError         // a finding of severity error names the cell
	markWarning       // … of severity warning
	markInfo          // … of severity info
	markBlank         // the report states no number here (blank, "/", …): shown empty, never 0
	markExcluded      // a sum from which some reports' blank values were left out
	numMarks
)

// markColours are fill and font colours, Excel's own "bad / neutral / good" palette where it has one.
var markColours = [numMarks]struct{ fill, font string }{
	markNone:     {"", ""},
	markError:    {"FFC7CE", "9C0006"},
	markWarning:  {"FFEB9C", "9C5700"},
	markInfo:     {"DDEBF7", "1F4E78"},
	markBlank:    {"EDEDED", "595959"},
	markExcluded: {"F8CBAD", "833C0B"},
}

// markFromRank is the mark of a cell named by findings whose worst severity is rank.
func markFromRank(rank int) mark {
	switch rank {
	case rankError:
		return markError
	case rankWarning:
		return markWarning
	case rankInfo:
		return markInfo
	}
	return markNone
}

// Number formats: counts as integers with thousands separators; 万元 with two to six decimals,
// enough for every digit transform stores (millionths of 万元).
const (
	numFmtCount  = 3 // built-in "#,##0"
	amountFormat = "#,##0.00####"
)

// styleKey names one cell style; styles are made on first use, so the workbook holds only those used.
type styleKey struct {
	role  styleRole
	kind  valueKind
	mark  mark
	align string
}

type styleRole uint8

const (
	roleData        styleRole = iota // a cell of a detail sheet (an Excel table draws the grid)
	roleForm                         // a cell of the official form: bordered
	roleFormHead                     // a header cell of the form: bordered, bold, shaded, centred
	roleHead                         // the header row of a detail sheet
	roleTitle                        // a sheet title
	roleHeading                      // a section heading
	roleNote                         // explanatory text, wrapped
	roleLink                         // a hyperlink
	roleWrapped                      // a cell of a detail sheet whose long text wraps
	roleWrappedLink                  // a hyperlink that wraps
)

// styles makes and remembers the cell styles of one workbook.
type styles struct {
	f     *excelize.File
	cache map[styleKey]int
	err   error
	// dataIDs holds the data cells' styles once created (0: not yet), which the detail sheets ask for
	// cell by cell: an array is cheaper than hashing the key.
	dataIDs [kindScore + 1][numMarks]int
}

func newStyles(f *excelize.File) *styles {
	return &styles{f: f, cache: map[styleKey]int{}}
}

// get returns the style of k; an error is kept and reported by the workbook builder.
func (s *styles) get(k styleKey) int {
	if id, ok := s.cache[k]; ok {
		return id
	}
	id, err := s.f.NewStyle(k.style())
	if err != nil && s.err == nil {
		s.err = fmt.Errorf("load: workbook style: %w", err)
	}
	s.cache[k] = id
	return id
}

func (s *styles) data(kind valueKind, m mark) int {
	if int(kind) >= len(s.dataIDs) || m >= numMarks {
		return s.get(styleKey{role: roleData, kind: kind, mark: m})
	}
	id := s.dataIDs[kind][m]
	if id == 0 {
		id = s.get(styleKey{role: roleData, kind: kind, mark: m})
		s.dataIDs[kind][m] = id
	}
	return id
}

func (s *styles) form(kind valueKind, m mark) int {
	return s.get(styleKey{role: roleForm, kind: kind, mark: m})
}

// formLabel is a bordered, wrapped label; align is "left" or "center".
func (s *styles) formLabel(align string) int {
	return s.get(styleKey{role: roleForm, kind: kindText, align: align})
}

func (s *styles) formHead() int { return s.get(styleKey{role: roleFormHead}) }
func (s *styles) head() int     { return s.get(styleKey{role: roleHead}) }
func (s *styles) title() int    { return s.get(styleKey{role: roleTitle}) }
func (s *styles) heading() int  { return s.get(styleKey{role: roleHeading}) }
func (s *styles) note() int     { return s.get(styleKey{role: roleNote}) }
func (s *styles) link() int     { return s.get(styleKey{role: roleLink}) }
func (s *styles) wrapped() int  { return s.get(styleKey{role: roleWrapped}) }
func (s *styles) wrappedLink() int {
	return s.get(styleKey{role: roleWrappedLink})
}

var thinBorder = func() []excelize.Border {
	var b []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		b = append(b, excelize.Border{Type: side, Color: "7F7F7F", Style: 1})
	}
	return b
}()

func (k styleKey) style() *excelize.Style {
	st := &excelize.Style{Alignment: &excelize.Alignment{Vertical: "center"}}
	switch k.kind {
	case kindCount:
		st.NumFmt = numFmtCount
	case kindAmount:
		f := amountFormat
		st.CustomNumFmt = &f
	case kindScore:
		st.NumFmt = 2 // 0.00
	}
	if c := markColours[k.mark]; c.fill != "" {
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c.fill}}
		st.Font = &excelize.Font{Color: c.font}
	}
	switch k.role {
	case roleForm:
		st.Border = thinBorder
		st.Alignment.Horizontal = k.align
		if k.kind == kindText {
			st.Alignment.WrapText = true
		} else if k.align == "" {
			st.Alignment.Horizontal = "center" // numbers sit centred, as on the printed form
		}
	case roleFormHead:
		st.Border = thinBorder
		st.Font = &excelize.Font{Bold: true}
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}
		st.Alignment.Horizontal = "center"
		st.Alignment.WrapText = true
	case roleHead:
		st.Font = &excelize.Font{Bold: true}
		st.Alignment.Horizontal = "center"
		st.Alignment.WrapText = true
	case roleTitle:
		st.Font = &excelize.Font{Bold: true, Size: 16}
		st.Alignment.Horizontal = "center"
	case roleHeading:
		st.Font = &excelize.Font{Bold: true, Size: 12}
	case roleNote:
		st.Alignment.WrapText = true
		st.Alignment.Vertical = "top"
	case roleLink:
		st.Font = &excelize.Font{Color: "0563C1", Underline: "single"}
	case roleWrapped:
		st.Alignment.WrapText = true
		st.Alignment.Vertical = "center"
	case roleWrappedLink:
		st.Font = &excelize.Font{Color: "0563C1", Underline: "single"}
		st.Alignment.WrapText = true
		st.Alignment.Vertical = "center"
	}
	return st
}

// displayWidth is the width of s in Excel's column units: East Asian wide and full-width
// characters take two, others one.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// lines is how many lines s wraps to in a column of width w (approximately: Excel wraps at word
// boundaries, which Chinese text hardly has).
func lines(s string, w float64) int {
	n := 0
	for _, part := range strings.Split(s, "\n") {
		n += max(1, int(math.Ceil(float64(displayWidth(part))/max(w-1, 1))))
	}
	return n
}

// rowHeight is the height in points of a row of n lines at the default font size.
func rowHeight(n int) float64 { return 15*float64(n) + 2 }

// maxRowHeight is Excel's limit on a row's height, in points.
const maxRowHeight = 409

// maxSheetName is Excel's limit on a sheet name, in UTF-16 code units.
const maxSheetName = 31

// sheetNames hands out valid, unique sheet names.
type sheetNames struct {
	used map[string]bool // lower-cased: Excel compares sheet names without case
}

func newSheetNames() *sheetNames { return &sheetNames{used: map[string]bool{}} }

// sanitizeSheetName makes s a legal sheet name: the characters Excel forbids become "_", control
// characters are dropped, leading and trailing apostrophes are removed, and the name is cut at 31
// UTF-16 units without splitting a character.
func sanitizeSheetName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r):
			continue
		case strings.ContainsRune(`[]:*?/\`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	name := strings.Trim(b.String(), "' ")
	name = truncateUTF16(name, maxSheetName)
	name = strings.TrimRight(name, "' ")
	if name == "" {
		return "_"
	}
	return name
}

func truncateUTF16(s string, limit int) string {
	n := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 1 {
			w = 1
		}
		if n+w > limit {
			return s[:i]
		}
		n += w
	}
	return s
}

// take returns a unique legal name derived from want; a clash gets a numbered suffix " (2)", " (3)",
// … and the base is shortened to make room for it.
func (n *sheetNames) take(want string) string {
	base := sanitizeSheetName(want)
	name := base
	for k := 2; n.used[strings.ToLower(name)]; k++ {
		suffix := " (" + strconv.Itoa(k) + ")"
		name = strings.TrimRight(truncateUTF16(base, maxSheetName-len(suffix)), "' ") + suffix
	}
	n.used[strings.ToLower(name)] = true
	return name
}

// quoteSheet quotes a sheet name for a reference in a formula or a defined name.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// cellName is the A1 name of (col, row), both 1-based.
func cellName(col, row int) string { return colName(col) + strconv.Itoa(row) }

// colName is the letters of column col, 1-based: A … Z, AA, ….
func colName(col int) string { return string(appendColumnName(nil, col)) }
