package transform

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
)

func TestPeriodCaption(t *testing.T) {
	tests := []struct {
		s    string
		year int
		want int
	}{
		{"上年度(2022年)情况", 2023, periodOther},
		{"2022年情况", 2023, periodOther},
		{"2023年情况", 2023, periodOwn},
		{"表三(2022年)", 2023, periodOther},
		{"本年度(2023年)情况", 2023, periodOwn},
		{"2023年与2022年对比", 2023, periodNone},
		{"二、上年结转政府信息公开申请数量", 2023, periodNone},
		{"三、本年度办理结果", 2023, periodNone},
		{"2022年共收到申请50件，办结48件。", 2023, periodNone},
		{"2022年情况", 0, periodNone},
	}
	for _, tt := range tests {
		if got := periodCaption(tt.s, tt.year); got != tt.want {
			t.Errorf("periodCaption(%q, %d) = %d, want %d", tt.s, tt.year, got, tt.want)
		}
	}
}

func TestForeignCaption(t *testing.T) {
	tests := []struct {
		s    string
		t    tableWords
		want bool
	}{
		{"表1各部门政府信息公开申请办理情况", t3Words, true},
		{"表六政务公开培训情况", t3Words, true},
		{"表三", t3Words, false},
		{"表3收到和处理政府信息公开申请情况", t3Words, false},
		{"表31各部门情况", t3Words, true},
		{"表1收到和处理政府信息公开申请情况", t3Words, false}, // numbered by the report's own count
		{"表格说明", t3Words, false},
	}
	for _, tt := range tests {
		if got := tt.t.foreign(tt.s); got != tt.want {
			t.Errorf("foreign(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

// extraTablesBase is a clean report whose tables sit between its section headings (二 … 五).
func extraTablesBase(t *testing.T) (head, h3, t3, h4, t4, tail, s2 string) {
	t.Helper()
	b, err := os.ReadFile("../fixtures/qa/text/01_tabs.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i2, i3 := strings.Index(s, "二、主动公开政府信息情况"), strings.Index(s, "三、收到和处理政府信息公开申请情况")
	i4, i5 := strings.Index(s, "四、政府信息公开行政复议"), strings.Index(s, "五、存在的主要问题")
	cut := func(p string) (string, string) { k := strings.Index(p, "\n") + 1; return p[:k], p[k:] }
	h3, t3 = cut(s[i3:i4])
	h4, t4 = cut(s[i4:i5])
	return s[:i2], h3, t3, h4, t4, s[i5:], s[i2:i3]
}

// scaled multiplies every whole-number cell: another period's copy that keeps every identity.
func scaled(table string, k int) string {
	lines := strings.Split(table, "\n")
	for i, l := range lines {
		cells := strings.Split(l, "\t")
		for j, c := range cells {
			if n, err := strconv.Atoi(c); err == nil {
				cells[j] = strconv.Itoa(n * k)
			}
		}
		lines[i] = strings.Join(cells, "\t")
	}
	return strings.Join(lines, "\n")
}

func readAll(t *testing.T, text string) []*Report {
	t.Helper()
	doc, err := extract.Read(context.Background(), "r.txt", []byte(text), extract.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	reps, err := Transform(context.Background(), doc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return reps
}

// TestOwnPeriodTable: another period's copy of a table (上年度, 2022年情况), a table of another
// subject (表1 各部门…) and whole reports joined in one file must not take the report's own values.
func TestOwnPeriodTable(t *testing.T) {
	head, h3, t3, h4, t4, tail, s2 := extraTablesBase(t)
	last3, last4 := scaled(t3, 3), scaled(t4, 2)
	dept := "表1 各部门政府信息公开申请办理情况\n部门\t申请数\t办结数\t予以公开\t结转\n区交通运输局\t211\t205\t17\t6\n区公路中心\t198\t190\t12\t8\n合计\t409\t395\t29\t14\n"
	tests := []struct {
		name, text string
		rule       string // a finding the reading must make, "" for none
	}{
		{"last year's Table 3 after", head + s2 + h3 + t3 + "附：2022年度收到和处理政府信息公开申请情况（上年度）\n" + last3 + "\n" + h4 + t4 + tail, RuleSTablePresent},
		{"last year's Table 3 before", head + s2 + h3 + "上年度（2022年）情况\n" + last3 + "\n本年度（2023年）情况\n" + t3 + h4 + t4 + tail, RuleSTablePresent},
		{"last year's Table 4 before", head + s2 + h3 + t3 + h4 + "2022年情况\n" + last4 + "\n2023年情况\n" + t4 + tail, RuleSTablePresent},
		{"captions with years only", head + s2 + h3 + "表三（2022年）\n" + last3 + "\n表三（2023年）\n" + t3 + h4 + t4 + tail, RuleSTablePresent},
		{"another table after Table 3", head + s2 + h3 + t3 + dept + "\n" + h4 + t4 + tail, ""},
		{"another table before an uncaptioned Table 3", head + s2 + h3 + dept + "\n" + t3 + h4 + t4 + tail, ""},
		{"an uncaptioned table after Table 3", head + s2 + h3 + t3 + strings.SplitN(dept, "\n", 2)[1] + "\n" + h4 + t4 + tail, RuleSRowLabel},
		{"an uncaptioned table before Table 3", head + s2 + h3 + strings.SplitN(dept, "\n", 2)[1] + "\n" + t3 + h4 + t4 + tail, RuleSRowLabel},
		{"a second Table 4 row that breaks T4.SUM", head + s2 + h3 + t3 + h4 + strings.Replace(last4, "\t100\t", "\t101\t", 1) + "\n" + t4 + tail, RuleSRowDuplicate},
	}
	want := readAll(t, head+s2+h3+t3+h4+t4+tail)[0]
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reps := readAll(t, tt.text)
			if len(reps) != 1 {
				t.Fatalf("%d reports, want 1", len(reps))
			}
			got := reps[0]
			for i := range want.T2 {
				if g, w := got.T2[i], want.T2[i]; g.Kind != w.Kind || g.N != w.N {
					t.Errorf("T2 %s: got %v %d, want %v %d", cellPath(i), g.Kind, g.N, w.Kind, w.N)
				}
			}
			for r := range want.T3 {
				for c := range want.T3[r] {
					if g, w := got.T3[r][c], want.T3[r][c]; g.Kind != w.Kind || g.N != w.N {
						t.Errorf("T3 %s: got %v %d, want %v %d", T3Path(r, c), g.Kind, g.N, w.Kind, w.N)
					}
				}
			}
			for i := range want.T4 {
				if g, w := got.T4[i], want.T4[i]; g.Kind != w.Kind || g.N != w.N {
					t.Errorf("T4 %s: got %v %d, want %v %d", T4Path(i), g.Kind, g.N, w.Kind, w.N)
				}
			}
			if tt.rule != "" && !hasFinding(got, tt.rule) {
				t.Errorf("no %s finding", tt.rule)
			}
		})
	}

	// Two full Table 4 rows that both keep T4.SUM and no caption: neither is taken, with an error.
	rep := readAll(t, head+s2+h3+t3+h4+last4+"\n"+t4+tail)[0]
	if rep.T4[0].Known() || !hasFinding(rep, RuleSRowDuplicate) {
		t.Errorf("two uncaptioned Table 4 rows: got %v and findings %v, want null and %s", rep.T4[0], rep.Findings, RuleSRowDuplicate)
	}

	// Two whole reports, one after the other: each read from its own lines.
	other := strings.ReplaceAll(head, "2023", "2022")
	reps := readAll(t, other+s2+h3+last3+"\n"+h4+last4+"\n"+tail+"\n"+head+s2+h3+t3+h4+t4+tail)
	if len(reps) != 2 {
		t.Fatalf("two reports in one file: got %d", len(reps))
	}
	if reps[0].Year != 2022 || reps[1].Year != 2023 || reps[0].ID == reps[1].ID {
		t.Errorf("two reports: years %d, %d and ids %s, %s", reps[0].Year, reps[1].Year, reps[0].ID, reps[1].ID)
	}
	if reps[1].T3[RowNewReceived][NumT3Cols-1].N != want.T3[RowNewReceived][NumT3Cols-1].N {
		t.Errorf("second report's Table 3 total new: got %d", reps[1].T3[RowNewReceived][NumT3Cols-1].N)
	}
	if reps[0].T3[RowNewReceived][NumT3Cols-1].N != 3*want.T3[RowNewReceived][NumT3Cols-1].N {
		t.Errorf("first report's Table 3 total new: got %d", reps[0].T3[RowNewReceived][NumT3Cols-1].N)
	}
	for _, r := range reps {
		if !hasFinding(r, RuleSSections) {
			t.Errorf("report %d: no %s finding naming the joined reports", r.Year, RuleSSections)
		}
	}
	// A report followed by an annex repeating its tables stays one report.
	if n := len(readAll(t, head+s2+h3+t3+h4+t4+tail+"\n附件：2023年政府信息公开工作年度报告统计表\n"+s2+h3+t3+h4+t4)); n != 1 {
		t.Errorf("report with an annex: %d reports, want 1", n)
	}
}

func hasFinding(r *Report, rule string) bool {
	for _, f := range r.Findings {
		if f.Rule == rule {
			return true
		}
	}
	return false
}

// TestSameReportTwice: a page that prints one report twice gives it once.
func TestSameReportTwice(t *testing.T) {
	head, h3, t3, h4, t4, tail, s2 := extraTablesBase(t)
	one := head + s2 + h3 + t3 + h4 + t4 + tail
	reps := readAll(t, one+"\n"+one)
	if len(reps) != 1 {
		t.Fatalf("one report printed twice: %d reports, want 1", len(reps))
	}
	if !hasFinding(reps[0], RuleSSections) {
		t.Errorf("no %s finding about the second copy", RuleSSections)
	}
}
