package calc

import "math"

// facts are what the compiler knows of an expression without evaluating it:
// dimensions, nouns and display units never depend on values.
type facts struct {
	_     noEq
	dim   Dim
	noun  string
	hint  *dispUnit
	konst bool    // the value is known: a literal, a unit, or folded
	val   float64 // when konst
	bad   bool    // of a cell: it failed to compile; dependents stay quiet
}

// opcode is an instruction of the small stack machine formulas compile to.
// One loop runs every formula: in WebAssembly that is far smaller than a
// closure per operator, and as fast.
type opcode uint8

const (
	opConst    opcode = iota // push v
	opCell                   // push the value of cell n
	opNeg                    // negate the top
	opJumpZero               // pop; skip n instructions if it is zero
	opJump                   // skip n instructions
	opCall                   // replace the top n values by the function of the call at
	opAdd                    // the rest replace the top two values by one
	opSub
	opMul
	opDiv
	opPow
	opCmp // a comparison; cmp holds the orderings that are true
)

// instr is one instruction. at is the node an evaluation error is reported
// on, a division's operator and span, or a call, which also names the
// function.
type instr struct {
	_   noEq
	op  opcode
	cmp uint8 // opCmp: cmpLT | cmpEQ | cmpGT, cmpNot to negate
	n   int
	v   float64
	at  *node
}

const (
	cmpLT, cmpEQ, cmpGT, cmpNot = 1, 2, 4, 8
)

// cmpMasks gives, for each comparison operator, the orderings for which it
// is true; != is the negation of ==, which keeps NaN != NaN true.
var cmpMasks = [...]struct {
	op   byte
	mask uint8
}{{'<', cmpLT}, {opLE, cmpLT | cmpEQ}, {'>', cmpGT}, {opGE, cmpGT | cmpEQ}, {opEQ, cmpEQ}, {opNE, cmpEQ | cmpNot}}

// env is the state of one evaluation: cell values by index, the machine's
// stack, and the first error met in the current cell. Compiled code only
// reads the sheet, so a Sheet is safe for concurrent Eval calls.
type env struct {
	vals  []float64
	stack []float64
	err   *Error
	src   string // for placing errors
}

// run executes compiled code and returns its value. After an error the
// failing operation gives 0 and evaluation goes on, so that a default value
// computed despite an error is the same however the code is arranged; only
// the first error is kept.
func (e *env) run(code []instr) float64 {
	st := e.stack[:0]
	for pc := 0; pc < len(code); pc++ {
		in := &code[pc]
		k := len(st)
		v, pop := in.v, 0 // the result, and how many values it replaces
		m, at := "", 0    // an evaluation error and its position
		switch in.op {
		case opConst:
		case opCell:
			v = e.vals[in.n]
		case opNeg:
			v, pop = -st[k-1], 1
		case opJumpZero:
			if st[k-1] == 0 {
				pc += in.n
			}
			st = st[:k-1]
			continue
		case opJump:
			pc += in.n
			continue
		case opCall:
			pop, at = in.n, in.at.pos
			f := in.at.fn
			v, m = f.eval(f, st[k-pop:])
		default:
			a, b := st[k-2], st[k-1]
			pop = 2
			switch in.op {
			case opAdd:
				v = a + b
			case opSub:
				v = a - b
			case opMul:
				v = a * b
			case opDiv:
				v = a / b
				if b == 0 {
					m, at = "division by zero in "+e.src[in.at.pos:in.at.end], in.at.at
				}
			case opPow:
				v = math.Pow(a, b)
			default:
				got := uint8(0) // unordered when either is NaN
				switch {
				case a < b:
					got = cmpLT
				case a == b:
					got = cmpEQ
				case a > b:
					got = cmpGT
				}
				v = 0
				if (got&in.cmp != 0) != (in.cmp&cmpNot != 0) {
					v = 1
				}
			}
		}
		if m != "" {
			if e.err == nil {
				e.err = posError(e.src, at, m)
			}
			v = 0
		}
		st = append(st[:k-pop], v)
	}
	e.stack = st
	return st[len(st)-1]
}

