package transform

import (
	"strings"
	"unicode/utf8"

	"github.com/govreports/govreports/extract"
)

// line is the unit tables are read from: a table row, or a paragraph as a one-cell row. Reading
// every format as one stream of lines is what lets one mechanism handle tab-separated text, PDF
// text with wrapped labels, one cell per line, HTML and DOCX grids alike.
type line struct {
	cells []extract.Cell
	para  bool
	level int
	norm  string // normLabel of the whole line, for headings and anchors
	runes int    // length of the line's text in runes
}

func documentLines(doc *extract.Document) []line {
	n := 0
	for i := range doc.Blocks {
		if doc.Blocks[i].Kind == extract.Table {
			n += len(doc.Blocks[i].Rows)
		} else {
			n++
		}
	}
	lines := make([]line, 0, n)
	for i := range doc.Blocks {
		b := &doc.Blocks[i]
		if b.Kind == extract.Table {
			for _, row := range b.Rows {
				lines = append(lines, newLine(row, false, 0))
			}
			continue
		}
		lines = append(lines, newLine([]extract.Cell{{Text: b.Text, Pos: b.Pos}}, true, b.Level))
	}
	return lines
}

func newLine(cells []extract.Cell, para bool, level int) line {
	text := extract.RowText(dedupCopies(cells))
	return line{cells: cells, para: para, level: level, norm: normLabel(text), runes: utf8.RuneCountInString(text)}
}

// dedupCopies drops the copies of merged cells, so a label spanning three grid columns is read once.
func dedupCopies(cells []extract.Cell) []extract.Cell {
	for _, c := range cells {
		if c.Copy {
			out := make([]extract.Cell, 0, len(cells))
			for _, c := range cells {
				if !c.Copy {
					out = append(out, c)
				}
			}
			return out
		}
	}
	return cells
}

// valCell is a cell read as a value.
type valCell struct {
	cell extract.Cell
	p    parsed
}

// splitLine separates a line into its label (the text cells, joined) and its values (every cell
// after the last text cell, blanks included; see trimVals).
func splitLine(ln *line) (label string, labelPos extract.Pos, vals []valCell) {
	cells := ln.cells
	lastLabel := -1
	parsedCells := make([]parsed, len(cells))
	for i, c := range cells {
		if c.Copy {
			continue
		}
		p := parseNumber(c.Text, false, false)
		parsedCells[i] = p
		if p.kind == Text && !isValueLike(p, c.Text) {
			lastLabel = i
		}
	}
	var lb strings.Builder
	for i := 0; i <= lastLabel; i++ {
		c := cells[i]
		t := strings.TrimSpace(c.Text)
		if t == "" || c.Copy && i > 0 && cells[i-1].Text == c.Text {
			continue
		}
		if lb.Len() == 0 {
			labelPos = c.Pos
		} else {
			lb.WriteByte(' ')
		}
		lb.WriteString(t)
	}
	for i := lastLabel + 1; i < len(cells); i++ {
		if !cells[i].Copy {
			vals = append(vals, valCell{cell: cells[i], p: parsedCells[i]})
		}
	}
	return lb.String(), labelPos, vals
}

// trimVals fits the values of one line to a row of want values: blank cells at either end are
// trimmed while there are more than want of them, since layouts pad rows with empty fields (the
// seed's trailing tabs, merged label columns). A line with no non-blank value and fewer than want
// blank ones carries no values at all.
func trimVals(vals []valCell, want int) []valCell {
	for len(vals) > want && vals[len(vals)-1].p.kind == Empty {
		vals = vals[:len(vals)-1]
	}
	for len(vals) > want && vals[0].p.kind == Empty {
		vals = vals[1:]
	}
	if len(vals) < want {
		for _, v := range vals {
			if v.p.kind != Empty {
				return vals
			}
		}
		return nil
	}
	return vals
}

// logicalRow is one row of a table as assembled from one or more lines.
type logicalRow struct {
	label    string
	labelPos extract.Pos
	vals     []valCell
	lines    int // how many lines its values came from
}

// assembler gathers label fragments and values across lines until a row has its values: one line
// in a clean grid, several for wrapped labels or one cell per line.
type assembler struct {
	want    func(label string) int
	pending []string
	pos     extract.Pos
	vals    []valCell
	lines   int
	out     []logicalRow
}

func (a *assembler) feed(ln *line) {
	label, pos, vals := splitLine(ln)
	if label != "" {
		if len(a.vals) > 0 {
			a.flush()
		}
		if len(a.pending) == 0 {
			a.pos = pos
		}
		a.pending = append(a.pending, label)
	}
	want := a.want(strings.Join(a.pending, " "))
	if vals = trimVals(vals, want-len(a.vals)); len(vals) == 0 {
		return
	}
	a.lines++
	if len(a.pending) == 0 && len(a.vals) == 0 {
		a.pos = vals[0].cell.Pos
	}
	a.vals = append(a.vals, vals...)
	if len(a.vals) >= want {
		a.flush()
	}
}

func (a *assembler) flush() {
	if len(a.vals) == 0 {
		return
	}
	a.out = append(a.out, logicalRow{label: strings.Join(a.pending, " "), labelPos: a.pos, vals: a.vals, lines: a.lines})
	a.pending, a.vals, a.lines = nil, nil, 0
}

// finish flushes a last incomplete row; label fragments without values are dropped.
func (a *assembler) finish() []logicalRow {
	a.flush()
	return a.out
}
