package calc

import (
	"math"
	"strconv"
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

var supValue = map[rune]int{
	'⁰': 0, '¹': 1, '²': 2, '³': 3, '⁴': 4, '⁵': 5, '⁶': 6, '⁷': 7, '⁸': 8, '⁹': 9,
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

func (lx *lexer) errf(pos int, msg string) { lx.errs = append(lx.errs, posErr{pos, msg}) }

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
	one := func(k tokKind, op string, n int) (token, bool) {
		lx.i += n
		return token{kind: k, op: op, pos: start, end: lx.i, text: s[start:lx.i]}, true
	}
	switch {
	case isDigit(c) || (c == '.' && start+1 < lx.end && isDigit(s[start+1])):
		return lx.number(), true
	case isIdentStart(c):
		return lx.ident(), true
	case c == '"':
		return lx.str(), true
	}
	switch c {
	case '+', '*', '/', '^', '%':
		return one(tOp, string(c), 1)
	case '-':
		return one(tOp, "-", 1)
	case '(':
		return one(tLParen, "", 1)
	case ')':
		return one(tRParen, "", 1)
	case ',':
		return one(tComma, "", 1)
	case '$':
		return one(tDollar, "", 1)
	case '<', '>':
		if start+1 < lx.end && s[start+1] == '=' {
			return one(tOp, string(c)+"=", 2)
		}
		return one(tOp, string(c), 1)
	case '=':
		if start+1 < lx.end && s[start+1] == '=' {
			return one(tOp, "==", 2)
		}
		return one(tAssign, "", 1)
	case '!':
		if start+1 < lx.end && s[start+1] == '=' {
			return one(tOp, "!=", 2)
		}
	case ':':
		if start+1 < lx.end && s[start+1] == '=' {
			return one(tDefine, "", 2)
		}
		return one(tColon, "", 1)
	case '.':
		if start+1 < lx.end && s[start+1] == '.' {
			return one(tDotDot, "", 2)
		}
	}
	r, n := utf8.DecodeRuneInString(s[start:lx.end])
	switch r {
	case '×', '·':
		return one(tOp, "*", n)
	case '÷':
		return one(tOp, "/", n)
	case '−':
		return one(tOp, "-", n)
	case '≤':
		return one(tOp, "<=", n)
	case '≥':
		return one(tOp, ">=", n)
	case '≠':
		return one(tOp, "!=", n)
	case 'µ', 'μ':
		return lx.ident(), true
	}
	if _, ok := supValue[r]; ok || r == '⁻' {
		exp, m, ok := lx.superscriptAt(start)
		if ok {
			lx.i = start + m
			return token{kind: tSup, num: float64(exp), pos: start, end: lx.i, text: s[start:lx.i]}, true
		}
	}
	lx.i += n
	if r == utf8.RuneError {
		lx.errf(start, "invalid UTF-8 in source")
	} else {
		lx.errf(start, "unexpected character "+quote(string(r)))
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
		d, ok := supValue[r]
		if !ok {
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
			buf = strconv.AppendInt(buf, int64(exp), 10)
			lx.i += 4 + n
		}
	}
	mult := 1.0
	if lx.i < lx.end {
		if m, ok := suffixNames[s[lx.i:lx.i+1]]; ok && (lx.i+1 >= lx.end || !isIdentByte(s[lx.i+1])) {
			mult = m
			lx.i++
		}
	}
	pct := false
	if lx.i < lx.end && s[lx.i] == '%' {
		pct = true
		lx.i++
	}
	v, err := strconv.ParseFloat(string(buf), 64)
	if err != nil || math.IsInf(v*mult, 0) {
		lx.errf(start, "number "+s[start:lx.i]+" is out of range")
		v = 0
	}
	v *= mult
	if pct {
		v /= 100
	}
	return token{kind: tNum, num: v, text: s[start:lx.i], pos: start, end: lx.i, comma: comma, pct: pct}
}
