package calc

import "math"

// Arithmetic helpers. Rounding works on plain numbers only: rounding 1.5 KB
// "up" depends on the unit, so authors divide by a unit first (ceil(x / 1 GB)).
var mathFuncs = []fnDef{
	{name: "min", args: "a, b, …", min: 1, max: -1, keep: true, want: "-|s all arguments", ret: 'a', eval: fnMin},
	{name: "max", args: "a, b, …", min: 1, max: -1, keep: true, want: "-|s all arguments", ret: 'a', eval: fnMax},
	{name: "clamp", args: "x, lo, hi", min: 3, max: 3, keep: true, want: "-|s all arguments", ret: 'a', eval: fnClamp},
	{name: "abs", args: "x", min: 1, max: 1, keep: true, want: "-", ret: 'a', eval: fnAbs},
	{name: "ceil", args: "x", min: 1, max: 1, keep: true, want: "p", ret: 'a', eval: fnCeil},
	{name: "floor", args: "x", min: 1, max: 1, keep: true, want: "p", ret: 'a', eval: fnFloor},
	{name: "round", args: "x, digits", min: 1, max: 2, keep: true, want: "p|n the number of significant figures", ret: 'a', eval: fnRound},
	{name: "log2", args: "x", min: 1, max: 1, want: "n the argument", eval: fnLog},
	{name: "log10", args: "x", min: 1, max: 1, want: "n the argument", eval: fnLog},
	{name: "ln", args: "x", min: 1, max: 1, want: "n the argument", eval: fnLog},
	{name: "exp", args: "x", min: 1, max: 1, want: "n the argument", eval: fnExp},
	{name: "sqrt", args: "x", min: 1, max: 1, want: "q", ret: 'h', eval: fnSqrt},
	{name: "pow", args: "x, n", min: 2, max: 2}, // compiled as the ^ operator
	{name: "if", args: "cond, then, else", min: 3, max: 3, lazy: true},
}

func fnMin(_ *fnDef, a []float64) (float64, string) {
	x := a[0]
	for _, y := range a[1:] {
		x = math.Min(x, y)
	}
	return x, ""
}

func fnMax(_ *fnDef, a []float64) (float64, string) {
	x := a[0]
	for _, y := range a[1:] {
		x = math.Max(x, y)
	}
	return x, ""
}

func fnClamp(_ *fnDef, a []float64) (float64, string) {
	if a[1] > a[2] {
		return 0, "clamp: lo is greater than hi"
	}
	return math.Min(math.Max(a[0], a[1]), a[2]), ""
}

func fnAbs(_ *fnDef, a []float64) (float64, string) { return math.Abs(a[0]), "" }

func fnCeil(_ *fnDef, a []float64) (float64, string) { return ceilTol(a[0]), "" }

// fnFloor forgives floating-point noise as ceilTol does: 2.9999999999999996
// (3 less one unit in the last place) is 3, but 2.9999999999 is 2.
func fnFloor(_ *fnDef, a []float64) (float64, string) {
	x := a[0]
	r := math.Round(x)
	if !nearWhole(x, r) {
		r = math.Floor(x)
	}
	return r, ""
}

func fnRound(_ *fnDef, a []float64) (float64, string) {
	x := a[0]
	if len(a) == 1 {
		return math.Round(x), ""
	}
	d := math.Round(a[1])
	if d < 1 || d > 15 {
		return 0, "round: the number of significant figures must be between 1 and 15"
	}
	if x == 0 {
		return 0, ""
	}
	e := math.Floor(math.Log10(math.Abs(x)))
	p := math.Pow(10, d-1-e)
	return math.Round(x*p) / p, ""
}

// fnLog serves log2, log10 and ln, which differ by name only.
func fnLog(f *fnDef, a []float64) (float64, string) {
	x := a[0]
	if x <= 0 {
		return 0, msg("{} needs a positive number", f.name)
	}
	switch f.name {
	case "log2":
		return math.Log2(x), ""
	case "log10":
		return math.Log10(x), ""
	}
	return math.Log(x), ""
}

func fnExp(_ *fnDef, a []float64) (float64, string) {
	x := math.Exp(a[0])
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x, "the result is not a finite number"
	}
	return x, ""
}

func fnSqrt(_ *fnDef, a []float64) (float64, string) {
	if a[0] < 0 {
		return 0, "sqrt of a negative number"
	}
	return math.Sqrt(a[0]), ""
}

// mathDocs are the one-sentence summaries Funcs reports, kept apart from
// the table so that the WebAssembly build, which never lists functions,
// leaves them out.
var mathDocs = []funcDoc{
	{"min", "The smallest argument; all must have the same dimension."},
	{"max", "The largest argument; all must have the same dimension."},
	{"clamp", "x limited to the range lo..hi."},
	{"abs", "The absolute value, in any dimension."},
	{"ceil", "Rounds a plain number up to a whole number."},
	{"floor", "Rounds a plain number down to a whole number."},
	{"round", "round(x) rounds a plain number to a whole number; round(x, n) keeps n significant figures, in any dimension."},
	{"log2", "Logarithm base 2 of a plain number."},
	{"log10", "Logarithm base 10 of a plain number."},
	{"ln", "Natural logarithm of a plain number."},
	{"exp", "e raised to a plain number."},
	{"sqrt", "Square root; the dimension must have even powers (sqrt of an area-like unit)."},
	{"pow", "x raised to the power n, like x ^ n."},
	{"if", "then when cond is non-zero (true), else otherwise; only the chosen branch is evaluated."},
}
