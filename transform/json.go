package transform

import (
	"io"
	"strconv"
	"unicode/utf8"

	// imported as division: transform has a type named region (a part of a page)
	division "github.com/govreports/govreports/transform/region"
)

// WriteJSON writes r as one line of JSON in the shape of report-json.md: values null where the
// report does not state them, amounts as exact decimals, findings in order, and where every value
// was read under source.cells.
func WriteJSON(w io.Writer, r *Report) error {
	_, err := w.Write(AppendJSON(nil, r))
	return err
}

// AppendJSON appends r's JSON line (with the trailing newline) to b.
func AppendJSON(b []byte, r *Report) []byte {
	b = append(b, `{"source":{"path":`...)
	b = appendString(b, r.Source.Path)
	b = append(b, `,"sha256":`...)
	b = appendString(b, r.Source.SHA256)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, r.Source.Bytes, 10)
	b = append(b, `,"format":`...)
	b = appendString(b, string(r.Source.Format))
	b = append(b, `,"encoding":`...)
	b = appendString(b, r.Source.Encoding)
	if r.Unit != "" {
		b = append(b, `,"unit":`...)
		b = appendString(b, r.Unit)
	}
	b = append(b, `,"cells":{`...)
	first := true
	r.eachValue(func(path string, v *Value) {
		if v.Kind == Absent || v.Pos.IsZero() {
			return
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, path)
		b = append(b, ':')
		b = appendString(b, v.Pos.String())
	})
	b = append(b, '}')
	// How surely the source was read: with the cells' provenance, as it describes the reading.
	b = appendConfidence(b, r.Confidence())
	b = append(b, `},"body":`...)
	b = appendNullable(b, r.Body)
	b = append(b, `,"city":`...)
	b = appendNullable(b, r.City)
	b = append(b, `,"year":`...)
	if r.Year == 0 {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(r.Year), 10)
	}
	b = append(b, `,"format_version":`...)
	b = appendString(b, r.FormatVersion)

	b = append(b, `,"table2":{`...)
	b = r.appendTable2(b)
	b = append(b, `},"table3":{`...)
	for row := 0; row < NumT3Rows; row++ {
		if row == RowOtherTotal && r.FormatVersion != Gov2019 {
			continue
		}
		if row > 0 {
			b = append(b, ',')
		}
		b = appendString(b, T3Rows[row].Key)
		b = append(b, ":{"...)
		for c := 0; c < NumT3Cols; c++ {
			if c > 0 {
				b = append(b, ',')
			}
			b = appendString(b, T3Cols[c].Key)
			b = append(b, ':')
			b = appendValue(b, &r.T3[row][c], false)
		}
		b = append(b, '}')
	}
	b = append(b, `},"table4":{`...)
	for blk := range T4Blocks {
		if blk > 0 {
			b = append(b, ',')
		}
		b = appendString(b, T4Blocks[blk].Key)
		b = append(b, ":{"...)
		for o := range T4Outcomes {
			if o > 0 {
				b = append(b, ',')
			}
			b = appendString(b, T4Outcomes[o].Key)
			b = append(b, ':')
			b = appendValue(b, &r.T4[blk*5+o], false)
		}
		b = append(b, '}')
	}
	b = append(b, `},"findings":[`...)
	for i := range r.Findings {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFinding(b, &r.Findings[i])
	}
	b = append(b, `],"report_id":`...)
	b = appendString(b, r.ID)
	b = append(b, `,"title":`...)
	b = appendString(b, r.Title)
	b = append(b, `,"scope":`...)
	b = appendString(b, r.Scope)
	b = append(b, `,"region":`...)
	b = appendRegion(b, &r.Region)
	b = append(b, `,"reads":{`...)
	for i, name := range []string{"table2", "table3", "table4"} {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, name)
		b = append(b, ':')
		b = appendRead(b, r.Reads[name])
	}
	b = append(b, '}')
	b = appendNotes(b, r)
	b = append(b, "}\n"...)
	return b
}

// appendTable2 writes Table 2 as rows of columns: the 2021 fields always, legacy fields when the
// report uses the 2019 format or states one of them.
func (r *Report) appendTable2(b []byte) []byte {
	legacy := r.FormatVersion == Gov2019
	for i := NumT2Current; i < NumT2 && !legacy; i++ {
		legacy = r.T2[i].Kind != Absent
	}
	var rows []string
	fields := map[string][]int{}
	for i := range T2 {
		if T2[i].Version == Gov2019 && !legacy {
			continue
		}
		if _, ok := fields[T2[i].Row]; !ok {
			rows = append(rows, T2[i].Row)
		}
		fields[T2[i].Row] = append(fields[T2[i].Row], i)
	}
	for k, row := range rows {
		if k > 0 {
			b = append(b, ',')
		}
		b = appendString(b, row)
		b = append(b, ":{"...)
		for n, i := range fields[row] {
			if n > 0 {
				b = append(b, ',')
			}
			b = appendString(b, T2[i].Col)
			b = append(b, ':')
			b = appendValue(b, &r.T2[i], T2[i].Amount)
		}
		b = append(b, '}')
	}
	return b
}

