package highlight

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
)

// TestCodeContrast reads the generated stylesheet the way a browser would
// (a small cascade: selectors scoped by :root, the dark media query and
// html[data-theme], specificity, custom properties) and checks that the
// text of every chroma token class reaches 4.5:1 against the background it
// is drawn on, for each way a reader can end up in a theme. It knows
// nothing of how CSS builds the stylesheet, so a rule that leaks from one
// theme into the other (the light .nb on the dark background) fails it.
func TestCodeContrast(t *testing.T) {
	pairs := [][2]string{
		{"github", "github-dark"}, // the guide's
		{"friendly", "monokai"},
		{"solarized-light", "solarized-dark"},
		{"vs", "dracula"},
		{"tango", "native"},
	}
	contexts := []struct {
		name     string
		theme    string // html[data-theme]
		darkOS   bool   // prefers-color-scheme: dark
		wantDark bool
	}{
		{"light system", "", false, false},
		{"light chosen on a dark system", "light", true, false},
		{"dark system", "", true, true},
		{"dark chosen on a light system", "dark", false, true},
	}
	for _, pair := range pairs {
		css, err := CSS(pair[0], pair[1])
		if err != nil {
			t.Fatal(err)
		}
		rules := parseCSS(t, string(css))
		for _, ctx := range contexts {
			t.Run(pair[0]+"/"+pair[1]+"/"+ctx.name, func(t *testing.T) {
				c := cascade{rules: rules, theme: ctx.theme, darkOS: ctx.darkOS}
				codeFG, ok := c.colour(".chroma", "color")
				if !ok {
					t.Fatal(".chroma has no colour of its own: it would inherit the page's")
				}
				codeBG, ok := c.colour(".chroma", "background-color")
				if !ok {
					t.Fatal(".chroma has no background of its own")
				}
				hlBG, hasHL := c.colour(".chroma .hl", "background-color")
				checked := 0
				for tt, class := range chroma.StandardTypes {
					if class == "" || class == "chroma" || class == "bg" {
						continue
					}
					sel := ".chroma ." + class
					fg, ok := c.colour(sel, "color")
					if !ok {
						fg = codeFG // inherited
					}
					bgs := map[string][3]uint8{"code background": codeBG}
					if bg, ok := c.colour(sel, "background-color"); ok {
						bgs = map[string][3]uint8{"its own background": bg}
					} else if hasHL {
						bgs["highlighted line"] = hlBG
					}
					for where, bg := range bgs {
						checked++
						if r := wcag(fg, bg); r < 4.5 {
							t.Errorf(".%s (%s): %s on %s (%s) is %.2f:1, below 4.5:1", class, tt, hex(fg), hex(bg), where, r)
						}
					}
				}
				if checked < len(chroma.StandardTypes) {
					t.Errorf("checked %d colour pairs for %d token types", checked, len(chroma.StandardTypes))
				}
				// The theme must actually be the one the reader is in.
				if dark := luminance(chroma.NewColour(codeBG[0], codeBG[1], codeBG[2])) < 0.2; dark != ctx.wantDark {
					t.Errorf("code background %s in the %s context", hex(codeBG), ctx.name)
				}
			})
		}
	}
}

// TestEnsure: a colour that already reads is kept; one that does not moves
// only as far as it must.
func TestEnsure(t *testing.T) {
	white, dark := chroma.MustParseColour("#ffffff"), chroma.MustParseColour("#0d1117")
	for _, tc := range []struct {
		fg, bg chroma.Colour
	}{
		{chroma.MustParseColour("#6639ba"), dark},  // github's .nb on github-dark
		{chroma.MustParseColour("#7f7f7f"), white}, // github's line numbers
		{chroma.MustParseColour("#ffffff"), white},
		{chroma.MustParseColour("#000000"), dark},
		{chroma.MustParseColour("#777777"), chroma.MustParseColour("#777777")},
		{chroma.MustParseColour("#1f2328"), white},
	} {
		got := ensure(tc.fg, tc.bg)
		if r := contrast(got, tc.bg); r < MinContrast {
			t.Errorf("ensure(%s, %s) = %s, %.2f:1", tc.fg, tc.bg, got, r)
		}
		if contrast(tc.fg, tc.bg) >= MinContrast && got != tc.fg {
			t.Errorf("ensure(%s, %s) changed a readable colour to %s", tc.fg, tc.bg, got)
		}
		// One step less would not do.
		if got != tc.fg {
			to := farthest(tc.bg)
			for i := 0; i <= 256; i++ {
				if mix(tc.fg, to, float64(i)/256) == got {
					if i > 0 && contrast(mix(tc.fg, to, float64(i-1)/256), tc.bg) >= MinContrast {
						t.Errorf("ensure(%s, %s) = %s moved further than needed", tc.fg, tc.bg, got)
					}
					break
				}
			}
		}
	}
}

func TestCSSDeterministicAndChecked(t *testing.T) {
	a, err := CSS("github", "github-dark")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := CSS("github", "github-dark")
	if string(a) != string(b) {
		t.Error("CSS differs between two calls")
	}
	for _, bad := range [][2]string{{"nosuchstyle", "github-dark"}, {"github", "nosuchstyle"}} {
		if _, err := CSS(bad[0], bad[1]); err == nil || !strings.Contains(err.Error(), "nosuchstyle") {
			t.Errorf("CSS(%q, %q) error = %v", bad[0], bad[1], err)
		}
	}
}

