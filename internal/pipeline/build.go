package pipeline

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"html/template"
	"io/fs"
	"maps"
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

	"github.com/scalebook/scalebook/internal/confine"
	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/filecache"
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
	// BasePath is the URL path the site lives under ("/" or "/repo/"),
	// where a server must put Files for their links to work.
	BasePath string
	// WarnBroken and WarnAnchors are the link policy the build used:
	// whether links to missing pages, and to missing headings, were only
	// warnings. scalebook check holds a site to the same policy.
	WarnBroken, WarnAnchors bool
	// Search is set when Options.DeferSearch left the search index out:
	// it assembles the index and returns the whole output with it, leaving
	// Files as they are. It must be called before the next Build, or not
	// at all (the dev server skips it for a build it does not show).
	Search func() map[string][]byte
}

// Stats are measurements of one build.
type Stats struct {
	Total            time.Duration
	HighlightMisses  int
	ContentAssets    int
	OutputBytes      int64
	MarkdownParse    time.Duration
	RenderAndExecute time.Duration
	// ContentReads counts the content files this build read from disk;
	// the rest came from the previous build's snapshot (Builder.Changed).
	ContentReads int
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
	md       *markdown.Renderer
	pages    *pageCache
	rendered map[string]renderedPage
	// th is the layered theme; themeBuilt, its bundle and templates.
	th         *theme.Theme
	themeBuilt *themeBuild
	search     map[searchKey]search.Fragment
	searchOut  *searchOutput
	searchAsm  search.Assembler // the last index joined, patched page by page
	gen        int              // builds started, so a stale Site.Search is caught
	titles     map[string][2]string
	memo       content.Memo
	prog       string // programID, once known
	engine     *wasm.Compiler
	// snap is the content folder as the last good build read it, and
	// changed what the watcher saw change since (see Changed).
	snap         *snapshot
	changed      []string
	changesKnown bool
	keys         pageKeys
	sheets       *sheets // the last build's, read by the calculator extension
	// sheetMemo keeps the last build's parsed and evaluated sheets by
	// their full text: an edit re-parses only the sheets it changed.
	sheetMemo map[string]parsedSheet
	// engineNames are the output names of the last engine module.
	engineNames engineNames
	// pageSheets keeps what the last build's shareSheets read from each
	// page, by content path.
	pageSheets map[string]pageSheets
	// shared is the last build's shareSheets, reused whole while no
	// sheet changed.
	shared *sharedSheets
}

