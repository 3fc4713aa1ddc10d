package highlight

import (
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/styles"
)

// MinContrast is the WCAG AA ratio every colour of code must reach against
// the background it is drawn on, in both themes.
const MinContrast = 4.5

// CSS returns the stylesheet for code: light colours by default, dark ones
// when the reader's system prefers dark and no light theme was chosen, or
// when the dark theme was chosen with the toggle (html[data-theme]). The
// selectors match the theme's own scheme so the two never disagree.
//
// The rules are written once and take their values from custom properties,
// and each theme sets every property. Two chroma stylesheets scoped one over
// the other would leak: a class the dark style leaves to its default text
// colour (github-dark has no .nb) would keep the light style's colour on the
// dark background. Colours that do not reach MinContrast against their
// background (the code's, a highlighted line's or the token's own) are
// moved towards black or white until they do, so any pair of chroma styles
// gives readable code.
func CSS(light, dark string) ([]byte, error) {
	if styles.Registry[light] == nil {
		return nil, errors.New("unknown chroma style " + strconv.Quote(light))
	}
	if styles.Registry[dark] == nil {
		return nil, errors.New("unknown chroma style " + strconv.Quote(dark))
	}
	lp, dp := paletteOf(styles.Registry[light]), paletteOf(styles.Registry[dark])

	var b strings.Builder
	b.WriteString("/* code colours: " + light + " / " + dark + " (generated, at least 4.5:1 in both themes) */\n")
	b.WriteString(":root {" + lp.vars(dp) + "}\n")
	b.WriteString("@media (prefers-color-scheme: dark) {\n")
	b.WriteString(`:root:not([data-theme="light"]) {` + dp.vars(lp) + "}\n")
	b.WriteString("}\n")
	b.WriteString(`:root[data-theme="dark"] {` + dp.vars(lp) + "}\n")
	// :root keeps these above the theme's own .code-block rules.
	b.WriteString(":root .chroma { color: var(--chroma-fg); background-color: var(--chroma-bg); -webkit-text-size-adjust: none; }\n")
	b.WriteString(":root .chroma .hl { background-color: var(--chroma-hl) }\n")
	b.WriteString(":root .chroma .line { display: flex; }\n")
	b.WriteString(":root .chroma .lnlinks { outline: none; text-decoration: none; color: inherit }\n")
	b.WriteString(":root .chroma .lntd { vertical-align: top; padding: 0; margin: 0; border: 0; }\n")
	b.WriteString(":root .chroma .lntable { border-spacing: 0; padding: 0; margin: 0; border: 0; }\n")
	b.WriteString(":root .chroma .ln, :root .chroma .lnt { white-space: pre; -webkit-user-select: none; user-select: none; margin-right: 0.4em; padding: 0 0.4em 0 0.4em; }\n")
	for _, c := range classes() {
		b.WriteString(":root .chroma ." + c + " {" + rule(c, lp.tokens[c], dp.tokens[c]) + " }\n")
	}
	return []byte(b.String()), nil
}

// structural types carry no colour of their own: their text is a token's or
// the code's.
var structural = map[chroma.TokenType]bool{
	chroma.Background: true, chroma.PreWrapper: true, chroma.Line: true, chroma.LineHighlight: true,
	chroma.LineTable: true, chroma.LineTableTD: true, chroma.LineLink: true, chroma.CodeLine: true, chroma.Text: true,
}

