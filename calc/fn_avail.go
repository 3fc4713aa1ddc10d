package calc

import "math"

// Availability arithmetic. Availabilities are plain fractions (99.9% is
// 0.999); results carry a "%" display unit, and the formatter gives the
// shortfall from 100% three significant figures so 99.9999% stays visible.
const (
	opDowntime uint8 = iota
	opNines
	opSerial
	opParallel
	opReplicas
)

var availFuncs = []fnDef{
	{name: "downtime", op: opDowntime, args: "availability, period",
		doc: "Downtime allowed in a period (a year if omitted) at an availability: downtime(99.99%, year) = 52.6 min.",
		min: 1, max: 2, check: availCheck, eval: availEval},
	{name: "nines", op: opNines, args: "n", doc: "The availability with n nines: nines(3) = 99.9%.",
		min: 1, max: 1, hint: "%", check: availCheck, eval: availEval},
	{name: "serial", op: opSerial, args: "a, b, …", doc: "Availability of components that must all work (in series): the product.",
		min: 1, max: -1, hint: "%", check: availCheck, eval: availEval},
	{name: "parallel", op: opParallel, args: "a, b, …", doc: "Availability of redundant components where one working is enough: 1 − Π(1 − a).",
		min: 1, max: -1, hint: "%", check: availCheck, eval: availEval},
	{name: "replicas", op: opReplicas, args: "availability, n", doc: "Availability of n redundant copies of one component: parallel of n copies.",
		min: 2, max: 2, hint: "%", check: availCheck, eval: availEval},
}

func availCheck(f *fnDef, a []argInfo) (Dim, *argError) {
	if f.op != opDowntime {
		return allCount(a, f.name, "an availability")
	}
	if e := needCount(a, 0, "downtime", "the availability"); e != nil {
		return Dim{}, e
	}
	if e := needDim(a, 1, dimTime, "downtime", "the period", "year, month, week or day"); e != nil {
		return Dim{}, e
	}
	return dimTime, nil
}

func availEval(f *fnDef, a []float64) (float64, string) {
	// Every function but nines takes availabilities: all of its arguments,
	// or only the first when the second is a period or a count.
	if f.op != opNines {
		in := a
		if f.op == opDowntime || f.op == opReplicas {
			in = a[:1]
		}
		for _, x := range in {
			if x < 0 || x > 1 {
				return 0, f.name + ": an availability must be between 0% and 100%"
			}
		}
	}
	switch f.op {
	case opDowntime:
		period := secondsPerYear
		if len(a) > 1 {
			period = a[1]
		}
		return (1 - a[0]) * period, ""
	case opNines:
		if a[0] < 0 || a[0] > 15 {
			return 0, "nines: the count of nines must be between 0 and 15"
		}
		return 1 - math.Pow(10, -a[0]), ""
	case opSerial:
		p := 1.0
		for _, x := range a {
			p *= x
		}
		return p, ""
	case opParallel:
		q := 1.0
		for _, x := range a {
			q *= 1 - x
		}
		return 1 - q, ""
	}
	// replicas
	if a[1] < 1 || a[1] != math.Trunc(a[1]) {
		return 0, "replicas: n must be a whole number of at least 1"
	}
	return 1 - math.Pow(1-a[0], a[1]), ""
}
