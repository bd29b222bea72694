//go:build unix

package pipeline

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
)

// openNonBlock opens a named pipe without waiting for a writer.
const openNonBlock = syscall.O_NONBLOCK

// lockFolder takes an exclusive flock on dir/.lock without waiting. The kernel drops the lock when
// the process dies, so a crashed run never leaves the folder locked. The file itself stays: removing
// it would let two runs lock two different files.
func lockFolder(dir, owner string) (unlock func(), err error) {
	path := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := io.ReadAll(io.LimitReader(f, 256))
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s is locked by %s; wait for that run to finish",
				ErrLocked, dir, strings.TrimSpace(string(holder)))
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// Who holds the lock, for the message a second run prints; failing to write it is harmless.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(owner+"\n"), 0)
	}
	return func() { f.Close() }, nil
}

// peakRSS is the largest resident set of the process so far, in bytes.
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss) // bytes there, KiB elsewhere
	}
	return int64(ru.Maxrss) * 1024
}
