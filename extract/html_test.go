package extract

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// The -update flag rewrites golden files. Several test files of this package may want it, so it is
// registered only once, by whichever file gets there first (package variables initialise before
// init functions run).
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata/")
	}
}

func updatingGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// golden compares doc, rendered by renderDocument, with the golden file; -update rewrites it.
func markupGolden(t *testing.T, goldenPath string, doc *Document) {
	t.Helper()
	got := []byte(renderDocument(doc))
	if updatingGolden() {
		if err := os.WriteFile(goldenPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (run go test ./extract -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: document differs from the golden file; run with -update if the change is intended\n%s", goldenPath, markupDiff(got, want))
	}
}

// renderDocument prints a document compactly for golden files: one line per paragraph
// ("P3 h2: text"), per table row ("T1 r5: a | *a | 42", copies marked with *) and per note.
// Cell positions are not printed: checkMarkupDocument asserts them for every document.
func renderDocument(doc *Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "source %s %s %d bytes\n", doc.Source.Format, doc.Source.Encoding, doc.Source.Bytes)
	for _, blk := range doc.Blocks {
		switch blk.Kind {
		case Paragraph:
			fmt.Fprintf(&b, "P%d", blk.Pos.Para)
			if blk.Level > 0 {
				fmt.Fprintf(&b, " h%d", blk.Level)
			}
			fmt.Fprintf(&b, ": %s\n", blk.Text)
		case Table:
			fmt.Fprintf(&b, "T%d %d×%d\n", blk.Pos.Table, len(blk.Rows), len(blk.Rows[0]))
			for ri, row := range blk.Rows {
				cells := make([]string, len(row))
				for ci, c := range row {
					cells[ci] = c.Text
					if c.Copy {
						cells[ci] = "*" + c.Text
					}
				}
				fmt.Fprintf(&b, "T%d r%d: %s\n", blk.Pos.Table, ri+1, strings.Join(cells, " | "))
			}
		}
	}
	for _, n := range doc.Notes {
		fmt.Fprintf(&b, "note %s at %q: %s\n", n.Code, n.Pos.String(), n.Message)
	}
	return b.String()
}

// firstDiff shows the first differing line of two texts.
func markupDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n  got:  " + a + "\n  want: " + b
		}
	}
	return ""
}

// checkMarkupDocument asserts what every HTML and DOCX document must satisfy, for the fuzz targets
// and the table-driven tests alike: blocks numbered in order, every cell placed at its own grid
// position, rectangular grids, normalised text, cells within the limit.
func checkMarkupDocument(t *testing.T, doc *Document, lim Limits) {
	t.Helper()
	paras, ntables, cells := 0, 0, 0
	for bi, b := range doc.Blocks {
		switch b.Kind {
		case Paragraph:
			paras++
			if b.Pos != (Pos{Para: paras}) {
				t.Fatalf("block %d: paragraph pos %+v, want para %d", bi, b.Pos, paras)
			}
			if b.Text == "" {
				t.Fatalf("block %d: empty paragraph", bi)
			}
			checkNormalised(t, b.Text)
		case Table:
			ntables++
			if b.Pos != (Pos{Table: ntables}) || b.Layout != LayoutGrid {
				t.Fatalf("block %d: table pos %+v layout %q, want table %d grid", bi, b.Pos, b.Layout, ntables)
			}
			if len(b.Rows) == 0 {
				t.Fatalf("table %d has no rows", ntables)
			}
			width := len(b.Rows[0])
			if lim.MaxRows > 0 && len(b.Rows) > lim.MaxRows {
				t.Fatalf("table %d: %d rows, limit %d", ntables, len(b.Rows), lim.MaxRows)
			}
			for ri, row := range b.Rows {
				if len(row) != width {
					t.Fatalf("table %d row %d: %d cells, row 1 has %d", ntables, ri+1, len(row), width)
				}
				for ci, c := range row {
					cells++
					if want := (Pos{Table: ntables, Row: ri + 1, Col: ci + 1}); c.Pos != want {
						t.Fatalf("table %d cell %d,%d: pos %+v, want %+v", ntables, ri+1, ci+1, c.Pos, want)
					}
					checkNormalised(t, c.Text)
				}
			}
		default:
			t.Fatalf("block %d: kind %d", bi, b.Kind)
		}
	}
	if lim.MaxCells > 0 && cells > lim.MaxCells {
		t.Fatalf("%d cells, limit %d", cells, lim.MaxCells)
	}
}

