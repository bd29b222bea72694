package transform

import (
	"os"
	"strings"
	"testing"
)

// seedLines edits the seed's lines: edit gets each line (without its newline) and returns it.
func seedWith(t *testing.T, edit func(line string) string) string {
	t.Helper()
	b, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		lines[i] = edit(l)
	}
	return strings.Join(lines, "\n")
}

// swapTail swaps fields i and j of the last n tab-separated numeric fields of a line that has them.
func swapTail(line string, n, i, j int) string {
	f := strings.Split(line, "\t")
	end := len(f)
	for end > 0 && f[end-1] == "" {
		end--
	}
	if end < n {
		return line
	}
	for _, s := range f[end-n : end] {
		if strings.Trim(s, "0123456789") != "" || s == "" {
			return line
		}
	}
	f[end-n+i], f[end-n+j] = f[end-n+j], f[end-n+i]
	return strings.Join(f, "\t")
}

func TestColumnOrderFromHeader(t *testing.T) {
	const (
		t3Orgs   = "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"
		t4Blocks = "未经复议直接起诉\t\t\t\t\t复议后起诉"
		t4Values = "0\t1\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0"
	)
	inT3 := false
	tests := []struct {
		name string
		edit func(string) string
		// want edits the seed's values into what the edited text says.
		want     func(r *Report)
		severity Severity // of the S.COLUMN_ORDER finding; "" for none
	}{
		{"the form's order", func(l string) string { return l }, func(*Report) {}, ""},
		{"Table 3: 其他 printed before 商业企业, the values under their headers", func(l string) string {
			switch {
			case strings.Contains(l, t3Orgs):
				inT3 = true
				return strings.Replace(l, t3Orgs, "其他\t科研机构\t社会公益组织\t法律服务机构\t商业企业", 1)
			case strings.HasPrefix(l, "四、结转下年度"):
				inT3 = false
				return swapTail(l, 7, 1, 5)
			case inT3:
				return swapTail(l, 7, 1, 5)
			}
			return l
		}, func(*Report) {}, SevInfo},
		{"Table 4: 复议后起诉 printed before 未经复议直接起诉", func(l string) string {
			switch {
			case strings.Contains(l, t4Blocks):
				return strings.Replace(l, t4Blocks, "复议后起诉\t\t\t\t\t未经复议直接起诉", 1)
			case l == t4Values:
				return "0\t1\t0\t0\t1\t0\t0\t0\t0\t0\t2\t0\t0\t1\t3"
			}
			return l
		}, func(r *Report) {
			r.T4[5].N, r.T4[8].N, r.T4[9].N = 2, 1, 3
		}, SevInfo},
		{"Table 4: 结果纠正 printed before 结果维持 in every block", func(l string) string {
			if l == t4Values {
				return "1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0"
			}
			return strings.ReplaceAll(l, "结果 维持\t结果 纠正", "结果 纠正\t结果 维持")
		}, func(*Report) {}, SevInfo},
		{"Table 4: two header lines in two orders leave the form's order, with a warning", func(l string) string {
			if strings.HasPrefix(l, "结果 维持") {
				return strings.Replace(l, "结果 维持\t结果 纠正", "结果 纠正\t结果 维持", 1)
			}
			return l
		}, func(*Report) {}, SevWarning},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := transformText(t, "seed.txt", seedWith(t, tc.edit))
			want := seedReport(t)
			tc.want(want)
			sameValues(t, got, want)
			var sev Severity
			for _, f := range got.Findings {
				if f.Rule == RuleSColumnOrder {
					if sev != "" {
						t.Errorf("a second %s finding: %s", f.Rule, f.Message)
					}
					sev = f.Severity
					t.Log(f.Message)
				}
			}
			if sev != tc.severity {
				t.Errorf("%s finding of severity %q, want %q", RuleSColumnOrder, sev, tc.severity)
			}
		})
	}
}
