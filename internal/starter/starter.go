// Package starter is the project `scalebook new` writes: a site
// configuration, a home page, a page with a live calculator, the GitHub
// Pages workflow and a .gitignore, the way `mdbook init` and `hugo new
// site` start a project.
package starter

import (
	"embed"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

//go:embed all:files
var files embed.FS

// Options fill in the starter's placeholders.
type Options struct {
	// Title is the site's title.
	Title string
	// Version is the scalebook version the Pages workflow installs
	// ("latest" when the running binary has no release version).
	Version string
}

// Write creates dir with the starter project. It refuses a dir that
// exists and is not empty, so it never overwrites anyone's files. It
// returns the paths it wrote, relative to dir.
func Write(dir string, o Options) ([]string, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, errors.New(dir + " exists and is not empty; scalebook new writes a new project into an empty or new folder")
	}
	if o.Title == "" {
		o.Title = "My guide"
	}
	if o.Version == "" {
		o.Version = "latest"
	}
	repl := strings.NewReplacer("{{TITLE}}", o.Title, "{{VERSION}}", o.Version)
	var wrote []string
	err := fs.WalkDir(files, "files", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(p, "files/")
		// Names starting with a dot are not embedded by default and are
		// awkward in a source tree: they are stored as dot-….
		rel = strings.ReplaceAll(rel, "dot-", ".")
		target := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, []byte(repl.Replace(string(data))), 0o644); err != nil {
			return err
		}
		wrote = append(wrote, rel)
		return nil
	})
	return wrote, err
}
