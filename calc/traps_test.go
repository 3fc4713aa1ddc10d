package calc

import (
	"strings"
	"testing"
)

// TestTraps holds the expressions that once gave a silent wrong answer or
// a misleading message (issue 15's list). Each must now give the right
// value or an error that says what to write.
func TestTraps(t *testing.T) {
	cases := []struct {
		expr string
		want string // the value as shown, or "error: …" for part of the message
	}{
		// A digit-group comma inside a call is never read silently.
		{"max(100,200)", `error: "100,200" in the arguments of max`},
		{"min(1,234)", `error: "1,234" in the arguments of min`},
		{"max(2, min(1,000, 5))", `error: "1,000" in the arguments of min`},
		{"max(100, 200)", "200"},
		{"1,000 * 3", "3K"},
		// The branch a constant condition does not take is not evaluated.
		{"if(0 > 0, 1/0, 0)", "0"},
		{"if(1, 5, 1/0)", "5"},
		{"if(0, 1 MB / 0, 3 MB)", "3 MB"},
		{"if(1 > 0, 1/0, 0)", "error: division by zero"},
		// Rounding forgives float noise only, not real fractions.
		{"ceil(1.0000000001)", "2"},
		{"floor(2.9999999999)", "2"},
		{"ceil(700 / (1000 * 0.7))", "1"},
		{"servers(700 req/s, 1000 req/s, 30%)", "1"},
		{"ceil(1 day / 1 s / 86400)", "1"},
		{"floor(3 * (0.1 + 0.2) / 0.3)", "3"},
		// Bits and bytes: never a silent guess eight times off.
		{"1 Gb/s", "1 Gbit/s"},
		{"1 Gb/s as Mbps", "1 Gbps"},
		{"1 Gb/s as exactly Mbps", "1K Mbps"},
		{"5 Gb", `error: "Gb" could mean gigabits or gigabytes`},
		{"5 kb", `error: "kb" could mean kilobits or kilobytes`},
		{"10 Gb / s", `error: "Gb" could mean gigabits or gigabytes`},
		{"1 MBps", "1 MB/s"},
		{"2 GBps * 1 s", "2 GB"},
		{"5K qps * 1 day", `error: unknown unit "qps": write req/s (or /s)`},
		{"5 Mbyte", `error: unknown unit "Mbyte"`},
		{"5 GBs", `error: unknown unit "GBs" — did you mean "GB"?`},
		// Messages that said the wrong thing.
		{"1 GB as Gbps", "error: to get a rate, divide by a time (such as / 1 month)"},
		{"20% of 5M", `error: "20% of 5M": write 20% * 5M`},
		{"ceiling(2)", `error: unknown function "ceiling" — did you mean "ceil"?`},
		// Precedence: a unit written tight to its number binds first.
		{"1 GB / 100 MB/s", "10 s"},
		{"1 GB / 100 MB / s", "10/s"},
		// Money written with its sign after the dollar.
		{"$-5", "-$5"},
		{"$-5 + $10", "$5"},
	}
	for _, c := range cases {
		q, err := EvalExpr(c.expr)
		got := ""
		if err != nil {
			got = "error: " + err.Error()
		} else {
			got = q.String()
		}
		if msg, isErr := strings.CutPrefix(c.want, "error: "); isErr {
			if !strings.Contains(got, msg) {
				t.Errorf("%s = %q, want an error containing %q", c.expr, got, msg)
			}
		} else if got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
	}
}
