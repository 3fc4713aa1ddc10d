package server

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/scalebook/scalebook/internal/diag"
)

func TestBrokerHelloCarriesState(t *testing.T) {
	b := NewBroker()
	b.Publish(Event{Type: EventOK, Version: "v1"})
	b.Publish(Event{Type: EventError, Errors: []Problem{{Text: "a.md:1:1: bad"}}})

	events, cancel, ok := b.Subscribe()
	if !ok {
		t.Fatal("Subscribe failed")
	}
	defer cancel()
	hello := <-events
	if hello.Type != EventHello || hello.Version != "v1" || len(hello.Errors) != 1 {
		t.Errorf("hello while broken = %+v", hello)
	}

	b.Publish(Event{Type: EventReload, Version: "v2"})
	if ev := <-events; ev.Type != EventReload || ev.Version != "v2" {
		t.Errorf("event = %+v", ev)
	}
	if v, errs := b.State(); v != "v2" || errs != nil {
		t.Errorf("after a good build: version %q, errors %v", v, errs)
	}
}

// A page that stops reading is dropped, never waited for.
func TestBrokerDropsSlowSubscriber(t *testing.T) {
	b := NewBroker()
	slow, cancel, _ := b.Subscribe()
	defer cancel()
	for range subscriberBuffer * 4 {
		b.Publish(Event{Type: EventReload, Version: "v"})
	}
	n := 0
	for range slow {
		n++
	}
	if n > subscriberBuffer {
		t.Errorf("slow subscriber got %d events, buffer is %d", n, subscriberBuffer)
	}
	// The others still get events.
	fresh, cancel2, _ := b.Subscribe()
	defer cancel2()
	<-fresh
	b.Publish(Event{Type: EventReload, Version: "w"})
	if ev := <-fresh; ev.Version != "w" {
		t.Errorf("fresh subscriber got %+v", ev)
	}
}

func TestBrokerStream(t *testing.T) {
	b := NewBroker()
	b.Publish(Event{Type: EventOK, Version: "v1"})
	srv := httptest.NewServer(b)
	defer srv.Close()
	events, hello := openEvents(t, srv.URL)
	if hello.Data.Version != "v1" {
		t.Errorf("hello = %s", hello.Raw)
	}
	b.Publish(Event{Type: EventCSS, Version: "v2", CSS: []CSSSwap{{From: "/a-1.css", To: "/a-2.css"}}})
	ev := events.next(t)
	if ev.Type != EventCSS || ev.Data.CSS[0].To != "/a-2.css" {
		t.Errorf("event = %+v", ev)
	}
	b.Close()
	for range events.events {
	}
	if _, _, ok := b.Subscribe(); ok {
		t.Error("Subscribe after Close succeeded")
	}
}

func TestEncodeEvent(t *testing.T) {
	got := string(encodeEvent(Event{Type: EventError, Errors: []Problem{{Msg: "two\nlines", Text: "x.md:1:2: two\nlines"}}}))
	if !strings.HasPrefix(got, "event: build-error\ndata: {") || !strings.HasSuffix(got, "}\n\n") || strings.Count(got, "\n") != 3 {
		t.Errorf("encoded = %q", got)
	}
}

func TestProblems(t *testing.T) {
	err := diag.Errors{{File: "content/a.md", Line: 3, Col: 4, Msg: "bad link"}, {File: "theme/x.css", Msg: "no"}}
	got := Problems(err)
	if len(got) != 2 || got[0].Text != "content/a.md:3:4: bad link" || got[0].Line != 3 || got[1].Text != "theme/x.css: no" {
		t.Errorf("Problems = %+v", got)
	}
	quoted := Problems(diag.Errors{{File: "a.md", Line: 2, Col: 5, Msg: "unknown name", Suggestion: "dau", LineText: "x = dua"}})
	if want := "  2 | x = dua\n    |     ^ did you mean \"dau\"?"; quoted[0].Source != want || quoted[0].Suggestion != "dau" {
		t.Errorf("Source = %q, Suggestion %q; want %q", quoted[0].Source, quoted[0].Suggestion, want)
	}
	if got := Problems(errors.New("plain")); len(got) != 1 || got[0].Text != "plain" {
		t.Errorf("Problems(plain) = %+v", got)
	}
}
