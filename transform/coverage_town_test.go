package transform

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	division "github.com/govreports/govreports/transform/region"
)

// Townships of cities that have no county level (中山市, 东莞市) belong to their city's group: one
// group per city, the same whatever order the groups were built in. The bodies are placed by the
// gazetteer, as transform places them, so that the townships sit at the township level with no
// county above them: the case that once put the townships of both cities in one group.
func TestCoverageTownshipsOfCitiesWithoutCounties(t *testing.T) {
	placed := func(id, body, city string) *Report {
		r := batchReport(id, body, city, 2024, ScopeOrgan)
		r.placeBody(Options{}, "", city, "", nil, "")
		return r
	}
	run := ReportSlice{
		placed("r0", "中山市板芙镇人民政府", "中山市"),
		placed("r1", "东莞市虎门镇人民政府", "东莞市"),
		placed("r2", "中山市商务局", "中山市"),
		placed("r3", "东莞市商务局", "东莞市"),
	}
	for _, i := range []int{0, 1} {
		res := &run[i].Region
		if res.Place.Level != division.Township || res.Chain.County.Code != "" || res.Chain.City.Code == "" {
			t.Fatalf("%s placed at %+v (chain %+v), want a township right under its city", run[i].Body, res.Place, res.Chain)
		}
	}
	want := []string{
		"2024 广东省/东莞市/ unplaced=false: r1 r3",
		"2024 广东省/中山市/ unplaced=false: r0 r2",
	}
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
		if !slices.Equal(got, want) {
			t.Fatalf("coverage:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
