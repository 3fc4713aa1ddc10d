package calc

// Sheet is a parsed calculator: its cells in source order, compiled once so
// that Eval does no parsing.
type Sheet struct {
	// Cells are in source order.
	Cells []*Cell
	// Nouns are the extra count nouns declared with "nouns:" lines.
	Nouns []string
	// Warnings are lines that parse but probably do not say what their
	// author meant ("1 GB / 100 MB / s"), with positions like errors.
	Warnings ErrorList
	// Charts are the sheet's "chart:" lines, in source order.
	Charts []*Chart
	// Scenarios are the sheet's named sets of input values, compared side
	// by side; Compare names the results they are compared on ("compare:"),
	// all the visible formulas when empty.
	Scenarios []*Scenario
	Compare   []string
	// Key names the results a reader watches while exploring ("key:"),
	// shown beside the inputs; Main names the inputs shown first
	// ("main:"), the others folded away. Both empty when not written.
	Key, Main []string

	// units are the units the sheet defines ("unit rack = 42 servers"),
	// and defs their definitions as parsed, in source order.
	units []unit
	defs  []unitDef

	src    string
	order  []int // evaluation order (dependencies first)
	prog   []cellProg
	byName map[string]int32 // cell positions, so lookups stay O(1) in long sheets
	// comparePos, keyPos and mainPos are where each name of Compare, Key
	// and Main is, for errors.
	comparePos, keyPos, mainPos []int
}

// Cell is one line of a sheet: an input (name = literal) or a formula
// (name := expression).
type Cell struct {
	Name, Label, Help string
	Input             bool // true for "=" inputs, false for ":=" formulas
	Hidden, Log       bool
	Min, Max, Step    *Quantity // nil when absent
	Default           Quantity  // inputs: the literal's value; a range input's point estimate
	// Low and High bound a range input ("dau = 200M..400M users"): an
	// estimate the author is unsure of. Nil for a single value.
	Low, High   *Quantity
	Expr        string   // source text of the right-hand side, including any "as UNIT"
	Line, Col   int      // position of the name
	DisplayUnit string   // from "as", "" if automatic
	Deps        []string // names referenced, in order of first use
}

// cellProg is a cell as parsed, then compiled.
type cellProg struct {
	// Parsed: the right-hand side, the names in it in source order, the
	// options' expressions, and where the cell's name is.
	rhs            *node
	refs           []*node
	min, max, step *node
	hi, likely     *node // a range input's upper bound and point estimate
	namePos        int
	// Compiled.
	code    []instr
	facts   // dim, noun and display unit of the value
	deps    []int
	working []seg
}

// unitDef is a unit's definition as parsed: its singular and plural
// ("rack racks"), where its name is, and its expression.
type unitDef struct {
	_     noEq
	names string
	pos   int
	rhs   *node
	done  bool
}

// seg is a piece of a formula's working: fixed text, or a cell's value.
type seg struct {
	_    noEq
	text string
	ref  int // -1 for text
}

// Cell returns the cell with the given name, or nil.
func (s *Sheet) Cell(name string) *Cell {
	if i := s.index(name); i >= 0 {
		return s.Cells[i]
	}
	return nil
}

// index returns the position of the named cell, or -1. A map, not a scan:
// a scan made a sheet of n cells cost n² lookups (a 50,000-cell chain took
// a minute).
//
//go:noinline
func (s *Sheet) index(name string) int {
	if i, ok := s.byName[name]; ok {
		return int(i)
	}
	return -1
}

// optionNames are the options that may follow a cell's expression.
const optionNames = "range step log help hidden likely"

// stopWords end an expression in a sheet; outside one, the first two only.
const stopWords = "as per " + optionNames

// Parse reads a sheet: one cell per line, # comments, blank lines, and
// "nouns:" declarations. It reports every problem it finds; the error is an
// ErrorList of *Error sorted by position, and the sheet is nil when there is
// one.
func Parse(src string) (*Sheet, error) {
	s := &Sheet{src: src}
	var errs errList
	s.parseFrom(0, 0, &errs)
	return s.finish(&errs)
}

