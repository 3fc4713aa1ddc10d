package calc

import "math"

// fnDef is one library function. Adding a function is one row in the table
// of an fn_*.go file, naming the Go function that computes it, beside it in
// the same file; then its one-sentence summary in the file's docs table,
// its tests, and a "### name(args)" section in the authors' reference,
// which a test insists on. Argument checks are data (want and ret), read by
// compiler.call, so a function's code only computes.
type fnDef struct {
	_    noEq
	name string
	args string // the signature's argument list, e.g. "load, per_server, headroom, zones"
	min  int    // fewest arguments
	max  int    // most arguments, -1 for any number
	// want lists what the arguments must be, checked when the sheet is
	// parsed; dimensions never depend on values, so a sheet that parses
	// cannot fail a dimension check at evaluation time. Requirements are
	// separated by "|", one per argument, the last one applying to any
	// further arguments. Each is a code letter, then a space and how
	// messages name the argument, then optionally "; " and an example:
	//
	//	-  anything
	//	n  a plain number
	//	T  a time; R a rate; I information; B a bandwidth (information/time)
	//	s  the dimension of the first argument (named with the group)
	//	u  capacity units: a plain number or a rate
	//	p  a plain number when it is the only argument (ceil, floor, round)
	//	q  a dimension with a square root
	want string
	// ret is the result's dimension: a count when unset, 't' a time, 'i'
	// information, 'c' a cost rate (money/time), 'a' the first argument's,
	// 'h' the square root of the
	// first argument's.
	ret byte
	// keep: the result keeps a noun and display unit shared by every
	// argument (min, max, abs…).
	keep bool
	// pct: the result is shown as a percentage (availabilities).
	pct bool
	// lazy functions are compiled specially (if evaluates one branch).
	lazy bool
	// eval computes the function from its arguments' values in base
	// units, which have passed the checks of want; a non-empty message is
	// an evaluation error for the cell. pow and if, compiled specially,
	// have none. Each function costs about half a kilobyte of WebAssembly
	// beyond its body, the price of keeping it beside its row.
	eval func(f *fnDef, a []float64) (float64, string)
}

// funcTables lists the function tables; as static data it costs no code
// at start-up, unlike a map filled by an init function.
var funcTables = [...][]fnDef{mathFuncs, availFuncs, capacityFuncs, serverFuncs, costFuncs}

// lookupFunc finds a function by name, or returns nil.
//
//go:noinline
func lookupFunc(name string) *fnDef {
	for _, t := range funcTables {
		for i := range t {
			if t[i].name == name {
				return &t[i]
			}
		}
	}
	return nil
}

// funcDoc is a function's one-sentence summary; the reference page has the
// rest.
type funcDoc struct {
	name, doc string
}

// FuncInfo describes a library function for documentation and editors.
type FuncInfo struct {
	Name      string // "servers"
	Signature string // "servers(load, per_server, headroom, zones)"
	Doc       string // one-sentence summary
}

// Funcs lists the function library sorted by name; the reference page test
// uses it to insist that every function is documented.
func Funcs() []FuncInfo {
	var out []FuncInfo
	for _, t := range funcTables {
		for _, f := range t {
			out = append(out, FuncInfo{Name: f.name, Signature: f.name + "(" + f.args + ")"})
		}
	}
	for i := range out {
		for _, t := range [...][]funcDoc{mathDocs, availDocs, capacityDocs, serverDocs, costDocs} {
			for _, d := range t {
				if d.name == out[i].Name {
					out[i].Doc = d.doc
				}
			}
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Name < out[j-1].Name; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// ceilTol rounds up but forgives floating-point noise, so 700/(1000×0.7)
// counts as 1 server rather than 2. The tolerance is what a few operations
// can leave, 16 units in the last place relative to x: enough for unit
// conversions (per day to per second and back), far too little to turn a
// real 1.0000000001 into 1.
func ceilTol(x float64) float64 {
	if r := math.Round(x); nearWhole(x, r) {
		return r
	}
	return math.Ceil(x)
}

// noise is the relative error ceil, floor and the tiered prices forgive.
const noise = 16 * 0x1p-52

// nearWhole reports whether x is the whole number r but for noise.
func nearWhole(x, r float64) bool {
	return math.Abs(x-r) <= noise*math.Max(1, math.Abs(x))
}
