package transform

import (
	"fmt"
	"reflect"
	"testing"
)

// TestFindingStoreRoundTrip packs findings and reads them back, per report in
// and out of order and all at once, field for field: nil and empty Cells stay apart.
func TestFindingStoreRoundTrip(t *testing.T) {
	var fs []BatchFinding
	for i := 0; i < 12000; i += 1 + i%3 {
		for k := range i % 4 {
			f := Finding{Rule: RuleXDuplicateUnit, Severity: SevWarning, Status: "uncertain",
				Message: fmt.Sprintf("某单位 %d年度另有报告（in/%05d.txt），计入汇总的是该报告", 2020+k, i)}
			switch k {
			case 1:
				f.Cells = []string{}
				f.Severity, f.Culprit, f.Place = SevInfo, "T3.x", "第2页"
			case 2:
				f.Cells = []string{"T1.a", "", "T3.总计.新收"}
			}
			fs = append(fs, BatchFinding{Report: i, Finding: f})
		}
	}
	var s findingStore
	if err := s.pack(fs); err != nil {
		t.Fatal(err)
	}
	if s.n != len(fs) {
		t.Errorf("n = %d, want %d", s.n, len(fs))
	}
	want := map[int][]Finding{}
	for _, f := range fs {
		want[f.Report] = append(want[f.Report], f.Finding)
	}
	check := func(i int) {
		t.Helper()
		if got := s.of(i); !reflect.DeepEqual(got, want[i]) {
			t.Fatalf("report %d: got %#v, want %#v", i, got, want[i])
		}
	}
	for i := -1; i <= 12001; i++ {
		check(i)
	}
	for i := 12001; i >= 0; i -= 7 {
		check(i)
	}
	var all []BatchFinding
	for f := range s.all() {
		all = append(all, f)
	}
	if !reflect.DeepEqual(all, fs) {
		t.Errorf("all: %d findings differ from the %d packed", len(all), len(fs))
	}
	var empty findingStore
	if err := empty.pack(nil); err != nil || empty.of(0) != nil || len(empty.reports) != 0 {
		t.Errorf("empty store: %v %v %d", err, empty.of(0), len(empty.reports))
	}
}
