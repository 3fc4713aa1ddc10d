package calc

import (
	"math"
	"strings"
)

// Quantity is a value with a dimension and display hints. The value is held
// in base units (seconds, bytes, USD, plain count) so arithmetic never
// converts; the noun and unit only affect how it is written.
type Quantity struct {
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
	u, noun, err := ParseUnit(unit)
	if err != nil {
		return "", err
	}
	if u.dim != q.dim {
		return "", &Error{Line: 1, Col: 1, Msg: convMsg(q.String(), q.dim, unit, u.dim)}
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
	u, _, err := ParseUnit(unit)
	if err != nil {
		return 0, err
	}
	if u.dim != q.dim {
		return 0, &Error{Line: 1, Col: 1, Msg: convMsg(q.String(), q.dim, unit, u.dim)}
	}
	return q.v / u.disp.factor, nil
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
	toks, lerrs := lexLine(s, 0, len(s))
	if len(lerrs) > 0 {
		return Unit{}, "", posError(s, lerrs[0])
	}
	p := &parser{toks: toks}
	var spec *unitSpec
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(parseFail); !ok {
					panic(r)
				}
			}
		}()
		spec = p.unitSpec(0)
		if t := p.peek(); t.kind != tEOF {
			p.fail(t.pos, "unexpected "+quote(t.text)+" after the unit")
		}
	}()
	if len(p.errs) > 0 {
		return Unit{}, "", posError(s, p.errs[0])
	}
	d, e := resolveUnit(spec, nil, false)
	if e != nil {
		return Unit{}, "", posError(s, *e)
	}
	return Unit{disp: d, dim: d.dim, percent: d.percent}, d.noun, nil
}

// resolveUnit turns a written unit into a display unit. In literal mode a
// single prefixable unit (KB, Mbps, TB/month) or a time unit becomes a
// family, so the figure can move to a better prefix when it changes.
func resolveUnit(s *unitSpec, nouns map[string]bool, literal bool) (*dispUnit, *posErr) {
	u := &dispUnit{factor: 1, money: s.money, percent: s.percent}
	if s.percent {
		return percentUnit, nil
	}
	if s.money {
		u.dim.Money++
	}
	var text strings.Builder
	if s.money {
		text.WriteByte('$')
	}
	for i, t := range s.num {
		if i == 0 && !s.money && isNoun(t.name, nouns) && t.exp == 1 {
			if _, isUnit := lookupUnit(t.name); !isUnit {
				u.noun = t.name
				continue
			}
		}
		un, ok := lookupUnit(t.name)
		if !ok {
			return nil, &posErr{t.pos, unknownUnitMsg(t.name, nouns)}
		}
		if t.name == "USD" || t.name == "$" {
			if !u.money && text.Len() == 0 && t.exp == 1 {
				u.money = true
				u.dim.Money++
				text.WriteByte('$')
				continue
			}
		}
		u.factor *= math.Pow(un.factor, float64(t.exp))
		u.dim = u.dim.add(un.dim.scale(t.exp))
		if text.Len() > 0 && text.String() != "$" {
			text.WriteString("·")
		}
		text.WriteString(t.name)
		if t.exp != 1 {
			text.WriteString(superscript(t.exp))
		}
	}
	for _, t := range s.den {
		un, ok := lookupUnit(t.name)
		if !ok {
			if isNoun(t.name, nouns) {
				return nil, &posErr{t.pos, "a count noun such as " + quote(t.name) + " cannot be a denominator; use a plain ratio"}
			}
			return nil, &posErr{t.pos, unknownUnitMsg(t.name, nouns)}
		}
		u.factor /= math.Pow(un.factor, float64(t.exp))
		u.dim = u.dim.sub(un.dim.scale(t.exp))
		text.WriteByte('/')
		text.WriteString(t.name)
		if t.exp != 1 {
			text.WriteString(superscript(t.exp))
		}
	}
	u.text = text.String()
	if literal {
		makeFamily(u, s)
	}
	return u, nil
}

// makeFamily marks a literal's unit as re-prefixable when it is one prefixed
// unit, optionally per time units (KB, Mbps, TB/month), or a plain duration.
func makeFamily(u *dispUnit, s *unitSpec) {
	if u.money || len(s.num) != 1 || s.num[0].exp != 1 {
		return
	}
	un, ok := lookupUnit(s.num[0].name)
	if !ok {
		return
	}
	tailFac := 1.0
	tail := ""
	for _, t := range s.den {
		tu, _ := lookupUnit(t.name)
		if tu.dim != dimTime || t.exp != 1 {
			return
		}
		tailFac /= tu.factor
		tail += "/" + t.name
	}
	switch {
	case un.fam != nil:
		u.fam, u.tail, u.tailFac = un.fam, tail, tailFac
	case un.dim == dimTime && len(s.den) == 0:
		u.timeFam = true
	}
}

func isNoun(name string, extra map[string]bool) bool {
	return defaultNouns[name] || extra[name]
}

// posError converts a lexer or parser error in a one-line source.
//
//go:noinline
func posError(src string, e posErr) *Error {
	l, c := lineCol(src, e.pos)
	return &Error{Line: l, Col: c, Msg: e.msg}
}

// lineCol converts a byte offset to a 1-based line and rune column.
//
//go:noinline
func lineCol(src string, pos int) (int, int) {
	if pos > len(src) {
		pos = len(src)
	}
	line, col := 1, 1
	for i, r := range src {
		if i >= pos {
			break
		}
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// convMsg explains a failed conversion: "cannot show 17.4K/s as GB/s: it is
// a rate (1/time), GB/s is bandwidth (information/time)".
func convMsg(value string, have Dim, unit string, want Dim) string {
	msg := "cannot show " + value + " as " + unit + ": it is " + have.describe() + ", " + unit + " is " + want.describe()
	switch d := have.sub(want); {
	case d == dimTime && have != dimCount:
		msg += "; drop the time factor (such as × month) to get a rate per month"
	case d == dimRate && want != dimCount:
		msg += "; multiply by a time (such as × 1 day) to get a total"
	}
	return msg
}

func unknownUnitMsg(name string, nouns map[string]bool) string {
	cands := make([]string, 0, len(units)+len(defaultNouns)+len(nouns))
	for n := range units {
		cands = append(cands, n)
	}
	for n := range defaultNouns {
		cands = append(cands, n)
	}
	for n := range nouns {
		cands = append(cands, n)
	}
	if s := suggest(name, cands); s != "" {
		return "unknown unit " + quote(name) + " — did you mean " + quote(s) + "?"
	}
	if suffixValue(name) != 0 {
		return "write the " + name + " right after the number, without a space (5" + name + ")"
	}
	return "unknown unit " + quote(name) + " (declare count nouns with a line such as \"nouns: " + name + "\")"
}
