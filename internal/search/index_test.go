package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scalebook/scalebook/internal/markdown"
)

// calcHTML is a calculator as internal/calcblock renders it (the markup
// calc.js and themes rely on), trimmed to what extract reads.
const calcHTML = `<section class="calc" id="calc-twitter" data-calc="twitter" data-source="dau = 300M &#34;x&#34;" aria-label="Calculator: twitter">
<form class="calc-inputs"><div class="calc-field"><label for="calc-twitter-dau">Daily active users</label><input type="text" id="calc-twitter-dau" name="dau" data-cell="twitter.dau" data-value="3e8"><input type="range" class="calc-slider" data-for="dau"></div></form>
<table class="calc-results"><tbody><tr><th scope="row">Reads per second &amp; more</th><td><output data-cell="twitter.read_qps" data-value="1">1</output></td></tr></tbody></table>
<details class="calc-working"><summary>Show the working</summary><dl><dt><code>read_qps := dau * reads</code></dt><dd data-working="twitter.read_qps">x</dd></dl></details>
</section>`

func TestExtract(t *testing.T) {
	html := `<p>Intro</p><pre class="chroma"><code><span class="kd">func</span> <span class="nf">introCode</span>()</code></pre>` +
		`<h2 id="design">Design <a href="#design">#</a></h2>` +
		`<figure class="diagram"><svg><title>Posts go to the store</title><style>.x{}</style><text>Post store (sharded)</text><text>Cache &amp; CDN</text></svg></figure>` +
		`<h2 id="not-a-section">Raw</h2>` +
		`<h3 id="numbers">Numbers</h3>` + calcHTML +
		`<pre>unterminated <b>code`
	got := extract([]byte(html), []string{"", "design", "numbers"})
	want := extracted{
		code:    map[int][]string{0: {"func introCode()"}, 2: {"unterminated code"}},
		diagram: map[int][]string{1: {"Posts go to the store · Post store (sharded) · Cache & CDN"}},
		calcs:   []calcBlock{{section: 2, anchor: "calc-twitter", cells: []calcCell{{"dau", "Daily active users"}, {"read_qps", "Reads per second & more"}}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("extract:\n got %+v\nwant %+v", got, want)
	}
}

func TestReadTag(t *testing.T) {
	for _, tc := range []struct {
		in, name, id string
		closing      bool
		ok           bool
	}{
		{`<h2 id="a">`, "h2", "a", false, true},
		{`<H2 ID='a&amp;b' class=x>`, "h2", "a&b", false, true},
		{`<a title="x>y" id=z>`, "a", "z", false, true},
		{`</pre>`, "pre", "", true, true},
		{`<!-- c -->`, "", "", false, false},
		{`< p>`, "", "", false, false},
		{`<p id="open`, "", "", false, false},
	} {
		tg := readTag([]byte(tc.in), 0)
		id, _ := tg.attr("id")
		if (tg.end > 0) != tc.ok || tg.name != tc.name || id != tc.id || tg.closing != tc.closing {
			t.Errorf("readTag(%q) = %+v (id %q)", tc.in, tg, id)
		}
	}
}

// FuzzExtract: any HTML is read without a panic, and what comes out is
// text, never markup.
func FuzzExtract(f *testing.F) {
	f.Add([]byte(calcHTML), "x")
	f.Add([]byte(`<h2 id="x">a</h2><pre>b<</pre><figure class="diagram"><text>c`), "x")
	f.Add([]byte(`<<<>>></pre><section class=calc id=>`), "")
	f.Fuzz(func(t *testing.T, html []byte, id string) {
		got := extract(html, []string{"", id})
		for _, c := range got.calcs {
			if c.anchor == "" || c.section < 0 || c.section > 1 {
				t.Errorf("calculator %+v", c)
			}
		}
		for _, m := range []map[int][]string{got.code, got.diagram} {
			for k, texts := range m {
				for _, s := range texts {
					if k < 0 || k > 1 || s != strings.TrimSpace(s) || strings.Contains(s, "  ") {
						t.Errorf("text %q of section %d", s, k)
					}
				}
			}
		}
	})
}

func TestVLQ(t *testing.T) {
	var b []byte
	nums := []int{0, 1, 31, 32, 33, 1023, 1024, 1 << 20, 1<<30 - 1}
	for _, n := range nums {
		b = appendVLQ(b, n)
	}
	s := string(b)
	if strings.Trim(s, vlqAlphabet) != "" {
		t.Errorf("VLQ text %q has characters outside the alphabet", s)
	}
	var got []int
	for i := 0; i < len(s); {
		n, next, ok := readVLQ(s, i)
		if !ok {
			t.Fatalf("readVLQ at %d of %q", i, s)
		}
		got, i = append(got, n), next
	}
	if !slices.Equal(got, nums) {
		t.Errorf("read %v, want %v", got, nums)
	}
	for _, bad := range []string{"g", "!", "ggggggg"} {
		if _, _, ok := readVLQ(bad, 0); ok {
			t.Errorf("readVLQ(%q) should fail", bad)
		}
	}
}

// decodePostings is the Go reading of encodePostings, for tests (the page
// script has its own, tested against this one's output in
// TestScriptReadsPostings).
func decodePostings(s string, firstEntry []int) ([]gpost, error) {
	if s == "" || vlqValue[s[0]] < 0 {
		return nil, fmt.Errorf("no form")
	}
	mode, i, ok := int(vlqValue[s[0]]), 1, true
	var out []gpost
	if mode >= 32 {
		return decodeSplit(s, firstEntry)
	}
	if mode >= 2 {
		k := mode - 2
		var bits []int
		for _, c := range []byte(s[1:]) {
			v := vlqValue[c]
			if v < 0 {
				return nil, fmt.Errorf("bad character %q", c)
			}
			for j := 5; j >= 0; j-- {
				bits = append(bits, int(v>>j)&1)
			}
		}
		read := func(n int) (int, bool) {
			v := 0
			for range n {
				if len(bits) == 0 {
					return 0, false
				}
				v = v<<1 | bits[0]
				bits = bits[1:]
			}
			return v, true
		}
		for prev := -1; ; {
			q := 0
			for len(bits) > 0 && bits[0] == 1 {
				q++
				bits = bits[1:]
			}
			if len(bits) == 0 {
				if q > 5 {
					return nil, fmt.Errorf("padding of %d bits", q)
				}
				return out, nil
			}
			bits = bits[1:]
			low, ok := read(k)
			if !ok {
				return nil, fmt.Errorf("cut short")
			}
			prev += q<<k | low + 1
			class := 0
			for class < 3 {
				b, ok := read(1)
				if !ok {
					return nil, fmt.Errorf("cut short in a class")
				}
				if b == 0 {
					break
				}
				class++
			}
			out = append(out, gpost{prev, class})
		}
	}
	if mode == 0 {
		for prev := -1; i < len(s); {
			var n int
			if n, i, ok = readVLQ(s, i); !ok {
				return nil, fmt.Errorf("bad number at %d", i)
			}
			prev += n/Classes + 1
			out = append(out, gpost{prev, n % Classes})
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown form %d", mode)
}

// bitReader reads what bitWriter wrote.
type bitReader struct{ bits []int }

func newBitReader(s string) (*bitReader, error) {
	r := &bitReader{}
	for _, c := range []byte(s) {
		v := vlqValue[c]
		if v < 0 {
			return nil, fmt.Errorf("bad character %q", c)
		}
		for j := 5; j >= 0; j-- {
			r.bits = append(r.bits, int(v>>j)&1)
		}
	}
	return r, nil
}

func (r *bitReader) read(n int) (int, error) {
	v := 0
	for range n {
		if len(r.bits) == 0 {
			return 0, fmt.Errorf("cut short")
		}
		v = v<<1 | r.bits[0]
		r.bits = r.bits[1:]
	}
	return v, nil
}

// rice reads a Rice code, or ok false at the padding.
func (r *bitReader) rice(k int) (g int, ok bool, err error) {
	q := 0
	for len(r.bits) > 0 && r.bits[0] == 1 {
		q++
		r.bits = r.bits[1:]
	}
	if len(r.bits) == 0 {
		if q > 5 {
			return 0, false, fmt.Errorf("padding of %d bits", q)
		}
		return 0, false, nil
	}
	r.bits = r.bits[1:]
	low, err := r.read(k)
	return q<<k | low, true, err
}

func decodeSplit(s string, firstEntry []int) ([]gpost, error) {
	r, err := newBitReader(s[1:])
	if err != nil {
		return nil, err
	}
	k1 := int(vlqValue[s[0]]) - 32
	zeros := 0
	for len(r.bits) > 0 && r.bits[0] == 0 {
		zeros++
		r.bits = r.bits[1:]
	}
	n, err := r.read(zeros + 1)
	if err != nil {
		return nil, err
	}
	var strong []gpost
	prev := -1
	for range n - 1 {
		g, ok, err := r.rice(k1)
		if !ok || err != nil {
			return nil, fmt.Errorf("entries cut short: %v", err)
		}
		prev += g + 1
		c, err := r.read(1)
		if c == 1 {
			d, _ := r.read(1)
			c = ClassHeading + d
		} else {
			c = ClassStrong
		}
		if err != nil {
			return nil, err
		}
		strong = append(strong, gpost{prev, c})
	}
	k2, err := r.read(5)
	if err != nil {
		return nil, err
	}
	var passing []gpost
	for page := -1; ; {
		g, ok, err := r.rice(k2)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		page += g + 1
		if page >= len(firstEntry) {
			return nil, fmt.Errorf("page %d of %d", page, len(firstEntry))
		}
		passing = append(passing, gpost{firstEntry[page], ClassPassing})
	}
	out := append(strong, passing...)
	slices.SortStableFunc(out, func(a, b gpost) int { return a.entry - b.entry })
	return out, nil
}

func TestPostingsForms(t *testing.T) {
	sparse := []gpost{{3, 0}, {90, 3}}
	// Gaps about 40 apart, every class: Rice with k = 5 ('H').
	var rice []gpost
	for i, e := 0, 7; i < 40; i, e = i+1, e+30+(i*17)%20 {
		rice = append(rice, gpost{e, i % 7 % 4})
	}
	// Rice with k = 0 ('C'): neighbours.
	near := []gpost{{0, 1}, {1, 0}, {2, 0}, {4, 2}, {5, 0}, {6, 0}, {8, 1}, {9, 3}}
	// A common term, whose mentions in passing are on their pages' first
	// entries (ten a page here): the split form, with k = 2 for the
	// entries ('i').
	firstEntry := []int{0, 10, 20, 30, 40, 50, 60, 70, 80, 90}
	common := []gpost{{0, 0}, {14, 1}, {20, 0}, {30, 0}, {41, 2}, {50, 0}, {70, 0}, {80, 0}, {90, 3}}
	var pages []int
	for _, p := range common {
		pages = append(pages, p.entry/10)
	}
	for _, tc := range []struct {
		posts []gpost
		pages []int
		mode  byte
	}{{sparse, nil, 'A'}, {rice, nil, 'H'}, {near, nil, 'C'}, {common, pages, 'k'}} {
		s := string(encodePostings(nil, tc.posts, tc.pages))
		if s[0] != tc.mode {
			t.Errorf("%d postings: form %c, want %c (%q)", len(tc.posts), s[0], tc.mode, s)
		}
		got, err := decodePostings(s, firstEntry)
		if err != nil || !slices.Equal(got, tc.posts) {
			t.Errorf("decode(encode(%v)) = %v, %v", tc.posts, got, err)
		}
	}
}

func testPages() []Page {
	return []Page{
		{URL: "", Title: "Home", Sections: []markdown.Section{{Text: "Welcome <b>&amp;</b> to the guide."}}},
		{URL: "guide/", Title: "The  guide", Description: "Step by step."},
		{URL: "guide/partitioning/", Title: "Partitioning", Trail: []string{"The guide"}, Sections: []markdown.Section{
			{Text: "Splitting data across nodes. " + strings.Repeat("More words here. ", 60)},
			{ID: "hash-ring", Heading: "Hash ring", Level: 2, Text: "Keys\tmap onto\na ring. Sharding by hash."},
			{ID: "range", Heading: "Range", Level: 3, Text: ""},
		}, HTML: []byte(`<h2 id="hash-ring">Hash ring</h2><pre>ringLookup(key)</pre><h3 id="range">Range</h3>` + calcHTML)},
	}
}

func TestEncode(t *testing.T) {
	f := Encode(testPages()[2], Options{})
	var doc []any
	if err := json.Unmarshal(f.Doc, &doc); err != nil {
		t.Fatalf("%s: %v", f.Doc, err)
	}
	// Anchors that are their headings' slugs and the calculator's heading
	// are left out.
	want := `["guide/partitioning/","Partitioning",["The guide"],[["","Splitting data across nodes. More words here. More words here. More words here. More words here.…"],` +
		`["Hash ring","Keys map onto a ring. Sharding by hash.","ringLookup"],["Range"],` +
		`["","Daily active users (dau) · Reads per second & more (read_qps)","",1,"calc-twitter"]]]`
	if string(f.Doc) != want {
		t.Errorf("doc:\n got %s\nwant %s", f.Doc, want)
	}
	if f.Entries != 4 {
		t.Errorf("entries = %d", f.Entries)
	}
	classOf := func(stem string, entry int) int {
		for _, term := range f.Terms {
			if term.Stem == stem {
				for _, p := range term.Posts {
					if p.Entry == entry {
						return p.Class
					}
				}
			}
		}
		return -1
	}
	for _, tc := range []struct {
		stem  string
		entry int
		class int
	}{
		{"partit", 0, ClassTitle},       // the title, on the first entry
		{"ring", 1, ClassHeading},       // a heading
		{"shard", 1, ClassStrong},       // once, but in a section of eight words
		{"split", 0, ClassPassing},      // once in 180 words
		{"word", 0, ClassStrong},        // sixty times
		{"ringlookup", 1, ClassPassing}, // code
		{"lookup", 1, ClassPassing},
		{"qps", 3, ClassStrong}, // a calculator's cell, read_qps
		{"read_qps", 3, -1},     // in parts only
		{"calcul", 3, ClassStrong},
		{"daili", 3, ClassStrong}, // a label, in a short calculator
		{"rang", 2, ClassHeading},
		{"partit", 1, -1},
	} {
		if got := classOf(tc.stem, tc.entry); got != tc.class {
			t.Errorf("class of %q in entry %d = %d, want %d", tc.stem, tc.entry, got, tc.class)
		}
	}
	if !slices.IsSortedFunc(f.Terms, func(a, b FragTerm) int { return strings.Compare(a.Stem, b.Stem) }) {
		t.Error("terms are not sorted")
	}
	for _, term := range f.Terms {
		if term.Stem == "shard" && !slices.Equal(term.Words, []string{"sharding"}) {
			t.Errorf("shard was written as %q", term.Words)
		}
	}
}

// A page keeps, of a term's mentions in passing, the first, and only when
// it says the term nowhere more strongly.
func TestDropPassing(t *testing.T) {
	filler := strings.Repeat("lorem ipsum dolor sit amet consectetur ", 40)
	p := Page{URL: "p/", Title: "Page", Sections: []markdown.Section{
		{Text: "alpha beta " + filler},
		{ID: "b", Heading: "Beta", Level: 2, Text: "alpha " + filler},
		{ID: "c", Heading: "Gamma", Level: 2, Text: "alpha beta delta " + filler},
		{ID: "d", Heading: "Delta", Level: 2, Text: "alpha delta " + filler},
	}}
	f := Encode(p, Options{})
	got := map[string][]Post{}
	for _, term := range f.Terms {
		got[term.Stem] = term.Posts
	}
	for _, tc := range []struct {
		stem string
		want []Post
	}{
		{"alpha", []Post{{0, ClassPassing}}},                                                      // in passing everywhere: the first
		{"beta", []Post{{1, ClassHeading}}},                                                       // a heading: no passing mention
		{"delta", []Post{{3, ClassHeading}}},                                                      // the same, after a mention in passing
		{"gamma", []Post{{2, ClassHeading}}},                                                      // a heading alone
		{"lorem", []Post{{0, ClassStrong}, {1, ClassStrong}, {2, ClassStrong}, {3, ClassStrong}}}, // strong mentions all stay
	} {
		if !slices.Equal(got[tc.stem], tc.want) {
			t.Errorf("%s: %v, want %v", tc.stem, got[tc.stem], tc.want)
		}
	}
}

// An entry's record leaves out what the page script can work out, and
// keeps everything else.
func TestEntryFields(t *testing.T) {
	for _, tc := range []struct {
		anchor, heading, text, aux string
		kind                       int
		section, title             string
		want                       string
	}{
		{"", "", "Intro.", "", KindSection, "", "Page", `["","Intro."]`},
		{"hash-ring", "Hash ring", "Text.", "", KindSection, "", "Page", `["Hash ring","Text."]`},
		{"hash-ring-1", "Hash ring", "", "", KindSection, "", "Page", `["Hash ring","","",0,"hash-ring-1"]`},                                              // a repeat
		{"sizing-the-tier", "Sizing the tier: Little’s law", "", "", KindSection, "", "P", `["Sizing the tier: Little’s law","","",0,"sizing-the-tier"]`}, // not ASCII
		{"whats-a-p99", "What's a p99?", "", "x", KindSection, "", "P", `["What's a p99?","","x"]`},
		{"calc-a", "Calculator: Sizing", "Cells.", "", KindCalculator, "Sizing", "P", `["","Cells.","",1,"calc-a"]`},
		{"calc-b", "Calculator: Page", "", "", KindCalculator, "", "Page", `["","","",1,"calc-b"]`},
		{"calc-c", "Calculator: Other", "", "", KindCalculator, "Sizing", "P", `["Calculator: Other","","",1,"calc-c"]`},
	} {
		got := string(appendEntry(nil, entryFields(tc.anchor, tc.heading, tc.text, tc.aux, tc.kind, tc.section, tc.title)))
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.anchor, got, tc.want)
		}
	}
}

// asciiSlug agrees with the slug markdown gives a heading's ID whenever it
// claims to know it.
func FuzzASCIISlug(f *testing.F) {
	for _, h := range []string{"Hash ring", "What's a p99?", "A -- B", "snake_case & CAPS", "tab\there", "Little’s law", "(1) x/y: z.", ""} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, h string) {
		if s, ok := asciiSlug(h); ok && h == clean(h) && s != markdown.Slug(h) {
			t.Errorf("asciiSlug(%q) = %q, markdown.Slug %q", h, s, markdown.Slug(h))
		}
	})
}