// appendNullable writes an unknown (empty) name as null.
// appendRegion writes where the body sits among the divisions: status, place, the chain of places
// above it, kind and organ; the candidates and the reason when there are any.
func appendRegion(b []byte, res *division.Resolution) []byte {
	b = append(b, `{"status":`...)
	b = appendString(b, string(res.Status))
	b = append(b, `,"code":`...)
	b = appendNullable(b, res.Place.Code)
	b = append(b, `,"name":`...)
	b = appendNullable(b, res.Place.Name)
	b = append(b, `,"level":`...)
	b = appendNullable(b, res.Place.Level.String())
	b = append(b, `,"kind":`...)
	b = appendNullable(b, string(res.Kind))
	b = append(b, `,"organ":`...)
	b = appendNullable(b, res.Organ)
	for _, l := range []struct {
		key string
		p   *division.Place
	}{{"province", &res.Chain.Province}, {"city", &res.Chain.City}, {"county", &res.Chain.County}, {"township", &res.Chain.Township}} {
		b = append(b, ',')
		b = appendString(b, l.key)
		b = append(b, ':')
		b = appendPlaceRef(b, l.p)
	}
	if res.Printed != res.Body {
		b = append(b, `,"printed":`...)
		b = appendString(b, res.Printed)
	}
	if res.Place.Former() {
		b = append(b, `,"former":{"until":`...)
		b = strconv.AppendInt(b, int64(res.Place.Until), 10)
		b = append(b, `,"successors":[`...)
		for i, s := range res.Place.Successors {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		b = append(b, `],"by":`...)
		b = appendString(b, res.Place.SuccessorsBy)
		b = append(b, '}')
	}
	if len(res.Candidates) > 0 {
		b = append(b, `,"candidates":[`...)
		for i := range res.Candidates {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendPlaceRef(b, &res.Candidates[i])
		}
		b = append(b, ']')
	}
	if res.Reason != "" {
		b = append(b, `,"reason":`...)
		b = appendString(b, res.Reason)
	}
	return append(b, '}')
}

// appendPlaceRef writes {"code":…,"name":…}, or null for no place.
func appendPlaceRef(b []byte, p *division.Place) []byte {
	if p.IsZero() {
		return append(b, "null"...)
	}
	b = append(b, `{"code":`...)
	b = appendNullable(b, p.Code)
	b = append(b, `,"name":`...)
	b = appendString(b, p.Name)
	return append(b, '}')
}

func appendNullable(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendString(b, s)
}

func appendValue(b []byte, v *Value, amount bool) []byte {
	if !v.Known() {
		return append(b, "null"...)
	}
	if amount {
		return AppendAmount(b, v.N)
	}
	return strconv.AppendInt(b, v.N, 10)
}

// AppendAmount writes millionths of 万元 as an exact decimal without trailing zeros: 7730.28, 0.
func AppendAmount(b []byte, n int64) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/AmountScale, 10)
	frac := n % AmountScale
	if frac == 0 {
		return b
	}
	digits := strconv.AppendInt(nil, frac+AmountScale, 10)[1:] // zero-padded to six digits
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	b = append(b, '.')
	return append(b, digits...)
}

func appendFinding(b []byte, f *Finding) []byte {
	b = append(b, `{"rule":`...)
	b = appendString(b, f.Rule)
	b = append(b, `,"severity":`...)
	b = appendString(b, string(f.Severity))
	b = append(b, `,"message":`...)
	b = appendString(b, f.Message)
	b = append(b, `,"cells":[`...)
	for i, c := range f.Cells {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, c)
	}
	b = append(b, ']')
	if f.Culprit != "" {
		b = append(b, `,"culprit":`...)
		b = appendString(b, f.Culprit)
	}
	if f.Status != "" {
		b = append(b, `,"status":`...)
		b = appendString(b, f.Status)
	}
	if f.Place != "" {
		b = append(b, `,"place":`...)
		b = appendString(b, f.Place)
	}
	return append(b, '}')
}

func appendRead(b []byte, tr *TableRead) []byte {
	if tr == nil {
		return append(b, `{"found":false,"cells":0}`...)
	}
	b = append(b, `{"found":`...)
	b = strconv.AppendBool(b, tr.Found)
	if tr.Place != "" {
		b = append(b, `,"place":`...)
		b = appendString(b, tr.Place)
	}
	b = append(b, `,"cells":`...)
	b = strconv.AppendInt(b, int64(tr.Cells), 10)
	if len(tr.ByMethod) > 0 {
		b = append(b, `,"by_method":{`...)
		n := 0
		for m := ByGrid; m <= ByPlacement; m++ {
			if c, ok := tr.ByMethod[m.String()]; ok {
				if n > 0 {
					b = append(b, ',')
				}
				n++
				b = appendString(b, m.String())
				b = append(b, ':')
				b = strconv.AppendInt(b, int64(c), 10)
			}
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendString writes s as a JSON string; non-ASCII text is kept as UTF-8, invalid bytes replaced.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// eachValue visits every value with its cell path, in schema order.
func (r *Report) eachValue(fn func(path string, v *Value)) {
	r.eachCell(func(id int, v *Value) { fn(cellPath(id), v) })
}
