// Package search builds the site's full-text search index: static files
// that the page script (theme/assets/js/search.js, with search-core.js)
// fetches as a query needs them and searches in the browser, with no
// server and no third-party service.
//
// The index is split the way pagefind splits one, so that the first query
// on a site of thousands of pages fetches tens of kilobytes: a small
// metadata file, then the vocabulary chunks for the first letters of the
// query's words, then the posting shards that hold the terms those words
// matched, then the records of the pages shown. Ranking follows Lunr and
// MiniSearch (BM25 weights, prefix and fuzzy matches counting for less
// than exact ones) with DocSearch's rule that a page title or heading
// beats body text; see fragment.go for the weights.
//
// Files (version 3), all JSON, below the site root:
//
//	search/index.json   {"v":3, "pages":N, "entries":E, "counts":C, "text":T, "stop":[word…],
//	                     "syn":[[[term…]…]…], "vocab":[first, ord, file, …],
//	                     "terms":[ord, file, …], "docs":[file…], "per":K}
//	search/v-HASH.json  vocabulary chunk: ["Pstem df word…", …]
//	search/t-HASH.json  posting shard: [postings, …]
//	search/d-HASH.json  K page records: [[url, title, [trail…], [entry…]], …]
//
// Stems are numbered in sorted order (their ordinal). "vocab" lists each
// chunk's first stem, that stem's ordinal and the chunk's file, so the
// script finds the chunk that would hold a stem by binary search and a
// stem's ordinal by its place in the chunk; "terms" lists each shard's
// first ordinal and file, and a shard holds the postings of consecutive
// stems, so stems are written once, in the vocabulary. Docs file i holds
// pages i*K to i*K+K-1. File names carry a hash of their contents, so a
// browser may keep them for good, and the same site always gives the same
// bytes. A vocabulary entry is a stem, front-coded (P, one character of
// the VLQ alphabet, is how many UTF-16 units of the stem before it in the
// chunk it shares, the rest follows), the number of entries it is in, and
// the other ways it was written, each as the letters to add to the stem,
// after the number of letters to drop first if any ("Ashard 9 ed ing s"
// first in its chunk, "Ei 3 1y" for happi after happen). Postings name entries by their number across
// the site, in one of three forms (encodePostings: VLQ, Rice codes, or
// Rice codes with a common term's mentions in passing as pages); C is the
// number of entries of each page, in VLQ (vlq.go), from which the script
// finds an entry's page and a page's first entry. An entry is a section
// of a page (the text under one h1–h3 heading; the first is the text
// before any) or a calculator; a page record's entries are [heading, text,
// aux, kind, anchor], aux holding code identifiers and diagram labels,
// with what the script can work out left out (entryFields). URLs are
// relative to the base URL, so one index serves any base path. "syn"
// holds the synonym groups, each a list of phrases, each a list of query
// terms.
//
// What the index holds is what ranking needs and no more, so that it stays
// within 15% of the site's text gzipped on a guide of 40 long pages with a
// wide vocabulary (TestIndexSizeGuide) as on a corpus of thousands: a
// page keeps one mention in passing of a term, and none when it says the
// term more strongly (fragment.go, dropPassing); identifiers with
// underscores are held by their parts (tokens.go); snippets are the first
// 100 bytes of a section.
package search

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"math/bits"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Version is the index format's version; the page script checks it.
const Version = 3

// Dir is the folder of the index's files below the site root, and Meta
// the file the page script reads first.
const (
	Dir  = "search/"
	Meta = Dir + "index.json"
)

// Sizes of the index's pieces. A query fetches one vocabulary chunk per
// first letter of its words and one posting shard per group of matched
// terms, so smaller pieces mean fewer wasted bytes per query and more
// entries in the metadata file; these keep both small on a site of 5,000
// pages (see the size test).
const (
	shardBytes  = 12 << 10 // a posting shard's target size, raw
	chunkBytes  = 12 << 10 // a vocabulary chunk's
	docsPerFile = 8
	// A small site's postings or vocabulary (under smallKind bytes) are
	// cut into minPieces pieces instead: pieces of the sizes above would
	// be a dozen small files on a site of 40 pages, each compressed on
	// its own (gzip learns nothing across files), for a whole index a
	// reader fetches in a few queries anyway.
	smallKind    = 16 * shardBytes
	minPieces    = 4
	hashInName   = 10 // hex digits of a file's hash in its name
	maxSynPhrase = 6  // terms in a synonym phrase
)

// Stats measure an index against the text it was built from.
type Stats struct {
	Pages, Entries, Terms, Files int
	// TextBytes is the size of the indexed pages' plain text (titles,
	// headings and section text), before any cap.
	TextBytes int
	// IndexBytes and GzipBytes are the size of all the index's files,
	// raw and each gzipped; MetaBytes is the metadata file's.
	IndexBytes, GzipBytes, MetaBytes int
}

