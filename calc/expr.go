package calc

import "math"

// ParseQuantity reads a value as authors write it: "300M users", "5 MB",
// "1.5B" (billion), "1.5 B" (bytes), "$0.023/GB/month", "25%". Anything an
// input's right-hand side accepts is accepted, including constant arithmetic
// such as "1/10" or "2 * 3 KB", but not "as". Values must lie within
// 10⁻²⁰⁰..10²⁰⁰ base units (or be zero) so that every parsed value can be
// formatted and read back. The error, if any, is an *Error.
func ParseQuantity(s string) (Quantity, error) {
	return exprResult(evalConst(s, nil, false))
}

// EvalExpr evaluates a standalone constant expression, such as
// "300M * 5 / day as /s", with the full function library. It is what the
// terminal command runs. The error, if any, is an *Error.
func EvalExpr(expr string) (Quantity, error) {
	return exprResult(evalConst(expr, nil, true))
}

// EvalExprIn evaluates a standalone constant expression as EvalExpr does,
// but knowing the count nouns and units of sheet s (not its cells): the
// prose of a site whose sheets share nouns and units quotes constants in
// them. (A function, not a method: the linker keeps a method the engine's
// WebAssembly build never calls.) The error, if any, is an *Error.
func EvalExprIn(s *Sheet, expr string) (Quantity, error) {
	return exprResult(evalConst(expr, s, true))
}

// exprResult turns a nil *Error into a nil error.
func exprResult(q Quantity, err *Error) (Quantity, error) {
	if err != nil {
		return q, err
	}
	return q, nil
}

// evalConst parses, compiles and evaluates a one-line expression without
// cells, with the count nouns and units of sh (nil for none).
func evalConst(s string, sh *Sheet, allowAs bool) (Quantity, *Error) {
	var errs errList
	var n *node
	if i := indexByte(s, '\n'); i >= 0 {
		errs.add(i, "expected a single line")
	}
	// The sheet's words, not its cells: a value cannot refer to a cell.
	words := &Sheet{}
	if sh != nil {
		words.Nouns, words.units = sh.Nouns, sh.units
	}
	p := &parser{src: s, errs: &errs, stop: stopWords[:6], sheet: words}
	if len(errs) == 0 {
		p.lex(0, len(s))
	}
	if len(errs) == 0 {
		n = p.parseExpr()
	}
	if n != nil && p.peek().kind != tEOF {
		t := p.peek()
		errs.add(t.pos, msg("unexpected \"{}\"", p.text(t)))
	}
	if len(errs) == 0 && !allowAs && n.kind == nAs {
		errs.add(n.at, "\"as\" is not allowed in a value")
	}
	if len(errs) == 0 {
		(&compiler{src: s, sheet: words, errs: &errs}).compile(n)
	}
	if len(errs) == 0 && !allowAs {
		if a := math.Abs(n.val); a > 1e200 || (a != 0 && a < 1e-200) {
			errs.add(n.pos, "the value is out of range (beyond 10²⁰⁰ or below 10⁻²⁰⁰ base units)")
		}
	}
	if len(errs) > 0 {
		return Quantity{}, posError(s, errs[0].pos, errs[0].msg)
	}
	return Quantity{v: n.val, dim: n.dim, noun: n.noun, unit: n.hint}, nil
}

// evalOverride reads a reader's value for an input: one value, or a range
// "200M..400M users" whose low end, written without a unit, takes the high
// end's. The ends may also be joined as figures show them: "200M–400M" or
// "-$5 to $10". The high end is nil for a single value.
func evalOverride(s string, sh *Sheet) (Quantity, *Quantity, *Error) {
	i, n := rangeSep(s)
	if n == 0 {
		q, err := evalConst(s, sh, false)
		return q, nil, err
	}
	lo, err := evalConst(s[:i], sh, false)
	if err != nil {
		return lo, nil, err
	}
	hi, err := evalConst(s[i+n:], sh, false)
	if err != nil {
		err.Col += i + n
		return lo, nil, err
	}
	if lo.dim == dimCount && hi.dim != dimCount && lo.noun == "" {
		if hi.unit != nil && hi.unit.dim == hi.dim {
			lo.v *= hi.unit.factor
		}
		lo.dim, lo.unit = hi.dim, hi.unit
	}
	if lo.noun == "" {
		lo.noun = hi.noun
	}
	return lo, &hi, nil
}

// rangeSep finds what joins the ends of a range in s: "..", an en dash
// after a digit or unit (not a minus), or " to ". It returns the offset and
// length, or a length of 0.
func rangeSep(s string) (int, int) {
	for i := 0; i < len(s); i++ {
		switch {
		case i+1 < len(s) && s[i] == '.' && s[i+1] == '.':
			return i, 2
		case i > 0 && i+3 <= len(s) && s[i:i+3] == "–":
			return i, 3
		case i > 0 && i+4 <= len(s) && s[i:i+4] == " to ":
			return i, 4
		}
	}
	return 0, 0
}
