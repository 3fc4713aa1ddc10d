package search

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scalebook/scalebook/internal/markdown"
)

// Page is one page to index.
type Page struct {
	// URL is the page's site path relative to the base URL: "" for the
	// home page, "guide/x/" for others.
	URL   string
	Title string
	// Description is the page's summary (front matter): what the page is
	// about, so it counts like a heading of the page's first entry. It is
	// searched, not shown.
	Description string
	// Trail is the titles of the page's ancestors below the home page,
	// outermost first: where the page is, shown under its title.
	Trail    []string
	Sections []markdown.Section
	// HTML is the page's rendered Markdown, from which code, diagrams and
	// calculators are read (see extract).
	HTML []byte
}

// Fragment is one page's share of the index: its record for the docs files
// and its terms. It depends on the page alone, not on its place in the
// site, so a builder keeps it (in memory and in the file cache) while the
// page is unchanged, and Assemble joins fragments into the index.
type Fragment struct {
	// Doc is the page's record, JSON: [url, title, [trail…], [entry…]],
	// an entry being [heading, text, aux, kind, anchor] with trailing
	// empty values left out (see entryFields for what is left out).
	Doc []byte
	// Terms are the page's terms, sorted by stem.
	Terms []FragTerm
	// Entries counts the page's entries (sections and calculators).
	Entries int
	// Text is the bytes of the page's plain text, for Stats.
	Text int
}

// FragTerm is one term of a page: its stem, how it was written (the words
// that are not the stem itself), and the entries it is in.
type FragTerm struct {
	Stem  string
	Words []string
	Posts []Post
}

// Post is a term in one entry: the entry's place in the page and how
// strongly the entry is about the term (a Class).
type Post struct {
	Entry int
	Class int
}

// Entry kinds, the fifth field of an entry: a section of prose, or a
// calculator, which the page script shows as one.
const (
	KindSection    = 0
	KindCalculator = 1
)

// How strongly an entry is about a term is stored as one of four classes,
// which the page script weighs (search-core.js, CLASS_WEIGHT): a term of
// the page title (on the page's first entry), of a heading or the page's
// description (a calculator's cell name or a diagram's label counts as
// strong body text), of body text said often for the section's
// length, or of body text in passing. This is DocSearch's rule that a
// title or heading beats text, with BM25's saturating count of
// occurrences (normalised by the section's length) deciding between
// strong and passing mentions; a finer score would cost a character more
// per posting, a third of the postings' size, and change little: the
// script's ranking is dominated by which field matched and by how rare the
// term is.
const (
	ClassPassing = iota
	ClassStrong
	ClassHeading
	ClassTitle
	// Classes is the number of classes.
	Classes = 4
)

const (
	bm25K1     = 1.2
	bm25B      = 0.75
	refLength  = 150 // tokens: the length at which a section is "normal"
	codeWeight = 0.5 // a word of code counts half a word of prose
	// strongTF is the BM25 term weight from which body text is a strong
	// mention: about two occurrences in a section of normal length.
	strongTF = 1.35
)

// Options tune the index.
type Options struct {
	// MaxText caps each entry's shown text, in bytes: it bounds the index
	// (the text of the docs files is most of it). Terms are taken from
	// the whole text. Zero means DefaultMaxText; negative, no cap.
	MaxText int
	// Gzip fills Stats.GzipBytes. Compressing every file costs more than
	// building them, so builds leave it off and tests turn it on.
	Gzip bool
	// Synonyms are groups of words or phrases that find each other
	// (ParseSynonyms); nil means DefaultSynonyms.
	Synonyms []SynonymGroup
}

// DefaultMaxText keeps a snippet's worth of context for most sections (the
// first sentence or two, a line or two of the results list) while holding
// the index under 15% of the site's text: the shown text is a third of the
// index gzipped, and every 20 bytes of it another 1% of the guide's text.
const DefaultMaxText = 100

// maxAux caps the code identifiers and diagram labels kept for display.
const maxAux = 80

