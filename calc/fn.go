package calc

import (
	"math"
)

// fnDef is one library function. Each fn_*.go file lists its functions in
// a table with one eval function for the file, which switches on op: in
// WebAssembly a closure per function costs several times the bytes of a
// case in a switch. Argument checks are data (want and ret), read by
// compiler.call. Adding a function touches one file: a table row, its case, its
// tests, and a "### name(args)" section in the authors' reference.
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
	// op selects the function's case in eval: switching on a small
	// integer takes far less WebAssembly than on the name. pow and if,
	// compiled specially, have none.
	op uint8
}

// The functions' cases in eval, grouped by the file that lists them.
const (
	_ uint8 = iota
	// fn_math.go
	opMin
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
	// fn_avail.go
	opDowntime
	opNines
	opSerial
	opParallel
	opReplicas
	// fn_capacity.go
	opLittle
	opKeylen
	opPartitions
	opCache
	// fn_servers.go
	opServers
	// fn_cost.go
	opCDNCost
	opEgressCost
)

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
// counts as 1 server rather than 2.
func ceilTol(x float64) float64 {
	r := math.Round(x)
	if math.Abs(x-r) <= 1e-9*math.Max(1, math.Abs(x)) {
		return r
	}
	return math.Ceil(x)
}

// eval computes a function from argument values in base units. A non-empty
// message is an evaluation error for the cell.
func (f *fnDef) eval(a []float64) (float64, string) {
	x, n := a[0], len(a)
	switch f.op {
	// Arithmetic. Rounding works on plain numbers only: rounding 1.5 KB "up"
	// depends on the unit, so authors divide by a unit first
	// (ceil(x / 1 GB)).
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
		if n == 1 {
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
		x = math.Round(x*p) / p
	case opLog2, opLog10, opLn:
		if x <= 0 {
			return 0, msg("{} needs a positive number", f.name)
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
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return x, "the result is not a finite number"
		}
	case opSqrt:
		if x < 0 {
			return 0, "sqrt of a negative number"
		}
		x = math.Sqrt(x)

	// Availability. Every function but nines takes availabilities: all of
	// its arguments, or only the first when the second is a period or a
	// count.
	case opDowntime, opSerial, opParallel, opReplicas:
		in := a
		if f.op == opDowntime || f.op == opReplicas {
			in = a[:1]
		}
		for _, v := range in {
			if v < 0 || v > 1 {
				return 0, msg("{}: an availability must be between 0% and 100%", f.name)
			}
		}
		switch f.op {
		case opDowntime:
			period := secondsPerYear
			if n > 1 {
				period = a[1]
			}
			x = (1 - x) * period
		case opSerial:
			x = 1.0
			for _, v := range a {
				x *= v
			}
		case opParallel:
			q := 1.0
			for _, v := range a {
				q *= 1 - v
			}
			x = 1 - q
		default: // replicas
			if a[1] < 1 || a[1] != math.Trunc(a[1]) {
				return 0, "replicas: n must be a whole number of at least 1"
			}
			x = 1 - math.Pow(1-x, a[1])
		}
	case opNines:
		if x < 0 || x > 15 {
			return 0, "nines: the count of nines must be between 0 and 15"
		}
		x = 1 - math.Pow(10, -x)

	// Capacity rules of thumb.
	case opLittle:
		x *= a[1]
	case opKeylen:
		alpha := 62.0
		if n > 1 {
			alpha = a[1]
		}
		if x < 1 {
			return 0, "keylen: n must be at least 1"
		}
		if alpha < 2 || alpha != math.Trunc(alpha) {
			return 0, "keylen: the alphabet must be a whole number of at least 2 symbols"
		}
		x = math.Max(1, ceilTol(math.Log(x)/math.Log(alpha)))
	case opPartitions:
		if x < 0 || a[1] < 0 || a[2] < 0 {
			return 0, "partitions: size and capacity units must not be negative"
		}
		bySize := ceilTol(x / (10 * (1 << 30)))
		byThroughput := ceilTol(a[1]/3000 + a[2]/1000)
		x = math.Max(1, math.Max(bySize, byThroughput))
	case opCache:
		period := secondsPerDay
		if n > 3 {
			period = a[3]
		}
		if a[2] < 0 || a[2] > 1 {
			return 0, "cache: the hot fraction must be between 0% and 100%"
		}
		x = x * period * a[1] * a[2]

	// servers; see fn_servers.go.
	case opServers:
		load, per := x, a[1]
		headroom, zones := 0.0, 1.0
		if n > 2 {
			headroom = a[2]
		}
		if n > 3 {
			zones = a[3]
		}
		switch {
		case per <= 0:
			return 0, "servers: per_server must be positive"
		case load < 0:
			return 0, "servers: load must not be negative"
		case headroom < 0 || headroom >= 1:
			return 0, "servers: headroom must be at least 0% and below 100%"
		case zones < 1 || zones != math.Trunc(zones):
			return 0, "servers: zones must be a whole number of at least 1"
		}
		c := ceilTol(load / (per * (1 - headroom)))
		c = ceilTol(c/zones) * zones
		x = math.Max(c, zones)

	// Tiered prices; see fn_cost.go.
	case opCDNCost, opEgressCost:
		if x < 0 {
			return 0, msg("{}: the volume must not be negative", f.name)
		}
		if f.op == opCDNCost {
			x = tieredMonthly(x, cdnTiers[:])
		} else {
			x = tieredMonthly(x, egressTiers[:])
		}
	}
	return x, ""
}
