package transform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/govreports/govreports/extract"
)

// streamOf lays out text lines as one region's stream, one cell per line, at line i+1.
func streamOf(lines ...string) []sr {
	ls := make([]line, len(lines))
	for i, s := range lines {
		ls[i] = newLine([]extract.Cell{{Text: s, Pos: extract.Pos{Line: i + 1, Col: 1}}}, true, 0)
	}
	return regionRunes(ls, region{0, len(ls)})
}

func TestScanSegments(t *testing.T) {
	tests := []struct {
		name     string
		lines    []string
		decimals bool
		labels   []string
		runs     []string
		glued    []bool
	}{
		{"label glued to its run", []string{"一、本年新收政府信息公开申请数量4210000456"}, false,
			[]string{"一、本年新收政府信息公开申请数量"}, []string{"4210000456"}, []bool{true}},
		{"a run meets the next row's ordinal", []string{"1.本机关不掌握相关政府信息168000024" + "2.没有现成信息需要另行制作0000000"}, false,
			[]string{"1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作"}, []string{"168000024", "0000000"}, []bool{true, true}},
		{"ordinal with full-width point and a blank", []string{"3.其他1000001　(七)总计4310000457"}, false,
			[]string{"3.其他", "(七)总计"}, []string{"1000001", "4310000457"}, []bool{true, true}},
		{"a stray space inside a run", []string{"(一)予以公开1210 00417"}, false,
			[]string{"(一)予以公开"}, []string{"121000417"}, []bool{true}},
		{"a run continued on the next line", []string{"四、结转下年度继续办理000", "0000"}, false,
			[]string{"四、结转下年度继续办理"}, []string{"0000000"}, []bool{true}},
		{"an ordinal of a label is not a run", []string{"(三)不予公开1.属于国家秘密0000000"}, false,
			[]string{"(三)不予公开1.属于国家秘密"}, []string{"0000000"}, []bool{true}},
		{"full-width digits", []string{"规章０００"}, false, []string{"规章"}, []string{"000"}, []bool{true}},
		{"a decimal amount", []string{"行政事业性收费7730.28"}, true, []string{"行政事业性收费"}, []string{"7730.28"}, []bool{true}},
		{"a decimal point after a stray space", []string{"行政事业性收费0 .14"}, true, []string{"行政事业性收费"}, []string{"0.14"}, []bool{true}},
		{"signed changes glued to their neighbours", []string{"行政处罚2648-18538行政强制1262629"}, true,
			[]string{"行政处罚", "行政强制"}, []string{"2648-18538", "1262629"}, []bool{true, true}},
		{"a signed first number", []string{"行政事业性收费-3 +5"}, true, []string{"行政事业性收费"}, []string{"-3+5"}, []bool{true}},
		{"a sign is a label's in a count table", []string{"行政处罚2648-18538"}, false,
			[]string{"行政处罚", "-"}, []string{"2648", "18538"}, []bool{true, true}},
		{"an amount in 元", []string{"政府集中采购39573802895.90元三、收到"}, true, []string{"政府集中采购"}, []string{"39573802895.90元"}, []bool{true}},
		{"delimited cells are not glued", []string{"规章 0 0 0"}, false, []string{"规章"}, []string{"000"}, []bool{false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs := scanSegments(streamOf(tt.lines...), tt.decimals)
			if len(segs) != len(tt.runs) {
				t.Fatalf("%d segments, want %d: %+v", len(segs), len(tt.runs), segs)
			}
			for i, sg := range segs {
				if normLabel(sg.label) != normLabel(tt.labels[i]) || sg.run.text() != tt.runs[i] || sg.run.glued != tt.glued[i] {
					t.Errorf("segment %d = %q %q glued %v; want %q %q glued %v", i, sg.label, sg.run.text(), sg.run.glued, tt.labels[i], tt.runs[i], tt.glued[i])
				}
			}
		})
	}
}

