package transform

import "slices"

// The rule registry: every rule id a finding may carry, defined once. Code refers to these constants,
// never to a literal id; a test checks the registry against the rule tables of report-format.md §5 and
// that no other file spells an id.

// Rules of report-format.md §5.1–5.2: the identities of the form.
const (
	RuleT3Balance    = "T3.BALANCE"
	RuleT3Results    = "T3.RESULTS"
	RuleT3Applicants = "T3.APPLICANTS"
	RuleT4Sum        = "T4.SUM"
	RuleT2NonNeg     = "T2.NONNEG"
	RuleT3NonNeg     = "T3.NONNEG"
	RuleT4NonNeg     = "T4.NONNEG"
	RuleT2Int        = "T2.INT"
	RuleT3Int        = "T3.INT"
	RuleT4Int        = "T4.INT"
	RuleT3ForwardLE  = "T3.FORWARD_LE"
)

// Units of amounts and counts (report-format.md §2 notes, §7.9).
const (
	RuleT2Unit = "T2.UNIT"
	RuleT3Unit = "T3.UNIT"
	RuleT4Unit = "T4.UNIT"
	// A count written in Chinese numerals (一百二十) in a table cell: read, with a finding (§7.9).
	RuleT2Numeral = "T2.NUMERAL"
	RuleT3Numeral = "T3.NUMERAL"
	RuleT4Numeral = "T4.NUMERAL"
)

// Rules of §5.3 (across years) and §5.4 (across reports of one region), and the batch's own.
const (
	RuleXCarry         = "X.CARRY"
	RuleXInForce       = "X.IN_FORCE"
	RuleXFormat        = "X.FORMAT"
	RuleXYoY           = "X.YOY"
	RuleHSum           = "H.SUM"
	RuleHScope         = "H.SCOPE"
	RuleXDuplicateUnit = "X.DUPLICATE_UNIT"
	// A value too large to add to its rollup (the sum would leave int64): left out of the sums.
	RuleHOverflow = "H.OVERFLOW"
)

// Reading: digit runs (§7.7) and narrative figures (§5.5).
const (
	RuleXAmbiguousSplit = "X.AMBIGUOUS_SPLIT"
	RuleNReceived       = "N.RECEIVED"
	RuleNReview         = "N.REVIEW"
)

// Structure and completeness (§5.6) and what reading a report may find doubtful.
const (
	RuleSSections     = "S.SECTIONS"
	RuleSTablePresent = "S.TABLE_PRESENT"
	RuleSRowsComplete = "S.ROWS_COMPLETE"
	RuleSYear         = "S.YEAR"
	RuleSBlanks       = "S.BLANKS"
	RuleSSection6Fee  = "S.SECTION6_FEE"
	RuleSBody         = "S.BODY"
	RuleSSource       = "S.SOURCE"
	RuleSRowLabel     = "S.ROW_LABEL"
	RuleSRowOrder     = "S.ROW_ORDER"
	RuleSRowDuplicate = "S.ROW_DUPLICATE"
	RuleSRowValues    = "S.ROW_VALUES"
	RuleSRowPlacement = "S.ROW_PLACEMENT"
	RuleSFuzzyLabel   = "S.FUZZY_LABEL"
	RuleSMissingValue = "S.MISSING_VALUE"
	RuleSColumnLabel  = "S.COLUMN_LABEL"
	RuleSColumnOrder  = "S.COLUMN_ORDER"
	RuleSTextCell     = "S.TEXT_CELL"
	RuleSTotalRow     = "S.TOTAL_ROW" // a collection's 合计/小计 row: read as a total, and checked
	// A further full Table 3 or 4 after the report's own, with other numbers, that no report read.
	RuleSUnread = "S.UNREAD"
	// Where the body sits among the divisions (transform/region).
	RuleRegion          = "S.REGION"           // the body was not placed, or placed in a way worth a look
	RuleRegionLookalike = "S.REGION_LOOKALIKE" // the body's place name was read with look-alike characters corrected
)

// RuleInfo describes one rule.
type RuleInfo struct {
	ID string
	// Severity is the most severe a finding of the rule may be; some rules report a lesser severity
	// when the doubt is smaller (a resolved placement is info, an open one a warning).
	Severity Severity
	// Section of report-format.md whose rule table states the rule ("5.2"); "" for a rule of
	// govreports' own (N.RECEIVED and N.REVIEW carry out §5.5, which names no ids).
	Section string
	Title   string // in Chinese, as analysts read it
}

