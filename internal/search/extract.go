package search

import (
	"bytes"
	"html"
	"strings"
)

// A page's sections (markdown.Doc.Sections) hold its prose. What the build
// rendered into finished HTML at parse time is not in them: code, diagrams
// and calculators. extract reads those back from the page's HTML, which is
// their public form: the calculator markup is the documented contract with
// calc.js and themes (the root carries the id, inputs and outputs carry
// data-cell="ID.CELL", each has a <label> or row header), code is in <pre>,
// a diagram is a <figure class="diagram"> whose SVG holds <title> and
// <text>. Reading the HTML keeps the Markdown package and the calculator
// package free of any knowledge of search.

// extracted is what a page's HTML adds to its sections, by section index.
type extracted struct {
	code    map[int][]string // text of each code block
	diagram map[int][]string // a diagram's title and labels
	calcs   []calcBlock
}

type calcBlock struct {
	section int
	anchor  string // the calculator's element id
	cells   []calcCell
}

type calcCell struct{ name, label string }

// extract scans page HTML. ids are the sections' anchors in order (the
// first, "", is the text before any heading); a block belongs to the
// section of the last h1–h3 whose id is a later section's anchor.
func extract(h []byte, ids []string) extracted {
	out := extracted{code: map[int][]string{}, diagram: map[int][]string{}}
	cur := 0
	eachStartTag(h, func(t tag, i int) int {
		switch t.name {
		case "h1", "h2", "h3":
			if id, ok := t.attr("id"); ok {
				for k := cur + 1; k < len(ids); k++ {
					if ids[k] == id {
						cur = k
						break
					}
				}
			}
		case "pre":
			body, next := until(h, i, "</pre>")
			if s := textOf(body); s != "" {
				out.code[cur] = append(out.code[cur], s)
			}
			return next
		case "figure":
			if !t.hasClass("diagram") {
				break
			}
			body, next := until(h, i, "</figure>")
			if s := diagramText(body); s != "" {
				out.diagram[cur] = append(out.diagram[cur], s)
			}
			return next
		case "section":
			if !t.hasClass("calc") {
				break
			}
			body, next := until(h, i, "</section>")
			if id, _ := t.attr("id"); id != "" {
				out.calcs = append(out.calcs, calcBlock{section: cur, anchor: id, cells: calcCells(body)})
			}
			return next
		}
		return i
	})
	return out
}

// calcCells lists a calculator's visible cells: each element carrying
// data-cell="ID.NAME", with the text of the <label> or <th> before it.
func calcCells(h []byte) []calcCell {
	var cells []calcCell
	label := ""
	eachStartTag(h, func(t tag, i int) int {
		switch t.name {
		case "label", "th":
			body, next := until(h, i, "</"+t.name+">")
			label = textOf(body)
			return next
		}
		if ref, ok := t.attr("data-cell"); ok {
			if _, name, _ := strings.Cut(ref, "."); name != "" {
				cells = append(cells, calcCell{name: name, label: label})
			}
			label = ""
		}
		return i
	})
	return cells
}

// diagramText is the text a diagram shows or announces: its <title>,
// <desc> and <text> elements, in order.
func diagramText(h []byte) string {
	var parts []string
	eachStartTag(h, func(t tag, i int) int {
		switch t.name {
		case "title", "desc", "text", "figcaption":
			body, next := until(h, i, "</"+t.name+">")
			if s := textOf(body); s != "" {
				parts = append(parts, s)
			}
			return next
		}
		return i
	})
	return strings.Join(parts, " · ")
}

// eachStartTag calls f with each start tag of h, in order, and the index
// just after it; f returns where to read on: that index, or the end of the
// element's content when it took that content (until).
func eachStartTag(h []byte, f func(t tag, after int) int) {
	for i := 0; i < len(h); {
		j := bytes.IndexByte(h[i:], '<')
		if j < 0 {
			return
		}
		i += j
		t := readTag(h, i)
		if t.end <= i {
			i++
			continue
		}
		i = t.end
		if !t.closing {
			i = f(t, i)
		}
	}
}

