package check

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func messages(rep *Report) []string {
	var out []string
	for _, p := range rep.Problems {
		out = append(out, p.Error())
	}
	return out
}

// brokenProblems are the problems of testdata/broken, the same under any
// base URL whose path is /repo/.
var brokenProblems = []string{
	"testdata/broken/404.html:5: link to guide/ is relative, but 404.html is served at any address; make it start with /repo/",
	"testdata/broken/assets/site.css:4: CSS url fonts/missing.woff2 does not resolve",
	"testdata/broken/index.html:10: script /repo/assets/missing.js does not resolve",
	`testdata/broken/index.html:14: link to /repo/guide/page/#missing: no id "missing" in guide/page/index.html`,
	"testdata/broken/index.html:15: link to /repo/missing/ does not resolve",
	"testdata/broken/index.html:16: link to /other/ is outside the base path /repo/",
	`testdata/broken/index.html:18: link to #nolocal: no id "nolocal" in index.html`,
	"testdata/broken/index.html:22: image img/gone.png does not resolve",
	"testdata/broken/index.html:24: image /repo/img/logo@2x.png does not resolve",
	`testdata/broken/index.html:26: SVG reference /repo/icons.svg#nope: no id "nope" in icons.svg`,
	"testdata/broken/index.html:30: link to ../escape/ is outside the base path /repo/",
	"testdata/broken/index.html:32: link to https://u.github.io/repo/nothing/ does not resolve",
	`testdata/broken/index.html:33: link to %zz is not a valid URL: invalid URL escape "%zz"`,
	"testdata/broken/index.html:35: video /repo/media/clip.mp4 does not resolve",
	"testdata/broken/moved/index.html:2: redirect to /repo/gone/ does not resolve",
}

func TestBrokenSite(t *testing.T) {
	rep, err := Run(Options{Dir: "testdata/broken", BaseURL: "https://u.github.io/repo/"})
	if err != nil {
		t.Fatal(err)
	}
	if got := messages(rep); !reflect.DeepEqual(got, brokenProblems) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(brokenProblems, "\n"))
	}
	if want := []string{"https://example.com/x"}; !reflect.DeepEqual(rep.External, want) {
		t.Errorf("external = %q, want %q", rep.External, want)
	}
	if rep.BaseURL != "https://u.github.io/repo/" || rep.Pages != 7 {
		t.Errorf("base %q, %d pages; want https://u.github.io/repo/, 7", rep.BaseURL, rep.Pages)
	}
}

