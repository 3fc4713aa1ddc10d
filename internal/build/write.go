package build

import (
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// Write puts the site into dir. It writes a sibling temporary folder and
// swaps it in only when every file is written, so dir always holds a
// complete build: the last good one if anything fails.
func (s *Site) Write(dir string) error {
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".new-")
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	names := make([]string, 0, len(s.Files))
	for name := range s.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	made := map[string]bool{}
	for _, name := range names {
		if d := filepath.Dir(filepath.Join(tmp, filepath.FromSlash(name))); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
	}
	// Thousands of small files: the time goes to system calls, which
	// overlap well even on two cores.
	var mu sync.Mutex
	var firstErr error
	parallelN(len(names), 8, func(i int) {
		name := names[i]
		if err := os.WriteFile(filepath.Join(tmp, filepath.FromSlash(name)), s.Files[name], 0o644); err != nil {
			mu.Lock()
			if firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
		}
	})
	if firstErr != nil {
		return firstErr
	}
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old, err = os.MkdirTemp(parent, "."+filepath.Base(dir)+".old-")
		if err != nil {
			return err
		}
		os.Remove(old)
		if err := os.Rename(dir, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir) // put the last good build back
		}
		return err
	}
	ok = true
	if old != "" {
		return removeTree(old)
	}
	return nil
}

// removeTree deletes the previous build, its top-level entries in parallel.
func removeTree(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return os.RemoveAll(dir)
	}
	parallelN(len(entries), 8, func(i int) { os.RemoveAll(filepath.Join(dir, entries[i].Name())) })
	return os.RemoveAll(dir)
}
