package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"html/template"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yuin/goldmark"

	"github.com/scalebook/scalebook/internal/calcblock"
	"github.com/scalebook/scalebook/internal/confine"
	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/filecache"
	"github.com/scalebook/scalebook/internal/highlight"
	"github.com/scalebook/scalebook/internal/markdown"
	"github.com/scalebook/scalebook/internal/output"
	"github.com/scalebook/scalebook/internal/search"
	"github.com/scalebook/scalebook/internal/theme"
	"github.com/scalebook/scalebook/internal/wasm"
)

// Site is a finished build held in memory: file contents by site path.
type Site struct {
	Files map[string][]byte
	// Pages counts the HTML pages rendered from content.
	Pages int
	// Stats describe where time went, for the terminal and benchmarks.
	Stats Stats
	// Warnings are the problems that did not fail the build (links to
	// missing headings, by default), sorted.
	Warnings []diag.Diagnostic
	// WarnBroken and WarnAnchors are the link policy the build used:
	// whether links to missing pages, and to missing headings, were only
	// warnings. scalebook check holds a site to the same policy.
	WarnBroken, WarnAnchors bool
}

// Stats are measurements of one build.
type Stats struct {
	Total            time.Duration
	HighlightMisses  int
	ContentAssets    int
	OutputBytes      int64
	MarkdownParse    time.Duration
	RenderAndExecute time.Duration
	// Parsed and Rendered count the pages this build parsed and rendered;
	// the rest were reused from the Builder's previous build.
	Parsed, Rendered int
}

// Builder builds a site and keeps what the next build may reuse, so that
// the dev server's rebuild after an edit costs about one page:
//   - each page's rendered Markdown, by its source and the site's URLs (on
//     disk too, so a second `scalebook build` skips unchanged pages);
//   - each page's final HTML, while a signature of everything else it
//     depends on (structure, anchors, theme, assets, configuration) holds;
//   - the bundled theme and templates, while no theme file changed;
//   - highlighted code and diagrams, in memory and on disk.
//
// A Builder is not safe for concurrent Builds.
type Builder struct {
	opts     Options
	cache    *filecache.Cache
	hl       *highlight.Highlighter
	md       *markdown.Renderer
	pages    *pageCache
	rendered map[string]renderedPage
	// th is the layered theme; themeBuilt, its bundle and templates.
	th         *theme.Theme
	themeBuilt *themeBuild
	search     map[searchKey]search.Fragment
	titles     map[string][2]string
	memo       content.Memo
}

// renderedPage is a page's final HTML and what it was rendered from: the
// site signature and the sum of its Markdown result.
type renderedPage struct {
	Sum  [32]byte
	Sig  string
	HTML []byte
}

// New returns a Builder for opts.
func New(opts Options) *Builder {
	opts.setDefaults()
	cache := filecache.Open(opts.CacheDir, filecache.Options{})
	b := &Builder{opts: opts, cache: cache, hl: highlight.New(cache), pages: newPageCache(cache), rendered: map[string]renderedPage{}, titles: map[string][2]string{},
		th: theme.New(opts.ThemeDir, opts.BuiltInTheme)}
	b.md = markdown.New(markdown.Options{Highlighter: b.hl, Fences: b.fences(), Extensions: []goldmark.Extender{calcblock.New()}})
	return b
}

// title splits a title as written into plain text and inline HTML,
// remembering the answer: titles are few and change rarely.
func (b *Builder) title(raw string) (string, string) {
	if t, ok := b.titles[raw]; ok {
		return t[0], t[1]
	}
	plain, h := b.md.InlineTitle(raw)
	b.titles[raw] = [2]string{plain, string(h)}
	return plain, string(h)
}

// theme is the layered theme the builder reads.
func (b *Builder) theme() *theme.Theme { return b.th }

// Options returns the builder's options with defaults filled in.
func (b *Builder) Options() Options { return b.opts }

