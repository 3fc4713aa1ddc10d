package calcblock

import (
	"bytes"
	"html"
	"math"
	"strconv"

	"github.com/scalebook/scalebook/calc"
)

// A chart is drawn into a fixed viewBox that scales to the column: the
// plot area inside margins for the axis labels. theme/assets/js/calc.js
// redraws charts with the same geometry (the chart object there), so a
// change here must be made there too.
const (
	chartW, chartH                 = 640, 260
	chartLeft, chartRight          = 8, 8
	chartTop, chartBottom          = 24, 32
	chartTicks                     = 4 // about this many gridlines
	chartPlotW, chartPlotH float64 = chartW - chartLeft - chartRight, chartH - chartTop - chartBottom
)

// chartScale maps the data's values to the plot: the y axis from 0 (or the
// lowest value, if negative) to a round number above the highest, in
// steps of 1, 2 or 5 times a power of ten.
type chartScale struct {
	lo, hi, step float64
}

// unit is the size of the unit the figures are read in (calc.Sheet.Scale),
// so that the steps are round in it.
func newChartScale(ys [][]float64, unit float64) chartScale {
	lo, hi := 0.0, math.Inf(-1)
	for _, line := range ys {
		for _, v := range line {
			if v == v {
				lo, hi = math.Min(lo, v/unit), math.Max(hi, v/unit)
			}
		}
	}
	if math.IsInf(hi, -1) || hi <= lo {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / chartTicks)
	return chartScale{lo: math.Floor(lo/step) * step * unit, hi: math.Ceil(hi/step) * step * unit, step: step * unit}
}

// niceStep rounds a step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / mag; {
	case f <= 1:
		return mag
	case f <= 2:
		return 2 * mag
	case f <= 5:
		return 5 * mag
	}
	return 10 * mag
}

func (c chartScale) y(v float64) float64 {
	return chartTop + chartPlotH*(1-(v-c.lo)/(c.hi-c.lo))
}

// chartX places point k of n along the x axis: the points are evenly
// spaced on the scale the sweep used.
func chartX(k, n int) float64 { return chartLeft + chartPlotW*float64(k)/float64(n-1) }

