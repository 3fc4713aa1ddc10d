package content

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/scalebook/scalebook/internal/diag"
)

func load(t *testing.T, files map[string]string, opts Options) (*Site, *diag.List) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	var diags diag.List
	return Load(fsys, opts, &diags), &diags
}

func TestTreeURLsAndOrder(t *testing.T) {
	s, diags := load(t, map[string]string{
		"site.yaml":            "title: Test\nrepo: https://github.com/x/y\n",
		"_index.md":            "---\ntitle: Home\n---\n",
		"guide/_index.md":      "---\ntitle: Guide\nweight: 1\n---\n",
		"guide/b.md":           "---\ntitle: Bravo\nweight: 2\n---\n",
		"guide/a.md":           "---\ntitle: Alpha\nweight: 2\n---\n",
		"guide/first.md":       "---\ntitle: Zulu first\nweight: 1\n---\n",
		"guide/deep/x.md":      "# From the heading\n\nText.\n",
		"guide/deep/y.md":      "Setext title\n============\n\nText.\n",
		"systems/twitter.md":   "---\ntitle: Twitter\nslug: timeline\naliases: [/old/twitter/]\n---\n",
		"systems/img/arch.png": "png",
		"notes/.hidden.md":     "skip me",
		"notes/draft.md":       "---\ndraft: true\n---\n",
		"notes/keep.md":        "plain",
	}, Options{})
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range s.Pages {
		got = append(got, p.URL+"="+p.Title)
	}
	want := []string{
		"=Home",
		"guide/=Guide", "guide/first/=Zulu first", "guide/a/=Alpha", "guide/b/=Bravo", "guide/deep/=Deep", "guide/deep/x/=From the heading", "guide/deep/y/=Setext title",
		"notes/=Notes", "notes/keep/=Keep",
		"systems/=Systems", "systems/timeline/=Twitter",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("pages in nav order:\n got %v\nwant %v", got, want)
	}
	if s.Config.Title != "Test" || s.Config.Branch != "main" {
		t.Errorf("config = %+v", s.Config)
	}
	if !s.HasAsset("systems/img/arch.png") || s.HasAsset("notes/.hidden.md") {
		t.Errorf("assets = %v", s.Assets)
	}
	if p := s.PageByFile("guide/a.md"); p == nil || p.Parent.Title != "Guide" {
		t.Error("PageByFile or parent wrong")
	}
}

func TestDraftsOption(t *testing.T) {
	files := map[string]string{"a.md": "---\ndraft: true\n---\n"}
	s, _ := load(t, files, Options{})
	if len(s.Pages) != 1 {
		t.Errorf("drafts hidden: got %d pages, want the home page only", len(s.Pages))
	}
	s, _ = load(t, files, Options{Drafts: true})
	if len(s.Pages) != 2 {
		t.Errorf("with drafts: got %d pages", len(s.Pages))
	}
}

func TestFrontMatterErrors(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"unterminated", "---\ntitle: x\n", "content/a.md:1:1: front matter starts with --- but never ends"},
		{"bad yaml", "---\ntitle: [x\n---\n", "content/a.md:2:1: did not find expected ',' or ']'"},
		{"bad type", "---\nweight: heavy\n---\n", "content/a.md:2:9: weight: must be a whole number"},
		{"bad list", "---\ntitle: A\naliases: /x/\n---\n", "content/a.md:3:10: aliases: must be a list ([a, b])"},
		{"bad slug", "---\nslug: a/b\n---\n", "content/a.md:2:7: slug \"a/b\" must be a single path segment"},
		{"unknown key", "---\ntitle: A\ntitel: B\n---\n", `content/a.md:3:1: unknown front-matter key "titel" — did you mean "title"?`},
		{"unknown key far", "---\ncolour: red\n---\n", `content/a.md:2:1: unknown front-matter key "colour" (known keys: title, description, weight, draft, slug, aliases, params; put your own data under params:)`},
		{"twice", "---\ntitle: A\ntitle: B\n---\n", "content/a.md:3:1: front-matter key \"title\" appears twice"},
		{"not a mapping", "---\n- a\n- b\n---\n", "content/a.md:2:1: front matter must be a mapping"},
		{"invalid UTF-8", "---\ntitle: A\n---\n\nCaf\xe9 and na\xefve.\n", "content/a.md:5:4: byte 0xe9 is not UTF-8 (and 1 more); save the file as UTF-8"},
		{"duplicate", "---\nslug: b\n---\n", "content/b.md:1:1: duplicate URL /b/: a.md has it too"},
		{"alias of a page", "---\naliases: [b]\n---\n", `content/a.md:2:11: alias "b" is the URL of b.md`},
		{"alias of home", "---\naliases:\n  - /x/\n  - /\n---\n", `content/a.md:4:5: alias "/" is the URL of the home page`},
		{"alias dot", "---\naliases: [\"/b/./\"]\n---\n", `content/a.md:2:11: alias "/b/./" is the URL of b.md`},
		{"alias of a section", "---\naliases: [/sub]\n---\n", `alias "/sub" is the URL of the section sub/`},
		{"alias url", "---\naliases: [\"https://x.org/a\"]\n---\n", "an alias is a path on this site"},
		{"alias query", "---\naliases: [\"/a?b\"]\n---\n", "cannot hold ?, # or"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, diags := load(t, map[string]string{"a.md": c.data, "b.md": "# B\n", "sub/c.md": "# C\n"}, Options{Root: "content"})
			err := diags.Err()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v\nwant %s", err, c.want)
			}
		})
	}
}

