package calc

import "math"

// Results are the values of a sheet for one set of inputs.
type Results struct {
	// Cells are in the same order as Sheet.Cells.
	Cells []Result
	// Errors lists every problem of this evaluation: bad overrides,
	// overrides of formulas or unknown cells, and per-cell evaluation errors.
	Errors []error

	sheet *Sheet
}

// Result is the value of one cell.
type Result struct {
	_       noEq
	Name    string
	Value   float64 // in base units (seconds, bytes, USD, count; rates per second); 0 on error
	Unit    string  // display unit, e.g. "req/s", "GB/s", "" for plain counts
	Text    string  // formatted, e.g. "17.4K req/s"; "" on error
	Working string  // formulas only, e.g. "300M users × 5/day = 17.4K req/s"
	Err     error   // *Error for this cell (bad override, division by zero…), nil if ok
	// Low and High bound the value when it depends on a range input; both
	// equal Value otherwise. Range shows them, "11.6K–23.1K req/s", or is
	// "" when the value is not uncertain.
	Low, High float64
	Range     string
}

// Get returns the result of the named cell, or nil.
func (r *Results) Get(name string) *Result {
	if i := r.sheet.index(name); i >= 0 {
		return &r.Cells[i]
	}
	return nil
}

// cellError makes an error placed on a cell's name.
//
//go:noinline
func cellError(c *Cell, msg string) *Error {
	return newError(c.Line, c.Col, msg)
}

// cellState is what an evaluation learns of a cell before its Result is
// written: its override, its error, its value, and where its text, unit
// and working start and end in the evaluation's buffer.
type cellState struct {
	_    noEq
	q    *Quantity
	err  *Error
	bad  bool // a formula that failed; an input with a bad override does not
	v    float64
	span [6]int
	// lo and hi bound the value (equal to v when it is certain), and
	// rspan is where the range's text is in the buffer.
	lo, hi float64
	rspan  [2]int
}

// fail records an evaluation-wide error, and a cell's own if cs is not nil.
//
//go:noinline
func (r *Results) fail(cs *cellState, err *Error) {
	if cs != nil {
		cs.err = err
	}
	r.Errors = append(r.Errors, err)
}

// Eval evaluates the sheet. Overrides map an input's name to a value in calc
// notation ("1B users", "5 MB"). An override that does not parse, has the
// wrong dimension or falls outside the input's range is reported on that
// input, whose default is then used; overriding a formula or an unknown cell
// is reported in Results.Errors.
func (s *Sheet) Eval(overrides map[string]string) *Results {
	n := len(s.Cells)
	return s.evalInto(overrides, make([]cellState, n), &env{vals: make([]float64, n), src: s.src})
}

