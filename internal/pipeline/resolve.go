package pipeline

import (
	"net/url"
	"path"
	"strings"

	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/markdown"
)

// resolver turns links as authors write them (relative paths to .md files,
// so the Markdown also reads well on GitHub) into site URLs, and checks that
// the page they point at exists. Anchors in other pages cannot be checked
// until every page is parsed, so a page's resolver records them as fragRefs
// for checkFragments.
type resolver struct {
	site  *content.Site
	base  baseURL
	byURL map[string]*content.Page
	// extra are generated files a page may link to (e.g. "sitemap.xml").
	extra map[string]bool
	// warnBroken and warnAnchors say which problems are warnings rather
	// than errors: the site's link policy.
	warnBroken, warnAnchors bool
}

// fragRef is a link to a heading of another page, checked once all pages
// are parsed.
type fragRef struct {
	URL  string // the target page's site URL
	File string // its content file, for the message
	Frag string
	// At is where the link is, in its page's file.
	At diag.Diagnostic
}

func newResolver(site *content.Site, base baseURL, policy linkPolicy) *resolver {
	r := &resolver{site: site, base: base, byURL: map[string]*content.Page{}, warnBroken: policy.warnBroken, warnAnchors: policy.warnAnchors, extra: map[string]bool{
		"sitemap.xml": true, "robots.txt": true, "404.html": true, "search-index.json": true,
	}}
	for _, p := range site.Pages {
		r.byURL[p.URL] = p
	}
	return r
}

// pageResolver resolves the links of one page and collects its fragRefs.
type pageResolver struct {
	*resolver
	refs []fragRef
	uses []linkUse
}

// stillValid reports whether every link of a cached page resolves as it
// did when the page was rendered.
func (r *resolver) stillValid(name string, res *pageResult) bool {
	own := res.anchorSet()
	for _, u := range res.Links {
		url, problem, _, asset := r.resolve(name, own, u.Dest)
		if url != u.URL || problem != u.Problem || asset != u.Asset {
			return false
		}
	}
	return true
}

// linkUse records how one link resolved, so a cached page can be trusted
// only while every one of its links still resolves the same way. Asset is
// the content file it names, if any: only files some page links to are
// published.
type linkUse struct {
	Dest, URL, Problem, Asset string
}

// ResolveLink implements markdown.Resolver.
func (r *pageResolver) ResolveLink(d *markdown.Doc, offset int, dest string) (string, bool) {
	url, problem, ref, asset := r.resolve(d.Name, d.Anchors, dest)
	r.uses = append(r.uses, linkUse{Dest: dest, URL: url, Problem: problem, Asset: asset})
	if ref != nil {
		line, col := diag.Position(d.Source, offset)
		ref.At = diag.Diagnostic{File: d.File, Line: line + d.Line - 1, Col: col, Warning: r.warnAnchors}
		r.refs = append(r.refs, *ref)
	}
	switch {
	case problem == "":
		return url, true
	case url != "":
		// The page exists but not the heading: the link still lands.
		if r.warnAnchors {
			d.Warnf(offset, problem)
		} else {
			d.Errorf(offset, problem)
		}
		return url, true
	case r.warnBroken:
		d.Warnf(offset, problem)
	default:
		d.Errorf(offset, problem)
	}
	return "", false
}

func (r *resolver) resolve(file string, ownAnchors map[string]bool, dest string) (u, problem string, ref *fragRef, asset string) {
	u, problem, ref = r.resolvePage(file, ownAnchors, dest, &asset)
	return u, problem, ref, asset
}

