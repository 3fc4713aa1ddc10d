package check

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
)

// Ref is one URL that a file of the site refers to.
type Ref struct {
	// Line is the 1-based line of the attribute (or of the CSS url()).
	Line int
	// Kind names what the URL is for, as it reads in a message: "link
	// to", "image", "script", "stylesheet", …
	Kind string
	URL  string
}

// page is what a file of the site holds for the checker: the URLs it refers
// to, the ids that fragments may target, and the <base href> if any.
type page struct {
	refs []Ref
	ids  map[string]bool
	base string
}

// parseHTML reads an HTML (or SVG) document with the tokenizer, keeping the
// line of each URL-bearing attribute. Tokens that are not tags (text,
// scripts, styles, comments) only advance the line count.
func parseHTML(data []byte) *page {
	p := &page{ids: map[string]bool{}}
	z := html.NewTokenizer(bytes.NewReader(data))
	line := 1
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			// io.EOF: the tokenizer recovers from malformed HTML, and
			// reading from memory cannot fail otherwise.
			break
		}
		raw := z.Raw()
		start := line
		line += bytes.Count(raw, []byte{'\n'})
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		rawTag := string(raw)
		tok := z.Token()
		p.tag(tok, rawTag, start)
	}
	return p
}

// tag records the ids and URLs of one start tag.
func (p *page) tag(tok html.Token, raw string, line int) {
	attrs := map[string]string{}
	for _, a := range tok.Attr {
		if _, dup := attrs[a.Key]; !dup {
			attrs[a.Key] = a.Val
		}
	}
	if id, ok := attrs["id"]; ok && id != "" {
		p.ids[id] = true
	}
	if name, ok := attrs["name"]; ok && name != "" && tok.Data == "a" {
		p.ids[name] = true
	}
	at := attrLines(raw, line)
	add := func(kind, key string) {
		if v, ok := attrs[key]; ok {
			p.refs = append(p.refs, Ref{Line: at(key), Kind: kind, URL: v})
		}
	}
	addSrcset := func(kind string) {
		if v, ok := attrs["srcset"]; ok {
			l := at("srcset")
			for _, c := range srcset(v) {
				p.refs = append(p.refs, Ref{Line: l + strings.Count(v[:c.at], "\n"), Kind: kind, URL: c.url})
			}
		}
	}
	switch tok.Data {
	case "a", "area":
		add("link to", "href")
	case "link":
		rel := " " + strings.ToLower(strings.Join(strings.Fields(attrs["rel"]), " ")) + " "
		switch {
		case strings.Contains(rel, " preconnect ") || strings.Contains(rel, " dns-prefetch "):
			// Hosts to warm up, not documents.
		case strings.Contains(rel, " stylesheet "):
			add("stylesheet", "href")
		case strings.Contains(rel, " icon "):
			add("icon", "href")
		default:
			add("link to", "href")
		}
	case "script":
		add("script", "src")
	case "img":
		add("image", "src")
		addSrcset("image")
	case "source":
		add("source", "src")
		addSrcset("source")
	case "video":
		add("video", "src")
		add("image", "poster")
	case "audio":
		add("audio", "src")
	case "track":
		add("track", "src")
	case "iframe":
		add("frame", "src")
	case "use", "image", "feimage":
		add("SVG reference", "href")
		add("SVG reference", "xlink:href")
	case "meta":
		if strings.EqualFold(attrs["http-equiv"], "refresh") {
			if u := refreshURL(attrs["content"]); u != "" {
				p.refs = append(p.refs, Ref{Line: at("content"), Kind: "redirect to", URL: u})
			}
		}
	case "base":
		if v, ok := attrs["href"]; ok && p.base == "" {
			p.base = v
		}
	}
}

