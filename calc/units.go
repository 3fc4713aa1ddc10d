package calc

import "math"

// Time conventions. A year is the Gregorian mean of 365.2425 days and a month
// is a twelfth of it (2,629,746 s), so "per month" figures neither assume a
// 30-day month nor drift between months.
const (
	secondsPerDay   = 86400.0
	secondsPerWeek  = 7 * secondsPerDay
	secondsPerYear  = 365.2425 * secondsPerDay
	secondsPerMonth = secondsPerYear / 12
)

// family is a run of units that differ only by prefix, ordered small to big.
// Literals written in one keep their family when displayed, so "1500 Mbps"
// shows as "1.5 Gbps" rather than switching to bytes.
type family struct {
	names   []string
	factors []float64
	step    float64 // 1000 or 1024; steps of 1024 allow a 4-digit mantissa
}

// The families are written out rather than computed so that they, like the
// unit table below, are static data: in WebAssembly every statement run at
// start-up costs far more bytes than the table it would fill.
var (
	famBytes = &family{
		names:   []string{"B", "KB", "MB", "GB", "TB", "PB", "EB"},
		factors: []float64{1, 1e3, 1e6, 1e9, 1e12, 1e15, 1e18},
		step:    1000,
	}
	famIBytes = &family{
		names:   []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"},
		factors: []float64{1, 1 << 10, 1 << 20, 1 << 30, 1 << 40, 1 << 50, 1 << 60},
		step:    1024,
	}
	famBits = &family{
		names:   []string{"bits", "Kbit", "Mbit", "Gbit", "Tbit", "Pbit", "Ebit"},
		factors: []float64{0.125, 125, 125e3, 125e6, 125e9, 125e12, 125e15},
		step:    1000,
	}
	famBps = &family{
		names:   []string{"bps", "Kbps", "Mbps", "Gbps", "Tbps"},
		factors: []float64{0.125, 125, 125e3, 125e6, 125e9},
		step:    1000,
	}
	// Bytes per second written as one word (MBps) show as MB/s.
	famBytesPs = &family{
		names:   []string{"B/s", "KB/s", "MB/s", "GB/s", "TB/s", "PB/s"},
		factors: []float64{1, 1e3, 1e6, 1e9, 1e12, 1e15},
		step:    1000,
	}
)

// timeFam is the automatic choice for durations; days and years are plural
// words, the rest are symbols.
var timeFam = []struct {
	name, plural string
	factor       float64
}{
	{"ns", "ns", 1e-9},
	{"µs", "µs", 1e-6},
	{"ms", "ms", 1e-3},
	{"s", "s", 1},
	{"min", "min", 60},
	{"h", "h", 3600},
	{"day", "days", secondsPerDay},
	{"year", "years", secondsPerYear},
}

// rateFam lists the denominators an automatic rate may use: per second
// unless the figure is below one a second, then the first that reaches one.
var rateFam = []struct {
	name   string
	factor float64
}{
	{"/s", 1},
	{"/min", 1.0 / 60},
	{"/h", 1.0 / 3600},
	{"/day", 1 / secondsPerDay},
	{"/month", 1 / secondsPerMonth},
	{"/year", 1 / secondsPerYear},
}

// unit is a unit with its spellings: its size in base units (seconds,
// bytes, USD) and its dimension. The dimensions are written as literals
// because a table that names other variables is filled in by code at
// start-up rather than laid out as data.
type unit struct {
	names  string // space-separated spellings
	factor float64
	dim    Dim
	fam    *family // non-nil when a display may swap the prefix (KB → MB)
	// A unit cannot be compared, so that the WebAssembly build needs no
	// equality function for it (sheets now hold units of their own).
	_ noEq
}

