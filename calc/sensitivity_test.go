package calc

import (
	"math"
	"testing"
)

func TestSensitivity(t *testing.T) {
	s, err := Parse(`dau = 200M..400M users "Daily active users"
reads = 5 /day "Reads per user"
share = 10% "Reads with a photo"
photo = 5 MB "Photo size"
post = 1 KB "Unrelated"
egress := dau * reads * share * photo as GB/s "Photo egress"
`)
	if err != nil {
		t.Fatal(err)
	}
	sw, err := s.Sensitivity(nil, "egress", 0.1)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, w := range sw {
		names = append(names, w.Input)
	}
	// dau's range (±33%) beats the ±10% of the others; post does not
	// move egress at all; the ±10% inputs tie and keep the sheet's order.
	if len(names) != 4 || names[0] != "dau" || names[1] != "reads" || names[2] != "share" || names[3] != "photo" {
		t.Fatalf("ranking %v", names)
	}
	point := s.Eval(nil).Get("egress").Value
	d := sw[0]
	if math.Abs(d.OutLow/point-2.0/3) > 1e-12 || math.Abs(d.OutHigh/point-4.0/3) > 1e-12 {
		t.Errorf("dau swings egress %g..%g around %g", d.OutLow, d.OutHigh, point)
	}
	if d.InLowText != "200M users" || d.InHighText != "400M users" || d.OutLowText != "5.79 GB/s" || d.OutHighText != "11.6 GB/s" {
		t.Errorf("texts %+v", d)
	}
	if r := sw[1]; math.Abs(r.OutLow/point-0.9) > 1e-12 || math.Abs(r.OutHigh/point-1.1) > 1e-12 || r.InLowText != "4.5/day" {
		t.Errorf("reads ±10%%: %+v", r)
	}
	// Overrides apply first: with a wider range for reads, it comes first.
	sw, err = s.Sensitivity(map[string]string{"reads": "1..20 /day"}, "egress", 0.1)
	if err != nil || sw[0].Input != "reads" {
		t.Errorf("with reads = 1..20/day: %v %v", sw, err)
	}
	if _, err := s.Sensitivity(nil, "egres", 0.1); err == nil || !contains(err.Error(), `did you mean "egress"`) {
		t.Errorf("unknown cell: %v", err)
	}
}
