package extract

import (
	"context"
	"fmt"
)

// readText is being written; until then text is refused with a clear reason.
func readText(ctx context.Context, src Source, data []byte, lim Limits) (*Document, error) {
	return nil, fmt.Errorf("%w: text is not read yet", ErrUnsupported)
}