// compiler turns syntax trees into code and reports problems. It stops an
// expression at its first error, setting bad: callers clear bad before
// compiling an expression, and compile checks it after its operands.
type compiler struct {
	src   string
	errs  *errList
	sheet *Sheet    // the cells, nouns and units that names may refer to
	input string    // non-empty while compiling an input's literal
	vals  []float64 // default values of cells, for messages
	code  []instr
	bad   bool
	warns *errList // things that parse but probably mean something else
	// untaken counts the branches being compiled that a constant if
	// condition never takes: "if(n > 0, 1 / n, 0)" with n = 0 must not
	// fail on the 1 / 0 it never computes.
	untaken int

	// Building a sheet: the cells' ordering (see visit), and the working
	// being rendered.
	color []uint8
	stack []int
	segs  []seg
	wbuf  buf
}

//go:noinline
func (c *compiler) fail(pos int, msg string) {
	c.errs.add(pos, msg)
	c.bad = true
}

// emit appends an instruction and returns its index.
//
//go:noinline
func (c *compiler) emit(op opcode, n int, at *node) int {
	c.code = append(c.code, instr{op: op, n: n, at: at})
	return len(c.code) - 1
}

// text formats a compiled node's default value for an error message,
// falling back to its source when it cannot be evaluated.
func (c *compiler) text(n *node) string {
	e := &env{vals: c.vals, src: c.src}
	v := e.run(c.code[n.code:n.codeEnd])
	if e.err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return c.src[n.pos:n.end] // spans begin and end at tokens: nothing to trim
	}
	var b buf
	b.quantity(v, n.dim, n.noun, n.hint)
	return string(b)
}

// setConst makes n's code the constant v.
//
//go:noinline
func (c *compiler) setConst(n *node, v float64) {
	c.code = c.code[:n.code]
	c.emit(opConst, 0, nil)
	c.code[n.code].v = v
	n.konst, n.val = true, v
}

