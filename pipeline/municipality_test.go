package pipeline

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/xuri/excelize/v2"

	"github.com/govreports/govreports/fixtures/synth"
)

// TestRunMunicipalities runs a batch with the four municipalities, a district or county of each and
// an ordinary city's reports through the writer. A municipality is its own city: each report shows
// it as its city, rollup_city sums its reports under it, and the workbook's city groups agree with
// rollup_city. Before, the batch stage lost a municipality's city level (its code is the province's),
// the workbook did not, and the run failed with nothing committed.
func TestRunMunicipalities(t *testing.T) {
	bodies := []struct{ body, city string }{
		{"北京市人民政府", "北京市"},
		{"北京市朝阳区人民政府", "北京市"},
		{"上海市人民政府", "上海市"},
		{"上海市普陀区人民政府", "上海市"},
		{"上海市黄浦区教育局", "上海市"},
		{"天津市人民政府", "天津市"},
		{"天津市和平区人民政府", "天津市"},
		{"重庆市人民政府", "重庆市"},
		{"重庆市巫山县人民政府", "重庆市"},
		{"淮安市人民政府", "淮安市"},
		{"淮安市洪泽区财政局", "淮安市"},
	}
	files := map[string]string{}
	rng := rand.New(rand.NewPCG(11, 11))
	for i, b := range bodies {
		r := synth.Random(rng)
		r.Body, r.City, r.Year = b.body, "", 2023
		files[fmt.Sprintf("r%02d.txt", i)] = string(r.Render(synth.Tabs))
	}
	out := runAll(t, files, len(bodies))

	reports := readTable(t, filepath.Join(out, "parquet", "reports"), "body", "city", "in_rollup")
	inRollup := map[string]int{}
	for _, r := range reports {
		for _, b := range bodies {
			if r["body"] == b.body && r["city"] != b.city {
				t.Errorf("%s: city %s, want %s", b.body, r["city"], b.city)
			}
		}
		if r["in_rollup"] == "true" {
			inRollup[r["city"]]++
		}
	}
	rollups := map[string]int{}
	for _, g := range readTable(t, filepath.Join(out, "parquet", "rollup_city"), "city", "reports") {
		var n int
		fmt.Sscan(g["reports"], &n)
		rollups[g["city"]] += n
	}
	for _, city := range []string{"北京市", "上海市", "天津市", "重庆市", "淮安市"} {
		if rollups[city] == 0 || rollups[city] != inRollup[city] {
			t.Errorf("%s: rollup_city sums %d reports, reports has %d in the rollup", city, rollups[city], inRollup[city])
		}
	}
	if len(rollups) != len(inRollup) {
		t.Errorf("rollup_city cities %v, reports' %v", rollups, inRollup)
	}

	f, err := excelize.OpenFile(filepath.Join(out, "govreports-2023.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			for _, c := range row {
				if strings.Contains(c, "二者不一致") || strings.Contains(c, "没有对应的城市分组") {
					t.Errorf("%s: %s", sheet, c)
				}
			}
		}
	}
}

// readTable reads the named columns of every partition of a table, as text.
func readTable(t *testing.T, dir string, cols ...string) []map[string]string {
	t.Helper()
	var out []map[string]string
	eachRecord(t, dir, func(rec arrow.RecordBatch) {
		for i := range int(rec.NumRows()) {
			row := map[string]string{}
			for _, c := range cols {
				a := rec.Column(rec.Schema().FieldIndices(c)[0])
				if !a.IsNull(i) {
					row[c] = a.ValueStr(i)
				}
			}
			out = append(out, row)
		}
	})
	return out
}
