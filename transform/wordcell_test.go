package transform_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/fixtures/gen/officegen"
	"github.com/govreports/govreports/fixtures/gen/xlsxgen"
	"github.com/govreports/govreports/fixtures/synth"
	"github.com/govreports/govreports/transform"
)

// wordCellPath is the cell the words go into: the seed's (七)总计 自然人, 43.
const wordCellPath = "table3.total_processed.natural_person"

// wordCases are words where a number belongs (report-format.md §7.9): a Chinese numeral is read,
// with a finding; anything else is a text cell, with a finding. Either way the row's other
// numbers keep their columns.
var wordCases = []struct {
	word string
	n    int64 // the value read; -1: a text cell, null
	rule string
}{
	{"一百二十", 120, "T3.NUMERAL"},
	{"四十三", 43, "T3.NUMERAL"},
	{"1e30", -1, "S.TEXT_CELL"},
	{"约43", -1, "S.TEXT_CELL"},
	{"abc", -1, "S.TEXT_CELL"},
}

// wordLayouts render the seed with a word in the cell, in every layout whose cells are delimited.
func wordLayouts(t *testing.T, word string) map[string][]byte {
	t.Helper()
	seed := synth.Seed()
	v := synth.Variant{Blanks: []synth.Blank{{Path: wordCellPath, Text: word}}}
	out := map[string][]byte{}
	for _, l := range synth.CleanLayouts() {
		text, err := seed.RenderVariant(l, v)
		if err != nil {
			t.Fatal(err)
		}
		out[string(l)] = text
	}
	// Text whose cell separators were lost (§7.7): the word glued between the label and the run.
	squashed, err := os.ReadFile(filepath.Join("..", "fixtures", "squashed-seed", "input.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(squashed, []byte("总计4310000457")) {
		t.Fatal("fixtures/squashed-seed no longer prints (七)总计 as 总计4310000457")
	}
	out["squashed"] = bytes.Replace(squashed, []byte("总计4310000457"), []byte("总计"+word+"10000457"), 1)
	// A web page scraped onto one line (§7.8a), scraped three ways.
	for _, ps := range []uint64{1, 2, 3} {
		page, err := seed.RenderPage(ps, v)
		if err != nil {
			t.Fatal(err)
		}
		out["page-"+strconv.FormatUint(ps, 10)] = page
	}
	// HTML, DOCX and XLSX grids from the same values, with the word in the cell.
	exp, err := seed.ExpectedJSON()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "expected.json")
	if err := os.WriteFile(path, exp, 0o644); err != nil {
		t.Fatal(err)
	}
	or, err := officegen.LoadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	or.Values[wordCellPath] = word
	blocks, err := officegen.NarrativeFromText(out[string(synth.Tabs)])
	if err != nil {
		t.Fatal(err)
	}
	if out["html"], err = officegen.RenderHTML(or, blocks, officegen.HTMLOptions{Portal: true}); err != nil {
		t.Fatal(err)
	}
	if out["docx"], err = officegen.RenderDOCX(or, blocks, officegen.DOCXOptions{SplitRuns: true}); err != nil {
		t.Fatal(err)
	}
	xr, err := xlsxgen.LoadReports(path)
	if err != nil {
		t.Fatal(err)
	}
	f, cells, err := xlsxgen.WriteForm(xr[0], xlsxgen.FormOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ref, ok := cells[wordCellPath]
	if !ok {
		t.Fatalf("xlsxgen placed no cell %s", wordCellPath)
	}
	sheet, cell, _ := strings.Cut(ref, "!")
	if err := f.SetCellStr(sheet, cell, word); err != nil {
		t.Fatal(err)
	}
	if out["xlsx"], err = xlsxgen.Bytes(f); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWordInNumberCell: a word in (七)总计 自然人 stays in that cell in every delimited layout:
// numerals are read with a finding, other words are text cells with a finding, and every other
// cell of the report keeps its true value.
func TestWordInNumberCell(t *testing.T) {
	seed := synth.Seed()
	for _, wc := range wordCases {
		for name, data := range wordLayouts(t, wc.word) {
			t.Run(wc.word+"/"+name, func(t *testing.T) {
				rep := readOne(t, name, data)
				checkWordCell(t, rep, seed, wc.n, wc.rule)
			})
		}
	}
}

func readOne(t *testing.T, name string, data []byte) *transform.Report {
	t.Helper()
	doc, err := extract.Read(context.Background(), name, data, extract.DefaultLimits())
	if err != nil {
		t.Fatalf("extract: %v", err)
	}
	reps, err := transform.Transform(context.Background(), doc, transform.Options{})
	if err != nil || len(reps) != 1 {
		t.Fatalf("transform: %v (%d reports)", err, len(reps))
	}
	return reps[0]
}

// checkWordCell asserts the word's cell and every other gov2021 cell of the report.
func checkWordCell(t *testing.T, rep *transform.Report, r synth.Report, n int64, rule string) {
	t.Helper()
	named := map[string][]string{}
	for _, f := range rep.Findings {
		for _, c := range f.Cells {
			named[c] = append(named[c], f.Rule)
		}
	}
	for path, want := range truth(r) {
		v := cellValue(rep, path)
		if path == wordCellPath {
			switch {
			case n >= 0 && (!v.Known() || v.N != n):
				t.Errorf("%s = %v %d (%q), want %d", path, v.Kind, v.N, v.Raw, n)
			case n < 0 && v.Known():
				t.Errorf("%s = %d (%q), want a text cell", path, v.N, v.Raw)
			}
			if !hasRule(named[path], rule) {
				t.Errorf("%s: no %s finding names it (findings on it: %v)", path, rule, named[path])
			}
			continue
		}
		if !v.Known() || v.N != want {
			t.Errorf("%s = %v %d (%q at %s), want %d", path, v.Kind, v.N, v.Raw, v.Pos, want)
		}
	}
}

func hasRule(rules []string, rule string) bool {
	for _, r := range rules {
		if r == rule {
			return true
		}
	}
	return false
}

// cellValue finds the value of a gov2021 cell path in a report.
func cellValue(rep *transform.Report, path string) transform.Value {
	for i := range transform.T2 {
		if transform.T2[i].Path() == path {
			return rep.T2[i]
		}
	}
	for row := 0; row < len(rep.T3); row++ {
		for c := 0; c < transform.NumT3Cols; c++ {
			if transform.T3Path(row, c) == path {
				return rep.T3[row][c]
			}
		}
	}
	for i := 0; i < transform.NumT4; i++ {
		if transform.T4Path(i) == path {
			return rep.T4[i]
		}
	}
	return transform.Value{}
}

// TestUnitCell: a unit printed in a cell of its own after a number belongs to that number, so
// the row keeps its count of values and 元 is still converted.
func TestUnitCell(t *testing.T) {
	seed := synth.Seed()
	text := string(seed.Render(synth.Tabs))
	// 行政事业性收费 0 → 12500 | 元 (1.25 万元), 行政许可 68 → 68 | 件.
	for _, r := range []struct{ from, to string }{{"行政事业性收费\t0", "行政事业性收费\t12500\t元"}, {"行政许可\t68", "行政许可\t68\t件"}} {
		if !strings.Contains(text, r.from) {
			t.Fatalf("the tabs layout no longer prints %q", r.from)
		}
		text = strings.Replace(text, r.from, r.to, 1)
	}
	rep := readOne(t, "unit.txt", []byte(text))
	if v := rep.T2[transform.T2AdminFees]; !v.Known() || v.N != 1_250000 {
		t.Errorf("admin fees = %v %d (%q), want 1.25 万元", v.Kind, v.N, v.Raw)
	}
	if v := rep.T2[transform.T2Licensing]; !v.Known() || v.N != 68 {
		t.Errorf("licensing = %v %d (%q), want 68", v.Kind, v.N, v.Raw)
	}
}
