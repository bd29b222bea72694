package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// zipOf builds an archive of name → content pairs, in the order given.
func zipOf(t testing.TB, pairs ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(pairs); i += 2 {
		w, err := zw.Create(pairs[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(pairs[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestOpenZip(t *testing.T) {
	many := func() []byte {
		var pairs []string
		for i := range maxZipEntries + 1 {
			pairs = append(pairs, fmt.Sprintf("f%d", i), "")
		}
		return zipOf(t, pairs...)
	}()
	for _, tc := range []struct {
		name  string
		data  []byte
		cause error
		place string
	}{
		{"ok", zipOf(t, "a.xml", "<a/>"), nil, ""},
		{"insecure names are harmless here", zipOf(t, "../../etc/x.xml", "<a/>"), nil, ""},
		{"too many entries", many, ErrLimit, "zip directory"},
		{"garbage", []byte("PK\x03\x04garbage"), ErrCorrupt, "zip directory"},
		{"encrypted payload entry", zipOf(t, "EncryptionInfo", "x", "EncryptedPackage", "y"), ErrEncrypted, "EncryptionInfo"},
		{"legacy OLE file", append(bytes.Clone(oleMagic), make([]byte, 100)...), ErrUnsupported, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			zr, err := openZip("z.zip", tc.data, DefaultLimits())
			if tc.cause == nil {
				if err != nil || zr == nil {
					t.Fatalf("openZip: %v", err)
				}
				return
			}
			checkReadError(t, err, "z.zip", tc.cause, tc.place)
		})
	}
}

func TestZipEntryBudget(t *testing.T) {
	data := zipOf(t, "a", strings.Repeat("a", 600), "b", strings.Repeat("b", 400), "c", "c")
	zr, err := openZip("z.zip", data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	lim := Limits{MaxUncompressed: 1000}
	budget := zipBudget(lim)
	for _, name := range []string{"a", "b"} {
		f, err := findZipFile("z.zip", zr, name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := readZipEntry("z.zip", f, lim, &budget)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(b) != int(f.UncompressedSize64) {
			t.Fatalf("%s: read %d bytes", name, len(b))
		}
	}
	if budget != 0 {
		t.Fatalf("budget %d left, want 0: the two entries fill it exactly", budget)
	}
	f, _ := findZipFile("z.zip", zr, "c")
	_, err = readZipEntry("z.zip", f, lim, &budget)
	checkReadError(t, err, "z.zip", ErrLimit, "c")

	// Without a shared budget each entry gets the whole limit.
	_, err = readZipEntry("z.zip", f, lim, nil)
	if err != nil {
		t.Fatal(err)
	}
	// No limit configured means no limit.
	if _, err := readZipEntry("z.zip", f, Limits{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := findZipFile("z.zip", zr, "missing"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("missing entry: %v", err)
	}
	if hasZipFile(zr, "missing") || !hasZipFile(zr, "a") {
		t.Fatal("hasZipFile")
	}
}

// The headers of an entry can understate its size; budgetReader must stop at the budget anyway.
// archive/zip also refuses data beyond the declared size, so the reader is tested on its own.
func TestBudgetReader(t *testing.T) {
	for _, tc := range []struct {
		name    string
		size    int
		budget  int64
		wantErr error
	}{
		{"under", 10, 20, nil},
		{"exactly at the budget", 20, 20, nil},
		{"one byte over", 21, 20, ErrLimit},
		{"far over", 1 << 20, 100, ErrLimit},
		{"zero budget, empty entry", 0, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			budget := tc.budget
			r := &budgetReader{path: "z.zip", name: "e", rc: io.NopCloser(bytes.NewReader(make([]byte, tc.size))), budget: &budget}
			b, err := io.ReadAll(r)
			if tc.wantErr == nil {
				if err != nil || len(b) != tc.size {
					t.Fatalf("read %d bytes, %v", len(b), err)
				}
				return
			}
			checkReadError(t, err, "z.zip", tc.wantErr, "e")
			if int64(len(b)) > tc.budget {
				t.Fatalf("read %d bytes past a budget of %d", len(b), tc.budget)
			}
		})
	}
	// Errors of the inflater name the entry.
	budget := int64(100)
	r := &budgetReader{path: "z.zip", name: "e", rc: io.NopCloser(io.MultiReader(strings.NewReader("abc"), errReader{})), budget: &budget}
	_, err := io.ReadAll(r)
	checkReadError(t, err, "z.zip", ErrCorrupt, "e")
	if !strings.Contains(err.Error(), "after 3 bytes") {
		t.Errorf("error %v does not say where", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, zip.ErrChecksum }

// A corrupted entry fails while it is read, naming the entry.
func TestZipCorruptEntry(t *testing.T) {
	data := zipOf(t, "word/document.xml", strings.Repeat("<w:p>text</w:p>", 2000))
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	off, err := zr.File[0].DataOffset()
	if err != nil {
		t.Fatal(err)
	}
	data[off+10] ^= 0xFF
	data[off+11] ^= 0xFF
	zr, err = openZip("z.docx", data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	_, err = readZipEntry("z.docx", zr.File[0], DefaultLimits(), nil)
	checkReadError(t, err, "z.docx", ErrCorrupt, "word/document.xml")
}
