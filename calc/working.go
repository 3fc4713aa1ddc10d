package calc

// The working renders a formula: operators as × ÷ −, literals as written,
// and a slot for each referenced cell's value, filled in at evaluation:
// "300M users × 5/day = 17.4K req/s". The compiler, which builds the
// sheet, collects its segments in segs, the current text run in wbuf.

// flush ends the current text run.
func (c *compiler) flush() {
	if len(c.wbuf) > 0 {
		c.segs = append(c.segs, seg{text: string(c.wbuf), ref: -1})
		c.wbuf = c.wbuf[:0]
	}
}

// opSymbols gives how the working writes each operator, in the order of
// opChars.
var opSymbols = [...]string{" + ", " − ", " × ", " ÷ ", "^", " < ", " > ", " ≤ ", " ≥ ", " = ", " ≠ "}

const opChars = "+-*/^<>" + string(opLE) + string(opGE) + string(opEQ) + string(opNE)

func (c *compiler) render(n *node) {
	s := c.sheet
	src := s.src[n.pos:n.end]
	switch n.kind {
	case nNum:
		if n.money {
			c.wbuf.s("$")
		}
		c.wbuf.s(s.src[n.at:n.end])
	case nIdent:
		if i := s.index(src); i >= 0 {
			c.flush()
			c.segs = append(c.segs, seg{ref: i})
		} else {
			c.wbuf.s(src)
		}
	case nNeg:
		c.wbuf.s("-")
		c.render(n.x)
	case nParen:
		c.wbuf.s("(")
		c.render(n.x)
		c.wbuf.s(")")
	case nAs:
		c.render(n.x)
	case nCall:
		c.wbuf.s(s.src[n.pos:n.at])
		sep := "("
		for a := n.x; a != nil; a = a.next {
			c.wbuf.s(sep)
			c.render(a)
			sep = ", "
		}
		if n.x == nil {
			c.wbuf.s("(")
		}
		c.wbuf.s(")")
	case nBin:
		c.render(n.x)
		switch {
		case n.implicit:
			c.wbuf.s(" ")
		case n.op == '/' && c.litSpec(n) != nil:
			c.wbuf.s("/") // part of a literal such as "5/day" or "$0.023/GB/month"
		case n.op == '^' && n.y.sup:
		default:
			c.wbuf.s(opSymbols[indexByte(opChars, n.op)])
		}
		c.render(n.y)
	}
}
