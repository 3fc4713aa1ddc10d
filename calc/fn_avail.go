package calc

import "math"

// Availability arithmetic. Availabilities are plain fractions (99.9% is
// 0.999); results carry a "%" display unit, and the formatter gives the
// shortfall from 100% three significant figures so 99.9999% stays visible.
func init() {
	availCheck := func(fname string) func(a []argInfo) (Dim, *argError) {
		return func(a []argInfo) (Dim, *argError) {
			for i := range a {
				if e := needCount(a, i, fname, "an availability"); e != nil {
					return Dim{}, e
				}
			}
			return dimCount, nil
		}
	}
	inUnit := func(fname string, a []float64) string {
		for _, x := range a {
			if x < 0 || x > 1 {
				return fname + ": an availability must be between 0% and 100%"
			}
		}
		return ""
	}
	register(&fnDef{name: "downtime", args: "availability, period",
		doc: "Downtime allowed in a period (a year if omitted) at an availability: downtime(99.99%, year) = 52.6 min.",
		min: 1, max: 2,
		check: func(a []argInfo) (Dim, *argError) {
			if e := needCount(a, 0, "downtime", "the availability"); e != nil {
				return Dim{}, e
			}
			if e := needDim(a, 1, dimTime, "downtime", "the period", "year, month, week or day"); e != nil {
				return Dim{}, e
			}
			return dimTime, nil
		},
		eval: func(a []float64) (float64, string) {
			if m := inUnit("downtime", a[:1]); m != "" {
				return 0, m
			}
			period := secondsPerYear
			if len(a) > 1 {
				period = a[1]
			}
			return (1 - a[0]) * period, ""
		}})
	register(&fnDef{name: "nines", args: "n", doc: "The availability with n nines: nines(3) = 99.9%.",
		min: 1, max: 1, hint: "%", check: availCheck("nines"),
		eval: func(a []float64) (float64, string) {
			if a[0] < 0 || a[0] > 15 {
				return 0, "nines: the count of nines must be between 0 and 15"
			}
			return 1 - math.Pow(10, -a[0]), ""
		}})
	register(&fnDef{name: "serial", args: "a, b, …", doc: "Availability of components that must all work (in series): the product.",
		min: 1, max: -1, hint: "%", check: availCheck("serial"),
		eval: func(a []float64) (float64, string) {
			if m := inUnit("serial", a); m != "" {
				return 0, m
			}
			p := 1.0
			for _, x := range a {
				p *= x
			}
			return p, ""
		}})
	register(&fnDef{name: "parallel", args: "a, b, …", doc: "Availability of redundant components where one working is enough: 1 − Π(1 − a).",
		min: 1, max: -1, hint: "%", check: availCheck("parallel"),
		eval: func(a []float64) (float64, string) {
			if m := inUnit("parallel", a); m != "" {
				return 0, m
			}
			q := 1.0
			for _, x := range a {
				q *= 1 - x
			}
			return 1 - q, ""
		}})
	register(&fnDef{name: "replicas", args: "availability, n", doc: "Availability of n redundant copies of one component: parallel of n copies.",
		min: 2, max: 2, hint: "%", check: availCheck("replicas"),
		eval: func(a []float64) (float64, string) {
			if m := inUnit("replicas", a[:1]); m != "" {
				return 0, m
			}
			if a[1] < 1 || a[1] != math.Trunc(a[1]) {
				return 0, "replicas: n must be a whole number of at least 1"
			}
			return 1 - math.Pow(1-a[0], a[1]), ""
		}})
}
