package transform

// A long Table 3 is sometimes printed in column blocks, the way a table too wide for the page is:
// every row with 自然人 to 社会公益组织 first, then every row again with 法律服务机构, 其他 and
// 总计 (after a （续表） or a repeated header). Read row by row, each label then comes twice with
// part of its values, and neither part is a row of seven. mergeColumnBlocks puts the parts of
// each row back together, left block first, when the table is exactly that: the same rows in
// every block, in the form's order, each block with a fixed number of values, the blocks' counts
// adding up to seven. The identities then check the result like any other row.

// mergeColumnBlocks returns rows with the column blocks of Table 3 joined, or rows itself.
func mergeColumnBlocks(rows []logicalRow) []logicalRow {
	// Cheap precheck: a table of whole rows has no row with some but not all of its values.
	partial := false
	for i := range rows {
		if n := len(rows[i].vals); n > 0 && n < NumT3Cols && !allBlank(rows[i].vals) {
			partial = true
			break
		}
	}
	if !partial {
		return rows
	}
	// Split the labelled rows with values into blocks: a block ends where the form's order
	// starts again.
	type member struct{ idx, row int }
	var blocks [][]member
	last := -1
	for i := range rows {
		r := &rows[i]
		if len(r.vals) == 0 {
			continue
		}
		row, ok := matchT3Row(r.label, last)
		if !ok && allBlank(r.vals) {
			continue // a header line padded with empty cells
		}
		if !ok {
			return rows // an unlabelled row: not a table this can take apart safely
		}
		if len(blocks) == 0 || !t3After(row, last) {
			blocks = append(blocks, nil)
		}
		blocks[len(blocks)-1] = append(blocks[len(blocks)-1], member{i, row})
		last = row
	}
	if len(blocks) < 2 {
		return rows
	}
	total := 0
	for _, b := range blocks {
		if len(b) != len(blocks[0]) {
			return rows
		}
		n := len(rows[b[0].idx].vals)
		for k, m := range b {
			if m.row != blocks[0][k].row || len(rows[m.idx].vals) != n {
				return rows
			}
		}
		total += n
	}
	if total != NumT3Cols {
		return rows
	}
	out := make([]logicalRow, 0, len(blocks[0]))
	for k, m := range blocks[0] {
		r := rows[m.idx]
		vals := make([]valCell, 0, NumT3Cols)
		for _, b := range blocks {
			o := &rows[b[k].idx]
			vals = append(vals, o.vals...)
			r.lines = max(r.lines, o.lines)
		}
		r.vals = vals
		// Values gathered from two places on the page: a reassembled row, not one grid line.
		r.lines = max(r.lines, 2)
		out = append(out, r)
	}
	return out
}
