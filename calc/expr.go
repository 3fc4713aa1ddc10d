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

// exprResult turns a nil *Error into a nil error.
func exprResult(q Quantity, err *Error) (Quantity, error) {
	if err != nil {
		return q, err
	}
	return q, nil
}

// evalConst parses, compiles and evaluates a one-line expression without
// cells, with the given extra count nouns.
func evalConst(s string, nouns []string, allowAs bool) (Quantity, *Error) {
	var errs errList
	var n *node
	if i := indexByte(s, '\n'); i >= 0 {
		errs.add(i, "expected a single line")
	}
	p := &parser{src: s, errs: &errs, stop: stopWords[:6]}
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
		(&compiler{src: s, sheet: &Sheet{}, nouns: nouns, errs: &errs}).compile(n)
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
