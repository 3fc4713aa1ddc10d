package search_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/scalebook/scalebook/internal/pipeline"
	"github.com/scalebook/scalebook/internal/search"
)

// partitioning is a page added to the fixture site for the search tests.
const partitioning = `---
title: Partitioning
---
Splitting data across nodes.

## Hash partitioning

Consistent hashing maps keys onto a ring. Beware of ` + "`<img src=x onerror=alert(1)>`" + ` in text.

` + "```go\nfunc secretCodeIdentifier() {}\n```" + `

## Range partitioning

Ranges of keys go to each node.
`

// fixtureSite copies internal/pipeline's test site, adds the partitioning
// page, and builds it under base with themeDir.
func fixtureSite(t *testing.T, themeDir, base string) *pipeline.Site {
	t.Helper()
	content := filepath.Join(t.TempDir(), "site")
	if err := os.CopyFS(content, os.DirFS(filepath.Join("..", "pipeline", "testdata", "site"))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(content, "guide", "partitioning.md"), []byte(partitioning), 0o644); err != nil {
		t.Fatal(err)
	}
	site, err := pipeline.New(pipeline.Options{ContentDir: content, ThemeDir: themeDir, BaseURL: base}).Build()
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return site
}

// TestSiteIndex checks the index the build writes for the fixture site.
func TestSiteIndex(t *testing.T) {
	site := fixtureSite(t, filepath.Join("..", "pipeline", "testdata", "theme"), "/REPO/")
	var meta struct {
		V, Pages, Entries int
		Vocab, Docs       []string
	}
	if err := json.Unmarshal(site.Files[search.Meta], &meta); err != nil {
		t.Fatal(err)
	}
	if meta.V != search.Version || meta.Pages < 4 || meta.Entries <= meta.Pages {
		t.Errorf("metadata: %+v", meta)
	}
	// The vocabulary and the records as the page script reads them.
	vm := jsCore(t)
	ix := search.Index{Files: map[string][]byte{}}
	for name, data := range site.Files {
		if strings.HasPrefix(name, search.Dir) {
			ix.Files[name] = data
		}
	}
	loadIndex(t, vm, ix)
	var vocab []string
	raw := run(t, vm, `meta = files["index.json"]; for (let i = 2; i < meta.vocab.length; i += 3) ix.add(meta.vocab[i], files[meta.vocab[i]]);
		JSON.stringify([...ix.vocab.keys()])`).String()
	if err := json.Unmarshal([]byte(raw), &vocab); err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(vocab) || len(vocab) < 50 {
		t.Errorf("the vocabulary is not %d stems in order: %q", len(vocab), vocab)
	}
	hasStem := func(stem string) bool { return slices.Contains(vocab, stem) }
	// Prose, headings, and the identifiers of code, which the old index
	// left out.
	for _, stem := range []string{"partit", "consist", "hash", "ring", "secretcodeidentifi", "secret", "identifi"} {
		if !hasStem(stem) {
			t.Errorf("the vocabulary lacks %q", stem)
		}
	}
	var docs []struct {
		URL     string
		Entries []struct{ Anchor, Heading, Text string }
	}
	raw = run(t, vm, `meta.docs.forEach(f => ix.add(f, files[f]));
		JSON.stringify(Array.from({length: meta.pages}, (_, p) => ix.doc(p)))`).String()
	if err := json.Unmarshal([]byte(raw), &docs); err != nil {
		t.Fatal(err)
	}
	var pages []string
	var found bool
	for _, d := range docs {
		pages = append(pages, d.URL)
		for _, e := range d.Entries {
			if d.URL == "guide/partitioning/" && e.Anchor == "hash-partitioning" {
				found = true
				if e.Heading != "Hash partitioning" || !strings.HasPrefix(e.Text, "Consistent hashing maps keys onto a ring.") {
					t.Errorf("entry %+v", e)
				}
			}
		}
	}
	if !slices.Contains(pages, "guide/partitioning/") || !slices.Contains(pages, "") {
		t.Errorf("page records lack pages: %q", pages)
	}
	if slices.Contains(pages, "guide/draft/") {
		t.Error("a draft page is in the index")
	}
	if !found {
		t.Error("no entry for #hash-partitioning")
	}
	for name, data := range site.Files {
		if !strings.HasPrefix(name, search.Dir) {
			continue
		}
		for _, bad := range []string{"/REPO/", "\\u003c", "\n"} {
			if strings.Contains(string(data), bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
	again := fixtureSite(t, filepath.Join("..", "pipeline", "testdata", "theme"), "https://x.github.io/other/")
	for name, data := range site.Files {
		if strings.HasPrefix(name, search.Dir) && string(again.Files[name]) != string(data) {
			t.Errorf("%s depends on the base URL or differs between builds", name)
		}
	}
}

// browser finds Chromium or Chrome, or skips the test.
func browser(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	exe := chromium()
	if exe == "" {
		t.Skip("browser test: no chromium on this machine")
	}
	return exe
}

// chromium returns the path of Chromium or Chrome, or "".
func chromium() string {
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// searchThemes returns themes with the search module plugged in, by name:
// the fixture theme with the real theme's search module, its helpers and
// the search box added as the real theme has them; and the real theme,
// with search.js imported by main.js if it is not yet.
func searchThemes(t *testing.T) map[string]string {
	t.Helper()
	realTheme := filepath.Join("..", "..", "theme")
	realJS := filepath.Join(realTheme, "assets", "js")
	if _, err := os.Stat(filepath.Join(realJS, "search.js")); err != nil {
		t.Skip("theme/assets/js/search.js not found")
	}
	themes := map[string]string{}

	dir := filepath.Join(t.TempDir(), "fixture")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "pipeline", "testdata", "theme"))); err != nil {
		t.Fatal(err)
	}
	js := filepath.Join(dir, "assets", "js")
	main := "import { initSearch } from \"./search.js\";\ninitSearch();\n"
	for _, f := range []string{"search.js", "search-core.js", "search-stem.js", "util.js", "search-shortcut.js"} {
		data, err := os.ReadFile(filepath.Join(realJS, f))
		if err != nil {
			if f == "search-shortcut.js" {
				continue
			}
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(js, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if f == "search-shortcut.js" {
			main += "import { initSearchShortcut } from \"./search-shortcut.js\";\ninitSearchShortcut();\n"
		}
	}
	if err := os.WriteFile(filepath.Join(js, "main.js"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	layout := filepath.Join(dir, "layouts", "base.html")
	data, err := os.ReadFile(layout)
	if err != nil {
		t.Fatal(err)
	}
	html := strings.Replace(string(data), `<meta charset="utf-8">`, `<meta charset="utf-8">`+"\n"+`<meta name="scalebook-base" content="{{relURL ""}}">`, 1)
	html = strings.Replace(html, "<body>", `<body>
<form role="search" class="search"><label for="search-input">Search</label><input type="search" id="search-input" placeholder="Search  /" autocomplete="off"><div id="search-results" role="listbox" hidden></div></form>`, 1)
	if err := os.WriteFile(layout, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	themes["fixture"] = dir

	dir = filepath.Join(t.TempDir(), "real")
	if err := os.CopyFS(dir, os.DirFS(realTheme)); err != nil {
		t.Fatal(err)
	}
	mainPath := filepath.Join(dir, "assets", "js", "main.js")
	data, err = os.ReadFile(mainPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "./search.js") {
		data = append(data, "\nimport { initSearch } from \"./search.js\";\ninitSearch();\n"...)
		if err := os.WriteFile(mainPath, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	themes["real"] = dir
	return themes
}

// TestSearchInBrowser drives the search box in headless Chromium, on the
// fixture site served under a sub-path.
func TestSearchInBrowser(t *testing.T) {
	exe := browser(t)
	for name, theme := range searchThemes(t) {
		t.Run(name, func(t *testing.T) { testSearchInBrowser(t, exe, theme) })
	}
}

func testSearchInBrowser(t *testing.T, exe, theme string) {
	site := fixtureSite(t, theme, "/REPO/")
	dir := filepath.Join(t.TempDir(), "public")
	if err := site.Write(dir); err != nil {
		t.Fatal(err)
	}
	var indexFetches atomic.Int32
	files := http.StripPrefix("/REPO", http.FileServer(http.Dir(dir)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/REPO/"+search.Meta {
			indexFetches.Add(1)
		}
		if !strings.HasPrefix(r.URL.Path, "/REPO/") {
			http.NotFound(w, r)
			return
		}
		// The page's CSP is in a meta tag; the header makes sure nothing
		// slips past it.
		w.Header().Set("Content-Security-Policy", pipeline.CSP)
		files.ServeHTTP(w, r)
	}))
	defer srv.Close()

	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true))...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	// Every console error (a CSP violation, an exception) fails the test.
	var mu sync.Mutex
	var consoleErrors []string
	chromedp.ListenTarget(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError {
				for _, a := range ev.Args {
					msg += " " + string(a.Value) + a.Description
				}
				msg = "console.error:" + msg
			}
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.LevelError {
				msg = "log: " + ev.Entry.Text
			}
		}
		if msg != "" {
			mu.Lock()
			consoleErrors = append(consoleErrors, msg)
			mu.Unlock()
		}
	})
	if err := chromedp.Run(ctx, cdplog.Enable()); err != nil {
		t.Fatalf("start the browser: %v", err)
	}

	do := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		var v string
		if err := chromedp.Run(ctx, chromedp.Evaluate(expr, &v)); err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	wait := func(what, predicate string) {
		t.Helper()
		var ok bool
		if err := chromedp.Run(ctx, chromedp.Poll(predicate, &ok, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("waiting for %s (%s): %v", what, predicate, err)
		}
	}
	state := func() string {
		return eval(`(() => {
			const i = document.getElementById("search-input"), l = document.getElementById("search-results");
			const opts = [...l.querySelectorAll('[role="option"]')];
			return JSON.stringify({
				role: i.getAttribute("role"), expanded: i.getAttribute("aria-expanded"), controls: i.getAttribute("aria-controls"),
				active: i.getAttribute("aria-activedescendant") || "", hidden: l.hidden,
				titles: opts.map(o => (o.querySelector(".search-result-title") || o).textContent),
				paths: opts.map(o => (o.querySelector(".search-result-path") || {}).textContent || ""),
				selected: opts.map(o => o.getAttribute("aria-selected")),
				hrefs: opts.map(o => o.getAttribute("href")),
				marks: [...l.querySelectorAll("mark")].map(m => m.textContent),
				excerpts: opts.map(o => (o.querySelector(".search-result-excerpt") || {}).textContent || ""),
				imgs: l.querySelectorAll("img").length,
			});
		})()`)
	}
	type boxState struct {
		Role, Expanded, Controls, Active string
		Hidden                           bool
		Titles, Paths, Selected, Hrefs   []string
		Marks, Excerpts                  []string
		Imgs                             int
	}
	read := func() boxState {
		t.Helper()
		var s boxState
		if err := json.Unmarshal([]byte(state()), &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	clear := chromedp.Evaluate(`(() => { const i = document.getElementById("search-input"); i.value = ""; i.dispatchEvent(new Event("input")); })()`, nil)

	do("open the page", chromedp.Navigate(srv.URL+"/REPO/guide/requirements/"))
	wait("the search module", `document.getElementById("search-input").getAttribute("role") === "combobox"`)
	if n := indexFetches.Load(); n != 0 {
		t.Errorf("the index was fetched %d times before the search box was used", n)
	}

	// A pointer coming over the box fetches the index's metadata and runs
	// the warm-up, before the box has the focus.
	do("move the pointer over the box", chromedp.ActionFunc(func(ctx context.Context) error {
		var at []float64
		if err := chromedp.Evaluate(`(() => { const r = document.getElementById("search-input").getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()`, &at).Do(ctx); err != nil {
			return err
		}
		return input.DispatchMouseEvent(input.MouseMoved, at[0], at[1]).Do(ctx)
	}))
	wait("the warm-up after the pointer came", `performance.getEntriesByName("scalebook-warm").length > 0`)
	if n := indexFetches.Load(); n != 1 || eval(`document.activeElement.id`) == "search-input" {
		t.Errorf("with the pointer over the box: the index fetched %d times (want once), the box focused: %v", n, eval(`document.activeElement.id`) == "search-input")
	}

	// "/" focuses the box (when the theme has the shortcut), which loads
	// the index.
	do("press /", chromedp.KeyEvent("/"))
	if eval(`document.activeElement.id`) != "search-input" {
		// The theme's shortcut module is not there: focus by hand.
		do("focus the box", chromedp.Focus("#search-input", chromedp.ByQuery))
	}
	do("type a prefix", chromedp.KeyEvent("partit"))
	wait("results", `document.querySelectorAll("#search-results .search-result").length > 0`)
	if n := indexFetches.Load(); n != 1 {
		t.Errorf("index fetched %d times, want once", n)
	}
	s := read()
	if s.Role != "combobox" || s.Expanded != "true" || s.Controls != "search-results" || s.Hidden {
		t.Errorf("open box: %+v", s)
	}
	if len(s.Titles) < 3 || s.Titles[0] != "Partitioning" || s.Titles[1] != "Hash partitioning" || s.Titles[2] != "Range partitioning" {
		t.Errorf("the page titled by the query, then its sections headed by it: %q", s.Titles)
	}
	if s.Hrefs[0] != "/REPO/guide/partitioning/" || s.Hrefs[1] != "/REPO/guide/partitioning/#hash-partitioning" {
		t.Errorf("result links do not honour the base path: %q", s.Hrefs)
	}
	if s.Paths[1] != "The guide › Partitioning" {
		t.Errorf("path of a section result = %q", s.Paths[1])
	}
	for _, m := range s.Marks {
		if !strings.HasPrefix(strings.ToLower(m), "partit") {
			t.Errorf("marked %q for partit", m)
		}
	}
	if len(s.Marks) < 3 {
		t.Errorf("marks = %q", s.Marks)
	}

	// Arrows move the active option; Escape closes.
	do("arrow down twice", chromedp.KeyEvent(kb.ArrowDown+kb.ArrowDown))
	s = read()
	if s.Active != "search-results-1" || s.Selected[1] != "true" || s.Selected[0] != "false" {
		t.Errorf("after two arrows down: active %q, selected %q", s.Active, s.Selected)
	}
	do("arrow up", chromedp.KeyEvent(kb.ArrowUp))
	if s = read(); s.Active != "search-results-0" {
		t.Errorf("after arrow up: active %q", s.Active)
	}
	do("escape", chromedp.KeyEvent(kb.Escape))
	if s = read(); s.Expanded != "false" || !s.Hidden || s.Active != "" {
		t.Errorf("after Escape: %+v", s)
	}

	// Index text is shown as text, never parsed as HTML.
	do("clear", clear)
	do("type", chromedp.KeyEvent("onerror"))
	wait("results", `document.querySelectorAll("#search-results .search-result").length > 0`)
	if s = read(); s.Imgs != 0 || !strings.Contains(strings.Join(s.Excerpts, "\n"), "<img src=x onerror=alert(1)>") {
		t.Errorf("markup in index text: %d img elements, excerpts %q", s.Imgs, s.Excerpts)
	}

	// No results says so.
	do("type more", chromedp.KeyEvent(" zzzqx"))
	wait("the empty note", `!!document.querySelector("#search-results .search-empty")`)
	if got := eval(`document.querySelector("#search-results .search-empty").textContent`); got != "No results for “onerror zzzqx”" {
		t.Errorf("empty note = %q", got)
	}

	// Enter opens the active result, under the base path.
	do("clear", clear)
	do("type", chromedp.KeyEvent("ring"))
	wait("results", `document.querySelectorAll("#search-results .search-result").length > 0`)
	// The page is the first option, its section the second.
	do("choose", chromedp.KeyEvent(kb.ArrowDown+kb.ArrowDown+kb.Enter))
	var loc string
	for range 100 {
		var l string
		err := chromedp.Run(ctx, chromedp.Location(&l))
		if err == nil && strings.Contains(l, "#") {
			loc = l
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if want := srv.URL + "/REPO/guide/partitioning/#hash-partitioning"; loc != want {
		t.Errorf("Enter went to %q, want %q", loc, want)
	}

	time.Sleep(100 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	for _, e := range consoleErrors {
		t.Errorf("console: %s", e)
	}
}
