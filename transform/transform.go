package transform

import (
	"errors"

	"github.com/govreports/govreports/extract"
)

// Options configure Transform.
type Options struct {
	// Aliases map body names to city, level and parent; nil means none.
	Aliases *Aliases
	// DirCity is the city named by the input's folder, used when the body name lacks one.
	DirCity string
}

// Transform turns a Document into reports: usually one, several for a collection workbook. An error
// means the document holds no report at all; it is an *extract.Error naming the file and place.
func Transform(doc *extract.Document, opt Options) ([]*Report, error) {
	return nil, &extract.Error{Path: doc.Source.Path, Err: errors.New("transform is being written")}
}
