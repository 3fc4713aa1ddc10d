// Package wasm compiles the calculator engine to WebAssembly with the local
// Go toolchain and caches the result, so that a content-only build never
// recompiles it.
//
// The source is the copy of calc embedded in the scalebook binary
// (scalebook.Engine), written to a temporary module and built there: the
// engine in the browser is then always the code that printed the page's
// figures, wherever scalebook runs and whatever folder it runs in.
package wasm

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/scalebook/scalebook/internal/filecache"
)

// Options locate the sources and the cache.
type Options struct {
	// Source is the engine's source tree, rooted at its module root:
	// go.mod, calc/, calc/wasm/ and the packages calc imports.
	Source fs.FS
	// Cache keeps compiled modules by source hash; nil disables it.
	Cache *filecache.Cache
	// Go is the go command; default "go" from PATH.
	Go string
}

// Module is a compiled engine and the JavaScript support file that runs it.
type Module struct {
	WASM []byte
	// Exec is $(go env GOROOT)/lib/wasm/wasm_exec.js of the same toolchain:
	// the two must match, or the module fails to start.
	Exec []byte
	// Cached reports that nothing was compiled.
	Cached bool
}

// Package is the WASM entry point, relative to the module root.
const Package = "./calc/wasm"

// cacheNS is the engine's namespace in the build cache.
const cacheNS = "wasm"

var wasmMagic = []byte("\x00asm")

// Build compiles calc/wasm once, or returns the cached module for the same
// sources and toolchain.
func Build(o Options) (*Module, error) { return NewCompiler(o).Build() }

// Compiler builds the engine again and again, as the dev server does,
// asking the toolchain for its root and version only once: `go env` costs
// tens of milliseconds that a rebuild should not pay, and the answer does
// not change while the program runs.
type Compiler struct {
	o               Options
	goroot, version string
	// last is the module the last Build returned and lastKey its sources'
	// key: a dev server rebuilds on every save, and reading and checking
	// 2 MB from the cache each time was a fifth of a one-page rebuild.
	last    *Module
	lastKey filecache.Key
}

// NewCompiler returns a Compiler for o.
func NewCompiler(o Options) *Compiler {
	if o.Go == "" {
		o.Go = "go"
	}
	return &Compiler{o: o}
}

// Build compiles calc/wasm, or returns the cached module for the same
// sources and toolchain. It is not safe for concurrent use.
func (c *Compiler) Build() (*Module, error) {
	o := c.o
	if o.Source == nil {
		return nil, errors.New("no source for the calculator engine")
	}
	files, err := sourceFiles(o.Source)
	if err != nil {
		return nil, err
	}
	if c.version == "" {
		if c.goroot, c.version, err = toolchain(o.Go); err != nil {
			return nil, err
		}
	}
	goroot, version := c.goroot, c.version
	execJS, err := os.ReadFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		// Go before 1.24 kept it in misc/wasm.
		if execJS, err = os.ReadFile(filepath.Join(goroot, "misc", "wasm", "wasm_exec.js")); err != nil {
			return nil, errors.New("cannot find wasm_exec.js in " + goroot + ": " + err.Error())
		}
	}
	key := sourceKey(files, version)
	if c.last != nil && key == c.lastKey {
		return c.last, nil
	}
	// The cache checks each entry's checksum, and a module must also start
	// with WebAssembly's magic number: a damaged engine is never shipped.
	if data, ok := o.Cache.Get(cacheNS, key); ok && bytes.HasPrefix(data, wasmMagic) {
		c.last, c.lastKey = &Module{WASM: data, Exec: execJS, Cached: true}, key
		return c.last, nil
	}
	tmp, err := os.MkdirTemp("", "scalebook-wasm-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	for _, f := range files {
		p := filepath.Join(tmp, "src", filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return nil, err
		}
	}
	out := filepath.Join(tmp, "calc.wasm")
	cmd := exec.Command(o.Go, "build", "-trimpath", "-ldflags=-s -w", "-o", out, Package)
	cmd.Dir = filepath.Join(tmp, "src")
	// The temporary module stands alone: no workspace of the user's, and
	// no dependencies to download (the engine uses the standard library).
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0", "GOWORK=off", "GOFLAGS=-mod=mod")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, errors.New("compiling the calculator engine to WebAssembly failed:\n" + strings.TrimSpace(stderr.String()))
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, wasmMagic) {
		return nil, errors.New("the Go toolchain wrote " + out + ", which is not WebAssembly")
	}
	o.Cache.Put(cacheNS, key, data)
	c.last, c.lastKey = &Module{WASM: data, Exec: execJS}, key
	return c.last, nil
}

// file is one source file of the engine.
type file struct {
	name string
	data []byte
}

// sourceFiles lists the engine's files to compile: its Go files without
// tests, and a go.mod that names the module and the Go version and
// nothing else.
func sourceFiles(src fs.FS) ([]file, error) {
	var files []file
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		data, err := fs.ReadFile(src, p)
		files = append(files, file{p, data})
		return err
	})
	if err != nil {
		return nil, err
	}
	mod, err := fs.ReadFile(src, "go.mod")
	if err != nil {
		return nil, errors.New("the engine's source has no go.mod: " + err.Error())
	}
	var module, goLine string
	for line := range strings.Lines(string(mod)) {
		f := strings.Fields(line)
		if len(f) == 2 && f[0] == "module" {
			module = f[1]
		}
		if len(f) == 2 && f[0] == "go" {
			goLine = line
		}
	}
	if module == "" {
		return nil, errors.New("the engine's go.mod names no module")
	}
	files = append(files, file{"go.mod", []byte("module " + module + "\n\n" + goLine)})
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files, nil
}

// toolchain asks the go command for its root and version.
func toolchain(goCmd string) (goroot, version string, err error) {
	env, err := exec.Command(goCmd, "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		return "", "", errors.New("calculators are compiled with the Go toolchain, and `go env` failed: " + err.Error())
	}
	lines := strings.Fields(string(env))
	if len(lines) < 2 {
		return "", "", errors.New("unexpected `go env` output: " + string(env))
	}
	return lines[0], lines[1], nil
}

// sourceKey hashes everything the module is built from: the source files
// and the toolchain version.
func sourceKey(files []file, version string) filecache.Key {
	parts := []string{version}
	for _, f := range files {
		parts = append(parts, f.name, string(f.data))
	}
	return filecache.KeyOf(parts...)
}
