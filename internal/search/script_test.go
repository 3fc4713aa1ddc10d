package search_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/scalebook/scalebook/internal/markdown"
	"github.com/scalebook/scalebook/internal/search"
)

// loadIndex gives the script's SearchIndex every file of ix, as ix("name")
// in vm, and q(query) returning the pages found as "url#anchor …".
func loadIndex(t testing.TB, vm *goja.Runtime, ix search.Index) {
	t.Helper()
	files := map[string]any{}
	for name, data := range ix.Files {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files[strings.TrimPrefix(name, search.Dir)] = v
	}
	vm.Set("files", files)
	if _, err := vm.RunString(`
	var fetched = [];
	var ix = new core.SearchIndex(files["index.json"]);
	function answer(query, n) {
	  for (let need = ix.missing(query); need.length; need = ix.missing(query)) need.forEach(f => { fetched.push(f); ix.add(f, files[f]); });
	  const r = ix.search(query);
	  ix.docsMissing(r, n).forEach(f => { fetched.push(f); ix.add(f, files[f]); });
	  return r;
	}
	function q(query) {
	  return answer(query, 8).top(8).map(p => { const d = ix.doc(p.page); return d.url + "#" + p.entries.map(e => d.entries[e.entry].anchor || "top").join(","); }).join(" ");
	}`); err != nil {
		t.Fatal(err)
	}
}

func run(t testing.TB, vm *goja.Runtime, js string) goja.Value {
	t.Helper()
	v, err := vm.RunString(js)
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// The script reads every posting list the build writes as the build
// meant it, in both forms.
func TestScriptReadsPostings(t *testing.T) {
	var pages []search.Page
	for i := range 300 {
		// "alpha" is once in every long first section: a split list.
		var filler strings.Builder
		for j := range 150 {
			fmt.Fprintf(&filler, "filler%d ", (i*31+j)%997)
		}
		text := "alpha " + filler.String() + strings.Repeat(fmt.Sprintf("rare%d ", i), 1+i%3)
		if i%7 == 0 {
			text += " sevenish"
		}
		pages = append(pages, search.Page{URL: fmt.Sprintf("p%d/", i), Title: "Common " + fmt.Sprint(i%5),
			Sections: []markdown.Section{{Text: text}, {ID: "s", Heading: "Common", Text: "common"}}})
	}
	ix := search.Build(pages, search.Options{})
	vm := jsCore(t)
	loadIndex(t, vm, ix)
	var firstEntry []int
	json.Unmarshal([]byte(run(t, vm, `JSON.stringify(ix.firstEntry)`).String()), &firstEntry)
	var meta struct{ Terms []string }
	json.Unmarshal(ix.Files[search.Meta], &meta)
	forms := map[byte]int{}
	for i := 1; i < len(meta.Terms); i += 2 {
		var shard []string
		json.Unmarshal(ix.Files[search.Dir+meta.Terms[i]], &shard)
		for _, s := range shard {
			forms[s[0]]++
			want, err := search.DecodePostings(s, firstEntry)
			if err != nil {
				t.Fatalf("%q: %v", s, err)
			}
			vm.Set("s", s)
			var got struct{ Entries, Classes []int }
			raw := run(t, vm, `(p => JSON.stringify({entries: [...p.entries], classes: [...p.classes]}))(core.postings(s, ix.firstEntry))`).String()
			json.Unmarshal([]byte(raw), &got)
			var pairs [][2]int
			for k := range got.Entries {
				pairs = append(pairs, [2]int{got.Entries[k], got.Classes[k]})
			}
			if !slices.Equal(pairs, want) {
				t.Errorf("%q: script read %v, want %v", s, pairs, want)
			}
		}
	}
	rice, split := 0, 0
	for c, n := range forms {
		switch {
		case c == 'A':
		case strings.IndexByte("CDEFGHIJKLMNOPQRSTUVWXYZabcdef", c) >= 0:
			rice += n
		default:
			split += n
		}
	}
	if forms['A'] == 0 || rice == 0 || split == 0 {
		t.Errorf("want all three forms in the test: %v", forms)
	}
}

// warm's made-up postings are what the build would write for what they
// say they hold: the build's own reader (not the script's) reads them so,
// and warm runs on them to the end.
func TestWarmInputs(t *testing.T) {
	vm := jsCore(t)
	var site struct {
		FirstEntry    []int
		Split, Rice   string
		Common, Rarer struct{ Entries, Classes []int }
	}
	if err := json.Unmarshal([]byte(run(t, vm, `JSON.stringify(core.madeUp())`).String()), &site); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, s string
		want    struct{ Entries, Classes []int }
		form    string
	}{
		{"split", site.Split, site.Common, "ghijklmnopqrstuvwxyz0123456789-_"},
		{"rice", site.Rice, site.Rarer, "CDEFGHIJKLMNOPQRSTUVWXYZabcdef"},
	} {
		if !strings.ContainsRune(tc.form, rune(tc.s[0])) {
			t.Errorf("%s: form %q is not one of %q", tc.name, tc.s[0], tc.form)
		}
		got, err := search.DecodePostings(tc.s, site.FirstEntry)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var want [][2]int
		for k := range tc.want.Entries {
			want = append(want, [2]int{tc.want.Entries[k], tc.want.Classes[k]})
		}
		if len(want) < 1000 || !slices.Equal(got, want) {
			t.Errorf("%s: the build reads %d postings (%v…), want the %d made up (%v…)", tc.name, len(got), got[:min(6, len(got))], len(want), want[:min(6, len(want))])
		}
	}
	// The made-up index answers warm's queries as a real one would, so
	// that they run what a real query runs: each (the word being typed,
	// two words, a misspelt word) finds every page and shows sections.
	found := run(t, vm, `(() => {
	  const { meta, files } = core.madeUpIndex([]);
	  const ix = new core.SearchIndex(meta);
	  return ["rep", "repl", "replicas replic", "replicz"].map((q) => {
	    for (let need = ix.missing(q); need.length; need = ix.missing(q)) need.forEach((f) => ix.add(f, files[f]));
	    const r = ix.search(q);
	    ix.docsMissing(r).forEach((f) => ix.add(f, files[f]));
	    const best = r.top(8);
	    const ok = r.count === meta.pages && best.length === 8 && best.every((h) => h.entries.length > 0);
	    return ok ? "" : q + ": " + r.count + " pages of " + meta.pages + ", " + best.map((h) => h.entries.length) + " sections shown";
	  }).filter(Boolean).concat(ix.vocab.size === files.v.length && ix.vocab.has("ra000gn") ? [] : ["read " + ix.vocab.size + " stems of " + files.v.length]).join("; ");
	})()`).String()
	if found != "" {
		t.Errorf("the made-up index does not answer warm's queries: %s", found)
	}
	run(t, vm, `core.warm()`)
}

