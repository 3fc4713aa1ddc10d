package search

// DecodePostings reads a posting list as the tests' Go reader does, for
// comparing with the page script's: [entry, class] pairs.
func DecodePostings(s string, firstEntry []int) ([][2]int, error) {
	posts, err := decodePostings(s, firstEntry)
	out := make([][2]int, len(posts))
	for i, p := range posts {
		out[i] = [2]int{p.entry, p.class}
	}
	return out, err
}

// ASCIISlug is asciiSlug, for holding the page script's slug to it.
func ASCIISlug(h string) (string, bool) { return asciiSlug(h) }
