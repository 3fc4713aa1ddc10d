package calcblock

import (
	"bytes"
	"html"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/scalebook/scalebook/calc"
)

// The markup below is the contract with theme/assets/js/calc.js and with
// themes: the root is [data-calc=ID] with the sheet text in data-source,
// inputs are named after their cells, and every value the browser may
// update is [data-cell="ID.CELL"] carrying its base-unit value in
// data-value.

// renderSheet writes a calculator: a form of inputs, a table of results,
// and the working behind a disclosure. Values are the build's, so the page
// is complete without JavaScript.
func renderSheet(b *sheetBlock) []byte {
	var w bytes.Buffer
	id := b.id
	rootID := "calc-" + id
	main, more := splitInputs(b.final)
	key := keyResults(b.final, main)
	w.WriteString(`<section class="calc" id="` + rootID + `" data-calc="` + id + `" data-source="` + html.EscapeString(b.finalSrc) + `" aria-label="Calculator: ` + id + `">` + "\n")
	// The inputs and the key results share a box: the results stick to
	// the bottom of the screen while the inputs are on it, so changing any
	// input shows its effect without scrolling.
	w.WriteString(`<div class="calc-explore">` + "\n")
	w.WriteString(`<form class="calc-inputs" id="` + rootID + `-form" action="#` + rootID + `" autocomplete="off">` + "\n")
	for _, c := range main {
		writeField(&w, b, c)
	}
	if len(more) > 0 {
		w.WriteString(`<details class="calc-more"><summary>More assumptions (` + strconv.Itoa(len(more)) + `)</summary><div class="calc-more-fields">` + "\n")
		for _, c := range more {
			writeField(&w, b, c)
		}
		w.WriteString("</div></details>\n")
	}
	// Reset, the link and the loading line go with the key results when
	// there are some, so they stay in reach while the box sticks.
	actions := `<p class="calc-actions"><button type="reset" class="calc-reset" form="` + rootID + `-form">Reset</button> <a class="calc-share" href="#` + rootID + `" hidden>Link to this scenario</a>` +
		` <span class="calc-status" role="status"></span></p>` + "\n"
	if len(key) == 0 {
		w.WriteString(actions)
	}
	w.WriteString("</form>\n")
	if len(key) > 0 {
		w.WriteString(`<div class="calc-key-box"><dl class="calc-key" aria-label="Key results">` + "\n")
		for _, c := range key {
			r := b.results.Get(c.Name)
			w.WriteString(`<div><dt>` + html.EscapeString(labelOf(c)) + `</dt><dd><output data-cell="` + id + "." + c.Name + `" data-value="` + num(r.Value) + `"` + bounds(r) + `>` +
				html.EscapeString(figureText(r)) + `</output><span class="calc-was"></span></dd></div>` + "\n")
		}
		w.WriteString("</dl>\n" + actions + "</div>\n")
	}
	w.WriteString("</div>\n")
	// Screen readers hear a short summary once typing pauses, not every
	// row of the table on every keystroke.
	w.WriteString(`<p class="calc-announce visually-hidden" aria-live="polite"></p>` + "\n")

	w.WriteString(`<table class="calc-results" id="` + rootID + `-results"><caption class="visually-hidden">Results</caption><tbody>` + "\n")
	for i, c := range b.final.Cells {
		if c.Input || c.Hidden {
			continue
		}
		r := b.results.Cells[i]
		w.WriteString(`<tr><th scope="row">` + html.EscapeString(labelOf(c)) + `</th><td><output data-cell="` + id + "." + c.Name +
			`" data-value="` + num(r.Value) + `"` + bounds(&r) + `>` + html.EscapeString(figureText(&r)) + `</output></td></tr>` + "\n")
	}
	w.WriteString("</tbody></table>\n")

	writeScenarios(&w, b)
	writeCharts(&w, b)
	writeSensitivity(&w, b)
	w.WriteString(`<details class="calc-working"><summary>Show the working</summary><dl>` + "\n")
	for i, c := range b.final.Cells {
		if c.Input || c.Hidden {
			continue
		}
		r := b.results.Cells[i]
		w.WriteString(`<dt><code>` + c.Name + ` := ` + html.EscapeString(c.Expr) + `</code></dt><dd data-working="` + id + "." + c.Name + `">` +
			html.EscapeString(r.Working) + `</dd>` + "\n")
	}
	w.WriteString("</dl></details>\n</section>\n")
	return w.Bytes()
}