// The words the script marks in a text shown: those whose terms include a
// stem found, or that start with a word being typed, in any part of a
// compound or identifier; the stems that do not keep their word's first
// two letters (dying, die) too.
func TestScriptMarks(t *testing.T) {
	vm := jsCore(t)
	for _, tc := range []struct {
		stems, prefixes []string
		text, want      string
	}{
		{[]string{"shard"}, nil, "Sharding and shared shards; ShardMap, read_shard, re-shard.", "Sharding shards ShardMap read_shard re-shard"},
		{[]string{"die"}, nil, "The dying star dies; a diet.", "dying dies"},
		{[]string{"lie", "tie"}, nil, "Lying ties, tying lies.", "Lying ties tying lies"},
		{nil, []string{"rep"}, "Replicas report; a reply.", "Replicas report reply"},
		{[]string{"cach"}, []string{"hit"}, "Cache hits, cached hitting; a cash hut.", "Cache hits cached hitting"},
	} {
		vm.Set("tc", map[string]any{"stems": tc.stems, "prefixes": tc.prefixes, "text": tc.text})
		got := run(t, vm, `(() => {
		  const result = { stems: new Set(tc.stems || []), prefixes: tc.prefixes || [] };
		  return core.matches(tc.text, result).map(([a, b]) => tc.text.slice(a, b)).join(" ");
		})()`).String()
		if got != tc.want {
			t.Errorf("stems %q, typed %q in %q: marked %q, want %q", tc.stems, tc.prefixes, tc.text, got, tc.want)
		}
	}
}

// The script's matching on a small index: stems, prefixes, misspellings,
// synonyms, identifiers and compounds, and every word required.
func TestScriptFinds(t *testing.T) {
	sec := func(id, heading, text string) markdown.Section {
		return markdown.Section{ID: id, Heading: heading, Level: 2, Text: text}
	}
	pages := []search.Page{
		{URL: "", Title: "Home", Sections: []markdown.Section{{Text: "A guide to systems."}}},
		{URL: "data/", Title: "Partitioning", Sections: []markdown.Section{{Text: "Split the data."},
			sec("hashing", "Consistent hashing", "Keys go onto a ring of virtual nodes."), sec("hot", "Hot keys", "A hot key needs its own shard.")}},
		{URL: "twitter/", Title: "Timelines", Sections: []markdown.Section{{},
			sec("fan", "Fan-out on write", "Each post is copied to every follower's cache."), sec("est", "Estimation", "The read_qps is the daily reads over a day; requests per second peak at noon.")}},
		{URL: "cache/", Title: "Caching", Sections: []markdown.Section{{Text: "Cache the hot rows; a cache miss goes to the database."}}},
		{URL: "photos/", Title: "Photo sharing", Sections: []markdown.Section{{Text: "Share them."},
			sec("up", "The upload path", "Each photo goes to object storage first, then to a queue for resizing. "+strings.Repeat("Workers read the queue, resize and store. ", 20)),
			sec("est", "Estimation", "Photos per day, photo size, photo storage; uploads, and uploads per second.")}},
	}
	ix := search.Build(pages, search.Options{Synonyms: search.DefaultSynonyms()})
	vm := jsCore(t)
	loadIndex(t, vm, ix)
	for _, tc := range []struct{ query, want string }{
		{"partitions", "data/#top,hot"},         // a stem, and its synonym shard
		{"sharding", "data/#top,hot"},           // a synonym (partitioning), and the word itself
		{"consistant hashing", "data/#hashing"}, // a misspelling, and every word in one page
		{"cahce", "cache/#top twitter/#fan"},    // a swap; the page about it first
		{"fanout", "twitter/#fan"},              // a compound, joined
		{"fan-out", "twitter/#fan"},             // and written as one
		{"read_qps", "twitter/#est"},            // an identifier
		{"qps", "twitter/#est"},                 // its part, and the synonym requests per second
		{"virt", "data/#hashing"},               // a word being typed
		{"consistent zebra", ""},                // every word must be found
		{"the", ""},                             // stop words alone find nothing
		{"hot keys", "data/#hot,hashing"},       // the heading first; "cache" has no keys
		{"photo upload", "photos/#up,est,top"},  // the title's word is in every section of its page
	} {
		if got := run(t, vm, fmt.Sprintf("q(%q)", tc.query)).String(); got != tc.want {
			t.Errorf("%q found %q, want %q", tc.query, got, tc.want)
		}
	}
}