// units lists every unit. It is searched in order rather than indexed by a
// map: lookups happen while parsing, never while evaluating.
var units = []unit{
	{"B byte bytes", 1, Dim{Info: 1}, famBytes, noEq{}},
	{"KB kB", 1e3, Dim{Info: 1}, famBytes, noEq{}},
	{"MB", 1e6, Dim{Info: 1}, famBytes, noEq{}},
	{"GB", 1e9, Dim{Info: 1}, famBytes, noEq{}},
	{"TB", 1e12, Dim{Info: 1}, famBytes, noEq{}},
	{"PB", 1e15, Dim{Info: 1}, famBytes, noEq{}},
	{"EB", 1e18, Dim{Info: 1}, famBytes, noEq{}},
	{"KiB", 1 << 10, Dim{Info: 1}, famIBytes, noEq{}},
	{"MiB", 1 << 20, Dim{Info: 1}, famIBytes, noEq{}},
	{"GiB", 1 << 30, Dim{Info: 1}, famIBytes, noEq{}},
	{"TiB", 1 << 40, Dim{Info: 1}, famIBytes, noEq{}},
	{"PiB", 1 << 50, Dim{Info: 1}, famIBytes, noEq{}},
	{"EiB", 1 << 60, Dim{Info: 1}, famIBytes, noEq{}},
	{"bit bits", 0.125, Dim{Info: 1}, famBits, noEq{}},
	{"Kbit kbit", 125, Dim{Info: 1}, famBits, noEq{}},
	{"Mbit", 125e3, Dim{Info: 1}, famBits, noEq{}},
	{"Gbit", 125e6, Dim{Info: 1}, famBits, noEq{}},
	{"Tbit", 125e9, Dim{Info: 1}, famBits, noEq{}},
	{"Pbit", 125e12, Dim{Info: 1}, famBits, noEq{}},
	{"Ebit", 125e15, Dim{Info: 1}, famBits, noEq{}},
	{"bps", 0.125, Dim{Time: -1, Info: 1}, famBps, noEq{}},
	{"Kbps kbps", 125, Dim{Time: -1, Info: 1}, famBps, noEq{}},
	{"Mbps", 125e3, Dim{Time: -1, Info: 1}, famBps, noEq{}},
	{"Gbps", 125e6, Dim{Time: -1, Info: 1}, famBps, noEq{}},
	{"Tbps", 125e9, Dim{Time: -1, Info: 1}, famBps, noEq{}},
	{"Bps", 1, Dim{Time: -1, Info: 1}, famBytesPs, noEq{}},
	{"KBps kBps", 1e3, Dim{Time: -1, Info: 1}, famBytesPs, noEq{}},
	{"MBps", 1e6, Dim{Time: -1, Info: 1}, famBytesPs, noEq{}},
	{"GBps", 1e9, Dim{Time: -1, Info: 1}, famBytesPs, noEq{}},
	{"TBps", 1e12, Dim{Time: -1, Info: 1}, famBytesPs, noEq{}},
	{"ns", 1e-9, Dim{Time: 1}, nil, noEq{}},
	{"µs us", 1e-6, Dim{Time: 1}, nil, noEq{}},
	{"ms", 1e-3, Dim{Time: 1}, nil, noEq{}},
	{"s sec secs second seconds", 1, Dim{Time: 1}, nil, noEq{}},
	{"min mins minute minutes", 60, Dim{Time: 1}, nil, noEq{}},
	{"h hr hrs hour hours", 3600, Dim{Time: 1}, nil, noEq{}},
	{"day days", secondsPerDay, Dim{Time: 1}, nil, noEq{}},
	{"week weeks", secondsPerWeek, Dim{Time: 1}, nil, noEq{}},
	{"month months", secondsPerMonth, Dim{Time: 1}, nil, noEq{}},
	{"year years", secondsPerYear, Dim{Time: 1}, nil, noEq{}},
	{"USD $", 1, Dim{Money: 1}, nil, noEq{}},
}

// lookupUnit finds a unit by spelling, or returns nil; the Greek mu is
// accepted for micro.
//
//go:noinline
func lookupUnit(name string) *unit {
	if name == "μs" {
		name = "µs"
	}
	for i := range units {
		if hasWord(units[i].names, name) {
			return &units[i]
		}
	}
	return nil
}

// unit finds a unit by spelling: a built-in one, or one the sheet defines
// ("unit rack = 42 servers"). s may be nil: no sheet, built-in units only.
//
//go:noinline
func (s *Sheet) unit(name string) *unit {
	if u := lookupUnit(name); u != nil || s == nil {
		return u
	}
	for i := range s.units {
		if hasWord(s.units[i].names, name) {
			return &s.units[i]
		}
	}
	return nil
}

// isNoun reports a count noun: a default one or one of the sheet's.
//
//go:noinline
func isNoun(name string, extra []string) bool {
	return declared(extra, name) || hasWord(nounList, name)
}

// IsCountNoun reports whether word is one of the count nouns a number may
// carry in any sheet without a "nouns:" line ("300M users"), for tools that
// read figures in prose the way the engine reads them in sheets.
func IsCountNoun(word string) bool { return hasWord(nounList, word) }

