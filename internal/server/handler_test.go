package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func testSite(base string) *Site {
	return &Site{
		Base:    base,
		Version: "v1",
		Files: map[string][]byte{
			"index.html":                []byte("<p>home</p>"),
			"404.html":                  []byte("<p>custom not found</p>"),
			"guide/x/index.html":        []byte("<p>guide x</p>"),
			"assets/main-ABC.js":        []byte("console.log(1)"),
			"assets/main-ABC.js.map":    []byte("{}"),
			"assets/site-ABC.css":       []byte("body{}"),
			"calc/engine.wasm":          []byte("\x00asm\x01\x00\x00\x00"),
			"favicon.svg":               []byte("<svg/>"),
			"search.json":               []byte("[]"),
			"sitemap.xml":               []byte("<urlset/>"),
			"robots.txt":                []byte("User-agent: *"),
			"systems/img/arch.png":      []byte("\x89PNG"),
			"systems/img/photo.JPG":     []byte("\xff\xd8"),
			"fonts/inter.woff2":         []byte("wOF2"),
			"downloads/cheatsheet.qqqx": []byte("?"),
		},
	}
}

func newTestServer(t *testing.T, base string) (*httptest.Server, *Handler) {
	t.Helper()
	h := NewHandler(NewBroker(), testSite(base))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, h
}

// noRedirects lets tests see redirects instead of following them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func fetch(t *testing.T, method, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestContentTypesAndCaching(t *testing.T) {
	srv, _ := newTestServer(t, "/")
	for _, tc := range []struct{ path, ctype, cache string }{
		{"/", "text/html; charset=utf-8", "no-store"},
		{"/guide/x/", "text/html; charset=utf-8", "no-store"},
		{"/assets/main-ABC.js", "text/javascript; charset=utf-8", "no-cache"},
		{"/assets/main-ABC.js.map", "application/json", "no-cache"},
		{"/assets/site-ABC.css", "text/css; charset=utf-8", "no-cache"},
		{"/calc/engine.wasm", "application/wasm", "no-cache"},
		{"/favicon.svg", "image/svg+xml", "no-cache"},
		{"/search.json", "application/json", "no-cache"},
		{"/sitemap.xml", "application/xml; charset=utf-8", "no-cache"},
		{"/robots.txt", "text/plain; charset=utf-8", "no-cache"},
		{"/systems/img/arch.png", "image/png", "no-cache"},
		{"/systems/img/photo.JPG", "image/jpeg", "no-cache"},
		{"/fonts/inter.woff2", "font/woff2", "no-cache"},
		{"/downloads/cheatsheet.qqqx", "application/octet-stream", "no-cache"},
		{"/_scalebook/reload.js", "text/javascript; charset=utf-8", "no-cache"},
		{"/_scalebook/overlay.css", "text/css; charset=utf-8", "no-cache"},
	} {
		resp, _ := fetch(t, "GET", srv.URL+tc.path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", tc.path, resp.Status)
		}
		if got := resp.Header.Get("Content-Type"); got != tc.ctype {
			t.Errorf("%s: Content-Type %q, want %q", tc.path, got, tc.ctype)
		}
		if got := resp.Header.Get("Cache-Control"); got != tc.cache {
			t.Errorf("%s: Cache-Control %q, want %q", tc.path, got, tc.cache)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", tc.path, got)
		}
	}
}

// Everything but pages revalidates cheaply with its ETag.
func TestETagRevalidates(t *testing.T) {
	srv, _ := newTestServer(t, "/")
	resp, _ := fetch(t, "GET", srv.URL+"/assets/main-ABC.js")
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req, _ := http.NewRequest("GET", srv.URL+"/assets/main-ABC.js", nil)
	req.Header.Set("If-None-Match", etag)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %s, want 304", resp.Status)
	}
}

