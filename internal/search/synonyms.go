package search

import (
	"slices"
	"strconv"
	"strings"
)

// SynonymGroup is a set of words or phrases that find each other: a query
// for one finds the others too, a little below the word itself. Each
// phrase is kept as its query terms ("requests per second" is request,
// second).
type SynonymGroup struct {
	Phrases [][]string
}

// defaultSynonyms is the built-in table: abbreviations and pairs of names
// that system-design writing uses for the same thing. site.yaml's
// search.synonyms adds to it (search.default_synonyms: false leaves it
// out).
var defaultSynonyms = [][]string{
	{"qps", "requests per second"},
	{"tps", "transactions per second"},
	{"sharding", "partitioning"},
	{"fanout", "fan-out"},
	{"db", "database"},
	{"cdn", "content delivery network"},
	{"lb", "load balancer"},
	{"ttl", "time to live"},
	{"dau", "daily active users"},
	{"mau", "monthly active users"},
	{"id", "identifier"},
	{"k8s", "kubernetes"},
	{"pubsub", "publish subscribe", "pub/sub"},
	{"rate limiting", "throttling"},
}

// DefaultSynonyms returns the built-in synonym table, parsed.
func DefaultSynonyms() []SynonymGroup {
	groups, _ := ParseSynonyms(defaultSynonyms)
	return groups
}

// DefaultSynonymTable returns the built-in synonym table as written, for
// a builder to put before an author's groups.
func DefaultSynonymTable() [][]string {
	out := make([][]string, len(defaultSynonyms))
	for i, g := range defaultSynonyms {
		out[i] = slices.Clone(g)
	}
	return out
}

// SynonymProblem is a group of ParseSynonyms's input it could not use:
// the group's index and, when one phrase is the trouble, the phrase's
// (else -1).
type SynonymProblem struct {
	Group, Phrase int
	Msg           string
}

// ParseSynonyms turns groups of words and phrases, as an author writes
// them, into the index's synonym groups. Groups that share a phrase are
// merged, so a word is in at most one group; the result is sorted, so
// the same table always gives the same index.
func ParseSynonyms(groups [][]string) ([]SynonymGroup, []SynonymProblem) {
	var problems []SynonymProblem
	var sets [][]string // phrases as "term term"
	for gi, g := range groups {
		var set []string
		for pi, p := range g {
			var terms []string
			for _, t := range QueryTerms(p) {
				terms = append(terms, t.Stem)
			}
			switch {
			case len(terms) == 0:
				problems = append(problems, SynonymProblem{gi, pi, strconv.Quote(p) + " has no word search can find (stop words such as \"the\" and one-letter words are not indexed)"})
			case len(terms) > maxSynPhrase:
				problems = append(problems, SynonymProblem{gi, pi, strconv.Quote(p) + " is too long for a synonym; use at most " + strconv.Itoa(maxSynPhrase) + " words"})
			default:
				set = append(set, strings.Join(terms, " "))
			}
		}
		slices.Sort(set)
		set = slices.Compact(set)
		if len(set) < 2 {
			if len(g) < 2 {
				problems = append(problems, SynonymProblem{gi, -1, "a synonym group needs two or more words or phrases, as in [qps, requests per second]"})
			}
			continue
		}
		sets = append(sets, set)
	}
	// Merge groups that share a phrase, until none do.
	for merged := true; merged; {
		merged = false
		for i := 0; i < len(sets) && !merged; i++ {
			for j := i + 1; j < len(sets); j++ {
				if slices.ContainsFunc(sets[j], func(p string) bool { return slices.Contains(sets[i], p) }) {
					sets[i] = slices.Compact(slices.Sorted(slices.Values(append(sets[i], sets[j]...))))
					sets = slices.Delete(sets, j, j+1)
					merged = true
					break
				}
			}
		}
	}
	slices.SortFunc(sets, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	out := make([]SynonymGroup, len(sets))
	for i, set := range sets {
		for _, p := range set {
			out[i].Phrases = append(out[i].Phrases, strings.Fields(p))
		}
	}
	return out, problems
}
