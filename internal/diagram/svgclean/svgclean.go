// Package svgclean rewrites the SVG that D2 writes into inline SVG that a
// strict Content-Security-Policy allows (no <style>, no style attributes)
// and that a site stylesheet can colour (D2's theme colour classes kept).
package svgclean

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Version names Clean's output format. Change it whenever Clean writes
// anything differently for the same input: caches of cleaned SVG are keyed
// by it.
const Version = "3"

// svgNS opens every SVG this package writes; SplitRoot relies on it.
const svgNS = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="`

// Clean rewrites D2's SVG so the page's Content-Security-Policy allows it
// and the site's CSS styles it:
//
//   - <style> and <script> elements, comments, processing instructions and
//     doctypes are removed (D2's <style> holds its fonts and theme colours,
//     which diagram.css replaces);
//   - style="…" becomes presentation attributes (fill=, stroke-width=, …) on
//     SVG elements; declarations with no such attribute, and all styles on
//     HTML inside <foreignObject>, are dropped, as are on…= handlers;
//   - links (href, xlink:href, src, action, formaction) that would run
//     script or load something other than a web page are dropped: only
//     relative URLs and http, https and mailto ones stay (D2 passes a
//     node's link: "javascript:…" through unchanged);
//   - class lists keep only the classes diagram.css knows;
//   - D2's two nested root <svg> become one, with the inner viewBox and no
//     width, height or attributes but xmlns; the white background
//     rectangle is removed;
//   - numbers in geometry are rounded to two decimals.
//
// Every tag and attribute is written back in one canonical form (names from
// a safe alphabet, values in double quotes), so what this parser saw is what
// a browser sees. Text never contains '<'; CDATA is written as escaped text.
func Clean(in []byte) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(len(in))
	type frame struct {
		name string
		emit bool // write the end tag
		html bool // inside <foreignObject>
	}
	var stack []frame
	viewBox := ""
	rootDepth := -1 // depth of the innermost root <svg> seen
	firstInRoot := false
	var body bytes.Buffer
	body.Grow(len(in))
	out := &body

	for i := 0; i < len(in); {
		if in[i] != '<' {
			j := bytes.IndexByte(in[i:], '<')
			if j < 0 {
				j = len(in) - i
			}
			text := in[i : i+j]
			if len(stack) == 0 {
				if len(bytes.TrimSpace(text)) > 0 {
					return nil, errors.New("text outside the root element")
				}
			} else {
				out.Write(text)
			}
			i += j
			continue
		}
		rest := in[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			j := bytes.Index(rest[4:], []byte("-->"))
			if j < 0 {
				return nil, errors.New("unterminated comment")
			}
			i += 4 + j + 3
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			j := bytes.Index(rest[9:], []byte("]]>"))
			if j < 0 {
				return nil, errors.New("unterminated CDATA section")
			}
			if len(stack) > 0 {
				out.WriteString(html.EscapeString(string(rest[9 : 9+j])))
			}
			i += 9 + j + 3
		case bytes.HasPrefix(rest, []byte("<?")):
			j := bytes.Index(rest, []byte("?>"))
			if j < 0 {
				return nil, errors.New("unterminated processing instruction")
			}
			i += j + 2
		case bytes.HasPrefix(rest, []byte("<!")):
			j := bytes.IndexByte(rest, '>')
			if j < 0 {
				return nil, errors.New("unterminated declaration")
			}
			i += j + 1
		case bytes.HasPrefix(rest, []byte("</")):
			name, n := tagName(rest[2:])
			if name == "" {
				return nil, errors.New("bad end tag")
			}
			k := 2 + n
			for k < len(rest) && isSpace(rest[k]) {
				k++
			}
			if k >= len(rest) || rest[k] != '>' {
				return nil, fmt.Errorf("bad end tag </%s", name)
			}
			if len(stack) == 0 || !strings.EqualFold(stack[len(stack)-1].name, name) {
				return nil, fmt.Errorf("unexpected </%s>", name)
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top.emit {
				out.WriteString("</" + top.name + ">")
			}
			i += k + 1
		default:
			t, n, err := parseTag(rest)
			if err != nil {
				return nil, err
			}
			i += n
			lname := strings.ToLower(t.name)
			if lname == "style" || lname == "script" {
				if !t.selfClosing {
					j := indexFold(in[i:], "</"+lname)
					if j < 0 {
						return nil, fmt.Errorf("unterminated <%s>", lname)
					}
					k := bytes.IndexByte(in[i+j:], '>')
					if k < 0 {
						return nil, fmt.Errorf("unterminated </%s", lname)
					}
					i += j + k + 1
				}
				continue
			}
			depth := len(stack)
			if depth == 0 && lname != "svg" {
				return nil, fmt.Errorf("root element is <%s>, not <svg>", t.name)
			}
			if depth == 0 && rootDepth >= 0 {
				return nil, errors.New("more than one root element")
			}
			inHTML := depth > 0 && (stack[depth-1].html || strings.EqualFold(stack[depth-1].name, "foreignObject"))
			// D2 nests its diagram <svg> in a wrapper <svg>: both become
			// the one root.
			if lname == "svg" && (depth == 0 || (depth == 1 && rootDepth == 0 && firstInRoot)) {
				rootDepth = depth
				if vb, ok := t.attr("viewBox"); ok {
					viewBox = vb
				}
				firstInRoot = true
				if !t.selfClosing {
					stack = append(stack, frame{name: t.name})
				}
				continue
			}
			if firstInRoot {
				firstInRoot = false
				// D2's background: the page's own shows instead.
				if lname == "rect" && t.selfClosing {
					if c, _ := t.attr("class"); strings.TrimSpace(c) == "fill-N7" {
						continue
					}
				}
			}
			t.clean(inHTML)
			t.write(out)
			if !t.selfClosing {
				stack = append(stack, frame{name: t.name, emit: true, html: inHTML})
			}
		}
	}
	if len(stack) > 0 {
		return nil, fmt.Errorf("unclosed <%s>", stack[len(stack)-1].name)
	}
	if rootDepth < 0 {
		return nil, errors.New("no <svg> element")
	}
	vb, ok := cleanViewBox(viewBox)
	if !ok {
		return nil, fmt.Errorf("bad viewBox %q", viewBox)
	}
	b.WriteString(svgNS + vb + `">`)
	b.Write(body.Bytes())
	b.WriteString("</svg>")
	return b.Bytes(), nil
}

