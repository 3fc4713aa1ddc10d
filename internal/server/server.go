// Package server is `scalebook serve`: it builds the site into memory,
// serves it over HTTP, rebuilds when sources change and tells open pages
// to reload (or, for a stylesheet, to swap it in place) over Server-Sent
// Events.
//
// A failed build never reaches the browser as a broken site: the last good
// build stays up, and pages show the problems in an overlay until a build
// succeeds again.
package server

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/pipeline"
)

// DefaultAddr listens on the loopback interface only: a draft site is
// nobody else's business unless -addr says otherwise.
const DefaultAddr = "127.0.0.1:1313"

// DefaultDebounce is how long the sources must stay quiet before a
// rebuild. Editors finish a save (temporary file, rename, write) within a
// millisecond or two — the slow part, fsync, comes after the content is
// complete. A save that straggles past it costs one more rebuild, which
// minGap spaces out; a build made from a half-written file while more
// changes are already seen is neither shown nor reported (rebuild).
// Every millisecond here is a millisecond between saving and seeing.
const DefaultDebounce = 5 * time.Millisecond

// minGap spaces rebuilds during a burst of saves: a few rebuilds a second
// at most, however many saves.
const minGap = 250 * time.Millisecond

// maxWait bounds the debounce, so a tool that writes without pause still
// gets its changes shown.
const maxWait = time.Second

// Options configure Run.
type Options struct {
	// Build says what to build. Dev is always set: served pages load the
	// reload client.
	Build pipeline.Options
	// Addr is the host:port to listen on; default DefaultAddr. Port 0
	// picks a free port.
	Addr string
	// Watch lists the folders whose changes trigger a rebuild; default
	// the content and theme folders.
	Watch []string
	// RestartOn lists folders whose changes the running program cannot
	// pick up: the calculator engine's source (calc/), which is compiled
	// into scalebook itself. A change there is reported, in the terminal
	// and on every page, as needing a restart, until there is one.
	RestartOn []string
	// Debounce is the quiet period before a rebuild; default
	// DefaultDebounce.
	Debounce time.Duration
	// Stdout gets progress, Stderr problems. Nil discards.
	Stdout, Stderr io.Writer
	// Listening, if set, is called with the site's URL once the first
	// build is done and requests are being served.
	Listening func(url string)
	// Built, if set, is called after every rebuild (not the first build),
	// successful or not.
	Built func(Result)
}

// Result describes one rebuild.
type Result struct {
	// Changes are the file events that caused it.
	Changes []Change
	// Duration covers building and comparing with the previous build.
	Duration time.Duration
	// Pages counts the pages built; zero when the build failed.
	Pages int
	// Diff is how the output differs from what was served before.
	Diff Diff
	// Event is the type of the event sent to pages, "" for none.
	Event string
	// Err is the build's error, a diag.Errors when it comes from the build.
	Err error
}

type server struct {
	opts    Options
	builder *pipeline.Builder
	bopts   pipeline.Options
	broker  *Broker
	handler *Handler
	epoch   string
	builds  int
	// pending reports whether more changes wait for the next build.
	pending func() bool
	// restart, once a RestartOn folder changed, is the problem every
	// page shows until scalebook is restarted.
	restart *Problem
	// held is a build kept back because more changes were due (its
	// failure report, or its site); if they never come (the watcher
	// guessed wrong, or the last write was a no-op), it is shown after
	// heldFor. holding is when the builds being held back began, so that
	// changes that never pause do not hold them forever.
	held    func()
	holding time.Time
	// clock is the time; nil means time.Now (tests set it).
	clock func() time.Time
}

func (s *server) now() time.Time {
	if s.clock != nil {
		return s.clock()
	}
	return time.Now()
}

// heldFor is how long a failure kept back for the next build waits for
// it: longer than any debounce delay, short enough that nobody wonders.
const heldFor = maxWait + minGap

