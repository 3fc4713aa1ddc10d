// Package diagram renders ```d2 fenced blocks into inline SVG at build time.
//
// D2 (oss.terrastruct.com/d2) lays the diagram out with dagre; the SVG it
// writes is then rewritten by svgclean.Clean so that it passes the site's strict
// Content-Security-Policy: no <style> elements, no style attributes, no
// embedded fonts. Colours become classes (fill-B6, stroke-B1, …) that
// diagram.css maps to custom properties with a light and a dark value, so
// one SVG follows both themes, and text uses the site's fonts.
//
// Rendering costs about 100 ms a diagram, so results are cached by a hash of
// the source, the render options and the D2 version: in memory for the life
// of a Renderer and, when Options.Cache is set, in the build's file cache,
// so a warm build never lays out again.
package diagram

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"log/slog"
	"math"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"oss.terrastruct.com/d2/d2ast"
	"oss.terrastruct.com/d2/d2graph"
	"oss.terrastruct.com/d2/d2layouts/d2dagrelayout"
	"oss.terrastruct.com/d2/d2lib"
	"oss.terrastruct.com/d2/d2parser"
	"oss.terrastruct.com/d2/d2renderers/d2svg"
	"oss.terrastruct.com/d2/d2themes/d2themescatalog"
	d2log "oss.terrastruct.com/d2/lib/log"
	"oss.terrastruct.com/d2/lib/textmeasure"
	d2version "oss.terrastruct.com/d2/lib/version"

	"github.com/scalebook/scalebook/internal/diagram/svgclean"
	"github.com/scalebook/scalebook/internal/filecache"
	"github.com/scalebook/scalebook/internal/markdown"
)

// CSS is the stylesheet the diagrams need (colours for both themes, fonts,
// sizing). The site's CSS bundle must include it.
var CSS = append(append([]byte(nil), diagramCSS...), widthRules()...)

//go:embed diagram.css
var diagramCSS []byte

// renderVersion names how render calls D2; change it whenever the options
// below change, so caches are redone. (svgclean.Version covers the cleaning.)
const renderVersion = "scalebook-diagram-1"

// pad is the margin around a diagram, in SVG units (D2's default is 100).
const pad = 8

// Width buckets: a diagram's figure carries the class d2w-N, N its width
// rounded up to a multiple of bucketStep, and diagram.css sets --dw from it.
// See sizeBucket and widthRules.
const (
	bucketStep = 40
	bucketMax  = 3200
	// readableScale is the smallest scale at which a diagram's 16px labels
	// stay above 10px. A sequence diagram shown smaller than that also
	// shows its messages as a numbered list.
	readableScale = 0.65
	// fitWidth is a diagram width that fits every column, a small phone's
	// included (in CSS pixels): narrower diagrams get no "Full size" control.
	fitWidth = 320
)

// Options configure a Renderer.
type Options struct {
	// Cache keeps rendered diagrams between builds; nil means memory only.
	Cache *filecache.Cache
}

// Renderer renders ```d2 blocks. It is a markdown.FenceHandler and is safe
// for concurrent use.
type Renderer struct {
	disk *filecache.Cache
	// version identifies the D2 module and this package's output, for keys.
	version string

	mu    sync.Mutex
	cache map[filecache.Key]*entry

	rulers sync.Pool // *textmeasure.Ruler, which is not safe to share

	// layouts counts how many times D2 ran, for tests.
	layouts atomic.Int64
}

// entry is one diagram, being rendered or done.
type entry struct {
	done chan struct{}
	svg  []byte
	errs []Error
}

// New returns a Renderer.
func New(opts Options) *Renderer {
	return &Renderer{cache: map[filecache.Key]*entry{}, disk: opts.Cache,
		version: renderVersion + " svgclean " + svgclean.Version + " d2 " + d2ModuleVersion()}
}

var _ markdown.FenceHandler = (*Renderer)(nil)

// Error is a problem with a diagram's source. Line and Col are 1-based
// positions in the block (Col counts bytes); zero means unknown.
type Error struct {
	Line, Col int
	Msg       string
}

func (e Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
	}
	return e.Msg
}