// Index is a built index: its files by site path, and measurements.
type Index struct {
	Files map[string][]byte
	Stats Stats
}

// Build indexes pages; it is Encode for each page, then Assemble.
func Build(pages []Page, opts Options) Index {
	frags := make([]Fragment, len(pages))
	for i, p := range pages {
		frags[i] = Encode(p, opts)
	}
	return Assemble(frags, opts)
}

// gpost is a posting with its entry numbered across the site.
type gpost struct{ entry, class int }

// Assemble joins the fragments of every page, in site order, into the
// index's files. Its output depends only on the fragments and the
// synonyms.
func Assemble(frags []Fragment, opts Options) Index {
	var a Assembler
	return a.Assemble(frags, opts)
}

// encode writes the index's files from the joined terms.
func (a *Assembler) encode(opts Options) Index {
	frags := a.frags
	st := Stats{Pages: len(frags), Terms: len(a.stems)}
	var counts []byte // entries per page, VLQ
	for _, f := range frags {
		counts = appendVLQ(counts, f.Entries)
		st.Entries += f.Entries
		st.TextBytes += f.Text
	}
	firstEntry := a.renumber()
	stems := a.stems
	var buf []gpost
	var pbuf []int

	files := map[string][]byte{}
	add := func(prefix string, data []byte) string {
		sum := sha256.Sum256(data)
		name := prefix + hex.EncodeToString(sum[:])[:hashInName] + ".json"
		files[Dir+name] = data
		return name
	}

	// Posting shards.
	posts := make([][]byte, len(stems))
	size := 0
	for ord, s := range stems {
		posts[ord] = a.terms[s].postings(firstEntry, &buf, &pbuf)
		size += len(posts[ord]) + 3
	}
	limit := pieceLimit(size, shardBytes)
	var shardIndex []string
	var shard []byte
	first := ""
	flush := func() {
		if len(shard) == 0 {
			return
		}
		shard = append(shard, ']')
		shardIndex = append(shardIndex, first, add("t-", shard))
		shard = nil
	}
	for ord, post := range posts {
		if len(shard) > 0 && len(shard)+len(post) > limit {
			flush()
		}
		if len(shard) == 0 {
			shard = append(shard, '[')
			first = strconv.Itoa(ord)
		} else {
			shard = append(shard, ',')
		}
		shard = append(shard, '"')
		shard = append(shard, post...)
		shard = append(shard, '"')
	}
	flush()

	// Vocabulary chunks: a chunk that is half full ends with its first
	// letter, so a fuzzy match, which keeps the first letter, reads little
	// of other letters' words.
	var vocabIndex []string
	var chunk []byte
	var lead rune
	firstOrd := 0
	flushChunk := func() {
		if len(chunk) == 0 {
			return
		}
		chunk = append(chunk, ']')
		vocabIndex = append(vocabIndex, first, strconv.Itoa(firstOrd), add("v-", chunk))
		chunk = nil
	}
	tails := make([][]byte, len(stems)) // each line after its stem
	size = 0
	for ord, s := range stems {
		g := a.terms[s]
		line := append([]byte{' '}, strconv.Itoa(len(g.posts))...)
		for _, w := range g.sortedWords() {
			line = append(line, ' ')
			line = appendVariant(line, s, w)
		}
		tails[ord] = line
		size += len(s) + len(line) + 3
	}
	limit = pieceLimit(size, chunkBytes)
	prev := ""
	var line []byte
	for ord, s := range stems {
		r, _ := utf8.DecodeRuneInString(s)
		if len(chunk) > 0 && (len(chunk)+len(s)+len(tails[ord]) > limit || r != lead && len(chunk) >= limit/2) {
			flushChunk()
		}
		if len(chunk) == 0 {
			chunk = append(chunk, '[')
			first, lead, firstOrd = s, r, ord
			prev = ""
		} else {
			chunk = append(chunk, ',')
		}
		units, n := sharedPrefix(prev, s)
		line = append(line[:0], vlqAlphabet[units])
		line = append(line, s[n:]...)
		line = append(line, tails[ord]...)
		chunk = appendString(chunk, string(line))
		prev = s
	}
	flushChunk()

	// Page records.
	var docs []string
	per := docsPerFile
	for i := 0; i < len(frags); i += per {
		b := []byte{'['}
		for j := i; j < min(i+per, len(frags)); j++ {
			if j > i {
				b = append(b, ',')
			}
			b = append(b, frags[j].Doc...)
		}
		docs = append(docs, add("d-", append(b, ']')))
	}

	meta := []byte(`{"v":`)
	meta = strconv.AppendInt(meta, Version, 10)
	meta = append(meta, `,"pages":`...)
	meta = strconv.AppendInt(meta, int64(len(frags)), 10)
	meta = append(meta, `,"entries":`...)
	meta = strconv.AppendInt(meta, int64(st.Entries), 10)
	meta = append(meta, `,"counts":"`...)
	meta = append(meta, counts...)
	meta = append(meta, `","text":`...)
	meta = strconv.AppendInt(meta, int64(st.TextBytes), 10)
	meta = append(meta, `,"stop":`...)
	meta = appendStrings(meta, StopWords)
	meta = append(meta, `,"syn":[`...)
	syn := opts.Synonyms
	if syn == nil {
		syn = DefaultSynonyms()
	}
	for i, g := range syn {
		if i > 0 {
			meta = append(meta, ',')
		}
		meta = append(meta, '[')
		for j, p := range g.Phrases {
			if j > 0 {
				meta = append(meta, ',')
			}
			meta = appendStrings(meta, p)
		}
		meta = append(meta, ']')
	}
	meta = append(meta, `],"vocab":`...)
	meta = appendStrings(meta, vocabIndex)
	meta = append(meta, `,"terms":`...)
	meta = appendStrings(meta, shardIndex)
	meta = append(meta, `,"docs":`...)
	meta = appendStrings(meta, docs)
	meta = append(meta, `,"per":`...)
	meta = strconv.AppendInt(meta, int64(per), 10)
	meta = append(meta, '}')
	files[Meta] = meta

	st.Files = len(files)
	st.MetaBytes = len(meta)
	for _, data := range files {
		st.IndexBytes += len(data)
		if opts.Gzip {
			st.GzipBytes += Gzipped(data)
		}
	}
	return Index{Files: files, Stats: st}
}

