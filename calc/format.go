package calc

import (
	"math"
	"strconv"
)

// decompose rounds x (finite, non-zero) to three significant figures and
// returns its sign, the three digits and the decimal exponent of the first.
// strconv does the rounding, so 999.7 becomes 1.00e3 rather than 999.
func decompose(x float64) (neg bool, d [3]byte, exp int) {
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], x, 'e', 2, 64) // -1.23e+04
	if b[0] == '-' {
		neg = true
		b = b[1:]
	}
	d[0], d[1], d[2] = b[0], b[2], b[3]
	e := 0
	for _, c := range b[6:] {
		e = e*10 + int(c-'0')
	}
	if b[5] == '-' {
		e = -e
	}
	return neg, d, e
}

// appendDigits writes three digits with intDigits of them before the point,
// trimming trailing zeros after it.
func appendDigits(b []byte, d [3]byte, intDigits int) []byte {
	last := 3
	for last > 0 && d[last-1] == '0' && last > intDigits {
		last--
	}
	switch {
	case intDigits <= 0:
		b = append(b, '0', '.')
		for i := intDigits; i < 0; i++ {
			b = append(b, '0')
		}
		return append(b, d[:last]...)
	case intDigits >= 3:
		b = append(b, d[:]...)
		for i := 3; i < intDigits; i++ {
			b = append(b, '0')
		}
		return b
	}
	b = append(b, d[:intDigits]...)
	if last > intDigits {
		b = append(b, '.')
		b = append(b, d[intDigits:last]...)
	}
	return b
}

// appendSci writes d.dd×10ⁿ for figures too big or too small for suffixes.
func appendSci(b []byte, d [3]byte, exp int) []byte {
	b = appendDigits(b, d, 1)
	b = append(b, "×10"...)
	return append(b, superscript(exp)...)
}

const countSuffixes = "KMBT"

// appendCount formats a plain number with three significant figures and a
// count suffix: 17.4K, 1.5B, 0.25, 1.2×10⁻⁹. The sign is written by the
// caller so that money can put it before the $.
func appendCount(b []byte, x float64) []byte {
	if x == 0 {
		return append(b, '0')
	}
	_, d, exp := decompose(math.Abs(x))
	switch {
	case exp >= 15 || exp < -3:
		return appendSci(b, d, exp)
	case exp >= 3:
		g := exp / 3
		b = appendDigits(b, d, exp-3*g+1)
		return append(b, countSuffixes[g-1])
	}
	return appendDigits(b, d, exp+1)
}

// appendPlain formats without a count suffix below 10,000, for binary
// units where 1020 KiB is the natural reading.
func appendPlain(b []byte, x float64) []byte {
	if x == 0 {
		return append(b, '0')
	}
	_, d, exp := decompose(math.Abs(x))
	if exp >= 0 && exp < 4 {
		return appendDigits(b, d, exp+1)
	}
	return appendCount(b, x)
}

// appendPercent writes a fraction as a percentage. Availabilities such as
// 99.9999% would read "100%" at three significant figures, so between 90%
// and 100% the shortfall from 100% gets the three figures instead, up to
// maxPercentDecimals places: a value a hair under 1, such as float noise
// from 1 − 10⁻¹⁶, reads "100%" rather than "99.9999999999999858%".
func appendPercent(b []byte, v float64) []byte {
	p := v * 100
	if v >= 0.9 && v < 1 {
		short := (1 - v) * 100
		_, _, exp := decompose(short)
		decimals := min(max(2-exp, 0), maxPercentDecimals)
		s := strconv.AppendFloat(b, 100-short, 'f', decimals, 64)
		s = trimZeros(s, len(b))
		return append(s, '%')
	}
	if p < 0 {
		b = append(b, '-')
	}
	if math.IsInf(p, 0) { // v beyond 10³⁰⁶
		b = append(b, "∞"...)
	} else {
		b = appendCount(b, math.Abs(p))
	}
	return append(b, '%')
}

// maxPercentDecimals caps the places of a percentage near 100% at six
// ("99.999999%", eight significant digits); anything within 5×10⁻⁹ of 1
// rounds to "100%".
const maxPercentDecimals = 6

// trimZeros drops trailing zeros after a decimal point in b[from:].
func trimZeros(b []byte, from int) []byte {
	dot := -1
	for i := from; i < len(b); i++ {
		if b[i] == '.' {
			dot = i
		}
	}
	if dot < 0 {
		return b
	}
	for len(b) > dot+1 && b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if len(b) == dot+1 {
		b = b[:dot]
	}
	return b
}

// big reports whether x rounds to at least 1 at three significant figures,
// the test for choosing the largest unit that keeps a figure ≥ 1.
func big(x float64) bool { return math.Abs(x) >= 0.9995 }

// dispUnit is a resolved display unit: how to scale a base value and what to
// write around the number.
type dispUnit struct {
	_       noEq
	text    string  // unit as written, without noun: "GB/s", "/day", "$/GB/month", "%"
	factor  float64 // base units in one display unit
	dim     Dim
	money   bool   // "$" before the number
	percent bool   // "%" after the number, value ×100
	noun    string // noun given with the unit (as req/s)
	// fam, when set, lets the formatter pick the prefix of the leading unit;
	// tail is what follows it ("/s", "/month") and tailFac its factor.
	fam     *family
	tail    string
	tailFac float64
	timeFam bool // pick among ns … years automatically
}

