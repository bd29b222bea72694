package extract

// Columns beside a form's numbers that are not part of the form: a remark column (备注, 说明) where
// the filer wrote "含网上申请12件", or a check column (校验, 核对) holding =IF(…,"正确","错误") or
// a control sum. Left in a row, such a cell reads as one value too many and the row's values are
// thrown away, so a grid table loses the column here, once for every format; what the column held
// is kept in a note.

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// asideHeaderRows is how far down a table a remark column's header is looked for: the official
// Table 3 header spans three rows.
const asideHeaderRows = 6

// asideHeader is the header of a column that holds no form values.
var asideHeader = regexp.MustCompile(`^(?:备注|附注|注|说明|备注说明|校验|核对|检查|审核|校核|复核|勾稽)(?:结果|情况|栏|列|说明|关系)?$`)

// isAsideHeader tells a remark or check column's header; spaces and a trailing bracketed remark
// ("校验（自动）") do not count.
func isAsideHeader(s string) bool {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if i := strings.IndexAny(s, "（("); i > 0 && (strings.HasSuffix(s, "）") || strings.HasSuffix(s, ")")) {
		s = s[:i]
	}
	return asideHeader.MatchString(s)
}

// dropAsideColumns removes the remark and check columns from every grid table of doc.
func dropAsideColumns(doc *Document) {
	for i := range doc.Blocks {
		b := &doc.Blocks[i]
		if b.Kind != Table || b.Layout != LayoutGrid {
			continue
		}
		for {
			r, c, ok := asideColumn(b.Rows)
			if !ok {
				break
			}
			doc.Notes = append(doc.Notes, dropColumn(b.Rows, r, c))
		}
	}
}

// asideColumn finds a remark or check column: its header cell is the cell's own text (not the copy
// of a range merged over it), is not merged across further columns (a title "说明" over the whole
// table), and stands right of the label column.
func asideColumn(rows [][]Cell) (row, col int, ok bool) {
	for r := 0; r < len(rows) && r < asideHeaderRows; r++ {
		cells := rows[r]
		for c := 1; c < len(cells); c++ {
			cell := cells[c]
			if cell.Copy || !isAsideHeader(cell.Text) {
				continue
			}
			if c+1 < len(cells) && cells[c+1].Copy && cells[c+1].Text == cell.Text {
				continue
			}
			return r, c, true
		}
	}
	return 0, 0, false
}

// dropColumn removes column c from the header row r down, and above it where the column only
// repeats a range merged over it or is empty; it returns the note that keeps what the column held.
func dropColumn(rows [][]Cell, r, c int) Note {
	header := rows[r][c]
	var held []string
	for i := range rows {
		if c >= len(rows[i]) {
			continue
		}
		cell := rows[i][c]
		if i < r && !cell.Copy && strings.TrimSpace(cell.Text) != "" {
			continue // a label of the rows above, not of this column
		}
		if i > r && !cell.Copy && strings.TrimSpace(cell.Text) != "" {
			held = append(held, cell.Pos.String()+" "+strings.TrimSpace(cell.Text))
		}
		rows[i] = append(rows[i][:c:c], rows[i][c+1:]...)
	}
	what := fmt.Sprintf("the column headed %q holds remarks or checks", header.Text)
	return Note{Pos: header.Pos, Code: "aside-column", Message: asideMessage(what, held)}
}

// asideMessage says that a column was left out of a table and what it held.
func asideMessage(what string, held []string) string {
	msg := what + ", not form values; left out of the table"
	if len(held) > 0 {
		const most = 20
		more := ""
		if len(held) > most {
			more = fmt.Sprintf("; %d more", len(held)-most)
			held = held[:most]
		}
		msg += ": " + strings.Join(held, "; ") + more
	}
	return msg
}

// hasWords tells text that holds a letter or a Han character, as a header does and a number not.
func hasWords(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) }) >= 0
}
