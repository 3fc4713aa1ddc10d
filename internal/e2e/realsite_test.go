package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRealSitePagesClean opens every page of the real guide in the browser
// and fails on any console error or warning: a CSP violation (an inline
// style in a diagram, say), a failed fetch, or a script exception.
func TestRealSitePagesClean(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the whole-site browser pass")
	}
	chromium(t)
	base, pages, files := realSite(t)
	b := newBrowser(t, true)
	calcPages := 0
	for _, p := range pages {
		var hasCalc bool
		err := chromedp.Run(b.ctx,
			chromedp.Navigate(base+p),
			chromedp.Evaluate(`document.querySelectorAll('[data-calc]').length > 0`, &hasCalc),
		)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if hasCalc {
			calcPages++
			// Scroll to the end so lazy work (images) runs, and show
			// intent on a calculator so the engine loads.
			var ready bool
			err = chromedp.Run(b.ctx,
				chromedp.Evaluate(`window.scrollTo(0, document.body.scrollHeight); document.querySelector('[data-calc]').dispatchEvent(new PointerEvent('pointerdown', {bubbles: true})); true`, nil),
				chromedp.Poll(`typeof window.scalebookCalc === 'object'`, &ready),
			)
			if err != nil {
				t.Errorf("%s: the calculator engine did not load: %v", p, err)
			}
		}
		if errs := b.consoleErrors(); len(errs) > 0 {
			t.Errorf("/%s: console errors: %v", p, errs)
			b.mu.Lock()
			b.errors = nil
			b.mu.Unlock()
		}
	}
	// Timing on the largest sheet (the Twitter case: 50+ cells, 140+
	// figures) is reported, not asserted: the target is 5 ms.
	var timing string
	err := chromedp.Run(b.ctx,
		chromedp.Navigate(base+"systems/twitter/"),
		chromedp.Evaluate(`document.querySelector('[data-calc]').dispatchEvent(new PointerEvent('pointerdown', {bubbles: true})); true`, nil),
		chromedp.Poll(`typeof window.scalebookCalc === 'object'`, nil),
		chromedp.Evaluate(`(() => {
			const f = document.querySelector('#calc-twitter-dau');
			const root = document.querySelector('[data-calc="twitter"]');
			const ms = [], engine = [];
			for (let i = 1; i <= 120; i++) {
				f.value = ((i % 60) * 50 + 50) + 'M users';
				const t0 = performance.now();
				f.dispatchEvent(new Event('input'));
				ms.push(performance.now() - t0);
				engine.push(+root.dataset.evalMs);
			}
			const q = (a) => { a.sort((x, y) => x - y); return 'p50 ' + a[60].toFixed(2) + ' ms, p90 ' + a[108].toFixed(2) + ' ms'; };
			// Sensitivity of the result the page's view starts on: the
			// engine's ranking of every input (target 5 ms).
			const sel = document.querySelector('#calc-twitter-sens');
			const sens = [];
			for (let i = 0; i < 40; i++) {
				const t0 = performance.now();
				window.scalebookCalc.sensitivity(root.dataset.source, {}, sel.value, 0.1);
				sens.push(performance.now() - t0);
			}
			const q40 = (a) => { a.sort((x, y) => x - y); return 'p50 ' + a[20].toFixed(2) + ' ms, p90 ' + a[36].toFixed(2) + ' ms'; };
			return document.querySelectorAll('[data-cell^="twitter."]').length + ' values; input to DOM ' + q(ms) + '; of which the engine ' + q(engine) +
				'; sensitivity of ' + sel.value + ' ' + q40(sens);
		})()`, &timing),
	)
	if err != nil {
		t.Fatalf("timing the Twitter calculator: %v", err)
	}
	t.Logf("Twitter calculator, 120 edits: %s", timing)
	if calcPages < 10 {
		t.Errorf("only %d pages have calculators; the guide should have more", calcPages)
	}
	// No page carries an inline style or script: the CSP would block them.
	inline := regexp.MustCompile(`<script>|<script [^>]*>[^<]|\sstyle="|<style`)
	for name, data := range files {
		if strings.HasSuffix(name, ".html") {
			if loc := inline.FindIndex(data); loc != nil {
				t.Errorf("%s: inline script or style: %.80q", name, data[loc[0]:])
			}
		}
	}
}