// SplitRoot takes apart an SVG written by Clean into its root's viewBox
// and its content; ok is false if svg is not Clean's output.
func SplitRoot(svg []byte) (viewBox string, body []byte, ok bool) {
	rest, found := bytes.CutPrefix(svg, []byte(svgNS))
	if !found {
		return "", nil, false
	}
	vb, rest, found := bytes.Cut(rest, []byte(`">`))
	if !found {
		return "", nil, false
	}
	body, found = bytes.CutSuffix(rest, []byte("</svg>"))
	if !found {
		return "", nil, false
	}
	if _, ok := cleanViewBox(string(vb)); !ok {
		return "", nil, false
	}
	return string(vb), body, true
}

// cleanViewBox checks a viewBox is four numbers with a positive size, and
// writes it compactly.
func cleanViewBox(s string) (string, bool) {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })
	if len(f) != 4 {
		return "", false
	}
	var out [4]string
	for i, v := range f {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) || (i >= 2 && x <= 0) {
			return "", false
		}
		out[i] = formatNum(x)
	}
	return strings.Join(out[:], " "), true
}

// ViewBoxWidth returns the width in a viewBox from SplitRoot.
func ViewBoxWidth(vb string) float64 {
	f := strings.Fields(vb)
	if len(f) != 4 {
		return 0
	}
	w, _ := strconv.ParseFloat(f[2], 64)
	return w
}

type attr struct{ name, value string } // value as it appears in the source, entities and all

type tag struct {
	name        string
	attrs       []attr
	selfClosing bool
}

func (t *tag) attr(name string) (string, bool) {
	for _, a := range t.attrs {
		if strings.EqualFold(a.name, name) {
			return a.value, true
		}
	}
	return "", false
}