// compile compiles n and its operands, recording its facts and its code.
// Every kind of node is handled here, in one routine, because in
// WebAssembly each function costs a few hundred bytes of its own; and the
// facts are gathered in locals and stored once, because each store of a
// pointer into the heap costs a write barrier.
func (c *compiler) compile(n *node) {
	n.code = len(c.code)
	x, y := n.x, n.y
	if n.kind == nNeg || n.kind == nParen || n.kind == nAs || n.kind == nBin {
		c.compile(x)
		if n.kind == nBin && !n.implicit && !c.bad {
			c.compile(y)
		}
		if c.bad {
			return
		}
	}
	var (
		dim     Dim
		noun    string
		hint    *dispUnit
		foldAt  = -1 // fold at this position: the operands are constant
		literal bool // a literal such as 5 MB/s, which keeps its unit
		op, at  = n.op, n.at
	)
	switch {
	case n.kind == nNum:
		if n.money {
			dim = dimMoney
		}
		c.setConst(n, n.num)
		literal = true

	case n.kind == nIdent:
		name := c.src[n.pos:n.end]
		i, u := c.sheet.index(name), c.sheet.unit(name)
		switch {
		case i >= 0 && c.input != "":
			c.fail(n.pos, msg("input \"{}\" refers to cell \"{}\": use := for a formula", c.input, name))
		case i >= 0 && c.sheet.prog[i].bad:
			c.bad = true // the cell's own error is enough
		case i >= 0:
			st := &c.sheet.prog[i]
			dim, noun, hint = st.dim, st.noun, st.hint
			c.emit(opCell, i, nil)
		case u != nil:
			dim = u.dim
			c.setConst(n, u.factor)
		case lookupFunc(name) != nil:
			c.fail(n.pos, msg("\"{}\" is a function; call it with arguments, e.g. {}(…)", name, name))
		case isNoun(name, c.sheet.Nouns):
			c.fail(n.pos, msg("\"{}\" is a count noun; write it after a number, e.g. 1 {}", name, name))
		default:
			c.fail(n.pos, msg("unknown name \"{}\"{}", name, didYouMean(suggest(name, c.sheet.Cells, nil, withUnits, ""))))
		}

	case n.kind != nBin && n.kind != nCall: // nNeg, nParen, nAs
		dim, noun, hint = x.dim, x.noun, x.hint
		n.konst, n.val = x.konst, x.val
		if n.kind == nNeg {
			c.emit(opNeg, 0, nil)
			if n.konst {
				foldAt = n.pos
			}
		}
		if n.kind != nAs {
			break
		}
		// A unit after "as" chooses the family and the tail (GB/s, not Gb/s
		// or GB/day); the figure still moves to the prefix that reads best
		// as the inputs change, unless the author wrote "as exactly".
		u := resolveUnit(n.unit, c.sheet, false, c.errs)
		switch {
		case u == nil:
			c.bad = true
		case u.dim != x.dim:
			c.fail(n.unit.pos, convMsg(c.text(x), x.dim, c.src[n.unit.pos:n.unit.end], u.dim))
		default:
			hint = u
			if u.noun != "" {
				noun = u.noun
			}
			if u.percent {
				noun = ""
			}
		}

	case n.implicit:
		// "5 MB" or "300M users": a literal times a unit or noun.
		id, exp := unitOperand(y)
		name := c.src[id.pos:id.end]
		dim, noun = x.dim, x.noun
		factor := 1.0
		u := c.sheet.unit(name)
		if b := bitsAlias(name); b != nil && exp == 1 && perTime(c.src[id.end:]) {
			// "10 Gb/s": bits, as networks write it (see bitsAlias).
			u = b
		}
		switch {
		case u != nil:
			factor = math.Pow(u.factor, float64(exp))
			dim = x.dim.add(u.dim.scale(exp))
		case bitsAlias(name) != nil:
			c.fail(id.pos, bitsMsg(name))
		case exp == 1 && isNoun(name, c.sheet.Nouns):
			noun = name
		case exp == 1 && c.sheet.index(name) >= 0:
			lit := c.src[x.pos:x.end]
			c.fail(id.pos, msg("expected an operator between {} and \"{}\"; write {} * {}", lit, name, lit, name))
		default:
			c.fail(id.pos, unknownUnitMsg(name, c.sheet))
		}
		if !c.bad {
			c.setConst(n, x.val*factor)
			literal = true
		}

	case n.kind == nCall:
		// A function call: the arguments' code, then the call; if
		// evaluates one branch only.
		name := c.src[n.pos:n.at]
		f := lookupFunc(name)
		if f == nil {
			m := "unknown function \"log\"; use ln, log2 or log10"
			if name != "log" {
				m = msg("unknown function \"{}\"{}", name, didYouMean(suggest(name, nil, nil, withFuncs, "")))
			}
			c.fail(n.pos, m)
			return
		}
		nargs := 0
		for a := n.x; a != nil; a = a.next {
			nargs++
		}
		if nargs < f.min || (f.max >= 0 && nargs > f.max) {
			lo, hi, s := itoa(f.min), itoa(f.max), "s"
			if f.min == 1 {
				s = ""
			}
			want := msg("{} to {} arguments", lo, hi)
			switch {
			case f.max < 0:
				want = msg("at least {} argument{}", lo, s)
			case f.min == f.max:
				want = msg("{} argument{}", lo, s)
			}
			c.fail(n.pos, msg("{} expects {} ({}), got {}", f.name, want, f.args, itoa(nargs)))
			return
		}
		// if's code is cond, jump-if-zero over the then-branch and a jump,
		// the then-branch, a jump over the else-branch, and the else-branch.
		j0, j1 := 0, 0 // if's jumps, at their instructions
		allKonst := true
		for a, i := n.x, 0; a != nil; a, i = a.next, i+1 {
			skip := false
			if f.lazy && i > 0 {
				// before the then-branch opJumpZero, before the else-branch opJump
				j0, j1 = j1, c.emit(opJumpZero+opcode(i-1), 0, nil)
				skip = n.x.konst && (n.x.val != 0) != (i == 1)
			}
			if skip {
				c.untaken++
			}
			c.compile(a)
			if skip {
				c.untaken--
			}
			if c.bad {
				return
			}
			allKonst = allKonst && (a.konst || skip)
		}
		x := n.x
		switch {
		case f.name == "pow":
		case f.lazy:
			c.code[j0].n = j1 - j0
			c.code[j1].n = len(c.code) - j1 - 1
			// The branches must agree unless one is a constant zero.
			x, y := x.next, x.next.next
			xz, yz := x.konst && x.val == 0, y.konst && y.val == 0
			if x.dim != y.dim && !xz && !yz {
				c.fail(y.pos, msg("if: the branches differ: {} is {}, {} is {}", c.text(x), x.dim.describe(), c.text(y), y.dim.describe()))
				return
			}
			dim = x.dim
			if xz {
				dim = y.dim
			}
			if x.noun == y.noun || yz {
				noun = x.noun
			} else if xz {
				noun = y.noun
			}
			if sameHint(x.hint, y.hint) || yz {
				hint = x.hint
			} else if xz {
				hint = y.hint
			}
		default:
			// Each argument against its requirement in f.want (see fnDef).
			reqs := f.want
			for a := x; a != nil; a = a.next {
				r := reqs
				if j := indexByte(reqs, '|'); j >= 0 {
					r, reqs = reqs[:j], reqs[j+1:]
				}
				what, example := "", ""
				if len(r) > 2 {
					what = r[2:]
				}
				if j := indexByte(what, ';'); j >= 0 {
					what, example = what[:j], what[j+2:]
				}
				// The failure's template, if the argument does not fit; its
				// arguments are those of the msg call below.
				d, t, must := a.dim, "", "a plain number"
				const mustBe = "{0}: {1} must be {2}, but {3} is {4}"
				switch r[0] {
				case 'n':
					if d != dimCount {
						t = mustBe
					}
				case 'T', 'R', 'I', 'B':
					if want := [...]Dim{dimTime, dimRate, dimInfo, dimBandwidth}[indexByte("TRIB", r[0])]; d != want {
						t, must = mustBe, msg("{} (e.g. {})", want.describe(), example)
					}
				case 's':
					if d != x.dim {
						t = "{0}: {1} need the same dimension, but {5} is {6} and {3} is {7}"
					}
				case 'u':
					if d != dimCount && d != dimRate {
						t, must = mustBe, "capacity units, as a count or a rate per second"
					}
				case 'p':
					if d != dimCount && nargs == 1 {
						t = "{0} works on plain numbers, but {3} is {4}; divide by a unit first, e.g. {0}(x / 1 GB)"
					}
				case 'q':
					if d.Time%2 != 0 || d.Info%2 != 0 || d.Money%2 != 0 {
						t = "{0}: {3} is {4}, which has no square root"
					}
				}
				if t != "" {
					c.fail(a.pos, msg(t, f.name, what, must, c.text(a), d.describe(), c.text(x), x.dim.String(), d.String()))
					return
				}
			}
			switch dim = x.dim; f.ret {
			case 't':
				dim = dimTime
			case 'i':
				dim = dimInfo
			case 'c':
				dim = dimCostRate
			case 'h':
				dim = Dim{dim.Time / 2, dim.Info / 2, dim.Money / 2}
			case 0:
				dim = dimCount
			}
			d := dim
			if f.keep {
				// The result keeps a noun and display unit shared by every
				// argument; round(x, n) keeps x's.
				noun, hint = x.noun, x.hint
				for a := x.next; a != nil; a = a.next {
					if a.noun != noun {
						noun = ""
					}
					if !sameHint(a.hint, hint) {
						hint = nil
					}
				}
				if f.name == "round" && nargs == 2 {
					noun, hint = x.noun, x.hint
				}
			}
			if f.pct {
				hint = percentUnit
			}
			if hint != nil && hint.dim != d {
				hint = nil
			}
			n.fn = f
			c.emit(opCall, nargs, n)
		}
		if f.name != "pow" {
			if allKonst {
				foldAt = n.pos
			}
			break
		}
		// pow(x, n) is x ^ n, an error of folding placed on the call.
		y, op, at = x.next, '^', n.pos
		fallthrough

	default:
		// A constant zero adds to and compares with anything.
		lz, rz := x.konst && x.val == 0, y.konst && y.val == 0
		cmp := indexByte(levelOps[0], op) >= 0
		if (cmp || op == '+' || op == '-') && x.dim != y.dim && !lz && !rz {
			a, b := c.text(x), c.text(y)
			t, hint := "cannot add {} to {} ({} vs {}){}", ""
			switch {
			case cmp:
				t = "cannot compare {} with {} ({} vs {}){}"
			case op == '-':
				t, a, b = "cannot subtract {} from {} ({} vs {}){}", b, a
			}
			if d := x.dim.sub(y.dim); !cmp && (d == dimTime || d == dimRate) {
				hint = "; multiply the rate by a time (× 1 day) or divide the total by one"
			}
			c.fail(at, msg(t, a, b, x.dim.String(), y.dim.String(), hint))
			return
		}
		code := opCmp
		// Plain numbers: counts without a noun, or a unit of the sheet's
		// own ("3 racks" is 126, but not a plain 126).
		xp := x.dim == dimCount && x.noun == "" && (x.hint == nil || x.hint.factor == 1)
		yp := y.dim == dimCount && y.noun == "" && (y.hint == nil || y.hint.factor == 1)
		switch op {
		case '+', '-':
			dim = x.dim
			if lz {
				dim = y.dim
			}
			switch {
			case x.noun == y.noun || y.noun == "":
				noun = x.noun
			case x.noun == "":
				noun = y.noun
			}
			switch {
			case sameHint(x.hint, y.hint) || rz:
				hint = x.hint
			case lz:
				hint = y.hint
			}
			code = opAdd
			if op == '-' {
				code = opSub
			}
		case '*':
			// A noun or unit survives only when the other side is a plain
			// number (dau × 5 keeps users), or when a rate of something is
			// multiplied by a time (req/s × 1 day is still requests).
			dim = x.dim.add(y.dim)
			switch {
			case yp && !xp:
				noun, hint = x.noun, x.hint
			case xp && !yp:
				noun, hint = y.noun, y.hint
			case xp && yp:
				if x.hint == nil && y.hint != percentUnit {
					hint = y.hint
				} else if y.hint == nil && x.hint != percentUnit {
					hint = x.hint
				}
			case y.noun == "" && y.dim == dimTime && x.dim.Time < 0:
				noun = x.noun
			case x.noun == "" && x.dim == dimTime && y.dim.Time < 0:
				noun = y.noun
			}
			code = opMul
		case '/':
			dim = x.dim.sub(y.dim)
			// "1 GB / 100 MB / s": a unit divided in with spaces divides all
			// of what comes before it, which is rarely what such a line
			// means; the reading with the rate is "100 MB/s", written tight.
			if c.warns != nil && y.kind == nIdent && x.kind == nBin && x.op == '/' && x.y.dim != dimCount &&
				y.pos > 0 && c.src[y.pos-1] == ' ' && lookupUnit(c.src[y.pos:y.end]) != nil && lookupUnit(c.src[y.pos:y.end]).dim == dimTime {
				r := c.src[x.y.pos:x.y.end] + "/" + c.src[y.pos:y.end]
				c.warns.add(y.pos, msg("\"/ {}\" with a space divides all of {} by it; for a rate, write it tight: {}", c.src[y.pos:y.end], c.src[x.pos:x.end], r))
			}
			switch {
			case yp:
				noun, hint = x.noun, x.hint
				if x.hint == percentUnit {
					hint = nil
				}
			case y.noun == "" && y.dim == dimTime:
				noun = x.noun
			}
			code = opDiv
			literal = true
		case '^':
			// A quantity with a unit needs a constant whole exponent,
			// because the dimension of the result depends on it.
			dim = x.dim
			switch {
			case y.dim != dimCount:
				c.fail(y.pos, msg("an exponent must be a plain number, but {} is {}", c.text(y), y.dim.describe()))
			case x.dim != dimCount && (!y.konst || y.val != math.Trunc(y.val) || math.Abs(y.val) > 8):
				c.fail(y.pos, "a quantity with a unit can only be raised to a constant whole power (such as 2 or 3)")
			case x.dim != dimCount:
				dim = x.dim.scale(int(y.val))
			}
			code = opPow
		}
		if c.bad {
			return
		}
		i := c.emit(code, 0, n)
		for _, m := range cmpMasks {
			if m.op == op {
				c.code[i].cmp = m.mask
			}
		}
		if x.konst && y.konst {
			foldAt = at
		}
	}
	if foldAt >= 0 && !c.bad {
		// Constant operands: evaluate now, so errors such as 1/0 in a
		// literal are reported when the sheet is parsed.
		e := &env{src: c.src}
		v := e.run(c.code[n.code:])
		switch {
		case (e.err != nil || math.IsInf(v, 0) || math.IsNaN(v)) && c.untaken > 0:
			// Left unfolded: the code is never run.
		case e.err != nil:
			c.fail(foldAt, e.err.Msg)
		case math.IsInf(v, 0) || math.IsNaN(v):
			c.fail(foldAt, "this constant is not a finite number")
		default:
			c.setConst(n, v)
		}
	}
	if literal && !c.bad {
		// A literal keeps the unit and noun it was written with, so an
		// input "5 /day" is shown per day and "300M users" keeps its users.
		switch spec := c.litSpec(n); {
		case spec == nil:
		case len(spec.terms) == 0:
			if n.pct && !n.money {
				hint = percentUnit
			}
		default:
			u := resolveUnit(spec, c.sheet, true, c.errs)
			if u == nil {
				c.bad = true
				break
			}
			if u.noun != "" {
				noun = u.noun
			}
			if u.text != "" && u.text != "$" {
				hint = u
			}
		}
	}
	if !c.bad {
		n.dim, n.noun, n.hint = dim, noun, hint
		n.codeEnd = len(c.code)
	}
}