// attrLines returns a function giving the line of each attribute of a tag
// whose raw text starts on line: the tokenizer keeps no positions, so the
// attribute is found again in the raw text, in order.
func attrLines(raw string, line int) func(key string) int {
	lower := strings.ToLower(raw)
	cursor := 0
	return func(key string) int {
		for i := cursor; i < len(lower); {
			j := strings.Index(lower[i:], key)
			if j < 0 {
				break
			}
			j += i
			before := j > 0 && isSpace(lower[j-1])
			k := j + len(key)
			for k < len(lower) && isSpace(lower[k]) {
				k++
			}
			if before && k < len(lower) && lower[k] == '=' {
				cursor = k
				return line + strings.Count(raw[:j], "\n")
			}
			i = j + 1
		}
		return line
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// candidate is one URL of a srcset and its offset in the attribute.
type candidate struct {
	url string
	at  int
}

// srcset splits a srcset attribute into its URLs: candidates are a URL and
// optional descriptors ("2x", "640w"), separated by commas.
func srcset(s string) []candidate {
	var out []candidate
	for i := 0; i < len(s); {
		for i < len(s) && (isSpace(s[i]) || s[i] == ',') {
			i++
		}
		start := i
		for i < len(s) && !isSpace(s[i]) {
			i++
		}
		u := strings.TrimRight(s[start:i], ",")
		if u != "" {
			out = append(out, candidate{u, start})
		}
		if strings.HasSuffix(s[start:i], ",") {
			continue
		}
		// Skip the descriptors, up to the comma that ends the candidate.
		for i < len(s) && s[i] != ',' {
			i++
		}
	}
	return out
}

// refreshURL pulls the URL out of a refresh's content: "0; url=/x/".
func refreshURL(content string) string {
	_, rest, ok := strings.Cut(content, ";")
	if !ok {
		_, rest, ok = strings.Cut(content, ",")
	}
	if !ok {
		return ""
	}
	rest = strings.TrimSpace(rest)
	if len(rest) >= 3 && strings.EqualFold(rest[:3], "url") {
		rest = strings.TrimSpace(rest[3:])
		if strings.HasPrefix(rest, "=") {
			rest = strings.TrimSpace(rest[1:])
		}
	}
	if len(rest) >= 2 && (rest[0] == '\'' || rest[0] == '"') && rest[len(rest)-1] == rest[0] {
		rest = rest[1 : len(rest)-1]
	}
	return rest
}

// parseCSS finds the URLs a stylesheet loads: url(…) and @import "…",
// outside comments.
func parseCSS(data []byte) *page {
	p := &page{ids: map[string]bool{}}
	s := string(data)
	lineAt := func(i int) int { return 1 + strings.Count(s[:i], "\n") }
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return p
			}
			i += end + 4
		case s[i] == '"' || s[i] == '\'':
			// A string outside url(): only @import's counts.
			q := s[i]
			j := i + 1
			for j < len(s) && s[j] != q {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if isImport(s[:i]) {
				p.refs = append(p.refs, Ref{Line: lineAt(i), Kind: "stylesheet", URL: s[i+1 : min(j, len(s))]})
			}
			i = j + 1
		case (s[i] == 'u' || s[i] == 'U') && len(s) >= i+4 && strings.EqualFold(s[i:i+4], "url(") && (i == 0 || !isIdent(s[i-1])):
			j := i + 4
			for j < len(s) && isSpace(s[j]) {
				j++
			}
			var u string
			if j < len(s) && (s[j] == '"' || s[j] == '\'') {
				q := s[j]
				k := strings.IndexByte(s[j+1:], q)
				if k < 0 {
					return p
				}
				u = s[j+1 : j+1+k]
				j = j + 1 + k + 1
			} else {
				k := strings.IndexByte(s[j:], ')')
				if k < 0 {
					return p
				}
				u = strings.TrimSpace(s[j : j+k])
				j += k
			}
			if end := strings.IndexByte(s[j:], ')'); end >= 0 {
				j += end + 1
			}
			kind := "CSS url"
			if isImport(s[:i]) {
				kind = "stylesheet"
			}
			p.refs = append(p.refs, Ref{Line: lineAt(i), Kind: kind, URL: u})
			i = j
		default:
			i++
		}
	}
	return p
}

func isIdent(c byte) bool {
	return c == '-' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isImport reports whether the text before a string or url() ends with
// the @import keyword.
func isImport(before string) bool {
	before = strings.TrimRight(before, " \t\r\n")
	return len(before) >= 7 && strings.EqualFold(before[len(before)-7:], "@import")
}

// announcedBase reads <meta name="scalebook-base" content="/repo/"> from a
// page: the theme writes it so that scripts know the base path.
func announcedBase(data []byte) string {
	z := html.NewTokenizer(bytes.NewReader(data))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data == "body" {
				return ""
			}
			if tok.Data != "meta" {
				continue
			}
			var name, content string
			for _, a := range tok.Attr {
				switch a.Key {
				case "name":
					name = a.Val
				case "content":
					content = a.Val
				}
			}
			if name == "scalebook-base" {
				return content
			}
		}
	}
}
