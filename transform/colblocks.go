package transform

// A long Table 3 is sometimes printed in column blocks, the way a table too wide for the page is:
// every row with 自然人 to 社会公益组织 first, then every row again with 法律服务机构, 其他 and
// 总计 (after a （续表） or a repeated header). Read row by row, each label then comes twice with
// part of its values, and neither part is a row of seven. mergeColumnBlocks puts the parts of
// each row back together, left block first, when the table is exactly that: the same rows in
// every block, in the form's order, each block with a fixed number of values, the blocks' counts
// adding up to seven. The identities then check the result like any other row.

// mergeColumnBlocks returns rows with the column blocks of Table 3 joined, or rows itself; sizes
// is how many values each block gave, nil when nothing was joined.
func mergeColumnBlocks(rows []logicalRow) (out []logicalRow, sizes []int) {
	// Cheap precheck: a table of whole rows has no row with some but not all of its values.
	partial := false
	for i := range rows {
		if n := len(rows[i].vals); n > 0 && n < NumT3Cols && !allBlank(rows[i].vals) {
			partial = true
			break
		}
	}
	if !partial {
		return rows, nil
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
			return rows, nil // an unlabelled row: not a table this can take apart safely
		}
		if len(blocks) == 0 || !t3After(row, last) {
			blocks = append(blocks, nil)
		}
		blocks[len(blocks)-1] = append(blocks[len(blocks)-1], member{i, row})
		last = row
	}
	if len(blocks) < 2 {
		return rows, nil
	}
	total := 0
	sizes = make([]int, 0, len(blocks))
	for _, b := range blocks {
		if len(b) != len(blocks[0]) {
			return rows, nil
		}
		n := len(rows[b[0].idx].vals)
		for k, m := range b {
			if m.row != blocks[0][k].row || len(rows[m.idx].vals) != n {
				return rows, nil
			}
		}
		total += n
		sizes = append(sizes, n)
	}
	if total != NumT3Cols {
		return rows, nil
	}
	out = make([]logicalRow, 0, len(blocks[0]))
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
	return out, sizes
}

// blockColumnOrder reads the columns of a Table 3 printed in column blocks from each block's own
// header. The blocks are joined by their counts, left block first; a block whose header names its
// columns in another order (其他 before 法律服务机构) would put numbers in the wrong cells while
// every identity still holds, since a permutation of columns keeps every sum. A block's header is
// the lines between it and the block before; one of its lines must name as many columns as the
// block has values, each once, or name just the organisation types the counts give the block
// (the form's three-row header, 总计 on a line of its own: it keeps its place). The headers are
// matched to the blocks in order, so there must be one per block; headers naming a column twice
// are a conflict, and the values stay in the form's order.
func (rd *reader) blockColumnOrder(reg region, sizes []int) columnOrder {
	var buf [maxHits]wordHit
	named := make([][]int, 0, len(sizes)) // per block, its columns in printed order
	lines := make([]int, 0, len(sizes))   // the header line that named them
	full := make([]bool, 0, len(sizes))   // named by a line naming the whole block
	inRun := false
	at := 0 // the block's first column by the counts
	for i := reg.start; i < reg.end; i++ {
		ln := &rd.lines[i]
		_, _, vals := splitLine(ln, nil)
		if !allBlank(vals) {
			inRun = false
			continue
		}
		hits := findWords(ln.norm, t3ColWords[:], t3HeaderMask, buf[:0])
		if len(hits) < 2 {
			continue
		}
		if !inRun {
			if len(named) > 0 {
				at += sizes[len(named)-1]
			}
			named, lines, full, inRun = append(named, nil), append(lines, i), append(full, false), true
		}
		k := len(named) - 1
		if k >= len(sizes) || full[k] {
			continue
		}
		if cols := blockHeader(hits, at, sizes[k]); cols != nil && (named[k] == nil || len(hits) == sizes[k]) {
			named[k], lines[k], full[k] = cols, i, len(hits) == sizes[k]
		}
	}
	if len(named) != len(sizes) {
		return columnOrder{}
	}
	var order []int
	o := columnOrder{line: -1}
	for b, cols := range named {
		if cols == nil {
			return columnOrder{}
		}
		for k, c := range cols {
			if c != len(order)+k && o.line < 0 {
				o.line = lines[b] // the finding points at the first block printed otherwise
			}
		}
		order = append(order, cols...)
	}
	if isIdentity(order) {
		return columnOrder{}
	}
	var seen [NumT3Cols]bool
	for _, c := range order {
		if seen[c] {
			o.conflict = true
			return o
		}
		seen[c] = true
	}
	o.order = order
	for _, c := range order {
		o.printed = append(o.printed, T3Cols[c].CN)
	}
	return o
}

// blockHeader is the printed order of the columns of a block of n values starting at the form's
// column at, from one header line's words: every column of the block named once, or just its
// organisation types, the others keeping their places. Nil when the line says neither.
func blockHeader(hits []wordHit, at, n int) []int {
	var count [NumT3Cols]int
	for _, h := range hits {
		count[h.col]++
		if count[h.col] > 1 {
			return nil
		}
	}
	cols := make([]int, 0, n)
	if len(hits) == n {
		for _, h := range hits {
			cols = append(cols, h.col)
		}
		return cols
	}
	// Just the organisation types of the block's range, in some order.
	orgs := 0
	for c := at; c < at+n; c++ {
		if c >= 1 && c <= 5 {
			orgs++
			if count[c] == 0 {
				return nil
			}
		}
	}
	if orgs != len(hits) {
		return nil
	}
	k := 0
	for c := at; c < at+n; c++ {
		if c >= 1 && c <= 5 {
			cols = append(cols, hits[k].col)
			k++
		} else {
			cols = append(cols, c)
		}
	}
	return cols
}
