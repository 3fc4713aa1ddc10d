package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/filecache"
	"github.com/scalebook/scalebook/internal/markdown"
)

// pageResult is everything the rest of a build needs from a page's
// Markdown. The syntax tree itself is dropped as soon as the page is
// rendered: on a large site the trees are most of a build's memory.
type pageResult struct {
	// Sum identifies the result's content, so final pages rendered from it
	// can be recognised in later builds.
	Sum      [32]byte
	HTML     []byte
	Headings []markdown.Heading
	Anchors  []string
	Sections []markdown.Section
	HasCalc  bool
	// ExternalImages are the URLs of images on other hosts.
	ExternalImages []string
	Refs           []fragRef
	Links          []linkUse
	// Diags are problems found in the page itself; a page with any is
	// never written to the disk cache.
	Diags []diag.Diagnostic
}

func (r *pageResult) anchorSet() map[string]bool {
	m := make(map[string]bool, len(r.Anchors))
	for _, a := range r.Anchors {
		m[a] = true
	}
	return m
}

// renderPage parses one page and renders its Markdown at once.
func (b *Builder) renderPage(p *content.Page, file string, res *resolver) *pageResult {
	var local diag.List
	d := b.md.Parse(p.File, file, p.BodyLine, p.Body, &local)
	d.DropTitle(p.Title)
	pr := &pageResolver{resolver: res}
	html := b.md.Render(d, pr)
	r := &pageResult{
		HTML:     html,
		Headings: d.Headings,
		Sections: d.Sections(),
		HasCalc:  d.HasCalc,
		Refs:     pr.refs,
		// Copied: the Doc's list is reused if the page is rendered again.
		ExternalImages: slices.Clone(d.ExternalImages),
		Links:          pr.uses,
		Diags:          local.Sorted(),
	}
	for a := range d.Anchors {
		r.Anchors = append(r.Anchors, a)
	}
	sort.Strings(r.Anchors)
	h := sha256.New()
	h.Write(html)
	for _, l := range r.Links {
		h.Write([]byte(l.Dest + "\x00" + l.URL + "\x00" + l.Problem + "\x00"))
	}
	h.Sum(r.Sum[:0])
	return r
}

// pageKey names a page's Markdown result: its file, title and source, the
// base URL, and the program that renders it (a new binary may render
// differently). What its links resolve to is checked on use instead (see
// resolver.stillValid), so adding a page does not re-render the others.
func pageKey(prog string, p *content.Page, base baseURL, lent string) filecache.Key {
	return filecache.KeyOf(prog, base.Origin, base.Path, p.File, p.URL, p.Title, strconv.Itoa(p.BodyLine), string(p.Body), lent)
}

// pageKeys remembers each page's key from the last build with the text it
// was computed from. A page whose text the snapshot served again is the
// very same bytes, so its key is known without hashing the page: on the dev
// server's path, hashing every page was the largest cost of a rebuild.
type pageKeys struct {
	byFile map[string]keyedPage
}

type keyedPage struct {
	body       []byte
	url, title string
	line       int
	prog       string
	base       baseURL
	lent       string // what other sheets lend the page (sheets.digest)
	key        filecache.Key
}

// of returns the key of p: remembered if nothing it is made from changed.
// It only reads, so pages may ask concurrently.
func (k *pageKeys) of(prog string, p *content.Page, base baseURL, lent string) filecache.Key {
	if m, ok := k.byFile[p.File]; ok && sameBytes(m.body, p.Body) && m.url == p.URL && m.title == p.Title &&
		m.line == p.BodyLine && m.prog == prog && m.base == base && m.lent == lent {
		return m.key
	}
	return pageKey(prog, p, base, lent)
}

// keep remembers this build's keys for the next.
func (k *pageKeys) keep(pages []*content.Page, keys []filecache.Key, prog string, base baseURL, s *sheets) {
	k.byFile = make(map[string]keyedPage, len(pages))
	for i, p := range pages {
		k.byFile[p.File] = keyedPage{body: p.Body, url: p.URL, title: p.Title, line: p.BodyLine, prog: prog, base: base, lent: s.digest(p), key: keys[i]}
	}
}

// sameBytes reports whether a and b are the same memory, not merely equal:
// comparing contents would cost as much as hashing them.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// programID identifies this executable by its contents, so that a cache
// written by another build of scalebook (a new engine, a new renderer) is
// not trusted, while the same program rebuilt into a new file (go run,
// make test) still is. Hashing tens of megabytes costs tens of
// milliseconds, so the answer is itself cached by the file's path, size
// and time; the Builder asks once, on its first build.
func programID(cache *filecache.Cache) string {
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return "unknown"
	}
	stamp := filecache.KeyOf(exe, strconv.FormatInt(fi.Size(), 10), fi.ModTime().UTC().String())
	if id, ok := cache.Get("program", stamp); ok {
		return string(id)
	}
	f, err := os.Open(exe)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unknown"
	}
	id := hex.EncodeToString(h.Sum(nil))
	cache.Put("program", stamp, []byte(id))
	return id
}

// pageCache holds page results by key, in memory across the dev server's
// rebuilds and in the file cache across processes.
type pageCache struct {
	disk    *filecache.Cache
	mu      sync.Mutex
	entries map[filecache.Key]*pageResult
	used    map[filecache.Key]bool
}

const pagesNS = "pages"

func newPageCache(disk *filecache.Cache) *pageCache {
	return &pageCache{disk: disk, entries: map[filecache.Key]*pageResult{}, used: map[filecache.Key]bool{}}
}

func (c *pageCache) get(k filecache.Key) *pageResult {
	c.mu.Lock()
	r := c.entries[k]
	if r != nil {
		c.used[k] = true
	}
	c.mu.Unlock()
	if r != nil {
		return r
	}
	data, ok := c.disk.Get(pagesNS, k)
	if !ok {
		return nil
	}
	r, err := decodePage(data)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	c.entries[k] = r
	c.used[k] = true
	c.mu.Unlock()
	return r
}

// put remembers a result; one without problems also goes to the file
// cache (a page with diagnostics is rendered again next time, so its
// messages come back).
func (c *pageCache) put(k filecache.Key, r *pageResult) {
	c.mu.Lock()
	c.entries[k] = r
	c.used[k] = true
	c.mu.Unlock()
	if len(r.Diags) == 0 && c.disk != nil {
		c.disk.Put(pagesNS, k, encodePage(r))
	}
}

// endBuild forgets the entries this build did not use, so memory holds one
// version of each page.
func (c *pageCache) endBuild() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if !c.used[k] {
			delete(c.entries, k)
		}
	}
	c.used = map[filecache.Key]bool{}
}

// The final pages are cached too: a warm build whose site signature holds
// runs no templates at all. A page's HTML is keyed by its place, the site
// signature and its Markdown result's sum.
const htmlNS = "html"

func renderedKey(p *content.Page, sig string, sum [32]byte) filecache.Key {
	return filecache.KeyOf(p.File, p.URL, sig, string(sum[:]))
}
