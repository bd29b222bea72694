package transform

import "testing"

func TestConfidence(t *testing.T) {
	var r Report
	r.FormatVersion = Gov2021
	set := func(v *Value, m Method) { *v = Value{Kind: Numeric, N: 1, Method: m} }
	for i := 0; i < NumT2Current; i++ {
		set(&r.T2[i], ByGrid)
	}
	for row := 0; row < NumT3Printed; row++ {
		for c := 0; c < NumT3Cols; c++ {
			set(&r.T3[row][c], ByGrid)
		}
	}
	for i := 0; i < NumT4; i++ {
		set(&r.T4[i], ByGrid)
	}
	if c := r.Confidence(); c.Score != 1 || c.Tables["table3"] != "grid" || c.ByIdentity != 0 || c.Open != 0 {
		t.Fatalf("clean grid: %+v", c)
	}
	// One row decoded, one row placed, one cell open.
	for c := 0; c < NumT3Cols; c++ {
		set(&r.T3[RowGranted][c], ByDecoding)
		set(&r.T3[RowWithheldFirst][c], ByPlacement)
	}
	r.T3[RowGranted][0] = Value{Kind: Text, Raw: "(无法唯一拆分：121000417)"}
	c := r.Confidence()
	if c.Tables["table3"] != "placed" || c.Tables["table2"] != "grid" || c.ByIdentity != 13 || c.Open != 1 {
		t.Errorf("mixed: %+v", c)
	}
	if c.Score >= 1 || c.Score < 0.9 {
		t.Errorf("score %v", c.Score)
	}
	// A failing identity lowers the score.
	before := c.Score
	r.Findings = append(r.Findings, Finding{Rule: "T3.BALANCE", Severity: SevError, Status: "fail"})
	if got := r.Confidence().Score; got >= before {
		t.Errorf("score %v after a failing identity, was %v", got, before)
	}
	var empty Report
	if c := empty.Confidence(); c.Score != 0 || c.Tables["table4"] != "none" {
		t.Errorf("empty: %+v", c)
	}
}

// BenchmarkConfidence: a full report's confidence, computed up to three times a run for every
// report.
func BenchmarkConfidence(b *testing.B) {
	var r Report
	r.FormatVersion = Gov2021
	for i := range r.T2 {
		r.T2[i] = Value{Kind: Numeric, N: 1, Method: ByGrid}
	}
	for row := range r.T3 {
		for c := range r.T3[row] {
			r.T3[row][c] = Value{Kind: Numeric, N: 2, Method: ByGrid}
		}
	}
	r.T3[RowGranted][0].Method = ByDecoding
	for i := range r.T4 {
		r.T4[i] = Value{Kind: Zero, Method: ByGrid}
	}
	b.ReportAllocs()
	for b.Loop() {
		confidenceSink = r.Confidence()
	}
}

var confidenceSink Confidence
