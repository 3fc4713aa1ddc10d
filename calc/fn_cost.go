package calc

// Tiered list prices. Transfer is billed by the volume of a calendar month,
// and the price per GB falls as the volume grows, so a flat rate overstates
// large bills several times over. Both functions take a bandwidth (any
// information per time: 8.68 GB/s, 200 TB/month) and return dollars per
// month, billing a month's volume through the tiers below.
var costFuncs = []fnDef{
	{name: "cdn_cost", args: "volume",
		min: 1, max: 1, want: "B the volume; 200 TB/month", ret: 'c', eval: fnCDNCost},
	{name: "egress_cost", args: "volume",
		min: 1, max: 1, want: "B the volume; 50 TB/month", ret: 'c', eval: fnEgressCost},
}

func fnCDNCost(f *fnDef, a []float64) (float64, string) {
	if a[0] < 0 {
		return 0, msg("{}: the volume must not be negative", f.name)
	}
	return tieredMonthly(a[0], cdnTiers[:]), ""
}

func fnEgressCost(f *fnDef, a []float64) (float64, string) {
	if a[0] < 0 {
		return 0, msg("{}: the volume must not be negative", f.name)
	}
	return tieredMonthly(a[0], egressTiers[:]), ""
}

// A tier is the price of each byte up to an upper bound of monthly volume,
// in bytes and dollars per byte; the last tier has no bound.
type tier struct{ upTo, price float64 }

const (
	tb = 1e12
	gb = 1e9
)

// cdnTiers: Amazon CloudFront, United States and Europe, on-demand list
// price as published in 2026. The first terabyte of a month is free; the
// tiers are counted in binary-style terabytes (1 PB = 1,024 TB), as AWS
// lists them ("next 524 TB", "next 4 PB").
var cdnTiers = [...]tier{
	{1 * tb, 0},
	{10 * tb, 0.085 / gb},
	{50 * tb, 0.080 / gb},
	{150 * tb, 0.060 / gb},
	{500 * tb, 0.040 / gb},
	{1024 * tb, 0.030 / gb},
	{5120 * tb, 0.025 / gb},
	{0, 0.020 / gb},
}

// egressTiers: Amazon EC2 and S3 data transfer out to the internet, us-east-1,
// list price as published in 2026: the first 100 GB of a month free
// (account-wide), then $0.09, $0.085, $0.07 and $0.05 per GB.
var egressTiers = [...]tier{
	{100 * gb, 0},
	{10 * tb, 0.09 / gb},
	{50 * tb, 0.085 / gb},
	{150 * tb, 0.07 / gb},
	{0, 0.05 / gb},
}

// tieredMonthly bills a bandwidth (bytes per second) through tiers and
// returns the cost in dollars per second, the base unit of a cost rate.
func tieredMonthly(bytesPerSec float64, tiers []tier) float64 {
	v := bytesPerSec * secondsPerMonth
	cost, low := 0.0, 0.0
	for _, t := range tiers {
		high := t.upTo
		if high == 0 || v < high {
			high = v
		}
		// A volume converted from per second to per month carries float
		// noise; a sliver of a tier that small is not billed.
		if high-low > noise*high {
			cost += (high - low) * t.price
		}
		if t.upTo == 0 || v <= t.upTo {
			break
		}
		low = t.upTo
	}
	return cost / secondsPerMonth
}

// costDocs are the one-sentence summaries Funcs reports, kept apart from
// the table so that the WebAssembly build, which never lists functions,
// leaves them out.
var costDocs = []funcDoc{
	{"cdn_cost", "Monthly CDN bill for a bandwidth at CloudFront's tiered list prices (US/Europe, 2026): first TB free, $0.085/GB falling to $0.020/GB over 5 PB."},
	{"egress_cost", "Monthly internet egress bill for a bandwidth at AWS's tiered list prices (us-east-1, 2026): first 100 GB free, $0.09/GB falling to $0.05/GB over 150 TB."},
}
