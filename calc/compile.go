package calc

import (
	"math"
	"strings"
)

// env is the state of one evaluation: cell values by index, a scratch stack
// for function arguments, and the first error met in the current cell.
// Compiled closures only read and write env, so a Sheet is safe for
// concurrent Eval calls.
type env struct {
	vals  []float64
	stack []float64
	err   *Error
	src   string // for placing errors
}

func (e *env) fail(pos int, msg string) {
	if e.err == nil {
		l, c := lineCol(e.src, pos)
		e.err = &Error{Line: l, Col: c, Msg: msg}
	}
}

type evalFn func(*env) float64

func constFn(v float64) evalFn { return func(*env) float64 { return v } }

// cnode is a compiled expression: the closure plus everything known
// statically. Dimensions, nouns and display units never depend on values.
type cnode struct {
	fn    evalFn
	dim   Dim
	noun  string
	hint  *dispUnit
	konst bool
	val   float64
}

//go:noinline
func (c cnode) plain() bool { return c.dim.isCount() && c.noun == "" }

// cellStatic is what formulas need to know about a cell they reference.
type cellStatic struct {
	_    noEq
	dim  Dim
	noun string
	hint *dispUnit
	bad  bool // the cell failed to compile; dependents stay quiet
}

// compiler turns syntax trees into closures and reports problems.
type compiler struct {
	src    string
	errs   []posErr
	cells  map[string]int // nil outside sheets
	static []cellStatic
	nouns  map[string]bool
	input  string // non-empty while compiling an input's literal
	defEnv *env   // default values, for messages
	quiet  bool   // a referenced cell is bad; suppress follow-on errors
}

// compileFail aborts compiling one expression after its first error.
type compileFail struct{}

//go:noinline
func (c *compiler) fail(pos int, msg string) {
	c.errs = append(c.errs, posErr{pos, msg})
	panic(compileFail{})
}

// compileRoot compiles an expression, returning ok=false after an error.
func (c *compiler) compileRoot(n *node) (out cnode, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, is := r.(compileFail); !is {
				panic(r)
			}
			ok = false
		}
	}()
	return c.compile(n), true
}

// text formats a compiled node's default value for an error message,
// falling back to its source when it cannot be evaluated.
func (c *compiler) text(n *node, cn cnode) string {
	e := &env{vals: c.defEnv.vals, src: c.src}
	v := cn.fn(e)
	if e.err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return c.src[n.pos:n.end] // spans begin and end at tokens: nothing to trim
	}
	var buf [48]byte
	b, _ := appendQuantity(buf[:0], v, cn.dim, cn.noun, cn.hint)
	return string(b)
}

// fold evaluates a node whose inputs are all constant, so errors such as
// 1/0 in a literal are reported when the sheet is parsed.
func (c *compiler) fold(cn cnode, pos int) cnode {
	e := &env{src: c.src}
	v := cn.fn(e)
	if e.err != nil {
		c.errs = append(c.errs, posErr{pos, e.err.Msg})
		panic(compileFail{})
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		c.fail(pos, "this constant is not a finite number")
	}
	cn.konst, cn.val, cn.fn = true, v, constFn(v)
	return cn
}

func (c *compiler) compile(n *node) cnode {
	switch n.kind {
	case nNum:
		cn := cnode{fn: constFn(n.num), konst: true, val: n.num}
		if n.money {
			cn.dim = dimMoney
		}
		c.literalHint(n, &cn)
		return cn
	case nIdent:
		return c.ident(n)
	case nParen:
		return c.compile(n.kids[0])
	case nNeg:
		x := c.compile(n.kids[0])
		f := x.fn
		x.fn = func(e *env) float64 { return -f(e) }
		if x.konst {
			x = c.fold(x, n.pos)
		}
		return x
	case nAs:
		return c.as(n)
	case nCall:
		return c.call(n)
	case nBin:
		if n.implicit {
			return c.implicit(n)
		}
		return c.binary(n)
	}
	c.fail(n.pos, "internal error: unknown node")
	return cnode{}
}

