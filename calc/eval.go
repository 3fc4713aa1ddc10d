package calc

import (
	"math"
	"strings"
)

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
	Name    string
	Value   float64 // in base units (seconds, bytes, USD, count; rates per second); 0 on error
	Unit    string  // display unit, e.g. "req/s", "GB/s", "" for plain counts
	Text    string  // formatted, e.g. "17.4K req/s"; "" on error
	Working string  // formulas only, e.g. "300M users × 5/day = 17.4K req/s"
	Err     error   // *Error for this cell (bad override, division by zero…), nil if ok
}

// Get returns the result of the named cell, or nil.
func (r *Results) Get(name string) *Result {
	if i, ok := r.sheet.byName[name]; ok {
		return &r.Cells[i]
	}
	return nil
}

// Eval evaluates the sheet. Overrides map an input's name to a value in calc
// notation ("1B users", "5 MB"). An override that does not parse, has the
// wrong dimension or falls outside the input's range is reported on that
// input, whose default is then used; overriding a formula or an unknown cell
// is reported in Results.Errors.
func (s *Sheet) Eval(overrides map[string]string) *Results {
	n := len(s.Cells)
	r := &Results{Cells: make([]Result, n), sheet: s}
	e := &env{vals: make([]float64, n), src: s.src}
	bad := make([]bool, n)
	var ovr []Quantity
	var has []bool
	if len(overrides) > 0 {
		ovr, has = s.overrides(overrides, r)
	}
	// All texts go into one buffer that becomes one string at the end, so an
	// evaluation allocates a handful of times rather than twice per cell.
	type span struct{ text, unit, work [2]int }
	spans := make([]span, n)
	buf := make([]byte, 0, 64*n)
	for _, i := range s.order {
		c, p, res := s.Cells[i], &s.prog[i], &r.Cells[i]
		res.Name = c.Name
		noun, hint := p.noun, p.hint
		var v float64
		switch {
		case c.Input && has != nil && has[i]:
			q := ovr[i]
			v = q.v
			if q.noun != "" {
				noun = q.noun
			}
			if q.unit != nil {
				hint = q.unit
			}
		case c.Input:
			v = c.Default.v
		default:
			for _, d := range p.deps {
				if bad[d] {
					bad[i] = true
					break
				}
			}
			if bad[i] {
				res.Err = &Error{Line: c.Line, Col: c.Col, Msg: "cannot evaluate " + c.Name + ": " + s.Cells[firstBad(p.deps, bad)].Name + " has an error"}
				r.Errors = append(r.Errors, res.Err)
				continue
			}
			e.err = nil
			v = p.fn(e)
			if e.err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
				msg := "the result is not a number"
				if math.IsInf(v, 0) {
					msg = "the result is too large to represent"
				}
				e.err = &Error{Line: c.Line, Col: c.Col, Msg: msg}
			}
			if e.err != nil {
				bad[i] = true
				res.Err = e.err
				r.Errors = append(r.Errors, e.err)
				continue
			}
		}
		e.vals[i] = v
		res.Value = v
		sp := &spans[i]
		from := len(buf)
		var start int
		buf, start = appendQuantity(buf, v, p.dim, noun, hint)
		sp.text = [2]int{from, len(buf)}
		if start < len(buf) && buf[start] == ' ' {
			start++
		}
		sp.unit = [2]int{start, len(buf)}
		if buf[from] == '$' || (buf[from] == '-' && len(buf) > from+1 && buf[from+1] == '$') {
			u := len(buf)
			buf = append(buf, '$')
			buf = append(buf, buf[start:u]...)
			sp.unit = [2]int{u, len(buf)}
		}
		if p.working != nil {
			w := len(buf)
			for _, sg := range p.working {
				if sg.ref >= 0 {
					t := spans[sg.ref].text
					buf = append(buf, buf[t[0]:t[1]]...)
				} else {
					buf = append(buf, sg.text...)
				}
			}
			buf = append(buf, " = "...)
			buf = append(buf, buf[from:sp.text[1]]...)
			sp.work = [2]int{w, len(buf)}
		}
	}
	all := string(buf)
	for i := range r.Cells {
		sp, res := spans[i], &r.Cells[i]
		if res.Err != nil && !s.Cells[i].Input {
			continue
		}
		res.Text = all[sp.text[0]:sp.text[1]]
		res.Unit = all[sp.unit[0]:sp.unit[1]]
		res.Working = all[sp.work[0]:sp.work[1]]
	}
	return r
}

// overrides parses the overrides, reporting unknown cells, formulas and bad
// values in r, and returns the accepted values by cell index.
func (s *Sheet) overrides(overrides map[string]string, r *Results) (ovr []Quantity, has []bool) {
	n := len(s.Cells)
	ovr = make([]Quantity, n)
	has = make([]bool, n)
	var unknown []string
	for name := range overrides {
		if _, ok := s.byName[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	for i := 1; i < len(unknown); i++ {
		for j := i; j > 0 && unknown[j] < unknown[j-1]; j-- {
			unknown[j], unknown[j-1] = unknown[j-1], unknown[j]
		}
	}
	for _, name := range unknown {
		msg := "no cell " + quote(name) + " to override"
		if sg := suggest(name, s.names()); sg != "" {
			msg += " — did you mean " + quote(sg) + "?"
		}
		r.Errors = append(r.Errors, &Error{Msg: msg})
	}
	for i, c := range s.Cells {
		text, ok := overrides[c.Name]
		if !ok {
			continue
		}
		if !c.Input {
			r.Errors = append(r.Errors, &Error{Line: c.Line, Col: c.Col, Msg: quote(c.Name) + " is a formula and cannot be overridden"})
			continue
		}
		q, err := s.override(c, text)
		if err != nil {
			r.Cells[i].Err = err
			r.Errors = append(r.Errors, err)
			continue
		}
		ovr[i], has[i] = q, true
	}
	return ovr, has
}

func firstBad(deps []int, bad []bool) int {
	for _, d := range deps {
		if bad[d] {
			return d
		}
	}
	return 0
}

func (s *Sheet) names() []string {
	out := make([]string, len(s.Cells))
	for i, c := range s.Cells {
		out[i] = c.Name
	}
	return out
}

// override parses an override for an input and checks it against the
// input's dimension and range.
func (s *Sheet) override(c *Cell, text string) (Quantity, error) {
	fail := func(msg string) (Quantity, error) {
		return Quantity{}, &Error{Line: c.Line, Col: c.Col, Msg: msg}
	}
	q, err := evalConst(text, s.Nouns, false)
	if err != nil {
		return fail(c.Name + " = " + quote(text) + ": " + err.(*Error).Msg)
	}
	if q.dim != c.Default.dim {
		msg := c.Name + " = " + q.String() + ": it is " + q.dim.describe() + " but " + c.Name + " is " + c.Default.dim.describe()
		if q.dim.isCount() {
			msg += "; write it with a unit, e.g. " + q.String() + " " + strings.TrimPrefix(strings.TrimPrefix(c.Default.Unit(), "$"), "/")
			if u := c.Default.Unit(); u == "" {
				msg = strings.TrimSuffix(msg, " ")
			}
		}
		return fail(msg)
	}
	if c.Min != nil && c.Max != nil {
		tol := 1e-9 * math.Max(math.Abs(c.Min.v), math.Abs(c.Max.v))
		if q.v < c.Min.v-tol || q.v > c.Max.v+tol {
			return fail(c.Name + " = " + q.String() + " is outside its range " + c.Min.String() + ".." + c.Max.String())
		}
	}
	return q, nil
}
