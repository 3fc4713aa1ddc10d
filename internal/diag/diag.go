// Package diag carries build problems as file:line:col diagnostics.
//
// Every stage of the build (content loading, Markdown, calculators, diagrams,
// templates) reports into a List instead of stopping at the first problem, so an
// author sees everything that is wrong with a change in one run.
package diag

import (
	"bytes"
	"cmp"
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Diagnostic is one problem at a place in a source file. Line and Col are
// 1-based; zero means unknown, and the position is printed only as far as it
// is known.
type Diagnostic struct {
	File string
	Line int
	Col  int
	Msg  string
	// Suggestion is what the author probably meant, such as the defined
	// name closest to a misspelt one. It is kept apart from Msg so that the
	// terminal can print it under the mistake and the dev server can show it
	// beside the source line.
	Suggestion string
	// LineText is the source line at Line, without its newline, for
	// printing with a caret under Col. Quote fills it from the files.
	LineText string
	// Warning marks a problem that does not fail the build (a link to a
	// missing heading, by default): it is printed, and the site is built.
	Warning bool
}

// Error formats the diagnostic the way compilers do, so editors can jump to it.
func (d Diagnostic) Error() string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		if d.Line > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(d.Line))
			if d.Col > 0 {
				b.WriteByte(':')
				b.WriteString(strconv.Itoa(d.Col))
			}
		}
		b.WriteString(": ")
	}
	if d.Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Msg)
	if d.Suggestion != "" {
		b.WriteString(` — did you mean "`)
		b.WriteString(d.Suggestion)
		b.WriteString(`"?`)
	}
	return b.String()
}

// Report formats the diagnostic for a terminal: the Error line, then, when
// the source line is known, the Quoted lines.
func (d Diagnostic) Report() string {
	if q := d.Quoted(); q != "" {
		return d.Error() + "\n" + q
	}
	return d.Error()
}

// Quoted shows the mistake in place, the way compilers do: the source line
// (or the part of a long one around the column) and under it a caret at the
// column, with the suggestion beside the caret. It is "" when the source
// line is not known.
func (d Diagnostic) Quoted() string {
	if d.LineText == "" || d.Line <= 0 {
		return ""
	}
	text, col := Excerpt(d.LineText, d.Col)
	var b strings.Builder
	num := strconv.Itoa(d.Line)
	b.WriteString("  ")
	b.WriteString(num)
	b.WriteString(" | ")
	b.WriteString(text)
	if col > 0 {
		b.WriteString("\n  ")
		b.WriteString(strings.Repeat(" ", len(num)))
		b.WriteString(" | ")
		b.WriteString(CaretPad(text, col))
		b.WriteByte('^')
		if d.Suggestion != "" {
			b.WriteString(` did you mean "`)
			b.WriteString(d.Suggestion)
			b.WriteString(`"?`)
		}
	}
	return b.String()
}

// excerptWidth is how many bytes of a source line are shown: Markdown
// authors often keep a whole paragraph on one line.
const excerptWidth = 100

// Excerpt shortens a long line to the part around byte column col, marking
// cuts with "…", and returns the column's place in the shortened text.
func Excerpt(line string, col int) (string, int) {
	if len(line) <= excerptWidth {
		return line, col
	}
	start := max(0, min(col-1-excerptWidth/3, len(line)-excerptWidth))
	for start > 0 && !utf8.RuneStart(line[start]) {
		start--
	}
	end := min(len(line), start+excerptWidth)
	for end < len(line) && !utf8.RuneStart(line[end]) {
		end++
	}
	text := line[start:end]
	if col > 0 {
		col -= start
	}
	if start > 0 {
		text = "…" + text
		if col > 0 {
			col += len("…")
		}
	}
	if end < len(line) {
		text += "…"
	}
	return text, col
}

