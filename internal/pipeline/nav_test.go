package pipeline

import (
	"fmt"
	"strings"
	"testing"

	"github.com/scalebook/scalebook/internal/content"
)

// navSite is a home with two sections: "long" with n pages, "short" with
// three.
func navSite(n int) *content.Site {
	home := &content.Page{Kind: content.KindHome, Title: "Home", URL: ""}
	long := &content.Page{Kind: content.KindSection, Title: "Long", URL: "long/", Parent: home}
	short := &content.Page{Kind: content.KindSection, Title: "Short", URL: "short/", Parent: home}
	home.Children = []*content.Page{long, short}
	for i := range n {
		long.Children = append(long.Children, &content.Page{Kind: content.KindPage, Title: fmt.Sprint("P", i), URL: fmt.Sprintf("long/p%d/", i), Parent: long})
	}
	for i := range 3 {
		short.Children = append(short.Children, &content.Page{Kind: content.KindPage, Title: fmt.Sprint("S", i), URL: fmt.Sprintf("short/s%d/", i), Parent: short})
	}
	for _, p := range append([]*content.Page{home, long, short}, append(long.Children, short.Children...)...) {
		p.TitleHTML = p.Title
	}
	return &content.Site{Home: home}
}

// navText flattens a nav into one line: titles, "*" for the current page,
// children in brackets, "+N" for an entry standing for N pages.
func navText(items []NavItem) string {
	var parts []string
	for _, it := range items {
		s := it.Title
		if it.More > 0 {
			s = fmt.Sprintf("+%d→%s", it.More, it.URL)
		}
		if it.Current {
			s += "*"
		}
		if len(it.Children) > 0 {
			s += " [" + navText(it.Children) + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// TestNavWindow: a long section lists a window of pages around the current
// one, with entries for the rest that lead to the section's page; a short
// section and the top level are listed whole.
func TestNavWindow(t *testing.T) {
	base, err := parseBaseURL("/")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		pages int
		at    string // URL of the current page
		want  string
	}{
		{"home", 100, "", "Long Short"},
		{"short section", 100, "short/s1/", "Long Short [S0 S1* S2]"},
		{"section of navFull pages is whole", navFull, "long/p3/",
			"Long [P0 P1 P2 P3* P4 P5 P6 P7 P8 P9 P10 P11 P12 P13 P14 P15 P16 P17 P18 P19 P20 P21 P22 P23 P24] Short"},
		{"long section, its own page", 100, "long/", "Long* [P0 P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11 P12 +87→/long/] Short"},
		{"long section, first page", 100, "long/p0/", "Long [P0* P1 P2 P3 P4 P5 P6 P7 P8 P9 P10 P11 P12 +87→/long/] Short"},
		{"long section, middle", 100, "long/p50/", "Long [+44→/long/ P44 P45 P46 P47 P48 P49 P50* P51 P52 P53 P54 P55 P56 +43→/long/] Short"},
		{"long section, last page", 100, "long/p99/", "Long [+87→/long/ P87 P88 P89 P90 P91 P92 P93 P94 P95 P96 P97 P98 P99*] Short"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			site := navSite(c.pages)
			var cur *content.Page
			var find func(p *content.Page)
			find = func(p *content.Page) {
				if p.URL == c.at {
					cur = p
				}
				for _, ch := range p.Children {
					find(ch)
				}
			}
			find(site.Home)
			if got := navText(navFor(site, cur, base)); got != c.want {
				t.Errorf("nav of %q:\n got %s\nwant %s", c.at, got, c.want)
			}
		})
	}
}
