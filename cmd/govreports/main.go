// Command govreports reads Chinese government information-disclosure annual reports
// (政府信息公开工作年度报告), checks them and writes Parquet files and a workbook. Run
// "govreports help" for the commands and exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	// The PDF engine registers itself with extract: govreports reads PDFs.
	_ "github.com/govreports/govreports/extract/pdfium"
)

// version is set at build time: -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, signalled, stop := signalContext()
	code := runCLI(ctx, os.Args[1:], cliEnv{
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		stderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		signalled: signalled,
		getenv:    os.Getenv,
	})
	stop()
	os.Exit(code)
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
