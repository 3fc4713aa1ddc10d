package search_test

import (
	"path/filepath"
	"testing"

	"github.com/dop251/goja"
	"github.com/evanw/esbuild/pkg/api"
)

// jsCore bundles the theme's search-core.js (with the stemmer it imports)
// for goja, so that tests run the page script's own code: as "core" in
// the returned runtime.
func jsCore(t testing.TB) *goja.Runtime {
	t.Helper()
	res := api.Build(api.BuildOptions{
		EntryPoints: []string{filepath.Join("..", "..", "theme", "assets", "js", "search-core.js")},
		Bundle:      true,
		Format:      api.FormatIIFE,
		GlobalName:  "core",
		Target:      api.ES2017,
		Write:       false,
		LogLevel:    api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		t.Fatalf("bundle search-core.js: %v", res.Errors)
	}
	vm := goja.New()
	if _, err := vm.RunString(string(res.OutputFiles[0].Contents)); err != nil {
		t.Fatalf("run search-core.js: %v", err)
	}
	return vm
}

// call runs core.fn(args…) and exports the result.
func call(t testing.TB, vm *goja.Runtime, fn string, args ...any) any {
	t.Helper()
	f, ok := goja.AssertFunction(vm.Get("core").ToObject(vm).Get(fn))
	if !ok {
		t.Fatalf("core.%s is not a function", fn)
	}
	vals := make([]goja.Value, len(args))
	for i, a := range args {
		vals[i] = vm.ToValue(a)
	}
	v, err := f(goja.Undefined(), vals...)
	if err != nil {
		t.Fatalf("core.%s: %v", fn, err)
	}
	return v.Export()
}

func gojaFunc(_ *goja.Runtime, v goja.Value) (goja.Callable, bool) { return goja.AssertFunction(v) }
