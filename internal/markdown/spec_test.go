package markdown

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/scalebook/scalebook/internal/diag"
)

// knownDeviations are the CommonMark 0.31.2 examples our dialect renders
// differently on purpose, with the reason. The test fails on any other
// example, and on one of these that starts to pass (so the list stays
// true).
var knownDeviations = map[int]string{
	127: "an unclosed fence is an error here, not code to the end of the page",
	137: "an unclosed fence is an error here (an indented ``` does not close)",
	139: "an unclosed fence is an error here (~~~ ~~ does not close)",
	226: "goldmark's GFM linkify keeps the spaces before a hard line break",
	635: "goldmark's GFM linkify keeps the spaces before a hard line break",
	608: "GFM autolinks a bare URL",
	611: "GFM autolinks a bare URL",
	612: "GFM autolinks a bare email address",
}

// TestCommonMarkSpec runs the CommonMark specification's examples (the
// copy goldmark ships for its own tests, read from the module cache)
// through our renderer with the site's extensions, allowing for the
// decorations we add on purpose: heading IDs and anchor links, the code
// block wrapper, and the typographer (turned off here).
func TestCommonMarkSpec(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/yuin/goldmark").Output()
	if err != nil {
		t.Skip("cannot locate goldmark's module: ", err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "_test", "spec.json"))
	if err != nil {
		t.Skip("goldmark's spec.json is not in the module cache: ", err)
	}
	var examples []struct {
		Markdown string `json:"markdown"`
		HTML     string `json:"html"`
		Example  int    `json:"example"`
		Section  string `json:"section"`
	}
	if err := json.Unmarshal(data, &examples); err != nil {
		t.Fatal(err)
	}
	r := newRenderer(Options{}, false)
	var failed []int
	var report strings.Builder
	for _, ex := range examples {
		var diags diag.List
		d := r.Parse("spec.md", "spec.md", 1, []byte(ex.Markdown), &diags)
		got := normalizeOurs(string(r.Render(d, nil)))
		if got == normalizeHTML(ex.HTML) {
			continue
		}
		failed = append(failed, ex.Example)
		if _, known := knownDeviations[ex.Example]; !known {
			report.WriteString("example " + strconv.Itoa(ex.Example) + " (" + ex.Section + "):\n" + ex.Markdown + "\n want: " + ex.HTML + "\n  got: " + got + "\n\n")
		}
	}
	for n, why := range knownDeviations {
		if !slices.Contains(failed, n) {
			t.Errorf("example %d now passes; remove it from knownDeviations (%s)", n, why)
		}
	}
	if report.Len() > 0 {
		t.Errorf("%d of %d examples differ from the spec:\n%s", len(failed)-len(knownDeviations), len(examples), report.String())
	}
	t.Logf("%d of %d CommonMark examples pass; %d deviate on purpose", len(examples)-len(failed), len(examples), len(knownDeviations))
}

var (
	headingDeco = regexp.MustCompile(`(?s)<h([1-6])( id="[^"]*")?>(.*?) <a class="anchor" href="#[^"]*" aria-label="Link to this section">#</a></h[1-6]>`)
	codeDeco    = regexp.MustCompile(`(?s)<div class="code-block"(?: data-lang="([^"]*)")?>(?:<div class="code-title">[^<]*</div>)?<pre class="chroma" tabindex="0"><code>(.*?)</code></pre></div>`)
)

// normalizeOurs undoes our decorations: heading ids and anchors, and the
// code block wrapper (the language moves back to a class).
func normalizeOurs(s string) string {
	s = headingDeco.ReplaceAllString(s, `<h$1>$3</h$1>`)
	s = codeDeco.ReplaceAllStringFunc(s, func(m string) string {
		sub := codeDeco.FindStringSubmatch(m)
		class := ""
		if sub[1] != "" {
			class = ` class="language-` + sub[1] + `"`
		}
		return "<pre><code" + class + ">" + sub[2] + "</code></pre>"
	})
	return normalizeHTML(s)
}

// normalizeHTML makes equal what HTML reads as equal: the two escapes of a
// quote, and whitespace between block tags.
func normalizeHTML(s string) string {
	s = strings.NewReplacer("&#34;", "&quot;", "&#39;", "'", "&#x27;", "'").Replace(s)
	s = selfClosing.ReplaceAllString(s, "$1>") // <hr /> is <hr>
	return strings.TrimSpace(s)
}

var selfClosing = regexp.MustCompile(`(<(?:hr|br|img|input)\b[^>]*?)\s*/>`)