func TestScanSegmentsPositions(t *testing.T) {
	segs := scanSegments(streamOf("x", "(一)予以公开1210 00417"), false)
	if len(segs) != 1 {
		t.Fatalf("%d segments", len(segs))
	}
	rn := segs[0].run
	// "(一)予以公开" is 7 runes: the run's first digit is at column 8 of line 2, and the digit after
	// the stray space at column 13.
	if rn.pos[0] != (extract.Pos{Line: 2, Col: 8}) || rn.pos[4] != (extract.Pos{Line: 2, Col: 13}) {
		t.Errorf("positions %v, %v", rn.pos[0], rn.pos[4])
	}
	if !rn.breaks[4] || rn.tokens() != 2 {
		t.Errorf("the stray space is not recorded: breaks %v", rn.breaks)
	}
}

func readings(t *testing.T, digits string, onlyAtBreaks bool, breaks []bool, sh shape) []string {
	t.Helper()
	if breaks == nil {
		breaks = make([]bool, len(digits)+1)
	}
	rs, complete := cutRun([]byte(digits), breaks, onlyAtBreaks, sh)
	if !complete {
		t.Fatalf("cutRun(%q) hit a bound", digits)
	}
	var out []string
	for _, r := range rs {
		out = append(out, digitsOf(r))
	}
	return out
}

func TestCutRun(t *testing.T) {
	tests := []struct {
		name   string
		digits string
		sh     shape
		want   []string
	}{
		{"one cut satisfies the row identity", "4210000456", shapeT3, []string{"42|10|0|0|0|4|56"}},
		{"a row of zeros", "0000000", shapeT3, []string{"0|0|0|0|0|0|0"}},
		{"two cuts satisfy the row identity", "110000011", shapeT3, []string{"1|10|0|0|0|0|11", "11|0|0|0|0|0|11"}},
		{"no cut satisfies the row identity", "1234567", shapeT3, nil},
		{"too few digits", "000000", shapeT3, nil},
		{"Table 4 in one run", "010010000000000", shapeT4, []string{"0|1|0|0|1|0|0|0|0|0|0|0|0|0|0"}},
		{"Table 4 with two-digit numbers", "03030330000000112132", shapeT4, []string{
			"0|3|0|30|33|0|0|0|0|0|0|0|11|21|32", "0|30|3|0|33|0|0|0|0|0|0|0|11|21|32",
		}},
		{"Table 2 without identity: unique", "009", shape{plain: 3}, []string{"0|0|9"}},
		{"Table 2 without identity: several", "1012", shape{plain: 3}, []string{"1|0|12", "10|1|2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readings(t, tt.digits, false, nil, tt.sh)
			if strings.Join(got, " ; ") != strings.Join(tt.want, " ; ") {
				t.Errorf("cutRun(%q) = %v, want %v", tt.digits, got, tt.want)
			}
		})
	}
}

func TestCutRunOnlyAtBreaks(t *testing.T) {
	// PDF text split 1234 into "1" "234": eight tokens for seven numbers; only the blanks may be cuts.
	digits := "1234" + "00000" + "1234"
	breaks := make([]bool, len(digits)+1)
	for _, i := range []int{1, 4, 5, 6, 7, 8, 9} {
		breaks[i] = true
	}
	got := readings(t, digits, true, breaks, shapeT3)
	if len(got) != 1 || got[0] != "1234|0|0|0|0|0|1234" {
		t.Errorf("got %v", got)
	}
}

