package transform

import "testing"

func TestMatchT3RowCanonicalLabels(t *testing.T) {
	// Every printed label of the 2021 form maps to its own row, in order.
	last := -1
	for row := 0; row < NumT3Printed; row++ {
		got, ok := matchT3Row(T3Rows[row].CN, last)
		if !ok || got != row {
			t.Errorf("matchT3Row(%q) = %d, %v; want %d", T3Rows[row].CN, got, ok, row)
		}
		last = row
	}
}

func TestMatchT3RowVariants(t *testing.T) {
	tests := []struct {
		label string
		after int
		want  int
		ok    bool
	}{
		// The seed's own spellings.
		{"三、本年度办理结果 (一) 予以公开", RowCarriedOver, RowGranted, true},
		{"(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)", RowGranted, RowPartiallyGranted, true},
		{"(三) 不予公开 1. 属于国家秘密", RowPartiallyGranted, RowWithheldFirst, true},
		{"3. 危及“三安全一稳定”", RowWithheldFirst + 1, RowWithheldFirst + 2, true},
		{"3.危及\"三安全一稳定\"", RowWithheldFirst + 1, RowWithheldFirst + 2, true},
		{"3.危及三安全一稳定", RowWithheldFirst + 1, RowWithheldFirst + 2, true},
		{"(六) 其他处理 1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", RowRejectedLast, RowOtherNoCorrection, true},
		{"3. 其他", RowOtherFeeUnpaid, RowOtherOther, true},
		{"(七) 总计", RowOtherOther, RowTotalProcessed, true},
		{"四、结转下年度继续办理", RowTotalProcessed, RowCarriedForward, true},
		{"四、结转下一年度继续办理", RowTotalProcessed, RowCarriedForward, true},
		// Typos and half-width/full-width mixtures seen in official publications.
		{"2.其他法律行政止公开", RowWithheldFirst, RowWithheldFirst + 1, true},
		{"１．本机关不掌握相关政府信息", RowWithheldLast, RowUnavailableFirst, true},
		{"（四）无法提供　1、本机关不掌握相关政府信息", RowWithheldLast, RowUnavailableFirst, true},
		// 补正 in two rows: the longer phrase decides.
		{"3.补正后申请内容仍不明确", RowUnavailableFirst + 1, RowUnavailableFirst + 2, true},
		// Labels split over lines by PDF text: leftovers of the previous label come first.
		{"具已获取信息 (六)其他处理 1.申请人无正当理由逾期不补正、行政机关不再", RowRejectedLast, RowOtherNoCorrection, true},
		{"5.要求行政机关确认或重新出", RowRejectedLast - 1, RowRejectedLast, true},
		{"本 年 度 (二)部分公开", RowGranted, RowPartiallyGranted, true},
		// Header words in front of the first row (one cell per line).
		{"(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和) 申请人情况 自然人 法人或其他组织 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计 一、本年新收政府信息公开申请数量", -1, RowNewReceived, true},
		// The 2019 single row.
		{"（六）其他处理", RowRejectedLast, RowOtherTotal, true},
		// Nothing to match.
		{"申请人情况", -1, 0, false},
		{"", -1, 0, false},
	}
	for _, tt := range tests {
		got, ok := matchT3Row(tt.label, tt.after)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("matchT3Row(%q, %d) = %d, %v; want %d, %v", tt.label, tt.after, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMatchT2AndT4(t *testing.T) {
	for _, tt := range []struct{ row, col, want string }{
		{"规章", "本年制发件数", "table2.rules.issued"},
		{"行政规范性文件", "现行有效件数", "table2.normative_documents.in_force"},
		{"规范性文件", "本年新制作数量", "table2.normative_documents.newly_made"},
		{"行政许可", "本年处理决定数量", "table2.licensing.decisions"},
		{"行政许可", "处理决定数量", "table2.licensing.decisions"},
		{"行政许可", "本年增/减", "table2.licensing.change"},
		{"行政事业性收费", "本年收费金额（单位：万元）", "table2.admin_fees.amount_wan_yuan"},
		{"政府集中采购", "采购总金额", "table2.central_procurement.amount_wan_yuan"},
	} {
		i, ok := matchT2(tt.row, tt.col)
		if !ok || T2[i].Path() != tt.want {
			t.Errorf("matchT2(%q, %q) = %v %v; want %s", tt.row, tt.col, i, ok, tt.want)
		}
	}
	if _, yuan, _ := matchT2Col("本年收费金额（单位：元）"); !yuan {
		t.Error("a fee header in 元 is not recognised as such")
	}
	for _, tt := range []struct {
		block, outcome string
		want           int
	}{
		{"行政复议", "结果 维持", 0}, {"行政复议", "总计", 4}, {"行政诉讼 未经复议直接起诉", "尚未 审结", 8}, {"复议后起诉", "其他 结果", 12},
	} {
		if got, ok := matchT4(tt.block, tt.outcome); !ok || got != tt.want {
			t.Errorf("matchT4(%q, %q) = %d %v; want %d", tt.block, tt.outcome, got, ok, tt.want)
		}
	}
}

func TestCityOfAndScope(t *testing.T) {
	for _, tt := range []struct{ body, city, scope string }{
		{"平顶山市城乡一体化示范区", "平顶山市", ScopeOrgan},
		{"淮安市洪泽区人民政府", "淮安市", ScopeRegional},
		{"洪泽区人民政府", "", ScopeRegional},
		{"上海市黄浦区人民政府打浦桥街道", "上海市", ScopeOrgan},
		{"江苏省南京市公安局", "南京市", ScopeOrgan},
		{"市场监督管理局", "", ScopeOrgan},
		{"北塘区市场监督管理局", "", ScopeOrgan},
		{"平顶山市市场监督管理局", "平顶山市", ScopeOrgan},
		{"某某县城市管理局", "", ScopeOrgan},
		{"城市管理局", "", ScopeOrgan},
		{"杭州市人民政府", "杭州市", ScopeRegional},
		{"甘孜藏族自治州人民政府", "甘孜藏族自治州", ScopeRegional},
		{"某某县某某镇人民政府", "", ScopeOrgan},
	} {
		if got := cityOf(tt.body); got != tt.city {
			t.Errorf("cityOf(%q) = %q, want %q", tt.body, got, tt.city)
		}
		r := &Report{Body: tt.body, City: tt.city}
		if r.detectScope(nil, nil, ""); r.Scope != tt.scope || r.ScopeBy != "body" {
			t.Errorf("scope of %q = %q by %q, want %q by body", tt.body, r.Scope, r.ScopeBy, tt.scope)
		}
	}
}
