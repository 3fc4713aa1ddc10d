package output

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func mkfiles(t *testing.T, root string, files ...string) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestGuard lists the folders a build must never replace, and the ones it
// may.
func TestGuard(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	mkfiles(t, root,
		"content/_index.md", "theme/layouts/base.html", ".cache/scalebook/x",
		"repo/.git/HEAD", "foreign/notes.txt", "afile",
		"mine/"+Marker, "mine/index.html",
		"legacy/.nojekyll", "legacy/404.html", "legacy/index.html", "legacy/sitemap.xml", "legacy/robots.txt",
		"legacymd/.nojekyll", "legacymd/404.html", "legacymd/index.html", "legacymd/sitemap.xml", "legacymd/robots.txt", "legacymd/README.md",
	)
	os.Mkdir(filepath.Join(root, "empty"), 0o755)
	os.Symlink("mine", filepath.Join(root, "link"))
	opts := Options{Protect: []Folder{{"content folder", "content"}, {"theme folder", "theme"}, {"cache folder", ".cache/scalebook"}}}
	cases := []struct {
		out  string
		want string // "" for allowed, else a part of the error
	}{
		{"public", ""},
		{"empty", ""},
		{"mine", ""},
		{"legacy", ""},
		{"new/deeper/public", ""},
		{"content/public", ""}, // inside the content folder: the loader skips it
		{"", "the output folder is empty"},
		{"  ", "the output folder is empty"},
		{".", "it is the current folder"},
		{"./", "it is the current folder"},
		{root, "it is the current folder"},
		{"/", "root of the file system"},
		{"content", "it is the content folder"},
		{"content/", "it is the content folder"},
		{"theme", "it is the theme folder"},
		{".cache", "it contains the cache folder (.cache/scalebook)"},
		{".cache/scalebook", "it is the cache folder"},
		{"..", "it contains the content folder (content)"},
		{"afile", "it is a file"},
		{"repo", "holds a .git repository"},
		{"foreign", "was not written by scalebook"},
		{"legacymd", "was not written by scalebook"},
		{"link", "symbolic link"},
	}
	for _, c := range cases {
		err := Guard(c.out, opts)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("Guard(%q) = %v, want nil", c.out, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("Guard(%q) = %v, want an error with %q", c.out, err, c.want)
		}
	}
	home := filepath.Join(root, "home")
	os.Mkdir(home, 0o755)
	t.Setenv("HOME", home)
	if err := Guard(home, Options{}); err == nil || !strings.Contains(err.Error(), "home folder") {
		t.Errorf("Guard($HOME) = %v, want a refusal", err)
	}
}

// TestWriteRefusesAndKeeps: a refused folder is left exactly as it was.
func TestWriteRefusesAndKeeps(t *testing.T) {
	root := t.TempDir()
	mkfiles(t, root, "content/_index.md", "content/guide/a.md")
	err := Write(filepath.Join(root, "content"), map[string][]byte{"index.html": []byte("x")}, Options{Protect: []Folder{{"content folder", filepath.Join(root, "content")}}})
	if err == nil {
		t.Fatal("Write over the content folder succeeded")
	}
	for _, f := range []string{"content/_index.md", "content/guide/a.md"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			t.Errorf("%s is gone: %v", f, err)
		}
	}
}

// TestWriteReplaces: the output holds exactly the new build and the marker,
// and a second build may replace the first.
func TestWriteReplaces(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := Write(out, map[string][]byte{"index.html": []byte("one"), "a/b/c.txt": []byte("c")}, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := Write(out, map[string][]byte{"index.html": []byte("two")}, Options{}); err != nil {
		t.Fatal(err)
	}
	got := listing(t, out)
	if want := Marker + " index.html"; got != want {
		t.Errorf("output holds %q, want %q", got, want)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "index.html")); string(data) != "two" {
		t.Errorf("index.html = %q", data)
	}
	if siblings := listing(t, filepath.Dir(out)); siblings != "public" {
		t.Errorf("the parent holds %q, want only public", siblings)
	}
}

