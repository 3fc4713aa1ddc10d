package calc

import "math"

// Sizing rules of thumb that estimates reach for again and again.
const (
	opLittle uint8 = iota
	opKeylen
	opPartitions
	opCache
)

var capacityFuncs = []fnDef{
	{name: "little", op: opLittle, args: "rate, latency",
		doc: "Little's law: requests in flight = arrival rate × time in the system.",
		min: 2, max: 2, check: capacityCheck, eval: capacityEval},
	{name: "keylen", op: opKeylen, args: "n, alphabet",
		doc: "Shortest key length giving n distinct keys from an alphabet of that many symbols (62 if omitted): ceil(log(n) / log(alphabet)).",
		min: 1, max: 2, check: capacityCheck, eval: capacityEval},
	{name: "partitions", op: opPartitions, args: "size, rcu, wcu",
		doc: "DynamoDB-style partition count: max(ceil(size / 10 GiB), ceil(rcu / 3000 + wcu / 1000)), at least 1.",
		min: 3, max: 3, check: capacityCheck, eval: capacityEval},
	{name: "cache", op: opCache, args: "read_rate, item_size, hot_fraction, period",
		doc: "Cache size holding the hot share of a period's reads (a day if omitted): read_rate × period × item_size × hot_fraction.",
		min: 3, max: 4, check: capacityCheck, eval: capacityEval},
}

func capacityCheck(f *fnDef, a []argInfo) (Dim, *argError) {
	var e *argError
	d := dimCount
	switch f.op {
	case opLittle:
		e = needDim(a, 0, dimRate, "little", "the rate", "20K req/s")
		if e == nil {
			e = needDim(a, 1, dimTime, "little", "the latency", "200 ms")
		}
	case opKeylen:
		return allCount(a, "keylen", "the argument")
	case opPartitions:
		e = needDim(a, 0, dimInfo, "partitions", "the table size", "500 GB")
		for i := 1; i < 3 && e == nil; i++ {
			if ad := a[i].dim; ad != dimCount && ad != dimRate {
				what := "rcu"
				if i == 2 {
					what = "wcu"
				}
				e = &argError{i, "partitions: " + what + " must be capacity units, as a count or a rate per second, but " + a[i].text + " is " + ad.describe()}
			}
		}
	case opCache:
		d = dimInfo
		e = needDim(a, 0, dimRate, "cache", "the read rate", "20K req/s or 1.7B /day")
		if e == nil {
			e = needDim(a, 1, dimInfo, "cache", "the item size", "500 B")
		}
		if e == nil {
			e = needCount(a, 2, "cache", "the hot fraction")
		}
		if e == nil {
			e = needDim(a, 3, dimTime, "cache", "the period", "day")
		}
	}
	if e != nil {
		return Dim{}, e
	}
	return d, nil
}

func capacityEval(f *fnDef, a []float64) (float64, string) {
	switch f.op {
	case opLittle:
		return a[0] * a[1], ""
	case opKeylen:
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
	case opPartitions:
		if a[0] < 0 || a[1] < 0 || a[2] < 0 {
			return 0, "partitions: size and capacity units must not be negative"
		}
		bySize := ceilTol(a[0] / (10 * (1 << 30)))
		byThroughput := ceilTol(a[1]/3000 + a[2]/1000)
		return math.Max(1, math.Max(bySize, byThroughput)), ""
	}
	// cache
	period := secondsPerDay
	if len(a) > 3 {
		period = a[3]
	}
	if a[2] < 0 || a[2] > 1 {
		return 0, "cache: the hot fraction must be between 0% and 100%"
	}
	return a[0] * period * a[1] * a[2], ""
}
