package transform

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// expected is the report-json.md shape of an expected file.
type expected struct {
	Body          string                                `json:"body"`
	City          string                                `json:"city"`
	Year          int                                   `json:"year"`
	FormatVersion string                                `json:"format_version"`
	Table2        map[string]map[string]json.RawMessage `json:"table2"`
	Table3        map[string]map[string]*int64          `json:"table3"`
	Table4        map[string]map[string]*int64          `json:"table4"`
}

func readExpected(t testing.TB, path string) expected {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var e expected
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return e
}

// reportOf builds a Report holding an expected file's values, as if read from a clean grid.
func reportOf(t testing.TB, e expected) *Report {
	t.Helper()
	r := &Report{Body: e.Body, City: e.City, Year: e.Year, FormatVersion: e.FormatVersion, Reads: map[string]*TableRead{}}
	for _, name := range []string{"table2", "table3", "table4"} {
		r.Reads[name] = &TableRead{Found: true}
	}
	set := func(v *Value, n *int64) {
		if n == nil {
			*v = Value{Kind: Empty}
			return
		}
		*v = Value{Kind: Numeric, N: *n}
		if *n == 0 {
			v.Kind = Zero
		}
	}
	for i := range T2 {
		raw, ok := e.Table2[T2[i].Row][T2[i].Col]
		if !ok {
			continue
		}
		var n *float64
		if err := json.Unmarshal(raw, &n); err != nil {
			t.Fatal(err)
		}
		if n == nil {
			r.T2[i] = Value{Kind: Empty}
			continue
		}
		scale := 1.0
		if T2[i].Amount {
			scale = AmountScale
		}
		v := int64(*n*scale + 0.5)
		set(&r.T2[i], &v)
	}
	for row := 0; row < NumT3Rows; row++ {
		vals, ok := e.Table3[T3Rows[row].Key]
		if !ok {
			continue
		}
		for c := 0; c < NumT3Cols; c++ {
			set(&r.T3[row][c], vals[T3Cols[c].Key])
		}
	}
	for i := 0; i < NumT4; i++ {
		set(&r.T4[i], e.Table4[T4Blocks[i/5].Key][T4Outcomes[i%5].Key])
	}
	return r
}

func seedReport(t testing.TB) *Report {
	r := reportOf(t, readExpected(t, "../fixtures/seed/expected.json"))
	r.DeriveOtherTotal()
	return r
}

func rulesOf(r *Report, sev Severity) []string {
	var out []string
	for _, f := range r.Findings {
		if sev == "" || f.Severity == sev {
			out = append(out, f.Rule)
		}
	}
	return out
}

func findingsOf(r *Report, rule string) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func TestSeedPassesEveryRule(t *testing.T) {
	r := seedReport(t)
	check(r)
	if len(r.Findings) != 0 {
		t.Fatalf("the seed passes every rule, got findings: %+v", r.Findings)
	}
}

func TestOneWrongCellNamesItsCulprit(t *testing.T) {
	r := seedReport(t)
	r.T3[RowNewReceived][0].N = 43 // 自然人: 42 → 43
	check(r)
	bal := findingsOf(r, "T3.BALANCE")
	app := findingsOf(r, "T3.APPLICANTS")
	if len(bal) != 1 || len(app) != 1 || len(r.Findings) != 2 {
		t.Fatalf("want one T3.BALANCE and one T3.APPLICANTS finding, got %+v", r.Findings)
	}
	if want := "表三 自然人列：一+二=44，三(七)+四=43，相差1"; !strings.HasPrefix(bal[0].Message, want) {
		t.Errorf("message %q does not start with %q", bal[0].Message, want)
	}
	for _, f := range r.Findings {
		if f.Culprit != "table3.new_received.natural_person" || f.Severity != SevError || f.Status != "fail" {
			t.Errorf("finding %+v: want culprit table3.new_received.natural_person, error, fail", f)
		}
		if !strings.Contains(f.Message, "若为42") {
			t.Errorf("message %q does not suggest the value 42", f.Message)
		}
	}
}

func TestWrongTotalCell(t *testing.T) {
	r := seedReport(t)
	r.T3[RowGranted][ColTotal].N = 18
	check(r)
	got := rulesOf(r, SevError)
	if strings.Join(got, ",") != "T3.RESULTS,T3.APPLICANTS" {
		t.Fatalf("rules %v, want T3.RESULTS,T3.APPLICANTS", got)
	}
	for _, f := range r.Findings {
		if f.Culprit != "table3.granted.total" {
			t.Errorf("culprit %q, want table3.granted.total", f.Culprit)
		}
	}
}

