package extract

import (
	"context"
	"fmt"
)

// readHTML is written by the html reader work; until then the format is refused with a clear reason.
func readHTML(ctx context.Context, src Source, data []byte, lim Limits) (*Document, error) {
	return nil, fmt.Errorf("%w: html is not read yet", ErrUnsupported)
}
