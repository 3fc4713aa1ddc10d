// Package markdown turns a page's Markdown into HTML with goldmark.
//
// A page is handled in two calls, both for one page at a time so that pages
// can go in parallel: Parse builds the syntax tree, collects the headings and
// runs the expensive work (highlighting, diagrams, calculators) through one
// dispatch on each fence's language; Render resolves links through the
// Resolver it is given and writes HTML. Links to headings of other pages are
// the caller's to check once every page is done. Extensions plug in as fence
// handlers (FenceHandler for one fence, PageFenceHandler for a page's fences
// together) or goldmark extenders given to New; they receive their
// dependencies when they are built and report problems through the Doc they
// are handed.
package markdown

import (
	"bytes"
	"html/template"
	"slices"
	"strconv"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"

	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/highlight"
)

// Options configure a Renderer.
type Options struct {
	// Highlighter colours code blocks; nil renders them as plain text.
	Highlighter *highlight.Highlighter
	// Fences render fenced blocks by their language (the first word of the
	// info string); every other language is highlighted as code.
	Fences map[string]FenceHandler
	// PageFences render all of a page's blocks of their language at once
	// (see PageFenceHandler).
	PageFences map[string]PageFenceHandler
	// Extensions add syntax (calculators' inline figures, for example).
	Extensions []goldmark.Extender
}

// Renderer parses and renders pages; it is safe for concurrent use.
type Renderer struct {
	md goldmark.Markdown
	hl *highlight.Highlighter
}

// Sweep forgets the highlighted code no page used since the last Sweep
// (see highlight.Highlighter.Sweep).
func (r *Renderer) Sweep() {
	if r.hl != nil {
		r.hl.Sweep()
	}
}

// HighlightMisses reports how many code blocks had to be tokenized rather
// than found in a cache.
func (r *Renderer) HighlightMisses() int {
	if r.hl == nil {
		return 0
	}
	return r.hl.Misses()
}

// New builds a Renderer with the site's Markdown dialect: CommonMark, GFM,
// footnotes, definition lists, typographer, GitHub-style heading IDs and
// alerts, raw HTML (authors are trusted).
func New(opts Options) *Renderer { return newRenderer(opts, true) }

// newRenderer is New with the typographer optional: the CommonMark
// conformance test turns it off, since smart quotes are a deliberate
// difference from the specification's output.
func newRenderer(opts Options, typographer bool) *Renderer {
	exts := []goldmark.Extender{
		// GFM, with table alignment as attributes: the style attributes
		// goldmark writes by default break the strict CSP.
		extension.Linkify,
		extension.Strikethrough,
		extension.TaskList,
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
		a11y{},
		extension.Footnote,
		extension.DefinitionList,
		Alerts,
		unclosedFences{},
		&fences{handlers: opts.Fences, page: opts.PageFences, hl: opts.Highlighter},
		headings,
		rawHTMLRenderer{},
	}
	if typographer {
		exts = append(exts, extension.Typographer)
	}
	exts = append(exts, opts.Extensions...)
	md := goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
		goldmark.WithRendererOptions(html.WithUnsafe()),
	)
	return &Renderer{md: md, hl: opts.Highlighter}
}

// Doc is one parsed page.
type Doc struct {
	// File is the page's path for diagnostics; Line is the line of the file on
	// which Source starts (after front matter).
	File string
	Line int
	// Name is the page's path inside the content folder, which links are
	// relative to.
	Name   string
	Source []byte
	// Headings lists every heading in order, with its unique ID.
	Headings []Heading
	// Anchors holds every id in the page that a link may target.
	Anchors map[string]bool
	Diags   *diag.List
	// HasCalc records that the page needs the calculator runtime.
	HasCalc bool
	// ExternalImages lists the images the page shows from other hosts
	// (set by Render), for the build to check against the site's policy.
	ExternalImages []string

	root     ast.Node
	origDest map[ast.Node]string
}

// Heading is an entry for the table of contents.
type Heading struct {
	Level int
	ID    string
	// Text is the heading's plain text, Title its text as HTML.
	Text  string
	Title template.HTML
}

