package calc

import "math"

// Sizing rules of thumb that estimates reach for again and again.
var capacityFuncs = []fnDef{
	{name: "little", args: "rate, latency",
		min: 2, max: 2, want: "R the rate; 20K req/s|T the latency; 200 ms", eval: fnLittle},
	{name: "keylen", args: "n, alphabet",
		min: 1, max: 2, want: "n the argument", eval: fnKeylen},
	{name: "partitions", args: "size, rcu, wcu",
		min: 3, max: 3, want: "I the table size; 500 GB|u rcu|u wcu", eval: fnPartitions},
	{name: "cache", args: "read_rate, item_size, hot_fraction, period",
		min: 3, max: 4, want: "R the read rate; 20K req/s or 1.7B /day|I the item size; 500 B|n the hot fraction|T the period; day",
		ret: 'i', eval: fnCache},
}

func fnLittle(_ *fnDef, a []float64) (float64, string) { return a[0] * a[1], "" }

func fnKeylen(_ *fnDef, a []float64) (float64, string) {
	alpha := 62.0
	if len(a) > 1 {
		alpha = a[1]
	}
	if a[0] < 1 {
		return 0, "keylen: n must be at least 1"
	}
	if alpha < 2 || alpha != math.Trunc(alpha) {
		return 0, "keylen: the alphabet must be a whole number of at least 2 symbols"
	}
	return math.Max(1, ceilTol(math.Log(a[0])/math.Log(alpha))), ""
}

// fnPartitions follows DynamoDB's published sizing: a partition holds
// 10 GiB and serves 3,000 read or 1,000 write capacity units a second.
func fnPartitions(_ *fnDef, a []float64) (float64, string) {
	if a[0] < 0 || a[1] < 0 || a[2] < 0 {
		return 0, "partitions: size and capacity units must not be negative"
	}
	bySize := ceilTol(a[0] / (10 * (1 << 30)))
	byThroughput := ceilTol(a[1]/3000 + a[2]/1000)
	return math.Max(1, math.Max(bySize, byThroughput)), ""
}

func fnCache(_ *fnDef, a []float64) (float64, string) {
	period := secondsPerDay
	if len(a) > 3 {
		period = a[3]
	}
	if a[2] < 0 || a[2] > 1 {
		return 0, "cache: the hot fraction must be between 0% and 100%"
	}
	return a[0] * period * a[1] * a[2], ""
}

// capacityDocs are the one-sentence summaries Funcs reports, kept apart from
// the table so that the WebAssembly build, which never lists functions,
// leaves them out.
var capacityDocs = []funcDoc{
	{"little", "Little's law: requests in flight = arrival rate × time in the system."},
	{"keylen", "Shortest key length giving n distinct keys from an alphabet of that many symbols (62 if omitted): ceil(log(n) / log(alphabet))."},
	{"partitions", "DynamoDB-style partition count: max(ceil(size / 10 GiB), ceil(rcu / 3000 + wcu / 1000)), at least 1."},
	{"cache", "Cache size holding the hot share of a period's reads (a day if omitted): read_rate × period × item_size × hot_fraction."},
}
