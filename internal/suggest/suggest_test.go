package suggest

import (
	"fmt"
	"testing"
)

func TestClosest(t *testing.T) {
	cases := []struct {
		name  string
		cands []string
		want  string
	}{
		{"dua", []string{"dau", "mau", "peak"}, "dau"}, // a swap
		{"titel", []string{"title", "description", "weight"}, "title"},
		{"mb", []string{"MB", "GB"}, "MB"}, // case alone
		{"MB", []string{"MB", "mb"}, "mb"}, // never itself
		{"x", []string{"y", "z"}, ""},      // too short to guess
		{"weigth", []string{"weight", "height"}, "weight"},
		{"descripton", []string{"description"}, "description"},
		{"banana", []string{"title", "slug"}, ""},              // nothing close
		{"ab", []string{"ba", "ac"}, ""},                       // half the word differs
		{"aliases", []string{"alias", "aliasess"}, "aliasess"}, // one beats two
		{"read_qsp", []string{"read_qps", "peak_read"}, "read_qps"},
		{"ceiling", []string{"ceil", "floor"}, "ceil"}, // an extension of a real word
		{"servers2", []string{"servers", "server"}, "servers"},
		{"abcdef", []string{"abc"}, ""}, // the shorter word is too short
	}
	for _, c := range cases {
		if got := Closest(c.name, c.cands...); got != c.want {
			t.Errorf("Closest(%q, %q) = %q, want %q", c.name, c.cands, got, c.want)
		}
	}
}

// Ties go to the smallest candidate, whatever the order offered.
func TestTieIsStable(t *testing.T) {
	a := Closest("cat", "bat", "hat")
	b := Closest("cat", "hat", "bat")
	if a != "bat" || b != "bat" {
		t.Errorf("ties: %q, %q; want bat both times", a, b)
	}
}

func ExampleClosest() {
	fmt.Println(Closest("titel", "title", "description", "weight"))
	// Output: title
}
