package calc

import (
	"math"
	"strconv"
)

// buf is a byte buffer that grows only in its two methods. In WebAssembly
// an append costs some 300 bytes of code at each site and a method call
// about 70, so text is built with these rather than with append or +.
type buf []byte

//go:noinline
func (b *buf) s(x string) { *b = append(*b, x...) }

//go:noinline
func (b *buf) c(x byte) { *b = append(*b, x) }

// sub appends a copy of b[i:j].
//
//go:noinline
func (b *buf) sub(i, j int) { *b = append(*b, (*b)[i:j]...) }

// int writes n in decimal; strconv.Itoa would add its general formatter to
// the WebAssembly build for the few small numbers messages need.
func (b *buf) int(n int) {
	if n < 0 {
		b.c('-')
		n = -n
	}
	if n >= 10 {
		b.int(n / 10)
	}
	b.c(byte('0' + n%10))
}

// itoa formats an integer.
//
//go:noinline
func itoa(n int) string {
	var b buf
	b.int(n)
	return string(b)
}

// sig3 rounds x (finite, positive) to three significant figures and
// returns the three digits and the decimal exponent of the first.
// strconv does the rounding, so 999.7 becomes 1.00e3 rather than 999.
func sig3(x float64) ([3]byte, int) {
	var tmp [32]byte
	b := strconv.AppendFloat(tmp[:0], x, 'e', 2, 64) // 1.23e+04
	e := 0
	for _, c := range b[6:] {
		e = e*10 + int(c-'0')
	}
	if b[5] == '-' {
		e = -e
	}
	return [3]byte{b[0], b[2], b[3]}, e
}

// digits writes three digits with intDigits of them before the point,
// trimming trailing zeros after it: the characters written are those of
// "0…0ddd0…" from where the integer part starts, the point placed after
// intDigits digits.
func (b *buf) digits(d [3]byte, intDigits int) {
	last := 3
	for last > intDigits && last > 0 && d[last-1] == '0' {
		last--
	}
	zeros := max(1-intDigits, 0) // leading zeros: "0.00ddd" for 0.00ddd
	for i := range intDigits + zeros + max(last-intDigits, 0) {
		if i == intDigits+zeros {
			b.c('.')
		}
		c := byte('0')
		if j := i - zeros; j >= 0 && j < 3 {
			c = d[j]
		}
		b.c(c)
	}
}

// count formats a non-negative plain number with three significant figures
// and a count suffix: 17.4K, 1.5B, 0.25, 1.2×10⁻⁹. With plain, figures
// below 10,000 get no suffix, for binary units where 1020 KiB is the
// natural reading; with sci, any figure but 0 is written d.dd×10ⁿ.
func (b *buf) count(x float64, plain, sci bool) {
	if x == 0 {
		b.c('0')
		return
	}
	d, exp := sig3(x)
	switch {
	case plain && exp >= 0 && exp < 4:
		b.digits(d, exp+1)
	case sci || exp >= 15 || exp < -3:
		b.digits(d, 1)
		b.s("×10")
		b.sup(exp)
	case exp >= 3:
		g := exp / 3
		b.digits(d, exp-3*g+1)
		b.c("KMBT"[g-1])
	default:
		b.digits(d, exp+1)
	}
}

// maxPercentDecimals caps the places of a percentage near 100% at eight
// ("99.9999999%" for nine nines, ten significant digits); a shortfall
// under half of the last place (float noise such as 1 − 10⁻¹⁶) reads
// "100%".
const maxPercentDecimals = 8

// big reports whether x rounds to at least 1 at three significant figures,
// the test for choosing the largest unit that keeps a figure ≥ 1.
func big(x float64) bool { return math.Abs(x) >= 0.9995 }

// roundSig3 rounds x to the three significant figures it is shown with.
func roundSig3(x float64) float64 {
	if x == 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return x
	}
	p := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

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
	// soft marks the author's time unit (as ms, as days): kept, until
	// the figure would need a count suffix ("1.2K ms"), then automatic.
	soft bool
	// one is the singular of a unit the sheet defines, for a figure of
	// exactly 1 ("1 rack").
	one string
}

