package pipeline

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// fixture copies the test site and theme into a temp dir, so a test can
// break them without touching testdata.
func fixture(t *testing.T) (contentDir, themeDir string) {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"site", "theme"} {
		if err := os.CopyFS(filepath.Join(dir, name), os.DirFS(filepath.Join("testdata", name))); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "site"), filepath.Join(dir, "theme")
}

func buildFixture(t *testing.T, o Options) *Site {
	t.Helper()
	if o.ContentDir == "" {
		o.ContentDir, o.ThemeDir = fixture(t)
	}
	site, err := New(o).Build()
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return site
}

// TestGolden compares every page and generated file with testdata/golden.
// Asset bundles are left out: their names carry esbuild's content hash, and
// their bytes belong to esbuild.
func TestGolden(t *testing.T) {
	site := buildFixture(t, Options{BaseURL: "https://example.github.io/repo/"})
	golden := filepath.Join("testdata", "golden")
	if *update {
		os.RemoveAll(golden)
	}
	var names []string
	for name := range site.Files {
		if strings.HasPrefix(name, "assets/") {
			continue
		}
		names = append(names, name)
	}
	slices.Sort(names)
	var listing bytes.Buffer
	for _, name := range names {
		listing.WriteString(name + "\n")
		path := filepath.Join(golden, filepath.FromSlash(name))
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, site.Files[name], 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: unexpected output file (run go test -update): %v", name, err)
			continue
		}
		if !bytes.Equal(site.Files[name], want) {
			t.Errorf("%s differs from golden (run go test ./internal/pipeline -update and review the diff)\ngot:\n%s", name, site.Files[name])
		}
	}
	listPath := filepath.Join("testdata", "golden.files")
	if *update {
		os.WriteFile(listPath, listing.Bytes(), 0o644)
		return
	}
	want, _ := os.ReadFile(listPath)
	if listing.String() != string(want) {
		t.Errorf("output files differ from %s:\ngot:\n%s\nwant:\n%s", listPath, listing.String(), want)
	}
}

// TestDeterministic builds twice, cold and then from the cache, and expects
// byte-identical output, assets included.
func TestDeterministic(t *testing.T) {
	contentDir, themeDir := fixture(t)
	cache := t.TempDir()
	o := Options{ContentDir: contentDir, ThemeDir: themeDir, CacheDir: cache, BaseURL: "/repo/"}
	a := buildFixture(t, o)
	b := buildFixture(t, o)
	if b.Stats.HighlightMisses != 0 {
		t.Errorf("warm build tokenized %d blocks; want all from the cache", b.Stats.HighlightMisses)
	}
	if len(a.Files) != len(b.Files) {
		t.Fatalf("builds differ in file count: %d vs %d", len(a.Files), len(b.Files))
	}
	for name, data := range a.Files {
		if !bytes.Equal(data, b.Files[name]) {
			t.Errorf("%s differs between two builds of the same sources", name)
		}
	}
}

var urlAttr = regexp.MustCompile(`(?:href|src)="([^"#?]*)[^"]*"`)

// TestBaseURLResolves builds under a sub-path and checks that every href and
// src of every page that points into the site names a file of the output.
func TestBaseURLResolves(t *testing.T) {
	for _, base := range []string{"/repo/", "https://user.github.io/repo/", "/"} {
		t.Run(base, func(t *testing.T) {
			site := buildFixture(t, Options{BaseURL: base})
			b, _ := parseBaseURL(base)
			checked := 0
			for name, data := range site.Files {
				if !strings.HasSuffix(name, ".html") {
					continue
				}
				for _, m := range urlAttr.FindAllSubmatch(data, -1) {
					u := string(m[1])
					if u == "" || strings.HasPrefix(u, "mailto:") || strings.HasPrefix(u, "https://github.com/") {
						continue
					}
					u = strings.TrimPrefix(u, b.Origin)
					if !strings.HasPrefix(u, b.Path) {
						t.Errorf("%s: URL %q is outside the base path %s", name, m[1], b.Path)
						continue
					}
					p := strings.TrimPrefix(u, b.Path)
					if p == "" || strings.HasSuffix(p, "/") {
						p += "index.html"
					}
					if _, ok := site.Files[p]; !ok {
						t.Errorf("%s: URL %q resolves to no output file (%s)", name, m[1], p)
					}
					checked++
				}
			}
			if checked < 20 {
				t.Errorf("checked only %d URLs; the fixture should yield more", checked)
			}
		})
	}
}

