package calc

// Dim is the physical dimension of a quantity as integer exponents of time,
// information and money. A count (users, requests, a plain number) has all
// exponents zero, so nouns never take part in dimension checks.
type Dim struct {
	Time, Info, Money int8
}

// Common dimensions, named so that function checks and formatting read as prose.
var (
	dimCount     = Dim{}
	dimTime      = Dim{Time: 1}
	dimInfo      = Dim{Info: 1}
	dimMoney     = Dim{Money: 1}
	dimRate      = Dim{Time: -1}
	dimBandwidth = Dim{Time: -1, Info: 1}
	dimCostRate  = Dim{Time: -1, Money: 1}
	dimStorePx   = Dim{Time: -1, Info: -1, Money: 1}
	dimInfoPx    = Dim{Info: -1, Money: 1}
)

func (d Dim) add(e Dim) Dim { return Dim{d.Time + e.Time, d.Info + e.Info, d.Money + e.Money} }

func (d Dim) sub(e Dim) Dim { return Dim{d.Time - e.Time, d.Info - e.Info, d.Money - e.Money} }

func (d Dim) scale(n int) Dim {
	return Dim{d.Time * int8(n), d.Info * int8(n), d.Money * int8(n)}
}

// dimNames gives the everyday name of the dimensions an estimate usually
// meets; errors use it so authors read "rate", not exponent vectors.
var dimNames = []struct {
	d       Dim
	name    string
	article string
}{
	{dimCount, "count", "a "},
	{dimTime, "time", "a "},
	{dimInfo, "information", ""},
	{dimMoney, "money", ""},
	{dimRate, "rate", "a "},
	{dimBandwidth, "bandwidth", ""},
	{dimCostRate, "cost rate", "a "},
	{dimStorePx, "storage price", "a "},
	{dimInfoPx, "price per information", "a "},
}

// String names the dimension: "rate", "bandwidth", or a formula such as
// "information·time" when it has no everyday name.
//
//go:noinline
func (d Dim) String() string {
	for _, n := range dimNames {
		if n.d == d {
			return n.name
		}
	}
	return d.formula(false)
}

// describe is the long form used in conversion errors: "a rate (1/time)",
// "bandwidth (information/time)".
//
//go:noinline
func (d Dim) describe() string {
	f := d.formula(false)
	for _, n := range dimNames {
		switch {
		case n.d != d:
		case d == dimCount:
			return "a count (no unit)"
		case f == n.name:
			return n.article + n.name
		default:
			return msg("{}{} ({})", n.article, n.name, f)
		}
	}
	return f
}

// formula writes the dimension as base dimensions, numerator first:
// "money·information²/time" in prose, or, as a unit, in base units in a
// form the parser reads back: "$/B/s", "B·s".
func (d Dim) formula(unit bool) string {
	names := [3]string{"money", "information", "time"}
	var b buf
	switch {
	case unit:
		names = [3]string{"USD", "B", "s"}
		if d.Money == 1 {
			b.c('$')
			d.Money = 0
		}
	case d == dimCount:
		return "count"
	case d.Money <= 0 && d.Info <= 0 && d.Time <= 0:
		b.c('1')
	}
	// The numerator's names, then the denominators'.
	num := false
	for _, den := range [2]bool{false, true} {
		for i, e := range [3]int8{d.Money, d.Info, d.Time} {
			switch {
			case e == 0 || den != (e < 0):
				continue
			case den:
				b.c('/')
			case num:
				b.s("·")
			}
			num = true
			b.s(names[i])
			if e > 1 || e < -1 {
				b.sup(int(max(e, -e)))
			}
		}
	}
	return string(b)
}

var supDigits = [...]string{"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"}

// sup writes n with Unicode superscript digits, as in 10⁻⁹.
func (b *buf) sup(n int) {
	if n < 0 {
		b.s("⁻")
		n = -n
	}
	if n >= 10 {
		b.sup(n / 10)
	}
	b.s(supDigits[n%10])
}
