// Package pipeline runs one batch: it discovers the inputs, reads and transforms them on a bounded
// pool of workers, feeds the reports to the writers in input order, and commits the outputs into
// the output folder whole or not at all, with a run summary (run.json) beside them.
//
// It owns every goroutine, channel and count of a run; the stage code it calls starts none.
package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/rs/zerolog"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// Config is everything one run needs. The zero values of the optional fields pick the defaults.
type Config struct {
	In, Out string
	// MoreIn are further input folders, read after In; each input's Rel is relative to its own
	// folder.
	MoreIn []string
	// Workers is the number of files read and transformed at once; 0 means GOMAXPROCS.
	Workers int
	// Include and Exclude are globs (filepath.Match) on base names. A file is read when it matches
	// some Include (or Include is empty) and no Exclude.
	Include, Exclude []string
	Limits           extract.Limits
	// MaxRejects is how many rejected inputs the run tolerates before Result.TooManyRejects says so.
	// The outputs are committed either way.
	MaxRejects int
	// AllowShrink lets a run replace outputs of more than twice as many reports as it read; without
	// it such a run commits nothing (ErrRefused).
	AllowShrink bool
	// Full reads every input again, ignoring the incremental cache (which it rewrites).
	Full    bool
	Aliases *transform.Aliases
	// History is a folder of earlier outputs (load.ReadHistory) whose reports the cross-year rules
	// compare this run's with; "" for none.
	History string
	// ExcludeBodies are bodies (names as printed) or division codes left out of the rollups.
	ExcludeBodies []string

	Version string   // recorded in run.json and the Parquet created_by
	Args    []string // the command line, recorded in run.json

	Log      *zerolog.Logger // nil: no logging
	Progress *Progress       // nil: no progress bar

	// Stages and NewSink replace the real extract, transform and load steps (in tests); nil means
	// the real ones.
	Stages  Stages
	NewSink NewSink
	// StagesID names replaced Stages and NewSink for the incremental cache, whose entries hold
	// what they produce: with either replaced and StagesID empty, the run neither reads nor writes
	// the cache.
	StagesID string
	// noCache is set by withDefaults when the cache cannot know what the stages produce.
	noCache bool
	// PauseAt names a step at which the run stops until its context ends, for the crash tests
	// (see PauseEnv); empty in production.
	PauseAt string
	// Window bounds the results held between the workers and the ordered collector;
	// 0 means 4 per worker.
	Window int
	// MemoryLimit is the run's soft memory limit in bytes (GOMEMLIMIT, set for the run's
	// duration); a quarter of it bounds the bytes of the files in flight. 0 means the GOMEMLIMIT
	// environment variable's, or DefaultMemoryLimit.
	MemoryLimit int64
	// memoryLimitChosen is set by withDefaults when the user chose MemoryLimit (here or through
	// GOMEMLIMIT): it is then kept, never raised.
	memoryLimitChosen bool
}

// ConfigError is a mistake in the configuration: the run did not start and nothing was touched.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

func configErrorf(format string, args ...any) error {
	return &ConfigError{Err: fmt.Errorf(format, args...)}
}

