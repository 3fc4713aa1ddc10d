package server

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// longPage is tall enough to scroll, so that keeping the scroll position
// across a reload can be seen.
var longPage = "---\ntitle: Long\n---\n" + strings.Repeat("A paragraph of text that takes up some room on the page.\n\n", 300) + "Marker: first.\n"

// The reload client in a real browser, under the pages' real CSP: an edit
// reloads and keeps the scroll position, a CSS edit swaps the stylesheet
// without reloading, a broken build shows an accessible, dismissible
// overlay styled by overlay.css, and the fix removes it.
func TestReloadClientInBrowser(t *testing.T) {
	exe := chromium(t)
	r := startServer(t, serverConfig{before: func(dir string) {
		writeFile(t, filepath.Join(dir, "site", "guide", "long.md"), longPage)
	}})
	page := filepath.Join(r.dir, "site", "guide", "long.md")
	b := newBrowser(t, exe)
	defer b.check(r)

	b.must(chromedp.Navigate(r.url + "guide/long/"))
	b.waitFor("the page", `document.body.textContent.includes("Marker: first.")`)

	// An edit reloads the page at the same scroll position. "manual" stops
	// the browser's own restoring, which would hide whether the client
	// does it.
	b.must(chromedp.Evaluate(`history.scrollRestoration = "manual"; window.scrollTo(0, 1500); window.notReloaded = true`, nil))
	writeFile(t, page, strings.Replace(longPage, "Marker: first.", "Marker: second.", 1))
	b.waitFor("the edit", `document.body.textContent.includes("Marker: second.")`)
	if b.eval(`window.notReloaded === undefined`) != true {
		t.Error("the page changed without a reload")
	}
	b.waitFor("the scroll position", `Math.abs(window.scrollY - 1500) < 2`)

	// A CSS edit swaps the stylesheet; the page is not reloaded.
	b.must(chromedp.Evaluate(`window.notReloaded = true`, nil))
	css := filepath.Join(r.dir, "theme", "assets", "css", "base.css")
	writeFile(t, css, readFile(t, css)+"\nmain { letter-spacing: 3px; }\n")
	b.waitFor("the new stylesheet", `getComputedStyle(document.querySelector("main")).letterSpacing === "3px"`)
	b.waitFor("the old stylesheet to go", `document.querySelectorAll('link[rel="stylesheet"]').length === 1`)
	if b.eval(`window.notReloaded === true`) != true {
		t.Error("a CSS-only edit reloaded the page")
	}

	// A broken build: an overlay with every problem, styled, accessible.
	writeFile(t, page, longPage+"\n{{nosuch.cell}}\n")
	overlay := `document.querySelector('#scalebook-overlay[role="alert"]:not([hidden])')`
	b.waitFor("the overlay", overlay+` !== null`)
	if text, _ := b.eval(overlay + `.textContent`).(string); !strings.Contains(text, "guide/long.md:") || !strings.Contains(text, `no calculator with id "nosuch"`) {
		t.Errorf("overlay text: %q", text)
	}
	// The source line, with a caret under the mistake, as in the terminal.
	if src, _ := b.eval(overlay + `.querySelector("pre")?.textContent`).(string); !strings.Contains(src, "| {{nosuch.cell}}") || !strings.Contains(src, "| ^") {
		t.Errorf("overlay source excerpt: %q", src)
	}
	if pos := b.eval(`getComputedStyle(` + overlay + `).position`); pos != "fixed" {
		t.Errorf("overlay position %v: overlay.css not applied", pos)
	}
	if b.eval(`document.body.textContent.includes("Marker: second.")`) != true {
		t.Error("the last good page is gone")
	}
	b.must(chromedp.Click(`#scalebook-overlay button`, chromedp.ByQuery))
	b.waitFor("dismissal", `document.getElementById("scalebook-overlay") === null`)

	// Broken again, then fixed: the overlay comes and goes.
	writeFile(t, page, longPage+"\n{{other.cell}}\n")
	b.waitFor("the overlay again", overlay+` !== null && `+overlay+`.textContent.includes("other")`)
	// A broken link is a warning while previewing: the edit shows, and
	// the overlay says it built.
	writeFile(t, page, strings.Replace(longPage, "Marker: first.", "Marker: linked.", 1)+"\n[broken](elsewhere.md)\n")
	b.waitFor("the warning", `document.body.textContent.includes("Marker: linked.") && `+overlay+` !== null && `+
		overlay+`.classList.contains("scalebook-overlay-warning") && `+overlay+`.textContent.includes("elsewhere.md")`)
	writeFile(t, page, strings.Replace(longPage, "Marker: first.", "Marker: fixed.", 1))
	b.waitFor("the fix", `document.body.textContent.includes("Marker: fixed.") && document.getElementById("scalebook-overlay") === null`)
}

