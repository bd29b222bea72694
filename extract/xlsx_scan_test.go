package extract

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The XLSX reader reads values with its own pass over the sheet XML (scanSheet) instead of
// excelize's row stream. These tests hold it to what excelize's stream gives, row by row, on every
// workbook of the fixtures and on hand-written parts that exercise the corners of the format.

// streamedRow is a row with something in it: its number, hidden flag and raw values.
type streamedRow struct {
	Num    int
	Hidden bool
	Vals   []string
	Err    string // the row fails with this error
}

// excelizeRows reads each sheet with excelize's row stream and raw values, as the reader did
// before it scanned the XML itself.
func excelizeRows(tb testing.TB, data []byte) map[string][]streamedRow {
	tb.Helper()
	f, err := excelize.OpenReader(strings.NewReader(string(data)), excelize.Options{RawCellValue: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	out := map[string][]streamedRow{}
	for _, name := range f.GetSheetList() {
		rows, err := f.Rows(name)
		if err != nil {
			tb.Fatal(err)
		}
		num, failed := 0, false
		for rows.Next() {
			num++
			hidden := rows.GetRowOpts().Hidden
			vals, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				out[name] = append(out[name], streamedRow{Num: num, Err: err.Error()})
				failed = true
				break
			}
			if len(vals) > 0 {
				out[name] = append(out[name], streamedRow{num, hidden, vals, ""})
			}
		}
		if err := rows.Error(); err != nil && !failed {
			out[name] = append(out[name], streamedRow{Num: num + 1, Err: err.Error()})
		}
		rows.Close()
	}
	return out
}

// scannedRows reads each sheet the way readXLSX does.
func scannedRows(tb testing.TB, data []byte) map[string][]streamedRow {
	tb.Helper()
	lim := Limits{} // no limits: the rows as excelize would give them
	zr, err := openZip("x.xlsx", data, lim)
	if err != nil {
		tb.Fatal(err)
	}
	pkg, err := unpackWorkbook("x.xlsx", zr, lim)
	if err != nil {
		tb.Fatal(err)
	}
	sheets, err := workbookSheets("x.xlsx", pkg.parts)
	if err != nil {
		tb.Fatal(err)
	}
	sst, err := sharedStrings("x.xlsx", pkg.parts)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string][]streamedRow{}
	for _, sh := range sheets {
		meta, err := scanSheet(pkg.parts[sh.part], lim, sst)
		if err != nil {
			tb.Fatalf("sheet %s: %v", sh.name, err)
		}
		for _, r := range meta.rows {
			if r.err != nil {
				out[sh.name] = append(out[sh.name], streamedRow{Num: r.num, Err: r.err.Error()})
				break
			}
			if len(r.vals) > 0 {
				out[sh.name] = append(out[sh.name], streamedRow{r.num, r.hidden, r.vals, ""})
			}
		}
	}
	return out
}

// baseParts are the parts of a one-sheet workbook that handWritten replaces the sheet and shared
// strings of.
var (
	baseOnce  sync.Once
	baseParts []rawEntry
)

// handWritten is a one-sheet workbook whose sheet and shared strings are given as XML.
func handWritten(t testing.TB, sheetData, sst string) []byte {
	t.Helper()
	baseOnce.Do(func() { baseParts = partsOf(t, grid{rows: [][]any{{"a", 1}}}.bytes(t)) })
	var es []rawEntry
	for _, e := range baseParts {
		switch e.name {
		case "xl/worksheets/sheet1.xml":
			e.data = []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
				`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
				sheetData + `</sheetData></worksheet>`)
		case "xl/sharedStrings.xml":
			e.data = []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
				`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + sst + `</sst>`)
		}
		es = append(es, e)
	}
	return rawZip(t, es)
}

