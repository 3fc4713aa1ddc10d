package highlight

import (
	"reflect"
	"sync"
	"time"
	"unsafe"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// Chroma gives every regular expression of its lexers a 250 ms match
// timeout and treats a timeout as "no match", which tokenizes the block
// differently. On a loaded machine (a build beside a test run, a laptop on
// battery) a match can take that long, so the same code block came out
// coloured differently from build to build: output must be byte-identical
// for the same sources. Lexers are therefore given a long timeout
// (lexerTimeout) before they tokenize, and after any first use of a
// language the lexers it pulled in (JavaScript inside HTML) get it too.
// Chroma keeps the compiled rules unexported; reflection reaches them, and
// a test fails if a chroma upgrade moves them.
const lexerTimeout = 30 * time.Second

var (
	// lexMu is held for reading while a block is tokenized and for writing
	// while timeouts are changed, so no lexer is changed while in use.
	lexMu sync.RWMutex
	// patched holds the lexers whose timeouts are set; seen, the languages
	// already prepared.
	patched = map[*chroma.RegexLexer]bool{}
	seen    sync.Map
)

// prepare readies lang's lexer before its first use: compiled, with the
// long timeout, and every other lexer compiled so far patched too.
func prepare(lang string, lexer chroma.Lexer) {
	if _, ok := seen.Load(lang); ok {
		return
	}
	lexMu.Lock()
	defer lexMu.Unlock()
	if _, ok := seen.Load(lang); ok {
		return
	}
	// Tokenizing nothing compiles the lexer's rules.
	if it, err := lexer.Tokenise(nil, ""); err == nil {
		for t := it(); t != chroma.EOF; t = it() {
		}
	}
	patchCompiled()
	seen.Store(lang, true)
}

// afterFirstUse patches the lexers a language's first block compiled on
// the way (the embedded languages of HTML or Markdown).
func afterFirstUse() {
	lexMu.Lock()
	patchCompiled()
	lexMu.Unlock()
}

// patchCompiled sets the long timeout on every compiled lexer not yet
// patched. It returns how many it patched. The caller holds lexMu.
func patchCompiled() int {
	n := 0
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		rl, ok := l.(*chroma.RegexLexer)
		if !ok || patched[rl] {
			continue
		}
		rules, compiled := compiledRules(rl)
		if !compiled {
			continue
		}
		for _, state := range rules {
			for _, r := range state {
				if r.Regexp != nil {
					r.Regexp.MatchTimeout = lexerTimeout
				}
			}
		}
		patched[rl] = true
		n++
	}
	return n
}

// compiledRules reads a RegexLexer's unexported compiled rules.
func compiledRules(l *chroma.RegexLexer) (map[string][]*chroma.CompiledRule, bool) {
	v := reflect.ValueOf(l).Elem()
	c, r := v.FieldByName("compiled"), v.FieldByName("rules")
	if !c.IsValid() || !r.IsValid() || c.Kind() != reflect.Bool {
		return nil, false
	}
	compiled := reflect.NewAt(c.Type(), unsafe.Pointer(c.UnsafeAddr())).Elem().Bool()
	rules, ok := reflect.NewAt(r.Type(), unsafe.Pointer(r.UnsafeAddr())).Elem().Interface().(map[string][]*chroma.CompiledRule)
	return rules, compiled && ok
}
