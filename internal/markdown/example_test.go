package markdown_test

import (
	"fmt"

	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/markdown"
)

// Heading IDs follow GitHub, so anchors written while reading the Markdown
// on GitHub work on the site too.
func ExampleSlug() {
	fmt.Println(markdown.Slug("SQL vs NoSQL"))
	fmt.Println(markdown.Slug("At 10× the scale"))
	// Output:
	// sql-vs-nosql
	// at-10-the-scale
}

func ExampleParseInfo() {
	lang, attrs, _ := markdown.ParseInfo(`go {linenos=true hl_lines=[2,4-5]}`)
	fmt.Println(lang, attrs["linenos"], attrs["hl_lines"])
	// Output: go true 2,4-5
}

// Parse every page first, then render each once all anchors are known.
func ExampleRenderer() {
	r := markdown.New(markdown.Options{})
	var diags diag.List
	doc := r.Parse("guide/a.md", "content/guide/a.md", 1, []byte("## Storage\n\n> [!TIP]\n> Measure first.\n"), &diags)
	fmt.Print(string(r.Render(doc, nil)))
	fmt.Println(doc.Headings[0].ID, diags.Len())
	// Output:
	// <h2 id="storage">Storage <a class="anchor" href="#storage" aria-label="Link to this section">#</a></h2>
	// <div class="alert alert-tip" role="note"><p class="alert-title">Tip</p>
	// <p>Measure first.</p>
	// </div>
	// storage 0
}
