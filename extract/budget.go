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

// spend counts n bytes and reports whether the budget still holds; past it, the caller returns
// exceeded with the place it is reading.
func (b *budget) spend(n int64) bool {
	b.used += n
	return b.max <= 0 || b.used <= b.max
}

// exceeded is the ErrLimit *Error for place (the caller's path is filled in by Read); what says
// what was being read.
func (b *budget) exceeded(place, what string) error {
	return Errorf("", place, ErrLimit, "reading %s built more than %d MiB of text, paragraphs and cells "+
		"(raise --max-built to read it)", what, b.max>>20)
}

// grow counts what appending to a slice of length l and capacity c costs when it must grow: the
// new array, of about the size append gives it. The old one stays in memory until the collector
// runs, so a long slice costs several times its final size; counting every growth makes the
// budget hold for the memory a reader really takes, not only for what it finally keeps.
func (b *budget) grow(l, c int, size int64) bool {
	if l < c {
		return true
	}
	next := 2 * c
	if c >= 256 {
		next = c + (c+3*256)/4 // append's growth past 256 elements
	}
	return b.spend(int64(max(next, 1)) * size)
}

// rowBytes is what a row of cells costs.
func rowBytes(row []Cell) int64 {
	n := rowCost + int64(len(row))*cellCost
	for i := range row {
		n += int64(len(row[i].Text))
	}
	return n
}
