package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
)

// resolveLinks rewrites every link and image destination through res,
// reporting unresolvable ones at the link's position, and the URLs in raw
// HTML likewise.
func resolveLinks(d *Doc, res Resolver) {
	if res == nil {
		return
	}
	d.ExternalImages = d.ExternalImages[:0]
	resolveRawHTML(d, res)
	ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest *[]byte
		switch l := n.(type) {
		case *ast.Link:
			dest = &l.Destination
		case *ast.Image:
			dest = &l.Destination
			if external(string(l.Destination)) {
				d.ExternalImages = append(d.ExternalImages, string(l.Destination))
			}
		default:
			return ast.WalkContinue, nil
		}
		// Keep what the author wrote, so a page can be rendered again
		// (the dev server does) against a changed set of pages.
		orig, seen := d.origDest[n]
		if !seen {
			orig = string(*dest)
			d.origDest[n] = orig
		}
		off := nodeOffset(n)
		if url, ok := res.ResolveLink(d, off, orig); ok {
			*dest = []byte(url)
		} else {
			*dest = []byte(orig)
		}
		return ast.WalkContinue, nil
	})
}

// nodeOffset finds a byte offset for an inline node: that of its first text,
// or of the block it sits in. goldmark keeps positions only on text.
func nodeOffset(n ast.Node) int {
	off := -1
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off >= 0 {
		// The text starts after "[" (or "![").
		if _, img := n.(*ast.Image); img && off >= 2 {
			return off - 2
		}
		if off >= 1 {
			return off - 1
		}
		return off
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}

// external reports a URL on another host: one with a scheme and a host,
// or protocol-relative.
func external(u string) bool {
	return strings.HasPrefix(u, "//") || strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")
}
