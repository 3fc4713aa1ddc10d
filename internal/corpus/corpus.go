// Package corpus writes a synthetic content folder for benchmarks: pages
// shaped like the guide's (front matter, sections, tables, lists, links
// between pages, one code block each) in a size and number the caller picks.
//
// The output depends only on the arguments: the same pages and seed give the
// same bytes on every machine and Go release (the generator uses its own
// PCG stream and never ranges over maps). Every code block is different, so a
// highlight cache cannot serve one block for another, and every link is a
// relative path to a page that exists, as the builder requires.
//
// Layout:
//
//	site.yaml                 title: Synthetic corpus
//	_index.md                 home page
//	section-01/_index.md      one of Sections sections
//	section-01/page-0001.md   page n lives in section ((n-1) % Sections) + 1
//	…
package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Sections is the number of section folders.
const Sections = 10

// SiteTitle is the title written to site.yaml.
const SiteTitle = "Synthetic corpus"

// Generate writes pages synthetic pages into dir (created if needed),
// spread over Sections sections, with each section's _index.md, a top
// _index.md and site.yaml. Pages are about 8 KB each.
func Generate(dir string, pages int, seed int64) error {
	if pages < 0 {
		return errors.New("corpus: negative page count")
	}
	g := &gen{pages: pages, r: rand.New(rand.NewPCG(uint64(seed), 0x5ca1eb00c))}
	g.titles = make([]string, pages+1)
	for n := 1; n <= pages; n++ {
		g.titles[n] = g.title()
	}
	write := func(rel string, data []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, data, 0o644)
	}
	if err := write("site.yaml", []byte("title: "+SiteTitle+"\ndescription: Generated pages for build benchmarks.\n")); err != nil {
		return err
	}
	if err := write("_index.md", g.home()); err != nil {
		return err
	}
	for s := 1; s <= Sections; s++ {
		if err := write(sectionDir(s)+"/_index.md", g.section(s)); err != nil {
			return err
		}
	}
	for n := 1; n <= pages; n++ {
		if err := write(PagePath(n), g.page(n)); err != nil {
			return err
		}
	}
	return nil
}

// PagePath is page n's path inside the content folder (n from 1).
func PagePath(n int) string {
	return fmt.Sprintf("%s/page-%04d.md", sectionDir(SectionOf(n)), n)
}

// SectionOf is the section (1…Sections) that holds page n.
func SectionOf(n int) int { return (n-1)%Sections + 1 }

func sectionDir(s int) string { return fmt.Sprintf("section-%02d", s) }

type gen struct {
	pages  int
	r      *rand.Rand
	titles []string
	buf    bytes.Buffer
}

// intn returns a number in [0, n) from the generator's own stream, so that
// the output does not depend on how a Go release implements IntN.
func (g *gen) intn(n int) int { return int(g.r.Uint64() % uint64(n)) }

func (g *gen) pick(words []string) string { return words[g.intn(len(words))] }

// pickDistinct returns k different words.
func (g *gen) pickDistinct(words []string, k int) []string {
	idx := make([]int, len(words))
	for i := range idx {
		idx[i] = i
	}
	out := make([]string, k)
	for i := range k {
		j := i + g.intn(len(idx)-i)
		idx[i], idx[j] = idx[j], idx[i]
		out[i] = words[idx[i]]
	}
	return out
}

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func (g *gen) title() string {
	return capitalize(g.pick(adjectives)) + " " + g.pick(nouns) + " " + g.pick(topics)
}

func (g *gen) sentence() string {
	n := 8 + g.intn(10)
	w := make([]string, n)
	for i := range w {
		switch g.intn(12) {
		case 0:
			w[i] = "`" + g.pick(nouns) + "_" + g.pick(verbs) + "()`"
		case 1:
			w[i] = "**" + g.pick(nouns) + "**"
		case 2:
			w[i] = fmt.Sprintf("%d %s", 1+g.intn(999), g.pick(units))
		default:
			w[i] = g.pick(prose)
		}
	}
	w[0] = capitalize(w[0])
	return strings.Join(w, " ") + "."
}

