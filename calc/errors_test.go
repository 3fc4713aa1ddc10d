package calc

import (
	"errors"
	"strings"
	"testing"
)

// TestParseErrors checks every class of sheet error: its exact message and
// its line:col within the block.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"unknown name with suggestion", "dau = 300M users\nq := dua * 5 /day\n",
			[]string{`2:6: unknown name "dua" — did you mean "dau"?`}},
		{"unknown name without suggestion", "q := zebra * 2\n",
			[]string{`1:6: unknown name "zebra"`}},
		{"cycle", "a := b + 1\nb := c * 2\nc := a\nd := a * 2\n",
			[]string{`1:1: cycle: a → b → c → a`}},
		{"self cycle", "x = 1\n  a := a + x\n",
			[]string{`2:3: cycle: a → a`}},
		{"dimension mismatch in +", "x := 5 MB + 3 req/s\n",
			[]string{`1:11: cannot add 5 MB to 3 req/s (information vs rate)`}},
		{"dimension mismatch in -", "a = 5 MB\nb = 2 s\nx := a - b\n",
			[]string{`3:8: cannot subtract 2 s from 5 MB (information vs time)`}},
		{"dimension mismatch with time hint", "a = 5 MB\nb = 2 MB/s\nx := a + b\n",
			[]string{`3:8: cannot add 5 MB to 2 MB/s (information vs bandwidth); multiply the rate by a time (× 1 day) or divide the total by one`}},
		{"dimension mismatch in as", "dau = 300M\nr = 5 /day\nq := dau * r as GB/s\n",
			[]string{`3:17: cannot show 1.5B/day as GB/s: it is a rate (1/time), GB/s is bandwidth (information/time)`}},
		{"as on a total", "x := 300M * 1 KB / day * month as TB/month\n",
			[]string{`1:35: cannot show 9.13 TB as TB/month: it is information, TB/month is bandwidth (information/time); to get a rate, divide by a time (such as / 1 month) or drop one you multiplied by`}},
		{"comparison mismatch", "x := if(5 MB > 3 s, 1, 2)\n",
			[]string{`1:14: cannot compare 5 MB with 3 s (information vs time)`}},
		{"input referencing a cell", "dau = 300M\nx = dau * 2\n",
			[]string{`2:5: input "x" refers to cell "dau": use := for a formula`}},
		{"bad option", "x = 5 MB rnage 1..2\n",
			[]string{`1:10: unknown option "rnage" — did you mean "range"?`}},
		{"bad option, no suggestion", "x = 5 MB \"label\" colour\n",
			[]string{`1:18: unknown option "colour" (options are range, step, log, help, hidden and likely)`}},
		{"range on a formula", "x := 5 MB * 2 range 1 MB..2 MB\n",
			[]string{`1:15: range applies to inputs only (it sets the slider)`}},
		{"range without ..", "x = 5 range 1 10\n",
			[]string{`1:15: range needs MIN..MAX, e.g. range 1M..2B`}},
		{"range of the wrong dimension", "post = 1 KB range 100..10K\n",
			[]string{`1:19: range 100 is a count (no unit) but post is information; write it with the same kind of unit`,
				`1:24: range 10K is a count (no unit) but post is information; write it with the same kind of unit`}},
		{"default outside range", "x = 20 range 1..10\n",
			[]string{`1:5: the value 20 is outside its range 1..10`}},
		{"help without text", "x = 5 help later\n",
			[]string{`1:12: help needs text in double quotes, e.g. help "How often…"`}},
		{"two labels", "x = 5 \"one\" \"two\"\n",
			[]string{`1:13: a cell has one label; use help "…" for longer text`}},
		{"unterminated string", "x = 5 MB \"Average size\nb = 2\n",
			[]string{`1:10: unterminated string`}},
		{"division by zero in a literal", "x = 1/0\n",
			[]string{`1:6: division by zero in 1/0`}},
		{"unknown unit", "x = 5 MBs\n",
			[]string{`1:7: unknown unit "MBs" — did you mean "MB"?`}},
		{"unknown unit after as", "x := 5 MB * 2 as GBs\n",
			[]string{`1:18: unknown unit "GBs" — did you mean "GB"?`}},
		{"name clashing with a unit", "month = 3\nB := 2\n",
			[]string{`1:1: "month" is a unit; choose another name for the cell, e.g. "n_month"`, `2:1: "B" is a unit; choose another name for the cell, e.g. "n_B"`}},
		{"name clashing with a function", "servers = 3\n",
			[]string{`1:1: "servers" is a function; choose another name for the cell, e.g. "n_servers"`}},
		{"name clashing with a keyword", "range = 3\n",
			[]string{`1:1: "range" is a keyword; choose another name for the cell`}},
		{"name clashing with a suffix", "K = 3\n",
			[]string{`1:1: "K" is a number suffix (as in 5K); choose another name for the cell`}},
		{"duplicate cell", "dau = 3\n\ndau = 4\n",
			[]string{`3:1: duplicate cell "dau" (first defined at 1:1)`}},
		{"wrong arg count", "x := servers(5)\n",
			[]string{`1:6: servers expects 2 to 4 arguments (load, per_server, headroom, zones), got 1`}},
		{"wrong arg count with comma number", "x := pow(2,100)\n",
			[]string{`1:10: "2,100" in the arguments of pow: a comma there separates arguments; write "2, 100" for two of them, or the number without commas (or with K, M, B) for one`}},
		{"comma number in a variadic call", "x := max(100,200)\n",
			[]string{`1:10: "100,200" in the arguments of max: a comma there separates arguments; write "100, 200" for two of them, or the number without commas (or with K, M, B) for one`}},
		{"unknown function", "x := sever(1, 2)\n",
			[]string{`1:6: unknown function "sever" — did you mean "servers"?`}},
		{"log is not a function", "x := log(8)\n",
			[]string{`1:6: unknown function "log"; use ln, log2 or log10`}},
		{"function argument dimension", "x := servers(5 MB, 1K req/s)\n",
			[]string{`1:20: servers: load and per_server need the same dimension, but 5 MB is information and 1K req/s is rate`}},
		{"function needs plain number", "x := ceil(5 MB)\n",
			[]string{`1:11: ceil works on plain numbers, but 5 MB is information; divide by a unit first, e.g. ceil(x / 1 GB)`}},
		{"missing operator", "a = 2\nb := a a\n",
			[]string{`2:8: expected an operator before "a"`}},
		{"spaced suffix", "x = 5 M users\n",
			[]string{`1:7: write the M right after the number, without a space (5M)`}},
		{"missing assignment", "dau 300M\n",
			[]string{`1:5: expected = (input) or := (formula) after "dau"`}},
		{"unexpected character", "x = 5 @ 3\n",
			[]string{`1:7: unexpected character "@"`}},
		{"unclosed paren", "x := (1 + 2\n",
			[]string{`1:6: unclosed (`}},
		{"power with a unit", "a = 2\nx := (5 MB)^a\n",
			[]string{`2:13: a quantity with a unit can only be raised to a constant whole power (such as 2 or 3)`}},
		{"if branches differ", "x := if(1, 5 MB, 3 s)\n",
			[]string{`1:18: if: the branches differ: 5 MB is information, 3 s is a time`}},
		{"bad nouns line", "nouns: MB\n",
			[]string{`1:8: "MB" is a unit, not a count noun`}},
		{"noun used alone", "x := users * 2\n",
			[]string{`1:6: "users" is a count noun; write it after a number, e.g. 1 users`}},
		{"several errors, sorted", "a := nope\nb = 5 MBs\nc := 1 MB + 1 s\n",
			[]string{`1:6: unknown name "nope"`, `2:7: unknown unit "MBs" — did you mean "MB"?`, `3:11: cannot add 1 MB to 1 s (information vs time)`}},
		{"no cascade from a bad cell", "a := nope\nb := a * 2\nc := b + 1 MB\n",
			[]string{`1:6: unknown name "nope"`}},
		{"columns count runes", "x := 5 × 3 ÷ zz\n",
			[]string{`1:14: unknown name "zz"`}},
	}
	for _, tt := range tests {
		s, err := Parse(tt.src)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if s != nil {
			t.Errorf("%s: sheet returned with error", tt.name)
		}
		var list ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%s: error %T is not an ErrorList", tt.name, err)
			continue
		}
		got := strings.Split(err.Error(), "\n")
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
		for _, e := range list {
			if e.Line == 0 || e.Col == 0 {
				t.Errorf("%s: error without position: %v", tt.name, e)
			}
			// The suggestion is a field, printed by Error, not part of Msg.
			if strings.Contains(e.Msg, "did you mean") || strings.ContainsRune(e.Msg, hintMark) {
				t.Errorf("%s: suggestion inside Msg %q", tt.name, e.Msg)
			}
			if strings.Contains(e.Error(), "did you mean") != (e.Suggestion != "") {
				t.Errorf("%s: Suggestion %q but Error() = %q", tt.name, e.Suggestion, e.Error())
			}
		}
	}
}