// writeField writes one input: its label, the text field, the slider with
// its ends when the author gave a range, the help and a place for errors.
// The field carries what the page script needs to explain a bad value in
// the reader's words: what kind of value it takes and an example.
func writeField(w *bytes.Buffer, b *sheetBlock, c *calc.Cell) {
	id := b.id
	rootID := "calc-" + id
	r := b.results.Get(c.Name)
	inputID := rootID + "-" + c.Name
	label := labelOf(c)
	w.WriteString(`<div class="calc-field">`)
	w.WriteString(`<label for="` + inputID + `">` + html.EscapeString(label) + `</label>`)
	describedBy := inputID + "-err"
	if c.Help != "" {
		describedBy = inputID + "-help " + describedBy
	}
	slider := c.Min != nil && c.Max != nil
	lo, hi := "", ""
	if slider {
		lo, hi = b.final.FormatValue(c.Name, c.Min.Value()), b.final.FormatValue(c.Name, c.Max.Value())
		describedBy += " " + inputID + "-ends"
	}
	shown := figureText(r)
	w.WriteString(`<input type="text" id="` + inputID + `" name="` + c.Name + `" value="` + html.EscapeString(shown) +
		`" data-default="` + html.EscapeString(shown) + `" data-cell="` + id + "." + c.Name + `" data-value="` + num(r.Value) + bounds(r) +
		`" data-kind="` + html.EscapeString(b.final.Kind(c.Name)) + `"`)
	if slider {
		w.WriteString(` data-lo="` + html.EscapeString(lo) + `" data-hi="` + html.EscapeString(hi) + `"`)
	}
	w.WriteString(` aria-describedby="` + describedBy + `" spellcheck="false" autocapitalize="off" readonly>`)
	if slider {
		w.WriteString(`<input type="range" class="calc-slider" data-for="` + c.Name + `" aria-label="` + html.EscapeString(label) + ` (slider)"` +
			` min="` + num(c.Min.Value()) + `" max="` + num(c.Max.Value()) + `"`)
		if c.Step != nil {
			w.WriteString(` data-step="` + num(c.Step.Value()) + `"`)
		}
		if c.Log {
			w.WriteString(` data-log="true"`)
		}
		// Laid out from the first paint (the theme hides it only when
		// scripts are off), so turning it on later shifts nothing.
		w.WriteString(` value="` + num(r.Value) + `" aria-valuetext="` + html.EscapeString(shown) + `" disabled>`)
		w.WriteString(`<p class="calc-ends" id="` + inputID + `-ends"><span>` + html.EscapeString(lo) + `</span><span class="visually-hidden"> to </span><span>` +
			html.EscapeString(hi) + `</span></p>`)
	}
	if c.Help != "" {
		w.WriteString(`<p class="calc-help" id="` + inputID + `-help">` + html.EscapeString(c.Help) + `</p>`)
	}
	w.WriteString(`<p class="calc-error" id="` + inputID + `-err" role="alert" hidden></p>`)
	w.WriteString("</div>\n")
}

// foldAbove is how many inputs a calculator shows before folding the rest
// away when its author did not say which come first ("main:"); foldTo is
// how many it then shows.
const (
	foldAbove = 6
	foldTo    = 4
)

// splitInputs divides the inputs a reader can change into those shown
// first and those folded under "More assumptions": the author's "main:"
// inputs, in that order; or, unmarked, the first few when there are many.
func splitInputs(s *calc.Sheet) (main, more []*calc.Cell) {
	var all []*calc.Cell
	for _, c := range s.Cells {
		if c.Input && !c.Hidden {
			all = append(all, c)
		}
	}
	switch {
	case len(s.Main) > 0:
		for _, name := range s.Main {
			main = append(main, s.Cell(name))
		}
		for _, c := range all {
			if !slices.Contains(s.Main, c.Name) {
				more = append(more, c)
			}
		}
		return main, more
	case len(all) > foldAbove:
		return all[:foldTo], all[foldTo:]
	}
	return all, nil
}

// keyCount is how many results an unmarked calculator shows beside its
// inputs; a small calculator (few inputs and results) shows none, since
// its results table already sits right under the inputs.
const keyCount = 4

