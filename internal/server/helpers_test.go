package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scalebook/scalebook/internal/pipeline"
)

// hangGuard bounds every wait in these tests. It asserts nothing about
// speed: it only turns a hang (a lost event) into a failure with a
// message instead of a test binary killed by -timeout.
const hangGuard = 60 * time.Second

// fixtureDir is absolute so that a benchmark may change directory.
var fixtureDir, _ = filepath.Abs(filepath.Join("..", "pipeline", "testdata"))

// copyFixture copies the builder's test site and theme into a fresh
// folder.
func copyFixture(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"site", "theme"} {
		if err := os.CopyFS(filepath.Join(dir, name), os.DirFS(filepath.Join(fixtureDir, name))); err != nil {
			t.Fatal(err)
		}
	}
	// The fixture theme loads the reload client in served pages, as the
	// real theme does; without it no test here could see a reload.
	data, err := os.ReadFile(filepath.Join(dir, "theme", "layouts", "base.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`{{if .Reload}}<script src="{{.Assets.Reload}}" defer></script>{{end}}`)) {
		t.Fatal("the fixture theme's base.html lost its reload script tag")
	}
	return dir
}

func writeFile(t testing.TB, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// syncBuffer is a bytes.Buffer the server and the test may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is a server started by startServer.
type running struct {
	dir     string
	url     string // with the base path
	stdout  *syncBuffer
	stderr  *syncBuffer
	builds  atomic.Int32 // rebuilds, successful or not
	results chan Result
	cancel  context.CancelFunc
	done    chan error
}

type serverConfig struct {
	baseURL string
	// before runs on the copied fixture before the server starts.
	before func(dir string)
	// restartOn names folders below the fixture for Options.RestartOn.
	restartOn []string
}

func startServer(t testing.TB, cfg serverConfig) *running {
	t.Helper()
	dir := copyFixture(t)
	if cfg.before != nil {
		cfg.before(dir)
	}
	r := &running{
		dir:     dir,
		stdout:  &syncBuffer{},
		stderr:  &syncBuffer{},
		results: make(chan Result, 1000),
		done:    make(chan error, 1),
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	listening := make(chan string, 1)
	opts := Options{
		Build: pipeline.Options{
			ContentDir: filepath.Join(dir, "site"),
			ThemeDir:   filepath.Join(dir, "theme"),
			CacheDir:   filepath.Join(dir, "cache"),
			BaseURL:    cfg.baseURL,
		},
		Addr:      "127.0.0.1:0",
		RestartOn: joinAll(dir, cfg.restartOn),
		Stdout:    r.stdout,
		Stderr:    r.stderr,
		Listening: func(url string) { listening <- url },
		Built: func(res Result) {
			r.builds.Add(1)
			r.results <- res
		},
	}
	go func() { r.done <- Run(ctx, opts) }()
	select {
	case r.url = <-listening:
	case err := <-r.done:
		t.Fatalf("Run returned before listening: %v\nstderr:\n%s", err, r.stderr)
	case <-time.After(hangGuard):
		t.Fatal("server never started listening")
	}
	t.Cleanup(func() { r.stop(t) })
	return r
}

func joinAll(dir string, names []string) []string {
	var out []string
	for _, n := range names {
		out = append(out, filepath.Join(dir, n))
	}
	return out
}

// stop shuts the server down and reports whether Run returned cleanly.
func (r *running) stop(t testing.TB) {
	t.Helper()
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	select {
	case err := <-r.done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(hangGuard):
		t.Error("Run did not return after cancel")
	}
}

func (r *running) get(t testing.TB, path string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(r.url + strings.TrimPrefix(path, "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// sseEvent is one parsed event of the stream.
type sseEvent struct {
	Type string
	Data Event
	Raw  string
}

type sseClient struct {
	events chan sseEvent
	body   io.Closer
	// server, when set, is the server streaming: a missing event prints
	// what it said, since that is all a failed CI run leaves behind.
	server *running
}

// openEvents connects to r's event stream (see openEvents).
func (r *running) openEvents(t testing.TB, url string) (*sseClient, sseEvent) {
	t.Helper()
	c, hello := openEvents(t, url)
	c.server = r
	return c, hello
}

// openEvents connects to the event stream and returns once the hello
// event has arrived, so later edits cannot race the subscription.
func openEvents(t testing.TB, url string) (*sseClient, sseEvent) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	c := &sseClient{events: make(chan sseEvent, 100), body: resp.Body}
	t.Cleanup(func() { resp.Body.Close() })
	go func() {
		defer close(c.events)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Type != "" {
					c.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "event: "):
				ev.Type = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.Raw = strings.TrimPrefix(line, "data: ")
				if err := json.Unmarshal([]byte(ev.Raw), &ev.Data); err != nil {
					ev.Type = "bad json: " + err.Error()
				}
			}
		}
	}()
	hello := c.next(t)
	if hello.Type != EventHello {
		t.Fatalf("first event is %q, want hello", hello.Type)
	}
	return c, hello
}

// next returns the next event.
func (c *sseClient) next(t testing.TB) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-c.events:
		if !ok {
			t.Fatal("event stream ended")
		}
		return ev
	case <-time.After(hangGuard):
		if c.server != nil {
			t.Fatalf("no event arrived; the server printed:\n%s\n%s", c.server.stdout, c.server.stderr)
		}
		t.Fatal("no event arrived")
	}
	panic("unreachable")
}

// rawGet sends target verbatim, so no client library can clean the path
// before the server sees it.
func rawGet(t testing.TB, addr, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(hangGuard))
	if _, err := io.WriteString(conn, "GET "+target+" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