var handWrittenSheets = []struct{ name, sheet, sst string }{
	{"rich text and phonetic runs",
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v> 2 </v></c></row>`,
		`<si><t>表二</t></si><si><r><rPr><b/></rPr><t>本年</t></r><r><t xml:space="preserve"> 新收</t></r><rPh sb="0" eb="1"><t>ホン</t></rPh></si><si><t>A</t><r><t>B</t></r></si>`},
	{"escapes and entities",
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>x&amp;y &#20013;&#x6587; &lt;&gt;&quot;&apos;</t></is></c><c r="C1" t="str"><f>A1</f><v>a&#13;b</v></c></row>`,
		`<si><t>line_x000D_break _x005F_x0041_ _xD800_ _x0041_</t></si>`},
	{"line ends and CDATA",
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"inlineStr\"><is><t><![CDATA[a<b>\r\nc]]></t></is></c></row>",
		"<si><t>one\r\ntwo\rthree</t></si>"},
	{"rows and cells without references",
		`<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row><row><c><v>2</v></c><c r="D2"><v>3</v></c><c><v>4</v></c></row>`, ``},
	{"gaps, hidden rows, rows out of order",
		`<row r="2" hidden="1"><c r="A2"><v>1</v></c></row><row r="5"><c r="C5"><v>2</v></c><c r="B5"><v>3</v></c></row><row r="3"><c r="A3"><v>4</v></c></row><row r="9" hidden="true"><c r="A9"><v>5</v></c></row>`, ``},
	{"types and formulas",
		`<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="e"><v>#DIV/0!</v></c><c r="C1"><f>1+1</f></c><c r="D1" t="d"><v>2024-01-02T00:00:00Z</v></c><c r="E1" t="n"><v>55.999999999999993</v></c><c r="F1" t="s"></c><c r="G1" t="inlineStr"><v>v</v></c><c r="H1" t="s"><v>x</v></c></row>`,
		`<si><t>first</t></si>`},
	{"repeated children and nested markup",
		`<row r="1"><c r="A1"><v>1</v><v>2</v></c><c r="B1" t="inlineStr"><is><t>a</t><t>b</t></is></c><c r="C1"><v>7<!-- note -->8</v></c><c r="D1" s="x" t="inlineStr"><is><t>bad style</t></is></c><c r="E1" t="s"><v>0</v></c></row>`,
		`<si><t/></si>`},
	{"instructions and directives inside text",
		`<row r="1"><c r="A1"><v>1<?pi a>b?>2</v></c><c r="B1"><v><!x "q>r" <y> <!-- > -->>3</v></c><c r="C1" t="inlineStr"><is><t>a<!d>b</t></is></c><?pi c?></row>`,
		`<si><t/></si>`},
	{"empty rows and a row without a number after a gap",
		`<row r="1"/><row r="3"><c r="A3"><v>1</v></c></row><row hidden="1"><c><v>2</v></c></row><row r="6" hidden="1"></row><row r="7"><c r="B7"><v>3</v></c></row>`, ``},
	{"first row at 1 hidden", `<row r="1" hidden="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>`, ``},
	{"shared string out of range", `<row r="1"><c r="A1" t="s"><v>3</v></c></row>`, `<si><t>a</t></si>`},
	{"bad cell reference", `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="?"><v>1</v></c></row>`, ``},
	{"bad first row number", `<row r="x"><c><v>1</v></c></row>`, ``},
	{"bad later row number", `<row r="1"><c r="A1"><v>1</v></c></row><row r="x"><c><v>2</v></c></row>`, ``},
	{"row beyond excelize's limit", `<row r="1"><c r="A1"><v>1</v></c></row><row r="1048577"><c><v>2</v></c></row>`, ``},
	{"first row beyond excelize's limit", `<row r="1048577"><c><v>2</v></c></row>`, ``},
}

// TestScanSheetMatchesExcelize: the values scanSheet reads are the values excelize's row stream
// reads, on every workbook of the fixtures and on hand-written sheets.
func TestScanSheetMatchesExcelize(t *testing.T) {
	inputs := map[string][]byte{}
	var paths []string
	for _, pattern := range []string{"../fixtures/*/*.xlsx", "../fixtures/*/*/*.xlsx", "../fixtures/*/*/*/*.xlsx", "testdata/xlsx/*.xlsx"} {
		m, _ := filepath.Glob(pattern)
		paths = append(paths, m...)
	}
	if len(paths) < 5 {
		t.Fatalf("only %d workbooks found", len(paths))
	}
	if raceEnabled {
		paths = paths[:5] // the race detector makes excelize slow; a few workbooks check the wiring
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Read(context.Background(), p, data, DefaultLimits()); err != nil {
			continue // a workbook the fixtures keep to be refused
		}
		if zr, err := openZip(p, data, Limits{}); err == nil {
			if pkg, err := unpackWorkbook(p, zr, Limits{}); err == nil && sharedStringsPart(pkg.parts) != "xl/sharedStrings.xml" {
				continue // excelize looks for shared strings only there; the reader follows the relationships
			}
		}
		inputs[p] = data
	}
	for _, h := range handWrittenSheets {
		inputs[h.name] = handWritten(t, h.sheet, h.sst)
	}
	for name, data := range inputs {
		want, got := excelizeRows(t, data), scannedRows(t, data)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, got, want)
		}
	}
}

