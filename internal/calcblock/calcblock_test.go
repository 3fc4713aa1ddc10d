package calcblock

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/yuin/goldmark"

	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/markdown"
)

var update = flag.Bool("update", false, "rewrite golden files")

func render(t *testing.T, src string) (string, *markdown.Doc, *diag.List) {
	t.Helper()
	calc := New(nil)
	md := markdown.New(markdown.Options{Extensions: []goldmark.Extender{calc}, PageFences: map[string]markdown.PageFenceHandler{Lang: calc}})
	var diags diag.List
	d := md.Parse("page.md", "content/page.md", 1, []byte(src), &diags)
	return string(md.Render(d, nil)), d, &diags
}

func TestGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.md"))
	if len(files) == 0 {
		t.Fatal("no golden inputs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got, d, diags := render(t, string(src))
			if err := diags.Err(); err != nil {
				t.Fatalf("unexpected errors:\n%v", err)
			}
			if !d.HasCalc {
				t.Error("page with a calculator not marked HasCalc")
			}
			golden := strings.TrimSuffix(f, ".md") + ".html"
			if *update {
				os.WriteFile(golden, []byte(got), 0o644)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got != string(want) {
				t.Errorf("HTML differs from %s (run go test -update and review):\n%s", golden, got)
			}
		})
	}
}

// TestFiguresCarryValues checks the contract the page script relies on,
// independently of the golden file: the figures hold the engine's values.
func TestFiguresCarryValues(t *testing.T) {
	src, _ := os.ReadFile(filepath.Join("testdata", "timeline.md"))
	got, _, _ := render(t, string(src))
	for _, want := range []string{
		// 300M × 5 / 86,400 s = 17,361.1/s → "17.4K req/s"
		`<span class="calc-fig" data-cell="twitter.read_qps" data-value="17361.1111111111`,
		`">17.4K req/s</span>`,
		// × 3 = 52,083.3/s
		`data-value="52083.333333333`,
		`">52.1K req/s</span>`,
		`data-calc="twitter"`,
		`name="dau" value="300M users"`,
		`class="calc-inline" data-cell="twitter.dau" data-input="twitter.dau"`,
		`type="range"`,
		`data-log="true"`,
		`>86.4K s</span>`,
		`{{not a figure}}`,
		`<code>{{code}}</code>`,
		`Opens of the home timeline`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %s", want)
		}
	}
	if strings.Contains(got, `data-cell="twitter.secret"`) {
		t.Error("hidden cell shown in the results")
	}
}

func TestErrors(t *testing.T) {
	sheet := "```calc id=s\nx = 5 MB \"X\"\ny := x * 2 \"Y\"\n```\n"
	cases := []struct {
		name, src, want string
	}{
		{"unknown sheet", sheet + "\nSee {{t.y}}.\n", "content/page.md:6:5: {{t.y}}: no calculator with id \"t\" on this page (calculators here: s)"},
		{"unknown cell", sheet + "\nSee {{s.z}}.\n", "content/page.md:6:5: {{s.z}}: calculator s has no cell \"z\""},
		{"typo suggestion", "```calc id=s\nread_qps = 5 /s\n```\n\nSee {{s.read_qsp}}.\n", `did you mean "s.read_qps"?`},
		{"no calculator", "See {{y}}.\n", "content/page.md:1:5: {{y}}: this page has no calculator"},
		{"input of formula", sheet + "\n{{input s.y}}\n", "content/page.md:6:1: {{input s.y}}: y is a formula"},
		{"sheet syntax error", "Intro.\n\n```calc id=s\nx = 5 MB\ny := x +\n```\n", "content/page.md:5:"},
		{"bad expression in prose", sheet + "\nSee {{s: x + 1 req/s}}.\n", "content/page.md:6:5: in {{s: x + 1 req/s}}:"},
		{"bad constant", "A {{= 1 MB + 1 s}} b\n", "content/page.md:1:3: in {{= 1 MB + 1 s}}:"},
		{"duplicate id", sheet + sheet, "content/page.md:5:1: a calculator with id \"s\" is already on this page"},
		{"bad id", "```calc id=9x\nx = 1\n```\n", "content/page.md:1:1: calculator id \"9x\" must be"},
		{"columns count bytes", "```calc\nx := 5 × 3 ÷ zz\n```\n", "content/page.md:2:16: unknown name"},
		{"ambiguous", "```calc id=a\nx = 1\n```\n```calc id=b\nx = 2\n```\n{{x}}\n", "calculators a and b both have a cell x; write {{a.x}}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, diags := render(t, c.src)
			err := diags.Err()
			if err == nil {
				t.Fatalf("no error; want %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, c.want)
			}
		})
	}
}

