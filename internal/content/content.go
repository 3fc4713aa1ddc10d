// Package content loads the content folder into a tree of pages.
//
// A folder is a section and its _index.md (or index.md, or README.md) is the
// section page; every other
// Markdown file is a page whose URL is its path without the extension. Files
// that are not Markdown are assets, copied to the same relative path in the
// output so that links written for GitHub keep working on the site.
//
// Loading reads and splits front matter only; Markdown is rendered elsewhere.
package content

import (
	"bytes"
	"cmp"
	"errors"
	"io/fs"
	"math"
	"net/url"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/suggest"
)

// Kinds of page.
const (
	KindHome    = "home"
	KindSection = "section"
	KindPage    = "page"
)

// ConfigFile is the site configuration's name inside the content folder.
const ConfigFile = "site.yaml"

// Page is one Markdown source and its place in the site.
type Page struct {
	// File is the path inside the content folder, slash-separated
	// ("systems/twitter.md"). Synthesized section pages have no file and
	// report the folder instead ("systems/").
	File  string
	Kind  string
	Title string
	// TitleHTML is Title with its inline Markdown rendered; the builder
	// sets it (and makes Title plain text).
	TitleHTML   string
	Description string
	Weight      int
	Draft       bool
	Slug        string
	Aliases     []string
	// Meta is the whole front matter as decoded, and MetaText its YAML:
	// everything that depends on a page's front matter keys on MetaText,
	// so a new field can never serve stale HTML.
	Meta     FrontMatter
	MetaText []byte
	metaLine int // the file's line of the YAML's first line

	// URL is the page's path below the site root with a trailing slash
	// ("systems/twitter/"); the home page's is "".
	URL string
	// Body is the Markdown after the front matter; BodyLine is the line of
	// the file on which Body starts, so positions in Body map back to the file.
	Body     []byte
	BodyLine int

	Parent   *Page
	Children []*Page // sections and pages below a section, in nav order
	// summary is the page's place in SUMMARY.md, 0 when it is not listed.
	summary int
	// Synthetic marks a section page made up for a folder without an index
	// page.
	Synthetic bool
}

// IsSection reports whether the page has children of its own.
func (p *Page) IsSection() bool { return p.Kind == KindSection || p.Kind == KindHome }

// Site is the loaded content.
type Site struct {
	Config Config
	Home   *Page
	// Pages holds every page in a stable order: depth-first nav order.
	Pages []*Page
	// Assets are the non-Markdown files, slash-separated paths inside the
	// content folder, sorted.
	Assets []string
	byFile map[string]*Page
	byDir  map[string]*Page
}

// PageByFile finds the page for a content path such as "systems/twitter.md".
func (s *Site) PageByFile(file string) *Page { return s.byFile[file] }

// Section finds the page of a folder ("systems/", or "" for the home
// page), whether written or made up.
func (s *Site) Section(dir string) *Page { return s.byDir[dir] }

// HasAsset reports whether file (slash-separated, relative to the content
// folder) is a copied asset.
func (s *Site) HasAsset(file string) bool {
	_, ok := slices.BinarySearch(s.Assets, file)
	return ok
}

// Config is content/site.yaml. Every field is optional, so any folder of
// Markdown builds with defaults.
type Config struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	// Repo is the repository's web URL, used for "Edit this page" links.
	Repo string `yaml:"repo"`
	// Branch and ContentDir locate the content inside Repo.
	Branch     string `yaml:"branch"`
	ContentDir string `yaml:"content_dir"`
	// BaseURL is used when the command line does not give one.
	BaseURL string `yaml:"base_url"`
	// URL is the site's origin (https://example.com), for the absolute
	// URLs that canonical links, og:url and the sitemap need when the base
	// URL is only a path.
	URL      string `yaml:"url"`
	Language string `yaml:"language"`
	// Links says what a problem with a link does to the build: "error"
	// fails it, "warn" prints it and builds. Broken (a missing page or
	// file) defaults to error, Anchors (a missing heading) to warn.
	Links struct {
		Broken  string `yaml:"broken"`
		Anchors string `yaml:"anchors"`
	} `yaml:"links"`
	// CSP adds sources to directives of the pages' Content-Security-Policy
	// ({img-src: [https:]} to show images from other hosts).
	CSP map[string][]string `yaml:"csp"`
	// Highlight names the chroma styles for code in each colour scheme.
	Highlight struct {
		Light string `yaml:"light"`
		Dark  string `yaml:"dark"`
	} `yaml:"highlight"`
	// Search tunes site search: words and phrases that find each other.
	Search SearchConfig `yaml:"search"`
}

