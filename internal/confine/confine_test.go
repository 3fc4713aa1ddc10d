package confine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scalebook/scalebook/internal/diag"
)

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "content")
	outside := filepath.Join(dir, "secret.txt")
	os.MkdirAll(filepath.Join(root, "sub"), 0o755)
	os.MkdirAll(filepath.Join(root, "public"), 0o755)
	os.WriteFile(outside, []byte("secret"), 0o644)
	os.WriteFile(filepath.Join(root, "a.md"), []byte("# A"), 0o644)
	links := map[string]string{
		"passwd.txt":      outside,            // out by an absolute path
		"sub/up.md":       "../../secret.txt", // out by a relative path
		"alias.md":        "a.md",             // inside: fine
		"sub/folder":      "..",               // a folder
		"dangling.png":    "missing.png",      // nowhere
		"public/leak.txt": outside,            // in a skipped folder: not walked
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Skip("cannot make symbolic links here:", err)
		}
	}
	var d diag.List
	Check(root, "content", []string{filepath.Join(root, "public")}, &d)
	var got []string
	for _, x := range d.Sorted() {
		got = append(got, x.Error())
	}
	want := []string{
		"content/dangling.png: symbolic link to missing.png leads nowhere",
		"content/passwd.txt: symbolic link leads outside content",
		"content/sub/folder: symbolic link to a folder",
		"content/sub/up.md: symbolic link leads outside content",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s…", i, got[i], want[i])
		}
	}
}
