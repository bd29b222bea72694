package transform

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problems a cell's text can have, beyond not being a number at all.
const (
	issueNone      = ""
	issueDecimal   = "decimal"    // a decimal where a count belongs (T*.INT)
	issueYuan      = "yuan"       // an amount in 元 converted to 万元
	issueUnit      = "unit"       // a money unit in a count cell
	issueSign      = "sign"       // an explicit sign where none belongs
	issuePrecision = "precision"  // more than six decimals, rounded
	issueTooLarge  = "too-large"  // more digits than int64 holds
	issueSeparator = "separators" // thousands separators in an irregular grouping
	issueNumeral   = "numeral"    // written in Chinese numerals (四十三), read as a number
	issueWan       = "wan"        // a count written in 万 (1.2万), read ×10000: may be rounded
)

// parsed is a cell's text read as a number (report-format.md §7.9).
type parsed struct {
	kind  Kind
	n     int64 // count, or millionths of 万元 for amounts
	note  string
	issue string
}

// naMarks are the texts that mean "not applicable" rather than a number.
var naMarks = map[string]bool{
	"/": true, "-": true, "—": true, "——": true, "--": true, "–": true, "―": true, "−": true, "\\": true,
	"无": true, "不适用": true, "N/A": true, "n/a": true, "NA": true, "na": true, "/ ": true, "×": true, "*": true,
}

// countUnits may follow a count; money units are handled separately.
var countUnits = []string{"件次", "件", "个", "条", "项", "次", "人次", "宗", "份", "起"}

// parseNumber reads one cell. amount says the cell holds 万元 (decimals legal, 元 converted);
// signed says a leading sign is legal (gov2019 本年增/减).
func parseNumber(raw string, amount, signed bool) parsed {
	if n, ok := plainCount(raw); ok {
		// Most value cells are plain digits: the common case skips every rule below.
		if amount {
			if n > 999_999_999_999 {
				return parsed{kind: Text, issue: issueTooLarge}
			}
			n *= AmountScale
		}
		if n == 0 {
			return parsed{kind: Zero}
		}
		return parsed{kind: Numeric, n: n}
	}
	if !hasDigit(raw) {
		// Labels are most cells: settle them without folding. No blank or NA mark is long.
		if len(raw) > 32 {
			return parsed{kind: Text}
		}
		t := trimSpace(foldWidth(raw))
		switch {
		case t == "":
			return parsed{kind: Empty}
		case naMarks[t]:
			return parsed{kind: NA}
		}
		if n, ok := chineseNumeral(t); ok {
			return numeralValue(n, amount)
		}
		return parsed{kind: Text}
	}
	if plainText(raw) {
		// A label with digits ("1. 属于国家秘密"), a sentence: settled without folding.
		return parsed{kind: Text}
	}
	return parseDigits(raw, amount, signed)
}

