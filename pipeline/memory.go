package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// Memory. A run's heap is: what the workers build from the files they read (bounded by bytes in
// flight, below), the sink's row groups (load.DefaultRowGroupBytes a partition) and a few
// bytes per report (the report store's offsets, the batch stage's decisions, run.json's inputs).
// The soft limit (GOMEMLIMIT) makes the collector work harder as the heap nears it, rather than
// let a burst of garbage take the machine.

// DefaultMemoryLimit is the soft memory limit of a run when neither --memory-limit nor the
// GOMEMLIMIT environment variable sets one: above what a run of 10,000 reports keeps live (about
// 75 MB at its peak, writing at once), low enough for a shared machine. Measured at 10,000
// reports with the collector paced by runGCPercent: 150 MiB gives a peak RSS of 186 MiB for the
// CPU and wall time of 160 MiB (195 MiB). What a run keeps live grows slowly with its reports
// (run.json's list of inputs, the batch stage's decisions and findings) and with the regions they
// cover (the rollups), so a large run may outgrow it: the default then rises (see limitGuard).
const DefaultMemoryLimit = 150 << 20

// runGCPercent paces the collector during a run, unless the GOGC environment variable does: a
// collection when the heap reaches five times what was live after the last, or the soft limit,
// whichever comes first. At Go's default (100) the collector ran each time the heap doubled:
// while the workers read, only about 13 MiB is live, so it collected every 13 MB allocated, well
// below the memory the run may take anyway. At 10,000 reports (farm-bench, 5 pairs) 400 took 0.93
// of the CPU and 0.94 of the wall time of 100, as "off" did; a finite value keeps a huge limit
// from letting the heap grow to it.
const runGCPercent = 400

// paceCollector sets runGCPercent, unless GOGC is set, and returns what restores the previous
// setting.
func paceCollector() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(runGCPercent)
	return func() { debug.SetGCPercent(old) }
}

// memoryLimit returns the limit a Config asks for: its own, else GOMEMLIMIT's, else the default;
// chosen says whether the user set it (--memory-limit or GOMEMLIMIT).
func memoryLimit(cfg int64) (limit int64, chosen bool) {
	if cfg > 0 {
		return cfg, true
	}
	if os.Getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1), true // the runtime read the variable at start
	}
	return DefaultMemoryLimit, false
}

// A soft limit below the live heap does not hold memory down: the heap cannot shrink below what is
// live, so the collector runs back to back and the runtime caps it at half the CPU. A 100,000-report
// run whose live heap reached 300 MiB under a fixed 256 MiB limit took 12 minutes instead of 3, half
// its CPU in marking, and went above the limit anyway. So the default limit follows the live heap:
// when what stays live after a collection comes near it, it rises to leave the collector headroom.
// A limit the user chose is kept; the run warns once that it is too low.

// headroomNum/headroomDen: the limit a live heap needs, 3/2 of it (GOGC=100 would take 2×).
const (
	headroomNum = 3
	headroomDen = 2
	// nearNum/nearDen: a live heap above 3/4 of the limit is near it.
	nearNum = 3
	nearDen = 4
)

// guardInterval is how often limitGuard reads the live heap, which the runtime updates after each
// collection.
const guardInterval = 500 * time.Millisecond

// raisedLimit returns the limit for a live heap: limit itself while live stays clear of it, else
// the live heap with headroom, rounded up to a MiB.
func raisedLimit(live, limit int64) int64 {
	if live*nearDen <= limit*nearNum {
		return limit
	}
	want := live + live*(headroomNum-headroomDen)/headroomDen
	return (want + 1<<20 - 1) &^ (1<<20 - 1)
}

// limitGuard watches the live heap during a run (every interval, after the collector's own
// measure) and raises the default soft limit as raisedLimit says, or warns once when a chosen limit
// is too low. stop ends it and returns the highest limit set.
func limitGuard(limit int64, chosen bool, interval time.Duration, log *zerolog.Logger) (stop func() int64) {
	done := make(chan struct{})
	finished := make(chan int64)
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		warned := false
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				finished <- limit
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				continue
			}
			live := int64(sample[0].Value.Uint64())
			next := raisedLimit(live, limit)
			switch {
			case next == limit:
			case chosen && !warned:
				warned = true
				log.Warn().Int64(FieldLiveHeapBytes, live).Int64(FieldMemoryLimitBytes, limit).
					Msg("the live heap is near the soft memory limit the run was given (--memory-limit or GOMEMLIMIT): the collector will take up to half the CPU; raise the limit")
			case !chosen:
				debug.SetMemoryLimit(next)
				log.Info().Int64(FieldLiveHeapBytes, live).Int64(FieldMemoryLimitBytes, next).
					Msg("soft memory limit raised to follow the live heap (set --memory-limit to fix one)")
				limit = next
			}
		}
	}()
	return func() int64 {
		close(done)
		return <-finished
	}
}

// ParseBytes reads a size: a number of bytes, or one with a unit (KiB, MiB, GiB, KB, MB, GB; B).
func ParseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size (bytes, or a number with KiB, MiB or GiB)", s)
	}
	return n * mult, nil
}

// inFlightShare is the part of the memory limit the files being read and transformed, and their
// results waiting for the collector, may take.
const inFlightShare = 4

// minWeight is what the smallest file is counted as: a Document and a Report cost that much
// whatever the file's size.
const minWeight = 256 << 10

// expansion estimates how many bytes a reader and transform build per byte of a file: a text
// report of 8 KB becomes a Document and a Report of about 100 KB. Zip containers (XLSX, DOCX)
// inflate first. The format is detected from content only later; the estimate goes by the name,
// and a file that builds more than its estimate is still stopped by extract.Limits.MaxBuilt.
func expansion(path string) int64 {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".docx", ".xlsm", ".zip":
		return 64
	}
	return 16
}

// weight is what an input counts against the bytes in flight: its size and an estimate of what
// reading it builds, at most the whole budget (so that a large file is read alone, never refused
// for it).
func weight(in Input, maxBuilt, budget int64) int64 {
	built := in.Size * expansion(in.Path)
	if maxBuilt > 0 {
		built = min(built, maxBuilt)
	}
	return min(max(in.Size+built, minWeight), budget)
}
