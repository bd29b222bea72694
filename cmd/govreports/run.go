package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rs/zerolog"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/pipeline"
	"github.com/govreports/govreports/transform"
)

// globs is a repeatable glob flag.
type globs []string

func (g *globs) String() string     { return strings.Join(*g, ",") }
func (g *globs) Set(s string) error { *g = append(*g, s); return nil }

// sizeFlag is a size in bytes, given as a number or with a unit (512MiB).
type sizeFlag struct{ n *int64 }

func (f sizeFlag) String() string {
	if f.n == nil {
		return ""
	}
	return fmt.Sprint(*f.n)
}

func (f sizeFlag) Set(s string) error {
	n, err := pipeline.ParseBytes(s)
	if err != nil {
		return err
	}
	*f.n = n
	return nil
}

func cmdRun(ctx context.Context, args []string, env cliEnv) int {
	fs := newFlags("run", env)
	cfg := pipeline.Config{Limits: extract.DefaultLimits()}
	fs.StringVar(&cfg.In, "in", "", "input folder, read recursively")
	fs.StringVar(&cfg.Out, "out", "", "output folder")
	fs.IntVar(&cfg.Workers, "workers", 0, "files read at once (0: number of CPUs)")
	fs.Var((*globs)(&cfg.Include), "include", "read only base names matching this glob (repeatable)")
	fs.Var((*globs)(&cfg.Exclude), "exclude", "skip base names matching this glob (repeatable)")
	fs.Int64Var(&cfg.Limits.MaxBytes, "max-bytes", cfg.Limits.MaxBytes, "reject files larger than this many bytes")
	fs.Var(sizeFlag{&cfg.Limits.MaxBuilt}, "max-built", "reject a file once reading it has built more than this (bytes, or with KiB, MiB, GiB)")
	fs.Var(sizeFlag{&cfg.MemoryLimit}, "memory-limit", "soft memory limit of the run (GOMEMLIMIT); default 512MiB, or the GOMEMLIMIT variable's")
	fs.IntVar(&cfg.MaxRejects, "max-rejects", 0, "rejected inputs tolerated before exit code 3")
	aliases := fs.String("aliases", "", "body → city alias table")
	logFormat := fs.String("log-format", "auto", "auto, json or console")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	progress := fs.String("progress", "auto", "auto, always or never")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.stderr, "govreports run: unexpected arguments %q (inputs are given with --in)\n", fs.Args())
		return exitUsage
	}

	var logOut io.Writer = env.stderr
	switch *progress {
	case "auto", "always", "never":
		if *progress == "always" || (*progress == "auto" && env.stderrTTY) {
			cfg.Progress = pipeline.NewProgress(env.stderr)
			logOut = cfg.Progress
		}
	default:
		fmt.Fprintf(env.stderr, "govreports run: --progress must be auto, always or never, not %q\n", *progress)
		return exitUsage
	}
	log, err := newLogger(logOut, *logFormat, *logLevel, env.stderrTTY)
	if err != nil {
		fmt.Fprintf(env.stderr, "govreports run: %v\n", err)
		return exitUsage
	}
	if *aliases != "" {
		if cfg.Aliases, err = transform.LoadAliases(*aliases); err != nil {
			log.Error().Err(err).Msg("cannot load the alias table")
			return exitUsage
		}
	}
	cfg.Version = buildVersion()
	cfg.Args = append([]string{"run"}, args...)
	cfg.Log = &log

	res, err := pipeline.Run(ctx, cfg)
	code := exitCode(err, res, env.signalled())
	switch {
	case code == exitRejects:
		log.Error().Int("rejected", res.Summary.Totals.Rejected).Int("max_rejects", cfg.MaxRejects).
			Msg("outputs committed, but more inputs were rejected than --max-rejects allows; see run.json")
	case errors.Is(err, context.Canceled):
		log.Warn().Msg("run cancelled: nothing committed, previous outputs untouched")
	case err != nil:
		log.Error().Err(err).Msg("run failed: nothing committed, previous outputs untouched")
	}
	return code
}

// newLogger builds the run's logger: JSON for machines, the console writer for people.
func newLogger(w io.Writer, format, level string, tty bool) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || level == "" {
		return zerolog.Logger{}, fmt.Errorf("--log-level must be debug, info, warn or error, not %q", level)
	}
	switch format {
	case "auto":
		if !tty {
			break
		}
		fallthrough
	case "console":
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05", NoColor: !tty}
	case "json":
	default:
		return zerolog.Logger{}, fmt.Errorf("--log-format must be auto, json or console, not %q", format)
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger(), nil
}
