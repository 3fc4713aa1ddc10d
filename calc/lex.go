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

// Operators are one byte, in tokens and in the syntax tree: the ASCII
// operator itself, or a letter for the two-character ones.
const (
	opLE = 'l' // <=
	opGE = 'g' // >=
	opEQ = 'e' // ==
	opNE = 'n' // !=
)

// token is one lexeme. pos and end are byte offsets into the whole source so
// errors can be placed precisely; the token's text is src[pos:end] (a string
// token's value is unquoted on demand). Tokens hold no pointers, so building
// them needs no write barriers.
type token struct {
	_     noEq
	kind  tokKind
	op    byte // tOp: the operator
	comma bool // a number written with thousands separators
	pct   bool // a number written with a trailing %
	pos   int
	end   int
	num   float64
}

// posErr is an error at a byte offset, converted to line:col later.
type posErr struct {
	_   noEq
	pos int
	msg string
}

// errList collects errors at byte offsets. The lexer, parser and compiler
// of a sheet or an expression share one, so that errors are gathered in
// one place.
type errList []posErr

//go:noinline
func (l *errList) add(pos int, msg string) { *l = append(*l, posErr{pos: pos, msg: msg}) }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}
func isIdentByte(c byte) bool { return isIdentStart(c) || isDigit(c) }

// lex splits src[start:end], one line of calc source, into the parser's
// tokens, stopping at a # comment, and adds any problems to its errors. The
// token list always ends with a tEOF token. Lexing never stops at a
// problem, so one typo does not hide others. The whole lexer is this one
// routine, and works on the parser rather than a type of its own: in
// WebAssembly each function and each type costs a few hundred bytes.
func (p *parser) lex(start, end int) {
	src, errs := p.src, p.errs
	p.i, p.end, p.toks = start, end, make([]token, 0, (end-start)/4+2)
	for {
		for c := p.ch(p.i); c == ' ' || c == '\t' || c == '\r'; c = p.ch(p.i) {
			p.i++
		}
		start := p.i
		c, c2 := p.ch(start), p.ch(start+1)
		if c == '#' || start >= end {
			p.i = end
			break
		}
		r, rn := utf8.DecodeRuneInString(src[start:end])
		switch {
		case isDigit(c) || (c == '.' && isDigit(c2)):
			// A number as people write it in estimates: digits with
			// optional thousands commas (groups of exactly three), a
			// fraction, an e exponent or ×10ⁿ, an attached count suffix
			// (K k M B T) and an attached %.
			i := p.digits(start)
			comma := false
			if i > start && i-start <= 3 {
				// A comma joins exactly three digits that are not followed by more.
				for p.ch(i) == ',' && p.digits(i+1) == i+4 {
					i += 4
					comma = true
				}
			}
			if p.ch(i) == '.' && isDigit(p.ch(i+1)) {
				i = p.digits(i + 1)
			}
			exp10, mant := 0, i // the n of ×10ⁿ, and the end of the rest
			if c := p.ch(i); c == 'e' || c == 'E' {
				j := i + 1
				if c := p.ch(j); c == '+' || c == '-' {
					j++
				}
				if isDigit(p.ch(j)) {
					mant = p.digits(j)
				}
			} else if i+4 <= p.end && src[i:i+4] == "×10" {
				// ×10ⁿ as the formatter writes it for huge and tiny figures.
				if exp, n := p.superscriptAt(i + 4); n > 0 {
					exp10 = exp
					i += 4 + n
				}
			}
			i = max(i, mant)
			mult := 1.0
			if m := suffixValue(src[i:min(i+1, p.end)]); m != 0 && !isIdentByte(p.ch(i+1)) {
				mult = m
				i++
			}
			pct := p.ch(i) == '%'
			if pct {
				i++
			}
			p.i = i
			v := parseNumber(src[start:mant], exp10)
			if math.IsInf(v*mult, 0) {
				p.errs.add(start, "number "+src[start:i]+" is out of range")
				v = 0
			}
			v *= mult
			if pct {
				v /= 100
			}
			t := p.emit(tNum, 0, start)
			t.num, t.comma, t.pct = v, comma, pct
			continue
		case isIdentStart(c) || r == 'µ' || r == 'μ':
			p.i += rn
			// A dot between names joins them: "twitter.dau", a cell
			// another sheet lends this one (imported by the site builder).
			for isIdentByte(p.ch(p.i)) || p.ch(p.i) == '.' && isIdentStart(p.ch(p.i+1)) {
				p.i++
			}
			if p.i-start > maxName {
				errs.add(start, msg("a name of {} characters; names and units have at most {}", itoa(p.i-start), itoa(maxName)))
				continue
			}
			p.emit(tIdent, 0, start)
			continue
		case c == '"':
			// The string's value is read by parser.text when needed.
			for p.i++; p.i < end && src[p.i] != '"'; p.i++ {
				if c := p.ch(p.i + 1); src[p.i] == '\\' && (c == '"' || c == '\\') {
					p.i++
				}
			}
			if p.i < end {
				p.i++
			} else {
				errs.add(start, "unterminated string")
			}
			p.emit(tString, 0, start)
			continue
		}
		kind, n, op := tOp, 1, c
		switch c {
		case '+', '*', '/', '^', '%', '-':
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
				// <= >= == != by the first byte's low three bits: < is 4,
				// > is 6, = is 5 and ! is 1.
				op = "\x00n\x00\x00leg"[c%8]
			} else if c == '=' {
				kind = tAssign
			} else if c == '!' {
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
			kind, n = tEOF, rn
			for _, o := range runeOps {
				if o.r == r {
					kind, op = tOp, o.op
				}
			}
		}
		if kind != tEOF {
			p.i += n
			p.emit(kind, op, start)
			continue
		}
		// A superscript power, or a character to report.
		if exp, m := p.superscriptAt(start); m > 0 && r != '⁺' {
			p.i = start + m
			p.emit(tSup, 0, start).num = float64(exp)
			continue
		}
		p.i += n
		if r == utf8.RuneError {
			errs.add(start, "invalid UTF-8 in source")
		} else {
			errs.add(start, msg("unexpected character \"{}\"", src[start:p.i]))
		}
	}
	if len(p.toks) > maxTokens {
		errs.add(start, msg("a line of {} tokens; split it into cells of at most {}", itoa(len(p.toks)), itoa(maxTokens)))
		p.toks = p.toks[:0]
	}
	p.emit(tEOF, 0, p.i)
	p.i = 0
}

