package filecache

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// A packed cache (Options.Packed) appends what Put stores to one open
// temporary file per namespace, and Flush completes each as a pack file:
// creating a file costs far more than writing its bytes, and a cold build
// stored three files per page (its highlighted code, its Markdown result,
// its final HTML). Values go to the file as they come, so memory holds
// only the index. A pack is
//
//	packMagic, values, count × (key, offset, length, CRC-32C), count (uint32), packMagic
//
// read by its index alone when a namespace is first asked for, and then by
// entry (ReadAt), each checked against its checksum like a file entry (a
// CRC, which the CPU computes ten times faster than SHA-256: it detects a
// torn or damaged value as well, and neither stops a deliberate edit). A
// pack becomes visible by a rename like any entry, named by the hash of
// its index, and is evicted whole by Trim: a hit refreshes its time, so a
// pack lives while a build uses any of it.
const packMagic = "sbpack02"

const packIndexEntry = 32 + 8 + 8 + 4

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// packDir is a namespace's folder of packs.
func (c *Cache) packDir(ns string) string { return filepath.Join(c.dir, ns, "packs") }

// maxPacks is how many packs a namespace may hold before a Flush carries
// what its process read from them into the new pack and removes them:
// every later build reads each pack's index, so they must not pile up.
const maxPacks = 16

// packFile is one pack (or the one being written), open for reading while
// the Cache lives: removing it, as Trim may, does not stop an open file
// from being read.
type packFile struct {
	path    string
	f       *os.File
	touched bool
}

type packRef struct {
	pack *packFile
	off  int64
	n    int64
	sum  uint32
}

// pendingPack is the pack a namespace is writing.
type pendingPack struct {
	file  *packFile
	off   int64
	keys  []Key
	index map[Key]packRef
	err   error
}

// packState is a packed cache's memory: the packs being written, each
// namespace's loaded pack index, and the pack entries this process read
// (which a merging Flush carries forward).
type packState struct {
	mu      sync.Mutex
	pending map[string]*pendingPack
	index   map[string]map[Key]packRef
	packs   map[string][]*packFile
	used    map[string]map[Key]bool
}

func newPackState() *packState {
	return &packState{pending: map[string]*pendingPack{}, index: map[string]map[Key]packRef{},
		packs: map[string][]*packFile{}, used: map[string]map[Key]bool{}}
}

// putPending appends val to the namespace's pack in the making; p.mu is
// held.
func (c *Cache) putPending(ns string, k Key, val []byte) error {
	p := c.pack
	pp := p.pending[ns]
	if pp == nil {
		pp = &pendingPack{index: map[Key]packRef{}}
		p.pending[ns] = pp
		dir := c.packDir(ns)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			pp.err = err
			return err
		}
		f, err := os.CreateTemp(dir, ".tmp-*")
		if err != nil {
			pp.err = err
			return err
		}
		pp.file = &packFile{path: f.Name(), f: f}
		if _, err := f.Write([]byte(packMagic)); err != nil {
			pp.err = err
			return err
		}
		pp.off = int64(len(packMagic))
	}
	if pp.err != nil {
		return pp.err
	}
	if _, ok := pp.index[k]; ok {
		return nil
	}
	if _, err := pp.file.f.Write(val); err != nil {
		pp.err = err
		return err
	}
	pp.index[k] = packRef{pack: pp.file, off: pp.off, n: int64(len(val)), sum: checksum(val)}
	pp.keys = append(pp.keys, k)
	pp.off += int64(len(val))
	return nil
}

// getPacked looks k up in the packs being written and the namespace's
// packs.
func (c *Cache) getPacked(ns string, k Key) ([]byte, bool) {
	p := c.pack
	p.mu.Lock()
	ref, ok := packRef{}, false
	if pp := p.pending[ns]; pp != nil {
		ref, ok = pp.index[k]
	}
	if !ok {
		idx, loaded := p.index[ns]
		if !loaded {
			idx = c.loadPacks(ns)
		}
		ref, ok = idx[k]
	}
	p.mu.Unlock()
	if !ok {
		return nil, false
	}
	val := make([]byte, ref.n)
	if _, err := ref.pack.f.ReadAt(val, ref.off); err != nil || checksum(val) != ref.sum {
		p.mu.Lock()
		delete(p.index[ns], k) // damaged: a miss now and for the rest of the process
		p.mu.Unlock()
		return nil, false
	}
	p.mu.Lock()
	if p.used[ns] == nil {
		p.used[ns] = map[Key]bool{}
	}
	p.used[ns][k] = true
	touch := !ref.pack.touched
	ref.pack.touched = true
	p.mu.Unlock()
	if touch {
		if fi, err := ref.pack.f.Stat(); err == nil {
			if now := c.now(); now.Sub(fi.ModTime()) > touchAfter {
				os.Chtimes(ref.pack.path, now, now)
			}
		}
	}
	return val, true
}

