package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scalebook/scalebook/calc"
)

// writeSite writes files (path → text) under a new content folder.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const twitterPage = "---\ntitle: Twitter\n---\n```calc id=twitter\ndau = 300M users\nread_qps := dau * 5 / day as req/s \"Reads\"\negress := read_qps * 10% * 5 MB\n```\n"

func TestSheetsLendAcrossPages(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"index.md":            "# Home\n\n[t](twitter.md) [c](cdn.md)\n",
		"twitter.md":          twitterPage,
		"_sheets/prices.calc": "# Shared prices\nnouns: shards\ns3 = $0.023/GB/month \"S3 Standard\"\n",
		"cdn.md": "---\ntitle: CDN\n---\nAt {{cdn.origin}} the origin is small; S3 costs {{prices.s3}} and the timeline reads " +
			"{{twitter.read_qps}}.\n\n```calc id=cdn\nhit = 95%\norigin := twitter.egress * (1 - hit) as GB/s\nkeep := 10 shards\nbill := 1 PB * prices.s3\n```\n",
	})
	b := New(Options{ContentDir: dir})
	site, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	page := string(site.Files["cdn/index.html"])
	tw, _ := calc.Parse("dau = 300M users\nread_qps := dau * 5 / day as req/s\negress := read_qps * 10% * 5 MB\nhit = 95%\norigin := egress * (1 - hit) as GB/s\n")
	want := tw.Eval(nil)
	for _, s := range []string{
		want.Get("origin").Text,   // a formula on another page's cell
		"$0.023/GB/month",         // a site-wide price, in the prose
		want.Get("read_qps").Text, // another page's figure, in the prose
		"10 shards",               // a site-wide noun
		"$23K/month",              // 1 PB at the shared price
		`twitter.egress := 8.680555555555555e+09 B / 1 s hidden`, // lent as a hidden line the browser reads too
	} {
		if !strings.Contains(page, s) {
			t.Errorf("cdn page lacks %q", s)
		}
	}
	// An edit of the twitterPage re-renders the borrower.
	os.WriteFile(filepath.Join(dir, "twitter.md"), []byte(strings.Replace(twitterPage, "300M", "600M", 1)), 0o644)
	site, err = b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if after := string(site.Files["cdn/index.html"]); !strings.Contains(after, "868 MB/s") {
		t.Errorf("after doubling twitter's users the borrower still shows %q", want.Get("origin").Text)
	}
}

// An input may take its default from another sheet: the figure is written
// in as a literal, so the reader can still change it on the borrowing page.
func TestSheetsLendDefaults(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"index.md":   "# Home\n\n[t](twitter.md) [c](ch.md)\n",
		"twitter.md": twitterPage,
		"ch.md": "# Chapter\n\nAt {{input ch.dau}} users: {{ch.double}}.\n\n```calc id=ch\n" +
			"dau = twitter.dau \"Daily active users\" range 1M..2B log\nshare = twitter.share \"Share\"\n" +
			"double := dau * 2\nreads := twitter.read_qps * share\n```\n",
		"_sheets/x.calc": "",
	})
	os.WriteFile(filepath.Join(dir, "twitter.md"), []byte(strings.Replace(twitterPage, "dau = 300M users\n", "dau = 300M users\nshare = 12.5%\n", 1)), 0o644)
	site, err := New(Options{ContentDir: dir}).Build()
	if err != nil {
		t.Fatal(err)
	}
	page := string(site.Files["ch/index.html"])
	for _, s := range []string{
		`value="300M users"`,         // the input shows the lent figure
		`name="share" value="12.5%"`, // a percentage stays one
		`data-cell="ch.double" data-value="6e+08">600M users`,
		`dau = 300M users &#34;Daily active users&#34; range 1M..2B log`, // the browser reads the lent figure as written
		`twitter.read_qps := 17361.11111111111 req / 1 s as req/s hidden`,
	} {
		if !strings.Contains(page, s) {
			t.Errorf("chapter lacks %q", s)
		}
	}
}

