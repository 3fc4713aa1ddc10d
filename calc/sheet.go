package calc

import (
	"strings"
)

// Sheet is a parsed calculator: its cells in source order, compiled once so
// that Eval does no parsing.
type Sheet struct {
	// Cells are in source order.
	Cells []*Cell
	// Nouns are the extra count nouns declared with "nouns:" lines.
	Nouns []string

	src    string
	byName map[string]int
	order  []int // evaluation order (dependencies first)
	prog   []cellProg
}

// Cell is one line of a sheet: an input (name = literal) or a formula
// (name := expression).
type Cell struct {
	Name, Label, Help string
	Input             bool // true for "=" inputs, false for ":=" formulas
	Hidden, Log       bool
	Min, Max, Step    *Quantity // nil when absent
	Default           Quantity  // inputs: the literal's value
	Expr              string    // source text of the right-hand side, including any "as UNIT"
	Line, Col         int       // position of the name
	DisplayUnit       string    // from "as", "" if automatic
	Deps              []string  // names referenced, in order of first use
}

// cellProg is the compiled form of a cell.
type cellProg struct {
	fn      evalFn
	dim     Dim
	noun    string
	hint    *dispUnit
	deps    []int
	working []seg
}

// seg is a piece of a formula's working: fixed text, or a cell's value.
type seg struct {
	_    noEq
	text string
	ref  int // -1 for text
}

// Cell returns the cell with the given name, or nil.
func (s *Sheet) Cell(name string) *Cell {
	if i, ok := s.byName[name]; ok {
		return s.Cells[i]
	}
	return nil
}

// options that may follow a cell's expression.
var optionNames = []string{"range", "step", "log", "help", "hidden"}

func isOption(s string) bool {
	for _, o := range optionNames {
		if o == s {
			return true
		}
	}
	return false
}

// lineInfo is one parsed line, kept until compilation.
type lineInfo struct {
	cell            *Cell
	rhs             *node
	min, max, step  *node
	namePos, rhsPos int
}

// Parse reads a sheet: one cell per line, # comments, blank lines, and
// "nouns:" declarations. It reports every problem it finds; the error is an
// ErrorList of *Error sorted by position, and the sheet is nil when there is
// one.
func Parse(src string) (*Sheet, error) {
	s := &Sheet{src: src, byName: map[string]int{}}
	var perrs []posErr
	type rawLine struct {
		toks       []token
		start, end int
	}
	var lines []rawLine
	nouns := map[string]bool{}
	for start := 0; start <= len(src); {
		end := strings.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		toks, lerrs := lexLine(src, start, end)
		perrs = append(perrs, lerrs...)
		if len(lerrs) == 0 && toks[0].kind != tEOF {
			if toks[0].kind == tIdent && toks[0].text == "nouns" && toks[1].kind == tColon {
				perrs = append(perrs, parseNouns(toks[2:], nouns, &s.Nouns)...)
			} else {
				lines = append(lines, rawLine{toks, start, end})
			}
		}
		start = end + 1
	}
	var infos []*lineInfo
	for _, l := range lines {
		li, errs := parseCellLine(src, l.toks, s, nouns)
		perrs = append(perrs, errs...)
		if li != nil {
			infos = append(infos, li)
		}
	}
	perrs = append(perrs, s.build(infos, nouns)...)
	if len(perrs) > 0 {
		// Drop repeats with a quadratic scan: lists are short, and a map
		// keyed by posErr would add hashing code to the WebAssembly build.
		list := make(ErrorList, 0, len(perrs))
	next:
		for i, e := range perrs {
			for _, f := range perrs[:i] {
				if f == e {
					continue next
				}
			}
			list = append(list, posError(src, e))
		}
		sortErrors(list)
		return nil, list
	}
	return s, nil
}

func parseNouns(toks []token, nouns map[string]bool, list *[]string) []posErr {
	var errs []posErr
	want := true
	for _, t := range toks {
		switch {
		case t.kind == tEOF:
			if want && len(toks) == 1 {
				errs = append(errs, posErr{t.pos, "nouns: needs a list of words, e.g. nouns: shards, pins"})
			}
			return errs
		case want && t.kind == tIdent:
			if _, isUnit := lookupUnit(t.text); isUnit {
				errs = append(errs, posErr{t.pos, quote(t.text) + " is a unit, not a count noun"})
			} else if !nouns[t.text] {
				nouns[t.text] = true
				*list = append(*list, t.text)
			}
			want = false
		case !want && t.kind == tComma:
			want = true
		default:
			errs = append(errs, posErr{t.pos, "nouns: expects words separated by commas"})
			return errs
		}
	}
	return errs
}

// parseCellLine reads "name = literal" or "name := expr" followed by an
// optional label and options. Problems are collected in the parser's list,
// which is returned with a nil lineInfo when there are any.
func parseCellLine(src string, toks []token, s *Sheet, nouns map[string]bool) (*lineInfo, []posErr) {
	p := &parser{toks: toks, stopIdent: isOption}
	li := p.cellLine(src)
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return li, nil
}

