package transform

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateSquashed = flag.Bool("update-squashed", false, "rewrite testdata/squashed/*.golden.json")

// squashedSummary is what the golden files hold: the values of Tables 3 and 4 and every finding
// of the mechanisms in this package's squashed/shredded/fuzzy files, with their messages.
type squashedSummary struct {
	FormatVersion string              `json:"format_version"`
	Table3        map[string][]*int64 `json:"table3"`
	Table4        []*int64            `json:"table4"`
	ByMethod      map[string]int      `json:"table3_by_method"`
	Findings      []string            `json:"findings"`
}

func summarize(r *Report) squashedSummary {
	val := func(v Value) *int64 {
		if !v.Known() {
			return nil
		}
		n := v.N
		return &n
	}
	s := squashedSummary{FormatVersion: r.FormatVersion, Table3: map[string][]*int64{}, ByMethod: r.Reads["table3"].ByMethod}
	for row := 0; row < NumT3Rows; row++ {
		if !r.rowExpected(row) {
			continue
		}
		for c := 0; c < NumT3Cols; c++ {
			s.Table3[T3Rows[row].Key] = append(s.Table3[T3Rows[row].Key], val(r.T3[row][c]))
		}
	}
	for i := 0; i < NumT4; i++ {
		s.Table4 = append(s.Table4, val(r.T4[i]))
	}
	for _, f := range r.Findings {
		switch f.Rule {
		case "X.AMBIGUOUS_SPLIT", "S.ROW_LABEL", "S.ROW_DUPLICATE", "S.FUZZY_LABEL", "S.ROW_PLACEMENT", "S.MISSING_VALUE":
			s.Findings = append(s.Findings, string(f.Severity)+" "+f.Rule+" "+strings.Join(f.Cells, ",")+" | "+f.Message)
		}
	}
	return s
}

// TestSquashedGolden reads the edge cases of testdata/squashed: a row whose digits no cut makes
// add up, a run too long to enumerate, a duplicate row, the 2019 format, Table 4 as three runs.
func TestSquashedGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/squashed/*.txt")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(summarize(transformText(t, filepath.Base(in), string(data))), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(in, ".txt") + ".golden.json"
			if *updateSquashed {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./transform -run TestSquashedGolden -update-squashed)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s", in, golden, got)
			}
		})
	}
}