// RenderFence implements markdown.FenceHandler: it replaces the block with a
// <figure> holding the diagram as inline SVG, and reports D2's errors and a
// missing text alternative at their place in the Markdown file.
func (r *Renderer) RenderFence(d *markdown.Doc, f *markdown.Fence) []byte {
	alt := strings.TrimSpace(f.Attrs["alt"])
	if alt == "" {
		alt = leadingComment(f.Code)
	}
	caption := strings.TrimSpace(f.Attrs["caption"])
	ok := true
	if alt == "" {
		ok = false
		d.ErrorAt(max(f.Line-1, 1), 0, `d2 diagram has no text alternative: start the block with a comment that says what it shows ("# Client request through the load balancer to the database") or add alt="…" to the fence`)
	}
	svg, errs := r.SVG(f.Code)
	for _, e := range errs {
		line, col := f.Line, 0
		if e.Line > 0 {
			line = f.Line + e.Line - 1
			col = e.Col
			if col > 0 {
				col += indent(d.Source, line, blockLine(f.Code, e.Line))
			}
		}
		d.ErrorAt(line, col, "d2: "+e.Msg)
	}
	if len(errs) > 0 || !ok {
		// The build fails; show the source in place for anyone looking.
		return []byte(`<pre class="diagram-error"><code>` + html.EscapeString(string(f.Code)) + "</code></pre>\n")
	}
	return figure(svg, alt, caption, sequenceSteps(f.Code))
}

