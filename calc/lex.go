package calc

import (
	"math"
	"unicode/utf8"
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tNum
	tIdent
	tString
	tOp     // + - * / ^ % < <= > >= == !=
	tSup    // superscript power such as ² or ⁻¹
	tDollar // $
	tLParen
	tRParen
	tComma
	tAssign // =
	tDefine // :=
	tColon
	tDotDot
)

// token is one lexeme. pos and end are byte offsets into the whole source so
// errors can be placed precisely.
type token struct {
	_     noEq
	kind  tokKind
	op    string // tOp: normalized ASCII operator
	text  string // source text (strings: the unquoted value)
	num   float64
	pos   int
	end   int
	comma bool // a number written with thousands separators
	pct   bool // a number written with a trailing %
}

// lexer splits one line of calc source into tokens. It never fails outright:
// problems are reported and lexing goes on, so one typo does not hide others.
type lexer struct {
	src  string
	i    int
	end  int
	errs []posErr
}

// posErr is an error at a byte offset, converted to line:col later.
type posErr struct {
	pos int
	msg string
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}
func isIdentByte(c byte) bool { return isIdentStart(c) || isDigit(c) }

// supDigit gives the value of a superscript digit, or -1. ¹ ² ³ come from
// Latin-1, the others from the superscripts block.
func supDigit(r rune) int {
	switch {
	case r == '⁰' || (r >= '⁴' && r <= '⁹'):
		return int(r - '⁰')
	case r == '¹':
		return 1
	case r == '²' || r == '³':
		return int(r-'²') + 2
	}
	return -1
}

// lexLine tokenizes src[start:end], stopping at a # comment.
func lexLine(src string, start, end int) ([]token, []posErr) {
	lx := &lexer{src: src, i: start, end: end}
	toks := make([]token, 0, (end-start)/4+2)
	for {
		t, ok := lx.next()
		if !ok {
			break
		}
		toks = append(toks, t)
	}
	toks = append(toks, token{kind: tEOF, pos: lx.i, end: lx.i})
	return toks, lx.errs
}

//go:noinline
func (lx *lexer) errf(pos int, msg string) { lx.errs = append(lx.errs, posErr{pos, msg}) }

// runeOps are the typographic operators, each read as its ASCII form.
var runeOps = []struct {
	r  rune
	op string
}{{'×', "*"}, {'·', "*"}, {'÷', "/"}, {'−', "-"}, {'≤', "<="}, {'≥', ">="}, {'≠', "!="}}

// next reads one token. The punctuation cases only choose the kind, the
// operator and the length, and one statement builds the token: in
// WebAssembly each branch that built its own token cost hundreds of bytes.
func (lx *lexer) next() (token, bool) {
	s := lx.src
	for lx.i < lx.end && (s[lx.i] == ' ' || s[lx.i] == '\t' || s[lx.i] == '\r') {
		lx.i++
	}
	if lx.i >= lx.end || s[lx.i] == '#' {
		lx.i = lx.end
		return token{}, false
	}
	start := lx.i
	c := s[start]
	var c2 byte // the byte after c, or 0
	if start+1 < lx.end {
		c2 = s[start+1]
	}
	switch {
	case isDigit(c) || (c == '.' && isDigit(c2)):
		return lx.number(), true
	case isIdentStart(c):
		return lx.ident(), true
	case c == '"':
		return lx.str(), true
	}
	kind, n, op := tOp, 1, ""
	switch c {
	case '+', '*', '/', '^', '%', '-':
		op = s[start : start+1]
	case '(':
		kind = tLParen
	case ')':
		kind = tRParen
	case ',':
		kind = tComma
	case '$':
		kind = tDollar
	case '<', '>', '=', '!':
		if c2 == '=' {
			n = 2
		}
		op = s[start : start+n]
		if op == "=" {
			kind, op = tAssign, ""
		} else if op == "!" {
			kind = tEOF // a lone ! is an unexpected character
		}
	case ':':
		kind = tColon
		if c2 == '=' {
			kind, n = tDefine, 2
		}
	case '.':
		kind = tEOF // unexpected unless ..
		if c2 == '.' {
			kind, n = tDotDot, 2
		}
	default:
		kind = tEOF
		r, rn := utf8.DecodeRuneInString(s[start:lx.end])
		for _, o := range runeOps {
			if o.r == r {
				kind, n, op = tOp, rn, o.op
			}
		}
		if kind == tEOF {
			return lx.other(start, r, rn)
		}
	}
	if kind == tEOF {
		r, rn := utf8.DecodeRuneInString(s[start:lx.end])
		return lx.other(start, r, rn)
	}
	lx.i += n
	return token{kind: kind, op: op, pos: start, end: lx.i, text: s[start:lx.i]}, true
}

// other reads a token that starts with a rune outside ASCII punctuation: µ
// (an identifier), a superscript power, or a character to report.
func (lx *lexer) other(start int, r rune, n int) (token, bool) {
	if r == 'µ' || r == 'μ' {
		return lx.ident(), true
	}
	if supDigit(r) >= 0 || r == '⁻' {
		exp, m, ok := lx.superscriptAt(start)
		if ok {
			lx.i = start + m
			return token{kind: tSup, num: float64(exp), pos: start, end: lx.i, text: lx.src[start:lx.i]}, true
		}
	}
	lx.i += n
	if r == utf8.RuneError {
		lx.errf(start, "invalid UTF-8 in source")
	} else {
		lx.errf(start, "unexpected character "+quote(lx.src[start:lx.i]))
	}
	return lx.next()
}