func TestSheetsErrors(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"missing cell", map[string]string{"twitter.md": twitterPage,
			"b.md": "```calc id=b\nx := twitter.egres * 2\n```\n"},
			`b.md:2:6: sheet twitter (` /* …path… */},
		{"missing cell suggestion", map[string]string{"twitter.md": twitterPage,
			"b.md": "```calc id=b\nx := twitter.egres * 2\n```\n"},
			`has no cell "egres" — did you mean "twitter.egress"?`},
		{"ambiguous id", map[string]string{"twitter.md": twitterPage, "other.md": twitterPage,
			"b.md": "```calc id=b\nx := twitter.dau * 2\n```\n"},
			`b.md:2:6: sheet id "twitter" is on more than one page`},
		{"circle", map[string]string{
			"a.md": "```calc id=a\nx := b.y * 2\n```\n",
			"b.md": "```calc id=b\ny := a.x + 1\n```\n"},
			"sheets lend to each other in a circle: a → b → a"},
		{"bad shared sheet", map[string]string{"_sheets/prices.calc": "s3 = $0.023/GB/mnth\n"},
			`_sheets/prices.calc:1:`},
		{"a unit two shared sheets define differently", map[string]string{
			"_sheets/a.calc": "unit rack = 42 servers\n",
			"_sheets/b.calc": "# racks\n  unit racks = 40 servers\n"},
			`_sheets/b.calc:2:8: unit "racks" is defined differently in `},
		{"a unit two shared sheets define differently, the message", map[string]string{
			"_sheets/a.calc": "unit rack = 42 servers\n",
			"_sheets/b.calc": "# racks\n  unit racks = 40 servers\n"},
			`_sheets/a.calc:1 (42 servers) and here (40 servers); define it once for the site`},
		{"a page's unit the site defines", map[string]string{
			"_sheets/units.calc": "unit rack = 42 servers\n",
			"b.md":               "# B\n\n```calc id=b\nn = 2 racks\nunit rack = 40 servers\n```\n"},
			`b.md:5:6: unit "rack" is already defined for the whole site (`},
		{"a page's unit the site defines, the message", map[string]string{
			"_sheets/units.calc": "unit rack = 42 servers\n",
			"b.md":               "# B\n\n```calc id=b\nn = 2 racks\nunit rack = 40 servers\n```\n"},
			`_sheets/units.calc:1: unit rack = 42 servers); use it, or give this one another name`},
		{"a bad shared unit", map[string]string{"_sheets/units.calc": "unit page = 4 KiB\n"},
			`_sheets/units.calc:1:6: "page" is a count noun`},
	}
	for _, c := range cases {
		files := map[string]string{"index.md": "# Home\n"}
		for k, v := range c.files {
			files[k] = v
			files["index.md"] += "[" + k + "](" + k + ") "
		}
		dir := writeSite(t, files)
		_, err := New(Options{ContentDir: dir}).Build()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v\nwant %q", c.name, err, c.want)
		}
	}
}

func TestCalcFences(t *testing.T) {
	body := "Text.\n\n```calc id=a\nx = 1\n```\n\n~~~~calc\ny = 2\n```\nz := y\n~~~~\n\n```go\nno\n```\n> ```calc id=q\n> q = 3\n> ```\n"
	got := calcFences([]byte(body))
	if len(got) != 3 {
		t.Fatalf("%+v", got)
	}
	if got[0].id != "a" || got[0].line != 4 || got[0].text != "x = 1\n" {
		t.Errorf("first: %+v", got[0])
	}
	if got[1].id != "calc2" || got[1].text != "y = 2\n```\nz := y\n" {
		t.Errorf("second (tildes, an inner shorter fence): %+v", got[1])
	}
	if got[2].id != "q" {
		t.Errorf("in a quote: %+v", got[2])
	}
}

// A lending input given as a range is lent as the range.
func TestSheetsLendRanges(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"index.md":   "# Home\n\n[t](twitter.md) [c](ch.md)\n",
		"twitter.md": strings.Replace(twitterPage, "dau = 300M users", "dau = 200M..400M users", 1),
		"ch.md":      "# Chapter\n\n```calc id=ch\ndau = twitter.dau \"Daily active users\"\nreads := dau * 5 / day as req/s\n```\n",
	})
	site, err := New(Options{ContentDir: dir}).Build()
	if err != nil {
		t.Fatal(err)
	}
	page := string(site.Files["ch/index.html"])
	for _, s := range []string{`value="200M–400M users"`, `11.6K–23.1K req/s`} {
		if !strings.Contains(page, s) {
			t.Errorf("chapter lacks %q", s)
		}
	}
}

// A build after an edit that changes no sheet reuses the last build's
// lending whole: its problems must come back with it, and its figures
// must be a fresh build's.
func TestSheetsReusedAcrossBuilds(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"index.md":   "# Home\n\n[t](twitter.md) [a](a.md) [b](b.md)\n",
		"twitter.md": twitterPage,
		"a.md":       "# A\n\nReads: {{twitter.read_qps}}.\n\n```calc id=a\nx := b.y * 2\n```\n",
		"b.md":       "```calc id=b\ny := a.x + 1\n```\n",
	})
	b := New(Options{ContentDir: dir})
	for i, prose := range []string{"Reads", "Reads, again", "Reads, once more"} {
		p := filepath.Join(dir, "a.md")
		data, _ := os.ReadFile(p)
		os.WriteFile(p, []byte(strings.Replace(string(data), "Reads", prose, 1)), 0o644)
		_, err := b.Build()
		if err == nil || !strings.Contains(err.Error(), "b.md:2:6: sheets lend to each other in a circle: a → b → a") {
			t.Fatalf("build %d after a prose edit: %v; want the circle reported again", i, err)
		}
	}
	// Break the circle: the lending is worked out again, and the result
	// is a fresh build's.
	os.WriteFile(filepath.Join(dir, "b.md"), []byte("```calc id=b\ny := 20 + 1\n```\n"), 0o644)
	rebuiltAsFresh(t, b, dir, "a/index.html", "42")
}

