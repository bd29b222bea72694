package transform

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestCoverage(t *testing.T) {
	run := ReportSlice{
		batchReport("r0", "A市人民政府", "A市", 2024, ScopeRegional),
		batchReport("r1", "A市财政局", "A市", 2024, ScopeOrgan),
		batchReport("r2", "A市财政局", "A市", 2024, ScopeOrgan),
		batchReport("r3", "A市甲区教育局", "A市", 2024, ScopeOrgan),
		batchReport("r4", "A市财政局", "A市", 2023, ScopeOrgan),
		batchReport("r5", "A市教育局", "A市", 2023, ScopeOrgan),
		batchReport("r6", "A市甲区人民政府", "A市", 2023, ScopeRegional),
		batchReport("r7", "某某局", "", 2024, ScopeOrgan),
	}
	hist := &History{}
	for i, r := range []*Report{
		batchReport("h0", "A市民政局", "A市", 2023, ScopeOrgan),
		batchReport("h1", "A市甲区教育局", "A市", 2023, ScopeOrgan),
		batchReport("h2", "A市财政局", "A市", 2022, ScopeOrgan), // the run has 2023: not missing
		batchReport("h3", "A市财政局", "A市", 2023, ScopeOrgan), // the run's 2023 wins
	} {
		hist.Reports = append(hist.Reports, HistoryReport{ID: fmt.Sprint("h", i), Body: r.Body, Year: r.Year,
			Place: PlaceOf(r), Scope: r.Scope, Role: RoleCounted.String()})
	}
	divisions := map[string][]Area{"A市": {{Name: "甲区"}, {Name: "乙区"}}, "甲区": {{Name: "城关镇"}}}
	b, err := Decide(context.Background(), run, BatchOptions{History: hist,
		Divisions: func(a Area) []Area { return divisions[a.Name] }})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range b.Coverage {
		var units []string
		for _, u := range c.Units {
			s := "-"
			if u.Report >= 0 {
				s = fmt.Sprintf("r%d:%s", u.Report, b.Decisions[u.Report].Role)
			}
			if u.Duplicates > 0 {
				s += fmt.Sprintf("+%d", u.Duplicates)
			}
			if u.Last >= 0 {
				s += fmt.Sprintf("<r%d", u.Last)
			}
			if u.LastHistory >= 0 {
				s += fmt.Sprintf("<h%d", u.LastHistory)
			}
			units = append(units, s)
		}
		var missing []string
		for _, m := range c.Missing {
			missing = append(missing, m.Name)
		}
		got = append(got, fmt.Sprintf("%d %s/%s: %s missing[%s]", c.Year, c.City.Name, c.County.Name,
			strings.Join(units, " "), strings.Join(missing, " ")))
	}
	want := []string{
		"2023 A市/: r4:counted<h2 r5:counted missing[乙区]",
		"2023 A市/甲区: r6:counted missing[城关镇]",
		"2024 A市/: r0:counted r1:contained+1<r4 -<r5 -<h0 missing[乙区]",
		"2024 A市/甲区: r3:contained<h1 -<r6 missing[城关镇]",
		"2024 /: r7:counted missing[]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("coverage:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
