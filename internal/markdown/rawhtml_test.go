package markdown

import (
	"strings"
	"testing"
)

func TestRewriteURLs(t *testing.T) {
	res := func(tag, attr, v string, at int) (string, bool) {
		if strings.HasPrefix(v, "http") || strings.HasPrefix(v, "#") {
			return v, true
		}
		if v == "missing.png" {
			return "", false
		}
		return "/site/" + v, true
	}
	cases := []struct{ in, want string }{
		{`<img src="a.png" alt="x">`, `<img src="/site/a.png" alt="x">`},
		{`<IMG SRC='a.png'>`, `<IMG SRC='/site/a.png'>`},
		{`<img src=a.png width=3>`, `<img src=/site/a.png width=3>`},
		{`<a href="b.md#x">b</a> <a href="https://e.com">e</a>`, `<a href="/site/b.md#x">b</a> <a href="https://e.com">e</a>`},
		{`<img srcset="a.png 1x, b.png 2x" src="c.png">`, `<img srcset="/site/a.png 1x, /site/b.png 2x" src="/site/c.png">`},
		{`<video poster="p.jpg"><source src="v.mp4" type="video/mp4"></video>`, `<video poster="/site/p.jpg"><source src="/site/v.mp4" type="video/mp4"></video>`},
		{`<img src="missing.png">`, `<img src="missing.png">`},
		{`<img src="a&amp;b.png">`, `<img src="/site/a&amp;b.png">`},
		{`<div data-src="a.png"><p title="src=a.png">`, `<div data-src="a.png"><p title="src=a.png">`},
		{`<!-- <img src="a.png"> --><img src="b.png">`, `<!-- <img src="a.png"> --><img src="/site/b.png">`},
		{`<img src="a.png"`, `<img src="/site/a.png"`},
		{`<img src="unterminated>`, `<img src="unterminated>`},
		{`text with no tags`, `text with no tags`},
	}
	for _, c := range cases {
		if got := string(rewriteURLs([]byte(c.in), res)); got != c.want {
			t.Errorf("rewriteURLs(%s)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

// TestRawHTMLLinksResolved: raw HTML images and links go through the same
// resolver as Markdown ones, with problems at their position.
func TestRawHTMLLinksResolved(t *testing.T) {
	src := "Intro.\n\n<p align=\"center\">\n  <img src=\"a.md\">\n  <img src=\"gone.png\">\n</p>\n\nInline <img src=\"a.md\"> too.\n"
	out, _, diags := renderString(t, src, mapResolver{"a.md": "/A/"})
	if strings.Count(out, `src="/A/"`) != 2 || !strings.Contains(out, `src="gone.png"`) || !strings.Contains(out, `<p align="center">`) {
		t.Errorf("output:\n%s", out)
	}
	errs := diags.Sorted()
	if len(errs) != 1 || errs[0].Error() != "content/page.md:5:13: no such page gone.png" {
		t.Errorf("errors = %v", errs)
	}
}
