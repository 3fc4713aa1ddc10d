// Package figures finds figures typed by hand in a page's prose.
//
// The guide's rule is that a figure which derives from others is never
// typed: it is a calculator cell quoted inline as {{sheet.cell}}, so that it
// follows the inputs when a reader changes them and cannot drift from the
// sheet when an author does. Sourced facts ("Dropbox reported 500 PB in
// 2016"), restated assumptions and well-known constants may be typed, but
// the author says so in an allow-list (see ParseAllow). Scan finds the
// candidates in the Markdown source, so that each can be named by
// file:line:col; Audit holds a content folder to its allow-list.
//
// What is a candidate, and what is deliberately not:
//
//   - money ("$1.2M", "$0.085/GB"), numbers with a scale suffix or word
//     ("17.4K", "300M users", "2 billion"), numbers with a unit of
//     information, bandwidth, time, rate or distance ("3.5 TB", "40 ms",
//     "5 Gbps", "200 req/s", "2.5 a day"), multipliers ("5×", "10x") and
//     ratios ("50:1") are candidates whatever their size;
//   - a number with a count noun ("80 timelines", "1,500 servers") is a
//     candidate from 10 up, or when it is not whole; smaller whole counts
//     ("3 replicas", "2 data centres") are design choices, not estimates,
//     and numbers written as words ("three") are never candidates;
//   - percentages are not candidates: in this guide nearly every one is a
//     stated target or share ("99.99% available", "10% of posts"), an
//     input rather than a result, and listing some 130 of them would bury
//     the figures that matter; a derived percentage is left to review;
//   - bare numbers are not candidates, nor are years (1900–2099 with
//     nothing but a count noun after them: "in 2013 users…"), ordinals
//     ("99th"), versions and names with digits ("v1.1", "m7g", "S3",
//     "p99", "IPv4"), plurals of codes and decades ("HTTP 500s", "the
//     1990s": so seconds are written "30 s", not "30s"), or parts of a
//     larger token ("2012-13", "24/7").
//
// Only prose is scanned: front matter, fenced and indented code, inline
// code, {{…}} figures, tables, raw HTML blocks and tags, link destinations and heading
// attributes ({#id}) are skipped. Link text, headings, list items, block
// quotes and footnotes are prose.
package figures

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"

	"github.com/scalebook/scalebook/calc"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Kind says why a figure is a candidate.
type Kind int

// The kinds of candidate, in the order the package comment lists them.
const (
	Money Kind = iota + 1
	Scaled
	Unit
	Multiplier
	Ratio
	Count
)

var kindNames = [...]string{Money: "money", Scaled: "scaled", Unit: "unit", Multiplier: "multiplier", Ratio: "ratio", Count: "count"}

// String names the kind for reports.
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Hit is one candidate figure in a page's source.
type Hit struct {
	// Line and Col are 1-based; Col counts bytes, as every diagnostic of
	// the build does.
	Line, Col int
	// Offset is the byte offset of the figure in the source.
	Offset int
	// Text is the figure as written, its parts joined by single spaces
	// when the source breaks a line or wraps a number in emphasis.
	Text string
	Kind Kind
}

// md parses pages for scanning: the site's block syntax (GFM tables,
// footnotes, definition lists, heading attributes), without the renderers.
var md = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify, extension.Footnote, extension.DefinitionList, extension.TaskList),
	goldmark.WithParserOptions(parser.WithAttribute()),
)

// Scan returns the candidate figures in the prose of a Markdown page
// (front matter included), in source order.
func Scan(src []byte) []Hit {
	work := make([]byte, len(src))
	copy(work, src)
	blankFrontMatter(work)
	figs := maskFigures(work)
	doc := md.Parser().Parse(text.NewReader(work))
	prose := proseBuffer(doc, work)
	for _, f := range figs {
		for i := f[0]; i < f[1]; i++ {
			prose[i] = 0
		}
	}
	return scanProse(prose, src)
}