// percentUnit shows a plain number as a percentage.
var percentUnit = &dispUnit{text: "%", factor: 1, dim: dimCount, percent: true}

// autoUnits are the automatic display units by dimension; a rate has none,
// since its unit is chosen from rateFam by magnitude, and other dimensions
// are written in base units (genericUnit).
var autoUnits = [...]struct {
	d Dim
	u *dispUnit
}{
	{dimCount, &dispUnit{factor: 1, dim: dimCount}},
	{dimInfo, &dispUnit{dim: dimInfo, fam: famBytes, tailFac: 1}},
	{dimBandwidth, &dispUnit{dim: dimBandwidth, fam: famBytes, tail: "/s", tailFac: 1}},
	{dimTime, &dispUnit{dim: dimTime, timeFam: true}},
	{dimMoney, &dispUnit{text: "$", factor: 1, dim: dimMoney, money: true}},
	{dimCostRate, &dispUnit{text: "$/month", factor: 1 / secondsPerMonth, dim: dimCostRate, money: true}},
	{dimStorePx, &dispUnit{text: "$/GB/month", factor: 1 / (1e9 * secondsPerMonth), dim: dimStorePx, money: true}},
	{dimInfoPx, &dispUnit{text: "$/GB", factor: 1e-9, dim: dimInfoPx, money: true}},
	{dimRate, nil},
}

// genericUnit writes a dimension without an everyday unit in base units,
// e.g. "B·s" or "/s²", in a form the parser reads back.
//
//go:noinline
func genericUnit(d Dim) *dispUnit {
	return &dispUnit{factor: 1, dim: d, money: d.Money == 1, text: d.formula(true)}
}

// softTime reports whether an author's time unit that would need a count
// suffix should give way to the automatic one: only when that reads
// without a suffix too ("1.2K ms" is "1.2 s", but "667M h" stays hours
// rather than "76.1K years").
func softTime(v float64) bool {
	return math.Abs(v/timeFam[len(timeFam)-1].factor) < 999.5
}

// appendQuantity formats v (base units) of dimension d with an optional noun
// and display unit. It returns the text and the index where the unit part
// starts, so callers can report the unit without another allocation.
func appendQuantity(b []byte, v float64, d Dim, noun string, u *dispUnit) ([]byte, int) {
	w := buf(b)
	start := w.quantity(v, d, noun, u)
	return w, start
}

