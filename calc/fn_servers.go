package calc

import "math"

// servers sizes a fleet. Headroom is the share of each server kept free for
// spikes and failures, so a server at 30% headroom carries at most 70% of its
// capacity: needed = load / (per_server × (1 − headroom)), rounded up to a
// multiple of zones so every zone holds the same number, and never fewer
// than zones.
var serverFuncs = []fnDef{
	{name: "servers", args: "load, per_server, headroom, zones",
		min: 2, max: 4, want: "-|s load and per_server|n headroom|n zones", eval: fnServers},
}

func fnServers(_ *fnDef, a []float64) (float64, string) {
	load, per := a[0], a[1]
	headroom, zones := 0.0, 1.0
	if len(a) > 2 {
		headroom = a[2]
	}
	if len(a) > 3 {
		zones = a[3]
	}
	switch {
	case per <= 0:
		return 0, "servers: per_server must be positive"
	case load < 0:
		return 0, "servers: load must not be negative"
	case headroom < 0 || headroom >= 1:
		return 0, "servers: headroom must be at least 0% and below 100%"
	case zones < 1 || zones != math.Trunc(zones):
		return 0, "servers: zones must be a whole number of at least 1"
	}
	c := ceilTol(load / (per * (1 - headroom)))
	c = ceilTol(c/zones) * zones
	return math.Max(c, zones), ""
}

// serverDocs are the one-sentence summaries Funcs reports, kept apart from
// the table so that the WebAssembly build, which never lists functions,
// leaves them out.
var serverDocs = []funcDoc{
	{"servers", "Servers needed for a load at a per-server capacity, keeping a headroom fraction free, rounded up to a multiple of the zones."},
}