// pieceLimit is the size at which a piece of a kind whose pieces add up
// to size is cut, given the kind's usual size.
func pieceLimit(size, usual int) int {
	if size > smallKind {
		return usual
	}
	return max(usual, size/minPieces+1)
}

// encodePostings writes a term's postings: the entries holding it (by
// number across the site, in order) with their classes, in whichever of
// three forms is shortest, told apart by the first character. pages are
// the postings' pages, for a common term (pageLevelDF), else nil.
//
// Rice (2+k, k < 30): for each entry its gap from the previous one (less
// one) as a Rice code with parameter k (the gap's high bits, gap>>k, in
// unary as that many 1s and a 0, then its k low bits), then its class as
// 0, 10, 110 (ClassHeading) or 111 (ClassTitle); the bits six to a
// character of the VLQ alphabet, first bit highest, the last character
// padded with 1s (an unfinished unary number ends the list). A term's gaps
// are spread about its mean, so the k that fits the list (chosen by
// trying them) costs a bit or two above their entropy, where base64 VLQ
// spends a sixth of every character on saying whether a number goes on
// (on the guide, Rice lists are 5% smaller gzipped).
//
// Sparse (0): for each entry its gap (less one) times Classes plus its
// class, in VLQ: as short for a list of one or two entries, and kept on a
// tie.
//
// Split (32+k): see appendSplit.
//
// (Form 1, a bitmap of entries, was for terms in most sections; their
// mentions in passing now count for pages, which a split list holds in a
// bit or two each, and no term of the guide or the synthetic corpus was
// shorter as a bitmap.)
func encodePostings(b []byte, posts []gpost, pages []int) []byte {
	start := len(b)
	b = appendVLQ(b, 0)
	prev := -1
	for _, p := range posts {
		b = appendVLQ(b, (p.entry-prev-1)*Classes+p.class)
		prev = p.entry
	}
	if r := riceBits(posts); (r+5)/6+1 < len(b)-start {
		b = appendRice(b[:start], posts)
	}
	if pages != nil {
		if s := appendSplit(nil, posts, pages); s != nil && len(s) < len(b)-start {
			b = append(b[:start], s...)
		}
	}
	return b
}

// pageLevelDF is the number of entries above which a term is common: its
// mentions in passing (one a page, fragment.go's dropPassing) count for
// their page, on its first entry, not for the section that made them. A
// common word said in passing sends no reader to that section, and a page
// number costs a few bits where an entry's costs a few more: on the
// guide, a sixth of the postings, gzipped.
const pageLevelDF = 5

