// Package theme is a site's theme as one file system: the folder an author
// gives (or theme/ beside the content) laid over the default theme built
// into scalebook, file by file.
//
// So a site with no theme folder gets the default theme, one with a single
// layouts/page.html changes that layout only, and one with a complete theme
// replaces every file it has, the way Hugo lets a site override one layout
// of its theme. Every file knows where it came from, so a problem in a
// template or a stylesheet is reported at the file the author can open.
package theme

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// BuiltIn names the default theme's files in messages: they live in the
// binary, not on disk.
const BuiltIn = "(built-in theme)"

// Theme is the layered theme. The zero value is not ready; use New.
type Theme struct {
	// Dir is the author's theme folder, "" when there is none.
	Dir  string
	over fs.FS // Dir, or nil
	base fs.FS // the built-in theme
}

// New lays the folder dir (if not "") over base, the built-in theme rooted
// at its top (layouts/, assets/, static/).
func New(dir string, base fs.FS) *Theme {
	t := &Theme{Dir: dir, base: base}
	if dir != "" {
		t.over = os.DirFS(dir)
	}
	return t
}

// Where names the file that a theme path ("layouts/page.html") comes from,
// for messages: the author's file, or the built-in one.
func (t *Theme) Where(name string) string {
	if t.over != nil {
		if _, err := fs.Stat(t.over, name); err == nil {
			return filepath.Join(t.Dir, filepath.FromSlash(name))
		}
	}
	return BuiltIn + "/" + name
}

// Overridden reports whether the author's folder has name.
func (t *Theme) Overridden(name string) bool {
	if t.over == nil {
		return false
	}
	_, err := fs.Stat(t.over, name)
	return err == nil
}

// Open opens a file of the author's folder if it has one, else of the
// built-in theme.
func (t *Theme) Open(name string) (fs.File, error) {
	if t.over != nil {
		f, err := t.over.Open(name)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return t.base.Open(name)
}

// ReadDir lists a folder of both layers, the author's entries winning, in
// name order.
func (t *Theme) ReadDir(name string) ([]fs.DirEntry, error) {
	base, berr := fs.ReadDir(t.base, name)
	if t.over == nil {
		return base, berr
	}
	over, oerr := fs.ReadDir(t.over, name)
	if oerr != nil && berr != nil {
		return nil, oerr
	}
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, e := range over {
		seen[e.Name()] = true
		out = append(out, e)
	}
	for _, e := range base {
		if !seen[e.Name()] {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// ReadFile reads a file of the layered theme.
func (t *Theme) ReadFile(name string) ([]byte, error) {
	if t.over != nil {
		data, err := fs.ReadFile(t.over, name)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return data, err
		}
	}
	return fs.ReadFile(t.base, name)
}

// Stat describes a file of the layered theme.
func (t *Theme) Stat(name string) (fs.FileInfo, error) {
	if t.over != nil {
		if fi, err := fs.Stat(t.over, name); err == nil {
			return fi, nil
		}
	}
	return fs.Stat(t.base, name)
}

// Files lists every file below dir ("" for all), slash-separated and
// sorted.
func (t *Theme) Files(dir string) ([]string, error) {
	root := dir
	if root == "" {
		root = "."
	}
	var out []string
	err := fs.WalkDir(t, root, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == root {
			return fs.SkipAll // a theme need not have every folder
		}
		if err != nil {
			return err
		}
		if !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

var (
	_ fs.ReadDirFS  = (*Theme)(nil)
	_ fs.ReadFileFS = (*Theme)(nil)
	_ fs.StatFS     = (*Theme)(nil)
)

// Sub returns the built-in theme rooted at its top, given the embedded
// file system that holds it under "theme".
func Sub(embedded fs.FS) fs.FS {
	sub, err := fs.Sub(embedded, "theme")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}
