package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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
