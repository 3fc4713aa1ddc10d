package server

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
)

// WatchOptions configure a Watcher.
type WatchOptions struct {
	// Roots are the folders to watch, with everything below them. A root
	// that does not exist is skipped (a site need not have calc/).
	Roots []string
	// Skip lists folders below the roots to leave alone: the build writes
	// its caches there, and watching them would rebuild forever.
	Skip []string
	// Quiet, MaxWait and MinGap configure the Debouncer.
	Quiet, MaxWait, MinGap time.Duration
	// Log receives the watcher's own errors (an overflowing event queue,
	// a folder that cannot be watched). Nil discards them.
	Log io.Writer
}

// Watcher reports changes below its roots in debounced batches. fsnotify
// watches single folders, so the Watcher adds every folder below the roots
// and keeps adding the ones created later.
type Watcher struct {
	fsw     *fsnotify.Watcher
	opts    WatchOptions
	skip    []string // absolute
	deb     Debouncer
	batches chan []Change
	done    chan struct{}
	pending atomic.Bool
	stop    sync.Once
	wg      sync.WaitGroup

	// roots are the watched roots, cleaned; parentOnly maps each root's
	// parent folder, watched so that a root that disappears and comes
	// back is noticed, to the roots in it.
	roots      []string
	parentOnly map[string][]string
	// folders are the folders watched, so that a removed folder is known
	// to have been one (it can no longer be looked at).
	mu      sync.Mutex
	folders map[string]bool
}

// Watch starts watching. Callers must Close the Watcher.
func Watch(opts WatchOptions) (*Watcher, error) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{
		fsw:     fsw,
		opts:    opts,
		deb:     Debouncer{Quiet: opts.Quiet, MaxWait: opts.MaxWait, MinGap: opts.MinGap},
		batches: make(chan []Change),
		done:    make(chan struct{}),
	}
	for _, s := range opts.Skip {
		if s == "" {
			continue
		}
		if abs, err := filepath.Abs(s); err == nil {
			w.skip = append(w.skip, abs)
		}
	}
	w.parentOnly, w.folders = map[string][]string{}, map[string]bool{}
	watched := 0
	for _, root := range opts.Roots {
		if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
			continue
		}
		root = filepath.Clean(root)
		if err := w.addTree(root, time.Time{}, false); err != nil {
			fsw.Close()
			return nil, err
		}
		w.roots = append(w.roots, root)
		watched++
	}
	// The parents of the roots, alone: events there matter only when they
	// name a root. A parent that is itself watched (a root inside
	// another) needs no second watch.
	for _, root := range w.roots {
		parent := filepath.Dir(root)
		if w.folders[parent] {
			continue
		}
		if _, ok := w.parentOnly[parent]; !ok {
			if err := fsw.Add(parent); err != nil {
				fmt.Fprintf(opts.Log, "watch: cannot watch %s for %s coming back: %v\n", parent, root, err)
				continue
			}
		}
		w.parentOnly[parent] = append(w.parentOnly[parent], root)
	}
	if watched == 0 {
		fsw.Close()
		return nil, errors.New("none of the folders to watch exists: " + strings.Join(opts.Roots, ", "))
	}
	w.wg.Add(1)
	go w.loop()
	return w, nil
}

// Batches delivers one batch of changes per burst. While the receiver is
// busy (building), later changes gather into the next batch instead of
// queueing up one build each. The channel is closed by Close.
func (w *Watcher) Batches() <-chan []Change { return w.batches }

// Pending reports whether changes have been seen that no batch delivered
// yet: a build running now is already out of date.
func (w *Watcher) Pending() bool { return w.pending.Load() }

// Close stops watching and releases the operating system's watches.
func (w *Watcher) Close() error {
	var err error
	w.stop.Do(func() {
		close(w.done)
		err = w.fsw.Close()
		w.wg.Wait()
	})
	return err
}

func (w *Watcher) loop() {
	defer w.wg.Done()
	defer close(w.batches)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var ready []Change // flushed, waiting for the receiver
	for {
		_, debouncing := w.deb.Due()
		w.pending.Store(ready != nil || debouncing)
		var out chan<- []Change
		if ready != nil {
			out = w.batches
		}
		select {
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.handle(ev, time.Now())
			if at, ok := w.deb.Due(); ok {
				timer.Reset(time.Until(at))
			}
		case <-timer.C:
			at, ok := w.deb.Due()
			if !ok {
				continue
			}
			if d := time.Until(at); d > 0 {
				timer.Reset(d)
				continue
			}
			ready = mergeChanges(ready, w.deb.Flush())
		case out <- ready:
			ready = nil
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			// An overflow means events were lost: rebuild anyway, or the
			// site could silently go stale.
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.deb.Add(Change{Path: lostEvents, Op: fsnotify.Write}, time.Now())
				if at, ok := w.deb.Due(); ok {
					timer.Reset(time.Until(at))
				}
			}
			fmt.Fprintf(w.opts.Log, "watch: %v\n", err)
		case <-w.done:
			return
		}
	}
}

