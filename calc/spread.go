package calc

import "math"

// Ranges. An input written "200M..400M users" is an estimate the author is
// unsure of; every figure that depends on it gets a low and a high. The
// bounds come from evaluating the sheet's numbers again with the range
// inputs moved: at every corner of their box (all lows and highs mixed),
// which is exact for the monotonic formulas estimates are made of, and at
// samples inside it from a fixed-seed generator, which catches a minimum
// or maximum in the middle (an if, a max of two inputs, a difference). The
// same sheet and inputs always give the same bounds.

// Sampling budget: all 2^k corners up to maxCorners inputs, then random
// corners; and spreadSamples points inside the box per range input (an
// evaluation with two ranges reruns the sheet 4 + 48 times).
const (
	maxCorners    = 8
	spreadSamples = 24
)

// spread fills each cell's lo and hi from the range inputs in st, and
// reports whether any figure has a range.
func (s *Sheet) spread(st []cellState, e *env) bool {
	var ranged []int
	for i, c := range s.Cells {
		if c.Input && !st[i].bad && st[i].lo < st[i].hi {
			ranged = append(ranged, i)
		}
	}
	if len(ranged) == 0 {
		return false
	}
	n := len(s.Cells)
	vals := make([]float64, n)
	ev := &env{vals: vals, stack: e.stack, src: s.src}
	k := len(ranged)
	rng := splitmix(0x5ca1eb00c)
	corners := 1 << min(k, maxCorners)
	// Only the formulas downstream of a range move: the others keep their
	// value at every sample.
	moved := make([]bool, n)
	for _, i := range ranged {
		moved[i] = true
	}
	copy(vals, e.vals)
	// The corners, then the samples, in one loop: in WebAssembly a
	// closure for the evaluation they share costs more than the loop.
	for m := range corners + spreadSamples*min(k, 4) {
		for j, i := range ranged {
			v, hi := st[i].lo, st[i].hi
			switch {
			case m >= corners:
				v = sampleIn(v, hi, rng.float())
			case j < maxCorners && m&(1<<j) != 0, j >= maxCorners && rng.next()&1 != 0:
				v = hi
			}
			vals[i] = v
		}
		// A cell undefined at this sample (a division by an input that
		// reaches zero) is NaN, which min and max below ignore.
		s.rerunFrom(st, ev, moved)
		// A range input's samples lie inside its range, so only the
		// formulas' bounds can widen.
		for i, v := range vals {
			if cs := &st[i]; moved[i] && v == v {
				cs.lo, cs.hi = math.Min(cs.lo, v), math.Max(cs.hi, v)
			}
		}
	}
	return true
}

// sampleIn places u (0..1) in lo..hi: uniformly, or uniformly on a log
// scale when the range is positive and spans more than a factor of two,
// as estimates of scale usually do.
func sampleIn(lo, hi, u float64) float64 {
	if lo > 0 && hi > 2*lo {
		return lo * math.Pow(hi/lo, u)
	}
	return lo + (hi-lo)*u
}

// splitmix is a small deterministic generator (SplitMix64): math/rand
// would add to the WebAssembly build for what a few lines do.
type splitmix uint64

func (r *splitmix) next() uint64 {
	*r += 0x9e3779b97f4a7c15
	z := uint64(*r)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float returns a number in [0, 1).
func (r *splitmix) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// span writes the range lo..hi as a reader reads it, "11.6K–23.1K req/s":
// one unit when both ends share it, "900 GB–1.2 TB" when they do not, and
// "to" instead of a dash when a sign would make the dash read as minus.
func (b *buf) span(lo, hi float64, d Dim, noun string, u *dispUnit) {
	from := len(*b)
	us := b.quantity(lo, d, noun, u)
	loText, loUnit := string((*b)[from:]), string((*b)[us:])
	mid := len(*b)
	us = b.quantity(hi, d, noun, u)
	hiText, hiUnit := string((*b)[mid:]), string((*b)[us:])
	*b = (*b)[:from]
	sep := "–"
	if loText[0] == '-' || hiText[0] == '-' {
		sep = " to "
	}
	if loUnit == hiUnit && loUnit != "" {
		num := loText[:len(loText)-len(loUnit)]
		for len(num) > 0 && num[len(num)-1] == ' ' {
			num = num[:len(num)-1]
		}
		b.s(num)
	} else {
		b.s(loText)
	}
	b.s(sep)
	b.s(hiText)
}
