// Package pipeline runs one batch: it discovers the inputs, reads and transforms them on a bounded
// pool of workers, feeds the reports to the writers in input order, and commits the outputs into
// the output folder whole or not at all, with a run summary (run.json) beside them.
//
// It owns every goroutine, channel and count of a run; the stage code it calls starts none.
package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/rs/zerolog"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// Config is everything one run needs. The zero values of the optional fields pick the defaults.
type Config struct {
	In, Out string
	// Workers is the number of files read and transformed at once; 0 means GOMAXPROCS.
	Workers int
	// Include and Exclude are globs (filepath.Match) on base names. A file is read when it matches
	// some Include (or Include is empty) and no Exclude.
	Include, Exclude []string
	Limits           extract.Limits
	// MaxRejects is how many rejected inputs the run tolerates before Result.TooManyRejects says so.
	// The outputs are committed either way.
	MaxRejects int
	Aliases    *transform.Aliases

	Version string   // recorded in run.json and the Parquet created_by
	Args    []string // the command line, recorded in run.json

	Log      *zerolog.Logger // nil: no logging
	Progress *Progress       // nil: no progress bar

	// Stages and NewSink replace the real extract, transform and load steps (in tests); nil means
	// the real ones.
	Stages  Stages
	NewSink NewSink
	// Window bounds the results held between the workers and the ordered collector;
	// 0 means 4 per worker.
	Window int
	// MemoryLimit is the run's soft memory limit in bytes (GOMEMLIMIT, set for the run's
	// duration); a quarter of it bounds the bytes of the files in flight. 0 means the GOMEMLIMIT
	// environment variable's, or DefaultMemoryLimit.
	MemoryLimit int64
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
	info, err := os.Stat(cfg.In)
	if err != nil {
		return cfg, configErrorf("input folder: %w", err)
	}
	if !info.IsDir() {
		return cfg, configErrorf("input %s is not a folder", cfg.In)
	}
	if info, err := os.Stat(cfg.Out); err == nil && !info.IsDir() {
		return cfg, configErrorf("output %s exists and is not a folder", cfg.Out)
	}
	for _, pattern := range slices.Concat(cfg.Include, cfg.Exclude) {
		if _, err := filepath.Match(pattern, ""); err != nil {
			return cfg, configErrorf("glob %q: %w", pattern, err)
		}
	}
	if cfg.Workers < 0 || cfg.MaxRejects < 0 || cfg.Window < 0 {
		return cfg, configErrorf("--workers, --max-rejects and the window must not be negative")
	}
	if cfg.MemoryLimit < 0 {
		return cfg, configErrorf("--memory-limit must not be negative")
	}
	cfg.MemoryLimit = memoryLimit(cfg.MemoryLimit)
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
	cfg.Stages = cfg.Stages.withDefaults(cfg.Limits)
	if cfg.NewSink == nil {
		cfg.NewSink = LoadSink
	}
	return cfg, nil
}