func TestFragmentCodec(t *testing.T) {
	for _, p := range testPages() {
		f := Encode(p, Options{})
		data, _ := f.MarshalBinary()
		g, err := UnmarshalFragment(data)
		if err != nil || !reflect.DeepEqual(f, g) {
			t.Errorf("round trip of %s: %v\n got %+v\nwant %+v", p.URL, err, g, f)
		}
		for _, bad := range [][]byte{nil, data[:len(data)-1], append(slices.Clone(data), 0), append([]byte{9}, data[1:]...)} {
			if _, err := UnmarshalFragment(bad); err == nil {
				t.Errorf("a damaged record (%d bytes) decoded", len(bad))
			}
		}
	}
}

// FuzzUnmarshalFragment: damaged cache entries are errors, never panics,
// and what decodes encodes back to the same bytes.
func FuzzUnmarshalFragment(f *testing.F) {
	for _, p := range testPages() {
		data, _ := Encode(p, Options{}).MarshalBinary()
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := UnmarshalFragment(data)
		if err != nil {
			return
		}
		again, _ := g.MarshalBinary()
		if !bytes.Equal(again, data) {
			t.Errorf("re-encoding differs:\n%x\n%x", again, data)
		}
	})
}

func TestAssemble(t *testing.T) {
	ix := Build(testPages(), Options{Gzip: true})
	again := Build(testPages(), Options{Gzip: true})
	if !reflect.DeepEqual(ix.Files, again.Files) {
		t.Error("two builds of the same pages differ")
	}
	var meta struct {
		V, Pages, Entries, Per, Text int
		Counts                       string
		Vocab, Terms, Docs, Stop     []string
		Syn                          [][][]string
	}
	if err := json.Unmarshal(ix.Files[Meta], &meta); err != nil {
		t.Fatal(err)
	}
	if meta.V != Version || meta.Pages != 3 || meta.Entries != 1+1+4 || meta.Counts != "BBE" || meta.Per != docsPerFile || len(meta.Docs) != 1 ||
		len(meta.Stop) != len(StopWords) || len(meta.Syn) != len(DefaultSynonyms()) || meta.Text != ix.Stats.TextBytes {
		t.Errorf("metadata %+v", meta)
	}
	// Every stem is in the vocabulary once, in order, at its ordinal, and
	// its postings are in the shard the metadata says.
	var stems []string
	for i := 0; i < len(meta.Vocab); i += 3 {
		var chunk []string
		if err := json.Unmarshal(ix.Files[Dir+meta.Vocab[i+2]], &chunk); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(len(stems)) != meta.Vocab[i+1] || !strings.HasPrefix(chunk[0], "A"+meta.Vocab[i]+" ") {
			t.Errorf("chunk %s starts at %s %q, holds %q…", meta.Vocab[i+2], meta.Vocab[i+1], meta.Vocab[i], chunk[0])
		}
		prev := ""
		for _, l := range chunk {
			// Each stem after the first says how much of the one before
			// it shares (all ASCII here).
			head := strings.Fields(l)[0]
			k := int(vlqValue[head[0]])
			if k > len(prev) {
				t.Fatalf("%q shares %d letters of %q", l, k, prev)
			}
			prev = prev[:k] + head[1:]
			stems = append(stems, prev)
		}
	}
	if !slices.IsSorted(stems) || len(slices.Compact(slices.Clone(stems))) != len(stems) || len(stems) != ix.Stats.Terms {
		t.Errorf("vocabulary of %d stems (%d terms) is not sorted and unique: %q", len(stems), ix.Stats.Terms, stems)
	}
	var posts []string
	for i := 0; i < len(meta.Terms); i += 2 {
		var shard []string
		json.Unmarshal(ix.Files[Dir+meta.Terms[i+1]], &shard)
		if fmt.Sprint(len(posts)) != meta.Terms[i] {
			t.Errorf("shard %s starts at %s, not %d", meta.Terms[i+1], meta.Terms[i], len(posts))
		}
		posts = append(posts, shard...)
	}
	if len(posts) != len(stems) {
		t.Fatalf("%d postings for %d stems", len(posts), len(stems))
	}
	shard := posts[slices.Index(stems, "shard")]
	got, err := decodePostings(shard, nil)
	if err != nil || !slices.Equal(got, []gpost{{3, ClassStrong}}) { // page 2's entry 1 is entry 3 of the site
		t.Errorf("postings of shard = %v, %v", got, err)
	}
	if ix.Stats.GzipBytes == 0 || ix.Stats.GzipBytes >= ix.Stats.IndexBytes || ix.Stats.Files != len(ix.Files) {
		t.Errorf("stats %+v", ix.Stats)
	}
}

