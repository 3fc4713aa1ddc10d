package calc

import (
	"math"
	"strconv"
	"testing"
)

// TestSpreadAgainstBruteForce compares the bounds of range propagation with
// a brute-force sweep of a fine grid over the range inputs: the bounds must
// lie inside what the grid finds (allowing float noise) and cover nearly
// all of it, for monotonic and non-monotonic formulas alike.
func TestSpreadAgainstBruteForce(t *testing.T) {
	cases := []struct {
		name, src string
		lo, hi    [2]float64 // the range inputs a and b, swept by the grid
	}{
		{"monotonic", "a = 200M..400M\nb = 2..8\ny := a * b / day\n", [2]float64{200e6, 400e6}, [2]float64{2, 8}},
		{"dependency", "a = 1..5\nb = 1..2\ny := a - a + b\n", [2]float64{1, 5}, [2]float64{1, 2}},
		{"a maximum inside", "a = 0..10\nb = 1..2\ny := a * (10 - a) * b\n", [2]float64{0, 10}, [2]float64{1, 2}},
		{"if", "a = 0..10\nb = 1..3\ny := if(a > 5, b, 10 - a)\n", [2]float64{0, 10}, [2]float64{1, 3}},
		{"max of two", "a = 1..9\nb = 2..8\ny := max(a, b) - min(a, b)\n", [2]float64{1, 9}, [2]float64{2, 8}},
	}
	for _, c := range cases {
		s, err := Parse(c.src)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := s.Eval(nil).Get("y")
		bmin, bmax := math.Inf(1), math.Inf(-1)
		const steps = 200
		for i := 0; i <= steps; i++ {
			for j := 0; j <= steps; j += 10 {
				a := c.lo[0] + (c.lo[1]-c.lo[0])*float64(i)/steps
				b := c.hi[0] + (c.hi[1]-c.hi[0])*float64(j)/steps
				r := s.Eval(map[string]string{"a": strconv.FormatFloat(a, 'g', -1, 64), "b": strconv.FormatFloat(b, 'g', -1, 64)})
				v := r.Get("y").Value
				bmin, bmax = math.Min(bmin, v), math.Max(bmax, v)
			}
		}
		width := bmax - bmin
		tol := 1e-9 * math.Max(math.Abs(bmin), math.Abs(bmax))
		if got.Low < bmin-tol || got.High > bmax+tol {
			t.Errorf("%s: bounds %g..%g outside what the grid reaches, %g..%g", c.name, got.Low, got.High, bmin, bmax)
		}
		if width > 0 && (got.High-got.Low) < 0.97*width {
			t.Errorf("%s: bounds %g..%g cover less than 97%% of %g..%g", c.name, got.Low, got.High, bmin, bmax)
		}
		if got.Low > got.Value || got.High < got.Value {
			t.Errorf("%s: the point %g lies outside its bounds %g..%g", c.name, got.Value, got.Low, got.High)
		}
	}
}

func TestRangeInputs(t *testing.T) {
	s, err := Parse("dau = 200M..400M users \"Daily active users\"\nreads := dau * 5 / day as req/s\n" +
		"size = 1..3 MB likely 2.5 MB\ncost = $-5..$10\nsame := size - size\n")
	if err != nil {
		t.Fatal(err)
	}
	r := s.Eval(nil)
	for _, w := range []struct{ cell, text, rng string }{
		{"dau", "300M users", "200M–400M users"},
		{"reads", "17.4K req/s", "11.6K–23.1K req/s"},
		{"size", "2.5 MB", "1–3 MB"},
		{"cost", "$2.5", "-$5 to $10"},
		{"same", "0 B", ""}, // x − x is certain, however unsure x is
	} {
		c := r.Get(w.cell)
		if c.Text != w.text || c.Range != w.rng {
			t.Errorf("%s = %q (%q), want %q (%q)", w.cell, c.Text, c.Range, w.text, w.rng)
		}
	}
	// A reader's range replaces the author's; a single value removes it.
	r = s.Eval(map[string]string{"dau": "1B..2B", "size": "2 MB"})
	if c := r.Get("reads"); c.Range != "57.9K–116K req/s" {
		t.Errorf("reads with dau = 1B..2B: %q", c.Range)
	}
	if c := r.Get("size"); c.Range != "" || c.Text != "2 MB" {
		t.Errorf("size overridden by a single value: %q %q", c.Text, c.Range)
	}
	for _, bad := range []struct{ src, want string }{
		{"x = 5 MB..1 MB\n", "runs backwards"},
		{"x = 2 s..3 MB\n", "one dimension"},
		{"x = 1..3 MB likely 4 MB\n", "outside the range"},
		{"x = 3 MB likely 4 MB\n", "likely applies to range inputs only"},
		{"y = 2\nx := 1..y\n", "unexpected"},
	} {
		if _, err := Parse(bad.src); err == nil || !contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want %q", bad.src, err, bad.want)
		}
	}
	for _, bad := range []struct{ over, want string }{
		{"3..1", "runs backwards"},
		{"1 s..2 s", "it is a time but dau is a count"},
		{"1..2 s", "it is a time but dau is a count"},
	} {
		r := s.Eval(map[string]string{"dau": bad.over})
		if c := r.Get("dau"); c.Err == nil || !contains(c.Err.Error(), bad.want) {
			t.Errorf("dau = %q: %v, want %q", bad.over, c.Err, bad.want)
		}
	}
}

// Evaluations with ranges are deterministic: the same inputs give the same
// bounds, run after run.
func TestSpreadDeterministic(t *testing.T) {
	s, err := Parse("a = 0..10\nb = 1..3\nc = 2..9\nd = 1..4\ny := a * (10 - a) * b + c * (9 - c) / d\n")
	if err != nil {
		t.Fatal(err)
	}
	first := s.Eval(nil).Get("y")
	for range 5 {
		if again := s.Eval(nil).Get("y"); again.Low != first.Low || again.High != first.High {
			t.Fatalf("bounds moved: %g..%g, then %g..%g", first.Low, first.High, again.Low, again.High)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
