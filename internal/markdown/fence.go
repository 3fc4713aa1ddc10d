package markdown

import (
	"bytes"
	"html"
	"regexp"
	"slices"
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
	// InfoLine is the line of the opening fence (0 for an indented block).
	InfoLine int
}

// A FenceHandler renders fenced blocks of one language. It runs while the
// page is parsed, so its work is done in parallel across pages; it reports
// problems through d and returns the HTML to put in place of the block.
type FenceHandler interface {
	RenderFence(d *Doc, f *Fence) []byte
}

// A PageFenceHandler renders all of a page's blocks of its language at
// once, for blocks that depend on each other and on the rest of the page:
// a page's calculators and the inline figures that quote them. It is
// called for every page, with no fences when the page has none, and
// returns one piece of HTML per fence.
type PageFenceHandler interface {
	RenderFences(d *Doc, fences []*Fence) [][]byte
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

// fences is the one dispatch for fenced and indented code: each block goes
// to the handler of its language (a PageFenceHandler gets all of a page's
// blocks at once), and any other language is highlighted as code.
type fences struct {
	handlers map[string]FenceHandler
	page     map[string]PageFenceHandler
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
	if d != nil {
		d.root = doc // for page handlers, which look at the whole page
	}
	src := reader.Source()
	var nodes []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && (n.Kind() == ast.KindFencedCodeBlock || n.Kind() == ast.KindCodeBlock) {
			nodes = append(nodes, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	out := make([][]byte, len(nodes))
	byLang := map[string][]int{} // fences for page handlers, by language
	all := make([]*Fence, len(nodes))
	for i, n := range nodes {
		fence, infoOffset := readFence(d, n, src)
		all[i] = fence
		switch {
		case f.page[fence.Lang] != nil && d != nil:
			byLang[fence.Lang] = append(byLang[fence.Lang], i)
		case f.handlers[fence.Lang] != nil && d != nil:
			out[i] = f.handlers[fence.Lang].RenderFence(d, fence)
		default:
			out[i] = f.highlight(d, fence, infoOffset)
		}
	}
	if d != nil {
		langs := make([]string, 0, len(f.page))
		for lang := range f.page {
			langs = append(langs, lang)
		}
		slices.Sort(langs)
		for _, lang := range langs {
			idx := byLang[lang]
			fs := make([]*Fence, len(idx))
			for k, i := range idx {
				fs[k] = all[i]
			}
			html := f.page[lang].RenderFences(d, fs)
			for k, i := range idx {
				if k < len(html) {
					out[i] = html[k]
				}
			}
		}
	}
	for i, n := range nodes {
		parent := n.Parent()
		parent.ReplaceChild(parent, n, &Rendered{HTML: out[i]})
	}
}

// readFence reads a block's language, attributes, code and place; a fence
// whose options cannot be read is reported at its info string.
func readFence(d *Doc, n ast.Node, src []byte) (*Fence, int) {
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
		var ok bool
		fence.Lang, fence.Attrs, ok = ParseInfo(string(fc.Info.Segment.Value(src)))
		if !ok && d != nil {
			d.Errorf(infoOffset, "the fence's options cannot be read; write them as key=value pairs, with quotes around text that has spaces: ```go {linenos=true hl_lines=[2,\"4-6\"]}")
		}
		fence.InfoLine, _ = diag.Position(src, infoOffset)
	}
	switch {
	case lines.Len() > 0:
		fence.Line, _ = diag.Position(src, lines.At(0).Start)
	case infoOffset >= 0:
		fence.Line = fence.InfoLine + 1
	}
	return fence, infoOffset
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

// ParseInfo splits a fence's info string into its language and attributes.
// The language is the first word, with backslash escapes and character
// references resolved as CommonMark says ("foo\\+bar" is foo+bar). The rest
// is read by goldmark's attribute parser, braces or not: "go {linenos=true
// hl_lines=[2,4-5]}" and `calc id=twitter title="A b"` both work; a bare
// word is an attribute with an empty value, and a range such as 4-5 in a
// list is one item (Hugo's form), not 4 and -5. ok is false when the
// attributes cannot be read.
func ParseInfo(info string) (lang string, attrs map[string]string, ok bool) {
	attrs = map[string]string{}
	info = strings.TrimSpace(info)
	rest := ""
	if i := strings.IndexAny(info, " \t{"); i >= 0 {
		info, rest = info[:i], strings.TrimSpace(info[i:])
	}
	lang = string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations([]byte(info)))))
	if rest == "" {
		return lang, attrs, true
	}
	if !strings.HasPrefix(rest, "{") {
		rest = "{" + rest + "}"
	}
	rest = valueless(listRange.ReplaceAllString(rest, `${1}"${2}-${3}"`))
	parsed, ok := parser.ParseAttributes(text.NewReader([]byte(rest)))
	if !ok {
		return lang, attrs, false
	}
	for _, a := range parsed {
		attrs[string(a.Name)] = attrString(a.Value)
	}
	return lang, attrs, true
}

var (
	// listRange finds a range written bare in a list, [2,4-5], to quote it.
	listRange = regexp.MustCompile(`([\[,]\s*)(\d+)-(\d+)`)
	number    = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)
)

// valueless gives each word of "{a b=1 c}" that has no value an empty one
// (a="" b=1 c=""), which goldmark's attribute syntax requires. Quoted
// text and lists are left alone.
func valueless(s string) string {
	var b strings.Builder
	word, hasValue := -1, false
	var quote byte
	depth := 0
	end := func(i int) {
		switch {
		case word < 0:
		case !hasValue && s[word] != '.' && s[word] != '#':
			b.WriteString(s[word:i] + `=""`)
		case hasValue:
			// An unquoted value that is not a number, a boolean or a
			// list is text: id=9x, title=A.
			k, v, _ := strings.Cut(s[word:i], "=")
			if v != "" && !strings.ContainsAny(v[:1], `"'[`) && v != "true" && v != "false" && !number.MatchString(v) {
				v = strconv.Quote(v)
			}
			b.WriteString(k + "=" + v)
		default:
			b.WriteString(s[word:i])
		}
		word, hasValue = -1, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote == 0 && depth == 0 && word < 0 && !strings.ContainsRune(" \t{}", rune(c)) {
			word = i
		}
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
			continue
		case c == '"' || c == '\'':
			quote = c
			continue
		case c == '[':
			depth++
			continue
		case c == ']':
			depth--
			continue
		case depth > 0:
			continue
		case c == '=':
			hasValue = true
			continue
		case c == ' ' || c == '\t' || c == '{' || c == '}':
			end(i)
			b.WriteByte(c)
		}
	}
	end(len(s))
	return b.String()
}

// attrString writes an attribute value as the handlers read it: a list as
// its items joined by commas.
func attrString(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = attrString(x)
		}
		return strings.Join(parts, ",")
	}
	return ""
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
