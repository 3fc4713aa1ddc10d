package calc

// servers sizes a fleet. Headroom is the share of each server kept free for
// spikes and failures, so a server at 30% headroom carries at most 70% of its
// capacity: needed = load / (per_server × (1 − headroom)), rounded up to a
// multiple of zones so every zone holds the same number, and never fewer
// than zones.
var serverFuncs = []fnDef{
	{name: "servers", op: opServers, args: "load, per_server, headroom, zones",
		min: 2, max: 4, want: "-|s load and per_server|n headroom|n zones"},
}

// serverDocs are the one-sentence summaries Funcs reports, kept apart from
// the table so that the WebAssembly build, which never lists functions,
// leaves them out.
var serverDocs = []funcDoc{
	{"servers", "Servers needed for a load at a per-server capacity, keeping a headroom fraction free, rounded up to a multiple of the zones."},
}
