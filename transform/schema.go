package transform

// The canonical schema of report-format.md §2–§4, written down once. Every reader, rule and writer
// indexes values through these tables; the order of each table is part of the output contract.

// FormatVersion of a report's tables.
const (
	Gov2021 = "gov2021"
	Gov2019 = "gov2019"
	Unknown = "unknown"
)

// T2Field is one number of Table 2 (主动公开政府信息情况).
type T2Field struct {
	Block   string // art20_1, art20_5, art20_6, art20_8, art20_9
	Row     string // canonical row key
	Col     string // canonical column key
	RowCN   string // the row label as printed on the form
	ColCN   string // the column label as printed on the form
	Amount  bool   // a money amount in 万元 (decimal), not a count
	Signed  bool   // may be negative (gov2019 本年增/减)
	Version string // the format that has this field
}

// Flat is the field's flat name in the reports table: t2_<row>_<col>.
func (f T2Field) Flat() string { return "t2_" + f.Row + "_" + f.Col }

// Marks is the format that a value read into the field shows: none for the 处理决定数量 of 行政许可,
// 行政处罚 and 行政强制, which both formats print in the same field.
func (f T2Field) Marks() string {
	if f.Version == Gov2021 && f.Col == "decisions" {
		return ""
	}
	return f.Version
}

// UnitOpen says the form fixes no unit for the amount: the 2019 采购总金额 is printed in 元 or 万元
// as the writer chose (report-format.md §1.2, §2.1).
func (f T2Field) UnitOpen() bool { return f.Amount && f.Version == Gov2019 }

// Path is the field's cell path in findings and provenance: table2.<row>.<col>.
func (f T2Field) Path() string { return "table2." + f.Row + "." + f.Col }

// t2Paths caches T2[i].Path(), which hot loops need.
var t2Paths = func() (p [len(T2)]string) {
	for i := range T2 {
		p[i] = T2[i].Path()
	}
	return p
}()

// Label is the Chinese label of the field: row and column as printed.
func (f T2Field) Label() string { return "表二 " + f.RowCN + " " + f.ColCN }

// T2 lists every Table 2 field: first the ten of the 2021 format, then the legacy 2019 ones. The
// 2019 column 处理决定数量 is the same measure as 2021 本年处理决定数量 and shares its field.
var T2 = [...]T2Field{
	{"art20_1", "rules", "issued", "规章", "本年制发件数", false, false, Gov2021},
	{"art20_1", "rules", "repealed", "规章", "本年废止件数", false, false, Gov2021},
	{"art20_1", "rules", "in_force", "规章", "现行有效件数", false, false, Gov2021},
	{"art20_1", "normative_documents", "issued", "行政规范性文件", "本年制发件数", false, false, Gov2021},
	{"art20_1", "normative_documents", "repealed", "行政规范性文件", "本年废止件数", false, false, Gov2021},
	{"art20_1", "normative_documents", "in_force", "行政规范性文件", "现行有效件数", false, false, Gov2021},
	{"art20_5", "licensing", "decisions", "行政许可", "本年处理决定数量", false, false, Gov2021},
	{"art20_6", "penalty", "decisions", "行政处罚", "本年处理决定数量", false, false, Gov2021},
	{"art20_6", "coercion", "decisions", "行政强制", "本年处理决定数量", false, false, Gov2021},
	{"art20_8", "admin_fees", "amount_wan_yuan", "行政事业性收费", "本年收费金额（单位：万元）", true, false, Gov2021},

	{"art20_1", "rules", "newly_made", "规章", "本年新制作数量", false, false, Gov2019},
	{"art20_1", "rules", "newly_published", "规章", "本年新公开数量", false, false, Gov2019},
	{"art20_1", "rules", "published_total", "规章", "对外公开总数量", false, false, Gov2019},
	{"art20_1", "normative_documents", "newly_made", "规范性文件", "本年新制作数量", false, false, Gov2019},
	{"art20_1", "normative_documents", "newly_published", "规范性文件", "本年新公开数量", false, false, Gov2019},
	{"art20_1", "normative_documents", "published_total", "规范性文件", "对外公开总数量", false, false, Gov2019},
	{"art20_5", "licensing", "prior_year_items", "行政许可", "上一年项目数量", false, false, Gov2019},
	{"art20_5", "licensing", "change", "行政许可", "本年增/减", false, true, Gov2019},
	{"art20_5", "other_external_services", "prior_year_items", "其他对外管理服务事项", "上一年项目数量", false, false, Gov2019},
	{"art20_5", "other_external_services", "change", "其他对外管理服务事项", "本年增/减", false, true, Gov2019},
	{"art20_5", "other_external_services", "decisions", "其他对外管理服务事项", "处理决定数量", false, false, Gov2019},
	{"art20_6", "penalty", "prior_year_items", "行政处罚", "上一年项目数量", false, false, Gov2019},
	{"art20_6", "penalty", "change", "行政处罚", "本年增/减", false, true, Gov2019},
	{"art20_6", "coercion", "prior_year_items", "行政强制", "上一年项目数量", false, false, Gov2019},
	{"art20_6", "coercion", "change", "行政强制", "本年增/减", false, true, Gov2019},
	{"art20_8", "admin_fees", "prior_year_items", "行政事业性收费", "上一年项目数量", false, false, Gov2019},
	{"art20_8", "admin_fees", "change", "行政事业性收费", "本年增/减", false, true, Gov2019},
	{"art20_9", "central_procurement", "projects", "政府集中采购", "采购项目数量", false, false, Gov2019},
	{"art20_9", "central_procurement", "amount_wan_yuan", "政府集中采购", "采购总金额", true, false, Gov2019},
}

