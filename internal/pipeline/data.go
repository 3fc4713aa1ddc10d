package pipeline

import (
	"html/template"
	"slices"
	"strconv"

	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/markdown"
)

// The types below are the data the theme's templates see. Their field names
// are the theme's contract: renaming one breaks every fork's theme.

// PageData is the dot of every template.
type PageData struct {
	Site      SiteData
	Page      PageInfo
	Nav       []NavItem
	Assets    AssetURLs
	CSP       string
	Canonical string
	// Redirect is the target of an alias page.
	Redirect string
	// Reload is true only in pages served by the dev server.
	Reload bool
}

// SiteData describes the whole site.
type SiteData struct {
	Title       string
	Description string
	RepoURL     string
	Language    string
}

// PageInfo describes the page being rendered.
type PageInfo struct {
	Kind string
	// Title is plain text (for <title> and attributes); TitleHTML the same
	// title with its inline Markdown rendered (`code`, *emphasis*), for
	// the page's heading. Links and NavItems carry both too.
	Title       string
	TitleHTML   template.HTML
	Description string
	URL         string
	Permalink   string
	Content     template.HTML
	TOC         []markdown.TOCItem
	Breadcrumbs []Link
	Prev, Next  *Link
	EditURL     string
	Children    []Link
	HasCalc     bool
	// Params is the page's free-form front matter (params:), for themes.
	Params map[string]any
	// Meta is the page's whole front matter as decoded: a field added to
	// content.FrontMatter is .Page.Meta.Field in a template with no other
	// edit, and the cache already keys on the front matter's text.
	Meta content.FrontMatter
}

// Link is a titled URL.
type Link struct {
	Title       string
	TitleHTML   template.HTML
	URL         string
	Description string
}

// NavItem is one entry of the sidebar tree.
type NavItem struct {
	Title     string
	TitleHTML template.HTML
	URL       string
	Current   bool
	Active    bool
	IsSection bool
	Children  []NavItem
	// More is non-zero on an entry that stands for that many pages of a
	// long section which the nav leaves out (see navFor); its URL is the
	// section's page, which lists them all, and its Title says how many.
	More int
}

// AssetURLs are the base-prefixed, content-hashed URLs of the bundles.
type AssetURLs struct {
	CSS, JS, ThemeInit, Favicon, Reload string
	// WASM and WASMExec locate the calculator engine; empty on pages
	// without calculators.
	WASM, WASMExec string
}

// A section's pages are all listed in the nav up to navFull of them;
// beyond that the nav lists the navAround pages either side of the current
// one and an entry for the rest, which leads to the section's page (it
// lists every page, so the site is still walkable without JavaScript). The
// nav was most of a page's bytes in long sections: a 100-page section put
// about 8 KB into each of its pages, a window about 1.5 KB.
const (
	navFull   = 25
	navAround = 6
)

// navFor builds the sidebar for page p: every top-level entry, with only the
// sections on the path to p expanded, so a page's nav grows with the size of
// its own section (up to a window, see navFull), not with the site.
func navFor(site *content.Site, p *content.Page, base baseURL) []NavItem {
	active := map[*content.Page]bool{}
	for a := p; a != nil; a = a.Parent {
		active[a] = true
	}
	var items func(parent *content.Page, top bool) []NavItem
	items = func(parent *content.Page, top bool) []NavItem {
		children := parent.Children
		lo, hi := 0, len(children)
		if !top && len(children) > navFull {
			at := slices.IndexFunc(children, func(c *content.Page) bool { return active[c] })
			lo = max(0, at-navAround)
			hi = min(len(children), lo+2*navAround+1)
			lo = max(0, hi-(2*navAround+1))
		}
		out := make([]NavItem, 0, hi-lo+2)
		more := func(n int, which string) {
			if n > 0 {
				title := strconv.Itoa(n) + " " + which + " pages in " + parent.Title
				out = append(out, NavItem{Title: title, TitleHTML: template.HTML(template.HTMLEscapeString(title)), URL: base.URL(parent.URL), More: n})
			}
		}
		more(lo, "earlier")
		for _, c := range children[lo:hi] {
			it := NavItem{Title: c.Title, TitleHTML: template.HTML(c.TitleHTML), URL: base.URL(c.URL), Current: c == p, Active: active[c], IsSection: c.IsSection()}
			if it.IsSection && active[c] {
				it.Children = items(c, false)
			}
			out = append(out, it)
		}
		more(len(children)-hi, "later")
		return out
	}
	if site.Home == nil {
		return nil
	}
	return items(site.Home, true)
}
