package diag_test

import (
	"fmt"

	"github.com/scalebook/scalebook/internal/diag"
)

// Workers add problems as they find them; the build prints them sorted.
func ExampleList() {
	var l diag.List
	l.Addf("content/b.md", 3, 1, "link to missing page c.md")
	l.Addf("content/a.md", 12, 7, "unknown cell \"dua\"; did you mean \"dau\"?")
	fmt.Println(l.Err())
	// Output:
	// content/a.md:12:7: unknown cell "dua"; did you mean "dau"?
	// content/b.md:3:1: link to missing page c.md
}

// A diagnostic that knows its source line prints it with a caret under the
// mistake and the suggestion beside it.
func ExampleDiagnostic_Report() {
	d := diag.Diagnostic{
		File: "content/systems/feed.md", Line: 41, Col: 8,
		Msg:        `unknown name "uesrs"`,
		Suggestion: "users",
		LineText:   "peak = uesrs * 3",
	}
	fmt.Println(d.Report())
	// Output:
	// content/systems/feed.md:41:8: unknown name "uesrs" — did you mean "users"?
	//   41 | peak = uesrs * 3
	//      |        ^ did you mean "users"?
}
