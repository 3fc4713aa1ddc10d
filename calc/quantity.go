package calc

// Quantity is a value with a dimension and display hints. The value is held
// in base units (seconds, bytes, USD, plain count) so arithmetic never
// converts; the noun and unit only affect how it is written.
type Quantity struct {
	_    noEq
	v    float64
	dim  Dim
	noun string
	unit *dispUnit
}

// Value returns the value in base units: seconds, bytes, USD, or a plain
// count; a rate is per second and bandwidth is bytes per second.
func (q Quantity) Value() float64 { return q.v }

// Dim returns the quantity's dimension.
func (q Quantity) Dim() Dim { return q.dim }

// Noun returns the count noun carried for display ("users"), or "".
func (q Quantity) Noun() string { return q.noun }

// Unit returns the unit the quantity was written in or converted to, without
// the noun ("GB", "/day", "$/GB/month", "%"), or "" when it is shown
// automatically.
func (q Quantity) Unit() string {
	if q.unit == nil {
		return ""
	}
	return q.unit.text
}

// WithValue returns q with another value in base units but the same
// dimension, noun and unit, which is what a slider needs to write an override.
func (q Quantity) WithValue(v float64) Quantity {
	q.v = v
	return q
}

// String formats the quantity with three significant figures, in its own
// unit if it has one and otherwise in an automatic unit: "17.4K req/s",
// "8.68 GB/s", "$1.23K/month". ParseQuantity reads the result back.
func (q Quantity) String() string {
	var buf [48]byte
	b, _ := appendQuantity(buf[:0], q.v, q.dim, q.noun, q.unit)
	return string(b)
}

// Format writes the quantity in the given unit (anything "as" accepts:
// "GB/s", "req/s", "%", "h"), or reports why the unit does not fit.
func (q Quantity) Format(unit string) (string, error) {
	u, noun, err := q.in(unit)
	if err != nil {
		return "", err
	}
	if noun == "" {
		noun = q.noun
	}
	if u.percent {
		noun = ""
	}
	var buf [48]byte
	b, _ := appendQuantity(buf[:0], q.v, q.dim, noun, u.disp)
	return string(b), nil
}

// In returns the value expressed in the given unit, e.g. q.In("GB/s").
func (q Quantity) In(unit string) (float64, error) {
	u, _, err := q.in(unit)
	if err != nil {
		return 0, err
	}
	return q.v / u.disp.factor, nil
}

// in parses a unit for Format and In and checks that it can show q.
func (q Quantity) in(unit string) (Unit, string, error) {
	u, noun, err := ParseUnit(unit)
	if err == nil && u.dim != q.dim {
		err = &Error{Line: 1, Col: 1, Msg: convMsg(q.String(), q.dim, unit, u.dim)}
	}
	return u, noun, err
}

// Unit is a parsed display unit, as accepted after "as".
type Unit struct {
	disp    *dispUnit
	dim     Dim
	percent bool
}

// ParseUnit reads a display unit such as "GB/s", "req/s", "$/GB/month" or
// "%", returning the unit and the noun it names, if any.
func ParseUnit(s string) (Unit, string, error) {
	var errs errList
	p := &parser{src: s, errs: &errs, stop: stopWords[:6]}
	p.lex(0, len(s))
	var d *dispUnit
	if len(errs) == 0 {
		spec := p.unitSpec(0)
		spec.pinned = true // Format and In convert to exactly this unit
		if t := p.peek(); t.kind != tEOF {
			p.fail(t.pos, msg("unexpected \"{}\" after the unit", p.text(t)))
		}
		if len(errs) == 0 {
			d = resolveUnit(spec, nil, false, &errs)
		}
	}
	if len(errs) > 0 {
		return Unit{}, "", posError(s, errs[0].pos, errs[0].msg)
	}
	return Unit{disp: d, dim: d.dim, percent: d.percent}, d.noun, nil
}
