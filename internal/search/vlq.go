package search

// Posting lists travel as text in base64 VLQ, as source maps do: each
// number is written five bits at a time, low bits first, one character per
// group, with 32 added to every character but the last. Small numbers (the
// usual gap between pages, an entry's place, an impact) take one
// character, the text is safe in JSON without escapes, and a web server
// compresses it as it compresses the rest of the index (GitHub Pages
// compresses JSON, not binary files).
const vlqAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

var vlqValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(vlqAlphabet); i++ {
		t[vlqAlphabet[i]] = int8(i)
	}
	return t
}()

// appendVLQ writes n (≥ 0).
func appendVLQ(b []byte, n int) []byte {
	for {
		d := n & 31
		n >>= 5
		if n == 0 {
			return append(b, vlqAlphabet[d])
		}
		b = append(b, vlqAlphabet[d|32])
	}
}

// readVLQ reads one number from s at i, returning it and the index after
// it; ok is false on a character outside the alphabet, a number cut short
// or one too large.
func readVLQ(s string, i int) (n, next int, ok bool) {
	shift := 0
	for i < len(s) {
		d := vlqValue[s[i]]
		i++
		if d < 0 || shift > 25 {
			return 0, i, false
		}
		n |= int(d&31) << shift
		if d&32 == 0 {
			return n, i, true
		}
		shift += 5
	}
	return 0, i, false
}