func (w *Watcher) handle(ev fsnotify.Event, now time.Time) {
	if w.ignored(ev.Name) {
		return
	}
	if root, ok := w.parentOnly[filepath.Dir(ev.Name)]; ok && !slices.Contains(root, ev.Name) {
		return // a sibling of a root, in a folder watched only for the root
	}
	if vimProbe(filepath.Base(ev.Name)) && !w.isFolder(ev.Name) {
		return
	}
	if w.isRoot(ev.Name) && ev.Has(fsnotify.Create) {
		// A root came back (git checkout moves content/ away and back):
		// watch it again, and rebuild from what is there now.
		if err := w.addTree(ev.Name, now, true); err != nil {
			fmt.Fprintf(w.opts.Log, "watch: %v\n", err)
		}
		w.deb.Add(Change{Path: ev.Name, Op: ev.Op}, now)
		return
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
			// Files may land in a new folder before its watch exists
			// (mkdir -p a/b && cp …), so report what is already there.
			if err := w.addTree(ev.Name, now, true); err != nil {
				fmt.Fprintf(w.opts.Log, "watch: %v\n", err)
			}
		}
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// A folder moved elsewhere keeps its watches under the old names
		// on some systems; drop them so stale paths never trigger builds.
		prefix := ev.Name + string(filepath.Separator)
		for _, p := range w.fsw.WatchList() {
			if (p == ev.Name || strings.HasPrefix(p, prefix)) && w.parentOnly[p] == nil {
				_ = w.fsw.Remove(p)
				w.mu.Lock()
				delete(w.folders, p)
				w.mu.Unlock()
			}
		}
	}
	w.deb.Add(Change{Path: ev.Name, Op: ev.Op}, now)
}

// addTree watches dir and every folder below it; with report, it also
// records the files it finds as created.
func (w *Watcher) addTree(dir string, now time.Time, report bool) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			// Gone already (a temporary folder): nothing to watch.
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if p != dir && w.ignored(p) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if w.skipped(p) {
				return fs.SkipDir
			}
			if err := w.fsw.Add(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("cannot watch %s: %w", p, err)
			}
			w.mu.Lock()
			w.folders[p] = true
			w.mu.Unlock()
			return nil
		}
		if vimProbe(d.Name()) {
			return nil
		}
		if report {
			w.deb.Add(Change{Path: p, Op: fsnotify.Create}, now)
		}
		return nil
	})
}

func (w *Watcher) isRoot(p string) bool { return slices.Contains(w.roots, filepath.Clean(p)) }

// isFolder reports whether p is, or was until it was removed, a folder.
func (w *Watcher) isFolder(p string) bool {
	if fi, err := os.Lstat(p); err == nil {
		return fi.IsDir()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.folders[p]
}

func (w *Watcher) skipped(p string) bool {
	if len(w.skip) == 0 {
		return false
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return false
	}
	for _, s := range w.skip {
		if abs == s || strings.HasPrefix(abs, s+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func (w *Watcher) ignored(p string) bool {
	return IgnoredName(filepath.Base(p)) || w.skipped(p)
}

// IgnoredName reports whether a file or folder name is editor or system
// noise that never affects the site, so that saving a file rebuilds once
// for the file and not again for its swap file. The content loader skips
// the same hidden and backup names.
func IgnoredName(name string) bool {
	switch {
	case name == "":
		return false
	case strings.HasPrefix(name, "."): // .git, .DS_Store, vim's .x.swp, emacs' .#x lock
		return true
	case strings.HasSuffix(name, "~"): // vim and emacs backups
		return true
	case strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"): // emacs auto-save
		return true
	case name == "node_modules":
		return true
	}
	for _, suffix := range []string{
		".swp", ".swo", ".swx", ".swn", // vim swap files outside the file's folder
		".kate-swp",
		"___jb_tmp___", "___jb_old___", // JetBrains safe write
		".crswap", // browsers' File System Access API
	} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// vimProbe reports whether a name could be the file vim creates to test
// that it may write a folder: 4913 (then 5036, 5159, … if taken). Only
// files are probes; a folder named by digits (content/2024/) is content.
func vimProbe(name string) bool {
	for _, r := range name {
		if r < '0' || r > '9' {
			return false
		}
	}
	return name != ""
}
