package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// changedInViewJS counts the figures the last change marked that a reader
// can see: inside the window, not folded away.
const changedInViewJS = `(() => {
	const h = window.innerHeight, w = window.innerWidth;
	let n = 0;
	for (const el of document.querySelectorAll('.calc-changed')) {
		const r = el.getBoundingClientRect();
		if (r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= h && r.left >= 0 && r.right <= w) n++;
	}
	const f = document.activeElement.getBoundingClientRect();
	return JSON.stringify({n, inputInView: f.top >= 0 && f.bottom <= h, active: document.activeElement.id, top: f.top, y: scrollY});
})()`

// TestChangeShowsItsEffect: on every case study, at phone and desktop
// widths, a reader who changes the calculator's first input sees at least
// three results change, marked as changed, without scrolling.
func TestChangeShowsItsEffect(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the whole-site browser pass")
	}
	chromium(t)
	base, pages, _ := realSite(t)
	for _, w := range widths {
		t.Run(itoa(w), func(t *testing.T) {
			b := newBrowser(t, true)
			for _, p := range pages {
				if !strings.HasPrefix(p, "systems/") || p == "systems/" {
					continue
				}
				sel := `section.calc .calc-inputs input[type="text"]`
				var seen struct {
					N           int     `json:"n"`
					InputInView bool    `json:"inputInView"`
					Active      string  `json:"active"`
					Top         float64 `json:"top"`
					Y           float64 `json:"y"`
				}
				err := chromedp.Run(b.ctx,
					window(w, false),
					chromedp.Navigate(base+p),
					chromedp.WaitVisible(sel),
					chromedp.Evaluate(`document.querySelector('`+sel+`').scrollIntoView({block: 'center', behavior: 'instant'})`, nil),
					chromedp.Focus(sel),
					// Doubling the value is what Shift+ArrowUp does.
					chromedp.KeyEvent(kb.ArrowUp, chromedp.KeyModifiers(input.ModifierShift)),
					chromedp.Poll(`document.querySelectorAll('.calc-changed').length > 0`, nil),
					evalJSON(changedInViewJS, &seen),
				)
				if err != nil {
					t.Fatalf("/%s: %v (console: %v)", p, err, b.consoleErrors())
				}
				if seen.N < 3 || !seen.InputInView {
					t.Errorf("/%s at %d px: %d changed results in view (want ≥ 3), input in view: %v (%+v)", p, w, seen.N, seen.InputInView, seen)
				}
			}
			if errs := b.consoleErrors(); len(errs) > 0 {
				t.Errorf("console: %v", errs)
			}
		})
	}
}

// TestExploring covers what a reader meets while exploring one calculator:
// the engine loads on intent, with a quiet loading line; a change marks the
// figures it moved and keeps the value each replaced; the summary reaches
// screen readers once typing pauses; sliders speak values, not positions;
// a bad value is explained in the reader's words.
func TestExploring(t *testing.T) {
	srv := site(t)
	b := newBrowser(t, true)
	url := srv.URL + "/repo/timeline/"
	// A connection that asks to save data: nothing loads ahead.
	saveData := chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(`Object.defineProperty(navigator, 'connection', {value: {saveData: true, effectiveType: '4g'}})`).Do(ctx)
		return err
	})
	wasmFetched := `performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm'))`
	var before bool
	err := chromedp.Run(b.ctx,
		saveData,
		chromedp.Navigate(url),
		chromedp.WaitVisible(`[data-calc="twitter"]`),
		// Let the page go idle: an idle callback would have run by then.
		chromedp.Evaluate(`new Promise((r) => requestIdleCallback(() => setTimeout(r, 0)))`, nil, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.Evaluate(wasmFetched, &before),
	)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if before {
		t.Error("the engine was fetched before the reader showed any intent")
	}

	// Intent: a click in an input. The engine loads and the status clears.
	var status string
	err = chromedp.Run(b.ctx,
		chromedp.Click(`#calc-twitter-dau`),
		chromedp.Poll(wasmFetched, nil),
		chromedp.Poll(`document.querySelector('.calc-status').textContent === ''`, nil),
		chromedp.Text(`.calc-status`, &status),
	)
	if err != nil {
		var dbg string
		chromedp.Run(b.ctx, chromedp.Evaluate(`JSON.stringify({status: document.querySelector('.calc-status').textContent, wasm: `+wasmFetched+`, state: document.querySelector('[data-calc]').dataset.calcState})`, &dbg))
		t.Fatalf("intent: %v (%s; console: %v)", err, dbg, b.consoleErrors())
	}

	// A change marks what moved and keeps the old value.
	def := expected(t, nil)
	var title, was, announce string
	err = chromedp.Run(b.ctx,
		clear(`#calc-twitter-dau`),
		chromedp.SendKeys(`#calc-twitter-dau`, "600M users"),
		chromedp.Poll(`document.querySelector('output.calc-changed[data-cell="twitter.read_qps"]') !== null`, nil),
		chromedp.AttributeValue(`output.calc-changed[data-cell="twitter.read_qps"]`, "data-was", &title, nil),
		chromedp.Poll(`document.querySelector('.calc-announce').textContent.startsWith('Now:')`, nil),
		chromedp.Text(`.calc-announce`, &announce),
	)
	if err != nil {
		t.Fatalf("change: %v (console: %v)", err, b.consoleErrors())
	}
	if want := def.Get("read_qps").Text; title != want {
		t.Errorf("changed figure's data-was %q, want %q", title, want)
	}
	now := expected(t, map[string]string{"dau": "600M users"})
	if !strings.Contains(announce, now.Get("read_qps").Text) && !strings.Contains(announce, now.Get("egress").Text) {
		t.Errorf("announcement %q names none of the new key figures", announce)
	}
	if err := chromedp.Run(b.ctx, chromedp.Evaluate(`(document.querySelector('.calc-key .calc-was') || {textContent: 'no key'}).textContent`, &was)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(was, "was ") {
		t.Errorf("key result's old value: %q", was)
	}

	// The log slider speaks the value, and its arrow keys move by a tenth.
	var valuetext, field string
	err = chromedp.Run(b.ctx,
		chromedp.AttributeValue(`input[type="range"][data-for="dau"]`, "aria-valuetext", &valuetext, nil),
		chromedp.Focus(`input[type="range"][data-for="dau"]`),
		chromedp.KeyEvent(kb.ArrowUp),
		chromedp.Poll(`document.querySelector('#calc-twitter-dau').value !== '600M users'`, nil),
		chromedp.Value(`#calc-twitter-dau`, &field),
	)
	if err != nil {
		t.Fatalf("slider: %v", err)
	}
	if valuetext != "600M users" {
		t.Errorf("slider aria-valuetext %q, want the field's value", valuetext)
	}
	if field != "660M users" {
		t.Errorf("ArrowUp on the log slider gave %q, want 660M users (a tenth more)", field)
	}

	// A bad value: the input by its label, what to type, the range.
	var errText string
	err = chromedp.Run(b.ctx,
		clear(`#calc-twitter-dau`),
		chromedp.SendKeys(`#calc-twitter-dau`, "1 B users"),
		chromedp.WaitVisible(`#calc-twitter-dau-err`),
		chromedp.Text(`#calc-twitter-dau-err`, &errText),
	)
	if err != nil {
		t.Fatalf("bad value: %v", err)
	}
	for _, want := range []string{"Daily active users", "a number of users", "such as 300M users", "from 1M users to 2B users"} {
		if !strings.Contains(errText, want) {
			t.Errorf("error %q lacks %q", errText, want)
		}
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console: %v", errs)
	}
}
