package load

import (
	"fmt"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// TestUnitFactsReadBack: 报送情况's facts read back as written, in any order, whether the file is
// small enough to be held whole after the pass (unitsInMemory) or read a record at a time.
func TestUnitFactsReadBack(t *testing.T) {
	for _, whole := range []bool{true, false} {
		t.Run(fmt.Sprint("whole=", whole), func(t *testing.T) {
			if !whole {
				defer func(n int64) { unitsInMemory = n }(unitsInMemory)
				unitsInMemory = 0
			}
			f := &runFacts{dir: t.TempDir()}
			defer f.close()
			const n = 300
			for i := range n {
				r := &transform.Report{ID: fmt.Sprint("id", i), Body: fmt.Sprint("单位", i), Unit: fmt.Sprint("第", i, "行"),
					Source: extract.Source{Path: fmt.Sprint("r", i, ".txt")}}
				f.addUnit(i, &wbReport{r: r})
			}
			if err := f.seal(); err != nil {
				t.Fatal(err)
			}
			if held := f.units.all != nil; held != whole {
				t.Fatalf("held whole: %v, want %v", held, whole)
			}
			for _, i := range []int{n - 1, 0, 137, 1, n / 2} {
				u, err := f.unit(i)
				if err != nil {
					t.Fatal(err)
				}
				if u.id != fmt.Sprint("id", i) || u.name != fmt.Sprint("单位", i) || u.source != fmt.Sprint("r", i, ".txt（第", i, "行）") {
					t.Errorf("report %d: %+v", i, u)
				}
			}
			if _, err := f.unit(n); err == nil {
				t.Error("facts of a report past the last")
			}
		})
	}
}
