package markdown

import (
	"strings"
	"testing"

	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/highlight"
)

func renderString(t *testing.T, src string, res Resolver) (string, *Doc, *diag.List) {
	t.Helper()
	r := New(Options{Highlighter: highlight.New(nil)})
	var diags diag.List
	d := r.Parse("page.md", "content/page.md", 1, []byte(src), &diags)
	return string(r.Render(d, res)), d, &diags
}

func TestSlug(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SQL vs NoSQL", "sql-vs-nosql"},
		{"At 10× the scale", "at-10-the-scale"},
		{"What's next?", "whats-next"},
		{"  Trim me  ", "trim-me"},
		{"snake_case and-dash", "snake_case-and-dash"},
		{"Ünïcode títle", "ünïcode-títle"},
		{"C++ / Go", "c--go"},
	}
	for _, c := range cases {
		if got := Slug(c.in); got != c.want {
			t.Errorf("Slug(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestHeadingsAndTOC(t *testing.T) {
	out, d, _ := renderString(t, "# Title\n\n## Storage\n\n### Hot keys\n\n## Storage\n\n#### Deep\n\n## Custom {#mine}\n", nil)
	var ids []string
	for _, h := range d.Headings {
		ids = append(ids, h.ID)
	}
	if got := strings.Join(ids, ","); got != "title,storage,hot-keys,storage-1,deep,mine" {
		t.Errorf("heading IDs = %s", got)
	}
	toc := TOC(d.Headings)
	if len(toc) != 3 || len(toc[0].Children) != 1 || toc[0].Children[0].ID != "hot-keys" || toc[2].ID != "mine" {
		t.Errorf("TOC = %+v", toc)
	}
	if !strings.Contains(out, `<h2 id="storage-1">Storage <a class="anchor" href="#storage-1" aria-label="Link to this section">#</a></h2>`) {
		t.Errorf("heading anchor missing:\n%s", out)
	}
	for _, id := range []string{"storage", "storage-1", "mine"} {
		if !d.Anchors[id] {
			t.Errorf("anchor %s not recorded", id)
		}
	}
}

func TestAlerts(t *testing.T) {
	for _, kind := range []string{"NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"} {
		out, _, _ := renderString(t, "> [!"+kind+"]\n> Body *text*.\n", nil)
		want := `<div class="alert alert-` + strings.ToLower(kind) + `" role="note"><p class="alert-title">`
		if !strings.Contains(out, want) || !strings.Contains(out, "<p>Body <em>text</em>.</p>") || strings.Contains(out, "[!") {
			t.Errorf("%s alert:\n%s", kind, out)
		}
	}
	// Not alerts: unknown kinds and markers not on the first line stay quotes.
	for _, src := range []string{"> [!BOGUS]\n> x\n", "> x\n> [!NOTE]\n"} {
		out, _, _ := renderString(t, src, nil)
		if !strings.Contains(out, "<blockquote>") {
			t.Errorf("%q should stay a blockquote:\n%s", src, out)
		}
	}
}

func TestDialect(t *testing.T) {
	out, _, _ := renderString(t, strings.Join([]string{
		"| a | b |", "|:--|--:|", "| 1 | 2 |", "",
		"- [x] done", "- [ ] open", "",
		"~~gone~~ https://example.com", "",
		"Term", ": Definition", "",
		"Note[^1].", "", "[^1]: Footnote.", "",
		`"quoted" -- dash`, "",
		"<kbd>raw</kbd>",
	}, "\n"), nil)
	for _, want := range []string{
		`<div class="table-wrap" tabindex="0">`, `<th align="left">a</th>`, `<td align="right">2</td>`,
		`<input type="checkbox" checked disabled aria-label="done">`, `aria-label="not done"`,
		`<del>gone</del>`, `<a href="https://example.com">`,
		`<dt>Term</dt>`, `class="footnote-ref"`, `&ldquo;quoted&rdquo; &ndash; dash`, `<kbd>raw</kbd>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "style=") {
		t.Errorf("output has a style attribute, which the CSP forbids:\n%s", out)
	}
}

func TestCodeBlocks(t *testing.T) {
	out, _, diags := renderString(t, "```go {linenos=true hl_lines=[2]}\npackage main\nfunc main() {}\n```\n\n```nosuchlang\n<x>\n```\n\n    indented\n", nil)
	if diags.Len() != 0 {
		t.Fatal(diags.Err())
	}
	for _, want := range []string{
		`<div class="code-block" data-lang="go"><pre class="chroma" tabindex="0">`,
		`<span class="line hl"><span class="ln">2</span>`,
		`<span class="kn">package</span>`,
		`data-lang="nosuchlang"`, `&lt;x&gt;`, `indented`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}

func TestParseInfo(t *testing.T) {
	cases := []struct {
		in    string
		lang  string
		attrs map[string]string
	}{
		{"go", "go", map[string]string{}},
		{"go {linenos=true hl_lines=[2,4-5]}", "go", map[string]string{"linenos": "true", "hl_lines": "2,4-5"}},
		{`calc id=twitter title="A b"`, "calc", map[string]string{"id": "twitter", "title": "A b"}},
		{"d2 linenos", "d2", map[string]string{"linenos": ""}},
		{`go {hl_lines=[2,"4-5"] title="a b c"}`, "go", map[string]string{"hl_lines": "2,4-5", "title": "a b c"}},
		{`foo\+bar`, "foo+bar", map[string]string{}},  // CommonMark example 24
		{"f&ouml;&ouml;", "föö", map[string]string{}}, // example 34
		{"", "", map[string]string{}},
	}
	for _, c := range cases {
		lang, attrs, ok := ParseInfo(c.in)
		if !ok || lang != c.lang || len(attrs) != len(c.attrs) {
			t.Errorf("ParseInfo(%q) = %q %v", c.in, lang, attrs)
			continue
		}
		for k, v := range c.attrs {
			if attrs[k] != v {
				t.Errorf("ParseInfo(%q)[%s] = %q, want %q", c.in, k, attrs[k], v)
			}
		}
	}
}

func TestParseInfoRefuses(t *testing.T) {
	for _, in := range []string{`x title="unterminated`, `go {a=[1,2}`} {
		if _, _, ok := ParseInfo(in); ok {
			t.Errorf("ParseInfo(%q) accepted", in)
		}
	}
}

func FuzzParseInfo(f *testing.F) {
	for _, s := range []string{"go", "go {a=1 b=[1,2]}", `x t="q`, "{", "=", "a =b", `a="" b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lang, attrs, _ := ParseInfo(s)
		if strings.ContainsAny(lang, " \t{") {
			t.Errorf("language %q contains a separator", lang)
		}
		for k := range attrs {
			if strings.ContainsAny(k, " \t=") {
				t.Errorf("attribute key %q contains a separator", k)
			}
		}
	})
}

func TestParseRanges(t *testing.T) {
	got, ok := parseRanges("2, 4-6 9")
	if !ok || len(got) != 3 || got[1] != [2]int{4, 6} {
		t.Errorf("parseRanges = %v %v", got, ok)
	}
	for _, bad := range []string{"x", "0", "5-2", "1-x"} {
		if _, ok := parseRanges(bad); ok {
			t.Errorf("parseRanges(%q) accepted", bad)
		}
	}
}

type mapResolver map[string]string

func (m mapResolver) ResolveLink(d *Doc, offset int, dest string) (string, bool) {
	if u, ok := m[dest]; ok {
		return u, true
	}
	d.Errorf(offset, "no such page "+dest)
	return "", false
}

func TestLinksResolvedAndReported(t *testing.T) {
	src := "See [a](a.md) and ![img](b.png).\n\nThen [missing](gone.md).\n"
	r := New(Options{})
	var diags diag.List
	d := r.Parse("page.md", "content/page.md", 10, []byte(src), &diags)
	out := string(r.Render(d, mapResolver{"a.md": "/a/", "b.png": "/b.png"}))
	if !strings.Contains(out, `<a href="/a/">a</a>`) || !strings.Contains(out, `<img src="/b.png" alt="img">`) {
		t.Errorf("links not rewritten:\n%s", out)
	}
	// Line 3 of the body is line 12 of the file; "[missing]" starts at column 6.
	if err := diags.Err(); err == nil || err.Error() != "content/page.md:12:6: no such page gone.md" {
		t.Errorf("diagnostic = %v", err)
	}
	// Rendering again resolves from what the author wrote, not the rewritten URL.
	var again diag.List
	d.Diags = &again
	r.Render(d, mapResolver{"a.md": "/other/", "b.png": "/b.png", "gone.md": "/g/"})
	if again.Len() != 0 {
		t.Errorf("second render: %v", again.Err())
	}
}

func TestDropTitle(t *testing.T) {
	r := New(Options{})
	var diags diag.List
	d := r.Parse("p.md", "p.md", 1, []byte("# Same\n\nText.\n"), &diags)
	d.DropTitle("Same")
	if out := string(r.Render(d, nil)); strings.Contains(out, "<h1") {
		t.Errorf("title heading kept:\n%s", out)
	}
	d = r.Parse("p.md", "p.md", 1, []byte("# Other\n"), &diags)
	d.DropTitle("Same")
	if out := string(r.Render(d, nil)); !strings.Contains(out, "<h1") {
		t.Errorf("a different heading was dropped:\n%s", out)
	}
}