// TestSuggestions: a misspelt name carries the likely fix as the
// diagnostic's Suggestion, wherever the mistake is.
func TestSuggestions(t *testing.T) {
	two := "```calc id=a\nread_qps = 5 /s\n```\n```calc id=b\nread_qps = 6 /s\n```\n"
	cases := []struct{ name, src, want string }{
		{"in a sheet", "```calc\ndau = 5 users\nx := dua * 2\n```\n", "dau"},
		{"unknown unit", "```calc\nx = 5 GBs\n```\n", "GB"},
		{"unknown function", "```calc\nx := sqr(4)\n```\n", "sqrt"},
		{"sheet.cell", "```calc id=s\nread_qps = 5 /s\n```\nSee {{s.read_qsp}}.\n", "s.read_qps"},
		{"bare cell", "```calc id=s\nread_qps = 5 /s\n```\nSee {{read_qsp}}.\n", "read_qps"},
		{"bare cell of two", two + "See {{read_qsp}}.\n", "a.read_qps"},
		{"inline expression", "```calc id=s\nread_qps = 5 /s\n```\nSee {{= read_qsp * 2}}.\n", "read_qps"},
		{"no suggestion", "```calc\nx := zzzzzz * 2\n```\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, diags := render(t, c.src)
			ds := diags.Sorted()
			if len(ds) != 1 {
				t.Fatalf("%d diagnostics, want 1: %v", len(ds), ds)
			}
			if ds[0].Suggestion != c.want {
				t.Errorf("Suggestion = %q, want %q (%v)", ds[0].Suggestion, c.want, ds[0])
			}
			if strings.Contains(ds[0].Msg, "did you mean") {
				t.Errorf("the suggestion is repeated in Msg: %q", ds[0].Msg)
			}
		})
	}
}

// TestUnclosedCalcFence: one error at the opening fence, not one per line
// of prose read as formulas.
func TestUnclosedCalcFence(t *testing.T) {
	_, _, diags := render(t, "Intro.\n\n```calc id=s\nx = 5 MB \"X\"\n\nProse about the sheet, which is not a formula.\n\nMore prose.\n")
	errs := diags.Sorted()
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "content/page.md:3:1: this ```calc fence is never closed") {
		t.Errorf("errors = %v; want one at the opening fence", errs)
	}
}

