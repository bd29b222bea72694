package pipeline

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

func TestSpillStore(t *testing.T) {
	dir := t.TempDir()
	s, err := newSpillStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want []*transform.Report
	for i := range 300 {
		r := &transform.Report{ID: strings.Repeat("x", i%7) + string(rune('a'+i%26)), Year: 2000 + i,
			Source: extract.Source{Path: "in/" + strings.Repeat("目录/", i%5) + "r.txt"}}
		r.T3[i%26][i%7] = transform.Value{Kind: transform.Numeric, N: int64(i), Raw: "n", Pos: extract.Pos{Line: i}}
		if i%3 == 0 {
			r.Findings = []transform.Finding{{Rule: "R", Message: strings.Repeat("长", i)}}
		}
		enc, err := r.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.append(enc); err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
		// Reading between appends sees what was appended so far.
		if i%50 == 0 {
			got, err := s.At(i)
			if err != nil || !reflect.DeepEqual(got, r) {
				t.Fatalf("At(%d) right after append: %v", i, err)
			}
		}
	}
	if s.Len() != len(want) {
		t.Fatalf("Len %d, want %d", s.Len(), len(want))
	}
	for _, i := range []int{299, 0, 150, 7, 299} {
		got, err := s.At(i)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Fatalf("At(%d) differs", i)
		}
		got.Findings = append(got.Findings, transform.Finding{Rule: "mine"}) // the caller's to change
		if again, _ := s.At(i); !reflect.DeepEqual(again, want[i]) {
			t.Fatalf("At(%d) shares memory with an earlier At", i)
		}
	}
	// AtInto decodes into the caller's Report, replacing all of it: a report with findings then
	// one without leaves none behind.
	var reused transform.Report
	for _, i := range []int{3, 4, 299, 0, 1} {
		if err := s.AtInto(i, &reused); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&reused, want[i]) {
			t.Fatalf("AtInto(%d) differs", i)
		}
	}
	var _ transform.ReportsInto = s
	for _, i := range []int{-1, 300} {
		if _, err := s.At(i); err == nil {
			t.Errorf("At(%d) succeeded", i)
		}
		if err := s.AtInto(i, &reused); err == nil {
			t.Errorf("AtInto(%d) succeeded", i)
		}
	}
	if info, err := os.Stat(filepath.Join(dir, spillName)); err != nil || info.Size() != s.Bytes() {
		t.Fatalf("store file: %v, %d bytes, want %d", err, info.Size(), s.Bytes())
	}
	if err := s.remove(); err != nil {
		t.Fatal(err)
	}
	if err := s.remove(); err != nil {
		t.Errorf("second remove: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, spillName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("store file after remove: %v", err)
	}
	if _, err := s.At(0); err == nil {
		t.Error("At after remove succeeded")
	}
	if err := s.append([]byte{1}); err == nil {
		t.Error("append after remove succeeded")
	}
	if _, err := newSpillStore(filepath.Join(dir, "missing")); err == nil {
		t.Error("a store in a missing folder")
	}
}

// TestSpillStoreCorrupt: a store whose bytes were damaged says which report it cannot decode.
func TestSpillStoreCorrupt(t *testing.T) {
	dir := t.TempDir()
	s, err := newSpillStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.remove()
	enc, _ := (&transform.Report{ID: "a"}).AppendBinary(nil)
	s.append(enc)
	s.append([]byte{0xff, 1, 2})
	if _, err := s.At(0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.At(1); !errors.Is(err, transform.ErrCodec) || !strings.Contains(err.Error(), "report 1") {
		t.Errorf("err = %v", err)
	}
}

// cursorReport is report i of the cursor tests: 2–5 KB encoded, and passWindow and more when big.
func cursorReport(i int, big bool) *transform.Report {
	n := 2000 + i*37%3000
	if big {
		n = passWindow + 5000
	}
	r := &transform.Report{ID: fmt.Sprintf("r%d", i), Year: 2000 + i%30, Body: strings.Repeat("局", n/3),
		Source: extract.Source{Path: fmt.Sprintf("in/%d.txt", i)}}
	r.T3[i%26][i%7] = transform.Value{Kind: transform.Numeric, N: int64(i), Raw: "n", Pos: extract.Pos{Line: i}}
	if i%3 == 0 {
		r.Findings = []transform.Finding{{Rule: "R", Message: strings.Repeat("长", i%50)}}
	}
	return r
}

// cursorStore is a store of n cursorReports, report big (if any) larger than a window.
func cursorStore(t *testing.T, n, big int) (*spillStore, []*transform.Report) {
	t.Helper()
	s, err := newSpillStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.remove() })
	var want []*transform.Report
	for i := range n {
		want = append(want, appendReport(t, s, cursorReport(i, i == big)))
	}
	return s, want
}

func appendReport(t *testing.T, s *spillStore, r *transform.Report) *transform.Report {
	t.Helper()
	enc, err := r.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.append(enc); err != nil {
		t.Fatal(err)
	}
	return r
}

// readThrough reads the reports order through one cursor into one Report, checks each against
// want, and returns how many times the cursor read the file.
func readThrough(t *testing.T, s *spillStore, want []*transform.Report, order []int) int {
	t.Helper()
	c := s.NewPass().(*spillCursor)
	var r transform.Report
	reads := 0
	for _, i := range order {
		off, n := c.off, len(c.buf)
		if err := c.AtInto(i, &r); err != nil {
			t.Fatalf("report %d: %v", i, err)
		}
		if !reflect.DeepEqual(&r, want[i]) {
			t.Fatalf("report %d differs", i)
		}
		// A read always moves the window: a report already in it is never read again.
		if c.off != off || len(c.buf) != n {
			reads++
		}
	}
	return reads
}

