package calc

import (
	"math"
	"strings"
	"testing"
)

// TestPercentNines pins how far a percentage near 100% keeps its nines: the
// shortfall gets three significant figures, rounded up, at most eight places,
// so float noise just under 1 reads "100%".
func TestPercentNines(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0.9, "90%"},
		{0.95, "95%"},
		{0.999, "99.9%"},
		{0.99995, "99.995%"},
		{0.9999, "99.99%"},
		{0.999999, "99.9999%"},
		{1 - 1.234e-6, "99.999876%"}, // three figures of the shortfall, rounded up
		{0.9994999, "99.9499%"},      // not 99.95%: never a nine more than is true
		{0.9995, "99.95%"},           // float noise in the shortfall does not round it up
		{0.9999999, "99.99999%"},
		{0.99999999, "99.999999%"},
		{0.999999994, "99.9999994%"},
		{0.999999996, "99.9999996%"},
		{1 - 1e-9, "99.9999999%"},   // nine nines
		{1 - 1e-10, "99.99999999%"}, // ten, at the cap of eight places
		{1 - 4e-11, "100%"},         // under half the last place
		{1 - 1e-12, "100%"},
		{0.99999999999999986, "100%"}, // float noise, not 99.9999999999999858%
		{math.Nextafter(1, 0), "100%"},
		{1, "100%"},
		{1.5, "150%"},
		{0.25, "25%"},
		{-0.5, "-50%"},
		{0, "0%"},
		{1e307, "∞%"}, // ×100 overflows; the formatter must not panic
		{-1e307, "-∞%"},
	}
	for _, tt := range tests {
		if got := (Quantity{v: tt.v, unit: percentUnit}).String(); got != tt.want {
			t.Errorf("%v as %% = %s, want %s", tt.v, got, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"0.99999999999999986 as %", "100%"},
		{"parallel(99.9%, 99.9%)", "99.9999%"},
		{"nines(6)", "99.9999%"},
		{"nines(8)", "99.999999%"},
		{"nines(9)", "99.9999999%"},
		{"nines(15)", "100%"},
	} {
		q, err := EvalExpr(tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if q.String() != tt.want {
			t.Errorf("%s = %s, want %s", tt.in, q, tt.want)
		}
	}
}

// TestNoiseDigits checks that no figure, however noisy its value, is
// written with more than eight significant digits.
func TestNoiseDigits(t *testing.T) {
	units := []string{"", "%", "GB/s", "req/s", "h", "$/month", "KiB", "Mbps", "users", "ms", "/day"}
	values := []float64{
		0.1 + 0.2, 3 * 0.1, 1 - 1e-16, math.Nextafter(1, 0), math.Nextafter(1, 2),
		0.99999999999999986, 0.9999999999999999, 0.90000000000000002, 99.99999999999997,
		1e-7 + 1e-23, 123456.78901234567, 2.9999999999999996, 0.30000000000000004,
	}
	for _, v := range values {
		for _, s := range []float64{1, 1e3, 1e-3, 1e6} {
			for _, u := range units {
				q := Quantity{v: v * s}
				if u != "" {
					pu, _, err := ParseUnit(u)
					if err != nil {
						t.Fatal(err)
					}
					q = Quantity{v: v * s, dim: pu.dim, unit: pu.disp}
				}
				text := q.String()
				if n := sigDigits(text); n > 8 {
					t.Errorf("%v as %q = %s: %d significant digits", v*s, u, text, n)
				}
			}
		}
	}
}

// sigDigits counts the digits of the first number in s, leading zeros
// aside.
func sigDigits(s string) int {
	n, started := 0, false
	for _, r := range strings.TrimLeft(s, "-$") {
		switch {
		case r == '0' && !started:
		case r >= '0' && r <= '9':
			started = true
			n++
		case r == '.' || r == ',':
		default:
			return n
		}
	}
	return n
}