// classes lists the class of every coloured token type, sorted.
func classes() []string {
	var out []string
	for t, c := range chroma.StandardTypes {
		if c != "" && !structural[t] {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// token is one class's look in one theme; bg is zero when the token is
// drawn on the code's (or a highlighted line's) background.
type token struct {
	fg, bg                  chroma.Colour
	bold, italic, underline bool
}

// palette is one chroma style resolved into the colours the page shows.
type palette struct {
	fg, bg, hl chroma.Colour
	tokens     map[string]token
}

// paletteOf resolves every class of a style (chroma's own inheritance:
// token, subcategory, category, text, background) and raises contrast
// where it falls short.
func paletteOf(s *chroma.Style) palette {
	bgEntry := s.Get(chroma.Background)
	p := palette{fg: bgEntry.Colour, bg: bgEntry.Background, tokens: map[string]token{}}
	if !p.bg.IsSet() {
		p.bg = chroma.NewColour(255, 255, 255)
	}
	// A highlighted line is a band a little off the code's background: a
	// style's strong one (github-dark's grey) would leave no colour room
	// to read on it, so it moves towards the background until it is gentle.
	p.hl = s.Get(chroma.LineHighlight).Background
	if !p.hl.IsSet() || p.hl == p.bg {
		p.hl = mix(p.bg, farthest(p.bg), 0.08)
	}
	for i := 0; i < 64 && contrast(p.hl, p.bg) > maxBandContrast; i++ {
		p.hl = mix(p.hl, p.bg, 1.0/16)
	}
	if !p.fg.IsSet() {
		p.fg = farthest(p.bg)
	}
	p.fg = ensure(p.fg, p.bg, p.hl)
	for t, c := range chroma.StandardTypes {
		if c == "" || structural[t] {
			continue
		}
		e := s.Get(t)
		tk := token{fg: e.Colour, bold: e.Bold == chroma.Yes, italic: e.Italic == chroma.Yes, underline: e.Underline == chroma.Yes}
		if !tk.fg.IsSet() {
			tk.fg = p.fg
		}
		if e.Background.IsSet() && e.Background != p.bg {
			tk.bg = e.Background
			tk.fg = ensure(tk.fg, tk.bg)
		} else {
			tk.fg = ensure(tk.fg, p.bg, p.hl)
		}
		p.tokens[c] = tk
	}
	return p
}

// maxBandContrast bounds how far a highlighted line's background may stand
// from the code's.
const maxBandContrast = 1.3

// vars sets every custom property of the palette; other is the other
// theme's palette, for properties only one of the two needs (a bold class,
// a token background) that must still be reset in this one.
func (p palette) vars(other palette) string {
	var b strings.Builder
	w := func(name, v string) { b.WriteString(" --chroma-" + name + ": " + v + ";") }
	w("fg", p.fg.String())
	w("bg", p.bg.String())
	w("hl", p.hl.String())
	for _, c := range classes() {
		t, o := p.tokens[c], other.tokens[c]
		w(c, t.fg.String())
		if t.bg.IsSet() || o.bg.IsSet() {
			w(c+"-bg", cmpOr(t.bg, "transparent"))
		}
		if t.bold || o.bold {
			w(c+"-w", pick(t.bold, "bold", "normal"))
		}
		if t.italic || o.italic {
			w(c+"-i", pick(t.italic, "italic", "normal"))
		}
		if t.underline || o.underline {
			w(c+"-u", pick(t.underline, "underline", "none"))
		}
	}
	return b.String()
}

// rule is one class's declarations, naming the properties either theme sets.
func rule(c string, l, d token) string {
	s := " color: var(--chroma-" + c + ");"
	if l.bg.IsSet() || d.bg.IsSet() {
		s += " background-color: var(--chroma-" + c + "-bg);"
	}
	if l.bold || d.bold {
		s += " font-weight: var(--chroma-" + c + "-w);"
	}
	if l.italic || d.italic {
		s += " font-style: var(--chroma-" + c + "-i);"
	}
	if l.underline || d.underline {
		s += " text-decoration: var(--chroma-" + c + "-u);"
	}
	return s
}

func cmpOr(c chroma.Colour, none string) string {
	if c.IsSet() {
		return c.String()
	}
	return none
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// luminance is WCAG 2's relative luminance of an sRGB colour.
func luminance(c chroma.Colour) float64 {
	ch := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.Red()) + 0.7152*ch(c.Green()) + 0.0722*ch(c.Blue())
}

// contrast is WCAG 2's contrast ratio of two colours, from 1 to 21.
func contrast(a, b chroma.Colour) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// farthest is black or white, whichever contrasts more with bg.
func farthest(bg chroma.Colour) chroma.Colour {
	black, white := chroma.NewColour(0, 0, 0), chroma.NewColour(255, 255, 255)
	if contrast(black, bg) >= contrast(white, bg) {
		return black
	}
	return white
}

// mix goes a fraction t of the way from a to b, in sRGB, rounded to a
// colour CSS can name.
func mix(a, b chroma.Colour, t float64) chroma.Colour {
	m := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return chroma.NewColour(m(a.Red(), b.Red()), m(a.Green(), b.Green()), m(a.Blue(), b.Blue()))
}

// ensure returns fg, or the colour nearest to it on the way to black or
// white that reaches MinContrast on every one of bgs (which lie on the
// same side of the way: the code's background and a band near it).
func ensure(fg chroma.Colour, bgs ...chroma.Colour) chroma.Colour {
	to := farthest(bgs[0])
	for i := 0; i <= 256; i++ {
		c := mix(fg, to, float64(i)/256)
		if readable(c, bgs) {
			return c
		}
	}
	return to
}

func readable(c chroma.Colour, bgs []chroma.Colour) bool {
	for _, bg := range bgs {
		if contrast(c, bg) < MinContrast {
			return false
		}
	}
	return true
}
