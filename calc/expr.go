package calc

import (
	"math"
	"strings"
)

// ParseQuantity reads a value as authors write it: "300M users", "5 MB",
// "1.5B" (billion), "1.5 B" (bytes), "$0.023/GB/month", "25%". Anything an
// input's right-hand side accepts is accepted, including constant arithmetic
// such as "1/10" or "2 * 3 KB", but not "as". Values must lie within
// 10⁻²⁰⁰..10²⁰⁰ base units (or be zero) so that every parsed value can be
// formatted and read back. The error, if any, is an *Error.
func ParseQuantity(s string) (Quantity, error) {
	return evalConst(s, nil, false)
}

// EvalExpr evaluates a standalone constant expression, such as
// "300M * 5 / day as /s", with the full function library. It is what the
// terminal command runs. The error, if any, is an *Error.
func EvalExpr(expr string) (Quantity, error) {
	return evalConst(expr, nil, true)
}

func evalConst(s string, nouns []string, allowAs bool) (Quantity, error) {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return Quantity{}, posError(s, posErr{i, "expected a single line"})
	}
	toks, lerrs := lexLine(s, 0, len(s))
	if len(lerrs) > 0 {
		return Quantity{}, posError(s, lerrs[0])
	}
	p := &parser{toks: toks}
	n := p.parseExpr()
	if n != nil {
		if t := p.peek(); t.kind != tEOF {
			p.errf(t.pos, "unexpected "+quote(t.text))
		}
	}
	if len(p.errs) > 0 {
		return Quantity{}, posError(s, p.errs[0])
	}
	if !allowAs && n.kind == nAs {
		return Quantity{}, posError(s, posErr{n.opPos, "\"as\" is not allowed in a value"})
	}
	var extra map[string]bool
	if len(nouns) > 0 {
		extra = make(map[string]bool, len(nouns))
		for _, w := range nouns {
			extra[w] = true
		}
	}
	c := &compiler{src: s, nouns: extra, defEnv: &env{}}
	cn, ok := c.compileRoot(n)
	if !ok {
		return Quantity{}, posError(s, c.errs[0])
	}
	v := cn.val
	if !allowAs {
		if a := math.Abs(v); a > 1e200 || (a != 0 && a < 1e-200) {
			return Quantity{}, posError(s, posErr{n.pos, "the value is out of range (beyond 10²⁰⁰ or below 10⁻²⁰⁰ base units)"})
		}
	}
	return Quantity{v: v, dim: cn.dim, noun: cn.noun, unit: cn.hint}, nil
}