// SearchConfig is site.yaml's search section.
type SearchConfig struct {
	// Synonyms are groups of words or phrases that find each other
	// ([qps, requests per second]), added to the built-in table.
	Synonyms []Synonyms `yaml:"synonyms"`
	// DefaultSynonyms set to false leaves the built-in table out.
	DefaultSynonyms *bool `yaml:"default_synonyms"`
}

// Synonyms is one group of search.synonyms, with where it was written so
// that a problem with it can be reported there.
type Synonyms struct {
	Terms     []string
	Line, Col int
}

// UnmarshalYAML reads a group (a list of strings) and remembers its place.
func (s *Synonyms) UnmarshalYAML(n *yaml.Node) error {
	s.Line, s.Col = n.Line, n.Column
	return n.Decode(&s.Terms)
}

// decodeConfig reads site.yaml strictly: every key must be one Config
// knows, at any depth, or it is an error at its line with the closest
// known key suggested.
func decodeConfig(data []byte, c *Config, diags *diag.List) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, col, msg := yamlPosition(err, 0)
		diags.Addf(ConfigFile, line, col, msg+"; fix the YAML (see README for the fields)")
		return
	}
	if len(doc.Content) == 0 {
		return
	}
	if !knownKeys(doc.Content[0], reflect.TypeFor[Config](), ConfigFile, 0, diags) {
		return
	}
	if err := doc.Content[0].Decode(c); err != nil {
		line, col, msg := yamlPosition(err, 0)
		diags.Addf(ConfigFile, line, col, msg)
		return
	}
	for _, f := range []struct{ key, v string }{{"links.broken", c.Links.Broken}, {"links.anchors", c.Links.Anchors}} {
		if f.v != "" && f.v != "error" && f.v != "warn" {
			diags.Addf(ConfigFile, 0, 0, f.key+": "+strconv.Quote(f.v)+" is neither error nor warn")
		}
	}
}

// knownKeys reports keys of a mapping node that name no field of struct t
// (by yaml tag), recursing into fields that are structs themselves.
func knownKeys(n *yaml.Node, t reflect.Type, file string, lineOffset int, diags *diag.List) bool {
	if n.Kind != yaml.MappingNode || t.Kind() != reflect.Struct {
		return true
	}
	fields := map[string]reflect.Type{}
	var names []string
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); tag != "" && tag != "-" {
			fields[tag] = t.Field(i).Type
			names = append(names, tag)
		}
	}
	ok := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ft, found := fields[k.Value]
		if !found {
			d := diag.Diagnostic{File: file, Line: k.Line + lineOffset, Col: k.Column,
				Msg: "unknown key " + strconv.Quote(k.Value), Suggestion: suggest.Closest(k.Value, names...)}
			if d.Suggestion == "" {
				d.Msg += " (known here: " + strings.Join(names, ", ") + ")"
			}
			diags.Add(d)
			ok = false
			continue
		}
		ok = knownKeys(v, ft, file, lineOffset, diags) && ok
	}
	return ok
}

func (c *Config) setDefaults() {
	c.Branch = cmp.Or(c.Branch, "main")
	c.ContentDir = cmp.Or(c.ContentDir, "content")
	c.Language = cmp.Or(c.Language, "en")
	c.Highlight.Light = cmp.Or(c.Highlight.Light, "github")
	c.Highlight.Dark = cmp.Or(c.Highlight.Dark, "github-dark")
}