// keyResults picks the results shown beside the inputs: the author's
// "key:" list, or, unmarked, up to keyCount results that move when the
// first input shown doubles, one of each kind where it can (a rate, a
// size, a count of machines or things, the last cost: the usual bottom
// line), so that changing that input visibly moves every one of them.
func keyResults(s *calc.Sheet, main []*calc.Cell) []*calc.Cell {
	if len(s.Key) > 0 {
		out := make([]*calc.Cell, len(s.Key))
		for i, name := range s.Key {
			out[i] = s.Cell(name)
		}
		return out
	}
	var results []*calc.Cell
	inputs := 0
	for _, c := range s.Cells {
		switch {
		case c.Hidden:
		case c.Input:
			inputs++
		default:
			results = append(results, c)
		}
	}
	if len(main) == 0 || inputs < 4 || len(results) < keyCount+2 {
		return nil
	}
	first := main[0]
	before := s.Eval(nil)
	doubled := s.FormatValue(first.Name, 2*before.Get(first.Name).Value)
	after := s.Eval(map[string]string{first.Name: doubled})
	var moved []*calc.Cell
	for _, c := range results {
		if a, b := before.Get(c.Name), after.Get(c.Name); a.Err == nil && b.Err == nil && a.Text != b.Text && s.Kind(c.Name) != "a percentage" {
			moved = append(moved, c)
		}
	}
	var out []*calc.Cell
	taken := func(c *calc.Cell) bool { return slices.Contains(out, c) }
	for _, kinds := range [][]string{{"a rate"}, {"a size", "a bandwidth"}, {"a number"}, {"a cost over time", "an amount of money"}} {
		pick := (*calc.Cell)(nil)
		for _, c := range moved {
			k := s.Kind(c.Name)
			if taken(c) || !(slices.Contains(kinds, k) || kinds[0] == "a number" && strings.HasPrefix(k, "a number of ")) {
				continue
			}
			pick = c
			if kinds[0] != "a cost over time" {
				break // the first of its kind; for costs, the last
			}
		}
		if pick != nil {
			out = append(out, pick)
		}
	}
	for _, c := range moved {
		if len(out) >= keyCount {
			break
		}
		if !taken(c) {
			out = append(out, c)
		}
	}
	// In sheet order, as the results table has them.
	slices.SortFunc(out, func(a, b *calc.Cell) int { return slices.Index(results, a) - slices.Index(results, b) })
	return out
}

// fillFigure writes a resolved inline figure with its value.
func fillFigure(f *Figure) {
	s := f.state
	if s == nil {
		if f.HTML == nil {
			f.HTML = []byte{}
		}
		return
	}
	switch s.kind {
	case figConst:
		f.HTML = []byte(`<span class="calc-fig calc-const">` + html.EscapeString(s.text) + `</span>`)
		return
	}
	b := s.block
	if b == nil || b.failed || b.results == nil {
		f.HTML = []byte{}
		return
	}
	r := b.results.Get(s.cell)
	if r == nil {
		f.HTML = []byte{}
		return
	}
	ref := b.id + "." + s.cell
	if s.kind == figInput {
		c := b.final.Cell(s.cell)
		label := c.Label
		if label == "" {
			label = c.Name
		}
		shown := figureText(r)
		size := max(len(shown), 4)
		f.HTML = []byte(`<input type="text" class="calc-inline" data-cell="` + ref + `" data-input="` + ref + `" value="` + html.EscapeString(shown) +
			`" data-value="` + num(r.Value) + `"` + bounds(r) + ` size="` + strconv.Itoa(size) + `" aria-label="` + html.EscapeString(label) +
			` (type a value, or use the arrow keys)" spellcheck="false" readonly>`)
		return
	}
	// A formula's working rides along, for the theme to show on hover
	// (data-why, since data-working marks the working list's entries).
	why := ""
	if r.Working != "" {
		why = ` data-why="` + html.EscapeString(r.Working) + `"`
	}
	f.HTML = []byte(`<span class="calc-fig" data-cell="` + ref + `" data-value="` + num(r.Value) + `"` + bounds(r) + why + `>` + html.EscapeString(figureText(r)) + `</span>`)
}

// figureText is how a figure reads: its range when it depends on an
// estimate the author is unsure of ("11.6K–23.1K req/s"), else its value.
func figureText(r *calc.Result) string {
	if r.Range != "" {
		return r.Range
	}
	return r.Text
}

// bounds gives a ranged figure's data-low and data-high attributes, for
// scripts and themes; "" for a certain one.
func bounds(r *calc.Result) string {
	if r.Range == "" {
		return ""
	}
	return ` data-low="` + num(r.Low) + `" data-high="` + num(r.High) + `"`
}

