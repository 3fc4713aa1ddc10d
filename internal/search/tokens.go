package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// The index and the page script must cut text into the same terms, or a
// query never meets the words it means. The rules, which
// theme/assets/js/search-core.js repeats (a test runs both on the same
// text):
//
//   - A word is a run of letters, digits and underscores; apostrophes and
//     everything else separate words. Words joined by hyphens form one
//     compound ("fan-out").
//   - Text is lowercased. A word of only the letters a–z, three or more of
//     them, is stemmed (Snowball English, "Porter2"): "sharding", "sharded"
//     and "shards" are all "shard". Words with digits, underscores or other
//     letters are kept as they are: "read_qps", "p99", "café".
//   - Stop words (StopWords), one-character words and numbers (words of
//     digits only) are not terms: numbers are a third of the postings of a
//     page of figures, and nobody finds a page by "300".
//   - In the index, a compound gives its parts and the parts joined
//     ("fan-out" is "fan" and "fanout"; "out" is a stop word), an
//     identifier in camel case gives itself and its parts ("ReadQPS" is
//     "readqp", "read" and "qp"), and one with underscores only its parts
//     ("read_qps" is "read" and "qps"). A query word gives only the joined
//     or whole form, which the index holds for every way of writing it,
//     but an identifier with underscores gives its parts, which the
//     script looks for together, in one entry. A guide's calculators and
//     code name thousands of cells and variables, each in one place:
//     their parts find them as well as the whole would, and the whole
//     would be a quarter of the vocabulary.
//
// MaxTerm bounds a term's length in characters: longer runs are hashes and data, not
// words anyone types.
const MaxTerm = 40

// StopWords are the words left out of the index: they are in nearly every
// section, so they would cost the most bytes and tell results apart the
// least. The list is Snowball's English stop words; the page script reads
// it from the index's metadata.
var StopWords = strings.Fields(`a about above after again against all am an and any are as at be because been
before being below between both but by can did do does doing don down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just me more most
my myself no nor not now of off on once only or other our ours ourselves out over own s same she should so
some such t than that the their theirs them themselves then there these they this those through to too
under until up very was we were what when where which while who whom why will with you your yours yourself
yourselves`)

var stopSet = func() map[string]bool {
	m := make(map[string]bool, len(StopWords))
	for _, w := range StopWords {
		m[w] = true
	}
	return m
}()

// IsStopWord reports whether w (lowercase) is left out of the index.
func IsStopWord(w string) bool { return stopSet[w] }

// Stem returns the term a lowercase word is indexed under: its Snowball
// English stem if it is made of the letters a–z only and has three or
// more of them, else the word itself.
func Stem(w string) string {
	if len(w) < 3 {
		return w
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return w
		}
	}
	return english.Stem(w, true)
}

// Term is one term of a text: the stem and the word as written
// (lowercase), which the index keeps so that a misspelt query can be
// compared with words people write, not only with stems.
type Term struct {
	Stem, Word string
}

// Terms calls f for every term of text, in order, index-side (compounds
// and identifiers also give their parts). It allocates only the terms'
// strings.
func Terms(text string, f func(Term)) {
	var buf []byte
	emit := func(w string) {
		if !isTerm(w) {
			return
		}
		f(Term{Stem: Stem(w), Word: w})
	}
	// word emits one hyphen-free run, as written (case intact), with its
	// identifier parts.
	word := func(w string) {
		lw := lower(w, &buf)
		if strings.IndexByte(w, '_') >= 0 {
			for p := range strings.SplitSeq(lw, "_") {
				emit(p)
			}
			return
		}
		emit(lw)
		parts := camelParts(w)
		if len(parts) > 1 {
			for _, p := range parts {
				emit(lower(p, &buf))
			}
		}
	}
	scanWords(text, func(compound string, parts []string) {
		if len(parts) == 1 {
			word(parts[0])
			return
		}
		for _, p := range parts {
			word(p)
		}
		if strings.IndexByte(compound, '_') < 0 {
			emit(lower(strings.ReplaceAll(compound, "-", ""), &buf))
		}
	})
}

// QueryTerms returns the terms of a query as the page script finds them:
// one per word or compound, or the parts of an identifier with
// underscores, stop words dropped. It exists for tests, which hold the
// script to it, and for synonym phrases.
func QueryTerms(text string) []Term {
	var out []Term
	var buf []byte
	scanWords(text, func(compound string, parts []string) {
		if strings.IndexByte(compound, '_') >= 0 {
			for _, p := range strings.FieldsFunc(lower(compound, &buf), func(r rune) bool { return r == '_' || r == '-' }) {
				if isTerm(p) {
					out = append(out, Term{Stem: Stem(p), Word: p})
				}
			}
			return
		}
		w := lower(strings.ReplaceAll(compound, "-", ""), &buf)
		if !isTerm(w) {
			return
		}
		out = append(out, Term{Stem: Stem(w), Word: w})
	})
	return out
}

// isTerm reports whether a lowercase word is long enough, short enough,
// not a stop word and not a number. Lengths are in characters, as the script counts.
func isTerm(w string) bool {
	n := utf8.RuneCountInString(w)
	if n < 2 || n > MaxTerm || stopSet[w] {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return true
		}
	}
	return false
}

func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// scanWords finds the compounds of text: words joined by single hyphens.
// parts is reused between calls.
func scanWords(text string, f func(compound string, parts []string)) {
	var parts []string
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		parts = parts[:0]
		ws := i
		for i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			if isWordRune(r) {
				i += size
				continue
			}
			if r == '-' && i+1 < len(text) {
				if next, _ := utf8.DecodeRuneInString(text[i+1:]); isWordRune(next) {
					parts = append(parts, text[ws:i])
					i++
					ws = i
					continue
				}
			}
			break
		}
		parts = append(parts, text[ws:i])
		f(text[start:i], parts)
	}
}

// camelParts splits an identifier written in camel case at its humps:
// "fetchLedger" is fetch, Ledger; "HTTPServer" is HTTP, Server. A word
// without humps is one part.
func camelParts(w string) []string {
	var parts []string
	start := 0
	prev := rune(0)
	for i, r := range w {
		if i > 0 && unicode.IsUpper(r) {
			next, _ := utf8.DecodeRuneInString(w[i+utf8.RuneLen(r):])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && unicode.IsLower(next)) {
				parts = append(parts, w[start:i])
				start = i
			}
		}
		prev = r
	}
	return append(parts, w[start:])
}

// lower lowercases s, without allocating when it is lowercase ASCII.
func lower(s string, buf *[]byte) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
		if c >= 'A' && c <= 'Z' {
			b := append((*buf)[:0], s...)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			*buf = b
			return string(b)
		}
	}
	return s
}
