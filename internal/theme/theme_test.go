package theme

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLayers(t *testing.T) {
	base := fstest.MapFS{
		"layouts/base.html":  {Data: []byte("base")},
		"layouts/page.html":  {Data: []byte("built-in page")},
		"assets/js/main.js":  {Data: []byte("main")},
		"static/favicon.svg": {Data: []byte("icon")},
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "layouts"), 0o755)
	os.WriteFile(filepath.Join(dir, "layouts", "page.html"), []byte("my page"), 0o644)
	os.MkdirAll(filepath.Join(dir, "static"), 0o755)
	os.WriteFile(filepath.Join(dir, "static", "extra.txt"), []byte("extra"), 0o644)
	th := New(dir, base)

	if data, _ := th.ReadFile("layouts/page.html"); string(data) != "my page" {
		t.Errorf("override: %q", data)
	}
	if data, _ := th.ReadFile("layouts/base.html"); string(data) != "base" {
		t.Errorf("fallback: %q", data)
	}
	if got := th.Where("layouts/page.html"); got != filepath.Join(dir, "layouts", "page.html") {
		t.Errorf("Where(override) = %s", got)
	}
	if got := th.Where("layouts/base.html"); got != BuiltIn+"/layouts/base.html" {
		t.Errorf("Where(built-in) = %s", got)
	}
	files, err := th.Files("")
	if err != nil {
		t.Fatal(err)
	}
	want := "assets/js/main.js layouts/base.html layouts/page.html static/extra.txt static/favicon.svg"
	if got := strings.Join(files, " "); got != want {
		t.Errorf("Files = %s\nwant %s", got, want)
	}
	if files, err := th.Files("nothing"); err != nil || len(files) != 0 {
		t.Errorf("a missing folder: %v %v", files, err)
	}
	// No author folder: the built-in theme alone.
	if data, _ := New("", base).ReadFile("layouts/page.html"); string(data) != "built-in page" {
		t.Errorf("built-in only: %q", data)
	}
}
