package markdown

import (
	"strings"
	"testing"
)

// TestUnclosedFence: a fence without its closing line is one error at its
// opening line, whatever follows; closed fences, including ones inside
// containers and longer closing runs, are fine.
func TestUnclosedFence(t *testing.T) {
	cases := []struct {
		name, src, want string // want "" for no error
	}{
		{"closed", "Text.\n\n```go\nx := 1\n```\n\nMore.\n", ""},
		{"closed with longer run", "````go\nx\n`````\n", ""},
		{"closed by tildes", "~~~\nx\n~~~\n", ""},
		{"closed at end without newline", "```go\nx\n```", ""},
		{"empty closed", "```\n```\n", ""},
		{"in a quote", "> ```go\n> x\n> ```\n", ""},
		{"in a list", "- item\n\n  ```go\n  x\n  ```\n- next\n", ""},
		{"unclosed go", "Intro.\n\n```go\nx := 1\n\n## Next section\n\nProse.\n", "content/page.md:3:1: this ```go fence is never closed, so everything after it would be read as code; add a line ``` where the block ends"},
		{"unclosed calc", "Intro.\n\n```calc id=s\nx = 5\n\nProse about x.\n", "content/page.md:3:1: this ```calc fence is never closed, so everything after it would be read as part of the calculator"},
		{"unclosed, no language", "a\n\n~~~~\ncode\n", "content/page.md:3:1: this ~~~~ fence is never closed"},
		{"closed by a shorter run", "````\nx\n```\nmore\n", "content/page.md:1:1: this ```` fence is never closed"},
		{"unclosed in a list", "- item\n\n  ```go\n  x\n- next\n", "content/page.md:3:3: this ```go fence is never closed"},
		{"unclosed at the end", "```go\nx", "content/page.md:1:1: this ```go fence is never closed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, _, diags := renderString(t, c.src, nil)
			errs := diags.Sorted()
			if c.want == "" {
				if len(errs) > 0 {
					t.Errorf("unexpected errors: %v", errs)
				}
				return
			}
			if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), c.want) {
				t.Fatalf("errors = %v\nwant one starting %q", errs, c.want)
			}
			if strings.Contains(out, "<pre") {
				t.Errorf("the unclosed block was still rendered:\n%s", out)
			}
		})
	}
}

// TestTooDeep: pathological nesting is refused at once, with the line, and
// ordinary nesting (and deep indentation inside code) is not.
func TestTooDeep(t *testing.T) {
	var list strings.Builder
	for i := range 3000 {
		list.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	cases := []struct{ name, src, want string }{
		{"quotes", "# A\n\n" + strings.Repeat(">", 200000) + " hi\n", "content/page.md:3:1: 200000 block quotes nested in each other"},
		{"lists", "# B\n\n" + list.String(), "a list item indented 134 columns nested in each other"},
		{"fine", "> > > quote\n\n- a\n  - b\n    - c\n", ""},
		{"deep code is fine", "```\n" + strings.Repeat(" ", 500) + "- not a list\n" + strings.Repeat(">", 100) + "\n```\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, diags := renderString(t, c.src, nil)
			errs := diags.Sorted()
			if c.want == "" {
				if len(errs) > 0 {
					t.Errorf("unexpected: %v", errs)
				}
				return
			}
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), c.want) {
				t.Errorf("errors = %.300v\nwant one containing %q", errs, c.want)
			}
		})
	}
}

// FuzzParseAndRender: any page parses and renders without panicking, and
// an unclosed fence is reported at most once per fence.
func FuzzParseAndRender(f *testing.F) {
	for _, s := range []string{"# A\n\n```go\nx\n", "> > ```\n> x\n", "- a\n  ```\n- b\n", "~~~~\n```\n~~~\n", "[x](y) **b** `c`\n", strings.Repeat(">", 70) + "x\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<14 {
			return
		}
		_, _, diags := renderString(t, src, nil)
		fences := strings.Count(src, "```") + strings.Count(src, "~~~")
		if n := diags.Len(); n > fences+1 {
			t.Errorf("%d problems for %d fences in %q", n, fences, src)
		}
	})
}
