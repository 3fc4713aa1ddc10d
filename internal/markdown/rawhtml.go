package markdown

import (
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Raw HTML is a first-class citizen: the URLs in it (an <img src> in a
// README, a <video><source src>) are resolved and checked exactly like
// Markdown links and images, so a build that passes never produces a page
// with a broken raw image. Everything else in the markup is written as the
// author wrote it, byte for byte.

// urlAttrs lists, by element, the attributes that hold a URL the reader's
// browser follows or loads.
var urlAttrs = map[string][]string{
	"a":      {"href"},
	"area":   {"href"},
	"img":    {"src", "srcset"},
	"source": {"src", "srcset"},
	"video":  {"src", "poster"},
	"audio":  {"src"},
	"track":  {"src"},
	"embed":  {"src"},
	"object": {"data"},
}

// rawAttr is the attribute on a raw-HTML node that carries its markup with
// the URLs resolved, set at each Render so that a page can be rendered
// again against a changed site.
var rawAttr = []byte("scalebook-raw-html")

// rawHTMLRenderer writes raw HTML nodes, with their URLs resolved when
// resolveRawHTML set them.
type rawHTMLRenderer struct{}

// Raw HTML must win over goldmark's own renderer for the same kinds, which
// registers at 1000; lower priorities register last.
const rawHTMLRendererPriority = 100

func (rawHTMLRenderer) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(rawHTMLRenderer{}, rawHTMLRendererPriority)))
}

func (rawHTMLRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if v, ok := n.AttributeString(string(rawAttr)); ok {
			w.Write(v.([]byte))
			return ast.WalkContinue, nil
		}
		b := n.(*ast.HTMLBlock)
		for i := 0; i < b.Lines().Len(); i++ {
			seg := b.Lines().At(i)
			w.Write(seg.Value(src))
		}
		if b.HasClosure() {
			w.Write(b.ClosureLine.Value(src))
		}
		return ast.WalkContinue, nil
	})
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkSkipChildren, nil
		}
		if v, ok := n.AttributeString(string(rawAttr)); ok {
			w.Write(v.([]byte))
			return ast.WalkSkipChildren, nil
		}
		r := n.(*ast.RawHTML)
		for i := 0; i < r.Segments.Len(); i++ {
			seg := r.Segments.At(i)
			w.Write(seg.Value(src))
		}
		return ast.WalkSkipChildren, nil
	})
}

// resolveRawHTML rewrites the URLs of every raw HTML node through res.
func resolveRawHTML(d *Doc, res Resolver) {
	ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var segs *text.Segments
		switch n := n.(type) {
		case *ast.HTMLBlock:
			lines := n.Lines()
			s := text.NewSegments()
			for i := 0; i < lines.Len(); i++ {
				s.Append(lines.At(i))
			}
			if n.HasClosure() {
				s.Append(n.ClosureLine)
			}
			segs = s
		case *ast.RawHTML:
			segs = n.Segments
		default:
			return ast.WalkContinue, nil
		}
		var out bytes.Buffer
		changed := false
		for i := 0; i < segs.Len(); i++ {
			seg := segs.At(i)
			raw := seg.Value(d.Source)
			rewritten := rewriteURLs(raw, func(tag, attr, value string, at int) (string, bool) {
				if tag != "a" && tag != "area" && external(value) {
					d.ExternalImages = append(d.ExternalImages, value)
				}
				return res.ResolveLink(d, seg.Start+at, value)
			})
			changed = changed || !bytes.Equal(rewritten, raw)
			out.Write(rewritten)
		}
		if changed {
			n.SetAttributeString(string(rawAttr), out.Bytes())
		} else {
			n.RemoveAttributes()
		}
		return ast.WalkSkipChildren, nil
	})
}

// rewriteURLs finds the URL attributes of the tags in an HTML fragment and
// replaces each value resolve accepts; the rest of the fragment is copied
// unchanged. resolve gets the tag, the attribute, the value with entities
// decoded, and the value's offset in text; srcset lists are resolved URL by
// URL. Fragment and external URLs are passed to resolve as they are.
func rewriteURLs(text []byte, resolve func(tag, attr, value string, at int) (string, bool)) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(text); i++ {
		if text[i] != '<' {
			continue
		}
		if bytes.HasPrefix(text[i:], []byte("<!--")) {
			end := bytes.Index(text[i+4:], []byte("-->"))
			if end < 0 {
				break
			}
			i += 4 + end + 2
			continue
		}
		j := i + 1
		for j < len(text) && isTagByte(text[j]) {
			j++
		}
		if j == i+1 {
			continue
		}
		tag := strings.ToLower(string(text[i+1 : j]))
		attrs := urlAttrs[tag]
		// Attributes until '>'.
		for j < len(text) && text[j] != '>' {
			for j < len(text) && (isSpace(text[j]) || text[j] == '/') {
				j++
			}
			ns := j
			for j < len(text) && !isSpace(text[j]) && text[j] != '=' && text[j] != '>' && text[j] != '/' {
				j++
			}
			name := strings.ToLower(string(text[ns:j]))
			if name == "" {
				if j < len(text) && text[j] != '>' {
					j++
				}
				continue
			}
			for j < len(text) && isSpace(text[j]) {
				j++
			}
			if j >= len(text) || text[j] != '=' {
				continue
			}
			j++
			for j < len(text) && isSpace(text[j]) {
				j++
			}
			vs, ve := j, j
			if j < len(text) && (text[j] == '"' || text[j] == '\'') {
				q := text[j]
				end := bytes.IndexByte(text[j+1:], q)
				if end < 0 {
					return append(out, text[last:]...)
				}
				vs, ve = j+1, j+1+end
				j = ve + 1
			} else {
				for j < len(text) && !isSpace(text[j]) && text[j] != '>' {
					j++
				}
				ve = j
			}
			if !contains(attrs, name) {
				continue
			}
			raw := string(text[vs:ve])
			var value string
			var ok bool
			if name == "srcset" {
				value, ok = rewriteSrcset(raw, func(u string, off int) (string, bool) { return resolve(tag, name, u, vs+off) })
			} else {
				value, ok = resolve(tag, name, html.UnescapeString(raw), vs)
				value = attrEscape(value)
			}
			if ok && value != raw {
				out = append(out, text[last:vs]...)
				out = append(out, value...)
				last = ve
			}
		}
		i = j
	}
	if out == nil {
		return text
	}
	return append(out, text[last:]...)
}

// rewriteSrcset resolves each URL of a srcset ("a.png 1x, b.png 2x").
func rewriteSrcset(raw string, resolve func(u string, off int) (string, bool)) (string, bool) {
	var b strings.Builder
	all := true
	for off := 0; off < len(raw); {
		end := strings.IndexByte(raw[off:], ',')
		if end < 0 {
			end = len(raw) - off
		}
		part := raw[off : off+end]
		lead := len(part) - len(strings.TrimLeft(part, " \t\n"))
		fields := strings.Fields(part)
		if len(fields) > 0 {
			u, ok := resolve(html.UnescapeString(fields[0]), off+lead)
			all = all && ok
			if !ok {
				u = html.UnescapeString(fields[0])
			}
			b.WriteString(part[:lead])
			b.WriteString(attrEscape(u))
			b.WriteString(part[lead+len(fields[0]):])
		} else {
			b.WriteString(part)
		}
		off += end
		if off < len(raw) {
			b.WriteByte(',')
			off++
		}
	}
	return b.String(), all
}

// attrEscape writes a URL for an attribute value in either kind of quote.
func attrEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", `"`, "&#34;", "'", "&#39;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func isTagByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
