package calc

import (
	"strconv"
	"strings"
	"testing"
)

// sheet50 builds a 50-cell sheet: 10 inputs and 40 formulas chained over
// them, typical of a long estimate.
func sheet50() string {
	var b strings.Builder
	b.WriteString("dau = 300M users \"Daily users\" range 1M..2B log\n")
	b.WriteString("reads = 5 /day\nposts = 1 /day\npost = 1 KB\npeak = 3\n")
	b.WriteString("photo = 5 MB\nshare = 10%\nper_server = 1K req/s\nheadroom = 30%\nprice = $0.023/GB/month\n")
	b.WriteString("f0 := dau * reads as req/s\n")
	for i := 1; i < 40; i++ {
		prev := "f" + strconv.Itoa(i-1)
		switch i % 4 {
		case 0:
			b.WriteString("f" + strconv.Itoa(i) + " := f0 * peak + " + "f" + strconv.Itoa(i-4) + " as req/s\n")
		case 1:
			b.WriteString("f" + strconv.Itoa(i) + " := " + prev + " * share * photo as GB/s\n")
		case 2:
			b.WriteString("f" + strconv.Itoa(i) + " := " + prev + " * month * price\n")
		case 3:
			b.WriteString("f" + strconv.Itoa(i) + " := servers(dau * reads, per_server, headroom, 3) + f" + strconv.Itoa(i-3) + " / (1 req/s)\n")
		}
	}
	return b.String()
}

func BenchmarkParse(b *testing.B) {
	src := sheet50()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEval50(b *testing.B) {
	s, err := Parse(sheet50())
	if err != nil {
		b.Fatal(err)
	}
	if len(s.Cells) != 50 {
		b.Fatalf("sheet has %d cells, want 50", len(s.Cells))
	}
	ov := map[string]string{"dau": "1B users"}
	if r := s.Eval(ov); len(r.Errors) > 0 {
		b.Fatal(r.Errors)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Eval(nil)
	}
}

func BenchmarkEval50Override(b *testing.B) {
	s, err := Parse(sheet50())
	if err != nil {
		b.Fatal(err)
	}
	ov := map[string]string{"dau": "1B users"}
	b.ReportAllocs()
	for b.Loop() {
		s.Eval(ov)
	}
}

func BenchmarkFormat(b *testing.B) {
	q, err := ParseQuantity("8.68 GB/s")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = q.String()
	}
}

// BenchmarkEval50Ranges is BenchmarkEval50 with two of the inputs given as
// ranges: every figure's bounds come from the corners and samples.
func BenchmarkEval50Ranges(b *testing.B) {
	s, err := Parse(sheet50())
	if err != nil {
		b.Fatal(err)
	}
	ov := map[string]string{"dau": "200M..400M users", "reads": "3..8 /day"}
	if r := s.Eval(ov); len(r.Errors) > 0 || r.Get("dau").Range == "" {
		b.Fatal(r.Errors)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Eval(ov)
	}
}

// BenchmarkSensitivity50 ranks every input of the 50-cell sheet for its
// last cell, the page's tornado.
func BenchmarkSensitivity50(b *testing.B) {
	s, err := Parse(sheet50())
	if err != nil {
		b.Fatal(err)
	}
	last := s.Cells[len(s.Cells)-1].Name
	if sw, err := s.Sensitivity(nil, last, 0.1); err != nil || len(sw) == 0 {
		b.Fatal(err, len(sw))
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Sensitivity(nil, last, 0.1)
	}
}