// rebuiltAsFresh builds again with b, after a change to the sources in
// dir, and checks that page is what a fresh build gives, and shows want.
func rebuiltAsFresh(t *testing.T, b *Builder, dir, page, want string) {
	t.Helper()
	got, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := New(Options{ContentDir: dir}).Build()
	if err != nil {
		t.Fatal(err)
	}
	if g, w := string(got.Files[page]), string(fresh.Files[page]); g != w || !strings.Contains(g, want) {
		t.Errorf("%s rebuilt after the change differs from a fresh build's (or lacks %q):\n%s\n---\n%s", page, want, g, w)
	}
}

// TestSheetsSiteUnits: a unit defined in _sheets/ is known to every
// calculator of the site, in the build's figures and in the text the
// browser's engine reads; a unit a page defines is known to its sheet only.
func TestSheetsSiteUnits(t *testing.T) {
	units := "# Units of the site\nunit rack = 42 servers  # a full-height rack\n"
	dir := writeSite(t, map[string]string{
		"index.md":           "# Home\n\n[a](a.md) [b](b.md)\n",
		"_sheets/units.calc": units,
		"_sheets/same.calc":  "unit  rack =  42   servers\nhalf := 0.5 rack\n",
		"a.md": "---\ntitle: A\n---\n```calc id=a\nfleet = 3 racks \"Fleet\"\nneed := 500 servers as racks \"Racks needed\"\n" +
			"unit frame = s / 30\nlag := 2 frames as ms\n```\n\nWe need {{a.need}}, {{a: fleet as servers}}.\n",
		"b.md": "---\ntitle: B\n---\n```calc id=b\nspare = 1 rack\n```\n",
	})
	site, err := New(Options{ContentDir: dir}).Build()
	if err != nil {
		t.Fatal(err)
	}
	a, b := string(site.Files["a/index.html"]), string(site.Files["b/index.html"])
	// The build's figures, as the engine gives them for the sheet with the
	// site's line appended.
	sheet, err := calc.Parse("fleet = 3 racks\nneed := 500 servers as racks\nunit frame = s / 30\nlag := 2 frames as ms\nunit rack = 42 servers\n")
	if err != nil {
		t.Fatal(err)
	}
	want := sheet.Eval(nil)
	for _, w := range []string{want.Get("fleet").Text, want.Get("need").Text, want.Get("lag").Text, "126 servers",
		// The browser reads the site's unit from the sheet's text.
		"unit rack = 42 servers\n"} {
		if !strings.Contains(a, w) {
			t.Errorf("page a lacks %q", w)
		}
	}
	if want.Get("need").Text != "11.9 racks" {
		t.Errorf("need = %q", want.Get("need").Text)
	}
	if !strings.Contains(b, "1 rack") || strings.Contains(b, "frame") {
		t.Errorf("page b: a site unit should show (1 rack) and a's own unit should not reach it")
	}
}

// TestSheetsSiteWordsInConstants: a {{= …}} figure outside any sheet's
// scope (a page with no calculator, or with several) knows the site's
// nouns and units as the sheets do, and a page quoting one is rendered
// again when the site's units change, as a fresh build would.
func TestSheetsSiteWordsInConstants(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"index.md":           "# Home\n\n[a](a.md) [b](b.md)\n",
		"_sheets/units.calc": "nouns: shards\nunit rack = 42 servers\n",
		"a.md":               "# A\n\nThree racks hold {{= 3 racks as servers}}; {{ = 10 shards * 2}}.\n",
		"b.md":               "# B\n\n```calc id=x\nn = 1 rack\n```\n\n```calc id=y\nm = 2\n```\n\nTwo racks: {{= 2 racks as servers}}.\n",
	})
	b := New(Options{ContentDir: dir})
	site, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	for page, want := range map[string][]string{"a/index.html": {"126 servers", "20 shards"}, "b/index.html": {"84 servers"}} {
		for _, w := range want {
			if !strings.Contains(string(site.Files[page]), w) {
				t.Errorf("%s lacks %q", page, w)
			}
		}
	}
	os.WriteFile(filepath.Join(dir, "_sheets", "units.calc"), []byte("nouns: shards\nunit rack = 40 servers\n"), 0o644)
	rebuiltAsFresh(t, b, dir, "a/index.html", "120 servers")
}

// TestSheetsBadSiteUnitReportedOnce: a unit of _sheets/ that the engine
// refuses is reported in its file, not again by every calculator of the
// site (whose text the site's units are appended to).
func TestSheetsBadSiteUnitReportedOnce(t *testing.T) {
	dir := writeSite(t, map[string]string{"index.md": "# Home\n\n[a](a.md)\n",
		"_sheets/units.calc": "unit page = 4 KiB\nunit rack = 42 servers\n",
		"a.md":               "# A\n\n```calc id=a\nx = 5 racks\n```\n"})
	_, err := New(Options{ContentDir: dir}).Build()
	if err == nil {
		t.Fatal("no error")
	}
	if got := strings.Count(err.Error(), `"page" is a count noun`); got != 1 || !strings.Contains(err.Error(), "units.calc:1:6:") {
		t.Errorf("reported %d times:\n%v", got, err)
	}
	if strings.Contains(err.Error(), "racks") {
		t.Errorf("the good unit was refused too:\n%v", err)
	}
}
