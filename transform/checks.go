package transform

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// check runs every single-report rule of report-format.md §5.1, §5.2, §5.5 and §5.6 on a report
// whose values are read. Findings are appended in a fixed order, so output is deterministic.
func check(r *Report) {
	r.checkComplete()
	r.checkNonNeg()
	r.checkIdentities()
	r.checkBlanks()
}

// checkComplete is S.TABLE_PRESENT and S.ROWS_COMPLETE.
func (r *Report) checkComplete() {
	names := map[string]string{"table2": "表二（主动公开政府信息情况）", "table3": "表三（收到和处理政府信息公开申请情况）", "table4": "表四（政府信息公开行政复议、行政诉讼情况）"}
	for _, t := range []string{"table2", "table3", "table4"} {
		if tr := r.Reads[t]; tr == nil || !tr.Found {
			r.add(Finding{Rule: RuleSTablePresent, Severity: SevError, Status: "fail", Message: "未找到" + names[t]})
		}
	}
	// Table 2: the fields of the report's format.
	var missing []string
	var paths []string
	t2v := r.t2Format()
	for i := range T2 {
		want := T2[i].Version == Gov2021
		if t2v == Gov2019 {
			want = T2[i].Version == Gov2019 || T2[i].Col == "decisions" && T2[i].Row != "other_external_services"
		}
		if want && r.T2[i].Kind == Absent && r.Reads["table2"] != nil && r.Reads["table2"].Found {
			missing = append(missing, T2[i].RowCN+T2[i].ColCN)
			paths = append(paths, T2[i].Path())
		}
	}
	if len(missing) > 0 {
		r.add(Finding{Rule: RuleSRowsComplete, Severity: SevError, Status: "fail", Cells: paths,
			Message: fmt.Sprintf("表二 缺少%d个数值：%s", len(missing), strings.Join(missing, "、"))})
	}
	missing, paths = nil, nil
	if tr := r.Reads["table3"]; tr != nil && tr.Found {
		for row := 0; row < NumT3Rows; row++ {
			if !r.rowExpected(row) {
				continue
			}
			if r.T3[row][0].Kind == Absent {
				missing = append(missing, T3Rows[row].Ordinal+" "+T3Rows[row].CN)
				paths = append(paths, rowPaths(row)...)
			}
		}
		if len(missing) > 0 {
			r.add(Finding{Rule: RuleSRowsComplete, Severity: SevError, Status: "fail", Cells: paths,
				Message: fmt.Sprintf("表三 缺少%d行：%s", len(missing), strings.Join(missing, "；"))})
		}
	}
	if tr := r.Reads["table4"]; tr != nil && tr.Found && r.T4[0].Kind == Absent {
		paths = paths[:0]
		for i := 0; i < NumT4; i++ {
			paths = append(paths, T4Path(i))
		}
		r.add(Finding{Rule: RuleSRowsComplete, Severity: SevError, Status: "fail", Cells: paths,
			Message: "表四 未读到15个数值"})
	}
}

// t2Format is the format Table 2 is printed in, from the fields located: a report may print one
// format's Table 2 beside the other's Table 3 (X.FORMAT tells of that), and the values Table 2
// misses are those of its own format. The report's format when Table 2 shows both or neither.
func (r *Report) t2Format() string {
	var saw2021, saw2019 bool
	for i := range T2 {
		if r.T2[i].Kind == Absent {
			continue
		}
		switch T2[i].Marks() {
		case Gov2021:
			saw2021 = true
		case Gov2019:
			saw2019 = true
		}
	}
	switch {
	case saw2021 && !saw2019:
		return Gov2021
	case saw2019 && !saw2021:
		return Gov2019
	}
	return r.FormatVersion
}

// rowExpected says whether the report's format prints a Table 3 row.
func (r *Report) rowExpected(row int) bool {
	switch {
	case row == RowOtherTotal:
		return r.FormatVersion == Gov2019
	case row >= RowOtherNoCorrection && row <= RowOtherOther:
		return r.FormatVersion != Gov2019
	}
	return true
}

// checkNonNeg is T2/T3/T4.NONNEG: counts and amounts are never negative (gov2019 本年增/减 aside).
func (r *Report) checkNonNeg() {
	for i := range T2 {
		if v := r.T2[i]; v.Known() && v.N < 0 && !T2[i].Signed {
			r.add(Finding{Rule: RuleT2NonNeg, Severity: SevError, Status: "fail", Cells: []string{T2[i].Path()}, Place: v.Pos.String(),
				Message: fmt.Sprintf("%s 为负数（%s）", T2[i].Label(), v.Raw)})
		}
	}
	for row := 0; row < NumT3Rows; row++ {
		for c := 0; c < NumT3Cols; c++ {
			if v := r.T3[row][c]; v.Known() && v.N < 0 {
				r.add(Finding{Rule: RuleT3NonNeg, Severity: SevError, Status: "fail", Cells: []string{T3Path(row, c)}, Place: v.Pos.String(),
					Message: fmt.Sprintf("%s 为负数（%s）", t3CellLabel(row, c), v.Raw)})
			}
		}
	}
	for i := 0; i < NumT4; i++ {
		if v := r.T4[i]; v.Known() && v.N < 0 {
			r.add(Finding{Rule: RuleT4NonNeg, Severity: SevError, Status: "fail", Cells: []string{T4Path(i)}, Place: v.Pos.String(),
				Message: fmt.Sprintf("%s 为负数（%s）", T4Label(i), v.Raw)})
		}
	}
}

