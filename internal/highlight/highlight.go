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
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"html"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
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
	mu      sync.RWMutex
	entries map[Key][]byte
	used    map[Key]bool
	dirty   bool
	path    string // cache file, "" for no persistence
	// Misses counts blocks that had to be tokenized, for the build report.
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

// cacheMagic starts the cache file; bump the digit when the format changes.
const cacheMagic = "scalebook-highlight-1\n"

// New returns a highlighter whose cache lives in dir (created when saved). An
// empty dir disables persistence; an unreadable cache is treated as empty,
// since it only ever saves time.
func New(dir string) *Highlighter {
	h := &Highlighter{entries: map[Key][]byte{}, used: map[Key]bool{}}
	if dir == "" {
		return h
	}
	h.path = filepath.Join(dir, "highlight.cache")
	f, err := os.Open(h.path)
	if err != nil {
		return h
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	magic := make([]byte, len(cacheMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != cacheMagic {
		return h
	}
	for {
		var k Key
		if _, err := io.ReadFull(r, k[:]); err != nil {
			break
		}
		n, err := binary.ReadUvarint(r)
		if err != nil || n > 64<<20 {
			break
		}
		v := make([]byte, n)
		if _, err := io.ReadFull(r, v); err != nil {
			break
		}
		h.entries[k] = v
	}
	return h
}

// Misses reports how many blocks were tokenized rather than found in the cache.
func (h *Highlighter) Misses() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.misses
}

// Save writes the entries used since New, dropping the rest so the cache does
// not grow forever. It writes to a temporary file and renames it, so a crash
// never leaves a torn cache.
func (h *Highlighter) Save() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.path == "" || (!h.dirty && len(h.used) == len(h.entries)) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(h.path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(h.path), ".highlight-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<16)
	w.WriteString(cacheMagic)
	keys := make([]Key, 0, len(h.used))
	for k := range h.used {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b Key) int { return bytes.Compare(a[:], b[:]) })
	var n [binary.MaxVarintLen64]byte
	for _, k := range keys {
		v := h.entries[k]
		w.Write(k[:])
		w.Write(n[:binary.PutUvarint(n[:], uint64(len(v)))])
		w.Write(v)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	h.dirty = false
	return os.Rename(tmp.Name(), h.path)
}

// Key identifies a block in the cache.
type Key [32]byte

// MarkUsed keeps entries in the cache that this build did not look up
// (their pages were reused whole), so Save does not drop them.
func (h *Highlighter) MarkUsed(keys []Key) {
	h.mu.Lock()
	for _, k := range keys {
		if _, ok := h.entries[k]; ok {
			h.used[k] = true
		}
	}
	h.mu.Unlock()
}

// Highlight returns the HTML for one block: a <pre class="chroma"><code>
// with class-annotated spans. An unknown language is shown as plain text; it
// is not an error because authors use fences for output and prose too.
func (h *Highlighter) Highlight(lang, code string, opts Options) []byte {
	out, _ := h.HighlightKey(lang, code, opts)
	return out
}

// HighlightKey is Highlight that also returns the block's cache key.
func (h *Highlighter) HighlightKey(lang, code string, opts Options) ([]byte, Key) {
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
		return v, k
	}
	v = render(lang, code, opts)
	h.mu.Lock()
	h.entries[k] = v
	h.used[k] = true
	h.dirty = true
	h.misses++
	h.mu.Unlock()
	return v, k
}

func key(lang, code string, opts Options) Key {
	s := sha256.New()
	for _, part := range []string{chromaVersion, lang, opts.key(), code} {
		io.WriteString(s, strconv.Itoa(len(part)))
		io.WriteString(s, ":")
		io.WriteString(s, part)
	}
	var k Key
	s.Sum(k[:0])
	return k
}

func render(lang, code string, opts Options) []byte {
	lexer := lexers.Get(lang)
	if lexer == nil || lang == "" {
		return plain(code, opts)
	}
	lexer = chroma.Coalesce(lexer)
	it, err := lexer.Tokenise(nil, code)
	if err != nil {
		return plain(code, opts)
	}
	var buf bytes.Buffer
	if err := formatter(opts).Format(&buf, styles.Fallback, it); err != nil {
		return plain(code, opts)
	}
	return buf.Bytes()
}

func formatter(opts Options) *chromahtml.Formatter {
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

// CSS returns the stylesheet for code: light colours by default, dark ones
// when the reader's system prefers dark and no light theme was chosen, or
// when the dark theme was chosen with the toggle (html[data-theme]). The
// selectors match the theme's own scheme so the two never disagree.
func CSS(light, dark string) ([]byte, error) {
	ls, ds := styles.Get(light), styles.Get(dark)
	if ls == nil || styles.Registry[light] == nil {
		return nil, errors.New("unknown chroma style " + strconv.Quote(light))
	}
	if ds == nil || styles.Registry[dark] == nil {
		return nil, errors.New("unknown chroma style " + strconv.Quote(dark))
	}
	f := chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithAllClasses(true), chromahtml.WithLineNumbers(true))
	var lb, db bytes.Buffer
	if err := f.WriteCSS(&lb, ls); err != nil {
		return nil, err
	}
	if err := f.WriteCSS(&db, ds); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.WriteString("/* code colours: " + light + " / " + dark + " (generated) */\n")
	out.Write(scope(lb.Bytes(), ":root"))
	out.WriteString("@media (prefers-color-scheme: dark) {\n")
	out.Write(scope(db.Bytes(), `:root:not([data-theme="light"])`))
	out.WriteString("}\n")
	out.Write(scope(db.Bytes(), `:root[data-theme="dark"]`))
	return out.Bytes(), nil
}

// scope prefixes every rule's selector in chroma's one-rule-per-line CSS.
func scope(css []byte, prefix string) []byte {
	var out bytes.Buffer
	for line := range bytes.Lines(css) {
		if i := bytes.Index(line, []byte("*/")); i >= 0 {
			line = bytes.TrimLeft(line[i+2:], " ")
		}
		brace := bytes.IndexByte(line, '{')
		if brace < 0 {
			continue
		}
		sel := strings.TrimSpace(string(line[:brace]))
		if sel == ".bg" {
			continue // the code-block wrapper is styled by .chroma itself
		}
		parts := strings.Split(sel, ",")
		for i, p := range parts {
			parts[i] = prefix + " " + strings.TrimSpace(p)
		}
		out.WriteString(strings.Join(parts, ", "))
		out.WriteByte(' ')
		out.Write(line[brace:])
		if !bytes.HasSuffix(line, []byte("\n")) {
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}
