package calc

import (
	"math"
	"math/rand"
	"strconv"
	"testing"
)

// TestParseNumber checks parseNumber against strconv.ParseFloat on the
// literals people write, on hard cases (halfway points, long mantissas,
// subnormals, the edges of the range) and on random literals.
func TestParseNumber(t *testing.T) {
	cases := []string{
		"0", "0.0", "000", "1", "10", "100", "0.5", ".5", "1.5", "300", "17.5", "2e9", "1e-9",
		"0.1", "0.2", "0.3", "0.99999999999999986", "0.9999999999999999", "99.9999",
		"123456789012345678", "1234567890123456789", "12345678901234567890123",
		"9007199254740993", "9007199254740992", "9007199254740995", "18014398509481985",
		"1e22", "1e23", "1e-22", "1e-23", "8.98846567431158e307", "1.7976931348623157e308",
		"1.7976931348623158e308", "1.7976931348623159e308", "1.797693134862315808e308",
		"179769313486231580793728971405301e276", "2e308", "1e309", "1e400", "1e100000",
		"5e-324", "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
		"2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
		"2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
		"4.4501477170144023e-308", "1e-320", "1e-330", "1e-340", "0.000001", "3.0000000000000004",
		"1.00000000000000011102230246251565404236316680908203125",
		"1.00000000000000011102230246251565404236316680908203124",
		"1.00000000000000011102230246251565404236316680908203126",
		"100000000000000016777215", "100000000000000016777216", "100000000000000016777217",
		"7.038531e-26", "123.456e-5", "1e+5", "1E5", "0.0000000000000000000000000000001",
	}
	r := rand.New(rand.NewSource(1))
	for range 10000 {
		var b []byte
		for range 1 + r.Intn(25) {
			b = append(b, byte('0'+r.Intn(10)))
		}
		if r.Intn(2) == 0 {
			p := r.Intn(len(b) + 1)
			b = append(b[:p], append([]byte{'.'}, b[p:]...)...)
			if p == len(b)-1 {
				b = append(b, '0')
			}
		}
		if r.Intn(2) == 0 {
			b = append(b, 'e')
			b = strconv.AppendInt(b, int64(r.Intn(700)-350), 10)
		}
		cases = append(cases, string(b))
	}
	for range 2000 { // neighbours and midpoints of random floats
		x := math.Float64frombits(r.Uint64() >> 1)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		y := math.Nextafter(x, math.Inf(1))
		cases = append(cases, strconv.FormatFloat(x, 'e', -1, 64), strconv.FormatFloat(x, 'e', 16, 64))
		if !math.IsInf(y, 0) {
			// The exact midpoint, and a hair either side of it.
			digits, exp := halve(exactDec(x).add(exactDec(y)))
			e := "e" + strconv.Itoa(exp)
			cases = append(cases, digits+e, digits+"1e"+strconv.Itoa(exp-1), digits[:len(digits)-1]+e[:1]+strconv.Itoa(exp+1))
		}
	}
	for _, s := range cases {
		want, _ := strconv.ParseFloat(s, 64)
		if got := parseNumber(s, 0); got != want {
			t.Errorf("parseNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

// halve returns the digits and exponent of d/2.
func halve(d dec) (string, int) {
	var out []byte
	rem := 0
	for _, c := range d.digits {
		v := rem*10 + int(c-'0')
		out = append(out, byte('0'+v/2))
		rem = v % 2
	}
	exp := d.exp
	if rem != 0 {
		out = append(out, '5')
		exp--
	}
	return string(out), exp
}

// dec is a non-negative decimal: the integer written by digits (ASCII,
// most significant first) times 10^exp.
type dec struct {
	digits []byte
	exp    int
}

// exactDec writes a finite, non-negative float64 exactly: a float64 has at
// most 767 significant decimal digits, and FormatFloat rounds only past
// the precision asked for.
func exactDec(x float64) dec {
	if math.IsInf(x, 1) {
		x = math.MaxFloat64 // the caller only asks when it knows better
	}
	b := strconv.AppendFloat(make([]byte, 0, 800), x, 'e', 767, 64) // d.ddd…e±dd
	i := len(b) - 1
	for b[i] != 'e' {
		i--
	}
	e := 0
	for _, c := range b[i+2:] {
		e = e*10 + int(c-'0')
	}
	if b[i+1] == '-' {
		e = -e
	}
	digits := append(b[:1:1], b[2:i]...)
	return dec{digits, e - 767}
}

// add returns a + b.
func (a dec) add(b dec) dec {
	e := min(a.exp, b.exp)
	x, y := a.scaled(e), b.scaled(e)
	if len(x) < len(y) {
		x, y = y, x
	}
	out := make([]byte, len(x)+1)
	carry := byte(0)
	for i := 1; i <= len(x); i++ {
		s := x[len(x)-i] - '0' + carry
		if i <= len(y) {
			s += y[len(y)-i] - '0'
		}
		carry = s / 10
		out[len(out)-i] = s%10 + '0'
	}
	out[0] = carry + '0'
	return dec{out, e}
}

// scaled writes the digits of a for the smaller exponent e ≤ a.exp.
func (a dec) scaled(e int) []byte {
	out := append([]byte(nil), a.digits...)
	for range a.exp - e {
		out = append(out, '0')
	}
	return out
}