func (c *compiler) ident(n *node) cnode {
	name := n.text
	if i, ok := c.cells[name]; ok {
		if c.input != "" {
			c.fail(n.pos, "input "+quote(c.input)+" refers to cell "+quote(name)+": use := for a formula")
		}
		st := c.static[i]
		if st.bad {
			c.quiet = true
			panic(compileFail{})
		}
		return cnode{fn: func(e *env) float64 { return e.vals[i] }, dim: st.dim, noun: st.noun, hint: st.hint}
	}
	if u, ok := lookupUnit(name); ok {
		return cnode{fn: constFn(u.factor), dim: u.dim, konst: true, val: u.factor}
	}
	if _, ok := funcs[name]; ok {
		c.fail(n.pos, quote(name)+" is a function; call it with arguments, e.g. "+name+"(…)")
	}
	if isNoun(name, c.nouns) {
		c.fail(n.pos, quote(name)+" is a count noun; write it after a number, e.g. 1 "+name)
	}
	cands := make([]string, 0, len(c.cells)+len(units))
	for k := range c.cells {
		cands = append(cands, k)
	}
	for k := range units {
		cands = append(cands, k)
	}
	if s := suggest(name, cands); s != "" {
		c.fail(n.pos, "unknown name "+quote(name)+" — did you mean "+quote(s)+"?")
	}
	c.fail(n.pos, "unknown name "+quote(name))
	return cnode{}
}

// implicit compiles "5 MB" or "300M users": a literal times a unit or noun.
func (c *compiler) implicit(n *node) cnode {
	l := c.compile(n.kids[0])
	id, exp := unitOperand(n.kids[1])
	name := id.text
	cn := cnode{dim: l.dim, noun: l.noun, konst: true}
	factor := 1.0
	if u, ok := lookupUnit(name); ok {
		factor = math.Pow(u.factor, float64(exp))
		cn.dim = l.dim.add(u.dim.scale(exp))
	} else if exp != 1 {
		c.fail(id.pos, unknownUnitMsg(name, c.nouns))
	} else if isNoun(name, c.nouns) {
		cn.noun = name
	} else if _, isCell := c.cells[name]; isCell {
		c.fail(id.pos, "expected an operator between "+c.src[n.kids[0].pos:n.kids[0].end]+" and "+quote(name)+"; write "+c.src[n.kids[0].pos:n.kids[0].end]+" * "+name)
	} else {
		c.fail(id.pos, unknownUnitMsg(name, c.nouns))
	}
	cn.val = l.val * factor
	cn.fn = constFn(cn.val)
	c.literalHint(n, &cn)
	return cn
}

// literalHint gives a literal the unit and noun it was written with, so an
// input "5 /day" is shown per day and "300M users" keeps its users.
func (c *compiler) literalHint(n *node, cn *cnode) {
	spec, ok := c.litSpec(n)
	if !ok {
		return
	}
	if len(spec.num) == 0 && len(spec.den) == 0 {
		if strings.HasSuffix(n.text, "%") && !n.money {
			cn.hint = percentUnit
		}
		return
	}
	u, perr := resolveUnit(spec, c.nouns, true)
	if perr != nil {
		c.fail(perr.pos, perr.msg)
	}
	if u.noun != "" {
		cn.noun = u.noun
	}
	if u.text != "" && u.text != "$" {
		cn.hint = u
	}
}

// litSpec recognizes a literal chain (number, unit, then /unit…) and
// returns the unit as written.
func (c *compiler) litSpec(n *node) (*unitSpec, bool) {
	switch n.kind {
	case nNum:
		return &unitSpec{money: n.money}, true
	case nBin:
		if n.implicit {
			s, ok := c.litSpec(n.kids[0])
			if !ok || len(s.num) > 0 || len(s.den) > 0 {
				return nil, false
			}
			id, exp := unitOperand(n.kids[1])
			s.num = append(s.num, unitTerm{name: id.text, exp: exp, pos: id.pos})
			return s, true
		}
		if id, exp := unitOperand(n.kids[1]); n.op == "/" && c.isUnitIdent(id) {
			s, ok := c.litSpec(n.kids[0])
			if !ok {
				return nil, false
			}
			s.den = append(s.den, unitTerm{name: id.text, exp: exp, pos: id.pos})
			return s, true
		}
	}
	return nil, false
}

