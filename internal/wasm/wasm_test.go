package wasm

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"github.com/scalebook/scalebook/internal/filecache"
)

func TestSourceKeyFollowsSources(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module x\n")
	write("calc/a.go", "package calc\n")
	k1, err := sourceKey(dir, "go1.26")
	if err != nil {
		t.Fatal(err)
	}
	write("calc/a_test.go", "package calc // tests do not ship\n")
	write("calc/testdata/x.go", "not go\n")
	if k, _ := sourceKey(dir, "go1.26"); k != k1 {
		t.Error("tests or testdata changed the key")
	}
	write("calc/a.go", "package calc\n\nconst X = 1\n")
	k2, _ := sourceKey(dir, "go1.26")
	if k2 == k1 {
		t.Error("a source edit kept the key")
	}
	if k, _ := sourceKey(dir, "go1.27"); k == k2 {
		t.Error("a toolchain change kept the key")
	}
	write("go.sum", "x v1 h1:abc\n")
	if k, _ := sourceKey(dir, "go1.26"); k == k2 {
		t.Error("a go.sum change kept the key")
	}
}

// TestBuildAndCache compiles the real engine once, then expects the cache.
func TestBuildAndCache(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: compiling to WebAssembly takes seconds")
	}
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	cacheDir := t.TempDir()
	cache := filecache.Open(cacheDir, filecache.Options{})
	m, err := Build(Options{ModuleDir: root, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if m.Cached || !bytes.HasPrefix(m.WASM, []byte("\x00asm")) || !bytes.Contains(m.Exec, []byte("globalThis.Go")) {
		t.Fatalf("first build: cached=%v, wasm header %q, exec has Go class: %v", m.Cached, m.WASM[:4], bytes.Contains(m.Exec, []byte("globalThis.Go")))
	}
	again, err := Build(Options{ModuleDir: root, Cache: cache})
	if err != nil || !again.Cached || !bytes.Equal(again.WASM, m.WASM) {
		t.Errorf("second build: cached=%v err=%v same=%v", again.Cached, err, bytes.Equal(again.WASM, m.WASM))
	}
	// A truncated engine in the cache is never shipped: it is compiled again.
	entries, _ := filepath.Glob(filepath.Join(cacheDir, "wasm", "*", "*"))
	if len(entries) != 1 {
		t.Fatalf("cache holds %v, want one engine", entries)
	}
	data, _ := os.ReadFile(entries[0])
	os.WriteFile(entries[0], data[:len(data)/2], 0o644)
	third, err := Build(Options{ModuleDir: root, Cache: cache})
	if err != nil || third.Cached || !bytes.Equal(third.WASM, m.WASM) {
		t.Errorf("after truncating the cached engine: cached=%v err=%v same=%v", third.Cached, err, bytes.Equal(third.WASM, m.WASM))
	}
	// The page pays for every byte, so the engine has a budget: about what
	// an empty Go program costs (1.80 MB, 540 KB gzipped) plus 550 KB for
	// syscall/js and calc itself. It was 2.2 MB until calc 2 needed room
	// (ranges, sensitivity, shared sheets); grow it only with a measurement.
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(m.WASM)
	zw.Close()
	t.Logf("engine: %d bytes, %d gzipped", len(m.WASM), gz.Len())
	if len(m.WASM) > 2_350_000 || gz.Len() > 700_000 {
		t.Errorf("the engine is %d bytes (%d gzipped); the budget is 2,350,000 (700,000)", len(m.WASM), gz.Len())
	}
}

func TestBuildNeedsSources(t *testing.T) {
	if _, err := Build(Options{ModuleDir: t.TempDir()}); err == nil {
		t.Error("a folder without calc/wasm built")
	}
}