// Options control loading.
type Options struct {
	// Drafts includes pages whose front matter says draft: true.
	Drafts bool
	// Root names the content folder in diagnostics ("content"), so that
	// messages give paths an editor can open from the project root.
	Root string
	// Memo, when set, remembers parsed front matter between loads: the dev
	// server loads the whole folder on every rebuild, and YAML is the
	// slow part of that.
	Memo *Memo
	// Skip lists folders inside the content folder (slash-separated,
	// relative to it) that are not content: the output, cache and theme
	// folders when the content folder is the project root (-content .).
	// A folder holding an earlier build's marker file (SkipMarker) is
	// skipped too, wherever the output went.
	Skip []string
	// SkipMarker is the name of the file that marks a build's output.
	SkipMarker string
}

// Memo remembers front matter by its text. The zero value is ready; it is
// safe for one Load at a time.
type Memo struct {
	fm   map[string]FrontMatter
	used map[string]bool
}

func (m *Memo) get(yamlText string) (FrontMatter, bool) {
	if m == nil {
		return FrontMatter{}, false
	}
	fm, ok := m.fm[yamlText]
	if ok {
		m.used[yamlText] = true
	}
	return fm, ok
}

func (m *Memo) put(yamlText string, fm FrontMatter) {
	if m == nil {
		return
	}
	if m.fm == nil {
		m.fm, m.used = map[string]FrontMatter{}, map[string]bool{}
	}
	m.fm[yamlText] = fm
	m.used[yamlText] = true
}

// sweep forgets what the last load did not use.
func (m *Memo) sweep() {
	if m == nil {
		return
	}
	for k := range m.fm {
		if !m.used[k] {
			delete(m.fm, k)
		}
	}
	m.used = map[string]bool{}
}

// ReadConfig reads and checks the site configuration of the content tree
// in fsys, if it has one, with defaults filled in. Problems are added to
// diags with positions in the file; the Config is usable regardless.
func ReadConfig(fsys fs.FS, diags *diag.List) Config {
	var c Config
	if data, err := fs.ReadFile(fsys, ConfigFile); err == nil {
		decodeConfig(data, &c, diags)
	} else if !errors.Is(err, fs.ErrNotExist) {
		diags.Addf(ConfigFile, 0, 0, "cannot read site config: "+err.Error())
	}
	c.setDefaults()
	return c
}

// Load reads the content tree in fsys. Problems are added to diags; the
// returned Site is usable as far as loading got.
func Load(fsys fs.FS, opts Options, diags *diag.List) *Site {
	s := &Site{byFile: map[string]*Page{}}
	diags = diag.Prefixed(diags, opts.Root)
	s.Config = ReadConfig(fsys, diags)

	sections := map[string]*Page{} // folder ("" or "systems/") → section page
	var pages []*Page
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			diags.Addf(p, 0, 0, "cannot read: "+err.Error())
			return nil
		}
		name := d.Name()
		if p != "." && (strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil // editor swap and backup files, .git, .DS_Store
		}
		if d.IsDir() && p != "." {
			if slices.Contains(opts.Skip, p) {
				return fs.SkipDir
			}
			if opts.SkipMarker != "" {
				if _, err := fs.Stat(fsys, p+"/"+opts.SkipMarker); err == nil {
					return fs.SkipDir
				}
			}
		}
		if d.IsDir() || p == ConfigFile {
			return nil
		}
		if !strings.HasSuffix(name, ".md") {
			s.Assets = append(s.Assets, p)
			return nil
		}
		if p == SummaryFile {
			return nil // read below, for the order; not a page
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			diags.Addf(p, 0, 0, "cannot read: "+err.Error())
			return nil
		}
		pg := parsePage(p, data, opts.Memo, diags)
		if pg == nil || (pg.Draft && !opts.Drafts) {
			return nil
		}
		pages = append(pages, pg)
		return nil
	})
	if data, err := fs.ReadFile(fsys, SummaryFile); err == nil {
		order := summaryOrder(data)
		for _, pg := range pages {
			pg.summary = order[pg.File]
		}
	}
	// A folder's page is its _index.md, else its index.md, else its
	// README.md, as GitHub shows a folder's README; at the top it is the
	// home page. The others stay ordinary pages.
	for _, pg := range pages {
		rank := indexRank(path.Base(pg.File))
		if rank < 0 {
			continue
		}
		dir := folderOf(pg.File)
		if cur, ok := sections[dir]; ok && indexRank(path.Base(cur.File)) <= rank {
			continue
		}
		if cur, ok := sections[dir]; ok {
			cur.Kind = KindPage
		}
		pg.Kind = KindSection
		if dir == "" {
			pg.Kind = KindHome
		}
		sections[dir] = pg
	}
	if err != nil {
		diags.Addf("", 0, 0, "cannot walk content folder: "+err.Error())
	}
	slices.Sort(s.Assets)
	opts.Memo.sweep()
	s.link(pages, sections, diags)
	return s
}

