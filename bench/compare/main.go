// Command compare measures scalebook against Hugo on the same synthetic
// corpus, each built as a separate process, and prints issue 16's table:
// a cold build in at most 0.6× Hugo's wall time, a warm rebuild (cache and
// output kept, nothing changed) in at most 0.1× Hugo's cold build, at most
// 0.45× Hugo's peak memory, and an output at most 1.3× the size of Hugo's.
//
// Run it from the repository root (make bench does):
//
//	go run ./bench/compare [-pages 1000] [-runs 3] [-theme DIR] [-keep] [-strict]
//	go run ./bench/compare -generate DIR   # only write the corpus
//
// Every run gets fresh output and cache folders; the median of -runs runs
// is reported (after one untimed run of each, which warms the page cache).
// Without hugo on PATH it says how to install it and still reports
// scalebook's numbers.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/scalebook/scalebook/internal/corpus"
)

// Targets, as ratios of scalebook's number to Hugo's (issue 16).
const (
	coldTarget = 0.60
	warmTarget = 0.10
	memTarget  = 0.45
	sizeTarget = 1.30
)

const fallbackTheme = "internal/pipeline/testdata/theme"

func main() {
	pages := flag.Int("pages", 1000, "pages in the synthetic corpus")
	runs := flag.Int("runs", 3, "timed runs of each build (the median is reported)")
	seed := flag.Int64("seed", 1, "corpus seed")
	theme := flag.String("theme", "", "scalebook theme `folder` (default: theme/, or "+fallbackTheme+" if theme/ cannot build the corpus)")
	keep := flag.Bool("keep", false, "keep the temporary folder (corpus, outputs) and print its path")
	strict := flag.Bool("strict", false, "exit 1 when a target is missed")
	generate := flag.String("generate", "", "only write the corpus into `DIR` and exit")
	flag.Parse()

	if *generate != "" {
		if err := corpus.Generate(*generate, *pages, *seed); err != nil {
			fatal(err)
		}
		fmt.Printf("wrote %d pages into %s\n", *pages, *generate)
		return
	}
	if *runs < 1 {
		fatal(errors.New("-runs must be at least 1"))
	}
	root, err := moduleRoot()
	if err != nil {
		fatal(err)
	}
	tmp, err := os.MkdirTemp("", "scalebook-bench-")
	if err != nil {
		fatal(err)
	}
	if *keep {
		fmt.Println("keeping", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	failed, err := run(root, tmp, *pages, *runs, *seed, *theme)
	if err != nil {
		if !*keep {
			os.RemoveAll(tmp)
		}
		fatal(err)
	}
	if failed && *strict {
		if !*keep {
			os.RemoveAll(tmp)
		}
		os.Exit(1)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "compare:", err)
	os.Exit(1)
}

// moduleRoot finds the repository root: the folder of the go.mod above the
// working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.Contains(data, []byte("module github.com/scalebook/scalebook\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run from inside the scalebook repository")
		}
		dir = parent
	}
}

// measurement is one process run.
type measurement struct {
	Wall time.Duration
	CPU  time.Duration // user + system
	RSS  int64         // peak resident set, bytes
}

// output describes a build's output folder.
type output struct {
	Files, HTML int
	Bytes       int64 // sum of file sizes
	Disk        int64 // allocated blocks, as du counts them
}

// row collects the runs of one kind of build.
type row struct {
	Name string
	Runs []measurement
	Out  output
}

