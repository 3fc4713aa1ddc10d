package calc

import "math"

// Chart is a "chart:" line of a sheet: results plotted against one input
// swept over a range, such as storage and its bill over the years.
//
//	chart: stored, bill over years 1..10 "Storage over ten years"
//
// The lines share one dimension, so that they share an axis. Without a
// range, the input's slider range is swept, or a tenth to ten times its
// value.
type Chart struct {
	Ys    []string // the results drawn, one line each
	X     string   // the input swept
	Label string
	Line  int
	// From and To bound the sweep, base units; Log spaces the points
	// evenly on a log scale (an input with the log option, or a range of
	// a hundredfold or more).
	From, To float64
	Log      bool

	xi, yi   []int // X, then Ys, as cell indexes, once built
	from, to *node
	pos      int // where the line's first name is, for errors
}

// chartPoints is how many points a chart line has.
const chartPoints = 21

// parseChart reads a chart line after "chart:".
func (s *Sheet) parseChart(p *parser, line int) {
	c := &Chart{Line: line}
	errs := p.errs
	for {
		t := p.advance()
		if t.kind != tIdent {
			errs.add(t.pos, "chart: expects results, then over and an input: chart: stored, bill over years 1..10")
			return
		}
		if c.pos == 0 {
			c.pos = t.pos
		}
		c.Ys = append(c.Ys, p.word(t))
		if n := p.peek(); n.kind == tComma {
			p.advance()
			continue
		}
		break
	}
	if t := p.advance(); p.word(t) != "over" {
		errs.add(t.pos, "chart: expected \"over\" and the input to sweep, e.g. over years 1..10")
		return
	}
	x := p.advance()
	if x.kind != tIdent {
		errs.add(x.pos, "chart: expected the input to sweep after over")
		return
	}
	c.X = p.word(x)
	if t := p.peek(); t.kind != tEOF && t.kind != tString {
		p.lenient = true
		c.from = p.parseExpr()
		p.lenient = false
		if c.from == nil {
			return
		}
		if d := p.advance(); d.kind != tDotDot {
			errs.add(d.pos, "chart: the range to sweep is FROM..TO, e.g. 1..10 years")
			return
		}
		if c.to = p.parseExpr(); c.to == nil {
			return
		}
	}
	if t := p.advance(); t.kind == tString {
		c.Label = p.text(t)
		t = p.advance()
		if t.kind != tEOF {
			errs.add(t.pos, msg("unexpected \"{}\" after the chart's label", p.text(t)))
			return
		}
	} else if t.kind != tEOF {
		errs.add(t.pos, msg("unexpected \"{}\" in the chart line", p.text(t)))
		return
	}
	s.Charts = append(s.Charts, c)
}

// buildCharts checks each chart against the compiled cells: its results
// exist and share a dimension, it sweeps an input, and its range fits.
func (s *Sheet) buildCharts(c *compiler) {
	c.input = ""
	for _, ch := range s.Charts {
		xi := s.index(ch.X)
		switch {
		case xi < 0:
			c.errs.add(ch.pos, msg("chart: no input \"{}\" to sweep{}", ch.X, didYouMean(suggest(ch.X, s.Cells, nil, 0, ""))))
			continue
		case !s.Cells[xi].Input:
			c.errs.add(ch.pos, msg("chart: {} is a formula; sweep an input", ch.X))
			continue
		}
		x := s.Cells[xi]
		ch.xi, ch.yi = []int{xi}, nil
		bad := false
		for _, y := range ch.Ys {
			i := s.index(y)
			if i < 0 {
				c.errs.add(ch.pos, msg("chart: no cell \"{}\"{}", y, didYouMean(suggest(y, s.Cells, nil, 0, ""))))
				bad = true
				continue
			}
			if len(ch.yi) > 0 && s.prog[i].dim != s.prog[ch.yi[0]].dim {
				first := s.Cells[ch.yi[0]].Name
				c.errs.add(ch.pos, msg("chart: {} is {} but {} is {}; lines of one chart share an axis, so chart them separately",
					y, s.prog[i].dim.describe(), first, s.prog[ch.yi[0]].dim.describe()))
				bad = true
				continue
			}
			ch.yi = append(ch.yi, i)
		}
		if bad {
			continue
		}
		v := x.Default.v
		ch.From, ch.To, ch.Log = v/10, v*10, x.Log
		if v <= 0 {
			ch.From, ch.To = v-1, v+1
		}
		if x.Min != nil && x.Max != nil {
			ch.From, ch.To = x.Min.v, x.Max.v
		}
		if ch.from != nil {
			xd := x.Default.dim
			c.bad = false
			if c.compile(ch.from); !c.bad {
				c.compile(ch.to)
			}
			if c.bad {
				continue
			}
			lo, hi := ch.from.val, ch.to.val
			if ch.from.dim == dimCount && xd != dimCount && ch.to.dim == xd && ch.to.hint != nil {
				lo *= ch.to.hint.factor // "1..10 years": the unit of the high end
			} else if ch.from.dim != xd {
				lo = math.NaN()
			}
			switch {
			case !ch.from.konst || !ch.to.konst || lo != lo || ch.to.dim != xd:
				c.errs.add(ch.from.pos, msg("chart: the range of {} must be literal values of its dimension, {}", ch.X, xd.describe()))
				continue
			case lo >= hi:
				c.errs.add(ch.from.pos, "chart: the range runs backwards or is empty; write FROM..TO with FROM below TO")
				continue
			}
			ch.From, ch.To = lo, hi
		}
		ch.Log = ch.Log && ch.From > 0 || ch.From > 0 && ch.To >= 100*ch.From
	}
}

