package transform

import (
	"fmt"
	"strings"
)

// A file may go on after its report with further statistical tables that no report reads: a
// department's Table 3 and Table 4 printed after the district's report, a second report that lost
// its title and its 一、总体情况. Left without a word, their numbers would be missing from every
// rollup while the file looks read. They are read here only to tell whether they hold a report's
// table, and said in an S.UNREAD finding on the report before them.

// A further table counts when its labelled rows fill this much: a breakdown by department or a
// training table shares few or none of a report table's row labels.
const (
	minUnreadT3Cells = 5 * NumT3Cols // five full rows of Table 3
	minUnreadT4Cells = 10            // two of Table 4's three blocks
	maxUnreadParts   = 8             // further sequences looked at in one file
)

// furtherStart finds the first line at or after from where a further table sequence may start: a
// heading of section 二, 三 or 四, or a row of Table 3's or Table 4's header. -1 when none: the
// usual report, whose lines after its last table are its closing sections, pays a few Contains.
func furtherStart(lines []line, hs []heading, from int) int {
	at := -1
	for _, h := range hs {
		if h.line >= from && h.sec >= 2 && h.sec <= 4 {
			at = h.line
			break
		}
	}
	end := len(lines)
	if at >= 0 {
		end = at
	}
	for i := from; i < end; i++ {
		ln := &lines[i]
		if t3Words.anchor(ln.norm) || !ln.para && ln.filled > 1 && strings.Contains(ln.norm, "行政复议") && strings.Contains(ln.norm, "行政诉讼") {
			return i
		}
	}
	return at
}

// flagUnread reads what follows the report's tables (from line after on) for further full copies
// of Table 3 or Table 4 that hold other numbers than the report's, and adds a finding for each.
// A copy with the report's own numbers (an annex repeating the tables) is no loss and says nothing.
func (rd *reader) flagUnread(hs []heading, after int) {
	lines := rd.lines
	for n := 0; n < maxUnreadParts && after < len(lines); n++ {
		at := furtherStart(lines, hs, after)
		if at < 0 {
			return
		}
		part := lines[at:]
		_, p3, p4 := tableRegions(part, findHeadings(part))
		if !p3.found() && !p4.found() {
			after = at + 1
			continue
		}
		tmp := &Report{}
		pr := reader{rep: tmp, lines: part, sc: rd.sc}
		pr.readTable3(p3)
		pr.readTable4(p4)
		next := at + max(p3.end, p4.end)
		if next <= at {
			next = at + 1
		}
		after = next
		c3, c4 := tmp.Reads["table3"].Cells, tmp.Reads["table4"].Cells
		full3, full4 := c3 >= minUnreadT3Cells, c4 >= minUnreadT4Cells
		if !full3 && !full4 || sameKnown(rd.rep, tmp) {
			continue
		}
		var what []string
		if full3 {
			what = append(what, fmt.Sprintf("表三（%d个数值）", c3))
		}
		if full4 {
			what = append(what, fmt.Sprintf("表四（%d个数值）", c4))
		}
		rd.rep.add(Finding{Rule: RuleSUnread, Severity: SevWarning, Status: "uncertain", Place: lineplace(lines, at),
			Message: fmt.Sprintf("报告的表格之后另有%s，数值与本报告不同，未被任何报告读取：可能是另一单位或另一年度的报告（标题缺失）或其附表，其数字未计入", strings.Join(what, "和"))})
	}
}

// sameKnown reports whether every Table 3 and Table 4 value that other holds is the report's own.
func sameKnown(rep, other *Report) bool {
	for r := range other.T3 {
		for c, v := range other.T3[r] {
			if v.Known() && (rep.T3[r][c].Kind != v.Kind || rep.T3[r][c].N != v.N) {
				return false
			}
		}
	}
	for i, v := range other.T4 {
		if v.Known() && (rep.T4[i].Kind != v.Kind || rep.T4[i].N != v.N) {
			return false
		}
	}
	return true
}
