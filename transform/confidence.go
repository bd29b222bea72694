package transform

import (
	"math"
	"strconv"
)

// Confidence says how surely a report was read, so that an analyst can sort reports by it and
// look at the doubtful ones first.
type Confidence struct {
	// Score is 0–1: the share of the format's cells that were read, each weighted by how it was
	// read (methodWeight), lowered by a tenth for every failing identity.
	Score float64
	// Tables says how each table was read: the least sure method among its cells ("grid",
	// "reassembled", "decoded", "placed"), or "none" when no cell was read.
	Tables map[string]string
	// ByIdentity counts the cells decided by identities alone: cut out of a digit run or placed by
	// row order, and confirmed by the report's own arithmetic.
	ByIdentity int
	// Open counts the cells that were located but left null because no reading was certain
	// (X.AMBIGUOUS_SPLIT) or that hold text.
	Open int
}

// methodWeight is how much a cell read by a method counts towards the score.
var methodWeight = [...]float64{ByGrid: 1, ByReassembly: 0.95, ByDecoding: 0.85, ByPlacement: 0.8}

// identityRules are the rules whose failure casts doubt on the reading itself.
var identityRules = map[string]bool{RuleT3Balance: true, RuleT3Results: true, RuleT3Applicants: true, RuleT4Sum: true}

// confidenceTables are the tables Confidence.Tables names, in the order of its counters.
var confidenceTables = [3]string{"table2", "table3", "table4"}

// Confidence computes the report's confidence from its values, reads and findings. It runs for
// every report up to three times a run (its entry, its row, its workbook): counters by table
// index, not maps, which cost more than the rest of it.
func (r *Report) Confidence() Confidence {
	c := Confidence{Tables: make(map[string]string, len(confidenceTables))}
	gov2019 := r.FormatVersion == Gov2019
	expected := 0
	var sum float64
	var least [len(confidenceTables)]Method
	var seen [len(confidenceTables)]bool
	visit := func(table int, v *Value) {
		expected++
		switch {
		case v.Known():
			sum += methodWeight[v.Method]
			if !seen[table] || v.Method > least[table] {
				least[table] = v.Method
			}
			seen[table] = true
			if v.Method == ByDecoding || v.Method == ByPlacement {
				c.ByIdentity++
			}
		case v.Kind == Text:
			c.Open++
		}
	}
	for i := range T2 {
		want := T2[i].Version == Gov2021
		if gov2019 {
			want = T2[i].Version == Gov2019 || T2[i].Col == "decisions" && T2[i].Row != "other_external_services"
		}
		if want {
			visit(0, &r.T2[i])
		}
	}
	for row := 0; row < NumT3Rows; row++ {
		if !r.rowExpected(row) {
			continue
		}
		for col := 0; col < NumT3Cols; col++ {
			visit(1, &r.T3[row][col])
		}
	}
	for i := 0; i < NumT4; i++ {
		visit(2, &r.T4[i])
	}
	for t, name := range confidenceTables {
		if seen[t] {
			c.Tables[name] = least[t].String()
		} else {
			c.Tables[name] = "none"
		}
	}
	if expected > 0 {
		c.Score = sum / float64(expected)
	}
	for _, f := range r.Findings {
		if identityRules[f.Rule] && (f.Status == "fail" || f.Status == "fail_assuming_blank_zero") {
			c.Score *= 0.9
		}
	}
	c.Score = math.Round(c.Score*1000) / 1000
	return c
}

// appendConfidence writes the confidence as a JSON object member: ,"confidence":{…}.
func appendConfidence(b []byte, c Confidence) []byte {
	b = append(b, `,"confidence":{"score":`...)
	b = strconv.AppendFloat(b, c.Score, 'f', -1, 64)
	b = append(b, `,"tables":{`...)
	for i, t := range []string{"table2", "table3", "table4"} {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, t)
		b = append(b, ':')
		b = appendString(b, c.Tables[t])
	}
	b = append(b, `},"by_identity":`...)
	b = strconv.AppendInt(b, int64(c.ByIdentity), 10)
	b = append(b, `,"open":`...)
	b = strconv.AppendInt(b, int64(c.Open), 10)
	return append(b, '}')
}

// appendNotes writes the annotations printed with numbers ("22（其中修订 16 件）") as a JSON object
// member ,"notes":{path: note}, when there are any.
func appendNotes(b []byte, r *Report) []byte {
	first := true
	r.eachValue(func(path string, v *Value) {
		if v.Note == "" {
			return
		}
		if first {
			b = append(b, `,"notes":{`...)
			first = false
		} else {
			b = append(b, ',')
		}
		b = appendString(b, path)
		b = append(b, ':')
		b = appendString(b, v.Note)
	})
	if !first {
		b = append(b, '}')
	}
	return b
}