func TestCutRunHardSeams(t *testing.T) {
	// Three runs of five printed apart: a number never spans a seam.
	d := []byte("00000" + "10001" + "00000")
	hard := make([]bool, len(d)+1)
	hard[5], hard[10] = true, true
	rs, complete := cutRunHard(d, make([]bool, len(d)+1), false, hard, shapeT4)
	if !complete || len(rs) != 1 || digitsOf(rs[0]) != "0|0|0|0|0|1|0|0|0|1|0|0|0|0|0" {
		t.Fatalf("got %d readings", len(rs))
	}
	// Without the seams the same digits have other readings ("0|0|0|0|0|1|0|0|0|1|…" and more).
	if free, _ := cutRun(d, make([]bool, len(d)+1), false, shapeT4); len(free) < 1 {
		t.Fatalf("no free reading")
	}
	for _, r := range rs {
		for k := range r.vals {
			for _, seam := range []int{5, 10} {
				if r.start[k] < seam && r.end[k] > seam {
					t.Errorf("number %d spans the seam at %d: %s", k, seam, digitsOf(r))
				}
			}
		}
	}
}

// TestCutRunBounded: a long run cannot explode; the enumeration stops at its bounds and says so.
func TestCutRunBounded(t *testing.T) {
	for _, digits := range []string{strings.Repeat("1", 126), strings.Repeat("9", 60), strings.Repeat("10", 40), strings.Repeat("0", 200)} {
		start := time.Now()
		rs, _ := cutRun([]byte(digits), make([]bool, len(digits)+1), false, shapeT3)
		if el := time.Since(start); el > 2*time.Second*slowdown {
			t.Errorf("cutRun of %d digits took %v", len(digits), el)
		}
		if len(rs) > maxCandidates {
			t.Errorf("%d readings, more than the cap %d", len(rs), maxCandidates)
		}
	}
}

// TestJointChoice: the column identities choose among rows' readings, and cells on which the
// remaining assignments disagree stay open.
func TestJointChoice(t *testing.T) {
	eqs := []equation{
		// a + b = total, per column of a two-column toy table
		{rule: "toy", terms: []term{{1, 1}, {3, 1}, {5, -1}}},
		{rule: "toy", terms: []term{{2, 1}, {4, 1}, {6, -1}}},
	}
	chs := []choice{
		{cells: []int{1, 2}, cands: [][]int64{{1, 10}, {11, 0}}}, // row a: two readings
		{cells: []int{3, 4}, cands: [][]int64{{5, 5}}},           // row b: sure
		{cells: []int{5, 6}, cands: [][]int64{{6, 15}, {16, 5}}}, // total: two readings
	}
	res := chooseJointly(chs, eqs, nil, nil)
	if res.none || !res.complete {
		t.Fatalf("res %+v", res)
	}
	// Both (a=1,10; total=6,15) and (a=11,0; total=16,5) hold: nothing in rows a and total is decided.
	for _, ci := range []int{0, 2} {
		if _, ok, kept := agreed(chs[ci], res.v[ci]); ok[0] || ok[1] || len(kept) != 2 {
			t.Errorf("choice %d: ok %v kept %v", ci, ok, kept)
		}
	}
	// A narrative figure (total's first cell is 16) breaks the tie.
	res = chooseJointly(chs, eqs, nil, func(get func(int) (int64, bool)) bool { v, _ := get(5); return v == 16 })
	if vals, ok, _ := agreed(chs[0], res.v[0]); !res.narrative || !ok[0] || vals[0] != 11 {
		t.Errorf("narrative tie-break: %v %v", vals, ok)
	}
	// With total's second reading changed, only one combination holds.
	chs[2].cands = [][]int64{{6, 15}, {16, 6}}
	res = chooseJointly(chs, eqs, nil, nil)
	if vals, ok, _ := agreed(chs[0], res.v[0]); !ok[0] || !ok[1] || vals[0] != 1 || vals[1] != 10 {
		t.Errorf("row a: %v %v", vals, ok)
	}
	// No combination: the identities themselves fail.
	chs[1].cands = [][]int64{{100, 100}}
	if res = chooseJointly(chs, eqs, nil, nil); !res.none {
		t.Errorf("want none, got %+v", res)
	}
}

