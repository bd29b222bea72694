package transform

import (
	"strings"
	"unicode/utf8"
	"unsafe"
)

// normLabel folds a label for matching: full-width forms to ASCII, all white space and quotes
// removed, 、／．after an ordinal unified to ".". Labels are matched on what survives any layout.
func normLabel(s string) string {
	if normClean(s) {
		return s // most labels: ideographs and digits, nothing to drop or fold
	}
	b := appendNorm(make([]byte, 0, len(s)), s)
	return unsafe.String(unsafe.SliceData(b), len(b)) // b is not written again
}

// normClean reports a text that appendNorm copies as it is: ASCII it keeps and CJK ideographs.
func normClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			switch c {
			case ' ', '\t', '\n', '\r', '\v', '\f', '"', '\'':
				return false
			}
			i++
		case c >= 0xE4 && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			i += 3
		default:
			return false
		}
	}
	return true
}

// appendNorm appends the normLabel form of s to b.
func appendNorm(b []byte, s string) []byte {
	// s[keep:i] is kept as it is and not appended yet: runs of plain text are copied at once.
	keep := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case ' ', '\t', '\n', '\r', '\v', '\f', '"', '\'':
				b = append(b, s[keep:i]...)
				keep = i + 1
			}
			i++
			continue
		}
		// The CJK ideographs U+4000–U+9FFF (lead bytes E4–E9), most of a report's text, are kept
		// as they are: copied without decoding.
		if c >= 0xE4 && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			i += 3
			continue
		}
		b = append(b, s[keep:i]...)
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		keep = i
		b = appendNormRune(b, r)
	}
	return append(b, s[keep:]...)
}

// appendNormRune appends the normLabel form of one rune: white space, zero-width characters and
// quotes are dropped, full-width ASCII forms and CJK brackets become ASCII.
func appendNormRune(b []byte, r rune) []byte {
	switch {
	case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == '"' || r == '\'':
	case r >= 0xFF01 && r <= 0xFF5E:
		b = append(b, byte(r-0xFF01+0x21)) // full-width ASCII forms
	case r == 0x3000 || r == 0x00A0 || r == 0x0085 || r >= 0x2000 && r <= 0x200D || r == 0x2028 || r == 0x2029 ||
		r == 0x202F || r == 0x205F || r == 0x2060 || r == 0xFEFF:
		// white space and zero-width characters
	case r == '“' || r == '”' || r == '‘' || r == '’' || r == '「' || r == '」' || r == '『' || r == '』':
	case r == '【':
		b = append(b, '[')
	case r == '】':
		b = append(b, ']')
	case r == '〔':
		b = append(b, '(')
	case r == '〕':
		b = append(b, ')')
	default:
		b = utf8.AppendRune(b, r)
	}
	return b
}

// fragment is a distinctive piece of a row label (report-format.md §3.2 "suggested fragments").
type fragment struct {
	text string
	row  int
}

// t3Fragments lists, per Table 3 row, pieces of its label that no other row's label contains.
// Short enough to survive a label wrapped over two lines, long enough to be unambiguous.
var t3Fragments = []fragment{
	{"本年新收", RowNewReceived}, {"新收政府信息", RowNewReceived},
	{"上年结转", RowCarriedOver}, {"上一年结转", RowCarriedOver}, {"上年度结转", RowCarriedOver},
	{"予以公开", RowGranted},
	{"部分公开", RowPartiallyGranted},
	{"国家秘密", RowWithheldFirst},
	{"其他法律", RowWithheldFirst + 1}, {"法律行政法规", RowWithheldFirst + 1}, {"法规禁止", RowWithheldFirst + 1},
	{"三安全", RowWithheldFirst + 2}, {"一稳定", RowWithheldFirst + 2}, {"危及", RowWithheldFirst + 2},
	{"第三方", RowWithheldFirst + 3},
	{"内部事务", RowWithheldFirst + 4},
	{"过程性", RowWithheldFirst + 5},
	{"执法案卷", RowWithheldFirst + 6},
	{"行政查询", RowWithheldFirst + 7}, {"查询事项", RowWithheldFirst + 7},
	{"不掌握", RowUnavailableFirst},
	{"另行制作", RowUnavailableFirst + 1}, {"没有现成", RowUnavailableFirst + 1},
	{"补正后", RowUnavailableFirst + 2}, {"仍不明确", RowUnavailableFirst + 2},
	{"信访", RowRejectedFirst}, {"举报投诉", RowRejectedFirst},
	{"重复申请", RowRejectedFirst + 1},
	{"出版物", RowRejectedFirst + 2},
	{"大量反复", RowRejectedFirst + 3}, {"大量重复", RowRejectedFirst + 3},
	{"确认或重新", RowRejectedFirst + 4}, {"重新出具", RowRejectedFirst + 4},
	{"逾期不补正", RowOtherNoCorrection}, {"不补正", RowOtherNoCorrection},
	{"收费通知", RowOtherFeeUnpaid}, {"缴纳费用", RowOtherFeeUnpaid}, {"未按收费", RowOtherFeeUnpaid},
	{"(七)", RowTotalProcessed},
	{"结转下年度", RowCarriedForward}, {"结转下一年度", RowCarriedForward}, {"转下年度", RowCarriedForward}, {"继续办理", RowCarriedForward},
	{"其他处理", RowOtherTotal},
}

