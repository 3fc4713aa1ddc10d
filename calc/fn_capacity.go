package calc

// Sizing rules of thumb that estimates reach for again and again.
var capacityFuncs = []fnDef{
	{name: "little", op: opLittle, args: "rate, latency",
		min: 2, max: 2, want: "R the rate; 20K req/s|T the latency; 200 ms"},
	{name: "keylen", op: opKeylen, args: "n, alphabet",
		min: 1, max: 2, want: "n the argument"},
	{name: "partitions", op: opPartitions, args: "size, rcu, wcu",
		min: 3, max: 3, want: "I the table size; 500 GB|u rcu|u wcu"},
	{name: "cache", op: opCache, args: "read_rate, item_size, hot_fraction, period",
		min: 3, max: 4, want: "R the read rate; 20K req/s or 1.7B /day|I the item size; 500 B|n the hot fraction|T the period; day",
		ret: 'i'},
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
