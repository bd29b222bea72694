package pipeline

import (
	"bytes"
	"math"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

func TestParseBytes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{{"0", 0}, {"512", 512}, {"512MiB", 512 << 20}, {" 2 GiB ", 2 << 30}, {"64KiB", 64 << 10}, {"3MB", 3e6}, {"7B", 7}} {
		if got, err := ParseBytes(c.in); err != nil || got != c.want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "-1", "1.5GiB", "MiB", "12 apples", "99999999999GiB"} {
		if _, err := ParseBytes(bad); err == nil {
			t.Errorf("ParseBytes(%q) succeeded", bad)
		}
	}
}

func TestWeight(t *testing.T) {
	const budget = 64 << 20
	for _, c := range []struct {
		in   Input
		max  int64
		want int64
	}{
		{Input{Path: "a.txt", Size: 10}, 0, minWeight},
		{Input{Path: "a.txt", Size: 1 << 20}, 0, 17 << 20},
		{Input{Path: "a.DOCX", Size: 1 << 20}, 0, budget}, // 65 MiB, capped
		{Input{Path: "a.docx", Size: 1 << 20}, 8 << 20, 9 << 20},
		{Input{Path: "a.html", Size: 40 << 20}, 0, budget},
	} {
		want := min(c.want, budget)
		if got := weight(c.in, c.max, budget); got != want {
			t.Errorf("weight(%+v, %d) = %d, want %d", c.in, c.max, got, want)
		}
	}
}

func TestRaisedLimit(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		live, limit, want int64
	}{
		{100 * mib, 256 * mib, 256 * mib},   // clear of the limit
		{192 * mib, 256 * mib, 256 * mib},   // exactly 3/4: still clear
		{200 * mib, 256 * mib, 300 * mib},   // near it: 3/2 of the live heap
		{300 * mib, 256 * mib, 450 * mib},   // above it
		{200*mib + 1, 256 * mib, 301 * mib}, // rounded up to a MiB
	} {
		if got := raisedLimit(c.live, c.limit); got != c.want {
			t.Errorf("raisedLimit(%d MiB, %d MiB) = %.2f MiB, want %d MiB", c.live/mib, c.limit/mib,
				float64(got)/mib, c.want/mib)
		}
	}
}

// safeBuffer collects what one goroutine writes while another reads it.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLimitGuard keeps a live heap above a small default limit and expects the guard to raise the
// limit past it; a limit the user chose stays where it is, with one warning.
func TestLimitGuard(t *testing.T) {
	const mib = 1 << 20
	old := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetMemoryLimit(old)
	live := make([]*[mib]byte, 24) // 24 MiB kept live through the test
	for i := range live {
		live[i] = new([mib]byte)
	}
	for _, chosen := range []bool{false, true} {
		var logs safeBuffer
		log := zerolog.New(&logs)
		debug.SetMemoryLimit(8 * mib)
		stop := limitGuard(8*mib, chosen, 10*time.Millisecond, &log)
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) && logs.String() == "" {
			runtime.GC() // the live-heap metric is measured by a collection
			time.Sleep(20 * time.Millisecond)
		}
		final := stop()
		switch {
		case !chosen && final < 36*mib:
			t.Errorf("default limit: the guard left it at %d MiB under a %d MiB live heap; log: %s", final/mib, len(live), logs.String())
		case !chosen && debug.SetMemoryLimit(-1) != final:
			t.Errorf("default limit: the runtime's limit is %d, the guard says %d", debug.SetMemoryLimit(-1), final)
		case chosen && (final != 8*mib || !strings.Contains(logs.String(), "raise the limit")):
			t.Errorf("chosen limit: got %d MiB and log %q; want it kept at 8 MiB with a warning", final/mib, logs.String())
		}
	}
	runtime.KeepAlive(live)
}

// TestPaceCollector: a run paces the collector at runGCPercent and gives the previous setting
// back; a GOGC the user set is left alone.
func TestPaceCollector(t *testing.T) {
	percent := func() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct {
		gogc string
		want int
	}{{"", runGCPercent}, {"100", 100}, {"off", 100}} {
		t.Setenv("GOGC", tc.gogc)
		restore := paceCollector()
		if got := percent(); got != tc.want {
			t.Errorf("GOGC=%q: the run collects at %d %%, want %d", tc.gogc, got, tc.want)
		}
		restore()
		if got := percent(); got != 100 {
			t.Errorf("GOGC=%q: %d %% after the run, want 100 back", tc.gogc, got)
		}
	}
}
