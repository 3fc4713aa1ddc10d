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
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if lower(ra[i-1]) == lower(rb[j-1]) {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && lower(ra[i-1]) == lower(rb[j-2]) && lower(ra[i-2]) == lower(rb[j-1]) {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func lower(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}
