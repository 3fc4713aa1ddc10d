// Package calccmd implements "scalebook calc": evaluate an estimate from the
// terminal, either a one-line expression or a sheet file with overrides.
package calccmd

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/scalebook/scalebook/calc"
	"github.com/scalebook/scalebook/internal/diag"
)

const usage = `usage: scalebook calc [flags] EXPRESSION...
       scalebook calc [flags] -f SHEET [name=value ...]

Evaluates a back-of-the-envelope expression, e.g.
  scalebook calc '300M * 5 / day'            prints 17.4K/s
  scalebook calc '300M users * 5/day as req/s'
or a sheet file (the contents of a calc block) with inputs overridden:
  scalebook calc -f timeline.calc dau=1B peak=2

Flags:
`

// cellJSON is one cell in -json output.
type cellJSON struct {
	Name    string  `json:"name"`
	Label   string  `json:"label,omitempty"`
	Input   bool    `json:"input"`
	Value   float64 `json:"value"`
	Unit    string  `json:"unit"`
	Text    string  `json:"text"`
	Working string  `json:"working,omitempty"`
	Error   string  `json:"error,omitempty"`
	// Low and High bound the value when it depends on a range input
	// (200M..400M); both equal Value otherwise.
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
	Range string  `json:"range,omitempty"`
}

// Run executes the command with args (not including "calc") and returns the
// exit status: 0 on success, 1 when the expression or sheet has errors, 2 on
// bad usage.
func Run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("calc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("f", "", "evaluate the sheet in `file`; further arguments are name=value overrides")
	asJSON := fs.Bool("json", false, "print machine-readable results")
	working := fs.Bool("working", false, "show each formula's working")
	all := fs.Bool("all", false, "also show hidden cells")
	sens := fs.String("sensitivity", "", "with -f: rank the inputs by how much each moves `cell`")
	swing := fs.String("swing", "10%", "with -sensitivity: how far to move inputs that are not ranges (a fraction or percentage)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	// Flags may come before or after the expression. An argument that
	// starts with "-" but names no flag and reads as a negative number
	// ("-5 GB", "-(2 * 3)") is part of the expression, not a flag.
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch f := fs.Lookup(name); {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
		case len(a) < 2 || a[0] != '-':
			pos = append(pos, a)
		case f == nil && negative(a):
			pos = append(pos, a)
		default:
			flags = append(flags, a)
			if f != nil && !isBool(f) && !hasValue && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		}
	}
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return 0
		}
		fmt.Fprintln(stderr, "calc: to evaluate an expression that starts with -, write it after --: scalebook calc -- -x")
		return 2
	}
	if *file == "" {
		if len(pos) == 0 {
			fs.Usage()
			return 2
		}
		return runExpr(strings.Join(pos, " "), *asJSON, stdout, stderr)
	}
	overrides := map[string]string{}
	for _, a := range pos {
		name, value, ok := strings.Cut(a, "=")
		if !ok || strings.TrimSpace(name) == "" {
			fmt.Fprintf(stderr, "calc: override %q is not name=value\n", a)
			return 2
		}
		overrides[strings.TrimSpace(name)] = value
	}
	if *sens != "" {
		return runSensitivity(*file, overrides, *sens, *swing, *asJSON, stdout, stderr)
	}
	return runSheet(*file, overrides, *asJSON, *working, *all, stdout, stderr)
}

// swingJSON is one input's row in -sensitivity -json output.
type swingJSON struct {
	Input      string  `json:"input"`
	Label      string  `json:"label,omitempty"`
	InLow      float64 `json:"input_low"`
	InHigh     float64 `json:"input_high"`
	OutLow     float64 `json:"low"`
	OutHigh    float64 `json:"high"`
	InLowText  string  `json:"input_low_text"`
	InHighText string  `json:"input_high_text"`
	LowText    string  `json:"low_text"`
	HighText   string  `json:"high_text"`
}