// Before any good build the browser shows the problems; the fix brings the
// site in without touching the browser.
func TestFirstBuildFailsInBrowser(t *testing.T) {
	exe := chromium(t)
	broken := filepath.Join("site", "guide", "broken.md")
	r := startServer(t, serverConfig{before: func(dir string) {
		writeFile(t, filepath.Join(dir, broken), "See {{nosuch.cell}}.\n")
	}})
	b := newBrowser(t, exe)
	defer b.check(r)
	b.must(chromedp.Navigate(r.url + "guide/requirements/"))
	b.waitFor("the failure page", `document.body.textContent.includes("no calculator with id")`)
	writeFile(t, filepath.Join(r.dir, broken), "Fixed.\n")
	b.waitFor("the site", `document.body.textContent.includes("Ask what the system does")`)
}

// chromium finds a browser, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("browser test: no chromium on this machine")
	return ""
}

// browser is a headless Chromium tab whose helpers fail the test.
type browser struct {
	t        *testing.T
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T, exe string) *browser {
	t.Helper()
	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true))...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 2*hangGuard)
	t.Cleanup(cancel)
	b := &browser{t: t, ctx: ctx}
	// CSP violations and script errors are collected and fail the test.
	chromedp.ListenTarget(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = "exception: " + ev.ExceptionDetails.Text
		case *cdplog.EventEntryAdded:
			// The failure page is a 503 on purpose; EventSource logs
			// when a reload interrupts it.
			if ev.Entry.Level == cdplog.LevelError && !strings.Contains(ev.Entry.Text, "503") && !strings.Contains(ev.Entry.Text, "EventSource") {
				msg = "log: " + ev.Entry.Text + " " + ev.Entry.URL
			}
		}
		if msg != "" {
			b.mu.Lock()
			b.problems = append(b.problems, msg)
			b.mu.Unlock()
		}
	})
	b.must(cdplog.Enable())
	return b
}

func (b *browser) must(actions ...chromedp.Action) {
	b.t.Helper()
	if err := chromedp.Run(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// waitFor evaluates expr until it is true. Reloads in between make single
// evaluations fail; those are retried, not errors.
func (b *browser) waitFor(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(hangGuard)
	for {
		var ok bool
		if err := chromedp.Run(b.ctx, chromedp.Evaluate(expr, &ok)); err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			var links string
			chromedp.Run(b.ctx, chromedp.Evaluate(`[...document.querySelectorAll('link[rel~="stylesheet"]')].map(l => l.href).join(" ")`, &links))
			b.t.Fatalf("waiting for %s: %s never became true (stylesheets: %s)", what, expr, links)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (b *browser) eval(expr string) any {
	b.t.Helper()
	var out any
	b.must(chromedp.Evaluate(expr, &out))
	return out
}

// check fails the test for every problem the browser reported, and shows
// the server's terminal when anything failed.
func (b *browser) check(r *running) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		b.t.Error(p)
	}
	if b.t.Failed() {
		b.t.Logf("server stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
}