// TestForeignBraces: double braces of other tools stay text; ours in code
// stay text too.
func TestForeignBraces(t *testing.T) {
	src := "{{#include arg-watcher.md}}\n\n{{#playground example.rs}}\n\nUse <code class=\"x\">{{ language }}</code> and `{{ title }}`.\n\n<kbd>{{x}}</kbd> then {{= 2 * 3}}.\n"
	out, _, diags := render(t, src)
	if err := diags.Err(); err != nil {
		t.Fatalf("errors: %v", err)
	}
	for _, want := range []string{"{{#include arg-watcher.md}}", "{{#playground example.rs}}", "{{ language }}", "{{ title }}", "<kbd>{{x}}</kbd>", ">6<"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Our form outside code on a page without a calculator is still an
	// error, which says how to write braces.
	_, _, diags = render(t, "See {{total}}.\n")
	if err := diags.Err(); err == nil || !strings.Contains(err.Error(), `\{{ to show the braces`) {
		t.Errorf("got %v", err)
	}
}

func TestParseFigure(t *testing.T) {
	// The inline parser only claims "{{…}}" on one line.
	_, _, diags := render(t, "a { b } {{ c\nd }} e\n")
	if diags.Len() != 0 {
		t.Errorf("unclosed braces across lines must stay text; got %v", diags.Err())
	}
}

func FuzzFigures(f *testing.F) {
	f.Add("{{a.b}} {{input a.x}} {{= 1 + 2}} {{a: x * 2}}")
	f.Add("```calc id=a\nx = 1\n```\n{{a.x}} {{x}} {{= x}}")
	f.Add("{{}} {{ }} {{:}} {{=}} {{input}} {{.}} {{a.}} {{.b}}")
	calc := New(nil)
	md := markdown.New(markdown.Options{Extensions: []goldmark.Extender{calc}, PageFences: map[string]markdown.PageFenceHandler{Lang: calc}})
	f.Fuzz(func(t *testing.T, src string) {
		var diags diag.List
		d := md.Parse("p.md", "p.md", 1, []byte(src), &diags)
		out := md.Render(d, nil)
		if bytes.Contains(out, []byte("<script")) && !strings.Contains(src, "<script") {
			t.Errorf("figure produced a script element")
		}
	})
}

// TestSwingBar: the bar covers the result's low..high on a scale centred on
// the result as set, split at the centre, whichever side the ends fall.
func TestSwingBar(t *testing.T) {
	cases := []struct {
		lo, hi, point, widest float64
		want                  string // the two rects' x and width
	}{
		{90, 110, 100, 10, `x="0" y="1" width="50"` + `|x="50" y="1" width="50"`},
		{95, 100, 100, 10, `x="25" y="1" width="25"` + `|x="50" y="1" width="0"`},
		{110, 95, 100, 10, `x="25" y="1" width="25"` + `|x="50" y="1" width="50"`},
		{102, 106, 100, 10, `x="50" y="1" width="0"` + `|x="60" y="1" width="20"`}, // both ends above
		{100, 100, 100, 0, `x="50" y="1" width="0"` + `|x="50" y="1" width="0"`},
	}
	for _, c := range cases {
		got := swingBar(c.lo, c.hi, c.point, c.widest)
		for _, part := range strings.Split(c.want, "|") {
			if !strings.Contains(got, part) {
				t.Errorf("swingBar(%v, %v, %v, %v) = %s; want %s", c.lo, c.hi, c.point, c.widest, got, part)
			}
		}
	}
}

// TestChartScale: gridlines at round steps of what the reader sees, from
// zero (or the lowest value) to at least the highest.
func TestChartScale(t *testing.T) {
	cases := []struct {
		ys           []float64
		unit         float64
		lo, hi, step float64
	}{
		{[]float64{3, 47, 95}, 1, 0, 100, 50},
		{[]float64{0.2, 0.93}, 1, 0, 1, 0.5},
		{[]float64{-30, 10}, 1, -30, 10, 10},
		{[]float64{1e6, 2.1e6}, 1e6, 0, 3e6, 1e6}, // in millions of the unit
		{[]float64{5, 5}, 1, 0, 6, 2},             // flat: still a scale
	}
	for _, c := range cases {
		sc := newChartScale([][]float64{c.ys}, c.unit)
		if math.Abs(sc.lo-c.lo) > 1e-9 || math.Abs(sc.hi-c.hi) > 1e-9 || math.Abs(sc.step-c.step) > 1e-9 {
			t.Errorf("%v: %+v, want lo %g hi %g step %g", c.ys, sc, c.lo, c.hi, c.step)
		}
	}
	for raw, want := range map[float64]float64{0.3: 0.5, 1: 1, 1.5: 2, 4: 5, 7: 10, 23: 50} {
		if got := niceStep(raw); math.Abs(got-want) > 1e-12 {
			t.Errorf("niceStep(%g) = %g, want %g", raw, got, want)
		}
	}
}

func TestChange(t *testing.T) {
	for _, c := range []struct {
		a, b float64
		want string
	}{
		{100, 134, "+34%"}, {100, 103.4, "+3.4%"}, {100, 80, "−20%"}, {100, 201, "×2.01"},
		{1, 201, "×201"}, {1, 2010, "×2010"}, {200, 1, "÷200"}, {100, 50, "÷2"}, {100, -50, "−150%"},
	} {
		if got := change(c.a, c.b); got != c.want {
			t.Errorf("change(%g, %g) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

// A sheet's warnings reach the page's diagnostics as warnings, placed in
// the page's file.
func TestSheetWarnings(t *testing.T) {
	_, _, diags := render(t, "Intro.\n\n```calc id=w\na := 1 GB / 100 MB / s\n```\n")
	ws := diags.Warnings()
	if diags.Len() != 0 || len(ws) != 1 || ws[0].Line != 4 || ws[0].Col != 22 || !strings.Contains(ws[0].Msg, "write it tight: 100 MB/s") {
		t.Errorf("errors %d, warnings %v", diags.Len(), ws)
	}
}

// TestLongLivedExtension: an Extension that remembers sheets (the dev
// server's, page after page, build after build) renders every page as a
// new one does, errors included — also after its memory has turned over.
func TestLongLivedExtension(t *testing.T) {
	with := func(ext *Extension, src string) (string, string) {
		md := markdown.New(markdown.Options{Extensions: []goldmark.Extender{ext}, PageFences: map[string]markdown.PageFenceHandler{Lang: ext}})
		var diags diag.List
		d := md.Parse("page.md", "content/page.md", 1, []byte(src), &diags)
		html := string(md.Render(d, nil))
		return html, fmt.Sprint(diags.Sorted())
	}
	var pages []string
	files, _ := filepath.Glob(filepath.Join("testdata", "*.md"))
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, string(src))
	}
	sheet := "```calc id=s\nx = 5 MB \"X\"\ny := x * 2 \"Y\"\n```\n"
	pages = append(pages,
		sheet+"\nSee {{s.y}} and {{s: y * 3}}.\n",
		sheet+"\nSee {{s.y}} and {{s: y * 4}}.\n", // the same sheet, other prose
		strings.Replace(sheet, "5 MB", "6 MB", 1)+"\nSee {{s.y}}.\n",
		"Intro.\n\n```calc id=s\nx = 5 MB\ny := x +\n```\n", // an error, twice
		sheet+"\nSee {{s: x + 1 req/s}}.\n",
	)
	long := New(nil)
	check := func(round string) {
		for i, p := range pages {
			gotHTML, gotDiags := with(long, p)
			wantHTML, wantDiags := with(New(nil), p)
			if gotHTML != wantHTML || gotDiags != wantDiags {
				t.Errorf("%s, page %d: a long-lived extension renders\n%s\n%s\na new one\n%s\n%s", round, i, gotHTML, gotDiags, wantHTML, wantDiags)
			}
		}
	}
	check("first round")
	check("second round")
	for i := range memoSize + 10 {
		with(long, "```calc id=f\nn = "+strconv.Itoa(i)+"\nm := n * 2\n```\n")
	}
	check("after turning over")
}
