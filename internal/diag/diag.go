// Package diag carries build problems as file:line:col diagnostics.
//
// Every stage of the build (content loading, Markdown, calculators, diagrams,
// templates) reports into a List instead of stopping at the first problem, so an
// author sees everything that is wrong with a change in one run.
package diag

import (
	"bytes"
	"cmp"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Diagnostic is one problem at a place in a source file. Line and Col are
// 1-based; zero means unknown, and the position is printed only as far as it
// is known.
type Diagnostic struct {
	File string
	Line int
	Col  int
	Msg  string
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
