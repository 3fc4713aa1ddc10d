package calc

import (
	"strings"
	"unicode/utf8"
)

// working renders a formula for "the working": operators as × ÷ −, literals
// as written, and a slot for each referenced cell's value, filled in at
// evaluation: "300M users × 5/day = 17.4K req/s".
func (s *Sheet) working(n *node) []seg {
	w := &segWriter{}
	s.render(n, w)
	w.flush()
	return w.segs
}

type segWriter struct {
	segs []seg
	buf  strings.Builder
}

//go:noinline
func (w *segWriter) text(t string) { w.buf.WriteString(t) }
func (w *segWriter) ref(i int) {
	w.flush()
	w.segs = append(w.segs, seg{ref: i})
}
func (w *segWriter) flush() {
	if w.buf.Len() > 0 {
		w.segs = append(w.segs, seg{text: w.buf.String(), ref: -1})
		w.buf.Reset()
	}
}

// opSymbol is how the working writes an operator.
func opSymbol(op string) string {
	switch op {
	case "-":
		return " − "
	case "*":
		return " × "
	case "/":
		return " ÷ "
	case "^":
		return "^"
	case "<=":
		return " ≤ "
	case ">=":
		return " ≥ "
	case "==":
		return " = "
	case "!=":
		return " ≠ "
	}
	return " " + op + " " // + < >
}

func (s *Sheet) render(n *node, w *segWriter) {
	switch n.kind {
	case nNum:
		w.text(n.text)
	case nIdent:
		if i, ok := s.byName[n.text]; ok {
			w.ref(i)
		} else {
			w.text(n.text)
		}
	case nNeg:
		w.text("-")
		s.render(n.kids[0], w)
	case nParen:
		w.text("(")
		s.render(n.kids[0], w)
		w.text(")")
	case nAs:
		s.render(n.kids[0], w)
	case nCall:
		w.text(n.text)
		w.text("(")
		for i, k := range n.kids {
			if i > 0 {
				w.text(", ")
			}
			s.render(k, w)
		}
		w.text(")")
	case nBin:
		s.render(n.kids[0], w)
		switch {
		case n.implicit:
			w.text(" ")
		case n.op == "/" && s.isLiteral(n):
			w.text("/")
		case n.op == "^" && isSup(n.kids[1]):
			s.render(n.kids[1], w)
			return
		default:
			w.text(opSymbol(n.op))
		}
		s.render(n.kids[1], w)
	}
}

func isSup(n *node) bool {
	if n.kind != nNum || n.text == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(n.text)
	return supDigit(r) >= 0 || r == '⁻'
}

// isLiteral reports whether a division is part of a literal such as
// "5/day" or "$0.023/GB/month", which the working keeps unspaced.
func (s *Sheet) isLiteral(n *node) bool {
	c := &compiler{cells: s.byName}
	_, ok := c.litSpec(n)
	return ok
}