// unitOperand splits "s²" (a unit raised by a superscript) into the unit and
// its power; anything else is returned with power 1.
func unitOperand(n *node) (*node, int) {
	if n.kind == nBin && n.op == "^" && n.kids[0].kind == nIdent && isSup(n.kids[1]) {
		return n.kids[0], int(n.kids[1].num)
	}
	return n, 1
}

func (c *compiler) isUnitIdent(n *node) bool {
	if n.kind != nIdent {
		return false
	}
	if _, isCell := c.cells[n.text]; isCell {
		return false
	}
	_, ok := lookupUnit(n.text)
	return ok
}

func (c *compiler) binary(n *node) cnode {
	l := c.compile(n.kids[0])
	r := c.compile(n.kids[1])
	lf, rf := l.fn, r.fn
	var cn cnode
	switch n.op {
	case "+", "-":
		lz, rz := l.konst && l.val == 0, r.konst && r.val == 0
		if l.dim != r.dim && !lz && !rz {
			lt, rt := c.text(n.kids[0], l), c.text(n.kids[1], r)
			msg := "cannot add " + lt + " to " + rt
			if n.op == "-" {
				msg = "cannot subtract " + rt + " from " + lt
			}
			c.fail(n.opPos, msg+" ("+l.dim.String()+" vs "+r.dim.String()+")"+mismatchHint(l.dim, r.dim))
		}
		cn.dim = l.dim
		if lz {
			cn.dim = r.dim
		}
		switch {
		case l.noun == r.noun || r.noun == "":
			cn.noun = l.noun
		case l.noun == "":
			cn.noun = r.noun
		}
		switch {
		case sameHint(l.hint, r.hint) || rz:
			cn.hint = l.hint
		case lz:
			cn.hint = r.hint
		}
		if n.op == "+" {
			cn.fn = func(e *env) float64 { return lf(e) + rf(e) }
		} else {
			cn.fn = func(e *env) float64 { return lf(e) - rf(e) }
		}
	case "*":
		cn.dim = l.dim.add(r.dim)
		cn.noun, cn.hint = mulDisplay(l, r, cn.dim)
		cn.fn = func(e *env) float64 { return lf(e) * rf(e) }
	case "/":
		cn.dim = l.dim.sub(r.dim)
		switch {
		case r.plain():
			cn.noun, cn.hint = l.noun, l.hint
			if l.hint == percentUnit {
				cn.hint = nil
			}
		case r.noun == "" && r.dim == dimTime:
			cn.noun = l.noun
		}
		where := "division by zero in " + c.src[n.pos:n.end]
		pos := n.opPos
		cn.fn = func(e *env) float64 {
			a := lf(e)
			b := rf(e)
			if b == 0 {
				e.fail(pos, where)
				return 0
			}
			return a / b
		}
	case "^":
		return c.power(n, l, r)
	default: // comparisons
		lz, rz := l.konst && l.val == 0, r.konst && r.val == 0
		if l.dim != r.dim && !lz && !rz {
			c.fail(n.opPos, "cannot compare "+c.text(n.kids[0], l)+" with "+c.text(n.kids[1], r)+" ("+l.dim.String()+" vs "+r.dim.String()+")")
		}
		cn.fn = compareFn(n.op, lf, rf)
	}
	if l.konst && r.konst {
		cn = c.fold(cn, n.opPos)
	}
	if n.op == "/" {
		c.literalHint(n, &cn)
	}
	return cn
}

