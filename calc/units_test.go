package calc

import (
	"strings"
	"testing"
)

// unitSheet defines units after the lines that use them, as a site's
// units come after a sheet's own text.
const unitSheet = `have = 3 racks           "Racks"
one = 1 rack
frame_time = 2 frames
cost = 5 EUR
rate = 3 req/rack
page_size = 1 pg4k
need := 200 servers as racks
need_one := 42 servers as racks
fps := 1 s as frames
index := 1 GiB as pg4k
bill := cost * 3
usd := $100 as EUR
total := have * 2
per_page := 1 GB / 2 pg4k/s
servers_in := have as servers
mix := 10 req/rack * 3 racks
spend := $100 * 3 racks
unit rack = 42 servers
unit frame = s / 30
unit pg4k = 4 KiB
unit EUR = $1.08
`

func TestSheetUnits(t *testing.T) {
	s, err := Parse(unitSheet)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Eval(nil)
	for _, tt := range []struct {
		cell, text string
		value      float64
	}{
		{"have", "3 racks", 126},                    // after a number: the value is in base units (servers)
		{"one", "1 rack", 42},                       // singular for exactly one
		{"frame_time", "2 frames", 2.0 / 30},        // a time unit keeps its own name, never "66.7 ms"
		{"cost", "5 EUR", 5.4},                      // money; a capitalised name has no plural
		{"rate", "3 req/rack", 3.0 / 42},            // after a slash, with the noun kept
		{"page_size", "1 pg4k", 4096},               // a name with a digit
		{"need", "4.76 racks", 200},                 // as: the noun gives way to the unit
		{"need_one", "1 rack", 42},                  // as, singular
		{"fps", "30 frames", 1},                     // as, time
		{"index", "262K pg4ks", 1 << 30},            // as, information
		{"bill", "15 EUR", 16.2},                    // a literal's unit follows arithmetic
		{"usd", "92.6 EUR", 100},                    // dollars shown in the sheet's currency
		{"total", "6 racks", 252},                   // racks × 2 is still racks
		{"per_page", "1.41 days", 1e9 / (2 * 4096)}, // a rate of pages, written tight, binds like MB/s
		{"servers_in", "126 servers", 126},          // and back to the noun
		{"mix", "30", 30},                           // racks are not a plain number: req/rack does not survive
		{"spend", "$12.6K", 12600},                  // nor does a count in racks scale dollars' display
	} {
		c := r.Get(tt.cell)
		if c.Err != nil || c.Text != tt.text || !near(c.Value, tt.value) {
			t.Errorf("%s = %q (%g, %v), want %q (%g)", tt.cell, c.Text, c.Value, c.Err, tt.text, tt.value)
		}
	}
	// A reader types in the sheet's units, singular or plural, ranges too.
	r = s.Eval(map[string]string{"have": "1 rack", "cost": "2..3 EUR", "frame_time": "1.5 frame"})
	for _, tt := range []struct{ cell, text string }{
		{"have", "1 rack"}, {"total", "2 racks"}, {"cost", "2.5 EUR"}, {"frame_time", "1.5 frames"},
	} {
		if c := r.Get(tt.cell); c.Err != nil || c.Text != tt.text {
			t.Errorf("with overrides, %s = %q (%v), want %q", tt.cell, c.Text, c.Err, tt.text)
		}
	}
	if c := r.Get("bill"); c.Range != "6–9 EUR" {
		t.Errorf("bill's range is %q, want 6–9 EUR", c.Range)
	}
	// An override in a unit of another dimension is refused, as for any unit.
	if c := s.Eval(map[string]string{"have": "3 frames"}).Get("have"); c.Err == nil {
		t.Errorf("racks = 3 frames was accepted: %q", c.Text)
	}
}

// TestUnitScope: a sheet's units are its own. A sheet without them, a
// constant expression and ParseQuantity do not know them; a sheet's
// extension (the prose's figures) does.
func TestUnitScope(t *testing.T) {
	s, err := Parse("unit rack = 42 servers\nn = 2 racks\n")
	if err != nil {
		t.Fatal(err)
	}
	x, err := s.Extend("fig := n * 2 as racks hidden\nmore := 1 rack\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := x.Eval(nil).Get("fig").Text; got != "4 racks" {
		t.Errorf("extended sheet: %q, want 4 racks", got)
	}
	if _, err := Parse("n = 2 racks\n"); err == nil || !strings.Contains(err.Error(), `unknown unit "racks"`) {
		t.Errorf("another sheet knows racks: %v", err)
	}
	if _, err := EvalExpr("2 racks"); err == nil {
		t.Error("EvalExpr knows a sheet's unit")
	}
	if _, err := ParseQuantity("2 racks"); err == nil {
		t.Error("ParseQuantity knows a sheet's unit")
	}
	// Sheets with no lines, or a blank one, parse as before.
	for _, src := range []string{"", "\n", " ", "x = 1"} {
		if _, err := Parse(src); err != nil {
			t.Errorf("Parse(%q): %v", src, err)
		}
	}
	// A cell cannot take a unit's name, singular or plural.
	if _, err := Parse("unit rack = 42 servers\nracks := 5\n"); err == nil || !strings.Contains(err.Error(), `"racks" is a unit`) {
		t.Errorf("a cell named like a unit: %v", err)
	}
}

