package calc

import "strings"

// Time conventions. A year is the Gregorian mean of 365.2425 days and a month
// is a twelfth of it (2,629,746 s), so "per month" figures neither assume a
// 30-day month nor drift between months.
const (
	secondsPerDay   = 86400.0
	secondsPerWeek  = 7 * secondsPerDay
	secondsPerYear  = 365.2425 * secondsPerDay
	secondsPerMonth = secondsPerYear / 12
)

// unit is one spelling of a unit: its size in base units (seconds, bytes,
// USD) and its dimension.
type unit struct {
	_      noEq
	factor float64
	dim    Dim
	fam    *family // non-nil when a display may swap the prefix (KB → MB)
}

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

// unitSpellings lists every unit by its spellings; the dimensions are
// written as literals because a table that names other variables is filled
// in by code at start-up rather than laid out as data.
var unitSpellings = []struct {
	names  string // space-separated spellings
	factor float64
	dim    Dim
	fam    *family
}{
	{"B byte bytes kB", 1, Dim{Info: 1}, famBytes},
	{"KB", 1e3, Dim{Info: 1}, famBytes},
	{"MB", 1e6, Dim{Info: 1}, famBytes},
	{"GB", 1e9, Dim{Info: 1}, famBytes},
	{"TB", 1e12, Dim{Info: 1}, famBytes},
	{"PB", 1e15, Dim{Info: 1}, famBytes},
	{"EB", 1e18, Dim{Info: 1}, famBytes},
	{"KiB", 1 << 10, Dim{Info: 1}, famIBytes},
	{"MiB", 1 << 20, Dim{Info: 1}, famIBytes},
	{"GiB", 1 << 30, Dim{Info: 1}, famIBytes},
	{"TiB", 1 << 40, Dim{Info: 1}, famIBytes},
	{"PiB", 1 << 50, Dim{Info: 1}, famIBytes},
	{"EiB", 1 << 60, Dim{Info: 1}, famIBytes},
	{"bit bits", 0.125, Dim{Info: 1}, famBits},
	{"Kbit kbit", 125, Dim{Info: 1}, famBits},
	{"Mbit", 125e3, Dim{Info: 1}, famBits},
	{"Gbit", 125e6, Dim{Info: 1}, famBits},
	{"Tbit", 125e9, Dim{Info: 1}, famBits},
	{"Pbit", 125e12, Dim{Info: 1}, famBits},
	{"Ebit", 125e15, Dim{Info: 1}, famBits},
	{"bps", 0.125, Dim{Time: -1, Info: 1}, famBps},
	{"Kbps kbps", 125, Dim{Time: -1, Info: 1}, famBps},
	{"Mbps", 125e3, Dim{Time: -1, Info: 1}, famBps},
	{"Gbps", 125e6, Dim{Time: -1, Info: 1}, famBps},
	{"Tbps", 125e9, Dim{Time: -1, Info: 1}, famBps},
	{"ns", 1e-9, Dim{Time: 1}, nil},
	{"µs us", 1e-6, Dim{Time: 1}, nil},
	{"ms", 1e-3, Dim{Time: 1}, nil},
	{"s sec secs second seconds", 1, Dim{Time: 1}, nil},
	{"min mins minute minutes", 60, Dim{Time: 1}, nil},
	{"h hr hrs hour hours", 3600, Dim{Time: 1}, nil},
	{"day days", secondsPerDay, Dim{Time: 1}, nil},
	{"week weeks", secondsPerWeek, Dim{Time: 1}, nil},
	{"month months", secondsPerMonth, Dim{Time: 1}, nil},
	{"year years", secondsPerYear, Dim{Time: 1}, nil},
	{"USD $", 1, Dim{Money: 1}, nil},
}

// units indexes unitSpellings by spelling.
var units = map[string]unit{}

func init() {
	for _, u := range unitSpellings {
		forWords(u.names, func(n string) { units[n] = unit{factor: u.factor, dim: u.dim, fam: u.fam} })
	}
	forWords(nounList, func(n string) { defaultNouns[n] = true })
}

// forWords calls f for each space-separated word of list.
func forWords(list string, f func(string)) {
	for list != "" {
		i := strings.IndexByte(list, ' ')
		if i < 0 {
			i = len(list)
		}
		if i > 0 {
			f(list[:i])
		}
		list = list[min(i+1, len(list)):]
	}
}

// lookupUnit finds a unit by spelling; the Greek mu is accepted for micro.
//
//go:noinline
func lookupUnit(name string) (unit, bool) {
	u, ok := units[name]
	if !ok && name == "μs" {
		u, ok = units["µs"]
	}
	return u, ok
}

// defaultNouns are the count nouns a number may carry without declaring them.
// The list is explicit so that a typo in a unit is an error rather than a
// silently dimensionless noun; sheets add more with a "nouns:" line.
var defaultNouns = map[string]bool{}

// nounList is filled into defaultNouns at start-up.
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

// isKeyword reports words with a meaning in sheet syntax; a cell may not
// use them as its name.
func isKeyword(w string) bool {
	switch w {
	case "as", "per", "range", "step", "log", "help", "hidden", "nouns":
		return true
	}
	return false
}

// suffixValue gives the multiplier of a count suffix (K k M B T), or 0. A
// lone K or M is almost always a suffix typed with a space, so naming a cell
// so is refused.
func suffixValue(s string) float64 {
	switch s {
	case "K", "k":
		return 1e3
	case "M":
		return 1e6
	case "B":
		return 1e9
	case "T":
		return 1e12
	}
	return 0
}
