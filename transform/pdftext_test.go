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
