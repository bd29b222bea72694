package load

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govreports/govreports/transform"
)

// reportsFromBytes decodes a batch from fuzz input: identities, formats and scopes from small
// choices, a body name from raw bytes (maybe invalid UTF-8), and cells of every kind at any place.
func reportsFromBytes(data []byte) []*transform.Report {
	next := func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return b
	}
	cities := []string{"A市", "B市", ""}
	years := []int{0, 2023, 2024}
	scopes := []string{transform.ScopeOrgan, transform.ScopeRegional, ""}
	versions := []string{transform.Gov2021, transform.Gov2019, transform.Unknown, ""}
	const cellCount = transform.NumT2 + transform.NumT3Rows*transform.NumT3Cols + transform.NumT4

	var reports []*transform.Report
	for i := range int(next()%6) + 1 {
		r := newReport(fmt.Sprintf("f%d", i), cities[next()%3], "", years[next()%3],
			versions[next()%4], scopes[next()%3])
		nameLen := int(next() % 8)
		r.Body = string(data[:min(nameLen, len(data))])
		data = data[min(nameLen, len(data)):]
		for range int(next() % 48) {
			at := (int(next()) | int(next())<<8) % cellCount
			v := transform.Value{Kind: transform.Kind(next() % 6), Raw: "x"}
			if v.Kind == transform.Numeric {
				v.N = int64(int8(next())) * 1_000_003 // negative, positive, large enough to carry
			}
			switch {
			case at < transform.NumT2:
				r.T2[at] = v
			case at < transform.NumT2+transform.NumT3Rows*transform.NumT3Cols:
				at -= transform.NumT2
				r.T3[at/transform.NumT3Cols][at%transform.NumT3Cols] = v
			default:
				r.T4[at-transform.NumT2-transform.NumT3Rows*transform.NumT3Cols] = v
			}
		}
		reports = append(reports, r)
	}
	return reports
}

// FuzzBatch checks, for any batch: every report is stored whole, rollup_city equals the GROUP BY
// over the other tables, strings are stored as valid UTF-8, the workbooks are written, and no Arrow
// memory leaks.
func FuzzBatch(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 0, 2, 0, 1, 2, 'a', 'b', 8, 1, 0, 1, 7, 30, 0, 1, 5})
	f.Add([]byte{5, 0, 2, 0, 1, 4, 0xff, 0xfe, 0xe5, 0xb8, 9, 200, 1, 1, 9, 2, 0, 2, 1, 1, 0, 1, 3, 'z', 40, 12, 0, 3, 88})
	for _, seed := range []string{"平顶山市城乡一体化示范区", "淮安市洪泽区人民政府"} {
		f.Add(append([]byte{2, 0, 2, 0, 0, 7}, seed...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		reports := reportsFromBytes(data)
		mem := checkedMem(t)
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{Allocator: mem, RowGroupBytes: 1})
		if err != nil {
			t.Fatal(err)
		}
		outs, err := w.Write(context.Background(), testInput(t, reports, nil))
		if err != nil {
			t.Fatalf("a valid batch was refused: %v", err)
		}
		got, _ := readOutputs(t, dir, outs, mem)
		reportRows := got[TableReports]
		if len(reportRows) != len(reports) || len(got[TableApplications]) != len(reports)*transform.NumT3Rows {
			t.Fatalf("%d reports gave %d reports rows and %d applications rows", len(reports), len(reportRows),
				len(got[TableApplications]))
		}
		checkRollups(t, func(name string) []row { return got[name] }, reportRows, got[TableApplications])

		for i, r := range reportRows {
			want := optional(strings.ToValidUTF8(findReport(reports, r["report_id"].(string)).Body, "\uFFFD"))
			if b, ok := r["body"].(string); ok && !utf8.ValidString(b) || r["body"] != want {
				t.Errorf("row %d: body %q, want %q", i, r["body"], want)
			}
		}
	})
}

func findReport(reports []*transform.Report, id string) *transform.Report {
	for _, r := range reports {
		if r.ID == id {
			return r
		}
	}
	return nil
}
