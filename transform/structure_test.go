package transform

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
)

// TestStructureAndNarrativeRules edits the real seed one way at a time and expects exactly the
// structure (§5.6) or narrative (§5.5) finding that edit causes, and no other.
func TestStructureAndNarrativeRules(t *testing.T) {
	seed, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		old, new string
		rule     string
		severity Severity
		message  string // a piece of the message
	}{
		{"title year differs from the period", "报告所列数据统计期限从 2024 年", "报告所列数据统计期限从 2023 年",
			"S.YEAR", SevWarning, "标题年度为2024年，统计期限为2023年"},
		{"no statement on 信息处理费", "按照《国务院办公厅关于印发政府信息公开信息处理费管理办法的通知》（国办函〔2020〕109号）规定，2024年平顶山市城乡一体化示范区依申请公开政府信息未收费",
			"2024年平顶山市城乡一体化示范区依申请公开工作正常",
			"S.SECTION6_FEE", SevWarning, "信息处理费"},
		{"a section heading missing", "#### 五、存在的主要问题及改进情况", "#### 存在不足",
			"S.SECTIONS", SevWarning, "五、存在的主要问题及改进情况"},
		{"a misnumbered section", "#### 六、其他需要报告的事项", "#### 七、其他需要报告的事项",
			"S.SECTIONS", SevWarning, "应为“六、”"},
		{"narrative count differs from Table 3", "全年共受理政府信息公开申请 57 件", "全年共受理政府信息公开申请 60 件",
			"N.RECEIVED", SevInfo, "正文称收到申请60件"},
		{"narrative review count differs from Table 4", "行政复议案件 1 件", "行政复议案件 2 件",
			"N.REVIEW", SevInfo, "正文称行政复议2件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := string(seed)
			if !strings.Contains(text, tt.old) {
				t.Fatalf("the seed has no %q", tt.old)
			}
			text = strings.Replace(text, tt.old, tt.new, 1)
			doc, err := extract.Read(context.Background(), "seed.txt", []byte(text), extract.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			reps, err := Transform(context.Background(), doc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			fs := reps[0].Findings
			if len(fs) != 1 || fs[0].Rule != tt.rule || fs[0].Severity != tt.severity || !strings.Contains(fs[0].Message, tt.message) {
				t.Fatalf("findings %+v, want one %s %s containing %q", fs, tt.severity, tt.rule, tt.message)
			}
		})
	}
}
