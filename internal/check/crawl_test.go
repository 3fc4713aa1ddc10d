package check

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scalebook/scalebook/internal/markdown"
	"github.com/scalebook/scalebook/internal/pipeline"
	"github.com/scalebook/scalebook/internal/search"
)

const repoBase = "/REPO/"

// themes are the themes to build the fixture site with: the build's test
// theme always, the real one when this checkout has it.
func themes(t *testing.T) map[string]string {
	out := map[string]string{"fixture": filepath.Join("..", "pipeline", "testdata", "theme")}
	if _, err := os.Stat(filepath.Join("..", "..", "theme", "assets", "js", "main.js")); err == nil {
		out["real"] = filepath.Join("..", "..", "theme")
	}
	return out
}

// buildFixture builds internal/pipeline's test site under base into a fresh
// folder and returns it.
func buildFixture(t *testing.T, contentDir, themeDir, base string) string {
	t.Helper()
	site, err := pipeline.New(pipeline.Options{ContentDir: contentDir, ThemeDir: themeDir, BaseURL: base}).Build()
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	dir := filepath.Join(t.TempDir(), "public")
	if err := site.Write(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// pagesHandler serves dir under base as GitHub Pages does: "x/" is
// x/index.html, "x" is the file x, or a redirect to "x/" for a folder, or
// x.html; anything else, and anything outside base, gets 404.html with
// status 404.
func pagesHandler(dir, base string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		notFound := func() {
			data, _ := os.ReadFile(filepath.Join(dir, "404.html"))
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(data)
		}
		p := r.URL.Path
		if p+"/" == base {
			http.Redirect(w, r, base, http.StatusMovedPermanently)
			return
		}
		if !strings.HasPrefix(p, base) || strings.Contains(p, "/../") {
			notFound()
			return
		}
		rel := strings.TrimPrefix(p, base)
		if rel == "" || strings.HasSuffix(rel, "/") {
			rel += "index.html"
		}
		file := filepath.Join(dir, filepath.FromSlash(rel))
		fi, err := os.Stat(file)
		if err == nil && fi.IsDir() {
			if _, err := os.Stat(filepath.Join(file, "index.html")); err == nil {
				http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
				return
			}
			notFound()
			return
		}
		if err != nil {
			file += ".html"
			if _, err := os.Stat(file); err != nil {
				notFound()
				return
			}
		}
		data, err := os.ReadFile(file)
		if err != nil {
			notFound()
			return
		}
		if ct := mime.TypeByExtension(path.Ext(file)); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.Write(data)
	})
}

// crawler fetches a site from one server, following every link and asset.
type crawler struct {
	t      *testing.T
	client *http.Client
	origin *url.URL
	bodies map[string][]byte // by URL without fragment, successful fetches
	failed map[string]int    // status of failed fetches
	from   map[string]string // where each URL was first seen
}

// refs returns the same-origin URLs a fetched document refers to, without
// fragments, resolved against the document's address.
func (c *crawler) refs(at *url.URL, contentType string, body []byte) []*url.URL {
	var p *page
	switch {
	case strings.HasPrefix(contentType, "text/html"):
		p = parseHTML(body)
	case strings.HasPrefix(contentType, "text/css"):
		p = parseCSS(body)
	default:
		return nil
	}
	base := at
	if p.base != "" {
		if b, err := url.Parse(p.base); err == nil {
			base = at.ResolveReference(b)
		}
	}
	self := *at
	self.Fragment, self.RawFragment = "", ""
	var out []*url.URL
	for _, r := range p.refs {
		u, err := url.Parse(strings.TrimSpace(r.URL))
		if err != nil || r.URL == "" {
			continue
		}
		u = base.ResolveReference(u)
		if u.Scheme != c.origin.Scheme || u.Host != c.origin.Host {
			continue
		}
		u.Fragment, u.RawFragment = "", ""
		if *u == self {
			continue // "#main" and the like: the browser fetches nothing
		}
		out = append(out, u)
	}
	return out
}

