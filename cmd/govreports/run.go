package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/rs/zerolog"

	"github.com/govreports/govreports/pipeline"
	"github.com/govreports/govreports/transform"
)

func cmdRun(ctx context.Context, args []string, env cliEnv) int {
	fs := newFlags("run", env)
	set, _, err := loadSettings(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		if !isFlagError(err) {
			fmt.Fprintf(env.stderr, "govreports run: %v\n", err)
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.stderr, "govreports run: unexpected arguments %q (inputs are given with --in)\n", fs.Args())
		return exitUsage
	}
	cfg := pipeline.Config{
		Out:           set.Out,
		Workers:       set.Workers,
		Include:       set.Include,
		Exclude:       set.Exclude,
		Limits:        set.limits(),
		MaxRejects:    set.MaxRejects,
		AllowShrink:   set.AllowShrink,
		Full:          set.Full,
		History:       set.History,
		ExcludeBodies: set.ExcludeBodies,
		MemoryLimit:   set.MemoryLimit,
		PauseAt:       env.getenvOrEmpty(pipeline.PauseEnv),
	}
	if len(set.In) > 0 {
		cfg.In, cfg.MoreIn = set.In[0], set.In[1:]
	}

	var logOut io.Writer = env.stderr
	switch set.Progress {
	case "auto", "always", "never":
		if set.Progress == "always" || (set.Progress == "auto" && env.stderrTTY) {
			cfg.Progress = pipeline.NewProgress(env.stderr)
			logOut = cfg.Progress
		}
	default:
		fmt.Fprintf(env.stderr, "govreports run: --progress must be auto, always or never, not %q\n", set.Progress)
		return exitUsage
	}
	log, err := newLogger(logOut, set.LogFormat, set.LogLevel, env.stderrTTY)
	if err != nil {
		fmt.Fprintf(env.stderr, "govreports run: %v\n", err)
		return exitUsage
	}
	if set.Aliases != "" {
		if cfg.Aliases, err = transform.LoadAliases(set.Aliases); err != nil {
			log.Error().Err(err).Msg("cannot load the alias table (--aliases)")
			return exitUsage
		}
	}
	cfg.Version = buildVersion()
	cfg.Args = append([]string{"run"}, args...)
	cfg.Log = &log

	res, err := pipeline.Run(ctx, cfg)
	code := exitCode(err, res, env.signalled())
	switch {
	case errors.Is(err, pipeline.ErrRefused):
		log.Error().Err(err).Msg("run refused: nothing committed, previous outputs untouched; see failed-run.json")
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

// cmdConfig prints the effective configuration of a run with the same flags, and where each value
// came from.
func cmdConfig(args []string, env cliEnv) int {
	fs := newFlags("config", env)
	set, opts, err := loadSettings(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		if !isFlagError(err) {
			fmt.Fprintf(env.stderr, "govreports config: %v\n", err)
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.stderr, "govreports config: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}
	printSettings(env.stdout, set, opts)
	return exitOK
}

// isFlagError reports an error the flag package has already printed with the usage.
func isFlagError(err error) bool {
	var fe *fileError
	return !errors.As(err, &fe)
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
