package highlight

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scalebook/scalebook/internal/filecache"
)

func TestCachePersists(t *testing.T) {
	dir := t.TempDir()
	h := New(filecache.Open(dir, filecache.Options{}))
	a := h.Highlight("go", "package a\n", Options{})
	h.Highlight("python", "print(1)\n", Options{LineNumbers: true})
	if h.Misses() != 2 {
		t.Fatalf("misses = %d, want 2", h.Misses())
	}
	h2 := New(filecache.Open(dir, filecache.Options{}))
	if got := h2.Highlight("go", "package a\n", Options{}); !bytes.Equal(got, a) {
		t.Error("cached output differs")
	}
	if h2.Misses() != 0 {
		t.Errorf("warm misses = %d, want 0", h2.Misses())
	}
	// Different options are a different entry.
	h2.Highlight("go", "package a\n", Options{LineNumbers: true})
	if h2.Misses() != 1 {
		t.Errorf("options not part of the key")
	}
}

// TestSweepForgetsUnused: memory holds what the last build used; the file
// cache still has the rest.
func TestSweepForgetsUnused(t *testing.T) {
	h := New(nil)
	h.Highlight("go", "package a\n", Options{})
	h.Sweep()
	h.Highlight("python", "x = 1\n", Options{})
	h.Sweep()
	h.Highlight("go", "package a\n", Options{})
	if h.Misses() != 3 {
		t.Errorf("misses = %d, want 3: the go block was swept from memory", h.Misses())
	}
	h.Highlight("python", "x = 1\n", Options{})
	if h.Misses() != 3 {
		t.Errorf("misses = %d, want 3: the python block was used in the last build", h.Misses())
	}
}

// TestCorruptCacheIsIgnored: a damaged entry is rendered again.
func TestCorruptCacheIsIgnored(t *testing.T) {
	dir := t.TempDir()
	c := filecache.Open(dir, filecache.Options{})
	c.Put(cacheNS, key("go", "x := 1\n", Options{}), []byte("stale"))
	entries, _ := filepath.Glob(filepath.Join(dir, cacheNS, "*", "*"))
	for _, e := range entries {
		data, _ := os.ReadFile(e)
		data[len(data)-1] ^= 1
		os.WriteFile(e, data, 0o644)
	}
	h := New(c)
	if out := h.Highlight("go", "x := 1\n", Options{}); !bytes.Contains(out, []byte("chroma")) {
		t.Errorf("no output from a fresh render: %s", out)
	}
}

func TestUnknownLanguageIsPlain(t *testing.T) {
	out := string(New(nil).Highlight("nosuch", "<b>&</b>\n", Options{Highlight: [][2]int{{1, 1}}}))
	if !strings.Contains(out, "&lt;b&gt;&amp;&lt;/b&gt;") || !strings.Contains(out, "hl") {
		t.Errorf("plain output = %s", out)
	}
}

func BenchmarkHighlightCold(b *testing.B) {
	code := strings.Repeat("func f(x int) int { return x * 2 }\n", 20)
	for i := 0; b.Loop(); i++ {
		render("go", code+string(rune('a'+i%26)), Options{})
	}
}

func BenchmarkHighlightCached(b *testing.B) {
	h := New(nil)
	code := strings.Repeat("func f(x int) int { return x * 2 }\n", 20)
	h.Highlight("go", code, Options{})
	for b.Loop() {
		h.Highlight("go", code, Options{})
	}
}