// paragraph adds sentences until the paragraph holds at least size bytes.
func (g *gen) paragraph(size int, extra string) string {
	var b strings.Builder
	for b.Len() < size {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(g.sentence())
		if extra != "" && b.Len() > size/2 {
			b.WriteString(" " + extra)
			extra = ""
		}
	}
	return b.String()
}

// link returns a Markdown link from page from to another page, written as
// a relative path to its .md file.
func (g *gen) link(from int) string {
	if g.pages < 2 {
		return "[the overview](../_index.md)"
	}
	to := from
	for to == from {
		to = 1 + g.intn(g.pages)
	}
	return fmt.Sprintf("[%s](../%s)", g.titles[to], PagePath(to))
}

func (g *gen) home() []byte {
	b := &g.buf
	b.Reset()
	fmt.Fprintf(b, "---\ntitle: %q\nweight: 0\ndescription: %q\n---\n\n", SiteTitle, "Generated pages for build benchmarks.")
	b.WriteString(g.paragraph(400, "") + "\n\n")
	for s := 1; s <= Sections; s++ {
		fmt.Fprintf(b, "- [Section %02d](%s/_index.md)\n", s, sectionDir(s))
	}
	return bytes.Clone(b.Bytes())
}

func (g *gen) section(s int) []byte {
	b := &g.buf
	b.Reset()
	fmt.Fprintf(b, "---\ntitle: %q\nweight: %d\ndescription: %q\n---\n\n", fmt.Sprintf("Section %02d", s), s, g.sentence())
	b.WriteString(g.paragraph(500, "") + "\n")
	return bytes.Clone(b.Bytes())
}

// page n: five h2 sections, each with two paragraphs (one holding a link to
// another page), a table and a nested list; one section also has the code
// block.
func (g *gen) page(n int) []byte {
	b := &g.buf
	b.Reset()
	fmt.Fprintf(b, "---\ntitle: %q\nweight: %d\ndescription: %q\n---\n\n", g.titles[n], (n-1)/Sections+1, g.sentence())
	b.WriteString(g.paragraph(300, "") + "\n\n")
	codeAt := g.intn(5)
	for i, topic := range g.pickDistinct(topics, 5) {
		fmt.Fprintf(b, "## %s %s\n\n", capitalize(g.pick(adjectives)), topic)
		b.WriteString(g.paragraph(340+g.intn(160), "See "+g.link(n)+" for the trade-offs.") + "\n\n")
		g.table(b)
		b.WriteString(g.paragraph(220+g.intn(160), "") + "\n\n")
		g.list(b)
		if i == codeAt {
			lang := languages[n%len(languages)]
			fmt.Fprintf(b, "```%s\n%s```\n\n", lang, g.code(lang, n))
		}
	}
	return bytes.Clone(b.Bytes())
}

func (g *gen) table(b *bytes.Buffer) {
	b.WriteString("| Component | p99 latency | Throughput | Notes |\n|---|---:|---:|---|\n")
	for range 4 {
		fmt.Fprintf(b, "| %s %s | %d ms | %d req/s | %s %s |\n",
			capitalize(g.pick(adjectives)), g.pick(nouns), 1+g.intn(900), 100*(1+g.intn(500)), g.pick(prose), g.pick(nouns))
	}
	b.WriteString("\n")
}

func (g *gen) list(b *bytes.Buffer) {
	for range 3 {
		fmt.Fprintf(b, "- %s %s %s\n", capitalize(g.pick(verbs)), g.pick(adjectives), g.pick(nouns))
		for range 2 {
			fmt.Fprintf(b, "  - %s %s at %d %s\n", capitalize(g.pick(verbs)), g.pick(nouns), 1+g.intn(999), g.pick(units))
		}
	}
	b.WriteString("\n")
}

var languages = []string{"go", "python", "sql", "yaml", "javascript"}

