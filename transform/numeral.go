package transform

import "unicode/utf8"

// Chinese numerals in a number cell (report-format.md §7.9): narratives write 三十 and 一百二十, and
// now and then a table cell does too. Such a cell is read, with a finding; it never shifts its row.

// numeralDigit maps the digits of Chinese numerals, financial forms included, to their values.
var numeralDigit = map[rune]int64{
	'〇': 0, '零': 0, '一': 1, '壹': 1, '二': 2, '贰': 2, '两': 2, '三': 3, '叁': 3, '四': 4, '肆': 4,
	'五': 5, '伍': 5, '六': 6, '陆': 6, '七': 7, '柒': 7, '八': 8, '捌': 8, '九': 9, '玖': 9,
}

// numeralUnit maps the multipliers below 万.
var numeralUnit = map[rune]int64{'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000}

// maxNumeral bounds a numeral's value far above any count, so that sums cannot overflow.
const maxNumeral = 1_000_000_000_000_000

// chineseNumeral reads a whole string written in Chinese numerals: 四十三 = 43, 一百二十 = 120,
// 十五 = 15, 两千零五 = 2005, 一万二千 = 12000, 一百二 = 120 (the colloquial short form), or digit by
// digit as years are written (一二〇 = 120). ok is false for anything else, so "第二十条" or "三、"
// never read as numbers.
func chineseNumeral(s string) (n int64, ok bool) {
	if s == "" || utf8.RuneCountInString(s) > 24 {
		return 0, false
	}
	hasUnit := false
	for _, r := range s {
		_, d := numeralDigit[r]
		_, u := numeralUnit[r]
		switch {
		case u || r == '万' || r == '亿':
			hasUnit = true
		case !d:
			return 0, false
		}
	}
	if !hasUnit {
		// Digit by digit: 一二〇. A lone 零 or 〇 is 0.
		if utf8.RuneCountInString(s) > 15 {
			return 0, false
		}
		for _, r := range s {
			n = n*10 + numeralDigit[r]
		}
		return n, true
	}
	var total, section int64
	pending := int64(-1)  // a digit waiting for its unit
	lastUnit := int64(0)  // the last unit applied, for 一百二 and for the order of units
	afterZero := false    // a 零 since the last unit: the next digit is units, not the next place
	lastWasDigit := false // two digits in a row are not a positional numeral
	seenWan := false      // 万 once per 亿
	for _, r := range s {
		if d, isDigit := numeralDigit[r]; isDigit {
			if d == 0 {
				if pending >= 0 || lastUnit == 0 {
					return 0, false // 三零, or 零 first: not positional
				}
				afterZero, lastWasDigit = true, false
				continue
			}
			if lastWasDigit {
				return 0, false
			}
			pending, lastWasDigit = d, true
			continue
		}
		lastWasDigit = false
		switch r {
		case '万', '亿':
			if pending >= 0 {
				section += pending
			}
			if r == '万' {
				if section == 0 || seenWan {
					return 0, false
				}
				total += section * 10_000
				seenWan, lastUnit = true, 10_000
			} else {
				if section+total == 0 || total >= 100_000_000 {
					return 0, false
				}
				total = (total + section) * 100_000_000
				seenWan, lastUnit = false, 100_000_000
			}
		default:
			unit := numeralUnit[r]
			if lastUnit != 0 && lastUnit < 10_000 && unit >= lastUnit {
				return 0, false // within a section units fall: 一十百 is not a number
			}
			d := pending
			if d < 0 {
				if unit != 10 || section != 0 {
					return 0, false // only 十 may stand without its digit, at a section's start: 十五
				}
				d = 1
			}
			section += d * unit
			lastUnit = unit
		}
		if r == '万' || r == '亿' {
			section = 0
		}
		pending, afterZero = -1, false
		if total > maxNumeral {
			return 0, false
		}
	}
	if pending >= 0 {
		// 一百二 = 120: a last digit right after a unit is one place below it; after 零, units.
		if !afterZero && lastUnit >= 100 {
			pending *= lastUnit / 10
		}
		section += pending
	}
	n = total + section
	if n > maxNumeral {
		return 0, false
	}
	return n, true
}

// isNumeralText reports whether s, trimmed, reads as a Chinese numeral.
func isNumeralText(s string) bool {
	_, ok := chineseNumeral(trimSpace(s))
	return ok
}
