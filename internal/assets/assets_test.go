package assets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scalebook/scalebook/internal/diag"
)

func theme(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "theme")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "pipeline", "testdata", "theme"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestBundle(t *testing.T) {
	var diags diag.List
	b := Build(Options{Theme: os.DirFS(theme(t)), ExtraCSS: []byte(".extra{color:red}")}, &diags)
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"main.js", "theme-init.js", "site.css"} {
		p := b.Paths[name]
		if !strings.HasPrefix(p, "assets/") || b.Files[p] == nil || b.Files[p+".map"] == nil {
			t.Errorf("%s: path %q, %d bytes, map present %v", name, p, len(b.Files[p]), b.Files[p+".map"] != nil)
		}
	}
	css := string(b.Files[b.Paths["site.css"]])
	if !strings.Contains(css, "font-family:system-ui") || !strings.Contains(css, ".extra{color:red}") {
		t.Errorf("site.css lacks the theme's imports or the extra CSS:\n%s", css)
	}
	// Same sources in another folder: same names (the hash ignores paths).
	b2 := Build(Options{Theme: os.DirFS(theme(t)), ExtraCSS: []byte(".extra{color:red}")}, &diags)
	for name, p := range b.Paths {
		if b2.Paths[name] != p {
			t.Errorf("%s: %s vs %s depends on where the theme is", name, p, b2.Paths[name])
		}
	}
	if m := string(b.Files[b.Paths["main.js"]+".map"]); !strings.Contains(m, `"theme:assets/js/main.js"`) {
		t.Errorf("the source map does not name theme paths:\n%.300s", m)
	}
}

func TestSyntaxErrorHasPosition(t *testing.T) {
	dir := theme(t)
	os.WriteFile(filepath.Join(dir, "assets", "js", "x.js"), []byte("export const x = ;\n"), 0o644)
	var diags diag.List
	Build(Options{Theme: os.DirFS(dir), Where: func(n string) string { return "theme/" + n }}, &diags)
	err := diags.Err()
	if err == nil || !strings.Contains(err.Error(), "theme/assets/js/x.js:1:18: Unexpected \";\"") {
		t.Errorf("got %v", err)
	}
}

func TestMissingImport(t *testing.T) {
	dir := theme(t)
	os.WriteFile(filepath.Join(dir, "assets", "js", "x.js"), []byte("import './gone.js';\n"), 0o644)
	var diags diag.List
	Build(Options{Theme: os.DirFS(dir), Where: func(n string) string { return "theme/" + n }}, &diags)
	if err := diags.Err(); err == nil || !strings.Contains(err.Error(), "theme/assets/js/x.js:1:") {
		t.Errorf("got %v", err)
	}
}
