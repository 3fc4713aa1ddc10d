// Package build turns the content and theme folders into a complete static
// site: it loads pages, renders Markdown in parallel, applies templates,
// bundles assets, and writes the result into a fresh folder that replaces the
// output only when everything succeeded.
package pipeline

import (
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/scalebook/scalebook/internal/theme"

	"github.com/scalebook/scalebook"
)

// Options configure a build. The zero value of each field means its default.
type Options struct {
	// ContentDir is the folder of Markdown. Default: content/ if there is
	// one, else the current folder, so any folder of Markdown builds.
	ContentDir string
	// ThemeDir is the author's theme folder, laid over the built-in theme
	// file by file. Default: theme/ beside the content folder if there is
	// one, else none (the built-in theme alone).
	ThemeDir string
	OutDir   string // default "public"
	// BaseURL is a path ("/repo/") or a full URL ("https://u.github.io/repo/");
	// every link, asset and script URL honours it. Default: the site
	// config's base_url, else "/".
	BaseURL string
	// CacheDir keeps work between builds (highlighted code, compiled WASM,
	// diagrams). Empty means no cache: a cold build every time.
	CacheDir string
	// Drafts includes pages marked draft: true.
	Drafts bool
	// BuiltInTheme is the theme ThemeDir is laid over. Default: the one
	// in this binary.
	BuiltInTheme fs.FS
	// Engine is the calculator engine's source, compiled to WebAssembly
	// for pages with calculators. Default: the copy in this binary
	// (scalebook.Engine), which is also the code that evaluates the
	// figures the build prints.
	Engine fs.FS
	// WarnLinks makes every link problem a warning, for importing a
	// foreign tree (-warn-links). The dev server always does.
	WarnLinks bool
	// Dev marks a build for the dev server: pages load the reload client.
	// It is never set for output that is deployed.
	Dev bool
	// DeferSearch leaves the search index out of Build: the Site carries
	// the last index built, if any, and Site.Search assembles the new one.
	// No page embeds the index, so the dev server reloads browsers first
	// and swaps the index in a moment later; a reader who searches in that
	// moment searches the previous build.
	DeferSearch bool
}

func (o *Options) setDefaults() {
	if o.ContentDir == "" {
		o.ContentDir = "content"
		if fi, err := os.Stat(o.ContentDir); err != nil || !fi.IsDir() {
			o.ContentDir = "."
		}
	}
	if o.ThemeDir == "" {
		beside := filepath.Join(filepath.Dir(filepath.Clean(o.ContentDir)), "theme")
		if fi, err := os.Stat(beside); err == nil && fi.IsDir() && !samePath(beside, o.ContentDir) {
			o.ThemeDir = beside
		}
	}
	if o.BuiltInTheme == nil {
		o.BuiltInTheme = theme.Sub(scalebook.Theme)
	}
	if o.OutDir == "" {
		o.OutDir = "public"
	}
	if o.Engine == nil {
		o.Engine = scalebook.Engine
	}
}

// samePath reports whether two paths name the same folder.
func samePath(a, b string) bool {
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && x == y
}

// ReloadPath is where the dev server serves its live-reload client; pages
// built with Dev load it from there.
const ReloadPath = "_scalebook/reload.js"

// baseURL is the parsed -base-url: an optional origin and a path that starts
// and ends with a slash.
type baseURL struct {
	Origin string // "https://u.github.io" or ""
	Path   string // "/repo/" or "/"
}

func parseBaseURL(s string) (baseURL, error) {
	if s == "" {
		return baseURL{Path: "/"}, nil
	}
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return baseURL{}, errors.New("base URL " + strconv.Quote(s) + " contains spaces; write a path like /repo/ or a URL like https://user.github.io/repo/")
	}
	if first, _, _ := strings.Cut(s, "/"); !strings.Contains(s, "://") && strings.Contains(first, ".") {
		// "example.com/docs/" is a host without a scheme, not a folder
		// named example.com.
		return baseURL{}, errors.New("base URL " + s + " looks like a host without a scheme; write https://" + s + " (or /" + s + " if it really is a path)")
	}
	u, err := url.Parse(s)
	if err != nil {
		return baseURL{}, errors.New("base URL " + s + " is not a URL: write a path like /repo/ or a URL like https://user.github.io/repo/")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return baseURL{}, errors.New("base URL " + s + " must not have a query or fragment")
	}
	var b baseURL
	if u.Scheme != "" || u.Host != "" {
		if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			return baseURL{}, errors.New("base URL " + s + " must be an http(s) URL or a path")
		}
		b.Origin = u.Scheme + "://" + u.Host
	}
	// CI often joins a reported base with "/"; collapse what that doubles.
	p := path.Clean("/" + u.EscapedPath())
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	b.Path = p
	return b, nil
}

// URL returns the base-prefixed path of a site path ("systems/x/"), each
// segment escaped: a page from the file "what?.md" lives at /what%3F/, not
// at /what with a query.
func (b baseURL) URL(sitePath string) string {
	return b.Path + escapePath(strings.TrimPrefix(sitePath, "/"))
}

// escapePath escapes each segment of a slash-separated path. Paths made of
// the usual letters, digits, dots, hyphens and underscores come back as
// they are.
func escapePath(p string) string {
	if !strings.ContainsFunc(p, needsEscape) {
		return p
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func needsEscape(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~/", r))
}

// Abs returns the absolute URL of a site path, or the base-prefixed path
// when the base URL has no origin.
func (b baseURL) Abs(sitePath string) string { return b.Origin + b.URL(sitePath) }

// parseOrigin reads site.yaml's url: a scheme and host (and port), nothing
// after them but a slash.
func parseOrigin(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Opaque != "" {
		return "", errors.New("url " + strconv.Quote(s) + " is not a site's origin; write it like https://example.com")
	}
	if p := u.EscapedPath(); p != "" && p != "/" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", errors.New("url " + strconv.Quote(s) + " has more than an origin; write " + u.Scheme + "://" + u.Host + " and put the path in base_url or -base-url")
	}
	return u.Scheme + "://" + u.Host, nil
}
