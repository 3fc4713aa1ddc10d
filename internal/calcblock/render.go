package calcblock

import (
	"bytes"
	"html"
	"math"
	"strconv"

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
	w.WriteString(`<section class="calc" id="` + rootID + `" data-calc="` + id + `" data-source="` + html.EscapeString(b.finalSrc) + `" aria-label="Calculator: ` + id + `">` + "\n")
	w.WriteString(`<form class="calc-inputs" action="#` + rootID + `" autocomplete="off">` + "\n")
	for i, c := range b.final.Cells {
		if !c.Input || c.Hidden {
			continue
		}
		r := b.results.Cells[i]
		inputID := rootID + "-" + c.Name
		label := c.Label
		if label == "" {
			label = c.Name
		}
		w.WriteString(`<div class="calc-field">`)
		w.WriteString(`<label for="` + inputID + `">` + html.EscapeString(label) + `</label>`)
		describedBy := inputID + "-err"
		if c.Help != "" {
			describedBy = inputID + "-help " + describedBy
		}
		shown := figureText(&r)
		w.WriteString(`<input type="text" id="` + inputID + `" name="` + c.Name + `" value="` + html.EscapeString(shown) +
			`" data-default="` + html.EscapeString(shown) + `" data-cell="` + id + "." + c.Name + `" data-value="` + num(r.Value) + bounds(&r) +
			`" aria-describedby="` + describedBy + `" spellcheck="false" autocapitalize="off" readonly>`)
		if c.Min != nil && c.Max != nil {
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
			w.WriteString(` value="` + num(r.Value) + `" disabled>`)
		}
		if c.Help != "" {
			w.WriteString(`<p class="calc-help" id="` + inputID + `-help">` + html.EscapeString(c.Help) + `</p>`)
		}
		w.WriteString(`<p class="calc-error" id="` + inputID + `-err" role="alert" hidden></p>`)
		w.WriteString("</div>\n")
	}
	w.WriteString(`<p class="calc-actions"><button type="reset" class="calc-reset">Reset</button> <a class="calc-share" href="#` + rootID + `" hidden>Link to this scenario</a></p>` + "\n")
	w.WriteString("</form>\n")

	w.WriteString(`<table class="calc-results" id="` + rootID + `-results"><caption class="visually-hidden">Results</caption><tbody aria-live="polite">` + "\n")
	for i, c := range b.final.Cells {
		if c.Input || c.Hidden {
			continue
		}
		r := b.results.Cells[i]
		label := c.Label
		if label == "" {
			label = c.Name
		}
		w.WriteString(`<tr><th scope="row">` + html.EscapeString(label) + `</th><td><output data-cell="` + id + "." + c.Name +
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
	f.HTML = []byte(`<span class="calc-fig" data-cell="` + ref + `" data-value="` + num(r.Value) + `"` + bounds(r) + `>` + html.EscapeString(figureText(r)) + `</span>`)
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