// Bounds on what one line may hold, so that no input, however long, makes
// the parser or the compiler recurse without limit or take seconds: no
// estimate needs a longer name, a longer line or deeper parentheses.
const (
	maxName   = 64
	maxTokens = 4096
	maxDepth  = 100
)

// emit appends a token from start to the current offset.
//
//go:noinline
func (p *parser) emit(kind tokKind, op byte, start int) *token {
	p.toks = append(p.toks, token{kind: kind, op: op, pos: start, end: p.i})
	return &p.toks[len(p.toks)-1]
}

// ch returns the byte at i, or 0 at the end of the line.
//
//go:noinline
func (p *parser) ch(i int) byte {
	if i < p.end {
		return p.src[i]
	}
	return 0
}

// digits skips a run of ASCII digits from i and returns where it ends.
//
//go:noinline
func (p *parser) digits(i int) int {
	for isDigit(p.ch(i)) {
		i++
	}
	return i
}

// runeOps are the typographic operators, each read as its ASCII form.
var runeOps = []struct {
	r  rune
	op byte
}{{'×', '*'}, {'·', '*'}, {'÷', '/'}, {'−', '-'}, {'≤', opLE}, {'≥', opGE}, {'≠', opNE}}

// superscriptAt reads an optionally signed run of superscript digits at i,
// returning its value and length, or a zero length when there is none.
// The digits are matched as the bytes of supDigits.
func (p *parser) superscriptAt(i int) (int, int) {
	s := p.src[i:p.end]
	j, neg := 0, false
	if len(s) >= 3 && s[:2] == "\xe2\x81" && (s[2] == 0xbb || s[2] == 0xba) { // ⁻ or ⁺
		j, neg = 3, s[2] == 0xbb
	}
	v, digits := 0, 0
	for {
		d := -1
		for k, sd := range supDigits {
			if len(s)-j >= len(sd) && s[j:j+len(sd)] == sd {
				d = k
			}
		}
		if d < 0 {
			break
		}
		if v < 10000 {
			v = v*10 + d
		}
		digits++
		j += len(supDigits[d])
	}
	if digits == 0 {
		return 0, 0
	}
	if neg {
		v = -v
	}
	return v, j
}
