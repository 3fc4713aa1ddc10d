package diag

import (
	"sync"
	"testing"
)

func TestSortedAndFormatted(t *testing.T) {
	var l List
	var wg sync.WaitGroup
	for _, d := range []Diagnostic{
		{File: "b.md", Line: 1, Col: 1, Msg: "later file"},
		{File: "a.md", Line: 3, Col: 14, Msg: "col 14"},
		{File: "a.md", Line: 3, Col: 2, Msg: "col 2"},
		{File: "a.md", Line: 3, Col: 2, Msg: "col 2"}, // duplicates collapse
		{File: "", Msg: "no place"},
		{File: "c.md", Msg: "no line"},
		{File: "a.md", Line: 1, Col: 1, Msg: "a warning", Warning: true}, // not an error
	} {
		wg.Add(1)
		go func() { defer wg.Done(); l.Add(d) }()
	}
	wg.Wait()
	want := "no place\na.md:3:2: col 2\na.md:3:14: col 14\nb.md:1:1: later file\nc.md: no line"
	if got := l.Err().Error(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if l.Len() != 6 { // as recorded, the duplicate too
		t.Errorf("Len = %d: warnings are not errors", l.Len())
	}
	if w := l.Warnings(); len(w) != 1 || w[0].Error() != "a.md:1:1: warning: a warning" {
		t.Errorf("warnings = %v", w)
	}
	var only List
	only.Warnf("x.md", 1, 1, "just this")
	if only.Err() != nil || only.Len() != 0 {
		t.Error("a list of warnings is not an error")
	}
}

func TestPrefixed(t *testing.T) {
	var l List
	p := Prefixed(&l, "content/")
	p.Addf("a.md", 1, 2, "x")
	p.Addf("", 0, 0, "y")
	if got := l.Err().Error(); got != "content: y\ncontent/a.md:1:2: x" {
		t.Errorf("got %q", got)
	}
	if Prefixed(&l, "") != &l {
		t.Error("empty prefix should be the list itself")
	}
}

func TestPosition(t *testing.T) {
	src := []byte("ab\ncde\n\nf")
	cases := []struct{ off, line, col int }{{0, 1, 1}, {1, 1, 2}, {3, 2, 1}, {5, 2, 3}, {7, 3, 1}, {8, 4, 1}, {99, 4, 2}, {-1, 1, 1}}
	for _, c := range cases {
		if l, col := Position(src, c.off); l != c.line || col != c.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", c.off, l, col, c.line, c.col)
		}
	}
	var empty List
	if empty.Err() != nil {
		t.Error("empty list is an error")
	}
}