// Encode makes page p's fragment.
func Encode(p Page, opts Options) Fragment {
	maxText := opts.MaxText
	if maxText == 0 {
		maxText = DefaultMaxText
	}
	secs := p.Sections
	if len(secs) == 0 || secs[0].ID != "" || secs[0].Heading != "" {
		// Every page has exactly one top-of-page entry, first: the one its
		// title finds.
		secs = append([]markdown.Section{{}}, secs...)
	}
	ids := make([]string, len(secs))
	for i, s := range secs {
		ids[i] = s.ID
	}
	var ext extracted
	if len(p.HTML) > 0 {
		ext = extract(p.HTML, ids)
	}

	f := Fragment{Text: len(p.Title)}
	title := clean(p.Title)
	ix := newTermCounter()
	doc := []byte{'['}
	doc = appendString(doc, p.URL)
	doc = append(doc, ',')
	doc = appendString(doc, title)
	doc = append(doc, ",["...)
	for i, t := range p.Trail {
		if i > 0 {
			doc = append(doc, ',')
		}
		doc = appendString(doc, clean(t))
	}
	doc = append(doc, "],["...)
	section := "" // the heading of the last section, for its calculators
	entry := func(anchor, heading, text, aux string, kind int) {
		if f.Entries > 0 {
			doc = append(doc, ',')
		}
		f.Entries++
		if kind == KindSection {
			section = heading
		}
		doc = appendEntry(doc, entryFields(anchor, heading, text, aux, kind, section, title))
	}
	calcs := ext.calcs
	for si, s := range secs {
		f.Text += len(s.Heading) + len(s.Text)
		e := f.Entries
		if si == 0 {
			ix.add(e, p.Title, titleField)
			ix.add(e, p.Description, headingField)
		}
		ix.add(e, s.Heading, headingField)
		ix.add(e, s.Text, textField)
		var aux []string
		for _, d := range ext.diagram[si] {
			ix.add(e, d, diagramField)
			aux = append(aux, d)
		}
		if code := ext.code[si]; len(code) > 0 {
			for _, c := range code {
				ix.add(e, c, codeField)
			}
			aux = append(aux, identifiers(code, maxAux))
		}
		entry(s.ID, clean(s.Heading), cutText(s.Text, maxText), cut(clean(strings.Join(aux, " · ")), maxAux), KindSection)
		for len(calcs) > 0 && calcs[0].section == si {
			c := calcs[0]
			calcs = calcs[1:]
			e := f.Entries
			ix.add(e, "calculator", textField)
			var text []string
			for _, cell := range c.cells {
				// The cell's own name (or the parts of read_qps) counts
				// strongly; its parts and its label as text too.
				ix.addName(e, cell.name, cellField)
				ix.add(e, cell.name, textField)
				ix.add(e, cell.label, textField)
				if cell.label != "" {
					text = append(text, cell.label+" ("+cell.name+")")
				} else {
					text = append(text, cell.name)
				}
			}
			where := s.Heading
			if si == 0 {
				where = p.Title
			}
			entry(c.anchor, clean("Calculator: "+where), cutText(strings.Join(text, " · "), maxText), "", KindCalculator)
		}
	}
	doc = append(doc, "]]"...)
	f.Doc = doc
	f.Terms = ix.terms()
	return f
}

// entryFields lists an entry's fields as its record holds them:
// [heading, text, aux, kind, anchor], leaving out what the page script
// (search-core.js, doc) works out as the build would have: a
// calculator's heading, "Calculator: " and the heading of the section it
// is in (the page's title for the top of the page), and an anchor that is
// its heading's slug as markdown.Slug makes it from an ASCII heading.
// Most anchors are, and they were a tenth of the page records, gzipped.
// Trailing empty fields are left out.
func entryFields(anchor, heading, text, aux string, kind int, section, title string) []any {
	shown := heading
	if kind == KindCalculator {
		where := section
		if where == "" {
			where = title
		}
		if heading == "Calculator: "+where {
			heading = ""
		}
	}
	fields := []any{heading, text, aux, kind, anchor}
	if s, ok := asciiSlug(shown); ok && s == anchor {
		fields = fields[:4]
	}
	for len(fields) > 0 && (fields[len(fields)-1] == "" || fields[len(fields)-1] == 0) && len(fields) < 5 {
		fields = fields[:len(fields)-1]
	}
	return fields
}

// asciiSlug is markdown.Slug for a heading of printable ASCII, which the
// page script repeats (slug in search-core.js); ok is false for other
// headings, whose anchors the records keep.
func asciiSlug(h string) (string, bool) {
	b := make([]byte, 0, len(h))
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c < 0x20 || c >= 0x7f:
			return "", false
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_':
			b = append(b, c)
		case c == ' ':
			b = append(b, '-')
		}
	}
	return string(b), true
}

func appendEntry(b []byte, fields []any) []byte {
	b = append(b, '[')
	for i, v := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		switch v := v.(type) {
		case string:
			b = appendString(b, v)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		}
	}
	return append(b, ']')
}

// Fields of an entry a term can be in.
const (
	titleField = iota
	headingField
	textField
	codeField
	cellField
	diagramField
	fields
)

// termCounter counts a page's terms by entry and field.
type termCounter struct {
	byStem map[string]*termCount
	length map[int]float64 // body tokens per entry
}

type termCount struct {
	words map[string]bool
	in    map[int]*[fields]float64 // entry → count per field
}

