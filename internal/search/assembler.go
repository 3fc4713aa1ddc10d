package search

import (
	"maps"
	"slices"
	"sort"
	"strings"
)

// Assembler joins fragments into the index and keeps what it joined, so
// that its next Assemble, for a site where a few pages changed (the dev
// server's rebuild after an edit), replaces those pages' postings instead
// of joining every page again. The output is the same either way. An
// Assembler is not safe for concurrent use; the zero value is ready.
type Assembler struct {
	frags []Fragment
	terms map[string]*aterm
	stems []string // the keys of terms, sorted
	// firstEntry is each page's first entry, numbered across the site, as
	// the last encode numbered them: a term's encoded postings hold up
	// while the pages it is in keep their numbers.
	firstEntry []int
}

// aterm is a term of the site: the ways it was written, with how many
// pages wrote each, and its postings in page, then entry, order. enc is
// the postings as the index writes them (encodePostings), valid while
// fresh; encoding postings is most of what a rebuild after one edit costs.
type aterm struct {
	words map[string]int32
	posts []apost
	enc   []byte
	fresh bool
}

type apost struct{ page, entry, class int32 }

// Assemble joins the fragments of every page, in site order, into the
// index's files.
func (a *Assembler) Assemble(frags []Fragment, opts Options) Index {
	var changed []int
	if a.terms != nil && len(frags) == len(a.frags) {
		for i := range frags {
			if !sameFragment(frags[i], a.frags[i]) {
				changed = append(changed, i)
			}
		}
	}
	if a.terms == nil || len(frags) != len(a.frags) || len(changed) > len(frags)/8+1 {
		a.full(frags)
	} else {
		for _, i := range changed {
			a.remove(int32(i), a.frags[i])
			a.insert(int32(i), frags[i])
		}
		a.frags = slices.Clone(frags)
	}
	return a.encode(opts)
}

// sameFragment reports whether two fragments are the very same one (a
// builder hands back the fragment it kept), without comparing contents.
func sameFragment(f, g Fragment) bool {
	return len(f.Doc) == len(g.Doc) && len(f.Terms) == len(g.Terms) && len(f.Doc) > 0 && &f.Doc[0] == &g.Doc[0] &&
		(len(f.Terms) == 0 || &f.Terms[0] == &g.Terms[0])
}

// full joins every page anew.
func (a *Assembler) full(frags []Fragment) {
	a.terms = make(map[string]*aterm, 1024)
	for i, f := range frags {
		for _, t := range f.Terms {
			g := a.terms[t.Stem]
			if g == nil {
				g = &aterm{}
				a.terms[t.Stem] = g
			}
			g.addWords(t.Words)
			for _, p := range t.Posts {
				g.posts = append(g.posts, apost{int32(i), int32(p.Entry), int32(p.Class)})
			}
		}
	}
	a.stems = slices.Sorted(maps.Keys(a.terms))
	a.frags = slices.Clone(frags)
	a.firstEntry = nil
}

// remove takes page i's postings and words out.
func (a *Assembler) remove(i int32, f Fragment) {
	for _, t := range f.Terms {
		g := a.terms[t.Stem]
		if g == nil {
			continue
		}
		lo, hi := g.pageRange(i)
		g.posts = slices.Delete(g.posts, lo, hi)
		g.fresh = false
		for _, w := range t.Words {
			if g.words[w]--; g.words[w] <= 0 {
				delete(g.words, w)
			}
		}
		if len(g.posts) == 0 {
			delete(a.terms, t.Stem)
			if k, ok := slices.BinarySearch(a.stems, t.Stem); ok {
				a.stems = slices.Delete(a.stems, k, k+1)
			}
		}
	}
}

// insert puts page i's postings and words in.
func (a *Assembler) insert(i int32, f Fragment) {
	for _, t := range f.Terms {
		g := a.terms[t.Stem]
		if g == nil {
			g = &aterm{}
			a.terms[t.Stem] = g
			k, _ := slices.BinarySearch(a.stems, t.Stem)
			a.stems = slices.Insert(a.stems, k, t.Stem)
		}
		g.addWords(t.Words)
		g.fresh = false
		lo, _ := g.pageRange(i)
		posts := make([]apost, len(t.Posts))
		for k, p := range t.Posts {
			posts[k] = apost{i, int32(p.Entry), int32(p.Class)}
		}
		g.posts = slices.Insert(g.posts, lo, posts...)
	}
}

// pageRange returns where page i's postings are, or would go.
func (g *aterm) pageRange(i int32) (lo, hi int) {
	lo = sort.Search(len(g.posts), func(k int) bool { return g.posts[k].page >= i })
	hi = lo
	for hi < len(g.posts) && g.posts[hi].page == i {
		hi++
	}
	return lo, hi
}

func (g *aterm) addWords(words []string) {
	if len(words) == 0 {
		return
	}
	if g.words == nil {
		g.words = make(map[string]int32, len(words))
	}
	for _, w := range words {
		g.words[w]++
	}
}

func (g *aterm) sortedWords() []string {
	if len(g.words) == 0 {
		return nil
	}
	out := slices.Collect(maps.Keys(g.words))
	slices.SortFunc(out, strings.Compare)
	return out
}

// renumber numbers the pages' entries across the site and marks stale the
// postings of every term in a page whose entries moved (all pages after
// one that gained or lost an entry).
func (a *Assembler) renumber() []int {
	first := make([]int, len(a.frags))
	n := 0
	for i, f := range a.frags {
		first[i] = n
		n += f.Entries
	}
	moved := len(first) // the first page whose entries moved
	if len(a.firstEntry) == len(first) {
		for i := range first {
			if first[i] != a.firstEntry[i] {
				moved = i
				break
			}
		}
	} else {
		moved = 0
	}
	if moved < len(first) {
		for _, g := range a.terms {
			if len(g.posts) > 0 && int(g.posts[len(g.posts)-1].page) >= moved {
				g.fresh = false
			}
		}
	}
	a.firstEntry = first
	return first
}

// postings returns g's encoded postings, encoding them if stale. A
// common term's mentions in passing count for their pages (pageLevelDF).
func (g *aterm) postings(firstEntry []int, buf *[]gpost, pbuf *[]int) []byte {
	if g.fresh {
		return g.enc
	}
	posts := (*buf)[:0]
	var pages []int
	common := len(g.posts) > pageLevelDF
	if common {
		pages = (*pbuf)[:0]
	}
	for _, p := range g.posts {
		e := firstEntry[p.page] + int(p.entry)
		if common {
			pages = append(pages, int(p.page))
			if p.class == ClassPassing {
				e = firstEntry[p.page]
			}
		}
		posts = append(posts, gpost{e, int(p.class)})
	}
	*buf = posts
	if common {
		*pbuf = pages
	}
	g.enc = encodePostings(g.enc[:0], posts, pages)
	g.fresh = true
	return g.enc
}