// crawl fetches start and everything reachable from it. Every request must
// succeed (after redirects).
func (c *crawler) crawl(start string) {
	queue := []string{start}
	c.from[start] = "(start)"
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		resp, err := c.client.Get(u)
		if err != nil {
			c.t.Errorf("GET %s: %v", u, err)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			c.failed[u] = resp.StatusCode
			c.t.Errorf("GET %s: %d, linked from %s", u, resp.StatusCode, c.from[u])
			continue
		}
		c.bodies[u] = body
		for _, ref := range c.refs(resp.Request.URL, resp.Header.Get("Content-Type"), body) {
			s := ref.String()
			if _, seen := c.from[s]; !seen {
				c.from[s] = u
				queue = append(queue, s)
			}
		}
	}
}

// TestCrawlUnderSubPath builds the fixture site under /REPO/, serves it
// like GitHub Pages and follows every link from the home page: nothing may
// be missing, the site's 404 page must come back for a missing address with
// all its own links working there, and every search result must point at
// a page and heading that exist.
func TestCrawlUnderSubPath(t *testing.T) {
	for name, theme := range themes(t) {
		t.Run(name, func(t *testing.T) {
			dir := buildFixture(t, filepath.Join("..", "pipeline", "testdata", "site"), theme, repoBase)

			// The static check agrees with the crawl.
			rep, err := Run(Options{Dir: dir, BaseURL: repoBase})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range rep.Problems {
				t.Errorf("check: %s", p.Error())
			}

			srv := httptest.NewServer(pagesHandler(dir, repoBase))
			defer srv.Close()
			origin, _ := url.Parse(srv.URL)
			c := &crawler{t: t, client: srv.Client(), origin: origin,
				bodies: map[string][]byte{}, failed: map[string]int{}, from: map[string]string{}}
			c.crawl(srv.URL + repoBase)
			if len(c.bodies) < 10 {
				t.Errorf("crawl reached only %d URLs", len(c.bodies))
			}

			// Every page in the sitemap is reachable from the home page.
			var sm struct {
				Locs []string `xml:"url>loc"`
			}
			if err := xml.Unmarshal(c.bodies[srv.URL+repoBase+"sitemap.xml"], &sm); err != nil {
				data, _ := os.ReadFile(filepath.Join(dir, "sitemap.xml"))
				if err := xml.Unmarshal(data, &sm); err != nil {
					t.Fatal(err)
				}
			}
			if len(sm.Locs) == 0 {
				t.Fatal("sitemap lists no pages")
			}
			for _, loc := range sm.Locs {
				if !strings.HasPrefix(loc, repoBase) {
					t.Errorf("sitemap: %s is not under %s", loc, repoBase)
				}
				if _, ok := c.bodies[srv.URL+loc]; !ok {
					t.Errorf("page %s is not reachable by links from the home page", loc)
				}
			}

			// A deliberate miss gets the site's 404 page, status 404, and
			// every link and asset of that page works from there.
			notFound, err := os.ReadFile(filepath.Join(dir, "404.html"))
			if err != nil {
				t.Fatal(err)
			}
			for _, miss := range []string{repoBase + "no/such/page/", repoBase + "guide/nothing-here", "/not-the-repo/"} {
				resp, err := c.client.Get(srv.URL + miss)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusNotFound || !bytes.Equal(body, notFound) {
					t.Errorf("GET %s: status %d, site 404 page %v; want 404 and the 404 page", miss, resp.StatusCode, bytes.Equal(body, notFound))
					continue
				}
				refs := c.refs(resp.Request.URL, resp.Header.Get("Content-Type"), body)
				if len(refs) < 3 {
					t.Errorf("404 page has only %d links and assets", len(refs))
				}
				for _, u := range refs {
					r, err := c.client.Get(u.String())
					if err != nil {
						t.Fatal(err)
					}
					r.Body.Close()
					if r.StatusCode != http.StatusOK {
						t.Errorf("404 page served at %s: %s gives %d", miss, u, r.StatusCode)
					}
				}
			}

			checkSearchIndex(t, c, srv.URL, dir)
		})
	}
}