// indexNames are the file names that make a folder's page, best first.
var indexNames = []string{"_index.md", "index.md", "readme.md"}

// indexRank is a file name's place in indexNames (README.md matches in any
// case), or -1.
func indexRank(name string) int {
	return slices.Index(indexNames, strings.ToLower(name))
}

// link builds the section tree, URLs and order.
func (s *Site) link(pages []*Page, sections map[string]*Page, diags *diag.List) {
	// Every folder that holds a page needs a section page, real or made up.
	section := func(dir string) *Page {
		if sec, ok := sections[dir]; ok {
			return sec
		}
		sec := &Page{Synthetic: true, Kind: KindSection, File: dir}
		if dir == "" {
			sec.Kind = KindHome
			sec.Title = s.Config.Title
		} else {
			sec.Title = titleFromName(path.Base(strings.TrimSuffix(dir, "/")))
		}
		sections[dir] = sec
		return sec
	}
	section("") // a site always has a home page, even an empty one
	for _, p := range pages {
		var dir string
		if p.Kind == KindPage {
			dir = folderOf(p.File)
		} else if p.Kind == KindSection {
			dir = parentFolder(folderOf(p.File))
		} else {
			continue
		}
		parent := section(dir)
		p.Parent = parent
	}
	// Made-up sections may need parents of their own; keep going until the
	// tree is closed (new sections are added while iterating).
	for changed := true; changed; {
		changed = false
		for dir, sec := range sections {
			if sec.Kind == KindSection && sec.Parent == nil {
				sec.Parent = section(parentFolder(dir))
				changed = true
			}
		}
	}
	for _, sec := range sections {
		if sec.Synthetic {
			pages = append(pages, sec)
		}
	}
	s.Home = sections[""]
	s.byDir = sections
	// A site without a title takes its home page's (a README's "# The
	// System Design Primer"), and the home page without one the site's.
	if s.Config.Title == "" {
		s.Config.Title = "Untitled site"
		if !s.Home.Synthetic && s.Home.Title != "" && !titledByName(s.Home) {
			s.Config.Title = s.Home.Title
		}
	}
	if s.Home.Synthetic {
		s.Home.Title = s.Config.Title
	}

	for _, p := range pages {
		if p.Parent != nil {
			p.Parent.Children = append(p.Parent.Children, p)
		}
	}
	// A section SUMMARY.md does not list (a folder without an index page)
	// sits where its first listed page does.
	var place func(p *Page) int
	place = func(p *Page) int {
		first := 0
		for _, c := range p.Children {
			if n := place(c); n > 0 && (first == 0 || n < first) {
				first = n
			}
		}
		if p.summary == 0 {
			p.summary = first
		}
		return p.summary
	}
	place(s.Home)
	// URLs: a page's slug replaces the last segment.
	seen := map[string]*Page{}
	var walk func(p *Page)
	walk = func(p *Page) {
		switch p.Kind {
		case KindHome:
			p.URL = ""
		default:
			seg := p.Slug
			if seg == "" {
				if p.Kind == KindSection {
					seg = path.Base(strings.TrimSuffix(folderOf(p.File), "/"))
					if p.Synthetic {
						seg = path.Base(strings.TrimSuffix(p.File, "/"))
					}
				} else {
					seg = strings.TrimSuffix(path.Base(p.File), ".md")
				}
			}
			p.URL = p.Parent.URL + seg + "/"
		}
		if prev, dup := seen[p.URL]; dup {
			a, b := prev, p
			if b.File < a.File {
				a, b = b, a
			}
			diags.Addf(b.File, 1, 1, "duplicate URL /"+p.URL+": "+a.File+" has it too; change one page's slug or file name")
		} else {
			seen[p.URL] = p
		}
		slices.SortFunc(p.Children, comparePages)
		for _, c := range p.Children {
			walk(c)
		}
		if p.File != "" {
			s.byFile[p.File] = p
		}
	}
	walk(s.Home)
	s.Pages = navOrder(s.Home)
	// Aliases, normalised to site paths ("old/page/"), may not take the
	// URL of a page or of another alias: either would silently replace a
	// page with a redirect.
	aliasOf := map[string]*Page{}
	for _, p := range s.Pages {
		for i, a := range p.Aliases {
			line, col := p.Pos("aliases." + strconv.Itoa(i))
			u, problem := normalizeAlias(a)
			switch prev, other := seen[u], aliasOf[u]; {
			case problem != "":
				diags.Addf(p.File, line, col, "alias "+strconv.Quote(a)+": "+problem)
			case prev != nil:
				diags.Addf(p.File, line, col, "alias "+strconv.Quote(a)+" is the URL of "+describe(prev)+"; remove the alias")
			case other != nil:
				diags.Addf(p.File, line, col, "alias "+strconv.Quote(a)+" is also an alias of "+other.File+"; keep it on one page")
			default:
				aliasOf[u] = p
			}
			p.Aliases[i] = u
		}
	}
}

