package pipeline

import (
	"os"

	"github.com/scalebook/scalebook/internal/content"
	"github.com/scalebook/scalebook/internal/diag"
)

// BasePath returns the URL path ("/" or "/repo/") that a build with opts
// puts the site under: the path of opts.BaseURL, else of site.yaml's
// base_url, else "/". A finished build says it too (Site.BasePath); the dev
// server asks here before its first good build, to serve the failure page
// where the site's pages will be.
func BasePath(opts Options) (string, error) {
	opts.setDefaults()
	s := opts.BaseURL
	if s == "" {
		// An unreadable or broken site.yaml is Build's to report, with
		// its position; here it just means "no base_url".
		s = content.ReadConfig(os.DirFS(opts.ContentDir), &diag.List{}).BaseURL
	}
	b, err := parseBaseURL(s)
	if err != nil {
		return "/", err
	}
	return b.Path, nil
}
