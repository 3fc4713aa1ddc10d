package calcblock

import (
	"bytes"
	"sync"

	"github.com/scalebook/scalebook/calc"
)

// memoSize is how many sheets a generation of the memo holds: more than a
// page has, so that the dev server's rebuild of an edited page finds its
// sheets from the build before.
const memoSize = 256

// memo keeps parsed, extended and evaluated sheets by their text, across
// the pages and builds an Extension renders. An edit to a page's prose
// changes none of its sheets, and evaluating a sheet with ranges (samples)
// and charts costs more than the rest of the page. Sheets and results are
// never changed once made, so sharing them is safe. Two generations bound
// it: a full one becomes the old one, and what the old one still serves
// moves back into the new.
type memo struct {
	mu        sync.Mutex
	cur, prev map[string]memoEntry
}

// memoEntry is a sheet, or the error making it gave, and its default
// results once evaluated.
type memoEntry struct {
	sheet   *calc.Sheet
	err     error
	results *calc.Results
	html    []byte
}

func (m *memo) get(key string) (memoEntry, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.cur[key]; ok {
		return v, true
	}
	v, ok := m.prev[key]
	if ok {
		m.putLocked(key, v)
	}
	return v, ok
}

func (m *memo) put(key string, v memoEntry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.putLocked(key, v)
}

func (m *memo) putLocked(key string, v memoEntry) {
	if m.cur == nil || len(m.cur) >= memoSize {
		m.prev, m.cur = m.cur, make(map[string]memoEntry, memoSize)
	}
	m.cur[key] = v
}

// parse is calc.Parse, remembered.
func (m *memo) parse(src string) (*calc.Sheet, error) {
	key := "parse\x00" + src
	if v, ok := m.get(key); ok {
		return v.sheet, v.err
	}
	s, err := calc.Parse(src)
	m.put(key, memoEntry{sheet: s, err: err})
	return s, err
}

// extend is the sheet parsed from src extended with lines, as extend
// makes it, remembered; the error, if any, is the one to show.
func (m *memo) extend(src, lines string, extend func() (*calc.Sheet, error)) (*calc.Sheet, error) {
	key := "extend\x00" + src + "\x00" + lines
	if v, ok := m.get(key); ok {
		return v.sheet, v.err
	}
	final, err := extend()
	m.put(key, memoEntry{sheet: final, err: err})
	return final, err
}

// eval is the default results of the sheet whose whole text is src,
// remembered.
func (m *memo) eval(src string, s *calc.Sheet) *calc.Results {
	key := "eval\x00" + src
	if v, ok := m.get(key); ok && v.sheet == s {
		return v.results
	}
	r := s.Eval(nil)
	m.put(key, memoEntry{sheet: s, results: r})
	return r
}

// render is renderSheet(b), remembered by what it reads: the id and the
// sheet's whole text (the sheet and its results follow from the text).
func (m *memo) render(b *sheetBlock) []byte {
	key := "html\x00" + b.id + "\x00" + b.finalSrc
	if v, ok := m.get(key); ok {
		return bytes.Clone(v.html)
	}
	html := renderSheet(b)
	m.put(key, memoEntry{html: html})
	return bytes.Clone(html)
}
