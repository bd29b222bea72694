package transform

import (
	"testing"
)

func TestFuzzyT3Match(t *testing.T) {
	tests := []struct {
		label     string
		after     int
		want      int
		ok        bool
		lookalike bool
	}{
		// OCR look-alikes: 密→蜜, 务→条.
		{"1.属于国家秘蜜", RowPartiallyGranted, RowWithheldFirst, true, false},
		{"5.属于三类内部事条信息", RowWithheldFirst + 3, RowWithheldFirst + 4, true, false},
		// One character substituted, dropped or added.
		{"4.保护第三放合法权益", RowWithheldFirst + 2, RowWithheldFirst + 3, true, false},
		{"1.本机关不掌相关政府信息", RowWithheldLast, RowUnavailableFirst, true, false},
		{"2.重复重申请", RowRejectedFirst, RowRejectedFirst + 1, true, false},
		// Look-alikes only: exact once folded.
		{"1.本机关不掌握相关政府信息", RowWithheldLast, RowUnavailableFirst, true, true},
		// Too far from every row.
		{"合计金额", -1, 0, false, false},
		{"申请人情况", -1, 0, false, false},
		{"", -1, 0, false, false},
	}
	for _, tt := range tests {
		m, ok := fuzzyT3Match(tt.label, tt.after)
		if ok != tt.ok || ok && m.row != tt.want {
			t.Errorf("fuzzyT3Match(%q, %d) = %d, %v; want %d, %v", tt.label, tt.after, m.row, ok, tt.want, tt.ok)
		}
		if ok && tt.lookalike && m.dist != 0 {
			t.Errorf("fuzzyT3Match(%q): distance %d, want an exact look-alike match", tt.label, m.dist)
		}
	}
}

// Every canonical label matches exactly, and approximately to itself at distance 0.
func TestFuzzyOnlyWhenExactFails(t *testing.T) {
	for row := 0; row < NumT3Printed; row++ {
		if _, ok := matchT3Row(T3Rows[row].CN, row-1); !ok {
			t.Errorf("canonical label %q does not match exactly", T3Rows[row].CN)
		}
		if row == RowOtherOther || row == RowTotalProcessed {
			continue // 其他, 总计: too short to match approximately, and never tried that way
		}
		if m, ok := fuzzyT3Match(T3Rows[row].CN, row-1); !ok || m.row != row || m.dist != 0 {
			t.Errorf("fuzzyT3Match(%q) = %+v, %v", T3Rows[row].CN, m, ok)
		}
	}
}

func TestFuzzyT3RowFinding(t *testing.T) {
	rd := reader{rep: &Report{}}
	row, ok := rd.fuzzyT3Row("4.保护第三放合法权益", RowWithheldFirst+2, "12:3")
	if !ok || row != RowWithheldFirst+3 {
		t.Fatalf("row %d ok %v", row, ok)
	}
	if len(rd.rep.Findings) != 1 || rd.rep.Findings[0].Rule != "S.FUZZY_LABEL" || rd.rep.Findings[0].Severity != SevInfo || rd.rep.Findings[0].Place != "12:3" {
		t.Errorf("findings %+v", rd.rep.Findings)
	}
}

func TestApproxFind(t *testing.T) {
	tests := []struct {
		pat, text string
		dist      int
	}{
		{"予以公开", "(一)予以公开", 0},
		{"予以公开", "(一)予公开", 1},
		{"予以公开", "(一)予以x公开", 1},
		{"予以公开", "不予处理", 3},
	}
	for _, tt := range tests {
		if d, _ := approxFind([]rune(tt.pat), []rune(tt.text)); d != tt.dist {
			t.Errorf("approxFind(%q, %q) = %d, want %d", tt.pat, tt.text, d, tt.dist)
		}
	}
}
