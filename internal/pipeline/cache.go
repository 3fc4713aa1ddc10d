package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"sort"
	"strconv"

	"github.com/scalebook/scalebook/internal/assets"
	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/diagram"
	"github.com/scalebook/scalebook/internal/highlight"
	"github.com/scalebook/scalebook/internal/theme"
)

// themeBuild is the bundled theme and parsed templates, with the key of the
// inputs they came from.
type themeBuild struct {
	key    string
	bundle *assets.Bundle
	tmpl   *templates
	diags  []diag.Diagnostic
}

// buildTheme bundles assets and parses templates, or reuses the previous
// result when no theme file, code style or base URL changed. Reading the
// theme's few dozen files to hash them costs far less than esbuild.
func (b *Builder) buildTheme(site *content.Site, base baseURL, prefix func(string) string) *themeBuild {
	th := b.theme()
	key := themeKey(th, site.Config.Highlight.Light, site.Config.Highlight.Dark, base)
	if b.themeBuilt != nil && b.themeBuilt.key == key && key != "" {
		return b.themeBuilt
	}
	t := &themeBuild{key: key}
	var d diag.List
	defer func() {
		t.diags = d.Sorted()
		if len(t.diags) == 0 {
			b.themeBuilt = t
		}
	}()
	if !assets.Exists(th) {
		d.Addf(th.Where("assets/js/main.js"), 0, 0, "the theme has no assets/js/main.js; add it, or remove the file that hides the built-in one")
		return t
	}
	css, err := highlight.CSS(site.Config.Highlight.Light, site.Config.Highlight.Dark)
	if err != nil {
		d.Addf(prefix(content.ConfigFile), 0, 0, err.Error()+"; pick a style chroma knows (github, github-dark, monokai, …)")
	}
	// Diagram colours ship with the renderer that emits their classes.
	css = append(css, diagram.CSS...)
	t.bundle = assets.Build(assets.Options{Theme: th, Where: th.Where, ExtraCSS: css}, &d)
	t.tmpl = loadTemplates(th, template.FuncMap{
		"relURL":   base.URL,
		"absURL":   base.Abs,
		"safeHTML": func(s string) template.HTML { return template.HTML(s) },
	}, &d)
	return t
}

// themeKey hashes every file of the theme with the settings that shape the
// bundle. It returns "" when the theme cannot be read, which never matches.
func themeKey(th *theme.Theme, light, dark string, base baseURL) string {
	h := sha256.New()
	for _, s := range []string{light, dark, base.Origin, base.Path} {
		h.Write([]byte(s + "\x00"))
	}
	files, err := th.Files("")
	if err != nil {
		return ""
	}
	for _, f := range files {
		data, err := th.ReadFile(f)
		if err != nil {
			return ""
		}
		h.Write([]byte(th.Where(f) + "\x00" + strconv.Itoa(len(data)) + "\x00"))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// signature sums up everything a page's HTML depends on besides its own
// source: the site's structure (nav, breadcrumbs, prev/next, children), the
// anchors links are checked against, the theme and asset URLs, and the
// configuration. Equal signatures let an unchanged page keep its HTML.
func signature(site *content.Site, anchors map[string]map[string]bool, base baseURL, themeKey string, a, calc AssetURLs, dev bool) string {
	h := sha256.New()
	w := func(ss ...string) {
		for _, s := range ss {
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
	}
	c := site.Config
	w(themeKey, base.Origin, base.Path, strconv.FormatBool(dev), a.CSS, a.JS, a.ThemeInit, a.Favicon, a.Reload, calc.WASM, calc.WASMExec,
		c.Title, c.Description, c.Repo, c.Branch, c.ContentDir, c.Language)
	for _, p := range site.Pages {
		// The whole front matter, so that a new field is covered without
		// anyone remembering to add it here.
		w(p.File, p.URL, p.Kind, p.Title, string(p.MetaText), strconv.FormatBool(p.Synthetic))
		ids := make([]string, 0, len(anchors[p.URL]))
		for id := range anchors[p.URL] {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		w(ids...)
	}
	return hex.EncodeToString(h.Sum(nil))
}
