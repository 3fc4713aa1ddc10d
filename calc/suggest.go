package calc

import didyoumean "github.com/scalebook/scalebook/internal/suggest"

// closest is the did-you-mean finder shared with the rest of scalebook.
var closest = didyoumean.For

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
	s := closest(name)
	for _, c := range cells {
		s.Add(c.Name)
	}
	for _, w := range nouns {
		s.Add(w)
	}
	if with&withFuncs != 0 {
		for _, t := range funcTables {
			for i := range t {
				s.Add(t[i].name)
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
				s.Add(list[:i])
			}
			list = list[min(i+1, len(list)):]
		}
	}
	return s.Best()
}

// didYouMean is the suggestion appended to a message when a candidate is
// close, behind hintMark: newError moves it to Error.Suggestion, and
// Error.Error prints it.
//
//go:noinline
func didYouMean(best string) string {
	if best == "" {
		return ""
	}
	return string(hintMark) + best
}
