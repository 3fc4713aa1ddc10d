package calc

import (
	"os"
	"strings"
	"testing"
)

// TestReferenceDocumentsFunctions fails when a registered function has no
// "### name(" section in the authors' reference, so the library and its
// documentation cannot drift apart.
func TestReferenceDocumentsFunctions(t *testing.T) {
	b, err := os.ReadFile("../content/reference/calculators.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, f := range Funcs() {
		if !strings.Contains(doc, "\n### "+f.Name+"(") {
			t.Errorf("content/reference/calculators.md has no \"### %s(\" section", f.Name)
		}
	}
	for _, want := range []string{"title: Writing calculators", "## Calculators in a page", "### Figures in the prose", "{{input "} {
		if !strings.Contains(doc, want) {
			t.Errorf("reference lacks %q", want)
		}
	}
}

// TestReferenceExamples evaluates the "expression → result" examples the
// reference shows, so the page cannot quote a wrong figure.
func TestReferenceExamples(t *testing.T) {
	b, err := os.ReadFile("../content/reference/calculators.md")
	if err != nil {
		t.Fatal(err)
	}
	n, units := 0, 0
	// A section's "unit" lines, shown in a code block, are the definitions
	// its examples use: they are evaluated in a sheet that defines them.
	defs, fence := "", false
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			fence = !fence
		case fence && strings.HasPrefix(line, "unit "):
			defs += line + "\n"
		case !fence && strings.HasPrefix(line, "#"):
			defs = ""
		}
		// Rows such as: | `300M * 5 / day` | `17.4K/s` |
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cols := strings.Split(line, "|")
		if len(cols) < 4 {
			continue
		}
		in := strings.Trim(strings.TrimSpace(cols[1]), "`")
		want := strings.Trim(strings.TrimSpace(cols[2]), "`")
		if !strings.HasPrefix(strings.TrimSpace(cols[2]), "`") {
			continue
		}
		n++
		if defs != "" {
			units++
			s, err := Parse(defs + "x := " + in + "\n")
			if err != nil {
				t.Errorf("%s (with %q): %v, want %s", in, defs, err, want)
			} else if got := s.Eval(nil).Get("x").Text; got != want {
				t.Errorf("reference says %s = %s, engine gives %s (with its units)", in, want, got)
			}
			continue
		}
		q, err := EvalExpr(in)
		if err != nil {
			t.Errorf("%s: %v, want %s", in, err, want)
			continue
		}
		if q.String() != want {
			t.Errorf("reference says %s = %s, engine gives %s", in, want, q)
		}
	}
	if n < 20 {
		t.Errorf("only %d examples found in the reference", n)
	}
	if units < 8 {
		t.Errorf("only %d examples of units of a sheet's own found in the reference", units)
	}
}