// Extend returns the sheet with more lines after its own, parsed alone and
// compiled with the rest: the formulas a page's prose adds for its inline
// expressions. The receiver is not changed. Line numbers in errors go on
// from the sheet's last line.
func (s *Sheet) Extend(lines string) (*Sheet, error) {
	src := s.src
	if src != "" && src[len(src)-1] != '\n' {
		src += "\n"
	}
	start := len(src)
	n := &Sheet{src: src + lines, Nouns: append([]string(nil), s.Nouns...), byName: map[string]int32{},
		units:  s.units[:len(s.units):len(s.units)],
		Charts: s.Charts, Scenarios: s.Scenarios, Compare: s.Compare, comparePos: s.comparePos,
		Key: s.Key, Main: s.Main, keyPos: s.keyPos, mainPos: s.mainPos}
	for name, i := range s.byName {
		n.byName[name] = i
	}
	// The cells and their parsed trees are shared; build compiles each
	// into fresh code, which the copies of cellProg hold.
	for i, c := range s.Cells {
		cp := *c
		cp.Deps = nil
		n.Cells = append(n.Cells, &cp)
		p := s.prog[i]
		p.deps, p.code, p.working = nil, nil, nil
		n.prog = append(n.prog, p)
	}
	var errs errList
	n.parseFrom(start, s.lines(), &errs)
	return n.finish(&errs)
}

// lines counts the lines of the sheet's source.
func (s *Sheet) lines() int {
	n := 0
	for i := 0; i < len(s.src); i++ {
		if s.src[i] == '\n' {
			n++
		}
	}
	if len(s.src) > 0 && s.src[len(s.src)-1] != '\n' {
		n++
	}
	return n
}

// parseFrom reads the cells of s.src from byte offset start, whose line is
// line+1: first the lines that declare units and nouns, which any line may
// use wherever they stand (a site's units come after a sheet's own text),
// then the rest.
func (s *Sheet) parseFrom(start, line int, errs *errList) {
	s.parseLines(start, line, errs, true)
	s.defineUnits(errs)
	s.parseLines(start, line, errs, false)
}

