package diag

import (
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
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

func TestReport(t *testing.T) {
	cases := []struct {
		name string
		d    Diagnostic
		want string
	}{
		{"no source line", Diagnostic{File: "a.md", Line: 2, Col: 3, Msg: "bad", Suggestion: "good"},
			`a.md:2:3: bad — did you mean "good"?`},
		{"caret and suggestion", Diagnostic{File: "a.md", Line: 12, Col: 8, Msg: `unknown name "uesrs"`, Suggestion: "users", LineText: "peak = uesrs * 3"},
			"a.md:12:8: unknown name \"uesrs\" — did you mean \"users\"?\n" +
				"  12 | peak = uesrs * 3\n" +
				"     |        ^ did you mean \"users\"?"},
		{"tabs kept, wide runes one space", Diagnostic{File: "a.md", Line: 1, Col: 6, Msg: "x", LineText: "\t€ ab"},
			"a.md:1:6: x\n  1 | \t€ ab\n    | \t  ^"},
		{"no column", Diagnostic{File: "a.md", Line: 3, Msg: "x", LineText: "line"},
			"a.md:3: x\n  3 | line"},
		{"warning", Diagnostic{File: "a.md", Line: 1, Col: 1, Msg: "x", LineText: "y", Warning: true},
			"a.md:1:1: warning: x\n  1 | y\n    | ^"},
	}
	for _, c := range cases {
		if got := c.d.Report(); got != c.want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", c.name, got, c.want)
		}
	}
}

// The caret stays under the same character however a long line is cut.
func TestExcerptKeepsTheCaretOnItsCharacter(t *testing.T) {
	line := strings.Repeat("abcdé fghij ", 40) // 480 bytes, some of two
	for col := 1; col <= len(line)+1; col++ {
		if col <= len(line) && !utf8.RuneStart(line[col-1]) {
			continue
		}
		text, c := Excerpt(line, col)
		if len(text) > excerptWidth+2*len("…")+utf8.UTFMax {
			t.Fatalf("col %d: excerpt of %d bytes", col, len(text))
		}
		want := "end"
		if col <= len(line) {
			want = string([]rune(line[col-1:])[0])
		}
		got := "end"
		if c-1 < len(text) {
			got = string([]rune(text[c-1:])[0])
		}
		if got != want {
			t.Fatalf("col %d: caret on %q, want %q (excerpt %q, col %d)", col, got, want, text, c)
		}
	}
	if text, c := Excerpt("short", 3); text != "short" || c != 3 {
		t.Errorf("a short line is shown whole: %q %d", text, c)
	}
}

func TestQuote(t *testing.T) {
	reads := 0
	read := func(name string) ([]byte, error) {
		reads++
		if name == "a.md" {
			return []byte("one\r\ntwo\nthree"), nil
		}
		return nil, fs.ErrNotExist
	}
	ds := []Diagnostic{
		{File: "a.md", Line: 2, Col: 1},
		{File: "a.md", Line: 3, Col: 1},
		{File: "a.md", Line: 9, Col: 1}, // past the end
		{File: "gone.md", Line: 1, Col: 1},
		{File: "a.md", Line: 1, LineText: "kept"},
		{File: "a.md"}, // no line
	}
	Quote(ds, read)
	var got []string
	for _, d := range ds {
		got = append(got, d.LineText)
	}
	if want := []string{"two", "three", "", "", "kept", ""}; !slices.Equal(got, want) {
		t.Errorf("LineText = %q, want %q", got, want)
	}
	if reads != 2 {
		t.Errorf("read %d times; each file once", reads)
	}
}

func TestByteCol(t *testing.T) {
	cases := []struct {
		line      string
		runes, by int
	}{
		{"abc", 1, 1}, {"abc", 3, 3}, {"abc", 4, 4}, {"abc", 6, 6},
		{"x := 5 × 3 ÷ zz", 14, 16}, {"€x", 2, 4}, {"", 1, 1},
	}
	for _, c := range cases {
		if got := ByteCol(c.line, c.runes); got != c.by {
			t.Errorf("ByteCol(%q, %d) = %d, want %d", c.line, c.runes, got, c.by)
		}
	}
}