func TestRoutes(t *testing.T) {
	for _, tc := range []struct {
		base, method, path string
		status             int
		location, body     string
	}{
		{"/", "GET", "/", 200, "", "home"},
		{"/", "HEAD", "/", 200, "", ""},
		{"/", "GET", "/index.html", 200, "", "home"},
		{"/", "GET", "/guide/x/", 200, "", "guide x"},
		{"/", "GET", "/guide/x", 301, "/guide/x/", ""},
		{"/", "GET", "/guide/x?q=1", 301, "/guide/x/?q=1", ""},
		{"/", "GET", "/guide/nope/", 404, "", "custom not found"},
		{"/", "HEAD", "/guide/nope/", 404, "", ""},
		{"/", "GET", "/systems/img/", 404, "", "custom not found"}, // no listings
		{"/", "GET", "/systems/img", 404, "", "custom not found"},
		{"/", "POST", "/", 405, "", ""},
		{"/", "GET", "/_scalebook/nope", 404, "", ""},
		{"/repo/", "GET", "/", 302, "/repo/", ""},
		{"/repo/", "GET", "/repo", 302, "/repo/", ""},
		{"/repo/", "GET", "/repo/", 200, "", "home"},
		{"/repo/", "GET", "/repo/guide/x", 301, "/repo/guide/x/", ""},
		{"/repo/", "GET", "/repo/guide/x/", 200, "", "guide x"},
		{"/repo/", "GET", "/guide/x/", 404, "", "custom not found"},
		{"/repo/", "GET", "/repo/_scalebook/reload.js", 200, "", "EventSource"},
		{"/repo/", "GET", "/_scalebook/reload.js", 404, "", "custom not found"},
	} {
		srv, _ := newTestServer(t, tc.base)
		resp, body := fetch(t, tc.method, srv.URL+tc.path)
		name := tc.method + " " + tc.path + " (base " + tc.base + ")"
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", name, resp.StatusCode, tc.status)
		}
		if got := resp.Header.Get("Location"); got != tc.location {
			t.Errorf("%s: Location %q, want %q", name, got, tc.location)
		}
		if tc.body != "" && !strings.Contains(body, tc.body) {
			t.Errorf("%s: body %q, want it to contain %q", name, body, tc.body)
		}
		if tc.method == "HEAD" && body != "" {
			t.Errorf("%s: HEAD has a body", name)
		}
		if tc.status == 404 && strings.Contains(tc.body, "custom") && resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: 404 page Cache-Control %q", name, resp.Header.Get("Cache-Control"))
		}
	}
}

func TestTraversalRefusedByHandler(t *testing.T) {
	srv, _ := newTestServer(t, "/")
	u, _ := url.Parse(srv.URL)
	for _, target := range traversalTargets {
		code, _ := rawGet(t, u.Host, target)
		if code != http.StatusBadRequest && code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 400 or 404", target, code)
		}
	}
	// Dot segments are refused outright rather than resolved.
	for _, target := range []string{"/../index.html", "/%2e%2e/index.html", "/guide/x/..%2f..%2findex.html", "/..%5cindex.html", "/guide/../index.html"} {
		if code, _ := rawGet(t, u.Host, target); code != http.StatusBadRequest {
			t.Errorf("GET %s: status %d, want 400", target, code)
		}
	}
}

// Swap replaces the whole site: the old files are gone at once.
func TestSwapIsWhole(t *testing.T) {
	srv, h := newTestServer(t, "/")
	h.Swap(&Site{Base: "/", Version: "v2", Files: map[string][]byte{"index.html": []byte("new home"), "404.html": []byte("new 404")}})
	if _, body := fetch(t, "GET", srv.URL+"/"); body != "new home" {
		t.Errorf("home = %q", body)
	}
	if resp, body := fetch(t, "GET", srv.URL+"/guide/x/"); resp.StatusCode != 404 || body != "new 404" {
		t.Errorf("old page after swap: %s %q", resp.Status, body)
	}
}

// Before any build succeeds, pages list the problems, escaped.
func TestFailurePage(t *testing.T) {
	b := NewBroker()
	b.Publish(Event{Type: EventError, Errors: []Problem{{Text: `content/x.md:3:7: bad <script>alert(1)</script>`, Source: "  3 | a <b>\n    | ^"}}})
	srv := httptest.NewServer(NewHandler(b, &Site{Base: "/"}))
	defer srv.Close()
	resp, body := fetch(t, "GET", srv.URL+"/any/page/")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status %s", resp.Status)
	}
	if !strings.Contains(body, "content/x.md:3:7: bad &lt;script&gt;") || strings.Contains(body, "<script>alert") {
		t.Errorf("problem not shown escaped:\n%s", body)
	}
	if !strings.Contains(body, "<pre>  3 | a &lt;b&gt;\n    | ^</pre>") {
		t.Errorf("source line not shown:\n%s", body)
	}
	if got := resp.Header.Get("Server-Timing"); got != `scalebook;desc="none"` {
		t.Errorf("Server-Timing = %q", got)
	}
}
