// Package check verifies a built site as a static host will serve it: that
// every internal link, fragment, image, script and stylesheet resolves to a
// file of the site, also when the site lives under a base path such as
// GitHub Pages' /repo/. External links are listed, and fetched on request.
//
// URLs are resolved as GitHub Pages serves files: a path ending in "/" is
// the folder's index.html; "/x" is the file x, else x/index.html (after a
// redirect), else x.html. A fragment must name an id (or an <a name>) in
// the target page.
package check

import (
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/output"
)

// Options say what to check.
type Options struct {
	// Dir is the built site; default "public".
	Dir string
	// BaseURL is the path ("/repo/") or URL ("https://u.github.io/repo/")
	// the site is served at. Empty: the base the site announces in its
	// home page's <meta name="scalebook-base">, else "/".
	BaseURL string
	// External fetches external links (HEAD, then GET when HEAD is
	// refused) and reports those that fail.
	External bool
	// WarnBroken and WarnAnchors make links to missing files, and to
	// missing ids, warnings rather than problems. A folder written by
	// scalebook build says which its build allowed (Policy reads it), so
	// that check never fails a site its build passed.
	WarnBroken, WarnAnchors bool

	// Client fetches external links; default: a client with Timeout.
	Client *http.Client
	// Timeout bounds each external request; default 15s.
	Timeout time.Duration
	// Concurrency bounds simultaneous external requests; default 8.
	Concurrency int
}

// Policy reads the link policy a build recorded in its output folder:
// warnBroken and warnAnchors as the build had them, and ok false when the
// folder records none (it was not written by scalebook build).
func Policy(dir string) (warnBroken, warnAnchors, ok bool) {
	for _, n := range output.ReadNotes(dir) {
		k, v, _ := strings.Cut(n, ": ")
		switch k {
		case "links.broken":
			warnBroken, ok = v == "warn", true
		case "links.anchors":
			warnAnchors, ok = v == "warn", true
		}
	}
	return warnBroken, warnAnchors, ok
}

// Report is the outcome of a check.
type Report struct {
	// BaseURL is the base path the site was checked under.
	BaseURL string
	// Pages counts the HTML files read; Refs the internal references
	// checked in them and in stylesheets.
	Pages, Refs int
	// Problems are sorted by file, line and message.
	Problems []diag.Diagnostic
	// External lists the distinct external URLs, sorted.
	External []string
}

// Run checks the site in opts.Dir. The error is for a check that could not
// run (no such folder, a malformed base URL); problems with the site are
// in the Report.
func Run(opts Options) (*Report, error) {
	if opts.Dir == "" {
		opts.Dir = "public"
	}
	if fi, err := os.Stat(opts.Dir); err != nil || !fi.IsDir() {
		return nil, errors.New(opts.Dir + " is not a folder; build the site first (scalebook build) or name the folder to check")
	}
	c := &checker{dir: opts.Dir, files: map[string]bool{}, pages: map[string]*page{}, external: map[string][]at{},
		warnBroken: opts.WarnBroken, warnAnchors: opts.WarnAnchors}
	fsys := os.DirFS(opts.Dir)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			c.files[p] = true
		}
		return nil
	})
	if err != nil {
		return nil, errors.New("cannot read " + opts.Dir + ": " + err.Error())
	}

	baseStr := opts.BaseURL
	if baseStr == "" {
		baseStr = "/"
		if data, err := fs.ReadFile(fsys, "index.html"); err == nil {
			if b := announcedBase(data); b != "" {
				baseStr = b
			}
		}
	}
	if c.origin, c.base, err = parseBase(baseStr); err != nil {
		return nil, err
	}

	var names []string
	for f := range c.files {
		names = append(names, f)
	}
	slices.Sort(names)
	for _, f := range names {
		var p *page
		switch strings.ToLower(path.Ext(f)) {
		case ".html", ".htm":
			data, err := fs.ReadFile(fsys, f)
			if err != nil {
				c.problem(f, 0, "cannot read: "+err.Error())
				continue
			}
			p = parseHTML(data)
			c.html++
		case ".css":
			data, err := fs.ReadFile(fsys, f)
			if err != nil {
				c.problem(f, 0, "cannot read: "+err.Error())
				continue
			}
			p = parseCSS(data)
		default:
			continue
		}
		c.pages[f] = p
	}
	for _, f := range names {
		if p := c.pages[f]; p != nil {
			for _, r := range p.refs {
				c.check(f, p, r)
			}
		}
	}

	rep := &Report{BaseURL: c.origin + c.base, Pages: c.html, Refs: c.refs}
	for u := range c.external {
		rep.External = append(rep.External, u)
	}
	slices.Sort(rep.External)
	if opts.External {
		for u, problem := range fetchAll(rep.External, opts) {
			for _, a := range c.external[u] {
				c.problem(a.file, a.line, "external link "+u+": "+problem)
			}
		}
	}
	rep.Problems = c.diags.Sorted()
	return rep, nil
}

type checker struct {
	dir          string
	origin, base string // "https://u.github.io" or ""; "/repo/"
	files        map[string]bool
	pages        map[string]*page // parsed HTML and CSS files; SVGs on demand
	external     map[string][]at
	diags        diag.List
	html, refs   int
	// warnBroken, warnAnchors: see Options.
	warnBroken, warnAnchors bool
}

// at is a place in a file of the site.
type at struct {
	file string
	line int
}