func checkNormalised(t *testing.T, s string) {
	t.Helper()
	if s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
		t.Fatalf("text %q is not trimmed and collapsed", s)
	}
	for _, c := range s {
		if c == '\u00A0' || c == '\u3000' || c == '\u200B' || c == '\uFEFF' || c == '\t' || c == '\n' {
			t.Fatalf("text %q keeps blank %U", s, c)
		}
	}
	if !utf8.ValidString(s) {
		t.Fatalf("text %q is not UTF-8", s)
	}
}

// checkReadError asserts that err is an *Error for path with the given cause and place prefix.
func checkReadError(t *testing.T, err error, path string, cause error, place string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", cause)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not an *extract.Error", err, err)
	}
	if e.Path != path {
		t.Errorf("error path %q, want %q", e.Path, path)
	}
	if !errors.Is(err, cause) {
		t.Errorf("error %v, want cause %v", err, cause)
	}
	if !strings.HasPrefix(e.Place, place) {
		t.Errorf("error place %q, want prefix %q (error: %v)", e.Place, place, err)
	}
}

func readMarkupTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func tableBlocks(doc *Document) []Block {
	var out []Block
	for _, b := range doc.Blocks {
		if b.Kind == Table {
			out = append(out, b)
		}
	}
	return out
}

func paragraphTexts(doc *Document) []string {
	var out []string
	for _, b := range doc.Blocks {
		if b.Kind == Paragraph {
			out = append(out, b.Text)
		}
	}
	return out
}

func TestReadHTMLGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "html", "*.html"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Read(context.Background(), filepath.ToSlash(path), data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if doc.Source.Format != FormatHTML {
				t.Fatalf("format %q", doc.Source.Format)
			}
			checkMarkupDocument(t, doc, DefaultLimits())
			markupGolden(t, strings.TrimSuffix(path, ".html")+".golden", doc)
		})
	}
}

