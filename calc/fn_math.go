package calc

// Arithmetic helpers. Rounding works on plain numbers only: rounding 1.5 KB
// "up" depends on the unit, so authors divide by a unit first (ceil(x / 1 GB)).
var mathFuncs = []fnDef{
	{name: "min", op: opMin, args: "a, b, …", min: 1, max: -1, keep: true, want: "-|s all arguments", ret: 'a'},
	{name: "max", op: opMax, args: "a, b, …", min: 1, max: -1, keep: true, want: "-|s all arguments", ret: 'a'},
	{name: "clamp", op: opClamp, args: "x, lo, hi", min: 3, max: 3, keep: true, want: "-|s all arguments", ret: 'a'},
	{name: "abs", op: opAbs, args: "x", min: 1, max: 1, keep: true, want: "-", ret: 'a'},
	{name: "ceil", op: opCeil, args: "x", min: 1, max: 1, keep: true, want: "p", ret: 'a'},
	{name: "floor", op: opFloor, args: "x", min: 1, max: 1, keep: true, want: "p", ret: 'a'},
	{name: "round", op: opRound, args: "x, digits", min: 1, max: 2, keep: true, want: "p|n the number of significant figures", ret: 'a'},
	{name: "log2", op: opLog2, args: "x", min: 1, max: 1, want: "n the argument"},
	{name: "log10", op: opLog10, args: "x", min: 1, max: 1, want: "n the argument"},
	{name: "ln", op: opLn, args: "x", min: 1, max: 1, want: "n the argument"},
	{name: "exp", op: opExp, args: "x", min: 1, max: 1, want: "n the argument"},
	{name: "sqrt", op: opSqrt, args: "x", min: 1, max: 1, want: "q", ret: 'h'},
	{name: "pow", args: "x, n", min: 2, max: 2}, // compiled as the ^ operator
	{name: "if", args: "cond, then, else", min: 3, max: 3, lazy: true},
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
