package transform

// Measures are the numbers a rollup sums, in the order of the rollup tables' columns: every Table 2
// field, every Table 3 cell (other_total included) and every Table 4 value.
var Measures = func() []Measure {
	ms := make([]Measure, 0, NumMeasures)
	for i := range T2 {
		ms = append(ms, Measure{Name: T2[i].Flat(), Path: T2[i].Path(), Amount: T2[i].Amount, T2: i, T3Row: -1, T3Col: -1, T4: -1})
	}
	for r := range NumT3Rows {
		for c := range NumT3Cols {
			ms = append(ms, Measure{Name: "t3_" + T3Rows[r].Key + "_" + T3Cols[c].Key, Path: T3Path(r, c),
				T2: -1, T3Row: r, T3Col: c, T4: -1})
		}
	}
	for i := range NumT4 {
		ms = append(ms, Measure{Name: T4Flat(i), Path: T4Path(i), T2: -1, T3Row: -1, T3Col: -1, T4: i})
	}
	return ms
}()

// NumMeasures is len(Measures).
const NumMeasures = NumT2 + NumT3Rows*NumT3Cols + NumT4

// Measure is one summable number of a report. Exactly one of T2, T3Row (with T3Col) and T4 is ≥ 0.
type Measure struct {
	Name   string // flat column name: t2_rules_issued, t3_granted_total, t4_review_upheld
	Path   string // cell path in findings: table2.rules.issued
	Amount bool   // millionths of 万元 rather than a count
	T2     int
	T3Row  int
	T3Col  int
	T4     int
}

// Value returns the report's value of measure m (an index into Measures).
func (r *Report) Value(m int) Value {
	switch ms := &Measures[m]; {
	case ms.T2 >= 0:
		return r.T2[ms.T2]
	case ms.T3Row >= 0:
		return r.T3[ms.T3Row][ms.T3Col]
	default:
		return r.T4[ms.T4]
	}
}

// Sum is a SQL SUM over reports: unknown values are skipped and a sum that saw none is not Valid.
// Skipped counts the reports whose cell was blank, "/" or text (not absent), or whose value was
// left out as too large to add (H.OVERFLOW), which a reader of the sum should be told about.
type Sum struct {
	N       int64
	Valid   bool
	Skipped int32
}

// add adds v, refusing an int64 overflow (the value is then left out and the sum marked invalid by
// the caller's finding).
func (s *Sum) add(v Value) bool {
	if !v.Known() {
		if v.Kind != Absent {
			s.Skipped++
		}
		return true
	}
	n := v.N
	if (n > 0 && s.N > maxInt64-n) || (n < 0 && s.N < minInt64-n) {
		return false
	}
	s.N += n
	s.Valid = true
	return true
}

const (
	maxInt64 = 1<<63 - 1
	minInt64 = -1 << 63
)