// runSensitivity prints a tornado as a table: for each input, from the one
// that moves the cell most, the input's two values and the cell's.
func runSensitivity(path string, overrides map[string]string, cell, swing string, asJSON bool, stdout, stderr io.Writer) int {
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "calc: %v\n", err)
		return 1
	}
	frac, err := calc.EvalExpr(swing)
	if err != nil || frac.Value() <= 0 || frac.Value() >= 1 {
		fmt.Fprintf(stderr, "calc: -swing %q: want a fraction between 0 and 1, such as 10%%\n", swing)
		return 2
	}
	sheet, err := calc.Parse(string(src))
	if err != nil {
		printErrors(stderr, path, src, err)
		return 1
	}
	swings, err := sheet.Sensitivity(overrides, cell, frac.Value())
	if err != nil {
		fmt.Fprintf(stderr, "calc: %v\n", err)
		return 1
	}
	if asJSON {
		out := make([]swingJSON, 0, len(swings))
		for _, w := range swings {
			out = append(out, swingJSON{w.Input, w.Label, w.InLow, w.InHigh, w.OutLow, w.OutHigh, w.InLowText, w.InHighText, w.OutLowText, w.OutHighText})
		}
		return writeJSON(stdout, stderr, out)
	}
	res := sheet.Eval(overrides).Get(cell)
	fmt.Fprintf(stdout, "%s = %s; what moves it most:\n", cell, res.Text)
	rows := [][3]string{}
	for _, w := range swings {
		name := w.Input
		if w.Label != "" {
			name = w.Label + " (" + w.Input + ")"
		}
		rows = append(rows, [3]string{name, w.InLowText + " → " + w.OutLowText, w.InHighText + " → " + w.OutHighText})
	}
	var wd [3]int
	for _, r := range rows {
		for i := range r {
			wd[i] = max(wd[i], utf8.RuneCountInString(r[i]))
		}
	}
	for _, r := range rows {
		fmt.Fprintln(stdout, strings.TrimRight(pad(r[0], wd[0])+"  "+pad(r[1], wd[1])+"  "+r[2], " "))
	}
	return 0
}

// negative reports whether a dash-led argument reads as the start of an
// expression: a minus sign before a number, a bracket, a dollar or a space.
func negative(a string) bool {
	c := a[1]
	return c >= '0' && c <= '9' || c == '.' || c == '(' || c == '$' || c == ' '
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func runExpr(expr string, asJSON bool, stdout, stderr io.Writer) int {
	if strings.Contains(expr, "..") {
		return runRangeExpr(expr, asJSON, stdout, stderr)
	}
	q, err := calc.EvalExpr(expr)
	if err != nil {
		fmt.Fprintf(stderr, "calc: %v\n", err)
		return 1
	}
	if asJSON {
		return writeJSON(stdout, stderr, cellJSON{Value: q.Value(), Unit: unitOf(q), Text: q.String(), Low: q.Value(), High: q.Value()})
	}
	fmt.Fprintln(stdout, q.String())
	return 0
}

// unitOf recovers the display unit of a standalone result from its text.
func unitOf(q calc.Quantity) string {
	s := q.String()
	i := strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '$' || r == '.' || r == '%' || (r >= '0' && r <= '9') || strings.ContainsRune("KMBT×⁰¹²³⁴⁵⁶⁷⁸⁹⁻", r))
	})
	if i < 0 {
		if strings.HasSuffix(s, "%") {
			return "%"
		}
		if strings.Contains(s, "$") {
			return "$"
		}
		return ""
	}
	u := strings.TrimSpace(s[i:])
	if strings.Contains(s[:i], "$") {
		u = "$" + u
	}
	return u
}

func runSheet(path string, overrides map[string]string, asJSON, working, all bool, stdout, stderr io.Writer) int {
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "calc: %v\n", err)
		return 1
	}
	sheet, err := calc.Parse(string(src))
	if err != nil {
		printErrors(stderr, path, src, err)
		return 1
	}
	for _, w := range sheet.Warnings {
		d := diag.Diagnostic{File: path, Line: w.Line, Msg: w.Msg, Warning: true}
		if lines := strings.Split(string(src), "\n"); w.Line <= len(lines) {
			d.LineText = strings.TrimRight(lines[w.Line-1], "\r")
		}
		d.Col = diag.ByteCol(d.LineText, w.Col)
		fmt.Fprintln(stderr, d.Report())
	}
	res := sheet.Eval(overrides)
	status := 0
	if len(res.Errors) > 0 {
		status = 1
		for _, e := range res.Errors {
			printErrors(stderr, path, src, e)
		}
	}
	if asJSON {
		out := make([]cellJSON, 0, len(res.Cells))
		for i, r := range res.Cells {
			c := sheet.Cells[i]
			j := cellJSON{Name: r.Name, Label: c.Label, Input: c.Input, Value: r.Value, Unit: r.Unit, Text: r.Text, Working: r.Working,
				Low: r.Low, High: r.High, Range: r.Range}
			if r.Err != nil {
				j.Error = r.Err.Error()
			}
			out = append(out, j)
		}
		if writeJSON(stdout, stderr, out) != 0 {
			return 1
		}
		return status
	}
	writeTable(stdout, sheet, res, working, all)
	return status
}

