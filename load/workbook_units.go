package load

import (
	"bufio"
	"fmt"
	"os"
)

// unitFacts is what 报送情况 shows of a report, the unit's or a duplicate's or last year's.
type unitFacts struct {
	name, source, id, level, scope string // bodyName, sourceUnit, id, level, scopeText
}

// unitFile holds every report's unitFacts, in input order, on disk: a few bytes a report in
// memory, where it ends in the file.
type unitFile struct {
	file *os.File
	w    *bufio.Writer
	ends []int64
	size int64
	buf  []byte // addUnit's record
	// sealed: the pass has ended and the file holds every record (seal).
	sealed bool
	// all is the whole file when it is small enough to hold (unitsInMemory), read once at seal:
	// 报送情况 reads a report's facts in its own order, one small read each otherwise.
	all []byte
}

// unitsInMemory is the largest facts file read whole: about 40,000 reports' facts.
var unitsInMemory int64 = 4 << 20

// addUnit writes report i's unitFacts. Reports come in input order.
func (f *runFacts) addUnit(i int, w *wbReport) {
	if f.err != nil {
		return
	}
	if f.units == nil {
		file, err := os.CreateTemp(f.dir, ".units-*")
		if err != nil {
			f.err = fmt.Errorf("load: workbook: %w", err)
			return
		}
		f.units = &unitFile{file: file, w: bufio.NewWriterSize(file, 1<<16)}
	}
	u := f.units
	if i != len(u.ends) {
		f.err = fmt.Errorf("load: workbook: report %d gathered after %d reports", i, len(u.ends))
		return
	}
	rec := u.buf[:0]
	for _, s := range []string{w.bodyName(), w.sourceUnit(), w.id(), w.level(), w.scopeText()} {
		rec = appendRecString(rec, s)
	}
	u.buf = rec
	n, err := u.w.Write(rec)
	u.size += int64(n)
	u.ends = append(u.ends, u.size)
	if err != nil {
		f.err = fmt.Errorf("load: workbook: %w", err)
	}
}

// unit reads report i's unitFacts.
func (f *runFacts) unit(i int) (unitFacts, error) {
	if f.err != nil {
		return unitFacts{}, f.err
	}
	u := f.units
	if u == nil || i < 0 || i >= len(u.ends) {
		return unitFacts{}, fmt.Errorf("load: workbook: no facts of report %d", i)
	}
	if !u.sealed {
		return unitFacts{}, fmt.Errorf("load: workbook: facts of report %d read before the pass ended", i)
	}
	start := int64(0)
	if i > 0 {
		start = u.ends[i-1]
	}
	var buf []byte
	if u.all != nil {
		buf = u.all[start:u.ends[i]] // read only, by the workbooks of several years at once
	} else {
		// A buffer of its own: the workbooks of several years read at once.
		buf = make([]byte, u.ends[i]-start)
		if _, err := u.file.ReadAt(buf, start); err != nil {
			return unitFacts{}, fmt.Errorf("load: workbook: facts of report %d: %w", i, err)
		}
	}
	r := recReader{b: buf}
	out := unitFacts{name: r.string(), source: r.string(), id: r.string(), level: r.string(), scope: r.string()}
	if r.err != nil {
		return unitFacts{}, fmt.Errorf("load: workbook: facts of report %d: %w", i, r.err)
	}
	return out, nil
}

// seal ends the pass: what addUnit wrote reaches the file, which the workbooks then only read.
func (f *runFacts) seal() error {
	if f.err != nil || f.units == nil {
		return f.err
	}
	if err := f.units.w.Flush(); err != nil {
		f.err = fmt.Errorf("load: workbook: %w", err)
		return f.err
	}
	if f.units.size <= unitsInMemory {
		all := make([]byte, f.units.size)
		if _, err := f.units.file.ReadAt(all, 0); err != nil {
			f.err = fmt.Errorf("load: workbook: %w", err)
			return f.err
		}
		f.units.all = all
	}
	f.units.sealed = true
	return nil
}

// close removes the file of unitFacts.
func (f *runFacts) close() {
	if f.units != nil {
		f.units.file.Close()
		os.Remove(f.units.file.Name())
		f.units = nil
	}
}