// EvalExprIn knows a sheet's nouns and units, not its cells, and reads
// what EvalExpr reads.
func TestEvalExprIn(t *testing.T) {
	s, err := Parse("nouns: shards\nunit rack = 42 servers\nn = 2 racks\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ expr, want, err string }{
		{"3 racks as servers", "126 servers", ""},
		{"10 shards * 2", "20 shards", ""},
		{"300M / day as /s", "", ""}, // as EvalExpr says
		{"n * 2", "", `unknown`},
		{"2 racks\n", "", "single line"},
	} {
		q, err := EvalExprIn(s, tc.expr)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: %v, want an error with %q", tc.expr, err, tc.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.expr, err)
		case tc.want == "":
			plain, err := EvalExpr(tc.expr)
			if err != nil || plain.String() != q.String() {
				t.Errorf("%q: %s, EvalExpr says %s (%v)", tc.expr, q, plain, err)
			}
		case q.String() != tc.want:
			t.Errorf("%q = %s, want %s", tc.expr, q, tc.want)
		}
	}
}

func TestUnitErrors(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		want      []string
	}{
		{"a built-in unit", "unit GB = 5 B\n", []string{`1:6: "GB" is a built-in unit or a word of calc's own; choose another name for the unit`}},
		{"a built-in unit as the plural", "unit hour_ = 1 h\nunit hr = 60 min\n", []string{`2:6: "hr" is a built-in unit`}},
		{"a count noun", "unit page = 4 KiB\n", []string{`1:6: "page" is a count noun; choose another name for the unit`}},
		{"a declared noun", "nouns: racks\nunit rack = 42 servers\n", []string{`2:6: "racks" is a count noun`}},
		{"a suffix", "unit K = 5\n", []string{`1:6: "K" is a built-in unit or a word of calc's own`}},
		{"a keyword", "unit per = 5 B\n", []string{`1:6: "per" is a built-in unit or a word of calc's own`}},
		{"an unknown unit", "unit rack = 42 srvers\n", []string{`1:16: unknown unit "srvers" — did you mean "servers"?`}},
		{"a cycle", "unit a = 2 b\nunit b = 3 a\nx = 1 a\n", []string{
			`1:6: cycle: unit a uses b, and the units they use lead back in a circle; define one of them in built-in units`,
			`2:6: cycle: unit b uses a`}},
		{"a unit of itself", "unit rack = 2 racks\n", []string{`1:6: cycle: unit rack uses rack`}},
		{"a name that is not a word", "unit 4k = 4 KB\n", []string{`1:6: a unit's name is a word of letters, digits and _, starting with a letter`}},
		{"a dotted name", "unit a.b = 4 KB\n", []string{`1:6: a unit's name is a word`}},
		{"no definition", "unit widget\n", []string{`1:12: a unit needs = and its size in other units (unit rack = 42 servers); a word that only counts things is a count noun (nouns: widgets)`}},
		{"a plain 1", "unit widget = 1\n", []string{`1:15: unit widget is a plain 1: a word that counts things is a count noun; declare it with nouns: widget`}},
		{"a count of 1", "unit widget = 1 item\n", []string{`1:15: unit widget is a plain 1`}},
		{"not positive", "unit debt = -5 B\n", []string{`1:13: a unit must be a positive amount`}},
		{"zero", "unit nothing = 0 B\n", []string{`1:16: a unit must be a positive amount`}},
		{"defined twice", "unit rack = 42 servers\nunit racks = 40 servers\n", []string{`2:6: a unit of this name is defined twice`}},
		{"text after", "unit rack = 42 servers \"Rack\"\n", []string{`1:24: unexpected text after the unit's definition`}},
		{"a misspelt use", "unit rack = 42 servers\nx = 3 rakcs\n", []string{`2:7: unknown unit "rakcs" — did you mean "racks"?`}},
		{"a cell in a definition", "n = 2\nunit x = n * 1 B\n", []string{`2:10: unknown name "n"`}},
		{"a lexing error is reported once", "unit x = 5 B §\nunit y = 2 B\n", []string{`1:14: unexpected character "§"`}},
	} {
		_, err := Parse(tt.src)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		list := err.(ErrorList)
		if len(list) != len(tt.want) {
			t.Errorf("%s: %d errors, want %d: %v", tt.name, len(list), len(tt.want), err)
			continue
		}
		for i, e := range list {
			if got := e.Error(); !strings.HasPrefix(got, tt.want[i]) {
				t.Errorf("%s: error %d is\n  %s\nwant\n  %s", tt.name, i, got, tt.want[i])
			}
		}
	}
}

// TestUnitLiteralLends: a figure lent to another sheet in a unit of the
// lender's own is written in base units, which every sheet reads.
func TestUnitLiteralLends(t *testing.T) {
	s, err := Parse("unit rack = 42 servers\nn := 84 as racks\nm := 2 GB as GB\n")
	if err != nil {
		t.Fatal(err)
	}
	r := s.Eval(nil)
	for cell, want := range map[string]string{"n": "84", "m": "2e+09 B as GB"} {
		if got, _ := s.Literal(r, cell); got != want {
			t.Errorf("Literal(%s) = %q, want %q", cell, got, want)
		}
	}
}
