package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/scalebook/scalebook/internal/diag"
)

// Event types sent to the browser. The error event is not named "error"
// because EventSource fires that name for its own connection failures.
const (
	// EventHello is the first event of every stream: the current build's
	// version, and its errors if the latest build failed.
	EventHello = "hello"
	// EventReload asks open pages to reload.
	EventReload = "reload"
	// EventCSS says only stylesheets changed; pages swap them in place.
	EventCSS = "css"
	// EventError carries the problems of a failed build.
	EventError = "build-error"
	// EventOK says a build succeeded after a failure: clear the overlay.
	EventOK = "build-ok"
)

// Event is one message to the open pages.
type Event struct {
	Type string `json:"-"`
	// Version names the build now served; a page that was served another
	// version reloads when it reconnects.
	Version string    `json:"version,omitempty"`
	CSS     []CSSSwap `json:"css,omitempty"`
	Errors  []Problem `json:"errors,omitempty"`
}

// CSSSwap tells a page to point the stylesheet link at From to To.
type CSSSwap struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Problem is one build error, both as parts and as the file:line:col text
// editors and terminals understand.
type Problem struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
	Msg  string `json:"msg"`
	Text string `json:"text"`
	// Suggestion is the likely fix, and Source the source line with a caret
	// under the mistake (diag.Diagnostic.Quoted), when they are known.
	Suggestion string `json:"suggestion,omitempty"`
	Source     string `json:"source,omitempty"`
	// Warning marks a problem of a build that succeeded (a broken link
	// while previewing): the page shows the new build and lists it.
	Warning bool `json:"warning,omitempty"`
}

// Warnings converts a successful build's warnings into Problems.
func Warnings(ds []diag.Diagnostic) []Problem {
	if len(ds) == 0 {
		return nil
	}
	return Problems(diag.Errors(ds))
}

// Problems converts a build error into Problems, one per diagnostic.
func Problems(err error) []Problem {
	if err == nil {
		return nil
	}
	var ds diag.Errors
	if errors.As(err, &ds) && len(ds) > 0 {
		out := make([]Problem, len(ds))
		for i, d := range ds {
			out[i] = Problem{File: d.File, Line: d.Line, Col: d.Col, Msg: d.Msg, Text: d.Error(),
				Suggestion: d.Suggestion, Source: d.Quoted(), Warning: d.Warning}
		}
		return out
	}
	return []Problem{{Msg: err.Error(), Text: err.Error()}}
}

// subscriberBuffer is how many events a slow page may fall behind before
// it is dropped. Dropping is safe: EventSource reconnects, and the hello
// on reconnection tells the page whether it missed a build.
const subscriberBuffer = 16

// Broker fans events out to the open pages over Server-Sent Events. It
// remembers the latest version and errors, so that a page that connects
// later (or reconnects) learns the current state at once.
type Broker struct {
	// KeepAlive is how often an idle stream gets a comment line, so
	// proxies keep it open and dead connections are noticed. Zero means
	// 15 seconds.
	KeepAlive time.Duration

	mu      sync.Mutex
	subs    map[chan Event]struct{}
	version string
	errs    []Problem
	closed  bool
}

// NewBroker returns a Broker with no subscribers.
func NewBroker() *Broker {
	return &Broker{subs: map[chan Event]struct{}{}}
}

// Publish records the state an event implies and sends it to every
// subscriber. It never blocks: a subscriber whose buffer is full is
// disconnected instead.
func (b *Broker) Publish(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev.Type {
	case EventError:
		b.errs = slices.Clone(ev.Errors)
	case EventOK, EventReload, EventCSS:
		b.errs = nil
	}
	if ev.Version != "" {
		b.version = ev.Version
	}
	for ch := range b.subs {
		select {
		case ch <- ev:
		default:
			delete(b.subs, ch)
			close(ch)
		}
	}
}

// State returns the current version and the errors of the latest build
// (nil when it succeeded).
func (b *Broker) State() (version string, errs []Problem) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.version, slices.Clone(b.errs)
}

// Subscribe returns a channel that starts with a hello event describing
// the current state, then carries every published event. The channel is
// closed when cancel is called, when the subscriber falls too far behind,
// or when the Broker closes. ok is false once the Broker is closed.
func (b *Broker) Subscribe() (events <-chan Event, cancel func(), ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, func() {}, false
	}
	ch := make(chan Event, subscriberBuffer)
	ch <- Event{Type: EventHello, Version: b.version, Errors: slices.Clone(b.errs)}
	b.subs[ch] = struct{}{}
	return ch, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if _, ok := b.subs[ch]; ok {
			delete(b.subs, ch)
			close(ch)
		}
	}, true
}

// Close ends every stream. http.Server.Shutdown waits for handlers to
// return, and event streams never would on their own.
func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for ch := range b.subs {
		delete(b.subs, ch)
		close(ch)
	}
}

// ServeHTTP streams events to one page.
func (b *Broker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	events, cancel, ok := b.Subscribe()
	if !ok {
		// Drop the connection rather than answer: EventSource gives up for
		// good on an HTTP error but retries after a network error, and the
		// page should reconnect when the server comes back.
		panic(http.ErrAbortHandler)
	}
	defer cancel()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	keepAlive := b.KeepAlive
	if keepAlive <= 0 {
		keepAlive = 15 * time.Second
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()

	send := func(data []byte) bool {
		// A page that stopped reading must not hold a goroutine forever.
		_ = rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := w.Write(data); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	// Reconnect quickly after the server restarts.
	if !send([]byte("retry: 1000\n\n")) {
		return
	}
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				return
			}
			if !send(encodeEvent(ev)) {
				return
			}
		case <-tick.C:
			if !send([]byte(": keep-alive\n\n")) {
				return
			}
		case <-r.Context().Done():
			return
		}
	}
}

// encodeEvent writes ev in the text/event-stream format. JSON never
// contains a raw newline, so the data fits on one data: line.
func encodeEvent(ev Event) []byte {
	data, err := json.Marshal(ev)
	if err != nil {
		data = []byte("{}")
	}
	out := make([]byte, 0, len(ev.Type)+len(data)+16)
	out = append(out, "event: "...)
	out = append(out, ev.Type...)
	out = append(out, "\ndata: "...)
	out = append(out, data...)
	out = append(out, "\n\n"...)
	return out
}