// checkSearchIndex fetches the index as the page script does (the
// metadata file, then every file of page records it names) and follows
// every entry to its page and heading.
func checkSearchIndex(t *testing.T, c *crawler, server, dir string) {
	get := func(name string) []byte {
		resp, err := c.client.Get(server + repoBase + "search/" + name)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("search index: %s: %d", name, resp.StatusCode)
		}
		return data
	}
	var meta struct {
		V    int
		Docs []string
	}
	if err := json.Unmarshal(get("index.json"), &meta); err != nil {
		t.Fatalf("search index: %v", err)
	}
	if meta.V != search.Version || len(meta.Docs) == 0 {
		t.Fatalf("search index: version %d, %d files of pages", meta.V, len(meta.Docs))
	}
	for _, name := range meta.Docs {
		var pages [][]any // [url, title, [trail…], [[heading, text, aux, kind, anchor]…]]
		if err := json.Unmarshal(get(name), &pages); err != nil {
			t.Fatalf("search index: %s: %v", name, err)
		}
		for _, pg := range pages {
			u := server + repoBase + pg[0].(string)
			body, ok := c.bodies[u]
			if !ok {
				t.Errorf("search page %v: not reached by the crawl", u)
				continue
			}
			ids := parseHTML(body).ids
			for _, e := range pg[3].([]any) {
				// An entry leaves out an anchor that is its heading's slug.
				f := append(e.([]any), "")
				anchor := markdown.Slug(f[0].(string))
				if len(f) > 5 {
					anchor = f[4].(string)
				}
				if anchor != "" && !ids[anchor] {
					t.Errorf("search entry %v: no id %q in %s", e, anchor, u)
				}
			}
		}
	}

	// The index stays small: gzipped, under 15% of the site's text.
	text := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		switch filepath.Ext(p) {
		case ".html", ".css", ".js", ".xml", ".txt", ".svg":
			fi, _ := d.Info()
			text += int(fi.Size())
		}
		return nil
	})
	files, _ := os.ReadDir(filepath.Join(dir, "search"))
	raw, gzipped := 0, 0
	for _, f := range files {
		data, _ := os.ReadFile(filepath.Join(dir, "search", f.Name()))
		var gz bytes.Buffer
		w := gzip.NewWriter(&gz)
		w.Write(data)
		w.Close()
		raw += len(data)
		gzipped += gz.Len()
	}
	t.Logf("search index: %d files, %d bytes, %d gzipped; site text %d bytes (%.1f%%)", len(files), raw, gzipped, text, 100*float64(gzipped)/float64(text))
	if gzipped*100 > text*15 {
		t.Errorf("search index is %d bytes gzipped, over 15%% of the site's %d bytes of text", gzipped, text)
	}
}

// TestRealSite checks the project's own content and theme, when this
// checkout has content, built under a sub-path: no broken link, anchor or
// asset.
func TestRealSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole site; skipped with -short")
	}
	// The build finds some sources (calculators) from the project root.
	t.Chdir(filepath.Join("..", ".."))
	content, theme := "content", "theme"
	pages := 0
	filepath.WalkDir(content, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			pages++
		}
		return nil
	})
	if pages == 0 {
		t.Skip("no content yet")
	}
	if _, err := os.Stat(filepath.Join(theme, "assets", "js", "main.js")); err != nil {
		t.Skip("no theme")
	}
	site, err := pipeline.New(pipeline.Options{ContentDir: content, ThemeDir: theme, BaseURL: repoBase}).Build()
	if err != nil {
		// The build's own tests and CI's build step report that.
		first, _, _ := strings.Cut(err.Error(), "\n")
		t.Skipf("the site does not build here: %s", first)
	}
	dir := filepath.Join(t.TempDir(), "public")
	if err := site.Write(dir); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(Options{Dir: dir, BaseURL: repoBase})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		t.Errorf("check: %s", p.Error())
	}
	// The search index's size budget is internal/search's
	// TestIndexSizeGuide, against the text the index covers.
}