// FuzzDecodeRun: any run cuts into readings that are real cuts of it (their digits rebuild the
// run, no leading zeros), satisfy the row identity, stay under the cap, and come back quickly.
func FuzzDecodeRun(f *testing.F) {
	for _, s := range []string{"4210000456", "110000011", "0000000", "010010000000000", strings.Repeat("1", 60), "12000417", "3030330000000112132"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(1))
	}
	f.Fuzz(func(t *testing.T, s string, which uint8) {
		var d []byte
		for i := 0; i < len(s) && len(d) < 200; i++ {
			if s[i] >= '0' && s[i] <= '9' {
				d = append(d, s[i])
			}
		}
		sh := []shape{shapeT3, shapeT4, {plain: 3}}[int(which)%3]
		start := time.Now()
		rs, _ := cutRun(d, make([]bool, len(d)+1), false, sh)
		if el := time.Since(start); el > 3*time.Second {
			t.Fatalf("%d digits took %v", len(d), el)
		}
		if len(rs) > maxCandidates {
			t.Fatalf("%d readings", len(rs))
		}
		for _, r := range rs {
			var b strings.Builder
			for k, v := range r.vals {
				part := string(d[r.start[k]:r.end[k]])
				if len(part) > 1 && part[0] == '0' {
					t.Fatalf("leading zero in %q", part)
				}
				b.WriteString(part)
				if k > 0 && r.start[k] != r.end[k-1] {
					t.Fatalf("gap between numbers")
				}
				_ = v
			}
			if b.String() != string(d) {
				t.Fatalf("reading %s does not rebuild %s", digitsOf(r), d)
			}
			off := 0
			for _, g := range sh.groups {
				var sum int64
				for k := off; k < off+g; k++ {
					sum += r.vals[k]
				}
				if sum != r.vals[off+g] {
					t.Fatalf("reading %s breaks its identity", digitsOf(r))
				}
				off += g + 1
			}
		}
	})
}

// worstCaseTables are the costliest Table 3 texts we know of: 25 rows whose runs all have more
// readings than the cap allows (long runs of ones), so every cut bound is reached; and 21 result
// rows that each have two readings the column identities cannot tell apart (110000011 is
// 1|10|0|0|0|0|11 and 11|0|0|0|0|0|11), so the joint search has C(21,10) solutions to weigh.
func worstCaseTables() map[string][]line {
	mk := func(rows func(row int) string) []line {
		ls := []line{newLine([]extract.Cell{{Text: "三、收到和处理政府信息公开申请情况", Pos: extract.Pos{Line: 1, Col: 1}}}, true, 0)}
		for row := 0; row < NumT3Printed; row++ {
			ls = append(ls, newLine([]extract.Cell{{Text: T3Rows[row].CN + rows(row), Pos: extract.Pos{Line: row + 2, Col: 1}}}, true, 0))
		}
		return ls
	}
	return map[string][]line{
		"long-runs": mk(func(row int) string { return strings.Repeat("1", 40+row%7) }),
		"ambiguous-rows": mk(func(row int) string {
			switch row {
			case RowNewReceived, RowTotalProcessed:
				return "1211100000231" // 121|110|0|0|0|0|231
			case RowCarriedOver, RowCarriedForward:
				return "0000000"
			}
			return "110000011"
		}),
		// The same, with totals no combination reaches (21 rows of 1 or 11 never sum to 122):
		// the interval bounds cannot see it, so the search runs into its budget.
		"no-solution": mk(func(row int) string {
			switch row {
			case RowNewReceived, RowTotalProcessed:
				return "1221090000231" // 122|109|0|0|0|0|231
			case RowCarriedOver, RowCarriedForward:
				return "0000000"
			}
			return "110000011"
		}),
	}
}

// BenchmarkDecodeWorstCase measures the decoder on the worst cases; worst-ms/report is the slowest
// single table seen.
func BenchmarkDecodeWorstCase(b *testing.B) {
	for name, ls := range worstCaseTables() {
		b.Run(name, func(b *testing.B) {
			var worst time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				rd := reader{rep: &Report{}, lines: ls}
				read := rd.read("table3", region{0, len(ls)})
				if !rd.readSquashedT3(region{0, len(ls)}, read) {
					b.Fatal("not read as a squashed table")
				}
				worst = max(worst, time.Since(start))
			}
			b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms/report")
		})
	}
}

