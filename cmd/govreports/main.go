// Command govreports reads Chinese government information-disclosure annual reports
// (政府信息公开工作年度报告), checks them and writes Parquet files and a workbook. Run
// "govreports help" for the commands and exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"golang.org/x/term"

	// The PDF engine registers itself with extract: govreports reads PDFs.
	_ "github.com/govreports/govreports/extract/pdfium"
)

// version is set at build time: -ldflags "-X main.version=…".
var version = "dev"

func main() {
	// GOVREPORTS_CPUPROFILE names a file for a CPU profile of the whole command: how the numbers in
	// docs/PERFORMANCE.md were taken, on a real run rather than a benchmark.
	if path := os.Getenv("GOVREPORTS_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			defer func() { pprof.StopCPUProfile(); f.Close() }()
		}
	}
	if path := os.Getenv("GOVREPORTS_HEAPPROFILE"); path != "" {
		go writeHeapAtPeak(path)
	}
	ctx, signalled, stop := signalContext()
	code := runCLI(ctx, os.Args[1:], cliEnv{
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		stderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		signalled: signalled,
		getenv:    os.Getenv,
	})
	stop()
	if code != 0 {
		pprof.StopCPUProfile() // os.Exit skips the deferred stop
		os.Exit(code)
	}
}

// signalContext is the one context of the process: SIGINT and SIGTERM cancel it. signalled tells
// which of them did, as the exit code a shell would show for it (0 when none).
func signalContext() (ctx context.Context, signalled func() int, stop func()) {
	termCtx, stopTerm := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	ctx, stopInt := signal.NotifyContext(termCtx, os.Interrupt)
	signalled = func() int {
		switch {
		case termCtx.Err() != nil:
			return exitTerminated
		case ctx.Err() != nil:
			return exitInterrupted
		}
		return 0
	}
	return ctx, signalled, func() { stopInt(); stopTerm() }
}

// writeHeapAtPeak keeps, in path, a heap profile taken when the live heap was at its largest so
// far (sampled every second): where a run's peak memory goes, which a profile at exit cannot show.
func writeHeapAtPeak(path string) {
	var peak uint64
	for range time.Tick(time.Second) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc < peak+peak/20 {
			continue
		}
		peak = ms.HeapAlloc
		if f, err := os.Create(path); err == nil {
			_ = pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
}
