package calc

import "testing"

// TestLiteral: a figure lent to another sheet reads back the same value
// and shows the same text.
func TestLiteral(t *testing.T) {
	s, err := Parse(`dau = 300M users
read_qps := dau * 5 / day as req/s
egress := read_qps * 10% * 5 MB as GB/s
bill := egress * $0.05/GB
stored := dau * 1 KB * 30
ratio := 5 / 3
cost := $-5 * 2
avail := 99.99%
wait := 90 min
`)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Eval(nil)
	for _, c := range s.Cells {
		lit, ok := s.Literal(r, c.Name)
		if !ok {
			t.Fatalf("%s: no literal", c.Name)
		}
		back, err := Parse("x := " + lit + "\n")
		if err != nil {
			t.Errorf("%s: %q does not parse: %v", c.Name, lit, err)
			continue
		}
		got := back.Eval(nil).Get("x")
		want := r.Get(c.Name)
		if got.Value != want.Value || got.Text != want.Text {
			t.Errorf("%s: %q reads back as %g %q, want %g %q", c.Name, lit, got.Value, got.Text, want.Value, want.Text)
		}
	}
	if _, ok := s.Literal(r, "nope"); ok {
		t.Error("a literal for an unknown cell")
	}
}