// TestWriteCleansLeftovers: folders of builds that were killed are
// removed; a running build's folder is not.
func TestWriteCleansLeftovers(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("cannot start a process:", err)
	}
	deadPID := strconv.Itoa(dead.Process.Pid)
	live := tempPrefix("public") + "1-123" // process 1 always runs
	mkfiles(t, parent,
		tempPrefix("public")+deadPID+"-1/index.html",
		tempPrefix("public")+deadPID+"-2-old/index.html",
		".public.new-99/index.html", ".public.old-98/index.html",
		live+"/index.html",
		".other.tmp-"+deadPID+"-1/x",
	)
	hourAgo := time.Now().Add(-time.Hour)
	for _, d := range []string{".public.new-99", ".public.old-98"} {
		os.Chtimes(filepath.Join(parent, d), hourAgo, hourAgo)
	}
	if !alive(1) {
		t.Skip("process 1 is not visible here")
	}
	if err := Write(out, map[string][]byte{"index.html": []byte("x")}, Options{}); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{".other.tmp-" + deadPID + "-1", live, "public"}, " ")
	if got := listing(t, parent); got != want {
		t.Errorf("after the build the parent holds\n%q\nwant\n%q", got, want)
	}
}

// TestSwapExchanges: replacing an existing output never leaves a moment
// without it on Linux; the old build ends up in the temporary folder.
func TestSwapExchanges(t *testing.T) {
	dir := t.TempDir()
	mkfiles(t, dir, "public/old.txt", "tmp/new.txt")
	old, err := swap(filepath.Join(dir, "tmp"), filepath.Join(dir, "public"))
	if err != nil {
		t.Fatal(err)
	}
	if got := listing(t, filepath.Join(dir, "public")); got != "new.txt" {
		t.Errorf("public holds %q", got)
	}
	if got := listing(t, old); got != "old.txt" {
		t.Errorf("the old build's folder %s holds %q", old, got)
	}
}

func listing(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

// TestWriteLinksUnchanged: a rebuild hard-links the files whose bytes the
// build it replaces already holds, and writes the others (changed bytes,
// same size but other bytes, a file edited by hand, a symbolic link), so
// the output always equals the new build.
func TestWriteLinksUnchanged(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	first := map[string][]byte{
		"index.html":     []byte("home"),
		"a/index.html":   []byte("page a"),
		"b/index.html":   []byte("page b"),
		"c/index.html":   []byte("page c"),
		"d/index.html":   []byte("page d"),
		"e/index.html":   []byte("page e"),
		"gone/index.txt": []byte("removed next time"),
	}
	if st, err := WriteStats(out, first, Options{}); err != nil || st.Linked != 0 || st.Written != len(first) {
		t.Fatalf("first build: %+v, %v; want every file written", st, err)
	}
	before := map[string]os.FileInfo{}
	for name := range first {
		fi, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		before[name] = fi
	}
	// Edited by hand in the output: same size, other bytes.
	os.WriteFile(filepath.Join(out, "d/index.html"), []byte("PAGE D"), 0o644)
	// Replaced by a symbolic link to a file holding the right bytes.
	os.Remove(filepath.Join(out, "e/index.html"))
	elsewhere := filepath.Join(t.TempDir(), "e")
	os.WriteFile(elsewhere, []byte("page e"), 0o644)
	os.Symlink(elsewhere, filepath.Join(out, "e/index.html"))

	second := map[string][]byte{
		"index.html":   []byte("home"),        // unchanged: linked
		"a/index.html": []byte("page a"),      // unchanged: linked
		"b/index.html": []byte("page B"),      // same size, new bytes
		"c/index.html": []byte("page c, new"), // new size
		"d/index.html": []byte("page d"),      // the output was edited
		"e/index.html": []byte("page e"),      // the output is a link
		"f/index.html": []byte("new page"),
	}
	st, err := WriteStats(out, second, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Linked != 2 || st.Written != 5 {
		t.Errorf("second build linked %d and wrote %d files, want 2 and 5", st.Linked, st.Written)
	}
	for name, want := range second {
		p := filepath.Join(out, name)
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		if !fi.Mode().IsRegular() {
			t.Errorf("%s is not a plain file: %v", name, fi.Mode())
		}
		if got, _ := os.ReadFile(p); string(got) != string(want) {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
		linked := before[name] != nil && os.SameFile(before[name], fi)
		if wantLinked := name == "index.html" || name == "a/index.html"; linked != wantLinked {
			t.Errorf("%s: linked from the last build = %v, want %v", name, linked, wantLinked)
		}
	}
	if got, want := listing(t, out), Marker+" a b c d e f index.html"; got != want {
		t.Errorf("output holds %q, want %q", got, want)
	}
	if got, _ := os.ReadFile(elsewhere); string(got) != "page e" {
		t.Errorf("the file the old output linked to was changed: %q", got)
	}
}
