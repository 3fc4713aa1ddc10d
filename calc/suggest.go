package calc

import "unicode/utf8"

// suggest returns the candidate closest to name, or "" when none is close
// enough to be a plausible typo: at most a quarter of the letters (plus one)
// may differ, and fewer than half of the longer word. Ties go to the
// lexicographically smallest candidate so messages are stable.
func suggest(name string, cands []string) string {
	best, bestD := "", 0
	n := utf8.RuneCountInString(name)
	limit := min(n/4+1, 3)
	for _, c := range cands {
		if c == name {
			continue
		}
		d := editDistance(name, c)
		if d > limit || 2*d >= max(n, utf8.RuneCountInString(c)) {
			continue
		}
		if best == "" || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and swaps of neighbours each cost one, and a
// change of case alone costs nothing, since "mb" for "MB" and "dua" for
// "dau" are the commonest slips.
func editDistance(a, b string) int {
	ra, rb := lowerRunes(a), lowerRunes(b)
	// One flat table, row i at i*w, rather than a slice per row.
	w := len(rb) + 1
	d := make([]int, (len(ra)+1)*w)
	for i := range len(ra) + 1 {
		d[i*w] = i
	}
	for j := range w {
		d[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j < w; j++ {
			k := i*w + j
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(d[k-w]+1, d[k-1]+1, d[k-w-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, d[k-2*w-2]+1)
			}
			d[k] = v
		}
	}
	return d[len(d)-1]
}

// lowerRunes decodes s with ASCII letters lowered; the conversion []rune(s)
// would pull its own runtime routine into the WebAssembly build.
func lowerRunes(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, lower(r))
	}
	return out
}

func lower(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}
