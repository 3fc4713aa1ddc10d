package diagram

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/scalebook/scalebook/internal/filecache"

	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/diagram/svgclean"
	"github.com/scalebook/scalebook/internal/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

type noLinks struct{}

func (noLinks) ResolveLink(_ *markdown.Doc, _ int, dest string) (string, bool) { return dest, true }

// renderPage runs a page through the site's Markdown renderer with r
// handling ```d2, as the build does.
func renderPage(t testing.TB, r *Renderer, src string) (string, []diag.Diagnostic) {
	t.Helper()
	md := markdown.New(markdown.Options{Fences: map[string]markdown.FenceHandler{"d2": r}})
	var diags diag.List
	// Line 4: as if three lines of front matter came first.
	doc := md.Parse("page.md", "content/page.md", 4, []byte(src), &diags)
	out := md.Render(doc, noLinks{})
	return string(out), diags.Sorted()
}

func TestGolden(t *testing.T) {
	for _, name := range []string{"architecture", "sequence"} {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", name+".md"))
			if err != nil {
				t.Fatal(err)
			}
			got, diags := renderPage(t, New(Options{}), string(src))
			if len(diags) > 0 {
				t.Fatalf("diagnostics: %v", diags)
			}
			checkCSPClean(t, got)
			golden := filepath.Join("testdata", name+".golden.html")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (go test -update rewrites it)\n got: %.600s…", golden, got)
			}
		})
	}
}

// checkCSPClean fails if HTML would be blocked by, or escape, the page's CSP.
func checkCSPClean(t testing.TB, html string) {
	t.Helper()
	lower := strings.ToLower(html)
	for _, bad := range []string{"<style", " style=", "<script", "javascript:", "@font-face", "base64,"} {
		if i := strings.Index(lower, bad); i >= 0 {
			t.Errorf("output contains %q: …%s…", bad, html[max(i-80, 0):min(i+80, len(html))])
		}
	}
	if m := regexp.MustCompile(`(?i)\son[a-z]+=`).FindString(html); m != "" {
		t.Errorf("output has an event handler attribute %q", m)
	}
}

