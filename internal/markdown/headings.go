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
			Title: inlineHTML(h, src),
		})
		return ast.WalkSkipChildren, nil
	})
	// Footnote targets are anchors too.
	d.Anchors["footnotes"] = true
}

// inlineHTML renders the inline children of n for places that show a
// heading or title outside the page (table of contents, nav): code spans
// stay code, emphasis stays emphasis, links become their text, raw HTML
// is dropped, and everything else is escaped text.
func inlineHTML(n ast.Node, src []byte) template.HTML {
	var b strings.Builder
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch t := c.(type) {
			case *ast.Text:
				b.WriteString(html.EscapeString(string(unescape(t.Segment.Value(src)))))
				if t.SoftLineBreak() {
					b.WriteByte(' ')
				}
			case *ast.String:
				if t.IsCode() || t.IsRaw() {
					b.WriteString(html.EscapeString(html.UnescapeString(string(t.Value))))
				} else {
					b.Write(t.Value) // the typographer's entities
				}
			case *ast.CodeSpan:
				b.WriteString("<code>")
				for cc := t.FirstChild(); cc != nil; cc = cc.NextSibling() {
					if tt, ok := cc.(*ast.Text); ok {
						b.WriteString(html.EscapeString(string(tt.Segment.Value(src))))
					}
				}
				b.WriteString("</code>")
			case *ast.Emphasis:
				tag := "em"
				if t.Level == 2 {
					tag = "strong"
				}
				b.WriteString("<" + tag + ">")
				walk(t)
				b.WriteString("</" + tag + ">")
			case *ast.RawHTML:
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return template.HTML(strings.TrimSpace(b.String()))
}

// InlineTitle reads a title as written (a page's front-matter title or
// first heading, which may hold `code`, *emphasis* or escapes such as
// \<title\>) and returns its plain text, for the <title> element and the
// search index, and its inline HTML, for the nav and the page's heading.
func (r *Renderer) InlineTitle(raw string) (plain string, h template.HTML) {
	src := []byte(raw)
	doc := r.md.Parser().Parse(text.NewReader(src))
	para := doc.FirstChild()
	if para == nil {
		return raw, template.HTML(html.EscapeString(raw))
	}
	if _, ok := para.(*ast.Paragraph); !ok {
		return raw, template.HTML(html.EscapeString(raw))
	}
	return plainText(para, src), inlineHTML(para, src)
}

// unescape resolves what goldmark leaves in a text segment for its
// renderer: backslash escapes ("\\<") and character references.
func unescape(v []byte) []byte {
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
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
			b.Write(unescape(t.Segment.Value(src)))
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
