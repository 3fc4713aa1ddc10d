package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/scalebook/scalebook/internal/pipeline"
)

//go:embed client/reload.js client/overlay.css client/favicon.svg
var clientFiles embed.FS

// internalDir is the folder, under the base path, where the server's own
// files live; pages built with Dev load the reload client from it.
var internalDir = path.Dir(pipeline.ReloadPath) + "/"

// Site is one complete build as the Handler serves it.
type Site struct {
	// Files are the build's outputs by site path. Nil means no build has
	// succeeded yet: every page then shows the errors.
	Files map[string][]byte
	// Base is the URL path the site lives under: "/" or "/repo/".
	Base string
	// Version names this build, so pages can tell whether they are stale.
	Version string
}

// Handler serves a Site from memory, plus the live-reload client and its
// event stream. It never touches the file system, so no request can read
// anything but the build's own outputs.
type Handler struct {
	broker *Broker
	site   atomic.Pointer[Site]
}

// NewHandler returns a Handler serving site, with events from b.
func NewHandler(b *Broker, site *Site) *Handler {
	h := &Handler{broker: b}
	h.Swap(site)
	return h
}

// Swap replaces the whole site at once: every request sees either the old
// build or the new one, never a mix of both.
func (h *Handler) Swap(s *Site) {
	if s.Base == "" {
		s.Base = "/"
	}
	h.site.Store(s)
}

// Site returns the site being served.
func (h *Handler) Site() *Site { return h.site.Load() }

// ServeHTTP serves one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if badPath(r.URL) {
		http.Error(w, "bad request path", http.StatusBadRequest)
		return
	}
	site := h.site.Load()
	p := r.URL.Path
	if !strings.HasPrefix(p, site.Base) {
		if p == "/" || p+"/" == site.Base {
			// Found, not Moved Permanently: the base path may change.
			redirect(w, r, site.Base, http.StatusFound)
			return
		}
		h.notFound(w, r, site)
		return
	}
	rel := p[len(site.Base):]
	if strings.HasPrefix(rel, internalDir) {
		h.internal(w, r, rel[len(internalDir):])
		return
	}
	if strings.HasPrefix(rel, "/") || strings.Contains(rel, "//") {
		h.notFound(w, r, site)
		return
	}
	if site.Files == nil {
		h.failed(w, r, site)
		return
	}
	name := rel
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	if data, ok := site.Files[name]; ok {
		serveFile(w, r, name, data, site.Version, http.StatusOK)
		return
	}
	if rel != "" && !strings.HasSuffix(rel, "/") {
		if _, ok := site.Files[rel+"/index.html"]; ok {
			redirect(w, r, r.URL.EscapedPath()+"/", http.StatusMovedPermanently)
			return
		}
	}
	h.notFound(w, r, site)
}

// badPath refuses what could name something outside the site if the files
// were on disk: dot segments, encoded slashes and backslashes, NUL. The map
// lookup could not escape anyway; refusing early keeps it that way if the
// storage ever changes, and tells a confused client what went wrong.
func badPath(u *url.URL) bool {
	raw := strings.ToLower(u.EscapedPath())
	if strings.Contains(raw, "%2f") || strings.Contains(raw, "%5c") || strings.Contains(raw, "%00") {
		return true
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return true
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

func redirect(w http.ResponseWriter, r *http.Request, to string, code int) {
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, code)
}

func (h *Handler) internal(w http.ResponseWriter, r *http.Request, name string) {
	switch name {
	case "events":
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", "GET")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h.broker.ServeHTTP(w, r)
	case "reload.js", "overlay.css", "favicon.svg":
		data, _ := clientFiles.ReadFile("client/" + name)
		serveFile(w, r, name, data, "", http.StatusOK)
	default:
		http.NotFound(w, r)
	}
}

// notFound serves the site's own 404 page, as GitHub Pages does.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, site *Site) {
	if data, ok := site.Files["404.html"]; ok {
		serveFile(w, r, "404.html", data, site.Version, http.StatusNotFound)
		return
	}
	http.NotFound(w, r)
}

var failedPage = template.Must(template.New("").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Build failed · scalebook</title>
<link rel="stylesheet" href="{{.Base}}{{.Dir}}overlay.css">
<link rel="icon" href="{{.Base}}{{.Dir}}favicon.svg" type="image/svg+xml">
<script src="{{.Base}}{{.Dir}}reload.js" defer></script>
</head>
<body class="scalebook-failed">
<main>
<h1>The site has not built yet</h1>
<p>Fix these problems and this page reloads by itself:</p>
<ul>{{range .Errors}}<li><code>{{.Text}}</code>{{with .Source}}<pre>{{.}}</pre>{{end}}</li>{{end}}</ul>
</main>
</body>
</html>
`))

// failed stands in for every page until a first build succeeds. It loads
// the reload client, so the fix shows up without touching the browser.
func (h *Handler) failed(w http.ResponseWriter, r *http.Request, site *Site) {
	_, errs := h.broker.State()
	var buf bytes.Buffer
	_ = failedPage.Execute(&buf, struct {
		Base, Dir string
		Errors    []Problem
	}{site.Base, internalDir, errs})
	w.Header().Set("Content-Security-Policy", "default-src 'self'")
	// "none" differs from every real version, so the page reloads as soon
	// as it hears that a build succeeded, even one it missed.
	serveFile(w, r, "failed.html", buf.Bytes(), "none", http.StatusServiceUnavailable)
}

func serveFile(w http.ResponseWriter, r *http.Request, name string, data []byte, version string, status int) {
	h := w.Header()
	h.Set("Content-Type", contentType(name))
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.HasSuffix(name, ".html") {
		// Pages change with every edit; a cached one would hide it.
		h.Set("Cache-Control", "no-store")
		if version != "" {
			// The client reads this through the Performance API to know
			// which build it shows; no markup needs to change for it.
			h.Set("Server-Timing", `scalebook;desc="`+version+`"`)
		}
	} else {
		// Revalidate everything else: a 304 on localhost costs nothing,
		// and unhashed files (images, favicon) may change in place.
		sum := sha256.Sum256(data)
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	}
	if status == http.StatusOK {
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// contentTypes is explicit because mime.TypeByExtension depends on the
// system's tables, which disagree between machines (and some lack wasm).
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".xml":         "application/xml; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".wasm":        "application/wasm",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".pdf":         "application/pdf",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}
