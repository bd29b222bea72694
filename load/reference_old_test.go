package load

import (
	"context"
	"testing"

	"github.com/govreports/govreports/transform"
)

// referenceWorkbooks writes a batch into dir with cfg, the schema version pinned, and returns
// the workbooks.
func referenceWorkbooks(t *testing.T, dir string, reports []*transform.Report, rejects []Reject, cfg workbookConfig) []Output {
	t.Helper()
	w, err := NewWriter(dir, Options{SchemaVersion: "reference", InputHash: testInputHash, CreatedBy: testCreatedBy,
		Allocator: checkedMem(t)})
	if err != nil {
		t.Fatal(err)
	}
	w.book = cfg
	outs, err := w.Write(context.Background(), testInput(t, reports, rejects))
	if err != nil {
		t.Fatal(err)
	}
	var books []Output
	for _, o := range outs {
		if o.Table == OutputWorkbook {
			books = append(books, o)
		}
	}
	return books
}