// checkBlanks is S.BLANKS (blank, "/", "—" where the format expects an explicit 0) and one finding
// per cell holding text instead of a number.
func (r *Report) checkBlanks() {
	var blanks []string
	var first string
	r.eachCell(func(id int, v *Value) {
		switch {
		case v.Kind.Blank():
			blanks = append(blanks, cellPath(id))
			if first == "" {
				first = v.Pos.String()
			}
		case v.Kind == Text && v.Raw != "" && !strings.HasPrefix(v.Raw, "("):
			r.add(Finding{Rule: RuleSTextCell, Severity: SevWarning, Status: "not_assessable", Cells: []string{cellPath(id)}, Place: v.Pos.String(),
				Message: fmt.Sprintf("%s 为文字“%s”，不是数字，按空值处理", r.cellName(id), clip(v.Raw))})
		}
	})
	if len(blanks) > 0 {
		r.add(Finding{Rule: RuleSBlanks, Severity: SevWarning, Status: "fail", Cells: blanks, Place: first,
			Message: fmt.Sprintf("有%d个单元格为空白或“/”“—”等，格式要求填写0；这些单元格按空值输出，核对勾稽关系时按0计", len(blanks))})
	}
}

// checkStructure is S.SECTIONS, S.YEAR, S.SECTION6_FEE and X.FORMAT; it needs the document's lines.
func (r *Report) checkStructure(lines []line, hs []heading, id identity, versions [2]string) {
	// S.SECTIONS: six headings, in order, with the right ordinals.
	seen := map[int]heading{}
	order := []int{}
	for _, h := range hs {
		if _, dup := seen[h.sec]; !dup {
			seen[h.sec] = h
			order = append(order, h.sec)
		}
	}
	var missing []string
	for _, sec := range sections {
		if _, ok := seen[sec.num]; !ok {
			missing = append(missing, sec.ordinal+"、"+sec.title)
		}
	}
	if len(missing) > 0 {
		r.add(Finding{Rule: RuleSSections, Severity: SevWarning, Status: "fail",
			Message: fmt.Sprintf("缺少%d个部分标题：%s", len(missing), strings.Join(missing, "；"))})
	}
	for i := 1; i < len(order); i++ {
		if order[i] < order[i-1] {
			r.add(Finding{Rule: RuleSSections, Severity: SevWarning, Status: "fail", Place: lineplace(lines, seen[order[i]].line),
				Message: fmt.Sprintf("部分标题顺序不符：“%s”出现在“%s”之后", seen[order[i]].text, seen[order[i-1]].text)})
			break
		}
	}
	for _, sec := range sections {
		h, ok := seen[sec.num]
		if !ok {
			continue
		}
		if ord := leadingOrdinal(h.text); ord != "" && ord != sec.ordinal {
			r.add(Finding{Rule: RuleSSections, Severity: SevWarning, Status: "fail", Place: lineplace(lines, h.line),
				Message: fmt.Sprintf("部分标题序号有误：“%s”应为“%s、”", h.text, sec.ordinal)})
		}
	}
	// S.YEAR.
	switch {
	case id.titleYear == 0 && id.periodYear == 0:
		r.add(Finding{Rule: RuleSYear, Severity: SevWarning, Status: "not_assessable", Message: "标题和统计期限中均未找到报告年度"})
	case id.titleYear != 0 && id.periodYear != 0 && id.titleYear != id.periodYear:
		r.add(Finding{Rule: RuleSYear, Severity: SevWarning, Status: "fail", Place: id.titlePos,
			Message: fmt.Sprintf("标题年度为%d年，统计期限为%d年", id.titleYear, id.periodYear)})
	}
	// S.SECTION6_FEE (2021 format): section 六 states whether 信息处理费 was collected.
	if r.FormatVersion == Gov2021 {
		if h, ok := seen[6]; ok {
			found := false
			for i := h.line; i < len(lines) && !found; i++ {
				// "信息处理费" by name, or a statement on fees ("未收费") in the section.
				found = strings.Contains(lines[i].norm, "处理费") || strings.Contains(lines[i].norm, "收费")
			}
			if !found {
				r.add(Finding{Rule: RuleSSection6Fee, Severity: SevWarning, Status: "fail", Place: lineplace(lines, h.line),
					Message: "第六部分未说明信息处理费的收取情况"})
			}
		}
	}
	// X.FORMAT: the format of each table, from its labels, against the year.
	t2v, t3v := versions[0], versions[1]
	if t2v == "mixed" || t3v == "mixed" || t2v != "" && t3v != "" && t2v != t3v {
		r.add(Finding{Rule: RuleXFormat, Severity: SevWarning, Status: "fail",
			Message: fmt.Sprintf("表格格式不一致：表二为%s，表三为%s", versionCN(t2v), versionCN(t3v))})
	}
	if r.Year >= 2021 && (t2v == Gov2019 || t3v == Gov2019) {
		r.add(Finding{Rule: RuleXFormat, Severity: SevWarning, Status: "fail",
			Message: fmt.Sprintf("%d年度报告仍使用2019年试行格式的表格（应使用国办公开办函〔2021〕30号格式）", r.Year)})
	}
}