// NumT2Current is the number of 2021 Table 2 fields; they come first in T2.
const NumT2Current = 10

// Table 2 indexes used by rules and writers.
const (
	T2RulesIssued = iota
	T2RulesRepealed
	T2RulesInForce
	T2NormIssued
	T2NormRepealed
	T2NormInForce
	T2Licensing
	T2Penalty
	T2Coercion
	T2AdminFees
)

// T3Col is one applicant column of Table 3.
type T3Col struct {
	Key     string
	CN      string // label as printed
	ShortCN string // for messages: "自然人列"
}

// T3Cols are the seven columns, in printed order; the last is 总计.
var T3Cols = [...]T3Col{
	{"natural_person", "自然人", "自然人"},
	{"commercial_enterprise", "商业企业", "商业企业"},
	{"research_institution", "科研机构", "科研机构"},
	{"social_welfare_org", "社会公益组织", "社会公益组织"},
	{"legal_service_org", "法律服务机构", "法律服务机构"},
	{"other_org", "其他", "其他组织"},
	{"total", "总计", "总计"},
}

// NumT3Cols is len(T3Cols); ColTotal is the index of 总计.
const (
	NumT3Cols = 7
	ColTotal  = 6
)

// T3Row is one data row of Table 3.
type T3Row struct {
	Key     string
	CN      string // label as printed on the 2021 form (without group)
	Ordinal string // the row's ordinal path for messages: "一", "三(一)", "三(三)1"
	Group   string // "", "withheld", "unavailable", "rejected", "other"
	// Derived rows are computed from other rows in gov2021; in gov2019 OtherTotal is read.
	Derived bool
}