// appendSplit writes, in the split form (32+k, k < 30), a common term's
// postings: the number of entries that are not passing mentions plus one
// in Elias gamma (n-1 zeros, then the number's n bits); those entries as
// in the Rice form with parameter k, but with classes 0 (ClassStrong), 10
// (ClassHeading) and 11 (ClassTitle); five bits of a second parameter;
// then the pages of the mentions in passing, their gaps (less one) as Rice
// codes with it, padded as in the Rice form. It returns nil when there are
// no mentions in passing. pages are the pages of posts.
func appendSplit(b []byte, posts []gpost, pages []int) []byte {
	var strong []gpost
	var passing []gpost // pages, as entries, for riceK
	for i, p := range posts {
		if p.class == ClassPassing {
			passing = append(passing, gpost{pages[i], 0})
		} else {
			strong = append(strong, p)
		}
	}
	if len(passing) == 0 {
		return nil
	}
	k1, _ := riceK(strong)
	k2, _ := riceK(passing)
	w := bitWriter{b: append(b, vlqAlphabet[32+k1])}
	n := len(strong) + 1
	w.bits(0, bits.Len(uint(n))-1)
	w.bits(n, bits.Len(uint(n)))
	prev := -1
	for _, p := range strong {
		w.rice(p.entry-prev-1, k1)
		prev = p.entry
		switch p.class {
		case ClassStrong:
			w.bits(0, 1)
		case ClassHeading:
			w.bits(2, 2)
		default:
			w.bits(3, 2)
		}
	}
	w.bits(k2, 5)
	prev = -1
	for _, p := range passing {
		w.rice(p.entry-prev-1, k2)
		prev = p.entry
	}
	return w.flush()
}

// maxRice bounds a Rice parameter: gaps are below 2^31, and 2+k must be
// one character.
const maxRice = 29

// classBits is the length of each class's code in the Rice form.
var classBits = [Classes]int{1, 2, 3, 3}

// riceK returns the Rice parameter that writes posts' gaps in the fewest
// bits, and that number of bits, classes included.
func riceK(posts []gpost) (k, bits int) {
	cls := 0
	for _, p := range posts {
		cls += classBits[p.class]
	}
	bits = -1
	for j := 0; j <= maxRice; j++ {
		n, prev := 0, -1
		for _, p := range posts {
			n += (p.entry-prev-1)>>j + 1 + j
			prev = p.entry
		}
		if bits < 0 || n < bits {
			k, bits = j, n
		}
		if n > bits+len(posts) {
			break // larger parameters only cost more from here
		}
	}
	return k, bits + cls
}

func riceBits(posts []gpost) int {
	_, n := riceK(posts)
	return n
}

// appendRice writes posts in the Rice form.
func appendRice(b []byte, posts []gpost) []byte {
	k, _ := riceK(posts)
	w := bitWriter{b: append(b, vlqAlphabet[2+k])}
	prev := -1
	for _, p := range posts {
		w.rice(p.entry-prev-1, k)
		prev = p.entry
		switch p.class {
		case ClassPassing:
			w.bits(0, 1)
		case ClassStrong:
			w.bits(2, 2)
		case ClassHeading:
			w.bits(6, 3)
		default:
			w.bits(7, 3)
		}
	}
	return w.flush()
}

// bitWriter packs bits six to a character of the VLQ alphabet.
type bitWriter struct {
	b   []byte
	acc int // bits not yet written, in the low n bits
	n   int
}

// rice appends g's Rice code with parameter k.
func (w *bitWriter) rice(g, k int) {
	for q := g >> k; q > 0; q-- {
		w.bits(1, 1)
	}
	w.bits(0, 1)
	w.bits(g&(1<<k-1), k)
}

// bits appends the n low bits of v, highest first.
func (w *bitWriter) bits(v, n int) {
	for i := n - 1; i >= 0; i-- {
		w.acc = w.acc<<1 | (v>>i)&1
		w.n++
		if w.n == 6 {
			w.b = append(w.b, vlqAlphabet[w.acc])
			w.acc, w.n = 0, 0
		}
	}
}

// flush pads the last character with 1s and returns the bytes.
func (w *bitWriter) flush() []byte {
	if w.n > 0 {
		pad := 6 - w.n
		w.b = append(w.b, vlqAlphabet[w.acc<<pad|(1<<pad-1)])
	}
	return w.b
}

// sharedPrefix measures the start a stem has in common with the one before
// it, whole characters only, at most 63 UTF-16 units (one character of
// the VLQ alphabet): in units, as the page script slices strings, and in
// bytes.
func sharedPrefix(prev, s string) (units, n int) {
	for n < len(prev) && n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		u := 1
		if r > 0xffff {
			u = 2
		}
		if !strings.HasPrefix(prev[n:], s[n:n+size]) || units+u > 63 {
			break
		}
		units += u
		n += size
	}
	return units, n
}

// appendVariant writes word w relative to its stem: the letters to add,
// after the number of letters of the stem to drop first, if any.
func appendVariant(b []byte, stem, w string) []byte {
	k := 0
	for k < len(stem) && k < len(w) && stem[k] == w[k] {
		k++
	}
	if drop := len(stem) - k; drop > 0 {
		b = strconv.AppendInt(b, int64(drop), 10)
	}
	return append(b, w[k:]...)
}

func appendStrings(b []byte, ss []string) []byte {
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
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
