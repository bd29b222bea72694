package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/pipeline"
)

// settings are the options of a run, from the defaults, a configuration file (--config, TOML)
// and the flags, each overriding the one before. The file's keys are the flags' names with "_"
// for "-", the limits in a [limits] table.
type settings struct {
	In          []string `toml:"in"`
	Out         string   `toml:"out"`
	Workers     int      `toml:"workers"`
	Include     []string `toml:"include"`
	Exclude     []string `toml:"exclude"`
	MaxRejects  int      `toml:"max_rejects"`
	AllowShrink bool     `toml:"allow_shrink"`
	// Full reads every input again instead of taking unchanged ones from the incremental cache.
	Full    bool   `toml:"full"`
	Aliases string `toml:"aliases"`
	// History is a folder of earlier outputs for the cross-year rules.
	History       string   `toml:"history"`
	ExcludeBodies []string `toml:"exclude_body"`
	LogFormat     string   `toml:"log_format"`
	LogLevel      string   `toml:"log_level"`
	Progress      string   `toml:"progress"`
	// MemoryLimit is the run's soft memory limit in bytes; 0 is GOMEMLIMIT's, or the default.
	MemoryLimit int64 `toml:"memory_limit"`
	Limits      struct {
		MaxBytes        int64 `toml:"max_bytes"`
		MaxUncompressed int64 `toml:"max_uncompressed"`
		MaxRows         int   `toml:"max_rows"`
		MaxCells        int   `toml:"max_cells"`
		MaxBuilt        int64 `toml:"max_built"`
	} `toml:"limits"`
}

func defaultSettings() settings {
	s := settings{LogFormat: "auto", LogLevel: "info", Progress: "auto"}
	lim := extract.DefaultLimits()
	s.Limits.MaxBytes, s.Limits.MaxUncompressed = lim.MaxBytes, lim.MaxUncompressed
	s.Limits.MaxRows, s.Limits.MaxCells, s.Limits.MaxBuilt = lim.MaxRows, lim.MaxCells, lim.MaxBuilt
	return s
}

// limits are the default limits with the settings' in place of those they set.
func (s settings) limits() extract.Limits {
	lim := extract.DefaultLimits()
	lim.MaxBytes, lim.MaxUncompressed = s.Limits.MaxBytes, s.Limits.MaxUncompressed
	lim.MaxRows, lim.MaxCells, lim.MaxBuilt = s.Limits.MaxRows, s.Limits.MaxCells, s.Limits.MaxBuilt
	return lim
}

// option is one setting: its flag, its key in the file, and where its value came from.
type option struct {
	flag, key, usage string
	value            flag.Value
	source           string
}

// options binds every setting of s to a flag of fs and returns them in the order of the help.
func (s *settings) options(fs *flag.FlagSet) []*option {
	opts := []*option{
		{flag: "in", key: "in", usage: "input folder, read recursively (repeatable)", value: &listValue{items: &s.In}},
		{flag: "out", key: "out", usage: "output folder", value: (*stringValue)(&s.Out)},
		{flag: "workers", key: "workers", usage: "files read at once (0: number of CPUs)", value: (*intValue)(&s.Workers)},
		{flag: "include", key: "include", usage: "read only base names matching this glob (repeatable)", value: &listValue{items: &s.Include}},
		{flag: "exclude", key: "exclude", usage: "skip base names matching this glob (repeatable)", value: &listValue{items: &s.Exclude}},
		{flag: "max-rejects", key: "max_rejects", usage: "rejected inputs tolerated before exit code 3", value: (*intValue)(&s.MaxRejects)},
		{flag: "allow-shrink", key: "allow_shrink", usage: "commit even when fewer than half as many reports were read as the current outputs hold", value: (*boolValue)(&s.AllowShrink)},
		{flag: "full", key: "full", usage: "read every input again, ignoring (and rewriting) the incremental cache in --out", value: (*boolValue)(&s.Full)},
		{flag: "aliases", key: "aliases", usage: "alias table (CSV: body,code,level,parent,scope)", value: (*stringValue)(&s.Aliases)},
		{flag: "history", key: "history", usage: "folder of earlier outputs, for the cross-year rules", value: (*stringValue)(&s.History)},
		{flag: "exclude-body", key: "exclude_body", usage: "leave a body (name or division code) out of the rollups (repeatable)", value: &listValue{items: &s.ExcludeBodies}},
		{flag: "log-format", key: "log_format", usage: "auto, json or console", value: (*stringValue)(&s.LogFormat)},
		{flag: "log-level", key: "log_level", usage: "debug, info, warn or error", value: (*stringValue)(&s.LogLevel)},
		{flag: "progress", key: "progress", usage: "auto, always or never", value: (*stringValue)(&s.Progress)},
		{flag: "memory-limit", key: "memory_limit", usage: "soft memory limit of the run, GOMEMLIMIT (bytes, or with KiB, MiB, GiB; 0: the GOMEMLIMIT variable's, or 150MiB)", value: (*sizeValue)(&s.MemoryLimit)},
		{flag: "max-bytes", key: "limits.max_bytes", usage: "reject files larger than this many bytes", value: (*int64Value)(&s.Limits.MaxBytes)},
		{flag: "max-uncompressed", key: "limits.max_uncompressed", usage: "reject DOCX/XLSX files whose parts inflate to more bytes than this", value: (*int64Value)(&s.Limits.MaxUncompressed)},
		{flag: "max-rows", key: "limits.max_rows", usage: "reject files with a sheet or table of more rows than this", value: (*intValue)(&s.Limits.MaxRows)},
		{flag: "max-cells", key: "limits.max_cells", usage: "reject files with more table cells than this", value: (*intValue)(&s.Limits.MaxCells)},
		{flag: "max-built", key: "limits.max_built", usage: "reject a file once reading it has built more text, paragraphs and cells than this (bytes, or with KiB, MiB, GiB)", value: (*sizeValue)(&s.Limits.MaxBuilt)},
	}
	for _, o := range opts {
		o.source = "default"
		if o.flag != "" {
			fs.Var(o.value, o.flag, o.usage)
		}
	}
	return opts
}