// litSpec recognizes a literal chain (number, unit, then /unit…) and
// returns the unit as written, or nil.
func (c *compiler) litSpec(n *node) *unitSpec {
	if n.kind == nNum {
		return &unitSpec{money: n.money}
	}
	if n.kind != nBin || (!n.implicit && n.op != '/') {
		return nil
	}
	id, exp := unitOperand(n.y)
	name := c.src[id.pos:id.end]
	if !n.implicit && (id.kind != nIdent || c.sheet.index(name) >= 0 || c.sheet.unit(name) == nil) {
		return nil // a division by something other than a unit
	}
	s := c.litSpec(n.x)
	t := unitTerm{name: name, exp: exp, pos: id.pos}
	if b := bitsAlias(name); b != nil && n.implicit && perTime(c.src[id.end:]) {
		t.name = b.names // "Gb/s" is shown as Gbit/s: one spelling for bits
	}
	switch {
	case s == nil:
	case n.implicit && len(s.terms) > 0:
		return nil // a unit after a unit: not a literal
	default:
		if n.implicit {
			s.den = 1 // the first name is the numerator
		}
		s.terms = append(s.terms, t)
	}
	return s
}

// unitOperand splits "s²" (a unit raised by a superscript) into the unit and
// its power; anything else is returned with power 1.
func unitOperand(n *node) (*node, int) {
	if n.kind == nBin && n.op == '^' && n.x.kind == nIdent && n.y.sup {
		return n.x, int(n.y.num)
	}
	return n, 1
}

// sameHint reports whether two display units show a figure alike.
//
//go:noinline
func sameHint(a, b *dispUnit) bool {
	return a == b || (a != nil && b != nil && a.text == b.text && a.dim == b.dim && a.fam == b.fam && a.timeFam == b.timeFam)
}
