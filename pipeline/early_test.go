package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/govreports/govreports/transform"
)

// earlyFake is a fakeSink that writes one file per report year early, "parquet/cells/…", reading
// the reports while the batch stage runs.
type earlyFake struct {
	*fakeSink
	fits     bool
	earlyErr error
	// calls records what the pipeline asked: "early", "write (apart)", "write", "remove <paths>".
	// WriteEarly runs on a goroutine of its own.
	mu    sync.Mutex
	calls []string
}

func (s *earlyFake) call(c string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
}

func (s *earlyFake) EarlyFits() bool { return s.fits }

func (s *earlyFake) WriteEarly(ctx context.Context, reps transform.Reports, inputHash string) ([]Output, error) {
	s.call("early")
	if s.earlyErr != nil {
		return nil, s.earlyErr
	}
	years := map[int]int{}
	rd := transform.NewPassReader(reps)
	for i := range reps.Len() {
		r, err := rd.At(i)
		if err != nil {
			return nil, err
		}
		years[r.Year]++
	}
	var outs []Output
	for y, n := range years {
		rel := fmt.Sprintf("parquet/cells/year=%d/part-00000.parquet", y)
		path := filepath.Join(s.dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(inputHash), 0o644); err != nil {
			return nil, err
		}
		outs = append(outs, Output{Path: rel, Table: "cells", Year: y, Rows: int64(n), Bytes: int64(len(inputHash))})
	}
	return outs, nil
}

func (s *earlyFake) Write(ctx context.Context, in SinkInput) ([]Output, error) {
	s.call(map[bool]string{true: "write (apart)", false: "write"}[in.EarlyWritten])
	return s.fakeSink.Write(ctx, in)
}

func (s *earlyFake) Remove(outs []Output) {
	var paths []string
	for _, o := range outs {
		paths = append(paths, o.Path)
		os.Remove(filepath.Join(s.dir, filepath.FromSlash(o.Path)))
	}
	slices.Sort(paths)
	s.call("remove " + strings.Join(paths, " "))
}

// TestRunEarlyOutputs: with an EarlySink whose memory allows it, the outputs of each report alone
// are written beside the batch stage with the same input hash, Write is told so, and the run
// commits both, listed in path order; when either part fails, the other part's files are removed
// and nothing is committed; when the memory does not allow it, Write writes everything.
func TestRunEarlyOutputs(t *testing.T) {
	files := map[string]string{"a.txt": "id:a", "b.txt": "id:b year:2023", "c.txt": "id:c"}
	cases := []struct {
		name      string
		fits      bool
		earlyErr  error
		writeErr  error
		wantCalls []string
		wantFail  bool
	}{
		{name: "both", fits: true, wantCalls: []string{"early", "write (apart)"}},
		{name: "no room", fits: false, wantCalls: []string{"write"}},
		{name: "early fails", fits: true, earlyErr: errors.New("disk full"), wantFail: true,
			wantCalls: []string{"early", "write (apart)", "remove govreports-2023.xlsx govreports-2024.xlsx parquet/reports/year=2023/part-00000.parquet parquet/reports/year=2024/part-00000.parquet"}},
		{name: "write fails", fits: true, writeErr: errors.New("disk full"), wantFail: true,
			wantCalls: []string{"early", "write (apart)", "remove parquet/cells/year=2023/part-00000.parquet parquet/cells/year=2024/part-00000.parquet"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, files)
			var sink *earlyFake
			cfg := h.config()
			cfg.NewSink = func(dir string, opt SinkOptions) (Sink, error) {
				sink = &earlyFake{fakeSink: &fakeSink{dir: dir, opt: opt}, fits: tc.fits, earlyErr: tc.earlyErr}
				if tc.writeErr != nil {
					sink.onClose = func(context.Context) error { return tc.writeErr }
				}
				return sink, nil
			}
			_, err := Run(context.Background(), cfg)
			if tc.wantFail != (err != nil) {
				t.Fatalf("Run: %v, want failure %v", err, tc.wantFail)
			}
			// The early write runs beside the batch stage: "early" may come in either place before the
			// removal, so only the set of calls and the removal's place are fixed.
			got := slices.Clone(sink.calls)
			if len(got) >= 2 && got[0] != "early" && got[1] == "early" {
				got[0], got[1] = got[1], got[0]
			}
			if !slices.Equal(got, tc.wantCalls) {
				t.Errorf("calls %q, want %q", sink.calls, tc.wantCalls)
			}
			if tc.wantFail {
				if _, err := os.Stat(filepath.Join(h.out, summaryFile)); err == nil {
					t.Error("a failed run committed run.json")
				}
				return
			}
			sum := readSummary(t, filepath.Join(h.out, summaryFile))
			var paths []string
			for _, o := range sum.Outputs {
				paths = append(paths, o.Path)
			}
			if tc.fits && !slices.IsSorted(paths) {
				t.Errorf("run.json lists the outputs out of order: %v", paths)
			}
			cells := 0
			for _, p := range paths {
				if strings.HasPrefix(p, "parquet/cells/") {
					cells++
					data, err := os.ReadFile(filepath.Join(h.out, filepath.FromSlash(p)))
					if err != nil || string(data) != sum.InputHash || sum.InputHash == "" {
						t.Errorf("%s holds %q (%v), want the run's input hash %q", p, data, err, sum.InputHash)
					}
				}
			}
			if want := map[bool]int{true: 2, false: 0}[tc.fits]; cells != want {
				t.Errorf("%d early outputs committed among %v, want %d", cells, paths, want)
			}
		})
	}
}
