package transform

import (
	"context"
	"encoding/json"
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
			reps, err := Transform(doc, Options{})
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
