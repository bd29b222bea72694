package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Safe reading of OOXML containers (DOCX, XLSX). A zip archive is attacker-shaped input: its
// directory can declare millions of entries, an entry can inflate a thousandfold, and the sizes in
// the headers can lie. Every reader of a zip container goes through the three functions below, so
// the limits are enforced in one place:
//
//	zr, err := openZip(path, data, lim)           // directory checks, encryption
//	f, err := findZipFile(path, zr, "word/document.xml")
//	budget := zipBudget(lim)                      // shared by all entries of one document
//	b, err := readZipEntry(path, f, lim, &budget) // or openZipEntry for a streaming reader
//
// All errors are *Error values naming the file and, where it is known, the entry.

// maxZipEntries bounds the directory of one container. Real reports have a few dozen parts; a
// workbook with many sheets and images a few hundred.
const maxZipEntries = 10_000

// oleMagic starts a Compound File; Office wraps password-protected OOXML in one.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// openZip opens an OOXML container held in memory. It refuses encrypted packages (the OLE
// EncryptedPackage wrapper and zip entries with the encryption flag), unreadable directories and
// directories with more than maxZipEntries entries. Entry sizes are checked when an entry is read.
func openZip(path string, data []byte, lim Limits) (*zip.Reader, error) {
	if bytes.HasPrefix(data, oleMagic) {
		if bytes.Contains(data, utf16le("EncryptedPackage")) || bytes.Contains(data, utf16le("EncryptionInfo")) {
			return nil, Errorf(path, "", ErrEncrypted, "the Office file is encrypted; save it again without a password")
		}
		return nil, Errorf(path, "", ErrUnsupported, "a legacy binary Office file, not an OOXML zip container")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	// An insecure entry name ("../x") only matters when extracting to disk, which we never do.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, Errorf(path, "zip directory", ErrCorrupt, "%v", err)
	}
	if len(zr.File) > maxZipEntries {
		return nil, Errorf(path, "zip directory", ErrLimit, "%d entries, limit %d", len(zr.File), maxZipEntries)
	}
	for _, f := range zr.File {
		if f.Flags&0x1 != 0 {
			return nil, Errorf(path, f.Name, ErrEncrypted, "the zip entry is encrypted; save the file again without a password")
		}
		switch f.Name {
		case "EncryptedPackage", "EncryptionInfo":
			return nil, Errorf(path, f.Name, ErrEncrypted, "the package carries an encrypted payload")
		}
	}
	return zr, nil
}

// findZipFile returns the entry called name. A missing entry is ErrCorrupt (the container promised
// it); a name present twice is ErrCorrupt too, because which copy a program reads is arbitrary and
// a crafted file could show one thing to Word and another to us.
func findZipFile(path string, zr *zip.Reader, name string) (*zip.File, error) {
	var found *zip.File
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		if found != nil {
			return nil, Errorf(path, name, ErrCorrupt, "the entry appears twice in the zip directory")
		}
		found = f
	}
	if found == nil {
		return nil, Errorf(path, name, ErrCorrupt, "the entry is missing")
	}
	return found, nil
}

// hasZipFile reports whether the container has an entry called name, for optional parts.
func hasZipFile(zr *zip.Reader, name string) bool {
	for _, f := range zr.File {
		if f.Name == name {
			return true
		}
	}
	return false
}

// openZipEntry opens one entry for streaming. Before anything is inflated, the size declared in the
// entry's header is checked against the remaining budget (lim.MaxUncompressed shared by all parts of
// one document; nil means lim.MaxUncompressed for this entry alone). While reading, the budget is
// charged for every byte, so a header that understates the size cannot get past the limit either;
// the reader then fails with ErrLimit. Inflation errors come back as ErrCorrupt naming the entry.
func openZipEntry(path string, f *zip.File, lim Limits, budget *int64) (io.ReadCloser, error) {
	if budget == nil {
		b := zipBudget(lim)
		budget = &b
	}
	if f.UncompressedSize64 > uint64(max(*budget, 0)) {
		return nil, Errorf(path, f.Name, ErrLimit, "the entry declares %d uncompressed bytes, more than the %d left of the limit (raise --max-uncompressed to read it)", f.UncompressedSize64, max(*budget, 0))
	}
	rc, err := f.Open()
	if err != nil {
		return nil, Errorf(path, f.Name, ErrCorrupt, "%v", err)
	}
	return &budgetReader{path: path, name: f.Name, rc: rc, budget: budget, declared: f.UncompressedSize64}, nil
}

// zipBudget is the uncompressed byte budget of one document: lim.MaxUncompressed, or no limit
// when that is not set.
func zipBudget(lim Limits) int64 { return limitOrMax(lim.MaxUncompressed) }

// readZipEntry reads a whole entry under the same rules as openZipEntry.
func readZipEntry(path string, f *zip.File, lim Limits, budget *int64) ([]byte, error) {
	rc, err := openZipEntry(path, f, lim, budget)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// The declared size is only a hint for the buffer: it was checked against the budget above.
	buf := bytes.NewBuffer(make([]byte, 0, int(min(f.UncompressedSize64, 1<<24))))
	if _, err := io.Copy(buf, rc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// budgetReader charges every byte read against a shared budget and turns inflation errors into
// *Error values naming the entry.
type budgetReader struct {
	path, name string
	rc         io.ReadCloser
	budget     *int64
	read       int64
	declared   uint64 // the uncompressed size in the entry's header
}

func (r *budgetReader) Read(p []byte) (int, error) {
	if *r.budget <= 0 {
		// Probe for one more byte: an entry that ends exactly at the budget is fine.
		var one [1]byte
		n, err := r.rc.Read(one[:])
		if n > 0 {
			return 0, Errorf(r.path, r.name, ErrLimit, "more than %d bytes inflated, past the uncompressed size limit (raise --max-uncompressed to read it)", r.read)
		}
		return 0, r.wrap(err)
	}
	if int64(len(p)) > *r.budget {
		p = p[:*r.budget]
	}
	n, err := r.rc.Read(p)
	r.read += int64(n)
	*r.budget -= int64(n)
	return n, r.wrap(err)
}

func (r *budgetReader) wrap(err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	switch {
	case errors.Is(err, zip.ErrFormat) && uint64(r.read) <= r.declared:
		// archive/zip stops an entry that inflates past its declared size with ErrFormat, whose
		// text ("not a valid zip file") would blame the whole archive.
		return Errorf(r.path, r.name, ErrCorrupt, "the entry inflates to more than the %d bytes its header declares", r.declared)
	case errors.Is(err, io.ErrUnexpectedEOF) && uint64(r.read) < r.declared:
		return Errorf(r.path, r.name, ErrCorrupt, "the entry ends after %d of the %d bytes its header declares", r.read, r.declared)
	}
	return Errorf(r.path, r.name, ErrCorrupt, "after %d bytes: %v", r.read, err)
}

func (r *budgetReader) Close() error { return r.rc.Close() }

// zipPlace names a place inside an entry for errors: "word/document.xml line 12".
func zipPlace(entry string, line int) string {
	if line <= 0 {
		return entry
	}
	return fmt.Sprintf("%s line %d", entry, line)
}