// TestAliasTwice: one alias on two pages is an error on the second
// page's line, never a silent overwrite.
func TestAliasTwice(t *testing.T) {
	_, diags := load(t, map[string]string{
		"a.md": "---\naliases: [/old/]\n---\n",
		"b.md": "---\ntitle: B\naliases: [old]\n---\n",
	}, Options{Root: "content"})
	want := `content/b.md:3:11: alias "old" is also an alias of a.md; keep it on one page`
	if err := diags.Err(); err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestBadConfig(t *testing.T) {
	_, diags := load(t, map[string]string{"site.yaml": "title: a: b\n"}, Options{Root: "content"})
	if err := diags.Err(); err == nil || !strings.HasPrefix(err.Error(), "content/site.yaml:1:1: mapping values are not allowed") {
		t.Errorf("got %v", err)
	}
}

func TestFirstH1(t *testing.T) {
	cases := map[string]string{
		"# Title\n":                        "Title",
		"text\n\n# Later #\n":              "Later",
		"```\n# not a title\n```\n# Yes\n": "Yes",
		"## Only h2\n":                     "",
	}
	for in, want := range cases {
		if got := firstH1([]byte(in)); got != want {
			t.Errorf("firstH1(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParsePage(f *testing.F) {
	for _, s := range []string{"---\ntitle: x\n---\nbody", "---\n---\n", "---\r\ntitle: y\r\n---\r\n", "\xef\xbb\xbf# T", "---\n: :\n---"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var diags diag.List
		p := parsePage("a.md", []byte(s), nil, &diags)
		if p == nil {
			if diags.Len() == 0 {
				t.Error("page rejected without a diagnostic")
			}
			return
		}
		if p.BodyLine < 1 || len(p.Body) > len(s) {
			t.Errorf("BodyLine %d, body %d of %d bytes", p.BodyLine, len(p.Body), len(s))
		}
	})
}

// TestIndexPagesAndSummary: README.md and index.md make a folder's page
// (_index.md first); SUMMARY.md orders pages and is not one.
func TestIndexPagesAndSummary(t *testing.T) {
	s, diags := load(t, map[string]string{
		"README.md":        "# Home from README\n",
		"SUMMARY.md":       "- [Zed](z.md)\n- [Part](part/README.md)\n  - [Two](part/b.md)\n  - [One](part/a.md)\n- [Draft]()\n",
		"a.md":             "# Alpha\n",
		"z.md":             "# Zed\n",
		"part/README.md":   "# The part\n",
		"part/a.md":        "# One\n",
		"part/b.md":        "# Two\n",
		"both/_index.md":   "---\ntitle: Both\n---\n",
		"both/README.md":   "# Read me\n",
		"idx/index.md":     "# Index page\n",
		"nothing/other.md": "# Other\n",
	}, Options{})
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range s.Pages {
		got = append(got, p.URL+"="+p.Title+"("+p.Kind+")")
	}
	want := []string{
		"=Home from README(home)",
		"z/=Zed(page)", "part/=The part(section)", "part/b/=Two(page)", "part/a/=One(page)",
		"a/=Alpha(page)", "both/=Both(section)", "both/README/=Read me(page)", "idx/=Index page(section)",
		"nothing/=Nothing(section)", "nothing/other/=Other(page)",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("pages:\n got %v\nwant %v", got, want)
	}
	if s.PageByFile("SUMMARY.md") != nil {
		t.Error("SUMMARY.md became a page")
	}
	if p := s.PageByFile("README.md"); p != s.Home {
		t.Error("links to README.md do not reach the home page")
	}
}
