package build

import (
	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/search"
)

// searchIndex adds the site's search index to files. Page URLs in it are
// relative to the base URL (the page script adds the base), so one index
// serves any base path.
func (b *Builder) searchIndex(site *content.Site, results []*pageResult, files map[string][]byte) error {
	pos := make(map[*content.Page]int, len(site.Pages))
	for i, p := range site.Pages {
		pos[p] = i
	}
	pages := make([]search.Page, len(site.Pages))
	for i, p := range site.Pages {
		parent := -1
		if p.Parent != nil {
			if j, ok := pos[p.Parent]; ok {
				parent = j
			}
		}
		pages[i] = search.Page{URL: p.URL, Title: p.Title, Parent: parent}
		pages[i].Sections = results[i].Sections
	}
	data, _ := search.Build(pages, search.Options{})
	files[search.File] = data
	return nil
}