// nounList holds the count nouns a number may carry without declaring them.
// The list is explicit so that a typo in a unit is an error rather than a
// silently dimensionless noun; sheets add more with a "nouns:" line.
const nounList = "user users req reqs request requests tweet tweets post posts " +
	"message messages msg msgs file files read reads write writes view " +
	"views op ops item items object objects chunk chunks server " +
	"servers node nodes partition partitions connection connections " +
	"conn conns query queries click clicks event events photo photos " +
	"video videos key keys row rows ID IDs id ids record records order " +
	"orders page pages visit visits search searches upload uploads " +
	"download downloads session sessions transaction transactions txn " +
	"txns hit hits miss misses call calls job jobs task tasks update " +
	"updates notification notifications email emails link links URL " +
	"URLs url urls document documents doc docs comment comments like " +
	"likes follower followers friend friends account accounts device " +
	"devices customer customers driver drivers ride rides trip trips " +
	"stream streams packet packets instance instances machine machines " +
	"host hosts shard shards replica replicas disk disks core cores " +
	"thread threads pin pins song songs ad ads impression impressions " +
	"match matches ticket tickets seat seats room rooms booking " +
	"bookings paste pastes crawl crawls payment payments point points " +
	"metric metrics series sample samples logs line lines entry " +
	"entries block blocks batch batches hop hops person people tile " +
	"tiles word words char chars character characters token tokens " +
	"push pushes ping pings location locations unit units CPU CPUs " +
	"vCPU vCPUs GPU GPUs"

// suffixValue gives the multiplier of a count suffix (K k M B T), or 0. A
// lone K or M is almost always a suffix typed with a space, so naming a cell
// so is refused.
//
//go:noinline
func suffixValue(s string) float64 {
	if len(s) == 1 {
		if i := indexByte("KkMBT", s[0]); i >= 0 {
			return [...]float64{1e3, 1e3, 1e6, 1e9, 1e12}[i]
		}
	}
	return 0
}

// resolveUnit turns a written unit into a display unit, or adds an error
// to errs and returns nil. Unless pinned, a single prefixable unit (KB,
// Mbps, TB/month) becomes a family, so the figure can move to a better
// prefix when it changes; so does a time unit written in a literal, while
// a time unit after "as" (latency in ms, retention in days) is the
// author's convention and stays.
func resolveUnit(s *unitSpec, sh *Sheet, literal bool, errs *errList) *dispUnit {
	if s.percent {
		return percentUnit
	}
	// The unit is built in a local and stored at the end: in WebAssembly
	// each store of a pointer into the heap costs a write barrier.
	u := dispUnit{factor: 1, money: s.money}
	var nouns []string
	if sh != nil {
		nouns = sh.Nouns
	}
	var text buf
	if s.money {
		u.dim.Money++
		text.c('$')
	}
	// A family needs one prefixable unit, optionally per time units; tail
	// is the factor of those.
	fam := !s.pinned && s.den == 1 && s.terms[0].exp == 1
	var first *unit
	tailFac := 1.0
	// Numerator terms, then denominators.
	for i, t := range s.terms {
		den := i >= s.den
		un := sh.unit(t.name)
		switch {
		case un == nil && i == 0 && !den && !s.money && t.exp == 1 && isNoun(t.name, nouns):
			u.noun = t.name
			continue
		case un == nil && bitsAlias(t.name) != nil && !den && i+1 == s.den && i+1 < len(s.terms) &&
			lookupUnit(s.terms[i+1].name) != nil && lookupUnit(s.terms[i+1].name).dim == dimTime:
			// "Gb/s": a lower-case b per second is bits, as networks write it.
			un = bitsAlias(t.name)
		case un == nil && bitsAlias(t.name) != nil:
			errs.add(t.pos, bitsMsg(t.name))
			return nil
		case un == nil:
			m := unknownUnitMsg(t.name, sh)
			if den && isNoun(t.name, nouns) {
				m = msg("a count noun such as \"{}\" cannot be a denominator; use a plain ratio", t.name)
			}
			errs.add(t.pos, m)
			return nil
		case !den && un.names == "USD $" && !u.money && len(text) == 0 && t.exp == 1:
			u.money = true
			u.dim.Money++
			text.c('$')
			continue
		}
		f, d := math.Pow(un.factor, float64(t.exp)), un.dim.scale(t.exp)
		switch {
		case den:
			u.factor /= f
			u.dim = u.dim.sub(d)
			text.c('/')
			fam = fam && un.dim == dimTime && t.exp == 1
			tailFac /= un.factor
		case len(text) > 0 && string(text) != "$":
			text.s("·")
			fallthrough
		default:
			u.factor *= f
			u.dim = u.dim.add(d)
			first = un
		}
		text.s(t.name)
		if t.exp != 1 {
			text.sup(t.exp)
		}
	}
	u.text = string(text)
	switch {
	case first != nil && len(s.terms) == 1 && s.terms[0].exp == 1 && lookupUnit(s.terms[0].name) == nil:
		// A sheet's own unit, whose names are its singular and plural, is
		// shown as the figure needs ("1 rack", "3 racks"), whatever was
		// written.
		u.one, u.text = first.names, first.names
		if i := indexByte(first.names, ' '); i >= 0 {
			u.one, u.text = first.names[:i], first.names[i+1:]
		}
	case !fam || u.money || first == nil:
	case first.fam != nil:
		// The tail is what follows the prefixed unit: "/s", "/month".
		u.fam, u.tail, u.tailFac = first.fam, u.text[len(s.terms[0].name):], tailFac
	case first.dim == dimTime && len(s.terms) == 1:
		u.timeFam = literal
		u.soft = !literal && !s.pinned
	}
	out := new(dispUnit)
	*out = u
	return out
}

