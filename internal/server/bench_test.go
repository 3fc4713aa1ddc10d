package server

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkEditToReload measures what an author waits for: from writing a
// content file to the reload event for the rebuilt site, through the real
// watcher, debounce (DefaultDebounce of it is waiting on purpose), build,
// comparison and event stream. build-ms/op is the build and comparison
// alone.
//
// It edits a copy of the builder's fixture site unless told otherwise:
//
//	SCALEBOOK_BENCH_CONTENT=content SCALEBOOK_BENCH_THEME=theme \
//	SCALEBOOK_BENCH_PAGE=guide/x.md go test -run '^$' -bench EditToReload ./internal/server
//
// Folders are relative to the repository root (or absolute) and are copied
// first; the originals are never touched. SCALEBOOK_BENCH_PAGE defaults to
// the first page found that is not a draft.
func BenchmarkEditToReload(b *testing.B) {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(root, p)
	}
	content, theme := abs(os.Getenv("SCALEBOOK_BENCH_CONTENT")), abs(os.Getenv("SCALEBOOK_BENCH_THEME"))
	if content != "" {
		// A real site's calculators compile calc/wasm from the project
		// root, as `scalebook serve` run from there does.
		b.Chdir(root)
	}
	r := startServer(b, serverConfig{before: func(dir string) {
		for _, c := range []struct{ src, dst string }{{content, "site"}, {theme, "theme"}} {
			if c.src == "" {
				continue
			}
			dst := filepath.Join(dir, c.dst)
			if err := os.RemoveAll(dst); err != nil {
				b.Fatal(err)
			}
			if err := os.CopyFS(dst, os.DirFS(c.src)); err != nil {
				b.Fatal(err)
			}
		}
	}})
	page := os.Getenv("SCALEBOOK_BENCH_PAGE")
	if page == "" {
		page = firstPage(b, filepath.Join(r.dir, "site"))
	}
	src := filepath.Join(r.dir, "site", filepath.FromSlash(page))
	original := readFile(b, src)
	events, _ := openEvents(b, r.url+"_scalebook/events")

	var built time.Duration
	var lat []time.Duration
	pages := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// An author saves, then looks: space the edits beyond the
		// debouncer's minimum gap so each measures a lone save.
		b.StopTimer()
		time.Sleep(minGap + 20*time.Millisecond)
		b.StartTimer()
		t0 := time.Now()
		writeFile(b, src, original+"\n\nBenchmark edit "+strconv.Itoa(i)+".\n")
		for {
			ev := events.next(b)
			if ev.Type == EventError {
				b.Fatalf("the edit broke the build: %s", ev.Raw)
			}
			if ev.Type == EventReload {
				break
			}
		}
		lat = append(lat, time.Since(t0))
		res := <-r.results
		built += res.Duration
		pages = res.Pages
	}
	b.StopTimer()
	if b.N > 0 {
		b.ReportMetric(float64(built.Microseconds())/1000/float64(b.N), "build-ms/op")
		b.ReportMetric(float64(pages), "pages")
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*9/10].Microseconds())/1000, "p90-ms")
	}
}

func firstPage(b *testing.B, dir string) string {
	var found string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || found != "" {
			return fs.SkipAll
		}
		if d.IsDir() || !strings.HasSuffix(p, ".md") || filepath.Base(p) == "_index.md" {
			return nil
		}
		// A draft is not built, so editing it would never reload.
		if data, err := os.ReadFile(p); err == nil && !strings.Contains(string(data), "draft: true") {
			found, _ = filepath.Rel(dir, p)
		}
		return nil
	})
	if found == "" {
		b.Fatal("no page to edit in " + dir)
	}
	return filepath.ToSlash(found)
}