// parseDigits is parseNumber of a cell with a digit.
func parseDigits(raw string, amount, signed bool) parsed {
	s := foldWidth(trimSpace(raw))
	s = trimSpace(s)
	if s == "" {
		return parsed{kind: Empty}
	}
	if naMarks[s] || naMarks[strings.ReplaceAll(s, " ", "")] {
		return parsed{kind: NA}
	}
	// An annotation printed with the number: 22（其中修订16件）, 3(含2件转办).
	var note string
	if i := strings.IndexAny(s, "(["); i > 0 && strings.HasSuffix(s, ")") || i > 0 && strings.HasSuffix(s, "]") {
		note = trimSpace(s[i+1 : len(s)-1])
		s = trimSpace(s[:i])
	}
	p := parsed{note: note}
	// Units.
	yuan, wan := false, false
	switch {
	case strings.HasSuffix(s, "万元"):
		s = trimSpace(strings.TrimSuffix(s, "万元"))
		if !amount {
			p.issue = issueUnit
		}
	case strings.HasSuffix(s, "元"):
		s = trimSpace(strings.TrimSuffix(s, "元"))
		if amount {
			yuan = true
		} else {
			p.issue = issueUnit
		}
	default:
		for _, u := range countUnits {
			if strings.HasSuffix(s, u) {
				s = trimSpace(strings.TrimSuffix(s, u))
				break
			}
		}
		if !amount && strings.HasSuffix(s, "万") {
			// A large count written the way prose writes it ("1.2万", "3万件"): tens of
			// thousands. Read, and flagged, since the writer may have rounded it.
			s = trimSpace(strings.TrimSuffix(s, "万"))
			wan = true
		}
	}
	if s == "" {
		return parsed{kind: Text, note: note}
	}
	neg := false
	if s[0] == '+' || s[0] == '-' {
		if !signed {
			p.issue = issueSign
		}
		neg = s[0] == '-'
		s = trimSpace(s[1:])
	} else if r, w := utf8.DecodeRuneInString(s); minusSign(r) && w < len(s) {
		// Word and typesetting tools print the minus of "-3" as − or –: the same sign. A dash
		// alone stays NA above.
		if !signed {
			p.issue = issueSign
		}
		neg = true
		s = trimSpace(s[w:])
	}
	intPart, frac, ok := splitDecimal(s)
	if !ok {
		return parsed{kind: Text, note: note}
	}
	digits, ok := stripGrouping(intPart)
	if !ok {
		if strings.Trim(intPart, "0123456789, '") == "" {
			return parsed{kind: Text, note: note, issue: issueSeparator}
		}
		return parsed{kind: Text, note: note}
	}
	// int64 holds 18 digits of a count; an amount in millionths of 万元 leaves 12 for the whole part.
	if len(digits) > 18 || amount && len(digits) > 12 {
		return parsed{kind: Text, note: note, issue: issueTooLarge}
	}
	var whole int64
	for i := 0; i < len(digits); i++ {
		whole = whole*10 + int64(digits[i]-'0')
	}
	if amount {
		scale := int64(AmountScale)
		micro := whole * scale
		f := frac
		if yuan {
			// 元 → 万元: shift the decimal point four places left.
			all := digits + frac
			pointAt := len(digits) - 4
			if pointAt < 0 {
				all = strings.Repeat("0", -pointAt) + all
				pointAt = 0
			}
			whole = 0
			for i := 0; i < pointAt; i++ {
				whole = whole*10 + int64(all[i]-'0')
			}
			micro = whole * scale
			f = all[pointAt:]
			p.issue = issueYuan
		}
		if len(f) > 6 {
			if f[6] >= '5' {
				micro++
			}
			f = f[:6]
			if p.issue == issueNone {
				p.issue = issuePrecision
			}
		}
		mult := scale / 10
		for i := 0; i < len(f); i++ {
			micro += int64(f[i]-'0') * mult
			mult /= 10
		}
		p.n = micro
	} else if wan {
		frac = strings.TrimRight(frac, "0")
		if len(frac) > 4 || len(digits) > 14 {
			return parsed{kind: Text, note: note, issue: issueDecimal}
		}
		p.n = whole * 10000
		for i, mult := 0, int64(1000); i < len(frac); i, mult = i+1, mult/10 {
			p.n += int64(frac[i]-'0') * mult
		}
		p.issue = issueWan
	} else {
		if frac != "" && strings.Trim(frac, "0") != "" {
			return parsed{kind: Text, note: note, issue: issueDecimal}
		}
		if frac != "" {
			p.issue = issueDecimal
		}
		p.n = whole
	}
	if neg {
		p.n = -p.n
	}
	if p.n == 0 {
		p.kind = Zero
	} else {
		p.kind = Numeric
	}
	return p
}

// numeralValue is a count or amount written in Chinese numerals: read, and flagged.
func numeralValue(n int64, amount bool) parsed {
	if amount {
		if n > 999_999_999_999 {
			return parsed{kind: Text, issue: issueTooLarge}
		}
		n *= AmountScale
	}
	if n == 0 {
		return parsed{kind: Zero, issue: issueNumeral}
	}
	return parsed{kind: Numeric, n: n, issue: issueNumeral}
}

// plainText reports a text that parseNumber reads as Text without a note or an issue, whatever its
// digits: it has no bracket, so no annotation, and an ideograph that is not a unit's, which no
// rule below strips (only a sign, a unit suffix and an annotation are), so no number is left.
func plainText(s string) bool {
	ideograph := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(' || c == '[':
			return false
		case c == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && (s[i+2] == 0x88 || s[i+2] == 0xBB): // （ ［
			return false
		case !ideograph && c >= 0xE4 && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			ideograph = r >= 0x4E00 && !unitRune(r)
			i += 2
		}
	}
	return ideograph
}

