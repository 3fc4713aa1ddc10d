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