func (c *checker) problem(file string, line int, msg string) {
	c.diags.Addf(filepath.Join(c.dir, filepath.FromSlash(file)), line, 0, msg)
}

// check resolves one reference found in file.
// problemOr reports a problem, or a warning when warn is set.
func (c *checker) problemOr(warn bool, file string, line int, msg string) {
	if warn {
		c.diags.Warnf(filepath.Join(c.dir, filepath.FromSlash(file)), line, 0, msg)
		return
	}
	c.problem(file, line, msg)
}

func (c *checker) check(file string, p *page, r Ref) {
	raw := strings.TrimSpace(r.URL)
	what := r.Kind + " " + raw
	if raw == "" {
		if r.Kind != "link to" {
			c.problem(file, r.Line, r.Kind+" has an empty URL")
		}
		return
	}
	u, err := url.Parse(raw)
	if err != nil {
		c.problem(file, r.Line, what+" is not a valid URL: "+strings.TrimPrefix(err.Error(), "parse "+strconv.Quote(raw)+": "))
		return
	}
	if u.Scheme != "" || u.Host != "" {
		switch strings.ToLower(u.Scheme) {
		case "mailto", "tel", "data", "javascript", "about", "blob", "sms":
			return
		}
		if !c.ownURL(u) {
			c.external[raw] = append(c.external[raw], at{file, r.Line})
			return
		}
	} else if file == "404.html" && u.Path != "" && !strings.HasPrefix(u.Path, "/") {
		// GitHub Pages serves 404.html at whatever address was missing,
		// so only absolute paths work in it.
		c.problem(file, r.Line, what+" is relative, but 404.html is served at any address; make it start with "+c.base)
		return
	}
	c.refs++

	// The address the browser resolves the URL against.
	// (…/x/index.html and …/x/ resolve relative URLs alike.)
	from := &url.URL{Path: c.base + file}
	if p.base != "" {
		if b, err := url.Parse(p.base); err == nil {
			from = from.ResolveReference(b)
		}
	}
	target := file
	if u.Scheme != "" || u.Host != "" || u.Path != "" || p.base != "" {
		abs := from.ResolveReference(u)
		urlPath := abs.Path
		if urlPath+"/" == c.base {
			urlPath = c.base
		}
		if !strings.HasPrefix(urlPath, c.base) {
			c.problem(file, r.Line, what+" is outside the base path "+c.base)
			return
		}
		var ok bool
		if target, ok = c.lookup(strings.TrimPrefix(urlPath, c.base)); !ok {
			c.problemOr(c.warnBroken, file, r.Line, what+" does not resolve")
			return
		}
	}
	frag := u.Fragment
	if frag == "" || strings.HasPrefix(frag, ":~:") {
		return
	}
	ids := c.ids(target)
	if ids == nil {
		return // a fragment of a file with no ids to check (a PDF page, say)
	}
	if !ids[frag] && !(frag == "top" && isHTML(target)) {
		c.problemOr(c.warnAnchors, file, r.Line, what+": no id "+strconv.Quote(frag)+" in "+target)
	}
}

// ownURL reports whether an absolute URL points into the site: its origin
// is the base URL's and its path is below the base path.
func (c *checker) ownURL(u *url.URL) bool {
	if c.origin == "" || u.Host == "" {
		return false
	}
	scheme := u.Scheme
	if scheme == "" {
		scheme, _, _ = strings.Cut(c.origin, ":")
	}
	if !strings.EqualFold(scheme+"://"+u.Host, c.origin) {
		return false
	}
	return strings.HasPrefix(u.Path, c.base) || u.Path+"/" == c.base
}

// lookup finds the file a site path is served from, as GitHub Pages does.
func (c *checker) lookup(p string) (string, bool) {
	if p == "" || strings.HasSuffix(p, "/") {
		f := p + "index.html"
		return f, c.files[f]
	}
	for _, f := range []string{p, p + "/index.html", p + ".html"} {
		if c.files[f] {
			return f, true
		}
	}
	return "", false
}

// ids returns the ids of an HTML or SVG file, nil for other files.
func (c *checker) ids(file string) map[string]bool {
	if p := c.pages[file]; p != nil && isHTML(file) {
		return p.ids
	}
	if strings.ToLower(path.Ext(file)) != ".svg" {
		return nil
	}
	if p := c.pages[file]; p != nil {
		return p.ids
	}
	data, err := os.ReadFile(filepath.Join(c.dir, filepath.FromSlash(file)))
	if err != nil {
		return nil
	}
	p := parseHTML(data)
	p.refs = nil
	c.pages[file] = p
	return p.ids
}

func isHTML(file string) bool {
	ext := strings.ToLower(path.Ext(file))
	return ext == ".html" || ext == ".htm"
}

// parseBase splits a base URL into its origin ("" for a bare path) and a
// path that starts and ends with "/".
func parseBase(s string) (origin, base string, err error) {
	u, err := url.Parse(s)
	if err != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", "", errors.New("base URL " + s + " is not a path like /repo/ or a URL like https://user.github.io/repo/")
	}
	if u.Scheme != "" || u.Host != "" {
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", "", errors.New("base URL " + s + " must be an http(s) URL or a path")
		}
		origin = strings.ToLower(u.Scheme + "://" + u.Host)
	}
	base = u.Path
	if !strings.HasPrefix(base, "/") {
		base = "/" + base
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return origin, base, nil
}
