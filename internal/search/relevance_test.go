package search_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// relevanceRow is one line of testdata/relevance.txt.
type relevanceRow struct {
	line                   int
	query, expected, where string
}

func readRelevance(t *testing.T) []relevanceRow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "relevance.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []relevanceRow
	for i, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) < 2 || len(f) > 3 {
			t.Fatalf("testdata/relevance.txt:%d: want query, expected and an optional where, separated by tabs", i+1)
		}
		r := relevanceRow{line: i + 1, query: f[0], expected: f[1], where: "top3"}
		if len(f) == 3 {
			r.where = f[2]
		}
		if r.where != "top3" && r.where != "first" && r.where != "shown" {
			t.Fatalf("testdata/relevance.txt:%d: where is top3, first or shown, not %q", i+1, r.where)
		}
		rows = append(rows, r)
	}
	return rows
}

// resultPage is one page of the list as a reader sees it, with the
// sections listed under it: site paths below the base.
type resultPage struct {
	URL      string
	Sections []string
}

// found reports where a row's expectation is in the list: the index of the
// page (or of the page whose sections list the section), or -1.
func (r relevanceRow) found(pages []resultPage) int {
	url, anchor, section := strings.Cut(r.expected, "#")
	match := func(have, want string) bool {
		if strings.HasSuffix(want, "*") {
			return strings.HasPrefix(have, strings.TrimSuffix(want, "*"))
		}
		return have == want
	}
	for i, p := range pages {
		if url != "*" && p.URL != url {
			continue
		}
		if !section {
			return i
		}
		for _, s := range p.Sections {
			if _, a, _ := strings.Cut(s, "#"); match(a, anchor) {
				return i
			}
		}
	}
	return -1
}

// TestRelevance types every query of testdata/relevance.txt into the search
// box of the real site, built from content/, in Chromium, and checks that
// the list shows what the table expects where it expects it.
func TestRelevance(t *testing.T) {
	exe := browser(t)
	rows := readRelevance(t)
	if len(rows) < 30 {
		t.Fatalf("the relevance table has %d queries; it needs 30 or more", len(rows))
	}
	site := buildGuide(t)
	url := serveSite(t, site)
	ctx := openPage(t, exe, url+"guide/01-approach/")
	base := "/repo/"
	var lat latencies
	for _, r := range rows {
		pages := askInBrowser(t, ctx, r.query, r.where == "shown", base)
		lat.add(t, ctx, r.query)
		i := r.found(pages)
		ok := i >= 0
		switch r.where {
		case "first":
			ok = i == 0
		case "top3":
			ok = ok && i < 3
		}
		if !ok {
			var got []string
			for _, p := range pages[:min(len(pages), 5)] {
				got = append(got, p.URL+" "+strings.Join(p.Sections, " "))
			}
			t.Errorf("testdata/relevance.txt:%d: %q should find %s (%s); it found at %d:\n\t%s", r.line, r.query, r.expected, r.where, i, strings.Join(got, "\n\t"))
		}
	}
	lat.report(t, fmt.Sprintf("the guide (%d pages)", site.Pages))
	reportFirstQuery(t, exe, url+"guide/01-approach/", rows[0].query, fmt.Sprintf("the guide (%d pages)", site.Pages))
}

// newChromium starts a headless browser for the test.
func newChromium(t *testing.T, exe string) context.Context {
	t.Helper()
	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true))...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// askInBrowser types query into the search box and reads the list: every
// page, after asking for more until there are no more when all is set.
func askInBrowser(t *testing.T, ctx context.Context, query string, all bool, base string) []resultPage {
	t.Helper()
	set := fmt.Sprintf(`(() => { const i = document.getElementById("search-input"); i.focus(); performance.clearMeasures(); i.value = %q; i.dispatchEvent(new Event("input")); })()`, query)
	var ok bool
	err := chromedp.Run(ctx, chromedp.Evaluate(set, nil),
		chromedp.Poll(fmt.Sprintf(`document.getElementById("search-results").dataset.query === %q`, query), &ok, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("%q: no answer: %v", query, err)
	}
	for all {
		var n int
		chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll("#search-results .search-page").length`, &n))
		var more bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => { const m = document.querySelector("#search-results [data-more]"); if (m) m.click(); return !!m; })()`, &more)); err != nil {
			t.Fatal(err)
		}
		if !more {
			break
		}
		if err := chromedp.Run(ctx, chromedp.Poll(fmt.Sprintf(`document.querySelectorAll("#search-results .search-page").length > %d`, n), &ok, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			t.Fatalf("%q: more results did not come: %v", query, err)
		}
	}
	var raw string
	err = chromedp.Run(ctx, chromedp.Evaluate(`JSON.stringify([...document.querySelectorAll("#search-results .search-result")].map(a => [a.classList.contains("search-page"), a.getAttribute("href")]))`, &raw))
	if err != nil {
		t.Fatal(err)
	}
	var opts [][2]any
	if err := json.Unmarshal([]byte(raw), &opts); err != nil {
		t.Fatal(err)
	}
	var pages []resultPage
	for _, o := range opts {
		href := strings.TrimPrefix(o[1].(string), base)
		switch {
		case href == "#": // "more pages"
		case o[0].(bool):
			pages = append(pages, resultPage{URL: href})
		case len(pages) > 0:
			pages[len(pages)-1].Sections = append(pages[len(pages)-1].Sections, href)
		}
	}
	return pages
}

