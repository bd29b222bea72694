package extract

import (
	"strconv"
	"strings"
)

// Workbooks written by programs (platform exports, scripts) often carry formulas without a cached
// value: Excel computes them when it opens the file, the reader saw an empty cell. The totals of
// the form are such formulas, and what they are is simple: SUM over ranges, cells added and
// subtracted. Those are computed here from the cells they name, as Excel would show them; any
// other formula, or one over a cell that is not a plain number (a number stored as text, which
// SUM leaves out, a boolean, an error, another sheet), stays without a value.

// computeFormulas fills in the value of every formula saved without one that can be computed.
func computeFormulas(g *sheetGrid, meta *sheetMeta) {
	if len(meta.noCache) == 0 {
		return
	}
	fe := &formulaEval{g: g, meta: meta, pending: map[cellRef]string{}, done: map[cellRef]*float64{}}
	for _, fc := range meta.noCache {
		if f, ok := fe.text(fc); ok {
			fe.pending[fc.cellRef] = f
		}
	}
	if len(meta.typed) > 0 {
		fe.typed = map[cellRef]bool{}
		for _, t := range meta.typed {
			fe.typed[t.cellRef] = true
		}
	}
	for _, fc := range meta.noCache {
		if v, ok := fe.value(fc.cellRef, 0); ok {
			if c := g.at(fc.row, fc.col); c != nil && c.text == "" {
				c.text, _ = plainNumber(strconv.FormatFloat(v, 'g', -1, 64))
			}
		}
	}
}

type formulaEval struct {
	g       *sheetGrid
	meta    *sheetMeta
	pending map[cellRef]string   // formula text of each cell without a value
	done    map[cellRef]*float64 // computed (nil: cannot be)
	typed   map[cellRef]bool
}

// text is a formula cell's formula, a shared one's translated from its master.
func (fe *formulaEval) text(fc formulaCell) (string, bool) {
	if !fc.shared || fc.formula != "…" {
		return fc.formula, fc.formula != "…"
	}
	m, ok := fe.meta.shared[fc.si]
	if !ok {
		return "", false
	}
	return shiftRefs(m.formula, fc.row-m.row, fc.col-m.col)
}

// value is a formula cell's value, computing the formulas it depends on; depth stops a cycle.
func (fe *formulaEval) value(at cellRef, depth int) (float64, bool) {
	if v, ok := fe.done[at]; ok {
		if v == nil {
			return 0, false
		}
		return *v, true
	}
	fe.done[at] = nil // while computing: a cycle finds no value
	if depth > 64 {
		return 0, false
	}
	v, ok := fe.eval(fe.pending[at], depth)
	if ok {
		fe.done[at] = &v
	}
	return v, ok
}

// cell is the value a formula takes from one cell: blank counts 0 (inSum: left out), a number its
// value; anything else has none.
func (fe *formulaEval) cell(at cellRef, depth int, inSum bool) (v float64, skip, ok bool) {
	if _, isF := fe.pending[at]; isF {
		v, ok := fe.value(at, depth+1)
		return v, false, ok
	}
	if fe.typed[at] || fe.meta.textNums[at] {
		return 0, false, false
	}
	t := strings.TrimSpace(fe.g.text(at.row, at.col))
	if t == "" {
		return 0, inSum, true
	}
	if n, err := strconv.ParseFloat(t, 64); err == nil {
		return n, false, true
	}
	return 0, inSum, inSum // SUM leaves out a word; + fails on it
}

// eval computes a formula made of numbers, cell references and SUM(...) of references and
// ranges, joined by + and -.
func (fe *formulaEval) eval(f string, depth int) (float64, bool) {
	toks, ok := formulaTokens(f)
	if !ok || len(toks) == 0 {
		return 0, false
	}
	total, sign, i := 0.0, 1.0, 0
	expectTerm := true
	for i < len(toks) {
		t := toks[i]
		switch {
		case !expectTerm && (t == "+" || t == "-"):
			sign = 1
			if t == "-" {
				sign = -1
			}
			expectTerm = true
			i++
		case expectTerm && t == "-":
			sign = -sign
			i++
		case expectTerm && strings.EqualFold(t, "SUM(") || expectTerm && t == "(":
			// SUM(a, b:c, …) or a plain group of the same kind.
			sum := 0.0
			i++
			for {
				if i >= len(toks) {
					return 0, false
				}
				lo, hi, ok := parseRange(toks[i])
				if !ok {
					return 0, false
				}
				for r := lo.row; r <= min(hi.row, len(fe.g.grid)); r++ {
					for c := lo.col; c <= min(hi.col, fe.g.width); c++ {
						v, skip, ok := fe.cell(cellRef{r, c}, depth, true)
						if !ok {
							return 0, false
						}
						if !skip {
							sum += v
						}
					}
				}
				i++
				if i < len(toks) && toks[i] == "," {
					i++
					continue
				}
				if i < len(toks) && toks[i] == ")" {
					i++
					break
				}
				return 0, false
			}
			total += sign * sum
			expectTerm = false
		case expectTerm:
			if n, err := strconv.ParseFloat(t, 64); err == nil && (t[0] >= '0' && t[0] <= '9' || t[0] == '.') {
				total += sign * n
			} else if at, ok := parseRef(t); ok {
				v, _, ok := fe.cell(at, depth, false)
				if !ok {
					return 0, false
				}
				total += sign * v
			} else {
				return 0, false
			}
			expectTerm = false
			i++
		default:
			return 0, false
		}
	}
	return total, !expectTerm
}

