package extract

import (
	"context"
	"fmt"
)

// readXLSX is written by the xlsx reader work; until then the format is refused with a clear reason.
func readXLSX(ctx context.Context, src Source, data []byte, lim Limits) (*Document, error) {
	return nil, fmt.Errorf("%w: xlsx is not read yet", ErrUnsupported)
}