// Build renders the whole site into memory. On failure the error is a
// diag.Errors listing every problem, sorted by file and position.
func (b *Builder) Build() (*Site, error) {
	start := time.Now()
	var diags diag.List
	o := b.opts

	if fi, err := os.Stat(o.ContentDir); err != nil || !fi.IsDir() {
		diags.Addf(o.ContentDir, 0, 0, "content folder not found; run from the project root or pass -content DIR")
		return nil, diags.Err()
	}
	// Nothing is read through a link that leads out of the content or
	// theme folder: such a file would be published.
	confine.Check(o.ContentDir, o.ContentDir, []string{o.OutDir, o.CacheDir}, &diags)
	if o.ThemeDir != "" {
		confine.Check(o.ThemeDir, o.ThemeDir, nil, &diags)
	}
	if diags.Len() > 0 {
		return nil, diags.Err()
	}
	site := content.Load(os.DirFS(o.ContentDir), content.Options{Drafts: o.Drafts, Root: o.ContentDir, Memo: &b.memo,
		Skip: inside(o.ContentDir, o.OutDir, o.CacheDir, o.ThemeDir), SkipMarker: output.Marker}, &diags)
	prefix := func(file string) string { return path.Join(filepath.ToSlash(o.ContentDir), file) }
	// Titles may hold inline Markdown (`code`, escapes): plain text for
	// <title> and the search index, HTML for the nav and headings.
	for _, p := range site.Pages {
		p.Title, p.TitleHTML = b.title(p.Title)
	}
	if diags.Len() > 0 {
		// A page that failed to load would make every link to it an error
		// too; report the cause alone.
		return nil, diags.Err()
	}

	baseStr := o.BaseURL
	if baseStr == "" {
		baseStr = site.Config.BaseURL
	}
	base, err := parseBaseURL(baseStr)
	if err != nil {
		diags.Addf("", 0, 0, err.Error())
		return nil, diags.Err()
	}

	// Assets and templates do not depend on content; bundle while parsing.
	var theme *themeBuild
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		theme = b.buildTheme(site, base, prefix)
	}()

	// Parse and render every page's Markdown in parallel: highlighting,
	// diagrams and calculators run here. Links are resolved as each page
	// is rendered; links to headings of other pages are checked after.
	parseStart := time.Now()
	links := policyFor(site.Config, o.WarnLinks || o.Dev)
	res := newResolver(site, base, links)
	csp := sitePolicy(site.Config, prefix, &diags)
	results := make([]*pageResult, len(site.Pages))
	var parsedCount, renderedCount atomic.Int64
	prog := programID(b.cache)
	parallel(len(site.Pages), func(i int) {
		p := site.Pages[i]
		k := pageKey(prog, p, base)
		if r := b.pages.get(k); r != nil && res.stillValid(p.File, r) {
			results[i] = r
			return
		}
		if p.Synthetic {
			results[i] = &pageResult{}
			b.pages.put(k, results[i])
			return
		}
		parsedCount.Add(1)
		r := b.renderMarkdown(p, prefix(p.File), res)
		b.pages.put(k, r)
		results[i] = r
	})
	anchors := make(map[string]map[string]bool, len(site.Pages))
	for i, p := range site.Pages {
		anchors[p.URL] = results[i].anchorSet()
	}
	for _, r := range results {
		for _, d := range r.Diags {
			diags.Add(d)
		}
		checkFragments(r.Refs, anchors, &diags)
	}
	parseDur := time.Since(parseStart)
	wg.Wait()
	for _, d := range theme.diags {
		diags.Add(d)
	}
	if theme.tmpl == nil || theme.bundle == nil || diags.Len() > 0 {
		return nil, diags.Err()
	}
	bundle, tmpl := theme.bundle, theme.tmpl

	out := &Site{Files: map[string][]byte{}, WarnBroken: links.warnBroken, WarnAnchors: links.warnAnchors}
	for p, data := range bundle.Files {
		out.Files[p] = data
	}
	assetURLs := AssetURLs{
		CSS:       base.URL(bundle.Paths["site.css"]),
		JS:        base.URL(bundle.Paths["main.js"]),
		ThemeInit: base.URL(bundle.Paths["theme-init.js"]),
		Favicon:   base.URL("favicon.svg"),
	}
	if o.Dev {
		assetURLs.Reload = base.URL(ReloadPath)
	}
	siteData := SiteData{
		Title:       site.Config.Title,
		Description: site.Config.Description,
		RepoURL:     site.Config.Repo,
		Language:    site.Config.Language,
	}

	calcAssets := AssetURLs{}
	for _, r := range results {
		if r.HasCalc {
			calcAssets, err = b.calcModule(out.Files, base)
			if err != nil {
				diags.Addf("calc/wasm", 0, 0, err.Error())
				return nil, diags.Err()
			}
			break
		}
	}
	sig := signature(site, anchors, base, theme.key+"\x00"+csp, assetURLs, calcAssets, o.Dev)
	// External images the policy blocks would show as broken: say so,
	// once, with the hosts and the fix.
	var images []string
	for _, r := range results {
		images = append(images, r.ExternalImages...)
	}
	if hosts := blockedImageHosts(csp, images); len(hosts) > 0 {
		allow := "https:"
		if slices.ContainsFunc(images, func(u string) bool { return strings.HasPrefix(u, "http://") }) {
			allow = "https:, http:"
		}
		diags.Warnf(prefix(content.ConfigFile), 0, 0, "images from "+strings.Join(hosts, ", ")+
			" are blocked by the pages' Content-Security-Policy; copy them into the content folder, or allow them in site.yaml: csp: {img-src: ["+allow+"]}")
	}

	renderStart := time.Now()
	pages := make([][]byte, len(site.Pages))
	parallel(len(site.Pages), func(i int) {
		p := site.Pages[i]
		r := results[i]
		if old, ok := b.rendered[p.File+"\x00"+p.URL]; ok && old.Sig == sig && old.Sum == r.Sum {
			pages[i] = old.HTML
			return
		}
		if html, ok := b.cache.Get(htmlNS, renderedKey(p, sig, r.Sum)); ok {
			pages[i] = html
			return
		}
		renderedCount.Add(1)
		pageAssets := assetURLs
		if r.HasCalc {
			pageAssets.WASM, pageAssets.WASMExec = calcAssets.WASM, calcAssets.WASMExec
		}
		data := PageData{
			Site:      siteData,
			Assets:    pageAssets,
			CSP:       csp,
			Canonical: base.Abs(p.URL),
			Nav:       navFor(site, p, base),
			Reload:    o.Dev,
		}
		info := PageInfo{
			Kind:        p.Kind,
			Title:       p.Title,
			TitleHTML:   template.HTML(p.TitleHTML),
			Description: p.Description,
			URL:         base.URL(p.URL),
			Permalink:   base.Abs(p.URL),
			Content:     template.HTML(r.HTML),
			TOC:         markdown.TOC(r.Headings),
			HasCalc:     r.HasCalc,
			Params:      p.Meta.Params,
		}
		if info.Description == "" {
			info.Description = site.Config.Description
		}
		for a := p.Parent; a != nil; a = a.Parent {
			info.Breadcrumbs = append([]Link{{Title: a.Title, TitleHTML: template.HTML(a.TitleHTML), URL: base.URL(a.URL)}}, info.Breadcrumbs...)
		}
		if i > 0 {
			q := site.Pages[i-1]
			info.Prev = &Link{Title: q.Title, TitleHTML: template.HTML(q.TitleHTML), URL: base.URL(q.URL)}
		}
		if i+1 < len(site.Pages) {
			q := site.Pages[i+1]
			info.Next = &Link{Title: q.Title, TitleHTML: template.HTML(q.TitleHTML), URL: base.URL(q.URL)}
		}
		if site.Config.Repo != "" && !p.Synthetic {
			info.EditURL = strings.TrimSuffix(site.Config.Repo, "/") + "/edit/" + site.Config.Branch + "/" +
				strings.Trim(site.Config.ContentDir, "/") + "/" + p.File
		}
		for _, c := range p.Children {
			info.Children = append(info.Children, Link{Title: c.Title, TitleHTML: template.HTML(c.TitleHTML), URL: base.URL(c.URL), Description: c.Description})
		}
		data.Page = info
		layout := "page.html"
		switch p.Kind {
		case content.KindHome:
			layout = "home.html"
		case content.KindSection:
			layout = "section.html"
		}
		pages[i] = b.execute(tmpl.byLayout[layout], layout, data, prefix(p.File), &diags)
		if pages[i] != nil {
			b.cache.Put(htmlNS, renderedKey(p, sig, r.Sum), pages[i])
		}
	})
	rendered := make(map[string]renderedPage, len(site.Pages))
	for i, p := range site.Pages {
		out.Files[p.URL+"index.html"] = pages[i]
		rendered[p.File+"\x00"+p.URL] = renderedPage{Sum: results[i].Sum, Sig: sig, HTML: pages[i]}
	}
	out.Pages = len(site.Pages)

	// 404: a page of its own that works at any depth, because every URL in
	// it is absolute.
	notFound := PageData{Site: siteData, Assets: assetURLs, CSP: csp, Canonical: base.Abs("404.html"), Nav: navFor(site, site.Home, base), Reload: o.Dev,
		Page: PageInfo{Kind: "404", Title: "Page not found", TitleHTML: "Page not found", URL: base.URL("404.html"), Permalink: base.Abs("404.html")}}
	out.Files["404.html"] = b.execute(tmpl.byLayout["404.html"], "404.html", notFound, "404.html", &diags)

	// Static files of the theme, then content assets beside their pages.
	if err := b.copyStatic(out.Files); err != nil {
		diags.Addf(b.theme().Where("static"), 0, 0, "cannot copy static files: "+err.Error())
	}
	// Content files are published when a page links to them (a Markdown
	// image, an <img src>, a link to a PDF), or when they sit in the
	// content's static/ folder (copied to the site root, as Hugo does), or
	// are a root CNAME for a custom domain. A folder of Markdown can hold
	// scripts, notebooks and licences that are not part of the site.
	published := b.publishedAssets(site, results)
	for _, a := range published {
		data, err := os.ReadFile(filepath.Join(o.ContentDir, filepath.FromSlash(a)))
		if err != nil {
			diags.Addf(prefix(a), 0, 0, "cannot read: "+err.Error())
			continue
		}
		out.Files[publishedPath(a)] = data
	}
	out.Stats.ContentAssets = len(published)

	if err := b.searchIndex(site, results, out.Files); err != nil {
		diags.Addf("", 0, 0, "cannot build the search index: "+err.Error())
	}
	out.Files[".nojekyll"] = []byte{}
	out.Files["sitemap.xml"] = sitemap(site, base)
	robots := "User-agent: *\nAllow: /\n"
	if base.Origin != "" {
		robots += "Sitemap: " + base.Abs("sitemap.xml") + "\n"
	}
	out.Files["robots.txt"] = []byte(robots)

	// Aliases become redirect pages, last, so that one that would replace
	// any other file (robots.txt/, an asset's folder) is caught.
	for _, p := range site.Pages {
		for n, u := range p.Aliases {
			f := u + "index.html"
			clash := ""
			if _, ok := out.Files[f]; ok {
				clash = f
			} else if _, ok := out.Files[strings.TrimSuffix(u, "/")]; ok {
				clash = strings.TrimSuffix(u, "/")
			}
			if clash != "" {
				line, col := p.Pos("aliases." + strconv.Itoa(n))
				diags.Addf(prefix(p.File), line, col, "alias /"+u+" would replace the site's file "+clash+"; choose another path")
				continue
			}
			data := PageData{Site: siteData, Assets: assetURLs, CSP: csp, Canonical: base.Abs(p.URL), Redirect: base.URL(p.URL),
				Page: PageInfo{Title: p.Title, TitleHTML: template.HTML(p.TitleHTML), URL: base.URL(p.URL)}}
			out.Files[f] = b.execute(tmpl.redirect, "redirect.html", data, prefix(p.File), &diags)
		}
	}

	b.pages.endBuild()
	b.hl.Sweep()
	// Keeping the cache within its size is best effort: it only saves time.
	b.cache.Trim()
	if err := diags.Err(); err != nil {
		return nil, err
	}
	out.Warnings = diags.Warnings()
	// Only a successful build's pages may be reused: a page that failed to
	// render has no HTML worth keeping.
	b.rendered = rendered
	for _, f := range out.Files {
		out.Stats.OutputBytes += int64(len(f))
	}
	out.Stats.HighlightMisses = b.hl.Misses()
	out.Stats.MarkdownParse = parseDur
	out.Stats.Parsed, out.Stats.Rendered = int(parsedCount.Load()), int(renderedCount.Load())
	out.Stats.RenderAndExecute = time.Since(renderStart)
	out.Stats.Total = time.Since(start)
	return out, nil
}

