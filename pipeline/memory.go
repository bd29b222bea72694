package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
)

// Memory. A run's heap is: what the workers build from the files they read (bounded by bytes in
// flight, below), the sink's row groups (load.DefaultRowGroupBytes a partition) and a few
// bytes per report (the report store's offsets, the batch stage's decisions, run.json's inputs).
// The soft limit (GOMEMLIMIT) makes the collector work harder as the heap nears it, rather than
// let a burst of garbage take the machine.

// DefaultMemoryLimit is the soft memory limit of a run when neither --memory-limit nor the
// GOMEMLIMIT environment variable sets one: far above what a run needs (a 10,000-report run peaks
// near 150 MiB), low enough for a shared machine.
const DefaultMemoryLimit = 256 << 20

// memoryLimit returns the limit a Config asks for: its own, else GOMEMLIMIT's, else the default.
func memoryLimit(cfg int64) int64 {
	if cfg > 0 {
		return cfg
	}
	if os.Getenv("GOMEMLIMIT") != "" {
		return debug.SetMemoryLimit(-1) // the runtime read the variable at start
	}
	return DefaultMemoryLimit
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
