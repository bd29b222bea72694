package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// cmdBenchFloor measures the floor of a run over a folder: walking it, reading every file and
// hashing it with SHA-256, in one goroutine of one process, which is the least a run must do.
// `make bench` divides a run's wall time by it. It prints one line: files, bytes, seconds.
func cmdBenchFloor(ctx context.Context, args []string, env cliEnv) int {
	if len(args) != 1 {
		fmt.Fprintln(env.stderr, "govreports bench-floor DIR")
		return exitUsage
	}
	files, bytes, elapsed, err := benchFloor(ctx, args[0])
	if err != nil {
		fmt.Fprintf(env.stderr, "govreports bench-floor: %v\n", err)
		return exitFatal
	}
	fmt.Fprintf(env.stdout, "floor files=%d bytes=%d seconds=%.3f\n", files, bytes, elapsed.Seconds())
	return exitOK
}

func benchFloor(ctx context.Context, dir string) (files int, total int64, elapsed time.Duration, err error) {
	start := time.Now()
	h := sha256.New()
	buf := make([]byte, 1<<16)
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name()[0] == '.' {
			return err // hidden files, as a run skips them
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		h.Reset()
		n, err := io.CopyBuffer(h, f, buf)
		if err != nil {
			return err
		}
		var sum [sha256.Size]byte
		h.Sum(sum[:0])
		files++
		total += n
		return nil
	})
	return files, total, time.Since(start), err
}
