package transform

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/govreports/govreports/extract"
	division "github.com/govreports/govreports/transform/region"
)

// The binary form of a Report, for the pipeline's spill store and the incremental cache: compact
// (varints, absent values in one byte, a value's text left out when it is its number printed), no
// reflection, and an exact round trip of every field, nil and empty kept apart. The first byte is
// the format version; a decoder refuses any other.
//
// Layout (u = uvarint; s = u length + bytes; n+1 = a count stored plus one, 0 meaning nil):
//
//	version byte
//	ID Source.{Path SHA256 Bytes Format Encoding} Unit Title Body City Year FormatVersion Scope
//	ScopeBy Version Region (see region)
//	T2, T3 row by row, T4: one value each (see appendValue)
//	T3Labels: s each
//	Reads: n+1, then per key in sorted order: s key, a byte (0 nil, 1 set), Found byte, s Layout,
//	  s Place, u Cells, ByMethod n+1 and per key in sorted order s key, u count
//	Findings: n+1, then per finding s Rule Severity Message, Cells n+1 of s, s Culprit Status Place
//
// Integers are stored as the uvarint of their two's complement, so that small positive numbers
// take one byte and any int survives; Year and values' N are zigzag varints, since they may be
// negative.

// CodecVersion is the first byte of every encoded report.
const CodecVersion byte = 2

// ErrCodec is wrapped by every decoding error.
var ErrCodec = errors.New("transform: corrupt encoded report")

// Value header flags.
const (
	vfN        = 1 << iota // N != 0: a zigzag varint follows
	vfRaw                  // Raw != "": a string follows, unless vfRawIsN
	vfRawIsN               // Raw is N in decimal, as strconv prints it: nothing follows
	vfNote                 // Note != "": a string follows
	vfPos                  // Pos is not zero: a position follows
	vfKindMeth             // Kind or Method not zero: a byte follows (see kindMethod)
	vfAll      = 1<<iota - 1
)

// Position flags, a uvarint: which fields of an extract.Pos follow.
const (
	pfLine      = 1 << iota
	pfCol       // Col
	pfSheet     // a new sheet name follows
	pfSameSheet // the sheet of the previous value that had one
	pfTable
	pfRow
	pfPara
	pfPage
	pfX
	pfY
	pfAll = 1<<iota - 1
)

// encoder carries what the values of one report share.
type encoder struct {
	b     []byte
	sheet string // the last sheet name written
	num   [24]byte
}

// AppendBinary appends the encoding of r to dst (encoding.BinaryAppender).
func (r *Report) AppendBinary(dst []byte) ([]byte, error) {
	e := encoder{b: dst}
	e.b = append(e.b, CodecVersion)
	e.str(r.ID)
	e.str(r.Source.Path)
	e.str(r.Source.SHA256)
	e.b = binary.AppendUvarint(e.b, uint64(r.Source.Bytes))
	e.str(string(r.Source.Format))
	e.str(r.Source.Encoding)
	e.str(r.Unit)
	e.str(r.Title)
	e.str(r.Body)
	e.str(r.City)
	e.b = binary.AppendVarint(e.b, int64(r.Year))
	e.str(r.FormatVersion)
	e.str(r.Scope)
	e.str(r.ScopeBy)
	e.str(r.Version)
	e.region(&r.Region)
	for i := range r.T2 {
		e.value(&r.T2[i])
	}
	for row := range r.T3 {
		for col := range r.T3[row] {
			e.value(&r.T3[row][col])
		}
	}
	for i := range r.T4 {
		e.value(&r.T4[i])
	}
	for _, l := range r.T3Labels {
		e.str(l)
	}
	e.reads(r.Reads)
	e.findings(r.Findings)
	return e.b, nil
}

// MarshalBinary returns the encoding of r (encoding.BinaryMarshaler).
func (r *Report) MarshalBinary() ([]byte, error) { return r.AppendBinary(nil) }

func (e *encoder) int(n int) { e.b = binary.AppendUvarint(e.b, uint64(n)) }