// superscriptAt reads an optionally negative run of superscript digits.
func (lx *lexer) superscriptAt(i int) (int, int, bool) {
	s := lx.src
	j := i
	neg := false
	if r, n := utf8.DecodeRuneInString(s[j:lx.end]); r == '⁻' {
		neg = true
		j += n
	} else if r == '⁺' {
		j += n
	}
	v, digits := 0, 0
	for j < lx.end {
		r, n := utf8.DecodeRuneInString(s[j:lx.end])
		d := supDigit(r)
		if d < 0 {
			break
		}
		if v < 10000 {
			v = v*10 + d
		}
		digits++
		j += n
	}
	if digits == 0 {
		return 0, 0, false
	}
	if neg {
		v = -v
	}
	return v, j - i, true
}

func (lx *lexer) ident() token {
	s := lx.src
	start := lx.i
	if r, n := utf8.DecodeRuneInString(s[start:lx.end]); r == 'µ' || r == 'μ' {
		lx.i += n
	}
	for lx.i < lx.end && isIdentByte(s[lx.i]) {
		lx.i++
	}
	return token{kind: tIdent, text: s[start:lx.i], pos: start, end: lx.i}
}

func (lx *lexer) str() token {
	s := lx.src
	start := lx.i
	lx.i++
	var out []byte
	for lx.i < lx.end {
		c := s[lx.i]
		switch c {
		case '"':
			lx.i++
			return token{kind: tString, text: string(out), pos: start, end: lx.i}
		case '\\':
			if lx.i+1 < lx.end && (s[lx.i+1] == '"' || s[lx.i+1] == '\\') {
				out = append(out, s[lx.i+1])
				lx.i += 2
				continue
			}
		}
		out = append(out, c)
		lx.i++
	}
	lx.errf(start, "unterminated string")
	return token{kind: tString, text: string(out), pos: start, end: lx.i}
}

// number reads a numeric literal as people write it in estimates: digits with
// optional thousands commas (groups of exactly three), a fraction, an e
// exponent or ×10ⁿ, an attached count suffix (K k M B T) and an attached %.
func (lx *lexer) number() token {
	s := lx.src
	start := lx.i
	buf := make([]byte, 0, 24)
	comma := false
	intDigits := 0
	for lx.i < lx.end && isDigit(s[lx.i]) {
		buf = append(buf, s[lx.i])
		lx.i++
		intDigits++
	}
	if intDigits > 0 && intDigits <= 3 {
		for lx.i+3 < lx.end && s[lx.i] == ',' && isDigit(s[lx.i+1]) && isDigit(s[lx.i+2]) && isDigit(s[lx.i+3]) &&
			(lx.i+4 >= lx.end || !isDigit(s[lx.i+4])) {
			buf = append(buf, s[lx.i+1:lx.i+4]...)
			lx.i += 4
			comma = true
		}
	}
	if lx.i+1 < lx.end && s[lx.i] == '.' && isDigit(s[lx.i+1]) {
		buf = append(buf, '.')
		lx.i++
		for lx.i < lx.end && isDigit(s[lx.i]) {
			buf = append(buf, s[lx.i])
			lx.i++
		}
	}
	hasExp := false
	if lx.i < lx.end && (s[lx.i] == 'e' || s[lx.i] == 'E') {
		j := lx.i + 1
		if j < lx.end && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < lx.end && isDigit(s[j]) {
			buf = append(buf, s[lx.i:j]...)
			lx.i = j
			for lx.i < lx.end && isDigit(s[lx.i]) {
				buf = append(buf, s[lx.i])
				lx.i++
			}
			hasExp = true
		}
	}
	// ×10ⁿ as the formatter writes it for huge and tiny figures.
	if !hasExp && lx.i+4 <= lx.end && s[lx.i:lx.i+2] == "×" && s[lx.i+2:lx.i+4] == "10" {
		if exp, n, ok := lx.superscriptAt(lx.i + 4); ok {
			buf = append(buf, 'e')
			buf = appendInt(buf, exp)
			lx.i += 4 + n
		}
	}
	mult := 1.0
	if lx.i < lx.end {
		if m := suffixValue(s[lx.i : lx.i+1]); m != 0 && (lx.i+1 >= lx.end || !isIdentByte(s[lx.i+1])) {
			mult = m
			lx.i++
		}
	}
	pct := false
	if lx.i < lx.end && s[lx.i] == '%' {
		pct = true
		lx.i++
	}
	v := parseNumber(string(buf))
	if math.IsInf(v*mult, 0) {
		lx.errf(start, "number "+s[start:lx.i]+" is out of range")
		v = 0
	}
	v *= mult
	if pct {
		v /= 100
	}
	return token{kind: tNum, num: v, text: s[start:lx.i], pos: start, end: lx.i, comma: comma, pct: pct}
}