// Automatic display units by dimension.
var (
	autoCount     = &dispUnit{factor: 1, dim: dimCount}
	autoInfo      = &dispUnit{dim: dimInfo, fam: famBytes, tailFac: 1}
	autoBandwidth = &dispUnit{dim: dimBandwidth, fam: famBytes, tail: "/s", tailFac: 1}
	autoTime      = &dispUnit{dim: dimTime, timeFam: true}
	autoMoney     = &dispUnit{text: "$", factor: 1, dim: dimMoney, money: true}
	autoCostRate  = &dispUnit{text: "$/month", factor: 1 / secondsPerMonth, dim: dimCostRate, money: true}
	autoStorePx   = &dispUnit{text: "$/GB/month", factor: 1 / (1e9 * secondsPerMonth), dim: dimStorePx, money: true}
	autoInfoPx    = &dispUnit{text: "$/GB", factor: 1e-9, dim: dimInfoPx, money: true}
	percentUnit   = &dispUnit{text: "%", factor: 1, dim: dimCount, percent: true}
)

func autoUnit(d Dim) *dispUnit {
	switch d {
	case dimCount:
		return autoCount
	case dimInfo:
		return autoInfo
	case dimBandwidth:
		return autoBandwidth
	case dimTime:
		return autoTime
	case dimMoney:
		return autoMoney
	case dimCostRate:
		return autoCostRate
	case dimStorePx:
		return autoStorePx
	case dimInfoPx:
		return autoInfoPx
	case dimRate:
		return nil // chosen from rateFam by magnitude
	}
	return genericUnit(d)
}

// genericUnit writes a dimension without an everyday unit in base units,
// e.g. "B·s" or "/s²", in a form the parser reads back.
func genericUnit(d Dim) *dispUnit {
	u := &dispUnit{factor: 1, dim: d}
	if d.Money == 1 {
		u.money = true
		u.text = "$"
		d.Money = 0
	}
	num, den := d.terms("USD", "B", "s")
	u.text += num + den
	return u
}

// appendQuantity formats v (base units) of dimension d with an optional noun
// and display unit. It returns the text and the index where the unit part
// starts, so callers can report the unit without another allocation.
func appendQuantity(b []byte, v float64, d Dim, noun string, u *dispUnit) ([]byte, int) {
	if math.IsNaN(v) {
		return append(b, "undefined"...), len(b)
	}
	if math.IsInf(v, 0) {
		if v < 0 {
			b = append(b, '-')
		}
		return append(b, "∞"...), len(b)
	}
	if v == 0 {
		v = 0 // no -0
	}
	if u == nil || u.dim != d {
		u = autoUnit(d)
	}
	if u != nil && u.percent {
		b = appendPercent(b, v)
		return b, len(b) - 1
	}
	text, factor := "", 1.0
	plain := false
	switch {
	case u == nil: // rate
		i := 0
		for i < len(rateFam)-1 && !big(v/rateFam[i].factor) {
			i++
		}
		if v == 0 {
			i = 0
		}
		text, factor = rateFam[i].name, rateFam[i].factor
	case u.fam != nil:
		f := u.fam
		i := len(f.factors) - 1
		for i > 0 && !big(v/(f.factors[i]*u.tailFac)) {
			i--
		}
		factor = f.factors[i] * u.tailFac
		text = f.names[i] + u.tail
		if x := v / factor; i == len(f.factors)-1 && math.Abs(x) >= 999.5 {
			// Beyond the largest prefix a power of ten reads better than "1.2K EB".
			text, factor = f.names[0]+u.tail, f.factors[0]*u.tailFac
			b, start := appendNumber(b, v/factor, u.money, false, true)
			return appendUnitText(b, start, noun, text)
		}
		plain = f.step == 1024
	case u.timeFam:
		i := len(timeFam) - 1
		for i > 0 && !big(v/timeFam[i].factor) {
			i--
		}
		factor = timeFam[i].factor
		n := len(b)
		b, start := appendNumber(b, v/factor, false, false, false)
		text = timeFam[i].plural
		if string(b[n:]) == "1" || string(b[n:]) == "-1" {
			text = timeFam[i].name
		}
		return appendUnitText(b, start, noun, text)
	default:
		text, factor = u.text, u.factor
		if u.money && len(text) > 0 {
			text = text[1:]
		}
	}
	x := v / factor
	if math.IsInf(x, 0) || (x == 0 && v != 0) {
		// The display unit cannot hold the figure; fall back to base units.
		g := genericUnit(d)
		return appendQuantity(b, v, d, noun, g)
	}
	money := u != nil && u.money
	b, start := appendNumber(b, x, money, plain, false)
	return appendUnitText(b, start, noun, text)
}

// appendNumber writes the sign, a $ for money and the figure, returning
// where the figure's unit text will start (used for Result.Unit).
func appendNumber(b []byte, x float64, money, plain, sci bool) ([]byte, int) {
	if x < 0 {
		b = append(b, '-')
		x = -x
	}
	if money {
		b = append(b, '$')
	}
	switch {
	case sci && x != 0:
		_, d, exp := decompose(x)
		b = appendSci(b, d, exp)
	case plain:
		b = appendPlain(b, x)
	default:
		b = appendCount(b, x)
	}
	return b, len(b)
}

// appendUnitText writes the noun and unit after a figure: "17.4K req/s",
// "5/day", "5 MB", "300M users".
func appendUnitText(b []byte, start int, noun, text string) ([]byte, int) {
	if noun != "" {
		b = append(b, ' ')
		b = append(b, noun...)
	}
	if text != "" {
		if text[0] != '/' {
			b = append(b, ' ')
		}
		b = append(b, text...)
	}
	return b, start
}
