// Package filecache is the one on-disk cache every stage of a build shares:
// highlighted code, diagrams, rendered pages and the compiled calculator
// engine.
//
// Entries are files named by a key (a hash of everything the value was
// made from) in a folder per namespace. Each file carries a checksum of its
// contents, so a torn or tampered entry is detected, deleted and rebuilt,
// never used. Writes go through a uniquely named temporary file and a
// rename, so concurrent builds never see half an entry and never collide on
// a name. The cache is bounded: when the bytes written push it past its
// limit, the least recently used entries are removed under a lock that
// concurrent builds share.
//
// The cache only ever saves time. Every failure to read or write it is a
// miss, never an error for the build.
package filecache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Key names an entry: the SHA-256 of whatever decides its value.
type Key [32]byte

// KeyOf hashes parts into a key. Each part is length-prefixed, so ("ab",
// "c") and ("a", "bc") differ.
func KeyOf(parts ...string) Key {
	h := sha256.New()
	for _, p := range parts {
		io.WriteString(h, strconv.Itoa(len(p)))
		io.WriteString(h, ":")
		io.WriteString(h, p)
	}
	var k Key
	h.Sum(k[:0])
	return k
}

// String is the key in hex, as used in file names.
func (k Key) String() string { return hex.EncodeToString(k[:]) }

// Options configure a cache.
type Options struct {
	// MaxBytes bounds the cache's size on disk; zero means 1 GB.
	MaxBytes int64
	// Now is the clock used for recency; nil means time.Now. Tests inject
	// one.
	Now func() time.Time
	// Packed keeps what Put stores in memory until Flush (or Trim) writes
	// it as one pack file per namespace (see pack.go), for a process that
	// stores thousands of entries in one go, such as a build. Entries
	// written either way are read either way.
	Packed bool
}

// Cache is a folder of entries. A nil *Cache, or one opened on "", is a
// cache that never hits and stores nothing. It is safe for concurrent use.
type Cache struct {
	dir     string
	max     int64
	now     func() time.Time
	written atomic.Int64
	mu      sync.Mutex
	// touched remembers entries whose time was refreshed in this process.
	touched map[string]bool
	// pack is the state of a packed cache; nil for one file per entry.
	pack *packState
}

// header starts every entry: a format tag, then the SHA-256 of the value.
const header = "sbcache1"

const headerLen = len(header) + sha256.Size

// touchAfter is how stale an entry's time may be before a hit refreshes
// it: recency only needs to be rough, and a write per hit is not free.
const touchAfter = time.Hour

// Open returns the cache in dir. dir is created on the first write.
func Open(dir string, opts Options) *Cache {
	if dir == "" {
		return nil
	}
	c := &Cache{dir: dir, max: opts.MaxBytes, now: opts.Now, touched: map[string]bool{}}
	if c.max <= 0 {
		c.max = 1 << 30
	}
	if c.now == nil {
		c.now = time.Now
	}
	if opts.Packed {
		c.pack = newPackState()
	}
	return c
}

// Dir is the cache's folder ("" for no cache).
func (c *Cache) Dir() string {
	if c == nil {
		return ""
	}
	return c.dir
}

func (c *Cache) path(ns string, k Key) string {
	s := k.String()
	return filepath.Join(c.dir, ns, s[:2], s)
}

// Get returns the value stored under ns and k, or false. An entry that
// fails its checksum is removed and reported as a miss.
func (c *Cache) Get(ns string, k Key) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	if c.pack != nil {
		if v, ok := c.getPacked(ns, k); ok {
			return v, true
		}
	}
	p := c.path(ns, k)
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() < int64(headerLen) {
		os.Remove(p)
		return nil, false
	}
	data := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, false
	}
	if string(data[:len(header)]) != header {
		os.Remove(p)
		return nil, false
	}
	val := data[headerLen:]
	if sum := sha256.Sum256(val); !bytes.Equal(sum[:], data[len(header):headerLen]) {
		os.Remove(p)
		return nil, false
	}
	if now := c.now(); now.Sub(fi.ModTime()) > touchAfter {
		c.mu.Lock()
		first := !c.touched[p]
		c.touched[p] = true
		c.mu.Unlock()
		if first {
			os.Chtimes(p, now, now)
		}
	}
	return val, true
}

// Put stores val under ns and k. Failures are returned for tests and
// logging; callers may ignore them.
func (c *Cache) Put(ns string, k Key, val []byte) error {
	if c == nil {
		return nil
	}
	if c.pack != nil {
		c.pack.mu.Lock()
		defer c.pack.mu.Unlock()
		return c.putPending(ns, k, val)
	}
	p := c.path(ns, k)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	sum := sha256.Sum256(val)
	buf := make([]byte, 0, headerLen+len(val))
	buf = append(append(append(buf, header...), sum[:]...), val...)
	_, werr := tmp.Write(buf)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	c.written.Add(int64(len(buf)))
	return nil
}

// usageFile records the cache's approximate size, so that keeping it
// bounded costs a walk of the folder only when it may be over its limit.
const usageFile = "usage"

// Trim keeps the cache within its limit: it adds what this process wrote
// to the recorded size and, when that passes the limit, removes the least
// recently used entries until the cache is at 80% of it. Concurrent builds
// take turns through a lock; a build that cannot get it skips trimming
// (the next one will). A packed cache's pending entries are flushed first.
func (c *Cache) Trim() error {
	if c == nil {
		return nil
	}
	flushErr := c.Flush()
	if c.written.Load() == 0 {
		return flushErr
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	unlock, ok := lock(filepath.Join(c.dir, "lock"))
	if !ok {
		return nil
	}
	defer unlock()
	usage := filepath.Join(c.dir, usageFile)
	size := int64(0)
	if b, err := os.ReadFile(usage); err == nil {
		size, _ = strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
	}
	size += c.written.Swap(0)
	if size > c.max {
		var err error
		if size, err = c.evict(c.max * 8 / 10); err != nil {
			return err
		}
	}
	return writeAtomic(usage, []byte(strconv.FormatInt(size, 10)+"\n"))
}

// evict removes the oldest entries until the cache holds at most target
// bytes, and returns the size it holds then.
func (c *Cache) evict(target int64) (int64, error) {
	type entry struct {
		path string
		size int64
		mod  time.Time
	}
	var all []entry
	var total int64
	err := filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		switch d.Name() {
		case usageFile, "lock":
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".tmp-") && c.now().Sub(fi.ModTime()) < time.Minute {
			return nil // another build is writing it
		}
		all = append(all, entry{p, fi.Size(), fi.ModTime()})
		total += fi.Size()
		return nil
	})
	if err != nil {
		return total, err
	}
	slices.SortFunc(all, func(a, b entry) int {
		if c := a.mod.Compare(b.mod); c != 0 {
			return c
		}
		return cmpString(a.path, b.path)
	})
	for _, e := range all {
		if total <= target {
			break
		}
		if os.Remove(e.path) == nil {
			total -= e.size
		}
	}
	return total, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// writeAtomic replaces a small file through a uniquely named temporary.
func writeAtomic(p string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	if err := errors.Join(werr, tmp.Close()); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), p)
}
