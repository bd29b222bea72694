package load

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/fixtures/synth"
	"github.com/govreports/govreports/transform"
)

// Realistic synthetic batches for the screenshot and the memory measurement: the project's
// generator draws reports whose tables satisfy every identity, with plausible names and magnitudes.

// synthReport turns a generated report into what transform would have read from it.
func synthReport(s synth.Report, id string) *transform.Report {
	value := func(n int64, line, col int) transform.Value {
		v := transform.Value{Kind: transform.Numeric, N: n, Raw: fmt.Sprint(n), Pos: extract.Pos{Line: line, Col: col}}
		if n == 0 {
			v.Kind = transform.Zero
		}
		return v
	}
	r := &transform.Report{
		ID: id,
		Source: extract.Source{Path: "reports/" + s.City + "/" + id + ".txt", SHA256: fmt.Sprintf("%064x", len(id)),
			Bytes: 9000, Format: extract.FormatText, Encoding: "utf-8"},
		Title:         s.Body + " " + fmt.Sprint(s.Year) + " 年政府信息公开工作年度报告",
		Body:          s.Body,
		City:          s.City,
		Year:          s.Year,
		FormatVersion: transform.Gov2021,
		Scope:         transform.ScopeOrgan,
	}
	for i, n := range s.T2 {
		r.T2[i] = value(n, 20+i, 2)
	}
	for row := range transform.NumT3Printed {
		for c := range transform.NumT3Cols {
			r.T3[row][c] = value(s.T3[row][c], 40+row, 2+c)
		}
	}
	for i, n := range s.T4 {
		r.T4[i] = value(n, 80, 1+i)
	}
	return r
}

// cityBatch draws n reports of one city and year: its government's regional summary (left out of
// the rollup) and n-1 organs, two of which leave cells blank as real reports do.
func cityBatch(seed uint64, city string, year, n int) []*transform.Report {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	seen := map[string]bool{}
	var out []*transform.Report
	for len(out) < n {
		s := synth.Random(rng)
		s.Body = city + strings.TrimPrefix(s.Body, s.City)
		s.City, s.Year = city, year
		if seen[s.Body] {
			continue
		}
		seen[s.Body] = true
		r := synthReport(s, fmt.Sprintf("%s-%d-%03d", "synth", year, len(out)))
		switch len(out) {
		case 0:
			r.Body, r.Scope = city+"人民政府", transform.ScopeRegional
		case 3, 7:
			r.T3[transform.RowWithheldFirst+4][1] = transform.Value{Kind: transform.NA, Raw: "/"}
			r.T4[3] = transform.Value{Kind: transform.Empty}
			r.Findings = append(r.Findings, transform.Finding{Rule: "S.BLANKS", Severity: transform.SevWarning,
				Message: "2 个单元格为“/”或空白", Cells: []string{transform.T3Path(transform.RowWithheldFirst+4, 1), transform.T4Path(3)}})
		}
		out = append(out, r)
	}
	return out
}

// largeBatch draws n reports of the 14 cities the generator knows, in one year, every tenth with a
// finding: the shape of a province-wide nightly run.
func largeBatch(n int) func(i int) *transform.Report {
	rng := rand.New(rand.NewPCG(7, 11))
	return func(i int) *transform.Report {
		s := synth.Random(rng)
		s.Year = 2024
		r := synthReport(s, fmt.Sprintf("large-%06d", i))
		r.Body = fmt.Sprintf("%s（%d）", r.Body, i) // unique, as real bodies are
		if i%10 == 0 {
			r.Findings = []transform.Finding{{Rule: "T3.BALANCE", Severity: transform.SevError,
				Message: "第一项加第二项之和不等于第三项加第四项之和", Cells: []string{"table3.new_received.total",
					"table3.carried_over.total", "table3.total_processed.total", "table3.carried_forward.total"},
				Culprit: "table3.new_received.total", Status: "fail"}}
		}
		return r
	}
}