// normalizeAlias turns an alias as written ("/old/page", "a/./b/") into a
// site path with a trailing slash ("old/page/"), or says what is wrong.
func normalizeAlias(a string) (string, string) {
	a = strings.TrimSpace(a)
	switch {
	case a == "":
		return "", "is empty"
	case strings.Contains(a, "://") || strings.HasPrefix(a, "//"):
		return "", "an alias is a path on this site, such as /old/page/, not a URL"
	case strings.ContainsAny(a, "?#\\"):
		return "", "an alias is a plain path; it cannot hold ?, # or \\"
	}
	u := strings.Trim(path.Clean("/"+a), "/")
	if u == "" {
		return "", "" // the home page's URL: reported as taken
	}
	return u + "/", ""
}

// describe names a page for messages; synthesized section pages have no
// file.
func describe(p *Page) string {
	switch {
	case p.Kind == KindHome:
		return "the home page"
	case p.Synthetic:
		return "the section " + p.File
	}
	return p.File
}

// titledByName reports whether a page's title was made from its file name,
// for want of a better one.
func titledByName(p *Page) bool {
	return p.Meta.Title == "" && firstH1(p.Body) == ""
}

// navOrder lists the tree depth-first, each section before its children.
func navOrder(root *Page) []*Page {
	var out []*Page
	var walk func(p *Page)
	walk = func(p *Page) {
		out = append(out, p)
		for _, c := range p.Children {
			walk(c)
		}
	}
	walk(root)
	return out
}