// parseLines reads the lines that declare units and nouns (decls), or the
// others. Each line's lexing problems are reported in the pass that reads
// it.
func (s *Sheet) parseLines(start, line int, errs *errList, decls bool) {
	src := s.src
lines:
	for start <= len(src) {
		end := start + indexByte(src[start:], '\n')
		if end < start {
			end = len(src)
		}
		line++
		lineStart := start
		start = end + 1
		// Declarations start with u or n (or a space): the first pass
		// lexes no line that starts otherwise.
		if decls && lineStart < end {
			if c := src[lineStart]; c != 'u' && c != 'n' && c != ' ' && c != '\t' {
				continue
			}
		}
		n := len(*errs)
		p := &parser{src: src, errs: errs, stop: stopWords, sheet: s}
		p.lex(lineStart, end)
		// A "nouns:" line, whose words go to s.Nouns, a "unit" line, or a
		// cell: "name = literal" or "name := expr" followed by an optional
		// label and options. A cell line counts only when it has no
		// problem.
		nameTok, op := p.advance(), p.advance()
		name := p.word(nameTok)
		unitLine := name == "unit" && op.kind != tAssign && op.kind != tDefine && op.kind != tColon && op.kind != tEOF
		if decls != (unitLine || name == "nouns" && op.kind == tColon) {
			*errs = (*errs)[:n] // the other pass reports them
			continue
		}
		if len(*errs) > n || p.toks[0].kind == tEOF {
			continue
		}
		if unitLine {
			s.parseUnit(p, op)
			continue
		}
		if name == "chart" && op.kind == tColon {
			s.parseChart(p, line)
			continue lines
		}
		if name == "scenario" && op.kind == tString {
			s.parseScenario(p, op, line)
			continue lines
		}
		if op.kind == tColon && (name == "compare" || name == "key" || name == "main") {
			names, pos := &s.Compare, &s.comparePos
			switch name {
			case "key":
				names, pos = &s.Key, &s.keyPos
			case "main":
				names, pos = &s.Main, &s.mainPos
			}
			for {
				t := p.advance()
				if t.kind != tIdent {
					errs.add(t.pos, msg("{}: expects cell names separated by commas, e.g. {}: read_qps, servers", name, name))
					continue lines
				}
				*names = append(*names, p.word(t))
				*pos = append(*pos, t.pos)
				if t = p.advance(); t.kind == tEOF {
					continue lines
				} else if t.kind != tComma {
					errs.add(t.pos, msg("{}: expects cell names separated by commas", name))
					continue lines
				}
			}
		}
		if name == "nouns" && op.kind == tColon {
			for want := true; ; want = !want {
				t := p.advance()
				w := p.word(t)
				switch {
				case t.kind == tEOF:
					if want && p.i == 2 {
						errs.add(t.pos, "nouns: needs a list of words, e.g. nouns: shards, pins")
					}
					continue lines
				case want && w != "":
					if lookupUnit(w) != nil {
						errs.add(t.pos, msg("\"{}\" is a unit, not a count noun", w))
					} else if !declared(s.Nouns, w) {
						s.Nouns = append(s.Nouns, w)
					}
				case !want && t.kind == tComma:
				default:
					errs.add(t.pos, "nouns: expects words separated by commas")
					continue lines
				}
			}
		}
		m := ""
		switch {
		case name == "":
			errs.add(nameTok.pos, "expected a cell name at the start of the line (name = value or name := formula)")
			continue lines
		case op.kind == tColon:
			m = "expected := after \"{}\" (or \"nouns:\" to declare nouns)"
		case op.kind != tAssign && op.kind != tDefine:
			m = "expected = (input) or := (formula) after \"{}\""
		}
		if m != "" {
			errs.add(op.pos, msg(m, name))
			continue lines
		}
		// Words that cannot name a cell.
		switch {
		case hasWord(stopWords+" nouns", name): // a word of the syntax
			m = "\"{}\" is a keyword; choose another name for the cell"
		case lookupFunc(name) != nil:
			m = "\"{}\" is a function; choose another name for the cell, e.g. \"n_{}\""
		case s.unit(name) != nil:
			m = "\"{}\" is a unit; choose another name for the cell, e.g. \"n_{}\""
		case suffixValue(name) != 0:
			m = "\"{}\" is a number suffix (as in 5{}); choose another name for the cell"
		}
		if m != "" {
			errs.add(nameTok.pos, msg(m, name, name))
		}
		// The cell and its line are built in locals and stored at the end: in
		// WebAssembly each store of a pointer into the heap costs a write
		// barrier, while a local costs nothing.
		// The position from this line alone: from the sheet's start it
		// would cost a pass over every earlier line, per cell.
		at := posError(src[lineStart:end], nameTok.pos-lineStart, "")
		c := Cell{Name: name, Input: op.kind == tAssign, Line: line, Col: at.Col}
		li := cellProg{namePos: nameTok.pos}
		p.lenient = c.Input // "200M..400M": the low end may stop at ..
		rhs := p.parseExpr()
		p.lenient = false
		if rhs == nil {
			continue lines
		}
		li.rhs, li.refs = rhs, p.refs
		c.Expr = p.src[rhs.pos:rhs.end] // spans begin and end at tokens: nothing to trim
		if c.Input && p.peek().kind == tDotDot {
			p.advance()
			if li.hi = p.parseExpr(); li.hi == nil {
				continue lines
			}
			li.refs = p.refs
			c.Expr = p.src[rhs.pos:li.hi.end]
		}
		if rhs.kind == nAs {
			c.DisplayUnit = p.src[rhs.unit.pos:rhs.unit.end]
		}
		// Label and options, in any order.
		for {
			t := p.advance()
			w := p.word(t)
			switch t.kind {
			case tEOF:
				if len(*errs) > n {
					continue lines
				}
				if first := s.Cell(name); first != nil {
					errs.add(nameTok.pos, msg("duplicate cell \"{}\" (first defined at {}:{})", first.Name, itoa(first.Line), itoa(first.Col)))
					continue lines
				}
				cell := new(Cell)
				*cell = c
				if s.byName == nil {
					s.byName = map[string]int32{}
				}
				s.byName[name] = int32(len(s.Cells))
				s.Cells = append(s.Cells, cell)
				s.prog = append(s.prog, li)
				continue lines
			case tString:
				if c.Label != "" {
					errs.add(t.pos, "a cell has one label; use help \"…\" for longer text")
				}
				c.Label = p.text(t)
				continue
			case tIdent:
			default:
				errs.add(t.pos, msg("unexpected \"{}\" after the expression", p.text(t)))
				continue lines
			}
			// An option that applies to inputs only, and why.
			what := "{} applies to inputs only (it sets the slider)"
			switch w {
			case "hidden":
				c.Hidden = true
				what = ""
			case "log":
				what = "log applies to inputs only (it sets the slider scale)"
				c.Log = true
			case "help":
				what = ""
				h := p.advance()
				if h.kind != tString {
					errs.add(h.pos, "help needs text in double quotes, e.g. help \"How often…\"")
					continue lines
				}
				c.Help = p.text(h)
			case "range", "step":
			case "likely":
				if li.hi == nil {
					errs.add(t.pos, "likely applies to range inputs only (dau = 200M..400M users likely 250M)")
					continue lines
				}
				what = ""
			default:
				m := " (options are range, step, log, help, hidden and likely)"
				if sg := suggest(w, nil, nil, 0, optionNames); sg != "" {
					m = didYouMean(sg)
				}
				errs.add(t.pos, msg("unknown option \"{}\"{}", w, m))
				continue lines
			}
			if what != "" && !c.Input {
				errs.add(t.pos, msg(what, w))
			}
			switch w {
			case "range":
				p.lenient = true
				li.min = p.parseExpr()
				p.lenient = false
				if li.min == nil {
					continue lines
				}
				if d := p.advance(); d.kind != tDotDot {
					errs.add(d.pos, "range needs MIN..MAX, e.g. range 1M..2B")
					continue lines
				}
				if li.max = p.parseExpr(); li.max == nil {
					continue lines
				}
			case "step":
				if li.step = p.parseExpr(); li.step == nil {
					continue lines
				}
			case "likely":
				if li.likely = p.parseExpr(); li.likely == nil {
					continue lines
				}
			}
		}
	}
}