func TestErrorFormatting(t *testing.T) {
	e := &Error{Line: 3, Col: 7, Msg: "boom"}
	if e.Error() != "3:7: boom" {
		t.Error(e.Error())
	}
	if (&Error{Msg: "no place"}).Error() != "no place" {
		t.Error("positionless error")
	}
	l := ErrorList{e, {Line: 4, Col: 1, Msg: "bang"}}
	if l.Error() != "3:7: boom\n4:1: bang" {
		t.Error(l.Error())
	}
}

func TestEvalExprErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1/0", "1:2: division by zero in 1/0"},
		{"5 MB + 3 req/s", "1:6: cannot add 5 MB to 3 req/s (information vs rate)"},
		{"17.4K / s as GB/s", "1:14: cannot show 17.4K/s as GB/s: it is a rate (1/time), GB/s is bandwidth (information/time)"},
		{"sqrt(-1)", "1:1: sqrt of a negative number"},
		{"2 +", "1:4: expected a value"},
		{"5 MB\n3", "1:5: expected a single line"},
		{"(-8)^0.5", "1:5: this constant is not a finite number"},
		{"1e200 * 1e200", "1:7: this constant is not a finite number"},
		{"5 MB as", "1:8: expected a unit after \"as\", e.g. as GB/s or as req/s"},
		{"round(5, 20)", "1:1: round: the number of significant figures must be between 1 and 15"},
	}
	for _, tt := range tests {
		_, err := EvalExpr(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("EvalExpr(%q) error = %v, want %q", tt.in, err, tt.want)
		}
		var e *Error
		if err != nil && !errors.As(err, &e) {
			t.Errorf("EvalExpr(%q) error is %T", tt.in, err)
		}
	}
}

