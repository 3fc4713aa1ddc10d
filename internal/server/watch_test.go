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

func TestWatchNeedsAFolder(t *testing.T) {
	if _, err := Watch(WatchOptions{Roots: []string{filepath.Join(t.TempDir(), "missing")}}); err == nil {
		t.Error("watching only missing folders succeeded")
	}
}

func TestIgnoredName(t *testing.T) {
	for name, want := range map[string]bool{
		"page.md": false, "arch.png": false, "main.css": false, "v2.md": false,
		".page.md.swp": true, "page.md.swo": true, "4913": true, "5036": true, "page.md~": true,
		"#page.md#": true, ".#page.md": true, ".git": true, "x___jb_old___": true, "node_modules": true,
	} {
		if got := IgnoredName(name); got != want {
			t.Errorf("IgnoredName(%q) = %v, want %v", name, got, want)
		}
	}
}
