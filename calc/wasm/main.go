//go:build js && wasm

// Command wasm exposes the calc engine to the page script. It only converts
// arguments and results; every rule lives in package calc.
//
// The API is deliberately coarse, one call per input change:
//
//	scalebookCalc.eval(source, overrides) → string: one record per cell,
//	    name␟value␟text␟working␟error␟range[␟low␟high], records joined by
//	    ␞ (range, low and high only for a figure with a range), then a record of
//	    evaluation-wide errors. One string crosses into JavaScript instead
//	    of an object per field, which keeps an update well under a
//	    millisecond.
//	scalebookCalc.format(source, cell, value) → text of value (base units) in the cell's own units
//	scalebookCalc.sensitivity(source, overrides, cell, frac) → the inputs ranked by how much each moves cell
//	scalebookCalc.sweep(source, overrides, chart) → a chart's points
package main

import (
	"strconv"
	"syscall/js"

	"github.com/scalebook/scalebook/calc"
)

// sheets caches parsed sheets by their text: a page evaluates the same few
// sheets many times, and parsing is the expensive half.
var sheets = map[string]*calc.Sheet{}

func sheet(src string) (*calc.Sheet, string) {
	if s, ok := sheets[src]; ok {
		return s, ""
	}
	s, err := calc.Parse(src)
	if err != nil {
		return nil, err.Error()
	}
	sheets[src] = s
	return s, ""
}

const (
	fieldSep  = "\x1f"
	recordSep = "\x1e"
)

// out builds a reply. In WebAssembly each append costs some 300 bytes of
// code where it is written and a call to a method about 70, so replies are
// written through these two.
type out []byte

// s appends text.
//
//go:noinline
func (b *out) s(x string) { *b = append(*b, x...) }

// f appends a number, exactly, as JavaScript's Number() reads it.
//
//go:noinline
func (b *out) f(x float64) { *b = strconv.AppendFloat(*b, x, 'g', -1, 64) }

func eval(_ js.Value, args []js.Value) any {
	if len(args) < 1 {
		return recordSep + "eval(source, overrides) needs a source"
	}
	s, msg := sheet(args[0].String())
	if msg != "" {
		return recordSep + msg
	}
	res := s.Eval(overridesOf(args, 1))
	var b out
	for _, r := range res.Cells {
		b.s(r.Name)
		b.s(fieldSep)
		b.f(r.Value)
		b.s(fieldSep)
		b.s(r.Text)
		b.s(fieldSep)
		b.s(r.Working)
		b.s(fieldSep)
		if r.Err != nil {
			b.s(r.Err.Error())
		}
		b.s(fieldSep)
		b.s(r.Range)
		if r.Range != "" {
			b.s(fieldSep)
			b.f(r.Low)
			b.s(fieldSep)
			b.f(r.High)
		}
		b.s(recordSep)
	}
	for i, e := range res.Errors {
		if i > 0 {
			b.s(fieldSep)
		}
		b.s(e.Error())
	}
	return string(b)
}

// overridesOf reads the object of name → text at args[i], if any.
func overridesOf(args []js.Value, i int) map[string]string {
	overrides := map[string]string{}
	if len(args) > i && args[i].Type() == js.TypeObject {
		keys := js.Global().Get("Object").Call("keys", args[i])
		for k := 0; k < keys.Length(); k++ {
			name := keys.Index(k).String()
			overrides[name] = args[i].Get(name).String()
		}
	}
	return overrides
}

// sensitivity(source, overrides, cell, frac) ranks the inputs by how much
// each moves cell: records of input␟label␟inLowText␟inHighText␟lowText␟
// highText␟low␟high joined by ␞, the largest swing first; or "" and an
// error after a ␞ when the cell cannot be evaluated.
func sensitivity(_ js.Value, args []js.Value) any {
	if len(args) < 4 {
		return recordSep + "sensitivity(source, overrides, cell, frac)"
	}
	s, m := sheet(args[0].String())
	if m != "" {
		return recordSep + m
	}
	swings, err := s.Sensitivity(overridesOf(args, 1), args[2].String(), args[3].Float())
	if err != nil {
		return recordSep + err.Error()
	}
	var b out
	for i, w := range swings {
		if i > 0 {
			b.s(recordSep)
		}
		for j, f := range [...]string{w.Input, w.Label, w.InLowText, w.InHighText, w.OutLowText, w.OutHighText} {
			if j > 0 {
				b.s(fieldSep)
			}
			b.s(f)
		}
		b.s(fieldSep)
		b.f(w.OutLow)
		b.s(fieldSep)
		b.f(w.OutHigh)
	}
	return string(b)
}

func format(_ js.Value, args []js.Value) any {
	if len(args) < 3 {
		return ""
	}
	s, msg := sheet(args[0].String())
	if msg != "" {
		return ""
	}
	c := s.Cell(args[1].String())
	if c == nil {
		return ""
	}
	if !c.Input {
		return s.FormatValue(c.Name, args[2].Float())
	}
	return c.Default.WithValue(args[2].Float()).String()
}

// sweep(source, overrides, chart) evaluates the sheet's chart at its points:
// records x␟xText␟y0␟y0Text␟y1␟y1Text… joined by ␞, one per point, the
// values in base units ("NaN" where a result is undefined); or ␞ and an
// error.
func sweep(_ js.Value, args []js.Value) any {
	if len(args) < 3 {
		return recordSep + "sweep(source, overrides, chart)"
	}
	s, m := sheet(args[0].String())
	if m != "" {
		return recordSep + m
	}
	ser, err := s.Sweep(overridesOf(args, 1), args[2].Int())
	if err != nil {
		return recordSep + err.Error()
	}
	var b out
	for k, x := range ser.X {
		if k > 0 {
			b.s(recordSep)
		}
		b.f(x)
		b.s(fieldSep)
		b.s(ser.XText[k])
		for j := range ser.Y {
			b.s(fieldSep)
			b.f(ser.Y[j][k])
			b.s(fieldSep)
			b.s(ser.YText[j][k])
		}
	}
	return string(b)
}

func main() {
	// An object filled in place: a Go map literal converted to one costs
	// more code.
	api := js.Global().Get("Object").New()
	for _, f := range [...]struct {
		name string
		fn   func(js.Value, []js.Value) any
	}{{"eval", eval}, {"format", format}, {"sensitivity", sensitivity}, {"sweep", sweep}} {
		api.Set(f.name, js.FuncOf(f.fn))
	}
	js.Global().Set("scalebookCalc", api)
	// Tell the page the engine is ready, then serve calls forever.
	if ready := js.Global().Get("scalebookCalcReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}