// set replaces an attribute's value or adds it.
func (t *tag) set(name, value string) {
	for i, a := range t.attrs {
		if strings.EqualFold(a.name, name) {
			t.attrs[i].value = value
			return
		}
	}
	t.attrs = append(t.attrs, attr{name, value})
}

// urlAttrs are the attributes whose value is a URL a browser follows or
// loads.
var urlAttrs = map[string]bool{"href": true, "xlink:href": true, "src": true, "action": true, "formaction": true}

// SafeURL reports whether a link (as written in an attribute, entities and
// all) is relative or uses http, https or mailto. Entities are decoded and
// the tabs and newlines browsers ignore are removed first, so
// "java&#x09;script:" is caught.
func SafeURL(v string) bool {
	v = strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, html.UnescapeString(v))
	colon := strings.IndexByte(v, ':')
	if colon < 0 || strings.ContainsAny(v[:colon], "/?#") {
		return true // no scheme: relative
	}
	switch strings.ToLower(v[:colon]) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// clean applies Clean's rules to one element's attributes.
func (t *tag) clean(inHTML bool) {
	var style string
	kept := t.attrs[:0]
	for _, a := range t.attrs {
		lname := strings.ToLower(a.name)
		switch {
		case strings.HasPrefix(lname, "on"):
			continue
		case urlAttrs[lname] && !SafeURL(a.value):
			continue
		case lname == "style":
			style += ";" + html.UnescapeString(a.value)
			continue
		case lname == "class":
			a.value = cleanClass(a.value)
			if a.value == "" {
				continue
			}
		case numericAttrs[a.name]:
			a.value = roundNumbers(a.value)
		}
		kept = append(kept, a)
	}
	t.attrs = kept
	if inHTML || style == "" {
		return
	}
	// Later declarations win, and style beats a presentation attribute.
	for decl := range strings.SplitSeq(style, ";") {
		prop, value, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		prop = strings.ToLower(strings.TrimSpace(prop))
		value = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "!important"))
		if !presentationAttrs[prop] || value == "" {
			continue
		}
		if numericAttrs[prop] {
			value = roundNumbers(value)
		}
		t.set(prop, html.EscapeString(value))
	}
}

// write writes the element's start tag in canonical form.
func (t *tag) write(b *bytes.Buffer) {
	b.WriteByte('<')
	b.WriteString(t.name)
	for _, a := range t.attrs {
		b.WriteByte(' ')
		b.WriteString(a.name)
		b.WriteString(`="`)
		b.WriteString(strings.ReplaceAll(a.value, `"`, "&quot;"))
		b.WriteByte('"')
	}
	if t.selfClosing {
		b.WriteString("/>")
	} else {
		b.WriteByte('>')
	}
}

// parseTag reads a start tag at the start of s ("<name attr=… >"), returning
// it and its length. Like a browser, it takes a '/' that does not end the
// tag as a separator between attributes.
func parseTag(s []byte) (tag, int, error) {
	var t tag
	name, n := tagName(s[1:])
	if name == "" {
		return t, 0, errors.New("bad tag: '<' not followed by a name")
	}
	t.name = name
	i := 1 + n
	for {
		for i < len(s) && (isSpace(s[i]) || (s[i] == '/' && (i+1 >= len(s) || s[i+1] != '>'))) {
			i++
		}
		if i >= len(s) {
			return t, 0, fmt.Errorf("unterminated <%s>", name)
		}
		if s[i] == '>' {
			return t, i + 1, nil
		}
		if s[i] == '/' { // "/>"
			t.selfClosing = true
			return t, i + 2, nil
		}
		aname, n := attrName(s[i:])
		if aname == "" {
			return t, 0, fmt.Errorf("bad attribute in <%s>", name)
		}
		i += n
		j := i
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		value := ""
		if j < len(s) && s[j] == '=' {
			j++
			for j < len(s) && isSpace(s[j]) {
				j++
			}
			if j >= len(s) {
				return t, 0, fmt.Errorf("unterminated <%s>", name)
			}
			switch q := s[j]; q {
			case '"', '\'':
				k := bytes.IndexByte(s[j+1:], q)
				if k < 0 {
					return t, 0, fmt.Errorf("unterminated attribute %s in <%s>", aname, name)
				}
				value = string(s[j+1 : j+1+k])
				j += k + 2
			default:
				k := j
				for k < len(s) && !isSpace(s[k]) && s[k] != '>' {
					k++
				}
				value = string(s[j:k])
				j = k
			}
			i = j
		}
		for _, a := range t.attrs {
			if strings.EqualFold(a.name, aname) {
				// A browser keeps the first; so do we.
				goto next
			}
		}
		t.attrs = append(t.attrs, attr{aname, value})
	next:
	}
}

