// Package suggest finds the word an author probably meant: one did-you-mean
// for every message scalebook prints, from unknown calculator cells and
// units to misspelt front-matter keys. It uses only the standard library,
// so the calculator engine, which is compiled to WebAssembly, can share it.
package suggest

// Finder keeps the candidate closest to a name. The zero value is not
// ready; use For.
//
// A candidate is close enough to be a plausible typo when at most a quarter
// of its letters (plus one, and never more than three) differ and fewer
// than half of the longer word does. Ties go to the lexicographically
// smallest candidate, so messages do not depend on the order candidates
// are offered in.
type Finder struct {
	_     [0]func() // not comparable: no equality function in the binary
	orig  string
	name  []rune
	best  string
	bestD int
	t     []int
}

// For returns a Finder for name.
func For(name string) *Finder {
	f := &Finder{orig: name}
	// ASCII letters lowered, by hand: the conversion []rune(s) would pull
	// its own runtime routine into the WebAssembly build.
	f.name = lower(f.name, name)
	return f
}

// Best is the closest candidate offered so far, or "".
func (f *Finder) Best() string { return f.best }

// Closest returns the candidate closest to name, or "".
func Closest(name string, candidates ...string) string {
	f := For(name)
	for _, c := range candidates {
		f.Add(c)
	}
	return f.best
}

func lower(dst []rune, s string) []rune {
	dst = dst[:0]
	for _, x := range s {
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		dst = append(dst, x)
	}
	return dst
}

// Add offers one candidate. The distance is the optimal-string-alignment
// distance: insertions, deletions, substitutions and swaps of neighbours
// each cost one, and a change of case alone costs nothing, since "mb" for
// "MB" and "dua" for "dau" are the commonest slips.
//
//go:noinline
func (f *Finder) Add(c string) {
	if c == f.orig {
		return
	}
	ra := f.name
	var buf [32]rune
	rb := lower(buf[:0], c)
	// Words of very different lengths cannot be within the distance
	// allowed, unless one extends the other; checking first keeps a long
	// name (a pasted paragraph) from costing len(name) × len(c) per word.
	if n := len(f.name); abs(n-len(rb)) > 3 {
		if min(n, len(rb)) >= 4 && prefix(f.name, rb) {
			f.offer(c, 1+abs(n-len(rb))/4)
		}
		return
	}
	if equal(ra, rb) && c != "" {
		// Differs from name only in case: as close as it gets.
		f.offer(c, 0)
		return
	}
	// One flat table, row i at i*w, rather than a slice per row.
	w := len(rb) + 1
	need := (len(ra) + 1) * w
	if cap(f.t) < need {
		f.t = make([]int, need)
	}
	t := f.t[:need]
	for i := range len(ra) + 1 {
		t[i*w] = i
	}
	for j := range w {
		t[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j < w; j++ {
			k := i*w + j
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(t[k-w]+1, t[k-1]+1, t[k-w-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, t[k-2*w-2]+1)
			}
			t[k] = v
		}
	}
	d := t[len(t)-1]
	n := len(ra)
	if d > min(n/4+1, 3) || 2*d >= max(n, len(rb)) {
		// A word that extends another ("ceiling" for "ceil") is a
		// plausible slip however many letters it adds, if the shorter
		// word is long enough to mean something.
		if min(n, len(rb)) < 4 || !prefix(ra, rb) {
			return
		}
		d = 1 + d/4
	}
	f.offer(c, d)
}

func (f *Finder) offer(c string, d int) {
	if f.best == "" || d < f.bestD || (d == f.bestD && c < f.best) {
		f.best, f.bestD = c, d
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// prefix reports whether the shorter of a and b starts the longer.
func prefix(a, b []rune) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return equal(a, b[:len(a)])
}

func equal(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