// formulaTokens cuts a formula into references and ranges (A1, $B$2:C9), numbers, "SUM(", "(",
// ")", ",", "+" and "-". Anything else (another function, another sheet, an operator) fails.
func formulaTokens(f string) ([]string, bool) {
	var toks []string
	for i := 0; i < len(f); {
		c := f[i]
		switch {
		case c == ' ':
			i++
		case c == '+' || c == '-' || c == '(' || c == ')' || c == ',':
			toks = append(toks, string(c))
			i++
		case c == '$' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.':
			j := i
			for j < len(f) && (f[j] == '$' || f[j] == ':' || f[j] == '.' || f[j] >= 'A' && f[j] <= 'Z' || f[j] >= 'a' && f[j] <= 'z' || f[j] >= '0' && f[j] <= '9') {
				j++
			}
			w := f[i:j]
			if j < len(f) && f[j] == '(' {
				if !strings.EqualFold(w, "SUM") {
					return nil, false
				}
				w += "("
				j++
			}
			toks = append(toks, w)
			i = j
		default:
			return nil, false
		}
	}
	return toks, true
}

// parseRef reads A1 or $A$1.
func parseRef(s string) (cellRef, bool) {
	s = strings.ReplaceAll(s, "$", "")
	i := 0
	col := 0
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') && i < 3 {
		col = col*26 + int(s[i]|0x20-'a') + 1
		i++
	}
	if i == 0 || i == len(s) {
		return cellRef{}, false
	}
	row, err := strconv.Atoi(s[i:])
	if err != nil || row < 1 || row > 1<<20 || col > maxGridColumns {
		return cellRef{}, false
	}
	return cellRef{row, col}, true
}

// parseRange reads a reference or a range of them.
func parseRange(s string) (lo, hi cellRef, ok bool) {
	a, b, isRange := strings.Cut(s, ":")
	if lo, ok = parseRef(a); !ok {
		return
	}
	hi = lo
	if isRange {
		if hi, ok = parseRef(b); !ok {
			return
		}
	}
	if lo.row > hi.row {
		lo.row, hi.row = hi.row, lo.row
	}
	if lo.col > hi.col {
		lo.col, hi.col = hi.col, lo.col
	}
	return lo, hi, true
}

// shiftRefs moves the relative references of a shared formula's master to a cell dr rows and dc
// columns away; $ keeps a row or column where it is.
func shiftRefs(f string, dr, dc int) (string, bool) {
	toks, ok := formulaTokens(f)
	if !ok {
		return "", false
	}
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ') // tokens apart, as they were read ("0 (" is not "0(")
		}
		if strings.HasSuffix(t, "(") || len(t) == 1 && strings.ContainsAny(t, "+-(),") {
			b.WriteString(t)
			continue
		}
		if t[0] >= '0' && t[0] <= '9' || t[0] == '.' {
			b.WriteString(t) // a number
			continue
		}
		for k, part := range strings.Split(t, ":") {
			if k > 0 {
				b.WriteByte(':')
			}
			moved, ok := shiftRef(part, dr, dc)
			if !ok {
				return "", false
			}
			b.WriteString(moved)
		}
	}
	return b.String(), true
}

func shiftRef(s string, dr, dc int) (string, bool) {
	absCol := strings.HasPrefix(s, "$")
	rest := strings.TrimPrefix(s, "$")
	i := 0
	for i < len(rest) && (rest[i] >= 'A' && rest[i] <= 'Z' || rest[i] >= 'a' && rest[i] <= 'z') {
		i++
	}
	letters, num := rest[:i], rest[i:]
	absRow := strings.HasPrefix(num, "$")
	at, ok := parseRef(letters + strings.TrimPrefix(num, "$"))
	if !ok {
		return "", false
	}
	if !absCol {
		at.col += dc
	}
	if !absRow {
		at.row += dr
	}
	if at.row < 1 || at.col < 1 {
		return "", false
	}
	return ColumnName(at.col) + strconv.Itoa(at.row), true
}