// convMsg explains a failed conversion: "cannot show 17.4K/s as GB/s: it is
// a rate (1/time), GB/s is bandwidth (information/time)".
func convMsg(value string, have Dim, unit string, want Dim) string {
	hint := ""
	switch d := have.sub(want); {
	case d == dimTime && have != dimCount:
		hint = "; to get a rate, divide by a time (such as / 1 month) or drop one you multiplied by"
	case d == dimRate && want != dimCount:
		hint = "; multiply by a time (such as × 1 day) to get a total"
	}
	return msg("cannot show {} as {}: it is {}, {} is {}{}", value, unit, have.describe(), unit, want.describe(), hint)
}

// bitsAlias gives the bit unit a two-letter spelling such as "Gb" or "kb"
// names (gigabit, kilobit), or nil. Alone such a spelling is ambiguous (many
// write "Gb" for gigabytes), so it is accepted only per unit of time.
//
//go:noinline
func bitsAlias(name string) *unit {
	if len(name) != 2 || name[1] != 'b' {
		return nil
	}
	if i := indexByte("kKMGTPE", name[0]); i >= 0 {
		return lookupUnit([...]string{"Kbit", "Kbit", "Mbit", "Gbit", "Tbit", "Pbit", "Ebit"}[i])
	}
	return nil
}

// bitsMsg asks which reading of "Gb" was meant.
func bitsMsg(name string) string {
	i := indexByte("kKMGTPE", name[0])
	p, word := "K", "kilo"
	if i > 1 {
		p = name[:1]
		word = [...]string{"mega", "giga", "tera", "peta", "exa"}[i-2]
	}
	return msg("\"{0}\" could mean {1}bits or {1}bytes: write {2}bit or {2}B ({0}/s, per unit of time, reads as {1}bits per second)", name, word, p)
}

// perTime reports whether rest, the source right after a unit, divides it
// by a unit of time written tight: "/s", "/month".
func perTime(rest string) bool {
	if len(rest) < 2 || rest[0] != '/' {
		return false
	}
	i := 1
	for i < len(rest) && isIdentByte(rest[i]) {
		i++
	}
	u := lookupUnit(rest[1:i])
	return u != nil && u.dim == dimTime
}

// crossesSizes reports a suggestion that would swap bits for bytes or the
// reverse, eight times off: such a guess is never offered silently.
func crossesSizes(name, best string) bool {
	bytes := func(s string) bool { return indexByte(s, 'B') >= 0 }
	bits := func(s string) bool { return !bytes(s) && indexByte(s, 'b') >= 0 }
	return (bytes(name) && bits(best)) || (bits(name) && bytes(best))
}

func unknownUnitMsg(name string, sh *Sheet) string {
	var nouns []string
	list := nounList
	if sh != nil {
		nouns = sh.Nouns
		for _, u := range sh.units {
			list += " " + u.names
		}
	}
	switch best := suggest(name, nil, nouns, withUnits, list); {
	case hasWord("qps QPS rps RPS tps TPS", name):
		// Not units, so that sheets may name cells qps.
		return msg("unknown unit \"{}\": write req/s (or /s) for a rate per second", name)
	case best != "" && crossesSizes(name, best):
		return msg("unknown unit \"{}\": bytes are written B, KB, MB, GB…, bits bit, Kbit, Mbit, Gbit…, and bandwidth MB/s or Mbps", name)
	case best != "":
		return msg("unknown unit \"{}\"{}", name, didYouMean(best))
	case suffixValue(name) != 0:
		return msg(suffixMsg, name, name)
	}
	return msg("unknown unit \"{}\" (declare count nouns with a line such as \"nouns: {}\")", name, name)
}
