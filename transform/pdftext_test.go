package transform

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/govreports/govreports/extract"
)

// TestPDFTextGoldens reads what poppler's pdftotext (without -layout) really printed for two
// fixtures: their DOCX converted to PDF by LibreOffice (soffice --headless --convert-to pdf), then
// `pdftotext input.pdf`. Every value must be the one the DOCX holds.
func TestPDFTextGoldens(t *testing.T) {
	for _, name := range []string{"docx-seed", "docx-random"} {
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join("testdata", "pdftext", name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := extract.Read(context.Background(), name+".txt", text, extract.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			reps, err := Transform(context.Background(), doc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			rep := reps[0]
			var buf jsonBuffer
			if err := WriteJSON(&buf, rep); err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(buf.b, &got); err != nil {
				t.Fatal(err)
			}
			wantData, err := os.ReadFile(filepath.Join("..", "fixtures", name, "expected.json"))
			if err != nil {
				t.Fatal(err)
			}
			var want map[string]any
			if err := json.Unmarshal(wantData, &want); err != nil {
				t.Fatal(err)
			}
			for _, table := range []string{"table2", "table3", "table4"} {
				w, g := want[table].(map[string]any), got[table].(map[string]any)
				for row, cols := range w {
					for col, v := range cols.(map[string]any) {
						gv := g[row].(map[string]any)[col]
						if gv != v {
							t.Errorf("%s.%s.%s = %v, want %v", table, row, col, gv, v)
						}
					}
				}
			}
			for _, f := range rep.Findings {
				if f.Severity != SevInfo {
					t.Logf("finding %s %s %s", f.Rule, f.Severity, f.Message)
				}
			}
		})
	}
}

type jsonBuffer struct{ b []byte }

func (j *jsonBuffer) Write(p []byte) (int, error) { j.b = append(j.b, p...); return len(p), nil }

// FuzzPDFText feeds the column reader text shaped like pdftotext's (seeded with the two real
// outputs): it must not panic, and a Table 3 value it reads carries the place it came from.
func FuzzPDFText(f *testing.F) {
	for _, name := range []string{"docx-seed", "docx-random"} {
		text, err := os.ReadFile(filepath.Join("testdata", "pdftext", name+".txt"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		doc, err := extract.Read(context.Background(), "fuzz.txt", text, extract.DefaultLimits())
		if err != nil {
			return
		}
		reps, err := Transform(context.Background(), doc, Options{})
		if err != nil {
			return
		}
		for _, rep := range reps {
			for row := range rep.T3 {
				for c, v := range rep.T3[row] {
					if v.Known() && v.Method == ByPlacement && v.Pos.String() == "" {
						t.Errorf("%s read without a place", T3Path(row, c))
					}
				}
			}
		}
	})
}

// TestPDFTextSeedNoDoubt: the real output of the seed reads without an uncertain placement: the
// layout rules and the identities leave one arrangement.
func TestPDFTextSeedNoDoubt(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("testdata", "pdftext", "docx-seed.txt"))
	if err != nil {
		t.Fatal(err)
	}
	rep := transformText(t, "seed.txt", string(text))
	if v := rep.T3[RowOtherNoCorrection][0]; v.N != 1 || v.Method != ByPlacement {
		t.Fatalf("other_no_correction.natural_person = %+v", v)
	}
	for _, f := range rep.Findings {
		if f.Rule == "S.ROW_PLACEMENT" && f.Severity != SevInfo {
			t.Errorf("the real seed output reads without doubt, got %s", f.Message)
		}
	}
}

// TestSlotValues: a Table 2 column whose numbers came among Table 3's pieces takes the numbers the
// confirmed arrangements agree on; where they disagree, the first one's, each in doubt with its
// candidates; without a confirmed arrangement, the first headerless numbers of the page.
func TestSlotValues(t *testing.T) {
	num := func(line int, text string) valCell {
		return valCell{cell: extract.Cell{Text: text, Pos: extract.Pos{Line: line, Col: 1}}, p: parseNumber(text, false, false)}
	}
	guess := []valCell{num(1, "7")}
	slots := []orphanSlot{{t2: 0, rows: 1, guess: guess}, {t2: 1, rows: 2}}
	a := [][]valCell{{num(2, "3")}, {num(4, "1"), num(5, "9")}}
	b := [][]valCell{{num(3, "3")}, {num(6, "1"), num(7, "8")}}
	for _, c := range []struct {
		name  string
		picks [][][]valCell
		want  [][]string
		doubt map[string]string
	}{
		{"no confirmed arrangement: the guess", nil, [][]string{{"7"}, nil}, map[string]string{}},
		{"one arrangement", [][][]valCell{a}, [][]string{{"3"}, {"1", "9"}}, map[string]string{}},
		// The first slot's 3 and the second slot's 1 are the same numbers in both (from other
		// places): only the second slot's second row is in doubt.
		{"two arrangements", [][][]valCell{a, b}, [][]string{{"3"}, {"1", "9"}},
			map[string]string{"5:1": "9、8"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			vals, doubt := slotValues(slots, c.picks)
			for k := range c.want {
				var got []string
				for _, v := range vals[k] {
					got = append(got, v.cell.Text)
				}
				if fmt.Sprint(got) != fmt.Sprint(c.want[k]) {
					t.Errorf("slot %d = %v, want %v", k, got, c.want[k])
				}
			}
			if fmt.Sprint(doubt) != fmt.Sprint(c.doubt) {
				t.Errorf("doubt = %v, want %v", doubt, c.doubt)
			}
		})
	}
}

// TestPinLabelBlocks: a number after a row label in a label block is that row's, in the first
// applicant column; numbers whose rows do not follow the form's order, or two after one label,
// are not pinned (Table 3 is then not read from the pieces).
func TestPinLabelBlocks(t *testing.T) {
	num := func(line int, s string) valCell {
		return valCell{cell: extract.Cell{Text: s, Pos: extract.Pos{Line: line, Col: 1}}, p: parseNumber(s, false, false)}
	}
	g := func(block int, header string, vals ...valCell) soupGroup {
		return soupGroup{header: normLabel(header), vals: vals, block: block}
	}
	order := printedOrder(Gov2021)
	for _, c := range []struct {
		name   string
		groups []soupGroup
		rows   []int // the printed rows pinned, in order
		rest   int
		fail   bool
	}{
		{"labels and numbers", []soupGroup{g(1, "自然人"), g(2, "一、本年新收政府信息公开申请数量", num(1, "5")),
			g(2, "二、上年结转政府信息公开申请数量", num(3, "2")), g(3, "", num(9, "7"), num(10, "1"))}, []int{0, 1}, 2, false},
		{"wrapped label before", []soupGroup{g(1, "（二）部分公开（区分处理的，", num(1, "4")),
			g(1, "只计这一情形，不计其他情形）1.属于国家秘密", num(3, "0"))}, []int{3, 4}, 0, false},
		{"a new block starts over", []soupGroup{g(1, "2.重复申请", num(1, "4")), g(2, "一、本年新收政府信息公开申请数量", num(3, "0"))}, []int{16, 0}, 0, false},
		{"rows out of order", []soupGroup{g(1, "2.重复申请", num(1, "4")), g(1, "一、本年新收政府信息公开申请数量", num(3, "0"))}, nil, 0, true},
		{"two numbers after a label", []soupGroup{g(1, "（一）予以公开", num(1, "4"), num(2, "3"))}, nil, 0, true},
		{"column headers are not labels", []soupGroup{g(1, "其他", num(1, "4")), g(2, "总计", num(3, "4"))}, nil, 2, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			pins, rest, why := pinLabelBlocks(c.groups, order)
			if c.fail != (why != "") {
				t.Fatalf("why = %q", why)
			}
			if c.fail {
				return
			}
			var rows []int
			for _, p := range pins {
				rows = append(rows, p.row)
			}
			if fmt.Sprint(rows) != fmt.Sprint(c.rows) || len(rest) != c.rest {
				t.Errorf("rows %v, %d groups left; want %v, %d", rows, len(rest), c.rows, c.rest)
			}
		})
	}
}

// TestTrailingNumber: a number a word after a row label on one line is split off; other lines
// keep their text.
func TestTrailingNumber(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"（二）部分公开（区分处理的，只计这一情形，不计其他情形） 587", "587"},
		{"1.属于国家秘密 0", "0"},
		{"（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""},
		{"本年新收 12", ""}, // no ordinal: not a row label
		{"三、本年度办理结果 3", ""},
	} {
		ln := line{cells: []extract.Cell{{Text: c.text, Pos: extract.Pos{Line: 7, Col: 1}}}}
		got := ""
		if v := trailingNumber(&ln); v != nil {
			got = v.cell.Text
		}
		if got != c.want {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
}
