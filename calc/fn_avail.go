package calc

// Availability arithmetic. Availabilities are plain fractions (99.9% is
// 0.999); results carry a "%" display unit, and the formatter gives the
// shortfall from 100% three significant figures so 99.9999% stays visible.
var availFuncs = []fnDef{
	{name: "downtime", op: opDowntime, args: "availability, period",
		min: 1, max: 2, want: "n the availability|T the period; year, month, week or day", ret: 't'},
	{name: "nines", op: opNines, args: "n", min: 1, max: 1, pct: true, want: "n an availability"},
	{name: "serial", op: opSerial, args: "a, b, …", min: 1, max: -1, pct: true, want: "n an availability"},
	{name: "parallel", op: opParallel, args: "a, b, …", min: 1, max: -1, pct: true, want: "n an availability"},
	{name: "replicas", op: opReplicas, args: "availability, n", min: 2, max: 2, pct: true, want: "n an availability"},
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
