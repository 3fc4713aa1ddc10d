// Package output writes a finished site to its folder without ever losing
// anything: not the last good build, and above all not a folder that
// scalebook did not write.
//
// A build goes into a temporary sibling of the output folder and is swapped
// in whole: atomically on Linux (renameat2 with RENAME_EXCHANGE), with two
// renames elsewhere. Before anything is touched, Guard checks that the
// folder may be replaced at all: it must be absent, empty, or marked as
// scalebook's by the file Marker, and it must not hold or be the content,
// theme or cache folder, a repository, the home folder or the root.
package output

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Marker is the file every build leaves in its output folder. Its presence
// is what lets the next build replace the folder, as Hugo and mdBook refuse
// to clean folders they did not create.
const Marker = ".scalebook-output"

const markerText = "This folder is written by scalebook and replaced whole on every build.\n" +
	"Do not keep files here: they are deleted by the next build.\n"

// Options say what Write must protect.
type Options struct {
	// Protect lists folders the output may never be, nor contain: the
	// content, theme and cache folders.
	Protect []Folder
	// Notes are lines added to the marker file: what a later reader of the
	// folder (scalebook check) should know about the build, such as its
	// link policy ("links.anchors: warn").
	Notes []string
}

// ReadNotes returns the notes of the marker file in dir, or nil.
func ReadNotes(dir string) []string {
	data, err := os.ReadFile(filepath.Join(dir, Marker))
	if err != nil {
		return nil
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(data), markerText)), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	return lines
}

// Folder is a folder to protect and what it is, for messages.
type Folder struct {
	Role string // "content folder"
	Path string
}

