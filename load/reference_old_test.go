package load

import (
	"context"
	"testing"

	"github.com/govreports/govreports/transform"
)

// referenceWorkbooks writes the workbooks of a batch with cfg, the schema version pinned.
func referenceWorkbooks(t *testing.T, dir string, reports []*transform.Report, rejects []Reject, cfg workbookConfig) []Output {
	t.Helper()
	mem := checkedMem(t)
	w, err := NewWriter(t.TempDir(), Options{SchemaVersion: "reference", InputHash: testInputHash, CreatedBy: testCreatedBy, Allocator: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	addAll(t, w, reports, rejects)
	tables, err := w.Tables()
	if err != nil {
		t.Fatal(err)
	}
	outs, err := writeWorkbooksWith(context.Background(), dir, tables, w.opt, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return outs
}
