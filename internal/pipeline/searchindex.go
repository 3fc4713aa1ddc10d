package pipeline

import (
	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/search"
)

// searchKey names a page's share of the search index: its Markdown result
// and everything else Encode reads.
type searchKey struct {
	result       *pageResult
	i, n, parent int
	url, title   string
}

// searchIndex adds the site's search index to files. Page URLs in it are
// relative to the base URL (the page script adds the base), so one index
// serves any base path. Each page's fragment is kept for the next build,
// so an edit re-encodes one page, not the site.
func (b *Builder) searchIndex(site *content.Site, results []*pageResult, files map[string][]byte) {
	pos := make(map[*content.Page]int, len(site.Pages))
	for i, p := range site.Pages {
		pos[p] = i
	}
	n := len(site.Pages)
	frags := make([]search.Fragment, n)
	keys := make([]searchKey, n)
	for i, p := range site.Pages {
		parent := -1
		if p.Parent != nil {
			if j, ok := pos[p.Parent]; ok {
				parent = j
			}
		}
		keys[i] = searchKey{result: results[i], i: i, n: n, parent: parent, url: p.URL, title: p.Title}
	}
	parallel(n, func(i int) {
		if f, ok := b.search[keys[i]]; ok {
			frags[i] = f
			return
		}
		p := site.Pages[i]
		frags[i] = search.Encode(i, n, search.Page{URL: escapePath(p.URL), Title: p.Title, Parent: keys[i].parent, Sections: results[i].Sections}, search.Options{})
	})
	next := make(map[searchKey]search.Fragment, n)
	for i, k := range keys {
		next[k] = frags[i]
	}
	b.search = next
	data, _ := search.Assemble(frags, search.Options{})
	files[search.File] = data
}