// loadPacks reads the index of every pack of ns; p.mu is held. A pack
// whose index is damaged is removed.
func (c *Cache) loadPacks(ns string) map[Key]packRef {
	p := c.pack
	idx := map[Key]packRef{}
	p.index[ns] = idx
	entries, err := os.ReadDir(c.packDir(ns))
	if err != nil {
		return idx
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".pack") {
			continue
		}
		path := filepath.Join(c.packDir(ns), e.Name())
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		pf := &packFile{path: path, f: f}
		if err := readPackIndex(pf, idx); err != nil {
			f.Close()
			if errors.Is(err, errBadPack) {
				os.Remove(path)
			}
			continue
		}
		p.packs[ns] = append(p.packs[ns], pf)
	}
	return idx
}

var errBadPack = errors.New("damaged pack")

// readPackIndex adds the entries of pack pf to idx, or changes nothing.
func readPackIndex(pf *packFile, idx map[Key]packRef) error {
	fi, err := pf.f.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	tail := make([]byte, 4+len(packMagic))
	if size < int64(2*len(packMagic)+4) {
		return errBadPack
	}
	if _, err := pf.f.ReadAt(tail, size-int64(len(tail))); err != nil || string(tail[4:]) != packMagic {
		return errBadPack
	}
	n := int64(binary.LittleEndian.Uint32(tail))
	start := size - int64(len(tail)) - n*packIndexEntry
	if start < int64(len(packMagic)) {
		return errBadPack
	}
	raw := make([]byte, n*packIndexEntry)
	if _, err := pf.f.ReadAt(raw, start); err != nil {
		return errBadPack
	}
	refs := make(map[Key]packRef, n)
	for i := range n {
		e := raw[i*packIndexEntry:]
		var k Key
		copy(k[:], e[:32])
		r := packRef{pack: pf, off: int64(binary.LittleEndian.Uint64(e[32:])), n: int64(binary.LittleEndian.Uint64(e[40:]))}
		r.sum = binary.LittleEndian.Uint32(e[48:])
		if r.off < int64(len(packMagic)) || r.n < 0 || r.off+r.n > start {
			return errBadPack
		}
		refs[k] = r
	}
	for k, r := range refs {
		idx[k] = r
	}
	return nil
}

// Flush completes the packs written since the last Flush, one per
// namespace. Trim calls it; a packed cache's entries are visible to other
// processes only then. When a namespace already holds maxPacks packs, the
// new pack also takes every entry this process read from them, and they
// are removed.
func (c *Cache) Flush() error {
	if c == nil || c.pack == nil {
		return nil
	}
	p := c.pack
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, ns := range slices.Sorted(mapsKeys(p.pending)) {
		pp := p.pending[ns]
		if _, loaded := p.index[ns]; !loaded {
			c.loadPacks(ns)
		}
		merge := len(p.packs[ns]) >= maxPacks
		if merge && pp.err == nil {
			for _, k := range slices.SortedFunc(mapsKeys(p.used[ns]), compareKeys) {
				r, ok := p.index[ns][k]
				if !ok {
					continue
				}
				v := make([]byte, r.n)
				if _, err := r.pack.f.ReadAt(v, r.off); err == nil && checksum(v) == r.sum {
					c.putPending(ns, k, v) // into pp
				}
			}
		}
		delete(p.pending, ns)
		path, err := finishPack(pp, c.packDir(ns))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c.written.Add(pp.off)
		if merge {
			for _, old := range p.packs[ns] {
				os.Remove(old.path)
			}
			p.packs[ns] = nil
			p.index[ns] = map[Key]packRef{}
		}
		pp.file.path = path
		pp.file.touched = true
		p.packs[ns] = append(p.packs[ns], pp.file)
		for k, r := range pp.index {
			p.index[ns][k] = r
		}
	}
	return errors.Join(errs...)
}

// finishPack writes pp's index and gives the pack its name, leaving its
// file open for reading. A pack that failed is removed.
func finishPack(pp *pendingPack, dir string) (string, error) {
	fail := func(err error) (string, error) {
		if pp.file != nil {
			pp.file.f.Close()
			os.Remove(pp.file.path)
		}
		return "", err
	}
	if pp.err != nil {
		return fail(pp.err)
	}
	// Sorted, so that the same entries give the same index and name.
	keys := slices.SortedFunc(slices.Values(pp.keys), compareKeys)
	buf := make([]byte, 0, len(keys)*packIndexEntry+4+len(packMagic))
	for _, k := range keys {
		r := pp.index[k]
		buf = append(buf, k[:]...)
		buf = binary.LittleEndian.AppendUint64(buf, uint64(r.off))
		buf = binary.LittleEndian.AppendUint64(buf, uint64(r.n))
		buf = binary.LittleEndian.AppendUint32(buf, r.sum)
	}
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(keys)))
	buf = append(buf, packMagic...)
	if _, err := pp.file.f.Write(buf); err != nil {
		return fail(err)
	}
	pp.off += int64(len(buf))
	path := filepath.Join(dir, KeyOf(string(buf)).String()[:32]+".pack")
	if err := os.Rename(pp.file.path, path); err != nil {
		return fail(err)
	}
	return path, nil
}

func compareKeys(a, b Key) int {
	for i := range a {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return 0
}

func mapsKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