// The page script works out the anchors the records leave out as the
// build does, for every ASCII heading of the guide and a few others.
func TestScriptSlugAgrees(t *testing.T) {
	vm := jsCore(t)
	headings := []string{"Hash ring", "What's a p99?", "A -- B", "snake_case & CAPS", "(1) x/y: z.", "", "Fan-out_on write"}
	err := filepath.WalkDir(filepath.Join("..", "..", "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := os.ReadFile(p)
		for _, l := range strings.Split(string(data), "\n") {
			if h, ok := strings.CutPrefix(strings.TrimLeft(l, "#"), " "); ok && strings.HasPrefix(l, "#") {
				headings = append(headings, h)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, h := range headings {
		want, ok := search.ASCIISlug(h)
		if !ok {
			continue
		}
		n++
		if got := call(t, vm, "slug", h); got != want {
			t.Errorf("slug(%q): script %q, build %q", h, got, want)
		}
	}
	if n < 100 {
		t.Errorf("only %d ASCII headings compared", n)
	}
}

// The script reads front-coded stems back whole, astral characters too.
func TestScriptReadsVocabulary(t *testing.T) {
	words := "naïve naïveté naïvetés café cafés \U0001D538\U0001D539c \U0001D538\U0001D539d \U0001D538x"
	ix := search.Build([]search.Page{{URL: "p/", Title: "Words", Sections: []markdown.Section{{Text: words}}}}, search.Options{})
	vm := jsCore(t)
	loadIndex(t, vm, ix)
	raw := run(t, vm, `meta = files["index.json"]; for (let i = 2; i < meta.vocab.length; i += 3) ix.add(meta.vocab[i], files[meta.vocab[i]]);
		JSON.stringify([...ix.vocab.keys()])`).String()
	var got []string
	json.Unmarshal([]byte(raw), &got)
	var want []string
	search.Terms("Words "+words, func(t search.Term) { want = append(want, t.Stem) })
	slices.Sort(want)
	want = slices.Compact(want)
	if !slices.Equal(got, want) || !slices.Contains(got, "\U0001D538\U0001D539d") {
		t.Errorf("the script read %q, want %q", got, want)
	}
}

// osa is the optimal string alignment distance, worked out over the whole
// table: what the script's banded distance must agree with.
func osa(a, b []uint16) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// The script's distance works out only a band of the table, in rows kept
// between calls: it must give the whole table's answer, capped at max+1,
// for near and far pairs, long after short and short after long.
func TestScriptDistance(t *testing.T) {
	vm := jsCore(t)
	words := []string{"shardng", "sharding", "sharing", "cahce", "cache", "caches", "consistant", "consistent",
		"replicaton", "replication", "a", "", "ab", "ba", "abc", "acb", "bca", "partitioning", "partition",
		"throughput", "thruput", "idempotency", "idempotent", "écrire", "ecrire", "𝑥ab", "xab",
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", "abcdefghij"}
	f, _ := vm.RunString(`(a, b, max) => core.distance(a, b, max)`)
	fn, _ := gojaFunc(vm, f)
	utf16 := func(s string) []uint16 {
		var out []uint16
		for _, r := range s {
			if r >= 0x10000 {
				r -= 0x10000
				out = append(out, uint16(0xd800+(r>>10)), uint16(0xdc00+(r&0x3ff)))
			} else {
				out = append(out, uint16(r))
			}
		}
		return out
	}
	checked := 0
	for _, a := range words {
		for _, b := range words {
			for max := 0; max <= 3; max++ {
				want := min(osa(utf16(a), utf16(b)), max+1)
				v, err := fn(goja.Undefined(), vm.ToValue(a), vm.ToValue(b), vm.ToValue(max))
				if err != nil {
					t.Fatal(err)
				}
				if got := int(v.ToInteger()); got != want {
					t.Errorf("distance(%q, %q, %d) = %d, want %d", a, b, max, got, want)
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("checked only %d pairs", checked)
	}
}
