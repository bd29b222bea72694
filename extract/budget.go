package extract

import (
	"unsafe"

	"golang.org/x/net/html"
)

// budget counts what a reader builds from one file against Limits.MaxBuilt: the text it decodes,
// every paragraph, row and cell of the Document (each at what it costs in memory), and what a
// parser builds on the way (HTML's tree, DOCX's runs). Whatever a file expands to, reading stops
// at the limit with an ErrLimit that names the part being read, so that no file under --max-bytes
// can take more than a few hundred MB.
type budget struct {
	max, used int64
}

func newBudget(lim Limits) *budget { return &budget{max: lim.MaxBuilt} }

// What the pieces of a Document cost, besides their text.
var (
	cellCost  = int64(unsafe.Sizeof(Cell{}))
	blockCost = int64(unsafe.Sizeof(Block{}))
	rowCost   = int64(unsafe.Sizeof([]Cell{}))
	// nodeCost is one node of an HTML parse tree: the node and its allocation's rounding.
	nodeCost = int64(unsafe.Sizeof(html.Node{})) + 16
	attrCost = int64(unsafe.Sizeof(html.Attribute{}))
)

// spend counts n bytes. Past the limit it returns an ErrLimit *Error for place (the caller's path
// is filled in by Read); what says what was being read.
func (b *budget) spend(n int64, place, what string) error {
	b.used += n
	if b.max > 0 && b.used > b.max {
		return Errorf("", place, ErrLimit, "reading %s built more than %d MiB of text, paragraphs and cells "+
			"(raise --max-built to read it)", what, b.max>>20)
	}
	return nil
}

// rowBytes is what a row of cells costs.
func rowBytes(row []Cell) int64 {
	n := rowCost + int64(len(row))*cellCost
	for i := range row {
		n += int64(len(row[i].Text))
	}
	return n
}
