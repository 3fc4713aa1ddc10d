package wasm

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/scalebook/scalebook"

	"github.com/scalebook/scalebook/internal/filecache"
)

func TestSourceKeyFollowsSources(t *testing.T) {
	src := fstest.MapFS{
		"go.mod":    {Data: []byte("module x\n\ngo 1.26\n\nrequire y v1.0.0\n")},
		"calc/a.go": {Data: []byte("package calc\n")},
	}
	key := func(version string) filecache.Key {
		t.Helper()
		files, err := sourceFiles(src)
		if err != nil {
			t.Fatal(err)
		}
		return sourceKey(files, version)
	}
	k1 := key("go1.26")
	src["calc/a_test.go"] = &fstest.MapFile{Data: []byte("package calc // tests do not ship\n")}
	src["calc/notes.txt"] = &fstest.MapFile{Data: []byte("not go\n")}
	if key("go1.26") != k1 {
		t.Error("tests or other files changed the key")
	}
	src["go.mod"] = &fstest.MapFile{Data: []byte("module x\n\ngo 1.26\n\nrequire y v1.0.1\n")}
	if key("go1.26") != k1 {
		t.Error("a requirement the engine does not use changed the key")
	}
	src["calc/a.go"] = &fstest.MapFile{Data: []byte("package calc\n\nconst X = 1\n")}
	k2 := key("go1.26")
	if k2 == k1 {
		t.Error("a source edit kept the key")
	}
	if key("go1.27") == k2 {
		t.Error("a toolchain change kept the key")
	}
	files, _ := sourceFiles(src)
	if len(files) != 2 || files[0].name != "calc/a.go" || string(files[1].data) != "module x\n\ngo 1.26\n" {
		t.Errorf("files = %+v", files)
	}
}

// TestBuildAndCache compiles the real engine once, then expects the cache.
func TestBuildAndCache(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: compiling to WebAssembly takes seconds")
	}
	cacheDir := t.TempDir()
	cache := filecache.Open(cacheDir, filecache.Options{})
	m, err := Build(Options{Source: scalebook.Engine, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if m.Cached || !bytes.HasPrefix(m.WASM, []byte("\x00asm")) || !bytes.Contains(m.Exec, []byte("globalThis.Go")) {
		t.Fatalf("first build: cached=%v, wasm header %q, exec has Go class: %v", m.Cached, m.WASM[:4], bytes.Contains(m.Exec, []byte("globalThis.Go")))
	}
	again, err := Build(Options{Source: scalebook.Engine, Cache: cache})
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
	third, err := Build(Options{Source: scalebook.Engine, Cache: cache})
	if err != nil || third.Cached || !bytes.Equal(third.WASM, m.WASM) {
		t.Errorf("after truncating the cached engine: cached=%v err=%v same=%v", third.Cached, err, bytes.Equal(third.WASM, m.WASM))
	}
	// The page pays for every byte, so the engine has a budget: about what
	// an empty Go program costs (1.80 MB, 540 KB gzipped) plus 550 KB for
	// syscall/js and calc itself. It was 2.2 MB until calc 2 needed room
	// (ranges, sensitivity, shared sheets); grow it only with a measurement
	// (make wasm-size shows where the bytes go).
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
	if _, err := Build(Options{}); err == nil {
		t.Error("no source built")
	}
	if _, err := Build(Options{Source: fstest.MapFS{"calc/a.go": {Data: []byte("package calc\n")}}}); err == nil || !strings.Contains(err.Error(), "go.mod") {
		t.Errorf("a source without go.mod: %v", err)
	}
	// A source whose engine does not compile says so, with the compiler's
	// message.
	bad := fstest.MapFS{
		"go.mod":         {Data: []byte("module example.com/x\n\ngo 1.26\n")},
		"calc/wasm/m.go": {Data: []byte("package main\n\nfunc main() { undefined() }\n")},
	}
	if _, err := Build(Options{Source: bad}); err == nil || !strings.Contains(err.Error(), "undefined") {
		t.Errorf("a broken engine: %v", err)
	}
}
