package calc

import "math"

// Arithmetic helpers. Rounding works on plain numbers only: rounding 1.5 KB
// "up" depends on the unit, so authors divide by a unit first (ceil(x / 1 GB)).
func init() {
	sameDims := func(fname string) func(a []argInfo) (Dim, *argError) {
		return func(a []argInfo) (Dim, *argError) {
			for i := 1; i < len(a); i++ {
				if a[i].dim != a[0].dim {
					return Dim{}, &argError{i, fname + ": all arguments need the same dimension, but " + a[0].text + " is " + a[0].dim.String() + " and " + a[i].text + " is " + a[i].dim.String()}
				}
			}
			return a[0].dim, nil
		}
	}
	register(&fnDef{name: "min", args: "a, b, …", doc: "The smallest argument; all must have the same dimension.",
		min: 1, max: -1, keep: true, check: sameDims("min"),
		eval: func(a []float64) (float64, string) {
			m := a[0]
			for _, x := range a[1:] {
				m = math.Min(m, x)
			}
			return m, ""
		}})
	register(&fnDef{name: "max", args: "a, b, …", doc: "The largest argument; all must have the same dimension.",
		min: 1, max: -1, keep: true, check: sameDims("max"),
		eval: func(a []float64) (float64, string) {
			m := a[0]
			for _, x := range a[1:] {
				m = math.Max(m, x)
			}
			return m, ""
		}})
	register(&fnDef{name: "clamp", args: "x, lo, hi", doc: "x limited to the range lo..hi.",
		min: 3, max: 3, keep: true, check: sameDims("clamp"),
		eval: func(a []float64) (float64, string) {
			if a[1] > a[2] {
				return 0, "clamp: lo is greater than hi"
			}
			return math.Min(math.Max(a[0], a[1]), a[2]), ""
		}})
	register(&fnDef{name: "abs", args: "x", doc: "The absolute value, in any dimension.",
		min: 1, max: 1, keep: true,
		check: func(a []argInfo) (Dim, *argError) { return a[0].dim, nil },
		eval:  func(a []float64) (float64, string) { return math.Abs(a[0]), "" }})
	roundCheck := func(fname string) func(a []argInfo) (Dim, *argError) {
		return func(a []argInfo) (Dim, *argError) {
			if !a[0].dim.isCount() {
				return Dim{}, &argError{0, fname + " works on plain numbers, but " + a[0].text + " is " + a[0].dim.describe() + "; divide by a unit first, e.g. " + fname + "(x / 1 GB)"}
			}
			return dimCount, nil
		}
	}
	register(&fnDef{name: "ceil", args: "x", doc: "Rounds a plain number up to a whole number.",
		min: 1, max: 1, keep: true, check: roundCheck("ceil"),
		eval: func(a []float64) (float64, string) { return ceilTol(a[0]), "" }})
	register(&fnDef{name: "floor", args: "x", doc: "Rounds a plain number down to a whole number.",
		min: 1, max: 1, keep: true, check: roundCheck("floor"),
		eval: func(a []float64) (float64, string) {
			r := math.Round(a[0])
			if math.Abs(a[0]-r) <= 1e-9*math.Max(1, math.Abs(a[0])) {
				return r, ""
			}
			return math.Floor(a[0]), ""
		}})
	register(&fnDef{name: "round", args: "x, digits", doc: "round(x) rounds a plain number to a whole number; round(x, n) keeps n significant figures, in any dimension.",
		min: 1, max: 2, keep: true,
		check: func(a []argInfo) (Dim, *argError) {
			if len(a) == 1 {
				return roundCheck("round")(a)
			}
			if e := needCount(a, 1, "round", "the number of significant figures"); e != nil {
				return Dim{}, e
			}
			return a[0].dim, nil
		},
		eval: func(a []float64) (float64, string) {
			if len(a) == 1 {
				return math.Round(a[0]), ""
			}
			n := math.Round(a[1])
			if n < 1 || n > 15 {
				return 0, "round: the number of significant figures must be between 1 and 15"
			}
			if a[0] == 0 {
				return 0, ""
			}
			e := math.Floor(math.Log10(math.Abs(a[0])))
			p := math.Pow(10, n-1-e)
			return math.Round(a[0]*p) / p, ""
		}})
	logFn := func(name, doc string, f func(float64) float64) {
		register(&fnDef{name: name, args: "x", doc: doc, min: 1, max: 1, check: allCount(name),
			eval: func(a []float64) (float64, string) {
				if a[0] <= 0 {
					return 0, name + " needs a positive number"
				}
				return f(a[0]), ""
			}})
	}
	logFn("log2", "Logarithm base 2 of a plain number.", math.Log2)
	logFn("log10", "Logarithm base 10 of a plain number.", math.Log10)
	logFn("ln", "Natural logarithm of a plain number.", math.Log)
	register(&fnDef{name: "exp", args: "x", doc: "e raised to a plain number.", min: 1, max: 1, check: allCount("exp"),
		eval: func(a []float64) (float64, string) { v := math.Exp(a[0]); return v, finiteMsg(v) }})
	register(&fnDef{name: "sqrt", args: "x", doc: "Square root; the dimension must have even powers (sqrt of an area-like unit).",
		min: 1, max: 1,
		check: func(a []argInfo) (Dim, *argError) {
			d := a[0].dim
			if d.Time%2 != 0 || d.Info%2 != 0 || d.Money%2 != 0 {
				return Dim{}, &argError{0, "sqrt: " + a[0].text + " is " + d.describe() + ", which has no square root"}
			}
			return Dim{d.Time / 2, d.Info / 2, d.Money / 2}, nil
		},
		eval: func(a []float64) (float64, string) {
			if a[0] < 0 {
				return 0, "sqrt of a negative number"
			}
			return math.Sqrt(a[0]), ""
		}})
	register(&fnDef{name: "pow", args: "x, n", doc: "x raised to the power n, like x ^ n.",
		min: 2, max: 2}) // compiled as the ^ operator
	register(&fnDef{name: "if", args: "cond, then, else", doc: "then when cond is non-zero (true), else otherwise; only the chosen branch is evaluated.",
		min: 3, max: 3, lazy: true})
}