func versionCN(v string) string {
	switch v {
	case Gov2021:
		return "2021年格式"
	case Gov2019:
		return "2019年试行格式"
	case "mixed":
		return "两种格式混用"
	}
	return "未识别"
}

func lineplace(lines []line, i int) string {
	if i < len(lines) && len(lines[i].cells) > 0 {
		return lines[i].cells[0].Pos.String()
	}
	return ""
}

// leadingOrdinal returns the Chinese numeral a heading starts with ("三" of "三、收到…"), if any.
func leadingOrdinal(s string) string {
	s = strings.TrimLeft(s, "#*")
	var b strings.Builder
	for _, r := range s {
		if !isChineseNumeral(r) {
			break
		}
		b.WriteRune(r)
	}
	if b.Len() == 0 || !strings.HasPrefix(s[b.Len():], "、") && !strings.HasPrefix(s[b.Len():], ".") {
		return ""
	}
	return b.String()
}

var (
	// 共受理/收到/办理…申请57件
	narrativeReceived = regexp.MustCompile(`(?:共|累计|全年)(?:新)?(?:受理|收到|接收|办理)[^。；，,]{0,20}?申请(?:共计|共|合计)?(\d+)件`)
	// 行政复议案件1件 / 被申请行政复议1起
	narrativeReview = regexp.MustCompile(`行政复议[^。；，,\d]{0,10}?(\d+)(?:件|起|宗)`)
)

// checkNarrative compares figures quoted in section 一 with the tables (§5.5). Wording is loose, so
// these are informational only.
func (r *Report) checkNarrative(lines []line, hs []heading) {
	start, end := 0, len(lines)
	for _, h := range hs {
		if h.sec == 1 && start == 0 {
			start = h.line
		} else if h.sec >= 2 && h.line > start {
			end = h.line
			break
		}
	}
	for i := start; i < end; i++ {
		ln := &lines[i]
		if !ln.para {
			continue
		}
		if !strings.Contains(ln.norm, "件") {
			continue
		}
		if m := findInSentence(narrativeReceived, ln.norm, "申请"); m != nil {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			nr, co := r.T3[RowNewReceived][ColTotal], r.T3[RowCarriedOver][ColTotal]
			if nr.Known() && n != nr.N && !(co.Known() && n == nr.N+co.N) {
				r.add(Finding{Rule: RuleNReceived, Severity: SevInfo, Status: "uncertain", Place: ln.cells[0].Pos.String(),
					Cells:   []string{T3Path(RowNewReceived, ColTotal), T3Path(RowCarriedOver, ColTotal)},
					Message: fmt.Sprintf("正文称收到申请%d件，表三本年新收%d件、上年结转%d件（仅供参考）", n, nr.N, co.N)})
			}
		}
		if m := findInSentence(narrativeReview, ln.norm, "行政复议"); m != nil {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			if v := r.T4[4]; v.Known() && n != v.N {
				r.add(Finding{Rule: RuleNReview, Severity: SevInfo, Status: "uncertain", Place: ln.cells[0].Pos.String(),
					Cells:   []string{T4Path(4)},
					Message: fmt.Sprintf("正文称行政复议%d件，表四行政复议总计%d件（仅供参考）", n, v.N)})
			}
		}
	}
}

// findInSentence runs re on the sentences of s (split at 。；) that contain word: narrative
// paragraphs are long, and a regular expression with gaps is slow over all of one.
func findInSentence(re *regexp.Regexp, s, word string) []string {
	return findNearWord(re, s, word, -1)
}

// findNearWord is findInSentence for an expression whose matches begin at most lead bytes before
// the word they hold (lead < 0: anywhere in the sentence). The word's first place in the sentence
// comes before any other, so every match of the sentence begins at most lead bytes before it:
// the expression runs from there, not from the start of a long sentence. Its match must not
// depend on what comes before it (no anchor, no \b) and begin with an ASCII character, so that
// a character cut in two before it cannot take part.
func findNearWord(re *regexp.Regexp, s, word string, lead int) []string {
	for s != "" {
		i := strings.Index(s, word)
		if i < 0 {
			return nil
		}
		start := max(strings.LastIndex(s[:i], "。"), strings.LastIndex(s[:i], "；"))
		if start < 0 {
			start = 0
		}
		end := len(s)
		if j := strings.IndexAny(s[i:], "。；"); j >= 0 {
			end = i + j
		}
		if lead >= 0 && i-lead > start {
			start = i - lead
		}
		if m := re.FindStringSubmatch(s[start:end]); m != nil {
			return m
		}
		s = s[end:]
		if s != "" {
			_, w := utf8.DecodeRuneInString(s)
			s = s[w:]
		}
	}
	return nil
}
