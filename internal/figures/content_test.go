package figures

import (
	"path/filepath"
	"testing"
)

// TestContent holds the guide itself to the rule: every figure typed in
// its prose is a cell or on content/_figures.allow, and every entry of the
// list still matches a figure.
func TestContent(t *testing.T) {
	rep, err := Audit(filepath.Join("..", "..", "content"))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pages < 40 || rep.Found == 0 {
		t.Fatalf("read %d pages with %d figures: is this the guide?", rep.Pages, rep.Found)
	}
	for _, p := range rep.Problems {
		t.Error(p.Error())
	}
}