// blankFrontMatter turns YAML front matter into blank lines, keeping every
// offset: a description is prose, but it is metadata, not the guide.
func blankFrontMatter(b []byte) {
	if !bytes.HasPrefix(b, []byte("---\n")) && !bytes.HasPrefix(b, []byte("---\r\n")) {
		return
	}
	for i := bytes.IndexByte(b, '\n') + 1; i < len(b); {
		next := len(b)
		if j := bytes.IndexByte(b[i:], '\n'); j >= 0 {
			next = i + j + 1
		}
		if t := bytes.TrimRight(b[i:next], "\r\n \t"); string(t) == "---" || string(t) == "..." {
			blank(b[:next])
			return
		}
		i = next
	}
	// An unclosed block is the build's error to report; scan it as text.
}

func blank(b []byte) {
	for i, c := range b {
		if c != '\n' {
			b[i] = ' '
		}
	}
}

// maskFigures finds the {{…}} figures (on one line, not escaped) and
// replaces what is between the braces with letters, so that their contents
// cannot open emphasis or links in the parse. It returns their byte ranges.
func maskFigures(b []byte) [][2]int {
	var out [][2]int
	for i := 0; i+1 < len(b); i++ {
		if b[i] != '{' || b[i+1] != '{' || (i > 0 && b[i-1] == '\\') {
			continue
		}
		end := bytes.Index(b[i+2:], []byte("}}"))
		if end < 0 {
			break
		}
		end += i + 2
		if bytes.IndexByte(b[i:end], '\n') >= 0 {
			continue
		}
		for j := i + 2; j < end; j++ {
			b[j] = 'x'
		}
		out = append(out, [2]int{i, end + 2})
		i = end + 1
	}
	return out
}

// proseBuffer returns a copy of src in which every byte that is not prose
// is 0. Between two stretches of text in the same block, what the parse
// consumed (emphasis markers, a line break and the indentation or quote
// marker of the next line) becomes spaces, so "**300M** users" and a
// figure broken over two lines are read whole.
func proseBuffer(doc ast.Node, src []byte) []byte {
	out := make([]byte, len(src))
	prevEnd, prevBlock := -1, ast.Node(nil)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindFencedCodeBlock, ast.KindCodeBlock, ast.KindHTMLBlock, ast.KindCodeSpan,
			ast.KindRawHTML, ast.KindAutoLink, extast.KindTable, extast.KindFootnoteLink, extast.KindFootnoteBacklink:
			return ast.WalkSkipChildren, nil
		}
		t, ok := n.(*ast.Text)
		if !ok {
			return ast.WalkContinue, nil
		}
		seg := t.Segment
		if seg.Start < 0 || seg.Stop > len(src) || seg.Start >= seg.Stop {
			return ast.WalkContinue, nil
		}
		block := n.Parent()
		for block != nil && block.Type() != ast.TypeBlock {
			block = block.Parent()
		}
		if block == prevBlock && prevEnd >= 0 && prevEnd <= seg.Start && joinable(src[prevEnd:seg.Start]) {
			for i := prevEnd; i < seg.Start; i++ {
				out[i] = ' '
			}
		}
		copy(out[seg.Start:seg.Stop], src[seg.Start:seg.Stop])
		prevEnd, prevBlock = seg.Stop, block
		return ast.WalkContinue, nil
	})
	return out
}

// joinable reports whether the source between two stretches of text holds
// only what inline and container syntax consumes without being content.
func joinable(gap []byte) bool {
	for _, c := range gap {
		switch c {
		case ' ', '\t', '\n', '\r', '>', '*', '_', '~', '\\':
		default:
			return false
		}
	}
	return true
}

// scanProse finds the candidates in a prose buffer; src gives the text.
func scanProse(p, src []byte) []Hit {
	var hits []Hit
	line, lineStart := 1, 0
	at := func(off int) (int, int) {
		// Offsets only grow, so lines are counted once.
		for i := lineStart; i < off; i++ {
			if src[i] == '\n' {
				line, lineStart = line+1, i+1
			}
		}
		return line, off - lineStart + 1
	}
	for i := 0; i < len(p); {
		if !isDigit(p[i]) {
			i++
			continue
		}
		start := i
		if p[i] == '0' && i+1 < len(p) && p[i+1] == 'x' && i+2 < len(p) && isHex(p[i+2]) {
			i = skipNumberish(p, i)
			continue
		}
		if !leftBoundary(p, i) {
			i = skipNumberish(p, i)
			continue
		}
		if i > 0 && p[i-1] == '$' {
			start = i - 1
		}
		f, end := readFigure(p, start)
		if f.kind != 0 {
			l, c := at(start)
			hits = append(hits, Hit{Line: l, Col: c, Offset: start, Text: spaced(p[start:end]), Kind: f.kind})
		}
		i = max(end, skipNumberish(p, i))
	}
	return hits
}

