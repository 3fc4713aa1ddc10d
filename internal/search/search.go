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
	"encoding/json"
	"strings"
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
	maxText := opts.MaxText
	if maxText == 0 {
		maxText = DefaultMaxText
	}
	var st Stats
	table := make([][3]any, 0, len(pages))
	entries := [][4]any{}
	for i, p := range pages {
		parent := p.Parent
		if parent < 0 || parent >= len(pages) || parent == i {
			parent = -1
		}
		table = append(table, [3]any{p.URL, clean(p.Title), parent})
		st.TextBytes += len(p.Title)
		// Every page has exactly one top-of-page entry, first, even when it
		// has no introduction: that is the entry its title finds.
		entries = append(entries, [4]any{i, "", "", ""})
		for j, s := range p.Sections {
			st.TextBytes += len(s.Heading) + len(s.Text)
			text := clean(s.Text)
			if maxText > 0 {
				text = cut(text, maxText)
			}
			if j == 0 && s.ID == "" && s.Heading == "" {
				entries[len(entries)-1][3] = text
				continue
			}
			entries = append(entries, [4]any{i, s.ID, clean(s.Heading), text})
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		V       int      `json:"v"`
		Pages   [][3]any `json:"pages"`
		Entries [][4]any `json:"entries"`
	}{Version, table, entries}); err != nil {
		// Only strings and ints go in; encoding cannot fail.
		panic(err)
	}
	out := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	st.Pages, st.Entries = len(table), len(entries)
	st.IndexBytes = len(out)
	if opts.Gzip {
		st.GzipBytes = Gzipped(out)
	}
	return out, st
}

// clean collapses white space and drops control characters, which would
// only cost bytes as JSON escapes.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
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