// tagName reads an element name: a letter, then letters, digits, ':', '_',
// '.' or '-'. It returns "" if s does not start with one.
func tagName(s []byte) (string, int) {
	if len(s) == 0 || !isLetter(s[0]) {
		return "", 0
	}
	n := 1
	for n < len(s) && (isLetter(s[n]) || isDigit(s[n]) || s[n] == ':' || s[n] == '_' || s[n] == '.' || s[n] == '-') {
		n++
	}
	return string(s[:n]), n
}

// attrName reads an attribute name from the same alphabet as tagName.
func attrName(s []byte) (string, int) {
	if len(s) == 0 || !(isLetter(s[0]) || s[0] == '_') {
		return "", 0
	}
	n := 1
	for n < len(s) && (isLetter(s[n]) || isDigit(s[n]) || s[n] == ':' || s[n] == '_' || s[n] == '.' || s[n] == '-') {
		n++
	}
	return string(s[:n]), n
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isSpace(c byte) bool  { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// indexFold finds sub (ASCII, lower case) in s ignoring case.
func indexFold(s []byte, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if bytes.EqualFold(s[i:i+len(sub)], []byte(sub)) {
			return i
		}
	}
	return -1
}

// presentationAttrs are the CSS properties that SVG also accepts as
// attributes, so a style="…" declaration can move into one.
var presentationAttrs = setOf(
	"alignment-baseline", "baseline-shift", "clip-path", "clip-rule", "color",
	"direction", "display", "dominant-baseline", "fill", "fill-opacity",
	"fill-rule", "filter", "flood-color", "flood-opacity", "font-family",
	"font-size", "font-size-adjust", "font-stretch", "font-style",
	"font-variant", "font-weight", "letter-spacing", "lighting-color",
	"marker-end", "marker-mid", "marker-start", "mask", "opacity",
	"overflow", "paint-order", "shape-rendering", "stop-color",
	"stop-opacity", "stroke", "stroke-dasharray", "stroke-dashoffset",
	"stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
	"stroke-opacity", "stroke-width", "text-anchor", "text-decoration",
	"text-rendering", "unicode-bidi", "vector-effect", "visibility",
	"word-spacing", "writing-mode",
)

// numericAttrs hold numbers worth rounding.
var numericAttrs = setOf(
	"x", "y", "x1", "x2", "y1", "y2", "dx", "dy", "width", "height", "r",
	"rx", "ry", "cx", "cy", "d", "points", "transform", "refX", "refY",
	"markerWidth", "markerHeight", "stroke-width", "stroke-dasharray",
	"stroke-dashoffset", "font-size", "opacity", "fill-opacity",
	"stroke-opacity", "viewBox",
)

// keptClasses are the classes diagram.css styles; the theme colour classes
// (fill-B6, …) are matched by isColorClass.
var keptClasses = setOf(
	"shape", "connection", "blend", "text", "text-bold", "text-italic",
	"text-mono", "text-mono-bold", "text-mono-italic", "text-underline",
	"md", "light-code", "dark-code",
	"dots-overlay", "lines-overlay", "grain-overlay", "paper-overlay",
)

func setOf(s ...string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, v := range s {
		m[v] = true
	}
	return m
}

// ThemeColors are D2's theme colour names; Clean keeps the classes fill-X,
// stroke-X and color-X for each.
var ThemeColors = []string{"N1", "N2", "N3", "N4", "N5", "N6", "N7", "B1", "B2", "B3", "B4", "B5", "B6", "AA2", "AA4", "AA5", "AB4", "AB5"}

var themeColorSet = setOf(ThemeColors...)

func isColorClass(c string) bool {
	for _, p := range []string{"fill-", "stroke-", "color-"} {
		if v, ok := strings.CutPrefix(c, p); ok {
			return themeColorSet[v]
		}
	}
	return false
}

// cleanClass drops classes no stylesheet targets: D2's per-diagram hash and
// the base64 IDs it gives every shape.
func cleanClass(v string) string {
	f := strings.Fields(v)
	kept := f[:0]
	for _, c := range f {
		if keptClasses[c] || isColorClass(c) {
			kept = append(kept, c)
		}
	}
	return strings.Join(kept, " ")
}

// roundNumbers rounds every decimal number in s ("296.500000",
// "-9.000000", "1.000000em") to two decimals without trailing zeros.
func roundNumbers(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if !isDigit(c) {
			b.WriteByte(c)
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
			k := j + 1
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			// Inside a longer token (1.2.3, 1.5e3) leave it alone.
			if (k < len(s) && (s[k] == '.' || isExponent(s[k:]))) || (i > 0 && s[i-1] == '.') {
				b.WriteString(s[i:k])
				i = k
				continue
			}
			x, err := strconv.ParseFloat(s[i:k], 64)
			if err != nil {
				b.WriteString(s[i:k])
			} else {
				r := formatNum(x)
				if r == "0" && i > 0 && s[i-1] == '-' && b.Len() > 0 {
					// "-0.001" → "0", not "-0".
					str := b.String()
					b.Reset()
					b.WriteString(str[:len(str)-1])
				}
				b.WriteString(r)
			}
			i = k
			continue
		}
		b.WriteString(s[i:j])
		i = j
	}
	return b.String()
}