// Guard reports why dir may not be used as the output folder, or nil. It
// touches nothing.
func Guard(dir string, opts Options) error {
	if strings.TrimSpace(dir) == "" {
		return errors.New("the output folder is empty: pass -out DIR, a folder of its own such as public")
	}
	abs, err := resolve(dir)
	if err != nil {
		return err
	}
	refuse := func(why string) error {
		return errors.New("refusing to use " + dir + " as the output folder: " + why +
			"; every build deletes and replaces the output folder, so pass -out with a folder of its own, such as public")
	}
	if abs == filepath.Dir(abs) {
		return refuse("it is the root of the file system")
	}
	if wd, err := os.Getwd(); err == nil {
		if wd, err := filepath.EvalSymlinks(wd); err == nil && wd == abs {
			return refuse("it is the current folder")
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		if home, err := filepath.EvalSymlinks(home); err == nil && home == abs {
			return refuse("it is your home folder")
		}
	}
	for _, f := range opts.Protect {
		if f.Path == "" {
			continue
		}
		pa, err := resolve(f.Path)
		if err != nil {
			continue
		}
		if within(pa, abs) {
			what := "it contains the " + f.Role + " (" + f.Path + ")"
			if pa == abs {
				what = "it is the " + f.Role
			}
			return refuse(what)
		}
	}
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.Mode()&fs.ModeSymlink != 0:
		return refuse("it is a symbolic link (pass the folder it points to)")
	case !fi.IsDir():
		return refuse("it is a file, not a folder")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	if slices.Contains(names, ".git") {
		return refuse("it holds a .git repository")
	}
	if slices.Contains(names, Marker) || legacyOutput(names) {
		return nil
	}
	return refuse("it is not empty and was not written by scalebook (it has no " + Marker + " file)")
}

// legacyOutput recognises a build written before the marker existed: the
// files every such build had at its top, and no Markdown.
func legacyOutput(names []string) bool {
	for _, want := range []string{".nojekyll", "404.html", "index.html", "sitemap.xml", "robots.txt"} {
		if !slices.Contains(names, want) {
			return false
		}
	}
	for _, n := range names {
		if strings.HasSuffix(n, ".md") {
			return false
		}
	}
	return true
}

// resolve makes p absolute with symbolic links resolved, as far as it
// exists: a folder that will be created resolves through its parent.
func resolve(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for cur := abs; ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

// within reports whether p is dir or below it.
func within(p, dir string) bool {
	if p == dir {
		return true
	}
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Write replaces dir with files (slash-separated paths to contents). It
// writes a temporary sibling and swaps it in only when every file is on
// disk, so dir always holds a complete build: the last good one if
// anything fails. It first removes what earlier builds that were killed
// left behind.
//
// A file whose bytes are already in the build being replaced is not
// written again but hard-linked from it: creating a file costs far more
// than linking one, and a rebuild usually changes few files. The old
// build is only read, never changed, so it stays whole until the swap.
func Write(dir string, files map[string][]byte, opts Options) error {
	_, err := WriteStats(dir, files, opts)
	return err
}

// Stats say how Write put the files in place.
type Stats struct {
	// Linked counts the files hard-linked from the build replaced, Written
	// the files written anew.
	Linked, Written int
}

// WriteStats is Write, reporting how many files were linked and written.
func WriteStats(dir string, files map[string][]byte, opts Options) (Stats, error) {
	if err := Guard(dir, opts); err != nil {
		return Stats{}, err
	}
	dir = filepath.Clean(dir)
	// Guard let dir through, so an existing dir is an earlier build (or
	// empty): its files may serve as the source of links.
	prev := ""
	if fi, err := os.Lstat(dir); err == nil && fi.IsDir() {
		prev = dir
	}
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return Stats{}, err
	}
	cleanStale(parent, base)
	tmp, err := os.MkdirTemp(parent, tempPrefix(base)+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return Stats{}, err
	}
	swapped := false
	defer func() {
		if !swapped {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return Stats{}, err
	}
	st, err := writeFiles(tmp, prev, files)
	if err != nil {
		return st, err
	}
	marker := markerText
	for _, n := range opts.Notes {
		marker += n + "\n"
	}
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte(marker), 0o644); err != nil {
		return st, err
	}
	old, err := swap(tmp, dir)
	if err != nil {
		return st, err
	}
	swapped = true
	if old != "" {
		return st, removeTree(old)
	}
	return st, nil
}

// tempPrefix names the temporary folders of builds into base. The process
// ID follows it, so a later build can tell a live build's folder from one
// left by a killed build.
func tempPrefix(base string) string { return "." + base + ".tmp-" }

// cleanStale removes temporary folders of earlier builds into base whose
// process is gone, and the .new-/.old- folders that builds made before
// their names carried the process ID, once they are a minute old.
func cleanStale(parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		stale := false
		if rest, ok := strings.CutPrefix(name, tempPrefix(base)); ok {
			pid, _, _ := strings.Cut(rest, "-")
			n, err := strconv.Atoi(pid)
			stale = err != nil || (n != os.Getpid() && !alive(n))
		} else if strings.HasPrefix(name, "."+base+".new-") || strings.HasPrefix(name, "."+base+".old-") {
			if fi, err := e.Info(); err == nil {
				stale = time.Since(fi.ModTime()) > time.Minute
			}
		}
		if stale && e.IsDir() {
			removeTree(filepath.Join(parent, name))
		}
	}
}

// writeFiles writes every file below root, in parallel: thousands of small
// files spend their time in system calls, which overlap well even on two
// cores. A file with the same bytes at the same path below prev (the build
// being replaced, or "") is hard-linked from there instead.
func writeFiles(root, prev string, files map[string][]byte) (Stats, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	made := map[string]bool{}
	for _, name := range names {
		if d := filepath.Dir(filepath.Join(root, filepath.FromSlash(name))); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return Stats{}, err
			}
			made[d] = true
		}
	}
	var mu sync.Mutex
	var firstErr error
	var st Stats
	each(len(names), 8, func(i int) {
		name := names[i]
		target := filepath.Join(root, filepath.FromSlash(name))
		if prev != "" {
			old := filepath.Join(prev, filepath.FromSlash(name))
			// A failed link (a file system without them, too many links)
			// only costs the write it would have saved.
			if holds(old, files[name]) && os.Link(old, target) == nil {
				mu.Lock()
				st.Linked++
				mu.Unlock()
				return
			}
		}
		err := os.WriteFile(target, files[name], 0o644)
		mu.Lock()
		st.Written++
		if err != nil && firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	})
	return st, firstErr
}

// holds reports whether the file at p is a plain file with exactly data as
// its contents. Anything else (a symbolic link, a file changed by hand) is
// written afresh. The size is checked first, so most changed files cost no
// read.
func holds(p string, data []byte) bool {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	old, err := os.ReadFile(p)
	return err == nil && bytes.Equal(old, data)
}

// swapRenames puts tmp in dir's place with two renames: dir is moved
// aside, then tmp moved in. A crash between them leaves no dir, only the
// two temporary folders, which is why Linux uses an atomic exchange; the
// next build finds and removes the leftovers. It returns the folder that
// now holds the old build ("" when there was none).
func swapRenames(tmp, dir string) (string, error) {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return "", os.Rename(tmp, dir)
	}
	old := tmp + "-old"
	if err := os.Rename(dir, old); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Rename(old, dir) // put the last good build back
		return "", err
	}
	return old, nil
}

// removeTree deletes a folder, its top-level entries in parallel.
func removeTree(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return os.RemoveAll(dir)
	}
	each(len(entries), 8, func(i int) { os.RemoveAll(filepath.Join(dir, entries[i].Name())) })
	return os.RemoveAll(dir)
}

// each runs f(0..n-1) on up to workers goroutines.
func each(n, workers int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}
