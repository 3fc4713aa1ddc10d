package calc

import (
	"math"
	"testing"
)

// near reports whether got is within a relative 1e-9 of want.
func near(got, want float64) bool {
	if want == 0 {
		return math.Abs(got) < 1e-12
	}
	return math.Abs(got-want) <= 1e-9*math.Abs(want)
}

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in   string
		v    float64 // base units
		dim  Dim
		text string // String()
	}{
		{"300M users", 300e6, dimCount, "300M users"},
		{"1.5B", 1.5e9, dimCount, "1.5B"},          // attached B is billion
		{"1.5 B", 1.5, dimInfo, "1.5 B"},           // spaced B is bytes
		{"1.5B bytes", 1.5e9, dimInfo, "1.5 GB"},   // billion bytes
		{"1.5 GB", 1.5e9, dimInfo, "1.5 GB"},       //
		{"5MB", 5e6, dimInfo, "5 MB"},              // attached unit
		{"17.5K", 17500, dimCount, "17.5K"},        //
		{"17.5k", 17500, dimCount, "17.5K"},        // lowercase k
		{"2T", 2e12, dimCount, "2T"},               //
		{"2e9", 2e9, dimCount, "2B"},               //
		{"1,000,000", 1e6, dimCount, "1M"},         // thousands separators
		{"25%", 0.25, dimCount, "25%"},             //
		{"1/10", 0.1, dimCount, "0.1"},             // just division
		{"2 * 3 KB", 6000, dimInfo, "6 KB"},        // constant arithmetic
		{"5 µs", 5e-6, dimTime, "5 µs"},            //
		{"5 μs", 5e-6, dimTime, "5 µs"},            // Greek mu
		{"5 us", 5e-6, dimTime, "5 µs"},            //
		{"1 KiB", 1024, dimInfo, "1 KiB"},          //
		{"1500 KiB", 1536000, dimInfo, "1.46 MiB"}, // 1,536,000/1,048,576 = 1.46
		{"1020 KiB", 1044480, dimInfo, "1020 KiB"}, // below 1024 stays in KiB
		{"64 bits", 8, dimInfo, "64 bits"},         //
		{"1500 Mbps", 187.5e6, dimBandwidth, "1.5 Gbps"},
		{"100 MB/s", 100e6, dimBandwidth, "100 MB/s"},
		{"5 /day", 5 / 86400.0, dimRate, "5/day"},
		{"3 req/s", 3, dimRate, "3 req/s"},
		{"10 req per day", 10 / 86400.0, dimRate, "10 req/day"},
		{"$0.023/GB/month", 0.023 / (1e9 * 2629746), dimStorePx, "$0.023/GB/month"},
		{"$1234.5", 1234.5, dimMoney, "$1.23K"},
		{"5 USD", 5, dimMoney, "$5"},
		{"$0.0816/h", 0.0816 / 3600, dimCostRate, "$0.0816/h"},
		{"1 month", 2629746, dimTime, "30.4 days"}, // 365.2425/12 days
		{"1 year", 31556952, dimTime, "1 year"},
		{"90 min", 5400, dimTime, "1.5 h"},
		{"-5 MB", -5e6, dimInfo, "-5 MB"},
		{"0", 0, dimCount, "0"},
		{"-0", 0, dimCount, "0"},
		{"1.2×10⁻⁹", 1.2e-9, dimCount, "1.2×10⁻⁹"},
		{"3×10¹⁵", 3e15, dimCount, "3×10¹⁵"},
		{".5", 0.5, dimCount, "0.5"},
		{"1.5K%", 15, dimCount, "1.5K%"},
		{"5 TB/month", 5e12 / 2629746, dimBandwidth, "5 TB/month"},
		{"5000 GB/month", 5e12 / 2629746, dimBandwidth, "5 TB/month"},
		{"1 Gbit", 1.25e8, dimInfo, "1 Gbit"},
		{"8 s²", 8, Dim{Time: 2}, "8 s²"},
	}
	for _, tt := range tests {
		q, err := ParseQuantity(tt.in)
		if err != nil {
			t.Errorf("ParseQuantity(%q): %v", tt.in, err)
			continue
		}
		if !near(q.Value(), tt.v) || q.Dim() != tt.dim {
			t.Errorf("ParseQuantity(%q) = %g %v, want %g %v", tt.in, q.Value(), q.Dim(), tt.v, tt.dim)
		}
		if got := q.String(); got != tt.text {
			t.Errorf("ParseQuantity(%q).String() = %q, want %q", tt.in, got, tt.text)
		}
	}
}

