package svgclean

import (
	"os"
	"path/filepath"
	"testing"
)

func TestClean(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{
			// D2's shape: a wrapper, the diagram, its background, styles.
			`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><svg class="d2-1 d2-svg" width="10" height="10" viewBox="-1.000000 -1 10 10"><rect class=" fill-N7" x="-1" /><style type="text/css"><![CDATA[.a{fill:red}]]></style><g class="Y2xpZW50"><rect x="1.234567" class=" stroke-B1 fill-B6 bogus" style="stroke-width:2;opacity:0.5;mix-blend-mode:multiply"/></g></svg></svg>`,
			`<svg xmlns="http://www.w3.org/2000/svg" viewBox="-1 -1 10 10"><g><rect x="1.23" class="stroke-B1 fill-B6" stroke-width="2" opacity="0.5"/></g></svg>`,
		},
		{
			// Style beats an attribute; quotes and entities survive.
			`<svg viewBox="0 0 1 1"><text fill="red" style='fill:blue;font-family:&quot;A b&quot;' data-x='say "hi"'>a &amp; b<![CDATA[<style>]]></text></svg>`,
			`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text fill="blue" data-x="say &quot;hi&quot;" font-family="&#34;A b&#34;">a &amp; b&lt;style&gt;</text></svg>`,
		},
		{
			// HTML inside foreignObject loses its styles; handlers go.
			`<svg viewBox="0 0 1 1"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml" class="md color-N1" style="color:red" onclick="x()"><p>hi<br/></p></div></foreignObject><SCRIPT>alert(1)</script><!-- c --></svg>`,
			`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml" class="md color-N1"><p>hi<br/></p></div></foreignObject></svg>`,
		},
		{
			// Links that run script go; web links and relative ones stay.
			`<svg viewBox="0 0 1 1"><a href="javascript:alert(1)"><g/></a><a xlink:href=" JaVa&#x09;Script:x"><g/></a><a href="data:text/html,x"><g/></a><a href="https://example.com/a"><g/></a><a href="../x/#y"><g/></a><a href="mailto:a@b.c"><g/></a></svg>`,
			`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><a><g/></a><a><g/></a><a><g/></a><a href="https://example.com/a"><g/></a><a href="../x/#y"><g/></a><a href="mailto:a@b.c"><g/></a></svg>`,
		},
		{
			// A '/' inside a tag separates attributes, as in a browser.
			`<svg viewBox="0 0 1 1"><g/style="fill:red"/></svg>`,
			`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><g fill="red"/></svg>`,
		},
	} {
		got, err := Clean([]byte(tc.in))
		if err != nil {
			t.Errorf("Clean(%s): %v", tc.in, err)
			continue
		}
		if string(got) != tc.want {
			t.Errorf("Clean(%s)\n got %s\nwant %s", tc.in, got, tc.want)
		}
		checkClean(t, got)
	}
}

func TestCleanRejects(t *testing.T) {
	for _, in := range []string{
		``,
		`<g></g>`,
		`<svg viewBox="0 0 1 1"><g></svg>`,
		`<svg viewBox="0 0 1 1"></g></svg>`,
		`<svg viewBox="0 0 1 1"><style>x`,
		`<svg viewBox="0 0 1 1"><g a="b></g></svg>`,
		`<svg viewBox="0 0 1 1"></svg><svg viewBox="0 0 1 1"></svg>`,
		`<svg viewBox="0 0 0 1"></svg>`,
		`<svg></svg>`,
		`<svg viewBox="0 0 1 1"><1></svg>`,
		`text<svg viewBox="0 0 1 1"></svg>`,
	} {
		if out, err := Clean([]byte(in)); err == nil {
			t.Errorf("Clean(%q) = %q, want an error", in, out)
		}
	}
}

func TestRoundNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"296.500000":                    "296.5",
		"-9.000000 -9.000000 708 842":   "-9 -9 708 842",
		"1.000000em":                    "1em",
		"M 229.874682 576.602094 C 1.5": "M 229.87 576.6 C 1.5",
		"translate(8.000000 8.000000)":  "translate(8 8)",
		"-0.001":                        "0",
		"1.5.5":                         "1.5.5",
		"2e1.5":                         "2e1.5",
		"1.5e3":                         "1.5e3",
		"12.000000,11.838767":           "12,11.84",
		"none":                          "none",
	} {
		if got := roundNumbers(in); got != want {
			t.Errorf("roundNumbers(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheck(t *testing.T) {
	good := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><g fill="red">a</g></svg>`
	if err := Check([]byte(good)); err != nil {
		t.Errorf("Check(%s): %v", good, err)
	}
	for _, bad := range []string{
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><style>a{}</style></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><g style="fill:red"/></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><g onload="x"/></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><g a='b'/></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><SCRIPT>x</SCRIPT></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><g>a<b</g></svg>`,
		`<svg viewBox="0 0 1 1"></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><a href="javascript:x"><g/></a></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><a xlink:href="java&#x0A;script:x"><g/></a></svg>`,
	} {
		if Check([]byte(bad)) == nil {
			t.Errorf("Check(%s) = nil, want an error", bad)
		}
	}
}

func checkClean(t *testing.T, svg []byte) {
	t.Helper()
	if err := Check(svg); err != nil {
		t.Fatalf("%v in %.300q", err, svg)
	}
}

// FuzzClean checks that whatever Clean accepts comes out canonical and
// CSP-clean. The seeds are large, so cap minimizing:
//
//	go test -fuzz FuzzClean -fuzzminimizetime 1s ./internal/diagram/svgclean
func FuzzClean(f *testing.F) {
	// D2's real output (stylesheets emptied); internal/diagram's
	// TestFuzzSeeds -update rewrites these files.
	seeds, err := filepath.Glob(filepath.Join("testdata", "seed-*.svg"))
	if err != nil || len(seeds) == 0 {
		f.Fatal("no seeds in testdata/seed-*.svg")
	}
	for _, name := range seeds {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`<svg viewBox="0 0 1 1"><g/style="fill:red"/></svg>`,
		`<svg viewBox="0 0 1 1"><text style='a:b;fill:"x"'>&lt;<![CDATA[</text><style>]]></text></svg>`,
		`<svg viewBox="0 0 1 1"><foreignObject><div style="x"><STYLE>p{}</STYLE></div></foreignObject></svg>`,
		`<svg viewBox="0 0 1 1"><mask><rect fill="black" x="1.5" width="2"/></mask><g a=b style=c onload=d></g></svg>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := Clean(in)
		if err != nil {
			return
		}
		checkClean(t, out)
		// Clean accepts its own output and keeps it clean.
		again, err := Clean(out)
		if err != nil {
			t.Fatalf("Clean rejects its own output %q: %v", out, err)
		}
		checkClean(t, again)
	})
}
