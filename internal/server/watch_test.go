package server

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

func startWatcher(t *testing.T, roots []string, skip ...string) *Watcher {
	t.Helper()
	w, err := Watch(WatchOptions{Roots: roots, Skip: skip, Quiet: 20 * time.Millisecond, MaxWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// collectUntil gathers batches until one contains want, and returns every
// path seen on the way.
func collectUntil(t *testing.T, w *Watcher, want string) []string {
	t.Helper()
	var seen []string
	for {
		select {
		case batch, ok := <-w.Batches():
			if !ok {
				t.Fatal("watcher stopped")
			}
			for _, c := range batch {
				seen = append(seen, c.Path)
			}
			if slices.Contains(seen, want) {
				return seen
			}
		case <-time.After(hangGuard):
			t.Fatalf("never saw %s; saw %v", want, seen)
		}
	}
}

func TestWatcherFollowsNewFolders(t *testing.T) {
	root := t.TempDir()
	w := startWatcher(t, []string{root})
	// Created in one go: the file may exist before the folder's watch.
	first := filepath.Join(root, "a", "b", "first.md")
	writeFile(t, first, "1")
	collectUntil(t, w, first)
	// Only the new folder's watch can see this one.
	second := filepath.Join(root, "a", "b", "second.md")
	writeFile(t, second, "2")
	collectUntil(t, w, second)

	// Removed, then made again: watched again.
	if err := os.RemoveAll(filepath.Join(root, "a")); err != nil {
		t.Fatal(err)
	}
	collectUntil(t, w, filepath.Join(root, "a"))
	again := filepath.Join(root, "a", "c", "again.md")
	writeFile(t, again, "3")
	collectUntil(t, w, again)
	later := filepath.Join(root, "a", "c", "later.md")
	writeFile(t, later, "4")
	collectUntil(t, w, later)
}

func TestWatcherIgnoresEditorNoise(t *testing.T) {
	root := t.TempDir()
	skip := filepath.Join(root, "cache")
	if err := os.Mkdir(skip, 0o755); err != nil {
		t.Fatal(err)
	}
	w := startWatcher(t, []string{root}, skip)
	for _, name := range []string{".page.md.swp", "page.md.swp", "4913", "page.md~", "#page.md#", ".#page.md", "page.md___jb_tmp___", ".DS_Store", "cache/highlight.cache"} {
		writeFile(t, filepath.Join(root, name), "noise")
	}
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, ".git", "index"), "noise")
	sentinel := filepath.Join(root, "page.md")
	writeFile(t, sentinel, "real")
	seen := collectUntil(t, w, sentinel)
	for _, p := range seen {
		if p != sentinel {
			t.Errorf("reported noise: %s", p)
		}
	}
}

// vim's default save: rename the file to a backup, write a new file,
// delete the backup. And the write-a-temporary-then-rename save most
// libraries do. Both report the file itself.
func TestWatcherEditorSaves(t *testing.T) {
	root := t.TempDir()
	page := filepath.Join(root, "page.md")
	writeFile(t, page, "v0")
	w := startWatcher(t, []string{root})

	if err := os.Rename(page, page+"~"); err != nil {
		t.Fatal(err)
	}
	writeFile(t, page, "v1")
	if err := os.Chmod(page, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(page + "~"); err != nil {
		t.Fatal(err)
	}
	for _, p := range collectUntil(t, w, page) {
		if strings.HasSuffix(p, "~") {
			t.Errorf("reported the backup: %s", p)
		}
	}

	tmp := filepath.Join(root, "page.md.tmp123")
	writeFile(t, tmp, "v2")
	if err := os.Rename(tmp, page); err != nil {
		t.Fatal(err)
	}
	collectUntil(t, w, page)
	if got := describe([]Change{{Path: page, Op: fsnotify.Create | fsnotify.Write}, {Path: tmp, Op: fsnotify.Create | fsnotify.Rename}}); got != filepath.ToSlash(page)+" changed" {
		t.Errorf("describe = %q: the vanished temporary file should not be named", got)
	}
}

// A folder named by digits (content/2024/) is content, not vim's 4913
// probe: it is watched like any other, though a file so named is not.
func TestWatcherDigitFolders(t *testing.T) {
	root := t.TempDir()
	os.Mkdir(filepath.Join(root, "2023"), 0o755)
	w := startWatcher(t, []string{root})
	old := filepath.Join(root, "2023", "review.md")
	writeFile(t, old, "existing folder")
	collectUntil(t, w, old)
	made := filepath.Join(root, "2024", "plans.md")
	writeFile(t, made, "new folder")
	collectUntil(t, w, made)
	later := filepath.Join(root, "2024", "later.md")
	writeFile(t, later, "a file the new folder's watch must see")
	writeFile(t, filepath.Join(root, "2024", "4913"), "probe")
	seen := collectUntil(t, w, later)
	if slices.Contains(seen, filepath.Join(root, "2024", "4913")) {
		t.Errorf("reported vim's probe file: %v", seen)
	}
}

// A root that disappears and comes back (git checkout of another branch
// moves content/ aside and back) is watched again: edits after its return
// are seen, and siblings of the root are not.
func TestWatcherRootComesBack(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "content")
	writeFile(t, filepath.Join(root, "sub", "a.md"), "a")
	w := startWatcher(t, []string{root})
	if err := os.Rename(root, filepath.Join(dir, "elsewhere")); err != nil {
		t.Fatal(err)
	}
	collectUntil(t, w, root)
	if err := os.Rename(filepath.Join(dir, "elsewhere"), root); err != nil {
		t.Fatal(err)
	}
	collectUntil(t, w, root)
	edit := filepath.Join(root, "sub", "a.md")
	writeFile(t, filepath.Join(dir, "sibling.txt"), "not watched")
	writeFile(t, edit, "edited after the return")
	seen := collectUntil(t, w, edit)
	for _, p := range seen {
		if strings.HasSuffix(p, "sibling.txt") || strings.Contains(p, "elsewhere") {
			t.Errorf("reported %s", p)
		}
	}
	// And again, removed for good and recreated from scratch.
	os.RemoveAll(root)
	collectUntil(t, w, root)
	fresh := filepath.Join(root, "new", "b.md")
	writeFile(t, fresh, "b")
	collectUntil(t, w, fresh)
	again := filepath.Join(root, "new", "c.md")
	writeFile(t, again, "c")
	collectUntil(t, w, again)
}

func TestWatchNeedsAFolder(t *testing.T) {
	if _, err := Watch(WatchOptions{Roots: []string{filepath.Join(t.TempDir(), "missing")}}); err == nil {
		t.Error("watching only missing folders succeeded")
	}
}

func TestIgnoredName(t *testing.T) {
	for name, want := range map[string]bool{
		"page.md": false, "arch.png": false, "main.css": false, "v2.md": false,
		".page.md.swp": true, "page.md.swo": true, "4913": false, "2024": false, "page.md~": true,
		"#page.md#": true, ".#page.md": true, ".git": true, "x___jb_old___": true, "node_modules": true,
	} {
		if got := IgnoredName(name); got != want {
			t.Errorf("IgnoredName(%q) = %v, want %v", name, got, want)
		}
	}
}