func TestParseQuantityErrors(t *testing.T) {
	tests := []struct{ in, err string }{
		{"5 MBs", `1:3: unknown unit "MBs" — did you mean "MB"?`},
		{"5 K", `1:3: write the K right after the number, without a space (5K)`},
		{"5 widgets", `1:3: unknown unit "widgets" (declare count nouns with a line such as "nouns: widgets")`},
		{"1e999", `1:1: number 1e999 is out of range`},
		{"1e300 EB", `1:1: the value is out of range (beyond 10²⁰⁰ or below 10⁻²⁰⁰ base units)`},
		{"5 MB as GB", `1:6: "as" is not allowed in a value`},
		{"dau", `1:1: unknown name "dau" — did you mean "day"?`},
		{"", `1:1: expected a value`},
		{"5 @", `1:3: unexpected character "@"`},
		{"5 MB 3", `1:6: expected an operator before 3`},
		{"1,00", `1:2: unexpected ","`},
	}
	for _, tt := range tests {
		_, err := ParseQuantity(tt.in)
		if err == nil || err.Error() != tt.err {
			t.Errorf("ParseQuantity(%q) error = %v, want %q", tt.in, err, tt.err)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct{ in, want string }{
		// Zero, negatives, tiny and huge.
		{"0 * 1 MB", "0 B"},
		{"0 / s", "0/s"},
		{"-17361", "-17.4K"},
		{"-$1234", "-$1.23K"},
		{"0.00347", "0.00347"},
		{"0.000347", "3.47×10⁻⁴"},
		{"1e-12 s", "0.001 ns"},
		{"1e-13 s", "1×10⁻⁴ ns"},
		{"999.7", "1K"},
		{"999.4", "999"},
		{"1e15", "1×10¹⁵"},
		{"999T", "999T"},
		{"1.2e21 B", "1.2×10²¹ B"},
		{"999 EB", "999 EB"},
		{"100", "100"},
		{"5.00 MB", "5 MB"},
		{"1.5e-3 B", "0.0015 B"},
		// Each automatic family.
		{"300M * 5 / day", "17.4K/s"},
		{"2 / hour", "2/hour"},        // a literal keeps the unit it is written in
		{"1 / (2 day)", "15.2/month"}, // 0.5/day × 30.44 days
		{"3 / year", "3/year"},
		{"read := 300M * 5 / day * 10% * 5 MB", ""}, // placeholder skipped below
		{"1 KB * 8.68M / s", "8.68 GB/s"},
		{"0.5 B / s", "0.5 B/s"},
		{"52.56 min", "52.6 min"},
		{"36 h", "1.5 days"},
		{"1 day", "1 day"},
		{"400 ms", "400 ms"},
		{"4000 years", "4K years"},
		{"$1234 / month", "$1.23K/month"},
		{"$0.09 / GB", "$0.09/GB"},
		{"5 MB * 1 s", "5M B·s"},
		{"1 / s / s", "1/s/s"},
		{"1 / (1 s * 1 s)", "1/s²"},
		{"$2 * 1 GB", "$2B B"},
		// as units.
		{"300M * 5 / day as req/s", "17.4K req/s"},
		{"8.68 GB/s as Gbps", "69.4 Gbps"},
		{"300e6 * 1 KB / day as TB/month", "9.13 TB/month"},
		{"17.4K / s as /s", "17.4K/s"},
		{"17.4K / s as /day", "1.5B/day"},
		{"0.25 as %", "25%"},
		{"0.999 as %", "99.9%"},
		{"0.99999 as %", "99.999%"},
		{"0.95123 as %", "95.12%"},
		{"1.5 as %", "150%"},
		{"90 min as h", "1.5 h"},
		{"5 MB as KiB", "4.77 MiB"},
		{"5 MB as exactly KiB", "4.88K KiB"},
		{"1 TB as GB", "1 TB"},
		{"1 TB as exactly GB", "1K GB"},
		{"0.00548 PB as PB", "5.48 TB"},
		{"1000 B as B", "1 KB"},
		{"2310 MB/s as MB/s", "2.31 GB/s"},
		{"0.00579 GB/s as GB/s", "5.79 MB/s"},
		{"1200 ms as ms", "1.2 s"},
		{"1200 ms as exactly ms", "1.2K ms"},
		{"72 h as h", "72 h"},
		{"$0.023/GB/month * 1 TB as $/month", "$23/month"},
		{"3 as users", "3 users"},
		{"52.1K req/s as req/min", "3.13M req/min"},
	}
	for _, tt := range tests {
		if tt.want == "" {
			continue
		}
		q, err := EvalExpr(tt.in)
		if err != nil {
			t.Errorf("EvalExpr(%q): %v", tt.in, err)
			continue
		}
		if got := q.String(); got != tt.want {
			t.Errorf("EvalExpr(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestQuantityFormatAndIn(t *testing.T) {
	q, err := EvalExpr("300M * 5 / day")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := q.Format("req/min"); err != nil || s != "1.04M req/min" { // 17,361×60 = 1.04M
		t.Errorf("Format(req/min) = %q, %v", s, err)
	}
	if s, err := q.Format("/s"); err != nil || s != "17.4K/s" {
		t.Errorf("Format(/s) = %q, %v", s, err)
	}
	if _, err := q.Format("GB/s"); err == nil || err.Error() != "1:1: cannot show 17.4K/s as GB/s: it is a rate (1/time), GB/s is bandwidth (information/time)" {
		t.Errorf("Format(GB/s) error = %v", err)
	}
	if v, err := q.In("/day"); err != nil || !near(v, 1.5e9) {
		t.Errorf("In(/day) = %g, %v", v, err)
	}
	if _, err := q.Format("GB/"); err == nil {
		t.Error("Format(GB/) succeeded")
	}
	w := q.WithValue(1)
	if w.String() != "1/s" || q.Value() == 1 {
		t.Errorf("WithValue: %q", w.String())
	}
	p, _ := ParseQuantity("5 /day")
	if p.Unit() != "/day" || p.WithValue(10/86400.0).String() != "10/day" {
		t.Errorf("input unit %q, WithValue %q", p.Unit(), p.WithValue(10/86400.0).String())
	}
	u, _ := ParseQuantity("300M users")
	if u.Noun() != "users" || u.Unit() != "" {
		t.Errorf("noun %q unit %q", u.Noun(), u.Unit())
	}
}

func TestDimString(t *testing.T) {
	tests := []struct {
		d          Dim
		name, long string
	}{
		{dimCount, "count", "a count (no unit)"},
		{dimRate, "rate", "a rate (1/time)"},
		{dimBandwidth, "bandwidth", "bandwidth (information/time)"},
		{dimInfo, "information", "information"},
		{dimTime, "time", "a time"},
		{dimStorePx, "storage price", "a storage price (money/information/time)"},
		{Dim{Time: 1, Info: 1}, "information·time", "information·time"},
		{Dim{Time: -2}, "1/time²", "1/time²"},
	}
	for _, tt := range tests {
		if tt.d.String() != tt.name || tt.d.describe() != tt.long {
			t.Errorf("%v: %q, %q", tt.d, tt.d.String(), tt.d.describe())
		}
	}
}

// TestLowerCaseKilobyte: "kB" is the SI spelling of a kilobyte, 1,000 bytes
// like "KB" (it once parsed as one byte).
func TestLowerCaseKilobyte(t *testing.T) {
	for _, s := range []string{"1 kB", "1 KB"} {
		q, err := ParseQuantity(s)
		if err != nil || q.Value() != 1000 {
			t.Errorf("ParseQuantity(%q) = %v bytes, %v; want 1000", s, q.Value(), err)
		}
	}
}