// isExponent reports whether s starts with an exponent: e5, E-3, e+2.
func isExponent(s string) bool {
	if len(s) < 2 || (s[0] != 'e' && s[0] != 'E') {
		return false
	}
	if s[1] == '-' || s[1] == '+' {
		s = s[1:]
	}
	return len(s) >= 2 && isDigit(s[1])
}

// formatNum writes x with at most two decimals and no trailing zeros.
func formatNum(x float64) string {
	s := strconv.FormatFloat(math.Round(x*100)/100, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	s = strings.TrimSuffix(s, ".")
	if s == "-0" {
		s = "0"
	}
	return s
}

// canonical matches Clean's output piece by piece: text without '<', end
// tags, and start tags whose attributes are name="value" with no quote
// inside.
var (
	canonical  = regexp.MustCompile(`^(?:[^<]+|</[A-Za-z][A-Za-z0-9:_.-]*>|<([A-Za-z][A-Za-z0-9:_.-]*)((?: [A-Za-z_][A-Za-z0-9:_.-]*="[^"]*")*)/?>)`)
	attrNames  = regexp.MustCompile(` ([A-Za-z_][A-Za-z0-9:_.-]*)="`)
	attrValues = regexp.MustCompile(` ([A-Za-z_][A-Za-z0-9:_.-]*)="([^"]*)"`)
)

// Check reports whether svg has the form Clean writes, with no <style> or
// <script> element, style attribute, event handler or unsafe link. Because that form is
// unambiguous, a browser parses exactly what Check saw.
func Check(svg []byte) error {
	if _, _, ok := SplitRoot(svg); !ok {
		return errors.New("not a root <svg> from Clean")
	}
	for rest := svg; len(rest) > 0; {
		m := canonical.FindSubmatch(rest)
		if m == nil {
			return fmt.Errorf("not canonical at %.40q", rest)
		}
		if name := strings.ToLower(string(m[1])); name == "style" || name == "script" {
			return fmt.Errorf("has a <%s> element", name)
		}
		for _, a := range attrNames.FindAllSubmatch(m[2], -1) {
			if an := strings.ToLower(string(a[1])); an == "style" || strings.HasPrefix(an, "on") {
				return fmt.Errorf("has a %s attribute in %.80q", an, m[0])
			}
		}
		for _, a := range attrValues.FindAllSubmatch(m[2], -1) {
			if urlAttrs[strings.ToLower(string(a[1]))] && !SafeURL(string(a[2])) {
				return fmt.Errorf("has an unsafe link in %.80q", m[0])
			}
		}
		rest = rest[len(m[0]):]
	}
	return nil
}
