package extract

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Excel 2003's "XML Spreadsheet" (SpreadsheetML 2003: Workbook, Worksheet, Table, Row, Cell,
// Data) is what many platforms export, named .xls or .xml. It read as a web page, where a row with
// a blank cell (Cell ss:Index skipping it) lost its columns. Each worksheet is read into the same
// grid as an XLSX sheet, with its merged ranges (ss:MergeAcross, ss:MergeDown), hidden rows and
// columns, formulas without a value and typed cells, and cut into blocks the same way.

const xmlssNamespace = "urn:schemas-microsoft-com:office:spreadsheet"

// isXMLSpreadsheet tells an XML Spreadsheet by its root element; only input that starts with
// markup and names the namespace is looked at.
func isXMLSpreadsheet(data []byte) bool {
	head := bytes.TrimPrefix(data[:min(len(data), 4096)], []byte("\xEF\xBB\xBF"))
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) == 0 || head[0] != '<' || !bytes.Contains(head, []byte(xmlssNamespace)) {
		return false
	}
	d := xml.NewDecoder(bytes.NewReader(head))
	d.Strict = false
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		switch t := tok.(type) {
		case xml.Directive:
			return false
		case xml.StartElement:
			return t.Name.Local == "Workbook" && t.Name.Space == xmlssNamespace
		}
	}
}

// readXMLSpreadsheet reads every worksheet of an XML Spreadsheet.
func readXMLSpreadsheet(ctx context.Context, src Source, data []byte, lim Limits) (*Document, error) {
	wr := &workbookReader{path: src.Path, lim: lim, doc: &Document{Source: src}, built: newBudget(lim)}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	count := 0
	var (
		sheet      *sheetEntry
		meta       *sheetMeta
		row, col   int // the current row, and the last column used in it
		inCell     bool
		inData     int // depth inside ss:Data; 0 outside
		cellText   strings.Builder
		cellType   string
		cellFormed bool // the cell has ss:Formula
		cells      int
	)
	attrOf := func(se xml.StartElement, local string) string {
		for _, a := range se.Attr {
			if a.Name.Local == local && (a.Name.Space == xmlssNamespace || a.Name.Space == "") {
				return a.Value
			}
		}
		return ""
	}
	atoi := func(s string) int {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	for {
		tok, err := ooxmlToken(ctx, src.Path, "", d, &count)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if inData > 0 {
				inData++ // rich text (html:Font, html:B) inside the value
				continue
			}
			switch t.Name.Local {
			case "Worksheet":
				sheet = &sheetEntry{name: attrOf(t, "Name"), visible: true}
				meta = &sheetMeta{}
				row = 0
			case "Column":
				if meta == nil {
					continue
				}
				if i := atoi(attrOf(t, "Index")); i > 0 {
					col = i
				} else {
					col++
				}
				span := atoi(attrOf(t, "Span"))
				if h := attrOf(t, "Hidden"); h == "1" || h == "true" {
					meta.hiddenCols = append(meta.hiddenCols, [2]int{col, col + span})
				}
				col += span
			case "Row":
				if meta == nil {
					continue
				}
				if i := atoi(attrOf(t, "Index")); i > 0 {
					row = i
				} else {
					row++
				}
				if lim.MaxRows > 0 && row > lim.MaxRows {
					return nil, Errorf(src.Path, Pos{Sheet: sheet.name, Row: row, Col: 1}.String(), ErrLimit,
						"sheet %q has a row beyond the limit of %d rows (raise --max-rows to read it)", sheet.name, lim.MaxRows)
				}
				h := attrOf(t, "Hidden")
				meta.rows = append(meta.rows, sheetRow{num: row, hidden: h == "1" || h == "true"})
				col = 0
			case "Cell":
				if meta == nil || len(meta.rows) == 0 || meta.rows[len(meta.rows)-1].num != row {
					continue // a cell outside a row: nothing to place it in
				}
				if i := atoi(attrOf(t, "Index")); i > 0 && i > col {
					col = i
				} else {
					col++
				}
				if cells++; lim.MaxCells > 0 && cells > lim.MaxCells {
					return nil, Errorf(src.Path, Pos{Sheet: sheet.name, Row: row, Col: col}.String(), ErrLimit,
						"more than %d cells (raise --max-cells to read it)", lim.MaxCells)
				}
				across, down := atoi(attrOf(t, "MergeAcross")), atoi(attrOf(t, "MergeDown"))
				if across > maxGridColumns || down > maxGridColumns {
					return nil, Errorf(src.Path, Pos{Sheet: sheet.name, Row: row, Col: col}.String(), ErrLimit, "a merged range larger than a sheet")
				}
				if across > 0 || down > 0 {
					if len(meta.merges) == maxMergedRanges {
						return nil, Errorf(src.Path, Pos{Sheet: sheet.name}.String(), ErrLimit, "more than %d merged ranges, more than a report sheet has", maxMergedRanges)
					}
					meta.merges = append(meta.merges, [4]int{col, row, col + across, row + down})
				}
				inCell, cellType, cellFormed = true, "", attrOf(t, "Formula") != ""
				cellText.Reset()
				meta.rows[len(meta.rows)-1].vals = padTo(meta.rows[len(meta.rows)-1].vals, col)
			case "Data":
				if inCell {
					inData, cellType = 1, attrOf(t, "Type")
				}
			}
		case xml.CharData:
			if inData > 0 {
				if !wr.built.spend(int64(len(t))) {
					return nil, wr.built.exceeded(Pos{Sheet: sheet.name, Row: row, Col: col}.String(), fmt.Sprintf("sheet %q", sheet.name))
				}
				cellText.Write(t)
			}
		case xml.EndElement:
			if inData > 0 {
				inData--
				continue
			}
			switch t.Name.Local {
			case "Cell":
				if !inCell {
					continue
				}
				inCell = false
				r := &meta.rows[len(meta.rows)-1]
				v := cellText.String()
				at := cellRef{row, col}
				switch cellType {
				case "Boolean":
					meta.typed = append(meta.typed, typedCell{at, "b"})
				case "Error":
					meta.typed = append(meta.typed, typedCell{at, "e"})
				case "DateTime":
					meta.typed = append(meta.typed, typedCell{at, "d"})
				case "Number":
					if isNoisyNumber(strings.TrimSpace(v)) {
						if meta.numeric == nil {
							meta.numeric = map[cellRef]bool{}
						}
						meta.numeric[at] = true
					}
				case "":
					if cellFormed {
						meta.noCache = append(meta.noCache, formulaCell{cellRef: at, formula: "…"})
					}
				}
				r.vals[col-1] = v
				// A merged cell takes its columns: the next cell without an index follows them.
				for _, m := range meta.merges {
					if m[0] == col && m[1] == row {
						col = m[2]
					}
				}
			case "Worksheet":
				if meta != nil && sheet != nil {
					if err := wr.readSheet(ctx, *sheet, meta); err != nil {
						return nil, err
					}
				}
				sheet, meta = nil, nil
			}
		}
	}
	if len(wr.doc.Blocks) == 0 {
		return nil, Errorf(src.Path, "", ErrNoContent, "no worksheet holds any text or number")
	}
	return wr.doc, nil
}

// padTo grows vals to hold column col (1-based).
func padTo(vals []string, col int) []string {
	for len(vals) < col {
		vals = append(vals, "")
	}
	return vals
}
