package transform

import (
	"slices"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
)

// TestGatherHoles: words standing where numbers belong become holes of the run they sit in; row
// labels, ordinals and header words never do.
func TestGatherHoles(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		labels []string // the segments' labels after gathering
		runs   []string
		holes  [][]string // per segment: the holes' words
		at     [][]int    // and their places in the run
	}{
		{"a numeral between label and run", "(七)总计四十三10000457", []string{"(七)总计"}, []string{"10000457"}, [][]string{{"四十三"}}, [][]int{{0}}},
		{"a Latin word with a blank after it", "(七)总计abc 10 0 004 57", []string{"(七)总计"}, []string{"10000457"}, [][]string{{"abc"}}, [][]int{{0}}},
		{"a word inside a run", "(七)总计1e3010000457", []string{"(七)总计"}, []string{"13010000457"}, [][]string{{"e"}}, [][]int{{1}}},
		{"an approximation", "(七)总计约4310000457", []string{"(七)总计"}, []string{"4310000457"}, [][]string{{"约"}}, [][]int{{0}}},
		{"a word before the next row's ordinal", "3.其他1000001(七)总计431000045abc四、结转下年度继续办理0000000",
			[]string{"3.其他", "(七)总计", "四、结转下年度继续办理"}, []string{"1000001", "431000045", "0000000"},
			[][]string{nil, {"abc"}, nil}, [][]int{nil, {9}, nil}},
		{"plain rows have none", "(六)其他处理4000004(七)总计4310000457", []string{"(六)其他处理", "(七)总计"}, []string{"4000004", "4310000457"}, [][]string{nil, nil}, [][]int{nil, nil}},
		{"Table 4 header words are no holes", "行政复议结果维持00100行政诉讼未经复议直接起诉结果维持00000",
			[]string{"行政复议结果维持", "行政诉讼未经复议直接起诉结果维持"}, []string{"00100", "00000"}, [][]string{nil, nil}, [][]int{nil, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs := gatherHoles(scanSegments(streamOf(tt.text), false))
			if len(segs) != len(tt.runs) {
				t.Fatalf("%d segments, want %d: %+v", len(segs), len(tt.runs), segs)
			}
			for i, sg := range segs {
				var words []string
				var at []int
				for _, h := range sg.run.holes {
					words, at = append(words, h.text), append(at, h.at)
				}
				if normLabel(sg.label) != normLabel(tt.labels[i]) || string(sg.run.digits) != tt.runs[i] || !slices.Equal(words, tt.holes[i]) || !slices.Equal(at, tt.at[i]) {
					t.Errorf("segment %d = %q %q holes %q at %v; want %q %q holes %q at %v", i, sg.label, sg.run.digits, words, at, tt.labels[i], tt.runs[i], tt.holes[i], tt.at[i])
				}
			}
		})
	}
}

// TestHoleReadings: the word is one cell; a numeral must satisfy the row's identity (else it is
// placed as text would be), text takes the value the identity implies, and digits touching a
// word may be its own.
func TestHoleReadings(t *testing.T) {
	tests := []struct {
		text string
		want string // a reading that must be among them, "word@cell"
		n    int    // how many readings, -1 for any
	}{
		{"(七)总计四十三10000457", "43|10|0|0|0|4|57@0", 1},
		{"(七)总计一百二十10000457", "43|10|0|0|0|4|57@0", -1}, // 120 breaks the identity: placed as text
		{"(七)总计abc10000457", "43|10|0|0|0|4|57@0", -1},
		{"(七)总计约4310000457", "43|10|0|0|0|4|57@0", -1},
		{"(七)总计1e3010000457", "43|10|0|0|0|4|57@0", -1},
		{"(七)总计4310000abc57", "43|10|0|0|0|4|57@5", -1},
	}
	for _, tt := range tests {
		segs := gatherHoles(scanSegments(streamOf(tt.text), false))
		if len(segs) != 1 || len(segs[0].run.holes) != 1 {
			t.Fatalf("%s: segments %+v", tt.text, segs)
		}
		rs, why := holeReadings(&segs[0].run, shapeT3)
		if why != "" {
			t.Fatalf("%s: %s", tt.text, why)
		}
		var got []string
		found := false
		for _, r := range rs {
			s := digitsOf(r) + "@" + string(rune('0'+r.hole-1))
			got = append(got, s)
			found = found || s == tt.want
		}
		if !found || tt.n >= 0 && len(rs) != tt.n {
			t.Errorf("%s: readings %v; want %s among %d", tt.text, got, tt.want, tt.n)
		}
	}
	// Two words in one row: nothing to place them by.
	segs := gatherHoles(scanSegments(streamOf("(七)总计abc10x000457"), false))
	if _, why := holeReadings(&segs[0].run, shapeT3); why != "words" {
		t.Errorf("two words: why %q, want words", why)
	}
}

