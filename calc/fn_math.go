package calc

import "math"

// Arithmetic helpers. Rounding works on plain numbers only: rounding 1.5 KB
// "up" depends on the unit, so authors divide by a unit first (ceil(x / 1 GB)).
const (
	opMin uint8 = iota
	opMax
	opClamp
	opAbs
	opCeil
	opFloor
	opRound
	opLog2
	opLog10
	opLn
	opExp
	opSqrt
)

var mathFuncs = []fnDef{
	{name: "min", op: opMin, args: "a, b, …", doc: "The smallest argument; all must have the same dimension.",
		min: 1, max: -1, keep: true, check: mathCheck, eval: mathEval},
	{name: "max", op: opMax, args: "a, b, …", doc: "The largest argument; all must have the same dimension.",
		min: 1, max: -1, keep: true, check: mathCheck, eval: mathEval},
	{name: "clamp", op: opClamp, args: "x, lo, hi", doc: "x limited to the range lo..hi.",
		min: 3, max: 3, keep: true, check: mathCheck, eval: mathEval},
	{name: "abs", op: opAbs, args: "x", doc: "The absolute value, in any dimension.",
		min: 1, max: 1, keep: true, check: mathCheck, eval: mathEval},
	{name: "ceil", op: opCeil, args: "x", doc: "Rounds a plain number up to a whole number.",
		min: 1, max: 1, keep: true, check: mathCheck, eval: mathEval},
	{name: "floor", op: opFloor, args: "x", doc: "Rounds a plain number down to a whole number.",
		min: 1, max: 1, keep: true, check: mathCheck, eval: mathEval},
	{name: "round", op: opRound, args: "x, digits", doc: "round(x) rounds a plain number to a whole number; round(x, n) keeps n significant figures, in any dimension.",
		min: 1, max: 2, keep: true, check: mathCheck, eval: mathEval},
	{name: "log2", op: opLog2, args: "x", doc: "Logarithm base 2 of a plain number.", min: 1, max: 1, check: mathCheck, eval: mathEval},
	{name: "log10", op: opLog10, args: "x", doc: "Logarithm base 10 of a plain number.", min: 1, max: 1, check: mathCheck, eval: mathEval},
	{name: "ln", op: opLn, args: "x", doc: "Natural logarithm of a plain number.", min: 1, max: 1, check: mathCheck, eval: mathEval},
	{name: "exp", op: opExp, args: "x", doc: "e raised to a plain number.", min: 1, max: 1, check: mathCheck, eval: mathEval},
	{name: "sqrt", op: opSqrt, args: "x", doc: "Square root; the dimension must have even powers (sqrt of an area-like unit).",
		min: 1, max: 1, check: mathCheck, eval: mathEval},
	{name: "pow", args: "x, n", doc: "x raised to the power n, like x ^ n.",
		min: 2, max: 2}, // compiled as the ^ operator
	{name: "if", args: "cond, then, else", doc: "then when cond is non-zero (true), else otherwise; only the chosen branch is evaluated.",
		min: 3, max: 3, lazy: true},
}

func mathCheck(f *fnDef, a []argInfo) (Dim, *argError) {
	switch f.op {
	case opMin, opMax, opClamp:
		for i := 1; i < len(a); i++ {
			if a[i].dim != a[0].dim {
				return Dim{}, &argError{i, f.name + ": all arguments need the same dimension, but " + a[0].text + " is " + a[0].dim.String() + " and " + a[i].text + " is " + a[i].dim.String()}
			}
		}
	case opCeil, opFloor, opRound:
		if f.op == opRound && len(a) == 2 {
			if e := needCount(a, 1, "round", "the number of significant figures"); e != nil {
				return Dim{}, e
			}
			break
		}
		if !a[0].dim.isCount() {
			return Dim{}, &argError{0, f.name + " works on plain numbers, but " + a[0].text + " is " + a[0].dim.describe() + "; divide by a unit first, e.g. " + f.name + "(x / 1 GB)"}
		}
	case opSqrt:
		d := a[0].dim
		if d.Time%2 != 0 || d.Info%2 != 0 || d.Money%2 != 0 {
			return Dim{}, &argError{0, "sqrt: " + a[0].text + " is " + d.describe() + ", which has no square root"}
		}
		return Dim{d.Time / 2, d.Info / 2, d.Money / 2}, nil
	case opLog2, opLog10, opLn, opExp:
		return allCount(a, f.name, "the argument")
	}
	return a[0].dim, nil
}

func mathEval(f *fnDef, a []float64) (float64, string) {
	x := a[0]
	switch f.op {
	case opMin:
		for _, y := range a[1:] {
			x = math.Min(x, y)
		}
	case opMax:
		for _, y := range a[1:] {
			x = math.Max(x, y)
		}
	case opClamp:
		if a[1] > a[2] {
			return 0, "clamp: lo is greater than hi"
		}
		x = math.Min(math.Max(x, a[1]), a[2])
	case opAbs:
		x = math.Abs(x)
	case opCeil:
		x = ceilTol(x)
	case opFloor:
		r := math.Round(x)
		if math.Abs(x-r) > 1e-9*math.Max(1, math.Abs(x)) {
			r = math.Floor(x)
		}
		x = r
	case opRound:
		if len(a) == 1 {
			return math.Round(x), ""
		}
		n := math.Round(a[1])
		if n < 1 || n > 15 {
			return 0, "round: the number of significant figures must be between 1 and 15"
		}
		if x == 0 {
			return 0, ""
		}
		e := math.Floor(math.Log10(math.Abs(x)))
		p := math.Pow(10, n-1-e)
		x = math.Round(x*p) / p
	case opLog2, opLog10, opLn:
		if x <= 0 {
			return 0, f.name + " needs a positive number"
		}
		switch f.op {
		case opLog2:
			x = math.Log2(x)
		case opLog10:
			x = math.Log10(x)
		default:
			x = math.Log(x)
		}
	case opExp:
		x = math.Exp(x)
		return x, finiteMsg(x)
	case opSqrt:
		if x < 0 {
			return 0, "sqrt of a negative number"
		}
		x = math.Sqrt(x)
	}
	return x, ""
}