// inside lists the folders of dirs that lie inside root, relative to it
// and slash-separated: with -content . the output, cache and theme folders
// are below the content folder but are not content.
func inside(root string, dirs ...string) []string {
	var out []string
	for _, d := range dirs {
		if d == "" {
			continue
		}
		rel, err := filepath.Rel(root, d)
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out
}

// execute runs one layout, reporting template errors at the template's line
// and naming the page that triggered them.
func (b *Builder) execute(t *template.Template, layout string, data PageData, file string, diags *diag.List) []byte {
	var buf bytes.Buffer
	buf.Grow(16 << 10)
	name := "base.html"
	if layout == "redirect.html" {
		name = layout
	}
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		var local diag.List
		addTemplateError(b.theme(), err, &local)
		for _, d := range local.Sorted() {
			d.Msg += " (while rendering " + file + ")"
			diags.Add(d)
		}
		return nil
	}
	return buf.Bytes()
}

// parallel runs f(0..n-1) on as many goroutines as there are CPUs.
func parallel(n int, f func(i int)) { parallelN(n, runtime.GOMAXPROCS(0), f) }

// parallelN runs f(0..n-1) on up to workers goroutines.
func parallelN(n, workers int, f func(i int)) {
	workers = min(workers, n)
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}

// publishedAssets lists the content files the site publishes, sorted: those
// a page links to, everything in static/, and a root CNAME.
func (b *Builder) publishedAssets(site *content.Site, results []*pageResult) []string {
	want := map[string]bool{}
	for _, r := range results {
		for _, l := range r.Links {
			if l.Asset != "" {
				want[l.Asset] = true
			}
		}
	}
	var out []string
	for _, a := range site.Assets {
		if want[a] || strings.HasPrefix(a, "static/") || a == "CNAME" {
			out = append(out, a)
		}
	}
	return out
}

