package extract

import (
	"context"
	"fmt"
)

// readDOCX is written by the docx reader work; until then the format is refused with a clear reason.
func readDOCX(ctx context.Context, src Source, data []byte, lim Limits) (*Document, error) {
	return nil, fmt.Errorf("%w: docx is not read yet", ErrUnsupported)
}