// num prints a base-unit value for data attributes: shortest exact form.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// PlainText is the figure's text for the search index (markdown.PlainTexter).
func (n *Figure) PlainText() string {
	if n.state == nil {
		return ""
	}
	if n.state.kind == figConst {
		return n.state.text
	}
	if b := n.state.block; b != nil && b.results != nil {
		if r := b.results.Get(n.state.cell); r != nil {
			return figureText(r)
		}
	}
	return ""
}

// sensitivitySwing is how far the tornado moves inputs that are not
// ranges: ±10%.
const sensitivitySwing = 0.1

// writeSensitivity writes the "which assumption matters" view: a table of
// the inputs ranked by how much each moves one result, with a bar for each,
// for the sheet's last visible formula (usually its bottom line). The page
// script lets the reader pick another result and redraws it as inputs
// change; without scripts the table is the build's.
func writeSensitivity(w *bytes.Buffer, b *sheetBlock) {
	var results []*calc.Cell
	for _, c := range b.final.Cells {
		if !c.Input && !c.Hidden {
			results = append(results, c)
		}
	}
	if len(results) == 0 {
		return
	}
	target := results[len(results)-1]
	swings, err := b.final.Sensitivity(nil, target.Name, sensitivitySwing)
	if err != nil || len(swings) == 0 {
		return
	}
	id := "calc-" + b.id + "-sens"
	w.WriteString(`<details class="calc-sens" data-sens="` + b.id + `"><summary>Which assumption matters?</summary>` + "\n")
	w.WriteString(`<p class="calc-sens-pick"><label for="` + id + `">Result</label> <select id="` + id + `" disabled>`)
	for _, c := range results {
		sel := ""
		if c == target {
			sel = " selected"
		}
		w.WriteString(`<option value="` + c.Name + `"` + sel + `>` + html.EscapeString(labelOf(c)) + `</option>`)
	}
	w.WriteString("</select></p>\n")
	// In a table wrapper like every other table, so the theme's fitting
	// rules (wrap cells; scroll, named, only when too wide) apply.
	w.WriteString(`<div class="table-wrap"><table class="calc-sens-table"><caption>What moves <span class="calc-sens-target">` + html.EscapeString(labelOf(target)) +
		`</span> most: each input at its low and high (its range, or ±10%), the others as set</caption>` +
		`<thead><tr><th scope="col">Input</th><th scope="col">Low</th><th scope="col">High</th><th scope="col"><span class="visually-hidden">Swing</span></th></tr></thead><tbody>` + "\n")
	point := b.results.Get(target.Name).Value
	widest := 0.0
	for _, s := range swings {
		widest = max(widest, math.Abs(s.OutHigh-point), math.Abs(s.OutLow-point))
	}
	for _, s := range swings {
		label := s.Label
		if label == "" {
			label = s.Input
		}
		w.WriteString(`<tr><th scope="row">` + html.EscapeString(label) + `</th><td>` + html.EscapeString(s.InLowText+" → "+s.OutLowText) +
			`</td><td>` + html.EscapeString(s.InHighText+" → "+s.OutHighText) + `</td><td>` + swingBar(s.OutLow, s.OutHigh, point, widest) + "</td></tr>\n")
	}
	w.WriteString("</tbody></table></div></details>\n")
}

// swingBar draws one row of the tornado: a bar from the result at the
// input's low to the result at its high, on a scale centred on the result
// as set, the widest swing filling half the width. calc.js draws the same.
func swingBar(lo, hi, point, widest float64) string {
	x := func(v float64) float64 {
		if widest == 0 {
			return 50
		}
		return 50 + 50*(v-point)/widest
	}
	// The part of the bar below the result as set, and the part above.
	a, z := x(math.Min(lo, hi)), x(math.Max(lo, hi))
	l0, l1, h0, h1 := math.Min(a, 50), math.Min(z, 50), math.Max(a, 50), math.Max(z, 50)
	return `<svg class="calc-sens-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">` +
		`<rect class="calc-sens-low" x="` + num(round2(l0)) + `" y="1" width="` + num(round2(l1-l0)) + `" height="8"/>` +
		`<rect class="calc-sens-high" x="` + num(round2(h0)) + `" y="1" width="` + num(round2(h1-h0)) + `" height="8"/>` +
		`<line x1="50" y1="0" x2="50" y2="10"/></svg>`
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func labelOf(c *calc.Cell) string {
	if c.Label != "" {
		return c.Label
	}
	return c.Name
}
