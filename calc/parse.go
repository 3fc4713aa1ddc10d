package calc

type nodeKind uint8

const (
	nNum   nodeKind = iota // number literal (money when money is set)
	nIdent                 // cell, unit or noun
	nNeg                   // unary minus
	nBin                   // binary operator, op in node.op
	nCall                  // function call
	nParen                 // parentheses, kept for the working
	nAs                    // conversion for display: x as unit
)

// node is the syntax tree of one expression. Spans are byte offsets into the
// whole source; an identifier's or a number's text is the source in its
// span. The compiler records what it learns of each node in the node itself.
type node struct {
	_        noEq
	kind     nodeKind
	op       byte // nBin: the operator
	money    bool // nNum: written after a $
	pct      bool // nNum: written with a trailing %
	comma    bool // nNum: written with thousands commas
	sup      bool // nNum: a superscript power such as ²
	implicit bool // nBin: "5 MB", a number followed by a unit
	num      float64
	pos, end int
	// at is the operator's position (nBin, nNeg, nAs), where a number's
	// digits start (nNum, after any $) or where a call's name ends (nCall).
	at   int
	x, y *node     // operands; a call's first argument is x
	next *node     // the following argument of a call
	unit *unitSpec // nAs
	fn   *fnDef    // nCall, once compiled

	facts             // set by the compiler
	code, codeEnd int // the node's compiled code: compiler.code[code:codeEnd]
}

// parser is a recursive-descent parser over one line's tokens. After the
// first error of an expression it sets bad and carries on quietly over
// placeholder nodes until the callers, which check bad, give up: that costs
// far less WebAssembly than unwinding with panic and recover.
type parser struct {
	src   string
	sheet *Sheet // for the units it defines; nil for none
	toks  []token
	i     int // the next token; while lexing, the next byte
	end   int // while lexing, the end of the line
	errs  *errList
	bad   bool
	// stop lists the words that end an expression: "as", "per" and, in a
	// sheet, the options (see stopWords).
	stop string
	// lenient lets a number end an expression, so "range 1 10" can be
	// explained by the range parser.
	lenient bool
	// refs are the names read as values, in source order: the candidate
	// references to cells. Units written after a number are not among them.
	refs []*node
	// commas counts the numbers written with thousands commas, and
	// commaAt is where the last one starts, so that a call knows whether
	// its arguments have one.
	commas, commaAt, commaEnd int
	// depth counts the unary calls in progress: parentheses, signs and
	// calls nest through it.
	depth int
}

//go:noinline
func (p *parser) peek() *token { return &p.toks[p.i] }

// at looks k tokens ahead, answering EOF past the end.
func (p *parser) at(k int) *token {
	return &p.toks[min(p.i+k, len(p.toks)-1)]
}

