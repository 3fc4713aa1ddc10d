package pipeline_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/scalebook/scalebook/internal/pipeline"
)

// BenchmarkRebuildGuideEdit is the dev server's rebuild after one edit to
// a chapter of the real guide: the sheets, diagrams and search index of a
// real site, which the synthetic corpus does not have. As in the dev
// server, the search index is assembled after the pages (search-ms/op),
// outside the time to reload.
func BenchmarkRebuildGuideEdit(b *testing.B) {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	dir := b.TempDir()
	for _, d := range []string{"content", "theme"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS(filepath.Join(root, d))); err != nil {
			b.Fatal(err)
		}
	}
	// The calculators' engine compiles from the project's calc/.
	b.Chdir(root)
	page := filepath.Join(dir, "content", "guide", "01-approach.md")
	if p := os.Getenv("SCALEBOOK_BENCH_PAGE"); p != "" {
		page = filepath.Join(dir, "content", filepath.FromSlash(p))
	}
	bl := pipeline.New(pipeline.Options{
		ContentDir:  filepath.Join(dir, "content"),
		ThemeDir:    filepath.Join(dir, "theme"),
		CacheDir:    filepath.Join(os.TempDir(), "scalebook-guidebench-cache"),
		Dev:         true,
		DeferSearch: true,
	})
	if _, err := bl.Build(); err != nil {
		b.Fatal(err)
	}
	original, err := os.ReadFile(page)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var search, searchCPU time.Duration
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		site := editAndBuild(b, bl, page, original, i, true)
		b.StopTimer()
		t0, c0 := time.Now(), cpuTime()
		site.Search()
		search, searchCPU = search+time.Since(t0), searchCPU+cpuTime()-c0
		b.StartTimer()
	}
	b.ReportMetric(float64(search.Microseconds())/1000/float64(b.N), "search-ms/op")
	if cpu := cpuTime() - cpu0 - searchCPU; cpu0 > 0 {
		// CPU time of the rebuild (all threads, garbage collection
		// included), steadier than ns/op on a shared machine.
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}
