package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/govreports/govreports/load"
	"github.com/govreports/govreports/pipeline"
)

// Exit codes, documented in usage.
const (
	exitOK          = 0
	exitFatal       = 1
	exitUsage       = 2
	exitRejects     = 3
	exitInterrupted = 130 // 128 + SIGINT
	exitTerminated  = 143 // 128 + SIGTERM
)

const usage = `govreports reads 政府信息公开工作年度报告 (text, HTML, XLSX, DOCX), finds Tables 2, 3 and 4,
checks every consistency rule and writes Parquet files and a workbook.

Usage:
  govreports run --in DIR --out DIR [flags]   read every report under DIR, commit outputs to --out
      --config FILE       read the settings from a TOML file; flags override it
      --in DIR            input folder, read recursively (repeatable)
      --out DIR           output folder, outside every input folder
      --workers N         files read at once (default: number of CPUs)
      --include GLOB      read only base names matching GLOB (repeatable)
      --exclude GLOB      skip base names matching GLOB (repeatable)
      --max-bytes N       reject files larger than N bytes (default 64 MiB)
      --max-uncompressed N  reject DOCX/XLSX whose parts inflate past N bytes (default 256 MiB)
      --max-rows N        reject files with a sheet or table of more than N rows (default 200000)
      --max-cells N       reject files with more than N table cells (default 2000000)
      --max-built SIZE    reject a file once reading it has built more than SIZE (default 128MiB)
      --memory-limit SIZE soft memory limit of the run, GOMEMLIMIT (default 150MiB, or GOMEMLIMIT's)
      --max-rejects N     rejected inputs tolerated before exit code 3 (default 0)
      --allow-shrink      commit even when fewer than half as many reports were read as the
                          current outputs hold
      --full              read every input again, ignoring (and rewriting) the incremental cache
      --aliases FILE      alias table (CSV: body,code,level,parent,scope)
      --history DIR       earlier outputs: check carry-overs and changes against last year's reports
      --exclude-body B    leave a body (its name, or a division code) out of the rollups (repeatable)
      --log-format F      auto (console on a terminal, JSON otherwise), json or console
      --log-level L       debug, info, warn or error (default info)
      --progress P        auto (on a terminal), always or never
  govreports config [--config FILE] [flags]   print the effective settings of run and their sources
  govreports extract [--max-bytes N] [--max-uncompressed N] [--max-rows N] [--max-cells N]
                     [--aliases FILE] FILE...  print each file's reports as JSON Lines, in order
  govreports schema [--markdown]              print the output table schemas
  govreports gen --n N --out DIR [--seed S] [--layout L]
                                              write N distinct synthetic reports of real bodies (layouts: %s)
  govreports gen --city NAME --out DIR [--years 2023-2025] [--seed S] [--units-per-county N] [--clean]
                                              write a real city's reports over the years (every unit of the
                                              division codes, every format, planted defects) and manifest.json
  govreports version                          print the version
  govreports help                             print this help

Outputs of run, in --out:
  parquet/<table>/year=YYYY/part-00000.parquet, govreports-YYYY.xlsx, _SUCCESS and run.json (what
  was read, rejected and written): stable paths into current -> datasets/<run id>/, which one
  rename switches, so a reader always finds one whole dataset. A run that fails, is cancelled or
  is refused leaves them untouched and describes itself in failed-run.json. A run interrupted by a
  crash is rolled forward or back by the next one, which says so in its log and run.json.

Exit codes:
  0    every input read (or rejects within --max-rejects) and the outputs committed
  1    fatal error (unwritable output, output folder locked by another run, …): nothing committed
  2    usage or configuration error: nothing touched
  3    a bad night: the outputs were committed but more inputs were rejected than --max-rejects
       allows; or nothing was committed because no report was read at all (an empty or unreadable
       input folder) or fewer than half as many as the current outputs hold (see --allow-shrink),
       and failed-run.json says why
  130  interrupted (SIGINT), 143 terminated (SIGTERM): nothing committed
  extract exits 1 when any file could not be read; the others are still printed.
`

// cliEnv is what the commands see of the process, so tests can run them in-process.
type cliEnv struct {
	stdout, stderr io.Writer
	stderrTTY      bool
	// signalled returns exitInterrupted or exitTerminated once a signal cancelled the context.
	signalled func() int
	// getenv reads the environment (os.Getenv); nil reads nothing.
	getenv func(string) string
}

func (e cliEnv) getenvOrEmpty(key string) string {
	if e.getenv == nil {
		return ""
	}
	return e.getenv(key)
}

func runCLI(ctx context.Context, args []string, env cliEnv) int {
	if len(args) == 0 {
		fmt.Fprint(env.stderr, usageText())
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return cmdRun(ctx, rest, env)
	case "config":
		return cmdConfig(rest, env)
	case "extract":
		return cmdExtract(ctx, rest, env)
	case "schema":
		return cmdSchema(rest, env)
	case "gen":
		return cmdGen(rest, env)
	case "bench-floor": // hidden: the floor `make bench` compares a run with
		return cmdBenchFloor(ctx, rest, env)
	case "version", "--version":
		fmt.Fprintf(env.stdout, "govreports %s (schema %s, %s)\n", buildVersion(), load.SchemaVersion, runtime.Version())
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.stdout, usageText())
		return exitOK
	}
	fmt.Fprintf(env.stderr, "govreports: unknown command %q\n\n%s", cmd, usageText())
	return exitUsage
}

func usageText() string {
	var names []string
	for _, l := range genLayouts() {
		names = append(names, string(l))
	}
	return fmt.Sprintf(usage, strings.Join(names, ", "))
}

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, env cliEnv) *flag.FlagSet {
	fs := flag.NewFlagSet("govreports "+name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "usage of govreports %s (see govreports help):\n", name)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and returns the exit code to stop with, or -1 to go on.
func parseFlags(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	return -1
}

// exitCode maps the outcome of a run to the documented exit codes.
func exitCode(err error, res pipeline.Result, signalled int) int {
	var cfgErr *pipeline.ConfigError
	switch {
	case err == nil && res.TooManyRejects:
		return exitRejects
	case err == nil:
		return exitOK
	case errors.Is(err, pipeline.ErrRefused):
		return exitRejects
	case errors.Is(err, context.Canceled) && signalled != 0:
		return signalled
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &cfgErr):
		return exitUsage
	}
	return exitFatal
}

func buildVersion() string {
	if version != "dev" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return version
}
