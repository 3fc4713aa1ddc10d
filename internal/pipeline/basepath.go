package pipeline

import (
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/scalebook/scalebook/internal/content"
)

// BasePath returns the URL path ("/" or "/repo/") that a build with opts
// puts the site under: the path of opts.BaseURL, else of site.yaml's
// base_url, else "/". The dev server needs it to serve pages where their
// links point; it is read on every rebuild because site.yaml may change.
func BasePath(opts Options) (string, error) {
	opts.setDefaults()
	s := opts.BaseURL
	if s == "" {
		var cfg struct {
			BaseURL string `yaml:"base_url"`
		}
		// An unreadable or broken site.yaml is Build's to report, with
		// its position; here it just means "no base_url".
		if data, err := os.ReadFile(filepath.Join(opts.ContentDir, content.ConfigFile)); err == nil {
			_ = yaml.Unmarshal(data, &cfg)
		}
		s = cfg.BaseURL
	}
	b, err := parseBaseURL(s)
	if err != nil {
		return "/", err
	}
	return b.Path, nil
}