// TestScanSheetRowErrors: what excelize's stream fails on fails the sheet at the same row.
func TestScanSheetRowErrors(t *testing.T) {
	for _, tc := range []struct{ name, sheet, sst, place, detail string }{
		{"bad cell reference", `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="?"><v>1</v></c></row>`, ``, "Sheet1!A2", "cannot be read"},
		{"bad row number", `<row r="x"><c><v>1</v></c></row>`, ``, "Sheet1!A1", "cannot be read"},
		{"bad later row number", `<row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="A3"><v>1</v></c></row><row r="x"><c><v>2</v></c></row>`, ``, "Sheet1!A3", "cannot be read"},
		{"unknown entity", `<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>`, ``, "Sheet1!A1", "unknown entity"},
		{"control character", "<row r=\"1\"><c r=\"A1\"><v>1\x01</v></c></row>", ``, "Sheet1!A1", "illegal character"},
		{"shared strings not UTF-8", `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`, "<si><t>\xff</t></si>", "sharedStrings.xml", "UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(context.Background(), "bad.xlsx", handWritten(t, tc.sheet, tc.sst), DefaultLimits())
			var e *Error
			if !asError(err, &e) || !strings.Contains(e.Place, tc.place) || !strings.Contains(err.Error(), tc.detail) {
				t.Errorf("error %v; want place %q and %q in the message", err, tc.place, tc.detail)
			}
		})
	}
}

func asError(err error, e **Error) bool {
	x, ok := err.(*Error)
	*e = x
	return ok
}

// BenchmarkXLSXRows compares the two ways of reading a workbook's values: excelize's row stream
// (opening the package, its shared strings and the sheet through encoding/xml) and the reader's
// own scan of the parts.
func BenchmarkXLSXRows(b *testing.B) {
	data, _ := seedWorkbook(b)
	for _, route := range []struct {
		name string
		read func(testing.TB, []byte) map[string][]streamedRow
	}{{"excelize", excelizeRows}, {"scan", scannedRows}} {
		b.Run(route.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if rows := route.read(b, data); len(rows) == 0 {
					b.Fatal("no rows")
				}
			}
		})
	}
}

// FuzzScanSheetMatchesExcelize: on any sheet and shared strings that are well-formed XML (which
// encoding/xml reads to the end), the scan reads what excelize's row stream reads.
func FuzzScanSheetMatchesExcelize(f *testing.F) {
	for _, h := range handWrittenSheets {
		f.Add(h.sheet, h.sst)
	}
	f.Fuzz(func(t *testing.T, sheet, sst string) {
		for _, part := range []string{"<sheetData>" + sheet + "</sheetData>", "<sst>" + sst + "</sst>"} {
			if !wellFormed(part) {
				return
			}
		}
		data := handWritten(t, sheet, sst)
		if _, err := excelize.OpenReader(strings.NewReader(string(data))); err != nil {
			return
		}
		if sstFormattingRefused(t, sst) {
			return
		}
		want, got := excelizeRows(t, data), scannedRows(t, data)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("sheet %q sst %q:\n got %+v\nwant %+v", sheet, sst, got, want)
		}
	})
}

// sstFormattingRefused reports whether excelize refuses these shared strings for a formatting
// attribute it types (a phonetic run's sb, a run property's val, a colour's tint) rather than for
// their text. The scan reads only the text of a string item and leaves formatting alone, so it
// reads such a workbook where excelize cannot; text errors (entities, characters, encoding) stay
// in the comparison.
func sstFormattingRefused(tb testing.TB, sst string) bool {
	tb.Helper()
	probe := handWritten(tb, `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`, sst)
	f, err := excelize.OpenReader(bytes.NewReader(probe), excelize.Options{RawCellValue: true})
	if err != nil {
		return false
	}
	defer f.Close()
	rows, err := f.Rows("Sheet1")
	if err != nil {
		return false
	}
	defer rows.Close()
	if !rows.Next() {
		return false
	}
	_, err = rows.Columns()
	var num *strconv.NumError
	return errors.As(err, &num) || errors.Is(err, excelize.ErrAttrValBool)
}

// wellFormed reports whether encoding/xml reads s to the end without an error.
func wellFormed(s string) bool {
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// The fuzz comparison leaves out only shared strings excelize refuses for formatting; the scan
// still reads their text.
func TestSSTFormattingRefused(t *testing.T) {
	for _, tc := range []struct {
		sst     string
		refused bool
	}{
		{`<si><t>a</t></si>`, false},
		{`<si><t>&nbsp;</t></si>`, false},
		{`<si><r><t>a</t></r><rPh sb="A" eb="1"><t>ホン</t></rPh></si>`, true},
		{`<si><r><rPr><sz val="big"/></rPr><t>a</t></r></si>`, true},
		{`<si><r><rPr><b val="maybe"/></rPr><t>a</t></r></si>`, true},
	} {
		if got := sstFormattingRefused(t, tc.sst); got != tc.refused {
			t.Errorf("%s: refused %v, want %v", tc.sst, got, tc.refused)
		}
		if !tc.refused {
			continue
		}
		rows := scannedRows(t, handWritten(t, `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`, tc.sst))
		if got := rows["Sheet1"]; len(got) != 1 || got[0].Err != "" || len(got[0].Vals) != 1 || got[0].Vals[0] != "a" {
			t.Errorf("%s: scan read %+v, want the text a", tc.sst, got)
		}
	}
}
