package pipeline

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/govreports/govreports/fixtures/synth"
	"github.com/govreports/govreports/transform"
)

// TestRunOverflow: a dozen reports print an 18-digit count (the most a cell reads), so their
// city's sum leaves int64. The run still commits: those values are left out of the rollups with an
// H.OVERFLOW error on each report naming the cell, and every other number, theirs in other cells
// and every other report's, is summed. Before, the batch stage failed and nothing was committed.
func TestRunOverflow(t *testing.T) {
	const huge = 900_000_000_000_000_000
	lic := -1
	for i := range transform.T2 {
		if transform.T2[i].Path() == "table2.licensing.decisions" {
			lic = i
		}
	}
	depts := []string{"商务局", "水利局", "交通运输局", "司法局", "审计局", "统计局", "公安局", "卫生健康委员会",
		"体育局", "文化广电和旅游局", "农业农村局", "应急管理局", "财政局", "教育局", "民政局"}
	files := map[string]string{}
	rng := rand.New(rand.NewPCG(5, 5))
	var wantLic, wantRules int64
	for i, d := range depts {
		r := synth.Random(rng)
		r.Body, r.City, r.Year = "淮安市"+d, "", 2024
		wantRules += r.T2[0]
		if i < 12 {
			r.T2[lic] = huge
		} else {
			wantLic += r.T2[lic]
		}
		files[fmt.Sprintf("r%02d.txt", i)] = string(r.Render(synth.Tabs))
	}
	out := runAll(t, files, len(depts))
	rows := readTable(t, filepath.Join(out, "parquet", "rollup_city"), "city", "reports", "t2_licensing_decisions", "t2_rules_issued")
	if len(rows) != 1 {
		t.Fatalf("rollup_city %v, want one row for 淮安市", rows)
	}
	if g := rows[0]; g["city"] != "淮安市" || g["reports"] != strconv.Itoa(len(depts)) ||
		g["t2_licensing_decisions"] != strconv.FormatInt(wantLic, 10) || g["t2_rules_issued"] != strconv.FormatInt(wantRules, 10) {
		t.Errorf("rollup_city %v, want 淮安市, %d reports, licensing %d (the huge values left out), rules issued %d",
			g, len(depts), wantLic, wantRules)
	}
	n := 0
	for _, f := range readTable(t, filepath.Join(out, "parquet", "findings"), "rule", "severity", "cells") {
		if f["rule"] == transform.RuleHOverflow {
			n++
			if f["severity"] != "error" {
				t.Errorf("H.OVERFLOW %v, want an error", f)
			}
		}
	}
	if n != 12 {
		t.Errorf("%d H.OVERFLOW findings, want one on each of the 12 reports", n)
	}
}
