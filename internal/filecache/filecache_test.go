package filecache

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestGetPut(t *testing.T) {
	c := Open(t.TempDir(), Options{})
	k := KeyOf("a", "b")
	if _, ok := c.Get("ns", k); ok {
		t.Fatal("hit in an empty cache")
	}
	if err := c.Put("ns", k, []byte("value")); err != nil {
		t.Fatal(err)
	}
	if v, ok := c.Get("ns", k); !ok || string(v) != "value" {
		t.Fatalf("Get = %q, %v", v, ok)
	}
	if _, ok := c.Get("other", k); ok {
		t.Error("namespaces share entries")
	}
	if KeyOf("ab", "c") == KeyOf("a", "bc") {
		t.Error("KeyOf runs parts together")
	}
	var none *Cache
	if none.Put("ns", k, []byte("x")) != nil {
		t.Error("a nil cache failed to ignore a Put")
	}
	if _, ok := none.Get("ns", k); ok {
		t.Error("a nil cache hit")
	}
	if Open("", Options{}) != nil {
		t.Error(`Open("") is not the nil cache`)
	}
}

// TestCorruptEntriesMiss damages an entry every way a disk or a person
// can; each read must miss (and remove the entry), never return bad bytes.
func TestCorruptEntriesMiss(t *testing.T) {
	damage := map[string]func([]byte) []byte{
		"flipped byte":  func(b []byte) []byte { b[len(b)-1] ^= 0x55; return b },
		"truncated":     func(b []byte) []byte { return b[:len(b)-3] },
		"header only":   func(b []byte) []byte { return b[:headerLen] },
		"short":         func(b []byte) []byte { return b[:5] },
		"empty":         func(b []byte) []byte { return nil },
		"other format":  func(b []byte) []byte { return append([]byte("sbcache9"), b[len(header):]...) },
		"appended":      func(b []byte) []byte { return append(b, "junk"...) },
		"random header": func(b []byte) []byte { copy(b[len(header):], bytes.Repeat([]byte{7}, 32)); return b },
	}
	for name, f := range damage {
		t.Run(name, func(t *testing.T) {
			c := Open(t.TempDir(), Options{})
			k := KeyOf(name)
			c.Put("ns", k, []byte("the real value, long enough to cut"))
			p := c.path("ns", k)
			data, _ := os.ReadFile(p)
			os.WriteFile(p, f(data), 0o644)
			if v, ok := c.Get("ns", k); ok {
				t.Fatalf("a damaged entry was used: %q", v)
			}
			if _, err := os.Stat(p); err == nil {
				t.Error("the damaged entry is still there")
			}
		})
	}
}

// TestConcurrentPuts: many writers of the same and different keys never
// leave a torn entry or a temporary file behind.
func TestConcurrentPuts(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := Open(dir, Options{}) // as separate builds would
			for i := range 50 {
				val := bytes.Repeat([]byte(strconv.Itoa(i%5)), 1000+i%5)
				c.Put("ns", KeyOf(strconv.Itoa(i%5)), val)
				c.Put("ns", KeyOf("w", strconv.Itoa(w), strconv.Itoa(i)), val)
			}
			c.Trim()
		}()
	}
	wg.Wait()
	c := Open(dir, Options{})
	for i := range 5 {
		v, ok := c.Get("ns", KeyOf(strconv.Itoa(i)))
		if !ok || !bytes.Equal(v, bytes.Repeat([]byte(strconv.Itoa(i)), 1000+i)) {
			t.Errorf("entry %d: ok=%v len=%d", i, ok, len(v))
		}
	}
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && filepath.Base(p)[0] == '.' {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

// TestTrimEvictsLeastRecentlyUsed: over the limit, the entries not read
// for longest go first, and the cache ends within its limit.
func TestTrimEvictsLeastRecentlyUsed(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	val := bytes.Repeat([]byte("x"), 1000)
	c := Open(dir, Options{MaxBytes: int64(10 * (1000 + headerLen)), Now: clock})
	for i := range 10 {
		k := KeyOf(strconv.Itoa(i))
		c.Put("ns", k, val)
		at := now.Add(time.Duration(i-100) * time.Hour) // entry 0 is oldest
		os.Chtimes(c.path("ns", k), at, at)
	}
	if err := c.Trim(); err != nil {
		t.Fatal(err)
	}
	exists := func(i int) bool {
		_, err := os.Stat(c.path("ns", KeyOf(strconv.Itoa(i))))
		return err == nil
	}
	for i := range 10 {
		if !exists(i) {
			t.Fatalf("entry %d evicted while the cache was within its limit", i)
		}
	}
	// Reading entry 0 makes it the most recent; three more entries push
	// the cache over and trimming takes it back to 80%.
	c = Open(dir, Options{MaxBytes: int64(10 * (1000 + headerLen)), Now: clock})
	c.Get("ns", KeyOf("0"))
	for i := 10; i < 13; i++ {
		c.Put("ns", KeyOf(strconv.Itoa(i)), val)
	}
	if err := c.Trim(); err != nil {
		t.Fatal(err)
	}
	var kept []int
	for i := range 13 {
		if exists(i) {
			kept = append(kept, i)
		}
	}
	if len(kept) != 8 || kept[0] != 0 || kept[1] != 6 {
		t.Errorf("kept %v; want 8 entries: 0 (just read) and 6..12", kept)
	}
}