// Run builds the site, serves it on opts.Addr and rebuilds on changes
// until ctx is cancelled; then it shuts down cleanly and returns nil. It
// returns an error only when it cannot serve at all (address in use,
// nothing to watch).
func Run(ctx context.Context, opts Options) error {
	opts.Addr = cmp.Or(opts.Addr, DefaultAddr)
	opts.Debounce = cmp.Or(opts.Debounce, DefaultDebounce)
	if opts.Stdout == nil {
		opts.Stdout = io.Discard
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	bo := opts.Build
	bo.Dev = true
	// Pages first: the reload goes out before the search index, which no
	// page embeds, is assembled (swapSearch).
	bo.DeferSearch = true
	builder := pipeline.New(bo)
	bo = builder.Options() // with defaults, for the paths below
	if opts.Watch == nil {
		opts.Watch = []string{bo.ContentDir}
		if bo.ThemeDir != "" {
			opts.Watch = append(opts.Watch, bo.ThemeDir)
		}
	}
	for _, r := range opts.RestartOn {
		if fi, err := os.Stat(r); err == nil && fi.IsDir() && !slices.Contains(opts.Watch, r) {
			opts.Watch = append(opts.Watch, r)
		}
	}
	// Anything else wrong is shown in the browser and fixed while serving,
	// but without content this is the wrong folder: say so and stop.
	if fi, err := os.Stat(bo.ContentDir); err != nil || !fi.IsDir() {
		return fmt.Errorf("%s: content folder not found; run from the project root or pass -content DIR", bo.ContentDir)
	}
	broker := NewBroker()
	s := &server{
		opts:    opts,
		builder: builder,
		bopts:   bo,
		broker:  broker,
		handler: NewHandler(broker, &Site{}),
		// Versions start afresh with each run; the epoch keeps a page
		// served by an earlier run from mistaking itself for current.
		epoch: strconv.FormatInt(time.Now().UnixNano(), 36),
	}

	// Listen before the first build, so a port in use fails at once.
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (choose another with -addr)", opts.Addr, err)
	}
	// Watch before the first build, so an edit made while it runs is not
	// missed.
	w, err := Watch(WatchOptions{
		Roots:   opts.Watch,
		Skip:    []string{bo.CacheDir, bo.OutDir},
		Quiet:   opts.Debounce,
		MaxWait: max(maxWait, opts.Debounce),
		MinGap:  minGap,
		Log:     opts.Stderr,
	})
	if err != nil {
		ln.Close()
		return err
	}
	defer w.Close()
	s.pending = w.Pending

	s.firstBuild()

	var handler http.Handler = s.handler
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		handler = loopbackHosts(handler)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          log.New(opts.Stderr, "serve: ", 0),
		// No WriteTimeout: event streams stay open for as long as a page
		// is; the broker bounds each write instead.
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	url := siteURL(ln.Addr(), s.handler.Site().Base)
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		fmt.Fprintf(opts.Stderr, "warning: listening on %s: other machines on the network can read the site\n", ln.Addr())
	}
	fmt.Fprintf(opts.Stdout, "serving %s (watching %s; Ctrl-C to stop)\n", url, strings.Join(opts.Watch, ", "))
	if opts.Listening != nil {
		opts.Listening(url)
	}

	var heldTimer <-chan time.Time
	for {
		select {
		case <-heldTimer:
			heldTimer = nil
			if s.held != nil {
				s.held()
				s.held = nil
			}
		case <-ctx.Done():
			// Streams first: Shutdown waits for handlers, and an event
			// stream only ends when the broker closes it.
			broker.Close()
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := srv.Shutdown(sctx); err != nil {
				srv.Close()
			}
			cancel()
			w.Close()
			fmt.Fprintln(opts.Stdout, "stopped")
			return nil
		case err := <-served:
			broker.Close()
			return fmt.Errorf("serving stopped: %w", err)
		case batch, ok := <-w.Batches():
			if !ok {
				broker.Close()
				srv.Close()
				return fmt.Errorf("file watcher stopped")
			}
			s.held = nil
			s.rebuild(batch)
			heldTimer = nil
			if s.held != nil {
				heldTimer = time.After(heldFor)
			}
		}
	}
}

