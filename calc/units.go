package calc

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

func newFamily(base float64, step float64, names ...string) *family {
	f := &family{names: names, step: step}
	v := base
	for range names {
		f.factors = append(f.factors, v)
		v *= step
	}
	return f
}

var (
	famBytes  = newFamily(1, 1000, "B", "KB", "MB", "GB", "TB", "PB", "EB")
	famIBytes = newFamily(1, 1024, "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
	famBits   = newFamily(0.125, 1000, "bits", "Kbit", "Mbit", "Gbit", "Tbit", "Pbit", "Ebit")
	famBps    = newFamily(0.125, 1000, "bps", "Kbps", "Mbps", "Gbps", "Tbps")
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

var units = map[string]unit{}

func addUnit(f float64, d Dim, fam *family, names ...string) {
	for _, n := range names {
		units[n] = unit{factor: f, dim: d, fam: fam}
	}
}

func init() {
	for i, n := range famBytes.names {
		addUnit(famBytes.factors[i], dimInfo, famBytes, n)
	}
	addUnit(1, dimInfo, famBytes, "byte", "bytes", "kB")
	for i, n := range famIBytes.names[1:] {
		addUnit(famIBytes.factors[i+1], dimInfo, famIBytes, n)
	}
	for i, n := range famBits.names {
		addUnit(famBits.factors[i], dimInfo, famBits, n)
	}
	addUnit(0.125, dimInfo, famBits, "bit")
	addUnit(125, dimInfo, famBits, "kbit")
	for i, n := range famBps.names {
		addUnit(famBps.factors[i], dimBandwidth, famBps, n)
	}
	addUnit(125, dimBandwidth, famBps, "kbps")
	addUnit(1e-9, dimTime, nil, "ns")
	addUnit(1e-6, dimTime, nil, "µs", "us")
	addUnit(1e-3, dimTime, nil, "ms")
	addUnit(1, dimTime, nil, "s", "sec", "secs", "second", "seconds")
	addUnit(60, dimTime, nil, "min", "mins", "minute", "minutes")
	addUnit(3600, dimTime, nil, "h", "hr", "hrs", "hour", "hours")
	addUnit(secondsPerDay, dimTime, nil, "day", "days")
	addUnit(secondsPerWeek, dimTime, nil, "week", "weeks")
	addUnit(secondsPerMonth, dimTime, nil, "month", "months")
	addUnit(secondsPerYear, dimTime, nil, "year", "years")
	addUnit(1, dimMoney, nil, "USD", "$")
}

// lookupUnit finds a unit by spelling; the Greek mu is accepted for micro.
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

func init() {
	for _, n := range []string{
		"user", "users", "req", "reqs", "request", "requests", "tweet", "tweets",
		"post", "posts", "message", "messages", "msg", "msgs", "file", "files",
		"read", "reads", "write", "writes", "view", "views", "op", "ops",
		"item", "items", "object", "objects", "chunk", "chunks", "server", "servers",
		"node", "nodes", "partition", "partitions", "connection", "connections",
		"conn", "conns", "query", "queries", "click", "clicks", "event", "events",
		"photo", "photos", "video", "videos", "key", "keys", "row", "rows",
		"ID", "IDs", "id", "ids", "record", "records", "order", "orders",
		"page", "pages", "visit", "visits", "search", "searches", "upload", "uploads",
		"download", "downloads", "session", "sessions", "transaction", "transactions",
		"txn", "txns", "hit", "hits", "miss", "misses", "call", "calls", "job", "jobs",
		"task", "tasks", "update", "updates", "notification", "notifications",
		"email", "emails", "link", "links", "URL", "URLs", "url", "urls",
		"document", "documents", "doc", "docs", "comment", "comments", "like", "likes",
		"follower", "followers", "friend", "friends", "account", "accounts",
		"device", "devices", "customer", "customers", "driver", "drivers",
		"ride", "rides", "trip", "trips", "stream", "streams", "packet", "packets",
		"instance", "instances", "machine", "machines", "host", "hosts",
		"shard", "shards", "replica", "replicas", "disk", "disks", "core", "cores",
		"thread", "threads", "pin", "pins", "song", "songs", "ad", "ads",
		"impression", "impressions", "match", "matches", "ticket", "tickets",
		"seat", "seats", "room", "rooms", "booking", "bookings", "paste", "pastes",
		"crawl", "crawls", "payment", "payments", "point", "points", "metric", "metrics",
		"series", "sample", "samples", "logs", "line", "lines", "entry", "entries",
		"block", "blocks", "batch", "batches", "hop", "hops", "person", "people",
		"tile", "tiles", "word", "words", "char", "chars", "character", "characters",
		"token", "tokens", "push", "pushes", "ping", "pings", "location", "locations",
		"unit", "units", "CPU", "CPUs", "vCPU", "vCPUs", "GPU", "GPUs",
	} {
		defaultNouns[n] = true
	}
}

// keywords are words with a meaning in sheet syntax; a cell may not use them
// as its name.
var keywords = map[string]bool{
	"as": true, "per": true, "range": true, "step": true, "log": true,
	"help": true, "hidden": true, "nouns": true,
}

// suffixNames are the count suffixes; a lone K or M is almost always a
// suffix typed with a space, so naming a cell so is refused.
var suffixNames = map[string]float64{"K": 1e3, "k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
