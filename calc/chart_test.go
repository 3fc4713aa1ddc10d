package calc

import (
	"math"
	"testing"
)

func TestChartParseErrors(t *testing.T) {
	base := "dau = 300M users range 1M..2B log\nspan = 5 years\nstored := dau * 1 KB / day * span as exactly TB\nrate := dau * 5 / day\n"
	cases := []struct{ line, want string }{
		{"chart: stord over span", `chart: no cell "stord" — did you mean "stored"?`},
		{"chart: stored over spam", `chart: no input "spam" to sweep — did you mean "span"?`},
		{"chart: stored over rate", "chart: rate is a formula; sweep an input"},
		{"chart: stored, rate over dau", "lines of one chart share an axis"},
		{"chart: stored over span 10..1 years", "runs backwards"},
		{"chart: stored over span 1..10 MB", "must be literal values of its dimension, a time"},
		{"chart: stored span", `chart: expected "over"`},
		{"chart: stored over span \"A\" extra", `unexpected "extra"`},
		{"chart: over span", `chart: expected "over"`},
	}
	for _, c := range cases {
		_, err := Parse(base + c.line + "\n")
		if err == nil || !contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.line, err, c.want)
		}
	}
	// The words of chart, scenario and compare lines stay free as names:
	// a line is one of those only with its colon or its label.
	if _, err := Parse("chart = 5\nover := chart * 2\ncompare = 1\nscenario := compare\n"); err != nil {
		t.Errorf("cells named chart, over, compare, scenario: %v", err)
	}
}

func TestSweep(t *testing.T) {
	s, err := Parse(`dau = 300M users range 1M..2B log
span = 5 years
stored := dau * 1 KB / day * span as exactly TB
bill := stored * $0.023/GB/month
chart: stored over span 1..10 years "Storage"
chart: bill over dau
`)
	if err != nil {
		t.Fatal(err)
	}
	if c := s.Charts[0]; c.Log || c.From != secondsPerYear || c.To != 10*secondsPerYear || c.Label != "Storage" {
		t.Errorf("chart 0: %+v", c)
	}
	if c := s.Charts[1]; !c.Log || c.From != 1e6 || c.To != 2e9 {
		t.Errorf("chart 1 sweeps the slider's log range: %+v", c)
	}
	ser, err := s.Sweep(nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ser.X) != chartPoints || ser.XText[0] != "1 year" || ser.XText[chartPoints-1] != "10 years" {
		t.Fatalf("x: %v", ser.XText)
	}
	// stored grows linearly with the years kept: each point is the sheet
	// evaluated with span overridden there.
	for k, x := range ser.X {
		want := s.Eval(map[string]string{"span": s.FormatValue("span", x)}).Get("stored")
		if math.Abs(ser.Y[0][k]-want.Value) > 1e-6*want.Value {
			t.Errorf("point %d: %g, Eval gives %g", k, ser.Y[0][k], want.Value)
		}
	}
	if ser.YText[0][0] != "110 TB" {
		t.Errorf("first text %q", ser.YText[0][0])
	}
	// Overrides apply: with twice the users, twice the storage.
	ser2, _ := s.Sweep(map[string]string{"dau": "600M users"}, 0)
	if math.Abs(ser2.Y[0][5]/ser.Y[0][5]-2) > 1e-12 {
		t.Errorf("override ignored: %g vs %g", ser2.Y[0][5], ser.Y[0][5])
	}
	// Log spacing: equal ratios between points.
	lg, _ := s.Sweep(nil, 1)
	if r1, r2 := lg.X[1]/lg.X[0], lg.X[20]/lg.X[19]; math.Abs(r1-r2) > 1e-9*r1 {
		t.Errorf("log sweep ratios %g and %g", r1, r2)
	}
	if _, err := s.Sweep(nil, 2); err == nil {
		t.Error("no such chart, no error")
	}
	if got := s.Scale("bill"); math.Abs(got*secondsPerMonth-1) > 1e-12 {
		t.Errorf("Scale(bill) = %g, want a dollar a month", got)
	}
	if s.Scale("stored") != 1e12 || s.Scale("dau") != 1 {
		t.Errorf("Scale(stored) = %g, Scale(dau) = %g", s.Scale("stored"), s.Scale("dau"))
	}
}