// Changed tells the Builder which files changed since its last build, as
// the dev server's watcher saw them (absolute or relative to the working
// folder), so that the next Build reads those and takes the rest of the
// content folder from memory. A Build without it reads everything. Paths
// in the theme folder leave the content snapshot alone; a path outside
// both, or the content folder itself, makes the next Build read
// everything.
func (b *Builder) Changed(paths []string) {
	if b.snap == nil {
		return
	}
	for _, p := range paths {
		if rel, ok := relTo(b.opts.ContentDir, p); ok {
			b.changed = append(b.changed, rel)
			continue
		}
		if b.opts.ThemeDir != "" {
			if _, ok := relTo(b.opts.ThemeDir, p); ok {
				continue
			}
		}
		b.snap = nil // a change the snapshot cannot place
		return
	}
	b.changesKnown = true
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
	// A build stores thousands of entries at once, and a file each cost
	// more than rendering them: it writes them as one pack per namespace.
	// The dev server stores a few per edit, which would make a pack each;
	// it keeps one file per entry.
	cache := filecache.Open(opts.CacheDir, filecache.Options{Packed: !opts.Dev})
	b := &Builder{opts: opts, cache: cache, pages: newPageCache(cache), rendered: map[string]renderedPage{}, titles: map[string][2]string{},
		th: theme.New(opts.ThemeDir, opts.BuiltInTheme)}
	b.engine = wasm.NewCompiler(wasm.Options{Source: opts.Engine, Cache: cache})
	b.md = newMarkdown(b)
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

// Build renders the whole site into memory, running the pipeline's stages
// in order. On failure the error is a diag.Errors listing every problem,
// sorted by file and position; Site.Write (or output.Write) is the last
// stage, writing the result to disk.
func (b *Builder) Build() (*Site, error) {
	b.gen++
	r := &run{b: b, o: b.opts, start: time.Now()}
	if !r.load() { // content, configuration, base URL, link policy, CSP
		return nil, r.err()
	}
	theme := r.bundleTheme() // assets and templates, beside the next stages
	r.shareSheets()          // what sheets lend each other, across pages and _sheets/
	r.b.sheets = r.sheets
	r.renderMarkdown() // every page: fences by language (code, diagrams, sheets evaluated), links
	r.checkAnchors()
	r.themeBuilt = theme()
	if r.failed() {
		return nil, r.err()
	}
	if !r.compileEngine() { // the calculators' WebAssembly, if a page has one
		return nil, r.err()
	}
	r.applyTemplates() // every page's final HTML, and the 404 page
	r.assemble()       // static and content files, sitemap, robots, aliases
	r.index()          // the search index
	return r.finish()
}

// run is one build's state as it passes from stage to stage. Each stage
// reads what earlier ones set and adds its own fields; none reaches back.
type run struct {
	b     *Builder
	o     Options
	start time.Time
	diags diag.List

	// shareSheets
	sheets *sheets

	// load
	snap   *snapshot // the content folder, as read by this build
	site   *content.Site
	base   baseURL
	prefix func(file string) string // a content path as the author sees it
	links  linkPolicy
	res    *resolver
	csp    string

	// renderMarkdown, checkAnchors
	results  []*pageResult
	anchors  map[string]map[string]bool
	parsed   atomic.Int64
	parseDur time.Duration

	// bundleTheme, compileEngine
	themeBuilt *themeBuild
	assets     AssetURLs // the theme's bundles and icon
	calc       AssetURLs // the engine and its loader, if any page needs them

	// applyTemplates, assemble, index
	out       *Site
	siteData  SiteData
	rendered  map[string]renderedPage
	renders   atomic.Int64
	renderAt  time.Time
	published []string
}

func (r *run) failed() bool {
	return r.themeBuilt.tmpl == nil || r.themeBuilt.bundle == nil || r.diags.Len() > 0
}

// load reads the content folder into a site: pages, front matter and
// configuration, after checking that no link leads out of the content or
// theme folder; then the base URL, link policy and CSP that every later
// stage uses.
func (r *run) load() bool {
	o := r.o
	if fi, err := os.Stat(o.ContentDir); err != nil || !fi.IsDir() {
		r.diags.Addf(o.ContentDir, 0, 0, "content folder not found; run from the project root or pass -content DIR")
		return false
	}
	// The snapshot of the last good build serves what did not change;
	// without one, or without word of what changed, everything is read.
	// Only a good build keeps it (finish), so a problem is never hidden by
	// a file that was not read again.
	snap, changed := r.b.snap, r.b.changed
	if snap == nil || !r.b.changesKnown {
		snap, changed = newSnapshot(o.ContentDir), nil
	}
	for _, rel := range changed {
		snap.forget(rel)
	}
	r.b.snap, r.b.changed, r.b.changesKnown = nil, nil, false
	r.snap = snap
	// Nothing is read through a link that leads out of the content or
	// theme folder: such a file would be published.
	if changed != nil {
		confine.CheckPaths(o.ContentDir, o.ContentDir, changed, &r.diags)
	} else {
		confine.Check(o.ContentDir, o.ContentDir, []string{o.OutDir, o.CacheDir}, &r.diags)
	}
	if o.ThemeDir != "" {
		confine.Check(o.ThemeDir, o.ThemeDir, nil, &r.diags)
	}
	if r.diags.Len() > 0 {
		return false
	}
	r.site = content.Load(snap, content.Options{Drafts: o.Drafts, Root: o.ContentDir, Memo: &r.b.memo,
		Skip: inside(o.ContentDir, o.OutDir, o.CacheDir, o.ThemeDir), SkipMarker: output.Marker}, &r.diags)
	r.prefix = func(file string) string { return path.Join(filepath.ToSlash(o.ContentDir), file) }
	// Titles may hold inline Markdown (`code`, escapes): plain text for
	// <title> and the search index, HTML for the nav and headings.
	for _, p := range r.site.Pages {
		p.Title, p.TitleHTML = r.b.title(p.Title)
	}
	if r.diags.Len() > 0 {
		// A page that failed to load would make every link to it an error
		// too; report the cause alone.
		return false
	}
	base, err := parseBaseURL(cmp.Or(o.BaseURL, r.site.Config.BaseURL))
	if err != nil {
		r.diags.Addf("", 0, 0, err.Error())
		return false
	}
	if !r.originFor(&base) {
		return false
	}
	r.base = base
	r.links = policyFor(r.site.Config, o.WarnLinks || o.Dev)
	r.res = newResolver(r.site, base, r.links)
	r.csp = sitePolicy(r.site.Config, r.prefix, &r.diags)
	return true
}

// bundleTheme starts bundling the theme's assets and parsing its templates,
// which depend on no page, and returns a function that waits for them.
func (r *run) bundleTheme() func() *themeBuild {
	done := make(chan *themeBuild, 1)
	go func() { done <- r.b.buildTheme(r.site, r.base, r.prefix) }()
	return func() *themeBuild {
		t := <-done
		for _, d := range t.diags {
			r.diags.Add(d)
		}
		return t
	}
}

// renderMarkdown parses and renders every page's Markdown in parallel,
// one page per core, reusing what an earlier build made of pages that did
// not change. Fences are rendered by language as they are parsed: code is
// highlighted, diagrams laid out, and calculator sheets evaluated (with the
// inline figures that quote them). Links are resolved as each page is
// rendered; links to headings of other pages are checked by checkAnchors.
func (r *run) renderMarkdown() {
	start := time.Now()
	b := r.b
	r.results = make([]*pageResult, len(r.site.Pages))
	if b.prog == "" {
		b.prog = programID(b.cache)
	}
	prog := b.prog
	keys := make([]filecache.Key, len(r.site.Pages))
	parallel(len(r.site.Pages), func(i int) {
		p := r.site.Pages[i]
		k := b.keys.of(prog, p, r.base, r.sheets.digest(p))
		keys[i] = k
		if cached := b.pages.get(k); cached != nil && r.res.stillValid(p.File, cached) {
			r.results[i] = cached
			return
		}
		if p.Synthetic {
			r.results[i] = &pageResult{}
			b.pages.put(k, r.results[i])
			return
		}
		r.parsed.Add(1)
		res := b.renderPage(p, r.prefix(p.File), r.res)
		b.pages.put(k, res)
		r.results[i] = res
	})
	for _, res := range r.results {
		for _, d := range res.Diags {
			r.diags.Add(d)
		}
	}
	b.keys.keep(r.site.Pages, keys, prog, r.base, r.sheets)
	r.parseDur = time.Since(start)
}

// checkAnchors reports links to headings that their target page lacks,
// once every page's anchors are known.
func (r *run) checkAnchors() {
	r.anchors = make(map[string]map[string]bool, len(r.site.Pages))
	for i, p := range r.site.Pages {
		r.anchors[p.URL] = r.results[i].anchorSet()
	}
	for _, res := range r.results {
		checkFragments(res.Refs, r.anchors, &r.diags)
	}
}

// compileEngine compiles (or takes from the cache) the calculators'
// WebAssembly engine when a page has a calculator, and starts the output
// with it and the theme's bundles.
func (r *run) compileEngine() bool {
	bundle := r.themeBuilt.bundle
	r.out = &Site{Files: map[string][]byte{}, WarnBroken: r.links.warnBroken, WarnAnchors: r.links.warnAnchors}
	for p, data := range bundle.Files {
		r.out.Files[p] = data
	}
	r.assets = AssetURLs{
		CSS:       r.base.URL(bundle.Paths["site.css"]),
		JS:        r.base.URL(bundle.Paths["main.js"]),
		ThemeInit: r.base.URL(bundle.Paths["theme-init.js"]),
		Favicon:   r.base.URL("favicon.svg"),
	}
	if r.o.Dev {
		r.assets.Reload = r.base.URL(ReloadPath)
	}
	if !slices.ContainsFunc(r.results, func(res *pageResult) bool { return res.HasCalc }) {
		return true
	}
	m, err := r.b.engine.Build()
	if err != nil {
		r.diags.Addf("calc/wasm", 0, 0, err.Error())
		return false
	}
	// The Compiler hands back the module it kept while calc/ is unchanged:
	// hashing 2 MB for its name once is enough.
	if n := r.b.engineNames; n.wasm == nil || &n.wasm[0] != &m.WASM[0] || len(n.wasm) != len(m.WASM) || string(n.exec) != string(m.Exec) {
		r.b.engineNames = engineNames{wasm: m.WASM, exec: m.Exec,
			wasmPath: "assets/calc-" + shortHash(m.WASM) + ".wasm",
			execPath: "assets/wasm_exec-" + shortHash(m.Exec) + ".js"}
	}
	wasmPath, execPath := r.b.engineNames.wasmPath, r.b.engineNames.execPath
	r.out.Files[wasmPath] = m.WASM
	r.out.Files[execPath] = m.Exec
	r.calc = AssetURLs{WASM: r.base.URL(wasmPath), WASMExec: r.base.URL(execPath)}
	return true
}

// engineNames are the content-hashed output names of an engine module.
type engineNames struct {
	wasm, exec         []byte
	wasmPath, execPath string
}

// applyTemplates runs every page's layout in parallel, reusing a page's
// final HTML while the site signature (everything else the page shows)
// and its Markdown result are unchanged; then the 404 page.
func (r *run) applyTemplates() {
	b, site, base := r.b, r.site, r.base
	r.renderAt = time.Now()
	r.siteData = SiteData{
		Title:       site.Config.Title,
		Description: site.Config.Description,
		RepoURL:     site.Config.Repo,
		Language:    site.Config.Language,
	}
	sig := signature(site, r.anchors, base, r.themeBuilt.key+"\x00"+r.csp, r.assets, r.calc, r.o.Dev)
	r.warnBlockedImages()
	pages := make([][]byte, len(site.Pages))
	parallel(len(site.Pages), func(i int) {
		p, res := site.Pages[i], r.results[i]
		if old, ok := b.rendered[p.File+"\x00"+p.URL]; ok && old.Sig == sig && old.Sum == res.Sum {
			pages[i] = old.HTML
			return
		}
		if html, ok := b.cache.Get(htmlNS, renderedKey(p, sig, res.Sum)); ok {
			pages[i] = html
			return
		}
		r.renders.Add(1)
		layout := "page.html"
		switch p.Kind {
		case content.KindHome:
			layout = "home.html"
		case content.KindSection:
			layout = "section.html"
		}
		pages[i] = b.execute(r.themeBuilt.tmpl.byLayout[layout], layout, r.pageData(i), r.prefix(p.File), &r.diags)
		if pages[i] != nil {
			b.cache.Put(htmlNS, renderedKey(p, sig, res.Sum), pages[i])
		}
	})
	r.rendered = make(map[string]renderedPage, len(site.Pages))
	for i, p := range site.Pages {
		r.out.Files[p.URL+"index.html"] = pages[i]
		r.rendered[p.File+"\x00"+p.URL] = renderedPage{Sum: r.results[i].Sum, Sig: sig, HTML: pages[i]}
	}
	r.out.Pages = len(site.Pages)

	// 404: a page of its own that works at any depth, because every URL in
	// it is absolute.
	notFound := PageData{Site: r.siteData, Assets: r.assets, CSP: r.csp, Canonical: base.Abs("404.html"), Nav: navFor(site, site.Home, base), Reload: r.o.Dev,
		Page: PageInfo{Kind: "404", Title: "Page not found", TitleHTML: "Page not found", URL: base.URL("404.html"), Permalink: base.Abs("404.html")}}
	r.out.Files["404.html"] = b.execute(r.themeBuilt.tmpl.byLayout["404.html"], "404.html", notFound, "404.html", &r.diags)
}

// pageData is what page i's templates see.
func (r *run) pageData(i int) PageData {
	site, base, p, res := r.site, r.base, r.site.Pages[i], r.results[i]
	assets := r.assets
	if res.HasCalc {
		assets.WASM, assets.WASMExec = r.calc.WASM, r.calc.WASMExec
	}
	info := PageInfo{
		Kind:        p.Kind,
		Title:       p.Title,
		TitleHTML:   template.HTML(p.TitleHTML),
		Description: cmp.Or(p.Description, site.Config.Description),
		URL:         base.URL(p.URL),
		Permalink:   base.Abs(p.URL),
		Content:     template.HTML(res.HTML),
		TOC:         markdown.TOC(res.Headings),
		HasCalc:     res.HasCalc,
		Params:      p.Meta.Params,
		Meta:        p.Meta,
	}
	link := func(q *content.Page) Link {
		return Link{Title: q.Title, TitleHTML: template.HTML(q.TitleHTML), URL: base.URL(q.URL), Description: q.Description}
	}
	for a := p.Parent; a != nil; a = a.Parent {
		l := link(a)
		l.Description = ""
		info.Breadcrumbs = append([]Link{l}, info.Breadcrumbs...)
	}
	if i > 0 {
		l := link(site.Pages[i-1])
		l.Description = ""
		info.Prev = &l
	}
	if i+1 < len(site.Pages) {
		l := link(site.Pages[i+1])
		l.Description = ""
		info.Next = &l
	}
	if site.Config.Repo != "" && !p.Synthetic {
		info.EditURL = strings.TrimSuffix(site.Config.Repo, "/") + "/edit/" + site.Config.Branch + "/" +
			strings.Trim(site.Config.ContentDir, "/") + "/" + p.File
	}
	for _, c := range p.Children {
		info.Children = append(info.Children, link(c))
	}
	return PageData{Site: r.siteData, Assets: assets, CSP: r.csp, Canonical: base.Abs(p.URL), Nav: navFor(site, p, base), Reload: r.o.Dev, Page: info}
}

// warnBlockedImages says, once, which external images the site's CSP
// would block (they would show as broken), with the hosts and the fix.
func (r *run) warnBlockedImages() {
	var images []string
	for _, res := range r.results {
		images = append(images, res.ExternalImages...)
	}
	if hosts := blockedImageHosts(r.csp, images); len(hosts) > 0 {
		allow := "https:"
		if slices.ContainsFunc(images, func(u string) bool { return strings.HasPrefix(u, "http://") }) {
			allow = "https:, http:"
		}
		r.diags.Warnf(r.prefix(content.ConfigFile), 0, 0, "images from "+strings.Join(hosts, ", ")+
			" are blocked by the pages' Content-Security-Policy; copy them into the content folder, or allow them in site.yaml: csp: {img-src: ["+allow+"]}")
	}
}

// assemble adds everything that is not a page: the theme's static files,
// the content files pages link to, .nojekyll, the sitemap and robots.txt,
// and last the aliases' redirect pages, so that an alias that would
// replace any other file (robots.txt/, an asset's folder) is caught.
func (r *run) assemble() {
	b, site, base, files := r.b, r.site, r.base, r.out.Files
	if err := b.copyStatic(files); err != nil {
		r.diags.Addf(b.theme().Where("static"), 0, 0, "cannot copy static files: "+err.Error())
	}
	// Content files are published when a page links to them (a Markdown
	// image, an <img src>, a link to a PDF), or when they sit in the
	// content's static/ folder (copied to the site root, as Hugo does), or
	// are a root CNAME for a custom domain. A folder of Markdown can hold
	// scripts, notebooks and licences that are not part of the site.
	r.published = publishedAssets(site, r.results)
	for _, a := range r.published {
		data, err := r.snap.ReadFile(a)
		if err != nil {
			r.diags.Addf(r.prefix(a), 0, 0, "cannot read: "+err.Error())
			continue
		}
		files[publishedPath(a)] = data
	}
	files[".nojekyll"] = []byte{}
	files["sitemap.xml"] = sitemap(site, base)
	robots := "User-agent: *\nAllow: /\n"
	if base.Origin != "" {
		robots += "Sitemap: " + base.Abs("sitemap.xml") + "\n"
	}
	files["robots.txt"] = []byte(robots)

	for _, p := range site.Pages {
		for n, u := range p.Aliases {
			f := u + "index.html"
			clash := ""
			if _, ok := files[f]; ok {
				clash = f
			} else if _, ok := files[strings.TrimSuffix(u, "/")]; ok {
				clash = strings.TrimSuffix(u, "/")
			}
			if clash != "" {
				line, col := p.Pos("aliases." + strconv.Itoa(n))
				r.diags.Addf(r.prefix(p.File), line, col, "alias /"+u+" would replace the site's file "+clash+"; choose another path")
				continue
			}
			data := PageData{Site: r.siteData, Assets: r.assets, CSP: r.csp, Canonical: base.Abs(p.URL), Redirect: base.URL(p.URL),
				Page: PageInfo{Title: p.Title, TitleHTML: template.HTML(p.TitleHTML), URL: base.URL(p.URL)}}
			files[f] = b.execute(r.themeBuilt.tmpl.redirect, "redirect.html", data, r.prefix(p.File), &r.diags)
		}
	}
}

// index adds the search index.
func (r *run) index() {
	keys := func(p *content.Page) filecache.Key { return r.b.keys.byFile[p.File].key }
	assemble := r.b.searchIndex(r.site, r.results, keys, r.prefix, &r.diags)
	if !r.o.DeferSearch {
		maps.Copy(r.out.Files, assemble())
		return
	}
	// Serve the last index until the new one is assembled.
	var last map[string][]byte
	if r.b.searchOut != nil {
		last = r.b.searchOut.files
		maps.Copy(r.out.Files, last)
	}
	files, gen := r.out.Files, r.b.gen
	var once sync.Once
	var with map[string][]byte
	search := func() map[string][]byte {
		once.Do(func() {
			if r.b.gen != gen {
				// The Builder's fragments are a later build's now.
				panic("pipeline: Site.Search called after a later Build")
			}
			with = maps.Clone(files)
			for name := range last {
				delete(with, name)
			}
			maps.Copy(with, assemble())
			r.b.cache.Trim()
		})
		return with
	}
	r.out.Search = search
}

// finish ends the build: caches keep what a later build may reuse (and
// only a successful build's final pages), and the site gets its warnings
// and measurements.
func (r *run) finish() (*Site, error) {
	b, out := r.b, r.out
	b.pages.endBuild()
	b.md.Sweep()
	if err := r.err(); err != nil {
		b.cache.Trim()
		return nil, err
	}
	// Keeping the cache within its size is best effort: it only saves
	// time, so a deferred index does it after the reload (index).
	if out.Search == nil {
		b.cache.Trim()
	}
	out.BasePath = r.base.Path
	b.snap = r.snap
	out.Stats.ContentReads = r.snap.reads
	r.snap.reads = 0
	out.Warnings = r.diags.Warnings()
	diag.Quote(out.Warnings, b.readSource)
	b.rendered = r.rendered
	for _, f := range out.Files {
		out.Stats.OutputBytes += int64(len(f))
	}
	out.Stats.ContentAssets = len(r.published)
	out.Stats.HighlightMisses = b.md.HighlightMisses()
	out.Stats.MarkdownParse = r.parseDur
	out.Stats.Parsed, out.Stats.Rendered = int(r.parsed.Load()), int(r.renders.Load())
	out.Stats.RenderAndExecute = time.Since(r.renderAt)
	out.Stats.Total = time.Since(r.start)
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
func publishedAssets(site *content.Site, results []*pageResult) []string {
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

func shortHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:12]
}

// err returns the build's errors, if any, each with its source line.
func (r *run) err() error {
	errs, ok := r.diags.Err().(diag.Errors)
	if !ok {
		return nil
	}
	diag.Quote(errs, r.b.readSource)
	return errs
}

// readSource reads a file named in a diagnostic, for quoting its line: an
// author's file from disk, a template of the built-in theme from the binary.
func (b *Builder) readSource(file string) ([]byte, error) {
	if name, ok := strings.CutPrefix(file, theme.BuiltIn+"/"); ok {
		return fs.ReadFile(b.theme(), name)
	}
	return os.ReadFile(file)
}

// originFor completes a base URL that is only a path with an origin, so
// that canonical links, og:url and the sitemap are absolute, as search
// engines need: from site.yaml's base_url when the command line gave only
// a path, else from its url. Without one the build says so, except in the
// dev server, whose pages are not published.
func (r *run) originFor(base *baseURL) bool {
	c := r.site.Config
	if base.Origin == "" && r.o.BaseURL != "" && c.BaseURL != "" {
		if b, err := parseBaseURL(c.BaseURL); err == nil {
			base.Origin = b.Origin
		}
	}
	if base.Origin == "" && c.URL != "" {
		origin, err := parseOrigin(c.URL)
		if err != nil {
			line, col := r.configPos("url")
			r.diags.Addf(r.prefix(content.ConfigFile), line, col, err.Error())
			return false
		}
		base.Origin = origin
	}
	if base.Origin == "" && !r.o.Dev {
		r.diags.Warnf(r.prefix(content.ConfigFile), 0, 0, "canonical links, og:url and the sitemap use paths, not absolute URLs, because the base URL has no origin: set url in site.yaml (url: https://example.com) or build with -base-url https://example.com"+base.Path)
	}
	return true
}

// configPos finds where a top-level key of site.yaml is written, for a
// message about its value; 0, 0 if it cannot.
func (r *run) configPos(key string) (line, col int) {
	data, err := r.snap.ReadFile(content.ConfigFile)
	if err != nil {
		return 0, 0
	}
	for i, l := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(l, key+":"); ok {
			return i + 1, len(l) - len(strings.TrimLeft(rest, " \t")) + 1
		}
	}
	return 0, 0
}
