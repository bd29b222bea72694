package transform_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/govreports/govreports/fixtures/synth"
)

// headingLine matches a section heading line of the rendered layouts, Markdown marks included.
var headingLine = regexp.MustCompile(`(?m)^[#\s]*([一二三四五六])、(总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况|政府信息公开行政复议、行政诉讼情况|存在的主要问题及改进情况|其他需要报告的事项)[\t ]*$`)

// captionless are pages without 表二/表三/表四 whose sections are found by their headings or, with
// none, by the tables' own header words (report-format.md §7.8a).
var captionless = []struct {
	name string
	edit func(text string) string
}{
	{"as rendered", func(s string) string { return s }},
	{"ordinals skip 一/二/三/五", func(s string) string {
		return headingLine.ReplaceAllStringFunc(s, func(h string) string {
			return strings.NewReplacer("六、", "七、", "五、", "六、", "四、", "五、").Replace(h)
		})
	}},
	{"ordinals restart", func(s string) string {
		return headingLine.ReplaceAllStringFunc(s, func(h string) string {
			return strings.NewReplacer("二、", "一、", "三、", "二、", "四、", "三、", "五、", "四、", "六、", "五、").Replace(h)
		})
	}},
	{"pre-2019 wording of section 四", func(s string) string {
		return strings.Replace(s, "政府信息公开行政复议、行政诉讼情况", "因政府信息公开工作被申请行政复议、提起行政诉讼情况", 1)
	}},
	{"short wordings", func(s string) string {
		s = strings.Replace(s, "二、主动公开政府信息情况", "二、主动公开情况", 1)
		return strings.Replace(s, "三、收到和处理政府信息公开申请情况", "三、依申请公开情况", 1)
	}},
	{"headings glued to the next line", func(s string) string {
		return headingLine.ReplaceAllStringFunc(s, func(h string) string { return strings.TrimRight(h, " \t") + "GLUE" })
	}},
	{"no headings for the tables", func(s string) string {
		return headingLine.ReplaceAllStringFunc(s, func(h string) string {
			if strings.Contains(h, "二、") || strings.Contains(h, "三、") || strings.Contains(h, "四、") {
				return ""
			}
			return h
		})
	}},
}

// TestTablesWithoutCaptions: every table is found by its section heading, whatever its ordinal or
// wording, or by its own header words, in every text layout.
func TestTablesWithoutCaptions(t *testing.T) {
	reports := []synth.Report{synth.Seed()}
	for seed := uint64(1); seed <= 3; seed++ {
		reports = append(reports, synth.Random(rand.New(rand.NewPCG(seed, 21))))
	}
	for _, c := range captionless {
		for _, l := range synth.CleanLayouts() {
			if c.name == "headings glued to the next line" && l == synth.Aligned {
				// PDF text does not glue a heading to a table's row; one-line pages, which do,
				// are TestOneLinePage's.
				continue
			}
			for i, r := range reports {
				text := string(r.Render(l))
				edited := c.edit(text)
				if c.name != "as rendered" && edited == text {
					t.Fatalf("%s: the edit changed nothing in the %s layout", c.name, l)
				}
				// A glued heading runs straight into the line after it.
				edited = regexp.MustCompile(`GLUE\n+`).ReplaceAllString(edited, "")
				name := fmt.Sprintf("%s/%s/%d", c.name, l, i)
				t.Run(name, func(t *testing.T) {
					var rc recovery
					rc.check(t, name, []byte(edited), r)
					if rc.complete != 1 {
						t.Errorf("%s: %s", name, rc.String())
						for _, w := range rc.wrong {
							t.Error(w)
						}
					}
				})
			}
		}
	}
}
