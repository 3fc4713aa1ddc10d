package pipeline

import (
	"strings"
	"testing"

	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/diag"
)

func TestSitePolicy(t *testing.T) {
	var c content.Config
	c.CSP = map[string][]string{"img-src": {"https:", "https://cdn.example.com"}, "connect-src": {"https://api.example.com"}}
	var d diag.List
	got := sitePolicy(c, func(s string) string { return s }, &d)
	if d.Len() > 0 {
		t.Fatal(d.Err())
	}
	for _, want := range []string{"img-src 'self' data: https: https://cdn.example.com;", "connect-src 'self' https://api.example.com;", "script-src 'self' 'wasm-unsafe-eval';"} {
		if !strings.Contains(got, want) {
			t.Errorf("policy %q lacks %q", got, want)
		}
	}
	if p := sitePolicy(content.Config{}, nil, &d); p != CSP {
		t.Errorf("no csp: in site.yaml gave %q", p)
	}
	for dir, want := range map[string]string{
		"script-src": "cannot be widened",
		"img-srcs":   "unknown directive img-srcs",
	} {
		var d diag.List
		c := content.Config{CSP: map[string][]string{dir: {"https:"}}}
		sitePolicy(c, func(s string) string { return s }, &d)
		if err := d.Err(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("csp %s: %v, want %q", dir, err, want)
		}
	}
	var bad diag.List
	sitePolicy(content.Config{CSP: map[string][]string{"img-src": {"'unsafe-inline'"}}}, func(s string) string { return s }, &bad)
	if bad.Len() == 0 {
		t.Error("a quoted keyword was accepted as a source")
	}
}

func TestBlockedImageHosts(t *testing.T) {
	imgs := []string{"https://i.imgur.com/a.png", "http://i.imgur.com/b.png", "https://cdn.example.com/x.png", "https://img.example.org/y.png", "//proto.example.net/z.png"}
	cases := []struct{ policy, want string }{
		{CSP, "cdn.example.com i.imgur.com img.example.org proto.example.net"},
		{"img-src 'self' https:", "i.imgur.com"}, // the http one
		{"img-src 'self' https: http:", ""},
		{"img-src 'self' https://cdn.example.com *.example.org", "i.imgur.com proto.example.net"},
		{"img-src *", ""},
	}
	for _, c := range cases {
		if got := strings.Join(blockedImageHosts(c.policy, imgs), " "); got != c.want {
			t.Errorf("policy %q: blocked %q, want %q", c.policy, got, c.want)
		}
	}
}
