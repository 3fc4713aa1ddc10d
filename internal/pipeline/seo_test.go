package pipeline

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestAbsoluteURLs: canonical links, og:url, the sitemap and robots.txt carry
// absolute URLs whenever the build can know the site's origin (a full
// -base-url, site.yaml's base_url, or its url beside a path -base-url), and
// the build warns when it cannot.
func TestAbsoluteURLs(t *testing.T) {
	theme, _ := filepath.Abs(filepath.Join("..", "..", "theme"))
	cases := []struct {
		name       string
		baseURL    string // -base-url
		yaml       string // added to site.yaml
		dev        bool
		wantOrigin string // "" for paths
		wantWarn   bool
	}{
		{"path and url", "/repo/", "url: https://example.com\n", false, "https://example.com", false},
		{"path and url with a slash", "/repo/", "url: https://example.com/\n", false, "https://example.com", false},
		{"path, base_url has the origin", "/repo/", "base_url: https://u.github.io/other/\n", false, "https://u.github.io", false},
		{"full base URL wins over url", "https://u.github.io/repo/", "url: https://example.com\n", false, "https://u.github.io", false},
		{"base_url alone", "", "base_url: https://u.github.io/repo/\n", false, "https://u.github.io", false},
		{"path only", "/repo/", "", false, "", true},
		{"nothing", "", "", false, "", true},
		{"dev server", "/repo/", "", true, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			content, _ := fixture(t)
			appendConfig(t, content, tc.yaml)
			site, err := New(Options{ContentDir: content, ThemeDir: theme, BaseURL: tc.baseURL, Dev: tc.dev}).Build()
			if err != nil {
				t.Fatal(err)
			}
			warned := false
			for _, w := range site.Warnings {
				if strings.Contains(w.Msg, "absolute URLs") {
					warned = true
					if w.File != filepath.ToSlash(filepath.Join(content, "site.yaml")) && !strings.HasSuffix(w.File, "site.yaml") {
						t.Errorf("warning names %s, want site.yaml", w.File)
					}
				}
			}
			if warned != tc.wantWarn {
				t.Errorf("warned about relative URLs: %v, want %v (%v)", warned, tc.wantWarn, site.Warnings)
			}
			path := "/repo/"
			if tc.baseURL == "" {
				path = "/"
				if strings.Contains(tc.yaml, "base_url") {
					path = "/repo/"
				}
			}
			prefix := tc.wantOrigin + path
			page := string(site.Files["guide/requirements/index.html"])
			for _, re := range []string{`<link rel="canonical" href="([^"]*)"`, `<meta property="og:url" content="([^"]*)"`} {
				m := regexp.MustCompile(re).FindStringSubmatch(page)
				if m == nil || m[1] != prefix+"guide/requirements/" {
					t.Errorf("%s: got %q, want %s", re, m, prefix+"guide/requirements/")
				}
			}
			locs := regexp.MustCompile(`<loc>([^<]*)</loc>`).FindAllStringSubmatch(string(site.Files["sitemap.xml"]), -1)
			if len(locs) < 5 {
				t.Fatalf("sitemap has %d locations", len(locs))
			}
			for _, l := range locs {
				if !strings.HasPrefix(l[1], prefix) || tc.wantOrigin != "" && !strings.HasPrefix(l[1], "https://") {
					t.Errorf("sitemap location %s, want it under %s", l[1], prefix)
				}
			}
			robots := string(site.Files["robots.txt"])
			if hasMap := strings.Contains(robots, "Sitemap: "+prefix+"sitemap.xml"); hasMap != (tc.wantOrigin != "") {
				t.Errorf("robots.txt:\n%s", robots)
			}
		})
	}
}

// TestBadSiteURL: url must be an origin; anything else is an error at its
// place in site.yaml.
func TestBadSiteURL(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"https://example.com/docs/", `has more than an origin; write https://example.com and put the path in base_url or -base-url`},
		{"example.com", `is not a site's origin; write it like https://example.com`},
		{"ftp://example.com", `is not a site's origin`},
		{"https://example.com/?q=1", `has more than an origin`},
	} {
		t.Run(tc.url, func(t *testing.T) {
			content, theme := fixture(t)
			appendConfig(t, content, "url: "+tc.url+"\n")
			_, err := New(Options{ContentDir: content, ThemeDir: theme, BaseURL: "/repo/"}).Build()
			if err == nil {
				t.Fatal("built with a bad url")
			}
			// site.yaml has 6 lines before the one appended.
			if !strings.Contains(err.Error(), "site.yaml:7:6: url ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error:\n%v\nwant site.yaml:7:6 and %q", err, tc.want)
			}
		})
	}
}

func appendConfig(t *testing.T, content, yaml string) {
	t.Helper()
	f := filepath.Join(content, "site.yaml")
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, append(data, yaml...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// FuzzParseOrigin: what parseOrigin accepts is an origin, which it
// accepts again unchanged.
func FuzzParseOrigin(f *testing.F) {
	for _, s := range []string{"https://example.com", "http://localhost:8080/", "https://example.com/docs", "example.com", "https://u@h", "https://[::1]:80", "https:///x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := parseOrigin(s)
		if err != nil {
			return
		}
		if !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://") || strings.Count(o, "/") != 2 {
			t.Errorf("parseOrigin(%q) = %q, not an origin", s, o)
		}
		if again, err := parseOrigin(o); err != nil || again != o {
			t.Errorf("parseOrigin(%q) = %q, %v; want it unchanged", o, again, err)
		}
	})
}
