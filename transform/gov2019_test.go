package transform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGov2019Format reads reports in the 2019 trial format, and ones that mix the formats, from
// small HTML pages of the QA corpus (fixtures/qa/html) and edits of them: a report that follows one format gets no
// finding on row order or a format mixture, a real mixture still does; signed 本年增/减 values
// with a typeset minus read as negative; an amount with no unit in header or cell is flagged.
func TestGov2019Format(t *testing.T) {
	const (
		otherRow = `<tr><td colspan="2">（六）其他处理</td><td>4</td><td>1</td><td>0</td><td>0</td><td>4</td><td>0</td><td>9</td></tr>`
		totalRow = `<tr><td colspan="2">（七）总计</td><td>30</td><td>8</td><td>0</td><td>3</td><td>7</td><td>2</td><td>50</td></tr>`
		subRow   = `<tr><td colspan="2">3.其他</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>`
	)
	type field struct {
		row, col string
		n        int64 // counts; millionths of 万元 for amounts
		any      bool  // any number will do
	}
	tests := []struct {
		name, file string
		edit       []string // old, new pairs applied to the page
		format     string
		values     []field
		want       []string // rule: a fragment of the message, each must be found
		not        []string // rule: a fragment of the message, none may be found ("" matches any)
	}{
		{name: "2019 report", file: "c11_gov2019.html", format: Gov2019,
			values: []field{{row: "other_external_services", col: "decisions", n: 685}, {row: "coercion", col: "change", n: -5},
				{row: "central_procurement", col: "amount_wan_yuan", n: 958571_440000}},
			want: []string{RuleT2Unit + ":未注明单位（958571.44），按万元读取"},
			not:  []string{RuleSRowOrder + ":", RuleXFormat + ":", RuleSRowsComplete + ":"}},
		{name: "2019 amount in 万元 by the header", file: "c11_gov2019.html", format: Gov2019,
			edit:   []string{`采购总金额<`, `采购总金额（万元）<`},
			values: []field{{row: "central_procurement", col: "amount_wan_yuan", n: 958571_440000}},
			not:    []string{RuleT2Unit + ":"}},
		{name: "2019 amount in 元 by the cell", file: "c11_gov2019.html", format: Gov2019,
			edit:   []string{`958571.44`, `958571.44元`},
			values: []field{{row: "central_procurement", col: "amount_wan_yuan", n: 95_857144}},
			want:   []string{RuleT2Unit + ":已换算为万元"},
			not:    []string{RuleT2Unit + ":未注明单位"}},
		{name: "2019 amount in 元 by the header", file: "c11_gov2019.html", format: Gov2019,
			edit:   []string{`采购总金额<`, `采购总金额（元）<`},
			values: []field{{row: "central_procurement", col: "amount_wan_yuan", n: 95_857144}},
			want:   []string{RuleT2Unit + ":已换算为万元"},
			not:    []string{RuleT2Unit + ":未注明单位"}},
		{name: "2019 rows out of order", file: "c11_gov2019.html", format: Gov2019,
			edit: []string{otherRow + "\n" + totalRow, totalRow + "\n" + otherRow},
			want: []string{RuleSRowOrder + ":“（六）其他处理”行出现在“（七）总计”行之后"}},
		{name: "2019 Table 3 with a 2021 sub-row", file: "c11_gov2019.html",
			edit: []string{otherRow, otherRow + "\n" + subRow},
			want: []string{RuleXFormat + ":表三为两种格式混用"}},
		{name: "2019 Table 2 with a 2021 column", file: "c11_gov2019.html",
			edit: []string{`<td>本年新制作数量</td>`, `<td>本年制发件数</td>`},
			want: []string{RuleXFormat + ":表二为两种格式混用"}},
		{name: "2021 Table 2, 2019 Table 3", file: "d10_2024_old_t3.html", format: Gov2019,
			values: []field{{row: "licensing", col: "decisions", any: true}},
			want:   []string{RuleXFormat + ":表二为2021年格式，表三为2019年试行格式"},
			not:    []string{RuleSRowOrder + ":", RuleSRowsComplete + ":表二"}},
		{name: "2021 （六） heading on its own row", file: "i03_heading_row_liu.html", format: Gov2021,
			not: []string{RuleSRowOrder + ":", RuleXFormat + ":", RuleSRowsComplete + ":"}},
		{name: "2019 minus sign U+2212", file: "g04_gov2019_signs.html", format: Gov2019,
			values: []field{{row: "penalty", col: "change", n: -3}, {row: "licensing", col: "change", n: -12}, {row: "other_external_services", col: "change", n: 7}},
			not:    []string{RuleSTextCell + ":", RuleT2NonNeg + ":"}},
		{name: "2019 en dash U+2013", file: "l02_gov2019_endash.html", format: Gov2019,
			values: []field{{row: "penalty", col: "change", n: -3}, {row: "coercion", col: "change", n: -9}, {row: "other_external_services", col: "change", n: -5}},
			not:    []string{RuleSTextCell + ":", RuleT2NonNeg + ":"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "fixtures", "qa", "html", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			page := string(data)
			for i := 0; i+1 < len(tt.edit); i += 2 {
				if !strings.Contains(page, tt.edit[i]) {
					t.Fatalf("the page has no %q to edit", tt.edit[i])
				}
				page = strings.Replace(page, tt.edit[i], tt.edit[i+1], 1)
			}
			r := transformText(t, tt.file, page)
			if tt.format != "" && r.FormatVersion != tt.format {
				t.Errorf("format %s, want %s", r.FormatVersion, tt.format)
			}
			for _, f := range tt.values {
				i, ok := t2Index(f.row, f.col)
				if !ok {
					t.Fatalf("no field %s.%s", f.row, f.col)
				}
				if v := r.T2[i]; !v.Known() || !f.any && v.N != f.n {
					t.Errorf("%s: %v %d (%q), want %d", T2[i].Path(), v.Kind, v.N, v.Raw, f.n)
				}
			}
			has := func(want string) bool {
				rule, frag, _ := strings.Cut(want, ":")
				for _, f := range r.Findings {
					if f.Rule == rule && strings.Contains(f.Message, frag) {
						return true
					}
				}
				return false
			}
			for _, w := range tt.want {
				if !has(w) {
					t.Errorf("no finding %s", w)
				}
			}
			for _, n := range tt.not {
				if has(n) {
					t.Errorf("unexpected finding %s", n)
				}
			}
			if t.Failed() {
				for _, f := range r.Findings {
					t.Logf("%s %s %s", f.Rule, f.Severity, f.Message)
				}
			}
		})
	}
}
