package calc

import "math"

// Availability arithmetic. Availabilities are plain fractions (99.9% is
// 0.999); results carry a "%" display unit, and the formatter gives the
// shortfall from 100% three significant figures so 99.9999% stays visible.
var availFuncs = []fnDef{
	{name: "downtime", args: "availability, period",
		min: 1, max: 2, want: "n the availability|T the period; year, month, week or day", ret: 't', eval: fnDowntime},
	{name: "nines", args: "n", min: 1, max: 1, pct: true, want: "n an availability", eval: fnNines},
	{name: "serial", args: "a, b, …", min: 1, max: -1, pct: true, want: "n an availability", eval: fnSerial},
	{name: "parallel", args: "a, b, …", min: 1, max: -1, pct: true, want: "n an availability", eval: fnParallel},
	{name: "replicas", args: "availability, n", min: 2, max: 2, pct: true, want: "n an availability", eval: fnReplicas},
}

// availabilities checks that each value is a fraction from 0 to 1.
func availabilities(f *fnDef, a []float64) string {
	for _, v := range a {
		if v < 0 || v > 1 {
			return msg("{}: an availability must be between 0% and 100%", f.name)
		}
	}
	return ""
}

func fnDowntime(f *fnDef, a []float64) (float64, string) {
	if m := availabilities(f, a[:1]); m != "" {
		return 0, m
	}
	period := secondsPerYear
	if len(a) > 1 {
		period = a[1]
	}
	return (1 - a[0]) * period, ""
}

func fnNines(_ *fnDef, a []float64) (float64, string) {
	if a[0] < 0 || a[0] > 15 {
		return 0, "nines: the count of nines must be between 0 and 15"
	}
	return 1 - math.Pow(10, -a[0]), ""
}

func fnSerial(f *fnDef, a []float64) (float64, string) {
	if m := availabilities(f, a); m != "" {
		return 0, m
	}
	x := 1.0
	for _, v := range a {
		x *= v
	}
	return x, ""
}

func fnParallel(f *fnDef, a []float64) (float64, string) {
	if m := availabilities(f, a); m != "" {
		return 0, m
	}
	q := 1.0
	for _, v := range a {
		q *= 1 - v
	}
	return 1 - q, ""
}

func fnReplicas(f *fnDef, a []float64) (float64, string) {
	if m := availabilities(f, a[:1]); m != "" {
		return 0, m
	}
	if a[1] < 1 || a[1] != math.Trunc(a[1]) {
		return 0, "replicas: n must be a whole number of at least 1"
	}
	return 1 - math.Pow(1-a[0], a[1]), ""
}

// availDocs are the one-sentence summaries Funcs reports, kept apart from
// the table so that the WebAssembly build, which never lists functions,
// leaves them out.
var availDocs = []funcDoc{
	{"downtime", "Downtime allowed in a period (a year if omitted) at an availability: downtime(99.99%, year) = 52.6 min."},
	{"nines", "The availability with n nines: nines(3) = 99.9%."},
	{"serial", "Availability of components that must all work (in series): the product."},
	{"parallel", "Availability of redundant components where one working is enough: 1 − Π(1 − a)."},
	{"replicas", "Availability of n redundant copies of one component: parallel of n copies."},
}