func (p *parser) cellLine(src string) *lineInfo {
	nameTok := p.advance()
	if nameTok.kind != tIdent {
		p.errf(nameTok.pos, "expected a cell name at the start of the line (name = value or name := formula)")
		return nil
	}
	name := nameTok.text
	op := p.advance()
	if op.kind != tAssign && op.kind != tDefine {
		msg := "expected = (input) or := (formula) after " + quote(name)
		if op.kind == tColon {
			msg = "expected := after " + quote(name) + " (or \"nouns:\" to declare nouns)"
		}
		p.errf(op.pos, msg)
		return nil
	}
	if msg := nameProblem(name); msg != "" {
		p.errf(nameTok.pos, msg)
	}
	li := &lineInfo{namePos: nameTok.pos, rhsPos: p.peek().pos}
	c := &Cell{Name: name, Input: op.kind == tAssign}
	li.cell = c
	c.Line, c.Col = lineCol(src, nameTok.pos)
	rhs := p.parseExpr()
	if rhs == nil {
		return nil
	}
	li.rhs = rhs
	c.Expr = src[rhs.pos:rhs.end] // spans begin and end at tokens: nothing to trim
	if rhs.kind == nAs {
		c.DisplayUnit = src[rhs.unit.pos:rhs.unit.end]
	}
	// Label and options, in any order.
	for {
		t := p.advance()
		switch t.kind {
		case tEOF:
			return li
		case tString:
			if c.Label != "" {
				p.errf(t.pos, "a cell has one label; use help \"…\" for longer text")
			}
			c.Label = t.text
			continue
		case tIdent:
		default:
			p.errf(t.pos, "unexpected "+quote(t.text)+" after the expression")
			return nil
		}
		var what string // an option that applies to inputs only, and why
		switch t.text {
		case "hidden":
			c.Hidden = true
		case "log":
			what = "log applies to inputs only (it sets the slider scale)"
			c.Log = true
		case "help":
			h := p.advance()
			if h.kind != tString {
				p.errf(h.pos, "help needs text in double quotes, e.g. help \"How often…\"")
				return nil
			}
			c.Help = h.text
		case "range", "step":
			what = t.text + " applies to inputs only (it sets the slider)"
		default:
			msg := "unknown option " + quote(t.text)
			if sg := suggest(t.text, optionNames); sg != "" {
				msg += " — did you mean " + quote(sg) + "?"
			} else {
				msg += " (options are range, step, log, help and hidden)"
			}
			p.errf(t.pos, msg)
			return nil
		}
		if what != "" && !c.Input {
			p.errf(t.pos, what)
		}
		switch t.text {
		case "range":
			p.lenient = true
			li.min = p.parseExpr()
			p.lenient = false
			if li.min == nil {
				return nil
			}
			if d := p.peek(); d.kind != tDotDot {
				p.errf(d.pos, "range needs MIN..MAX, e.g. range 1M..2B")
				return nil
			}
			p.advance()
			if li.max = p.parseExpr(); li.max == nil {
				return nil
			}
		case "step":
			if li.step = p.parseExpr(); li.step == nil {
				return nil
			}
		}
	}
}

// nameProblem explains why a word cannot name a cell.
func nameProblem(name string) string {
	switch {
	case isKeyword(name):
		return quote(name) + " is a keyword; choose another name for the cell"
	case funcs[name] != nil:
		return quote(name) + " is a function; choose another name for the cell, e.g. " + quote("n_"+name)
	}
	if _, ok := lookupUnit(name); ok {
		return quote(name) + " is a unit; choose another name for the cell, e.g. " + quote("n_"+name)
	}
	if suffixValue(name) != 0 {
		return quote(name) + " is a number suffix (as in 5" + name + "); choose another name for the cell"
	}
	return ""
}

