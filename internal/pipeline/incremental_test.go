package pipeline

import (
	"bytes"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TestIncrementalMatchesFullBuild edits the fixture the ways an author does
// and checks after each edit that a long-lived Builder produces exactly what
// a fresh one does, while parsing and rendering only what it must; and,
// told what changed as the dev server tells it, reading only that.
func TestIncrementalMatchesFullBuild(t *testing.T) {
	for _, told := range []bool{false, true} {
		t.Run(map[bool]string{false: "reading everything", true: "told what changed"}[told], func(t *testing.T) {
			testIncremental(t, told, false)
		})
	}
	// The dev server's way: told, and the search index assembled after
	// the pages (Site.Search) — or skipped, when the next Build makes its own.
	t.Run("told, search deferred", func(t *testing.T) { testIncremental(t, true, true) })
}

func testIncremental(t *testing.T, told, deferSearch bool) {
	contentDir, themeDir := fixture(t)
	o := Options{ContentDir: contentDir, ThemeDir: themeDir, BaseURL: "/repo/", Dev: true}
	liveOpts := o
	liveOpts.DeferSearch = deferSearch
	live := New(liveOpts)
	first, err := live.Build()
	if err != nil {
		t.Fatal(err)
	}
	if first.Stats.Parsed == 0 || first.Stats.Rendered != first.Pages {
		t.Fatalf("first build parsed %d, rendered %d of %d", first.Stats.Parsed, first.Stats.Rendered, first.Pages)
	}
	edit := func(file, old, new string) {
		t.Helper()
		p := filepath.Join(contentDir, filepath.FromSlash(file))
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), old) {
			t.Fatalf("%s has no %q", file, old)
		}
		os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644)
	}
	steps := []struct {
		name              string
		change            func()
		touched           []string // what a watcher would report
		parsed, maxRender int
	}{
		{"nothing", func() {}, nil, 0, 0},
		{"body text", func() { edit("systems/twitter.md", "Done.", "Done, again.") }, []string{"systems/twitter.md"}, 1, 1},
		{"title (nav everywhere)", func() { edit("guide/requirements.md", "title: Requirements", "title: What to ask") }, []string{"guide/requirements.md"}, 1, 99},
		{"new heading (anchors)", func() { edit("guide/requirements.md", "Ask what", "### Scope\n\nAsk what") }, []string{"guide/requirements.md"}, 1, 99},
		{"new page", func() {
			os.WriteFile(filepath.Join(contentDir, "guide", "new.md"), []byte("# New\n\nHello.\n"), 0o644)
		}, []string{"guide/new.md"}, 1, 99},
		{"new folder", func() {
			os.MkdirAll(filepath.Join(contentDir, "extra", "deep"), 0o755)
			os.WriteFile(filepath.Join(contentDir, "extra", "deep", "page.md"), []byte("# Deep\n\nHello.\n"), 0o644)
		}, []string{"extra", "extra/deep/page.md"}, 1, 99},
		{"folder removed", func() { os.RemoveAll(filepath.Join(contentDir, "extra")) }, []string{"extra"}, 0, 99},
		{"page removed", func() { os.Remove(filepath.Join(contentDir, "guide", "new.md")) }, []string{"guide/new.md"}, 0, 99},
		{"theme", func() {
			p := filepath.Join(themeDir, "layouts", "page.html")
			data, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(data, []byte("{{.Page.Content}}"),
				[]byte("<div>{{.Page.Content}}</div>{{with .Page.Params.note}}<p>{{.}}</p>{{end}}<i data-desc=\"{{.Page.Meta.Description}}\"></i>"), 1), 0o644)
		}, []string{"theme:layouts/page.html"}, 0, 99},
		// A front-matter field only the theme reads: the page's HTML must
		// change though its Markdown did not.
		{"front matter params", func() { edit("systems/twitter.md", "title:", "params: {note: Read me first}\ntitle:") }, []string{"systems/twitter.md"}, 1, 99},
		// Any front-matter key is .Page.Meta.Key, and changing it changes
		// the page though the Markdown did not.
		{"front matter field", func() {
			edit("systems/twitter.md", "description: Fan-out and timelines.", "description: Fan-out, timelines.")
		}, []string{"systems/twitter.md"}, 0, 99},
	}
	for i, st := range steps {
		st.change()
		contentFiles := 0
		if told {
			var paths []string
			for _, p := range st.touched {
				if rest, ok := strings.CutPrefix(p, "theme:"); ok {
					paths = append(paths, filepath.Join(themeDir, filepath.FromSlash(rest)))
					continue
				}
				paths = append(paths, filepath.Join(contentDir, filepath.FromSlash(p)))
				if strings.HasSuffix(p, ".md") {
					contentFiles++
				}
			}
			live.Changed(paths)
		}
		got, err := live.Build()
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		want, err := New(o).Build()
		if err != nil {
			t.Fatal(err)
		}
		files, stale := got.Files, false
		if deferSearch {
			if got.Search == nil {
				t.Fatalf("%s: a build with DeferSearch has no Search", st.name)
			}
			// Every other step leaves the index to the next Build.
			if stale = i%2 == 1; !stale {
				files = got.Search()
			}
		}
		if len(files) != len(want.Files) && !stale {
			t.Errorf("%s: %d files, a fresh build has %d", st.name, len(files), len(want.Files))
		}
		for name, data := range want.Files {
			if stale && strings.HasPrefix(name, "search/") {
				continue
			}
			if !bytes.Equal(files[name], data) {
				t.Errorf("%s: %s differs from a fresh build", st.name, name)
			}
		}
		if got.Stats.Parsed != st.parsed || got.Stats.Rendered > st.maxRender {
			t.Errorf("%s: parsed %d (want %d), rendered %d (want at most %d)", st.name, got.Stats.Parsed, st.parsed, got.Stats.Rendered, st.maxRender)
		}
		if told && got.Stats.ContentReads > contentFiles {
			t.Errorf("%s: read %d content files; told of %d", st.name, got.Stats.ContentReads, contentFiles)
		}
		if !told && got.Stats.ContentReads < first.Pages {
			t.Errorf("%s: read %d content files for %d pages; untold, a build reads everything", st.name, got.Stats.ContentReads, first.Pages)
		}
	}
}

