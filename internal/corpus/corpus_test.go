package corpus

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const testPages = 120

// readTree returns every file below dir by slash-separated relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func generate(t *testing.T, pages int, seed int64) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	if err := Generate(dir, pages, seed); err != nil {
		t.Fatal(err)
	}
	return readTree(t, dir)
}

func pageFiles(files map[string][]byte) []string {
	var out []string
	for name := range files {
		if strings.HasPrefix(path.Base(name), "page-") {
			out = append(out, name)
		}
	}
	return out
}

func TestLayout(t *testing.T) {
	files := generate(t, testPages, 1)
	if got := len(pageFiles(files)); got != testPages {
		t.Errorf("%d pages, want %d", got, testPages)
	}
	if got := string(files["site.yaml"]); !strings.HasPrefix(got, "title: Synthetic corpus\n") {
		t.Errorf("site.yaml = %q", got)
	}
	want := []string{"_index.md"}
	for s := 1; s <= Sections; s++ {
		want = append(want, sectionDir(s)+"/_index.md")
	}
	for _, name := range want {
		if _, ok := files[name]; !ok {
			t.Errorf("missing %s", name)
		}
	}
	if want := 1 + 1 + Sections + testPages; len(files) != want {
		t.Errorf("%d files, want %d", len(files), want)
	}
	// Pages are spread evenly over the sections.
	for s := 1; s <= Sections; s++ {
		n := 0
		for _, name := range pageFiles(files) {
			if strings.HasPrefix(name, sectionDir(s)+"/") {
				n++
			}
		}
		if n != testPages/Sections {
			t.Errorf("%s has %d pages, want %d", sectionDir(s), n, testPages/Sections)
		}
	}
}

var frontMatter = regexp.MustCompile(`\A---\ntitle: "[^"\n]+"\nweight: \d+\ndescription: "[^"\n]+"\n---\n`)

func TestPageShape(t *testing.T) {
	files := generate(t, testPages, 2)
	for name, data := range files {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		if !frontMatter.Match(data) {
			t.Errorf("%s: front matter is not title/weight/description:\n%s", name, data[:min(len(data), 200)])
		}
	}
	for _, name := range pageFiles(files) {
		data := files[name]
		if n := len(data); n < 6<<10 || n > 10<<10 {
			t.Errorf("%s is %d bytes, want 6–10 KB", name, n)
		}
		s := string(data)
		if n := len(fence.FindAllString(s, -1)); n != 1 {
			t.Errorf("%s has %d code blocks, want 1", name, n)
		}
		s = fence.ReplaceAllString(s, "\n") // YAML blocks hold lists too
		if n := strings.Count(s, "\n## "); n != 5 {
			t.Errorf("%s has %d h2 headings, want 5", name, n)
		}
		if n := strings.Count(s, "\n| Component |"); n != 5 {
			t.Errorf("%s has %d tables, want 5", name, n)
		}
		if n := strings.Count(s, "\n  - "); n != 5*6 {
			t.Errorf("%s has %d nested list items, want 30", name, n)
		}
	}
}

var mdLink = regexp.MustCompile(`\]\(([^)\s]+\.md)\)`)

func TestLinksPointToExistingFiles(t *testing.T) {
	for _, pages := range []int{1, 2, testPages} {
		files := generate(t, pages, 3)
		links := 0
		for name, data := range files {
			for _, m := range mdLink.FindAllSubmatch(data, -1) {
				dest := string(m[1])
				if path.IsAbs(dest) || strings.Contains(dest, "://") {
					t.Errorf("%s: link %s is not relative", name, dest)
					continue
				}
				target := path.Join(path.Dir(name), dest)
				if _, ok := files[target]; !ok {
					t.Errorf("%s: link %s points to missing %s", name, dest, target)
				}
				if target == name {
					t.Errorf("%s: link %s points to the page itself", name, dest)
				}
				links++
			}
		}
		if min := pages * 5; links < min {
			t.Errorf("%d pages: %d links, want at least %d", pages, links, min)
		}
	}
}

var fence = regexp.MustCompile("(?s)\n```(\\w+)\n(.*?)\n```\n")

func TestCodeBlocksAreAllDifferent(t *testing.T) {
	files := generate(t, testPages, 4)
	seen := map[string]string{}
	langs := map[string]int{}
	for _, name := range pageFiles(files) {
		for _, m := range fence.FindAllSubmatch(files[name], -1) {
			code := string(m[2])
			langs[string(m[1])]++
			if other, dup := seen[code]; dup {
				t.Errorf("%s and %s share a code block:\n%s", name, other, code)
			}
			seen[code] = name
			if lines := strings.Count(code, "\n") + 1; lines < 10 {
				t.Errorf("%s: code block of %d lines is too small to be representative", name, lines)
			}
		}
	}
	if len(seen) != testPages {
		t.Errorf("%d code blocks, want %d", len(seen), testPages)
	}
	for _, l := range languages {
		if langs[l] != testPages/len(languages) {
			t.Errorf("%d blocks of %s, want %d", langs[l], l, testPages/len(languages))
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := generate(t, testPages, 5), generate(t, testPages, 5)
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	c := generate(t, testPages, 6)
	if bytes.Equal(a[PagePath(1)], c[PagePath(1)]) {
		t.Error("a different seed gave the same page")
	}
}

func TestNegativePages(t *testing.T) {
	if err := Generate(t.TempDir(), -1, 1); err == nil {
		t.Error("Generate accepted -1 pages")
	}
}