// ident builds an identifier unique to page n in the given case style.
func (g *gen) ident(n int, style byte) string {
	a, v, o := g.pick(nouns), g.pick(verbs), g.pick(nouns)
	switch style {
	case 'C': // CamelCase
		return fmt.Sprintf("%s%s%s%04d", capitalize(v), capitalize(a), capitalize(o), n)
	case 'c': // camelCase
		return fmt.Sprintf("%s%s%s%04d", v, capitalize(a), capitalize(o), n)
	default: // snake_case
		return fmt.Sprintf("%s_%s_%s_%04d", v, a, o, n)
	}
}

func (g *gen) code(lang string, n int) string {
	var b strings.Builder
	fields := g.pickDistinct(nouns, 3+g.intn(3))
	switch lang {
	case "go":
		typ := g.ident(n, 'C')
		fn := capitalize(g.pick(verbs)) + capitalize(g.pick(nouns))
		fmt.Fprintf(&b, "package %s\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\t\"time\"\n)\n\n", strings.ReplaceAll(sectionDir(SectionOf(n)), "-", ""))
		fmt.Fprintf(&b, "// %s keeps %s state for the %s service.\ntype %s struct {\n", typ, g.pick(nouns), g.pick(nouns), typ)
		for _, f := range fields {
			fmt.Fprintf(&b, "\t%s%d %s\n", f, g.intn(100), g.pick([]string{"int", "int64", "string", "time.Duration", "[]byte", "map[string]int"}))
		}
		fmt.Fprintf(&b, "}\n\nfunc (s *%s) %s(ctx context.Context, key string, n int) (int64, error) {\n", typ, fn)
		fmt.Fprintf(&b, "\tdeadline := time.Now().Add(%d * time.Millisecond)\n\tif n > %d {\n", 10+g.intn(990), 1+g.intn(64))
		fmt.Fprintf(&b, "\t\treturn 0, fmt.Errorf(\"%s: %%d exceeds the limit for %%q\", n, key)\n\t}\n", g.pick(nouns))
		fmt.Fprintf(&b, "\tvar total int64\n\tfor i := 0; i < n; i++ {\n\t\tif time.Now().After(deadline) || ctx.Err() != nil {\n\t\t\tbreak\n\t\t}\n")
		fmt.Fprintf(&b, "\t\ttotal += int64(len(key)*%d + i) // %s\n\t}\n\treturn total, nil\n}\n", 3+g.intn(97), g.sentence())
	case "python":
		cls := g.ident(n, 'C')
		fmt.Fprintf(&b, "import time\nfrom dataclasses import dataclass, field\n\n\n@dataclass\nclass %s:\n    \"\"\"%s\"\"\"\n\n", cls, g.sentence())
		for _, f := range fields {
			fmt.Fprintf(&b, "    %s_%d: int = %d\n", f, g.intn(100), g.intn(5000))
		}
		fmt.Fprintf(&b, "    history: list = field(default_factory=list)\n\n    def %s(self, key: str, n: int = %d) -> float:\n", g.ident(n, 's'), 1+g.intn(32))
		fmt.Fprintf(&b, "        start = time.monotonic()\n        for i in range(n):\n            self.history.append((key, i * %d))\n", 2+g.intn(50))
		fmt.Fprintf(&b, "        if len(self.history) > %d:\n            self.history = self.history[-%d:]\n", 100+g.intn(900), 10+g.intn(90))
		fmt.Fprintf(&b, "        return (time.monotonic() - start) * %d.0  # %s\n", 1000, g.pick(prose))
	case "sql":
		tbl := g.ident(n, 's')
		fmt.Fprintf(&b, "-- %s\nCREATE TABLE %s (\n    id BIGINT PRIMARY KEY,\n", g.sentence(), tbl)
		for _, f := range fields {
			fmt.Fprintf(&b, "    %s_%d %s NOT NULL,\n", f, g.intn(100), g.pick([]string{"INTEGER", "BIGINT", "TEXT", "TIMESTAMP", "VARCHAR(64)", "NUMERIC(12, 2)"}))
		}
		fmt.Fprintf(&b, "    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP\n);\n\n")
		fmt.Fprintf(&b, "CREATE INDEX %s_idx ON %s (%s_%d, created_at);\n\n", tbl, tbl, fields[0], g.intn(100))
		fmt.Fprintf(&b, "SELECT %s_%d, COUNT(*) AS n, MAX(created_at) AS last_seen\nFROM %s\n", fields[1], g.intn(100), tbl)
		fmt.Fprintf(&b, "WHERE created_at > NOW() - INTERVAL '%d minutes'\n  AND id %% %d = %d\nGROUP BY 1\nHAVING COUNT(*) > %d\nORDER BY n DESC\nLIMIT %d;\n",
			1+g.intn(600), 2+g.intn(30), g.intn(2), 1+g.intn(100), 10+g.intn(90))
	case "yaml":
		fmt.Fprintf(&b, "# %s\nservice: %s\nreplicas: %d\n", g.sentence(), g.ident(n, 's'), 1+g.intn(12))
		fmt.Fprintf(&b, "resources:\n  cpu: %dm\n  memory: %dMi\n", 100*(1+g.intn(40)), 128*(1+g.intn(32)))
		b.WriteString("limits:\n")
		for _, f := range fields {
			fmt.Fprintf(&b, "  %s_%d: %d\n", f, g.intn(100), g.intn(100000))
		}
		fmt.Fprintf(&b, "routes:\n")
		for range 2 + g.intn(3) {
			fmt.Fprintf(&b, "  - path: /%s/%s\n    timeout: %dms\n    retries: %d\n", g.pick(nouns), g.pick(verbs), 50+g.intn(5000), g.intn(5))
		}
		fmt.Fprintf(&b, "enabled: %v\nowner: \"%s-%04d\"\n", g.intn(2) == 1, g.pick(nouns), n)
	case "javascript":
		fn := g.ident(n, 'c')
		fmt.Fprintf(&b, "// %s\nexport async function %s(client, key, options = {}) {\n", g.sentence(), fn)
		fmt.Fprintf(&b, "  const { limit = %d, timeoutMs = %d } = options;\n  const seen = new Map();\n", 1+g.intn(500), 100+g.intn(9000))
		for _, f := range fields {
			fmt.Fprintf(&b, "  const %s%d = await client.get(`%s:${key}:%d`);\n", f, g.intn(100), f, g.intn(1000))
		}
		fmt.Fprintf(&b, "  for (let i = 0; i < limit; i++) {\n    if (seen.size > %d) break;\n    seen.set(`${key}-${i}`, i * %d);\n  }\n", 10+g.intn(90), 2+g.intn(40))
		fmt.Fprintf(&b, "  return { key, size: seen.size, timeoutMs, tag: \"%s\" };\n}\n", g.pick(nouns))
	}
	return b.String()
}