// An Assembler that is given a site where a few pages changed gives the
// index that joining every page anew gives, byte for byte: edits of text,
// of titles, of headings, and ones that add or drop entries (which
// renumbers the entries of every later page, and so the postings of terms
// the edited page does not have).
func TestAssemblerIncremental(t *testing.T) {
	pages := testPages()
	for i := range 30 {
		pages = append(pages, Page{URL: fmt.Sprintf("p%d/", i), Title: fmt.Sprintf("Page %d", i), Sections: []markdown.Section{
			{Text: fmt.Sprintf("Common words and word%d here.", i%4)}, {ID: "s", Heading: "Shards", Text: "Sharded keys."}}})
	}
	frags := make([]Fragment, len(pages))
	for i, p := range pages {
		frags[i] = Encode(p, Options{})
	}
	var a Assembler
	a.Assemble(frags, Options{})
	edits := []func(){
		func() { pages[5].Sections[0].Text = "Brand new words, and no common ones." },
		func() { pages[2].Title = "Renamed"; pages[7].Sections = nil },
		func() { pages[8].Sections[1].Heading = "Word0 word1" },
		func() { pages[5] = pages[6] }, // the same content on two pages
		func() { // one more entry on the first page: every later entry moves
			pages[0].Sections = append(slices.Clone(pages[0].Sections), markdown.Section{ID: "new", Heading: "New", Text: "Fresh words."})
		},
		func() { pages[0].Sections = pages[0].Sections[:1] },           // and back
		func() { pages[20].Sections[0].Text += " Sharded, sharding." }, // a class changes
		func() {}, // nothing
		func() { // too many edits to patch: joined anew
			for i := range 10 {
				pages[10+i].Title = fmt.Sprintf("Retitled %d", i)
			}
		},
		func() { pages = pages[1:] }, // a page removed
	}
	for n, edit := range edits {
		edit()
		frags = frags[len(frags)-len(pages):] // pages are only ever dropped from the front
		for i, p := range pages {
			if f := Encode(p, Options{}); !bytes.Equal(f.Doc, frags[i].Doc) || !reflect.DeepEqual(f.Terms, frags[i].Terms) {
				frags[i] = f
			}
		}
		got := a.Assemble(frags, Options{})
		want := Assemble(frags, Options{})
		if !reflect.DeepEqual(got.Files, want.Files) {
			t.Errorf("edit %d: the updated index differs from a fresh one", n)
		}
	}
}

