package markdown

import (
	"reflect"
	"testing"

	"github.com/yuin/goldmark/ast"

	"github.com/scalebook/scalebook/internal/diag"
)

func TestSections(t *testing.T) {
	src := `Intro with *emphasis*, ` + "`inline_code()`" + ` and a [link](x.md).
Soft break here.

## Partitioning & sharding

"Quotes" -- dashes... and \*escaped\* &amp; entities.

- first item
- second item

| Kind | Example |
| ---- | ------- |
| read | timeline |

` + "```go\nfunc hidden() {}\n```" + `

<div class="raw">raw html is dropped</div>

#### Small heading

Under the small heading.[^1]

> [!TIP]
> Alert text.

![Alt text](img.png)

### Hash ring

Ring text <span>inline html</span> kept around.

## Partitioning & sharding

Again.

[^1]: The note.
`
	var diags diag.List
	d := New(Options{}).Parse("p.md", "p.md", 1, []byte(src), &diags)
	if diags.Len() > 0 {
		t.Fatal(diags.Err())
	}
	got := d.Sections()
	want := []Section{
		{Text: "Intro with emphasis, inline_code() and a link. Soft break here."},
		{ID: "partitioning--sharding", Heading: "Partitioning & sharding", Level: 2,
			Text: "“Quotes” – dashes… and *escaped* & entities. first item second item Kind Example read timeline Small heading Under the small heading. Alert text. Alt text"},
		{ID: "hash-ring", Heading: "Hash ring", Level: 3, Text: "Ring text inline html kept around."},
		{ID: "partitioning--sharding-1", Heading: "Partitioning & sharding", Level: 2, Text: "Again. The note."},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sections:\n got %#v\nwant %#v", got, want)
	}
}

func TestSectionsStartWithHeading(t *testing.T) {
	var diags diag.List
	d := New(Options{}).Parse("p.md", "p.md", 1, []byte("# Title\n\nBody.\n"), &diags)
	got := d.Sections()
	want := []Section{{}, {ID: "title", Heading: "Title", Level: 1, Text: "Body."}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sections:\n got %#v\nwant %#v", got, want)
	}
	var nilDoc *Doc
	if s := nilDoc.Sections(); s != nil {
		t.Errorf("nil Doc: got %v", s)
	}
}

// figure stands for an extension's inline node whose text is computed.
type figure struct{ ast.BaseInline }

var kindFigure = ast.NewNodeKind("TestFigure")

func (n *figure) Kind() ast.NodeKind         { return kindFigure }
func (n *figure) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }
func (n *figure) PlainText() string          { return "1.2 M" }
func TestSectionsPlainTexter(t *testing.T) {
	var diags diag.List
	d := New(Options{}).Parse("p.md", "p.md", 1, []byte("We need (*x*) servers.\n"), &diags)
	para := d.Root().FirstChild()
	para.ReplaceChild(para, para.FirstChild().NextSibling(), &figure{})
	if got := d.Sections()[0].Text; got != "We need (1.2 M) servers." {
		t.Errorf("text = %q", got)
	}
}
