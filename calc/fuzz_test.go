package calc

import (
	"math"
	"strings"
	"testing"
)

var quantitySeeds = []string{
	"300M users", "1.5B", "1.5 B", "1,000,000", "25%", "2e9", "5 µs", "3 us", "1 KiB",
	"1500 KiB", "$0.023/GB/month", "5 /day", "3 req/s", "17.4K", "-5 MB", "0", "1.2×10⁻⁹",
	"3×10¹⁵", "1e-12 s", "8 s²", "1500 Mbps", "$1234.5", "99.9999%", "0.95123", "1 month",
	"5 MB * 1 s", "1/s/s", "10 req per day", "1e200", "1e-200", "4.94e-324", "1.7976e308",
}

// FuzzParseQuantity checks that parsing never panics and that formatting a
// parsed value and parsing it again gives the same value within three
// significant figures.
func FuzzParseQuantity(f *testing.F) {
	for _, s := range quantitySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuantity(s)
		if err != nil {
			return
		}
		v := q.Value()
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseQuantity(%q) = %v", s, v)
		}
		text := q.String()
		for _, bad := range []string{"NaN", "Inf", "e+", "e-", "-0 ", "0.000"} {
			if strings.Contains(text, bad) {
				t.Fatalf("ParseQuantity(%q).String() = %q contains %q", s, text, bad)
			}
		}
		if text == "-0" {
			t.Fatalf("ParseQuantity(%q).String() = -0", s)
		}
		back, err := ParseQuantity(text)
		if err != nil {
			t.Fatalf("ParseQuantity(%q) → %q does not parse back: %v", s, text, err)
		}
		if back.Dim() != q.Dim() {
			t.Fatalf("%q → %q: dimension %v, want %v", s, text, back.Dim(), q.Dim())
		}
		if !sameSig(back.Value(), v) {
			t.Fatalf("%q → %q: %g, want %g within 3 significant figures", s, text, back.Value(), v)
		}
		if again := back.String(); again != text {
			t.Fatalf("%q → %q → %q: formatting is not stable", s, text, again)
		}
	})
}

// sameSig reports whether a and b agree to three significant figures: the
// rounding error of a 3-figure mantissa is at most half a unit in 100.
func sameSig(a, b float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= 0.0051*math.Max(math.Abs(a), math.Abs(b))
}

var exprSeeds = []string{
	"300M * 5 / day", "300M * 5 / day as /s", "servers(52.1K req/s, 1K req/s, 30%, 3)",
	"downtime(99.99%, year)", "if(1 > 2, 5 MB, 3 KB)", "(1 + 2) * 3 ^ 2", "-2^2", "1/0",
	"5 MB + 3 req/s", "17.4K / s as GB/s", "keylen(365B)", "partitions(500 GB, 6000, 2000)",
	"cache(1.7B /day, 500 B, 20%)", "parallel(99.9%, 99.9%)", "pow(2,100)", "sqrt(1 s * 4 s)",
	"round(17361, 2)", "1 GB / 100 MB/s", "$0.023/GB/month * 1 TB as $/month", "10 − 4 × 2 ÷ 4",
	"2⁻³", "s²", "((((1))))", "as", "per", "$", "1e308 * 10", "little(20K req/s, 200 ms)",
}

// FuzzEvalExpr checks that evaluation never panics, that errors carry a
// position, and that results never format as NaN or Inf.
func FuzzEvalExpr(f *testing.F) {
	for _, s := range exprSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := EvalExpr(s)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Line < 1 || e.Col < 1 || e.Msg == "" {
				t.Fatalf("EvalExpr(%q) error %#v", s, err)
			}
			return
		}
		text := q.String()
		if strings.Contains(text, "NaN") || strings.Contains(text, "Inf") || text == "" {
			t.Fatalf("EvalExpr(%q) = %q", s, text)
		}
	})
}

// FuzzParseSheet checks that parsing and evaluating arbitrary sheets never
// panics, and that every reported error has a position inside the source.
func FuzzParseSheet(f *testing.F) {
	f.Add(timeline)
	f.Add("a := b\nb := a\n")
	f.Add("nouns: shards, pins\nx = 5 shards\ny := x * 2 as shards\n")
	f.Add("x = 5 MB \"label\nb = 2\n")
	f.Add("n = 0\nx := 1 / n\ny := if(n > 0, 1 / n, 0)\n")
	f.Add("x = 5 range 1..10 step 0.5 log help \"h\" hidden\n")
	// Units of the sheet's own: used before they are defined, in one
	// another, in a circle, after a slash and after as.
	f.Add("n = 3 racks\nr = 2 req/rack\nx := n as servers\ny := 200 servers as racks\nunit rack = 42 servers\n")
	f.Add("unit frame = s / 30\nunit reel = 24 frames\nt = 2 reels\nf := t as frames\n")
	f.Add("unit a = 2 b\nunit b = 3 a\nx = 1 a\n")
	f.Add("unit EUR = $1.08\nunit pg4k = 4 KiB\nc = 5 EUR/month\np := 1 GiB / 1 pg4k/s\n")
	f.Add("")
	f.Add("unit widget\nunit 4k = 1\nunit page = 4 KiB\nnouns: rack\nunit rack = 1\n")
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Parse(src)
		lines := strings.Count(src, "\n") + 1
		if err != nil {
			list, ok := err.(ErrorList)
			if !ok || len(list) == 0 {
				t.Fatalf("Parse error %T %v", err, err)
			}
			for _, e := range list {
				if e.Line < 1 || e.Line > lines || e.Col < 1 {
					t.Fatalf("error outside the source: %v", e)
				}
				if strings.ContainsRune(e.Suggestion, hintMark) || strings.Contains(e.Msg, "did you mean") {
					t.Fatalf("suggestion not split from its message: %#v", e)
				}
			}
			return
		}
		r := s.Eval(nil)
		if len(r.Cells) != len(s.Cells) {
			t.Fatalf("%d results for %d cells", len(r.Cells), len(s.Cells))
		}
		for i, c := range r.Cells {
			if c.Err == nil && (strings.Contains(c.Text, "NaN") || strings.Contains(c.Text, "Inf")) {
				t.Fatalf("cell %s = %q", c.Name, c.Text)
			}
			if c.Err == nil && c.Text == "" {
				t.Fatalf("cell %s has no text", c.Name)
			}
			if math.IsNaN(c.Value) || math.IsInf(c.Value, 0) {
				t.Fatalf("cell %s value %v", c.Name, c.Value)
			}
			if cell := s.Cells[i]; cell.Input {
				// Overriding an input with its own text must give the same value.
				r2 := s.Eval(map[string]string{cell.Name: c.Text})
				if r2.Cells[i].Err == nil && !sameSig(r2.Cells[i].Value, c.Value) {
					t.Fatalf("override %s=%q: %g, want %g", cell.Name, c.Text, r2.Cells[i].Value, c.Value)
				}
			}
		}
	})
}