// withDefaults validates cfg and fills in the defaults. The input folder must exist; the output
// folder is created later, once the run is known to be possible.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.In == "" {
		return cfg, configErrorf("no input folder: set --in")
	}
	if cfg.Out == "" {
		return cfg, configErrorf("no output folder: set --out")
	}
	ins := cfg.inputFolders()
	for _, in := range ins {
		info, err := os.Stat(in)
		if err != nil {
			return cfg, configErrorf("input folder: %w", err)
		}
		if !info.IsDir() {
			return cfg, configErrorf("input %s is not a folder", in)
		}
	}
	if info, err := os.Stat(cfg.Out); err == nil && !info.IsDir() {
		return cfg, configErrorf("output %s exists and is not a folder", cfg.Out)
	}
	for i, in := range ins {
		if err := checkApart(in, cfg.Out); err != nil {
			return cfg, err
		}
		for _, other := range ins[:i] {
			if err := checkInputsApart(other, in); err != nil {
				return cfg, err
			}
		}
	}
	for _, pattern := range slices.Concat(cfg.Include, cfg.Exclude) {
		if _, err := filepath.Match(pattern, ""); err != nil {
			return cfg, configErrorf("glob %q: %w", pattern, err)
		}
	}
	if cfg.History != "" {
		info, err := os.Stat(cfg.History)
		if err != nil {
			return cfg, configErrorf("history folder: %w", err)
		}
		if !info.IsDir() {
			return cfg, configErrorf("history %s is not a folder", cfg.History)
		}
	}
	switch {
	case cfg.Workers < 0:
		return cfg, configErrorf("--workers must be 0 (one per CPU) or more, not %d", cfg.Workers)
	case cfg.MaxRejects < 0:
		return cfg, configErrorf("--max-rejects must be 0 or more (the number of rejected inputs tolerated before exit code 3), not %d", cfg.MaxRejects)
	case cfg.Window < 0:
		return cfg, configErrorf("Config.Window must not be negative, not %d", cfg.Window)
	}
	for _, l := range []struct {
		flag string
		v    int64
	}{{"--max-bytes", cfg.Limits.MaxBytes}, {"--max-uncompressed", cfg.Limits.MaxUncompressed},
		{"--max-rows", int64(cfg.Limits.MaxRows)}, {"--max-cells", int64(cfg.Limits.MaxCells)}} {
		if l.v < 0 {
			return cfg, configErrorf("%s must be 0 (no limit) or more, not %d", l.flag, l.v)
		}
	}
	if cfg.MemoryLimit < 0 {
		return cfg, configErrorf("--memory-limit must not be negative")
	}
	cfg.MemoryLimit, cfg.memoryLimitChosen = memoryLimit(cfg.MemoryLimit)
	if cfg.Workers == 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.Window == 0 {
		cfg.Window = 4 * cfg.Workers
	}
	if cfg.Limits == (extract.Limits{}) {
		cfg.Limits = extract.DefaultLimits()
	}
	if cfg.Log == nil {
		nop := zerolog.Nop()
		cfg.Log = &nop
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	if (cfg.Stages.Extract != nil || cfg.Stages.Transform != nil || cfg.NewSink != nil) && cfg.StagesID == "" {
		cfg.noCache = true
	}
	cfg.Stages = cfg.Stages.withDefaults(cfg.Limits)
	if cfg.NewSink == nil {
		cfg.NewSink = LoadSink
	}
	return cfg, nil
}

// checkApart refuses an output folder equal to the input folder or inside it, and an input folder
// inside the output folder: a run would read its own workbooks back as reports, or its outputs
// would change under the next run's feet. Links are resolved; a folder that does not exist yet is
// placed by its nearest existing parent.
func checkApart(in, out string) error {
	inAbs, err := resolve(in)
	if err != nil {
		return configErrorf("input folder: %w", err)
	}
	outAbs, err := resolve(out)
	if err != nil {
		return configErrorf("output folder: %w", err)
	}
	switch {
	case inAbs == outAbs:
		return configErrorf("--out %s is the input folder: choose an output folder outside --in", out)
	case within(outAbs, inAbs):
		return configErrorf("--out %s lies inside --in %s: the next run would read the outputs back as reports; choose an output folder outside --in", out, in)
	case within(inAbs, outAbs):
		return configErrorf("--in %s lies inside --out %s: the run would read a folder it replaces; keep the inputs outside --out", in, out)
	}
	return nil
}

// checkInputsApart refuses two input folders of which one holds the other: every file would be
// read twice.
func checkInputsApart(a, b string) error {
	aAbs, err := resolve(a)
	if err != nil {
		return configErrorf("input folder: %w", err)
	}
	bAbs, err := resolve(b)
	if err != nil {
		return configErrorf("input folder: %w", err)
	}
	if aAbs == bAbs || within(aAbs, bAbs) || within(bAbs, aAbs) {
		return configErrorf("--in %s and --in %s overlap: every file under both would be read twice", a, b)
	}
	return nil
}

// inputFolders lists In and MoreIn.
func (cfg Config) inputFolders() []string {
	return append([]string{cfg.In}, cfg.MoreIn...)
}

// resolve returns the absolute path of p with links resolved, resolving the nearest existing
// parent when p does not exist yet.
func resolve(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for dir := abs; ; dir = filepath.Dir(dir) {
		real, err := filepath.EvalSymlinks(dir)
		if err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) || filepath.Dir(dir) == dir {
			return "", err
		}
		rest = append([]string{filepath.Base(dir)}, rest...)
	}
}

// within reports whether path lies strictly inside dir; both are clean absolute paths.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