// Series is a chart's data: the input's values and each result at them,
// with their texts as the calculator shows them.
type Series struct {
	X     []float64
	XText []string
	Y     [][]float64 // one slice per result, NaN where it is undefined
	YText [][]string
}

// Sweep evaluates chart i with the inputs overridden: each of its results
// at chartPoints values of its input, the other inputs as set.
func (s *Sheet) Sweep(overrides map[string]string, i int) (*Series, error) {
	if i < 0 || i >= len(s.Charts) {
		return nil, newError(0, 0, msg("no chart {}", itoa(i)))
	}
	ch := s.Charts[i]
	n := len(s.Cells)
	st := make([]cellState, n)
	e := &env{vals: make([]float64, n), src: s.src}
	s.evalInto(overrides, st, e)
	vals := make([]float64, n)
	ev := &env{vals: vals, stack: e.stack, src: s.src}
	out := &Series{Y: make([][]float64, len(ch.yi)), YText: make([][]string, len(ch.yi))}
	xi := ch.xi[0]
	for k := range chartPoints {
		f := float64(k) / (chartPoints - 1)
		x := ch.From + (ch.To-ch.From)*f
		if ch.Log {
			x = ch.From * math.Pow(ch.To/ch.From, f)
		}
		copy(vals, e.vals)
		vals[xi] = x
		s.rerunFrom(st, ev, nil)
		out.X = append(out.X, x)
		out.XText = append(out.XText, s.text(xi, x))
		for j, y := range ch.yi {
			v := vals[y]
			out.Y[j] = append(out.Y[j], v)
			t := ""
			if v == v {
				t = s.text(y, v)
			}
			out.YText[j] = append(out.YText[j], t)
		}
	}
	return out, nil
}

// FormatValue shows v, in base units, as the calculator shows cell's value
// (its unit, noun and prefix), or "" if there is no such cell.
func (s *Sheet) FormatValue(cell string, v float64) string {
	i := s.index(cell)
	if i < 0 {
		return ""
	}
	return s.text(i, v)
}

// text formats v as cell i's figures are formatted.
func (s *Sheet) text(i int, v float64) string {
	p := &s.prog[i]
	var b buf
	b.quantity(v, p.dim, p.noun, p.hint)
	return string(b)
}

// Scale is the size, in base units, of the unit the cell's figures are
// written in ("$/month": a month's worth of dollars a second), or 1 where
// the prefix is chosen by magnitude: a chart's gridlines fall on round
// numbers of what the reader sees, not of dollars a second.
func (s *Sheet) Scale(cell string) float64 {
	i := s.index(cell)
	if i < 0 {
		return 1
	}
	p := &s.prog[i]
	u := p.hint
	if u == nil || u.dim != p.dim {
		for _, a := range autoUnits {
			if a.d == p.dim {
				u = a.u
			}
		}
	}
	if u != nil && u.factor > 0 && u.fam == nil {
		return u.factor
	}
	return 1
}

// Kind says in a reader's words what an input takes — "a number of
// users", "a size", "a rate" — so a page can ask for a value by its kind
// rather than quote the engine's dimensions; "" if there is no such cell.
func (s *Sheet) Kind(cell string) string {
	i := s.index(cell)
	if i < 0 {
		return ""
	}
	p := &s.prog[i]
	switch {
	case p.noun != "":
		return "a number of " + p.noun
	case p.hint != nil && p.hint.percent:
		return "a percentage"
	}
	for _, k := range [...]struct {
		d    Dim
		kind string
	}{
		{dimCount, "a number"}, {dimInfo, "a size"}, {dimTime, "a duration"}, {dimRate, "a rate"},
		{dimBandwidth, "a bandwidth"}, {dimMoney, "an amount of money"}, {dimCostRate, "a cost over time"},
		{dimStorePx, "a price per GB-month"}, {dimInfoPx, "a price per GB"},
	} {
		if k.d == p.dim {
			return k.kind
		}
	}
	return p.dim.describe()
}
