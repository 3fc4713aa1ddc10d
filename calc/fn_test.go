package calc

import (
	"strings"
	"testing"
)

// TestFunctions checks every library function against figures worked out by
// hand (the working is in the comment).
func TestFunctions(t *testing.T) {
	tests := []struct{ in, want string }{
		{"min(3, 5, 2)", "2"},
		{"min(3 users, 5 users)", "3 users"}, // a shared noun survives
		{"max(5 MB, 1 KB)", "5 MB"},
		{"max(2)", "2"},
		{"clamp(15, 0, 10)", "10"},
		{"clamp(-1 MB, 0 MB, 10 MB)", "0 B"},
		{"abs(-5 MB)", "5 MB"},
		{"ceil(2.1)", "3"},
		{"ceil(0.7 / 0.7)", "1"},      // no float noise: exactly one
		{"ceil(7 / (10 * 0.7))", "1"}, // 0.99999… rounds up to 1 only once
		{"floor(2.9)", "2"},
		{"floor(-2.1)", "-3"},
		{"round(2.5)", "3"},
		{"round(17361, 2)", "17K"},                       // 2 significant figures
		{"round(52083 req/s, 1)", "50K req/s"},           // keeps the unit
		{"round(0.001234, 2)", "0.0012"},                 //
		{"log2(1024)", "10"},                             //
		{"log10(1M)", "6"},                               //
		{"ln(exp(2))", "2"},                              //
		{"exp(1)", "2.72"},                               //
		{"sqrt(16)", "4"},                                //
		{"sqrt(1 s * 4 s)", "2 s"},                       // dimension halves
		{"pow(2, 10)", "1.02K"},                          // 1024
		{"pow(3 MB, 2) / 1 MB", "9 MB"},                  //
		{"if(0, 1, 2)", "2"},                             //
		{"if(1 > 0, 5 MB, 0)", "5 MB"},                   //
		{"servers(52083 req/s, 1K req/s, 30%, 3)", "75"}, // 52,083/700 = 74.4 → 75, a multiple of 3
		{"servers(100 req/s, 10 req/s)", "10"},           // 100/10 exactly
		{"servers(0 req/s, 10 req/s, 0%, 3)", "3"},       // at least one per zone
		{"servers(700 req/s, 1K req/s, 30%)", "1"},       // 700/700 = 1 despite float noise
		{"servers(1001 req/s, 1K req/s, 0%, 2)", "2"},    // 1.001 → 2, already even
		{"servers(2001, 1000, 0, 2)", "4"},               // 2.001 → 3 → round up to 4
		{"servers(10 GB, 2 GB)", "5"},                    // any dimension, same on both
		{"downtime(99.99%, year)", "52.6 min"},           // 1e-4 × 31,556,952 s = 3,155.7 s
		{"downtime(99.99%)", "52.6 min"},                 // a year by default
		{"downtime(99.99%, week) as s", "60.5 s"},        // 1e-4 × 604,800 s = 60.48 s
		{"downtime(99.9%, day)", "1.44 min"},             // 86.4 s
		{"downtime(99.9%, month)", "43.8 min"},           // 1e-3 × 2,629,746 s = 2,629.7 s
		{"downtime(99.999%, year)", "5.26 min"},          // 315.6 s
		{"downtime(nines(4), 30 day)", "4.32 min"},       // 1e-4 × 2,592,000 s = 259.2 s
		{"nines(3)", "99.9%"},                            //
		{"nines(5)", "99.999%"},                          //
		{"serial(99.9%, 99.9%)", "99.8%"},                // 0.999² = 0.998001
		{"parallel(99.9%, 99.9%)", "99.9999%"},           // 1 − 0.001² = 0.999999
		{"replicas(99%, 3)", "99.9999%"},                 // 1 − 0.01³
		{"little(20K req/s, 200 ms)", "4K"},              // 20,000 × 0.2 s
		{"keylen(365B)", "7"},                            // 62⁶ = 5.7e10 < 3.65e11 ≤ 62⁷ = 3.5e12
		{"keylen(1M, 2)", "20"},                          // 2²⁰ = 1,048,576
		{"keylen(68.7B, 64)", "6"},                       // 64⁶ = 68,719,476,736
		{"keylen(1)", "1"},                               //
		{"partitions(500 GB, 6000, 2000)", "47"},         // 500e9 / 10 GiB = 46.6 → 47 > 6000/3000 + 2000/1000 = 4
		{"partitions(5 GB, 10K /s, 3K /s)", "7"},         // 10,000/3,000 + 3,000/1,000 = 6.33 → 7
		{"partitions(0 B, 0, 0)", "1"},                   // never fewer than one
		{"cache(1.7B /day, 500 B, 20%)", "170 GB"},       // 1.7e9 × 500 B × 0.2
		{"cache(20K req/s, 1 KB, 20%, 1 h)", "14.4 GB"},  // 20,000 × 3,600 × 1,000 B × 0.2
		// CloudFront: 9 TB × $85 + 40 × $80 + 100 × $60 + 50 × $40 per TB = $11,965
		{"cdn_cost(200 TB/month)", "$12K/month"},
		// … + 350 × $40 + 524 × $30 + 4,096 × $25 + 17,680 × $20 = $495,685
		{"cdn_cost(22.8 PB/month)", "$496K/month"},
		{"cdn_cost(8.68 GB/s)", "$496K/month"}, // the same volume per second
		{"cdn_cost(1 TB/month)", "$0/month"},   // the free terabyte
		{"cdn_cost(2 TB/month)", "$85/month"},  // 1 TB at $0.085/GB
		// 9.9 TB × $90 + 40 × $85 + 100 × $70 + 50 × $50 per TB = $13,791
		{"egress_cost(200 TB/month)", "$13.8K/month"},
		{"egress_cost(100 GB/month)", "$0/month"},
		{"egress_cost(1100 GB/month)", "$90/month"},
	}
	for _, tt := range tests {
		q, err := EvalExpr(tt.in)
		if err != nil {
			t.Errorf("EvalExpr(%q): %v", tt.in, err)
			continue
		}
		if got := q.String(); got != tt.want {
			t.Errorf("EvalExpr(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// The brief's figure for a week at four nines, exactly.
	q, _ := EvalExpr("downtime(99.99%, week)")
	if !near(q.Value(), 60.48) {
		t.Errorf("downtime(99.99%%, week) = %v s, want 60.48", q.Value())
	}
}

func TestFunctionErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"min(1 MB, 1 s)", "1:11: min: all arguments need the same dimension, but 1 MB is information and 1 s is time"},
		{"clamp(5, 10, 1)", "1:1: clamp: lo is greater than hi"},
		{"floor(5 s)", "1:7: floor works on plain numbers, but 5 s is a time; divide by a unit first, e.g. floor(x / 1 GB)"},
		{"round(5 s)", "1:7: round works on plain numbers, but 5 s is a time; divide by a unit first, e.g. round(x / 1 GB)"},
		{"log2(0)", "1:1: log2 needs a positive number"},
		{"ln(5 MB)", "1:4: ln: the argument must be a plain number, but 5 MB is information"},
		{"sqrt(5 MB)", "1:6: sqrt: 5 MB is information, which has no square root"},
		{"servers(1, 0)", "1:1: servers: per_server must be positive"},
		{"servers(1, 1, 100%)", "1:1: servers: headroom must be at least 0% and below 100%"},
		{"servers(1, 1, 0, 2.5)", "1:1: servers: zones must be a whole number of at least 1"},
		{"servers(-1, 1)", "1:1: servers: load must not be negative"},
		{"servers(1, 1, 5 MB)", "1:15: servers: headroom must be a plain number, but 5 MB is information"},
		{"downtime(150%, year)", "1:1: downtime: an availability must be between 0% and 100%"},
		{"downtime(99%, 5 MB)", "1:15: downtime: the period must be a time (e.g. year, month, week or day), but 5 MB is information"},
		{"downtime(5 s, year)", "1:10: downtime: the availability must be a plain number, but 5 s is a time"},
		{"nines(20)", "1:1: nines: the count of nines must be between 0 and 15"},
		{"serial(99%, 2)", "1:1: serial: an availability must be between 0% and 100%"},
		{"parallel(-1)", "1:1: parallel: an availability must be between 0% and 100%"},
		{"replicas(99%, 0)", "1:1: replicas: n must be a whole number of at least 1"},
		{"little(5 MB, 1 s)", "1:8: little: the rate must be a rate (1/time) (e.g. 20K req/s), but 5 MB is information"},
		{"little(5 /s, 5)", "1:14: little: the latency must be a time (e.g. 200 ms), but 5 is a count (no unit)"},
		{"keylen(0)", "1:1: keylen: n must be at least 1"},
		{"keylen(10, 1)", "1:1: keylen: the alphabet must be a whole number of at least 2 symbols"},
		{"partitions(5, 1, 1)", "1:12: partitions: the table size must be information (e.g. 500 GB), but 5 is a count (no unit)"},
		{"partitions(5 GB, 1 MB, 1)", "1:18: partitions: rcu must be capacity units, as a count or a rate per second, but 1 MB is information"},
		{"cache(5, 1 KB, 20%)", "1:7: cache: the read rate must be a rate (1/time) (e.g. 20K req/s or 1.7B /day), but 5 is a count (no unit)"},
		{"cache(5 /s, 1 KB, 120%)", "1:1: cache: the hot fraction must be between 0% and 100%"},
		{"cdn_cost(5 GB)", "1:10: cdn_cost: the volume must be bandwidth (information/time) (e.g. 200 TB/month), but 5 GB is information"},
		{"egress_cost(-5 GB/s)", "1:1: egress_cost: the volume must not be negative"},
		{"pow(2 MB, 0.5)", "1:11: a quantity with a unit can only be raised to a constant whole power (such as 2 or 3)"},
		{"if(1, 2)", "1:1: if expects 3 arguments (cond, then, else), got 2"},
		{"min()", "1:1: min expects at least 1 argument (a, b, …), got 0"},
		{"servers", `1:1: "servers" is a function; call it with arguments, e.g. servers(…)`},
	}
	for _, tt := range tests {
		_, err := EvalExpr(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("EvalExpr(%q) error = %v\nwant %q", tt.in, err, tt.want)
		}
	}
}

func TestFuncs(t *testing.T) {
	fs := Funcs()
	n := 0
	for _, table := range funcTables {
		n += len(table)
	}
	if len(fs) != n {
		t.Fatalf("Funcs() has %d entries, registry %d", len(fs), n)
	}
	for i, f := range fs {
		if i > 0 && fs[i-1].Name >= f.Name {
			t.Errorf("not sorted at %s", f.Name)
		}
		if !strings.HasPrefix(f.Signature, f.Name+"(") || f.Doc == "" {
			t.Errorf("%+v", f)
		}
		if d := lookupFunc(f.Name); d == nil || (d.eval == nil && !d.lazy && f.Name != "pow") {
			t.Errorf("%s has no evaluator", f.Name)
		}
	}
}