// CaretPad returns the blanks that put a caret under byte column col of
// line: a tab stays a tab and a multi-byte character takes one space, so the
// caret lands under the character whatever the terminal's tab width.
func CaretPad(line string, col int) string {
	if col-1 < len(line) {
		line = line[:max(col-1, 0)]
	}
	var b strings.Builder
	for _, r := range line {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// List collects diagnostics from concurrent workers. The zero value is ready.
type List struct {
	mu    sync.Mutex
	items []Diagnostic
	// A prefixed view adds to its parent with prefix joined to each file.
	parent *List
	prefix string
}

// Prefixed returns a List that records into l with dir joined in front of
// every file name, for code that knows paths relative to a folder.
func Prefixed(l *List, dir string) *List {
	if dir == "" || dir == "." {
		return l
	}
	return &List{parent: l, prefix: strings.TrimSuffix(filepath.ToSlash(dir), "/") + "/"}
}

// Add records a diagnostic.
func (l *List) Add(d Diagnostic) {
	if l.parent != nil {
		if d.File != "" {
			d.File = l.prefix + d.File
		} else {
			d.File = strings.TrimSuffix(l.prefix, "/")
		}
		l.parent.Add(d)
		return
	}
	l.mu.Lock()
	l.items = append(l.items, d)
	l.mu.Unlock()
}

// Addf records an error at a position.
func (l *List) Addf(file string, line, col int, msg string) {
	l.Add(Diagnostic{File: file, Line: line, Col: col, Msg: msg})
}

// Warnf records a warning at a position.
func (l *List) Warnf(file string, line, col int, msg string) {
	l.Add(Diagnostic{File: file, Line: line, Col: col, Msg: msg, Warning: true})
}

// Len reports how many errors have been recorded; warnings do not count.
func (l *List) Len() int {
	if l.parent != nil {
		return l.parent.Len()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, d := range l.items {
		if !d.Warning {
			n++
		}
	}
	return n
}

// Sorted returns the diagnostics ordered by file, line and column, without
// duplicates, so that output does not depend on which worker finished first.
func (l *List) Sorted() []Diagnostic {
	if l.parent != nil {
		return l.parent.Sorted()
	}
	l.mu.Lock()
	items := slices.Clone(l.items)
	l.mu.Unlock()
	slices.SortFunc(items, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Msg, b.Msg),
			compareBool(a.Warning, b.Warning),
		)
	})
	return slices.Compact(items)
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// Err returns nil when the list holds no errors, and an Errors value of
// the errors otherwise.
func (l *List) Err() error {
	if l.Len() == 0 {
		return nil
	}
	var errs Errors
	for _, d := range l.Sorted() {
		if !d.Warning {
			errs = append(errs, d)
		}
	}
	return errs
}

// Warnings returns the warnings, sorted.
func (l *List) Warnings() []Diagnostic {
	var out []Diagnostic
	for _, d := range l.Sorted() {
		if d.Warning {
			out = append(out, d)
		}
	}
	return out
}

// Errors is a sorted set of diagnostics that is itself an error.
type Errors []Diagnostic

// Error prints one diagnostic per line.
func (e Errors) Error() string {
	var b strings.Builder
	for i, d := range e {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// Report prints every diagnostic, each quoted source line followed by a
// blank line so that the excerpts do not run together.
func (e Errors) Report() string {
	var b strings.Builder
	for i, d := range e {
		if i > 0 {
			b.WriteString("\n")
			if e[i-1].LineText != "" {
				b.WriteString("\n")
			}
		}
		b.WriteString(d.Report())
	}
	return b.String()
}

// Report formats any error for a terminal: a list of diagnostics with
// their source lines, anything else as its message.
func Report(err error) string {
	var errs Errors
	if errors.As(err, &errs) {
		return errs.Report()
	}
	return err.Error()
}

// Quote fills in the LineText of every diagnostic that has a line number,
// reading each file once with read. Files that cannot be read, or lines past
// their end, are left without text: the position alone still says where.
func Quote(ds []Diagnostic, read func(file string) ([]byte, error)) {
	files := map[string][][]byte{}
	for i := range ds {
		d := &ds[i]
		if d.LineText != "" || d.Line <= 0 || d.File == "" {
			continue
		}
		lines, seen := files[d.File]
		if !seen {
			if src, err := read(d.File); err == nil {
				lines = bytes.Split(src, []byte{'\n'})
			}
			files[d.File] = lines
		}
		if d.Line <= len(lines) {
			d.LineText = strings.TrimRight(string(lines[d.Line-1]), "\r")
		}
	}
}

// ByteCol converts a 1-based column counted in runes, as the calculator
// engine counts them, into the byte column that diagnostics use.
func ByteCol(line string, runeCol int) int {
	n := 1
	for i := range line {
		if n == runeCol {
			return i + 1
		}
		n++
	}
	return len(line) + 1 + max(runeCol-n, 0)
}

// Position converts a byte offset in src into a 1-based line and column.
// Columns count bytes, as Go's own tools do.
func Position(src []byte, offset int) (line, col int) {
	if offset > len(src) {
		offset = len(src)
	}
	if offset < 0 {
		offset = 0
	}
	line = 1 + bytes.Count(src[:offset], []byte{'\n'})
	start := bytes.LastIndexByte(src[:offset], '\n') + 1
	return line, offset - start + 1
}
