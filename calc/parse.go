package calc

type nodeKind uint8

const (
	nNum   nodeKind = iota // number literal (money when money is set)
	nIdent                 // cell, unit or noun
	nNeg                   // unary minus
	nBin                   // binary operator, op in node.op
	nCall                  // function call
	nParen                 // parentheses, kept for the working
	nAs                    // conversion for display: kids[0] as unit
)

// node is the syntax tree of one expression. Spans are byte offsets into the
// whole source.
type node struct {
	kind     nodeKind
	op       string
	num      float64
	money    bool
	text     string // literal or identifier source text
	kids     []*node
	pos, end int
	opPos    int       // position of a binary operator, for its errors
	implicit bool      // "5 MB": a number followed by a unit
	unit     *unitSpec // nAs
	comma    bool      // a literal with thousands commas, for argument hints
}

// parser is a recursive-descent parser over one line's tokens.
type parser struct {
	toks []token
	i    int
	errs []posErr
	// stopIdent reports words that end an expression (sheet options).
	stopIdent func(string) bool
	// lenient lets a number end an expression, so "range 1 10" can be
	// explained by the range parser.
	lenient bool
}

//go:noinline
func (p *parser) peek() *token { return &p.toks[p.i] }

// at looks k tokens ahead, answering EOF past the end.
func (p *parser) at(k int) *token {
	if p.i+k < len(p.toks) {
		return &p.toks[p.i+k]
	}
	return &p.toks[len(p.toks)-1]
}

//go:noinline
func (p *parser) advance() *token {
	t := &p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

//go:noinline
func (p *parser) errf(pos int, msg string) { p.errs = append(p.errs, posErr{pos, msg}) }

// failed is returned after an error; callers stop at the first error of an
// expression so that one mistake is reported once.
type parseFail struct{}

//go:noinline
func (p *parser) fail(pos int, msg string) {
	p.errf(pos, msg)
	panic(parseFail{})
}

// parseExpr parses a full expression including a trailing "as UNIT". It
// returns nil after reporting an error.
func (p *parser) parseExpr() (n *node) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(parseFail); !ok {
				panic(r)
			}
			n = nil
		}
	}()
	return p.asExpr()
}

func (p *parser) asExpr() *node {
	n := p.cmp()
	for t := p.peek(); t.kind == tIdent && t.text == "as"; t = p.peek() {
		p.advance()
		u := p.unitSpec(t.end)
		n = &node{kind: nAs, kids: []*node{n}, unit: u, pos: n.pos, end: u.end, opPos: t.pos}
	}
	return n
}

func (p *parser) cmp() *node {
	l := p.add()
	if t := p.peek(); t.kind == tOp && (t.op == "<" || t.op == "<=" || t.op == ">" || t.op == ">=" || t.op == "==" || t.op == "!=") {
		p.advance()
		r := p.add()
		l = &node{kind: nBin, op: t.op, kids: []*node{l, r}, pos: l.pos, end: r.end, opPos: t.pos}
	}
	return l
}

func (p *parser) add() *node {
	l := p.mul()
	for {
		t := p.peek()
		if t.kind != tOp || (t.op != "+" && t.op != "-") {
			return l
		}
		p.advance()
		r := p.mul()
		l = &node{kind: nBin, op: t.op, kids: []*node{l, r}, pos: l.pos, end: r.end, opPos: t.pos}
	}
}

func (p *parser) mul() *node {
	l := p.unary()
	for {
		t := p.peek()
		op := ""
		switch {
		case t.kind == tOp && (t.op == "*" || t.op == "/"):
			op = t.op
		case t.kind == tIdent && t.text == "per":
			op = "/"
		default:
			p.checkFollow(t)
			return l
		}
		p.advance()
		r := p.unary()
		l = &node{kind: nBin, op: op, kids: []*node{l, r}, pos: l.pos, end: r.end, opPos: t.pos}
	}
}

// checkFollow explains a token that cannot continue an expression.
func (p *parser) checkFollow(t *token) {
	switch t.kind {
	case tEOF, tRParen, tComma, tString, tDotDot, tOp:
		return
	case tIdent:
		if t.text == "as" || (p.stopIdent != nil && p.stopIdent(t.text)) {
			return
		}
		if p.stopIdent != nil && suggest(t.text, optionNames) != "" {
			return // a misspelt option: the sheet parser names it
		}
		if suffixValue(t.text) != 0 && t.text != "B" {
			p.fail(t.pos, "write the "+t.text+" right after the number, without a space (5"+t.text+")")
		}
		p.fail(t.pos, "expected an operator before "+quote(t.text))
	case tNum:
		if p.lenient {
			return
		}
		p.fail(t.pos, "expected an operator before "+t.text)
	case tLParen:
		p.fail(t.pos, "expected an operator before (")
	case tAssign:
		p.fail(t.pos, "unexpected =; use == to compare")
	case tDefine:
		p.fail(t.pos, "unexpected :=")
	}
	p.fail(t.pos, "unexpected "+quote(p.toks[p.i].text))
}

