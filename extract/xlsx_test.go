package extract

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/govreports/govreports/fixtures/gen/xlsxgen"
	"github.com/xuri/excelize/v2"
)

// -update is registered by whichever test file of the package gets there first.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata/")
	}
}

func xlsxUpdating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// ---- building workbooks ----

func xlsxSeed(t testing.TB) *xlsxgen.Report {
	t.Helper()
	rs, err := xlsxgen.LoadReports(filepath.Join("testdata", "xlsx", "seed.expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	return rs[0]
}

func xlsxBytes(t testing.TB, f *excelize.File) []byte {
	t.Helper()
	data, err := xlsxgen.Bytes(f)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// xlsxEditSheets rewrites every worksheet part of a saved workbook.
func xlsxEditSheets(t testing.TB, data []byte, edit func(string) string) []byte {
	t.Helper()
	out, err := xlsxgen.RewriteParts(data, func(name string, b []byte) []byte {
		if strings.HasPrefix(name, "xl/worksheets/") {
			return []byte(edit(string(b)))
		}
		return b
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// xlsxSetStored replaces the stored value of cell ref ("J52"), keeping its formula if any; an
// empty value removes the cached value altogether.
func xlsxSetStored(t testing.TB, data []byte, ref, value string) []byte {
	t.Helper()
	re := regexp.MustCompile(`(<c r="` + ref + `"[^>]*>(?:<f>[^<]*</f>)?)<v>[^<]*</v>`)
	n := 0
	out := xlsxEditSheets(t, data, func(s string) string {
		return re.ReplaceAllStringFunc(s, func(m string) string {
			n++
			head := re.FindStringSubmatch(m)[1]
			if value == "" {
				return head
			}
			return head + "<v>" + value + "</v>"
		})
	})
	if n != 1 {
		t.Fatalf("cell %s: %d stored values replaced, want 1", ref, n)
	}
	return out
}

// grid is a small sheet for table-driven tests: rows of cell texts ("" for none) and merged ranges.
type grid struct {
	rows   [][]any
	merges []string // "A1:C1"
}

func (g grid) file(t testing.TB, sheet string, f *excelize.File) {
	t.Helper()
	for r, row := range g.rows {
		for c, v := range row {
			if v == "" || v == nil {
				continue
			}
			if err := f.SetCellValue(sheet, ColumnName(c+1)+fmt.Sprint(r+1), v); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// bytes saves the grid as a workbook. Merged ranges are written into the sheet XML directly:
// excelize's MergeCell fills in every cell of a range, and some tests merge a whole sheet.
func (g grid) bytes(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	g.file(t, "Sheet1", f)
	data := xlsxBytes(t, f)
	if len(g.merges) == 0 {
		return data
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<mergeCells count="%d">`, len(g.merges))
	for _, m := range g.merges {
		fmt.Fprintf(&b, `<mergeCell ref="%s"/>`, m)
	}
	b.WriteString(`</mergeCells>`)
	return xlsxEditSheets(t, data, func(s string) string {
		return strings.Replace(s, "</sheetData>", "</sheetData>"+b.String(), 1)
	})
}

func readXLSXBytes(t testing.TB, data []byte, lim Limits) *Document {
	t.Helper()
	doc, err := Read(context.Background(), "test.xlsx", data, lim)
	if err != nil {
		t.Fatal(err)
	}
	checkXLSXDocument(t, doc, lim)
	return doc
}

// ---- invariants ----

// checkXLSXDocument asserts what every document from a workbook must satisfy: every cell and
// block names its sheet, row and column; a table's rows are consecutive sheet rows over the same
// consecutive columns; a copy repeats text; no more cells than the limit.
func checkXLSXDocument(t testing.TB, doc *Document, lim Limits) {
	t.Helper()
	if doc.Source.Format != FormatXLSX && doc.Source.Format != "" {
		t.Errorf("format %q", doc.Source.Format)
	}
	cells := 0
	for i, b := range doc.Blocks {
		if b.Pos.Sheet == "" || b.Pos.Row < 1 || b.Pos.Col < 1 {
			t.Fatalf("block %d has no cell position: %+v", i, b.Pos)
		}
		switch b.Kind {
		case Paragraph:
			if b.Text == "" || b.Text != strings.TrimSpace(b.Text) {
				t.Fatalf("block %d: paragraph text %q", i, b.Text)
			}
		case Table:
			if len(b.Rows) == 0 || b.Layout != LayoutGrid {
				t.Fatalf("block %d: table with %d rows, layout %q", i, len(b.Rows), b.Layout)
			}
			for r, row := range b.Rows {
				if len(row) != len(b.Rows[0]) {
					t.Fatalf("block %d row %d: %d cells, first row has %d", i, r, len(row), len(b.Rows[0]))
				}
				for c, cell := range row {
					cells++
					// Consecutive columns, but for those left out of the table (a remark column, a
					// hidden one): the same columns in every row, increasing.
					want := Pos{Sheet: b.Pos.Sheet, Row: b.Pos.Row + r, Col: b.Rows[0][c].Pos.Col}
					if r == 0 && (c == 0 && cell.Pos.Col < b.Pos.Col || c > 0 && cell.Pos.Col <= row[c-1].Pos.Col) {
						t.Fatalf("block %d cell (%d,%d) at %s: columns out of order", i, r, c, cell.Pos)
					}
					if cell.Pos != want {
						t.Fatalf("block %d cell (%d,%d) at %s, want %s", i, r, c, cell.Pos, want)
					}
					if cell.Copy && cell.Text == "" {
						t.Fatalf("%s: an empty copy", cell.Pos)
					}
					if cell.Text != strings.TrimSpace(cell.Text) {
						t.Fatalf("%s: untrimmed %q", cell.Pos, cell.Text)
					}
				}
			}
		default:
			t.Fatalf("block %d: kind %d", i, b.Kind)
		}
	}
	if lim.MaxCells > 0 && cells > lim.MaxCells {
		t.Fatalf("%d cells, limit %d", cells, lim.MaxCells)
	}
	for _, n := range doc.Notes {
		if n.Pos.Sheet == "" || n.Code == "" || n.Message == "" {
			t.Fatalf("note without place, code or message: %+v", n)
		}
	}
}

// renderXLSX prints a document for golden files: a line per paragraph, per table row (with the
// row's first cell position; copies marked with *) and per note.
func renderXLSX(doc *Document) string {
	var b strings.Builder
	for _, blk := range doc.Blocks {
		if blk.Kind == Paragraph {
			fmt.Fprintf(&b, "P %s %s\n", blk.Pos, blk.Text)
			continue
		}
		fmt.Fprintf(&b, "T %s %d×%d\n", blk.Pos, len(blk.Rows), len(blk.Rows[0]))
		for _, row := range blk.Rows {
			fmt.Fprintf(&b, "  %s", row[0].Pos)
			for _, c := range row {
				b.WriteString(" |")
				if c.Copy {
					b.WriteByte('*')
				}
				b.WriteString(c.Text)
			}
			b.WriteByte('\n')
		}
	}
	for _, n := range doc.Notes {
		fmt.Fprintf(&b, "N %s %s: %s\n", n.Pos, n.Code, n.Message)
	}
	return b.String()
}

func xlsxGolden(t *testing.T, name string, doc *Document) {
	t.Helper()
	path := filepath.Join("testdata", "xlsx", name+".golden")
	got := renderXLSX(doc)
	if xlsxUpdating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./extract -run %s -update)", err, t.Name())
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run with -update if intended)", path, i+1, g, w)
			}
		}
	}
}

// cellAt finds the cell at a sheet reference in the document's tables.
func xlsxCell(t testing.TB, doc *Document, at string) Cell {
	t.Helper()
	for _, b := range doc.Blocks {
		for _, row := range b.Rows {
			for _, c := range row {
				if c.Pos.String() == at {
					return c
				}
			}
		}
	}
	t.Fatalf("no table cell at %s", at)
	return Cell{}
}

func xlsxParagraphs(doc *Document) []string {
	var out []string
	for _, b := range doc.Blocks {
		if b.Kind == Paragraph {
			out = append(out, b.Pos.String()+" "+b.Text)
		}
	}
	return out
}

func xlsxNotes(doc *Document) []string {
	var out []string
	for _, n := range doc.Notes {
		out = append(out, n.Pos.String()+" "+n.Code)
	}
	return out
}

// ---- the official form ----

// seedWorkbook is the seed report on one sheet as the official form, with what real workbooks
// add: formula totals with cached values (one without), values stored as text, binary noise in
// a stored number, a hidden row and column, and an instruction sheet.
func seedWorkbook(t testing.TB) ([]byte, xlsxgen.Cells) {
	t.Helper()
	r := xlsxSeed(t)
	f, cells, err := xlsxgen.WriteForm(r, xlsxgen.FormOptions{
		Sheets: []string{"年度报告"}, FormulaTotals: true, Instructions: true,
		TextRows: []string{"table3.carried_over", "table2.normative_documents"},
	})
	if err != nil {
		t.Fatal(err)
	}
	cellOf := func(path string) string { _, c, _ := strings.Cut(cells[path], "!"); return c }
	row := func(path string) int {
		_, n, err := excelize.SplitCellName(cellOf(path))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := f.SetRowVisible("年度报告", row("table3.withheld_law_prohibited.total"), false); err != nil {
		t.Fatal(err)
	}
	if err := f.SetColVisible("年度报告", "O", false); err != nil {
		t.Fatal(err)
	}
	data := xlsxBytes(t, f)
	data = xlsxSetStored(t, data, cellOf("table3.carried_forward.total"), "")                // formula, no cached value
	data = xlsxSetStored(t, data, cellOf("table3.new_received.total"), "56.000000000000007") // cached value with noise
	data = xlsxSetStored(t, data, cellOf("table2.licensing.decisions"), "67.999999999999986")
	return data, cells
}

func TestReadXLSXSeedForm(t *testing.T) {
	data, cells := seedWorkbook(t)
	doc := readXLSXBytes(t, data, DefaultLimits())
	xlsxGolden(t, "seed-form", doc)

	// Headings, the title and the narrative are paragraphs, in sheet order; the instruction sheet
	// comes last.
	paras := xlsxParagraphs(doc)
	for i, want := range []string{
		"年度报告!A1 平顶山市城乡一体化示范区2024年政府信息公开工作年度报告",
		"年度报告!A3 一、总体情况",
	} {
		if paras[i] != want {
			t.Errorf("paragraph %d = %q, want %q", i, paras[i], want)
		}
	}
	for _, h := range []string{"section.2", "section.3", "section.4", "section.5", "section.6"} {
		found := false
		for _, p := range paras {
			found = found || strings.HasPrefix(p, cells[h]+" ")
		}
		if !found {
			t.Errorf("heading %s at %s is not a paragraph", h, cells[h])
		}
	}
	if last := paras[len(paras)-1]; !strings.HasPrefix(last, "填报说明!A4 ") {
		t.Errorf("last paragraph %q, want the instruction sheet's", last)
	}

	// Three tables, their block headings inside Table 2, at the official widths.
	var shapes []string
	for _, b := range doc.Blocks {
		if b.Kind == Table {
			shapes = append(shapes, fmt.Sprintf("%s %d×%d", b.Pos, len(b.Rows), len(b.Rows[0])))
		}
	}
	if want := []string{"年度报告!A8 14×4", "年度报告!A24 28×10", "年度报告!A54 4×15"}; strings.Join(shapes, ", ") != strings.Join(want, ", ") {
		t.Errorf("tables %v, want %v", shapes, want)
	}

	for _, tc := range []struct {
		at   string
		text string
		copy bool
	}{
		{"年度报告!A8", "第二十条第（一）项", false}, // block heading merged over the table
		{"年度报告!D8", "第二十条第（一）项", true},
		{"年度报告!C24", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", true},
		{"年度报告!A26", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", true},
		{"年度报告!D25", "自然人", false},
		{"年度报告!D26", "自然人", true}, // merged down
		{"年度报告!I26", "其他", false},
		{"年度报告!A29", "三、本年度办理结果", false},
		{"年度报告!A50", "三、本年度办理结果", true},
		{"年度报告!B32", "（三）不予公开", true},
		{cells["table3.new_received.natural_person"], "42", false},
		{cells["table3.new_received.total"], "56", false},    // noise rounded away
		{cells["table3.carried_over.total"], "1", false},     // stored as text
		{cells["table3.total_processed.total"], "57", false}, // formula with cached value
		{cells["table3.carried_forward.total"], "0", false},  // formula without one: computed
		{cells["table2.licensing.decisions"], "68", false},
		{"年度报告!C14", "68", true},
		{cells["table2.normative_documents.in_force"], "9", false},
		{cells["table4.review.corrected"], "1", false},
		{cells["table3.withheld_law_prohibited.total"], "0", false}, // in the hidden row
	} {
		c := xlsxCell(t, doc, tc.at)
		if c.Text != tc.text || c.Copy != tc.copy {
			t.Errorf("%s = %q copy=%v, want %q copy=%v", tc.at, c.Text, c.Copy, tc.text, tc.copy)
		}
	}

	hiddenRow := strings.Replace(cells["table3.withheld_law_prohibited.total"], "!J", "!A", 1)
	noCache := cells["table3.carried_forward.total"]
	wantNotes := []string{noCache + " formula-computed", hiddenRow + " hidden-row", "年度报告!O1 hidden-column"}
	if got := xlsxNotes(doc); strings.Join(got, "; ") != strings.Join(wantNotes, "; ") {
		t.Errorf("notes %v, want %v", got, wantNotes)
	}
	row := strings.TrimPrefix(noCache, "年度报告!J")
	if msg := doc.Notes[0].Message; !strings.Contains(msg, "=SUM(D"+row+":I"+row+")") {
		t.Errorf("formula note %q does not quote the formula", msg)
	}
}

func TestReadXLSXSheets(t *testing.T) {
	r := xlsxSeed(t)
	f, _, err := xlsxgen.WriteForm(r, xlsxgen.FormOptions{Sheets: []string{"报告", "表二", "表三", "表四"}, Compact: true, Instructions: true})
	if err != nil {
		t.Fatal(err)
	}
	doc := readXLSXBytes(t, xlsxBytes(t, f), DefaultLimits())
	xlsxGolden(t, "sheets", doc)
	var got []string
	for _, b := range doc.Blocks {
		kind := "P"
		if b.Kind == Table {
			kind = fmt.Sprintf("T%d×%d", len(b.Rows), len(b.Rows[0]))
		}
		got = append(got, b.Pos.String()+" "+kind)
	}
	want := []string{
		"报告!A1 P", "报告!A3 P", "报告!A4 P", "报告!A5 P",
		"表二!A1 P", "表二!A2 T14×4",
		"表三!A1 P", "表三!A2 T28×10",
		"表四!A1 P", "表四!A2 T4×15", "表四!A7 P", "表四!A8 P", "表四!A10 P", "表四!A11 P",
		"填报说明!A1 P", "填报说明!A2 P", "填报说明!A3 P", "填报说明!A4 P",
	}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("blocks\n got %v\nwant %v", got, want)
	}
	if len(doc.Notes) != 0 {
		t.Errorf("notes %v, want none", xlsxNotes(doc))
	}
}

// TestReadXLSXBlocks pins down how a sheet is cut into paragraphs and tables.
func TestReadXLSXBlocks(t *testing.T) {
	for _, tc := range []struct {
		name string
		g    grid
		want []string // "P A1 text" or "T A3 2×3"
	}{
		{"blank row ends a table",
			grid{rows: [][]any{{"a", 1}, {"b", 2}, {}, {"c", 3}}},
			[]string{"T A1 2×2", "T A4 1×2"}},
		{"heading between tables of different widths",
			grid{rows: [][]any{{"规章", 0, 0, 0}, {"二、标题"}, {"x", 1, 2, 3, 4, 5, 6}}},
			[]string{"T A1 1×4", "P A2 二、标题", "T A3 1×7"}},
		{"label row with blank values stays in the table",
			grid{rows: [][]any{{"信息内容", "本年制发件数", "本年废止件数"}, {"规章"}, {"行政规范性文件", 1, 2}}},
			[]string{"T A1 3×3"}},
		{"caption merged over the table's columns belongs to it",
			grid{rows: [][]any{{"二、主动公开"}, {"第二十条第（一）项"}, {"信息内容", "本年制发件数", "本年废止件数"}, {"规章", 0, 0}},
				merges: []string{"A2:C2"}},
			[]string{"P A1 二、主动公开", "T A2 3×3"}},
		{"heading merged wider than the table is a paragraph",
			grid{rows: [][]any{{"三、收到和处理"}, {"a", 1, 2}}, merges: []string{"A1:E1"}},
			[]string{"P A1 三、收到和处理", "T A2 1×3"}},
		{"title merged over two rows is one paragraph",
			grid{rows: [][]any{{"标题"}, {}, {"正文"}}, merges: []string{"A1:F2"}},
			[]string{"P A1 标题", "P A3 正文"}},
		{"a table that starts in column C",
			grid{rows: [][]any{{"", "", "a", "b"}, {"", "", 1, 2}}},
			[]string{"T C1 2×2"}},
		{"a note under a table",
			grid{rows: [][]any{{"a", "b"}, {1, 2}, {"注：单位为件"}}},
			[]string{"T A1 2×2", "P A3 注：单位为件"}},
		{"a merge reaching far past the used range is clipped",
			grid{rows: [][]any{{"x", "y"}}, merges: []string{"B1:XFD1048576"}},
			[]string{"T A1 1×2"}},
		{"merged label cell spanning rows keeps the table whole",
			grid{rows: [][]any{{"三、本年度办理结果", "（一）予以公开", 1}, {"", "（二）部分公开", 2}}, merges: []string{"A1:A2"}},
			[]string{"T A1 2×3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := readXLSXBytes(t, tc.g.bytes(t), DefaultLimits())
			var got []string
			for _, b := range doc.Blocks {
				at := strings.TrimPrefix(b.Pos.String(), "Sheet1!")
				if b.Kind == Paragraph {
					got = append(got, "P "+at+" "+b.Text)
				} else {
					got = append(got, fmt.Sprintf("T %s %d×%d", at, len(b.Rows), len(b.Rows[0])))
				}
			}
			if strings.Join(got, "; ") != strings.Join(tc.want, "; ") {
				t.Errorf("blocks %q, want %q", got, tc.want)
			}
		})
	}
}

// TestReadXLSXValues checks that stored values are emitted plainly: no display format applied,
// float noise removed, text kept as typed, whitespace folded like the text reader's.
func TestReadXLSXValues(t *testing.T) {
	f := excelize.NewFile()
	set := func(cell string, v any, numFmt int) {
		t.Helper()
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
		if numFmt != 0 {
			style, err := f.NewStyle(&excelize.Style{NumFmt: numFmt})
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle("Sheet1", cell, cell, style); err != nil {
				t.Fatal(err)
			}
		}
	}
	set("A1", "标签", 0)
	set("B1", 0.25, 9)    // 0%
	set("C1", 1234567, 3) // #,##0
	set("D1", 7730.28, 4) // #,##0.00
	set("E1", "0056", 0)  // text that looks like a number
	set("F1", "7730.2800000000007", 0)
	set("G1", "\u00a0本年\u3000新收\u200b ", 0)
	set("H1", "本年新\n制作数量", 0)
	set("I1", 1e-7, 0)
	set("J1", -3, 0)
	data := xlsxSetStored(t, xlsxBytes(t, f), "D1", "7730.2800000000007")
	doc := readXLSXBytes(t, data, DefaultLimits())
	want := []string{"标签", "0.25", "1234567", "7730.28", "0056", "7730.2800000000007", "本年 新收", "本年新 制作数量", "0.0000001", "-3"}
	row := doc.Blocks[0].Rows[0]
	for i, w := range want {
		if row[i].Text != w {
			t.Errorf("%s = %q, want %q", row[i].Pos, row[i].Text, w)
		}
	}
}

// TestReadXLSXCommentsAndHiddenSheet: a cell comment is not text of the report; a hidden sheet is
// read and noted.
func TestReadXLSXCommentsAndHiddenSheet(t *testing.T) {
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "行政许可")
	f.SetCellValue("Sheet1", "B1", 68)
	if err := f.AddComment("Sheet1", excelize.Comment{Cell: "B1", Author: "审核人", Paragraph: []excelize.RichTextRun{{Text: "请核对此数"}}}); err != nil {
		t.Fatal(err)
	}
	f.NewSheet("隐藏")
	f.SetCellValue("隐藏", "A1", "辅助计算")
	if err := f.SetSheetVisible("隐藏", false); err != nil {
		t.Fatal(err)
	}
	doc := readXLSXBytes(t, xlsxBytes(t, f), DefaultLimits())
	got := renderXLSX(doc)
	want := "T Sheet1!A1 1×2\n  Sheet1!A1 |行政许可 |68\nP 隐藏!A1 辅助计算\nN 隐藏 hidden-sheet: the sheet is hidden; read anyway\n"
	if got != want {
		t.Errorf("document\n%s\nwant\n%s", got, want)
	}
}

func TestPlainNumber(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"56", "56", true},
		{"55.999999999999993", "56", true},
		{"56.000000000000007", "56", true},
		{"7730.2800000000007", "7730.28", true},
		{"96171.6", "96171.6", true},
		{"0.1", "0.1", true},
		{"1E-3", "0.001", true},
		{"4.4722800000000003E+5", "447228", true},
		{"-0", "0", true},
		{"123456789012345678", "123456789012346000", true},
		{"abc", "abc", false},
		{"1e400", "1e400", false},
	} {
		got, ok := plainNumber(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("plainNumber(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// Only the ".0" of a float's text form goes; every other text stays as written.
func TestFloatArtifact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"31984.0", "31984"},
		{"-3.0", "-3"},
		{"0.0", "0"},
		{"-0.0", "0"},
		{"1234567890123456.0", "1234567890123456"},
		{"12345678901234567.0", "12345678901234567.0"}, // beyond what str() of a float writes
		{"12.5", "12.5"},
		{"12.00", "12.00"},
		{"10", "10"},
		{"0056.0", "0056.0"},
		{".0", ".0"},
		{"-.0", "-.0"},
		{"1,234.0", "1,234.0"},
		{"第3.0", "第3.0"},
		{"7730.2800000000007", "7730.2800000000007"},
	} {
		if got := floatArtifact(tc.in); got != tc.want {
			t.Errorf("floatArtifact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// ---- bad input ----

// rawZip builds a zip whose entries are given as they should be stored, for packages excelize
// would not write.
type rawEntry struct {
	name      string
	data      []byte
	sizeLie   uint64 // when set, the uncompressed size the headers declare
	encrypted bool
}

func rawZip(t testing.TB, entries []rawEntry) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, e := range entries {
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestCompression)
		fw.Write(e.data)
		fw.Close()
		fh := &zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(e.data),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(len(e.data))}
		if e.sizeLie > 0 {
			fh.UncompressedSize64 = e.sizeLie
		}
		if e.encrypted {
			fh.Flags |= 0x1
		}
		w, err := zw.CreateRaw(fh)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// partsOf lists the parts of a workbook excelize wrote, as raw entries.
func partsOf(t testing.TB, data []byte) []rawEntry {
	t.Helper()
	var out []rawEntry
	_, err := xlsxgen.RewriteParts(data, func(name string, b []byte) []byte {
		out = append(out, rawEntry{name: name, data: append([]byte(nil), b...)})
		return b
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// billionLaughs is shared strings whose one string expands to 10⁹ "lol"s through nested entities.
var billionLaughs = func() string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">")
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := fmt.Sprintf("lol%d", i)
		fmt.Fprintf(&b, "<!ENTITY %s \"%s\">", name, strings.Repeat("&"+prev+";", 10))
		prev = name
	}
	b.WriteString(`]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>`)
	return b.String()
}()

func TestReadXLSXBadInput(t *testing.T) {
	small := grid{rows: [][]any{{"a", 1}}}.bytes(t)
	parts := partsOf(t, small)
	withPart := func(name string, edit func(rawEntry) rawEntry) []byte {
		var es []rawEntry
		for _, e := range parts {
			if e.name == name {
				e = edit(e)
			}
			es = append(es, e)
		}
		return rawZip(t, es)
	}
	bigSheet := func(rows int) []byte {
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		for r := 1; r <= rows; r++ {
			cell, _ := excelize.CoordinatesToCellName(1, r)
			if err := sw.SetRow(cell, []any{"单位", r, r, r}); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
		return xlsxBytes(t, f)
	}
	manyMerges := xlsxEditSheets(t, small, func(s string) string {
		var b strings.Builder
		b.WriteString(`<mergeCells count="6000">`)
		for i := 1; i <= 6000; i++ {
			fmt.Fprintf(&b, `<mergeCell ref="A%d:B%d"/>`, i+10, i+10)
		}
		b.WriteString(`</mergeCells>`)
		return strings.Replace(s, "</sheetData>", "</sheetData>"+b.String(), 1)
	})
	twoSheets := func() []byte {
		f := excelize.NewFile()
		for _, sheet := range []string{"Sheet1", "Sheet2"} {
			if sheet != "Sheet1" {
				f.NewSheet(sheet)
			}
			for r := 1; r <= 25; r++ {
				f.SetSheetRow(sheet, fmt.Sprintf("A%d", r), &[]any{"单位", r, r, r})
			}
		}
		return xlsxBytes(t, f)
	}()
	encrypted := func() []byte {
		f := excelize.NewFile()
		f.SetCellValue("Sheet1", "A1", "x")
		var buf bytes.Buffer
		if err := f.Write(&buf, excelize.Options{Password: "secret"}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()

	for _, tc := range []struct {
		name   string
		data   []byte
		lim    Limits
		cause  error
		place  string // a substring of the error's place
		detail string // a substring of the message
	}{
		{"declared sizes beyond the limit (zip bomb)", withPart("xl/worksheets/sheet1.xml", func(e rawEntry) rawEntry {
			e.data = append(e.data, bytes.Repeat([]byte(" "), 4<<20)...)
			return e
		}), Limits{MaxUncompressed: 1 << 20}, ErrLimit, "xl/worksheets/sheet1.xml", "uncompressed"},
		{"a part larger than its header says", withPart("xl/worksheets/sheet1.xml", func(e rawEntry) rawEntry {
			e.sizeLie = 40
			return e
		}), DefaultLimits(), ErrCorrupt, "xl/worksheets/sheet1.xml", "inflates to more than the 40 bytes its header declares"},
		{"a part smaller than its header says", withPart("xl/worksheets/sheet1.xml", func(e rawEntry) rawEntry {
			e.sizeLie = uint64(len(e.data)) + 100
			return e
		}), DefaultLimits(), ErrCorrupt, "xl/worksheets/sheet1.xml", "bytes its header declares"},
		{"billion laughs in the shared strings", withPart("xl/sharedStrings.xml", func(e rawEntry) rawEntry {
			e.data = []byte(billionLaughs)
			return e
		}), DefaultLimits(), ErrCorrupt, "xl/sharedStrings.xml line 2", "entity bomb"},
		{"malformed shared strings", withPart("xl/sharedStrings.xml", func(e rawEntry) rawEntry {
			e.data = bytes.Replace(e.data, []byte("</si>"), []byte("</sx>"), 1)
			return e
		}), DefaultLimits(), ErrCorrupt, "xl/sharedStrings.xml line 2", "shared strings"},
		{"rows beyond MaxRows", bigSheet(5000), Limits{MaxRows: 1000}, ErrLimit, "Sheet1!A1001", "1000 rows"},
		{"cells beyond MaxCells", bigSheet(100), Limits{MaxCells: 150}, ErrLimit, "Sheet1!C38", "150 cells"},
		{"cells beyond MaxCells over two sheets", twoSheets, Limits{MaxCells: 150}, ErrLimit, "Sheet2!A", "150 cells"},
		{"merged copies count as cells", grid{rows: [][]any{{"x"}, {}, {}, {"", "", "", "y"}}, merges: []string{"A1:D3"}}.bytes(t),
			Limits{MaxCells: 8}, ErrLimit, "Sheet1!A", "8 cells"},
		{"too many merged ranges", manyMerges, DefaultLimits(), ErrLimit, "xl/worksheets/sheet1.xml", "merged ranges"},
		{"encrypted workbook", encrypted, DefaultLimits(), ErrEncrypted, "", "encrypted"},
		{"encrypted zip entry", withPart("xl/workbook.xml", func(e rawEntry) rawEntry {
			e.encrypted = true
			return e
		}), DefaultLimits(), ErrEncrypted, "xl/workbook.xml", "encrypted"},
		{"truncated", small[:len(small)/2], DefaultLimits(), ErrCorrupt, "", ""},
		{"malformed sheet XML", withPart("xl/worksheets/sheet1.xml", func(e rawEntry) rawEntry {
			e.data = bytes.Replace(e.data, []byte("</sheetData>"), nil, 1)
			return e
		}), DefaultLimits(), ErrCorrupt, "xl/worksheets/sheet1.xml line 2", "sheet \"Sheet1\": malformed XML"},
		{"malformed workbook part", withPart("xl/workbook.xml", func(e rawEntry) rawEntry {
			e.data = bytes.Replace(e.data, []byte("<sheets>"), []byte("<sheets"), 1)
			return e
		}), DefaultLimits(), ErrCorrupt, "", "workbook"},
		{"no sheet holds anything", grid{}.bytes(t), DefaultLimits(), ErrNoContent, "", "no sheet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(context.Background(), "bad.xlsx", tc.data, tc.lim)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want an *Error", err, err)
			}
			if !errors.Is(err, tc.cause) {
				t.Errorf("error %v, want cause %v", err, tc.cause)
			}
			if e.Path != "bad.xlsx" || !strings.Contains(e.Place, tc.place) || !strings.Contains(err.Error(), tc.detail) {
				t.Errorf("error %q: want path bad.xlsx, place containing %q, message containing %q", err, tc.place, tc.detail)
			}
			// The reader refuses the same bytes when called directly, not only through Read.
			if _, err := readXLSX(context.Background(), Source{Path: "bad.xlsx"}, tc.data, tc.lim); !errors.Is(err, tc.cause) {
				t.Errorf("readXLSX: %v, want cause %v", err, tc.cause)
			}
		})
	}
}

// TestReadXLSXCSV: a CSV file named .xlsx is text to Detect, and the XLSX reader refuses it as a
// corrupt zip rather than guessing.
func TestReadXLSXCSV(t *testing.T) {
	csv := []byte("单位名称,本年新收-自然人,本年新收-总计\n样例局,3,5\n")
	if f, err := Detect(csv); err != nil || f != FormatText {
		t.Errorf("Detect = %q, %v; want text", f, err)
	}
	_, err := readXLSX(context.Background(), Source{Path: "data.xlsx"}, csv, DefaultLimits())
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrCorrupt) || e.Path != "data.xlsx" || e.Place == "" {
		t.Errorf("readXLSX(csv) = %v, want ErrCorrupt naming data.xlsx and the zip directory", err)
	}
}

func TestReadXLSXCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data, _ := seedWorkbook(t)
	if _, err := readXLSX(ctx, Source{Path: "x.xlsx"}, data, DefaultLimits()); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// ---- fuzzing and speed ----

// firstSheetXML returns the part xl/worksheets/sheet1.xml of a workbook.
func firstSheetXML(t testing.TB, data []byte) []byte {
	t.Helper()
	var sheet []byte
	if _, err := xlsxgen.RewriteParts(data, func(name string, b []byte) []byte {
		if name == "xl/worksheets/sheet1.xml" {
			sheet = append([]byte(nil), b...)
		}
		return b
	}); err != nil {
		t.Fatal(err)
	}
	return sheet
}

// FuzzReadXLSX reads fuzzed workbooks. A mutated zip rarely gets past its checksums, so the
// fuzzer also gets the first sheet's XML as a second input: when it is not empty it replaces
// the sheet in the package (re-zipped with valid checksums), and mutations reach the sheet
// parser, merged ranges and block cutting.
func FuzzReadXLSX(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "xlsx", "*.xlsx"))
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, []byte(nil))
		f.Add(data, firstSheetXML(f, data))
	}
	lim := Limits{MaxBytes: 1 << 20, MaxUncompressed: 4 << 20, MaxRows: 500, MaxCells: 20000}
	f.Fuzz(func(t *testing.T, data, sheet []byte) {
		if len(sheet) > 0 {
			repacked, err := xlsxgen.RewriteParts(data, func(name string, b []byte) []byte {
				if name == "xl/worksheets/sheet1.xml" {
					return sheet
				}
				return b
			})
			if err != nil {
				return // not a zip: the sheet has nowhere to go
			}
			data = repacked
		}
		checkFuzzedXLSX(t, data, lim)
	})
}

// checkFuzzedXLSX reads one fuzzed workbook: it is refused with an *Error naming the file and a
// known cause, or read into a document that satisfies checkXLSXDocument.
func checkFuzzedXLSX(t testing.TB, data []byte, lim Limits) {
	doc, err := readXLSX(context.Background(), Source{Path: "fuzz.xlsx", Format: FormatXLSX}, data, lim)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || e.Path != "fuzz.xlsx" {
			t.Fatalf("error %v does not name the file", err)
		}
		for _, cause := range []error{ErrCorrupt, ErrLimit, ErrEncrypted, ErrNoContent, ErrUnsupported} {
			if errors.Is(err, cause) {
				return
			}
		}
		t.Fatalf("error %v has no known cause", err)
	}
	if len(doc.Blocks) == 0 {
		t.Fatal("a document without blocks and without an error")
	}
	checkXLSXDocument(t, doc, lim)
}

// TestXLSXTestdata keeps the fuzz seeds in testdata/xlsx readable; -update writes them.
func TestXLSXTestdata(t *testing.T) {
	seedData, _ := seedWorkbook(t)
	collection, _, err := xlsxgen.WriteCollection([]*xlsxgen.Report{xlsxSeed(t), xlsxSeed(t)}, xlsxgen.CollectionOptions{Tables: []int{2, 4}})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"seed-form.xlsx":  seedData,
		"collection.xlsx": xlsxBytes(t, collection),
		"merges.xlsx": grid{rows: [][]any{{"标题"}, {"a", "b", "c"}, {"x", 1, 2}, {"", 3, 4}},
			merges: []string{"A1:C1", "A3:A4"}}.bytes(t),
	} {
		path := filepath.Join("testdata", "xlsx", name)
		if xlsxUpdating() {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		committed, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		readXLSXBytes(t, committed, DefaultLimits())
	}
}

// BenchmarkReadXLSX reads the seed as a one-sheet workbook (about 9 KB, 360 cells).
func BenchmarkReadXLSX(b *testing.B) {
	data, _ := seedWorkbook(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(context.Background(), "seed.xlsx", data, DefaultLimits()); err != nil {
			b.Fatal(err)
		}
	}
}