func coord(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// writeCharts draws the sheet's charts as the build computes them, each an
// SVG with its data as a table for screen readers and for reading off.
func writeCharts(w *bytes.Buffer, b *sheetBlock) {
	for i, ch := range b.final.Charts {
		series, err := b.final.Sweep(nil, i)
		if err != nil {
			continue
		}
		id := "calc-" + b.id + "-chart" + strconv.Itoa(i+1)
		x := b.final.Cell(ch.X)
		label := ch.Label
		if label == "" {
			label = labelOf(b.final.Cell(ch.Ys[0])) + " by " + labelOf(x)
		}
		w.WriteString(`<figure class="calc-chart" id="` + id + `" data-chart="` + b.id + "." + ch.Ys[0] + `" data-chart-index="` + strconv.Itoa(i) +
			`" data-chart-x="` + ch.X + `" data-chart-log="` + strconv.FormatBool(ch.Log) + `" data-chart-unit="` + num(b.final.Scale(ch.Ys[0])) + `">` + "\n")
		w.WriteString(`<svg viewBox="0 0 ` + strconv.Itoa(chartW) + " " + strconv.Itoa(chartH) + `" role="img" aria-labelledby="` + id + `-cap">`)
		w.WriteString(chartBody(b.final, ch, series))
		w.WriteString("</svg>\n")
		w.WriteString(`<figcaption id="` + id + `-cap">` + html.EscapeString(label))
		if len(ch.Ys) > 1 {
			w.WriteString(`<span class="calc-chart-legend">`)
			for j, y := range ch.Ys {
				w.WriteString(` <span class="calc-chart-key calc-chart-key-` + strconv.Itoa(j) + `">` + html.EscapeString(labelOf(b.final.Cell(y))) + `</span>`)
			}
			w.WriteString(`</span>`)
		}
		w.WriteString("</figcaption>\n")
		w.WriteString(`<details class="calc-chart-data"><summary>The numbers</summary><div class="table-wrap"><table><thead><tr><th scope="col">` + html.EscapeString(labelOf(x)) + `</th>`)
		for _, y := range ch.Ys {
			w.WriteString(`<th scope="col">` + html.EscapeString(labelOf(b.final.Cell(y))) + `</th>`)
		}
		w.WriteString("</tr></thead><tbody>\n")
		for k := range series.X {
			w.WriteString(`<tr><th scope="row">` + html.EscapeString(series.XText[k]) + `</th>`)
			for j := range ch.Ys {
				w.WriteString(`<td>` + html.EscapeString(series.YText[j][k]) + `</td>`)
			}
			w.WriteString("</tr>\n")
		}
		w.WriteString("</tbody></table></div></details>\n</figure>\n")
	}
}

// chartBody is the inside of a chart's SVG: gridlines with the y axis's
// labels, a few x labels, the lines, and a mark at the input's value.
func chartBody(s *calc.Sheet, ch *calc.Chart, ser *calc.Series) string {
	var w bytes.Buffer
	sc := newChartScale(ser.Y, s.Scale(ch.Ys[0]))
	w.WriteString(`<g class="calc-chart-grid">`)
	for t := sc.lo; t <= sc.hi+sc.step/2; t += sc.step {
		y := coord(sc.y(t))
		w.WriteString(`<line x1="` + strconv.Itoa(chartLeft) + `" x2="` + strconv.Itoa(chartW-chartRight) + `" y1="` + y + `" y2="` + y + `"/>`)
		// Labels sit above their gridlines, inside the plot: however long
		// a unit makes them, they never leave the picture.
		w.WriteString(`<text class="calc-chart-ylabel" x="` + strconv.Itoa(chartLeft) + `" y="` + coord(sc.y(t)-5) + `">` +
			html.EscapeString(s.FormatValue(ch.Ys[0], t)) + `</text>`)
	}
	n := len(ser.X)
	for k := 0; k < n; k += (n - 1) / 4 {
		cls := "calc-chart-xlabel"
		if k%((n-1)/2) != 0 {
			cls += " calc-chart-xminor" // hidden on phones, where labels grow
		}
		w.WriteString(`<text class="` + cls + `" x="` + coord(chartX(k, n)) + `" y="` + strconv.Itoa(chartH-10) + `" text-anchor="` + xAnchor(k, n) + `">` +
			html.EscapeString(ser.XText[k]) + `</text>`)
	}
	w.WriteString(`</g>`)
	for j, line := range ser.Y {
		w.WriteString(`<polyline class="calc-chart-line calc-chart-line-` + strconv.Itoa(j) + `" points="`)
		first := true
		for k, v := range line {
			if v != v {
				continue
			}
			if !first {
				w.WriteByte(' ')
			}
			first = false
			w.WriteString(coord(chartX(k, n)) + "," + coord(sc.y(v)))
		}
		w.WriteString(`"/>`)
	}
	if xi := s.Cell(ch.X); xi != nil {
		v := xi.Default.Value()
		if f, ok := chartFrac(ch, v); ok {
			x := coord(chartLeft + chartPlotW*f)
			w.WriteString(`<line class="calc-chart-now" x1="` + x + `" x2="` + x + `" y1="` + strconv.Itoa(chartTop) + `" y2="` + coord(chartTop+chartPlotH) + `"/>`)
		}
	}
	return w.String()
}

// chartFrac is where v falls along the chart's x axis, 0 to 1, if it does.
func chartFrac(ch *calc.Chart, v float64) (float64, bool) {
	f := (v - ch.From) / (ch.To - ch.From)
	if ch.Log {
		if v <= 0 {
			return 0, false
		}
		f = math.Log(v/ch.From) / math.Log(ch.To/ch.From)
	}
	return f, f >= 0 && f <= 1
}

// xAnchor keeps the first and last x labels inside the picture.
func xAnchor(k, n int) string {
	switch k {
	case 0:
		return "start"
	case n - 1:
		return "end"
	}
	return "middle"
}