// finish compiles the parsed cells and returns the sheet, or every problem
// found while parsing or compiling.
func (s *Sheet) finish(errsp *errList) (*Sheet, error) {
	errs := *errsp
	s.build(&errs)
	if len(errs) == 0 {
		s.checkScenarios(&errs)
	}
	if len(errs) == 0 {
		return s, nil
	}
	// Drop repeats with a quadratic scan: lists are short, and a map keyed
	// by posErr would add hashing code to the WebAssembly build. A sheet
	// with thousands of problems (a pasted file, say) reports the first
	// maxErrors, as compilers do.
	more := 0
	if len(errs) > maxErrors {
		more, errs = len(errs)-maxErrors, errs[:maxErrors]
	}
	list := make(ErrorList, 0, len(errs)+1)
next:
	for i, e := range errs {
		for _, f := range errs[:i] {
			if f.pos == e.pos && f.msg == e.msg {
				continue next
			}
		}
		list = append(list, posError(s.src, e.pos, e.msg))
	}
	// Sort by position with an insertion sort: lists are short, and this
	// keeps package sort (and its reflection) out of the WebAssembly build.
	for i := 1; i < len(list); i++ {
		for j := i; j > 0; j-- {
			a, b := list[j], list[j-1]
			if a.Line > b.Line || (a.Line == b.Line && a.Col >= b.Col) {
				break
			}
			list[j], list[j-1] = b, a
		}
	}
	if more > 0 {
		last := list[len(list)-1]
		list = append(list, &Error{Line: last.Line, Col: last.Col, Msg: msg("… and {} more problems; fix these first", itoa(more))})
	}
	return nil, list
}

// maxErrors is how many problems a sheet reports at most.
const maxErrors = 50

// declared reports whether w is in list.
func declared(list []string, w string) bool {
	for _, n := range list {
		if n == w {
			return true
		}
	}
	return false
}

