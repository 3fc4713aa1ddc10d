package build

import (
	"bufio"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"

	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/highlight"
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
	Refs     []fragRef
	Links    []linkUse
	// Highlighted are the page's entries in the highlight cache.
	Highlighted []highlight.Key
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

// renderMarkdown parses one page and renders its Markdown at once.
func (b *Builder) renderMarkdown(p *content.Page, file string, res *resolver) *pageResult {
	var local diag.List
	d := b.md.Parse(p.File, file, p.BodyLine, p.Body, &local)
	d.DropTitle(p.Title)
	pr := &pageResolver{resolver: res}
	html := b.md.Render(d, pr)
	r := &pageResult{
		HTML:        html,
		Headings:    d.Headings,
		Sections:    d.Sections(),
		HasCalc:     d.HasCalc,
		Refs:        pr.refs,
		Links:       pr.uses,
		Highlighted: d.HighlightKeys,
		Diags:       local.Sorted(),
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
func pageKey(p *content.Page, base baseURL) [32]byte {
	h := sha256.New()
	for _, s := range []string{programID, base.Origin, base.Path, p.File, p.URL, p.Title, strconv.Itoa(p.BodyLine)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	h.Write(p.Body)
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// programID identifies this executable, so that a cache written by another
// build of scalebook (a new engine, a new renderer) is not trusted.
var programID = func() string {
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return exe
	}
	return exe + "\x00" + strconv.FormatInt(fi.Size(), 10) + "\x00" + fi.ModTime().UTC().String()
}()

// pageCache holds page results by key, in memory across the dev server's
// rebuilds and on disk across processes.
type pageCache struct {
	mu      sync.Mutex
	entries map[[32]byte]*pageResult
	used    map[[32]byte]bool
	dirty   bool
	path    string
}

const pageCacheMagic = "scalebook-pages-1\n"

type pageRecord struct {
	Key    [32]byte
	Result *pageResult
}

func newPageCache(dir string) *pageCache {
	c := &pageCache{entries: map[[32]byte]*pageResult{}, used: map[[32]byte]bool{}}
	if dir == "" {
		return c
	}
	c.path = filepath.Join(dir, "pages.cache")
	readRecords(c.path, pageCacheMagic, func(dec *gob.Decoder) error {
		var rec pageRecord
		if err := dec.Decode(&rec); err != nil {
			return err
		}
		c.entries[rec.Key] = rec.Result
		return nil
	})
	return c
}

func (c *pageCache) get(k [32]byte) *pageResult {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.entries[k]
	if r != nil {
		c.used[k] = true
	}
	return r
}

func (c *pageCache) put(k [32]byte, r *pageResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[k] = r
	c.used[k] = true
	if len(r.Diags) == 0 {
		c.dirty = true
	}
}

// endBuild forgets the entries this build did not use, so the cache holds
// one version of each page.
func (c *pageCache) endBuild() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if !c.used[k] {
			delete(c.entries, k)
			c.dirty = true
		}
	}
	c.used = map[[32]byte]bool{}
}

// save writes the entries without problems; a page with diagnostics is
// rendered again next time, so its messages come back.
func (c *pageCache) save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.path == "" || !c.dirty {
		return nil
	}
	keys := make([][32]byte, 0, len(c.entries))
	for k, r := range c.entries {
		if len(r.Diags) == 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return string(keys[i][:]) < string(keys[j][:]) })
	err := writeRecords(c.path, pageCacheMagic, func(enc *gob.Encoder) error {
		for _, k := range keys {
			if err := enc.Encode(pageRecord{Key: k, Result: c.entries[k]}); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		c.dirty = false
	}
	return err
}

// The final pages are cached too, in their own file: a warm build whose
// site signature holds then runs no templates at all.
const renderedMagic = "scalebook-rendered-1\n"

type renderedRecord struct {
	Key  string
	Page renderedPage
}

func loadRendered(dir string) map[string]renderedPage {
	m := map[string]renderedPage{}
	if dir == "" {
		return m
	}
	readRecords(filepath.Join(dir, "rendered.cache"), renderedMagic, func(dec *gob.Decoder) error {
		var rec renderedRecord
		if err := dec.Decode(&rec); err != nil {
			return err
		}
		m[rec.Key] = rec.Page
		return nil
	})
	return m
}

func (b *Builder) saveRendered() error {
	if b.opts.CacheDir == "" {
		return nil
	}
	keys := make([]string, 0, len(b.rendered))
	for k := range b.rendered {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return writeRecords(filepath.Join(b.opts.CacheDir, "rendered.cache"), renderedMagic, func(enc *gob.Encoder) error {
		for _, k := range keys {
			if err := enc.Encode(renderedRecord{Key: k, Page: b.rendered[k]}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Both caches are a magic line followed by gob records, one value each, so
// neither reading nor writing needs a second copy of the whole cache in
// memory.

// readRecords calls next until it fails: at the end of the file, or at a
// torn record, after which what was read is still good. A missing file or
// a different magic line (an older format) reads as empty.
func readRecords(path, magic string, next func(*gob.Decoder) error) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	got := make([]byte, len(magic))
	if _, err := io.ReadFull(r, got); err != nil || string(got) != magic {
		return
	}
	dec := gob.NewDecoder(r)
	for next(dec) == nil {
	}
}

// writeRecords writes a cache file through a temporary file and a rename,
// so a crash never leaves a torn cache behind.
func writeRecords(path, magic string, encode func(*gob.Encoder) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".cache-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<16)
	w.WriteString(magic)
	if err := encode(gob.NewEncoder(w)); err != nil {
		tmp.Close()
		return err
	}
	if err := errors.Join(w.Flush(), tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
