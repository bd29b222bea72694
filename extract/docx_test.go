package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Small DOCX files are built here from XML strings; only the parts the reader looks at are written.

const docxNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
	`xmlns:v="urn:schemas-microsoft-com:vml"`

const docxContentTypes = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

// docxDocument wraps body XML into word/document.xml.
func docxDocument(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document ` + docxNS + `><w:body>` + body + `<w:sectPr/></w:body></w:document>`
}

// chineseStyles are styles as Chinese Word writes them: ids "1", "2", names "heading 1", …
const chineseStyles = `<?xml version="1.0" encoding="UTF-8"?><w:styles ` + docxNS + `>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="2"><w:name w:val="标题 2"/><w:basedOn w:val="a"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="MyTitle"><w:name w:val="Report section"/><w:basedOn w:val="1"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Outline"><w:name w:val="Custom"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>` +
	`<w:style w:type="character" w:styleId="3"><w:name w:val="heading 3"/></w:style>` +
	`</w:styles>`

// docxZip builds a deflated zip archive with fixed timestamps: [Content_Types].xml first, then by name.
func docxZip(t testing.TB, files map[string]string) []byte {
	t.Helper()
	return docxZipMethod(t, files, zip.Deflate)
}

// docxZipMethod is docxZip with a choice of compression; the fuzz target stores, which is faster.
func docxZipMethod(t testing.TB, files map[string]string, method uint16) []byte {
	t.Helper()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "[Content_Types].xml") != (names[j] == "[Content_Types].xml") {
			return names[i] == "[Content_Types].xml"
		}
		return names[i] < names[j]
	})
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: method, Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// buildDOCX makes a DOCX from body XML, with the Chinese styles.
func buildDOCX(t testing.TB, body string) []byte {
	return docxZip(t, map[string]string{
		"[Content_Types].xml": docxContentTypes,
		"word/document.xml":   docxDocument(body),
		"word/styles.xml":     chineseStyles,
	})
}

func wp(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

// dcell is one w:tc of a test table: text (paragraphs separated by |), gridSpan, vMerge.
type dcell struct {
	text   string
	span   int
	vmerge string // "", "restart", "continue"
}

func wtbl(rows ...string) string {
	return `<w:tbl><w:tblPr/><w:tblGrid/>` + strings.Join(rows, "") + `</w:tbl>`
}

func wtr(trPr string, cells ...dcell) string {
	var b strings.Builder
	b.WriteString(`<w:tr>`)
	if trPr != "" {
		b.WriteString(`<w:trPr>` + trPr + `</w:trPr>`)
	}
	for _, c := range cells {
		b.WriteString(`<w:tc><w:tcPr>`)
		if c.span > 1 {
			fmt.Fprintf(&b, `<w:gridSpan w:val="%d"/>`, c.span)
		}
		switch c.vmerge {
		case "restart":
			b.WriteString(`<w:vMerge w:val="restart"/>`)
		case "continue":
			b.WriteString(`<w:vMerge/>`)
		}
		b.WriteString(`</w:tcPr>`)
		for _, p := range strings.Split(c.text, "|") {
			b.WriteString(wp(p))
		}
		b.WriteString(`</w:tc>`)
	}
	b.WriteString(`</w:tr>`)
	return b.String()
}

func readDOCXBytes(t testing.TB, data []byte, lim Limits) (*Document, error) {
	t.Helper()
	return Read(context.Background(), "test.docx", data, lim)
}

func docxGridText(rows [][]Cell) string {
	var lines []string
	for _, row := range rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = c.Text
			if c.Copy {
				cells[i] = "*" + c.Text
			}
		}
		lines = append(lines, strings.Join(cells, ","))
	}
	return strings.Join(lines, "\n")
}

