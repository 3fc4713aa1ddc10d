// Package wasm compiles the calculator engine to WebAssembly with the local
// Go toolchain and caches the result, so that a content-only build never
// recompiles it.
package wasm

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/scalebook/scalebook/internal/filecache"
)

// Options locate the sources and the cache.
type Options struct {
	// ModuleDir is the root of the module that holds calc/ (where go.mod
	// is). Default: the current directory.
	ModuleDir string
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

// Build compiles calc/wasm, or returns the cached module for the same
// sources and toolchain.
func Build(o Options) (*Module, error) {
	if o.ModuleDir == "" {
		o.ModuleDir = "."
	}
	if o.Go == "" {
		o.Go = "go"
	}
	if _, err := os.Stat(filepath.Join(o.ModuleDir, "calc", "wasm")); err != nil {
		return nil, errors.New("calculators need the calc sources (calc/wasm) beside content/; run scalebook from the project root")
	}
	goroot, version, err := toolchain(o.Go)
	if err != nil {
		return nil, err
	}
	execJS, err := os.ReadFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		// Go before 1.24 kept it in misc/wasm.
		if execJS, err = os.ReadFile(filepath.Join(goroot, "misc", "wasm", "wasm_exec.js")); err != nil {
			return nil, errors.New("cannot find wasm_exec.js in " + goroot + ": " + err.Error())
		}
	}
	key, err := sourceKey(o.ModuleDir, version)
	if err != nil {
		return nil, err
	}
	// The cache checks each entry's checksum, and a module must also start
	// with WebAssembly's magic number: a damaged engine is never shipped.
	if data, ok := o.Cache.Get(cacheNS, key); ok && bytes.HasPrefix(data, wasmMagic) {
		return &Module{WASM: data, Exec: execJS, Cached: true}, nil
	}
	tmp, err := os.MkdirTemp("", "scalebook-wasm-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "calc.wasm")
	cmd := exec.Command(o.Go, "build", "-trimpath", "-ldflags=-s -w", "-o", out, Package)
	cmd.Dir = o.ModuleDir
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
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
	return &Module{WASM: data, Exec: execJS}, nil
}

// toolchains remembers `go env` answers: asking costs tens of milliseconds,
// which a dev-server rebuild should not pay, and the answer does not change
// while the process runs.
var toolchains sync.Map // go command → [2]string{GOROOT, GOVERSION}

func toolchain(goCmd string) (goroot, version string, err error) {
	if v, ok := toolchains.Load(goCmd); ok {
		tv := v.([2]string)
		return tv[0], tv[1], nil
	}
	env, err := exec.Command(goCmd, "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		return "", "", errors.New("calculators are compiled with the Go toolchain, and `go env` failed: " + err.Error())
	}
	lines := strings.Fields(string(env))
	if len(lines) < 2 {
		return "", "", errors.New("unexpected `go env` output: " + string(env))
	}
	toolchains.Store(goCmd, [2]string{lines[0], lines[1]})
	return lines[0], lines[1], nil
}

// sourceKey hashes everything the module is built from: the calc package's
// Go files (tests excluded), go.mod, go.sum and the toolchain version.
func sourceKey(root, version string) (filecache.Key, error) {
	h := sha256.New()
	h.Write([]byte(version + "\x00"))
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "calc"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return fs.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return filecache.Key{}, err
	}
	files = append(files, filepath.Join(root, "go.mod"), filepath.Join(root, "go.sum"))
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return filecache.Key{}, err
		}
		rel, _ := filepath.Rel(root, f)
		h.Write([]byte(filepath.ToSlash(rel) + "\x00"))
		h.Write(data)
		h.Write([]byte{0})
	}
	var k filecache.Key
	h.Sum(k[:0])
	return k, nil
}
