package calc

import "strconv"

// Literal writes cell's value in r as sheet source that reads back to the
// same value and the same display: the value in base units, spelled
// exactly, each denominator written "/ 1 unit" so that the figure picks its
// prefix and period as any formula does — "$0.434 / 1 s" shows as
// "$1.14M/month" — and "as" the unit the author chose, if any. The site
// builder uses it to lend one sheet's figure to another. It reports false
// for an unknown cell or one whose evaluation failed. (The browser's engine
// never calls it, so it costs the WebAssembly build nothing.)
func (s *Sheet) Literal(r *Results, cell string) (string, bool) {
	i := s.index(cell)
	if i < 0 || r.Cells[i].Err != nil {
		return "", false
	}
	p := &s.prog[i]
	unit := p.dim.formula(true) // "$/B/s", "B/s", "/s", "s", ""
	var b buf
	if unit != "" && unit[0] == '$' {
		b.c('$') // money is written with its dollar first: "$-5"
		unit = unit[1:]
	}
	b.s(strconv.FormatFloat(r.Cells[i].Value, 'g', -1, 64))
	num, dens := unit, ""
	if j := indexByte(unit, '/'); j >= 0 {
		num, dens = unit[:j], unit[j:]
	}
	if num != "" {
		b.c(' ')
		b.s(num)
	}
	if p.noun != "" {
		b.c(' ')
		b.s(p.noun)
	}
	for dens != "" {
		// "/s²" and the like: each denominator as a division by one of it.
		dens = dens[1:]
		j := indexByte(dens, '/')
		if j < 0 {
			j = len(dens)
		}
		b.s(" / 1 ")
		b.s(dens[:j])
		dens = dens[j:]
	}
	switch c := s.Cells[i]; {
	case c.DisplayUnit != "" && unitOfAnySheet(c.DisplayUnit):
		b.s(" as ")
		b.s(c.DisplayUnit)
	case p.hint != nil && p.hint.percent:
		b.s(" as %")
	}
	return string(b), true
}

// unitOfAnySheet reports whether a display unit is built of built-in
// units, which every sheet knows: a figure lent in a unit of the lender's
// own ("as racks") is lent in base units instead.
func unitOfAnySheet(unit string) bool {
	_, _, err := ParseUnit(unit)
	return err == nil
}
