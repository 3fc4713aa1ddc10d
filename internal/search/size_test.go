package search_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/scalebook/scalebook/internal/corpus"
	"github.com/scalebook/scalebook/internal/pipeline"
	"github.com/scalebook/scalebook/internal/search"
)

// The budgets of issue 14, for a site of thousands of pages.
const (
	firstQueryBudget = 150 << 10 // gzipped bytes a first query may fetch
	indexShare       = 0.15      // the whole index, gzipped, against the site's text
	pieceBudget      = 24 << 10  // gzipped bytes of any one file of the index
)

// sizeQueries are queries a reader of the synthetic corpus might type:
// common words, two of them, a misspelling, an identifier and a compound.
var sizeQueries = []string{"replication", "sharded ledger", "replicaton", "throughput", "consistent hashing latency", "read-heavy", "partit"}

// guideQueries are queries a reader of the guide might type: words of
// its case studies, misspellings, an identifier and a synonym.
var guideQueries = []string{"shardng", "consistant hashing", "QPS", "read_qps", "Snowflake ID", "replicaton", "idempotency key", "token bucket"}

// TestIndexSize builds the synthetic corpus (1,000 pages, and 5,000 unless
// -short) and holds the index to its budgets, as properties of the files
// the build wrote: every piece is small, the whole is at most 15% of the
// site's text gzipped, and a first query — each of sizeQueries typed one
// keystroke at a time into a fresh page, everything its keystrokes made
// the page script fetch added up — fetches at most 150 KB gzipped. In
// Chromium (not with -short), it then types each query a key at a time
// and reports how long the page script took to answer.
func TestIndexSize(t *testing.T) {
	sizes := []int{1000, 5000}
	if testing.Short() {
		sizes = sizes[:1]
	}
	theme := searchThemes(t)["fixture"]
	for _, n := range sizes {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			dir := t.TempDir()
			if err := corpus.Generate(dir, n, 1); err != nil {
				t.Fatal(err)
			}
			site, err := pipeline.New(pipeline.Options{ContentDir: dir, ThemeDir: theme, BaseURL: "/repo/"}).Build()
			if err != nil {
				t.Fatal(err)
			}
			checkIndexSize(t, site.Files, sizeQueries)
			var typed []string
			for _, q := range sizeQueries {
				for k := 3; k <= len(q); k++ {
					if q[k-1] != ' ' { // the script answers the query trimmed
						typed = append(typed, q[:k])
					}
				}
			}
			measureLatency(t, site, fmt.Sprintf("the %d-page corpus", n), typed)
		})
	}
}

// TestIndexSizeGuide holds the guide's index (content/) to the same
// budgets: its glossary and reference pages give it a wide vocabulary for
// little text.
func TestIndexSizeGuide(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole guide; skipped with -short")
	}
	site := buildGuide(t)
	checkIndexSize(t, site.Files, guideQueries)
}

// measureLatency serves the site and types the queries into its search
// box in Chromium, one after the other, reporting how long the page script
// took on each once its files were there. It needs Chromium and is
// skipped with -short.
func measureLatency(t *testing.T, site *pipeline.Site, what string, queries []string) {
	exe := chromium()
	if testing.Short() || exe == "" {
		t.Logf("latency on %s: not measured (needs Chromium, and no -short)", what)
		return
	}
	url := serveSite(t, site)
	ctx := openPage(t, exe, url)
	var lat latencies
	for _, q := range queries {
		askInBrowser(t, ctx, q, false, "/repo/")
		lat.add(t, ctx, q)
	}
	lat.report(t, what)
	reportFirstQuery(t, exe, url, queries[0], what)
}

