package pipeline

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// snapshot is the content folder as the last good build read it: file
// contents and folder listings. The dev server tells the Builder which
// files its watcher saw change (Builder.Changed), and the next build reads
// only those, serving everything else from here; a build told nothing
// reads the whole folder, as a command-line build does. The trade-off is
// memory (the folder's text, a few megabytes for a large guide) and trust
// in the watcher, which is why a failed build, or a change outside the
// folder, drops the snapshot.
type snapshot struct {
	base  fs.FS
	mu    sync.Mutex
	files map[string][]byte
	dirs  map[string][]fs.DirEntry
	reads int // files read from disk since the snapshot was made or reused
}

func newSnapshot(dir string) *snapshot {
	return &snapshot{base: os.DirFS(dir), files: map[string][]byte{}, dirs: map[string][]fs.DirEntry{}}
}

// forget drops what changed: the file or folder at rel, everything below
// it, and the listing of the folder holding it (a file may have come or
// gone).
func (s *snapshot) forget(rel string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.files, rel)
	delete(s.dirs, rel)
	delete(s.dirs, path.Dir(rel))
	prefix := rel + "/"
	for k := range s.files {
		if strings.HasPrefix(k, prefix) {
			delete(s.files, k)
		}
	}
	for k := range s.dirs {
		if strings.HasPrefix(k, prefix) {
			delete(s.dirs, k)
		}
	}
}

// Open serves what a walk needs beyond ReadDir and ReadFile (a Stat of the
// root) from the folder itself.
func (s *snapshot) Open(name string) (fs.File, error) { return s.base.Open(name) }

// ReadFile implements fs.ReadFileFS. The bytes returned are shared; the
// build never writes to what it reads.
func (s *snapshot) ReadFile(name string) ([]byte, error) {
	s.mu.Lock()
	data, ok := s.files[name]
	s.mu.Unlock()
	if ok {
		return data, nil
	}
	data, err := fs.ReadFile(s.base, name)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.files[name] = data
	s.reads++
	s.mu.Unlock()
	return data, nil
}

// ReadDir implements fs.ReadDirFS.
func (s *snapshot) ReadDir(name string) ([]fs.DirEntry, error) {
	s.mu.Lock()
	list, ok := s.dirs[name]
	s.mu.Unlock()
	if ok {
		return list, nil
	}
	list, err := fs.ReadDir(s.base, name)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.dirs[name] = list
	s.mu.Unlock()
	return list, nil
}

// relTo returns p relative to the folder dir, slash-separated, and whether
// p is inside it (dir itself is not: a change to the folder as a whole is
// not one the snapshot can take in).
func relTo(dir, p string) (string, bool) {
	ad, err1 := filepath.Abs(dir)
	ap, err2 := filepath.Abs(p)
	if err1 != nil || err2 != nil {
		return "", false
	}
	rel, err := filepath.Rel(ad, ap)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}