// reportFailure tells the terminal and every page that a build failed.
func (s *server) reportFailure(err error, dur time.Duration, why string) {
	fmt.Fprintf(s.opts.Stderr, "%s\nbuild failed in %s (%s); still serving the last good build\n", diag.Report(err), round(dur), why)
	s.broker.Publish(Event{Type: EventError, Errors: s.withRestart(Problems(err))})
}

func (s *server) nextVersion() string {
	s.builds++
	return s.epoch + "." + strconv.Itoa(s.builds)
}

func (s *server) firstBuild() {
	start := time.Now()
	site, err := s.builder.Build()
	dur := time.Since(start)
	if err != nil {
		// Where the pages will be once they build; a bad base URL fails
		// the build, which says so.
		base, _ := pipeline.BasePath(s.bopts)
		s.handler.Swap(&Site{Base: base})
		s.broker.Publish(Event{Type: EventError, Errors: Problems(err)})
		fmt.Fprintf(s.opts.Stderr, "%s\nbuild failed in %s; pages show these problems until they are fixed\n", diag.Report(err), round(dur))
		return
	}
	v := s.nextVersion()
	files := site.Files
	if site.Search != nil {
		files = site.Search() // nothing is served yet: no reason to wait
	}
	s.handler.Swap(&Site{Files: files, Base: site.BasePath, Version: v})
	s.broker.Publish(Event{Type: EventOK, Version: v})
	fmt.Fprintf(s.opts.Stdout, "built %d pages, %d files in %s\n", site.Pages, len(site.Files), round(dur))
	s.warn(site.Warnings)
}

// warn prints a successful build's warnings and lists them on every page
// (with the restart notice, if any): a broken link while previewing shows
// the site and the problem, not a wall.
func (s *server) warn(ws []diag.Diagnostic) {
	for _, w := range ws {
		fmt.Fprintln(s.opts.Stderr, w.Report())
	}
	if problems := s.withRestart(Warnings(ws)); len(problems) > 0 {
		s.broker.Publish(Event{Type: EventError, Errors: problems})
	}
}

// rebuild builds everything again with the same Builder (which keeps its
// highlight cache in memory), swaps the site in if the build succeeded,
// and tells the pages what to do.
func (s *server) rebuild(changes []Change) {
	res := Result{Changes: changes}
	defer func() {
		if s.opts.Built != nil {
			s.opts.Built(res)
		}
	}()
	changes = s.needsRestart(changes)
	if len(changes) == 0 {
		res.Event = EventError
		s.broker.Publish(Event{Type: EventError, Errors: s.withRestart(nil)})
		return
	}
	why := describe(changes)
	start := time.Now()
	// The watcher knows what changed, so the build reads only that, unless
	// events were lost.
	if !slices.ContainsFunc(changes, func(c Change) bool { return c.Path == lostEvents }) {
		paths := make([]string, len(changes))
		for i, c := range changes {
			paths[i] = c.Path
		}
		s.builder.Changed(paths)
	}
	site, err := s.builder.Build()
	if err != nil {
		res.Duration = time.Since(start)
		res.Err = err
		if s.pending != nil && s.pending() {
			// Mid-burst (a checkout, a save still being written) a build
			// often reads half-written files; the next build, already
			// due, has the last word. No overlay flashes for nothing.
			fmt.Fprintf(s.opts.Stderr, "build failed in %s (%s); more changes are coming, so it is not reported yet\n", round(res.Duration), why)
			s.held = func() { s.reportFailure(err, res.Duration, why) }
			return
		}
		res.Event = EventError
		s.reportFailure(err, res.Duration, why)
		return
	}
	res.Pages = site.Pages
	if s.pending != nil && s.pending() && (s.holding.IsZero() || s.now().Sub(s.holding) < heldFor) {
		// An editor writing in place, slowed down, can be caught between
		// truncating the file and writing it; the build succeeds on half a
		// page. More changes are seen already, so the next build, due in a
		// moment, has the last word: nothing is swapped in, no page
		// reloads for nothing. A stream of changes that never pauses
		// still gets a build shown every heldFor.
		if s.holding.IsZero() {
			s.holding = s.now()
		}
		res.Duration = time.Since(start)
		fmt.Fprintf(s.opts.Stdout, "rebuilt %s in %s (%s); more changes are coming, so it is not shown yet\n", plural(site.Pages, "page"), round(res.Duration), why)
		s.held = func() {
			s.holding = time.Time{}
			s.show(site, &Result{Changes: res.Changes, Pages: site.Pages}, start, why)
		}
		return
	}
	s.holding = time.Time{}
	s.show(site, &res, start, why)
}