// evalInto is Eval with the cells' states and the machine given, so that
// callers that evaluate again (Sensitivity) can start from them.
func (s *Sheet) evalInto(overrides map[string]string, st []cellState, e *env) *Results {
	n := len(s.Cells)
	r := &Results{Cells: make([]Result, n), sheet: s}
	if len(overrides) > 0 {
		// Unknown names, in sorted order so that the errors do not depend on
		// map order: each round reports the smallest name after the last.
		last, started := "", false
		for {
			next, found := "", false
			for name := range overrides {
				if s.index(name) < 0 && (!started || name > last) && (!found || name < next) {
					next, found = name, true
				}
			}
			if !found {
				break
			}
			r.fail(nil, newError(0, 0, msg("no cell \"{}\" to override{}", next, didYouMean(suggest(next, s.Cells, nil, 0, "")))))
			last, started = next, true
		}
		for i, c := range s.Cells {
			text, ok := overrides[c.Name]
			if !ok {
				continue
			}
			if !c.Input {
				r.fail(nil, cellError(c, msg("\"{}\" is a formula and cannot be overridden", c.Name)))
				continue
			}
			q, qhi, err := evalOverride(text, s)
			lo, hi, d := c.Min, c.Max, c.Default.dim
			m, qs := "", ""
			if err == nil {
				qs = q.String()
			}
			switch {
			case err != nil:
				m = msg("{} = \"{}\": {}{}", c.Name, text, err.Msg, didYouMean(err.Suggestion))
			case q.dim != d:
				hint := ""
				if q.dim == dimCount {
					// "; write it with a unit, e.g. 5 MB", the unit being
					// the default's without its $ and leading slash.
					u, sep := "", ""
					if c.Default.unit != nil && c.Default.unit.text != "" {
						u, sep = c.Default.unit.text, " "
					}
					if u != "" && u[0] == '$' {
						u = u[1:]
					}
					if u != "" && u[0] == '/' {
						u = u[1:]
					}
					hint = msg("; write it with a unit, e.g. {}{}{}", qs, sep, u)
					if h := suffixHint(text, d); h != "" {
						hint = h
					}
				}
				m = msg("{} = {}: it is {} but {} is {}{}", c.Name, qs, q.dim.describe(), c.Name, d.describe(), hint)
			case qhi != nil && qhi.dim != q.dim:
				m = msg("{} = \"{}\": the ends of a range must have one dimension", c.Name, text)
			case qhi != nil && qhi.v < q.v:
				m = msg("{} = \"{}\": the range runs backwards; write the low end first", c.Name, text)
			case lo != nil && hi != nil:
				tol := 1e-9 * math.Max(math.Abs(lo.v), math.Abs(hi.v))
				top := q.v
				if qhi != nil {
					top = qhi.v
				}
				if q.v < lo.v-tol || top > hi.v+tol {
					m = msg("{} = {} is outside its range {}..{}", c.Name, qs, lo.String(), hi.String())
				}
			}
			if m != "" {
				r.fail(&st[i], cellError(c, m))
				continue
			}
			st[i].q = &q
			st[i].lo, st[i].hi = q.v, q.v
			if qhi != nil {
				// A range override: the figure shown is its midpoint.
				st[i].hi = qhi.v
				mid := q
				mid.v = q.v + (qhi.v-q.v)/2
				st[i].q = &mid
			}
		}
	}
	// All texts go into one buffer that becomes one string at the end, so an
	// evaluation allocates a handful of times rather than twice per cell.
	b := make(buf, 0, 64*n)
	for _, i := range s.order {
		c, p, cs := s.Cells[i], &s.prog[i], &st[i]
		noun, hint := p.noun, p.hint
		v := c.Default.v
		switch q := cs.q; {
		case q != nil:
			v = q.v
			if q.noun != "" {
				noun = q.noun
			}
			if q.unit != nil {
				hint = q.unit
			}
		case c.Input:
		default:
			e.err = nil
			for _, d := range p.deps {
				if st[d].bad {
					e.err = cellError(c, msg("cannot evaluate {}: {} has an error", c.Name, s.Cells[d].Name))
					break
				}
			}
			if e.err == nil {
				v = e.run(p.code)
			}
			if e.err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
				m := "the result is not a number"
				if math.IsInf(v, 0) {
					m = "the result is too large to represent"
				}
				e.err = cellError(c, m)
			}
			if e.err != nil {
				cs.bad = true
				r.fail(cs, e.err)
				continue
			}
		}
		e.vals[i] = v
		cs.v = v
		if cs.q == nil {
			cs.lo, cs.hi = v, v
			if c.Input && c.Low != nil {
				cs.lo, cs.hi = c.Low.v, c.High.v
			}
		}
		sp := &cs.span
		from := len(b)
		start := b.quantity(v, p.dim, noun, hint)
		if start < len(b) && b[start] == ' ' {
			start++
		}
		*sp = [6]int{from, len(b), start, len(b)}
		// A money figure's unit is written with its $: "$/month".
		if t := string(b[from:min(from+2, len(b))]); t[0] == '$' || t == "-$" {
			sp[2] = len(b)
			b.c('$')
			b.sub(start, sp[1])
			sp[3] = len(b)
		}
		if p.working != nil {
			sp[4] = len(b)
			for _, sg := range p.working {
				if sg.ref >= 0 {
					t := &st[sg.ref].span
					b.sub(t[0], t[1])
				} else {
					b.s(sg.text)
				}
			}
			b.s(" = ")
			b.sub(from, sp[1])
			sp[5] = len(b)
		}
	}
	// Figures that depend on a range input get theirs.
	if s.spread(st, e) {
		for _, i := range s.order {
			cs, p := &st[i], &s.prog[i]
			if cs.bad || cs.lo == cs.hi {
				continue
			}
			noun, hint := p.noun, p.hint
			if q := cs.q; q != nil {
				if q.noun != "" {
					noun = q.noun
				}
				if q.unit != nil {
					hint = q.unit
				}
			}
			from := len(b)
			b.span(cs.lo, cs.hi, p.dim, noun, hint)
			cs.rspan = [2]int{from, len(b)}
			if w := &cs.span; w[5] > w[4] {
				// The working says how unsure the result is: its own copy,
				// since the text it is built from stays where it is.
				start := len(b)
				b.sub(w[4], w[5])
				b.s(" (range ")
				b.sub(from, cs.rspan[1])
				b.c(')')
				w[4], w[5] = start, len(b)
			}
		}
	}
	// Each result in one store. A formula that failed has no value, text
	// or working: its spans are empty.
	all := string(b)
	for i, c := range s.Cells {
		cs := &st[i]
		var err error
		if cs.err != nil {
			err = cs.err
		}
		sp := &cs.span
		r.Cells[i] = Result{Name: c.Name, Value: cs.v, Err: err,
			Text: all[sp[0]:sp[1]], Unit: all[sp[2]:sp[3]], Working: all[sp[4]:sp[5]],
			Low: cs.lo, High: cs.hi, Range: all[cs.rspan[0]:cs.rspan[1]]}
	}
	return r
}

// suffixHint explains an override such as "2B" or "5M" for an amount of
// information: a letter right after a number is a count suffix (billion,
// million), while the reader most likely meant bytes. It names both
// readings where both are plausible, or "" when the text is not of that
// shape.
func suffixHint(text string, d Dim) string {
	for len(text) > 0 && (text[len(text)-1] == ' ' || text[len(text)-1] == '\t') {
		text = text[:len(text)-1]
	}
	n := len(text)
	if n < 2 || !isDigit(text[n-2]) || suffixValue(text[n-1:]) == 0 || d.Info != 1 {
		return ""
	}
	num, l := text[:n-1], text[n-1:]
	per := ""
	if d.Time == -1 {
		per = "/s"
	}
	if l == "B" {
		return msg("; \"{0}\" is {1} billion, a plain number: write \"{1} B{2}\" for bytes or \"{1} GB{2}\" for {1} billion bytes", text, num, per)
	}
	if l == "k" {
		l = "K"
	}
	word := [...]string{"thousand", "million", "trillion"}[indexByte("KMT", l[0])]
	return msg("; \"{0}\" is {1} {3}, a plain number: write \"{1} {2}B{4}\" for bytes", text, num, l, word, per)
}