// t3FragmentsByRune indexes t3Fragments by their first rune, so that a label is scanned once
// rather than once per fragment.
var t3FragmentsByRune = func() map[rune][]fragment {
	m := map[rune][]fragment{}
	for _, f := range t3Fragments {
		r, _ := utf8.DecodeRuneInString(f.text)
		m[r] = append(m[r], f)
	}
	return m
}()

// t3FragmentStarts is the set of t3FragmentsByRune's keys, all in the BMP: most runes of a label
// start no fragment, and a bit says so faster than the map.
var t3FragmentStarts = func() (set [1 << 16 / 64]uint64) {
	for r := range t3FragmentsByRune {
		if r >= 1<<16 {
			panic("t3Fragments: a fragment starting beyond the BMP")
		}
		set[r>>6] |= 1 << (r & 63)
	}
	return set
}()

// ordinalEnd returns the byte offset just past the last ordinal marker in a normalised label
// ("1.", "3、", "(六)", "四、"), or 0 when there is none.
func ordinalEnd(s string) int {
	end := 0
	for i := 0; i < len(s); {
		r, w := decodeRune(s[i:])
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j < len(s) && (s[j] == '.' || strings.HasPrefix(s[j:], "、")) {
				if s[j] == '.' {
					end = j + 1
				} else {
					end = j + len("、")
				}
				i = end
				continue
			}
			i = j
			continue
		case r == '(':
			j := i + 1
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if !isChineseNumeral(r2) {
					break
				}
				j += w2
			}
			if j > i+1 && j < len(s) && s[j] == ')' {
				end = j + 1
				i = end
				continue
			}
		case isChineseNumeral(r):
			j := i
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if !isChineseNumeral(r2) {
					break
				}
				j += w2
			}
			if strings.HasPrefix(s[j:], "、") {
				end = j + len("、")
				i = end
				continue
			}
			i = j
			continue
		}
		i += w
	}
	return end
}

// decodeRune is utf8.DecodeRuneInString with ASCII and the CJK ideographs U+4000–U+9FFF decoded
// in place.
func decodeRune(s string) (rune, int) {
	if len(s) >= 3 && s[0] >= 0xE4 && s[0] <= 0xE9 && s[1]&0xC0 == 0x80 && s[2]&0xC0 == 0x80 {
		return rune(s[0]&0x0F)<<12 | rune(s[1]&0x3F)<<6 | rune(s[2]&0x3F), 3
	}
	return utf8.DecodeRuneInString(s)
}

func isChineseNumeral(r rune) bool {
	switch r {
	case '一', '二', '三', '四', '五', '六', '七', '八', '九', '十':
		return true
	}
	return false
}

// t3After reports whether Table 3 row is printed after row last (-1: none) in the form. other_total,
// the 2019 format's single （六）其他处理 row, comes last among the row indexes but is printed
// where the 2021 format prints its three sub-rows, before （七）总计; it counts as just before them,
// so that a 2019 table reads in order and a 2021 table that also prints it does too (X.FORMAT, not
// the order, tells of that mixture).
func t3After(row, last int) bool {
	return t3Rank(row) > t3Rank(last)
}

func t3Rank(row int) int {
	if row == RowOtherTotal {
		return 2*RowOtherNoCorrection - 1
	}
	return 2 * row
}

// matchT3Row maps a Table 3 row label to its row index. The label may carry leftovers of earlier
// lines (a wrapped label, a vertical group heading, header words) in front of it, so the fragment
// found furthest to the right wins. after is the last row matched so far (-1 at the start): a
// match at or before it is only taken when nothing later fits. ok is false when nothing matches.
func matchT3Row(label string, after int) (row int, ok bool) {
	// The normalised label stays on the stack when it fits: s does not outlive the call.
	var buf [128]byte
	b := appendNorm(buf[:0], label)
	s := unsafe.String(unsafe.SliceData(b), len(b))
	if s == "" {
		return 0, false
	}
	// The label's own tail after its last ordinal decides the rows whose labels are generic words.
	tail := s[ordinalEnd(s):]
	type cand struct{ row, end, length int }
	var best, bestBack cand
	best.row, bestBack.row = -1, -1
	consider := func(c cand) {
		target := &best
		if !t3After(c.row, after) {
			target = &bestBack
		}
		if target.row < 0 || c.end > target.end || c.end == target.end && c.length > target.length {
			*target = c
		}
	}
	for i := 0; i < len(s); {
		r, w := decodeRune(s[i:])
		if r >= 1<<16 || t3FragmentStarts[r>>6]&(1<<(r&63)) == 0 {
			i += w
			continue
		}
		for _, f := range t3FragmentsByRune[r] {
			if strings.HasPrefix(s[i:], f.text) {
				consider(cand{f.row, i + len(f.text), len(f.text)})
			}
		}
		i += w
	}
	switch tail {
	case "其他", "其它":
		consider(cand{RowOtherOther, len(s), 1 << 10})
	case "总计", "合计", "小计":
		if !strings.Contains(s, "申请人") { // the header's 总计 column is not the (七) row
			consider(cand{RowTotalProcessed, len(s), 1 << 10})
		}
	}
	if best.row >= 0 {
		return best.row, true
	}
	if bestBack.row >= 0 {
		return bestBack.row, true
	}
	return 0, false
}

