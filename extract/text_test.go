package extract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// readTextFile reads a testdata file through the public entry point, as the pipeline does.
func readTextFile(t testing.TB, path string) (*Document, []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Read(context.Background(), path, data, DefaultLimits())
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return doc, data
}

// goldenJSON renders a Document as JSON with one block, and one table row, per line, so that a
// golden file can be reviewed by eye and diffs point at rows.
func goldenJSON(t testing.TB, doc *Document) []byte {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\"source\": %s,\n\"notes\": %s,\n\"blocks\": [\n", enc(doc.Source), enc(doc.Notes))
	for i, blk := range doc.Blocks {
		rows := blk.Rows
		blk.Rows = nil
		head := enc(blk)
		if rows != nil {
			b.WriteString(strings.TrimSuffix(head, "}") + ",\"rows\":[\n")
			for j, row := range rows {
				b.WriteString("  " + enc(row))
				if j < len(rows)-1 {
					b.WriteByte(',')
				}
				b.WriteByte('\n')
			}
			b.WriteString("]}")
		} else {
			b.WriteString(head)
		}
		if i < len(doc.Blocks)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	return b.Bytes()
}

// TestReadTextGolden reads every input under testdata/text and compares the Document with its
// reviewed golden; -update rewrites the goldens.
func TestReadTextGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/text/*.txt")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			doc, _ := readTextFile(t, in)
			got := goldenJSON(t, doc)
			if !json.Valid(got) {
				t.Fatalf("golden rendering is not JSON:\n%s", got)
			}
			golden := strings.TrimSuffix(in, ".txt") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update once and review the file)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("document differs from %s; got:\n%s", golden, got)
			}
		})
	}
}

// render prints blocks compactly for hand-written expectations:
// "T 1:2 aligned" then one line per row "  1:2 规章 | 1:5 0", "P 3:1 L0 text", "N 6:11 code".
func render(doc *Document) string {
	var b strings.Builder
	for _, blk := range doc.Blocks {
		if blk.Kind == Paragraph {
			fmt.Fprintf(&b, "P %s L%d %s\n", blk.Pos, blk.Level, blk.Text)
			continue
		}
		fmt.Fprintf(&b, "T %s %s\n", blk.Pos, blk.Layout)
		for _, row := range blk.Rows {
			parts := make([]string, len(row))
			for i, c := range row {
				parts[i] = c.Pos.String() + " " + c.Text
			}
			b.WriteString("  " + strings.Join(parts, " | ") + "\n")
		}
	}
	for _, n := range doc.Notes {
		fmt.Fprintf(&b, "N %s %s\n", n.Pos, n.Code)
	}
	return b.String()
}

func TestReadTextLayouts(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{
			name: "aligned PDF text: wrapped header, vertical label, page footer, page break",
			in: " 项目      自然人  商业企  总计\n" +
				"               业\n" +
				" 一、新收  42      10      52\n" +
				" 本\n" +
				" 年      （一）  1    2\n" +
				"          - 4 -\n" +
				"\n\n" +
				"\f度      （二） 3 4  7\n" +
				"（三）总计 43  10\n" +
				"\n\n" +
				"说明 2024\n",
			want: "T 1:2 aligned\n" +
				"  1:2 项目 | 1:10 自然人 | 1:15 商业企 | 1:20 总计\n" +
				"  2:16 业\n" +
				"  3:2 一、新收 | 3:8 42 | 3:16 10 | 3:24 52\n" +
				"  4:2 本\n" +
				"  5:2 年 | 5:9 （一） | 5:14 1 | 5:19 2\n" +
				"  9:2 度 | 9:9 （二） | 9:13 3 | 9:15 4 | 9:18 7\n" +
				"  10:1 （三）总计 | 10:7 43 | 10:11 10\n" +
				"P 13:1 L0 说明 2024\n" +
				"N 6:11 page-furniture\n" +
				"N 9:1 page-break\n",
		},
		{
			name: "ideographic and no-break spaces pad aligned columns",
			in:   "规章\u3000\u30000\u3000\u30000\n行政许可\u00a0\u00a068\n",
			want: "T 1:1 aligned\n" +
				"  1:1 规章 | 1:5 0 | 1:8 0\n" +
				"  2:1 行政许可 | 2:7 68\n",
		},
		{
			name: "zero-width characters neither split nor shift a cell's start",
			in:   "\u200b规\u200b章  0  9\n",
			want: "T 1:2 aligned\n  1:2 规章 | 1:7 0 | 1:10 9\n",
		},
		{
			name: "pipe table: separator rows dropped, empty cells kept, escaped pipe",
			in:   "## 表\n| 项目 | 数 |\n|---|:--:|\n| 规章 |  |\n| a \\| b | 1\n",
			want: "P 1:4 L2 表\n" +
				"T 2:3 pipe\n" +
				"  2:3 项目 | 2:8 数\n" +
				"  4:3 规章 | 4:7 \n" +
				"  5:3 a | b | 5:12 1\n",
		},
		{
			name: "pipe table: emphasis around a whole cell removed, a lone * kept",
			in:   "| **（七）总计** | **69** | __7__ | *3* | * | 2*3 |\n",
			want: "T 1:3 pipe\n" +
				"  1:3 （七）总计 | 1:15 69 | 1:24 7 | 1:32 3 | 1:38 * | 1:42 2*3\n",
		},
		{
			name: "pipe rows of numbers only, a shredded table across a page number",
			in:   "| 8 | 1 | 0 |\n— 5 —\n| 9 | 0 |\n",
			want: "T 1:3 pipe\n" +
				"  1:3 8 | 1:7 1 | 1:11 0\n" +
				"  3:3 9 | 3:7 0\n" +
				"N 2:1 page-furniture\n",
		},
		{
			name: "one cell per line: the label line before the numbers starts the table",
			in:   "表头\n一、新收\n42\n10\n二、结转\n1\n",
			want: "P 1:1 L0 表头\n" +
				"T 2:1 cell-per-line\n" +
				"  2:1 一、新收\n  3:1 42\n  4:1 10\n  5:1 二、结转\n  6:1 1\n",
		},
		{
			name: "single spaces: label then number tokens; one value rows in a spaces document",
			in:   "规章 0 0 0\n行政许可 68\n一、新收 ４２ 1,234 / — 1 234\n全年共受理 57 件。\n",
			want: "T 1:1 spaces\n" +
				"  1:1 规章 | 1:4 0 | 1:6 0 | 1:8 0\n" +
				"  2:1 行政许可 | 2:6 68\n" +
				"  3:1 一、新收 | 3:6 ４２ | 3:9 1,234 | 3:15 / | 3:17 — | 3:19 1 | 3:21 234\n" +
				"P 4:1 L0 全年共受理 57 件。\n",
		},
		{
			name: "a label and one number is prose outside a spaces document",
			in:   "规章  0  0\n\n\n邮编 467000\n",
			want: "T 1:1 aligned\n  1:1 规章 | 1:5 0 | 1:8 0\nP 4:1 L0 邮编 467000\n",
		},
		{
			name: "TAB document: indentation is not a row, prose stays whole",
			in:   "\t标题行\na\tb\t\n\t\tc\nd\t1\n\t缩进段落\n全年  受理 3 件\n",
			want: "P 1:2 L0 标题行\n" +
				"T 2:1 tabs\n" +
				"  2:1 a | 2:3 b | 2:5 \n" +
				"  3:1  | 3:2  | 3:3 c\n" +
				"  4:1 d | 4:3 1\n" +
				"P 5:2 L0 缩进段落\n" +
				"P 6:1 L0 全年  受理 3 件\n",
		},
		{
			// Table 2 copied with tabs, Tables 3 and 4 without: the tab-less rows still have cells.
			name: "TAB document: a line without tabs that ends with a number is a row",
			in:   "规章\t0\t4\n文件\t8\t6\n信息内容 本年处理决定数量\n行政许可\u00a050523\n行政处罚 78759\n一、新收 5 1 8\n二、结转 3 0 3\nx  1  2\n",
			want: "T 1:1 tabs\n" +
				"  1:1 规章 | 1:4 0 | 1:6 4\n" +
				"  2:1 文件 | 2:4 8 | 2:6 6\n" +
				"P 3:1 L0 信息内容 本年处理决定数量\n" +
				"T 4:1 spaces\n" +
				"  4:1 行政许可 | 4:6 50523\n" +
				"  5:1 行政处罚 | 5:6 78759\n" +
				"  6:1 一、新收 | 6:6 5 | 6:8 1 | 6:10 8\n" +
				"  7:1 二、结转 | 7:6 3 | 7:8 0 | 7:10 3\n" +
				"  8:1 x | 8:4 1 | 8:7 2\n",
		},
		{
			// The tab-less lines are too few to be a spaces document: a label and one number is
			// a row only between rows.
			name: "TAB document: a label and one number alone is prose",
			in:   "规章\t0\t4\n文件\t8\t6\n邮编 467000\n",
			want: "T 1:1 tabs\n" +
				"  1:1 规章 | 1:4 0 | 1:6 4\n" +
				"  2:1 文件 | 2:4 8 | 2:6 6\n" +
				"P 3:1 L0 邮编 467000\n",
		},
		{
			// Most rows two spaces apart, a few one: the document is not a spaces document, but a
			// label and one number between rows of a table copied from a page is a row of it.
			name: "copied table: a label and one number between rows is a row",
			in:   "规章 0 4\n第（五）项\n行政许可 50523\n行政处罚  78759\n收费 9639.1\n\n一、新收  5  1\n二、结转  5  1\n",
			want: "T 1:1 aligned\n" +
				"  1:1 规章 | 1:4 0 | 1:6 4\n" +
				"  2:1 第（五）项\n" +
				"  3:1 行政许可 | 3:6 50523\n" +
				"  4:1 行政处罚 | 4:7 78759\n" +
				"  5:1 收费 | 5:4 9639.1\n" +
				"  7:1 一、新收 | 7:7 5 | 7:10 1\n" +
				"  8:1 二、结转 | 8:7 5 | 8:10 1\n",
		},
		{
			// PDF text: a number on a label's line belongs to a narrow column; the table's reader
			// places it, so the line stays whole.
			name: "PDF text: a label and one number between aligned rows stays one cell",
			in:   "规章  0  4\n行政许可 50523\n行政处罚  78759\n",
			want: "T 1:1 aligned\n" +
				"  1:1 规章 | 1:5 0 | 1:8 4\n" +
				"  2:1 行政许可 50523\n" +
				"  3:1 行政处罚 | 3:7 78759\n",
		},
		{
			name: "a table continues over one blank line, not two, and never over a heading",
			in:   "a  1\n\nb  2\n\n\nc  3\n# H #\nd  4\n",
			want: "T 1:1 aligned\n  1:1 a | 1:4 1\n  3:1 b | 3:4 2\n" +
				"T 6:1 aligned\n  6:1 c | 6:4 3\n" +
				"P 7:3 L1 H\n" +
				"T 8:1 aligned\n  8:1 d | 8:4 4\n",
		},
		{
			name: "a form feed or a page number carries a table over several blank lines",
			in:   "a  1\n\n\n\fb  2\n\n- 3 -\n\nc  3\n",
			want: "T 1:1 aligned\n  1:1 a | 1:4 1\n  4:2 b | 4:5 2\n  8:1 c | 8:4 3\nN 4:1 page-break\nN 6:1 page-furniture\n",
		},
		{
			name: "headings: levels, closing hashes, no heading without a space",
			in:   "# 一\n###### 六 ##\n####### 七\n#2024年\n",
			want: "P 1:3 L1 一\nP 2:8 L6 六\nP 3:1 L0 ####### 七\nP 4:1 L0 #2024年\n",
		},
		{
			name: "CRLF, lone CR and a final line without a break",
			in:   "a\t1\r\nb\t2\rc\t3",
			want: "T 1:1 tabs\n  1:1 a | 1:3 1\n  2:1 b | 2:3 2\n  3:1 c | 3:3 3\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Read(context.Background(), "case.txt", []byte(tt.in), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if got := render(doc); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestSeed(t *testing.T) {
	doc, data := readTextFile(t, "testdata/text/seed.txt")
	if doc.Source.Encoding != "utf-8" || doc.Source.Format != FormatText {
		t.Errorf("source = %+v", doc.Source)
	}

	// Every line of the seed that holds a tab is a row of a tab table, at its own line.
	rowLines := map[int]bool{}
	for _, b := range doc.Blocks {
		if b.Kind == Table {
			if b.Layout != LayoutTabs {
				t.Errorf("table at %s has layout %s", b.Pos, b.Layout)
			}
			for _, row := range b.Rows {
				rowLines[row[0].Pos.Line] = true
			}
		}
	}
	lines := strings.Split(string(data), "\n")
	for i, line := range lines {
		if strings.Contains(line, "\t") != rowLines[i+1] {
			t.Errorf("line %d: has tab %v, is a table row %v: %q", i+1, strings.Contains(line, "\t"), rowLines[i+1], line)
		}
	}

	// Headings keep the seed's inconsistent levels.
	levels := map[string]int{}
	for _, b := range doc.Blocks {
		if b.Level > 0 {
			levels[b.Text] = b.Level
		}
	}
	for text, level := range map[string]int{
		"平顶山市城乡一体化示范区 2024 年政府信息公开工作年度报告": 1,
		"一、总体情况":              2,
		"二、主动公开政府信息情况":        2,
		"三、收到和处理政府信息公开申请情况":   3,
		"四、政府信息公开行政复议、行政诉讼情况": 4,
		"五、存在的主要问题及改进情况":      4,
		"六、其他需要报告的事项":         4,
	} {
		if levels[text] != level {
			t.Errorf("heading %q: level %d, want %d", text, levels[text], level)
		}
	}

	// Table 3's first data row, cell by cell, with columns counted by hand on line 41.
	type cell struct {
		text string
		col  int
	}
	want := []cell{{"一、本年新收政府信息公开申请数量", 1}, {"", 18}, {"42", 19}, {"10", 22}, {"0", 25},
		{"0", 27}, {"0", 29}, {"4", 31}, {"56", 33}, {"", 36}}
	row := findRow(doc, "一、本年新收政府信息公开申请数量")
	if len(row) != len(want) {
		t.Fatalf("row = %v, want %d cells", row, len(want))
	}
	for i, w := range want {
		if row[i].Text != w.text || row[i].Pos != (Pos{Line: 41, Col: w.col}) {
			t.Errorf("cell %d = %q at %s, want %q at 41:%d", i, row[i].Text, row[i].Pos, w.text, w.col)
		}
	}
	// Rows that lost their leading tabs keep the cells they have (report-format.md §7.1).
	if row := findRow(doc, "5. 要求行政机关确认或重新出具已获取信息"); RowText(row) != "5. 要求行政机关确认或重新出具已获取信息 0 0 0 0 0 0 0" || len(row) != 10 {
		t.Errorf("row 60 = %v", row)
	}
}

func findRow(doc *Document, first string) []Cell {
	for _, b := range doc.Blocks {
		for _, row := range b.Rows {
			if row[0].Text == first {
				return row
			}
		}
	}
	return nil
}

// TestSeedVariants re-encodes and re-pads the seed: every variant gives the seed's cells. Encodings
// and line endings keep every position; padding and zero-width characters keep texts and lines
// (they occupy columns of their own).
func TestSeedVariants(t *testing.T) {
	plain, data := readTextFile(t, "testdata/text/seed.txt")
	seed := string(data)
	padded := strings.NewReplacer(
		"\t", "\t\u3000", // ideographic-space padding before every cell
		" ", "\u00a0", // no-break spaces inside labels and after heading marks
		"本年", "本\u200b年", // zero-width characters inside words
		"总计", "总\ufeff计\u2060",
	).Replace(seed)
	tests := []struct {
		name      string
		data      []byte
		encoding  string
		positions bool
	}{
		{"gb18030", encodeGB18030(t, seed), "gb18030", true},
		{"utf-16le with BOM", encodeUTF16(seed, true, true), "utf-16le", true},
		{"utf-16be with BOM", encodeUTF16(seed, false, true), "utf-16be", true},
		{"utf-16le without BOM", encodeUTF16(seed, true, false), "utf-16le", true},
		{"utf-8 with BOM", concat(bomUTF8, data), "utf-8", true},
		{"CRLF", []byte(strings.ReplaceAll(seed, "\n", "\r\n")), "utf-8", true},
		{"CR", []byte(strings.ReplaceAll(seed, "\n", "\r")), "utf-8", true},
		{"padding and zero-width", []byte(padded), "utf-8", false},
		{"padding in gb18030 with CRLF", encodeGB18030(t, strings.ReplaceAll(padded, "\n", "\r\n")), "gb18030", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Read(context.Background(), "seed-variant.txt", tt.data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if doc.Source.Encoding != tt.encoding {
				t.Errorf("encoding = %s, want %s", doc.Source.Encoding, tt.encoding)
			}
			if got, want := sameCells(doc, tt.positions), sameCells(plain, tt.positions); got != want {
				t.Errorf("cells differ from the plain seed:\n%s", firstDiff(got, want))
			}
		})
	}
}

// sameCells renders what must not change between variants of one input.
func sameCells(doc *Document, positions bool) string {
	var b strings.Builder
	pos := func(p Pos) string {
		if positions {
			return p.String()
		}
		return fmt.Sprint(p.Line)
	}
	for _, blk := range doc.Blocks {
		fmt.Fprintf(&b, "%d %s L%d %s %q\n", blk.Kind, pos(blk.Pos), blk.Level, blk.Layout, blk.Text)
		for _, row := range blk.Rows {
			for _, c := range row {
				fmt.Fprintf(&b, " %s %q", pos(c.Pos), c.Text)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return fmt.Sprintf("got  %s\nwant %s", g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

func TestReadTextRejects(t *testing.T) {
	tests := []struct {
		name  string
		in    []byte
		err   error
		place string
	}{
		{"empty", nil, ErrEmpty, ""},
		{"only a BOM", bomUTF8, ErrEmpty, ""},
		{"whitespace only", []byte(" \n\t\u3000\u00a0\r\n\u200b\n"), ErrNoContent, ""},
		{"page numbers only", []byte("- 1 -\n\n第 2 页\n|---|\n#\n"), ErrNoContent, ""},
		{"binary garbage", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00"), ErrBinary, "byte 7"},
		{"NUL-laden text", bytes.Repeat([]byte("规章\t0\x00\x00\n"), 50), ErrBinary, "byte 8"},
		{"invalid GB18030", concat(encodeGB18030(t, "二、主动公开\n规章\t0\n行政许可\t"), []byte{0xFE, 0x20}), ErrEncoding, "3:6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Read(context.Background(), "bad.txt", tt.in, DefaultLimits())
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, tt.err) {
				t.Fatalf("got %v, %v; want *Error wrapping %v", doc, err, tt.err)
			}
			if e.Path != "bad.txt" || e.Place != tt.place {
				t.Errorf("error %q names %q at %q, want bad.txt at %q", err, e.Path, e.Place, tt.place)
			}
		})
	}
}

// TestReadTextLongLines: a line over the limit is refused at once, naming it, and a long line under
// the limit is read in time linear in its length.
func TestReadTextLongLines(t *testing.T) {
	long := "规章\t0\n" + strings.Repeat("数", maxLineBytes/3+1) + "\n"
	_, err := Read(context.Background(), "long.txt", []byte(long), DefaultLimits())
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrLimit) || e.Place != "2:1" {
		t.Fatalf("error = %v, want ErrLimit at 2:1", err)
	}

	// 300k number tokens, and 100k groups of a label and one number, on single lines: quadratic
	// work would take minutes.
	numbers := "合计 " + strings.Repeat("1 ", 300_000) + "\n" + strings.Repeat("项 1  ", 100_000) + "\n"
	start := time.Now()
	doc, err := Read(context.Background(), "numbers.txt", []byte(numbers), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > 20*time.Second {
		t.Errorf("reading two long lines took %v", elapsed)
	}
	if n := len(doc.Blocks[0].Rows[0]); n != 300_001 {
		t.Errorf("first row has %d cells, want 300001", n)
	}
	if n := len(doc.Blocks[0].Rows[1]); n != 100_000 {
		t.Errorf("second row has %d cells, want 100000", n)
	}
}

func TestReadTextLimits(t *testing.T) {
	data, err := os.ReadFile("testdata/text/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, lim := range []Limits{{MaxRows: 10}, {MaxCells: 100}} {
		_, err := Read(context.Background(), "seed.txt", data, lim)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrLimit) || e.Place == "" {
			t.Errorf("limits %+v: error = %v, want ErrLimit with a place", lim, err)
		}
	}
}

func TestReadTextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := readText(ctx, Source{Path: "many.txt"}, bytes.Repeat([]byte("a\t1\n"), 5000), DefaultLimits())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
}

func TestNumberToken(t *testing.T) {
	tests := []struct {
		in         string
		ok, digits bool
	}{
		{"0", true, true}, {"42", true, true}, {"４２", true, true}, {"1,234", true, true},
		{"1，234", true, true}, {"7730.28", true, true}, {"９６１７１．６", true, true},
		{"-3", true, true}, {"+1036", true, true}, {"－３", true, true},
		{"/", true, false}, {"／", true, false}, {"-", true, false}, {"－", true, false},
		{"—", true, false}, {"——", true, false}, {"无", true, false},
		{"1.", false, false}, {"1,", false, false}, {",1", false, false}, {"1.2.3", false, false},
		{"12件", false, false}, {"（一）", false, false}, {"三", false, false}, {"", false, false},
		{"+", false, false}, {"1/2", false, false},
	}
	for _, tt := range tests {
		ok, digits := numberToken(tt.in)
		if ok != tt.ok || digits != tt.digits {
			t.Errorf("numberToken(%q) = %v, %v; want %v, %v", tt.in, ok, digits, tt.ok, tt.digits)
		}
	}
}

func TestIsFurniture(t *testing.T) {
	for _, s := range []string{"-3-", "- 4 -", "— 5 —", "－３－", "  -12-  ", "第 3 页", "第3页 共10页",
		"第 3 页，共 10 页", "共10页 第3页", "3/10", "3 / 10", "Page 3", "page 3 of 10", "\f- 2 -"} {
		if !isFurniture(s) {
			t.Errorf("isFurniture(%q) = false", s)
		}
	}
	for _, s := range []string{"3", "-", "- -", "10/3", "0/5", "第三页", "第 3 页 说明", "-3", "1 - 2",
		"行政许可 3/10", "3/10\t"} {
		if isFurniture(s) {
			t.Errorf("isFurniture(%q) = true", s)
		}
	}
}

func BenchmarkReadText(b *testing.B) {
	data, err := os.ReadFile("testdata/text/seed.txt")
	if err != nil {
		b.Fatal(err)
	}
	ctx, lim := context.Background(), DefaultLimits()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(ctx, "seed.txt", data, lim); err != nil {
			b.Fatal(err)
		}
	}
}