// build indexes cells, orders them by dependency and compiles them.
func (s *Sheet) build(infos []*lineInfo, nouns map[string]bool) []posErr {
	var errs []posErr
	var kept []*lineInfo
	for _, li := range infos {
		if j, dup := s.byName[li.cell.Name]; dup {
			first := s.Cells[j]
			errs = append(errs, posErr{li.namePos, "duplicate cell " + quote(li.cell.Name) + " (first defined at " + itoa(first.Line) + ":" + itoa(first.Col) + ")"})
			continue
		}
		s.byName[li.cell.Name] = len(s.Cells)
		s.Cells = append(s.Cells, li.cell)
		kept = append(kept, li)
	}
	n := len(s.Cells)
	deps := make([][]int, n)
	for i, li := range kept {
		collectRefs(li.rhs, s.byName, func(j int) {
			for _, d := range deps[i] {
				if d == j {
					return
				}
			}
			deps[i] = append(deps[i], j)
			li.cell.Deps = append(li.cell.Deps, s.Cells[j].Name)
		})
	}
	// Depth-first ordering with cycle detection. A cycle is reported once, at
	// its first cell in source order, with the path back to it.
	const (
		white = iota
		grey
		black
	)
	color := make([]int, n)
	bad := make([]bool, n)
	var stack []int
	var visit func(i int)
	visit = func(i int) {
		color[i] = grey
		stack = append(stack, i)
		for _, j := range deps[i] {
			if s.Cells[i].Input {
				break // inputs referring to cells are reported when compiled
			}
			switch color[j] {
			case white:
				visit(j)
			case grey:
				k := len(stack) - 1
				for stack[k] != j {
					k--
				}
				cyc := stack[k:]
				first := 0
				for m := range cyc {
					if cyc[m] < cyc[first] {
						first = m
					}
				}
				path := s.Cells[cyc[first]].Name
				for m := 1; m <= len(cyc); m++ {
					path += " → " + s.Cells[cyc[(first+m)%len(cyc)]].Name
				}
				for _, m := range cyc {
					bad[m] = true
				}
				errs = append(errs, posErr{kept[cyc[first]].namePos, "cycle: " + path})
			}
			if bad[j] {
				bad[i] = true
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
		s.order = append(s.order, i)
	}
	for i := range s.Cells {
		if color[i] == white {
			visit(i)
		}
	}
	// Compile in dependency order.
	static := make([]cellStatic, n)
	defEnv := &env{vals: make([]float64, n), src: s.src}
	c := &compiler{src: s.src, cells: s.byName, static: static, nouns: nouns, defEnv: defEnv}
	s.prog = make([]cellProg, n)
	for _, i := range s.order {
		li, cell := kept[i], s.Cells[i]
		s.prog[i].deps = deps[i]
		if bad[i] {
			static[i].bad = true
			continue
		}
		if cell.Input {
			c.input = cell.Name
		} else {
			c.input = ""
		}
		c.quiet = false
		cn, ok := c.compileRoot(li.rhs)
		if ok && cell.Input {
			ok = c.inputOptions(li, cn)
		}
		if !ok {
			static[i].bad = true
			continue
		}
		static[i] = cellStatic{dim: cn.dim, noun: cn.noun, hint: cn.hint}
		p := &s.prog[i]
		p.fn, p.dim, p.noun, p.hint = cn.fn, cn.dim, cn.noun, cn.hint
		e := &env{vals: defEnv.vals, src: s.src}
		defEnv.vals[i] = cn.fn(e)
		if cell.Input {
			cell.Default = Quantity{v: cn.val, dim: cn.dim, noun: cn.noun, unit: cn.hint}
		} else {
			p.working = s.working(li.rhs)
		}
	}
	c.input = ""
	return append(errs, c.errs...)
}

// inputOptions checks an input's range and step against its value.
func (c *compiler) inputOptions(li *lineInfo, v cnode) bool {
	cell := li.cell
	q := func(n *node, what string) *Quantity {
		if n == nil {
			return nil
		}
		cn, ok := c.compileRoot(n)
		if !ok {
			return nil
		}
		if cn.dim != v.dim {
			c.errs = append(c.errs, posErr{n.pos, what + " " + c.text(n, cn) + " is " + cn.dim.describe() + " but " + cell.Name + " is " + v.dim.describe() + "; write it with the same kind of unit"})
			return nil
		}
		return &Quantity{v: cn.val, dim: cn.dim, noun: cn.noun, unit: cn.hint}
	}
	before := len(c.errs)
	cell.Min = q(li.min, "range")
	cell.Max = q(li.max, "range")
	cell.Step = q(li.step, "step")
	if len(c.errs) > before {
		return false
	}
	if cell.Min != nil && cell.Max != nil {
		if cell.Min.v > cell.Max.v {
			c.errs = append(c.errs, posErr{li.min.pos, "range minimum " + cell.Min.String() + " is above the maximum " + cell.Max.String()})
			return false
		}
		if cell.Log && cell.Min.v <= 0 {
			c.errs = append(c.errs, posErr{li.min.pos, "a log-scale range must start above zero"})
			return false
		}
		if v.val < cell.Min.v || v.val > cell.Max.v {
			c.errs = append(c.errs, posErr{li.rhs.pos, "the value " + c.text(li.rhs, v) + " is outside its range " + cell.Min.String() + ".." + cell.Max.String()})
			return false
		}
	}
	if cell.Step != nil && cell.Step.v <= 0 {
		c.errs = append(c.errs, posErr{li.step.pos, "step must be positive"})
		return false
	}
	return true
}

// collectRefs calls f for each identifier in n that names a cell, skipping
// units written after a number.
func collectRefs(n *node, cells map[string]int, f func(int)) {
	if n == nil {
		return
	}
	if n.kind == nIdent {
		if i, ok := cells[n.text]; ok {
			f(i)
		}
		return
	}
	if n.kind == nBin && n.implicit {
		collectRefs(n.kids[0], cells, f)
		return
	}
	for _, k := range n.kids {
		collectRefs(k, cells, f)
	}
}

// itoa formats an integer; strconv.Itoa would add its general formatter to
// the WebAssembly build for the few small numbers messages need.
func itoa(n int) string {
	return string(appendInt(nil, n))
}

func appendInt(b []byte, n int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	if n >= 10 {
		b = appendInt(b, n/10)
	}
	return append(b, byte('0'+n%10))
}
