package calc

import "unicode/utf8"

// suggester finds the candidate closest to a name, or none when none is
// close enough to be a plausible typo: at most a quarter of the letters
// (plus one) may differ, and fewer than half of the longer word. Ties go to
// the lexicographically smallest candidate so messages do not depend on the
// order candidates are offered in.
type suggester struct {
	_     noEq
	name  string
	n     int // runes in name
	best  string
	bestD int
}

// What suggest offers besides cells, nouns and a word list.
const (
	withUnits = 1 << iota // every spelling of every unit
	withFuncs             // the library's functions
)

// suggest returns the candidate closest to name, or "": the cells' names,
// the nouns, the words of list, and the units and functions with asks
// for. Candidates are offered one by one from wherever they live, rather
// than gathered into a slice first.
//
//go:noinline
func suggest(name string, cells []*Cell, nouns []string, with int, list string) string {
	s := &suggester{name: name, n: utf8.RuneCountInString(name)}
	for _, c := range cells {
		s.add(c.Name)
	}
	for _, w := range nouns {
		s.add(w)
	}
	if with&withFuncs != 0 {
		for _, t := range funcTables {
			for i := range t {
				s.add(t[i].name)
			}
		}
	}
	// The word list, then the units' spellings.
	for k := -1; k < len(units) && (k < 0 || with&withUnits != 0); k++ {
		if k >= 0 {
			list = units[k].names
		}
		for list != "" {
			i := indexByte(list, ' ')
			if i < 0 {
				i = len(list)
			}
			if i > 0 {
				s.add(list[:i])
			}
			list = list[min(i+1, len(list)):]
		}
	}
	return s.best
}

// didYouMean is the hint appended to a message when a candidate is close.
//
//go:noinline
func didYouMean(best string) string {
	if best == "" {
		return ""
	}
	return msg(" — did you mean \"{}\"?", best)
}

// add offers one candidate. The distance is the optimal-string-alignment
// distance: insertions, deletions, substitutions and swaps of neighbours
// each cost one, and a change of case alone costs nothing, since "mb" for
// "MB" and "dua" for "dau" are the commonest slips.
//
//go:noinline
func (s *suggester) add(c string) {
	if c == s.name {
		return
	}
	// Both words as runes, ASCII letters lowered; the conversion []rune(s)
	// would pull its own runtime routine into the WebAssembly build.
	var r [2][]rune
	for k, w := range [2]string{s.name, c} {
		for _, x := range w {
			if x >= 'A' && x <= 'Z' {
				x += 'a' - 'A'
			}
			r[k] = append(r[k], x)
		}
	}
	ra, rb := r[0], r[1]
	// One flat table, row i at i*w, rather than a slice per row.
	w := len(rb) + 1
	t := make([]int, (len(ra)+1)*w)
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
	if d > min(s.n/4+1, 3) || 2*d >= max(s.n, len(rb)) {
		return
	}
	if s.best == "" || d < s.bestD || (d == s.bestD && c < s.best) {
		s.best, s.bestD = c, d
	}
}