// Errorf reports a problem at a byte offset of Source.
func (d *Doc) Errorf(offset int, msg string) {
	line, col := diag.Position(d.Source, offset)
	d.Diags.Addf(d.File, line+d.Line-1, col, msg)
}

// Warnf reports a warning at a byte offset of Source.
func (d *Doc) Warnf(offset int, msg string) {
	line, col := diag.Position(d.Source, offset)
	d.Diags.Warnf(d.File, line+d.Line-1, col, msg)
}

// ErrorAt reports a problem at a line and column of Source (1-based).
func (d *Doc) ErrorAt(line, col int, msg string) {
	d.Diags.Addf(d.File, line+d.Line-1, col, msg)
}

// SuggestAt reports a problem at a line and column of Source with the fix
// the author probably meant ("" for none).
func (d *Doc) SuggestAt(line, col int, msg, suggestion string) {
	d.Diags.Add(diag.Diagnostic{File: d.File, Line: line + d.Line - 1, Col: col, Msg: msg, Suggestion: suggestion})
}

var docKey = parser.NewContextKey()

// DocOf returns the Doc being parsed, for extensions' transformers.
func DocOf(pc parser.Context) *Doc {
	d, _ := pc.Get(docKey).(*Doc)
	return d
}

// Parse parses a page. name is its path inside the content folder; file and
// line place Source in its file for diagnostics, which go to diags.
func (r *Renderer) Parse(name, file string, line int, src []byte, diags *diag.List) *Doc {
	d := &Doc{Name: name, File: file, Line: line, Source: src, Anchors: map[string]bool{}, Diags: diags, origDest: map[ast.Node]string{}}
	if at, what := tooDeep(src); at >= 0 {
		d.Errorf(at, what+" nested in each other; pages may nest at most "+strconv.Itoa(maxNesting)+" deep, so flatten them")
		d.root = ast.NewDocument()
		return d
	}
	pc := parser.NewContext(parser.WithIDs(newIDs()))
	pc.Set(docKey, d)
	d.root = r.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	return d
}

// Resolver maps link destinations written in Markdown to URLs.
type Resolver interface {
	// ResolveLink returns the URL for dest as written in page d at byte
	// offset of d.Source. When it cannot, it reports why (with d.Errorf or
	// d.Warnf, as the site's link policy says) and returns ok false, and
	// the link is left as written. The offset lets a resolver report later
	// problems (an anchor it can only check once every page is parsed) at
	// the link.
	ResolveLink(d *Doc, offset int, dest string) (url string, ok bool)
}

// Render resolves the document's links with res and writes its HTML.
func (r *Renderer) Render(d *Doc, res Resolver) []byte {
	resolveLinks(d, res)
	var buf bytes.Buffer
	buf.Grow(len(d.Source) * 2)
	if err := r.md.Renderer().Render(&buf, d.Source, d.root); err != nil {
		d.Errorf(0, "rendering failed: "+err.Error())
	}
	return buf.Bytes()
}

// DropTitle removes a leading level-1 heading whose text is title, because
// the layout prints the page title itself and a page whose title came from
// its first heading would otherwise show it twice.
func (d *Doc) DropTitle(title string) {
	// The first heading of the page, if it is the title: a README often
	// opens with badges or a line of language links before its "# Title".
	var h *ast.Heading
	for n := d.root.FirstChild(); n != nil; n = n.NextSibling() {
		if x, ok := n.(*ast.Heading); ok {
			h = x
			break
		}
	}
	if h == nil || h.Level != 1 || plainText(h, d.Source) != title {
		return
	}
	d.root.RemoveChild(d.root, h)
	d.Headings = slices.DeleteFunc(d.Headings, func(x Heading) bool { return x.Level == 1 && x.Text == title })
}

// Root exposes the syntax tree, for tests and tools that inspect pages.
func (d *Doc) Root() ast.Node { return d.root }

// register is the shape shared by small node renderers.
type rendererFunc func(reg renderer.NodeRendererFuncRegisterer)

func (f rendererFunc) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) { f(reg) }
