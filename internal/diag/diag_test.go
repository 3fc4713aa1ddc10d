package diag

import (
	"sync"
	"testing"
)

func TestSortedAndFormatted(t *testing.T) {
	var l List
	var wg sync.WaitGroup
	for _, d := range []Diagnostic{
		{"b.md", 1, 1, "later file"},
		{"a.md", 3, 14, "col 14"},
		{"a.md", 3, 2, "col 2"},
		{"a.md", 3, 2, "col 2"}, // duplicates collapse
		{"", 0, 0, "no place"},
		{"c.md", 0, 0, "no line"},
	} {
		wg.Add(1)
		go func() { defer wg.Done(); l.Add(d) }()
	}
	wg.Wait()
	want := "no place\na.md:3:2: col 2\na.md:3:14: col 14\nb.md:1:1: later file\nc.md: no line"
	if got := l.Err().Error(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
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