// Shards and chunks are cut by size, and a stem's shard is found from the
// first ordinals alone.
func TestShardAssignment(t *testing.T) {
	var pages []Page
	for i := range 400 {
		var text strings.Builder
		for j := range 60 {
			fmt.Fprintf(&text, "word%c%c%d term%d ", 'a'+rune(i%26), 'a'+rune(j%26), i*7%13, (i*j)%500)
		}
		pages = append(pages, Page{URL: fmt.Sprintf("p%d/", i), Title: fmt.Sprintf("Page %d", i), Sections: []markdown.Section{{Text: text.String()}}})
	}
	ix := Build(pages, Options{})
	var meta struct{ Vocab, Terms []string }
	json.Unmarshal(ix.Files[Meta], &meta)
	if len(meta.Terms) < 4 || len(meta.Vocab) < 6 {
		t.Fatalf("expected several shards and chunks: %d, %d", len(meta.Terms)/2, len(meta.Vocab)/3)
	}
	for name, data := range ix.Files {
		limit := 0
		switch {
		case strings.HasPrefix(name, Dir+"t-"):
			limit = shardBytes
		case strings.HasPrefix(name, Dir+"v-"):
			limit = chunkBytes
		}
		// A piece may pass its size by one entry, which it must hold.
		if limit > 0 && len(data) > limit+4096 {
			t.Errorf("%s is %d bytes; pieces are cut at %d", name, len(data), limit)
		}
	}
}

// FuzzAppendString checks the hand-written JSON string encoder against
// encoding/json (with HTML escaping off, as the index wants).
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"uote\\`, "\x00\x1f\n\t\r", "\u2028\u2029", "\xff\xfe", "<b>&</b>", "é😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		if got := string(appendString(nil, s)); got != strings.TrimSuffix(want.String(), "\n") {
			t.Errorf("appendString(%q) = %s, encoding/json says %s", s, got, want.String())
		}
	})
}