func (p *parser) unary() *node {
	t := p.peek()
	if t.kind == tOp && (t.op == "-" || t.op == "+") {
		p.advance()
		x := p.unary()
		if t.op == "+" {
			return x
		}
		return &node{kind: nNeg, kids: []*node{x}, pos: t.pos, end: x.end, opPos: t.pos}
	}
	return p.power()
}

func (p *parser) power() *node {
	b := p.postfix()
	t := p.peek()
	if t.kind == tOp && t.op == "^" {
		p.advance()
		e := p.unary()
		return &node{kind: nBin, op: "^", kids: []*node{b, e}, pos: b.pos, end: e.end, opPos: t.pos}
	}
	return b
}

func (p *parser) postfix() *node {
	x := p.primary()
	for t := p.peek(); t.kind == tSup; t = p.peek() {
		p.advance()
		e := &node{kind: nNum, num: t.num, text: t.text, pos: t.pos, end: t.end}
		x = &node{kind: nBin, op: "^", kids: []*node{x, e}, pos: x.pos, end: t.end, opPos: t.pos}
	}
	return x
}

func (p *parser) primary() *node {
	t := p.advance()
	switch t.kind {
	case tNum:
		n := &node{kind: nNum, num: t.num, text: t.text, pos: t.pos, end: t.end, comma: t.comma}
		return p.implicitUnit(n)
	case tDollar:
		if nt := p.peek(); nt.kind == tNum {
			p.advance()
			n := &node{kind: nNum, num: nt.num, money: true, text: "$" + nt.text, pos: t.pos, end: nt.end, comma: nt.comma}
			return p.implicitUnit(n)
		}
		return &node{kind: nIdent, text: "$", pos: t.pos, end: t.end}
	case tIdent:
		if t.text == "log" && p.peek().kind == tLParen {
			p.fail(t.pos, "unknown function \"log\"; use ln, log2 or log10")
		}
		if t.text == "as" || t.text == "per" || (p.stopIdent != nil && p.stopIdent(t.text)) {
			p.fail(t.pos, "expected a value before "+quote(t.text))
		}
		if p.peek().kind == tLParen {
			return p.call(t)
		}
		return &node{kind: nIdent, text: t.text, pos: t.pos, end: t.end}
	case tLParen:
		x := p.asExpr()
		r := p.advance()
		if r.kind != tRParen {
			p.fail(t.pos, "unclosed (")
		}
		return &node{kind: nParen, kids: []*node{x}, pos: t.pos, end: r.end}
	case tEOF:
		p.fail(t.pos, "expected a value")
	case tOp:
		if t.op == "%" {
			p.fail(t.pos, "% goes right after a number (25%)")
		}
		p.fail(t.pos, "expected a value before "+quote(t.text))
	case tRParen:
		p.fail(t.pos, "unexpected )")
	case tString:
		p.fail(t.pos, "expected a value before the string")
	}
	p.fail(t.pos, "expected a value")
	return nil
}

// implicitUnit attaches a unit or noun written after a number: "5 MB",
// "300M users", and any "/unit" written tight after it: "3 req/s",
// "100 MB/s", "5 /day". The whole literal binds tighter than any operator,
// so "1 GB / 100 MB/s" is 10 s; with spaces around the slash ("x / 2 / s")
// it is ordinary left-to-right division.
func (p *parser) implicitUnit(n *node) *node {
	n = p.unitAfter(n)
	for {
		sl := p.peek()
		u := p.at(1)
		if sl.kind != tOp || sl.op != "/" || u.kind != tIdent || u.pos != sl.end {
			return n
		}
		if _, ok := lookupUnit(u.text); !ok || p.at(2).kind == tLParen {
			return n
		}
		p.advance()
		p.advance()
		var d *node = &node{kind: nIdent, text: u.text, pos: u.pos, end: u.end}
		if s := p.peek(); s.kind == tSup {
			p.advance()
			e := &node{kind: nNum, num: s.num, text: s.text, pos: s.pos, end: s.end}
			d = &node{kind: nBin, op: "^", kids: []*node{d, e}, pos: u.pos, end: s.end, opPos: s.pos}
		}
		n = &node{kind: nBin, op: "/", kids: []*node{n, d}, pos: n.pos, end: d.end, opPos: sl.pos}
	}
}

