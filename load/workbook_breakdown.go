package load

import (
	"fmt"
	"strings"

	"github.com/govreports/govreports/transform"
)

// The per-county breakdown under the tables of 全市汇总: one row per county-level division of the
// city (district, county, county-level city, development zone, and the bodies of the city whose
// county was not identified), exactly its rollup_county row; a row for the city's own level (市本级,
// transform.Batch.OwnLevel), counted by the same rule; and the city's total, the rollup_city row
// the tables above show.

// breakdownCol is one value column of the breakdown: a key measure, or the sum of several.
type breakdownCol struct {
	group, head string
	measures    []string
	amount      bool
}

var breakdownCols = []breakdownCol{
	{"表二", "规章 本年制发", []string{"t2_rules_issued"}, false},
	{"表二", "规范性文件 本年制发", []string{"t2_normative_documents_issued"}, false},
	{"表二", "行政许可 处理决定", []string{"t2_licensing_decisions"}, false},
	{"表二", "行政处罚 处理决定", []string{"t2_penalty_decisions"}, false},
	{"表二", "行政强制 处理决定", []string{"t2_coercion_decisions"}, false},
	{"表二", "行政事业性收费（万元）", []string{"t2_admin_fees_amount_wan_yuan"}, true},
	{"表三（总计列）", "本年新收申请", []string{t3Measure(transform.RowNewReceived, transform.ColTotal)}, false},
	{"表三（总计列）", "上年结转申请", []string{t3Measure(transform.RowCarriedOver, transform.ColTotal)}, false},
	{"表三（总计列）", "办理结果总计", []string{t3Measure(transform.RowTotalProcessed, transform.ColTotal)}, false},
	{"表三（总计列）", "结转下年度", []string{t3Measure(transform.RowCarriedForward, transform.ColTotal)}, false},
	{"表四（总计）", "行政复议", []string{transform.T4Flat(transform.NumT4/3 - 1)}, false},
	{"表四（总计）", "未经复议直接起诉", []string{transform.T4Flat(2*transform.NumT4/3 - 1)}, false},
	{"表四（总计）", "复议后起诉", []string{transform.T4Flat(transform.NumT4 - 1)}, false},
}

// Columns of the breakdown: the division's name over A–B, the number of reports in C, the values
// from D on, so that it fits the width of Table 4 (A–P).
const (
	bdName      = 1
	bdNameEnd   = 2
	bdReports   = 3
	bdFirstVal  = 4
	breakdownTo = bdFirstVal + 12 // P
)

// rollupValue is the value of a breakdown column in a rollup: nil when no report states it.
func (c *breakdownCol) rollupValue(g *transform.Rollup) any {
	if g == nil {
		return nil
	}
	if c.amount {
		return sumNumber(g.Sums[measureIndex[c.measures[0]]], true)
	}
	return measureSum(g, c.measures...)
}

// countyName names a rollup_county row of the city.
func countyName(g *transform.Rollup) string {
	if !g.County.Known() {
		return "未识别县区的单位"
	}
	return valid(g.County.Name)
}

