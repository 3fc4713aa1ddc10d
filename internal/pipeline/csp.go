package pipeline

import (
	"net/url"
	"slices"
	"strings"

	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/diag"
)

// CSP is the Content-Security-Policy every page carries unless site.yaml
// extends it. Scripts and styles come only from the site's own files;
// 'wasm-unsafe-eval' lets the calculators compile their WebAssembly and
// allows nothing else.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"

// cspDirectives are the directives of CSP, in order, with their sources.
func cspDirectives() [][]string {
	var out [][]string
	for _, d := range strings.Split(CSP, ";") {
		out = append(out, strings.Fields(d))
	}
	return out
}

// sitePolicy is CSP with the sources site.yaml's csp: adds to each
// directive (csp: {img-src: [https:]} lets pages show images from any
// HTTPS host). Script and style sources cannot be widened: the pages'
// safety rests on them.
func sitePolicy(c content.Config, prefix func(string) string, diags *diag.List) string {
	dirs := cspDirectives()
	names := make([]string, len(dirs))
	for i, d := range dirs {
		names[i] = d[0]
	}
	keys := make([]string, 0, len(c.CSP))
	for k := range c.CSP {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		i := slices.Index(names, k)
		switch {
		case k == "script-src" || k == "style-src" || k == "default-src" || k == "base-uri" || k == "object-src":
			diags.Addf(prefix(content.ConfigFile), 0, 0, "csp: "+k+" cannot be widened: the site's pages run only their own scripts and styles")
			continue
		case i < 0:
			diags.Addf(prefix(content.ConfigFile), 0, 0, "csp: unknown directive "+k+" (known: "+strings.Join(names, ", ")+")")
			continue
		}
		for _, src := range c.CSP[k] {
			if src == "" || strings.ContainsAny(src, ";,'\" \t\n") {
				diags.Addf(prefix(content.ConfigFile), 0, 0, "csp: "+k+": "+src+" is not a source such as https: or https://images.example.com")
				continue
			}
			if !slices.Contains(dirs[i], src) {
				dirs[i] = append(dirs[i], src)
			}
		}
	}
	parts := make([]string, len(dirs))
	for i, d := range dirs {
		parts[i] = strings.Join(d, " ")
	}
	return strings.Join(parts, "; ")
}

// blockedImageHosts lists, sorted, the hosts of external images (Markdown
// images, <img src> and the like) that a policy's img-src would block: the
// page would show a broken image and nobody would be told.
func blockedImageHosts(policy string, images []string) []string {
	var allowed []string
	for _, d := range strings.Split(policy, ";") {
		f := strings.Fields(d)
		if len(f) > 0 && f[0] == "img-src" {
			allowed = f[1:]
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, img := range images {
		u, err := url.Parse(img)
		if err != nil || u.Host == "" || seen[u.Host] || imageAllowed(allowed, u) {
			continue
		}
		seen[u.Host] = true
		out = append(out, u.Host)
	}
	slices.Sort(out)
	return out
}

func imageAllowed(sources []string, u *url.URL) bool {
	scheme := u.Scheme
	if scheme == "" {
		scheme = "https" // protocol-relative: the page's scheme
	}
	for _, s := range sources {
		switch {
		case s == "*" || s == scheme+":":
			return true
		case strings.HasPrefix(s, "*."):
			if strings.HasSuffix(u.Host, s[1:]) {
				return true
			}
		default:
			if a, err := url.Parse(s); err == nil && a.Host != "" && a.Host == u.Host && (a.Scheme == "" || a.Scheme == scheme) {
				return true
			}
			if a, err := url.Parse(s); err == nil && a.Host == "" && a.Scheme == "" && s == u.Host {
				return true
			}
		}
	}
	return false
}