// TestChangedIsTrusted: told what changed, a build takes everything else
// from memory (an edit nobody reported goes unseen, which is how the test
// knows); a change it cannot place, a failed build, or a build it was told
// nothing about reads the folder again.
func TestChangedIsTrusted(t *testing.T) {
	contentDir, themeDir := fixture(t)
	live := New(Options{ContentDir: contentDir, ThemeDir: themeDir})
	if _, err := live.Build(); err != nil {
		t.Fatal(err)
	}
	twitter := filepath.Join(contentDir, "systems", "twitter.md")
	reqs := filepath.Join(contentDir, "guide", "requirements.md")
	original, _ := os.ReadFile(twitter)
	reqsText, _ := os.ReadFile(reqs)
	page := func(s *Site) string { return string(s.Files["systems/twitter/index.html"]) }
	build := func(what string) *Site {
		t.Helper()
		s, err := live.Build()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return s
	}

	os.WriteFile(twitter, append(slices.Clone(original), "\nUnreported edit.\n"...), 0o644)
	live.Changed([]string{reqs})
	if s := build("told of another file"); strings.Contains(page(s), "Unreported edit.") || s.Stats.ContentReads != 1 {
		t.Errorf("told of another file: read %d files, edit seen: %v", s.Stats.ContentReads, strings.Contains(page(s), "Unreported edit."))
	}
	live.Changed([]string{filepath.Join(t.TempDir(), "elsewhere.md")})
	if s := build("a change outside"); !strings.Contains(page(s), "Unreported edit.") {
		t.Error("a change outside the folders did not make the build read everything")
	}

	// A failed build keeps nothing: the next one, though told only of the
	// fix, reads everything.
	live.Changed(nil)
	build("told nothing changed")
	os.WriteFile(reqs, []byte("---\ntitle: [unclosed\n---\n"), 0o644)
	live.Changed([]string{reqs})
	if _, err := live.Build(); err == nil {
		t.Fatal("broken front matter built")
	}
	os.WriteFile(reqs, reqsText, 0o644)
	os.WriteFile(twitter, append(slices.Clone(original), "\nSecond unreported edit.\n"...), 0o644)
	live.Changed([]string{reqs})
	if s := build("after a failure"); !strings.Contains(page(s), "Second unreported edit.") {
		t.Error("after a failed build, a build read from memory")
	}

	// A symbolic link that leads out, reported: found without a full walk.
	secret := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(secret, []byte("secret"), 0o644)
	link := filepath.Join(contentDir, "guide", "leak.txt")
	if err := os.Symlink(secret, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	live.Changed([]string{link})
	if _, err := live.Build(); err == nil || !strings.Contains(err.Error(), "leads outside") {
		t.Errorf("a reported link out of the folder: %v", err)
	}
}

// TestIncrementalAfterFailure: a broken edit fails, the fix builds, and the
// result still equals a fresh build.
func TestIncrementalAfterFailure(t *testing.T) {
	contentDir, themeDir := fixture(t)
	o := Options{ContentDir: contentDir, ThemeDir: themeDir}
	live := New(o)
	if _, err := live.Build(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(contentDir, "systems", "twitter.md")
	good, _ := os.ReadFile(p)
	os.WriteFile(p, append(good, []byte("\n[x](nowhere.md)\n")...), 0o644)
	if _, err := live.Build(); err == nil {
		t.Fatal("broken link built")
	}
	// Broken again by another page: the first page's error must still show.
	if _, err := live.Build(); err == nil || !strings.Contains(err.Error(), "nowhere.md") {
		t.Fatalf("rebuild without changes forgot the error: %v", err)
	}
	os.WriteFile(p, good, 0o644)
	got, err := live.Build()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := New(o).Build()
	for name, data := range want.Files {
		if !bytes.Equal(got.Files[name], data) {
			t.Errorf("%s differs from a fresh build after the fix", name)
		}
	}
}

// TestDiskCacheAcrossBuilders: a second process (a new Builder on the same
// cache folder) parses nothing, gives the same bytes, and keeps the
// highlight cache whole for the next edit.
func TestDiskCacheAcrossBuilders(t *testing.T) {
	contentDir, themeDir := fixture(t)
	o := Options{ContentDir: contentDir, ThemeDir: themeDir, CacheDir: t.TempDir()}
	cold, err := New(o).Build()
	if err != nil {
		t.Fatal(err)
	}
	warm, err := New(o).Build()
	if err != nil {
		t.Fatal(err)
	}
	if warm.Stats.Parsed != 0 || warm.Stats.Rendered != 0 {
		t.Errorf("warm build parsed %d and rendered %d pages; want all from the cache", warm.Stats.Parsed, warm.Stats.Rendered)
	}
	for name, data := range cold.Files {
		if !bytes.Equal(warm.Files[name], data) {
			t.Errorf("%s differs between cold and warm builds", name)
		}
	}
	// Edit the page with code: its unchanged blocks still come from the
	// highlight cache, though the last build never tokenized them.
	p := filepath.Join(contentDir, "guide", "estimation.md")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, append(data, []byte("\nOne more line.\n")...), 0o644)
	edited, err := New(o).Build()
	if err != nil {
		t.Fatal(err)
	}
	if edited.Stats.Parsed != 1 || edited.Stats.HighlightMisses != 0 {
		t.Errorf("after an edit: parsed %d (want 1), tokenized %d blocks (want 0)", edited.Stats.Parsed, edited.Stats.HighlightMisses)
	}
}

// TestCorruptCacheNeverChangesOutput damages every entry of a warm cache,
// some with flipped bytes and some cut short, the way a full disk or a
// crash would; the next build must give exactly the cold build's bytes.
func TestCorruptCacheNeverChangesOutput(t *testing.T) {
	contentDir, themeDir := fixture(t)
	o := Options{ContentDir: contentDir, ThemeDir: themeDir, CacheDir: t.TempDir()}
	cold, err := New(o).Build()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	damaged := 0
	filepath.WalkDir(o.CacheDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		if len(data) < 2 {
			return nil
		}
		if damaged%2 == 0 {
			data[rng.IntN(len(data))] ^= byte(1 + rng.IntN(255))
		} else {
			data = data[:rng.IntN(len(data))]
		}
		damaged++
		return os.WriteFile(p, data, 0o644)
	})
	if damaged < 5 {
		t.Fatalf("only %d cache files to damage", damaged)
	}
	warm, err := New(o).Build()
	if err != nil {
		t.Fatalf("a damaged cache broke the build: %v", err)
	}
	for name, data := range cold.Files {
		if !bytes.Equal(warm.Files[name], data) {
			t.Errorf("%s differs after the cache was damaged", name)
		}
	}
	if len(warm.Files) != len(cold.Files) {
		t.Errorf("%d files after damage, %d before", len(warm.Files), len(cold.Files))
	}
}

// TestConcurrentBuildsShareACache: two builds on one cache folder at once
// (two terminals, an editor plugin) both succeed with identical output.
func TestConcurrentBuildsShareACache(t *testing.T) {
	contentDir, themeDir := fixture(t)
	o := Options{ContentDir: contentDir, ThemeDir: themeDir, CacheDir: t.TempDir()}
	var wg sync.WaitGroup
	sites := make([]*Site, 4)
	errs := make([]error, 4)
	for i := range sites {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sites[i], errs[i] = New(o).Build()
		}()
	}
	wg.Wait()
	for i := range sites {
		if errs[i] != nil {
			t.Fatalf("build %d: %v", i, errs[i])
		}
		for name, data := range sites[0].Files {
			if !bytes.Equal(sites[i].Files[name], data) {
				t.Errorf("build %d: %s differs", i, name)
			}
		}
	}
}