// T3Rows are the 25 data rows of the 2021 format in printed order, then other_total, which gov2019
// prints as one row (（六）其他处理) and gov2021 splits into three.
var T3Rows = [...]T3Row{
	{"new_received", "一、本年新收政府信息公开申请数量", "一", "", false},
	{"carried_over", "二、上年结转政府信息公开申请数量", "二", "", false},
	{"granted", "（一）予以公开", "三(一)", "", false},
	{"partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "三(二)", "", false},
	{"withheld_state_secret", "1.属于国家秘密", "三(三)1", "withheld", false},
	{"withheld_law_prohibited", "2.其他法律行政法规禁止公开", "三(三)2", "withheld", false},
	{"withheld_security_stability", "3.危及“三安全一稳定”", "三(三)3", "withheld", false},
	{"withheld_third_party", "4.保护第三方合法权益", "三(三)4", "withheld", false},
	{"withheld_internal_affairs", "5.属于三类内部事务信息", "三(三)5", "withheld", false},
	{"withheld_process_info", "6.属于四类过程性信息", "三(三)6", "withheld", false},
	{"withheld_enforcement_file", "7.属于行政执法案卷", "三(三)7", "withheld", false},
	{"withheld_query_matter", "8.属于行政查询事项", "三(三)8", "withheld", false},
	{"unavailable_not_held", "1.本机关不掌握相关政府信息", "三(四)1", "unavailable", false},
	{"unavailable_needs_creation", "2.没有现成信息需要另行制作", "三(四)2", "unavailable", false},
	{"unavailable_still_unclear", "3.补正后申请内容仍不明确", "三(四)3", "unavailable", false},
	{"rejected_petition", "1.信访举报投诉类申请", "三(五)1", "rejected", false},
	{"rejected_duplicate", "2.重复申请", "三(五)2", "rejected", false},
	{"rejected_publication", "3.要求提供公开出版物", "三(五)3", "rejected", false},
	{"rejected_excessive", "4.无正当理由大量反复申请", "三(五)4", "rejected", false},
	{"rejected_reconfirmation", "5.要求行政机关确认或重新出具已获取信息", "三(五)5", "rejected", false},
	{"other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "三(六)1", "other", false},
	{"other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "三(六)2", "other", false},
	{"other_other", "3.其他", "三(六)3", "other", false},
	{"total_processed", "（七）总计", "三(七)", "", false},
	{"carried_forward", "四、结转下年度继续办理", "四", "", false},
	{"other_total", "（六）其他处理", "三(六)", "", true},
}

// Table 3 row indexes used by rules and writers.
const (
	RowNewReceived = iota
	RowCarriedOver
	RowGranted
	RowPartiallyGranted
	RowWithheldFirst // withheld_state_secret; the eight withheld rows follow in order
)

const (
	RowWithheldLast      = RowWithheldFirst + 7
	RowUnavailableFirst  = RowWithheldLast + 1
	RowUnavailableLast   = RowUnavailableFirst + 2
	RowRejectedFirst     = RowUnavailableLast + 1
	RowRejectedLast      = RowRejectedFirst + 4
	RowOtherNoCorrection = RowRejectedLast + 1
	RowOtherFeeUnpaid    = RowOtherNoCorrection + 1
	RowOtherOther        = RowOtherFeeUnpaid + 1
	RowTotalProcessed    = RowOtherOther + 1
	RowCarriedForward    = RowTotalProcessed + 1
	RowOtherTotal        = RowCarriedForward + 1
	// NumT3Rows counts the 25 printed rows and other_total.
	NumT3Rows = RowOtherTotal + 1
	// NumT3Printed is the number of data rows of the 2021 form.
	NumT3Printed = 25
)

// T3Path is the cell path of a Table 3 value: table3.<row>.<col>.
func T3Path(row, col int) string { return t3Paths[row][col] }

var t3Paths = func() (p [NumT3Rows][NumT3Cols]string) {
	for r := range p {
		for c := range p[r] {
			p[r][c] = "table3." + T3Rows[r].Key + "." + T3Cols[c].Key
		}
	}
	return p
}()

// T4Block is one block of five numbers in Table 4.
type T4Block struct{ Key, CN string }

// T4Blocks in printed order.
var T4Blocks = []T4Block{
	{"review", "行政复议"},
	{"litigation_direct", "行政诉讼·未经复议直接起诉"},
	{"litigation_after_review", "行政诉讼·复议后起诉"},
}

// T4Outcome is one column within a Table 4 block.
type T4Outcome struct{ Key, CN string }

// T4Outcomes in printed order; the last is 总计.
var T4Outcomes = []T4Outcome{
	{"upheld", "结果维持"},
	{"corrected", "结果纠正"},
	{"other", "其他结果"},
	{"pending", "尚未审结"},
	{"total", "总计"},
}

// NumT4 is the number of Table 4 values.
const NumT4 = 15

// T4Path is the cell path of Table 4 value i: table4.<block>.<outcome>.
func T4Path(i int) string { return t4Paths[i] }

var t4Paths = func() (p [NumT4]string) {
	for i := range p {
		p[i] = "table4." + T4Blocks[i/5].Key + "." + T4Outcomes[i%5].Key
	}
	return p
}()

// T4Flat is the flat field name of Table 4 value i: t4_<block>_<outcome>.
func T4Flat(i int) string { return "t4_" + T4Blocks[i/5].Key + "_" + T4Outcomes[i%5].Key }

// T4Label is the Chinese label of Table 4 value i.
func T4Label(i int) string { return "表四 " + T4Blocks[i/5].CN + " " + T4Outcomes[i%5].CN }

// NumT2 is the number of Table 2 fields, current and legacy.
const NumT2 = len(T2)

// Compile-time checks that the index constants agree with the tables.
var (
	_ [len(T3Rows) - NumT3Rows]struct{}
	_ [NumT3Rows - len(T3Rows)]struct{}
	_ [len(T3Cols) - NumT3Cols]struct{}
	_ [NumT3Cols - len(T3Cols)]struct{}
)
