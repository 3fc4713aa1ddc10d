package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/scalebook/scalebook/internal/pipeline"
)

// widths are the phone and desktop windows the theme is measured in.
var widths = []int64{390, 1280}

// realSite builds the real guide with the real theme under /repo/ and
// serves it; it returns the server's URL, every page's path and the files.
func realSite(t *testing.T) (string, []string, map[string][]byte) {
	t.Helper()
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	out := t.TempDir()
	s, err := pipeline.New(pipeline.Options{
		ContentDir: filepath.Join(root, "content"),
		ThemeDir:   filepath.Join(root, "theme"),
		CacheDir:   filepath.Join(os.TempDir(), "scalebook-e2e-cache"),
		BaseURL:    "/repo/",
	}).Build()
	if err != nil {
		t.Fatalf("the real site does not build:\n%v", err)
	}
	if err := s.Write(out); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/repo/", http.FileServer(http.Dir(out))))
	t.Cleanup(srv.Close)
	var pages []string
	for name := range s.Files {
		if strings.HasSuffix(name, ".html") && !strings.Contains(string(s.Files[name]), `http-equiv="refresh"`) {
			pages = append(pages, strings.TrimSuffix(name, "index.html"))
		}
	}
	sort.Strings(pages)
	return srv.URL + "/repo/", pages, s.Files
}

// window sets the browser's viewport width and colour scheme.
func window(width int64, dark bool) chromedp.Action {
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if err := emulation.SetDeviceMetricsOverride(width, 900, 1, false).Do(ctx); err != nil {
			return err
		}
		return emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}).Do(ctx)
	})
}

// evalJSON evaluates an expression (awaiting a promise) that returns a
// JSON string, and decodes it into v.
func evalJSON(expr string, v any) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var s string
		if err := chromedp.Evaluate(expr, &s, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }).Do(ctx); err != nil {
			return err
		}
		return json.Unmarshal([]byte(s), v)
	})
}

// fitJS measures every table and diagram of the page against the column
// it sits in. A table may scroll inside its wrapper only when even its
// narrowest layout (min-content) is wider than the column, and then the
// wrapper must be reachable by keyboard and named. Diagrams fit as they
// first show.
const fitJS = `(() => {
	const problems = [], scrolling = [];
	let tables = 0, diagrams = 0, widest = 0;
	const root = document.documentElement;
	if (root.scrollWidth > root.clientWidth + 1) problems.push("the page is " + root.scrollWidth + " px wide in a " + root.clientWidth + " px window");
	const column = (el) => {
		const c = el.parentElement.closest(".calc, .prose, main");
		const r = c.getBoundingClientRect(), s = getComputedStyle(c);
		return [r.left + parseFloat(s.paddingLeft) + parseFloat(s.borderLeftWidth), r.right - parseFloat(s.paddingRight) - parseFloat(s.borderRightWidth)];
	};
	const label = (el) => {
		const h = [...document.querySelectorAll("main h2, main h3")].filter((h) => h.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
		return el.tagName.toLowerCase() + "." + (el.getAttribute("class") || "").split(" ")[0] + (h ? " under “" + h.textContent.replace(/#$/, "").trim() + "”" : "");
	};
	const fits = (el) => {
		const [l, r] = column(el);
		const b = el.getBoundingClientRect();
		if (b.width === 0) return;
		if (b.left < l - 1 || b.right > r + 1) problems.push(label(el) + " is " + Math.round(b.width) + " px wide in a " + Math.round(r - l) + " px column");
	};
	for (const t of document.querySelectorAll("main table")) {
		tables++;
		const wrap = t.parentElement.closest(".table-wrap") || t;
		fits(wrap);
		if (t.scrollWidth > wrap.clientWidth + 1 || wrap.scrollWidth > wrap.clientWidth + 1) {
			const saved = t.style.width;
			t.style.width = "min-content";
			const min = t.getBoundingClientRect().width;
			t.style.width = saved;
			scrolling.push(label(t) + " (" + Math.round(min) + " px at its narrowest)");
			if (min <= wrap.clientWidth + 1) problems.push(label(t) + " scrolls though it fits at " + Math.round(min) + " px in " + wrap.clientWidth + " px");
			if (wrap.tabIndex < 0) problems.push(label(t) + " scrolls but its wrapper cannot be focused");
			if (!(wrap.getAttribute("aria-label") || wrap.getAttribute("aria-labelledby"))) problems.push(label(t) + " scrolls but its wrapper has no accessible name");
		}
	}
	for (const f of document.querySelectorAll("main figure.diagram")) {
		diagrams++;
		fits(f);
		const svg = f.querySelector("svg.d2");
		if (!svg) continue;
		const b = svg.getBoundingClientRect(), fb = f.getBoundingClientRect();
		widest = Math.max(widest, b.width);
		if (b.width > fb.width + 1) problems.push(label(f) + ": its diagram is " + Math.round(b.width) + " px wide in a " + Math.round(fb.width) + " px figure");
	}
	return JSON.stringify({problems, scrolling, tables, diagrams});
})()`

