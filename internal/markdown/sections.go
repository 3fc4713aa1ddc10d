package markdown

import (
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// Section is a part of a page that search can point to: the text under one
// heading, up to the next heading of level 3 or higher.
type Section struct {
	// ID is the heading's anchor; "" for the text before the first heading.
	ID string
	// Heading is the heading's plain text; "" for the first section.
	Heading string
	// Level is the heading's level (1–3); 0 for the first section.
	Level int
	// Text is the section's plain text, whitespace collapsed to single
	// spaces. Headings of level 4 and below are part of it.
	Text string
}

// PlainTexter is implemented by nodes whose text a reader sees is not in
// their children: an extension's computed figure, say. Sections uses
// PlainText in place of walking such a node.
type PlainTexter interface {
	PlainText() string
}

// Sections splits the page's plain text at its h1–h3 headings. The first
// section holds what comes before any heading; it is always present, even
// when empty, so that callers can tell pages without an introduction.
//
// Prose, lists, tables, quotes, alerts, inline code and image alt text are
// kept, and the text of nodes that implement PlainTexter. Blocks whose HTML
// was made at parse time (fenced code, diagrams, calculators) and raw HTML
// are left out: their text is code or markup, which would swamp the words a
// reader searches for.
func (d *Doc) Sections() []Section {
	if d == nil || d.root == nil {
		return nil
	}
	src := d.Source
	out := []Section{{}}
	var b strings.Builder
	flush := func() {
		out[len(out)-1].Text = collapseSpace(b.String())
		b.Reset()
	}
	ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if pt, ok := n.(PlainTexter); ok && n.Type() == ast.TypeBlock {
			b.WriteByte(' ')
			b.WriteString(pt.PlainText())
			b.WriteByte(' ')
			return ast.WalkSkipChildren, nil
		}
		switch t := n.(type) {
		case *ast.Heading:
			if t.Level > 3 {
				b.WriteByte(' ')
				b.WriteString(inlineText(t, src))
				b.WriteByte(' ')
				return ast.WalkSkipChildren, nil
			}
			flush()
			id, _ := t.AttributeString("id")
			idb, _ := id.([]byte)
			out = append(out, Section{ID: string(idb), Heading: collapseSpace(inlineText(t, src)), Level: t.Level})
			return ast.WalkSkipChildren, nil
		case *Rendered, *ast.HTMLBlock, *ast.CodeBlock, *ast.FencedCodeBlock:
			return ast.WalkSkipChildren, nil
		}
		if n.Type() == ast.TypeBlock {
			// Blocks are separate runs of words: a list item must not run
			// into the next one.
			b.WriteByte(' ')
		}
		if n.Type() == ast.TypeInline {
			writeInline(&b, n, src)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	flush()
	return out
}

// inlineText returns the plain text of n's inline content.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		writeInline(&b, c, src)
	}
	return b.String()
}

// writeInline writes the text a reader sees for an inline node and its
// children: escapes and entities resolved, markup and raw HTML dropped.
func writeInline(b *strings.Builder, n ast.Node, src []byte) {
	if pt, ok := n.(PlainTexter); ok {
		b.WriteString(pt.PlainText())
		return
	}
	switch t := n.(type) {
	case *ast.Text:
		v := t.Segment.Value(src)
		if !t.IsRaw() {
			v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
		}
		b.Write(v)
		if t.SoftLineBreak() || t.HardLineBreak() {
			b.WriteByte(' ')
		}
		return
	case *ast.String:
		// However it is written out, what the reader sees is the value
		// with entities resolved (the typographer's quotes and dashes
		// arrive as entities).
		b.WriteString(html.UnescapeString(string(t.Value)))
		return
	case *ast.CodeSpan:
		for c := t.FirstChild(); c != nil; c = c.NextSibling() {
			switch tt := c.(type) {
			case *ast.Text:
				b.Write(tt.Segment.Value(src))
			case *ast.String:
				b.Write(tt.Value)
			}
		}
		return
	case *ast.AutoLink:
		b.Write(t.Label(src))
		return
	case *ast.RawHTML, *east.FootnoteLink, *east.FootnoteBacklink, *east.TaskCheckBox:
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		writeInline(b, c, src)
	}
}

// collapseSpace trims s and turns every run of white space into one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
