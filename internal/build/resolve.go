package build

import (
	"net/url"
	"path"
	"strings"

	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/markdown"
)

// resolver turns links as authors write them (relative paths to .md files,
// so the Markdown also reads well on GitHub) into site URLs, and checks that
// the page and the heading they point at exist.
type resolver struct {
	site  *content.Site
	docs  map[*content.Page]*markdown.Doc
	base  baseURL
	byURL map[string]*content.Page
	// extra are generated files a page may link to (e.g. "sitemap.xml").
	extra map[string]bool
}

func newResolver(site *content.Site, docs map[*content.Page]*markdown.Doc, base baseURL) *resolver {
	r := &resolver{site: site, docs: docs, base: base, byURL: map[string]*content.Page{}, extra: map[string]bool{
		"sitemap.xml": true, "robots.txt": true, "404.html": true, "search-index.json": true,
	}}
	for _, p := range site.Pages {
		r.byURL[p.URL] = p
	}
	return r
}

// ResolveLink implements markdown.Resolver.
func (r *resolver) ResolveLink(file, dest string) (string, string) {
	if dest == "" {
		return "", "empty link destination; write the page it should point to"
	}
	if isExternal(dest) {
		return dest, ""
	}
	pathPart, frag, hasFrag := strings.Cut(dest, "#")
	pathPart, query, hasQuery := strings.Cut(pathPart, "?")
	suffix := ""
	if hasQuery {
		suffix += "?" + query
	}
	if hasFrag {
		suffix += "#" + frag
	}
	from := r.site.PageByFile(file)
	if pathPart == "" {
		// "#anchor" in the same page.
		if hasFrag && from != nil && !r.hasAnchor(from, frag) {
			return "", "no heading or anchor #" + frag + " in this page; check the heading's ID (GitHub style: lower case, hyphens)"
		}
		return dest, ""
	}
	unescaped, err := url.PathUnescape(pathPart)
	if err != nil {
		return "", "link " + dest + " is not a valid URL path: " + err.Error()
	}
	var target string
	if strings.HasPrefix(unescaped, "/") {
		target = strings.TrimPrefix(path.Clean(unescaped), "/")
		if p := r.byURL[strings.TrimSuffix(target, "/")+"/"]; p != nil || target == "" {
			if target == "" {
				p = r.site.Home
			}
			return r.pageURL(p, frag, hasFrag, suffix, dest)
		}
		if r.site.HasAsset(target) || r.extra[target] || strings.HasPrefix(target, "assets/") {
			return r.base.URL(target) + suffix, ""
		}
		return "", "link " + dest + " points to no page or file of the site; link to the page's .md file with a relative path"
	}
	dir := path.Dir(file)
	if strings.HasSuffix(file, "/") { // synthesized section pages report their folder
		dir = strings.TrimSuffix(file, "/")
	}
	target = path.Clean(path.Join(dir, unescaped))
	if strings.HasPrefix(target, "../") || target == ".." {
		return "", "link " + dest + " leaves the content folder; link to a page inside it"
	}
	if target == "." {
		target = ""
	}
	if strings.HasSuffix(target, ".md") {
		p := r.site.PageByFile(target)
		if p == nil {
			return "", "link to missing page " + target + "; check the path (it is relative to " + file + ") or create the page"
		}
		return r.pageURL(p, frag, hasFrag, suffix, dest)
	}
	if r.site.HasAsset(target) {
		return r.base.URL(target) + suffix, ""
	}
	// A folder: its section page.
	if p := r.site.PageByFile(strings.TrimSuffix(target, "/") + "/_index.md"); p != nil || target == "" {
		if target == "" {
			p = r.site.Home
		}
		return r.pageURL(p, frag, hasFrag, suffix, dest)
	}
	for _, p := range r.site.Pages {
		if p.Synthetic && strings.TrimSuffix(p.File, "/") == target {
			return r.pageURL(p, frag, hasFrag, suffix, dest)
		}
	}
	return "", "link to missing file " + target + "; check the path (it is relative to " + file + ")"
}

func (r *resolver) pageURL(p *content.Page, frag string, hasFrag bool, suffix, dest string) (string, string) {
	if p == nil {
		return "", "link " + dest + " points to no page"
	}
	if hasFrag && !r.hasAnchor(p, frag) {
		name := p.File
		return "", "no heading or anchor #" + frag + " in " + name + "; check the heading's ID (GitHub style: lower case, hyphens)"
	}
	return r.base.URL(p.URL) + suffix, ""
}

func (r *resolver) hasAnchor(p *content.Page, frag string) bool {
	if frag == "" || frag == "top" {
		return true
	}
	d := r.docs[p]
	if d == nil {
		return false
	}
	if d.Anchors[frag] {
		return true
	}
	// Footnote and calculator anchors are generated while rendering.
	return strings.HasPrefix(frag, "fn:") || strings.HasPrefix(frag, "fnref:") || strings.HasPrefix(frag, "calc-")
}

// isExternal reports links the build leaves alone: those with a scheme
// (https:, mailto:) and protocol-relative ones.
func isExternal(dest string) bool {
	if strings.HasPrefix(dest, "//") {
		return true
	}
	i := strings.IndexAny(dest, ":/?#")
	return i > 0 && dest[i] == ':'
}
