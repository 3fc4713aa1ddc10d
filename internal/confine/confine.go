// Package confine keeps a build inside its folders. Reading through
// os.DirFS or esbuild follows symbolic links wherever they lead, so a link
// such as content/passwd.txt → /etc/passwd would be published; Check finds
// every link below a root that leads out of it before anything is read.
package confine

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/scalebook/scalebook/internal/diag"
)

// Check reports every symbolic link below root that resolves outside it,
// dangles, or names a folder (folders reached through links are not walked,
// so their files would silently go missing). Paths in diagnostics are
// slash-separated and joined to name, the folder as the author knows it
// ("content"). Skip lists folders below root not to walk (the output and
// cache folders when they sit inside the content folder).
func Check(root, name string, skip []string, d *diag.List) {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return // a missing root is reported by whoever reads it
	}
	skipped := map[string]bool{}
	for _, s := range skip {
		if r, err := filepath.EvalSymlinks(s); err == nil {
			skipped[r] = true
		}
	}
	d = diag.Prefixed(d, name)
	walk(real, real, name, skipped, d)
}

// CheckPaths is Check for some paths below root only (slash-separated,
// relative to it), with the folders among them walked: the files a watcher
// saw change, when the rest was checked before.
func CheckPaths(root, name string, rels []string, d *diag.List) {
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return
	}
	d = diag.Prefixed(d, name)
	for _, rel := range rels {
		p := filepath.Join(real, filepath.FromSlash(rel))
		if _, err := os.Lstat(p); err != nil {
			continue // gone: nothing to publish
		}
		walk(real, p, name, nil, d)
	}
}

// walk checks every link at or below p, a path inside real.
func walk(real, p, name string, skipped map[string]bool, d *diag.List) {
	filepath.WalkDir(p, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable entries are reported by the reader
		}
		if e.IsDir() && skipped[p] {
			return filepath.SkipDir
		}
		if e.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		rel, _ := filepath.Rel(real, p)
		rel = filepath.ToSlash(rel)
		target, err := filepath.EvalSymlinks(p)
		if err != nil {
			link, _ := os.Readlink(p)
			d.Addf(rel, 0, 0, "symbolic link to "+link+" leads nowhere; remove it or point it at a file inside "+name)
			return nil
		}
		if !inside(target, real) {
			d.Addf(rel, 0, 0, "symbolic link leads outside "+name+" (to "+target+"), so it is not published; copy the file into "+name+" instead")
			return nil
		}
		if fi, err := os.Stat(target); err == nil && fi.IsDir() {
			d.Addf(rel, 0, 0, "symbolic link to a folder; folders are not followed through links, so move or copy the folder here instead")
		}
		return nil
	})
}

func inside(p, dir string) bool {
	if p == dir {
		return true
	}
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
