package server

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/scalebook/scalebook/internal/pipeline"
)

func files(kv ...string) map[string][]byte {
	m := map[string][]byte{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = []byte(kv[i+1])
	}
	return m
}

func TestDiffFiles(t *testing.T) {
	old := files(
		"index.html", `<link rel="stylesheet" href="/assets/site-AAA.css"><p>home</p>`,
		"a/index.html", `<link rel="stylesheet" href="/assets/site-AAA.css"><p>a</p>`,
		"assets/site-AAA.css", "body{}",
		"assets/site-AAA.css.map", "{}",
		"sitemap.xml", "<urlset/>",
	)
	for _, tc := range []struct {
		name    string
		cur     map[string][]byte
		changed []string
		css     []CSSSwap
	}{
		{"identical", old, nil, nil},
		{
			"page text",
			files(
				"index.html", `<link rel="stylesheet" href="/assets/site-AAA.css"><p>home!</p>`,
				"a/index.html", `<link rel="stylesheet" href="/assets/site-AAA.css"><p>a</p>`,
				"assets/site-AAA.css", "body{}", "assets/site-AAA.css.map", "{}", "sitemap.xml", "<urlset/>",
			),
			[]string{"index.html"}, nil,
		},
		{
			"stylesheet only",
			files(
				"index.html", `<link rel="stylesheet" href="/assets/site-BBB.css"><p>home</p>`,
				"a/index.html", `<link rel="stylesheet" href="/assets/site-BBB.css"><p>a</p>`,
				"assets/site-BBB.css", "body{color:red}", "assets/site-BBB.css.map", "{}", "sitemap.xml", "<urlset/>",
			),
			[]string{"a/index.html", "assets/site-AAA.css", "assets/site-AAA.css.map", "assets/site-BBB.css", "assets/site-BBB.css.map", "index.html"},
			[]CSSSwap{{From: "assets/site-AAA.css", To: "assets/site-BBB.css"}},
		},
		{
			"stylesheet and page text",
			files(
				"index.html", `<link rel="stylesheet" href="/assets/site-BBB.css"><p>home!</p>`,
				"a/index.html", `<link rel="stylesheet" href="/assets/site-BBB.css"><p>a</p>`,
				"assets/site-BBB.css", "body{color:red}", "assets/site-BBB.css.map", "{}", "sitemap.xml", "<urlset/>",
			),
			[]string{"a/index.html", "assets/site-AAA.css", "assets/site-AAA.css.map", "assets/site-BBB.css", "assets/site-BBB.css.map", "index.html"},
			nil,
		},
		{
			"stylesheet and another file",
			files(
				"index.html", `<link rel="stylesheet" href="/assets/site-BBB.css"><p>home</p>`,
				"a/index.html", `<link rel="stylesheet" href="/assets/site-BBB.css"><p>a</p>`,
				"assets/site-BBB.css", "body{color:red}", "assets/site-BBB.css.map", "{}", "sitemap.xml", "<urlset>new</urlset>",
			),
			[]string{"a/index.html", "assets/site-AAA.css", "assets/site-AAA.css.map", "assets/site-BBB.css", "assets/site-BBB.css.map", "index.html", "sitemap.xml"},
			nil,
		},
		{
			"page removed",
			files(
				"index.html", `<link rel="stylesheet" href="/assets/site-AAA.css"><p>home</p>`,
				"assets/site-AAA.css", "body{}", "assets/site-AAA.css.map", "{}", "sitemap.xml", "<urlset/>",
			),
			[]string{"a/index.html"}, nil,
		},
		{
			"unhashed stylesheet changed in place",
			files(
				"index.html", `<link rel="stylesheet" href="/assets/site-AAA.css"><p>home</p>`,
				"a/index.html", `<link rel="stylesheet" href="/assets/site-AAA.css"><p>a</p>`,
				"assets/site-AAA.css", "body{color:blue}", "assets/site-AAA.css.map", "{}", "sitemap.xml", "<urlset/>",
			),
			[]string{"assets/site-AAA.css"},
			[]CSSSwap{{From: "assets/site-AAA.css", To: "assets/site-AAA.css"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := DiffFiles(old, tc.cur)
			if !slices.Equal(d.Changed, tc.changed) {
				t.Errorf("Changed = %v, want %v", d.Changed, tc.changed)
			}
			if !slices.Equal(d.CSS, tc.css) {
				t.Errorf("CSS = %v, want %v", d.CSS, tc.css)
			}
		})
	}
}

// The real builder's output for a CSS edit is recognised as CSS-only, and
// for a content edit is not.
func TestDiffRealBuilds(t *testing.T) {
	dir := copyFixture(t)
	b := pipeline.New(pipeline.Options{ContentDir: filepath.Join(dir, "site"), ThemeDir: filepath.Join(dir, "theme"), Dev: true})
	first, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	css := filepath.Join(dir, "theme", "assets", "css", "base.css")
	writeFile(t, css, readFile(t, css)+"\nmain { padding: 1px; }\n")
	second, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if d := DiffFiles(first.Files, second.Files); len(d.CSS) != 1 {
		t.Errorf("CSS edit: CSS = %v, changed %v", d.CSS, d.Changed)
	}
	page := filepath.Join(dir, "site", "guide", "estimation.md")
	writeFile(t, page, readFile(t, page)+"\nMore.\n")
	third, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if d := DiffFiles(second.Files, third.Files); d.CSS != nil || !slices.Contains(d.Changed, "guide/estimation/index.html") {
		t.Errorf("content edit: CSS = %v, changed %v", d.CSS, d.Changed)
	}
}