// The 2021 Table 3 as CMS pages print it (report-format.md §7.3): every rowspan and colspan must
// come out as a 28×10 grid in which only the origin of each merged range is not a copy.
func TestReadHTMLTable3Spans(t *testing.T) {
	doc, err := readHTML(context.Background(), Source{Path: "t3.html"}, readMarkupTestdata(t, "html/table3-2021.html"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	ts := tableBlocks(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables, want 1", len(ts))
	}
	rows := ts[0].Rows
	if len(rows) != 28 || len(rows[0]) != 10 {
		t.Fatalf("grid %d×%d, want 28×10", len(rows), len(rows[0]))
	}
	// The merged ranges of the form: top-left corner, rows, columns.
	type span struct{ r, c, rs, cs int }
	spans := []span{
		{0, 0, 3, 3}, {0, 3, 1, 7}, {1, 3, 2, 1}, {1, 4, 1, 5}, {1, 9, 2, 1},
		{3, 0, 1, 3}, {4, 0, 1, 3}, {5, 0, 22, 1}, {5, 1, 1, 2}, {6, 1, 1, 2},
		{7, 1, 8, 1}, {15, 1, 3, 1}, {18, 1, 5, 1}, {23, 1, 3, 1}, {26, 1, 1, 2}, {27, 0, 1, 3},
	}
	wantCopy := map[[2]int]bool{}
	for _, s := range spans {
		origin := rows[s.r][s.c].Text
		if origin == "" {
			t.Errorf("merged range at row %d col %d has no text", s.r+1, s.c+1)
		}
		for r := s.r; r < s.r+s.rs; r++ {
			for c := s.c; c < s.c+s.cs; c++ {
				if r == s.r && c == s.c {
					continue
				}
				wantCopy[[2]int{r, c}] = true
				if rows[r][c].Text != origin {
					t.Errorf("cell %d,%d = %q, want a copy of %q", r+1, c+1, rows[r][c].Text, origin)
				}
			}
		}
	}
	copies := 0
	for r, row := range rows {
		for c, cell := range row {
			if cell.Copy != wantCopy[[2]int{r, c}] {
				t.Errorf("cell %d,%d %q: copy %v, want %v", r+1, c+1, cell.Text, cell.Copy, !cell.Copy)
			}
			if cell.Copy {
				copies++
			}
		}
	}
	if copies != 65 {
		t.Errorf("%d copies, want 65", copies)
	}
	for _, tc := range []struct {
		r, c int
		want string
	}{
		{2, 4, "商业企业"},  // two <p> in one cell join without a space between CJK
		{2, 5, "科研 机构"}, // <br> is a space
		{3, 3, "42"},
		{5, 0, "三、本年度办理结果"},
		{9, 2, "3.危及“三安全一稳定”"},
		{26, 9, "57"},
		{27, 3, ""}, // &nbsp; is blank
		{27, 0, "四、结转下年度继续办理"},
	} {
		if got := rows[tc.r][tc.c].Text; got != tc.want {
			t.Errorf("cell %d,%d = %q, want %q", tc.r+1, tc.c+1, got, tc.want)
		}
	}
	// Every value cell is an origin: numbers must never be counted twice.
	for r := 3; r < 28; r++ {
		for c := 3; c < 10; c++ {
			if rows[r][c].Copy {
				t.Errorf("value cell %d,%d is a copy", r+1, c+1)
			}
		}
	}
}

// Pages that use empty placeholder cells instead of spans keep the same column positions.
func TestReadHTMLPlaceholderCells(t *testing.T) {
	doc, err := readHTML(context.Background(), Source{Path: "p.html"}, readMarkupTestdata(t, "html/table3-placeholders.html"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	ts := tableBlocks(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables", len(ts))
	}
	rows := ts[0].Rows
	if len(rows) != 7 || len(rows[0]) != 10 {
		t.Fatalf("grid %d×%d, want 7×10", len(rows), len(rows[0]))
	}
	want := [][]string{
		{"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "申请人情况", "申请人情况", "申请人情况", "申请人情况", "申请人情况", "申请人情况"},
		{"", "", "", "自然人", "法人或其他组织", "法人或其他组织", "法人或其他组织", "法人或其他组织", "法人或其他组织", "总计"},
		{"", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""},
		{"一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量", "42", "10", "0", "0", "0", "4", "56"},
		{"三、本年度办理结果", "（一）予以公开", "（一）予以公开", "12", "1", "0", "0", "0", "4", "17"},
		{"", "（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"},
		{"", "", "2.其他法律行政法规禁止公开", "0", "0", "0", "0", "0", "0", "0"},
	}
	for r := range want {
		for c := range want[r] {
			if rows[r][c].Text != want[r][c] {
				t.Errorf("cell %d,%d = %q, want %q", r+1, c+1, rows[r][c].Text, want[r][c])
			}
		}
	}
}

// A GBK portal page: the charset comes from <meta charset=gbk>; menus, breadcrumbs, the sidebar
// (a nested layout table), the share bar, the footer, scripts and display:none text are left out.
func TestReadHTMLPortalPage(t *testing.T) {
	doc, err := Read(context.Background(), "portal.html", readMarkupTestdata(t, "html/portal-gbk.html"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if doc.Source.Encoding != "gb18030" {
		t.Errorf("encoding %q, want gb18030", doc.Source.Encoding)
	}
	want := []string{
		"青山区人民政府2023年政府信息公开工作年度报告",
		"发布时间：2024-01-20 来源：区政府办公室",
		"本报告由青山区人民政府办公室编制。统计期限自2023年1月1日起至12月31日止。",
		"一、总体情况",
		"（一）主动公开。全年主动公开政府信息 1203条。",
		"二、主动公开政府信息情况",
		"三、收到和处理政府信息公开申请情况",
		"四、政府信息公开行政复议、行政诉讼情况",
	}
	if got := paragraphTexts(doc); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("paragraphs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if doc.Blocks[0].Level != 1 {
		t.Errorf("title level %d, want 1", doc.Blocks[0].Level)
	}
	ts := tableBlocks(doc)
	if len(ts) != 1 {
		t.Fatalf("%d tables, want 1 (the sidebar layout table must not count)", len(ts))
	}
	rows := ts[0].Rows
	if len(rows) != 7 || len(rows[0]) != 4 {
		t.Fatalf("table 2 grid %d×%d, want 7×4", len(rows), len(rows[0]))
	}
	if rows[3][1].Text != "3" || rows[6][1].Text != "1526" || rows[6][2].Text != "1526" || !rows[6][2].Copy || rows[6][1].Copy {
		t.Errorf("table 2 values: %+v", rows[6])
	}
	// The table sits between 二、 and 三、, as on the page.
	if doc.Blocks[6].Kind != Table {
		t.Errorf("block 7 is %v, want the table", doc.Blocks[6].Kind)
	}
}

func TestReadHTMLNoTable(t *testing.T) {
	doc, err := Read(context.Background(), "notice.html", readMarkupTestdata(t, "html/no-table.html"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(tableBlocks(doc)) != 0 {
		t.Fatal("a table appeared")
	}
	want := "关于做好年度报告工作的通知|各单位：|请于1月31日前发布。|逾期将通报。|第一项|第二项"
	if got := strings.Join(paragraphTexts(doc), "|"); got != want {
		t.Errorf("paragraphs %q, want %q", got, want)
	}
	if doc.Blocks[0].Level != 2 {
		t.Errorf("heading level %d", doc.Blocks[0].Level)
	}
}

func TestReadHTMLEncodings(t *testing.T) {
	page := `<html><head>%META%</head><body><p>申请人情况　统计</p><table><tr><td>自然人</td><td>42</td></tr></table></body></html>`
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	utf16le := func(s string) []byte {
		out := []byte{0xFF, 0xFE}
		for _, r := range s {
			if r > 0xFFFF {
				t.Fatal("test text outside the BMP")
			}
			out = append(out, byte(r), byte(r>>8))
		}
		return out
	}
	for _, tc := range []struct {
		name, enc string
		data      []byte
		note      string // the code of the one note expected, "" for none
	}{
		{"utf-8 without meta", "utf-8", []byte(strings.Replace(page, "%META%", "", 1)), ""},
		{"utf-8 bom", "utf-8", append([]byte("\xEF\xBB\xBF"), strings.Replace(page, "%META%", "", 1)...), ""},
		{"meta charset gbk", "gb18030", gbk(strings.Replace(page, "%META%", `<meta charset=gbk>`, 1)), ""},
		{"http-equiv gb2312", "gb18030", gbk(strings.Replace(page, "%META%", `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, 1)), ""},
		{"gbk sniffed", "gb18030", gbk(strings.Replace(page, "%META%", "", 1)), ""},
		{"declared utf-8 but gbk", "gb18030", gbk(strings.Replace(page, "%META%", `<meta charset="utf-8">`, 1)), "charset-mismatch"},
		{"utf-16le bom", "utf-16le", utf16le(strings.Replace(page, "%META%", "", 1)), ""},
		// Re-saved as UTF-8 with the old <meta> kept: the bytes do not decode as GB18030.
		{"declared gb2312 but utf-8", "utf-8", []byte(strings.Replace(page, "%META%", `<meta charset=gb2312>`, 1)), "charset-utf8"},
		{"declared gbk in http-equiv but utf-8", "utf-8", []byte(strings.Replace(page, "%META%", `<meta http-equiv="Content-Type" content="text/html; charset=gbk">`, 1)), "charset-utf8"},
		// windows-1252 decodes any byte, so only the run of UTF-8 characters tells.
		{"declared windows-1252 but utf-8", "utf-8", []byte(strings.Replace(page, "%META%", `<meta charset=windows-1252>`, 1)), "charset-utf8"},
		// ISO-8859-1 decodes anything: only the GBK decoding, clean and full of Han characters, tells.
		{"declared iso-8859-1 but gbk", "gb18030", gbk(strings.Replace(page, "%META%", `<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">`+"<title>某某区人民政府信息公开年度报告</title>", 1)), "charset-gbk"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Read(context.Background(), "enc.html", tc.data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if doc.Source.Encoding != tc.enc {
				t.Errorf("encoding %q, want %q", doc.Source.Encoding, tc.enc)
			}
			var codes []string
			for _, n := range doc.Notes {
				codes = append(codes, n.Code)
			}
			if want := []string{tc.note}; tc.note == "" && len(codes) != 0 || tc.note != "" && !slices.Equal(codes, want) {
				t.Errorf("notes %q, want %q", codes, tc.note)
			}
			if got := paragraphTexts(doc); len(got) != 1 || got[0] != "申请人情况 统计" {
				t.Errorf("paragraphs %q", got)
			}
			ts := tableBlocks(doc)
			if len(ts) != 1 || ts[0].Rows[0][0].Text != "自然人" {
				t.Errorf("tables %+v", ts)
			}
		})
	}
}

// Pages too short for the run of UTF-8 characters to tell: a few GBK characters can happen to be
// valid UTF-8 (统, 息 and 说 are a C2–DF lead byte with a trail byte below C0) and stay GBK, while a
// few UTF-8 characters that do not decode as GBK are read as UTF-8.
func TestReadHTMLShortPageUnderGBKMeta(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("<html><head><meta charset=gbk></head><body><p>统说息</p></body></html>"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, enc, text, note string
		data                  []byte
	}{
		{"gbk that is valid utf-8", "gb18030", "统说息", "", gbk},
		{"utf-8 that is not gbk", "utf-8", "自然人", "charset-utf8", []byte("<html><head><meta charset=gbk></head><body><p>自然人</p></body></html>")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !utf8.Valid(tc.data) {
				t.Fatal("the test page is meant to be valid UTF-8")
			}
			doc, err := Read(context.Background(), "short.html", tc.data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, n := range doc.Notes {
				codes = append(codes, n.Code)
			}
			if doc.Source.Encoding != tc.enc || strings.Join(codes, ",") != tc.note {
				t.Errorf("encoding %q notes %q, want %q and %q", doc.Source.Encoding, codes, tc.enc, tc.note)
			}
			if got := paragraphTexts(doc); len(got) != 1 || got[0] != tc.text {
				t.Errorf("paragraphs %q", got)
			}
		})
	}
}

func TestReadHTMLErrors(t *testing.T) {
	manyRows := "<html><body><table>" + strings.Repeat("<tr><td>a</td><td>1</td></tr>", 20) + "</table></body></html>"
	bigSpan := `<html><body><table><tr><td colspan="1000" rowspan="5000">x</td></tr>` + strings.Repeat("<tr><td>1</td></tr>", 10) + `</table></body></html>`
	for _, tc := range []struct {
		name  string
		data  string
		lim   Limits
		cause error
		place string
	}{
		{"empty page", "<html><head><title></title></head><body> &nbsp; </body></html>", DefaultLimits(), ErrNoContent, ""},
		{"undecodable", "<html><body>\n<p>" + strings.Repeat("\xFF\x80", 200) + "</p></body></html>", DefaultLimits(), ErrEncoding, "line 2"},
		{"undecodable under a gbk meta", "<html><head><meta charset=gbk></head><body>\n<p>" + strings.Repeat("\xFF\x80", 200) + "</p></body></html>", DefaultLimits(), ErrEncoding, "line 2"},
		{"rows beyond MaxRows", manyRows, Limits{MaxRows: 10, MaxCells: 1000}, ErrLimit, "table 1"},
		{"cells beyond MaxCells", manyRows, Limits{MaxRows: 100, MaxCells: 30}, ErrLimit, "table 1 row 16"},
		{"span beyond MaxCells", bigSpan, Limits{MaxRows: 100, MaxCells: 5000}, ErrLimit, "table 1 row 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(context.Background(), "bad.html", []byte(tc.data), tc.lim)
			checkReadError(t, err, "bad.html", tc.cause, tc.place)
		})
	}
}

// rowspan=0 reaches the end of the table, spans beyond the last row stop there, and a cell
// overlapped by a span from above moves right, as in a browser.
func TestReadHTMLSpanEdgeCases(t *testing.T) {
	page := `<table>
<tr><td rowspan="0">a</td><td>b</td><td rowspan="9">c</td></tr>
<tr><td>d</td></tr>
<tr><td>e</td><td style="display:none">hidden</td><td>f</td></tr>
</table>`
	doc, err := Read(context.Background(), "edge.html", []byte(page), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	checkMarkupDocument(t, doc, DefaultLimits())
	rows := tableBlocks(doc)[0].Rows
	var got []string
	for _, row := range rows {
		var cells []string
		for _, c := range row {
			s := c.Text
			if c.Copy {
				s += "*"
			}
			cells = append(cells, s)
		}
		got = append(got, strings.Join(cells, ","))
	}
	want := "a,b,c,|a*,d,c*,|a*,e,c*,f"
	if strings.Join(got, "|") != want {
		t.Errorf("grid %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestCleanHTMLText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"商业\n  企业", "商业企业"},
		{"政府信息\n1203条", "政府信息 1203条"},
		{"  a \t b  ", "a b"},
		{"\u00a0\u00a0一、总体情况\u3000", "一、总体情况"},
		{"结果\u200b维持", "结果维持"},
		{"第一\u2003项", "第一 项"},
	} {
		if got := cleanHTMLText(tc.in); got != tc.want {
			t.Errorf("cleanHTMLText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestJoinParts(t *testing.T) {
	for _, tc := range []struct {
		parts []string
		want  string
	}{
		{[]string{"商业", "企业"}, "商业企业"},
		{[]string{"1.", "属于国家秘密"}, "1. 属于国家秘密"},
		{[]string{"本年收费金额", "（单位：万元）"}, "本年收费金额（单位：万元）"},
		{[]string{"", "42", ""}, "42"},
		{[]string{"Total", "总计"}, "Total 总计"},
	} {
		if got := joinParts(tc.parts); got != tc.want {
			t.Errorf("joinParts(%q) = %q, want %q", tc.parts, got, tc.want)
		}
	}
}

func TestReadHTMLCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := "<html><body>" + strings.Repeat("<p>一、段落</p>", 10000) + "</body></html>"
	_, err := readHTML(ctx, Source{Path: "c.html"}, []byte(big), DefaultLimits())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

// fixtureInputs lists the generated fixture inputs of one format (fixtures/<format>-*/input.*).
func markupFixtures(t testing.TB, format string) []string {
	files, err := filepath.Glob(filepath.Join("..", "fixtures", format+"-*", "input."+format))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func FuzzReadHTML(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "html", "*.html"))
	files = append(files, markupFixtures(f, "html")...)
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<table><tr><td rowspan=3 colspan=2>x</td></tr><tr><td>1</td></tr></table>`))
	lim := Limits{MaxBytes: 1 << 20, MaxUncompressed: 1 << 20, MaxRows: 200, MaxCells: 5000}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := readHTML(context.Background(), Source{Path: "fuzz.html"}, data, lim)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Path != "fuzz.html" {
				t.Fatalf("error %v does not name the file", err)
			}
			return
		}
		if doc.Source.Encoding == "" {
			t.Fatal("no encoding")
		}
		if len(doc.Blocks) == 0 {
			t.Fatal("a document without blocks and without an error")
		}
		checkMarkupDocument(t, doc, lim)
	})
}

func BenchmarkReadHTML(b *testing.B) { benchmarkReadFixtures(b, "html") }

// benchmarkReadFixtures reads every fixtures/<format>-*/input.<format> in a sub-benchmark of its own.
func benchmarkReadFixtures(b *testing.B, format string) {
	files := markupFixtures(b, format)
	if len(files) == 0 {
		b.Skipf("no fixtures/%s-*/input.%s", format, format)
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(filepath.Dir(path)), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Read(context.Background(), path, data, DefaultLimits()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Deeply nested pages cost time in proportion to their size (scoring, article choice and layout
// classification each visit a node once), and pages nested deeper than the HTML parser allows are
// refused with a specific error.
func TestReadHTMLDeepNesting(t *testing.T) {
	for _, tc := range []struct{ name, open, text, close string }{
		{"divs", "<div>", "<p>一、段落</p>", "</div>"},
		{"tables", "<table><tr><td>", "<p>（一）单元格</p>", "</td><td>1</td></tr></table>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := func(depth int) []byte {
				return []byte("<html><body>" + strings.Repeat(tc.open+tc.text, depth) + strings.Repeat(tc.close, depth) + "</body></html>")
			}
			start := time.Now()
			doc, err := Read(context.Background(), "deep.html", page(120), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if elapsed := time.Since(start); elapsed > 10*time.Second {
				t.Errorf("took %v", elapsed)
			}
			checkMarkupDocument(t, doc, DefaultLimits())
			headings := 0
			for _, p := range paragraphTexts(doc) {
				if strings.Contains(p, "一") {
					headings++
				}
			}
			if headings < 119 {
				t.Errorf("%d heading paragraphs, want at least 119", headings)
			}
			_, err = Read(context.Background(), "deep.html", page(3000), DefaultLimits())
			checkReadError(t, err, "deep.html", ErrCorrupt, "")
		})
	}
}

// What a browser shows in a cell is what is read: footnote marks raised after a number, struck or
// deleted old values and invisible ones do not run into the number beside them.
func TestReadHTMLCellMarkup(t *testing.T) {
	for _, tc := range []struct{ name, cell, want string }{
		{"footnote digit", `12<sup>1</sup>`, "12"},
		{"footnote bracket", `56<sup>[2]</sup>`, "56"},
		{"footnote symbol in span", `<span>390<sup><span>※</span></sup></span>`, "390"},
		{"footnote after a label", `予以公开<sup>注1</sup>`, "予以公开"},
		{"superscript opening the cell", `<sup>1</sup>注：单位为件`, "1注：单位为件"},
		{"long superscript kept", `12<sup>修订</sup>`, "12修订"},
		{"tracked change", `<del datetime="2025-01-10T09:00">15</del><ins>12</ins>`, "12"},
		{"struck old value", `<s>8</s> 7`, "7"},
		{"strike element", `<strike>8</strike>7`, "7"},
		{"visibility hidden", `<span style="VISIBILITY: hidden">99</span>5`, "5"},
		{"display none", `<span style="display : none">99</span>5`, "5"},
		{"comment", `<!-- 123 -->4`, "4"},
		{"split digits", `<span>1</span><span>2</span>`, "12"},
		{"numeric entities", `&#49;&#x32;`, "12"},
		{"read-only text field", `<input type="text" readonly value="42" style="border:0">`, "42"},
		{"field without a type", `<INPUT VALUE=7>`, "7"},
		{"hidden field", `<input type="hidden" value="99">5`, "5"},
		{"checkbox", `<input type="checkbox" value="1" checked>`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := `<table><tr><td>自然人</td><td>` + tc.cell + `</td></tr><tr><td>a</td><td>b</td></tr></table>`
			doc, err := Read(context.Background(), "cell.html", []byte(page), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			ts := tableBlocks(doc)
			if len(ts) != 1 {
				t.Fatalf("tables %+v", ts)
			}
			if got := ts[0].Rows[0][1].Text; got != tc.want {
				t.Errorf("cell %q, want %q", got, tc.want)
			}
		})
	}
}

// A true Latin-1 page under its own declaration is not taken for GBK: its accents do not decode.
func TestReadHTMLLatin1StaysLatin1(t *testing.T) {
	page := []byte("<html><head><meta charset=iso-8859-1></head><body><p>caf\xe9 na\xefve r\xe9sum\xe9 \xe0 la cr\xe8me br\xfbl\xe9e, d\xe9j\xe0 vu</p></body></html>")
	doc, err := Read(context.Background(), "latin1.html", page, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if doc.Source.Encoding != "windows-1252" || len(doc.Notes) != 0 {
		t.Errorf("encoding %q notes %v, want windows-1252 and none", doc.Source.Encoding, doc.Notes)
	}
	if got := paragraphTexts(doc); len(got) != 1 || !strings.HasPrefix(got[0], "café naïve") {
		t.Errorf("paragraphs %q", got)
	}
}
