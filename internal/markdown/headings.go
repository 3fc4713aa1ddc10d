package markdown

import (
	"html"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Headings get their IDs while parsing; this transformer records them for
// the table of contents and link checking, and the renderer adds a visible
// anchor link so readers can copy a link to any section.
const (
	headingTransformerPriority = 900
	headingRendererPriority    = 100
)

type headingExt struct{}

var headings goldmark.Extender = headingExt{}

func (headingExt) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(headingExt{}, headingTransformerPriority)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(headingExt{}, headingRendererPriority)))
}

func (headingExt) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	d := DocOf(pc)
	if d == nil {
		return
	}
	src := reader.Source()
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if id, ok := n.AttributeString("id"); ok {
			if s, ok := id.([]byte); ok {
				d.Anchors[string(s)] = true
			}
		}
		h, ok := n.(*ast.Heading)
		if !ok {
			return ast.WalkContinue, nil
		}
		id, _ := h.AttributeString("id")
		idb, _ := id.([]byte)
		txt := plainText(h, src)
		d.Headings = append(d.Headings, Heading{
			Level: h.Level,
			ID:    string(idb),
			Text:  txt,
			Title: template.HTML(html.EscapeString(txt)),
		})
		return ast.WalkSkipChildren, nil
	})
	// Footnote targets are anchors too.
	d.Anchors["footnotes"] = true
}

// plainText gathers the text of inline children, dropping markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			// The typographer stores entities ("&rsquo;"); headings are
			// escaped again where they are printed.
			b.WriteString(html.UnescapeString(string(t.Value)))
		case *ast.CodeSpan:
			for cc := t.FirstChild(); cc != nil; cc = cc.NextSibling() {
				if tt, ok := cc.(*ast.Text); ok {
					b.Write(tt.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

func (headingExt) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		h := n.(*ast.Heading)
		tag := "h" + string(rune('0'+h.Level))
		if entering {
			w.WriteString("<" + tag)
			gmhtml.RenderAttributes(w, n, gmhtml.HeadingAttributeFilter)
			w.WriteByte('>')
			return ast.WalkContinue, nil
		}
		if id, ok := n.AttributeString("id"); ok {
			if s, ok := id.([]byte); ok {
				w.WriteString(` <a class="anchor" href="#` + html.EscapeString(string(s)) + `" aria-label="Link to this section">#</a>`)
			}
		}
		w.WriteString("</" + tag + ">\n")
		return ast.WalkContinue, nil
	})
}

// TOC builds the "On this page" list: h2 entries with their h3 children.
func TOC(hs []Heading) []TOCItem {
	var out []TOCItem
	for _, h := range hs {
		switch {
		case h.Level == 2:
			out = append(out, TOCItem{ID: h.ID, Title: h.Title})
		case h.Level == 3 && len(out) > 0:
			last := &out[len(out)-1]
			last.Children = append(last.Children, TOCItem{ID: h.ID, Title: h.Title})
		}
	}
	return out
}

// TOCItem is one entry of a page's table of contents.
type TOCItem struct {
	ID       string
	Title    template.HTML
	Children []TOCItem
}
