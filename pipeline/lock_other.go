//go:build !unix

package pipeline

import (
	"errors"
	"fmt"
)

// lockFolder needs flock; other systems are not supported targets of the nightly job.
func lockFolder(dir, owner string) (unlock func(), err error) {
	return nil, fmt.Errorf("lock %s: %w", dir, errors.ErrUnsupported)
}

func peakRSS() int64 { return 0 }

const openNonBlock = 0