// TestPathologicalInputs: inputs no estimate needs but a fuzzer or a
// careless paste produces end quickly, in one clear error, without
// exhausting the stack.
func TestPathologicalInputs(t *testing.T) {
	deep := strings.Repeat("(", 1_000_000) + "1" + strings.Repeat(")", 1_000_000)
	negs := strings.Repeat("-", 200) + "1"
	calls := strings.Repeat("abs(", 150) + "1" + strings.Repeat(")", 150)
	long := "1 + " + strings.Repeat("1 + ", 3000) + "1"
	cases := []struct{ name, src, want string }{
		{"a million parentheses", "x := " + deep + "\n", "1:1: a line of 2000003 tokens; split it into cells of at most 4096"},
		{"deep parentheses", "x := " + strings.Repeat("(", 150) + "1" + strings.Repeat(")", 150) + "\n", "nested more than 100 deep"},
		{"many signs", "x := " + negs + "\n", "nested more than 100 deep"},
		{"nested calls", "x := " + calls + "\n", "nested more than 100 deep"},
		{"a megabyte unit", "x = 1 " + strings.Repeat("x", 1<<20) + "\n", "1:7: a name of 1048576 characters; names and units have at most 64"},
		{"a long sum", "x := " + long + "\n", "1:1: a line of 6005 tokens"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.src)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %.300v\nwant %q", err, c.want)
			}
			if n := strings.Count(err.Error(), "\n"); n > 2 {
				t.Errorf("%d lines of errors; want one or two", n+1)
			}
		})
	}
	// EvalExpr, used by `scalebook calc` and the figures in prose, has the
	// same bounds.
	if _, err := EvalExpr(deep); err == nil || !strings.Contains(err.Error(), "tokens") {
		t.Errorf("EvalExpr of a million parentheses: %.200v", err)
	}
}

// TestLongChainIsLinear: a 50,000-cell chain parses and evaluates; each
// cell used to cost a scan of every cell before it.
func TestLongChainIsLinear(t *testing.T) {
	var b strings.Builder
	b.WriteString("c0 = 1\n")
	for i := 1; i < 50_000; i++ {
		b.WriteString("c" + itoa(i) + " := c" + itoa(i-1) + " + 1\n")
	}
	s, err := Parse(b.String())
	if err != nil {
		t.Fatal(err)
	}
	r := s.Eval(nil)
	if got := r.Cells[len(r.Cells)-1].Value; got != 50_000 {
		t.Errorf("last cell = %v, want 50000", got)
	}
}
