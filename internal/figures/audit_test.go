package figures

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseAllow(t *testing.T) {
	cases := []struct {
		name, src string
		entries   []string // "path|text|why|line"
		problems  []string // "line:col: message part"
	}{
		{"entries and comments", "# figures typed on purpose\n\nsystems/twitter.md: 300K QPS  # Krikorian, QCon 2012\nreference/*.md: *  # published numbers\r\n",
			[]string{"systems/twitter.md|300K QPS|Krikorian, QCon 2012|3", "reference/*.md|*|published numbers|4"}, nil},
		{"no reason", "a.md: 5 ms\n", nil, []string{"1:11: say why"}},
		{"empty reason", "a.md: 5 ms #\n", nil, []string{"1:13: the reason after # is empty"}},
		{"no colon", "a.md 5 ms # x\n", nil, []string{"1:1: an allow-list entry is"}},
		{"no figure", "a.md:  # x\n", nil, []string{"1:7: no figure"}},
		{"absolute path", "/a.md: 5 ms # x\n", nil, []string{"1:1: the path is relative"}},
		{"bad pattern", "a[.md: 5 ms # x\n", nil, []string{"1:1: the path \"a[.md\" is not a valid pattern"}},
		{"duplicate", "a.md: 5 ms # x\na.md: 5 ms # y\n", []string{"a.md|5 ms|x|1"}, []string{"2:1: the same entry is on line 1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			entries, problems := ParseAllow("_figures.allow", []byte(c.src))
			var got []string
			for _, e := range entries {
				got = append(got, e.Path+"|"+e.Text+"|"+e.Why+"|"+itoa(e.Line))
			}
			if strings.Join(got, "\n") != strings.Join(c.entries, "\n") {
				t.Errorf("entries\n got %q\nwant %q", got, c.entries)
			}
			if len(problems) != len(c.problems) {
				t.Fatalf("problems: got %v, want %q", problems, c.problems)
			}
			for i, p := range problems {
				if want := "_figures.allow:" + c.problems[i]; !strings.HasPrefix(p.Error(), want) {
					t.Errorf("problem %d: got %q, want it to start %q", i, p.Error(), want)
				}
			}
		})
	}
}

// FuzzParseAllow: any input gives entries with a path, a figure and a
// reason, or problems at a line of the input, never a panic.
func FuzzParseAllow(f *testing.F) {
	for _, s := range []string{"a.md: 5 ms # x\n", "# c\n\n[: x # y", "a.md: #", ": : # #", "x.md: * # all\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		entries, problems := ParseAllow("f", []byte(src))
		lines := strings.Count(src, "\n") + 1
		for _, e := range entries {
			if e.Path == "" || e.Text == "" || e.Why == "" || e.Line < 1 || e.Line > lines {
				t.Fatalf("bad entry %+v", e)
			}
		}
		for _, p := range problems {
			if p.Line < 1 || p.Line > lines || p.Col < 1 {
				t.Fatalf("bad problem %+v", p)
			}
		}
	})
}

func TestAudit(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("systems/a.md", "Served 300K QPS in 2012, so {{a.qps}} here; it adds 3.47K posts/s.\n\n## At 10× the scale\n")
	write("systems/b.md", "## At 10× the scale\n")
	write("reference/numbers.md", "A seek takes 10 ms; RAM 100 ns.\n")
	write(".git/x.md", "300M users\n")
	write("notes.txt", "300M users\n")
	write(AllowFile, "systems/a.md: 300K QPS  # Krikorian, QCon 2012\n"+
		"systems/*.md: 10×  # the template's section heading\n"+
		"reference/numbers.md: *  # published latencies\n"+
		"systems/a.md: 5 ms  # gone since the rewrite\n")
	rep, err := Audit(dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pages != 3 || rep.Found != 6 || rep.Allowed != 5 {
		t.Errorf("pages %d, found %d, allowed %d; want 3, 6, 5", rep.Pages, rep.Found, rep.Allowed)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, p.Error())
	}
	allow := filepath.Join(dir, AllowFile)
	want := []string{
		allow + `:4:1: stale entry: no figure "5 ms" in systems/a.md; remove the line`,
		filepath.Join(dir, "systems", "a.md") + `:1:53: "3.47K posts/s" typed in prose; quote the cell ({{sheet.cell}}) or, if it is a sourced fact, list it in ` + filepath.ToSlash(allow),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems\n got %q\nwant %q", got, want)
	}
	if q := rep.Problems[1].Quoted(); !strings.Contains(q, "3.47K posts/s") || !strings.Contains(q, "^") {
		t.Errorf("the problem does not quote its line:\n%s", q)
	}

	// Without a list every candidate is a problem, and none is stale.
	os.Remove(allow)
	if rep, err := Audit(dir); err != nil || len(rep.Problems) != 6 || rep.Allowed != 0 {
		t.Errorf("no list: %d problems, %d allowed, %v; want 6, 0", len(rep.Problems), rep.Allowed, err)
	}
}