func (p *parser) unitAfter(n *node) *node {
	t := p.peek()
	if t.kind != tIdent || t.text == "as" || t.text == "per" || (p.stopIdent != nil && p.stopIdent(t.text)) {
		return n
	}
	if p.at(1).kind == tLParen {
		return n
	}
	if suffixValue(t.text) != 0 && t.text != "B" {
		p.fail(t.pos, "write the "+t.text+" right after the number, without a space (5"+t.text+")")
	}
	p.advance()
	u := &node{kind: nIdent, text: t.text, pos: t.pos, end: t.end}
	if s := p.peek(); s.kind == tSup {
		p.advance()
		e := &node{kind: nNum, num: s.num, text: s.text, pos: s.pos, end: s.end}
		u = &node{kind: nBin, op: "^", kids: []*node{u, e}, pos: t.pos, end: s.end, opPos: s.pos}
	}
	return &node{kind: nBin, op: "*", implicit: true, kids: []*node{n, u}, pos: n.pos, end: u.end, opPos: t.pos}
}

func (p *parser) call(name *token) *node {
	p.advance() // (
	n := &node{kind: nCall, text: name.text, pos: name.pos}
	if p.peek().kind == tRParen {
		n.end = p.advance().end
		return n
	}
	for {
		a := p.asExpr()
		n.kids = append(n.kids, a)
		t := p.advance()
		switch t.kind {
		case tComma:
			continue
		case tRParen:
			n.end = t.end
			return n
		}
		p.fail(t.pos, "expected , or ) in the arguments of "+name.text)
	}
}

// unitSpec is a display unit as written after "as": an optional $, an
// optional noun, numerator units joined by · or *, and denominators after /.
type unitSpec struct {
	text     string // normalized, e.g. "GB/s", "$/GB/month", "/s", "%"
	noun     string
	money    bool
	percent  bool
	num, den []unitTerm
	pos, end int
}

type unitTerm struct {
	_    noEq
	name string
	exp  int
	pos  int
}

// unitSpec parses a display unit. after is the end of the preceding token,
// used to place "missing unit" errors.
func (p *parser) unitSpec(after int) *unitSpec {
	u := &unitSpec{pos: p.peek().pos}
	t := p.peek()
	if t.kind == tOp && t.op == "%" {
		p.advance()
		u.percent = true
		u.text = "%"
		u.end = t.end
		return u
	}
	if t.kind == tDollar {
		p.advance()
		u.money = true
		u.end = t.end
	}
	term := func() unitTerm {
		t := p.advance()
		if t.kind != tIdent {
			p.fail(t.pos, "expected a unit name")
		}
		ut := unitTerm{name: t.text, exp: 1, pos: t.pos}
		u.end = t.end
		if s := p.peek(); s.kind == tSup {
			p.advance()
			ut.exp = int(s.num)
			u.end = s.end
		} else if s.kind == tOp && s.op == "^" {
			p.advance()
			neg := false
			if m := p.peek(); m.kind == tOp && m.op == "-" {
				p.advance()
				neg = true
			}
			e := p.advance()
			if e.kind != tNum || e.num != float64(int(e.num)) || e.num > 9 {
				p.fail(e.pos, "a unit power must be a small whole number")
			}
			ut.exp = int(e.num)
			if neg {
				ut.exp = -ut.exp
			}
			u.end = e.end
		}
		return ut
	}
	if t := p.peek(); t.kind == tIdent && t.text != "per" && !(p.stopIdent != nil && p.stopIdent(t.text)) {
		u.num = append(u.num, term())
		for s := p.peek(); s.kind == tOp && s.op == "*"; s = p.peek() {
			p.advance()
			u.num = append(u.num, term())
		}
	}
	for s := p.peek(); (s.kind == tOp && s.op == "/") || (s.kind == tIdent && s.text == "per"); s = p.peek() {
		p.advance()
		u.den = append(u.den, term())
	}
	if !u.money && len(u.num) == 0 && len(u.den) == 0 {
		p.fail(after, "expected a unit after \"as\", e.g. as GB/s or as req/s")
	}
	return u
}