var adjectives = strings.Fields(`sharded replicated cached partitioned durable eventual consistent
	regional global hot cold async batched streaming idempotent lossy bounded elastic tiered
	read-heavy write-heavy leaderless quorum-based append-only immutable versioned throttled`)

var nouns = strings.Fields(`ledger shard tenant queue topic partition replica leader follower
	cache index bucket object blob session token quota counter timeline feed inbox outbox
	snapshot checkpoint journal segment compactor gateway router balancer worker scheduler
	lease lock epoch cursor offset watermark window bloom sketch histogram tracer span`)

var verbs = strings.Fields(`fetch store replicate evict compact flush merge split route
	throttle batch stream hash sign verify encode decode publish consume ack retry backoff
	prune rebalance promote demote drain warm probe sample aggregate shed`)

var topics = strings.Fields(`storage replication caching partitioning consistency availability
	latency throughput sharding indexing queueing backpressure failover recovery monitoring
	alerting capacity estimation durability compaction routing admission scheduling`)

var units = strings.Fields(`ms requests nodes replicas shards GB MB connections writes reads`)

var prose = strings.Fields(`the a each every one more fewer requests writes reads clients servers
	nodes when while because so that which during under above across between through with
	without per load traffic peak average tail budget cost disk memory network region zone
	rack pool tier path hop call write read miss hit fails recovers grows shrinks doubles
	halves spreads queues blocks drops retries waits scales holds keeps moves lands serves
	is are was stays becomes and or but not only also then still`)
