package calc

import (
	"math"
)

// fnDef is one library function. Each fn_*.go file lists its functions in
// a table with one check and one eval function for the file, which switch
// on the name: in WebAssembly a closure per function, registered at
// start-up, costs several times the bytes of a case in a switch. Adding a
// function touches one file: a table row, its cases, its tests, and a
// "### name(args)" section in the authors' reference.
type fnDef struct {
	name string
	args string // the signature's argument list, e.g. "load, per_server, headroom, zones"
	doc  string // one sentence for Funcs(); the reference page has the rest
	min  int    // fewest arguments
	max  int    // most arguments, -1 for any number
	// check validates argument dimensions when the sheet is parsed and gives
	// the result's dimension. Dimensions never depend on values, so a sheet
	// that parses cannot fail a dimension check at evaluation time.
	check func(f *fnDef, a []argInfo) (Dim, *argError)
	// eval computes the result from argument values in base units. A
	// non-empty message is an evaluation error for the cell.
	eval func(f *fnDef, a []float64) (float64, string)
	// keep: the result keeps a noun and display unit shared by every
	// argument (min, max, abs…).
	keep bool
	// hint: display unit of the result ("%" for availabilities).
	hint string
	// lazy functions are compiled specially (if evaluates one branch).
	lazy bool
	// op tells apart the functions of one file, which share check and eval:
	// switching on a small integer takes far less WebAssembly than on the
	// name.
	op uint8
}

// argInfo is what a check sees of one argument.
type argInfo struct {
	_     noEq
	dim   Dim
	text  string // the argument's default value, formatted, for messages
	konst bool
	val   float64 // when konst
}

// argError places a check failure on an argument (arg ≥ 0) or the call.
type argError struct {
	arg int
	msg string
}

// funcs indexes the function tables by name.
var funcs = map[string]*fnDef{}

func init() {
	for _, table := range [][]fnDef{mathFuncs, availFuncs, capacityFuncs, serverFuncs} {
		for i := range table {
			f := &table[i]
			if _, dup := funcs[f.name]; dup {
				panic("calc: function " + f.name + " defined twice")
			}
			funcs[f.name] = f
		}
	}
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
	out := make([]FuncInfo, 0, len(funcs))
	for _, f := range funcs {
		out = append(out, FuncInfo{Name: f.name, Signature: f.name + "(" + f.args + ")", Doc: f.doc})
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Name < out[j-1].Name; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// arityMsg explains a wrong number of arguments.
func (f *fnDef) arityMsg(got int) string {
	var want string
	switch {
	case f.max < 0:
		want = "at least " + itoa(f.min) + " argument" + plural(f.min)
	case f.min == f.max:
		want = itoa(f.min) + " argument" + plural(f.min)
	default:
		want = itoa(f.min) + " to " + itoa(f.max) + " arguments"
	}
	return f.name + " expects " + want + " (" + f.args + "), got " + itoa(got)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Helpers shared by the checks.

func needCount(a []argInfo, i int, fname, what string) *argError {
	if i < len(a) && !a[i].dim.isCount() {
		return &argError{i, fname + ": " + what + " must be a plain number, but " + a[i].text + " is " + a[i].dim.describe()}
	}
	return nil
}

func needDim(a []argInfo, i int, d Dim, fname, what, example string) *argError {
	if i < len(a) && a[i].dim != d {
		return &argError{i, fname + ": " + what + " must be " + d.describe() + " (e.g. " + example + "), but " + a[i].text + " is " + a[i].dim.describe()}
	}
	return nil
}

// allCount checks that every argument is a plain number.
func allCount(a []argInfo, fname, what string) (Dim, *argError) {
	for i := range a {
		if e := needCount(a, i, fname, what); e != nil {
			return Dim{}, e
		}
	}
	return dimCount, nil
}

// ceilTol rounds up but forgives floating-point noise, so 700/(1000×0.7)
// counts as 1 server rather than 2.
func ceilTol(x float64) float64 {
	r := math.Round(x)
	if math.Abs(x-r) <= 1e-9*math.Max(1, math.Abs(x)) {
		return r
	}
	return math.Ceil(x)
}

func finiteMsg(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "the result is not a finite number"
	}
	return ""
}
