package transform

import (
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
)

// A reader's decoding choices reach the user as S.SOURCE findings in Chinese, at their grade.
func TestAddNotesDecodingChoices(t *testing.T) {
	for _, tc := range []struct {
		code string
		sev  Severity
		msg  string // the Chinese message the finding opens with
	}{
		{"unknown-charset", SevInfo, "网页声明的字符集无法识别"},
		{"charset-mismatch", SevInfo, "网页声明为UTF-8但内容不是UTF-8"},
		{"charset-utf8", SevInfo, "网页声明的字符集与内容不符，内容是UTF-8，已按UTF-8读取"},
	} {
		t.Run(tc.code, func(t *testing.T) {
			var r Report
			r.addNotes([]extract.Note{{Code: tc.code, Message: "reader's words"}})
			if len(r.Findings) != 1 {
				t.Fatalf("findings %+v, want one", r.Findings)
			}
			f := r.Findings[0]
			if f.Rule != RuleSSource || f.Severity != tc.sev || !strings.HasPrefix(f.Message, tc.msg) || !strings.HasSuffix(f.Message, "（reader's words）") {
				t.Errorf("finding %+v, want %s %s %q…", f, RuleSSource, tc.sev, tc.msg)
			}
		})
	}
}
