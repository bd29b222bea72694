package transform

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
)

func transformText(t *testing.T, name, text string) *Report {
	t.Helper()
	doc, err := extract.Read(context.Background(), name, []byte(text), extract.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	reps, err := Transform(context.Background(), doc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return reps[0]
}

func TestIsPageFooter(t *testing.T) {
	tests := []struct {
		cells []string
		want  bool
	}{
		{[]string{"— 5 —"}, true},
		{[]string{"-3-"}, true},
		{[]string{"- 12 -"}, true},
		{[]string{"第 3 页"}, true},
		{[]string{"第3页共10页"}, true},
		{[]string{"", "— 5 —", ""}, true},
		{[]string{"5"}, false},
		{[]string{"— 5 —", "3"}, false},
		{[]string{"第三方"}, false},
		{[]string{"1.属于国家秘密"}, false},
	}
	for _, tt := range tests {
		cells := make([]extract.Cell, len(tt.cells))
		for i, c := range tt.cells {
			cells[i] = extract.Cell{Text: c}
		}
		ln := newLine(cells, false, 0)
		if got := isPageFooter(&ln); got != tt.want {
			t.Errorf("isPageFooter(%q) = %v, want %v", tt.cells, got, tt.want)
		}
	}
}

// seedMarkdown prints the seed's Table 3 as pipe rows; rows named in bare lose their labels and
// the cell (row, col) in faint is left empty.
func seedMarkdown(bare map[int]bool, faint [2]int, extra string) string {
	seed := map[int][7]int64{
		RowNewReceived: {42, 10, 0, 0, 0, 4, 56}, RowCarriedOver: {1, 0, 0, 0, 0, 0, 1},
		RowGranted: {12, 1, 0, 0, 0, 4, 17}, RowPartiallyGranted: {8, 1, 0, 0, 0, 0, 9},
		RowWithheldFirst + 3: {3, 0, 0, 0, 0, 0, 3}, RowWithheldFirst + 4: {2, 0, 0, 0, 0, 0, 2},
		RowUnavailableFirst: {16, 8, 0, 0, 0, 0, 24}, RowOtherNoCorrection: {1, 0, 0, 0, 0, 0, 1},
		RowOtherOther: {1, 0, 0, 0, 0, 0, 1}, RowTotalProcessed: {43, 10, 0, 0, 0, 4, 57},
	}
	var b strings.Builder
	b.WriteString("# 某某区 2024 年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n")
	b.WriteString("| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 0 | 0 | 9 |\n\n")
	b.WriteString("| 信息内容 | 本年处理决定数量 |\n|---|---|\n| 行政许可 | 68 |\n| 行政处罚 | 27 |\n| 行政强制 | 10 |\n\n")
	b.WriteString("| 信息内容 | 本年收费金额（单位：万元） |\n|---|---|\n| 行政事业性收费 | 0 |\n\n")
	b.WriteString("## 三、收到和处理政府信息公开申请情况\n\n")
	b.WriteString("| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n")
	for row := 0; row < NumT3Printed; row++ {
		if row == 12 {
			b.WriteString("| — 5 — |\n")
			b.WriteString(extra)
		}
		label := T3Rows[row].CN
		if bare[row] {
			label = ""
		}
		b.WriteString("| " + label)
		for c, v := range seed[row] {
			cell := string(rune('0' + v%10))
			if v >= 10 {
				cell = string(rune('0'+v/10)) + cell
			}
			if row == faint[0] && c == faint[1] {
				cell = ""
			}
			b.WriteString(" | " + cell)
		}
		b.WriteString(" |\n")
	}
	b.WriteString("\n## 四、政府信息公开行政复议、行政诉讼情况\n\n| 0 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n")
	return b.String()
}

func TestPlaceUnlabelledRows(t *testing.T) {
	bare := map[int]bool{RowGranted: true, RowWithheldFirst + 4: true, RowWithheldFirst + 5: true, RowOtherOther: true}
	rep := transformText(t, "bare.md", seedMarkdown(bare, [2]int{-1, -1}, ""))
	for row := range bare {
		if v := rep.T3[row][0]; !v.Known() || v.Method != ByPlacement {
			t.Errorf("%s not placed: %+v", T3Rows[row].Key, v)
		}
	}
	if got := rep.T3[RowWithheldFirst+4][ColTotal].N; got != 2 {
		t.Errorf("withheld_internal_affairs.total = %d, want 2", got)
	}
	placed := 0
	for _, f := range rep.Findings {
		if f.Severity == SevError {
			t.Errorf("unexpected %s: %s", f.Rule, f.Message)
		}
		if f.Rule == "S.ROW_PLACEMENT" && f.Status == "resolved" {
			placed++
		}
	}
	if placed != 3 || rep.Reads["table3"].ByMethod["placed"] != 4*NumT3Cols {
		t.Errorf("%d placement findings, by method %v", placed, rep.Reads["table3"].ByMethod)
	}
}

// A placement the identities refute is not kept: the rows stay null with a finding.
func TestPlacementRefuted(t *testing.T) {
	text := seedMarkdown(map[int]bool{RowGranted: true}, [2]int{-1, -1}, "")
	// The unlabelled row's numbers no longer add up with the (七)总计 row.
	text = strings.Replace(text, "|  | 12 | 1 | 0 | 0 | 0 | 4 | 17 |", "|  | 13 | 1 | 0 | 0 | 0 | 4 | 18 |", 1)
	rep := transformText(t, "refuted.md", text)
	if v := rep.T3[RowGranted][0]; v.Known() {
		t.Errorf("granted placed as %d although the identities fail", v.N)
	}
	found := false
	for _, f := range rep.Findings {
		found = found || f.Rule == "S.ROW_PLACEMENT" && f.Severity == SevWarning
	}
	if !found {
		t.Error("no S.ROW_PLACEMENT warning")
	}
}

func TestMissingValueSuggestion(t *testing.T) {
	rep := transformText(t, "faint.md", seedMarkdown(nil, [2]int{RowUnavailableFirst, 1}, ""))
	if v := rep.T3[RowUnavailableFirst][1]; v.Known() {
		t.Fatalf("a blank cell was filled: %+v", v)
	}
	var msg string
	for _, f := range rep.Findings {
		if f.Rule == "S.MISSING_VALUE" {
			msg = f.Message
		}
	}
	if !strings.Contains(msg, "应为8") {
		t.Errorf("S.MISSING_VALUE %q should suggest 8", msg)
	}
}

// Page footers inside a table are skipped: in a squashed table "— 5 —" would otherwise be a run
// of its own ("5") under the label "—".
func TestFooterInsideTable(t *testing.T) {
	for _, footer := range []string{"— 5 —", "-3-", "第 3 页"} {
		segs := scanSegments(streamOf("规章000", footer, "行政规范性文件009"), true)
		if len(segs) != 2 || segs[1].run.text() != "009" {
			t.Errorf("footer %q: %d segments %+v", footer, len(segs), segs)
		}
	}
}

func TestAnnotationNoteInJSON(t *testing.T) {
	text := "# 某某区 2024 年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n" +
		"| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n" +
		"| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 22（其中修订 16 件） | 0 | 9 |\n"
	rep := transformText(t, "note.md", text)
	if v := rep.T2[T2NormIssued]; v.N != 22 || v.Note != "其中修订 16 件" {
		t.Fatalf("value %+v", v)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Notes  map[string]string `json:"notes"`
		Source struct {
			Confidence struct {
				Score  float64           `json:"score"`
				Tables map[string]string `json:"tables"`
			} `json:"confidence"`
		} `json:"source"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Notes["table2.normative_documents.issued"] != "其中修订 16 件" {
		t.Errorf("notes %v", got.Notes)
	}
	if c := got.Source.Confidence; c.Tables["table2"] != "grid" || c.Tables["table3"] != "none" || c.Score <= 0 {
		t.Errorf("confidence %+v", c)
	}
}

// TestAnnotationOnItsOwnLine: a converter that splits the cell "22（其中修订 16 件）" over two rows
// leaves the annotation under the number, in the same column; it stays the number's note.
func TestAnnotationOnItsOwnLine(t *testing.T) {
	text := "# 某某区 2024 年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n" +
		"| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n" +
		"| 规章 | 0 | 0 | 0 |\n| 行政规范性文件 | 22 | 0 | 9 |\n|  | （其中修订 16 件） |  |  |\n"
	rep := transformText(t, "note.md", text)
	if v := rep.T2[T2NormIssued]; v.N != 22 || v.Note != "其中修订 16 件" {
		t.Fatalf("issued %+v", v)
	}
	if v := rep.T2[T2NormInForce]; v.N != 9 || v.Note != "" {
		t.Fatalf("in force %+v", v)
	}
}

// A row dropped for holding six values does not stop the placement of the unlabelled rows when
// the identities imply that row's seven values and the six read are those with one left out; when
// they are not, the placement is refused as before.
func TestPlacementThroughShortRow(t *testing.T) {
	label := T3Rows[RowUnavailableFirst].CN
	for _, tc := range []struct {
		name, short string
		placed      bool
	}{
		{"six values consistent", "| " + label + " | 16 | 8 | 0 | 0 | 0 | 24 |", true},
		{"six values inconsistent", "| " + label + " | 16 | 8 | 0 | 0 | 0 | 25 |", false},
		{"six values in the wrong order", "| " + label + " | 8 | 16 | 0 | 0 | 0 | 24 |", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := seedMarkdown(map[int]bool{RowGranted: true}, [2]int{-1, -1}, "")
			text = strings.Replace(text, "| "+label+" | 16 | 8 | 0 | 0 | 0 | 0 | 24 |", tc.short, 1)
			rep := transformText(t, "short.md", text)
			if v := rep.T3[RowGranted][0]; v.Known() != tc.placed || tc.placed && v.N != 12 {
				t.Errorf("granted.natural_person = %+v, placed %v", v, tc.placed)
			}
			// Once the placement stands, the identities also decide the short row's columns
			// (placeShortRows); without it they cannot.
			if v := rep.T3[RowUnavailableFirst][0]; v.Known() != tc.placed || tc.placed && v.N != 16 {
				t.Errorf("the short row: %+v, placed %v", v, tc.placed)
			}
		})
	}
}
