package transform

import (
	"slices"
	"unicode/utf8"

	"github.com/govreports/govreports/extract"
)

// Table 3 printed transposed: the applicant columns as rows (自然人 … 总计, one row of 25 numbers
// each) under a header row holding the form's row labels. Read row by row, seven rows of 25 values
// fit nothing. transposeT3 turns such a table back into the form's rows when the header names the
// rows in the form's order, one label per value, and the rows name seven distinct columns; the
// values keep their cells, and the identities check the result like any other table.

// minTransposed is the fewest values a transposed row can have: the 2019 form's 23 rows.
const minTransposed = NumT3Printed - 2

// transposeT3 returns the form's rows of a transposed Table 3 in lines, or rows itself.
func transposeT3(lines []line, rows []logicalRow) []logicalRow {
	// Cheap precheck: no form row has more than seven values.
	wide := false
	for i := range rows {
		wide = wide || len(rows[i].vals) >= minTransposed
	}
	if !wide {
		return rows
	}
	// The value rows: each names one column, all the same width.
	var cols [NumT3Cols]int // the logical row holding each column, +1
	width := 0
	for i := range rows {
		r := &rows[i]
		if len(r.vals) < minTransposed {
			continue
		}
		col, ok := namedColumn(r.label)
		if !ok || cols[col] != 0 || width != 0 && len(r.vals) != width {
			return rows
		}
		cols[col], width = i+1, len(r.vals)
	}
	if slices.Contains(cols[:], 0) {
		return rows
	}
	// The header: a line whose last width cells name the form's rows, in order.
	var labels []labelCell
	for i := range lines {
		if ls, ok := rowLabels(&lines[i], width); ok {
			labels = ls
			break
		}
	}
	if labels == nil {
		return rows
	}
	out := make([]logicalRow, width)
	for j := range out {
		vals := make([]valCell, NumT3Cols)
		for c := range vals {
			vals[c] = rows[cols[c]-1].vals[j]
		}
		out[j] = logicalRow{label: labels[j].text, labelPos: labels[j].pos, vals: vals, lines: 2}
	}
	return out
}

// namedColumn is the Table 3 column a row label names at its end: 自然人, 商业企业, …, 总计. The
// first row's label may carry the header above it, taken for the start of a wrapped label.
func namedColumn(label string) (int, bool) {
	var buf [maxHits]wordHit
	norm := normLabel(label)
	hits := findWords(norm, t3ColWords[:], t3HeaderMask, buf[:0])
	if len(hits) == 0 {
		return 0, false
	}
	h := hits[len(hits)-1]
	// The word ends the label: at most a column name's length (法律服务机构) from its start.
	return h.col, utf8.RuneCountInString(norm[h.at:]) <= 6
}

// labelCell is a header cell naming a row of the form.
type labelCell struct {
	text string
	pos  extract.Pos
}

// rowLabels returns the last n filled cells of a line when they name n rows of Table 3 in the
// form's order.
func rowLabels(ln *line, n int) ([]labelCell, bool) {
	if ln.filled < n {
		return nil, false
	}
	var out []labelCell
	for i := range ln.cells {
		c := &ln.cells[i]
		if !c.Copy && trimSpace(c.Text) != "" {
			out = append(out, labelCell{text: c.Text, pos: c.Pos})
		}
	}
	if len(out) < n {
		return nil, false
	}
	// A row label in front of the n taken: the header names more rows than the values fill, and
	// which of them has no values the line does not say. Taking the last n would give every row
	// before the gap its neighbour's numbers.
	if len(out) > n {
		if _, ok := matchT3Row(out[len(out)-n-1].text, -1); ok {
			return nil, false
		}
	}
	out = out[len(out)-n:]
	last := -1
	for _, l := range out {
		row, ok := matchT3Row(l.text, last)
		if !ok || !t3After(row, last) {
			return nil, false
		}
		last = row
	}
	return out, true
}