// figure wraps an SVG from Renderer.SVG in the page markup: a <figure> whose
// <svg> is an image named by alt and fits the column, with a sequence
// diagram's messages as a list (steps, shown by the CSS when the diagram
// would be too small to read), the caption (if any), and for a diagram
// wider than a phone a "Full size" switch that shows it at its natural
// size, scrolling sideways. The switch is a checkbox the CSS reads, so it
// works without scripts and under the strict CSP.
func figure(svg []byte, alt, caption string, steps []step) []byte {
	viewBox, body, ok := svgclean.SplitRoot(svg)
	if !ok {
		return nil
	}
	w := svgclean.ViewBoxWidth(viewBox)
	altHTML := html.EscapeString(alt)
	var b bytes.Buffer
	b.Grow(len(svg) + 2*len(alt) + len(caption) + 512)
	fmt.Fprintf(&b, `<figure class="diagram d2w-%d">`, sizeBucket(w))
	if w > fitWidth {
		b.WriteString(`<label class="diagram-zoom"><input type="checkbox"> Full size</label>`)
	}
	b.WriteString(`<div class="diagram-view">`)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="d2" viewBox="%s" role="img" aria-label="%s"><title>%s</title>`, viewBox, altHTML, altHTML)
	b.Write(body)
	b.WriteString(`</svg></div>`)
	if len(steps) > 0 && float64(sizeBucket(w))*readableScale > fitWidth {
		b.WriteString(`<ol class="diagram-steps" aria-label="The messages in order">`)
		for _, s := range steps {
			b.WriteString(`<li><span class="diagram-actor">` + html.EscapeString(s.from) + `</span>`)
			if s.to != s.from {
				b.WriteString(` ` + s.arrow + ` <span class="diagram-actor">` + html.EscapeString(s.to) + `</span>`)
			}
			if s.label != "" {
				b.WriteString(`: ` + html.EscapeString(s.label))
			}
			b.WriteString(`</li>`)
		}
		b.WriteString(`</ol>`)
	}
	if caption != "" {
		b.WriteString(`<figcaption>` + html.EscapeString(caption) + `</figcaption>`)
	}
	b.WriteString("</figure>\n")
	return b.Bytes()
}

// widthRules are the size-dependent rules, one pair per width bucket: the
// "Full size" switch shows only while the figure is narrower than the
// diagram (so switching changes something), and a sequence diagram's list
// of messages only while its labels would be shown below 10px.
func widthRules() []byte {
	var b bytes.Buffer
	b.WriteString("\n/* Generated by internal/diagram (widthRules). */\n")
	for n := bucketStep; n <= bucketMax; n += bucketStep {
		if n > fitWidth {
			fmt.Fprintf(&b, "@container diagram (width < %dpx) { .d2w-%d .diagram-zoom { display: inline-flex; } }\n", n, n)
		}
		if r := int(math.Round(float64(n) * readableScale)); r > fitWidth {
			fmt.Fprintf(&b, "@container diagram (width < %dpx) { .d2w-%d .diagram-steps { display: block; } }\n", r, n)
		}
	}
	return b.Bytes()
}

// sizeBucket rounds a diagram's width up to its d2w-N class.
func sizeBucket(w float64) int {
	n := int(math.Ceil(w/bucketStep)) * bucketStep
	return min(max(n, bucketStep), bucketMax)
}

// SVG renders D2 source to a CSP-clean SVG document with no size, title or
// classes of its own (figure adds them). The result is shared: do not
// modify it. Errors carry positions in src.
func (r *Renderer) SVG(src []byte) ([]byte, []Error) {
	key := r.key(src)
	r.mu.Lock()
	e, found := r.cache[key]
	if !found {
		e = &entry{done: make(chan struct{})}
		r.cache[key] = e
	}
	r.mu.Unlock()
	if found {
		<-e.done
		return e.svg, e.errs
	}
	defer close(e.done)
	// An entry that passed the cache's checksum must still be clean SVG:
	// the cache's folder is as writable as the content's.
	if svg, ok := r.disk.Get(cacheNS, key); ok && svgclean.Check(svg) == nil {
		e.svg = svg
		return e.svg, nil
	}
	e.svg, e.errs = r.render(src)
	if len(e.errs) == 0 {
		r.disk.Put(cacheNS, key, e.svg)
	}
	return e.svg, e.errs
}

// cacheNS is the diagrams' namespace in the build cache.
const cacheNS = "d2"

// key is the cache key of a source: everything that decides the output.
func (r *Renderer) key(src []byte) filecache.Key {
	return filecache.KeyOf(r.version, "pad="+strconv.Itoa(pad), "theme="+strconv.FormatInt(d2themescatalog.NeutralDefault.ID, 10), "layout=dagre", string(src))
}

// render runs D2 and cleans its output.
func (r *Renderer) render(src []byte) ([]byte, []Error) {
	raw, errs := r.d2(src)
	if errs != nil {
		return nil, errs
	}
	clean, err := svgclean.Clean(raw)
	if err != nil {
		return nil, []Error{{Msg: "cannot clean D2's SVG: " + err.Error()}}
	}
	return clean, nil
}

// Bounds on a diagram's source. D2 recurses on nesting and lays out in
// time that grows fast with size: 100,000 nested containers ran for
// minutes. A readable diagram is far inside both.
const (
	maxDepth  = 32
	maxSource = 64 << 10
)

// tooBig refuses sources D2 should not be given, at the line where the
// bound is crossed.
func tooBig(src []byte) *Error {
	if len(src) > maxSource {
		return &Error{Msg: fmt.Sprintf("a diagram of %d KB; diagrams are at most %d KB, so split it into several", len(src)>>10, maxSource>>10)}
	}
	depth, line, col := 0, 1, 0
	var quote byte
	for _, c := range src {
		col++
		switch {
		case c == '\n':
			line, col = line+1, 0
			quote = 0
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '{':
			if depth++; depth > maxDepth {
				return &Error{Line: line, Col: col, Msg: fmt.Sprintf("containers nested more than %d deep; flatten the diagram", maxDepth)}
			}
		case c == '}':
			depth--
		}
	}
	return nil
}

// d2 compiles, lays out and renders a diagram with D2.
func (r *Renderer) d2(src []byte) (svg []byte, errs []Error) {
	defer func() {
		if p := recover(); p != nil {
			svg, errs = nil, []Error{{Msg: fmt.Sprintf("D2 crashed on this diagram (%v); simplify it or report the bug", p)}}
		}
	}()
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, []Error{{Msg: "empty diagram"}}
	}
	if e := tooBig(src); e != nil {
		return nil, []Error{*e}
	}
	r.layouts.Add(1)
	ruler, _ := r.rulers.Get().(*textmeasure.Ruler)
	if ruler == nil {
		var err error
		if ruler, err = textmeasure.NewRuler(); err != nil {
			return nil, []Error{{Msg: "cannot load D2's fonts: " + err.Error()}}
		}
	}
	defer r.rulers.Put(ruler)

	ctx := d2log.With(context.Background(), slog.New(slog.DiscardHandler))
	layout := "dagre"
	compileOpts := &d2lib.CompileOptions{
		Ruler:  ruler,
		Layout: &layout,
		FS:     noFS{},
		LayoutResolver: func(engine string) (d2graph.LayoutGraph, error) {
			if engine != "dagre" {
				return nil, fmt.Errorf("layout engine %q is not available; remove layout-engine (dagre is used)", engine)
			}
			return d2dagrelayout.DefaultLayout, nil
		},
	}
	themeID := d2themescatalog.NeutralDefault.ID
	padding := int64(pad)
	no, yes := false, true
	// A dark theme makes D2 write theme colours as classes (fill-B6)
	// instead of inline values; diagram.css gives them both themes' values.
	renderOpts := &d2svg.RenderOpts{
		Pad:         &padding,
		Sketch:      &no,
		Center:      &no,
		ThemeID:     &themeID,
		DarkThemeID: &themeID,
		NoXMLTag:    &yes,
		OmitVersion: &yes,
	}
	diagram, _, err := d2lib.Compile(ctx, string(src), compileOpts, renderOpts)
	if err != nil {
		return nil, d2Errors(err)
	}
	if len(diagram.Shapes) == 0 {
		return nil, []Error{{Msg: "empty diagram"}}
	}
	// The config (vars: d2-config) may not change what CSS depends on.
	renderOpts.ThemeID, renderOpts.DarkThemeID, renderOpts.Sketch = &themeID, &themeID, &no
	renderOpts.ThemeOverrides, renderOpts.DarkThemeOverrides = nil, nil
	out, err := d2svg.Render(diagram, renderOpts)
	if err != nil {
		return nil, []Error{{Msg: err.Error()}}
	}
	return out, nil
}

// d2Errors turns D2's error into positioned errors where it has positions.
func d2Errors(err error) []Error {
	var pe *d2parser.ParseError
	if errors.As(err, &pe) && len(pe.Errors) > 0 {
		out := make([]Error, 0, len(pe.Errors))
		for _, e := range pe.Errors {
			out = append(out, astError(e))
		}
		return out
	}
	var ae d2ast.Error
	if errors.As(err, &ae) {
		return []Error{astError(ae)}
	}
	return []Error{{Msg: err.Error()}}
}

func astError(e d2ast.Error) Error {
	msg := e.Message
	// D2 starts messages with the position it also gives in Range.
	if p := e.Range.String() + ": "; strings.HasPrefix(msg, p) {
		msg = msg[len(p):]
	} else if i := strings.Index(msg, ": "); i > 0 && isPosition(msg[:i]) {
		msg = msg[i+2:]
	}
	return Error{Line: e.Range.Start.Line + 1, Col: e.Range.Start.Column + 1, Msg: msg}
}

// isPosition reports whether s looks like "12:3".
func isPosition(s string) bool {
	a, b, ok := strings.Cut(s, ":")
	_, err1 := strconv.Atoi(a)
	_, err2 := strconv.Atoi(b)
	return ok && err1 == nil && err2 == nil
}

// leadingComment returns the text of the block's first line if it is a D2
// comment ("# Client to database flow"), skipping blank lines.
func leadingComment(code []byte) string {
	for line := range strings.SplitSeq(string(code), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "#") {
			return ""
		}
		return strings.TrimSpace(strings.TrimLeft(line, "#"))
	}
	return ""
}

// blockLine returns line n (1-based) of the block, without its newline.
func blockLine(code []byte, n int) []byte {
	for i := 1; len(code) > 0; i++ {
		line, rest, _ := bytes.Cut(code, []byte("\n"))
		if i == n {
			return bytes.TrimSuffix(line, []byte("\r"))
		}
		code = rest
	}
	return nil
}

// indent returns how many bytes precede a block's line on its line of the
// file (the indentation or "> " that Markdown removed), or 0 if unsure.
func indent(src []byte, line int, code []byte) int {
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return 0
		}
		src = src[j+1:]
	}
	fileLine, _, _ := bytes.Cut(src, []byte("\n"))
	fileLine = bytes.TrimSuffix(fileLine, []byte("\r"))
	if len(code) == 0 || !bytes.HasSuffix(fileLine, code) {
		return 0
	}
	return len(fileLine) - len(code)
}

// d2ModuleVersion names the D2 library compiled in, for cache keys.
func d2ModuleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "oss.terrastruct.com/d2" {
				if m.Replace != nil {
					m = m.Replace
				}
				return m.Version + " " + m.Sum
			}
		}
	}
	return d2version.Version
}

// noFS refuses D2's @imports: a diagram is self-contained.
type noFS struct{}

func (noFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