func TestFigureMarkup(t *testing.T) {
	src := "```d2 caption=\"Fig <1>\"\n# Client & server\nc -> s\n```\n"
	got, diags := renderPage(t, New(Options{}), src)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	for _, want := range []string{
		`<figure class="diagram d2w-`,
		`<div class="diagram-view"><svg xmlns="http://www.w3.org/2000/svg" class="d2" viewBox=`,
		`role="img" aria-label="Client &amp; server"><title>Client &amp; server</title>`,
		`</svg></div><figcaption>Fig &lt;1&gt;</figcaption></figure>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	// Scales to the column: a viewBox and no size of its own.
	open := got[strings.Index(got, "<svg"):]
	open = open[:strings.Index(open, ">")]
	if !strings.Contains(open, "viewBox=") || strings.Contains(open, "width=") || strings.Contains(open, "height=") {
		t.Errorf("root svg tag %s: want a viewBox and no width or height", open)
	}
	// alt= wins over the comment.
	got, _ = renderPage(t, New(Options{}), "```d2 alt=\"From the attribute\"\n# From the comment\na -> b\n```\n")
	if !strings.Contains(got, `aria-label="From the attribute"`) {
		t.Errorf("alt attribute not used:\n%.300s", got)
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{
			name: "missing destination",
			// Page line 1 is file line 4; the code starts on page line 4.
			src:  "Text.\n\n```d2\n# Flow\na -> b\nc -> \n```\n",
			want: []string{"content/page.md:9:1: d2: connection missing destination"},
		},
		{
			name: "unknown shape",
			src:  "```d2\n# Shapes\nx: {\n  shape: blob\n}\n```\n",
			want: []string{`content/page.md:7:10: d2: unknown shape "blob"`},
		},
		{
			name: "indented in a list",
			src:  "- Item:\n\n  ```d2\n  # Flow\n  x: {shape: blob}\n  ```\n",
			want: []string{`content/page.md:8:14: d2: unknown shape "blob"`},
		},
		{
			name: "in a blockquote",
			src:  "> ```d2\n> # Flow\n> x: {shape: blob}\n> ```\n",
			want: []string{`content/page.md:6:14: d2: unknown shape "blob"`},
		},
		{
			name: "two errors",
			src:  "```d2\n# Two\nx: {shape: blob}\ny: {shape: blub}\n```\n",
			want: []string{
				`content/page.md:6:12: d2: unknown shape "blob"`,
				`content/page.md:7:12: d2: unknown shape "blub"`,
			},
		},
		{
			name: "no text alternative",
			src:  "Intro.\n\n```d2\na -> b\n```\n",
			want: []string{"content/page.md:6: d2 diagram has no text alternative: start the block with a comment"},
		},
		{
			name: "caption is not an alternative",
			src:  "```d2 caption=\"Figure 1\"\na -> b\n```\n",
			want: []string{"content/page.md:4: d2 diagram has no text alternative"},
		},
		{
			name: "comment after content",
			src:  "```d2\na -> b\n# Flow\n```\n",
			want: []string{"content/page.md:4: d2 diagram has no text alternative"},
		},
		{
			name: "empty",
			src:  "```d2 alt=\"Nothing\"\n```\n",
			want: []string{"content/page.md:5: d2: empty diagram"},
		},
		{
			name: "only a comment",
			src:  "```d2\n# Nothing here\n```\n",
			want: []string{"content/page.md:5: d2: empty diagram"},
		},
		{
			name: "imports refused",
			src:  "```d2\n# Imported\n...@other\n```\n",
			want: []string{`content/page.md:6:1: d2: failed to import "other.d2"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := renderPage(t, New(Options{}), tc.src)
			var got []string
			for _, d := range diags {
				got = append(got, d.Error())
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d diagnostics %q, want %d like %q", len(got), got, len(tc.want), tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("diagnostic %d = %q, want prefix %q", i, got[i], tc.want[i])
				}
			}
		})
	}
}

const archSrc = `# Client to database
client -> lb -> web -> app
app -> cache
app -> db: write
`

func TestCache(t *testing.T) {
	dir := t.TempDir()
	r := New(Options{Cache: filecache.Open(dir, filecache.Options{})})
	first, errs := r.SVG([]byte(archSrc))
	if errs != nil {
		t.Fatal(errs)
	}
	again, _ := r.SVG([]byte(archSrc))
	if n := r.layouts.Load(); n != 1 {
		t.Errorf("memory cache: %d layouts for two renders, want 1", n)
	}
	if !bytes.Equal(first, again) {
		t.Error("cached render differs")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "d2", "*", "*"))
	if len(files) != 1 || !regexp.MustCompile(`/[0-9a-f]{64}$`).MatchString(filepath.ToSlash(files[0])) {
		t.Fatalf("disk cache holds %v, want one entry named by its sha256", files)
	}

	// A new Renderer (the next build) reads the disk cache.
	warm := New(Options{Cache: filecache.Open(dir, filecache.Options{})})
	fromDisk, errs := warm.SVG([]byte(archSrc))
	if errs != nil {
		t.Fatal(errs)
	}
	if n := warm.layouts.Load(); n != 0 {
		t.Errorf("warm build laid out %d times, want 0", n)
	}
	if !bytes.Equal(first, fromDisk) {
		t.Error("disk cache returned different bytes")
	}

	// Another source is another entry.
	if _, errs := warm.SVG([]byte(archSrc + "app -> queue\n")); errs != nil {
		t.Fatal(errs)
	}
	if n := warm.layouts.Load(); n != 1 {
		t.Errorf("changed source: %d layouts, want 1", n)
	}

	// A damaged file is ignored and rewritten.
	if err := os.WriteFile(files[0], []byte("<svg>truncated"), 0o644); err != nil {
		t.Fatal(err)
	}
	fixed := New(Options{Cache: filecache.Open(dir, filecache.Options{})})
	svg, errs := fixed.SVG([]byte(archSrc))
	if errs != nil || !bytes.Equal(svg, first) || fixed.layouts.Load() != 1 {
		t.Errorf("damaged cache file: errs %v, same bytes %v, layouts %d", errs, bytes.Equal(svg, first), fixed.layouts.Load())
	}
	if b, ok := filecache.Open(dir, filecache.Options{}).Get(cacheNS, fixed.key([]byte(archSrc))); !ok || !bytes.Equal(b, first) {
		t.Error("damaged cache file was not rewritten")
	}

	// Without a cache folder the memory cache still serves repeats.
	mem := New(Options{})
	for range 3 {
		if _, errs := mem.SVG([]byte(archSrc)); errs != nil {
			t.Fatal(errs)
		}
	}
	if n := mem.layouts.Load(); n != 1 {
		t.Errorf("memory only: %d layouts for three renders, want 1", n)
	}
}

func TestCacheKey(t *testing.T) {
	r := New(Options{})
	a, b := r.key([]byte("a -> b")), r.key([]byte("a -> c"))
	if a == b {
		t.Error("different sources share a key")
	}
	if !strings.Contains(r.version, renderVersion) || !strings.Contains(r.version, "svgclean "+svgclean.Version) || !strings.Contains(r.version, "d2 v0.") {
		t.Errorf("version %q should name this package's output and D2's", r.version)
	}
	other := New(Options{})
	other.version += "x"
	if other.key([]byte("a -> b")) == a {
		t.Error("key ignores the version")
	}
}

func TestDeterministic(t *testing.T) {
	srcs := []string{archSrc, readCode(t, "sequence.md")}
	for _, src := range srcs {
		one, errs := New(Options{}).SVG([]byte(src))
		if errs != nil {
			t.Fatal(errs)
		}
		two, _ := New(Options{}).SVG([]byte(src))
		if !bytes.Equal(one, two) {
			t.Errorf("two renders differ:\n%s\n%s", one, two)
		}
	}
}

// readCode returns the first fenced block of a testdata page, unindented.
func readCode(t testing.TB, name string) string {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var code []string
	in := false
	for line := range strings.SplitSeq(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			if in {
				break
			}
			in = true
			continue
		}
		if in {
			code = append(code, strings.TrimPrefix(line, "  "))
		}
	}
	return strings.Join(code, "\n") + "\n"
}

func TestConcurrent(t *testing.T) {
	r := New(Options{Cache: filecache.Open(t.TempDir(), filecache.Options{})})
	var wg sync.WaitGroup
	results := make([][]byte, 16)
	for i := range results {
		wg.Go(func() {
			// Half the goroutines share a source, half have their own.
			src := archSrc
			if i%2 == 1 {
				src = fmt.Sprintf("# n\nn%d -> m -> o\n", i)
			}
			svg, errs := r.SVG([]byte(src))
			if errs != nil {
				t.Error(errs)
			}
			results[i] = svg
		})
	}
	wg.Wait()
	for i := 2; i < len(results); i += 2 {
		if !bytes.Equal(results[0], results[i]) {
			t.Errorf("render %d differs", i)
		}
	}
	if n := r.layouts.Load(); n != 9 {
		t.Errorf("%d layouts, want 9 (one shared source, eight others)", n)
	}
}

// TestKitchenSink renders D2 features beyond boxes and arrows and checks the
// output stays CSP-clean and styled by diagram.css.
func TestKitchenSink(t *testing.T) {
	src := `# Everything
direction: right
vars: {d2-config: {theme-id: 200; sketch: true}}
cloud: AWS {
  lb: LB {shape: hexagon}
  app: App {style.multiple: true}
  db: DB {shape: cylinder; style.shadow: true}
  lb -> app -> db
}
md: |md
  # Title
  Some **bold** and ` + "`code`" + `
|
code: |go
  func main() { fmt.Println("hi") }
|
t: users {
  shape: sql_table
  id: int {constraint: primary_key}
}
c: Cache {
  shape: class
  +get(k string): string
}
x: X {tooltip: hello; link: https://example.com}
y: Y {style: {fill: "#ff0000"; stroke-dash: 3; opacity: 0.6; font-color: white; 3d: true; fill-pattern: dots}}
cloud.db -> t: rows {style.animated: true}
x -> y -> c
x -> md: {source-arrowhead: 1; target-arrowhead: {shape: diamond; style.filled: true}}
`
	svg, errs := New(Options{}).SVG([]byte(src))
	if errs != nil {
		t.Fatal(errs)
	}
	html := string(figure(svg, "everything", "", nil))
	checkCSPClean(t, html)
	checkClassesStyled(t, html)
	// The theme and sketch settings of the source cannot override ours.
	if !strings.Contains(html, "fill-B6") {
		t.Error("theme colour classes missing")
	}
}

// checkClassesStyled fails if the HTML uses a class diagram.css lacks.
func checkClassesStyled(t testing.TB, html string) {
	t.Helper()
	css := string(CSS)
	for _, m := range regexp.MustCompile(`class="([^"]*)"`).FindAllStringSubmatch(html, -1) {
		for _, c := range strings.Fields(m[1]) {
			if c == "diagram" || c == "d2" {
				continue
			}
			if !regexp.MustCompile(`\.` + regexp.QuoteMeta(c) + `\b`).MatchString(css) {
				t.Errorf("class %q has no rule in diagram.css", c)
			}
		}
	}
}

func TestCSS(t *testing.T) {
	css := string(CSS)
	for _, c := range svgclean.ThemeColors {
		for _, p := range []string{"fill", "stroke", "color"} {
			want := fmt.Sprintf("svg.d2 .%s-%s { %s: var(--d2-%s); }", p, c, p, strings.ToLower(c))
			if !strings.Contains(css, want) {
				t.Errorf("diagram.css lacks %q", want)
			}
		}
		// Both themes define the colour.
		if n := strings.Count(css, "--d2-"+strings.ToLower(c)+":"); n != 3 {
			t.Errorf("--d2-%s defined %d times, want 3 (light, dark by preference, dark by choice)", strings.ToLower(c), n)
		}
	}
	for w := bucketStep; w <= bucketMax; w += bucketStep {
		if want := fmt.Sprintf(".d2w-%d{--dw:%d}", w, w); !strings.Contains(css, want) {
			t.Errorf("diagram.css lacks %s", want)
		}
	}
	for _, w := range []float64{0.5, 40, 41, 708, 3199, 99999} {
		b := sizeBucket(w)
		if b%bucketStep != 0 || b < bucketStep || b > bucketMax || (w <= bucketMax && float64(b) < w) {
			t.Errorf("sizeBucket(%v) = %d", w, b)
		}
	}
	for _, bad := range []string{"url(", "@import", "expression("} {
		if strings.Contains(css, bad) {
			t.Errorf("diagram.css contains %q", bad)
		}
	}
}

func TestLeadingComment(t *testing.T) {
	for in, want := range map[string]string{
		"# Flow\na -> b":       "Flow",
		"\n\n  ## Flow  \na":   "Flow",
		"a -> b\n# Flow":       "",
		"#\na":                 "",
		"":                     "",
		"# Übersicht: A → B\n": "Übersicht: A → B",
	} {
		if got := leadingComment([]byte(in)); got != want {
			t.Errorf("leadingComment(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFitAndFullSize: every diagram fits its column as it first shows (no
// minimum width, no scrolling figure); one wider than a phone's column
// carries the "Full size" switch, which the CSS reads.
func TestFitAndFullSize(t *testing.T) {
	r := New(Options{})
	small, _ := r.SVG([]byte("# s\na -> b\n"))
	wide, _ := r.SVG([]byte("# w\ndirection: right\na -> b -> c -> d -> e -> f\n"))
	zoom := `<label class="diagram-zoom"><input type="checkbox"> Full size</label>`
	s := string(figure(small, "s", "", nil))
	if strings.Contains(s, zoom) || strings.Contains(s, "tabindex") {
		t.Errorf("a small diagram fits everywhere; no switch, no tabindex: %.200s", s)
	}
	w := string(figure(wide, "w", "", nil))
	if !strings.Contains(w, zoom) {
		t.Errorf("a wide diagram lacks the full-size switch: %.200s", w)
	}
	if strings.Contains(w, "tabindex") {
		t.Errorf("a fitted diagram does not scroll, so it is no Tab stop: %.200s", w)
	}
	checkClassesStyled(t, w)
	css := string(CSS)
	if strings.Contains(css, "min-width: calc(var(--dw") {
		t.Error("diagram.css still gives diagrams a minimum width, which overflows phones")
	}
	// The switch shows only while the column is narrower than the diagram.
	b := sizeBucket(svgclean.ViewBoxWidth(mustViewBox(t, wide)))
	if want := fmt.Sprintf("@container diagram (width < %dpx) { .d2w-%d .diagram-zoom { display: inline-flex; } }", b, b); !strings.Contains(css, want) {
		t.Errorf("no rule shows the switch of a %d px diagram: want %s", b, want)
	}
}

func mustViewBox(t *testing.T, svg []byte) string {
	t.Helper()
	vb, _, ok := svgclean.SplitRoot(svg)
	if !ok {
		t.Fatal("no root svg")
	}
	return vb
}

// TestSequenceSteps: a sequence diagram too wide to read on a phone also
// lists its messages, in order, naming the participants by their labels.
func TestSequenceSteps(t *testing.T) {
	src := `# Checkout
shape: sequence_diagram
c: Client
gw: Gateway (behind the load balancer)
svc: Payment service
psp: "Payment service provider"
c -> gw: POST /v1/payments + Idempotency-Key <b>
gw -> gw: TLS, token check, rate limit
gw -> svc: Charge(order, amount) with a long label to widen it
svc <- psp: webhook: charge succeeded, reference attached
svc -- c: done
`
	got, diags := renderPage(t, New(Options{}), "```d2\n"+src+"```\n")
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	for _, want := range []string{
		`<ol class="diagram-steps" aria-label="The messages in order">`,
		`<li><span class="diagram-actor">Client</span> → <span class="diagram-actor">Gateway (behind the load balancer)</span>: POST /v1/payments + Idempotency-Key &lt;b&gt;</li>`,
		`<li><span class="diagram-actor">Gateway (behind the load balancer)</span>: TLS, token check, rate limit</li>`,
		`<li><span class="diagram-actor">Payment service provider</span> → <span class="diagram-actor">Payment service</span>: webhook: charge succeeded, reference attached</li>`,
		`<li><span class="diagram-actor">Payment service</span> — <span class="diagram-actor">Client</span>: done</li></ol>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got[strings.Index(got, "</svg>"):])
		}
	}
	if n := strings.Count(got, "<li>"); n != 5 {
		t.Errorf("%d steps, want 5", n)
	}
	// Not a sequence diagram, or one that reads at any width: no list.
	for _, src := range []string{"# a\na -> b: hello\n", "# s\nshape: sequence_diagram\na -> b: hi\n"} {
		if got, _ := renderPage(t, New(Options{}), "```d2\n"+src+"```\n"); strings.Contains(got, "diagram-steps") {
			t.Errorf("%q lists steps:\n%s", src, got)
		}
	}
}

func BenchmarkRenderCold(b *testing.B) {
	for _, name := range []string{"architecture", "sequence"} {
		b.Run(name, func(b *testing.B) {
			src := readCode(b, name+".md")
			r := New(Options{})
			for i := 0; b.Loop(); i++ {
				// Vary the source so nothing is cached between iterations.
				if _, errs := r.SVG(fmt.Appendf(nil, "%s\n# %d\n", src, i)); errs != nil {
					b.Fatal(errs)
				}
			}
		})
	}
}

func BenchmarkRenderCached(b *testing.B) {
	src := []byte(readCode(b, "sequence.md"))
	r := New(Options{})
	if _, errs := r.SVG(src); errs != nil {
		b.Fatal(errs)
	}
	f := &markdown.Fence{Lang: "d2", Attrs: map[string]string{"alt": "x"}, Code: src, Line: 1}
	d := &markdown.Doc{Diags: &diag.List{}}
	for b.Loop() {
		r.RenderFence(d, f)
	}
}

func BenchmarkRenderDiskCached(b *testing.B) {
	src := []byte(readCode(b, "sequence.md"))
	dir := b.TempDir()
	cache := filecache.Open(dir, filecache.Options{})
	if _, errs := New(Options{Cache: cache}).SVG(src); errs != nil {
		b.Fatal(errs)
	}
	for b.Loop() {
		if _, errs := New(Options{Cache: cache}).SVG(src); errs != nil {
			b.Fatal(errs)
		}
	}
}

// TestTooBig: sources D2 would take minutes over are refused at once.
func TestTooBig(t *testing.T) {
	deep := strings.Repeat("a: {\n", 1000) + "x\n" + strings.Repeat("}\n", 1000)
	r := New(Options{})
	_, errs := r.SVG([]byte("# deep\n" + deep))
	if len(errs) != 1 || errs[0].Line != 34 || !strings.Contains(errs[0].Msg, "nested more than 32 deep") {
		t.Errorf("deep: %v", errs)
	}
	_, errs = r.SVG([]byte(strings.Repeat("a -> b\n", 20000)))
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "diagrams are at most 64 KB") {
		t.Errorf("big: %v", errs)
	}
	if _, errs := r.SVG([]byte("a: \"{{{\"\nb: {c}\n")); errs != nil {
		t.Errorf("braces in strings counted: %v", errs)
	}
	if n := r.layouts.Load(); n != 1 {
		t.Errorf("D2 ran %d times; the refused sources must not reach it", n)
	}
}

// TestScriptLinksDropped: D2 passes a node's link through as written; a
// javascript: link must not reach the page, a web link must.
func TestScriptLinksDropped(t *testing.T) {
	svg, errs := New(Options{}).SVG([]byte("a: {link: \"javascript:alert(1)\"}\nb: {link: \"https://example.com/docs\"}\n"))
	if errs != nil {
		t.Fatal(errs)
	}
	if bytes.Contains(bytes.ToLower(svg), []byte("javascript")) {
		t.Errorf("a javascript: link survived:\n%s", svg)
	}
	if !bytes.Contains(svg, []byte(`href="https://example.com/docs"`)) {
		t.Errorf("the web link was dropped:\n%s", svg)
	}
}

// FuzzSequenceSteps: any source gives a list or nothing, never a crash,
// and every step names its participants.
func FuzzSequenceSteps(f *testing.F) {
	f.Add([]byte("shape: sequence_diagram\na: A\nb: B\na -> b: hi\nb -> b: think\na <- b: back\n"))
	f.Add([]byte("shape: sequence_diagram\na.t1 -> b: span\ng: {a -> b}\nb.\"note\": hello\n"))
	f.Add([]byte("shape: sequence_diagram\nx: {shape: sequence_diagram; a -> b}\n"))
	f.Add([]byte("shape: sequence_diagram\na -> b: \"x; y\"\n{"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, s := range sequenceSteps(src) {
			if s.from == "" || s.to == "" || s.arrow == "" {
				t.Errorf("step %+v from %q", s, src)
			}
		}
	})
}