// copyStatic adds the theme's static files at the site root.
func (b *Builder) copyStatic(files map[string][]byte) error {
	th := b.theme()
	names, err := th.Files("static")
	if err != nil {
		return err
	}
	for _, n := range names {
		data, err := th.ReadFile(n)
		if err != nil {
			return err
		}
		files[strings.TrimPrefix(n, "static/")] = data
	}
	return nil
}

// sitemap lists every page. Sitemaps need absolute URLs; without an origin
// in the base URL, the paths are the best the build can do.
func sitemap(site *content.Site, base baseURL) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	urls := make([]string, 0, len(site.Pages))
	for _, p := range site.Pages {
		urls = append(urls, base.Abs(p.URL))
	}
	sort.Strings(urls)
	for _, u := range urls {
		b.WriteString("  <url><loc>")
		xml.EscapeText(&b, []byte(u))
		b.WriteString("</loc></url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// calcModule compiles (or fetches from the cache) the WebAssembly engine and
// adds it and its loader to files under content-hashed names.
func (b *Builder) calcModule(files map[string][]byte, base baseURL) (AssetURLs, error) {
	m, err := wasm.Build(wasm.Options{Source: b.opts.Engine, Cache: b.cache})
	if err != nil {
		return AssetURLs{}, err
	}
	wasmPath := "assets/calc-" + shortHash(m.WASM) + ".wasm"
	execPath := "assets/wasm_exec-" + shortHash(m.Exec) + ".js"
	files[wasmPath] = m.WASM
	files[execPath] = m.Exec
	return AssetURLs{WASM: base.URL(wasmPath), WASMExec: base.URL(execPath)}, nil
}

func shortHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:12]
}