// The table itself: every row names a page of the guide.
func TestRelevanceTableNamesRealPages(t *testing.T) {
	rows := readRelevance(t)
	var urls []string
	err := filepath.WalkDir(filepath.Join("..", "..", "content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(filepath.Join("..", "..", "content"), p)
			rel = strings.TrimSuffix(filepath.ToSlash(rel), ".md")
			rel = strings.TrimSuffix(strings.TrimSuffix(rel, "_index"), "/")
			if rel != "" {
				rel += "/"
			}
			urls = append(urls, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(urls)
	for _, r := range rows {
		url, _, _ := strings.Cut(r.expected, "#")
		if url != "*" && !slices.Contains(urls, url) {
			t.Errorf("testdata/relevance.txt:%d: no page %s in content/", r.line, url)
		}
	}
}

// latencies collects, query by query, the time the page script spent on
// it with the fetches and pauses for typing left out, which is the time a
// query takes once its files are there: taking in the files, finding the
// words and ranking ("scalebook-search"), and showing the answer
// ("scalebook-render"), as search.js measures them. They are reported, never held to a time: the machine
// running the tests may be loaded.
type latencies struct {
	queries        []string
	search, render []float64
	warm           float64 // the warm-up's time ("scalebook-warm"), if it ran during the first query
}

// add reads the measures of the answer to query, just shown.
func (l *latencies) add(t *testing.T, ctx context.Context, query string) {
	t.Helper()
	var ms []float64
	err := chromedp.Run(ctx, chromedp.Evaluate(`["scalebook-search", "scalebook-render"].map(n => { const e = performance.getEntriesByName(n); return e.length ? e[e.length - 1].duration : -1; })`, &ms))
	if err != nil || len(ms) != 2 || ms[0] < 0 || ms[1] < 0 {
		t.Errorf("%q: no measures of the answer (%v, %v)", query, ms, err)
		return
	}
	if len(l.queries) == 0 {
		chromedp.Run(ctx, chromedp.Evaluate(`(performance.getEntriesByName("scalebook-warm")[0] || {duration: -1}).duration`, &l.warm))
	}
	l.queries = append(l.queries, query)
	l.search = append(l.search, ms[0])
	l.render = append(l.render, ms[1])
}

// reportFirstQuery reports the time a first query takes, as a reader
// meets it: in each of three fresh browsers, the search box is clicked
// (the pointer coming to it fetches the index's metadata), the page's
// warm-up runs while it is idle, and then the query is typed. (The latencies of a series start
// with a query typed at once, while the page warms up.) Like latencies, it
// reports and holds nothing to a time.
func reportFirstQuery(t *testing.T, exe, url, query, what string) {
	t.Helper()
	var got []string
	for range 3 {
		ctx := openPage(t, exe, url)
		var warm float64
		err := chromedp.Run(ctx, chromedp.Click("#search-input", chromedp.ByID),
			chromedp.Poll(`(performance.getEntriesByName("scalebook-warm")[0] || {}).duration`, &warm, chromedp.WithPollingTimeout(20*time.Second)))
		if err != nil {
			t.Errorf("the warm-up did not run after the search box was clicked: %v", err)
			return
		}
		var lat latencies
		askInBrowser(t, ctx, query, false, "/repo/")
		lat.add(t, ctx, query)
		if len(lat.search) == 1 {
			got = append(got, fmt.Sprintf("%.1f + %.1f ms (warm-up %.1f ms)", lat.search[0], lat.render[0], warm))
		}
	}
	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("latency on %s, first query %q once the box was clicked and the page was idle, finding and ranking + showing, in three fresh browsers: %s; load average %s",
		what, query, strings.Join(got, ", "), strings.TrimSpace(string(load)))
}

// report logs the median, 90th percentile and slowest of the answers, and
// the machine's load.
func (l *latencies) report(t *testing.T, what string) {
	t.Helper()
	if len(l.queries) == 0 {
		return
	}
	total := make([]float64, len(l.search))
	slowest := 0
	for i := range total {
		total[i] = l.search[i] + l.render[i]
		if total[i] > total[slowest] {
			slowest = i
		}
	}
	pct := func(v []float64, p float64) float64 {
		s := slices.Clone(v)
		slices.Sort(s)
		return s[min(len(s)-1, int(p*float64(len(s))))]
	}
	load, _ := os.ReadFile("/proc/loadavg")
	// The first query after the page loads pays for compiling the script's
	// code as well as for its files; the second shows the difference.
	for i := range min(2, len(l.queries)) {
		t.Logf("latency on %s, query %d after the page loaded, %q: finding and ranking %.1f ms, showing %.1f ms",
			what, i+1, l.queries[i], l.search[i], l.render[i])
	}
	if l.warm >= 0 {
		t.Logf("latency on %s: the warm-up took %.1f ms of idle time during the first query", what, l.warm)
	}
	t.Logf("latency on %s, %d queries, the script's time with fetches left out: finding and ranking and showing p50 %.1f ms, p90 %.1f ms, slowest %.1f ms (%q); finding and ranking alone p50 %.1f ms, p90 %.1f ms; load average %s",
		what, len(total), pct(total, 0.5), pct(total, 0.9), total[slowest], l.queries[slowest], pct(l.search, 0.5), pct(l.search, 0.9), strings.TrimSpace(string(load)))
	if testing.Verbose() {
		for i, q := range l.queries {
			t.Logf("  %-32q finding and ranking %6.1f ms, showing %6.1f ms", q, l.search[i], l.render[i])
		}
	}
}
