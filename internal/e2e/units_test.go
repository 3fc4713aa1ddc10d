package e2e

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/scalebook/scalebook/calc"
	"github.com/scalebook/scalebook/internal/pipeline"
)

// fleetSheet uses units the site defines in _sheets/ (rack, frame) and one
// of its own (pg4k).
const fleetSheet = `size = 3 racks "Racks" range 1 rack..20 racks
per_server = 2K req/s "Requests a server serves"
capacity := size * per_server as req/s "Capacity"
need := servers(200K req/s, per_server, 30%, 3) * 1 servers as racks "Racks needed"
lag := 2 frames as ms "Two frames"
index := 1 GiB as pg4k "Index pages"
unit pg4k = 4 KiB
`

// TestSiteUnitsWithAndWithoutJavaScript: a page whose calculator uses the
// site's units shows the same figures built (no JavaScript) as the
// browser's engine computes from the same page, and the engine reads a
// value the reader types in those units as calc does.
func TestSiteUnitsWithAndWithoutJavaScript(t *testing.T) {
	chromium(t)
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	dir := t.TempDir()
	for name, text := range map[string]string{
		"_index.md":          "---\ntitle: Units\n---\n[Fleet](fleet.md)\n",
		"_sheets/units.calc": "unit rack = 42 servers\nunit frame = s / 30\n",
		"fleet.md":           "---\ntitle: Fleet\n---\n```calc id=fleet\n" + fleetSheet + "```\n\nThe load needs {{fleet.need}}.\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	s, err := pipeline.New(pipeline.Options{ContentDir: dir, ThemeDir: filepath.Join(root, "theme"),
		CacheDir: filepath.Join(os.TempDir(), "scalebook-e2e-cache"), BaseURL: "/repo/"}).Build()
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if err := s.Write(out); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/repo/", http.FileServer(http.Dir(out))))
	t.Cleanup(srv.Close)

	// calc itself, on the sheet as every calculator of the site reads it.
	sheet, err := calc.Parse(fleetSheet + "unit rack = 42 servers\nunit frame = s / 30\n")
	if err != nil {
		t.Fatal(err)
	}
	want, typed := sheet.Eval(nil), sheet.Eval(map[string]string{"size": "5 racks"})
	cells := []string{"size", "capacity", "need", "lag", "index"} // an input, then results
	if want.Get("need").Text != "3.43 racks" || want.Get("lag").Text != "66.7 ms" {
		t.Fatalf("calc: need %q, lag %q", want.Get("need").Text, want.Get("lag").Text)
	}

	// Without JavaScript: the figures the build printed.
	static := map[string]string{}
	nojs := newBrowser(t, false)
	if err := chromedp.Run(nojs.ctx, chromedp.Navigate(srv.URL+"/repo/fleet/"), chromedp.WaitVisible(`[data-calc="fleet"]`)); err != nil {
		t.Fatalf("without JavaScript: %v", err)
	}
	for _, c := range cells {
		var text string
		get := chromedp.Text(`output[data-cell="fleet.`+c+`"]`, &text, chromedp.ByQuery)
		if c == "size" {
			get = chromedp.Value(`#calc-fleet-size`, &text, chromedp.ByQuery)
		}
		if err := chromedp.Run(nojs.ctx, get); err != nil {
			t.Fatalf("without JavaScript, %s: %v", c, err)
		}
		static[c] = text
	}

	// With JavaScript: the engine evaluates the page's own sheet text.
	b := newBrowser(t, true)
	var engine, after string
	err = chromedp.Run(b.ctx,
		chromedp.Navigate(srv.URL+"/repo/fleet/"),
		chromedp.WaitVisible(`[data-calc="fleet"]`),
		chromedp.Evaluate(`document.querySelector('[data-calc]').dispatchEvent(new PointerEvent('pointerdown', {bubbles: true})); true`, nil),
		chromedp.Poll(`typeof window.scalebookCalc === 'object'`, nil),
		chromedp.Evaluate(`scalebookCalc.eval(document.querySelector('[data-calc="fleet"]').dataset.source, {})`, &engine),
		chromedp.Click(`#calc-fleet-size`),
		clear(`#calc-fleet-size`),
		chromedp.SendKeys(`#calc-fleet-size`, "5 racks"),
		chromedp.Poll(`document.querySelector('output[data-cell="fleet.capacity"]').textContent === `+strconv.Quote(typed.Get("capacity").Text), nil),
		chromedp.Text(`output[data-cell="fleet.capacity"]`, &after),
	)
	if err != nil {
		t.Fatalf("with JavaScript: %v (console: %v)", err, b.consoleErrors())
	}
	live := map[string]string{}
	for _, rec := range strings.Split(engine, "\x1e") {
		if f := strings.Split(rec, "\x1f"); len(f) >= 3 {
			live[f[0]] = f[2]
		}
	}
	for _, c := range cells {
		w := want.Get(c).Text
		if static[c] != w || live[c] != w {
			t.Errorf("%s: built %q, browser's engine %q, calc %q", c, static[c], live[c], w)
		}
	}
	if after != typed.Get("capacity").Text {
		t.Errorf("after typing 5 racks, capacity shows %q, calc says %q", after, typed.Get("capacity").Text)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}
