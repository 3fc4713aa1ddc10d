package pipeline

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/filecache"
	"github.com/scalebook/scalebook/internal/search"
)

// searchNS holds the search index in the file cache: each page's fragment
// (tokenised, stemmed and weighted), and the assembled index by the keys
// of all its fragments, so that a warm build of an unchanged site neither
// encodes nor assembles anything.
const searchNS = "search"

// searchKey names a page's fragment in memory: its Markdown result and
// everything else Encode reads.
type searchKey struct {
	result     *pageResult
	url, title string
	desc       string
	trail      string
}

// searchIndex checks the search configuration now and returns what
// assembles the site's search index files. Page URLs in it are relative to
// the base URL (the page script adds the base), so one index serves any
// base path. Each page's fragment is kept for the next build, in memory
// and in the file cache, so an edit re-encodes one page, not the site.
func (b *Builder) searchIndex(site *content.Site, results []*pageResult, pageKeys func(*content.Page) filecache.Key, prefix func(string) string, diags *diag.List) func() map[string][]byte {
	syn := b.synonyms(site.Config.Search, prefix, diags)
	return func() map[string][]byte { return b.assembleIndex(site, results, pageKeys, syn) }
}

// assembleIndex joins the search index from the pages' fragments, or
// takes it whole from memory or the file cache when no fragment changed.
func (b *Builder) assembleIndex(site *content.Site, results []*pageResult, pageKeys func(*content.Page) filecache.Key, syn []search.SynonymGroup) map[string][]byte {
	n := len(site.Pages)
	mem := make([]searchKey, n)
	disk := make([]filecache.Key, n)
	parallel(n, func(i int) {
		p := site.Pages[i]
		var trail []string
		for a := p.Parent; a != nil && a.Parent != nil; a = a.Parent {
			trail = append(trail, a.Title)
		}
		slices.Reverse(trail)
		t := strings.Join(trail, "\x00")
		mem[i] = searchKey{result: results[i], url: p.URL, title: p.Title, desc: p.Description, trail: t}
		pk := pageKeys(p)
		disk[i] = filecache.KeyOf("fragment", strconv.Itoa(search.Version), string(pk[:]), string(results[i].Sum[:]), p.URL, p.Title, p.Description, t)
	})
	h := sha256.New()
	h.Write([]byte("index\x00" + strconv.Itoa(search.Version) + "\x00"))
	for _, k := range disk {
		h.Write(k[:])
	}
	for _, g := range syn {
		for _, p := range g.Phrases {
			h.Write([]byte(strings.Join(p, " ") + "\x00"))
		}
		h.Write([]byte{1})
	}
	var indexKey filecache.Key
	h.Sum(indexKey[:0])

	if b.searchOut == nil || b.searchOut.key != indexKey {
		out := &searchOutput{key: indexKey}
		if data, ok := b.cache.Get(searchNS, indexKey); ok {
			out.files, _ = decodeFiles(data)
		}
		if out.files == nil {
			out.files = b.assembleSearch(site, results, mem, disk, syn)
			b.cache.Put(searchNS, indexKey, encodeFiles(out.files))
		}
		b.searchOut = out
	}
	return b.searchOut.files
}

// searchOutput is the last index built, by the key of its inputs.
type searchOutput struct {
	key   filecache.Key
	files map[string][]byte
}

// assembleSearch gets every page's fragment (from memory, the file cache,
// or by encoding the page) and joins them. The Builder's Assembler keeps
// the last join, so after an edit in the dev server only the edited
// pages' postings are swapped and re-encoded.
func (b *Builder) assembleSearch(site *content.Site, results []*pageResult, mem []searchKey, disk []filecache.Key, syn []search.SynonymGroup) map[string][]byte {
	n := len(site.Pages)
	frags := make([]search.Fragment, n)
	parallel(n, func(i int) {
		if f, ok := b.search[mem[i]]; ok {
			frags[i] = f
			return
		}
		if data, ok := b.cache.Get(searchNS, disk[i]); ok {
			if f, err := search.UnmarshalFragment(data); err == nil {
				frags[i] = f
				return
			}
		}
		p := site.Pages[i]
		var trail []string
		if mem[i].trail != "" {
			trail = strings.Split(mem[i].trail, "\x00")
		}
		frags[i] = search.Encode(search.Page{URL: escapePath(p.URL), Title: p.Title, Description: p.Description, Trail: trail,
			Sections: results[i].Sections, HTML: results[i].HTML}, search.Options{})
		if len(results[i].Diags) == 0 {
			data, _ := frags[i].MarshalBinary()
			b.cache.Put(searchNS, disk[i], data)
		}
	})
	next := make(map[searchKey]search.Fragment, n)
	for i, k := range mem {
		next[k] = frags[i]
	}
	b.search = next
	return b.searchAsm.Assemble(frags, search.Options{Synonyms: syn}).Files
}

// synonyms reads site.yaml's search section: the built-in table unless
// turned off, and the author's groups, each problem reported where the
// group was written.
func (b *Builder) synonyms(c content.SearchConfig, prefix func(string) string, diags *diag.List) []search.SynonymGroup {
	var groups [][]string
	if c.DefaultSynonyms == nil || *c.DefaultSynonyms {
		groups = append(groups, search.DefaultSynonymTable()...)
	}
	builtIn := len(groups)
	for _, g := range c.Synonyms {
		groups = append(groups, g.Terms)
	}
	syn, problems := search.ParseSynonyms(groups)
	for _, p := range problems {
		if p.Group < builtIn {
			continue // the built-in table is tested
		}
		g := c.Synonyms[p.Group-builtIn]
		diags.Addf(prefix(content.ConfigFile), g.Line, g.Col, "search.synonyms: "+p.Msg)
	}
	return syn
}

// encodeFiles and decodeFiles store the assembled index in the file cache:
// a count, then each name and its data, length-prefixed, names sorted.
func encodeFiles(files map[string][]byte) []byte {
	names := make([]string, 0, len(files))
	size := 8
	for name, data := range files {
		names = append(names, name)
		size += len(name) + len(data) + 8
	}
	slices.Sort(names)
	b := make([]byte, 0, size)
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, name := range names {
		b = binary.AppendUvarint(b, uint64(len(name)))
		b = append(b, name...)
		b = binary.AppendUvarint(b, uint64(len(files[name])))
		b = append(b, files[name]...)
	}
	return b
}

var errBadFiles = errors.New("damaged index record")

func decodeFiles(b []byte) (map[string][]byte, error) {
	next := func() ([]byte, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, false
		}
		v := b[k : k+int(n) : k+int(n)]
		b = b[k+int(n):]
		return v, true
	}
	count, k := binary.Uvarint(b)
	if k <= 0 || count > uint64(len(b)) {
		return nil, errBadFiles
	}
	b = b[k:]
	files := make(map[string][]byte, count)
	for range count {
		name, ok := next()
		if !ok {
			return nil, errBadFiles
		}
		data, ok := next()
		if !ok {
			return nil, errBadFiles
		}
		files[string(name)] = data
	}
	if len(b) != 0 {
		return nil, errBadFiles
	}
	return files, nil
}
