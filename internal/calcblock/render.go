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
