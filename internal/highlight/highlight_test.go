package highlight

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCachePersistsAndPrunes(t *testing.T) {
	dir := t.TempDir()
	h := New(dir)
	a := h.Highlight("go", "package a\n", Options{})
	h.Highlight("python", "print(1)\n", Options{LineNumbers: true})
	if h.Misses() != 2 {
		t.Fatalf("misses = %d, want 2", h.Misses())
	}
	if err := h.Save(); err != nil {
		t.Fatal(err)
	}
	h2 := New(dir)
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
	// Saving drops the entry h2 never used (python).
	if err := h2.Save(); err != nil {
		t.Fatal(err)
	}
	h3 := New(dir)
	h3.Highlight("python", "print(1)\n", Options{LineNumbers: true})
	if h3.Misses() != 1 {
		t.Error("unused entry survived Save")
	}
}

func TestCorruptCacheIsIgnored(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "highlight.cache"), []byte(cacheMagic+"garbage"), 0o644)
	h := New(dir)
	if out := h.Highlight("go", "x := 1\n", Options{}); !bytes.Contains(out, []byte("chroma")) {
		t.Errorf("no output from a fresh render: %s", out)
	}
}

func TestUnknownLanguageIsPlain(t *testing.T) {
	out := string(New("").Highlight("nosuch", "<b>&</b>\n", Options{Highlight: [][2]int{{1, 1}}}))
	if !strings.Contains(out, "&lt;b&gt;&amp;&lt;/b&gt;") || !strings.Contains(out, "hl") {
		t.Errorf("plain output = %s", out)
	}
}

func TestCSSScopesBothThemes(t *testing.T) {
	css, err := CSS("github", "github-dark")
	if err != nil {
		t.Fatal(err)
	}
	s := string(css)
	for _, want := range []string{":root .chroma .k {", `:root:not([data-theme="light"]) .chroma .k {`, `:root[data-theme="dark"] .chroma .k {`, "@media (prefers-color-scheme: dark)"} {
		if !strings.Contains(s, want) {
			t.Errorf("CSS lacks %s", want)
		}
	}
	if _, err := CSS("nosuchstyle", "github-dark"); err == nil {
		t.Error("unknown style accepted")
	}
}

func BenchmarkHighlightCold(b *testing.B) {
	code := strings.Repeat("func f(x int) int { return x * 2 }\n", 20)
	for i := 0; b.Loop(); i++ {
		render("go", code+string(rune('a'+i%26)), Options{})
	}
}

func BenchmarkHighlightCached(b *testing.B) {
	h := New("")
	code := strings.Repeat("func f(x int) int { return x * 2 }\n", 20)
	h.Highlight("go", code, Options{})
	for b.Loop() {
		h.Highlight("go", code, Options{})
	}
}