func TestReadDOCXParagraphs(t *testing.T) {
	body := `<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>一、总体</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>情况</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="2"/><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>（一）主动公开</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="MyTitle"/></w:pPr><w:r><w:t>二、主动公开政府信息情况</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="Outline"/></w:pPr><w:r><w:t>大纲三级</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:outlineLvl w:val="3"/></w:pPr><w:r><w:t>直接大纲</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="3"/></w:pPr><w:r><w:t>字符样式不是标题</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>全年共</w:t></w:r><w:r><w:tab/><w:t>受理</w:t><w:br/><w:t>57</w:t></w:r><w:r><w:t xml:space="preserve"> 件</w:t></w:r></w:p>` +
		`<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:t>可见</w:t></w:r><w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:ins><w:r><w:t>插入</w:t></w:r></w:ins></w:p>` +
		`<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>` +
		`<w:p/>` +
		`<w:p><w:r><w:t>　　</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t>　　统计期限自2024年1月1日起至12月31日止。　</w:t></w:r></w:p>` +
		`<w:sdt><w:sdtContent><w:p><w:r><w:t>内容控件</w:t></w:r></w:p></w:sdtContent></w:sdt>`
	doc, err := readDOCXBytes(t, buildDOCX(t, body), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	checkMarkupDocument(t, doc, DefaultLimits())
	want := []struct {
		text  string
		level int
	}{
		{"一、总体情况", 1},       // runs join without separator; style "1" is "heading 1" in styles.xml
		{"（一）主动公开", 2},      // "标题 2"; the tab stop in w:pPr is not text
		{"二、主动公开政府信息情况", 1}, // inherits heading 1 through w:basedOn
		{"大纲三级", 3},         // w:outlineLvl of the style
		{"直接大纲", 4},         // w:outlineLvl of the paragraph
		{"字符样式不是标题", 0},     // a character style's name does not make a heading
		{"全年共 受理 57 件", 0},  // w:tab and w:br are spaces
		{"可见插入", 0},         // hidden and deleted text left out, inserted text kept
		{"3", 0},            // field result kept, field code left out
		{"统计期限自2024年1月1日起至12月31日止。", 0},
		{"内容控件", 0},
	}
	var got []string
	for _, b := range doc.Blocks {
		got = append(got, fmt.Sprintf("%s/%d", b.Text, b.Level))
	}
	var exp []string
	for _, w := range want {
		exp = append(exp, fmt.Sprintf("%s/%d", w.text, w.level))
	}
	if strings.Join(got, "\n") != strings.Join(exp, "\n") {
		t.Errorf("paragraphs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(exp, "\n"))
	}
}

// Without styles.xml a heading level can still come from a style id that names it.
func TestReadDOCXHeadingWithoutStyles(t *testing.T) {
	data := docxZip(t, map[string]string{
		"[Content_Types].xml": docxContentTypes,
		"word/document.xml":   docxDocument(`<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>三、收到和处理</w:t></w:r></w:p>`),
	})
	doc, err := readDOCXBytes(t, data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Blocks) != 1 || doc.Blocks[0].Level != 2 {
		t.Fatalf("blocks %+v", doc.Blocks)
	}
}

func TestReadDOCXMerges(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want string
	}{
		{
			"gridSpan",
			wtbl(
				wtr("", dcell{text: "第二十条第（五）项", span: 4}),
				wtr("", dcell{text: "信息内容"}, dcell{text: "本年处理决定数量", span: 3}),
				wtr("", dcell{text: "行政许可"}, dcell{text: "68", span: 3}),
			),
			"第二十条第（五）项,*第二十条第（五）项,*第二十条第（五）项,*第二十条第（五）项\n" +
				"信息内容,本年处理决定数量,*本年处理决定数量,*本年处理决定数量\n" +
				"行政许可,68,*68,*68",
		},
		{
			"vMerge restart and continue",
			wtbl(
				wtr("", dcell{text: "（三）不予公开", vmerge: "restart"}, dcell{text: "1.属于国家秘密"}, dcell{text: "0"}),
				wtr("", dcell{text: "　", vmerge: "continue"}, dcell{text: "2.其他法律行政法规禁止公开"}, dcell{text: "0"}),
				wtr("", dcell{text: "", vmerge: "continue"}, dcell{text: "3.危及“三安全一稳定”"}, dcell{text: "1"}),
				wtr("", dcell{text: "（四）无法提供"}, dcell{text: "1.本机关不掌握相关政府信息"}, dcell{text: "16"}),
			),
			"（三）不予公开,1.属于国家秘密,0\n" +
				"*（三）不予公开,2.其他法律行政法规禁止公开,0\n" +
				"*（三）不予公开,3.危及“三安全一稳定”,1\n" +
				"（四）无法提供,1.本机关不掌握相关政府信息,16",
		},
		{
			"vMerge across a gridSpan",
			wtbl(
				wtr("", dcell{text: "note", span: 2, vmerge: "restart"}, dcell{text: "申请人情况"}),
				wtr("", dcell{span: 2, vmerge: "continue"}, dcell{text: "自然人"}),
			),
			"note,*note,申请人情况\n*note,*note,自然人",
		},
		{
			"continue without restart keeps its own text",
			wtbl(wtr("", dcell{text: "a", vmerge: "continue"}, dcell{text: "b"})),
			"a,b",
		},
		{
			"gridBefore and gridAfter",
			wtbl(
				wtr("", dcell{text: "a"}, dcell{text: "b"}, dcell{text: "c"}),
				wtr(`<w:gridBefore w:val="1"/><w:gridAfter w:val="1"/>`, dcell{text: "x"}),
				wtr(`<w:gridBefore w:val="2"/>`, dcell{text: "y"}),
			),
			"a,b,c\n,x,\n,,y",
		},
		{
			"ragged rows padded",
			wtbl(wtr("", dcell{text: "a"}, dcell{text: "b"}, dcell{text: "c"}), wtr("", dcell{text: "x"})),
			"a,b,c\nx,,",
		},
		{
			"cell paragraphs",
			wtbl(wtr("", dcell{text: "商业|企业"}, dcell{text: "1.|属于国家秘密"}, dcell{text: "　|　"}, dcell{text: "本年收费金额|（单位：万元）"})),
			"商业企业,1. 属于国家秘密,,本年收费金额（单位：万元）",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := readDOCXBytes(t, buildDOCX(t, tc.body), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			checkMarkupDocument(t, doc, DefaultLimits())
			ts := tableBlocks(doc)
			if len(ts) != 1 {
				t.Fatalf("%d tables", len(ts))
			}
			if got := docxGridText(ts[0].Rows); got != tc.want {
				t.Errorf("grid:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestReadDOCXLegacyHMerge(t *testing.T) {
	body := `<w:tbl><w:tr>` +
		`<w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr>` + wp("行政复议") + `</w:tc>` +
		`<w:tc><w:tcPr><w:hMerge/></w:tcPr>` + wp("") + `</w:tc>` +
		`<w:tc>` + wp("行政诉讼") + `</w:tc></w:tr></w:tbl>`
	doc, err := readDOCXBytes(t, buildDOCX(t, body), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if got := docxGridText(tableBlocks(doc)[0].Rows); got != "行政复议,*行政复议,行政诉讼" {
		t.Errorf("grid %q", got)
	}
}

// table3Rows is the 2021 Table 3 as the DOCX template lays it out (report-format.md §7.5):
// gridSpan for horizontal merges, vMerge restart/continue for the vertical ones.
func table3Rows() string {
	z := []string{"0", "0", "0", "0", "0", "0", "0"}
	vals := func(v []string) []dcell {
		out := make([]dcell, len(v))
		for i, s := range v {
			out[i] = dcell{text: s}
		}
		return out
	}
	row := func(label []dcell, v []string) string { return wtr("", append(label, vals(v)...)...) }
	var rows []string
	note := "（本列数据的勾稽关系为：第一项加第二项之和，|等于第三项加第四项之和）"
	rows = append(rows,
		wtr("", dcell{text: note, span: 3, vmerge: "restart"}, dcell{text: "申请人情况", span: 7}),
		wtr("", dcell{span: 3, vmerge: "continue"}, dcell{text: "自然人", vmerge: "restart"}, dcell{text: "法人或其他组织", span: 5}, dcell{text: "总计", vmerge: "restart"}),
		wtr("", dcell{span: 3, vmerge: "continue"}, dcell{vmerge: "continue"}, dcell{text: "商业|企业"}, dcell{text: "科研|机构"}, dcell{text: "社会公益组织"}, dcell{text: "法律服务机构"}, dcell{text: "其他"}, dcell{vmerge: "continue"}),
		row([]dcell{{text: "一、本年新收政府信息公开申请数量", span: 3}}, []string{"42", "10", "0", "0", "0", "4", "56"}),
		row([]dcell{{text: "二、上年结转政府信息公开申请数量", span: 3}}, []string{"1", "0", "0", "0", "0", "0", "1"}),
		row([]dcell{{text: "三、本年度办理结果", vmerge: "restart"}, {text: "（一）予以公开", span: 2}}, []string{"12", "1", "0", "0", "0", "4", "17"}),
		row([]dcell{{vmerge: "continue"}, {text: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", span: 2}}, []string{"8", "1", "0", "0", "0", "0", "9"}),
	)
	groups := []struct {
		head   string
		labels []string
	}{
		{"（三）不予公开", []string{"1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"}},
		{"（四）无法提供", []string{"1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"}},
		{"（五）不予处理", []string{"1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息"}},
		{"（六）其他处理", []string{"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"}},
	}
	for _, g := range groups {
		for i, l := range g.labels {
			head := dcell{text: "　", vmerge: "continue"}
			if i == 0 {
				head = dcell{text: g.head, vmerge: "restart"}
			}
			rows = append(rows, row([]dcell{{text: "　", vmerge: "continue"}, head, {text: l}}, z))
		}
	}
	rows = append(rows,
		row([]dcell{{vmerge: "continue"}, {text: "（七）总计", span: 2}}, []string{"43", "10", "0", "0", "0", "4", "57"}),
		row([]dcell{{text: "四、结转下年度继续办理", span: 3}}, []string{"　", "0", "0", "0", "0", "0", "0"}),
	)
	return wtbl(rows...)
}

func TestReadDOCXTable3Template(t *testing.T) {
	doc, err := readDOCXBytes(t, buildDOCX(t, wp("三、收到和处理政府信息公开申请情况")+table3Rows()), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	checkMarkupDocument(t, doc, DefaultLimits())
	rows := tableBlocks(doc)[0].Rows
	if len(rows) != 28 || len(rows[0]) != 10 {
		t.Fatalf("grid %d×%d, want 28×10", len(rows), len(rows[0]))
	}
	copies := 0
	for r, row := range rows {
		for c, cell := range row {
			if cell.Copy {
				copies++
				if r >= 3 && c >= 3 {
					t.Errorf("value cell %d,%d is a copy", r+1, c+1)
				}
			}
		}
	}
	// Same merged ranges as the HTML form: 65 cells repeat an origin.
	if copies != 65 {
		t.Errorf("%d copies, want 65\n%s", copies, docxGridText(rows))
	}
	for _, tc := range []struct {
		r, c int
		want string
		copy bool
	}{
		{0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", false},
		{2, 2, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", true},
		{2, 3, "自然人", true},
		{2, 4, "商业企业", false},
		{2, 9, "总计", true},
		{26, 0, "三、本年度办理结果", true},
		{14, 1, "（三）不予公开", true},
		{15, 1, "（四）无法提供", false},
		{25, 2, "3.其他", false},
		{27, 3, "", false},
		{26, 9, "57", false},
	} {
		cell := rows[tc.r][tc.c]
		if cell.Text != tc.want || cell.Copy != tc.copy {
			t.Errorf("cell %d,%d = %q copy %v, want %q copy %v", tc.r+1, tc.c+1, cell.Text, cell.Copy, tc.want, tc.copy)
		}
	}
}

// A table that holds tables is page layout: its paragraphs and inner tables come out on their own.
func TestReadDOCXNestedTables(t *testing.T) {
	inner := wtbl(wtr("", dcell{text: "行政许可"}, dcell{text: "68"}), wtr("", dcell{text: "行政处罚"}, dcell{text: "27"}))
	body := wp("标题") +
		`<w:tbl><w:tr><w:tc>` + wp("二、主动公开政府信息情况") + inner + `</w:tc><w:tc>` + wp("旁注") + `</w:tc></w:tr></w:tbl>` +
		wtbl(wtr("", dcell{text: "外"}, dcell{text: "表"})) +
		wtbl(wtr("", dcell{text: "单列表格的内容"}), wtr("", dcell{text: "是段落"}))
	doc, err := readDOCXBytes(t, buildDOCX(t, body), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	checkMarkupDocument(t, doc, DefaultLimits())
	var got []string
	for _, b := range doc.Blocks {
		if b.Kind == Table {
			got = append(got, fmt.Sprintf("T%d[%s]", b.Pos.Table, strings.ReplaceAll(docxGridText(b.Rows), "\n", ";")))
		} else {
			got = append(got, b.Text)
		}
	}
	want := "标题|二、主动公开政府信息情况|T1[行政许可,68;行政处罚,27]|旁注|T2[外,表]|单列表格的内容|是段落"
	if strings.Join(got, "|") != want {
		t.Errorf("blocks %q\nwant    %q", strings.Join(got, "|"), want)
	}
}

func drawingXML(cxcm, cycm float64) string {
	return fmt.Sprintf(`<w:drawing><wp:inline><wp:extent cx="%d" cy="%d"/><wp:docPr id="1" name="图片 1"/>`+
		`<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip r:embed="rId9" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>`+
		`</wp:inline></w:drawing>`, int64(cxcm*360000), int64(cycm*360000))
}

// drawing is a run holding a picture of the given size in centimetres.
func drawing(cxcm, cycm float64) string { return `<w:r>` + drawingXML(cxcm, cycm) + `</w:r>` }

func TestReadDOCXImageTable(t *testing.T) {
	for _, tc := range []struct {
		name  string
		body  string
		notes []string
	}{
		{"table pasted as a picture", wp("三、收到和处理政府信息公开申请情况") + `<w:p>` + drawing(15.9, 12) + `</w:p>` + wp("四、"), []string{"paragraph 1"}},
		{"picture in a paragraph with text", `<w:p><w:r><w:t>见下图</w:t></w:r>` + drawing(15, 8) + `</w:p>`, []string{"paragraph 1"}},
		{"seal too small to be a table", wp("盖章") + `<w:p>` + drawing(4, 4) + `</w:p>`, nil},
		{"VML picture without a size", wp("a") + wp("b") + `<w:p><w:r><w:pict><v:shape><v:imagedata/></v:shape></w:pict></w:r></w:p>`, []string{"paragraph 2"}},
		{"alternate content counted once", wp("a") + `<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps">` + drawingXML(16, 10) + `</mc:Choice><mc:Fallback><w:pict><v:shape><v:imagedata/></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`, []string{"paragraph 1"}},
		{"a shape is no picture", wp("a") + `<w:p><w:r><w:pict><v:shape style="width:400pt;height:300pt"/></w:pict></w:r></w:p>`, nil},
		{"embedded object", `<w:p><w:r><w:object><v:shape/></w:object></w:r></w:p>` + wp("后文"), []string{""}},
		{"picture inside a data table cell", `<w:tbl><w:tr><w:tc>` + wp("a") + `</w:tc><w:tc><w:p>` + drawing(16, 10) + `</w:p></w:tc></w:tr></w:tbl>`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := readDOCXBytes(t, buildDOCX(t, tc.body), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			checkMarkupDocument(t, doc, DefaultLimits())
			var got []string
			for _, n := range doc.Notes {
				if n.Code != "image-table" {
					t.Errorf("note code %q", n.Code)
				}
				got = append(got, n.Pos.String())
			}
			if strings.Join(got, ";") != strings.Join(tc.notes, ";") || len(got) != len(tc.notes) {
				t.Errorf("notes at %q, want %q (%+v)", got, tc.notes, doc.Notes)
			}
		})
	}
}

// Text boxes are text: a title in a text box reads after its anchor paragraph, once, although
// mc:AlternateContent holds the box twice; the box itself is no picture and gets no note. A VML
// horizontal rule is no picture either, and a VML picture's size comes from its style.
func TestReadDOCXTextBoxes(t *testing.T) {
	box := func(text string) string {
		return `<w:txbxContent><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:txbxContent>`
	}
	body := `<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:extent cx="5400000" cy="1800000"/>` +
		`<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx>` + box("某某区人民政府 2024 年政府信息公开工作年度报告") + `</wps:txbx></wps:wsp></a:graphicData></a:graphic>` +
		`</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>` + box("某某区人民政府 2024 年政府信息公开工作年度报告") + `</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>` +
		`<w:p><w:r><w:pict><v:rect style="width:0;height:1.5pt" o:hr="t" xmlns:o="urn:schemas-microsoft-com:office:office"/></w:pict></w:r></w:p>` +
		`<w:p><w:r><w:pict><v:shape style="width:100pt;height:100pt"><v:imagedata/></v:shape></w:pict></w:r></w:p>` +
		`<w:p><w:r><w:pict><v:shape style="position:absolute;width:450pt;height:300pt"><v:imagedata/></v:shape></w:pict></w:r></w:p>` +
		wtbl(wtr("", dcell{text: "a"}, dcell{text: "b"}))
	doc, err := readDOCXBytes(t, buildDOCX(t, body), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	checkMarkupDocument(t, doc, DefaultLimits())
	if got := strings.Join(paragraphTexts(doc), "|"); got != "正文|某某区人民政府 2024 年政府信息公开工作年度报告" {
		t.Errorf("paragraphs %q", got)
	}
	if len(doc.Notes) != 1 || !strings.Contains(doc.Notes[0].Message, "15.9×10.6 cm") {
		t.Errorf("notes %+v, want one for the 450×300 pt picture", doc.Notes)
	}
}

// A document with tables but no report reads fine; transform rejects it later.
func TestReadDOCXTablesButNoReport(t *testing.T) {
	body := wp("会议签到表") + wtbl(wtr("", dcell{text: "姓名"}, dcell{text: "单位"}), wtr("", dcell{text: "张三"}, dcell{text: "办公室"}))
	doc, err := readDOCXBytes(t, buildDOCX(t, body), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(tableBlocks(doc)) != 1 || doc.Source.Format != FormatDOCX {
		t.Fatalf("document %+v", doc)
	}
}

func TestReadDOCXErrors(t *testing.T) {
	valid := buildDOCX(t, wp("一、总体情况")+table3Rows())
	// Corrupt the deflated bytes of word/document.xml in the middle of the entry's data.
	corrupt := bytes.Clone(valid)
	{
		zr, err := zip.NewReader(bytes.NewReader(valid), int64(len(valid)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				off, err := f.DataOffset()
				if err != nil {
					t.Fatal(err)
				}
				for i := off + 20; i < off+60; i++ {
					corrupt[i] ^= 0x5A
				}
			}
		}
	}
	manyRows := wtbl(strings.Repeat(wtr("", dcell{text: "a"}, dcell{text: "1"}), 12))
	encryptedEntry := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
			h := &zip.FileHeader{Name: name, Method: zip.Store, Flags: 0x1}
			w, err := zw.CreateRaw(h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte("ciphertext"))
		}
		zw.Close()
		return buf.Bytes()
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)
	ole = append(ole, utf16le("EncryptedPackage")...)
	for _, tc := range []struct {
		name  string
		data  []byte
		lim   Limits
		cause error
		place string
	}{
		{"zip bomb", docxZip(t, map[string]string{"[Content_Types].xml": docxContentTypes, "word/document.xml": docxDocument(wp(strings.Repeat("0", 3<<20)))}), Limits{MaxUncompressed: 1 << 20, MaxRows: 100, MaxCells: 1000}, ErrLimit, "word/document.xml"},
		{"styles and document share the budget", docxZip(t, map[string]string{"[Content_Types].xml": docxContentTypes, "word/styles.xml": chineseStyles + strings.Repeat(" ", 600<<10), "word/document.xml": docxDocument(wp(strings.Repeat("字", 200<<10)))}), Limits{MaxUncompressed: 1 << 20, MaxRows: 100, MaxCells: 1000}, ErrLimit, "word/document.xml"},
		{"corrupted entry", corrupt, DefaultLimits(), ErrCorrupt, "word/document.xml"},
		{"truncated zip", valid[:len(valid)/2], DefaultLimits(), ErrCorrupt, ""},
		{"doctype", docxZip(t, map[string]string{"[Content_Types].xml": docxContentTypes, "word/document.xml": `<?xml version="1.0"?>` + "\n" + `<!DOCTYPE w:document [<!ENTITY lol "lol">]>` + "\n" + `<w:document ` + docxNS + `><w:body>` + wp("&lol;") + `</w:body></w:document>`}), DefaultLimits(), ErrCorrupt, "word/document.xml line 2"},
		{"doctype in styles", docxZip(t, map[string]string{"[Content_Types].xml": docxContentTypes, "word/styles.xml": `<!DOCTYPE x SYSTEM "file:///etc/passwd"><w:styles ` + docxNS + `/>`, "word/document.xml": docxDocument(wp("a"))}), DefaultLimits(), ErrCorrupt, "word/styles.xml line 1"},
		{"undefined entity", buildDOCX(t, wp("&xxe;")), DefaultLimits(), ErrCorrupt, "word/document.xml line 2"},
		{"unclosed element", docxZip(t, map[string]string{"[Content_Types].xml": docxContentTypes, "word/document.xml": `<w:document ` + docxNS + `>` + "\n<w:body>\n<w:p><w:r><w:t>a</w:r></w:p>"}), DefaultLimits(), ErrCorrupt, "word/document.xml line 3"},
		{"ends inside a table", docxZip(t, map[string]string{"[Content_Types].xml": docxContentTypes, "word/document.xml": `<w:document ` + docxNS + `><w:body><w:tbl><w:tr>`}), DefaultLimits(), ErrCorrupt, "word/document.xml"},
		{"rows beyond MaxRows", buildDOCX(t, manyRows), Limits{MaxRows: 10, MaxCells: 1000}, ErrLimit, "word/document.xml line"},
		{"cells beyond MaxCells", buildDOCX(t, manyRows+manyRows), Limits{MaxRows: 100, MaxCells: 30}, ErrLimit, "word/document.xml line"},
		{"encrypted entry", encryptedEntry(), DefaultLimits(), ErrEncrypted, "[Content_Types].xml"},
		{"encrypted OLE package", ole, DefaultLimits(), ErrEncrypted, ""},
		{"empty body", buildDOCX(t, `<w:p/><w:p><w:r><w:t>　</w:t></w:r></w:p>`), DefaultLimits(), ErrNoContent, "word/document.xml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readDOCXBytes(t, tc.data, tc.lim)
			checkReadError(t, err, "test.docx", tc.cause, tc.place)
		})
	}
}

// The reader itself (not only detection) refuses containers without a main document part, OLE
// packages and duplicated parts, for callers that reach it directly.
func TestReadDOCXContainerChecks(t *testing.T) {
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, utf16le("EncryptionInfo")...)
	dup := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, body := range []string{wp("a"), wp("b")} {
			w, _ := zw.Create("word/document.xml")
			w.Write([]byte(docxDocument(body)))
		}
		zw.Close()
		return buf.Bytes()
	}()
	for _, tc := range []struct {
		name  string
		data  []byte
		cause error
		place string
	}{
		{"no document part", docxZip(t, map[string]string{"[Content_Types].xml": docxContentTypes}), ErrCorrupt, "word/document.xml"},
		{"OLE encrypted", ole, ErrEncrypted, ""},
		{"duplicate part", dup, ErrCorrupt, "word/document.xml"},
		{"not a zip", []byte("PK\x03\x04 nonsense"), ErrCorrupt, "zip directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readDOCX(context.Background(), Source{Path: "direct.docx"}, tc.data, DefaultLimits())
			checkReadError(t, err, "direct.docx", tc.cause, tc.place)
		})
	}
}

func TestReadDOCXCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := buildDOCX(t, strings.Repeat(wp("段落"), 5000))
	_, err := readDOCX(ctx, Source{Path: "c.docx"}, data, DefaultLimits())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

// The generated fixtures read back with the three tables of the 2021 form in their template
// shapes: Table 2 in 14 rows of 4 (one table, or one per 第二十条 block), Table 3 28×10, Table 4 4×15.
func TestReadDOCXFixtures(t *testing.T) {
	files := markupFixtures(t, "docx")
	if len(files) == 0 {
		t.Skip("no fixtures/docx-*/input.docx yet")
	}
	for _, path := range files {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			doc, err := ReadFile(context.Background(), path, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			checkMarkupDocument(t, doc, DefaultLimits())
			var shapes []string
			t2rows := 0
			ts := tableBlocks(doc)
			for i, b := range ts {
				shapes = append(shapes, fmt.Sprintf("%d×%d", len(b.Rows), len(b.Rows[0])))
				if i < len(ts)-2 && len(b.Rows[0]) == 4 {
					t2rows += len(b.Rows)
				}
			}
			if len(ts) < 3 || t2rows != 14 || shapes[len(shapes)-2] != "28×10" || shapes[len(shapes)-1] != "4×15" {
				t.Errorf("table shapes %v, want Table 2 in 14 rows of 4, then 28×10 and 4×15", shapes)
			}
		})
	}
}

// docxFuzzSeeds are small on purpose: the fuzzer minimises every interesting input, and a
// 100 KB document.xml makes each minimisation take minutes. The generated fixtures are added as
// whole files; the XML seeds cover the parser's features in a few hundred bytes each.
func docxFuzzSeeds(f *testing.F) {
	bodies := []string{
		wp("一、总体情况") + wtbl(
			wtr("", dcell{text: "note", span: 3, vmerge: "restart"}, dcell{text: "申请人情况", span: 2}),
			wtr("", dcell{span: 3, vmerge: "continue"}, dcell{text: "商业|企业"}, dcell{text: "总计"}),
			wtr("", dcell{text: "三、本年度办理结果", vmerge: "restart"}, dcell{text: "（三）不予公开", vmerge: "restart"}, dcell{text: "1.属于国家秘密"}, dcell{text: "0"}, dcell{text: "　"}),
			wtr("", dcell{vmerge: "continue"}, dcell{vmerge: "continue"}, dcell{text: "2.其他"}, dcell{text: "3"}, dcell{text: "3"}),
		),
		wtbl(wtr("", dcell{text: "a", span: 3, vmerge: "restart"}), wtr(`<w:gridBefore w:val="2"/>`, dcell{text: "b", vmerge: "continue"})),
		`<w:p><w:r><w:t>见下图</w:t></w:r>` + drawing(15, 8) + `</w:p>`,
		`<w:tbl><w:tr><w:tc>` + wtbl(wtr("", dcell{text: "x"}, dcell{text: "1"})) + `</w:tc></w:tr></w:tbl>`,
		numbered("1", "0", "总体情况") + numbered("1", "1", "主动公开"),
		`<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:rPr><w:vanish/></w:rPr><w:t>x</w:t></w:r><w:r><w:tab/><w:t>y</w:t></w:r></w:p>`,
	}
	for _, b := range bodies {
		f.Add([]byte(docxDocument(b)), false)
	}
	for _, path := range markupFixtures(f, "docx") {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, true)
	}
}

// FuzzReadDOCX feeds either a whole file (raw) or, more usefully, the XML of word/document.xml
// packed into a valid container, so the fuzzer works on the parser rather than on zip checksums.
func FuzzReadDOCX(f *testing.F) {
	docxFuzzSeeds(f)
	lim := Limits{MaxBytes: 1 << 20, MaxUncompressed: 4 << 20, MaxRows: 200, MaxCells: 5000}
	f.Fuzz(func(t *testing.T, data []byte, raw bool) {
		if !raw {
			data = docxZipMethod(t, map[string]string{"[Content_Types].xml": docxContentTypes, "word/document.xml": string(data), "word/styles.xml": chineseStyles, "word/numbering.xml": testNumbering}, zip.Store)
		}
		doc, err := readDOCX(context.Background(), Source{Path: "fuzz.docx"}, data, lim)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Path != "fuzz.docx" {
				t.Fatalf("error %v does not name the file", err)
			}
			return
		}
		if len(doc.Blocks) == 0 && len(doc.Notes) == 0 {
			t.Fatal("an empty document without an error")
		}
		checkMarkupDocument(t, doc, lim)
	})
}

func BenchmarkReadDOCX(b *testing.B) { benchmarkReadFixtures(b, "docx") }

const testNumbering = `<?xml version="1.0" encoding="UTF-8"?><w:numbering ` + docxNS + `>` +
	`<w:abstractNum w:abstractNumId="0">` +
	`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl>` +
	`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/></w:lvl>` +
	`</w:abstractNum>` +
	`<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>` +
	`<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl></w:abstractNum>` +
	`<w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="9"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="space"/><w:lvlText w:val="第%1条"/></w:lvl></w:abstractNum>` +
	`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>` +
	`<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>` +
	`<w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>` +
	`<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>` +
	`<w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>` +
	`</w:numbering>`

const numberedStyles = `<?xml version="1.0" encoding="UTF-8"?><w:styles ` + docxNS + `>` +
	`<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>` +
	`</w:styles>`

func numbered(numID, ilvl, text string) string {
	return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + ilvl + `"/><w:numId w:val="` + numID + `"/></w:numPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

// List numbers are part of the text a reader sees: "一、" drawn by Word in front of a heading.
func TestReadDOCXListNumbers(t *testing.T) {
	body := numbered("1", "0", "总体情况") +
		numbered("1", "1", "主动公开") +
		numbered("1", "1", "依申请公开") +
		`<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>主动公开政府信息情况</w:t></w:r></w:p>` +
		numbered("1", "1", "重新计数") +
		`<w:p><w:pPr><w:pStyle w:val="1"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>不编号的标题</w:t></w:r></w:p>` +
		numbered("1", "0", "") +
		numbered("1", "0", "空段落也计数") +
		`<w:tbl><w:tr><w:tc>` + numbered("3", "0", "属于国家秘密") + `</w:tc><w:tc>` + wp("0") + `</w:tc></w:tr>` +
		`<w:tr><w:tc>` + numbered("3", "0", "其他法律行政法规禁止公开") + `</w:tc><w:tc>` + wp("0") + `</w:tc></w:tr></w:tbl>` +
		numbered("4", "0", "项目符号") +
		numbered("2", "0", "另一列表重新开始") +
		numbered("5", "0", "从九开始") +
		numbered("9", "0", "未定义的列表")
	data := docxZip(t, map[string]string{
		"[Content_Types].xml": docxContentTypes,
		"word/document.xml":   docxDocument(body),
		"word/styles.xml":     numberedStyles,
		"word/numbering.xml":  testNumbering,
	})
	doc, err := readDOCXBytes(t, data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	checkMarkupDocument(t, doc, DefaultLimits())
	want := "一、总体情况|（一）主动公开|（二）依申请公开|二、主动公开政府信息情况|（一）重新计数|不编号的标题|" +
		"四、空段落也计数|1. 属于国家秘密,0;2. 其他法律行政法规禁止公开,0|项目符号|一、另一列表重新开始|第九条 从九开始|未定义的列表"
	var got []string
	for _, b := range doc.Blocks {
		if b.Kind == Table {
			got = append(got, strings.ReplaceAll(docxGridText(b.Rows), "\n", ";"))
		} else {
			got = append(got, b.Text)
		}
	}
	if strings.Join(got, "|") != want {
		t.Errorf("blocks\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
}

func TestFormatListNumber(t *testing.T) {
	for _, tc := range []struct {
		n      int
		format string
		want   string
	}{
		{1, "chineseCounting", "一"}, {10, "chineseCounting", "十"}, {11, "chineseCounting", "十一"},
		{20, "chineseCountingThousand", "二十"}, {35, "chineseCounting", "三十五"}, {3, "chineseLegalSimplified", "叁"},
		{2, "ideographTraditional", "乙"}, {3, "decimalEnclosedCircle", "③"}, {12, "decimalFullWidth", "１２"},
		{4, "lowerLetter", "d"}, {28, "upperLetter", "BB"}, {14, "lowerRoman", "xiv"}, {7, "decimalZero", "07"},
		{5, "somethingNew", "5"}, {150, "chineseCounting", "150"},
	} {
		if got := formatListNumber(tc.n, tc.format); got != tc.want {
			t.Errorf("formatListNumber(%d, %q) = %q, want %q", tc.n, tc.format, got, tc.want)
		}
	}
}

// TestReadDOCXGolden reads the document.xml files under testdata/docx (packed with the Chinese
// styles and test numbering) and compares the documents with their golden renderings.
func TestReadDOCXGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "docx", "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			xmlData, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			data := docxZip(t, map[string]string{
				"[Content_Types].xml": docxContentTypes,
				"word/document.xml":   string(xmlData),
				"word/styles.xml":     chineseStyles,
				"word/numbering.xml":  testNumbering,
			})
			doc, err := Read(context.Background(), filepath.ToSlash(path), data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			checkMarkupDocument(t, doc, DefaultLimits())
			markupGolden(t, strings.TrimSuffix(path, ".xml")+".golden", doc)
		})
	}
}

// Hidden text is hidden whether the run says w:vanish itself or its character or paragraph style
// does (an old value kept hidden beside the new one); a run's own w:vanish w:val="0" shows it.
func TestReadDOCXHiddenByStyle(t *testing.T) {
	styles := `<?xml version="1.0" encoding="UTF-8"?><w:styles ` + docxNS + `>` +
		`<w:style w:type="character" w:styleId="Old"><w:name w:val="old value"/><w:rPr><w:vanish/></w:rPr></w:style>` +
		`<w:style w:type="character" w:styleId="OldBased"><w:name w:val="based"/><w:basedOn w:val="Old"/></w:style>` +
		`<w:style w:type="character" w:styleId="Shown"><w:name w:val="shown"/><w:basedOn w:val="Old"/><w:rPr><w:vanish w:val="0"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="HidPara"><w:name w:val="hidden para"/><w:rPr><w:vanish/></w:rPr></w:style>` +
		`</w:styles>`
	run := func(rPr, text string) string { return `<w:r><w:rPr>` + rPr + `</w:rPr><w:t>` + text + `</w:t></w:r>` }
	cases := []struct{ name, para, want string }{
		{"character style", `<w:p>` + run(`<w:rStyle w:val="Old"/>`, "45") + run(``, "38") + `</w:p>`, "38"},
		{"inherited", `<w:p>` + run(`<w:rStyle w:val="OldBased"/>`, "45") + run(``, "38") + `</w:p>`, "38"},
		{"style turns it off", `<w:p>` + run(`<w:rStyle w:val="Shown"/>`, "3") + run(``, "8") + `</w:p>`, "38"},
		{"run overrides style", `<w:p>` + run(`<w:rStyle w:val="Old"/><w:vanish w:val="0"/>`, "3") + run(``, "8") + `</w:p>`, "38"},
		{"paragraph style", `<w:p><w:pPr><w:pStyle w:val="HidPara"/></w:pPr>` + run(``, "45") + run(`<w:vanish w:val="false"/>`, "38") + `</w:p>`, "38"},
		{"unknown style", `<w:p>` + run(`<w:rStyle w:val="Nope"/>`, "3") + run(``, "8") + `</w:p>`, "38"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := docxZip(t, map[string]string{
				"[Content_Types].xml": docxContentTypes,
				"word/document.xml":   docxDocument(wtbl(wtr("", dcell{text: "规章"}, dcell{text: "x"})) + c.para),
				"word/styles.xml":     styles,
			})
			doc, err := readDOCXBytes(t, data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			last := doc.Blocks[len(doc.Blocks)-1]
			if last.Text != c.want {
				t.Errorf("read %q, want %q", last.Text, c.want)
			}
		})
	}
}

// A content control showing its placeholder (w:showingPlcHdr) holds no content: its prompt text
// ("单击或点击此处输入文字。") in a form's empty cell is not a value, at any level it wraps.
func TestReadDOCXPlaceholderControls(t *testing.T) {
	plc := func(content string) string {
		return `<w:sdt><w:sdtPr><w:placeholder><w:docPart w:val="X"/></w:placeholder><w:showingPlcHdr/></w:sdtPr><w:sdtContent>` + content + `</w:sdtContent></w:sdt>`
	}
	filled := func(content string) string {
		return `<w:sdt><w:sdtPr><w:showingPlcHdr w:val="0"/></w:sdtPr><w:sdtContent>` + content + `</w:sdtContent></w:sdt>`
	}
	prompt := `<w:r><w:t>单击或点击此处输入文字。</w:t></w:r>`
	cell := func(inner string) string { return `<w:tc><w:tcPr/><w:p>` + inner + `</w:p></w:tc>` }
	row := `<w:tr>` + cell(`<w:r><w:t>规章</w:t></w:r>`) + `%s</w:tr>`
	cases := []struct{ name, cells, want string }{
		{"run level", cell(plc(prompt)) + cell(`<w:r><w:t>7</w:t></w:r>`), "规章||7"},
		{"cell level", plc(cell(prompt)) + cell(`<w:r><w:t>7</w:t></w:r>`), "规章||7"},
		{"filled control", cell(filled(`<w:r><w:t>5</w:t></w:r>`)) + cell(`<w:r><w:t>7</w:t></w:r>`), "规章|5|7"},
		{"nested: filled inside placeholder", cell(plc(filled(prompt))) + cell(`<w:r><w:t>7</w:t></w:r>`), "规章||7"},
		{"after a placeholder", cell(plc(prompt)+`<w:r><w:t>3</w:t></w:r>`) + cell(`<w:r><w:t>7</w:t></w:r>`), "规章|3|7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := `<w:tbl><w:tblPr/><w:tblGrid/>` + fmt.Sprintf(row, c.cells) + `</w:tbl>`
			doc, err := readDOCXBytes(t, buildDOCX(t, body), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range doc.Blocks[0].Rows[0] {
				got = append(got, x.Text)
			}
			if strings.Join(got, "|") != c.want {
				t.Errorf("row %q, want %q", strings.Join(got, "|"), c.want)
			}
		})
	}
}

// A cell deleted with tracked changes (w:cellDel) is still in the XML but no longer in the table:
// kept, it pushes the numbers after it one column on.
func TestReadDOCXTrackedCellDeletion(t *testing.T) {
	tc := func(tcPr, text string) string {
		return `<w:tc><w:tcPr>` + tcPr + `</w:tcPr><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:tc>`
	}
	cases := []struct{ name, row, want string }{
		{"deleted cell", tc("", "规章") + tc(`<w:cellDel w:id="1" w:author="a"/>`, "9") + tc("", "7") + tc("", "8"), "规章|7|8"},
		{"inserted cell kept", tc("", "规章") + tc(`<w:cellIns w:id="1" w:author="a"/>`, "7") + tc("", "8"), "规章|7|8"},
		{"no tracking", tc("", "规章") + tc("", "7") + tc("", "8"), "规章|7|8"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := readDOCXBytes(t, buildDOCX(t, wtbl(`<w:tr>`+c.row+`</w:tr>`)), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range doc.Blocks[0].Rows[0] {
				got = append(got, x.Text)
			}
			if strings.Join(got, "|") != c.want {
				t.Errorf("row %q, want %q", strings.Join(got, "|"), c.want)
			}
		})
	}
}