// t3ColFragments map header cells to the seven applicant columns.
var t3ColFragments = []struct {
	text string
	col  int
}{
	{"自然人", 0}, {"商业企业", 1}, {"科研机构", 2}, {"社会公益", 3}, {"公益组织", 3},
	{"法律服务", 4}, {"其他组织", 5}, {"总计", ColTotal}, {"合计", ColTotal},
}

// matchT3Col maps a Table 3 header cell to its column; "其他" alone is the other-organisations column.
func matchT3Col(label string) (col int, ok bool) {
	s := normLabel(label)
	if s == "其他" || s == "其它" {
		return 5, true
	}
	for _, f := range t3ColFragments {
		if strings.Contains(s, f.text) {
			return f.col, true
		}
	}
	return 0, false
}

// t2RowFragments map Table 2 row labels to row keys; the longest match wins (行政规范性文件 over 规范性文件).
var t2RowFragments = []struct{ text, row string }{
	{"规章", "rules"},
	{"规范性文件", "normative_documents"},
	{"行政许可", "licensing"},
	{"其他对外管理服务", "other_external_services"},
	{"对外管理服务", "other_external_services"},
	{"行政处罚", "penalty"},
	{"行政强制", "coercion"},
	{"行政事业性收费", "admin_fees"},
	{"事业性收费", "admin_fees"},
	{"集中采购", "central_procurement"},
}

// matchT2Row maps a Table 2 row label to its row key.
func matchT2Row(label string) (string, bool) {
	s := normLabel(label)
	if strings.Contains(s, "信息内容") {
		return "", false
	}
	best, bestLen := "", 0
	for _, f := range t2RowFragments {
		if strings.Contains(s, f.text) && len(f.text) > bestLen {
			best, bestLen = f.row, len(f.text)
		}
	}
	return best, best != ""
}

// t2ColFragments map Table 2 header cells to column keys.
var t2ColFragments = []struct{ text, col string }{
	{"制发", "issued"},
	{"废止", "repealed"},
	{"现行有效", "in_force"},
	{"新制作", "newly_made"},
	{"新公开", "newly_published"},
	{"对外公开总", "published_total"},
	{"公开总数", "published_total"},
	{"上一年项目", "prior_year_items"},
	{"上年项目", "prior_year_items"},
	{"增/减", "change"},
	{"增减", "change"},
	{"处理决定", "decisions"},
	{"收费金额", "amount_wan_yuan"},
	{"采购项目", "projects"},
	{"采购总金额", "amount_wan_yuan"},
}

// matchT2Col maps a Table 2 header cell to a column key; yuan is true when the header states the
// unit as 元 rather than 万元.
func matchT2Col(label string) (col string, yuan bool, ok bool) {
	s := normLabel(label)
	for _, f := range t2ColFragments {
		if strings.Contains(s, f.text) {
			if f.col == "amount_wan_yuan" {
				yuan = strings.Contains(s, "元") && !strings.Contains(s, "万元")
			}
			return f.col, yuan, true
		}
	}
	return "", false, false
}

// t2Index finds the Table 2 field of a row and column key.
func t2Index(row, col string) (int, bool) {
	for i := range T2 {
		if T2[i].Row == row && T2[i].Col == col {
			return i, true
		}
	}
	return 0, false
}

// matchT2 maps a row label and a column label to a Table 2 field.
func matchT2(rowLabel, colLabel string) (int, bool) {
	row, ok := matchT2Row(rowLabel)
	if !ok {
		return 0, false
	}
	col, _, ok := matchT2Col(colLabel)
	if !ok {
		return 0, false
	}
	return t2Index(row, col)
}

// matchT4 maps a Table 4 block label (行政复议 / 未经复议直接起诉 / 复议后起诉) and an outcome label
// (结果维持 …) to the index of the value.
func matchT4(blockLabel, outcomeLabel string) (int, bool) {
	b := normLabel(blockLabel)
	block := -1
	switch {
	case strings.Contains(b, "复议后起诉") || strings.Contains(b, "复议后"):
		block = 2
	case strings.Contains(b, "直接起诉") || strings.Contains(b, "未经复议"):
		block = 1
	case strings.Contains(b, "行政复议"):
		block = 0
	}
	if block < 0 {
		return 0, false
	}
	o := normLabel(outcomeLabel)
	out := -1
	switch {
	case strings.Contains(o, "维持"):
		out = 0
	case strings.Contains(o, "纠正"):
		out = 1
	case strings.Contains(o, "其他"):
		out = 2
	case strings.Contains(o, "审结") || strings.Contains(o, "未审"):
		out = 3
	case strings.Contains(o, "总计") || strings.Contains(o, "合计"):
		out = 4
	}
	if out < 0 {
		return 0, false
	}
	return block*5 + out, true
}