func TestTwoWrongCellsHaveNoSingleCulprit(t *testing.T) {
	r := seedReport(t)
	r.T3[RowNewReceived][0].N = 43
	r.T3[RowNewReceived][1].N = 11
	check(r)
	for _, f := range r.Findings {
		if f.Rule == "T3.APPLICANTS" && f.Culprit != "" {
			t.Errorf("%s names culprit %s though two cells are wrong", f.Rule, f.Culprit)
		}
	}
	if n := len(findingsOf(r, "T3.BALANCE")); n != 2 {
		t.Errorf("want T3.BALANCE to fail in two columns, got %d", n)
	}
}

func TestBlanksAreAssessedAsZeroAndReported(t *testing.T) {
	r := seedReport(t)
	r.T3[RowWithheldFirst][0] = Value{Kind: Empty}
	r.T3[RowWithheldFirst][1] = Value{Kind: NA, Raw: "/"}
	check(r)
	if got := rulesOf(r, ""); strings.Join(got, ",") != "S.BLANKS" {
		t.Fatalf("rules %v, want only S.BLANKS (the sums hold with blanks as 0)", got)
	}
	b := findingsOf(r, "S.BLANKS")[0]
	if len(b.Cells) != 2 || b.Cells[0] != "table3.withheld_state_secret.natural_person" {
		t.Errorf("S.BLANKS cells %v", b.Cells)
	}
	// A blank that hides a difference fails "assuming blank zero".
	r = seedReport(t)
	r.T3[RowGranted][0] = Value{Kind: Empty}
	check(r)
	for _, f := range findingsOf(r, "T3.BALANCE") {
		t.Errorf("T3.BALANCE does not involve the granted row: %+v", f)
	}
	res := findingsOf(r, "T3.RESULTS")
	if len(res) != 1 || res[0].Status != "fail_assuming_blank_zero" || !strings.Contains(res[0].Message, "空白单元格按0计") {
		t.Errorf("T3.RESULTS with a blank: %+v", res)
	}
}

func TestTextCellIsNotAssessable(t *testing.T) {
	r := seedReport(t)
	r.T3[RowGranted][0] = Value{Kind: Text, Raw: "见附件"}
	check(r)
	var na []Finding
	for _, f := range r.Findings {
		if f.Status == "not_assessable" {
			na = append(na, f)
		}
	}
	if len(na) != 3 { // T3.RESULTS (自然人列), T3.APPLICANTS (予以公开行), S.TEXT_CELL
		t.Fatalf("want 3 not-assessable findings, got %+v", na)
	}
	for _, f := range r.Findings {
		if f.Status == "fail" {
			t.Errorf("a text cell must not make a rule fail: %+v", f)
		}
	}
}

func TestMissingRowIsReported(t *testing.T) {
	r := seedReport(t)
	for c := range r.T3[RowCarriedForward] {
		r.T3[RowCarriedForward][c] = Value{}
	}
	check(r)
	rc := findingsOf(r, "S.ROWS_COMPLETE")
	if len(rc) != 1 || !strings.Contains(rc[0].Message, "结转下年度") {
		t.Fatalf("S.ROWS_COMPLETE: %+v", rc)
	}
	for _, f := range r.Findings {
		if f.Status == "fail" && f.Rule == "T3.BALANCE" {
			t.Errorf("a missing row must not be summed as 0: %+v", f)
		}
	}
}

func TestNegativeAndT4(t *testing.T) {
	r := seedReport(t)
	r.T4[4].N = 2 // 行政复议 总计 1 → 2
	r.T2[T2Penalty].N = -1
	check(r)
	if got := strings.Join(rulesOf(r, SevError), ","); got != "T2.NONNEG,T4.SUM" {
		t.Fatalf("rules %s, want T2.NONNEG,T4.SUM", got)
	}
	if m := findingsOf(r, "T4.SUM")[0].Message; m != "表四 行政复议：总计=2，结果维持+结果纠正+其他结果+尚未审结=1，相差1" {
		t.Errorf("T4.SUM message %q", m)
	}
}

func TestGov2019Results(t *testing.T) {
	r := seedReport(t)
	r.FormatVersion = Gov2019
	// The 2019 form has one row (六)其他处理 instead of three.
	for c := 0; c < NumT3Cols; c++ {
		sum := r.T3[RowOtherNoCorrection][c].N + r.T3[RowOtherFeeUnpaid][c].N + r.T3[RowOtherOther][c].N
		for row := RowOtherNoCorrection; row <= RowOtherOther; row++ {
			r.T3[row][c] = Value{}
		}
		r.T3[RowOtherTotal][c] = Value{Kind: Numeric, N: sum}
	}
	r.T2 = [NumT2]Value{}
	for i := range T2 {
		if T2[i].Version == Gov2019 || T2[i].Col == "decisions" && T2[i].Row != "other_external_services" {
			r.T2[i] = Value{Kind: Zero}
		}
	}
	check(r)
	if len(r.Findings) != 0 {
		t.Fatalf("a consistent gov2019 report passes, got %+v", r.Findings)
	}
}
