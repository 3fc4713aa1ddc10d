package calc

import (
	"strings"
)

// Error is one problem found in a sheet or an expression. Line and Col are
// 1-based and count runes within the calc block, so a site builder can add the
// block's offset in its file and report file:line:col. A zero Line means the
// problem has no place in the source (for example an override of a cell that
// does not exist).
type Error struct {
	Line, Col int
	Msg       string
}

// Error formats the problem as "line:col: msg", the shape editors and the
// build already understand.
func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return itoa(e.Line) + ":" + itoa(e.Col) + ": " + e.Msg
}

// ErrorList gathers every problem of a sheet so an author sees them all in one
// build instead of fixing them one at a time. Parse sorts it by position.
type ErrorList []*Error

// Error joins the problems with newlines, one per line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// sortErrors orders errors by position with an insertion sort: lists are short
// and this keeps package sort (and its reflection) out of the WebAssembly build.
func sortErrors(l ErrorList) {
	for i := 1; i < len(l); i++ {
		for j := i; j > 0 && less(l[j], l[j-1]); j-- {
			l[j], l[j-1] = l[j-1], l[j]
		}
	}
}

func less(a, b *Error) bool {
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col < b.Col
}

// quote wraps s in double quotes for messages; names never contain quotes, so
// no escaping is needed and strconv.Quote's \u escapes are avoided.
//
//go:noinline
func quote(s string) string { return "\"" + s + "\"" }

// noEq, as a struct's first field, makes the struct incomparable, so the
// compiler emits no equality function for it: in WebAssembly that is a few
// hundred bytes per internal type that nothing calls.
type noEq [0]func()