// loadSettings builds the settings of a run from args: the defaults, then the file named by
// --config, then the other flags. It returns the remaining arguments and every option with its
// source.
func loadSettings(fs *flag.FlagSet, args []string) (settings, []*option, error) {
	s := defaultSettings()
	fs.String("config", "", "configuration file (TOML); flags override it")
	opts := s.options(fs)
	if path, ok := preScan(args, "config"); ok {
		if err := s.readFile(path, opts); err != nil {
			return s, nil, err
		}
	}
	// Repeatable flags replace the file's list instead of adding to it.
	for _, o := range opts {
		if l, ok := o.value.(*listValue); ok {
			l.fresh = true
		}
	}
	if err := fs.Parse(args); err != nil {
		return s, nil, err
	}
	fs.Visit(func(f *flag.Flag) {
		for _, o := range opts {
			if o.flag == f.Name {
				o.source = "flag --" + f.Name
			}
		}
	})
	return s, opts, nil
}

// fileError is a mistake in the configuration file (the flag package prints its own errors).
type fileError struct{ err error }

func (e *fileError) Error() string { return e.err.Error() }
func (e *fileError) Unwrap() error { return e.err }

// readFile decodes a TOML configuration file into s. An unknown key is an error naming it: a
// misspelt setting must not be ignored silently.
func (s *settings) readFile(path string, opts []*option) error {
	md, err := toml.DecodeFile(path, s)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return &fileError{fmt.Errorf("--config %s: line %d: %s", path, perr.Position.Line, perr.Message)}
		}
		return &fileError{fmt.Errorf("--config %s: %w", path, err)}
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		var keys []string
		for _, k := range undecoded {
			keys = append(keys, k.String())
		}
		return &fileError{fmt.Errorf("--config %s: unknown setting %s (the settings are: %s)", path, strings.Join(keys, ", "), knownKeys(opts))}
	}
	for _, o := range opts {
		if md.IsDefined(strings.Split(o.key, ".")...) {
			o.source = "file " + path
		}
	}
	return nil
}

func knownKeys(opts []*option) string {
	keys := make([]string, len(opts))
	for i, o := range opts {
		keys[i] = o.key
	}
	return strings.Join(keys, ", ")
}

// preScan finds the value of flag name in args before the flags are parsed: the file it names
// must be read first, since the other flags override it.
func preScan(args []string, name string) (string, bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		for _, prefix := range []string{"--" + name, "-" + name} {
			if a == prefix && i+1 < len(args) {
				return args[i+1], true
			}
			if v, ok := strings.CutPrefix(a, prefix+"="); ok {
				return v, true
			}
		}
	}
	return "", false
}

// printSettings writes the effective settings as a TOML file would hold them, each line with the
// source of its value.
func printSettings(w io.Writer, s settings, opts []*option) {
	fmt.Fprintln(w, "# govreports run: effective configuration (default < --config file < flags)")
	section := ""
	for _, o := range opts {
		key := o.key
		if sec, name, ok := strings.Cut(o.key, "."); ok {
			if sec != section {
				fmt.Fprintf(w, "\n[%s]\n", sec)
				section = sec
			}
			key = name
		}
		fmt.Fprintf(w, "%-18s = %-40s # %s\n", key, tomlValue(o.value), o.source)
	}
}

func tomlValue(v flag.Value) string {
	switch v := v.(type) {
	case *listValue:
		q := make([]string, len(*v.list()))
		for i, s := range *v.list() {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case *stringValue:
		return strconv.Quote(string(*v))
	}
	return v.String()
}

// Flag values that write straight into the settings.
type (
	stringValue string
	intValue    int
	int64Value  int64
	sizeValue   int64 // bytes, or a number with a unit (512MiB)
	boolValue   bool
	// listValue is a repeatable flag; the first use on the command line replaces the list the
	// file gave.
	listValue struct {
		items *[]string
		fresh bool
	}
)

func (v *stringValue) String() string     { return string(*v) }
func (v *stringValue) Set(s string) error { *v = stringValue(s); return nil }
func (v *intValue) String() string        { return strconv.Itoa(int(*v)) }
func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("not a whole number")
	}
	*v = intValue(n)
	return nil
}
func (v *sizeValue) String() string { return strconv.FormatInt(int64(*v), 10) }
func (v *sizeValue) Set(s string) error {
	n, err := pipeline.ParseBytes(s)
	*v = sizeValue(n)
	return err
}

func (v *int64Value) String() string { return strconv.FormatInt(int64(*v), 10) }
func (v *int64Value) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return errors.New("not a whole number")
	}
	*v = int64Value(n)
	return nil
}
func (v *boolValue) String() string   { return strconv.FormatBool(bool(*v)) }
func (v *boolValue) IsBoolFlag() bool { return true }
func (v *boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("not true or false")
	}
	*v = boolValue(b)
	return nil
}

func (v *listValue) list() *[]string { return v.items }
func (v *listValue) String() string {
	if v == nil || v.items == nil {
		return ""
	}
	return strings.Join(*v.items, ",")
}
func (v *listValue) Set(s string) error {
	if v.fresh {
		*v.items, v.fresh = nil, false
	}
	*v.items = append(*v.items, s)
	return nil
}