// Without an origin, absolute links to the site's own host are external,
// and without -base-url the base comes from the home page's meta tag.
func TestBrokenSitePathBase(t *testing.T) {
	var want []string
	for _, m := range brokenProblems {
		if !strings.Contains(m, "https://u.github.io/") {
			want = append(want, m)
		}
	}
	for _, base := range []string{"/repo/", "/repo", ""} {
		rep, err := Run(Options{Dir: "testdata/broken", BaseURL: base})
		if err != nil {
			t.Fatal(err)
		}
		if rep.BaseURL != "/repo/" {
			t.Errorf("base %q: checked under %q, want /repo/", base, rep.BaseURL)
		}
		if got := messages(rep); !reflect.DeepEqual(got, want) {
			t.Errorf("base %q: problems:\n%s\nwant:\n%s", base, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		wantExt := []string{"https://example.com/x", "https://u.github.io/repo/guide/", "https://u.github.io/repo/nothing/"}
		if !reflect.DeepEqual(rep.External, wantExt) {
			t.Errorf("base %q: external = %q, want %q", base, rep.External, wantExt)
		}
	}
}

// The same files checked under the wrong base: every absolute link leaves it.
func TestWrongBase(t *testing.T) {
	rep, err := Run(Options{Dir: "testdata/broken", BaseURL: "/"})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(messages(rep), "\n")
	if !strings.Contains(got, "testdata/broken/index.html:7: stylesheet /repo/assets/site.css does not resolve") {
		t.Errorf("under /, /repo/ links should not resolve; got:\n%s", got)
	}
}

func TestCleanSite(t *testing.T) {
	rep, err := Run(Options{Dir: "testdata/clean"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) > 0 {
		t.Errorf("clean site has problems:\n%s", strings.Join(messages(rep), "\n"))
	}
	if want := []string{"https://example.com/elsewhere", "https://example.org/"}; !reflect.DeepEqual(rep.External, want) {
		t.Errorf("external = %q, want %q", rep.External, want)
	}
	if rep.Pages != 6 || rep.Refs < 25 {
		t.Errorf("checked %d pages, %d refs; want 6 pages, 25+ refs", rep.Pages, rep.Refs)
	}
	// With an origin, the canonical link is the site's own and checked.
	rep, err = Run(Options{Dir: "testdata/clean", BaseURL: "https://example.org/"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) > 0 || !reflect.DeepEqual(rep.External, []string{"https://example.com/elsewhere"}) {
		t.Errorf("under https://example.org/: problems %q, external %q; want none, one", messages(rep), rep.External)
	}
	rep2, _ := Run(Options{Dir: "testdata/clean", BaseURL: "https://example.org/"})
	if !reflect.DeepEqual(rep, rep2) {
		t.Error("two runs differ")
	}
}

func TestRunErrors(t *testing.T) {
	if _, err := Run(Options{Dir: filepath.Join(t.TempDir(), "missing")}); err == nil || !strings.Contains(err.Error(), "is not a folder") {
		t.Errorf("missing folder: err = %v", err)
	}
	if _, err := Run(Options{Dir: "testdata/clean", BaseURL: "ftp://x/"}); err == nil {
		t.Error("ftp base URL: no error")
	}
}

// External links are fetched only on request: here from a local server,
// since tests have no network.
func TestExternal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
		case "/no-head":
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
			}
		case "/moved":
			http.Redirect(w, r, "/ok", http.StatusMovedPermanently)
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	page := "<!doctype html>\n<a href=\"" + srv.URL + "/ok\">a</a>\n<a href=\"" + srv.URL + "/no-head\">b</a>\n" +
		"<a href=\"" + srv.URL + "/moved\">c</a>\n<a href=\"" + srv.URL + "/gone\">d</a>\n<img src=\"" + srv.URL + "/gone\" alt=\"\">\n" +
		"<a href=\"" + srv.URL + "/slow\">e</a>\n"
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Run(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 0 || len(rep.External) != 5 {
		t.Fatalf("without -external: problems %q, %d external; want none, 5", messages(rep), len(rep.External))
	}
	rep, err = Run(Options{Dir: dir, External: true, Timeout: 500 * time.Millisecond, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "index.html")
	want := []string{
		file + ":5: external link " + srv.URL + "/gone: HTTP 404 Not Found",
		file + ":6: external link " + srv.URL + "/gone: HTTP 404 Not Found",
		file + ":7: external link " + srv.URL + "/slow: no answer within 500ms",
	}
	if got := messages(rep); !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSrcset(t *testing.T) {
	// As in HTML, a comma inside a URL belongs to it.
	got := srcset(" a.png 1x,b.png  2x ,\n c.png, d,e.png 640w")
	var urls []string
	for _, c := range got {
		urls = append(urls, c.url)
	}
	if want := []string{"a.png", "b.png", "c.png", "d,e.png"}; !reflect.DeepEqual(urls, want) {
		t.Errorf("srcset = %q, want %q", urls, want)
	}
}

func TestRefreshURL(t *testing.T) {
	for in, want := range map[string]string{
		"0; url=/a/":       "/a/",
		"0;URL='/b/'":      "/b/",
		`5; url = "/c/"`:   "/c/",
		"0":                "",
		"3, url=/d/":       "/d/",
		"0; /e/":           "/e/",
		"0; url=https://x": "https://x",
	} {
		if got := refreshURL(in); got != want {
			t.Errorf("refreshURL(%q) = %q, want %q", in, got, want)
		}
	}
}