type fitReport struct {
	Problems  []string `json:"problems"`
	Scrolling []string `json:"scrolling"`
	Tables    int      `json:"tables"`
	Diagrams  int      `json:"diagrams"`
}

// axeRun audits the page with axe-core's default rules (WCAG 2 A and AA
// and best practices) and lists each violation with the elements it found.
// Options narrow it to the elements and rules worth another pass.
func axeRun(context, options string) string {
	return `axe.run(` + context + `, ` + options + `).then((r) => JSON.stringify(r.violations.map((v) =>
	v.id + " (" + v.impact + "): " + v.nodes.length + "× " + v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\s+/g, " ").slice(0, 160)).join("; "))))`
}

// The audits of one page, in order, on one load: every rule on the phone
// layout in the light theme; in the dark theme only contrast changes. At
// desktop width only the chrome differs (the sidebar and the table of
// contents show), and it is the same on every page but for the current
// entries, so it is audited again, in both themes, on chromePages only.
// (A pass of every rule, both themes and both widths on every page took
// twice as long and found nothing more.)
var chromePages = map[string]bool{"": true, "systems/twitter/": true}

var audits = []struct {
	width         int64
	dark          bool
	context, opts string
}{
	{390, false, "document", `{resultTypes: ["violations"]}`},
	{390, true, "document", `{resultTypes: ["violations"], runOnly: ["color-contrast"]}`},
	{1280, false, `{include: [[".site-header"], [".sidebar"], [".toc"], [".site-footer"]]}`, `{resultTypes: ["violations"]}`},
	{1280, true, `{include: [[".site-header"], [".sidebar"], [".toc"], [".site-footer"]]}`, `{resultTypes: ["violations"], runOnly: ["color-contrast"]}`},
}

