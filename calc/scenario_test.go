package calc

import "testing"

func TestScenarios(t *testing.T) {
	s, err := Parse(`fanout = 0 "Fan-out on write (0 or 1)"
followers = 200
dau = 300M users
posts = 1 /day
reads = 170 /day
writes := dau * posts * (1 + fanout * followers) as req/s "Timeline writes"
scans := dau * reads * (1 + (1 - fanout) * followers) as req/s "Timeline reads"
scenario "Fan-out on read": fanout = 0
scenario "Fan-out on write": fanout = 1, dau = 200M..400M users
compare: writes, scans
`)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Scenarios) != 2 || s.Scenarios[1].Name != "Fan-out on write" || len(s.Compare) != 2 {
		t.Fatalf("scenarios %+v compare %v", s.Scenarios, s.Compare)
	}
	sc := s.Scenarios[1]
	if sc.Names[1] != "dau" || sc.Values[1] != "200M..400M users" || sc.Line != 9 {
		t.Errorf("scenario 2: %+v", sc)
	}
	onWrite := s.Eval(sc.Overrides())
	if w := onWrite.Get("writes"); w.Text != "698K req/s" || w.Range == "" {
		t.Errorf("writes with fan-out on write: %q %q", w.Text, w.Range)
	}
	base := "a = 1\nb := a * 2\n"
	for _, c := range []struct{ line, want string }{
		{`scenario "X": c = 2`, `scenario "X": no input "c"`},
		{`scenario "X": b = 2`, `scenario "X": b is a formula`},
		{`scenario "X": a = 2 MB`, `scenario "X": a = 2 MB: it is information but a is a count`},
		{`scenario "X" a = 2`, `expects a colon`},
		{`scenario "X": a 2`, `expects name = value pairs`},
		{`scenario "X": a = 2 b = 3`, `unexpected =`},
		{`scenario "X": a = 2; b = 3`, `unexpected character`},
		{`compare: a, c`, `compare: no cell "c"`},
	} {
		if _, err := Parse(base + c.line + "\n"); err == nil || !contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.line, err, c.want)
		}
	}
}
