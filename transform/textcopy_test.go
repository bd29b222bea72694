package transform

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/govreports/govreports/extract"
)

// TestTextCopySeparators reads plain text copied from web pages whose tables are delimited in
// different ways (report-format.md §7.1): a table with tabs next to tables without, rows two
// spaces apart with a few one space apart, a Table 3 of blank-collapsed rows beside a Table 2 of
// single-spaced ones, and the 2019 Table 2 with its header on one space-separated line. Every value
// of the tables named must be read as fixtures/qa/text/NAME.truth.json has it.
func TestTextCopySeparators(t *testing.T) {
	tests := []struct {
		name   string
		tables []string // the tables compared with the truth
	}{
		{"11d_t2_tab_then_nbsp", []string{"table2", "table3", "table4"}},
		{"13_min_nbsp", []string{"table2", "table3", "table4"}},
		// Table 3's rows with blanks collapsed away are ambiguous and stay null (with findings).
		{"18c_blank_zero_spaces", []string{"table2", "table4"}},
		{"16b_2019_spaces", []string{"table2", "table3", "table4"}},
		{"16d_2019_raw", []string{"table2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := filepath.Join("..", "fixtures", "qa", "text", tt.name)
			text, err := os.ReadFile(base + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			var truth map[string]any
			if b, err := os.ReadFile(base + ".truth.json"); err != nil {
				t.Fatal(err)
			} else if err := json.Unmarshal(b, &truth); err != nil {
				t.Fatal(err)
			}
			r := transformText(t, tt.name+".txt", string(text))
			var got map[string]any
			if err := json.Unmarshal(AppendJSON(nil, r), &got); err != nil {
				t.Fatal(err)
			}
			want, have := map[string]float64{}, map[string]any{}
			for _, tab := range tt.tables {
				flatten(tab, truth[tab], func(path string, v any) {
					if f, ok := v.(float64); ok {
						want[path] = f
					}
				})
				flatten(tab, got[tab], func(path string, v any) { have[path] = v })
			}
			if len(want) == 0 {
				t.Fatal("the truth has no values")
			}
			for path, w := range want {
				if g, ok := have[path].(float64); !ok || math.Abs(g-w) > 1e-9 {
					t.Errorf("%s = %v, want %v", path, have[path], w)
				}
			}
		})
	}
}

// flatten calls fn with every leaf of a decoded JSON object and its dotted path.
func flatten(path string, v any, fn func(string, any)) {
	m, ok := v.(map[string]any)
	if !ok {
		fn(path, v)
		return
	}
	for k, c := range m {
		flatten(fmt.Sprintf("%s.%s", path, k), c, fn)
	}
}

// TestT2HeaderOneCell reads Table 2 header lines whose column names share one cell: each name is a
// column, in order, with the unit printed after it; a cell of one name stays one column.
func TestT2HeaderOneCell(t *testing.T) {
	tests := []struct {
		cell string
		want string // key/yuan/unit per column
	}{
		{"信息内容 本年新制作数量 本年新公开数量 对外公开总数量", "newly_made/false/false newly_published/false/false published_total/false/false"},
		{"信息内容 本年制发件数 本年废止件数 现行有效件数", "issued/false/false repealed/false/false in_force/false/false"},
		{"信息内容 上一年项目数量 本年增/减 处理决定数量", "prior_year_items/false/false change/false/false decisions/false/false"},
		{"信息内容 采购项目数量 采购总金额（元）", "projects/false/false amount_wan_yuan/true/true"},
		{"信息内容 采购项目数量 采购总金额（万元）", "projects/false/false amount_wan_yuan/false/true"},
		{"信息内容 本年收费金额（单位：万元）", ""},
		{"本年收费金额（单位：元）", "amount_wan_yuan/true/true"},
	}
	for _, tt := range tests {
		t.Run(tt.cell, func(t *testing.T) {
			ln := newLine([]extract.Cell{{Text: tt.cell}}, true, 0)
			cols, ok := t2Header(&ln)
			if !ok {
				t.Fatal("not a header")
			}
			got := ""
			for _, c := range cols {
				if got != "" {
					got += " "
				}
				got += fmt.Sprintf("%s/%v/%v", c.key, c.yuan, c.unit)
			}
			if got != tt.want {
				t.Errorf("columns %q, want %q", got, tt.want)
			}
		})
	}
}
