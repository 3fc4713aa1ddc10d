package pipeline

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/scalebook/scalebook/internal/check"
	"github.com/scalebook/scalebook/internal/output"
)

// TestForeignTrees builds folders of Markdown shaped like two popular
// trees, with the built-in theme and no configuration: the System Design
// Primer (a README home page, raw-HTML images in nested folders, pages
// without front matter, scripts and licences beside the Markdown) and
// mdBook's guide (SUMMARY.md, {{#include}} and Handlebars braces, a draft
// link, titles with code). Each must build, pass check, and give the nav
// order and titles in testdata/foreign/*.golden.
func TestForeignTrees(t *testing.T) {
	for _, name := range []string{"primer", "mdbook"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "foreign", name))); err != nil {
				t.Fatal(err)
			}
			o := Options{ContentDir: dir, WarnLinks: name == "mdbook"}
			site, err := New(o).Build()
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			var got strings.Builder
			got.WriteString("# nav of the home page\n")
			got.WriteString(navListing(string(site.Files["index.html"])))
			deep := map[string]string{"primer": "solutions/system_design/cache/index.html", "mdbook": "cli/init/index.html"}[name]
			got.WriteString("# nav of " + deep + "\n")
			got.WriteString(navListing(string(site.Files[deep])))
			got.WriteString("# titles (<title> and <h1>)\n")
			var pages []string
			for f := range site.Files {
				if strings.HasSuffix(f, "index.html") {
					pages = append(pages, f)
				}
			}
			slices.Sort(pages)
			for _, f := range pages {
				got.WriteString(f + ": " + titles(string(site.Files[f])) + "\n")
			}
			got.WriteString("# files\n")
			var files []string
			for f := range site.Files {
				if !strings.HasSuffix(f, ".html") && !strings.HasPrefix(f, "assets/") {
					files = append(files, f)
				}
			}
			slices.Sort(files)
			got.WriteString(strings.Join(files, "\n") + "\n# warnings\n")
			for _, w := range site.Warnings {
				got.WriteString(strings.ReplaceAll(w.Error(), dir+string(filepath.Separator), "") + "\n")
			}
			golden := filepath.Join("testdata", "foreign", name+".golden")
			if *update {
				os.WriteFile(golden, []byte(got.String()), 0o644)
			}
			want, _ := os.ReadFile(golden)
			if got.String() != string(want) {
				t.Errorf("differs from %s (go test -update, then review):\n%s", golden, got.String())
			}
			// A site the build passed, check passes too.
			out := filepath.Join(t.TempDir(), "public")
			if err := output.Write(out, site.Files, output.Options{Notes: []string{
				"links.broken: " + policyWord(site.WarnBroken), "links.anchors: " + policyWord(site.WarnAnchors)}}); err != nil {
				t.Fatal(err)
			}
			wb, wa, _ := check.Policy(out)
			rep, err := check.Run(check.Options{Dir: out, WarnBroken: wb, WarnAnchors: wa})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range rep.Problems {
				if !p.Warning {
					t.Errorf("check: %s", p.Error())
				}
			}
		})
	}
}

func policyWord(warn bool) string {
	if warn {
		return "warn"
	}
	return "error"
}

var (
	navRe   = regexp.MustCompile(`(?s)<nav id="sidebar".*?</nav>`)
	tokenRe = regexp.MustCompile(`<ul[^>]*>|</ul>|<a href="([^"]*)"[^>]*>(.*?)</a>`)
	titleRe = regexp.MustCompile(`<title>(.*?)</title>`)
	h1Re    = regexp.MustCompile(`(?s)<h1[^>]*>(.*?)</h1>`)
)

// navListing turns the sidebar of a page into an indented list of links.
func navListing(page string) string {
	var b strings.Builder
	depth := 0
	for _, m := range tokenRe.FindAllStringSubmatch(navRe.FindString(page), -1) {
		switch {
		case strings.HasPrefix(m[0], "<ul"):
			depth++
		case m[0] == "</ul>":
			depth--
		default:
			b.WriteString(strings.Repeat("  ", max(depth-1, 0)) + m[2] + " (" + m[1] + ")\n")
		}
	}
	return b.String()
}

func titles(page string) string {
	t := titleRe.FindStringSubmatch(page)
	h := h1Re.FindAllStringSubmatch(page, -1)
	var hs []string
	for _, x := range h {
		hs = append(hs, x[1])
	}
	if t == nil {
		return "(no title)"
	}
	return t[1] + " | " + strings.Join(hs, " | ")
}