func TestDraftsExcludedByDefault(t *testing.T) {
	site := buildFixture(t, Options{})
	if _, ok := site.Files["guide/draft/index.html"]; ok {
		t.Error("draft page built without -drafts")
	}
	contentDir, themeDir := fixture(t)
	site = buildFixture(t, Options{ContentDir: contentDir, ThemeDir: themeDir, Drafts: true})
	if _, ok := site.Files["guide/draft/index.html"]; !ok {
		t.Error("draft page missing with -drafts")
	}
}

// TestErrors breaks the fixture in one way per case and checks the message,
// its position, and that the previous output survives.
func TestErrors(t *testing.T) {
	cases := []struct {
		name  string
		file  string // relative to the fixture root ("site/…" or "theme/…")
		data  string // new contents; "<dir>" makes a folder
		wants []string
	}{
		{"bad yaml", "site/guide/bad.md", "---\ntitle: [unclosed\n---\nbody\n",
			[]string{"site/guide/bad.md:2:1: did not find expected ',' or ']'; fix the front matter YAML"}},
		{"unterminated front matter", "site/guide/bad.md", "---\ntitle: x\nbody\n",
			[]string{"site/guide/bad.md:1:1: front matter starts with --- but never ends"}},
		{"wrong type in front matter", "site/guide/bad.md", "---\nweight: heavy\n---\n",
			[]string{"site/guide/bad.md:2:9: weight: must be a whole number (cannot unmarshal !!str `heavy` into int)"}},
		{"missing page", "site/guide/bad.md", "# Bad\n\nSee [this](nowhere.md).\n",
			[]string{"site/guide/bad.md:3:5: link to missing page guide/nowhere.md"}},
		{"missing anchor", "site/guide/bad.md", "# Bad\n\nText.\n\nSee [that](requirements.md#no-such-heading).\n",
			[]string{"site/guide/bad.md:5:5: no heading or anchor #no-such-heading in guide/requirements.md"}},
		{"missing anchor in page", "site/guide/bad.md", "# Bad\n\n[x](#nope)\n",
			[]string{"site/guide/bad.md:3:1: no heading or anchor #nope in this page"}},
		{"missing image", "site/guide/bad.md", "# Bad\n\n![alt](missing.png)\n",
			[]string{"site/guide/bad.md:3:1: link to missing file guide/missing.png"}},
		{"duplicate URL", "site/guide/bad.md", "---\nslug: requirements\n---\n",
			[]string{"site/guide/requirements.md:1:1: duplicate URL /guide/requirements/: guide/bad.md has it too"}},
		{"template parse error", "theme/layouts/page.html", "{{define \"main\"}}{{.Page.Content}\n{{end}}",
			[]string{"theme/layouts/page.html:1: bad character U+007D '}'"}},
		{"template exec error", "theme/layouts/page.html", "{{define \"main\"}}\n{{.Page.NoSuchField}}{{end}}",
			[]string{"theme/layouts/page.html:2:7: executing \"main\" at <.Page.NoSuchField>: can't evaluate field NoSuchField"}},
		{"alias over robots.txt", "site/guide/bad.md", "---\naliases: [/robots.txt/]\n---\n",
			[]string{"site/guide/bad.md:2:11: alias /robots.txt/ would replace the site's file robots.txt; choose another path"}},
		{"alias over an asset", "site/guide/bad.md", "---\naliases:\n  - systems/img/arch.png\n---\n",
			[]string{"site/guide/bad.md:3:5: alias /systems/img/arch.png/ would replace the site's file systems/img/arch.png"}},
		{"alias over the home page", "site/guide/bad.md", "---\naliases: [/]\n---\n",
			[]string{`site/guide/bad.md:2:11: alias "/" is the URL of the home page`}},
		{"unreadable file", "site/guide/gone.md", "<dangling symlink>",
			[]string{"site/guide/gone.md: symbolic link to nowhere.md leads nowhere"}},
		{"bad fence option", "site/guide/bad.md", "# Bad\n\n```go hl=x\ncode\n```\n",
			[]string{"site/guide/bad.md:3:4: hl=\"x\" is not a list of lines"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			contentDir, themeDir := fixture(t)
			root := filepath.Dir(contentDir)
			out := filepath.Join(t.TempDir(), "public")
			good, err := New(Options{ContentDir: contentDir, ThemeDir: themeDir}).Build()
			if err != nil {
				t.Fatal(err)
			}
			if err := good.Write(out); err != nil {
				t.Fatal(err)
			}
			before := listFolder(t, out)

			target := filepath.Join(root, filepath.FromSlash(c.file))
			if c.data == "<dangling symlink>" {
				if err := os.Symlink("nowhere.md", target); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(target, []byte(c.data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = New(Options{ContentDir: contentDir, ThemeDir: themeDir}).Build()
			if err == nil {
				t.Fatal("build succeeded; want an error")
			}
			msg := strings.ReplaceAll(err.Error(), root+string(filepath.Separator), "")
			for _, w := range c.wants {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not mention %q:\n%s", w, msg)
				}
			}
			if after := listFolder(t, out); after != before {
				t.Error("a failed build changed the output folder")
			}
		})
	}
}

// TestErrorsSortedAndAllReported checks that several problems in several
// files all come out, in file order.
func TestErrorsSortedAndAllReported(t *testing.T) {
	contentDir, themeDir := fixture(t)
	os.WriteFile(filepath.Join(contentDir, "b.md"), []byte("# B\n\n[x](gone.md)\n"), 0o644)
	os.WriteFile(filepath.Join(contentDir, "a.md"), []byte("# A\n\n[x](gone.md) [y](gone2.md)\n"), 0o644)
	_, err := New(Options{ContentDir: contentDir, ThemeDir: themeDir}).Build()
	if err == nil {
		t.Fatal("want errors")
	}
	lines := strings.Split(strings.ReplaceAll(err.Error(), contentDir+"/", ""), "\n")
	var got []string
	for _, l := range lines {
		got = append(got, strings.Join(strings.SplitN(l, ":", 4)[:3], ":"))
	}
	want := []string{"a.md:3:1", "a.md:3:14", "b.md:3:1"}
	if !slices.Equal(got, want) {
		t.Errorf("positions = %v, want %v (all errors, sorted):\n%s", got, want, err)
	}
}

func TestParseBaseURL(t *testing.T) {
	cases := []struct{ in, origin, path string }{
		{"", "", "/"},
		{"/", "", "/"},
		{"/repo", "", "/repo/"},
		{"repo/", "", "/repo/"},
		{"https://user.github.io/repo/", "https://user.github.io", "/repo/"},
		{"https://example.com", "https://example.com", "/"},
		{"https://user.github.io/repo//", "https://user.github.io", "/repo/"},
		{"//", "", "/"},
		{"/example.com/x/", "", "/example.com/x/"}, // a path, since it says so
	}
	for _, c := range cases {
		b, err := parseBaseURL(c.in)
		if err != nil || b.Origin != c.origin || b.Path != c.path {
			t.Errorf("parseBaseURL(%q) = %+v, %v; want %q %q", c.in, b, err, c.origin, c.path)
		}
	}
	for _, bad := range []string{"ftp://x/", "https:///nohost", "/a?b=c", "/a#b",
		"example.com/x/", "user.github.io", " /sp/ ", "/a b/", "\t/x/", "//example.com/x"} {
		if _, err := parseBaseURL(bad); err == nil {
			t.Errorf("parseBaseURL(%q) accepted", bad)
		}
	}
}

// listFolder lists a folder's files and sizes and contents' first bytes, enough
// to notice any change.
func listFolder(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			data, _ := os.ReadFile(p)
			b.WriteString(p + "\x00" + string(data) + "\x00")
		}
		return nil
	})
	return b.String()
}