// TestRealSiteTheme opens every page of the real guide at phone and desktop
// widths: no table or diagram may be wider than its column, and axe-core
// must find nothing in the light or the dark theme. The counts it logs are
// the measurements the theme is judged by.
func TestRealSiteTheme(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the whole-site browser pass")
	}
	chromium(t)
	axeSrc, err := os.ReadFile("testdata/axe/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	base, pages, _ := realSite(t)
	for _, w := range widths {
		t.Run("fit/"+itoa(w), func(t *testing.T) {
			b := newBrowser(t, true)
			ctx := b.ctx
			tables, diagrams := 0, 0
			var scrolling []string
			for _, p := range pages {
				var r fitReport
				if err := chromedp.Run(ctx, window(w, false), chromedp.Navigate(base+p), evalJSON(fitJS, &r)); err != nil {
					t.Fatalf("/%s: %v", p, err)
				}
				for _, msg := range r.Problems {
					t.Errorf("/%s at %d px: %s", p, w, msg)
				}
				for _, s := range r.Scrolling {
					scrolling = append(scrolling, "/"+p+": "+s)
				}
				tables += r.Tables
				diagrams += r.Diagrams
			}
			t.Logf("%d px: %d pages, %d tables (%d scroll inside their wrapper), %d diagrams", w, len(pages), tables, len(scrolling), diagrams)
			for _, s := range scrolling {
				t.Logf("  scrolls: %s", s)
			}
		})
	}
	t.Run("axe", func(t *testing.T) {
		b := newBrowser(t, true)
		clean := 0
		for _, p := range pages {
			if err := chromedp.Run(b.ctx, window(390, false), chromedp.Navigate(base+p), chromedp.Evaluate(string(axeSrc), nil)); err != nil {
				t.Fatalf("/%s: %v", p, err)
			}
			found := false
			for _, a := range audits {
				if a.width != 390 && !chromePages[p] {
					continue
				}
				var violations []string
				if err := chromedp.Run(b.ctx, window(a.width, a.dark), evalJSON(axeRun(a.context, a.opts), &violations)); err != nil {
					t.Fatalf("/%s: %v", p, err)
				}
				for _, v := range violations {
					found = true
					t.Errorf("/%s at %d px, %s theme: %s", p, a.width, scheme(a.dark), v)
				}
			}
			if !found {
				clean++
			}
		}
		t.Logf("axe found nothing on %d of %d pages (390 px: every rule, light; contrast, dark; 1280 px, two pages: the header, sidebar, TOC and footer, both themes)", clean, len(pages))
	})
}

func scheme(dark bool) string {
	if dark {
		return "dark"
	}
	return "light"
}