// build orders the parsed cells by dependency and compiles them.
func (s *Sheet) build(errs *errList) {
	n := len(s.Cells)
	// Dependencies: the cells named in each formula, in order of first use.
	for i := range s.prog {
		p := &s.prog[i]
		for _, r := range p.refs {
			j := s.index(s.src[r.pos:r.end])
			for _, d := range p.deps {
				if d == j {
					j = -1 // already a dependency
				}
			}
			if j >= 0 {
				p.deps = append(p.deps, j)
				s.Cells[i].Deps = append(s.Cells[i].Deps, s.Cells[j].Name)
			}
		}
	}
	// Order, then compile in dependency order.
	var warns errList
	c := &compiler{src: s.src, sheet: s, vals: make([]float64, n), warns: &warns,
		errs: errs, color: make([]uint8, n)}
	for i := range n {
		if c.color[i] == unvisited {
			c.visit(i)
		}
	}
	for _, i := range s.order {
		cell, p := s.Cells[i], &s.prog[i]
		p.bad = true
		if c.color[i]&badBit != 0 {
			continue
		}
		c.input = ""
		if cell.Input {
			c.input = cell.Name
		}
		rhs := p.rhs
		c.bad = false
		if c.compile(rhs); c.bad {
			continue
		}
		if cell.Input && p.hi != nil && !c.bounds(cell, p) {
			continue
		}
		if cell.Input {
			// The range and step, checked against the value.
			before := len(*c.errs)
			var q [3]*Quantity
			for k, n := range [3]*node{p.min, p.max, p.step} {
				if n == nil {
					continue
				}
				c.bad = false
				if c.compile(n); c.bad {
					continue
				}
				if n.dim != rhs.dim {
					c.errs.add(n.pos, msg("{} {} is {} but {} is {}; write it with the same kind of unit",
						[...]string{"range", "range", "step"}[k], c.text(n), n.dim.describe(), cell.Name, rhs.dim.describe()))
					continue
				}
				q[k] = &Quantity{v: n.val, dim: n.dim, noun: n.noun, unit: n.hint}
			}
			lo, hi, step := q[0], q[1], q[2]
			cell.Min, cell.Max, cell.Step = lo, hi, step
			if len(*c.errs) > before {
				continue
			}
			pos, m := 0, ""
			if lo != nil && hi != nil {
				ls, hs := lo.String(), hi.String()
				switch {
				case lo.v > hi.v:
					pos, m = p.min.pos, msg("range minimum {} is above the maximum {}", ls, hs)
				case cell.Log && lo.v <= 0:
					pos, m = p.min.pos, "a log-scale range must start above zero"
				case rhs.val < lo.v || rhs.val > hi.v:
					pos, m = rhs.pos, msg("the value {} is outside its range {}..{}", c.text(rhs), ls, hs)
				}
			}
			if m == "" && step != nil && step.v <= 0 {
				pos, m = p.step.pos, "step must be positive"
			}
			if m != "" {
				c.errs.add(pos, m)
				continue
			}
		}
		// Formulas see the cell's value as unknown, never as a constant.
		p.facts = facts{dim: rhs.dim, noun: rhs.noun, hint: rhs.hint}
		p.code = c.code[rhs.code:rhs.codeEnd]
		c.vals[i] = (&env{vals: c.vals, src: s.src}).run(p.code)
		if cell.Input {
			if cell.Low == nil {
				cell.Default = Quantity{v: rhs.val, dim: rhs.dim, noun: rhs.noun, unit: rhs.hint}
			}
			c.vals[i] = cell.Default.v
			continue
		}
		// The working, segments of text and slots for cells' values.
		c.segs = nil
		c.render(rhs)
		c.flush()
		p.working = c.segs
	}
	s.buildCharts(c)
	for _, w := range warns {
		s.Warnings = append(s.Warnings, posError(s.src, w.pos, w.msg))
	}
}

const (
	unvisited = iota // the orderings of a cell, in compiler.color
	visiting
	done
	badBit = 4 // in a cycle or depending on one
)

