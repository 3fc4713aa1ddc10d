package calc

import (
	"math"
	"strconv"
)

// parseNumber converts a numeric literal as the lexer assembles it —
// digits, an optional fraction and an optional e exponent, nothing else — to
// the nearest float64, ties to even, exactly as strconv.ParseFloat would.
// It returns +Inf when the value is beyond float64.
//
// strconv.ParseFloat is avoided because it brings its error type, and with
// it strconv.Quote and Unicode tables, into the WebAssembly build: about
// 55 KB for a conversion that calc needs in one place. Literals of up to 15
// digits with a small exponent, which is what people write, take Clinger's
// exact fast path; anything else is settled by comparing exact decimal
// expansions, which strconv.FormatFloat (in the build anyway) provides.
func parseNumber(s string) float64 {
	var digits []byte // significant digits, leading zeros dropped
	exp := 0          // value = digits × 10^exp
	i := 0
	for ; i < len(s) && s[i] != 'e' && s[i] != 'E'; i++ {
		switch c := s[i]; {
		case c == '.':
			exp = -1 // marks the fraction; adjusted per digit below
		case c == '0' && len(digits) == 0:
			if exp < 0 {
				exp--
			}
		default:
			digits = append(digits, c)
			if exp < 0 {
				exp--
			}
		}
	}
	if exp < 0 {
		exp++ // undo the mark
	}
	if i < len(s) {
		e, neg := 0, false
		for _, c := range []byte(s[i+1:]) {
			switch {
			case c == '-':
				neg = true
			case c >= '0' && c <= '9' && e < 100000:
				e = e*10 + int(c-'0')
			}
		}
		if neg {
			e = -e
		}
		exp += e
	}
	for len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		exp++
	}
	switch top := len(digits) + exp; { // value < 10^top
	case len(digits) == 0 || top < -330:
		return 0
	case top > 310:
		return math.Inf(1)
	}
	var m uint64
	for j, c := range digits {
		if j == 19 {
			break
		}
		m = m*10 + uint64(c-'0')
	}
	if len(digits) <= 15 && exp >= -22 && exp <= 22 {
		// Both factors are exact in float64, so one rounding: correct.
		if exp < 0 {
			return float64(m) / math.Pow10(-exp)
		}
		return float64(m) * math.Pow10(exp)
	}
	// An estimate within a few units in the last place, then exact steps.
	e := exp + len(digits) - min(len(digits), 19)
	x := float64(m)
	if e < -300 {
		x *= 1e-30
		e += 30
	}
	x *= math.Pow10(e)
	return nearest(x, dec{digits, exp})
}

// nearest moves x to the float64 nearest to d, comparing d with the
// midpoints between neighbours in exact decimal arithmetic.
func nearest(x float64, d dec) float64 {
	d2 := d.add(d) // compare 2d with the sum of two neighbours
	for range 64 {
		if math.IsInf(x, 1) {
			x = math.MaxFloat64
		}
		up := math.Nextafter(x, math.Inf(1))
		var upDec dec
		if math.IsInf(up, 1) { // the neighbour above MaxFloat64 is 2^1024
			upDec = exactDec(x).add(exactDec(x - math.Nextafter(x, 0)))
		} else {
			upDec = exactDec(up)
		}
		switch c := d2.cmp(exactDec(x).add(upDec)); {
		case c > 0:
			if math.IsInf(up, 1) {
				return up
			}
			x = up
			continue
		case c == 0:
			return even(x, up)
		}
		if x == 0 {
			return 0
		}
		down := math.Nextafter(x, 0)
		switch c := d2.cmp(exactDec(down).add(exactDec(x))); {
		case c < 0:
			x = down
			continue
		case c == 0:
			return even(down, x)
		}
		return x
	}
	return x
}

// even breaks a tie between neighbours: the one with an even mantissa.
func even(a, b float64) float64 {
	if math.Float64bits(a)&1 == 0 {
		return a
	}
	return b
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

// cmp compares a and b: -1, 0 or +1.
func (a dec) cmp(b dec) int {
	x, y := a.trim(), b.trim()
	switch {
	case len(x.digits) == 0 || len(y.digits) == 0:
		return cmpInt(len(x.digits), len(y.digits))
	case len(x.digits)+x.exp != len(y.digits)+y.exp:
		return cmpInt(len(x.digits)+x.exp, len(y.digits)+y.exp)
	}
	for i := 0; i < max(len(x.digits), len(y.digits)); i++ {
		var p, q byte = '0', '0'
		if i < len(x.digits) {
			p = x.digits[i]
		}
		if i < len(y.digits) {
			q = y.digits[i]
		}
		if p != q {
			return cmpInt(int(p), int(q))
		}
	}
	return 0
}

// trim drops leading and trailing zeros.
func (a dec) trim() dec {
	d := a.digits
	for len(d) > 0 && d[0] == '0' {
		d = d[1:]
	}
	for len(d) > 0 && d[len(d)-1] == '0' {
		d = d[:len(d)-1]
		a.exp++
	}
	return dec{d, a.exp}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
