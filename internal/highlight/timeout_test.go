package highlight

import (
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// TestLongTimeouts: after a language is used, its lexer's expressions have
// the long timeout, not chroma's 250 ms; and the reflection that sets it
// still finds chroma's compiled rules (a chroma upgrade that moves them
// fails here rather than making builds differ under load).
func TestLongTimeouts(t *testing.T) {
	render("yaml", "replicas: 2\nname: web\n", Options{})
	render("html", "<p onclick=\"go(1)\">x</p><script>var a = 1;</script>\n", Options{})
	for _, name := range []string{"yaml", "html", "javascript"} {
		l, ok := lexers.Get(name).(*chroma.RegexLexer)
		if !ok {
			t.Fatalf("%s: not a RegexLexer", name)
		}
		rules, compiled := compiledRules(l)
		if !compiled || len(rules) == 0 {
			t.Fatalf("%s: compiled rules not found", name)
		}
		for state, rs := range rules {
			for i, r := range rs {
				if r.Regexp != nil && r.Regexp.MatchTimeout != lexerTimeout {
					t.Fatalf("%s: rule %s.%d has timeout %v", name, state, i, r.Regexp.MatchTimeout)
				}
			}
		}
	}
}
