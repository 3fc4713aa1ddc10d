package calc

import "testing"

// TestPrecedenceWarning: a unit divided in with spaces after a division by
// a quantity is accepted but flagged, with the tight reading to use.
func TestPrecedenceWarning(t *testing.T) {
	s, err := Parse("a := 1 GB / 100 MB / s\nb := 1 GB / 100 MB/s\nc := 5M * 3 / day\nd := 1 GB / 5 / s\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) != 1 {
		t.Fatalf("warnings %v, want one for a", s.Warnings)
	}
	w := s.Warnings[0]
	if w.Line != 1 || w.Col != 22 || w.Msg != `"/ s" with a space divides all of 1 GB / 100 MB by it; for a rate, write it tight: 100 MB/s` {
		t.Errorf("warning %d:%d %q", w.Line, w.Col, w.Msg)
	}
}
