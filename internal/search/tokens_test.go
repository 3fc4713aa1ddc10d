package search_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/scalebook/scalebook/internal/search"
)

func TestTerms(t *testing.T) {
	for _, tc := range []struct {
		text string
		want string // stem/word pairs
	}{
		{"Sharding, sharded shards", "shard/sharding shard/sharded shard/shards"},
		{"The fan-out of a write", "fan/fan fanout/fanout write/write"},
		{"read_qps and ReadQPS", "read/read qps/qps readqp/readqps read/read qps/qps"},
		{"read_qps-peak __name__", "read/read qps/qps peak/peak name/name"},
		{"HTTPServer fetchLedger", "httpserver/httpserver http/http server/server fetchledg/fetchledger fetch/fetch ledger/ledger"},
		{"p99 at 300 ms, 1,000 req/s", "p99/p99 ms/ms req/req"},
		{"Café déjà-vu “quoted” it's", "café/café déjà/déjà vu/vu déjàvu/déjàvu quot/quoted"},
		{"a I x -- - trailing- -leading", "trail/trailing lead/leading"},
		{strings.Repeat("x", 41) + " ok", "ok/ok"},
		{"consistency consistent consistant", "consist/consistency consist/consistent consist/consistant"},
	} {
		var got []string
		search.Terms(tc.text, func(term search.Term) { got = append(got, term.Stem+"/"+term.Word) })
		if strings.Join(got, " ") != tc.want {
			t.Errorf("Terms(%q)\n got %s\nwant %s", tc.text, strings.Join(got, " "), tc.want)
		}
	}
}

func TestQueryTerms(t *testing.T) {
	vm := jsCore(t)
	call(t, vm, "setStopWords", search.StopWords)
	for _, tc := range []struct{ query, want string }{
		{"consistant hashing", "consist hash"},
		{"fan-out", "fanout"},
		{"read_qps", "read qps"},
		{"read_qps-at-peak x_1", "read qps peak"},
		{"the QPS of it", "qps"},
		{"Snowflake ID", "snowflak id"},
		{"300 x", ""},
	} {
		var got []string
		for _, q := range search.QueryTerms(tc.query) {
			got = append(got, q.Stem)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("QueryTerms(%q) = %q, want %q", tc.query, strings.Join(got, " "), tc.want)
		}
		var script []string
		for _, q := range call(t, vm, "queryTerms", tc.query).([]any) {
			script = append(script, q.(map[string]any)["stem"].(string))
		}
		if !slices.Equal(script, got) {
			t.Errorf("the script's queryTerms(%q) = %q, the build's %q", tc.query, script, got)
		}
	}
}

// The page script tokenises and stems queries itself; it must agree with
// the build on every word of the guide.
func TestScriptTokenizerAgrees(t *testing.T) {
	vm := jsCore(t)
	call(t, vm, "setStopWords", search.StopWords)
	// A few pages of every kind (goja runs the script about a hundred
	// times slower than a browser).
	var files []string
	for _, f := range []string{"guide/03-estimation.md", "systems/twitter.md", "systems/leaderboard.md", "reference/calculators.md"} {
		files = append(files, filepath.Join("..", "..", "content", f))
	}
	extra := "HTTPServer read_qps read_qps-at-peak __init__ fan-out Fan-Out caf\u00e9 na\u00efve \u201cquoted\u201d it\u2019s 10\u00d7 \u00bd x\u00b2 \u00e9t\u00e9-\u00e0-Paris"
	for _, f := range append(files, "") {
		text := extra
		if f != "" {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text = string(data)
		}
		var want []string
		search.Terms(text, func(term search.Term) { want = append(want, term.Stem+"/"+term.Word) })
		got := exportStrings(call(t, vm, "tokenize", text))
		if !slices.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s: the script's terms differ from the build's at term %d: script %q, build %q", f, i, around(got, i), around(want, i))
		}
	}
}

func around(s []string, i int) []string { return s[max(0, i-3):min(len(s), i+3)] }

func exportStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// snowballVocabulary reads the Snowball project's English test vocabulary
// (29,000 words and their stems) from the stemmer module's tests, or skips.
func snowballVocabulary(t *testing.T) [][2]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/kljensen/snowball").Output()
	if err != nil {
		t.Skipf("cannot locate the stemmer module: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "english_vocab", "vocab_test.go"))
	if err != nil {
		t.Skipf("the stemmer module's vocabulary: %v", err)
	}
	var pairs [][2]string
	for _, m := range regexp.MustCompile(`\{"([a-z]+)", "([a-z]+)"\}`).FindAllStringSubmatch(string(data), -1) {
		pairs = append(pairs, [2]string{m[1], m[2]})
	}
	if len(pairs) < 20000 {
		t.Fatalf("read only %d words from the vocabulary", len(pairs))
	}
	return pairs
}

// The script's stemmer is a port of the module's: it must give the
// Snowball project's answers for every word it can be asked about.
func TestScriptStemmerAgrees(t *testing.T) {
	pairs := snowballVocabulary(t)
	vm := jsCore(t)
	if testing.Short() {
		// A third of the words: goja is slow.
		for i := range len(pairs) / 3 {
			pairs[i] = pairs[i*3]
		}
		pairs = pairs[:len(pairs)/3]
	}
	var words []string
	for _, p := range pairs {
		words = append(words, p[0])
	}
	f, _ := vm.RunString(`(ws) => ws.map(core.stemOf)`)
	fn, _ := gojaFunc(vm, f)
	got, err := fn(goja.Undefined(), vm.ToValue(words))
	if err != nil {
		t.Fatal(err)
	}
	stems := exportStrings(got.Export())
	bad := 0
	for i, p := range pairs {
		want := p[1]
		if len(p[0]) < 3 {
			want = p[0] // words under three letters are not stemmed
		}
		if goStem := search.Stem(p[0]); goStem != want {
			t.Errorf("Go: Stem(%q) = %q, want %q", p[0], goStem, want)
		}
		// The script marks the words of a text shown without stemming
		// those whose first two letters no stem found has (search-core.js,
		// marked): that holds only while a stem keeps its word's first two
		// letters, but for the words the script knows (STEM_STARTS).
		if len(p[0]) >= 2 && (len(want) < 2 || want[:2] != p[0][:2]) {
			if known := map[string]string{"dying": "die", "lying": "lie", "tying": "tie"}[p[0]]; known != want {
				t.Errorf("stem(%q) = %q does not start with the word's first two letters", p[0], want)
			}
		}
		if stems[i] != want {
			if bad++; bad <= 20 {
				t.Errorf("script: stem(%q) = %q, want %q", p[0], stems[i], want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("the script stems %d of %d words differently", bad, len(pairs))
	}
}

func TestParseSynonyms(t *testing.T) {
	groups, problems := search.ParseSynonyms([][]string{
		{"QPS", "requests per second"},
		{"rps", "qps"},        // shares qps: merged with the first
		{"fanout", "fan-out"}, // one phrase once stemmed and joined: dropped
		{"the"},
		{"sharding", "partitioning"},
		{"x", "of the"},
	})
	var got []string
	for _, g := range groups {
		var ps []string
		for _, p := range g.Phrases {
			ps = append(ps, strings.Join(p, "+"))
		}
		got = append(got, strings.Join(ps, ","))
	}
	if want := []string{"partit,shard", "qps,request+per+second,rps"}; !slices.Equal(got, want) {
		t.Errorf("groups = %q, want %q", got, want)
	}
	var msgs []string
	for _, p := range problems {
		msgs = append(msgs, p.Msg)
	}
	if len(problems) != 4 || problems[0].Group != 3 || problems[0].Phrase != 0 || problems[1].Group != 3 || problems[1].Phrase != -1 ||
		problems[2].Group != 5 || problems[3].Group != 5 || !strings.Contains(msgs[1], "two or more") {
		t.Errorf("problems = %+v", problems)
	}
	if len(search.DefaultSynonyms()) < 5 {
		t.Error("the built-in synonym table is missing")
	}
	if _, problems := search.ParseSynonyms(search.DefaultSynonymTable()); len(problems) > 0 {
		t.Errorf("the built-in table has problems: %+v", problems)
	}
}