// spaced collapses runs of white space in a figure's text to one space.
func spaced(b []byte) string { return strings.Join(strings.Fields(string(b)), " ") }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isHex(c byte) bool   { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// skipNumberish passes the run of digits, separators and letters a number
// belongs to, so that "2012-13" or "v1.2.3" is not re-entered halfway.
func skipNumberish(p []byte, i int) int {
	for i < len(p) && (isDigit(p[i]) || p[i] == '.' || p[i] == ',' || isASCIILetter(p[i])) {
		i++
	}
	return i
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// leftBoundary reports whether a number may start at p[i]: it must not
// continue a word, a version, a path or a range's second half.
func leftBoundary(p []byte, i int) bool {
	if i == 0 {
		return true
	}
	r, size := utf8.DecodeLastRune(p[:i])
	switch {
	case r == '$':
		if i-size == 0 {
			return true
		}
		r2, _ := utf8.DecodeLastRune(p[:i-size])
		return !unicode.IsLetter(r2) && !unicode.IsDigit(r2)
	case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.' || r == ',' || r == '/' ||
		r == ':' || r == '#' || r == '@' || r == '^' || r == '\\' || r == '×' || r == '=' || r == '+' && i >= 2 && isDigit(p[i-2]):
		return false
	case r == '-' || r == '–' || r == '—':
		// A hyphen after a word or a number joins ("IPv6-4", "2012-13");
		// after a space it is a minus sign or a dash.
		if i-size == 0 {
			return true
		}
		r2, _ := utf8.DecodeLastRune(p[:i-size])
		return !unicode.IsLetter(r2) && !unicode.IsDigit(r2) && r2 != '_' && r2 != '%' && r2 != '×'
	}
	return true
}

type figure struct{ kind Kind }

// percent marks a number written with "%" while it is read; it is never
// reported (see the package comment).
const percent Kind = -1

// number reads digits with optional groups of three and a decimal part.
// It returns the end and whether the value is whole, and the value when
// it is small enough to matter (counts below 10, years, 100%).
func number(p []byte, i int) (end int, whole bool, value float64) {
	j := i
	for j < len(p) && isDigit(p[j]) {
		j++
	}
	for j+3 < len(p) && p[j] == ',' && isDigit(p[j+1]) && isDigit(p[j+2]) && isDigit(p[j+3]) && (j+4 >= len(p) || !isDigit(p[j+4])) {
		j += 4
	}
	whole = true
	if j+1 < len(p) && p[j] == '.' && isDigit(p[j+1]) {
		whole = false
		j++
		for j < len(p) && isDigit(p[j]) {
			j++
		}
	}
	v, frac, scale := 0.0, false, 1.0
	for _, c := range p[i:j] {
		switch {
		case c == '.':
			frac = true
		case isDigit(c):
			v = v*10 + float64(c-'0')
			if frac {
				scale *= 10
			}
		}
	}
	return j, whole, v / scale
}

// readFigure reads a number at p[start] (after an optional "$") with what
// follows it, and says whether it is a candidate.
func readFigure(p []byte, start int) (figure, int) {
	i := start
	money := p[i] == '$'
	if money {
		i++
	}
	end, whole, value := number(p, i)
	digits := end - i
	kind := Kind(0)
	if money {
		kind = Money
	}
	// A ratio: "50:1", "5:2". A second part of two digits is a clock
	// ("12:00") or a score, not a ratio.
	if end+1 < len(p) && p[end] == ':' && isDigit(p[end+1]) {
		e2, _, _ := number(p, end+1)
		if e2 == end+2 && p[end+1] != '0' && (e2 >= len(p) || !isWordByte(p[e2]) && p[e2] != ':') {
			return figure{Ratio}, e2
		}
		return figure{}, e2
	}
	// What is attached to the number: a suffix, a unit, a sign.
	numEnd := end
	end, suffixKind, ok := attached(p, end)
	year := whole && digits == 4 && value >= 1900 && value < 2100
	if !ok || string(p[numEnd:end]) == "s" { // "the 1990s", "HTTP 500s", "301s"
		return figure{}, end
	}
	if suffixKind != 0 && kind == 0 {
		kind = suffixKind
	}
	if suffixKind == percent {
		return figure{}, end
	}
	// A range: "10-20 ms", "1K–10K req/s", "100 KB to 1 MB" is read as two.
	if end+1 < len(p) && (p[end] == '-' || bytes.HasPrefix(p[end:], []byte("–"))) {
		dash := 1
		if p[end] != '-' {
			dash = len("–")
		}
		k := end + dash
		if k < len(p) && (isDigit(p[k]) || p[k] == '$' && k+1 < len(p) && isDigit(p[k+1])) {
			if p[k] == '$' {
				k++
			}
			e2, w2, v2 := number(p, k)
			e2, k2, ok2 := attached(p, e2)
			if ok2 {
				end, whole, value = e2, whole && w2, max(value, v2)
				if k2 == percent {
					return figure{}, end
				}
				if k2 != 0 && kind == 0 {
					kind = k2
				}
			}
		}
	}
	if kind == Multiplier {
		return figure{kind}, end
	}
	// A unit or noun after a space.
	ws := spaceAfter(p, end)
	word, wend := unitWord(p, ws)
	if ws > end && word != "" {
		switch {
		case year && singularTime[word]: // "an average 2023 day"
			return figure{}, end
		case units[word] || scaleWords[strings.ToLower(word)]:
			k := Unit
			if scaleWords[strings.ToLower(word)] {
				k = Scaled
			}
			if kind == 0 {
				kind = k
			}
			return figure{kind}, rateTail(p, wend)
		case nouns[word] || nouns[strings.ToLower(word)] || calc.IsCountNoun(word) || calc.IsCountNoun(strings.ToLower(word)):
			t := rateTail(p, wend)
			if kind == 0 && (t > wend || (!whole || value >= 10) && !year) {
				kind = Count
			}
			return figure{kind}, t
		case word == "per" || word == "a" || word == "an" || word == "each" || word == "every":
			if t := rateTail(p, end); t > end && kind == 0 {
				return figure{Unit}, t
			}
		}
	}
	if kind != 0 {
		return figure{kind}, rateTail(p, end)
	}
	return figure{}, end
}

func isWordByte(c byte) bool { return isDigit(c) || isASCIILetter(c) || c == '_' }

// attached reads what is written against a number: a scale suffix (K, M,
// B, T, bn), a unit ("40ms", "5GB"), "%", "×" or "x". ok is false when the
// number is part of a word ("2xlarge", "1st", "3D").
func attached(p []byte, end int) (int, Kind, bool) {
	if end >= len(p) {
		return end, 0, true
	}
	if p[end] == '%' {
		return end + 1, percent, true
	}
	if bytes.HasPrefix(p[end:], []byte("×")) {
		return end + len("×"), Multiplier, true
	}
	r, _ := utf8.DecodeRune(p[end:])
	if !unicode.IsLetter(r) && !isDigit(p[end]) {
		return end, 0, true
	}
	word, wend := unitWord(p, end)
	switch {
	case word == "":
		return end, 0, false
	case word == "K" || word == "k" || word == "M" || word == "B" || word == "T" || word == "bn":
		return wend, Scaled, true
	case word == "x":
		return wend, Multiplier, true
	case units[word]:
		return rateTail(p, wend), Unit, true
	}
	return wend, 0, false
}

// spaceAfter passes one run of spaces (including no-break and thin spaces)
// after a number, or returns i when there is none.
func spaceAfter(p []byte, i int) int {
	j := i
	for j < len(p) {
		switch {
		case p[j] == ' ':
			j++
		case bytes.HasPrefix(p[j:], []byte("\u00a0")):
			j += len("\u00a0")
		case bytes.HasPrefix(p[j:], []byte("\u202f")):
			j += len("\u202f")
		default:
			return j
		}
	}
	return j
}

// unitWord reads a unit or noun at p[i]: letters (with µ and μ), and a
// "/time" or "/unit" part ("req/s", "GB/month"). It returns "" when what
// follows the letters continues a word (a digit, a hyphen and a letter).
func unitWord(p []byte, i int) (string, int) {
	j := i
	for j < len(p) {
		r, size := utf8.DecodeRune(p[j:])
		if !unicode.IsLetter(r) {
			break
		}
		j += size
	}
	if j == i {
		return "", i
	}
	if j < len(p) && (isDigit(p[j]) || p[j] == '_') {
		return "", j
	}
	w := string(p[i:j])
	if j+1 < len(p) && p[j] == '/' && isASCIILetter(p[j+1]) {
		k := j + 1
		for k < len(p) && isASCIILetter(p[k]) {
			k++
		}
		if units[string(p[j+1:k])] || timeWords[string(p[j+1:k])] {
			return w, j // the rate tail is read by rateTail
		}
	}
	return w, j
}

// rateTail extends a figure over "/s", "/GB/month", " per second", " a
// day" and the like, so the reported text reads as a rate.
func rateTail(p []byte, i int) int {
	for i+1 < len(p) && p[i] == '/' && isASCIILetter(p[i+1]) {
		k := i + 1
		for k < len(p) && isASCIILetter(p[k]) {
			k++
		}
		w := string(p[i+1 : k])
		if !units[w] && !timeWords[w] {
			break
		}
		i = k
	}
	ws := spaceAfter(p, i)
	if ws == i {
		return i
	}
	w, wend := unitWord(p, ws)
	if w != "per" && w != "a" && w != "an" && w != "each" && w != "every" {
		return i
	}
	w2s := spaceAfter(p, wend)
	w2, w2end := unitWord(p, w2s)
	if w2s > wend && timeWords[w2] {
		return w2end
	}
	return i
}

// singularTime are time units that follow a year, never a quantity of more
// than one: "the April 2014 day".
var singularTime = set("day week month year hour minute second")

// timeWords are the units a rate is "per": "/s", "a day".
var timeWords = set("s sec second ms min minute h hr hour day week month year")

// units are written after a number (or attached to it) and make it a
// figure whatever its size. Case matters: "MB" and "Mb" differ, and "m"
// alone is not a unit here (it is too often a letter in a name).
var units = set(
	// information and bandwidth
	"B KB kB MB GB TB PB EB ZB KiB MiB GiB TiB PiB EiB byte bytes kilobytes megabytes gigabytes terabytes petabytes exabytes " +
		"bit bits Kbit kbit Mbit Gbit Tbit Kb kb Mb Gb Tb bps Kbps kbps Mbps Gbps Tbps MBps GBps " +
		// time
		"ns µs μs us ms s sec secs second seconds min mins minute minutes h hr hrs hour hours day days week weeks month months year years " +
		"nanoseconds microseconds milliseconds " +
		// rates and money
		"QPS qps RPS rps TPS tps IOPS iops Hz kHz MHz GHz USD cents dollars " +
		// distance
		"km miles metres meters")

// scaleWords are written-out suffixes: "2 billion".
var scaleWords = set("thousand million millions billion billions trillion trillions")

// nouns are the count nouns this guide's sheets declare or its prose
// counts with, beyond calc's built-in list (calc.IsCountNoun).
var nouns = set(
	"timeline timelines lookup lookups insert inserts delivery deliveries region regions zone zones " +
		"broker brokers worker workers member members rider riders restaurant restaurants " +
		"listing listings place places business businesses player players game games score scores " +
		"counter counters bucket buckets topic topics consumer consumers producer producers " +
		"queue queues rule rules prefix prefixes term terms trade trades quote quotes " +
		"cell cells edit edits operation operations op ops log logs file files " +
		"subscriber subscribers recipient recipients viewer viewers creator creators " +
		"segment segments rendition renditions chunk chunks frame frames " +
		"container containers pod pods cluster clusters rack racks datacenter datacenters " +
		"drive drives copy copies version versions snapshot snapshots " +
		"domain domains site sites crawler crawlers fetcher fetchers " +
		"times rounds round retries retry attempt attempts")

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}
