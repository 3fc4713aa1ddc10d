package calc

// Error is one problem found in a sheet or an expression. Line and Col are
// 1-based and count runes within the calc block, so a site builder can add the
// block's offset in its file and report file:line:col. A zero Line means the
// problem has no place in the source (for example an override of a cell that
// does not exist).
type Error struct {
	_         noEq
	Line, Col int
	Msg       string
	// Suggestion is the name the author probably meant, when one is close
	// to a misspelt name; the site builder shows it under the mistake.
	Suggestion string
}

// Error formats the problem as "line:col: msg", the shape editors and the
// build already understand.
func (e *Error) Error() string {
	return ErrorList{e}.Error()
}

// ErrorList gathers every problem of a sheet so an author sees them all in one
// build instead of fixing them one at a time. Parse sorts it by position.
type ErrorList []*Error

// Error joins the problems with newlines, one per line.
func (l ErrorList) Error() string {
	var b buf
	for i, e := range l {
		if i > 0 {
			b.c('\n')
		}
		if e.Line != 0 {
			b.int(e.Line)
			b.c(':')
			b.int(e.Col)
			b.s(": ")
		}
		b.s(e.Msg)
		if e.Suggestion != "" {
			b.s(" — did you mean \"")
			b.s(e.Suggestion)
			b.s("\"?")
		}
	}
	return string(b)
}

// hintMark separates a message from its suggestion until newError splits
// them: messages travel through the parser as single strings, and a second
// field on every error record would cost code in the WebAssembly build.
const hintMark = '\x00'

// newError makes an Error of a message, splitting off its suggestion.
//
//go:noinline
func newError(line, col int, m string) *Error {
	e := &Error{Line: line, Col: col, Msg: m}
	// The last mark: a suggestion is always a name, while the message
	// before it may quote whatever an author typed.
	for i := len(m) - 1; i >= 0; i-- {
		if m[i] == hintMark {
			e.Msg, e.Suggestion = m[:i], m[i+1:]
			break
		}
	}
	return e
}

// msg fills a message template: each "{}" takes the next argument and
// "{0}"…"{9}" take the argument of that index. Every message is built
// here: in WebAssembly each piece of a chain of + costs code at its site,
// while a template is only data.
//
//go:noinline
func msg(t string, args ...string) string {
	var b buf
	next := 0
	for i := 0; i < len(t); i++ {
		if t[i] == '{' && i+1 < len(t) {
			k, n := next, 2 // the argument, and the placeholder's length
			if c := t[i+1]; c >= '0' && c <= '9' && i+2 < len(t) && t[i+2] == '}' {
				k, n = int(c-'0'), 3
			} else if c != '}' {
				k = len(args)
			}
			if k < len(args) {
				b.s(args[k])
				if n == 2 {
					next++
				}
				i += n - 1
				continue
			}
		}
		b.c(t[i])
	}
	return string(b)
}

// noEq, as a struct's first field, makes the struct incomparable, so the
// compiler emits no equality function for it: in WebAssembly that is a few
// hundred bytes per internal type that nothing calls.
type noEq [0]func()

// posError converts an error at a byte offset of src, counting lines and
// rune columns from 1.
//
//go:noinline
func posError(src string, pos int, msg string) *Error {
	e := newError(1, 1, msg)
	for i, r := range src {
		if i >= pos {
			break
		}
		e.Col++
		if r == '\n' {
			e.Line++
			e.Col = 1
		}
	}
	return e
}

// indexByte is strings.IndexByte, which would bring package strings, and
// with it the Unicode tables, into the WebAssembly build.
//
//go:noinline
func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// hasWord reports whether w is one of the space-separated words of list.
// Word lists written as one string are static data, where a map would be
// filled by code at start-up.
//
//go:noinline
func hasWord(list, w string) bool {
	for list != "" {
		i := indexByte(list, ' ')
		if i < 0 {
			i = len(list)
		}
		if list[:i] == w {
			return true
		}
		list = list[min(i+1, len(list)):]
	}
	return false
}