// breakdown writes the per-county breakdown from row on and returns the next free row.
func (fs *formSheet) breakdown(row int) int {
	gr, st, g := fs.gr, fs.b.st, fs.g
	if len(g.counties) == 0 && g.own == nil {
		return row
	}
	gr.span(1, row, formLastCol, row, "分县（区）主要数字", st.heading())
	row++
	city := cityName(g.city)
	text := "每个县级区划（区、县、县级市、开发区）一行，为该区划自身的汇总：区划内的报告各计一次，已含在该区划汇总报告中的报告不再相加，" +
		"与 Parquet 表 rollup_county 的行相同。"
	for _, c := range g.counties {
		if !c.County.Known() {
			text += "县（区）未能识别的单位合为“未识别县区的单位”一行。"
			break
		}
	}
	if g.own != nil {
		text += "“" + city + "本级”为市政府及其部门的报告（不含全市汇总报告），按同一规则计入。"
	}
	gr.span(1, row, formLastCol, row, text, st.note())
	gr.wrapHeight(row, 1, formLastCol, text)
	row++

	head := st.formHead()
	gr.span(bdName, row, bdNameEnd, row+1, "县（区）", head)
	gr.span(bdReports, row, bdReports, row+1, "报告数", head)
	for k := 0; k < len(breakdownCols); {
		end := k
		for end+1 < len(breakdownCols) && breakdownCols[end+1].group == breakdownCols[k].group {
			end++
		}
		gr.span(bdFirstVal+k, row, bdFirstVal+end, row, breakdownCols[k].group, head)
		k = end + 1
	}
	for k, c := range breakdownCols {
		gr.span(bdFirstVal+k, row+1, bdFirstVal+k, row+1, c.head, head)
		gr.wrapHeight(row+1, bdFirstVal+k, bdFirstVal+k, c.head)
	}
	row += 2

	label := st.formLabel("left")
	type line struct {
		name string
		g    *transform.Rollup
	}
	var rows []line
	if g.own != nil {
		rows = append(rows, line{city + "本级", g.own})
	}
	for _, c := range g.counties {
		rows = append(rows, line{countyName(c), c})
	}
	sums := make([]int64, len(breakdownCols))
	seen := make([]bool, len(breakdownCols))
	write := func(name string, r *transform.Rollup, style int) {
		gr.span(bdName, row, bdNameEnd, row, name, style)
		// A name as wide as its columns still fits them: wrapHeight keeps a margin a label without
		// padding does not need.
		gr.height(row, rowHeight(lines(name, formSpanWidth(bdName, bdNameEnd)+2)))
		var n any
		if r != nil {
			n = int64(r.Reports)
		}
		fs.number(bdReports, row, n, kindCount)
		for k := range breakdownCols {
			fs.number(bdFirstVal+k, row, breakdownCols[k].rollupValue(r), kindOf(breakdownCols[k].amount))
		}
		row++
	}
	for _, l := range rows {
		write(l.name, l.g, label)
		for k := range breakdownCols {
			c := &breakdownCols[k]
			if c.amount {
				if s := l.g.Sums[measureIndex[c.measures[0]]]; s.Valid {
					sums[k] += s.N
					seen[k] = true
				}
			} else if v, ok := c.rollupValue(l.g).(int64); ok {
				sums[k] += v
				seen[k] = true
			}
		}
	}
	write("全市合计（同上表）", g.rollup, label)

	// Whether the rows add up to the total, said only as it holds.
	var differ []string
	for k := range breakdownCols {
		c := &breakdownCols[k]
		var total int64
		valid := false
		if g.rollup != nil {
			if c.amount {
				s := g.rollup.Sums[measureIndex[c.measures[0]]]
				total, valid = s.N, s.Valid
			} else if v, ok := c.rollupValue(g.rollup).(int64); ok {
				total, valid = v, true
			}
		}
		if valid != seen[k] || total != sums[k] {
			differ = append(differ, c.head)
		}
	}
	var note string
	switch {
	case len(differ) == 0:
		note = "上列各行之和等于全市合计。"
	case fs.stats.citySummary != "":
		note = fmt.Sprintf("全市合计取自%s的全市汇总报告，上列各行为各区划自身的汇总，以下各列二者不等：%s。"+
			"差额可能来自未报送或未读取的单位、汇总报告与下级报告的出入，见“%s”和“%s”。",
			fs.stats.citySummary, strings.Join(differ, "、"), sheetCoverage, sheetFindings)
	default:
		note = fmt.Sprintf("以下各列上列各行之和不等于全市合计：%s。", strings.Join(differ, "、"))
	}
	gr.span(1, row, formLastCol, row, note, st.note())
	gr.wrapHeight(row, 1, formLastCol, note)
	return row + 1
}

func kindOf(amount bool) valueKind {
	if amount {
		return kindAmount
	}
	return kindCount
}

// number writes a value of the breakdown and widens its column to fit.
func (fs *formSheet) number(col, row int, v any, kind valueKind) {
	fs.gr.num(col, row, v, fs.b.st.form(kind, markNone))
	if need := float64(len(numberText(v)) + 2); need > fs.need[col] {
		fs.need[col] = need
	}
}
