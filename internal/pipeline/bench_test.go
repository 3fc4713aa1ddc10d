package pipeline_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/scalebook/scalebook/internal/corpus"
	"github.com/scalebook/scalebook/internal/pipeline"
)

// benchPages is the size of the benchmark corpus: large enough that the
// per-page work dominates, small enough for quick -bench runs. The full
// comparison with Hugo (1,000 pages, separate processes) is bench/compare.
const benchPages = 200

// benchTheme is the builder's test theme, so the numbers do not move with
// edits to the real theme.
const benchTheme = "testdata/theme"

// benchCorpus writes the corpus into a temporary folder owned by b. The
// generator is deterministic, so every call (the testing package calls a
// benchmark several times while it picks b.N) sees the same pages.
func benchCorpus(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	if err := corpus.Generate(dir, benchPages, 1); err != nil {
		b.Fatal(err)
	}
	return dir
}

func reportBuild(b *testing.B, pages, misses int, elapsed time.Duration) {
	b.ReportMetric(float64(pages)*float64(b.N)/elapsed.Seconds(), "pages/s")
	b.ReportMetric(float64(misses)/float64(b.N), "hl-misses/op")
}

// BenchmarkBuildCold builds the corpus with no cache: every code block is
// tokenized, as in a fresh checkout or CI.
func BenchmarkBuildCold(b *testing.B) {
	opts := pipeline.Options{ContentDir: benchCorpus(b), ThemeDir: benchTheme}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var pages, misses int
	for range b.N {
		site, err := pipeline.New(opts).Build()
		if err != nil {
			b.Fatal(err)
		}
		pages, misses = site.Pages, misses+site.Stats.HighlightMisses
	}
	reportBuild(b, pages, misses, time.Since(start))
}

// BenchmarkBuildWarm rebuilds an unchanged corpus with the cache a previous
// build left on disk. Each iteration uses a new Builder, as a second
// `scalebook build` does, so loading the cache file is part of the cost;
// hl-misses/op should be 0.
func BenchmarkBuildWarm(b *testing.B) {
	opts := pipeline.Options{ContentDir: benchCorpus(b), ThemeDir: benchTheme, CacheDir: b.TempDir()}
	if _, err := pipeline.New(opts).Build(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var pages, misses int
	for range b.N {
		site, err := pipeline.New(opts).Build()
		if err != nil {
			b.Fatal(err)
		}
		pages, misses = site.Pages, misses+site.Stats.HighlightMisses
	}
	reportBuild(b, pages, misses, time.Since(start))
}

// BenchmarkRebuildOneEdit is the dev server's case: one long-lived Builder,
// one page edited between builds.
func BenchmarkRebuildOneEdit(b *testing.B) {
	// "told" is the dev server's path: the watcher's change set says what
	// to read again. "untold" reads the whole folder, as a build without
	// a watcher must.
	for _, told := range []bool{false, true} {
		b.Run(map[bool]string{false: "untold", true: "told"}[told], func(b *testing.B) {
			dir := benchCorpus(b)
			opts := pipeline.Options{ContentDir: dir, ThemeDir: benchTheme, Dev: true}
			bl := pipeline.New(opts)
			if _, err := bl.Build(); err != nil {
				b.Fatal(err)
			}
			page := filepath.Join(dir, "section-01", "page-0001.md")
			original, err := os.ReadFile(page)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				editAndBuild(b, bl, page, original, i, told)
			}
		})
	}
}

// editAndBuild appends a line to page, as an author's save does, and
// builds; told says whether the Builder hears of the change, as the dev
// server's watcher tells it.
func editAndBuild(b *testing.B, bl *pipeline.Builder, page string, original []byte, i int, told bool) *pipeline.Site {
	b.Helper()
	os.WriteFile(page, append(original, []byte("\nEdit "+strconv.Itoa(i)+".\n")...), 0o644)
	if told {
		bl.Changed([]string{page})
	}
	site, err := bl.Build()
	if err != nil {
		b.Fatal(err)
	}
	if site.Stats.Parsed != 1 {
		b.Fatalf("parsed %d pages for one edit", site.Stats.Parsed)
	}
	return site
}