func (e *encoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

// count writes the length of a slice or map that may be nil.
func (e *encoder) count(n int, isNil bool) {
	if isNil {
		e.int(0)
		return
	}
	e.int(n + 1)
}

func (e *encoder) value(v *Value) {
	flags := byte(0)
	if v.N != 0 {
		flags |= vfN
	}
	if v.Raw != "" {
		flags |= vfRaw
		if string(strconv.AppendInt(e.num[:0], v.N, 10)) == v.Raw {
			flags |= vfRawIsN
		}
	}
	if v.Note != "" {
		flags |= vfNote
	}
	if !v.Pos.IsZero() {
		flags |= vfPos
	}
	if v.Kind != 0 || v.Method != 0 {
		flags |= vfKindMeth
	}
	e.b = append(e.b, flags)
	if flags&vfKindMeth != 0 {
		e.kindMethod(v.Kind, v.Method)
	}
	if flags&vfN != 0 {
		e.b = binary.AppendVarint(e.b, v.N)
	}
	if flags&(vfRaw|vfRawIsN) == vfRaw {
		e.str(v.Raw)
	}
	if flags&vfNote != 0 {
		e.str(v.Note)
	}
	if flags&vfPos != 0 {
		e.pos(&v.Pos)
	}
}

// kindMethod packs a kind and a method below 15 into one byte; 15 in a nibble means the full
// byte follows.
func (e *encoder) kindMethod(k Kind, m Method) {
	lo, hi := byte(k), byte(m)
	if lo >= 15 {
		lo = 15
	}
	if hi >= 15 {
		hi = 15
	}
	e.b = append(e.b, lo|hi<<4)
	if lo == 15 {
		e.b = append(e.b, byte(k))
	}
	if hi == 15 {
		e.b = append(e.b, byte(m))
	}
}

func (e *encoder) pos(p *extract.Pos) {
	flags := uint64(0)
	if p.Line != 0 {
		flags |= pfLine
	}
	if p.Col != 0 {
		flags |= pfCol
	}
	if p.Sheet != "" {
		if p.Sheet == e.sheet {
			flags |= pfSameSheet
		} else {
			flags |= pfSheet
		}
	}
	if p.Table != 0 {
		flags |= pfTable
	}
	if p.Row != 0 {
		flags |= pfRow
	}
	if p.Para != 0 {
		flags |= pfPara
	}
	if p.Page != 0 {
		flags |= pfPage
	}
	if p.X != 0 {
		flags |= pfX
	}
	if p.Y != 0 {
		flags |= pfY
	}
	e.b = binary.AppendUvarint(e.b, flags)
	if flags&pfLine != 0 {
		e.int(p.Line)
	}
	if flags&pfCol != 0 {
		e.int(p.Col)
	}
	if flags&pfSheet != 0 {
		e.str(p.Sheet)
		e.sheet = p.Sheet
	}
	if flags&pfTable != 0 {
		e.int(p.Table)
	}
	if flags&pfRow != 0 {
		e.int(p.Row)
	}
	if flags&pfPara != 0 {
		e.int(p.Para)
	}
	if flags&pfPage != 0 {
		e.int(p.Page)
	}
	if flags&pfX != 0 {
		e.int(p.X)
	}
	if flags&pfY != 0 {
		e.int(p.Y)
	}
}

// region writes where the body sits: status, names, the place and its chain, kind, organ, scope,
// candidates, reason.
func (e *encoder) region(r *division.Resolution) {
	e.str(string(r.Status))
	e.str(r.Printed)
	e.str(r.Body)
	e.place(&r.Place)
	for _, p := range []*division.Place{&r.Chain.Province, &r.Chain.City, &r.Chain.County, &r.Chain.Township} {
		e.place(p)
	}
	e.str(string(r.Kind))
	e.str(r.Organ)
	e.str(r.Scope)
	e.count(len(r.Candidates), r.Candidates == nil)
	for i := range r.Candidates {
		e.place(&r.Candidates[i])
	}
	e.str(r.Reason)
}

// place writes a division: one byte 0 for the zero Place (most of a chain), else 1 and its fields.
func (e *encoder) place(p *division.Place) {
	if p.Code == "" && p.Name == "" && p.Level == 0 && p.Parent == "" && p.Until == 0 && p.Successors == nil &&
		p.SuccessorsBy == "" {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.str(p.Code)
	e.str(p.Name)
	e.b = append(e.b, byte(p.Level))
	e.str(p.Parent)
	e.int(p.Until)
	e.count(len(p.Successors), p.Successors == nil)
	for _, s := range p.Successors {
		e.str(s)
	}
	e.str(p.SuccessorsBy)
}

func (e *encoder) reads(m map[string]*TableRead) {
	e.count(len(m), m == nil)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		e.str(k)
		tr := m[k]
		if tr == nil {
			e.b = append(e.b, 0)
			continue
		}
		e.b = append(e.b, 1)
		e.b = append(e.b, boolByte(tr.Found))
		e.str(string(tr.Layout))
		e.str(tr.Place)
		e.int(tr.Cells)
		e.count(len(tr.ByMethod), tr.ByMethod == nil)
		methods := make([]string, 0, len(tr.ByMethod))
		for k := range tr.ByMethod {
			methods = append(methods, k)
		}
		slices.Sort(methods)
		for _, k := range methods {
			e.str(k)
			e.int(tr.ByMethod[k])
		}
	}
}

func (e *encoder) findings(fs []Finding) {
	e.count(len(fs), fs == nil)
	for i := range fs {
		f := &fs[i]
		e.str(f.Rule)
		e.str(string(f.Severity))
		e.str(f.Message)
		e.count(len(f.Cells), f.Cells == nil)
		for _, c := range f.Cells {
			e.str(c)
		}
		e.str(f.Culprit)
		e.str(f.Status)
		e.str(f.Place)
	}
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// decoder reads one encoded report. The strings of values and findings are slices of s, one copy
// of the whole encoding, so that decoding allocates that copy and the containers, not a string
// per field; the identity's strings are copied apart (see own).
type decoder struct {
	s     string
	i     int
	sheet string
	err   error
	// numbers: only the values' kinds, methods and numbers are read of them (UnmarshalNumbers);
	// s is then a view of the caller's bytes, of which nothing is kept.
	numbers bool
}

// UnmarshalBinary sets r to the report encoded in data (encoding.BinaryUnmarshaler). data may be
// reused afterwards: r keeps nothing of it. Whatever data holds, it returns an error wrapping
// ErrCodec rather than panic (r then holds part of the report), and allocates no more than a small
// multiple of len(data).
func (r *Report) UnmarshalBinary(data []byte) error { return r.unmarshal(data, false) }

// UnmarshalNumbers sets r to the part of the report encoded in data that the batch stage's sums
// and comparisons read: every value's kind, method and number (Value(m)), and what their findings
// name a report by: ID, Source.Path, Unit, Body, City, Year and FormatVersion. Everything else is
// left empty, and the decoding stops after Table 4, copying no more than those few strings.
func (r *Report) UnmarshalNumbers(data []byte) error { return r.unmarshal(data, true) }

func (r *Report) unmarshal(data []byte, numbers bool) error {
	if len(data) == 0 {
		return fmt.Errorf("%w: empty", ErrCodec)
	}
	if data[0] != CodecVersion {
		return fmt.Errorf("%w: format version %d, this program reads %d", ErrCodec, data[0], CodecVersion)
	}
	d := decoder{i: 1, numbers: numbers}
	if numbers {
		// Every string kept is copied apart (own); the values' strings are skipped.
		d.s = unsafe.String(unsafe.SliceData(data), len(data))
	} else {
		d.s = string(data)
	}
	*r = Report{}
	out := r
	// The identity gets strings of its own: a caller that keeps it (the batch stage keeps every
	// report's between its passes) must not keep the whole encoding alive with it.
	out.ID = d.own()
	out.Source.Path = d.own()
	out.Source.SHA256 = d.own()
	out.Source.Bytes = int64(d.uvarint())
	out.Source.Format = extract.Format(d.own())
	out.Source.Encoding = d.own()
	out.Unit = d.own()
	out.Title = d.own()
	out.Body = d.own()
	out.City = d.own()
	out.Year = int(d.varint())
	out.FormatVersion = d.own()
	out.Scope = d.own()
	out.ScopeBy = d.own()
	out.Version = d.own()
	if numbers {
		var dropped division.Resolution
		d.region(&dropped)
	} else {
		d.region(&out.Region)
	}
	for i := range out.T2 {
		d.value(&out.T2[i])
	}
	for row := range out.T3 {
		for col := range out.T3[row] {
			d.value(&out.T3[row][col])
		}
	}
	for i := range out.T4 {
		d.value(&out.T4[i])
	}
	if numbers {
		// The strings read so far are views of data: copies of the kept, the others dropped.
		out.ID, out.Source.Path, out.Unit = strings.Clone(out.ID), strings.Clone(out.Source.Path), strings.Clone(out.Unit)
		out.Body, out.City, out.FormatVersion = strings.Clone(out.Body), strings.Clone(out.City), strings.Clone(out.FormatVersion)
		out.Source = extract.Source{Path: out.Source.Path}
		out.Title, out.Scope, out.ScopeBy, out.Version = "", "", "", ""
		return d.err
	}
	for i := range out.T3Labels {
		out.T3Labels[i] = d.str()
	}
	out.Reads = d.reads()
	out.Findings = d.findings()
	if d.err == nil && d.i != len(d.s) {
		d.fail("%d bytes after the report", len(d.s)-d.i)
	}
	return d.err
}

// DecodeReport decodes one report encoded by AppendBinary.
func DecodeReport(data []byte) (*Report, error) {
	r := new(Report)
	if err := r.UnmarshalBinary(data); err != nil {
		return nil, err
	}
	return r, nil
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w at byte %d: %s", ErrCodec, d.i, fmt.Sprintf(format, args...))
	}
	d.i = len(d.s) // stop reading: every later read returns zero values
}

func (d *decoder) byte() byte {
	if d.i >= len(d.s) {
		d.fail("truncated")
		return 0
	}
	c := d.s[d.i]
	d.i++
	return c
}

func (d *decoder) uvarint() uint64 {
	var x uint64
	var shift uint
	for k := 0; ; k++ {
		if d.i >= len(d.s) {
			d.fail("truncated varint")
			return 0
		}
		c := d.s[d.i]
		d.i++
		if k == binary.MaxVarintLen64-1 && c > 1 {
			d.fail("varint overflows 64 bits")
			return 0
		}
		if c < 0x80 {
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
}

func (d *decoder) varint() int64 {
	u := d.uvarint()
	x := int64(u >> 1)
	if u&1 != 0 {
		x = ^x
	}
	return x
}

func (d *decoder) int() int { return int(int64(d.uvarint())) }

// view reads a string as a slice of s.
func (d *decoder) view() string {
	n := d.uvarint()
	if n > uint64(len(d.s)-d.i) {
		d.fail("a string of %d bytes past the end", n)
		return ""
	}
	s := d.s[d.i : d.i+int(n)]
	d.i += int(n)
	return s
}

// str reads a string: a slice of the decoder's copy of the encoding, or, when s views the
// caller's bytes (numbers), a copy of its own.
func (d *decoder) str() string {
	if d.numbers {
		return strings.Clone(d.view())
	}
	return d.view()
}

// own reads a string into memory of its own; when numbers, a view, which unmarshal copies or
// drops before it returns.
func (d *decoder) own() string {
	if d.numbers {
		return d.view()
	}
	return strings.Clone(d.view())
}

// count reads the length of a slice or map: -1 for nil. Every element takes at least min bytes,
// so a count beyond what is left is refused before anything is allocated for it.
func (d *decoder) count(min int) int {
	n := d.uvarint()
	if n == 0 {
		return -1
	}
	n--
	if n > uint64((len(d.s)-d.i)/min) {
		d.fail("%d elements in %d bytes", n, len(d.s)-d.i)
		return -1
	}
	return int(n)
}

func (d *decoder) value(v *Value) {
	flags := d.byte()
	if flags&^vfAll != 0 || flags&(vfRaw|vfRawIsN) == vfRawIsN {
		d.fail("value flags %#x", flags)
		return
	}
	if flags&vfKindMeth != 0 {
		km := d.byte()
		lo, hi := km&15, km>>4
		v.Kind, v.Method = Kind(lo), Method(hi)
		if lo == 15 {
			v.Kind = Kind(d.byte())
		}
		if hi == 15 {
			v.Method = Method(d.byte())
		}
	}
	if flags&vfN != 0 {
		v.N = d.varint()
	}
	if d.numbers {
		if flags&vfRaw != 0 && flags&vfRawIsN == 0 {
			d.view()
		}
		if flags&vfNote != 0 {
			d.view()
		}
		if flags&vfPos != 0 {
			var p extract.Pos
			d.pos(&p) // its sheet is a view, dropped here
		}
		return
	}
	switch {
	case flags&vfRawIsN != 0:
		v.Raw = strconv.FormatInt(v.N, 10)
	case flags&vfRaw != 0:
		v.Raw = d.str()
	}
	if flags&vfNote != 0 {
		v.Note = d.str()
	}
	if flags&vfPos != 0 {
		d.pos(&v.Pos)
	}
}

func (d *decoder) pos(p *extract.Pos) {
	flags := d.uvarint()
	if flags&^pfAll != 0 || flags&(pfSheet|pfSameSheet) == pfSheet|pfSameSheet {
		d.fail("position flags %#x", flags)
		return
	}
	if flags&pfLine != 0 {
		p.Line = d.int()
	}
	if flags&pfCol != 0 {
		p.Col = d.int()
	}
	switch {
	case flags&pfSheet != 0:
		if d.numbers {
			d.sheet = d.view() // the place is dropped: a view for pfSameSheet's check
			break
		}
		p.Sheet = d.str()
		d.sheet = p.Sheet
	case flags&pfSameSheet != 0:
		if d.sheet == "" {
			d.fail("a repeated sheet name before any")
		}
		p.Sheet = d.sheet
	}
	if flags&pfTable != 0 {
		p.Table = d.int()
	}
	if flags&pfRow != 0 {
		p.Row = d.int()
	}
	if flags&pfPara != 0 {
		p.Para = d.int()
	}
	if flags&pfPage != 0 {
		p.Page = d.int()
	}
	if flags&pfX != 0 {
		p.X = d.int()
	}
	if flags&pfY != 0 {
		p.Y = d.int()
	}
}

func (d *decoder) region(r *division.Resolution) {
	r.Status = division.Status(d.own())
	r.Printed = d.own()
	r.Body = d.own()
	d.place(&r.Place)
	for _, p := range []*division.Place{&r.Chain.Province, &r.Chain.City, &r.Chain.County, &r.Chain.Township} {
		d.place(p)
	}
	r.Kind = division.Kind(d.own())
	r.Organ = d.own()
	r.Scope = d.own()
	if n := d.count(1); n >= 0 {
		r.Candidates = make([]division.Place, n)
		for i := range r.Candidates {
			d.place(&r.Candidates[i])
		}
	}
	r.Reason = d.own()
}

func (d *decoder) place(p *division.Place) {
	switch d.byte() {
	case 0:
		return
	case 1:
	default:
		d.fail("place marker")
		return
	}
	p.Code = d.own()
	p.Name = d.own()
	p.Level = division.Level(d.byte())
	p.Parent = d.own()
	p.Until = d.int()
	if n := d.count(1); n >= 0 {
		p.Successors = make([]string, n)
		for i := range p.Successors {
			p.Successors[i] = d.own()
		}
	}
	p.SuccessorsBy = d.own()
}

func (d *decoder) reads() map[string]*TableRead {
	n := d.count(2)
	if n < 0 {
		return nil
	}
	m := make(map[string]*TableRead, n)
	for range n {
		k := d.str()
		switch d.byte() {
		case 0:
			m[k] = nil
			continue
		case 1:
		default:
			d.fail("table read marker")
			return m
		}
		tr := &TableRead{}
		switch d.byte() {
		case 0:
		case 1:
			tr.Found = true
		default:
			d.fail("boolean")
		}
		tr.Layout = extract.Layout(d.str())
		tr.Place = d.str()
		tr.Cells = d.int()
		if c := d.count(2); c >= 0 {
			tr.ByMethod = make(map[string]int, c)
			for range c {
				mk := d.str()
				tr.ByMethod[mk] = d.int()
			}
		}
		m[k] = tr
	}
	return m
}

func (d *decoder) findings() []Finding {
	n := d.count(7) // seven fields of at least one byte
	if n < 0 {
		return nil
	}
	fs := make([]Finding, n)
	for i := range fs {
		f := &fs[i]
		f.Rule = d.str()
		f.Severity = Severity(d.str())
		f.Message = d.str()
		if c := d.count(1); c >= 0 {
			f.Cells = make([]string, c)
			for k := range f.Cells {
				f.Cells[k] = d.str()
			}
		}
		f.Culprit = d.str()
		f.Status = d.str()
		f.Place = d.str()
	}
	return fs
}