// visit orders cell i after its dependencies, depth first. A cycle is
// reported once, at its first cell in source order, with the path back to
// it.
func (c *compiler) visit(i int) {
	s := c.sheet
	c.color[i] = visiting
	c.stack = append(c.stack, i)
	for _, j := range s.prog[i].deps {
		if s.Cells[i].Input {
			break // inputs referring to cells are reported when compiled
		}
		switch c.color[j] &^ badBit {
		case unvisited:
			c.visit(j)
		case visiting:
			k := len(c.stack) - 1
			for c.stack[k] != j {
				k--
			}
			cyc := c.stack[k:]
			first := 0
			for m, x := range cyc {
				if x < cyc[first] {
					first = m
				}
			}
			var path buf
			path.s("cycle: ")
			for m := range len(cyc) + 1 {
				if m > 0 {
					path.s(" → ")
				}
				path.s(s.Cells[cyc[(first+m)%len(cyc)]].Name)
			}
			for _, m := range cyc {
				c.color[m] |= badBit
			}
			c.errs.add(s.prog[cyc[first]].namePos, string(path))
		}
		c.color[i] |= c.color[j] & badBit
	}
	c.stack = c.stack[:len(c.stack)-1]
	c.color[i] = c.color[i]&badBit | done
	s.order = append(s.order, i)
}

// bounds compiles a range input's upper bound and point estimate, which
// the low bound (the cell's expression, compiled already) must agree with,
// and sets the cell's Low, High and Default. A low bound written without
// the unit takes the high bound's: "200M..400M users" is 200M users to 400M
// users. It reports false, with the errors added, if they do not fit.
func (c *compiler) bounds(cell *Cell, p *cellProg) bool {
	lo, hi := p.rhs, p.hi
	before := len(*c.errs)
	for _, n := range [2]*node{hi, p.likely} {
		if n == nil {
			continue
		}
		c.bad = false
		if c.compile(n); c.bad {
			return false
		}
		if !n.konst {
			c.errs.add(n.pos, msg("a range of {} must be literal values", cell.Name))
			return false
		}
	}
	if !lo.konst {
		c.errs.add(lo.pos, msg("a range of {} must be literal values", cell.Name))
		return false
	}
	lv, dim, noun, hint := lo.val, lo.dim, lo.noun, lo.hint
	if dim == dimCount && hi.dim != dimCount && noun == "" {
		if hi.hint != nil && hi.hint.dim == hi.dim {
			lv *= hi.hint.factor
		}
		dim = hi.dim
	}
	if noun == "" {
		noun = hi.noun
	}
	if hint == nil || hint.dim != dim {
		hint = hi.hint
	}
	switch {
	case dim != hi.dim:
		c.errs.add(hi.pos, msg("the ends of a range must have one dimension: {} is {}, {} is {}", c.text(lo), dim.describe(), c.text(hi), hi.dim.describe()))
	case lv > hi.val:
		c.errs.add(lo.pos, msg("the range {}..{} runs backwards; write the low end first", c.text(lo), c.text(hi)))
	case p.likely != nil && p.likely.dim != dim:
		c.errs.add(p.likely.pos, msg("likely {} is {}, but the range is {}", c.text(p.likely), p.likely.dim.describe(), dim.describe()))
	case p.likely != nil && (p.likely.val < lv || p.likely.val > hi.val):
		c.errs.add(p.likely.pos, msg("likely {} is outside the range", c.text(p.likely)))
	}
	if len(*c.errs) > before {
		return false
	}
	point := lv + (hi.val-lv)/2
	if p.likely != nil {
		point = p.likely.val
	}
	cell.Low = &Quantity{v: lv, dim: dim, noun: noun, unit: hint}
	cell.High = &Quantity{v: hi.val, dim: dim, noun: noun, unit: hint}
	cell.Default = Quantity{v: point, dim: dim, noun: noun, unit: hint}
	// The slider's range, if any, is checked against the value the cell
	// shows: its point estimate.
	lo.val, lo.dim, lo.noun, lo.hint = point, dim, noun, hint
	return true
}

