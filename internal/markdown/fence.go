package markdown

import (
	"bytes"
	"html"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/highlight"
)

// Fence is a fenced code block handed to a FenceHandler.
type Fence struct {
	// Lang is the first word of the info string; Attrs are the rest, as
	// key=value pairs (bare words have an empty value). Both Hugo's
	// {key=value} form and plain words are accepted.
	Lang  string
	Attrs map[string]string
	Code  []byte
	// Line is the line of Doc.Source on which the code starts, so a handler
	// can report a problem on line n of the block at Line+n-1.
	Line int
}

// A FenceHandler renders fenced blocks of one language. It runs while the
// page is parsed, so its work is done in parallel across pages; it reports
// problems through d and returns the HTML to put in place of the block.
type FenceHandler interface {
	RenderFence(d *Doc, f *Fence) []byte
}

// KindRendered marks a block whose HTML was produced at parse time.
var KindRendered = ast.NewNodeKind("Rendered")

// Rendered is a block replaced by finished HTML.
type Rendered struct {
	ast.BaseBlock
	HTML []byte
}

// Kind implements ast.Node.
func (n *Rendered) Kind() ast.NodeKind { return KindRendered }

// Dump implements ast.Node.
func (n *Rendered) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// Fence handling runs after alerts are formed and before headings are
// collected; the renderer only copies HTML.
const (
	fenceTransformerPriority = 200
	fenceRendererPriority    = 100
)

type fences struct {
	handlers map[string]FenceHandler
	hl       *highlight.Highlighter
}

func (f *fences) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(f, fenceTransformerPriority)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(rendererFunc(func(reg renderer.NodeRendererFuncRegisterer) {
		reg.Register(KindRendered, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
			if entering {
				w.Write(n.(*Rendered).HTML)
			}
			return ast.WalkSkipChildren, nil
		})
	}), fenceRendererPriority)))
}

func (f *fences) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	d := DocOf(pc)
	src := reader.Source()
	var blocks []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && (n.Kind() == ast.KindFencedCodeBlock || n.Kind() == ast.KindCodeBlock) {
			blocks = append(blocks, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, n := range blocks {
		fence := &Fence{Attrs: map[string]string{}}
		var code bytes.Buffer
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			code.Write(seg.Value(src))
		}
		fence.Code = code.Bytes()
		infoOffset := -1
		if fc, ok := n.(*ast.FencedCodeBlock); ok && fc.Info != nil {
			infoOffset = fc.Info.Segment.Start
			fence.Lang, fence.Attrs = ParseInfo(string(fc.Info.Segment.Value(src)))
		}
		switch {
		case lines.Len() > 0:
			fence.Line, _ = diag.Position(src, lines.At(0).Start)
		case infoOffset >= 0:
			l, _ := diag.Position(src, infoOffset)
			fence.Line = l + 1
		}
		var out []byte
		if h := f.handlers[fence.Lang]; h != nil && d != nil {
			out = h.RenderFence(d, fence)
		} else {
			out = f.highlight(d, fence, infoOffset)
		}
		parent := n.Parent()
		parent.ReplaceChild(parent, n, &Rendered{HTML: out})
	}
}

func (f *fences) highlight(d *Doc, fence *Fence, infoOffset int) []byte {
	var opts highlight.Options
	if v, ok := fence.Attrs["linenos"]; ok && v != "false" {
		opts.LineNumbers = true
	}
	for _, k := range []string{"start", "linenostart"} {
		if v, ok := fence.Attrs[k]; ok {
			n, err := strconv.Atoi(v)
			if err != nil && d != nil {
				d.Errorf(max(infoOffset, 0), k+"="+v+" is not a line number; write "+k+"=10")
			}
			opts.StartLine = n
		}
	}
	for _, k := range []string{"hl", "hl_lines"} {
		if v, ok := fence.Attrs[k]; ok {
			ranges, ok := parseRanges(v)
			if !ok && d != nil {
				d.Errorf(max(infoOffset, 0), k+"="+strconv.Quote(v)+" is not a list of lines; write "+k+"=2,4-6")
			}
			opts.Highlight = ranges
		}
	}
	var code []byte
	if f.hl != nil {
		code = f.hl.Highlight(fence.Lang, string(fence.Code), opts)
	} else {
		code = []byte(`<pre class="chroma"><code>` + html.EscapeString(string(fence.Code)) + `</code></pre>`)
	}
	var b bytes.Buffer
	b.Grow(len(code) + 128)
	b.WriteString(`<div class="code-block"`)
	if fence.Lang != "" {
		b.WriteString(` data-lang="` + html.EscapeString(fence.Lang) + `"`)
	}
	b.WriteString(">")
	if t := fence.Attrs["title"]; t != "" {
		b.WriteString(`<div class="code-title">` + html.EscapeString(t) + `</div>`)
	}
	// A scrolling block must be reachable by keyboard.
	b.Write(bytes.Replace(code, []byte(`<pre class="chroma">`), []byte(`<pre class="chroma" tabindex="0">`), 1))
	b.WriteString("</div>\n")
	return b.Bytes()
}

// ParseInfo splits a fence's info string into its language and attributes:
// "go {linenos=true hl_lines=[2,3]}" and `calc id=twitter title="A b"` both work.
func ParseInfo(info string) (lang string, attrs map[string]string) {
	attrs = map[string]string{}
	info = strings.TrimSpace(info)
	if i := strings.IndexAny(info, " \t{"); i >= 0 {
		lang, info = info[:i], info[i:]
	} else {
		return info, attrs
	}
	info = strings.NewReplacer("{", " ", "}", " ").Replace(info)
	for {
		info = strings.TrimLeft(info, " \t")
		if info == "" {
			break
		}
		end := strings.IndexAny(info, " \t=")
		if end < 0 {
			attrs[info] = ""
			break
		}
		key := info[:end]
		info = info[end:]
		if !strings.HasPrefix(info, "=") {
			attrs[key] = ""
			continue
		}
		info = info[1:]
		var val string
		switch {
		case strings.HasPrefix(info, `"`):
			j := strings.IndexByte(info[1:], '"')
			if j < 0 {
				val, info = info[1:], ""
			} else {
				val, info = info[1:j+1], info[j+2:]
			}
		case strings.HasPrefix(info, "["):
			j := strings.IndexByte(info, ']')
			if j < 0 {
				val, info = info[1:], ""
			} else {
				val, info = info[1:j], info[j+1:]
			}
		default:
			j := strings.IndexAny(info, " \t")
			if j < 0 {
				val, info = info, ""
			} else {
				val, info = info[:j], info[j:]
			}
		}
		attrs[key] = val
	}
	return lang, attrs
}

// parseRanges reads "2,4-6" or "2 4-6" into inclusive line ranges.
func parseRanges(s string) ([][2]int, bool) {
	var out [][2]int
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		part = strings.Trim(part, `"`)
		a, b, isRange := strings.Cut(part, "-")
		lo, err := strconv.Atoi(a)
		if err != nil || lo < 1 {
			return out, false
		}
		hi := lo
		if isRange {
			if hi, err = strconv.Atoi(b); err != nil || hi < lo {
				return out, false
			}
		}
		out = append(out, [2]int{lo, hi})
	}
	return out, true
}
