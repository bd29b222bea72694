package transform

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// Townships of cities that have no county level (中山市, 东莞市) belong to their city's group: one
// group per city, the same whatever order the groups were built in.
func TestCoverageTownshipsOfCitiesWithoutCounties(t *testing.T) {
	run := ReportSlice{
		batchReport("r0", "中山市板芙镇人民政府", "中山市", 2024, ScopeOrgan),
		batchReport("r1", "东莞市虎门镇人民政府", "东莞市", 2024, ScopeOrgan),
		batchReport("r2", "中山市商务局", "中山市", 2024, ScopeOrgan),
		batchReport("r3", "东莞市商务局", "东莞市", 2024, ScopeOrgan),
	}
	var first string
	for range 20 {
		b, err := Decide(context.Background(), run, BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range b.Coverage {
			var units []string
			for _, u := range c.Units {
				units = append(units, fmt.Sprint("r", u.Report))
			}
			got = append(got, fmt.Sprintf("%d %s/%s/%s unplaced=%v: %s", c.Year, c.Province.Name, c.City.Name,
				c.County.Name, c.Unplaced, strings.Join(units, " ")))
		}
		s := strings.Join(got, "\n")
		if first == "" {
			first = s
			t.Logf("coverage:\n%s", s)
		} else if s != first {
			t.Fatalf("coverage differs between runs:\n%s\nthen\n%s", first, s)
		}
	}
}
