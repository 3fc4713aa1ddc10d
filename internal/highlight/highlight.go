// Package highlight colours code at build time with chroma, using CSS classes
// so that one stylesheet serves light and dark themes, and caches the result
// across builds.
//
// Tokenizing is the most expensive part of building a page full of code, and
// its output depends only on the language, the code and the options, so each
// result is stored under a hash of exactly those (and chroma's version) and a
// warm build never tokenizes the same block twice.
package highlight

import (
	"bytes"
	"html"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"

	"github.com/scalebook/scalebook/internal/filecache"
)

// Options select how one block is rendered.
type Options struct {
	// LineNumbers shows a number before each line.
	LineNumbers bool
	// StartLine is the first line's number (default 1).
	StartLine int
	// Highlight lists 1-based inclusive line ranges to emphasize.
	Highlight [][2]int
}

func (o Options) key() string {
	var b strings.Builder
	if o.LineNumbers {
		b.WriteString("n")
	}
	b.WriteString(strconv.Itoa(o.StartLine))
	for _, r := range o.Highlight {
		b.WriteString("," + strconv.Itoa(r[0]) + "-" + strconv.Itoa(r[1]))
	}
	return b.String()
}

// Highlighter renders code blocks; it is safe for concurrent use.
type Highlighter struct {
	disk    *filecache.Cache
	mu      sync.RWMutex
	entries map[Key][]byte
	used    map[Key]bool
	// misses counts blocks that had to be tokenized, for the build report.
	misses int
}

// chromaVersion keys the cache so that upgrading chroma invalidates it.
var chromaVersion = func() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/alecthomas/chroma/v2" {
				return d.Version
			}
		}
	}
	return "unknown"
}()

// cacheNS is highlighted code's namespace in the build cache.
const cacheNS = "highlight"

// New returns a highlighter that keeps blocks in memory and in cache (nil
// for memory only).
func New(cache *filecache.Cache) *Highlighter {
	return &Highlighter{disk: cache, entries: map[Key][]byte{}, used: map[Key]bool{}}
}

// Misses reports how many blocks were tokenized rather than found in a cache.
func (h *Highlighter) Misses() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.misses
}

// Sweep forgets the blocks not looked up since the last Sweep, so that a
// long-lived highlighter (the dev server's) holds one build's worth of
// code; the file cache keeps the rest.
func (h *Highlighter) Sweep() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for k := range h.entries {
		if !h.used[k] {
			delete(h.entries, k)
		}
	}
	h.used = map[Key]bool{}
}

// Key identifies a block in the cache.
type Key = filecache.Key

// Highlight returns the HTML for one block: a <pre class="chroma"><code>
// with class-annotated spans. An unknown language is shown as plain text; it
// is not an error because authors use fences for output and prose too.
func (h *Highlighter) Highlight(lang, code string, opts Options) []byte {
	k := key(lang, code, opts)
	h.mu.RLock()
	v, ok := h.entries[k]
	seen := h.used[k]
	h.mu.RUnlock()
	if ok {
		if !seen {
			h.mu.Lock()
			h.used[k] = true
			h.mu.Unlock()
		}
		return v
	}
	v, ok = h.disk.Get(cacheNS, k)
	if !ok {
		v = render(lang, code, opts)
		h.disk.Put(cacheNS, k, v)
	}
	h.mu.Lock()
	h.entries[k] = v
	h.used[k] = true
	if !ok {
		h.misses++
	}
	h.mu.Unlock()
	return v
}

func key(lang, code string, opts Options) Key {
	return filecache.KeyOf(chromaVersion, lang, opts.key(), code)
}

func render(lang, code string, opts Options) []byte {
	lexer := lexers.Get(lang)
	if lexer == nil || lang == "" {
		return plain(code, opts)
	}
	_, known := seen.Load(lang)
	prepare(lang, lexer)
	lexer = chroma.Coalesce(lexer)
	var buf bytes.Buffer
	lexMu.RLock()
	it, err := lexer.Tokenise(nil, code)
	if err == nil {
		err = formatter(opts).Format(&buf, styles.Fallback, it)
	}
	lexMu.RUnlock()
	if !known {
		afterFirstUse()
	}
	if err != nil {
		return plain(code, opts)
	}
	return buf.Bytes()
}

// sharedFormatter formats every block without options (nearly all of
// them). A formatter works out its style's CSS classes on first use, which
// cost more than formatting a short block, so one formatter serves them all;
// it is safe for concurrent use.
var sharedFormatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.TabWidth(4))

func formatter(opts Options) *chromahtml.Formatter {
	if !opts.LineNumbers && len(opts.Highlight) == 0 {
		return sharedFormatter
	}
	fo := []chromahtml.Option{chromahtml.WithClasses(true), chromahtml.TabWidth(4)}
	if opts.LineNumbers {
		fo = append(fo, chromahtml.WithLineNumbers(true))
		if opts.StartLine > 0 {
			fo = append(fo, chromahtml.BaseLineNumber(opts.StartLine))
		}
	}
	if len(opts.Highlight) > 0 {
		fo = append(fo, chromahtml.HighlightLines(opts.Highlight))
	}
	return chromahtml.New(fo...)
}

// plain renders code without colours but with the same markup, so line
// numbers and highlighted lines still work for unknown languages.
func plain(code string, opts Options) []byte {
	var buf bytes.Buffer
	it := chroma.Literator(chroma.Token{Type: chroma.Text, Value: code})
	if err := formatter(opts).Format(&buf, styles.Fallback, it); err != nil {
		return []byte(`<pre class="chroma"><code>` + html.EscapeString(code) + `</code></pre>`)
	}
	return buf.Bytes()
}
