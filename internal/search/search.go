// Package search builds the site's full-text search index: one JSON file
// that the page script (theme/assets/js/search.js) fetches on first use and
// searches in the browser, with no server and no third-party service.
//
// The index is made for size. Each page appears once in a page table; each
// section of a page (the text under one h1–h3 heading) is one entry that
// refers to its page by number. URLs are site paths relative to the base
// URL, so the same index works under any base path, and text is plain and
// whitespace-collapsed. Code blocks, diagrams, calculators and raw HTML are
// not indexed (see markdown.Doc.Sections).
//
// Format (version 1), as JSON:
//
//	{
//	  "v": 1,
//	  "pages": [[url, title, parent], …],
//	  "entries": [[page, anchor, heading, text], …]
//	}
//
// url is the page's site path ("" for home, "guide/x/"); parent is the
// index of the parent page in "pages", or -1. An entry's page is an index
// into "pages"; anchor and heading are "" for the text before the first
// heading; text is the section's plain text, cut to MaxText bytes at a word
// boundary. Entries come in page order, then document order; every page has
// exactly one top-of-page entry (anchor ""), its first, even when its text
// is empty.
package search

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scalebook/scalebook/internal/markdown"
)

// Version is the index format's version; the page script checks it.
const Version = 1

// File is the index's path below the site root.
const File = "search-index.json"

// Page is one page to index.
type Page struct {
	// URL is the page's site path relative to the base URL: "" for the
	// home page, "guide/x/" for others.
	URL   string
	Title string
	// Parent is the position of the parent page in the slice given to
	// Build, or -1.
	Parent   int
	Sections []markdown.Section
}

// Options tune the index.
type Options struct {
	// MaxText caps each entry's text, in bytes; text beyond it is neither
	// searched nor shown. Zero means DefaultMaxText; negative, no cap.
	MaxText int
	// Gzip fills Stats.GzipBytes. Compressing the whole index costs more
	// than building it, so builds leave it off and tests turn it on.
	Gzip bool
}

// DefaultMaxText keeps the index small on long sections while leaving
// every normal section whole.
const DefaultMaxText = 6000

// Stats measure an index against the text it was built from.
type Stats struct {
	Pages, Entries int
	// TextBytes is the size of the indexed pages' plain text (titles,
	// headings and section text), before any cap.
	TextBytes int
	// IndexBytes and GzipBytes are the index's size, raw and gzipped.
	IndexBytes, GzipBytes int
}

// Build encodes pages as the search index. The output depends only on
// pages, so the same site always gives the same bytes.
func Build(pages []Page, opts Options) ([]byte, Stats) {
	frags := make([]Fragment, len(pages))
	for i, p := range pages {
		frags[i] = Encode(i, len(pages), p, opts)
	}
	return Assemble(frags, opts)
}

// Fragment is one page's share of the index, encoded. A builder may keep a
// page's Fragment while the page, its position and its parent are unchanged
// and give it to Assemble again, which is how the dev server avoids
// re-encoding the whole site's text on every edit.
type Fragment struct {
	Row     []byte // the page-table row
	Entries []byte // the page's entries, comma-separated
	Count   int    // how many entries
	Text    int    // bytes of text before cleaning, for Stats
}

// Encode encodes page p, the i-th of n pages.
func Encode(i, n int, p Page, opts Options) Fragment {
	maxText := opts.MaxText
	if maxText == 0 {
		maxText = DefaultMaxText
	}
	parent := p.Parent
	if parent < 0 || parent >= n || parent == i {
		parent = -1
	}
	var f Fragment
	row := append([]byte{'['}, appendString(nil, p.URL)...)
	row = append(row, ',')
	row = appendString(row, clean(p.Title))
	row = append(row, ',')
	row = strconv.AppendInt(row, int64(parent), 10)
	f.Row = append(row, ']')
	f.Text = len(p.Title)

	idx := strconv.Itoa(i)
	entry := func(b []byte, anchor, heading, text string) []byte {
		if f.Count > 0 {
			b = append(b, ',')
		}
		f.Count++
		b = append(b, '[')
		b = append(b, idx...)
		b = append(b, ',')
		b = appendString(b, anchor)
		b = append(b, ',')
		b = appendString(b, heading)
		b = append(b, ',')
		b = appendString(b, text)
		return append(b, ']')
	}
	// Every page has exactly one top-of-page entry, first, even when it has
	// no introduction: that is the entry its title finds.
	intro := ""
	rest := p.Sections
	if len(rest) > 0 && rest[0].ID == "" && rest[0].Heading == "" {
		intro = cutText(rest[0].Text, maxText)
		f.Text += len(rest[0].Text)
		rest = rest[1:]
	}
	var b []byte
	b = entry(b, "", "", intro)
	for _, s := range rest {
		f.Text += len(s.Heading) + len(s.Text)
		b = entry(b, s.ID, clean(s.Heading), cutText(s.Text, maxText))
	}
	f.Entries = b
	return f
}

func cutText(s string, maxText int) string {
	s = clean(s)
	if maxText > 0 {
		s = cut(s, maxText)
	}
	return s
}

// Assemble joins the fragments of every page, in order, into the index.
func Assemble(frags []Fragment, opts Options) ([]byte, Stats) {
	var st Stats
	size := 64
	for _, f := range frags {
		size += len(f.Row) + len(f.Entries) + 2
	}
	out := make([]byte, 0, size)
	out = append(out, `{"v":`...)
	out = strconv.AppendInt(out, Version, 10)
	out = append(out, `,"pages":[`...)
	for i, f := range frags {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, f.Row...)
		st.TextBytes += f.Text
	}
	out = append(out, `],"entries":[`...)
	first := true
	for _, f := range frags {
		if f.Count == 0 {
			continue
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = append(out, f.Entries...)
		st.Entries += f.Count
	}
	out = append(out, "]}"...)
	st.Pages = len(frags)
	st.IndexBytes = len(out)
	if opts.Gzip {
		st.GzipBytes = Gzipped(out)
	}
	return out, st
}

// appendString writes s as a JSON string, escaping what JSON requires and
// the two line separators JavaScript string literals cannot hold, as
// encoding/json does (HTML characters are left alone: the index is data,
// never inserted as markup).
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// clean collapses white space and drops control characters, which would
// only cost bytes as JSON escapes. One pass, no intermediate strings: the
// dev server cleans the whole site's text on every rebuild.
func clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cut shortens s to at most n bytes, at a word boundary when there is one.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	if j := strings.LastIndexByte(s[:i], ' '); j > n/2 {
		i = j
	}
	return strings.TrimSpace(s[:i])
}

// Gzipped returns the size of data compressed with gzip at the default
// level, as a web server would send it.
func Gzipped(data []byte) int {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(data)
	w.Close()
	return buf.Len()
}