func checkIndexSize(t *testing.T, files map[string][]byte, queries []string) {
	gz := map[string]int{}
	raw, total := 0, 0
	for name, data := range files {
		if !strings.HasPrefix(name, search.Dir) {
			continue
		}
		gz[strings.TrimPrefix(name, search.Dir)] = search.Gzipped(data)
		raw += len(data)
		total += gz[strings.TrimPrefix(name, search.Dir)]
		if g := gz[strings.TrimPrefix(name, search.Dir)]; g > pieceBudget {
			t.Errorf("%s is %d bytes gzipped; pieces should stay under %d", name, g, pieceBudget)
		}
	}
	var meta struct{ Pages, Entries, Text int }
	if err := json.Unmarshal(files[search.Meta], &meta); err != nil {
		t.Fatal(err)
	}
	share := float64(total) / float64(meta.Text)
	t.Logf("%d pages, %d entries, %d bytes of text: index %d files, %d bytes, %d gzipped (%.1f%% of the text); metadata %d gzipped",
		meta.Pages, meta.Entries, meta.Text, len(gz), raw, total, 100*share, gz["index.json"])
	if share > indexShare {
		t.Errorf("the index is %.1f%% of the site's text gzipped; the budget is %.0f%%", 100*share, 100*indexShare)
	}

	vm := jsCore(t)
	ix := search.Index{Files: map[string][]byte{}}
	for name, data := range files {
		if strings.HasPrefix(name, search.Dir) {
			ix.Files[name] = data
		}
	}
	loadIndex(t, vm, ix)
	// first runs the queries on a fresh page (the metadata, then whatever
	// each query needs) and returns the files fetched, their gzipped
	// bytes and the pages the last query found.
	first := func(queries ...string) (files, bytes, pages int) {
		run(t, vm, `ix = new core.SearchIndex(files["index.json"]); fetched = ["index.json"];`)
		for _, q := range queries {
			pages = int(run(t, vm, fmt.Sprintf("answer(%q, 8).count", q)).ToInteger())
		}
		var names []string
		if err := vm.ExportTo(run(t, vm, "fetched"), &names); err != nil {
			t.Fatal(err)
		}
		for _, f := range names {
			bytes += gz[f]
		}
		return len(names), bytes, pages
	}
	for _, q := range queries {
		files, bytes, pages := first(q)
		var typed []string
		for k := 1; k <= len(q); k++ {
			typed = append(typed, q[:k])
		}
		tFiles, tBytes, _ := first(typed...)
		t.Logf("first query %q: %d files, %d bytes gzipped, %d pages found; typed a key at a time, answering each: %d files, %d bytes",
			q, files, bytes, pages, tFiles, tBytes)
		if pages == 0 {
			t.Errorf("%q finds nothing in the corpus; the test means to measure a query that finds pages", q)
		}
		if bytes > firstQueryBudget {
			t.Errorf("%q, the first query, fetches %d bytes gzipped; the budget is %d", q, bytes, firstQueryBudget)
		}
	}
}

// buildGuide builds the guide (content/ and theme/ of this repository)
// under /repo/, as the browser tests serve it.
func buildGuide(t *testing.T) *pipeline.Site {
	t.Helper()
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	site, err := pipeline.New(pipeline.Options{
		ContentDir: filepath.Join(root, "content"),
		ThemeDir:   filepath.Join(root, "theme"),
		CacheDir:   filepath.Join(os.TempDir(), "scalebook-e2e-cache"),
		BaseURL:    "/repo/",
	}).Build()
	if err != nil {
		t.Fatalf("the real site does not build:\n%v", err)
	}
	return site
}

// openInChromium writes site, serves it under /repo/ for the rest of the
// test, and opens path in a headless browser, once its search box is up.
func openInChromium(t *testing.T, exe string, site *pipeline.Site, path string) context.Context {
	t.Helper()
	return openPage(t, exe, serveSite(t, site)+path)
}

// serveSite writes site and serves it for the rest of the test, returning
// the address of its base, /repo/.
func serveSite(t *testing.T, site *pipeline.Site) string {
	t.Helper()
	dir := t.TempDir()
	if err := site.Write(dir); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/repo/", http.FileServer(http.Dir(dir))))
	t.Cleanup(srv.Close)
	return srv.URL + "/repo/"
}

// openPage opens url in a new headless browser, once its search box is up.
func openPage(t *testing.T, exe, url string) context.Context {
	t.Helper()
	ctx := newChromium(t, exe)
	if err := chromedp.Run(ctx, chromedp.Navigate(url), chromedp.WaitVisible("#search-input", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	return ctx
}