// comparePages orders by weight, then by the page's place in SUMMARY.md
// (pages it lists first), then title, then file, so that the order never
// depends on the file system. As in Hugo, weight 0 means "no weight" and
// sorts after every weighted page, so adding one page with a weight does
// not push it behind all the others.
func comparePages(a, b *Page) int {
	return cmp.Or(
		cmp.Compare(weightKey(a.Weight), weightKey(b.Weight)),
		cmp.Compare(weightKey(a.summary), weightKey(b.summary)),
		cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)),
		cmp.Compare(a.File, b.File),
	)
}

// SummaryFile is an mdBook-style table of contents at the top of the
// content folder. When there is one, the order of the pages it links to is
// the nav order (after any weight); the file itself is not a page.
const SummaryFile = "SUMMARY.md"

var summaryLink = regexp.MustCompile(`\[[^\]]*\]\(\s*<?([^)>\s]+)>?[^)]*\)`)

// summaryOrder numbers the Markdown files SUMMARY.md links to, from 1, in
// the order they appear; links are relative to the content folder.
func summaryOrder(data []byte) map[string]int {
	order := map[string]int{}
	for _, m := range summaryLink.FindAllSubmatch(data, -1) {
		dest, _, _ := strings.Cut(string(m[1]), "#")
		if u, err := url.PathUnescape(dest); err == nil {
			dest = u
		}
		dest = path.Clean(strings.TrimPrefix(dest, "./"))
		if !strings.HasSuffix(dest, ".md") || strings.HasPrefix(dest, "../") {
			continue
		}
		if _, seen := order[dest]; !seen {
			order[dest] = len(order) + 1
		}
	}
	return order
}

func weightKey(w int) int {
	if w == 0 {
		return math.MaxInt
	}
	return w
}

// folderOf returns the folder of a content path with a trailing slash, or ""
// at the top.
func folderOf(file string) string {
	if strings.HasSuffix(file, "/") {
		return file
	}
	d := path.Dir(file)
	if d == "." {
		return ""
	}
	return d + "/"
}

func parentFolder(dir string) string {
	d := path.Dir(strings.TrimSuffix(dir, "/"))
	if d == "." || d == "/" {
		return ""
	}
	return d + "/"
}

// titleFromName turns "caching-basics" into "Caching basics".
func titleFromName(name string) string {
	name = strings.NewReplacer("-", " ", "_", " ").Replace(name)
	r, n := utf8.DecodeRuneInString(name)
	if n == 0 {
		return name
	}
	return string(unicode.ToUpper(r)) + name[n:]
}

// FrontMatter is the YAML block at the top of a page. Its yaml tags are
// the whole list of keys an author may write: Load rejects any other key at
// its line and column, with the closest known key suggested, so a typo
// ("titel") is an error rather than a silently dropped field. Add a field
// here and it is decoded, checked, part of every cache key that depends on
// the page, and visible to templates as .Page.Params' sibling fields.
type FrontMatter struct {
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	Weight      int      `yaml:"weight"`
	Draft       bool     `yaml:"draft"`
	Slug        string   `yaml:"slug"`
	Aliases     []string `yaml:"aliases"`
	// Params is free-form data for templates (.Page.Params), where a
	// theme's own settings go.
	Params map[string]any `yaml:"params"`

	// pos holds where each key's value starts, relative to the YAML
	// text: "aliases" for the list, "aliases.0" for its first item.
	pos map[string][2]int
}

// frontMatterKeys lists the keys FrontMatter decodes, in its order.
var frontMatterKeys = func() []string {
	t := reflect.TypeFor[FrontMatter]()
	var keys []string
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); tag != "" {
			keys = append(keys, tag)
		}
	}
	return keys
}()

