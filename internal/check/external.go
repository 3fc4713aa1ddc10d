package check

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fetchAll requests every URL, a few at a time, and returns a problem for
// each one that fails. HEAD comes first; servers that refuse or mishandle
// it get a GET, whose body is not read past its start.
func fetchAll(urls []string, opts Options) map[string]string {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	client := opts.Client
	if client == nil {
		client = &http.Client{Timeout: timeout}
	}
	workers := opts.Concurrency
	if workers <= 0 {
		workers = 8
	}
	out := map[string]string{}
	var mu sync.Mutex
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range min(workers, len(urls)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range jobs {
				if problem := fetch(client, u, timeout); problem != "" {
					mu.Lock()
					out[u] = problem
					mu.Unlock()
				}
			}
		}()
	}
	for _, u := range urls {
		if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "//") {
			jobs <- u
		}
	}
	close(jobs)
	wg.Wait()
	return out
}

// fetch returns "" when u answers with a success (after redirects), else
// what went wrong.
func fetch(client *http.Client, u string, timeout time.Duration) string {
	if strings.HasPrefix(u, "//") {
		u = "https:" + u
	}
	status, err := request(client, http.MethodHead, u, timeout)
	if err == nil && status < 400 {
		return ""
	}
	// Many servers answer HEAD with 403, 404, 405 or 501, or drop it.
	status, err = request(client, http.MethodGet, u, timeout)
	switch {
	case err != nil:
		return err.Error()
	case status >= 400:
		return "HTTP " + strconv.Itoa(status) + " " + http.StatusText(status)
	}
	return ""
}

func request(client *http.Client, method, u string, timeout time.Duration) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("User-Agent", "scalebook-check (link checker)")
	req.Header.Set("Accept", "text/html,*/*;q=0.8")
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return 0, errors.New("no answer within " + timeout.String())
		}
		return 0, err
	}
	io.CopyN(io.Discard, resp.Body, 4<<10)
	resp.Body.Close()
	return resp.StatusCode, nil
}