//go:noinline
func (p *parser) advance() *token {
	t := &p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// text is a token's source text; a string's is its value, in which \"
// and \\ stand for the character and any other backslash is kept.
//
//go:noinline
func (p *parser) text(t *token) string {
	s := p.src[t.pos:t.end]
	if t.kind != tString {
		return s
	}
	var b buf
	for i := 1; i < len(s)-1; i++ {
		if c := s[i+1]; s[i] == '\\' && (c == '"' || c == '\\') && i+1 < len(s)-1 {
			i++
		}
		b.c(s[i])
	}
	return string(b)
}

// word is an identifier's text, or "" for any other token.
//
//go:noinline
func (p *parser) word(t *token) string {
	if t.kind != tIdent {
		return ""
	}
	return p.src[t.pos:t.end]
}

// fail reports the first error of an expression and returns a placeholder
// node for the caller to carry on with.
//
//go:noinline
func (p *parser) fail(pos int, msg string) *node {
	if !p.bad {
		p.errs.add(pos, msg)
		p.bad = true
	}
	return &node{}
}

// mk makes a node of the tree; they are all built here, so that each site
// is one call.
//
//go:noinline
func (p *parser) mk(kind nodeKind, op byte, x, y *node, pos, end, at int) *node {
	return &node{kind: kind, op: op, x: x, y: y, pos: pos, end: end, at: at}
}

// bin makes a binary operator node over x and y.
//
//go:noinline
func (p *parser) bin(op byte, x, y *node, at int) *node {
	return p.mk(nBin, op, x, y, x.pos, y.end, at)
}

// parseExpr parses a full expression including a trailing "as UNIT". It
// returns nil after reporting an error.
func (p *parser) parseExpr() *node {
	n := p.asExpr()
	if p.bad {
		return nil
	}
	return n
}

// asExpr parses an expression and any "as UNIT" after it.
func (p *parser) asExpr() *node {
	n := p.chain(0)
	for t := p.peek(); p.word(t) == "as"; t = p.peek() {
		p.advance()
		u := p.unitSpec(t.end)
		n = p.mk(nAs, 0, n, nil, n.pos, u.end, t.pos)
		n.unit = u
	}
	return n
}

// levelOps lists the binary operators by precedence level, loosest first.
var levelOps = [3]string{"<>lgen", "+-", "*/"}

// chain parses the binary operators of one precedence level and those
// above: level 0 is a single comparison, 1 is + and -, 2 is *, / and per.
func (p *parser) chain(level int) *node {
	var l *node
	if level < 2 {
		l = p.chain(level + 1)
	} else {
		l = p.unary()
	}
	for {
		t := p.peek()
		op := byte(0)
		if t.kind == tOp && indexByte(levelOps[level], t.op) >= 0 {
			op = t.op
		} else if level == 2 && p.word(t) == "per" {
			op = '/'
		}
		if op == 0 && level == 2 {
			// Explain a token that cannot continue an expression.
			w := p.text(t)
			m := ""
			switch t.kind {
			case tIdent:
				switch {
				case hasWord(p.stop, w): // as, or an option
				case len(p.stop) > len("as per") && suggest(w, nil, nil, 0, optionNames) != "":
					// a misspelt option: the sheet parser names it
				case suffixValue(w) != 0 && w != "B":
					m = suffixMsg
				default:
					m = "expected an operator before \"{}\""
				}
			case tNum:
				if !p.lenient {
					m = "expected an operator before {}"
				}
			case tLParen:
				m = "expected an operator before ("
			case tAssign:
				m = "unexpected =; use == to compare"
			case tDefine:
				m = "unexpected :="
			case tSup, tDollar, tColon:
				m = "unexpected \"{}\""
			}
			if m != "" {
				p.fail(t.pos, msg(m, w, w))
			}
		}
		if op == 0 {
			return l
		}
		p.advance()
		var r *node
		if level < 2 {
			r = p.chain(level + 1)
		} else {
			r = p.unary()
		}
		l = p.bin(op, l, r, t.pos)
		if level == 0 {
			return l
		}
	}
}

// suffixMsg explains a count suffix written apart from its number.
const suffixMsg = "write the {} right after the number, without a space (5{})"

// unary parses a signed value: a number with the unit or noun written
// after it, a name, a call or parentheses, then its powers: superscripts,
// and a ^ whose exponent may carry its own sign.
func (p *parser) unary() *node {
	if p.depth >= maxDepth {
		return p.fail(p.peek().pos, msg("parentheses, signs or calls nested more than {} deep; split the expression into cells", itoa(maxDepth)))
	}
	// The depth is counted here rather than with a defer, which costs
	// more WebAssembly than the wrapper.
	p.depth++
	n := p.operand()
	p.depth--
	return n
}

// operand is unary without the depth guard.
func (p *parser) operand() *node {
	t := p.advance()
	var n *node
	switch t.kind {
	case tOp:
		switch t.op {
		case '-':
			x := p.unary()
			return p.mk(nNeg, 0, x, nil, t.pos, x.end, t.pos)
		case '+':
			return p.unary()
		case '%':
			return p.fail(t.pos, "% goes right after a number (25%)")
		}
		return p.fail(t.pos, msg("expected a value before \"{}\"", p.text(t)))
	case tNum, tDollar:
		nt, neg := t, false
		if t.kind == tDollar {
			// "$-5" is minus five dollars, as people write it.
			if m := p.peek(); m.kind == tOp && m.op == '-' && m.pos == t.end && p.toks[p.i+1].kind == tNum {
				p.advance()
				neg = true
			}
			if nt = p.peek(); nt.kind != tNum {
				n = p.mk(nIdent, 0, nil, nil, t.pos, t.end, t.pos)
				break
			}
			p.advance()
		}
		n = p.mk(nNum, 0, nil, nil, t.pos, nt.end, nt.pos)
		n.num, n.money, n.comma, n.pct = nt.num, t != nt, nt.comma, nt.pct
		if neg {
			n.num = -n.num
		}
		if nt.comma {
			p.commas++
			p.commaAt, p.commaEnd = nt.pos, nt.end
		}
		// A unit or noun written after the number, "5 MB" or "300M users",
		// then any "/unit" written tight after it: "3 req/s", "100 MB/s",
		// "5 /day". The whole literal binds tighter than any operator, so
		// "1 GB / 100 MB/s" is 10 s; with spaces around the slash
		// ("x / 2 / s") it is ordinary left-to-right division.
		for implicit := true; ; implicit = false {
			sl, u, op := p.peek(), p.at(1), byte('/')
			if implicit {
				if u = sl; u.kind != tIdent || hasWord(p.stop, p.word(u)) || p.at(1).kind == tLParen {
					continue // no unit or noun; a /unit may still follow
				}
				if w := p.word(u); suffixValue(w) != 0 && w != "B" {
					return p.fail(u.pos, msg(suffixMsg, w, w))
				}
				if p.word(u) == "of" {
					lit, what := p.src[t.pos:nt.end], "the value"
					if v := p.at(1); v.kind == tIdent || v.kind == tNum {
						what = p.src[v.pos:v.end]
					}
					return p.fail(u.pos, msg("\"{0} of {1}\": write {0} * {1} (\"of\" is a multiplication)", lit, what))
				}
				op = '*'
			} else if sl.kind != tOp || sl.op != '/' || u.kind != tIdent || u.pos != sl.end ||
				p.sheet.unit(p.word(u)) == nil || p.at(2).kind == tLParen {
				break
			} else {
				p.advance()
			}
			// The unit, raised to the superscript power that may follow it.
			p.advance()
			x := p.mk(nIdent, 0, nil, nil, u.pos, u.end, u.pos)
			if p.peek().kind == tSup {
				x = p.sup(x)
			}
			n = p.bin(op, n, x, sl.pos)
			n.implicit = implicit
		}
	case tIdent:
		w := p.word(t)
		switch call := p.peek().kind == tLParen; {
		case w == "log" && call:
			return p.fail(t.pos, "unknown function \"log\"; use ln, log2 or log10")
		case hasWord(p.stop, w):
			return p.fail(t.pos, msg("expected a value before \"{}\"", w))
		case !call:
			n = p.mk(nIdent, 0, nil, nil, t.pos, t.end, t.pos)
			p.refs = append(p.refs, n)
		default:
			// A call: its arguments are a list through next.
			p.advance() // (
			n = p.mk(nCall, 0, nil, nil, t.pos, 0, t.end)
			if r := p.peek(); r.kind == tRParen {
				n.end = p.advance().end
				break
			}
			commas := p.commas
			for last := &n.x; ; {
				a := p.asExpr()
				*last, last = a, &a.next
				d := p.advance()
				if d.kind == tRParen {
					n.end = d.end
					break
				}
				if d.kind != tComma {
					return p.fail(d.pos, "expected , or ) in the arguments of "+w)
				}
			}
			if p.commas > commas {
				// Inside a call a comma separates arguments, so "max(100,200)"
				// read as the one number 100,200 would be a silent wrong
				// answer: ask instead.
				num := p.src[p.commaAt:p.commaEnd]
				return p.fail(p.commaAt, msg("\"{}\" in the arguments of {}: a comma there separates arguments; write \"{}\" for two of them, or the number without commas (or with K, M, B) for one",
					num, w, commaSpaced(num)))
			}
		}
	case tLParen:
		x := p.asExpr()
		r := p.advance()
		if r.kind != tRParen {
			return p.fail(t.pos, "unclosed (")
		}
		n = p.mk(nParen, 0, x, nil, t.pos, r.end, t.pos)
	case tRParen:
		return p.fail(t.pos, "unexpected )")
	case tString:
		return p.fail(t.pos, "expected a value before the string")
	default:
		return p.fail(t.pos, "expected a value")
	}
	for p.peek().kind == tSup {
		n = p.sup(n)
	}
	if t := p.peek(); t.kind == tOp && t.op == '^' {
		p.advance()
		n = p.bin('^', n, p.unary(), t.pos)
	}
	return n
}

// sup raises x to the power of the superscript token that follows it:
// "s²".
func (p *parser) sup(x *node) *node {
	t := p.advance()
	e := p.mk(nNum, 0, nil, nil, t.pos, t.end, t.pos)
	e.num, e.sup = t.num, true
	return p.bin('^', x, e, t.pos)
}

// unitSpec is a display unit as written after "as": an optional $,
// numerator units joined by · or *, and denominators after / or per; or %.
type unitSpec struct {
	_        noEq
	money    bool
	percent  bool
	terms    []unitTerm // the numerator's names, then the denominators'
	den      int        // where the denominators start in terms
	pos, end int
	// pinned is set by "as exactly GB": the figure keeps the unit however
	// large or small it grows, instead of moving to a better prefix.
	pinned bool
}

// unitTerm is one name of a unitSpec, with its power.
type unitTerm struct {
	_    noEq
	name string
	exp  int
	pos  int
}

// unitSpec parses a display unit. after is the end of the preceding token,
// used to place "missing unit" errors.
func (p *parser) unitSpec(after int) *unitSpec {
	t := p.peek()
	u := &unitSpec{pos: t.pos}
	if p.word(t) == "exactly" {
		p.advance()
		u.pinned = true
		t = p.peek()
		u.pos = t.pos
	}
	if t.kind == tOp && t.op == '%' {
		p.advance()
		u.percent = true
		u.end = t.end
		return u
	}
	if t.kind == tDollar {
		p.advance()
		u.money = true
		u.end = t.end
	}
	// Numerator names joined by *, then denominators after / or per.
	// Unlike in an expression, "as" may name a unit here (and is then
	// reported as unknown).
	w := p.word(p.peek())
	den := w == "" || (w != "as" && hasWord(p.stop, w))
	for {
		if den {
			s := p.peek()
			if (s.kind != tOp || s.op != '/') && p.word(s) != "per" {
				break
			}
			p.advance()
		}
		// One name and its power: s², s^2, s^-1.
		t := p.advance()
		if t.kind != tIdent {
			p.fail(t.pos, "expected a unit name")
		}
		ut := unitTerm{name: p.src[t.pos:t.end], exp: 1, pos: t.pos}
		u.end = t.end
		if s := p.peek(); s.kind == tSup {
			p.advance()
			ut.exp = int(s.num)
			u.end = s.end
		} else if s.kind == tOp && s.op == '^' {
			p.advance()
			sign := 1
			if m := p.peek(); m.kind == tOp && m.op == '-' {
				p.advance()
				sign = -1
			}
			e := p.advance()
			if e.kind != tNum || e.num != float64(int(e.num)) || e.num > 9 {
				p.fail(e.pos, "a unit power must be a small whole number")
			}
			ut.exp = sign * int(e.num)
			u.end = e.end
		}
		u.terms = append(u.terms, ut)
		if den {
			continue
		}
		if s := p.peek(); s.kind == tOp && s.op == '*' {
			p.advance()
		} else {
			den, u.den = true, len(u.terms)
		}
	}
	if !u.money && len(u.terms) == 0 {
		p.fail(after, "expected a unit after \"as\", e.g. as GB/s or as req/s")
	}
	return u
}

// commaSpaced puts a space after each comma of a number written with
// digit groups: "100,200" → "100, 200", the reading as two arguments.
func commaSpaced(num string) string {
	var b buf
	for i := 0; i < len(num); i++ {
		b.c(num[i])
		if num[i] == ',' {
			b.c(' ')
		}
	}
	return string(b)
}