// minusSign reports a character other than '-' that is printed as the minus of a number: the
// minus sign U+2212, the en dash U+2013, the hyphen U+2010/U+2011 and the small hyphen-minus U+FE63.
// The em dash — is not one: "—3" is too often a dash for "none" beside a note.
func minusSign(r rune) bool {
	switch r {
	case '\u2212', '\u2013', '\u2010', '\u2011', '\uFE63':
		return true
	}
	return false
}

// unitRune reports a character of a unit that parseNumber strips: 万元, 元 and countUnits.
func unitRune(r rune) bool {
	switch r {
	case '万', '元', '件', '次', '个', '条', '项', '人', '宗', '份', '起':
		return true
	}
	return false
}

// plainCount reads a cell that is nothing but 1–18 ASCII digits.
func plainCount(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// hasDigit reports whether s holds an ASCII or full-width digit.
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			return true
		}
		// Full-width digits ０-９ are EF BC 90 – EF BC 99 in UTF-8.
		if c == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99 {
			return true
		}
	}
	return false
}

// splitDecimal splits "123.45" into "123" and "45"; it fails on anything but digits, grouping
// characters and one decimal point.
func splitDecimal(s string) (intPart, frac string, ok bool) {
	intPart = s
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
		if frac == "" || strings.IndexByte(frac, '.') >= 0 {
			return "", "", false
		}
		for i := 0; i < len(frac); i++ {
			if frac[i] < '0' || frac[i] > '9' {
				return "", "", false
			}
		}
		if intPart == "" {
			intPart = "0"
		}
	}
	return intPart, frac, intPart != ""
}

// stripGrouping removes thousands separators (",", " ", "'") when they group by three; any other
// grouping is not a number.
func stripGrouping(s string) (digits string, ok bool) {
	if !strings.ContainsAny(s, ", '") {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return "", false
			}
		}
		return s, true
	}
	groups := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\'' })
	if len(groups) == 0 {
		return "", false
	}
	var b strings.Builder
	for i, g := range groups {
		for j := 0; j < len(g); j++ {
			if g[j] < '0' || g[j] > '9' {
				return "", false
			}
		}
		if i == 0 && len(g) > 3 || i > 0 && len(g) != 3 {
			return "", false
		}
		b.WriteString(g)
	}
	return b.String(), true
}

// foldsWidth reports whether foldWidth changes or drops r (invalid UTF-8 reads as U+FFFD, which
// foldWidth writes out in full).
func foldsWidth(r rune) bool {
	return r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 || r == 0x00A0 || r >= 0x2000 && r <= 0x200A ||
		r == 0x202F || r == 0x205F || r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF ||
		r == utf8.RuneError
}

// foldWidth maps full-width ASCII variants (０-９, ，, ．, （, ）, ／, －, ＋) to ASCII and
// ideographic spaces to spaces, and drops zero-width characters. It returns s itself when nothing
// changes.
func foldWidth(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	// Most text (Chinese labels) has nothing to fold: find the first rune that changes, and copy
	// only when there is one.
	first := -1
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			i++
			continue
		case c >= 0xE4 && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			i += 3 // a CJK ideograph: never folded
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if foldsWidth(r) {
			first = i
			break
		}
		i += w
	}
	if first < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:first])
	for _, r := range s[first:] {
		writeFolded(&b, r)
	}
	return b.String()
}

// writeFolded writes r as foldWidth folds it.
func writeFolded(b *strings.Builder, r rune) {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		b.WriteRune(r - 0xFF01 + 0x21)
	case r == 0x3000 || r == 0x00A0 || r >= 0x2000 && r <= 0x200A || r == 0x202F || r == 0x205F:
		b.WriteByte(' ')
	case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF:
	default:
		b.WriteRune(r)
	}
}

// isValueLike reports whether a cell's text reads as a value (number, blank mark) rather than a label.
func isValueLike(p parsed, raw string) bool {
	switch p.kind {
	case Numeric, Zero, NA:
		return true
	case Text:
		// A number with an annotation or a stray unit still sits in a value column.
		r, _ := utf8.DecodeRuneInString(trimSpace(raw))
		return unicode.IsDigit(r) && p.issue != ""
	}
	return false
}