// compareFn compiles a comparison as one closure for all six operators (in
// WebAssembly each closure costs several hundred bytes): op selects which
// orderings are true, and != is the negation of ==, which keeps NaN != NaN.
func compareFn(op string, lf, rf evalFn) evalFn {
	const lt, eq, gt = 1, 2, 4
	var want, neg = eq, op == "!="
	switch op {
	case "<":
		want = lt
	case "<=":
		want = lt | eq
	case ">":
		want = gt
	case ">=":
		want = gt | eq
	}
	return func(e *env) float64 {
		a, b := lf(e), rf(e)
		got := 0 // unordered when either is NaN
		switch {
		case a < b:
			got = lt
		case a == b:
			got = eq
		case a > b:
			got = gt
		}
		if (got&want != 0) != neg {
			return 1
		}
		return 0
	}
}

// mismatchHint suggests the usual fix when two sides differ by a time.
func mismatchHint(a, b Dim) string {
	d := a.sub(b)
	if d == dimTime || d == dimRate {
		return "; multiply the rate by a time (× 1 day) or divide the total by one"
	}
	return ""
}

func sameHint(a, b *dispUnit) bool {
	return a == b || (a != nil && b != nil && a.text == b.text && a.dim == b.dim && a.fam == b.fam && a.timeFam == b.timeFam)
}

// mulDisplay decides what a product shows. A noun or unit survives only when
// the other side is a plain number (dau × 5 keeps users), or when a rate of
// something is multiplied by a time (req/s × 1 day is still requests).
func mulDisplay(l, r cnode, d Dim) (string, *dispUnit) {
	switch {
	case r.plain() && !l.plain():
		return l.noun, l.hint
	case l.plain() && !r.plain():
		return r.noun, r.hint
	case l.plain() && r.plain():
		if l.hint == nil && r.hint != percentUnit {
			return "", r.hint
		}
		if r.hint == nil && l.hint != percentUnit {
			return "", l.hint
		}
		return "", nil
	case r.noun == "" && r.dim == dimTime && l.dim.Time < 0:
		return l.noun, nil
	case l.noun == "" && l.dim == dimTime && r.dim.Time < 0:
		return r.noun, nil
	}
	return "", nil
}

// power compiles x ^ n. A quantity with a unit needs a constant whole
// exponent, because the dimension of the result depends on it.
func (c *compiler) power(n *node, l, r cnode) cnode {
	if !r.dim.isCount() {
		c.fail(n.kids[1].pos, "an exponent must be a plain number, but "+c.text(n.kids[1], r)+" is "+r.dim.describe())
	}
	cn := cnode{dim: l.dim}
	if !l.dim.isCount() {
		if !r.konst || r.val != math.Trunc(r.val) || math.Abs(r.val) > 8 {
			c.fail(n.kids[1].pos, "a quantity with a unit can only be raised to a constant whole power (such as 2 or 3)")
		}
		cn.dim = l.dim.scale(int(r.val))
	}
	lf, rf := l.fn, r.fn
	cn.fn = func(e *env) float64 { return math.Pow(lf(e), rf(e)) }
	if l.konst && r.konst {
		cn = c.fold(cn, n.opPos)
	}
	return cn
}

func (c *compiler) as(n *node) cnode {
	x := c.compile(n.kids[0])
	u, perr := resolveUnit(n.unit, c.nouns, false)
	if perr != nil {
		c.fail(perr.pos, perr.msg)
	}
	if u.dim != x.dim {
		ut := c.src[n.unit.pos:n.unit.end]
		c.fail(n.unit.pos, convMsg(c.text(n.kids[0], x), x.dim, ut, u.dim))
	}
	x.hint = u
	if u.noun != "" {
		x.noun = u.noun
	}
	if u.percent {
		x.noun = ""
	}
	return x
}

