package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/pipeline"
	"github.com/govreports/govreports/transform"
)

// cmdExtract prints every report of every file as one JSON line, in the order of the arguments.
// A file that cannot be read is named on stderr with the place; the others are still printed.
func cmdExtract(ctx context.Context, args []string, env cliEnv) int {
	fs := newFlags("extract", env)
	lim := extract.DefaultLimits()
	fs.Int64Var(&lim.MaxBytes, "max-bytes", lim.MaxBytes, "reject files larger than this many bytes")
	fs.Int64Var(&lim.MaxUncompressed, "max-uncompressed", lim.MaxUncompressed, "reject DOCX/XLSX files whose parts inflate to more bytes than this")
	fs.IntVar(&lim.MaxRows, "max-rows", lim.MaxRows, "reject files with a sheet or table of more rows than this")
	fs.IntVar(&lim.MaxCells, "max-cells", lim.MaxCells, "reject files with more table cells than this")
	aliases := fs.String("aliases", "", "alias table (CSV: body,code,level,parent,scope)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(env.stderr, "govreports extract: no files given")
		return exitUsage
	}
	var opt transform.Options
	if *aliases != "" {
		var err error
		if opt.Aliases, err = transform.LoadAliases(*aliases); err != nil {
			fmt.Fprintf(env.stderr, "govreports extract: %v\n", err)
			return exitUsage
		}
	}
	out := bufio.NewWriter(env.stdout)
	code := exitOK
	for _, path := range fs.Args() {
		reports, err := extractFile(ctx, path, lim, opt)
		if ctx.Err() != nil {
			return exitCode(ctx.Err(), pipeline.Result{}, env.signalled())
		}
		if err != nil {
			fmt.Fprintf(env.stderr, "govreports extract: %v\n", err)
			code = exitFatal
			continue
		}
		for _, r := range reports {
			if err := transform.WriteJSON(out, r); err != nil {
				fmt.Fprintf(env.stderr, "govreports extract: write: %v\n", err)
				return exitFatal
			}
		}
		// Flushed per file so stdout and stderr interleave in input order.
		if err := out.Flush(); err != nil {
			fmt.Fprintf(env.stderr, "govreports extract: write: %v\n", err)
			return exitFatal
		}
	}
	return code
}

// extractFile reads and transforms one file; its errors name the file (and the place, when known).
func extractFile(ctx context.Context, path string, lim extract.Limits, opt transform.Options) ([]*transform.Report, error) {
	doc, err := extract.ReadFile(ctx, path, lim)
	if err == nil {
		var reports []*transform.Report
		if reports, err = transform.Transform(ctx, doc, opt); err == nil {
			return reports, nil
		}
	}
	var xe *extract.Error
	if errors.As(err, &xe) {
		return nil, err
	}
	return nil, fmt.Errorf("%s: %w", path, err)
}