// printErrors prints a sheet's errors as the site build does: the position,
// then the source line with a caret and the likely fix.
func printErrors(w io.Writer, path string, src []byte, err error) {
	var list calc.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			printErrors(w, path, src, e)
		}
		return
	}
	var e *calc.Error
	if errors.As(err, &e) && e.Line > 0 {
		d := diag.Diagnostic{File: path, Line: e.Line, Msg: e.Msg, Suggestion: e.Suggestion}
		lines := strings.Split(string(src), "\n")
		if e.Line <= len(lines) {
			d.LineText = strings.TrimRight(lines[e.Line-1], "\r")
		}
		d.Col = diag.ByteCol(d.LineText, e.Col)
		fmt.Fprintln(w, d.Report())
		return
	}
	fmt.Fprintf(w, "%s: %v\n", path, err)
}

func writeJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "calc: %v\n", err)
		return 1
	}
	return 0
}

// writeTable prints one row per visible cell: the label (or name), the value
// right-aligned on its number, and optionally the working.
func writeTable(w io.Writer, sheet *calc.Sheet, res *calc.Results, working, all bool) {
	type row struct{ name, value, work string }
	var rows []row
	for i, r := range res.Cells {
		c := sheet.Cells[i]
		if c.Hidden && !all {
			continue
		}
		name := c.Name
		if c.Label != "" {
			name = c.Label + " (" + c.Name + ")"
		}
		value := r.Text
		if r.Range != "" {
			value += " (" + r.Range + ")"
		}
		if r.Err != nil && !c.Input {
			value = "error"
		}
		work := ""
		if working {
			work = r.Working
		}
		rows = append(rows, row{name, value, work})
	}
	nameW, valW := 0, 0
	for _, r := range rows {
		nameW = max(nameW, utf8.RuneCountInString(r.name))
		valW = max(valW, utf8.RuneCountInString(r.value))
	}
	for _, r := range rows {
		line := pad(r.name, nameW) + "  " + pad(r.value, valW)
		if r.work != "" {
			line += "  " + r.work
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

func pad(s string, n int) string {
	return s + strings.Repeat(" ", n-utf8.RuneCountInString(s))
}

// rangeLit finds "LOW..HIGH" in an expression: two numbers, each with an
// optional unit or noun, around "..". The engine takes ranges as inputs of
// a sheet, so the expression becomes a sheet of one formula whose ranges
// are its inputs.
var rangeLit = regexp.MustCompile(`\$?-?[0-9][0-9.,]*(?:[eE]-?[0-9]+)?[KkMBT%]?(?: *[A-Za-zµ][A-Za-z0-9µ]*(?:/[A-Za-z]+)*)?` +
	` *\.\. *\$?-?[0-9][0-9.,]*(?:[eE]-?[0-9]+)?[KkMBT%]?(?: *[A-Za-zµ][A-Za-z0-9µ]*(?:/[A-Za-z]+)*)?`)

func runRangeExpr(expr string, asJSON bool, stdout, stderr io.Writer) int {
	var sheet strings.Builder
	n := 0
	formula := rangeLit.ReplaceAllStringFunc(expr, func(lit string) string {
		// A trailing word of the syntax ("as", "per") is not a unit.
		for _, w := range []string{" as", " per"} {
			lit = strings.TrimSuffix(lit, w)
		}
		n++
		fmt.Fprintf(&sheet, "range_%d = %s\n", n, lit)
		return "range_" + strconv.Itoa(n)
	})
	fmt.Fprintf(&sheet, "result := %s\n", formula)
	s, err := calc.Parse(sheet.String())
	if err != nil {
		fmt.Fprintf(stderr, "calc: %v\n", err)
		return 1
	}
	res := s.Eval(nil)
	r := res.Get("result")
	if r.Err != nil {
		fmt.Fprintf(stderr, "calc: %v\n", r.Err)
		return 1
	}
	if asJSON {
		return writeJSON(stdout, stderr, cellJSON{Value: r.Value, Unit: r.Unit, Text: r.Text, Low: r.Low, High: r.High, Range: r.Range})
	}
	if r.Range == "" {
		fmt.Fprintln(stdout, r.Text)
	} else {
		fmt.Fprintln(stdout, r.Range+" (midpoint "+r.Text+")")
	}
	return 0
}