// TestSpillCursor: a pass's cursor decodes every report as At does, whatever the order, reading a
// window ahead only when the pass reads in order.
func TestSpillCursor(t *testing.T) {
	const n, big = 400, 250
	s, want := cursorStore(t, n, big)
	ends := func(i int) int64 { return s.ends[i] }
	starts := func(i int) int64 {
		if i == 0 {
			return 0
		}
		return s.ends[i-1]
	}
	// edge is the first report past the window read from report 1 on, which straddles its end.
	edge := 1
	for ends(edge) <= starts(1)+passWindow {
		edge++
	}
	if starts(edge) >= starts(1)+passWindow {
		t.Fatalf("report %d does not straddle the window's end", edge)
	}
	seq := func(from, to, step int) []int {
		var out []int
		for i := from; (step > 0 && i < to) || (step < 0 && i > to); i += step {
			out = append(out, i)
		}
		return out
	}
	windows := int(s.size/passWindow) + 1
	cases := []struct {
		name     string
		order    []int
		maxReads int
	}{
		{"sequential", seq(0, n, 1), windows + 2},
		{"backwards", seq(n-1, -1, -1), n},
		{"random", rand.New(rand.NewPCG(1, 2)).Perm(n), n},
		{"every fifth", seq(0, n, 5), windows + 2},
		{"repeated", []int{5, 5, 6, 6, 6, 5, 7, 5}, 1},
		{"across the window's edge", append(seq(1, edge+2, 1), edge-1, edge, edge+1, edge-1), 5},
		{"after the window's edge", append(seq(1, edge, 1), edge), 2},
		{"larger than a window", []int{big - 2, big - 1, big, big + 1, big + 2, big, big - 1, big + 1}, 7},
		{"jump then in order", append([]int{300}, seq(100, 200, 1)...), 1 + 1 + 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if reads := readThrough(t, s, want, tc.order); reads > tc.maxReads {
				t.Errorf("%d reads of the file, want at most %d", reads, tc.maxReads)
			}
		})
	}

	// A jump reads the report's bytes only; the next report in order reads a window, and so does
	// one a few reports further on; one far ahead is a jump.
	c := s.NewPass().(*spillCursor)
	var r transform.Report
	read := func(i int, wantOff, wantLen int64) {
		t.Helper()
		if err := c.AtInto(i, &r); err != nil || !reflect.DeepEqual(&r, want[i]) {
			t.Fatalf("report %d: %v", i, err)
		}
		if c.off != wantOff || int64(len(c.buf)) != wantLen {
			t.Errorf("report %d: read %d bytes at %d, want %d at %d", i, len(c.buf), c.off, wantLen, wantOff)
		}
	}
	own := func(i int) int64 { return ends(i) - starts(i) }
	read(100, starts(100), own(100))
	read(101, starts(101), passWindow)
	read(102, starts(101), passWindow) // in the window
	read(300, starts(300), own(300))
	read(303, starts(303), passWindow)
	read(302, starts(302), own(302))
	for _, i := range []int{-1, n} {
		if err := c.AtInto(i, &r); err == nil {
			t.Errorf("AtInto(%d) succeeded", i)
		}
	}
	var _ transform.ReportsPasses = s
}

// TestSpillCursorAppends: a cursor whose window reached the end of the file reads what was
// appended since, including what still sat in the store's write buffer.
func TestSpillCursorAppends(t *testing.T) {
	s, want := cursorStore(t, 20, -1)
	c := s.NewPass()
	var r transform.Report
	next := 0
	read := func(upTo int) {
		t.Helper()
		for ; next < upTo; next++ {
			if err := c.AtInto(next, &r); err != nil || !reflect.DeepEqual(&r, want[next]) {
				t.Fatalf("report %d: %v", next, err)
			}
		}
	}
	read(20)
	for round := range 3 {
		for i := range 7 {
			want = append(want, appendReport(t, s, cursorReport(20+round*7+i, false)))
		}
		if s.w.Buffered() == 0 {
			t.Fatal("the appends were written out already: the test does not cover the flush")
		}
		read(len(want))
	}
	if err := s.remove(); err != nil {
		t.Fatal(err)
	}
	if err := c.AtInto(0, &r); err == nil {
		t.Error("a cursor read after remove")
	}
}

// TestSpillCursorConcurrent: two passes read the store at once, each through its own cursor, while
// reports are still being appended (go test -race).
func TestSpillCursorConcurrent(t *testing.T) {
	const n = 300
	s, want := cursorStore(t, n, 150)
	more := make([]*transform.Report, 50)
	for i := range more {
		more[i] = cursorReport(n+i, false)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for g, order := range [][]int{rand.New(rand.NewPCG(3, 4)).Perm(n), nil} {
		if order == nil {
			for range 3 {
				for i := range n {
					order = append(order, i)
				}
			}
		}
		wg.Go(func() {
			c := s.NewPass()
			var r transform.Report
			for _, i := range order {
				if err := c.AtInto(i, &r); err != nil {
					errs <- err
					return
				}
				if !reflect.DeepEqual(&r, want[i]) {
					errs <- fmt.Errorf("pass %d: report %d differs", g, i)
					return
				}
			}
		})
	}
	for _, r := range more {
		enc, err := r.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.append(enc); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	want = append(want, more...)
	readThrough(t, s, want, rand.New(rand.NewPCG(5, 6)).Perm(len(want)))
}