// quantity writes v as appendQuantity describes and returns where the
// unit part starts.
func (b *buf) quantity(v float64, d Dim, noun string, u *dispUnit) int {
	switch {
	case math.IsNaN(v):
		start := len(*b)
		b.s("undefined")
		return start
	case math.IsInf(v, 0):
		if v < 0 {
			b.c('-')
		}
		start := len(*b)
		b.s("∞")
		return start
	}
	if v == 0 {
		v = 0 // no -0
	}
	if u == nil || u.dim != d {
		auto := false
		for _, a := range autoUnits {
			if a.d == d {
				u, auto = a.u, true
			}
		}
		if !auto {
			u = genericUnit(d)
		}
	}
	if u != nil && u.percent {
		// A fraction as a percentage. Availabilities such as 99.9999%
		// would read "100%" at three significant figures, so between 90%
		// and 100% the shortfall from 100% gets the three figures instead,
		// up to maxPercentDecimals places: a value a hair under 1, such as
		// float noise from 1 − 10⁻¹⁶, reads "100%" rather than
		// "99.9999999999999858%".
		p := v * 100
		switch {
		case v >= 0.9 && v < 1:
			short := (1 - v) * 100
			_, exp := sig3(short)
			decimals := min(max(2-exp, 0), maxPercentDecimals)
			// The shortfall is rounded up, never down: 99.94999% shows as
			// 99.9499%, not 99.95%, which would claim more than is true.
			// (The µ-unit slack absorbs float noise: 0.05 is not 0.0500…01.)
			scale := math.Pow(10, float64(decimals))
			units := short * scale
			if units < 0.5 {
				b.s("100")
				break
			}
			units = math.Ceil(units - 1e-6)
			*b = strconv.AppendFloat(*b, 100-units/scale, 'f', decimals, 64)
			for decimals > 0 && (*b)[len(*b)-1] == '0' {
				*b = (*b)[:len(*b)-1]
			}
			if (*b)[len(*b)-1] == '.' {
				*b = (*b)[:len(*b)-1]
			}
		case math.IsInf(p, 0): // v beyond 10³⁰⁶
			if p < 0 {
				b.c('-')
			}
			b.s("∞")
		default:
			if p < 0 {
				b.c('-')
			}
			b.count(math.Abs(p), false, false)
		}
		b.c('%')
		return len(*b) - 1
	}
	text, factor := "", 1.0
	var single string // a duration's unit for exactly one: "day" for "days"
	plain, sci := false, false
	switch {
	case u == nil: // rate
		i := 0
		for i < len(rateFam)-1 && !big(v/rateFam[i].factor) {
			i++
		}
		if v == 0 {
			i = 0
		}
		// 59.99/min rounds to "60/min", which is 1/s: the rounded
		// figure decides, so what is shown reads back the same.
		if i > 0 {
			if r := roundSig3(v / rateFam[i].factor); math.Abs(r*rateFam[i].factor) >= rateFam[i-1].factor*0.9995 {
				i, v = i-1, r*rateFam[i].factor
			}
		}
		text, factor = rateFam[i].name, rateFam[i].factor
	case u.fam != nil:
		f := u.fam
		i := len(f.factors) - 1
		for i > 0 && !big(v/(f.factors[i]*u.tailFac)) {
			i--
		}
		factor = f.factors[i] * u.tailFac
		if i == len(f.factors)-1 && math.Abs(v/factor) >= 999.5 {
			// Beyond the largest prefix a power of ten reads better than "1.2K EB".
			i, factor, sci = 0, f.factors[0]*u.tailFac, true
		}
		text = f.names[i] + u.tail
		plain = f.step == 1024 && !sci
	case u.timeFam || (u.soft && math.Abs(v/u.factor) >= 999.5 && softTime(v)):
		i := len(timeFam) - 1
		for i > 0 && !big(v/timeFam[i].factor) {
			i--
		}
		// 59.97 min rounds to "60 min", which is 1 h: the rounded figure
		// decides, so what is shown reads back the same.
		if i < len(timeFam)-1 {
			if r := roundSig3(v / timeFam[i].factor); math.Abs(r*timeFam[i].factor) >= timeFam[i+1].factor*0.9995 {
				i, v = i+1, r*timeFam[i].factor
			}
		}
		text, single, factor = timeFam[i].plural, timeFam[i].name, timeFam[i].factor
	default:
		text, factor, single = u.text, u.factor, u.one
		if u.money && len(text) > 0 {
			text = text[1:]
		}
	}
	x := v / factor
	if math.IsInf(x, 0) || (x == 0 && v != 0) {
		// The display unit cannot hold the figure; fall back to base units.
		return b.quantity(v, d, noun, genericUnit(d))
	}
	// The number: sign, $ for money, the figure.
	n := len(*b)
	if x < 0 {
		b.c('-')
		x = -x
	}
	if u != nil && u.money {
		b.c('$')
	}
	b.count(x, plain, sci)
	start := len(*b)
	if num := string((*b)[n:]); single != "" && (num == "1" || num == "-1") {
		text = single
	}
	// The noun and unit: "17.4K req/s", "5/day", "5 MB", "300M users". A
	// count in a unit of the sheet's own ("3 racks" of servers) is written
	// in that unit instead of its noun.
	if noun != "" && (u == nil || u.dim != dimCount || u.one == "") {
		b.c(' ')
		b.s(noun)
	}
	if text != "" {
		if text[0] != '/' {
			b.c(' ')
		}
		b.s(text)
	}
	return start
}