func newTermCounter() *termCounter {
	return &termCounter{byStem: map[string]*termCount{}, length: map[int]float64{}}
}

func (c *termCounter) add(entry int, text string, field int) {
	if text == "" {
		return
	}
	Terms(text, func(t Term) { c.count(entry, t, field) })
}

func (c *termCounter) count(entry int, t Term, field int) {
	{
		tc := c.byStem[t.Stem]
		if tc == nil {
			tc = &termCount{words: map[string]bool{}, in: map[int]*[fields]float64{}}
			c.byStem[t.Stem] = tc
		}
		if t.Word != t.Stem {
			tc.words[t.Word] = true
		}
		n := tc.in[entry]
		if n == nil {
			n = new([fields]float64)
			tc.in[entry] = n
		}
		n[field]++
		switch field {
		case textField, diagramField:
			c.length[entry]++
		case codeField:
			c.length[entry] += codeWeight
		}
	}
}

// addName counts a calculator cell's name: as one term, without its
// parts, or, for a name with underscores, which the index holds only in
// parts (tokens.go), as its parts.
func (c *termCounter) addName(entry int, text string, field int) {
	for w := range strings.SplitSeq(strings.ToLower(text), "_") {
		if isTerm(w) {
			c.count(entry, Term{Stem: Stem(w), Word: w}, field)
		}
	}
}

// terms computes every term's class in each entry, sorted by stem and
// entry.
func (c *termCounter) terms() []FragTerm {
	out := make([]FragTerm, 0, len(c.byStem))
	for stem, tc := range c.byStem {
		t := FragTerm{Stem: stem}
		for w := range tc.words {
			t.Words = append(t.Words, w)
		}
		slices.Sort(t.Words)
		strong := false
		for e, n := range tc.in {
			p := Post{Entry: e, Class: class(n, c.length[e])}
			strong = strong || p.Class != ClassPassing
			t.Posts = append(t.Posts, p)
		}
		slices.SortFunc(t.Posts, func(a, b Post) int { return a.Entry - b.Entry })
		t.Posts = dropPassing(t.Posts, strong)
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b FragTerm) int { return strings.Compare(a.Stem, b.Stem) })
	return out
}

// dropPassing keeps, of a term's mentions in passing on one page, only
// what a query needs to find the page: none when the page says the term
// more strongly somewhere (that entry finds the page and ranks first), else
// the first. Passing mentions are two thirds of all postings; on the guide,
// whose long pages say a common word in passing in many sections, keeping
// one per page halves the postings' bytes, and a section that only
// mentions a word would be listed below the ones about it anyway.
func dropPassing(posts []Post, strong bool) []Post {
	out := posts[:0]
	for _, p := range posts {
		if p.Class != ClassPassing || !strong && len(out) == 0 {
			out = append(out, p)
		}
	}
	return out
}

// class decides how strongly an entry is about a term from its counts.
func class(n *[fields]float64, length float64) int {
	switch {
	case n[titleField] > 0:
		return ClassTitle
	case n[headingField] > 0:
		return ClassHeading
	case n[cellField] > 0 || n[diagramField] > 0:
		// A calculator names dozens of cells, and a diagram's boxes name
		// the parts of a design ("Post store (sharded)"): each is more than
		// a word in passing and less than a heading.
		return ClassStrong
	}
	tf := n[textField] + codeWeight*n[codeField]
	norm := bm25K1 * (1 - bm25B + bm25B*length/refLength)
	if tf*(bm25K1+1)/(tf+norm) >= strongTF {
		return ClassStrong
	}
	return ClassPassing
}

// identifiers lists the distinct words of code that look like names a
// reader would search for (they have an underscore, a hump or a digit, or
// are four letters or more), in order, up to limit bytes.
func identifiers(code []string, limit int) string {
	seen := map[string]bool{}
	var b strings.Builder
	for _, c := range code {
		scanWords(c, func(compound string, parts []string) {
			for _, w := range parts {
				if seen[w] || utf8.RuneCountInString(w) < 3 || b.Len()+len(w)+1 > limit {
					continue
				}
				seen[w] = true
				if !looksLikeName(w) {
					continue
				}
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(w)
			}
		})
	}
	return b.String()
}

func looksLikeName(w string) bool {
	if strings.IndexByte(w, '_') >= 0 || len(camelParts(w)) > 1 {
		return true
	}
	letters := 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 4 && letters < utf8.RuneCountInString(w) || letters >= 6
}

// cutText cleans s and cuts it to maxText bytes, marking a cut with "…".
func cutText(s string, maxText int) string {
	s = clean(s)
	if maxText > 0 && len(s) > maxText {
		s = cut(s, maxText) + "…"
	}
	return s
}