func (c *compiler) call(n *node) cnode {
	f, ok := funcs[n.text]
	if !ok {
		names := make([]string, 0, len(funcs))
		for k := range funcs {
			names = append(names, k)
		}
		if n.text == "log" {
			c.fail(n.pos, "unknown function \"log\"; use ln, log2 or log10")
		}
		if s := suggest(n.text, names); s != "" {
			c.fail(n.pos, "unknown function "+quote(n.text)+" — did you mean "+quote(s)+"?")
		}
		c.fail(n.pos, "unknown function "+quote(n.text))
	}
	if len(n.kids) < f.min || (f.max >= 0 && len(n.kids) > f.max) {
		msg := f.arityMsg(len(n.kids))
		for _, k := range n.kids {
			if hasComma(k) {
				msg += " (a comma between three digits joins a number: write \"2, 100\" to pass two arguments)"
				break
			}
		}
		c.fail(n.pos, msg)
	}
	args := make([]cnode, len(n.kids))
	for i, k := range n.kids {
		args[i] = c.compile(k)
	}
	if f.name == "pow" {
		return c.power(&node{kind: nBin, op: "^", kids: n.kids, pos: n.pos, end: n.end, opPos: n.pos}, args[0], args[1])
	}
	if f.name == "if" {
		return c.ifCall(n, args)
	}
	info := make([]argInfo, len(args))
	allKonst := true
	for i, a := range args {
		info[i] = argInfo{dim: a.dim, konst: a.konst, val: a.val, text: c.text(n.kids[i], a)}
		allKonst = allKonst && a.konst
	}
	d, aerr := f.check(f, info)
	if aerr != nil {
		pos := n.pos
		if aerr.arg >= 0 && aerr.arg < len(n.kids) {
			pos = n.kids[aerr.arg].pos
		}
		c.fail(pos, aerr.msg)
	}
	cn := cnode{dim: d}
	if f.keep {
		cn.noun, cn.hint = args[0].noun, args[0].hint
		for _, a := range args[1:] {
			if a.noun != cn.noun {
				cn.noun = ""
			}
			if !sameHint(a.hint, cn.hint) {
				cn.hint = nil
			}
		}
		if f.name == "round" && len(args) == 2 {
			cn.noun, cn.hint = args[0].noun, args[0].hint
		}
	}
	if f.hint == "%" {
		cn.hint = percentUnit
	}
	if cn.hint != nil && cn.hint.dim != d {
		cn.hint = nil
	}
	fns := make([]evalFn, len(args))
	for i, a := range args {
		fns[i] = a.fn
	}
	pos := n.pos
	cn.fn = func(e *env) float64 {
		base := len(e.stack)
		for _, a := range fns {
			v := a(e)
			e.stack = append(e.stack, v)
		}
		v, msg := f.eval(f, e.stack[base:])
		e.stack = e.stack[:base]
		if msg != "" {
			e.fail(pos, msg)
			return 0
		}
		return v
	}
	if allKonst {
		cn = c.fold(cn, n.pos)
	}
	return cn
}

func hasComma(n *node) bool {
	if n.comma {
		return true
	}
	for _, k := range n.kids {
		if hasComma(k) {
			return true
		}
	}
	return false
}

// ifCall compiles if(cond, a, b), evaluating only the chosen branch so a
// guard such as if(n > 0, x / n, 0) never divides by zero.
func (c *compiler) ifCall(n *node, a []cnode) cnode {
	cond, x, y := a[0], a[1], a[2]
	xz, yz := x.konst && x.val == 0, y.konst && y.val == 0
	if x.dim != y.dim && !xz && !yz {
		c.fail(n.kids[2].pos, "if: the branches differ: "+c.text(n.kids[1], x)+" is "+x.dim.describe()+", "+c.text(n.kids[2], y)+" is "+y.dim.describe())
	}
	cn := cnode{dim: x.dim}
	if xz {
		cn.dim = y.dim
	}
	if x.noun == y.noun || yz {
		cn.noun = x.noun
	} else if xz {
		cn.noun = y.noun
	}
	if sameHint(x.hint, y.hint) || yz {
		cn.hint = x.hint
	} else if xz {
		cn.hint = y.hint
	}
	cf, xf, yf := cond.fn, x.fn, y.fn
	cn.fn = func(e *env) float64 {
		if cf(e) != 0 {
			return xf(e)
		}
		return yf(e)
	}
	if cond.konst && x.konst && y.konst {
		cn = c.fold(cn, n.pos)
	}
	return cn
}