// show swaps a successful build in and tells the pages: reload, swap the
// stylesheet, or nothing when the output did not change.
func (s *server) show(site *pipeline.Site, res *Result, start time.Time, why string) {
	base := site.BasePath
	old := s.handler.Site()
	_, prevErrs := s.broker.State()
	fixed := slices.ContainsFunc(prevErrs, func(p Problem) bool { return s.restart == nil || p != *s.restart })
	if len(site.Warnings) > 0 {
		fixed = false // the warnings replace the problems just below
	}
	if old.Files != nil {
		res.Diff = DiffFiles(old.Files, site.Files)
	}
	baseMoved := old.Files != nil && base != old.Base
	// The terminal line goes out before the events: whoever watches both
	// (a person, a test) sees the cause before the effect.
	var events []Event
	var what string
	if old.Files != nil && len(res.Diff.Changed) == 0 && !baseMoved {
		if fixed {
			events = append(events, Event{Type: EventOK, Version: old.Version})
		}
		what = "output unchanged"
	} else {
		v := s.nextVersion()
		s.handler.Swap(&Site{Files: site.Files, Base: base, Version: v})
		if fixed {
			events = append(events, Event{Type: EventOK, Version: v})
		}
		switch {
		case res.Diff.CSS != nil && !baseMoved:
			events = append(events, Event{Type: EventCSS, Version: v, CSS: cssURLs(base, res.Diff.CSS, v)})
			what = "stylesheet swapped in place"
		case old.Files == nil:
			events = append(events, Event{Type: EventReload, Version: v})
			what = "first good build, reloading"
		default:
			events = append(events, Event{Type: EventReload, Version: v})
			what = plural(len(res.Diff.Changed), "file") + " changed, reloading"
		}
	}
	res.Duration = time.Since(start)
	if fixed {
		what += "; errors fixed"
	}
	fmt.Fprintf(s.opts.Stdout, "rebuilt %s in %s (%s): %s\n", plural(site.Pages, "page"), round(res.Duration), why, what)
	if baseMoved {
		fmt.Fprintf(s.opts.Stdout, "the site moved to %s\n", base)
	}
	for _, ev := range events {
		res.Event = ev.Type
		s.broker.Publish(ev)
	}
	s.swapSearch(site)
	if s.restart != nil || len(site.Warnings) > 0 {
		// The new build is served, and its warnings (and the restart
		// notice) stay up.
		res.Event = EventError
		s.warn(site.Warnings)
	}
}

// swapSearch serves the search index of a build that deferred it, once
// the pages are out. The pages stay as they are (same version, no event):
// an open page fetches the index when its reader next searches.
func (s *server) swapSearch(site *pipeline.Site) {
	if site.Search == nil {
		return
	}
	files := site.Search()
	cur := s.handler.Site()
	s.handler.Swap(&Site{Files: files, Base: cur.Base, Version: cur.Version})
}

