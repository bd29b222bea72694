package load

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/govreports/govreports/transform"
)

// TestReadHistory writes an earlier run's outputs and reads back what the cross-year rules need,
// from every shape of history folder.
func TestReadHistory(t *testing.T) {
	mem := checkedMem(t)
	earlier := t.TempDir()
	out := filepath.Join(earlier, "2023-run")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	fin := newReport("fin-2023", "淮安市", "淮安市洪泽区财政局", 2023, transform.Gov2021, transform.ScopeOrgan)
	fillT3(fin, 3)
	fillT2Current(fin, 5)
	fin.T2[transform.T2AdminFees] = wan("7730.28", 7730_280000)
	gov := newReport("gov-2022", "淮安市", "淮安市人民政府", 2022, transform.Gov2019, transform.ScopeRegional)
	fillT3(gov, 2)
	dup := newReport("fin-2023-copy", "淮安市", "淮安市洪泽区财政局", 2023, transform.Gov2021, transform.ScopeOrgan)
	writeBatch(t, filepath.Join(out), mem, []*transform.Report{fin, gov, dup}, nil)

	check := func(t *testing.T, h *transform.History, years []int) {
		t.Helper()
		byID := map[string]transform.HistoryReport{}
		for _, r := range h.Reports {
			byID[r.ID] = r
		}
		wantN := map[int]int{2022: 1, 2023: 2}
		n := 0
		for _, y := range years {
			n += wantN[y]
		}
		if years == nil {
			n = 3
		}
		if len(h.Reports) != n {
			t.Fatalf("%d reports, want %d", len(h.Reports), n)
		}
		if years != nil && years[0] == 2022 {
			return
		}
		got, ok := byID["fin-2023"]
		if !ok {
			t.Fatalf("no fin-2023 in %+v", h.Reports)
		}
		want := transform.CrossValuesOf(fin)
		if got.Values != want {
			t.Errorf("values %+v, want %+v", got.Values, want)
		}
		if !got.Values.Get(transform.NumT2 + transform.RowCarriedForward*transform.NumT3Cols + transform.ColTotal).Known {
			t.Error("the carry-over was not read from applications")
		}
		if got.Values.Get(transform.T2AdminFees) != (transform.Num{N: 7730_280000, Known: true}) {
			t.Errorf("admin fees %+v", got.Values.Get(transform.T2AdminFees))
		}
		p := got.Place
		if p.Level != transform.RegionCounty || p.City.Name != "淮安市" || p.County.Name != "洪泽区" || p.Organ != "财政局" ||
			p.Kind != transform.KindDepartment || p.Status != transform.PlaceByName {
			t.Errorf("place %+v", p)
		}
		if got.Year != 2023 || got.Body != fin.Body || got.Role != "counted" || got.Scope != transform.ScopeOrgan ||
			got.FormatVersion != transform.Gov2021 || got.Source != fin.Source.Path {
			t.Errorf("report %+v", got)
		}
		if c := byID["fin-2023-copy"]; c.Role != "duplicate" {
			t.Errorf("the copy: role %q", c.Role)
		}
	}
	for _, tc := range []struct {
		name  string
		dir   string
		years []int
	}{
		{"a folder of outputs", earlier, nil},
		{"an output folder", out, nil},
		{"its parquet folder", filepath.Join(out, "parquet"), nil},
		{"one year", out, []int{2023}},
		{"another year", out, []int{2022, 2030}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := ReadHistory(context.Background(), tc.dir, tc.years)
			if err != nil {
				t.Fatal(err)
			}
			check(t, h, tc.years)
		})
	}
	t.Run("the same report in two outputs is read once", func(t *testing.T) {
		again := filepath.Join(earlier, "again")
		if err := os.Mkdir(again, 0o755); err != nil {
			t.Fatal(err)
		}
		writeBatch(t, again, mem, []*transform.Report{fin}, nil)
		h, err := ReadHistory(context.Background(), earlier, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Reports) != 3 {
			t.Errorf("%d reports, want 3", len(h.Reports))
		}
	})
	if _, err := ReadHistory(context.Background(), t.TempDir(), nil); !errors.Is(err, ErrNoHistory) {
		t.Errorf("an empty folder: %v", err)
	}
	if _, err := ReadHistory(context.Background(), filepath.Join(earlier, "missing"), nil); err == nil {
		t.Error("a missing folder was read")
	}
}
