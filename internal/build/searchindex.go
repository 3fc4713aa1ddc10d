package build

import (
	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/markdown"
)

// searchIndex adds the site's search index to files.
func (b *Builder) searchIndex(site *content.Site, docs map[*content.Page]*markdown.Doc, base baseURL, files map[string][]byte) error {
	return nil
}