// cssRule is one rule of a flat stylesheet (one level of @media at most).
type cssRule struct {
	selectors []string
	media     string
	decls     map[string]string
	order     int
}

var commentRE = regexp.MustCompile(`(?s)/\*.*?\*/`)

func parseCSS(t *testing.T, css string) []cssRule {
	t.Helper()
	css = commentRE.ReplaceAllString(css, "")
	var rules []cssRule
	var parse func(s, media string)
	parse = func(s, media string) {
		for {
			s = strings.TrimSpace(s)
			if s == "" {
				return
			}
			open := strings.IndexByte(s, '{')
			if open < 0 {
				t.Fatalf("CSS: no block in %q", s)
			}
			head := strings.TrimSpace(s[:open])
			depth, end := 0, -1
			for i := open; i < len(s); i++ {
				if s[i] == '{' {
					depth++
				} else if s[i] == '}' {
					if depth--; depth == 0 {
						end = i
						break
					}
				}
			}
			if end < 0 {
				t.Fatalf("CSS: unclosed block after %q", head)
			}
			body := s[open+1 : end]
			s = s[end+1:]
			if strings.HasPrefix(head, "@media") {
				parse(body, strings.TrimSpace(strings.TrimPrefix(head, "@media")))
				continue
			}
			r := cssRule{media: media, decls: map[string]string{}, order: len(rules)}
			for _, sel := range strings.Split(head, ",") {
				r.selectors = append(r.selectors, strings.Join(strings.Fields(sel), " "))
			}
			for _, d := range strings.Split(body, ";") {
				k, v, ok := strings.Cut(d, ":")
				if ok {
					r.decls[strings.TrimSpace(k)] = strings.TrimSpace(v)
				}
			}
			rules = append(rules, r)
		}
	}
	parse(css, "")
	return rules
}

// cascade answers "what is this property of this element" for one reader's
// situation.
type cascade struct {
	rules  []cssRule
	theme  string
	darkOS bool
}

// rootMatches reports whether a selector's :root part matches <html> here.
func (c cascade) rootMatches(root string) bool {
	if !strings.HasPrefix(root, ":root") {
		return false
	}
	rest := root[len(":root"):]
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, `[data-theme="`):
			v, after, _ := strings.Cut(rest[len(`[data-theme="`):], `"]`)
			if c.theme != v {
				return false
			}
			rest = after
		case strings.HasPrefix(rest, `:not([data-theme="`):
			v, after, _ := strings.Cut(rest[len(`:not([data-theme="`):], `"])`)
			if c.theme == v {
				return false
			}
			rest = after
		default:
			return false
		}
	}
	return true
}

func (c cascade) mediaMatches(m string) bool {
	switch m {
	case "":
		return true
	case "(prefers-color-scheme: dark)":
		return c.darkOS
	case "(prefers-color-scheme: light)":
		return !c.darkOS
	}
	return false
}

// value is the cascaded value of prop on the element that el (".chroma",
// ".chroma .k", or "" for <html>) names, with custom properties resolved.
func (c cascade) value(el, prop string) (string, bool) {
	best, bestSpec, bestOrder := "", -1, -1
	for _, r := range c.rules {
		v, ok := r.decls[prop]
		if !ok || !c.mediaMatches(r.media) {
			continue
		}
		for _, sel := range r.selectors {
			root, rest, _ := strings.Cut(sel, " ")
			if rest != el || !c.rootMatches(root) {
				continue
			}
			spec := strings.Count(sel, ".") + strings.Count(sel, "[") + strings.Count(sel, ":root")
			if spec > bestSpec || spec == bestSpec && r.order > bestOrder {
				best, bestSpec, bestOrder = v, spec, r.order
			}
		}
	}
	if bestSpec < 0 {
		return "", false
	}
	for strings.Contains(best, "var(") {
		i := strings.Index(best, "var(")
		j := strings.IndexByte(best[i:], ')') + i
		name, fallback, hasFallback := strings.Cut(best[i+4:j], ",")
		v, ok := c.value("", strings.TrimSpace(name))
		if !ok {
			if !hasFallback {
				return "", false
			}
			v = strings.TrimSpace(fallback)
		}
		best = best[:i] + v + best[j+1:]
	}
	return best, true
}

// colour is a colour property, false when unset, transparent or inherited.
func (c cascade) colour(el, prop string) ([3]uint8, bool) {
	v, ok := c.value(el, prop)
	if !ok || v == "transparent" || v == "inherit" {
		return [3]uint8{}, false
	}
	v = strings.TrimPrefix(v, "#")
	if len(v) == 3 {
		v = string([]byte{v[0], v[0], v[1], v[1], v[2], v[2]})
	}
	n, err := strconv.ParseUint(v, 16, 32)
	if len(v) != 6 || err != nil {
		panic(fmt.Sprintf("%s %s: cannot read colour %q", el, prop, v))
	}
	return [3]uint8{uint8(n >> 16), uint8(n >> 8), uint8(n)}, true
}

// wcag is the contrast ratio by WCAG 2.x's formula, written out here
// rather than borrowed from the code under test.
func wcag(a, b [3]uint8) float64 {
	lum := func(c [3]uint8) float64 {
		var l [3]float64
		for i, v := range c {
			x := float64(v) / 255
			if x <= 0.04045 {
				l[i] = x / 12.92
			} else {
				l[i] = math.Pow((x+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
	}
	x := []float64{lum(a) + 0.05, lum(b) + 0.05}
	sort.Float64s(x)
	return x[1] / x[0]
}

func hex(c [3]uint8) string { return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]) }
