package pipeline

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scalebook/scalebook/calc"
)

// caseStudySections are the H2 sections every case study has, in order:
// template v2 (shared/reference/case-study-template.md).
var caseStudySections = []string{
	"Requirements", "Estimation", "API", "Data model", "High-level design",
	"Deep dives", "Bottlenecks and trade-offs", "Alternatives considered",
	"The monthly bill", "Reality check", "At 10× the scale",
	"What interviewers probe", "Sources",
}

// TestRealSite builds the guide itself: it must build with no diagnostics
// at all, and every case study must have the standard sections, a live
// calculator whose figures appear in the prose, and a diagram.
func TestRealSite(t *testing.T) {
	root := filepath.Join("..", "..")
	s := buildGuide(t)
	cases, _ := filepath.Glob(filepath.Join(root, "content", "systems", "*.md"))
	h2 := regexp.MustCompile(`(?m)^## (.+?)\s*$`)
	n := 0
	for _, file := range cases {
		if filepath.Base(file) == "_index.md" {
			continue
		}
		n++
		name := strings.TrimSuffix(filepath.Base(file), ".md")
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		inFence := false
		for _, line := range strings.Split(string(src), "\n") {
			if strings.HasPrefix(line, "```") {
				inFence = !inFence
			}
			if m := h2.FindStringSubmatch(line); m != nil && !inFence {
				got = append(got, m[1])
			}
		}
		if strings.Join(got, "|") != strings.Join(caseStudySections, "|") {
			t.Errorf("%s: sections\n got %q\nwant %q", name, got, caseStudySections)
		}
		page := string(s.Files["systems/"+name+"/index.html"])
		if !strings.Contains(page, `data-calc="`) {
			t.Errorf("%s: no calculator", name)
		}
		if c := strings.Count(page, `class="calc-fig"`); c < 20 {
			t.Errorf("%s: only %d inline figures; the prose should quote the calculator", name, c)
		}
		if !strings.Contains(page, `<figure class="diagram`) {
			t.Errorf("%s: no diagram", name)
		}
	}
	if n < 3 {
		t.Errorf("found %d case studies, want at least 3", n)
	}
	msg, _ := os.ReadFile(filepath.Join(root, "content", "systems", "messenger.md"))
	if !strings.Contains(string(msg), "shape: sequence_diagram") ||
		strings.Count(string(s.Files["systems/messenger/index.html"]), `<figure class="diagram`) < 2 {
		t.Error("the messenger needs its send/deliver/ack sequence diagram besides the architecture")
	}
	// Every guide chapter with numbers has a calculator.
	for name, data := range s.Files {
		if strings.HasPrefix(name, "guide/0") && !strings.Contains(string(data), `data-calc="`) {
			t.Errorf("%s: a guide chapter without a calculator", name)
		}
	}
}

// badDisplay matches a figure whose unit prefix the next one up would make
// shorter ("2.31K MB/s", "1K B") or whose large unit leaves only a small
// fraction ("0.00548 PB").
var badDisplay = regexp.MustCompile(`(^|[^\w.])(\d[\d.]*[KMBT] (B|KB|MB|GB|TB|PB|KiB|MiB|GiB|TiB|bits|Kbit|Mbit|Gbit|Tbit|Kbps|Mbps|Gbps)(/|\b)|0\.0\d* (KB|MB|GB|TB|PB|EB|Kbps|Mbps|Gbps|Tbps)\b)`)

// TestUnitsScaleAtExtremes evaluates every calculator of the real guide
// with each input at the ends of its slider and checks that no figure
// shows a unit the value has outgrown: exploring must read as well as the
// defaults do.
func TestUnitsScaleAtExtremes(t *testing.T) {
	s := buildGuide(t)
	source := regexp.MustCompile(`data-calc="([^"]+)" data-source="([^"]*)"`)
	sheets, checked := 0, 0
	for name, data := range s.Files {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range source.FindAllSubmatch(data, -1) {
			sheet, err := calc.Parse(html.UnescapeString(string(m[2])))
			if err != nil {
				t.Errorf("%s: sheet %s: %v", name, m[1], err)
				continue
			}
			sheets++
			for _, in := range sheet.Cells {
				if !in.Input || in.Min == nil || in.Max == nil {
					continue
				}
				for _, end := range []float64{in.Min.Value(), in.Max.Value()} {
					res := sheet.Eval(map[string]string{in.Name: sheet.FormatValue(in.Name, end)})
					for _, r := range res.Cells {
						checked++
						if r.Err == nil && badDisplay.MatchString(r.Text) {
							t.Errorf("%s: %s.%s = %s with %s at %s", name, m[1], r.Name, r.Text, in.Name, sheet.FormatValue(in.Name, end))
						}
					}
				}
			}
		}
	}
	t.Logf("%d sheets, %d figures checked at the ends of the sliders", sheets, checked)
	if sheets < 20 {
		t.Errorf("found only %d calculators", sheets)
	}
	// The pattern itself: it must catch what the issue reported.
	for _, bad := range []string{"2.31K MB/s", "2K GB", "1.83K PB", "0.00579 GB/s", "0.00548 PB", "1K B"} {
		if !badDisplay.MatchString(bad) {
			t.Errorf("pattern misses %q", bad)
		}
	}
}

// buildGuide builds the guide itself; it must build with no diagnostics.
func buildGuide(t *testing.T) *Site {
	t.Helper()
	root := filepath.Join("..", "..")
	s, err := New(Options{
		ContentDir: filepath.Join(root, "content"),
		ThemeDir:   filepath.Join(root, "theme"),
		CacheDir:   filepath.Join(os.TempDir(), "scalebook-realsite-cache"),
	}).Build()
	if err != nil {
		t.Fatalf("the guide does not build:\n%v", err)
	}
	return s
}