// TestDecodeWorstCaseBounded: the worst cases finish within a bound and guess nothing: every cell
// they cannot decide is null with a finding.
func TestDecodeWorstCaseBounded(t *testing.T) {
	for name, ls := range worstCaseTables() {
		start := time.Now()
		rd := reader{rep: &Report{}, lines: ls}
		read := rd.read("table3", region{0, len(ls)})
		rd.readSquashedT3(region{0, len(ls)}, read)
		if el := time.Since(start); el > 5*time.Second*slowdown {
			t.Errorf("%s: %v", name, el)
		}
		named := map[string]bool{}
		for _, f := range rd.rep.Findings {
			for _, c := range f.Cells {
				named[c] = true
			}
		}
		for row := 0; row < NumT3Printed; row++ {
			for c := 0; c < NumT3Cols; c++ {
				if v := rd.rep.T3[row][c]; !v.Known() && !named[T3Path(row, c)] {
					t.Errorf("%s: %s is null without a finding", name, T3Path(row, c))
				}
			}
		}
		if name == "ambiguous-rows" {
			// The zeros are decided in every reading; the first two columns of the 21 rows are not.
			if v := rd.rep.T3[RowGranted][2]; !v.Known() || v.N != 0 {
				t.Errorf("granted.research_institution = %+v", v)
			}
			if v := rd.rep.T3[RowGranted][0]; v.Known() {
				t.Errorf("granted.natural_person decided as %d; two readings hold", v.N)
			}
		}
	}
}

// FuzzSquashedTables feeds any text to the squashed readers of all three tables, seeded with the
// edge cases of testdata/squashed: no panic, bounded time, and every value they fill is a number
// whose digits stand at its position in the text.
func FuzzSquashedTables(f *testing.F) {
	paths, _ := filepath.Glob("testdata/squashed/*.txt")
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(string(data))
		}
	}
	f.Add("规章000\n行政规范性文件1012\n行政许可68\n行政事业性收费7730.28")
	f.Add("第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政处罚2648-18538行政强制1262629行政事业性收费35-15政府集中采购39573802895.90元")
	f.Add("3.其他1000001(七)总计四十三10000457四、结转下年度继续办理0000000\n(七)总计1e3010000457\n行政复议行政诉讼结果维持0abc00000000000000")
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<14 {
			return
		}
		src := strings.Split(text, "\n")
		ls := make([]line, len(src))
		for i, s := range src {
			ls[i] = newLine([]extract.Cell{{Text: s, Pos: extract.Pos{Line: i + 1, Col: 1}}}, true, 0)
		}
		reg := region{0, len(ls)}
		rd := reader{rep: &Report{}, lines: ls}
		start := time.Now()
		rd.readSquashedT2(reg, rd.read("table2", reg))
		rd.readSquashedT3(reg, rd.read("table3", reg))
		rd.readSquashedT4(reg, rd.read("table4", reg))
		if el := time.Since(start); el > 10*time.Second*slowdown {
			t.Fatalf("took %v", el)
		}
		rd.rep.eachValue(func(path string, v *Value) {
			if !v.Known() || v.Method == ByGrid && v.Raw == "" {
				return
			}
			p := v.Pos
			if p.Line < 1 || p.Line > len(src) {
				t.Fatalf("%s at %v: no such line", path, p)
			}
			lineRunes := []rune(foldWidth(src[p.Line-1]))
			first, _ := utf8.DecodeRuneInString(v.Raw)
			if p.Col < 1 || p.Col > len(lineRunes) || lineRunes[p.Col-1] != first {
				t.Fatalf("%s = %q at %v: the text there is not its first digit", path, v.Raw, p)
			}
		})
	})
}