// until returns h[from:] up to the first closing tag end (ASCII, any
// case), and the index after it; the rest of h when there is none.
func until(h []byte, from int, end string) ([]byte, int) {
	rest := h[from:]
	e := []byte(end)
	for k := 0; k+len(end) <= len(rest); {
		j := bytes.IndexByte(rest[k:], '<')
		if j < 0 {
			break
		}
		k += j
		if k+len(end) <= len(rest) && bytes.EqualFold(rest[k:k+len(e)], e) {
			return rest[:k], from + k + len(end)
		}
		k++
	}
	return rest, len(h)
}

// textOf is the text of an HTML fragment: tags dropped (each a word
// break), character references resolved, white space collapsed.
func textOf(h []byte) string {
	var b strings.Builder
	for i := 0; i < len(h); {
		j := bytes.IndexByte(h[i:], '<')
		if j < 0 {
			b.Write(h[i:])
			break
		}
		b.Write(h[i : i+j])
		i += j
		t := readTag(h, i)
		if t.end <= i {
			b.WriteByte('<')
			i++
			continue
		}
		if t.name != "span" && t.name != "a" && t.name != "code" && t.name != "tspan" {
			b.WriteByte(' ')
		}
		i = t.end
	}
	s := b.String()
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// tag is a start or end tag read by readTag.
type tag struct {
	name    string // lowercase
	attrs   []byte // the raw attribute text
	closing bool
	end     int // index after '>'; not after start when h[start] starts no tag
}

// readTag reads the tag at h[start] ('<'). Attribute values may be quoted
// with either quote and hold '>'.
func readTag(h []byte, start int) tag {
	t := tag{end: start}
	i := start + 1
	if i < len(h) && h[i] == '/' {
		t.closing = true
		i++
	}
	n := i
	for i < len(h) && (h[i] >= 'a' && h[i] <= 'z' || h[i] >= 'A' && h[i] <= 'Z' || h[i] >= '0' && h[i] <= '9' || h[i] == '-' || h[i] == ':') {
		i++
	}
	if i == n {
		return t // "<" not starting a tag, a comment or a doctype
	}
	t.name = strings.ToLower(string(h[n:i]))
	a := i
	var quote byte
	for ; i < len(h); i++ {
		c := h[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			t.attrs = h[a:i]
			t.end = i + 1
			return t
		}
	}
	return tag{end: start} // unterminated
}

// attr returns the value of the attribute named name, unescaped.
func (t tag) attr(name string) (string, bool) {
	a := t.attrs
	for i := 0; i < len(a); {
		for i < len(a) && (a[i] == ' ' || a[i] == '\t' || a[i] == '\n' || a[i] == '\r' || a[i] == '/') {
			i++
		}
		n := i
		for i < len(a) && a[i] != '=' && a[i] != ' ' && a[i] != '\t' && a[i] != '\n' && a[i] != '\r' && a[i] != '/' {
			i++
		}
		key := a[n:i]
		if len(key) == 0 {
			i++
			continue
		}
		val := ""
		if i < len(a) && a[i] == '=' {
			i++
			if i < len(a) && (a[i] == '"' || a[i] == '\'') {
				q := a[i]
				i++
				v := i
				for i < len(a) && a[i] != q {
					i++
				}
				val = string(a[v:i])
				i++
			} else {
				v := i
				for i < len(a) && a[i] != ' ' && a[i] != '\t' && a[i] != '\n' && a[i] != '\r' {
					i++
				}
				val = string(a[v:i])
			}
		}
		if string(key) == name || strings.EqualFold(string(key), name) {
			return html.UnescapeString(val), true
		}
	}
	return "", false
}

func (t tag) hasClass(c string) bool {
	v, _ := t.attr("class")
	for _, f := range strings.Fields(v) {
		if f == c {
			return true
		}
	}
	return false
}