// needsRestart takes out of a batch the changes to RestartOn folders,
// notes that a restart is needed and says so in the terminal, and returns
// the rest.
func (s *server) needsRestart(changes []Change) []Change {
	var rest []Change
	var hit string
	for _, c := range changes {
		if r := under(c.Path, s.opts.RestartOn); r != "" {
			hit = filepath.ToSlash(c.Path)
			continue
		}
		rest = append(rest, c)
	}
	if hit != "" {
		msg := "the calculator engine changed, but the running scalebook still computes figures, and serves an engine, built from the old code; stop it (Ctrl-C) and start it again (make serve) to use the change"
		s.restart = &Problem{File: hit, Msg: msg, Text: hit + ": " + msg}
		fmt.Fprintf(s.opts.Stderr, "%s: %s\n", hit, msg)
	}
	return rest
}

// withRestart adds the restart notice, if there is one, to problems.
func (s *server) withRestart(problems []Problem) []Problem {
	if s.restart == nil {
		return problems
	}
	return append(problems, *s.restart)
}

// under returns the folder of dirs that holds path, or "".
func under(path string, dirs []string) string {
	for _, d := range dirs {
		if d == "" {
			continue
		}
		rel, err := filepath.Rel(d, path)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return d
		}
	}
	return ""
}

// cssURLs turns site paths into the URLs pages link to. A stylesheet that
// kept its name gets a query, or the browser would keep its cached copy.
func cssURLs(base string, swaps []CSSSwap, version string) []CSSSwap {
	out := make([]CSSSwap, len(swaps))
	for i, sw := range swaps {
		out[i] = CSSSwap{From: base + sw.From, To: base + sw.To}
		if sw.From == sw.To {
			out[i].To += "?v=" + version
		}
	}
	return out
}

// describe says which sources a batch changed, for the terminal. A path
// that was created and is gone again was an editor's temporary file and
// is left out.
func describe(changes []Change) string {
	var changed, removed []string
	for _, c := range changes {
		_, err := os.Lstat(c.Path)
		switch {
		case err == nil:
			changed = append(changed, filepath.ToSlash(c.Path))
		case c.Op.Has(fsnotify.Create):
		default:
			removed = append(removed, filepath.ToSlash(c.Path))
		}
	}
	var parts []string
	if len(changed) > 0 {
		parts = append(parts, listNames(changed)+" changed")
	}
	if len(removed) > 0 {
		parts = append(parts, listNames(removed)+" removed")
	}
	if len(parts) == 0 {
		return "temporary files changed"
	}
	return strings.Join(parts, "; ")
}

func listNames(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return names[0] + " and " + plural(len(names)-1, "more file")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// round keeps durations readable: "34ms", "1.2s", "4.1ms".
func round(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(100 * time.Millisecond).String()
	case d >= 10*time.Millisecond:
		return d.Round(time.Millisecond).String()
	default:
		return d.Round(100 * time.Microsecond).String()
	}
}

// loopbackHosts refuses requests whose Host header names anything but
// localhost or an IP address. A server on the loopback interface is only
// reachable from this machine, except through DNS rebinding: a web page
// whose domain re-resolves to 127.0.0.1 could otherwise read drafts.
func loopbackHosts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := r.Host
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
		if host != "localhost" && !strings.HasSuffix(host, ".localhost") && net.ParseIP(host) == nil {
			http.Error(w, "scalebook serve answers only to localhost and IP addresses; listen elsewhere with -addr", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// siteURL is the address to open in a browser. A wildcard listener is
// reachable through the loopback address, which is what the person
// running the command wants to click.
func siteURL(addr net.Addr, base string) string {
	host := addr.String()
	if tcp, ok := addr.(*net.TCPAddr); ok {
		ip := tcp.IP
		switch {
		case ip.IsUnspecified() && ip.To4() != nil:
			ip = net.IPv4(127, 0, 0, 1)
		case ip.IsUnspecified():
			ip = net.IPv6loopback
		}
		host = net.JoinHostPort(ip.String(), strconv.Itoa(tcp.Port))
	}
	return "http://" + host + base
}