// decodeFrontMatter parses the YAML between the --- lines, strictly. Each
// problem is added to diags at its line (offset by lineOffset, the lines
// before the YAML in its file) and column.
func decodeFrontMatter(file string, text []byte, lineOffset int, diags *diag.List) (FrontMatter, bool) {
	fm := FrontMatter{pos: map[string][2]int{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		line, col, msg := yamlPosition(err, lineOffset)
		diags.Addf(file, line, col, msg+"; fix the front matter YAML")
		return fm, false
	}
	if len(doc.Content) == 0 {
		return fm, true // an empty block
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		diags.Addf(file, root.Line+lineOffset, root.Column, "front matter must be a mapping of keys to values (title: …)")
		return fm, false
	}
	ok := true
	v := reflect.ValueOf(&fm).Elem()
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, val := root.Content[i], root.Content[i+1]
		at := func(n *yaml.Node) (int, int) { return n.Line + lineOffset, n.Column }
		idx := slices.Index(frontMatterKeys, k.Value)
		if idx < 0 {
			line, col := at(k)
			d := diag.Diagnostic{File: file, Line: line, Col: col,
				Msg: "unknown front-matter key " + strconv.Quote(k.Value), Suggestion: suggest.Closest(k.Value, frontMatterKeys...)}
			if d.Suggestion == "" {
				d.Msg += " (known keys: " + strings.Join(frontMatterKeys, ", ") + "; put your own data under params:)"
			}
			diags.Add(d)
			ok = false
			continue
		}
		if seen[k.Value] {
			line, col := at(k)
			diags.Addf(file, line, col, "front-matter key "+strconv.Quote(k.Value)+" appears twice; keep one")
			ok = false
			continue
		}
		seen[k.Value] = true
		if err := val.Decode(v.Field(idx).Addr().Interface()); err != nil {
			line, col := at(val)
			diags.Addf(file, line, col, k.Value+": "+typeMessage(err, v.Field(idx).Type()))
			ok = false
			continue
		}
		fm.pos[k.Value] = [2]int{val.Line, val.Column}
		for j, item := range val.Content {
			if val.Kind == yaml.SequenceNode {
				fm.pos[k.Value+"."+strconv.Itoa(j)] = [2]int{item.Line, item.Column}
			}
		}
	}
	return fm, ok
}

// typeMessage turns a yaml.v3 type error into words an author knows.
func typeMessage(err error, t reflect.Type) string {
	want := map[reflect.Kind]string{
		reflect.String: "text", reflect.Int: "a whole number", reflect.Bool: "true or false",
		reflect.Slice: "a list ([a, b])", reflect.Map: "a mapping (key: value)",
	}[t.Kind()]
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = te.Errors[0]
		if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "line ") {
			msg = rest
		}
	}
	if want == "" {
		return msg
	}
	return "must be " + want + " (" + msg + ")"
}

// Pos returns where a key's value was written in the page's file (line
// and column, 1-based), or zeros when the key was not written.
func (p *Page) Pos(key string) (line, col int) {
	lc, ok := p.Meta.pos[key]
	if !ok {
		return 0, 0
	}
	return lc[0] + p.metaLine - 1, lc[1]
}