// resolvePage is resolve, reporting a content file the link names through
// asset.
func (r *resolver) resolvePage(file string, ownAnchors map[string]bool, dest string, asset *string) (u, problem string, ref *fragRef) {
	if dest == "" {
		return "", "empty link destination; write the page it should point to", nil
	}
	if isExternal(dest) {
		return dest, "", nil
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
	if pathPart == "" {
		// "#anchor" in the same page, whose anchors are known already.
		if hasFrag && !anchorOK(ownAnchors, frag) {
			return dest, "no heading or anchor #" + frag + " in this page; check the heading's ID (GitHub style: lower case, hyphens)", nil
		}
		return dest, "", nil
	}
	unescaped, err := url.PathUnescape(pathPart)
	if err != nil {
		return "", "link " + dest + " is not a valid URL path: " + err.Error(), nil
	}
	var target string
	if strings.HasPrefix(unescaped, "/") {
		target = strings.TrimPrefix(path.Clean(unescaped), "/")
		if p := r.byURL[strings.TrimSuffix(target, "/")+"/"]; p != nil || target == "" {
			if target == "" {
				p = r.site.Home
			}
			return r.pageURL(p, frag, hasFrag, suffix)
		}
		if r.site.HasAsset(target) {
			*asset = target
			return r.base.URL(publishedPath(target)) + suffix, "", nil
		}
		if r.extra[target] || strings.HasPrefix(target, "assets/") {
			return r.base.URL(target) + suffix, "", nil
		}
		return "", "link " + dest + " points to no page or file of the site; link to the page's .md file with a relative path", nil
	}
	dir := path.Dir(file)
	if strings.HasSuffix(file, "/") { // synthesized section pages report their folder
		dir = strings.TrimSuffix(file, "/")
	}
	target = path.Clean(path.Join(dir, unescaped))
	if strings.HasPrefix(target, "../") || target == ".." {
		return "", "link " + dest + " leaves the content folder; link to a page inside it", nil
	}
	if target == "." {
		target = ""
	}
	// A link written for a plain web server ("guide/index.html") names the
	// folder's page.
	if target == "index.html" || strings.HasSuffix(target, "/index.html") {
		target = strings.TrimSuffix(strings.TrimSuffix(target, "index.html"), "/")
	}
	if strings.HasSuffix(target, ".md") {
		p := r.site.PageByFile(target)
		if p == nil {
			return "", "link to missing page " + target + "; check the path (it is relative to " + file + ") or create the page", nil
		}
		return r.pageURL(p, frag, hasFrag, suffix)
	}
	if r.site.HasAsset(target) {
		*asset = target
		return r.base.URL(publishedPath(target)) + suffix, "", nil
	}
	// A folder: its section page.
	if target == "" {
		return r.pageURL(r.site.Home, frag, hasFrag, suffix)
	}
	if p := r.site.Section(strings.TrimSuffix(target, "/") + "/"); p != nil {
		return r.pageURL(p, frag, hasFrag, suffix)
	}
	return "", "link to missing file " + target + "; check the path (it is relative to " + file + ")", nil
}

func (r *resolver) pageURL(p *content.Page, frag string, hasFrag bool, suffix string) (string, string, *fragRef) {
	var ref *fragRef
	if hasFrag && frag != "" && frag != "top" {
		ref = &fragRef{URL: p.URL, File: p.File, Frag: frag}
	}
	return r.base.URL(p.URL) + suffix, "", ref
}

// anchorOK reports whether frag names one of anchors. Footnote and
// calculator anchors are made while rendering, so any of those pass.
func anchorOK(anchors map[string]bool, frag string) bool {
	if frag == "" || frag == "top" || anchors[frag] {
		return true
	}
	return strings.HasPrefix(frag, "fn:") || strings.HasPrefix(frag, "fnref:") || strings.HasPrefix(frag, "calc-")
}

// checkFragments reports links to headings that their target page lacks.
func checkFragments(refs []fragRef, anchors map[string]map[string]bool, diags *diag.List) {
	for _, ref := range refs {
		if !anchorOK(anchors[ref.URL], ref.Frag) {
			d := ref.At
			d.Msg = "no heading or anchor #" + ref.Frag + " in " + ref.File + "; check the heading's ID (GitHub style: lower case, hyphens)"
			diags.Add(d)
		}
	}
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

// publishedPath is where a content file is published: beside its page,
// except that the content's static/ folder goes to the site root.
func publishedPath(asset string) string {
	if rest, ok := strings.CutPrefix(asset, "static/"); ok {
		return rest
	}
	return asset
}

// linkPolicy says which link problems fail the build. By default a link to
// a missing page or file is an error and a link to a missing heading a
// warning (the link still lands on the page), as Docusaurus does; a site
// may make either stricter or looser in site.yaml, and -warn-links and the
// dev server make both warnings, so a foreign tree can be imported and
// read while its links are fixed.
type linkPolicy struct {
	warnBroken, warnAnchors bool
}

func policyFor(c content.Config, warnAll bool) linkPolicy {
	return linkPolicy{
		warnBroken:  warnAll || c.Links.Broken == "warn",
		warnAnchors: warnAll || c.Links.Anchors != "error",
	}
}