// TestT2Readings: signs start numbers and only a 本年增/减 column takes one, a decimal point belongs
// to the last column's amount, an item count plus its change is not negative; a run split by
// blanks into exactly the columns is read as printed.
func TestT2Readings(t *testing.T) {
	f := func(row string, cols ...string) []int {
		var out []int
		for _, c := range cols {
			i, ok := t2Index(row, c)
			if !ok {
				t.Fatalf("no field %s.%s", row, c)
			}
			out = append(out, i)
		}
		return out
	}
	three := []string{"prior_year_items", "change", "decisions"}
	tests := []struct {
		name   string
		text   string
		fields []int
		yuan   bool
		want   []string // every reading, as printed
		why    string
	}{
		{"a sign ends the first number", "行政处罚2648-18538", f("penalty", three...), false,
			[]string{"2648|-1|8538", "2648|-18|538", "2648|-185|38", "2648|-1853|8"}, ""},
		{"one cut", "行政事业性收费35-15", f("admin_fees", "prior_year_items", "change"), false, []string{"35|-15"}, ""},
		{"a change cannot take the count below zero", "行政处罚10-50", f("penalty", three...), false, []string{"10|-5|0"}, ""},
		{"a sign where none belongs", "规章5-3", f("rules", "newly_made", "newly_published", "published_total"), false, nil, "none"},
		{"the amount keeps the decimals", "政府集中采购120.5", f("central_procurement", "projects", "amount_wan_yuan"), false,
			[]string{"1|20.5", "12|0.5"}, ""},
		{"an amount in 元", "政府集中采购12500.00元", f("central_procurement", "projects", "amount_wan_yuan"), true,
			[]string{"1|2500.00元", "12|500.00元", "1250|0.00元"}, ""},
		{"delimited", "规章 1 2 3", f("rules", "newly_made", "newly_published", "published_total"), false, []string{"1|2|3"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs := scanSegments(streamOf(tt.text), true)
			if len(segs) != 1 {
				t.Fatalf("segments %+v", segs)
			}
			rs, _, why := t2Readings(&segs[0].run, tt.fields, tt.yuan)
			var got []string
			for _, r := range rs {
				got = append(got, digitsOf(r))
			}
			if why != tt.why || !slices.Equal(got, tt.want) {
				t.Errorf("readings %v (%q), want %v (%q)", got, why, tt.want, tt.why)
			}
		})
	}
	// 元 is converted: 12500 元 = 1.25 万元.
	segs := scanSegments(streamOf("政府集中采购112500元"), true)
	rs, _, _ := t2Readings(&segs[0].run, f("central_procurement", "projects", "amount_wan_yuan"), true)
	for _, r := range rs {
		if r.texts[0] == "1" && r.vals[1] != 1_250000 {
			t.Errorf("1|12500元: amount %d millionths of 万元, want 1250000", r.vals[1])
		}
	}
}

// TestSquashedT2Word: a word before a Table 2 run leaves the row null with a finding; Table 2 has no
// identity to place the word by.
func TestSquashedT2Word(t *testing.T) {
	for _, text := range []string{"规章000\n行政许可约68\n行政处罚27", "规章000\n行政许可abc68\n行政处罚27"} {
		src := strings.Split(text, "\n")
		ls := make([]line, len(src))
		for i, s := range src {
			ls[i] = newLine([]extract.Cell{{Text: s, Pos: extract.Pos{Line: i + 1, Col: 1}}}, true, 0)
		}
		reg := region{0, len(ls)}
		rd := reader{rep: &Report{}, lines: ls}
		if !rd.readSquashedT2(reg, rd.read("table2", reg)) {
			t.Fatalf("%q: not read as squashed", text)
		}
		if v := rd.rep.T2[T2Licensing]; v.Known() {
			t.Errorf("%q: licensing = %d, want null", text, v.N)
		}
		if v := rd.rep.T2[T2Penalty]; !v.Known() || v.N != 27 {
			t.Errorf("%q: penalty = %v %d, want 27", text, v.Kind, v.N)
		}
		found := false
		for _, f := range rd.rep.Findings {
			found = found || f.Rule == "S.TEXT_CELL" && slices.Contains(f.Cells, T2[T2Licensing].Path())
		}
		if !found {
			t.Errorf("%q: no S.TEXT_CELL finding names licensing", text)
		}
	}
}