// parseUnit reads a unit line after "unit": "unit rack = 42 servers", a
// unit of the sheet's own, known by its name and its plural (an s added,
// unless the name ends in s or a capital: "EUR").
func (s *Sheet) parseUnit(p *parser, op *token) {
	errs := p.errs
	w, eq := p.word(op), p.advance()
	switch {
	case w == "" || !isIdentStart(w[0]) || w[0] == '_' || indexByte(w, '.') >= 0:
		errs.add(op.pos, "a unit's name is a word of letters, digits and _, starting with a letter: unit rack = 42 servers")
		return
	case eq.kind != tAssign:
		errs.add(eq.pos, "a unit needs = and its size in other units (unit rack = 42 servers); a word that only counts things is a count noun (nouns: widgets)")
		return
	}
	rhs := p.parseExpr()
	if rhs == nil {
		return
	}
	if t := p.peek(); t.kind != tEOF {
		errs.add(t.pos, "unexpected text after the unit's definition")
		return
	}
	names := w
	if c := w[len(w)-1]; c != 's' && (c < 'A' || c > 'Z') {
		names += " " + w + "s"
	}
	for _, e := range s.defs {
		if hasWord(e.names, w) || hasWord(names, e.name()) {
			errs.add(op.pos, "a unit of this name is defined twice")
			return
		}
	}
	s.defs = append(s.defs, unitDef{names: names, pos: op.pos, rhs: rhs})
}

// defineUnits works out the sheet's units, each after the units its
// definition uses, and reports those that use each other in a circle. A
// unit that cannot be defined is kept as a plain 1, so that its uses add
// no errors of their own.
func (s *Sheet) defineUnits(errs *errList) {
	defs := s.defs
	c := &compiler{src: s.src, sheet: s, errs: errs}
	for again := true; again; {
		again = false
		for i := range defs {
			d := &defs[i]
			if d.done || s.waits(i) >= 0 {
				continue
			}
			d.done, again = true, true
			u, one := unit{names: d.names, factor: 1}, d.name()
			n, m := d.rhs, ""
			c.bad = false
			c.compile(n)
			for _, w := range [2]string{one, d.names[min(len(one)+1, len(d.names)):]} {
				if isNoun(w, s.Nouns) {
					m = "\"{}\" is a count noun; choose another name for the unit"
				} else if lookupUnit(w) != nil || suffixValue(w) != 0 || hasWord(stopWords+" nouns unit exactly", w) || lookupFunc(w) != nil {
					m = "\"{}\" is a built-in unit or a word of calc's own; choose another name for the unit"
				}
				if m != "" {
					errs.add(d.pos, msg(m, w))
					break
				}
			}
			switch {
			case c.bad || m != "":
			case !n.konst:
				errs.add(n.pos, "a unit is defined by numbers and other units, not by cells")
			case n.val <= 0:
				errs.add(n.pos, "a unit must be a positive amount")
			case n.dim == dimCount && n.val == 1:
				errs.add(n.pos, msg("unit {0} is a plain 1: a word that counts things is a count noun; declare it with nouns: {0}", one))
			default:
				u.factor, u.dim = n.val, n.dim
			}
			s.units = append(s.units, u)
		}
	}
	for i := range defs {
		if !defs[i].done {
			errs.add(defs[i].pos, msg("cycle: unit {} uses {}, and the units they use lead back in a circle; define one of them in built-in units", defs[i].name(), defs[s.waits(i)].name()))
			s.units = append(s.units, unit{names: defs[i].names, factor: 1})
		}
	}
}

// name is the unit's singular.
func (d *unitDef) name() string { return d.names[:indexByte(d.names+" ", ' ')] }

// waits returns a unit definition that the i-th one uses and that is not
// defined yet, or -1. The words of its expression are read from its text.
func (s *Sheet) waits(i int) int {
	d := s.defs[i].rhs
	t := s.src[d.pos:d.end]
	for k := 0; k < len(t); k++ {
		e := k
		for e < len(t) && isIdentByte(t[e]) {
			e++
		}
		for j := range s.defs {
			if e > k && !s.defs[j].done && hasWord(s.defs[j].names, t[k:e]) {
				return j
			}
		}
		k = e
	}
	return -1
}