// Registry lists every rule, in the order of report-format.md, then govreports' own.
var Registry = []RuleInfo{
	{RuleT3Balance, SevError, "5.1", "表三收支平衡：本年新收+上年结转=办理结果总计+结转下年度"},
	{RuleT3Results, SevError, "5.2", "表三办理结果：总计等于各项办理结果之和"},
	{RuleT3Applicants, SevError, "5.2", "表三申请人：总计等于六类申请人之和"},
	{RuleT4Sum, SevError, "5.2", "表四：总计等于结果维持、结果纠正、其他结果、尚未审结之和"},
	{RuleT2NonNeg, SevError, "5.2", "表二数值不得为负"},
	{RuleT3NonNeg, SevError, "5.2", "表三数值不得为负"},
	{RuleT4NonNeg, SevError, "5.2", "表四数值不得为负"},
	{RuleT2Int, SevError, "5.2", "表二件数应为整数"},
	{RuleT3Int, SevError, "5.2", "表三件数应为整数"},
	{RuleT4Int, SevError, "5.2", "表四件数应为整数"},
	{RuleT3ForwardLE, SevError, "5.2", "表三结转下年度不超过本年新收与上年结转之和"},
	{RuleXCarry, SevWarning, "5.3", "上年结转等于上一年度报告的结转下年度"},
	{RuleXInForce, SevWarning, "5.3", "现行有效件数等于上年现行有效加本年制发减本年废止"},
	{RuleXFormat, SevWarning, "5.3", "2021年及以后的报告应使用2021年格式"},
	{RuleXYoY, SevWarning, "5.3", "主要指标与上年相比变化过大"},
	{RuleHSum, SevWarning, "5.4", "汇总报告等于直接下级报告之和"},
	{RuleHScope, SevWarning, "5.4", "报告范围：本机关或区域汇总"},
	{RuleNReceived, SevInfo, "", "正文所述收到申请数与表三不符"},
	{RuleNReview, SevInfo, "", "正文所述行政复议数与表四不符"},
	{RuleSSections, SevWarning, "5.6", "六个部分标题齐全、顺序和序号正确"},
	{RuleSTablePresent, SevError, "5.6", "表二、表三、表四均存在"},
	{RuleSRowsComplete, SevError, "5.6", "表格行和数值齐全"},
	{RuleSYear, SevWarning, "5.6", "标题年度与统计期限一致"},
	{RuleSBlanks, SevWarning, "5.6", "表格中的空白、“/”、“—”（应填0）"},
	{RuleSSection6Fee, SevWarning, "5.6", "第六部分说明信息处理费收取情况"},
	{RuleXAmbiguousSplit, SevError, "7.7", "连在一起的数字有多种拆分方式"},
	{RuleT2Numeral, SevWarning, "", "表二以汉字数字填写"},
	{RuleT3Numeral, SevWarning, "", "表三以汉字数字填写"},
	{RuleT4Numeral, SevWarning, "", "表四以汉字数字填写"},
	{RuleT2Unit, SevWarning, "", "表二金额单位（应为万元）"},
	{RuleT3Unit, SevWarning, "", "表三件数栏填有单位"},
	{RuleT4Unit, SevWarning, "", "表四件数栏填有单位"},
	{RuleXDuplicateUnit, SevWarning, "", "同一单位同一年度有多份报告"},
	{RuleHOverflow, SevError, "", "数值过大，无法计入汇总"},
	{RuleSBody, SevWarning, "", "未能识别报告单位"},
	{RuleSSource, SevWarning, "", "读取文件时的提示"},
	{RuleSRowLabel, SevWarning, "", "表格行名称无法识别"},
	{RuleSRowOrder, SevWarning, "", "表格行顺序异常"},
	{RuleSRowDuplicate, SevError, "", "表格行重复"},
	{RuleSRowValues, SevError, "", "表格行数值个数不符"},
	{RuleSRowPlacement, SevWarning, "", "无名称的行按顺序定位"},
	{RuleSFuzzyLabel, SevInfo, "", "行名称近似匹配"},
	{RuleSMissingValue, SevWarning, "", "空白单元格按勾稽关系应有数值"},
	{RuleSColumnLabel, SevWarning, "", "汇总表列名无法识别"},
	{RuleSColumnOrder, SevWarning, "", "表头列顺序与格式不同"},
	{RuleSTextCell, SevWarning, "", "数值单元格中有文字"},
	{RuleSTotalRow, SevWarning, "", "汇总表的合计、小计行与各单位之和不符"},
	{RuleSUnread, SevWarning, "", "报告之后另有未读取的统计表（可能是标题缺失的另一份报告）"},
	{RuleRegion, SevWarning, "", "报告单位所属行政区划未识别或需核实"},
	{RuleRegionLookalike, SevWarning, "", "单位名称中的地名有形近字，已按区划名称识别"},
}

// LookupRule returns the registry entry of a rule id.
func LookupRule(id string) (RuleInfo, bool) {
	i := slices.IndexFunc(Registry, func(r RuleInfo) bool { return r.ID == id })
	if i < 0 {
		return RuleInfo{}, false
	}
	return Registry[i], true
}

// severityRank orders severities: info < warning < error.
func severityRank(s Severity) int {
	switch s {
	case SevError:
		return 3
	case SevWarning:
		return 2
	case SevInfo:
		return 1
	}
	return 0
}
