package calc

import "math"

// parseNumber converts a numeric literal as the lexer reads it — digits
// with any thousands commas, an optional fraction and an optional e
// exponent, nothing else — times 10^exp10, to the nearest float64, ties to
// even, exactly as strconv.ParseFloat would. It returns +Inf when the value
// is beyond float64.
//
// strconv.ParseFloat is avoided because it brings its error type, and with
// it strconv.Quote and Unicode tables, into the WebAssembly build: about
// 55 KB for a conversion that calc needs in one place. Literals of up to 15
// digits with a small exponent, which is what people write, take Clinger's
// exact fast path; anything else is settled by exact comparisons in
// integer arithmetic.
func parseNumber(s string, exp10 int) float64 {
	var digits []byte // significant digits, leading zeros dropped
	exp := 0          // value = digits × 10^exp
	i := 0
	for ; i < len(s) && s[i] != 'e' && s[i] != 'E'; i++ {
		switch c := s[i]; {
		case c == ',':
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
	exp += exp10
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
	// An estimate within a few units in the last place, then exact steps:
	// x moves to the float64 nearest to d, comparing d with the midpoints
	// between x and its neighbours exactly.
	e := exp + len(digits) - min(len(digits), 19)
	x := float64(m)
	if e < -300 {
		x *= 1e-30
		e += 30
	}
	x *= math.Pow10(e)
	// Each step compares d exactly with the midpoint between x and the
	// neighbour above (side 0) or below (side 1), and moves x or settles.
	side := 0
	for range 128 {
		if math.IsInf(x, 1) {
			x = math.MaxFloat64
		}
		// x = mant × 2^k; its neighbours are one bit pattern away, and the
		// one above MaxFloat64 is +Inf, the midpoint staying valid.
		bits := math.Float64bits(x)
		mant, k := bits&(1<<52-1), -1074
		if be := int(bits >> 52); be > 0 {
			mant |= 1 << 52
			k = be - 1075
		}
		up, down := math.Float64frombits(bits+1), math.Float64frombits(bits-1)
		// The midpoint is m × 2^mk; below a power of two the neighbour is
		// half as far.
		m, mk := 2*mant+1, k-1
		if side == 1 {
			m = 2*mant - 1
			if mant == 1<<52 && bits>>52 > 1 {
				m, mk = 4*mant-1, k-2
			}
		}
		// digits × 10^exp against m × 2^mk, both scaled to natural numbers
		// (base 2³², least significant word first), each negative power
		// moving to the other side: slow for long literals, but only
		// unusual ones get here.
		var a, b []uint32
		for _, c := range digits {
			a = mulAdd(a, 10, uint32(c-'0'))
		}
		for sh := 48; sh >= 0; sh -= 16 {
			b = mulAdd(b, 1<<16, uint32(m>>sh&0xffff))
		}
		for _, sc := range [...]struct {
			z    *[]uint32
			base uint32
			n    int
		}{{&a, 10, exp}, {&a, 2, -mk}, {&b, 10, -exp}, {&b, 2, mk}} {
			for n := sc.n; n > 0; {
				// The largest power of the base that fits in a word.
				p, c := sc.base, 1
				for c < n && p <= math.MaxUint32/sc.base {
					p *= sc.base
					c++
				}
				*sc.z = mulAdd(*sc.z, p, 0)
				n -= c
			}
		}
		c := len(a) - len(b) // its sign: the longer is larger
		for i := len(a) - 1; c == 0 && i >= 0; i-- {
			c = int(a[i]) - int(b[i])
		}
		switch {
		case c == 0 && bits&1 == 0: // a tie goes to the even mantissa
			return x
		case c == 0:
			return [2]float64{up, down}[side]
		case side == 0 && c > 0 && math.IsInf(up, 1):
			return up
		case side == 0 && c > 0:
			x = up
		case side == 0 && x == 0:
			return 0
		case side == 0:
			side = 1
		case c < 0:
			x, side = down, 0
		default:
			return x
		}
	}
	return x
}

// mulAdd returns z × m + a for a natural number z in base 2³², least
// significant word first, with no leading zero words.
func mulAdd(z []uint32, m, a uint32) []uint32 {
	c := uint64(a)
	for i, w := range z {
		c += uint64(w) * uint64(m)
		z[i] = uint32(c)
		c >>= 32
	}
	if c != 0 {
		z = append(z, uint32(c))
	}
	return z
}
