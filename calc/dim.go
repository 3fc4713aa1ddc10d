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

//go:noinline
func (d Dim) add(e Dim) Dim { return Dim{d.Time + e.Time, d.Info + e.Info, d.Money + e.Money} }

//go:noinline
func (d Dim) sub(e Dim) Dim { return Dim{d.Time - e.Time, d.Info - e.Info, d.Money - e.Money} }

//go:noinline
func (d Dim) scale(n int) Dim {
	return Dim{d.Time * int8(n), d.Info * int8(n), d.Money * int8(n)}
}

//go:noinline
func (d Dim) isCount() bool { return d == dimCount }

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
	return d.formula()
}

// describe is the long form used in conversion errors: "a rate (1/time)",
// "bandwidth (information/time)".
func (d Dim) describe() string {
	for _, n := range dimNames {
		if n.d == d {
			if d == dimCount {
				return "a count (no unit)"
			}
			f := d.formula()
			if f == n.name {
				return n.article + n.name
			}
			return n.article + n.name + " (" + f + ")"
		}
	}
	return d.formula()
}

// formula writes the dimension as base dimensions, numerator first.
func (d Dim) formula() string {
	num, den := d.terms("money", "information", "time")
	if num == "" {
		if den == "" {
			return "count"
		}
		num = "1"
	}
	return num + den
}

// terms writes the dimension's numerator ("money·information²") and
// denominators ("/time") with the given names for money, information and
// time; formula and genericUnit differ only in the names.
func (d Dim) terms(money, info, time string) (num, den string) {
	for i, e := range [3]int8{d.Money, d.Info, d.Time} {
		if e == 0 {
			continue
		}
		s := [3]string{money, info, time}[i]
		if e > 1 || e < -1 {
			s += superscript(int(max(e, -e)))
		}
		switch {
		case e < 0:
			den += "/" + s
		case num != "":
			num += "·" + s
		default:
			num = s
		}
	}
	return num, den
}

var supDigits = [...]string{"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"}

// superscript writes n with Unicode superscript digits, as in 10⁻⁹.
func superscript(n int) string {
	s := itoa(n)
	out := make([]byte, 0, len(s)*3)
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			out = append(out, "⁻"...)
			continue
		}
		out = append(out, supDigits[s[i]-'0']...)
	}
	return string(out)
}