// TestPhoneMenuHasName: on a phone the menu button shows only its icon, and
// its accessible name must still be there.
func TestPhoneMenuHasName(t *testing.T) {
	srv := site(t)
	b := newBrowser(t, true)
	var nodes []*cdp.Node
	var name string
	err := chromedp.Run(b.ctx, window(360, false), chromedp.Navigate(srv.URL+"/repo/timeline/"),
		chromedp.WaitVisible(".menu-toggle"),
		chromedp.Nodes(".menu-toggle", &nodes),
		chromedp.ActionFunc(func(ctx context.Context) error {
			ax, err := accessibility.GetPartialAXTree().WithNodeID(nodes[0].NodeID).WithFetchRelatives(false).Do(ctx)
			if err != nil {
				return err
			}
			for _, n := range ax {
				if n.Role != nil && strings.Contains(string(n.Role.Value), "button") && n.Name != nil {
					json.Unmarshal(n.Name.Value, &name)
				}
			}
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	if name != "Menu" {
		t.Errorf("the phone menu button's accessible name is %q, want Menu", name)
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestTOCFollowsJumps: the table of contents marks the section being read
// after every kind of jump, including ones that move no heading across the
// screen's edges (Find in page), a link to a short section whose successor
// is already on screen, and a link to the last heading, which cannot scroll
// to the top.
func TestTOCFollowsJumps(t *testing.T) {
	srv := site(t)
	b := newBrowser(t, true)
	const current = `(() => { const a = document.querySelector('.toc a[aria-current="true"]'); return a ? a.hash : "none"; })()`
	steps := []struct {
		what, js, want string
	}{
		{"scroll to the middle of section 3", `[...document.querySelectorAll("p")].find((p) => p.textContent.startsWith("Paragraph 5 of section 3.")).scrollIntoView({block: "center", behavior: "instant"})`, "#section-3"},
		{"Find in page stops in section 9", `document.getElementById("found").scrollIntoView({block: "center", behavior: "instant"})`, "#section-9"},
		{"the TOC link to short section 6", `document.querySelector('.toc a[href="#section-6"]').click()`, "#section-6"},
		{"a link to a paragraph of section 9", `location.hash = "#found"`, "#section-9"},
		{"a link to the last heading", `location.hash = "#section-12"`, "#section-12"},
		{"a script scrolls back to the top", `window.scrollTo({top: 0, behavior: "instant"})`, "#section-1"},
	}
	err := chromedp.Run(b.ctx, window(1280, false), chromedp.Navigate(srv.URL+"/repo/sections/"), chromedp.WaitVisible(".toc"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		var got string
		err := chromedp.Run(b.ctx, chromedp.Evaluate(s.js+`; true`, nil),
			chromedp.Poll(current+` === `+strconv.Quote(s.want), nil, chromedp.WithPollingTimeout(3*time.Second)))
		if err != nil {
			chromedp.Run(b.ctx, chromedp.Evaluate(current, &got))
			t.Errorf("%s: the TOC marks %s, want %s", s.what, got, s.want)
		}
	}
	// Scrolling by hand hands the mark back to the scroll position.
	var got string
	err = chromedp.Run(b.ctx,
		chromedp.Evaluate(`window.dispatchEvent(new WheelEvent("wheel", {deltaY: 100})); [...document.querySelectorAll("p")].find((p) => p.textContent.startsWith("Paragraph 5 of section 2.")).scrollIntoView({block: "center", behavior: "instant"}); true`, nil),
		chromedp.Poll(current+` === "#section-2"`, nil, chromedp.WithPollingTimeout(3*time.Second)))
	if err != nil {
		chromedp.Run(b.ctx, chromedp.Evaluate(current, &got))
		t.Errorf("after scrolling by hand to section 2 the TOC marks %s", got)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

// TestNoScriptInputsSayWhy: with JavaScript off the calculator's inputs are
// read-only; they must not look like fields, and the page must say why.
func TestNoScriptInputsSayWhy(t *testing.T) {
	srv := site(t)
	b := newBrowser(t, false)
	var r struct {
		ReadOnly, Inline bool
		Border, Bg       string
		Note, Hint       string
	}
	err := chromedp.Run(b.ctx, window(390, false), chromedp.Navigate(srv.URL+"/repo/timeline/"),
		chromedp.WaitVisible(`[data-calc="twitter"]`),
		evalJSON(`(() => {
			const f = document.querySelector("#calc-twitter-dau"), s = getComputedStyle(f);
			const note = document.querySelector(".noscript-note");
			return JSON.stringify({
				ReadOnly: f.readOnly, Inline: document.querySelector(".calc-inline").readOnly,
				Border: s.borderTopColor, Bg: s.backgroundColor,
				Note: note && note.offsetHeight > 0 ? note.textContent : "",
				Hint: getComputedStyle(document.querySelector(".calc-inputs"), "::before").content,
			});
		})()`, &r))
	if err != nil {
		t.Fatal(err)
	}
	if !r.ReadOnly || !r.Inline {
		t.Fatalf("inputs are editable without JavaScript (read-only: field %v, inline %v); this test assumes they are not", r.ReadOnly, r.Inline)
	}
	if r.Border != "rgba(0, 0, 0, 0)" || r.Bg != "rgba(0, 0, 0, 0)" {
		t.Errorf("a read-only input still looks like a field: border %s, background %s", r.Border, r.Bg)
	}
	if !strings.Contains(r.Note, "read-only") || !strings.Contains(r.Note, "JavaScript") {
		t.Errorf("the page does not say why the inputs are read-only: note %q", r.Note)
	}
	if !strings.Contains(r.Hint, "JavaScript is off") {
		t.Errorf("the calculator does not say why its inputs are read-only: %s", r.Hint)
	}
	// With JavaScript the note and the hint are gone.
	j := newBrowser(t, true)
	var note bool
	var hint string
	err = chromedp.Run(j.ctx, chromedp.Navigate(srv.URL+"/repo/timeline/"), chromedp.WaitVisible(`[data-calc="twitter"]`),
		chromedp.Evaluate(`!!document.querySelector(".noscript-note") && document.querySelector(".noscript-note").offsetHeight > 0`, &note),
		chromedp.Evaluate(`getComputedStyle(document.querySelector(".calc-inputs"), "::before").content`, &hint))
	if err != nil {
		t.Fatal(err)
	}
	if note || strings.Contains(hint, "JavaScript") {
		t.Errorf("with JavaScript on, the page still says it is off (note shown: %v, hint %s)", note, hint)
	}
}