func (r *row) median(f func(measurement) int64) int64 {
	v := make([]int64, len(r.Runs))
	for i, m := range r.Runs {
		v[i] = f(m)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func (r *row) wall() time.Duration {
	return time.Duration(r.median(func(m measurement) int64 { return int64(m.Wall) }))
}
func (r *row) cpu() time.Duration {
	return time.Duration(r.median(func(m measurement) int64 { return int64(m.CPU) }))
}
func (r *row) rss() int64 { return r.median(func(m measurement) int64 { return m.RSS }) }

func (r *row) best() time.Duration {
	b := r.Runs[0].Wall
	for _, m := range r.Runs {
		b = min(b, m.Wall)
	}
	return b
}

func (r *row) spread() string {
	lo, hi := r.Runs[0].Wall, r.Runs[0].Wall
	for _, m := range r.Runs {
		lo, hi = min(lo, m.Wall), max(hi, m.Wall)
	}
	return fmt.Sprintf("%s–%s", secs(lo), secs(hi))
}

func run(root, tmp string, pages, runs int, seed int64, theme string) (failed bool, err error) {
	content := filepath.Join(tmp, "content")
	t0 := time.Now()
	if err := corpus.Generate(content, pages, seed); err != nil {
		return false, err
	}
	corpusOut, err := measureOutput(content)
	if err != nil {
		return false, err
	}
	fmt.Printf("corpus: %d pages in 10 sections, %s of Markdown (generated in %s)\n", pages, mb(corpusOut.Bytes), time.Since(t0).Round(time.Millisecond))

	bin := filepath.Join(tmp, "scalebook")
	gb := exec.Command("go", "build", "-o", bin, "./cmd/scalebook")
	gb.Dir, gb.Stdout, gb.Stderr = root, os.Stderr, os.Stderr
	if err := gb.Run(); err != nil {
		return false, fmt.Errorf("go build ./cmd/scalebook: %w", err)
	}

	// The real theme, unless it cannot build the corpus right now (it is
	// being worked on): then the builder's small test theme, said loudly.
	themeNote := ""
	if theme == "" {
		theme = filepath.Join(root, "theme")
		probe := exec.Command(bin, "build", "-content", content, "-theme", theme, "-out", filepath.Join(tmp, "probe"), "-cache-dir", "")
		if msg, err := probe.CombinedOutput(); err != nil {
			themeNote = "theme/ cannot build the corpus now, so this run uses " + fallbackTheme + " (a tiny test theme):\n  " +
				strings.ReplaceAll(strings.TrimSpace(firstLines(string(msg), 5)), "\n", "\n  ")
			theme = filepath.Join(root, fallbackTheme)
		}
		os.RemoveAll(filepath.Join(tmp, "probe"))
	}
	rel, _ := filepath.Rel(root, theme)
	fmt.Printf("scalebook theme: %s\n", rel)
	if themeNote != "" {
		fmt.Println("NOTE:", themeNote)
	}

	hugo, hugoErr := exec.LookPath("hugo")
	hugoVersion := ""
	if hugoErr == nil {
		v, err := exec.Command(hugo, "version").Output()
		if err != nil {
			return false, fmt.Errorf("hugo version: %w", err)
		}
		hugoVersion = strings.TrimSpace(string(v))
		fmt.Println("hugo:", hugoVersion)
	}
	fmt.Printf("machine: %s/%s, %d CPUs; %d timed runs each, median reported\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runs)

	sbCold := &row{Name: "scalebook cold"}
	sbWarm := &row{Name: "scalebook warm"}
	hgCold := &row{Name: "hugo cold"}

	sbArgs := func(out, cache string) []string {
		return []string{"build", "-content", content, "-theme", theme, "-out", out, "-cache-dir", cache}
	}
	hugoSrc := filepath.Join(root, "bench", "hugo")
	// Run -1 is the untimed warm-up.
	for i := -1; i < runs; i++ {
		dir := filepath.Join(tmp, fmt.Sprintf("run-%d", i+1))
		cache, out := filepath.Join(dir, "cache"), filepath.Join(dir, "public")
		if err := os.MkdirAll(cache, 0o755); err != nil {
			return false, err
		}
		cold, err := measure(bin, sbArgs(out, cache)...)
		if err != nil {
			return false, fmt.Errorf("scalebook cold build: %w", err)
		}
		if _, err := os.Stat(filepath.Join(cache, "pages")); err != nil {
			return false, errors.New("the cold build left no page cache in " + cache + "; a warm build would not be warm")
		}
		warm, err := measure(bin, sbArgs(out, cache)...)
		if err != nil {
			return false, fmt.Errorf("scalebook warm build: %w", err)
		}
		if i == 0 {
			if sbCold.Out, err = measureOutput(out); err != nil {
				return false, err
			}
			sbWarm.Out = sbCold.Out
		}
		if i >= 0 {
			sbCold.Runs = append(sbCold.Runs, cold)
			sbWarm.Runs = append(sbWarm.Runs, warm)
		}
		if hugoErr == nil {
			// A fresh copy of the site folder each run: Hugo writes its lock
			// file and resources/_gen there, and must not reuse them.
			src := filepath.Join(dir, "hugo-src")
			if err := copyDir(hugoSrc, src); err != nil {
				return false, err
			}
			hout, hcache := filepath.Join(dir, "hugo-public"), filepath.Join(dir, "hugo-cache")
			args := []string{"--source", src, "--contentDir", content, "--destination", hout, "--cacheDir", hcache, "--ignoreCache", "--quiet"}
			hc, err := measure(hugo, args...)
			if err != nil {
				return false, fmt.Errorf("hugo build: %w", err)
			}
			if i == 0 {
				if hgCold.Out, err = measureOutput(hout); err != nil {
					return false, err
				}
			}
			if i >= 0 {
				hgCold.Runs = append(hgCold.Runs, hc)
			}
		}
		os.RemoveAll(dir)
		if i >= 0 {
			fmt.Fprintf(os.Stderr, "run %d/%d done\n", i+1, runs)
		}
	}

	rows := []*row{sbCold, sbWarm}
	if hugoErr == nil {
		rows = append(rows, hgCold)
	}
	fmt.Printf("%-18s %9s %15s %9s %10s %7s %7s %10s %10s\n", "build", "wall", "wall range", "CPU", "peak RSS", "files", "HTML", "output", "on disk")
	for _, r := range rows {
		fmt.Printf("%-18s %9s %15s %9s %10s %7d %7d %10s %10s\n", r.Name, secs(r.wall()), r.spread(), secs(r.cpu()), mb(r.rss()),
			r.Out.Files, r.Out.HTML, mb(r.Out.Bytes), mb(r.Out.Disk))
	}
	fmt.Println()

	if hugoErr != nil {
		fmt.Println("hugo is not installed, so there is nothing to compare against. Install it with:")
		fmt.Println("  apt-get update && apt-get install -y hugo")
		fmt.Println("and run `go run ./bench/compare` again.")
		return false, nil
	}
	peak := max(sbCold.rss(), sbWarm.rss())
	lines := []struct {
		name          string
		hugo, sb      string
		ratio, target float64
	}{
		{"cold build", secs(hgCold.wall()), secs(sbCold.wall()), ratio(sbCold.wall(), hgCold.wall()), coldTarget},
		{"warm build (cache kept, nothing changed)", "–", secs(sbWarm.wall()), ratio(sbWarm.wall(), hgCold.wall()), warmTarget},
		{"peak memory", mb(hgCold.rss()), mb(peak), ratio(peak, hgCold.rss()), memTarget},
		{"output size", mb(hgCold.Out.Bytes), mb(sbCold.Out.Bytes), ratio(sbCold.Out.Bytes, hgCold.Out.Bytes), sizeTarget},
	}
	fmt.Printf("medians of %d rounds; ratios are scalebook / Hugo's cold build\n\n", runs)
	fmt.Println("| | Hugo | scalebook | ratio | goal | |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, l := range lines {
		verdict := "met"
		if l.ratio > l.target {
			verdict, failed = "MISSED", true
		}
		fmt.Printf("| %s | %s | %s | %.2f× | ≤ %.2f× | %s |\n", l.name, l.hugo, l.sb, l.ratio, l.target, verdict)
	}
	fmt.Println()
	// Other processes on a shared machine stretch wall times; the fastest
	// run and CPU time are less disturbed, so they are shown beside the
	// medians to tell noise from a real difference.
	fmt.Printf("  %-24s %5.2f× cold, %.2f× warm  (info)\n", "fastest run vs hugo", ratio(sbCold.best(), hgCold.best()), ratio(sbWarm.best(), hgCold.best()))
	fmt.Printf("  %-24s %5.2f× cold, %.2f× warm  (info)\n", "CPU time vs hugo", ratio(sbCold.cpu(), hgCold.cpu()), ratio(sbWarm.cpu(), hgCold.cpu()))
	if themeNote != "" {
		fmt.Println("NOTE: measured with " + fallbackTheme + ", not theme/.")
	}
	return failed, nil
}

// measure runs one process and reports its wall time, CPU time and peak
// resident set. Its output is kept only to explain a failure.
func measure(name string, args ...string) (measurement, error) {
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return measurement{}, fmt.Errorf("%w\n%s", err, firstLines(out.String(), 20))
	}
	m := measurement{Wall: wall, CPU: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.RSS = maxrssBytes(ru.Maxrss)
	}
	return m, nil
}

// maxrssBytes converts ru_maxrss: kilobytes on Linux, bytes on macOS.
func maxrssBytes(v int64) int64 {
	if runtime.GOOS == "darwin" {
		return v
	}
	return v * 1024
}

func measureOutput(dir string) (output, error) {
	var o output
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		o.Files++
		if d.Name() == "index.html" {
			o.HTML++
		}
		o.Bytes += fi.Size()
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			o.Disk += int64(st.Blocks) * 512
		} else {
			o.Disk += fi.Size()
		}
		return nil
	})
	return o, err
}

func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, "\n")
}

// ratio is a / b for durations and byte counts alike.
func ratio[T ~int64](a, b T) float64 { return float64(a) / float64(b) }

func secs(d time.Duration) string { return fmt.Sprintf("%.3fs", d.Seconds()) }

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }
