package calc

import "math"

// Swing is how much one input moves a result: the result with the input at
// its low and at its high, the others held at their values.
type Swing struct {
	_               noEq
	Input, Label    string
	InLow, InHigh   float64 // the input's two values, base units
	InLowText       string  // e.g. "270M users"
	InHighText      string
	OutLow, OutHigh float64 // the result at those values
	OutLowText      string
	OutHighText     string
}

// Sensitivity ranks the inputs by how much each moves the cell: a tornado.
// An input given as a range swings between its ends; any other moves by
// ±frac of its value (0.1 for ±10%). Inputs the cell does not depend on,
// or that do not move it, are left out; the largest swing comes first, and
// ties keep the sheet's order. The result is an error only for an unknown
// cell or a cell whose own evaluation fails.
func (s *Sheet) Sensitivity(overrides map[string]string, cell string, frac float64) ([]Swing, error) {
	k := s.index(cell)
	if k < 0 {
		return nil, newError(0, 0, msg("no cell \"{}\"{}", cell, didYouMean(suggest(cell, s.Cells, nil, 0, ""))))
	}
	n := len(s.Cells)
	st := make([]cellState, n)
	e := &env{vals: make([]float64, n), src: s.src}
	r := s.evalInto(overrides, st, e)
	if err := r.Cells[k].Err; err != nil {
		return nil, err
	}
	p := &s.prog[k]
	vals := make([]float64, n)
	ev := &env{vals: vals, stack: e.stack, src: s.src}
	var out []Swing
	var b buf
	for i, c := range s.Cells {
		if !c.Input || i == k || st[i].bad {
			continue
		}
		lo, hi := st[i].lo, st[i].hi
		if lo == hi {
			lo, hi = st[i].v*(1-frac), st[i].v*(1+frac)
		}
		moved := make([]bool, n)
		moved[i] = true
		at := func(x float64) float64 {
			copy(vals, e.vals)
			vals[i] = x
			s.rerunFrom(st, ev, moved)
			return vals[k]
		}
		ol, oh := at(lo), at(hi)
		if math.IsNaN(ol) || math.IsNaN(oh) || ol == oh {
			continue
		}
		cp := &s.prog[i]
		text := func(v float64, q *cellProg) string {
			b = b[:0]
			b.quantity(v, q.dim, q.noun, q.hint)
			return string(b)
		}
		noun, hint := cp.noun, cp.hint
		if q := st[i].q; q != nil {
			noun, hint = q.noun, q.unit
		}
		in := func(v float64) string {
			b = b[:0]
			b.quantity(v, cp.dim, noun, hint)
			return string(b)
		}
		out = append(out, Swing{Input: c.Name, Label: c.Label, InLow: lo, InHigh: hi, InLowText: in(lo), InHighText: in(hi),
			OutLow: ol, OutHigh: oh, OutLowText: text(ol, p), OutHighText: text(oh, p)})
	}
	// Largest swing first: an insertion sort, stable, without package sort.
	// Swings equal but for float noise tie, and keep the sheet's order.
	width := func(w *Swing) float64 { return math.Abs(w.OutHigh - w.OutLow) }
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && width(&out[j]) > width(&out[j-1])*(1+noise); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

// rerunFrom evaluates again, in order, the formulas that read a cell
// marked in moved (the inputs that changed), directly or through other
// formulas, from ev.vals, whose inputs are set; it marks them in moved, so
// the next call with the same mask goes straight to them. Each result goes
// into ev.vals: NaN where a formula is undefined (a division by an input
// that reached zero) or depends on such a cell. Formulas that failed
// (bad) keep their value. A nil moved reruns every formula. Only numbers:
// no text, no working.
func (s *Sheet) rerunFrom(st []cellState, ev *env, moved []bool) {
	for _, i := range s.order {
		if s.Cells[i].Input || st[i].bad {
			continue
		}
		p := &s.prog[i]
		if moved != nil && !moved[i] {
			for _, d := range p.deps {
				if moved[d] {
					moved[i] = true
					break
				}
			}
			if !moved[i] {
				continue
			}
		}
		if ev.err != nil {
			ev.err = nil // stored only when set: a pointer store costs a write barrier
		}
		v := ev.run(p.code)
		if ev.err != nil || v-v != 0 { // an error, an infinity or NaN
			v = math.NaN()
		}
		ev.vals[i] = v
	}
}
