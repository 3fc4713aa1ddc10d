package calcblock

import (
	"bytes"
	"encoding/json"
	"html"
	"math"
	"strconv"
	"strings"

	"github.com/scalebook/scalebook/calc"
)

// writeScenarios writes the sheet's scenarios side by side: a column for
// the inputs as set and one per scenario, a row per compared result, and a
// difference column (the last scenario against the first, or the only one
// against the inputs as set). calc.js recomputes every column as the
// reader changes inputs: a scenario's values win over the reader's.
func writeScenarios(w *bytes.Buffer, b *sheetBlock) {
	s := b.final
	if len(s.Scenarios) == 0 {
		return
	}
	rows := s.Compare
	if len(rows) == 0 {
		for _, c := range s.Cells {
			if !c.Input && !c.Hidden {
				rows = append(rows, c.Name)
			}
		}
	}
	cols := []*calc.Results{b.results}
	names := []string{"As set"}
	type scen struct {
		Name string            `json:"name"`
		Set  map[string]string `json:"set"`
	}
	var data []scen
	for _, sc := range s.Scenarios {
		cols = append(cols, s.Eval(sc.Overrides()))
		names = append(names, sc.Name)
		data = append(data, scen{sc.Name, sc.Overrides()})
	}
	// The difference: the last column against the first scenario's, or
	// against the inputs as set when there is one scenario.
	from := 1
	if len(s.Scenarios) == 1 {
		from = 0
	}
	to := len(cols) - 1
	js, _ := json.Marshal(data)
	w.WriteString(`<div class="calc-scenarios table-wrap"><table data-scenarios="` + html.EscapeString(string(js)) + `" data-diff="` +
		strconv.Itoa(from) + "," + strconv.Itoa(to) + `"><caption>Scenarios side by side` +
		`<span class="calc-scen-how">: each scenario's inputs, the others as set; the last column is ` +
		html.EscapeString(names[to]) + ` against ` + html.EscapeString(names[from]) + `</span></caption><thead><tr><th scope="col">Result</th>`)
	for _, n := range names {
		w.WriteString(`<th scope="col">` + html.EscapeString(n) + `</th>`)
	}
	w.WriteString(`<th scope="col">Difference</th></tr></thead><tbody>` + "\n")
	for _, name := range rows {
		c := s.Cell(name)
		w.WriteString(`<tr data-row="` + name + `"><th scope="row">` + html.EscapeString(labelOf(c)) + `</th>`)
		for _, r := range cols {
			w.WriteString(`<td>` + html.EscapeString(figureText(r.Get(name))) + `</td>`)
		}
		w.WriteString(`<td>` + html.EscapeString(difference(s, name, cols[from].Get(name).Value, cols[to].Get(name).Value)) + "</td></tr>\n")
	}
	w.WriteString("</tbody></table></div>\n")
}

// difference writes b − a as the cell's figures read, signed, with the
// change in percent: "+465K req/s (+200%)". calc.js writes the same.
func difference(s *calc.Sheet, cell string, a, b float64) string {
	d := b - a
	if d == 0 {
		return "same"
	}
	sign := "+"
	if d < 0 {
		sign = "−"
	}
	out := sign + s.FormatValue(cell, math.Abs(d))
	if a != 0 {
		out += " (" + change(a, b) + ")"
	}
	return out
}

// change writes how b compares with a: a percentage for a change of less
// than double or half, a factor beyond: "+34%", "×201", "÷202".
func change(a, b float64) string {
	r := b / a
	switch {
	case r >= 2:
		return "×" + sig3(r)
	case r > 0 && r <= 0.5:
		return "÷" + sig3(1/r)
	case r >= 1:
		return "+" + percent(r-1)
	}
	return "−" + percent(math.Abs(r-1))
}

// sig3 rounds to three significant figures and writes the number out
// whole, as calc.js's String(+x.toPrecision(3)) does: 2010 stays "2010".
func sig3(v float64) string {
	if v == 0 {
		return "0"
	}
	e := int(math.Floor(math.Log10(math.Abs(v))))
	if e < 2 {
		t := strconv.FormatFloat(v, 'f', 2-e, 64)
		for t[len(t)-1] == '0' {
			t = t[:len(t)-1]
		}
		return strings.TrimSuffix(t, ".")
	}
	scale := math.Pow(10, float64(e-2))
	return strconv.FormatFloat(math.Round(v/scale)*scale, 'f', 0, 64)
}

// percent writes a positive ratio as a percentage with two significant
// figures, whole numbers from 10% up: 0.034 → "3.4%", 2 → "200%".
func percent(r float64) string {
	p := r * 100
	if p >= 10 {
		return strconv.FormatFloat(math.Round(p), 'f', -1, 64) + "%"
	}
	return strconv.FormatFloat(p, 'g', 2, 64) + "%"
}
