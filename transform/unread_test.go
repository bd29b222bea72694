package transform

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
)

// TestUnreadTables: a second set of report tables after a report, in forms that give no second
// title, is either read as a report of its own (a whole 一…六 sequence) or named in an S.UNREAD
// finding; tables that are no report's (a training table, a breakdown by department, an annex
// repeating the report's own numbers) say nothing.
func TestUnreadTables(t *testing.T) {
	tests := []struct {
		file    string
		reports int
		unread  bool   // the first report carries an S.UNREAD finding
		body2   string // the second report's body, when there is one
	}{
		{"text/25a_untitled_second_report_signed.txt", 2, false, "江苏省淮安市清江浦区公路事业发展中心"},
		{"text/25b_untitled_second_report.txt", 2, false, ""},
		{"text/25c_crumb_second_report.txt", 2, false, "江苏省淮安市清江浦区公路事业发展中心"},
		{"text/25d_second_t3_t4_sections_after.txt", 1, true, ""},
		{"text/25e_second_t3_bare_after.txt", 1, true, ""},
		{"text/25f_second_t4_section_after.txt", 1, true, ""},
		{"text/25g_second_tables_no_overview.txt", 1, true, ""},
		{"text/25h_training_table_guard.txt", 1, false, ""},
		{"text/25i_dept_breakdown_after_guard.txt", 1, false, ""},
		{"text/25j_annex_bare_t3_same_guard.txt", 1, false, ""},
		{"text/24m_annex_repeat_guard.txt", 1, false, ""},
		{"text/24p_two_units_one_file.txt", 2, false, "江苏省淮安市清江浦区公路事业发展中心"},
		{"text/01_tabs.txt", 1, false, ""},
		{"html/x09_untitled_second_report.html", 2, false, ""},
		{"html/x10_second_t3_section_after.html", 1, true, ""},
		{"html/x08_annex_t3_guard.html", 1, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc, err := extract.ReadFile(context.Background(), "../fixtures/qa/"+tt.file, extract.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			reps, err := Transform(context.Background(), doc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(reps) != tt.reports {
				t.Fatalf("%d reports, want %d", len(reps), tt.reports)
			}
			if got := hasFinding(reps[0], RuleSUnread); got != tt.unread {
				t.Errorf("S.UNREAD finding: %v, want %v (findings %v)", got, tt.unread, reps[0].Findings)
			}
			if tt.reports < 2 {
				return
			}
			second := reps[1]
			if second.Body != tt.body2 && !strings.Contains(tt.file, "24p") {
				t.Errorf("second report's body %q, want %q", second.Body, tt.body2)
			}
			if !strings.Contains(tt.file, "24p") && !hasFinding(second, RuleSBody) {
				t.Errorf("untitled second report: no %s finding", RuleSBody)
			}
			if second.Year != 2023 && second.Year != 2024 {
				t.Errorf("second report's year %d", second.Year)
			}
			if !second.T3[RowNewReceived][NumT3Cols-1].Known() || second.T3[RowNewReceived][NumT3Cols-1] == reps[0].T3[RowNewReceived][NumT3Cols-1] {
				t.Errorf("second report's Table 3 total new: %v, first's %v", second.T3[RowNewReceived][NumT3Cols-1], reps[0].T3[RowNewReceived][NumT3Cols-1])
			}
		})
	}
}

// TestUntitledCopy: a report printed again without its title is one report, not two.
func TestUntitledCopy(t *testing.T) {
	b, err := os.ReadFile("../fixtures/qa/text/24p_two_units_one_file.txt")
	if err != nil {
		t.Fatal(err)
	}
	first := strings.Join(strings.Split(string(b), "\n")[:76], "\n") + "\n"
	untitled := first[strings.Index(first, "\n")+1:]
	reps := readAll(t, first+"\n"+untitled)
	if len(reps) != 1 {
		t.Fatalf("a report and its untitled copy: %d reports, want 1", len(reps))
	}
	if hasFinding(reps[0], RuleSUnread) {
		t.Errorf("the copy holds the report's own numbers: no %s finding wanted", RuleSUnread)
	}
}