// parsePage splits front matter from the body. It returns nil only when the
// page cannot be used at all.
func parsePage(file string, data []byte, memo *Memo, diags *diag.List) *Page {
	if !utf8.Valid(data) {
		reportInvalidUTF8(file, data, diags)
		return nil
	}
	p := &Page{File: file, Kind: KindPage, BodyLine: 1, Body: data}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		data = data[3:]
		p.Body = data
	}
	if bytes.HasPrefix(data, []byte("---\n")) || bytes.HasPrefix(data, []byte("---\r\n")) {
		start := bytes.IndexByte(data, '\n') + 1
		end, bodyStart := -1, len(data)
		for i := start; i < len(data); {
			j := bytes.IndexByte(data[i:], '\n')
			line := data[i:]
			next := len(data)
			if j >= 0 {
				line = data[i : i+j]
				next = i + j + 1
			}
			if t := bytes.TrimRight(line, "\r \t"); string(t) == "---" || string(t) == "..." {
				end, bodyStart = i, next
				break
			}
			i = next
		}
		if end < 0 {
			diags.Addf(file, 1, 1, "front matter starts with --- but never ends; add a closing --- line")
			return nil
		}
		text := data[start:end]
		fm, ok := memo.get(string(text))
		if !ok {
			if fm, ok = decodeFrontMatter(file, text, 1, diags); !ok {
				return nil
			}
			memo.put(string(text), fm)
		}
		p.Meta, p.MetaText, p.metaLine = fm, text, 2
		p.Title, p.Description, p.Weight, p.Draft = fm.Title, fm.Description, fm.Weight, fm.Draft
		p.Slug, p.Aliases = fm.Slug, fm.Aliases
		if p.Slug != "" && (strings.ContainsAny(p.Slug, "/\\?#") || p.Slug == "." || p.Slug == "..") {
			line, col := p.Pos("slug")
			diags.Addf(file, line, col, "slug "+strconv.Quote(p.Slug)+" must be a single path segment")
			p.Slug = ""
		}
		p.Body = data[bodyStart:]
		p.BodyLine = 1 + bytes.Count(data[:bodyStart], []byte{'\n'})
	}
	if p.Title == "" {
		p.Title = firstH1(p.Body)
	}
	if p.Title == "" {
		p.Title = titleFromName(strings.TrimSuffix(path.Base(file), ".md"))
		if indexRank(path.Base(file)) >= 0 {
			if d := path.Dir(file); d != "." {
				p.Title = titleFromName(path.Base(d))
			}
		}
	}
	return p
}

// reportInvalidUTF8 names the first byte that is not UTF-8, and how many
// more there are: a page saved in Latin-1 or with a stray binary paste
// would otherwise reach readers as replacement characters.
func reportInvalidUTF8(file string, data []byte, diags *diag.List) {
	first, n := -1, 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			if first < 0 {
				first = i
			}
			n++
		}
		i += size
	}
	line, col := diag.Position(data, first)
	more := ""
	if n > 1 {
		more = " (and " + strconv.Itoa(n-1) + " more)"
	}
	diags.Addf(file, line, col, "byte 0x"+strconv.FormatUint(uint64(data[first]), 16)+" is not UTF-8"+more+
		"; save the file as UTF-8 (it may be in Latin-1 or Windows-1252)")
}

// firstH1 finds an ATX "# Title" line outside code fences.
func firstH1(body []byte) string {
	inFence := false
	var prev []byte // the previous line, for a setext heading ("Title\n=====")
	for line := range bytes.Lines(body) {
		t := bytes.TrimSpace(line)
		if bytes.HasPrefix(t, []byte("```")) || bytes.HasPrefix(t, []byte("~~~")) {
			inFence = !inFence
			prev = nil
			continue
		}
		if inFence {
			continue
		}
		if bytes.HasPrefix(t, []byte("# ")) {
			return string(bytes.TrimSpace(bytes.TrimRight(t[2:], "#")))
		}
		if len(t) > 0 && len(bytes.Trim(t, "=")) == 0 && len(prev) > 0 && !bytes.HasPrefix(prev, []byte("#")) {
			return string(prev)
		}
		prev = t
	}
	return ""
}

// yamlPosition pulls the line out of a yaml.v3 error ("yaml: line 3: …") and
// shifts it by the number of lines before the YAML in its file.
func yamlPosition(err error, lineOffset int) (line, col int, msg string) {
	msg = strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.IndexByte(rest, ':'); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				return n + lineOffset, 1, strings.TrimSpace(rest[i+1:])
			}
		}
	}
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = strings.Join(te.Errors, "; ")
		if rest, ok := strings.CutPrefix(te.Errors[0], "line "); ok {
			if i := strings.IndexByte(rest, ':'); i > 0 {
				if n, err := strconv.Atoi(rest[:i]); err == nil {
					return n + lineOffset, 1, strings.TrimSpace(rest[i+1:])
				}
			}
		}
	}
	return 1 + lineOffset, 1, msg
}
