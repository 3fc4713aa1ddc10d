package calc

import (
	"reflect"
	"strings"
	"testing"
)

// timeline is the classic estimate: 300M daily users, 5 reads and 1 post
// each a day, 1 KB per post, a 5 MB photo on one read in ten, 3× peak.
const timeline = `# Twitter-like timeline
dau     = 300M users      "Daily active users"        range 1M..2B log
reads   = 5 /day          "Timeline reads per user"   help "How often a user opens the timeline"
posts   = 1 /day          "Posts per user"
post    = 1 KB            "Average post size"
peak    = 3               "Peak-to-average ratio"     range 1..10 step 0.5
read_qps  := dau * reads as req/s            "Reads per second"
peak_read := read_qps * peak as req/s        "Peak reads per second"
post_qps  := dau * posts as posts/s          "Posts per second"
text_month := dau * posts * post as TB/month "New text per month"
photo_egress := read_qps * 10% * 5 MB as GB/s "Photo egress"
web     := servers(peak_read, 1K req/s, 30%, 3) "Web servers"
scratch := dau * 2    hidden
`

func TestTimeline(t *testing.T) {
	s, err := Parse(timeline)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Eval(nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	tests := []struct {
		name    string
		value   float64 // base units
		text    string
		unit    string
		working string
	}{
		{"dau", 300e6, "300M users", "users", ""},
		{"reads", 5.0 / 86400, "5/day", "/day", ""},
		{"post", 1000, "1 KB", "KB", ""},
		{"peak", 3, "3", "", ""},
		// 300e6 × 5 / 86,400 s = 17,361.1 /s
		{"read_qps", 17361.111111, "17.4K req/s", "req/s", "300M users × 5/day = 17.4K req/s"},
		// 17,361.1 × 3 = 52,083.3 /s
		{"peak_read", 52083.333333, "52.1K req/s", "req/s", "17.4K req/s × 3 = 52.1K req/s"},
		// 300e6 × 1 / 86,400 s = 3,472.2 /s
		{"post_qps", 3472.222222, "3.47K posts/s", "posts/s", "300M users × 1/day = 3.47K posts/s"},
		// 300e6 × 1 KB / 86,400 s = 3.472e6 B/s; × 2,629,746 s/month = 9.131e12 B/month
		{"text_month", 300e6 * 1000 / 86400, "9.13 TB/month", "TB/month", "300M users × 1/day × 1 KB = 9.13 TB/month"},
		// 17,361.1 /s × 0.1 × 5e6 B = 8.681e9 B/s
		{"photo_egress", 8.680555556e9, "8.68 GB/s", "GB/s", "17.4K req/s × 10% × 5 MB = 8.68 GB/s"},
		// 52,083.3 / (1,000 × 0.7) = 74.4 → 75, a multiple of 3
		{"web", 75, "75", "", "servers(52.1K req/s, 1K req/s, 30%, 3) = 75"},
		{"scratch", 600e6, "600M users", "users", "300M users × 2 = 600M users"},
	}
	for _, tt := range tests {
		got := r.Get(tt.name)
		if got == nil {
			t.Errorf("no result %q", tt.name)
			continue
		}
		if !near(got.Value, tt.value) && !(abs(got.Value-tt.value) < 1e-6*abs(tt.value)) {
			t.Errorf("%s value = %.10g, want %.10g", tt.name, got.Value, tt.value)
		}
		if got.Text != tt.text || got.Unit != tt.unit || got.Working != tt.working || got.Err != nil {
			t.Errorf("%s = (%q, %q, %q, %v), want (%q, %q, %q)", tt.name, got.Text, got.Unit, got.Working, got.Err, tt.text, tt.unit, tt.working)
		}
	}
	// 9.13 TB/month exactly as the brief computes it with a 365.2425-day year.
	if v, _ := (Quantity{v: r.Get("text_month").Value, dim: dimBandwidth}).In("TB/month"); abs(v-9.1311) > 0.0001 {
		t.Errorf("text_month = %g TB/month, want 9.1311", v)
	}
	if r.Get("nope") != nil {
		t.Error("Get of unknown cell is not nil")
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestSheetCells(t *testing.T) {
	s, err := Parse(timeline)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Cells) != 12 {
		t.Fatalf("%d cells", len(s.Cells))
	}
	dau := s.Cell("dau")
	if !dau.Input || dau.Label != "Daily active users" || !dau.Log || dau.Hidden || dau.Line != 2 || dau.Col != 1 {
		t.Errorf("dau = %+v", dau)
	}
	if dau.Min.String() != "1M" || dau.Max.String() != "2B" || dau.Step != nil || dau.Default.String() != "300M users" || dau.Expr != "300M users" {
		t.Errorf("dau range %v..%v step %v default %v expr %q", dau.Min, dau.Max, dau.Step, dau.Default, dau.Expr)
	}
	reads := s.Cell("reads")
	if reads.Help != "How often a user opens the timeline" || reads.Min != nil {
		t.Errorf("reads = %+v", reads)
	}
	peak := s.Cell("peak")
	if peak.Step == nil || peak.Step.Value() != 0.5 || peak.Min.Value() != 1 || peak.Max.Value() != 10 {
		t.Errorf("peak = %+v", peak)
	}
	q := s.Cell("read_qps")
	if q.Input || q.Expr != "dau * reads as req/s" || q.DisplayUnit != "req/s" || !reflect.DeepEqual(q.Deps, []string{"dau", "reads"}) || q.Line != 7 {
		t.Errorf("read_qps = %+v", q)
	}
	web := s.Cell("web")
	if web.DisplayUnit != "" || !reflect.DeepEqual(web.Deps, []string{"peak_read"}) {
		t.Errorf("web = %+v", web)
	}
	if !s.Cell("scratch").Hidden {
		t.Error("scratch not hidden")
	}
	if s.Cell("missing") != nil {
		t.Error("Cell(missing) != nil")
	}
}

func TestOverrides(t *testing.T) {
	s, err := Parse(timeline)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Eval(map[string]string{"dau": "1B users", "peak": "2"})
	if len(r.Errors) != 0 {
		t.Fatal(r.Errors)
	}
	// 1e9 × 5 / 86,400 = 57,870 /s; × 2 = 115,741 /s
	if got := r.Get("peak_read").Text; got != "116K req/s" {
		t.Errorf("peak_read = %q", got)
	}
	// 115,741 / 700 = 165.3 → 166 → next multiple of 3 is 168
	if got := r.Get("web").Text; got != "168" {
		t.Errorf("web = %q", got)
	}
	// An override without a noun keeps the default's noun.
	r = s.Eval(map[string]string{"dau": "500M"})
	if got := r.Get("dau").Text; got != "500M users" {
		t.Errorf("dau = %q", got)
	}
	// Overrides may bring their own unit.
	r = s.Eval(map[string]string{"post": "2048 B", "reads": "240 /week"})
	if r.Get("post").Text != "2.05 KB" || r.Get("reads").Text != "240/week" || len(r.Errors) > 0 {
		t.Errorf("post %q reads %q %v", r.Get("post").Text, r.Get("reads").Text, r.Errors)
	}
	// 300e6 × 240/week = 300e6 × 240 / 604,800 = 119K/s
	if got := r.Get("read_qps").Text; got != "119K req/s" {
		t.Errorf("read_qps = %q", got)
	}
}

func TestOverrideErrors(t *testing.T) {
	s, err := Parse(timeline)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ov      map[string]string
		cell    string // "" when the error is sheet-wide
		err     string
		context string
	}{
		{map[string]string{"dau": "5B"}, "dau", "2:1: dau = 5B is outside its range 1M..2B", "out of range"},
		{map[string]string{"dau": "lots"}, "dau", `2:1: dau = "lots": unknown name "lots"`, "unparsable"},
		{map[string]string{"post": "5"}, "post", "5:1: post = 5: it is a count (no unit) but post is information; write it with a unit, e.g. 5 KB", "wrong dimension"},
		{map[string]string{"reads": "5 MB"}, "reads", "3:1: reads = 5 MB: it is information but reads is a rate (1/time)", "wrong dimension"},
		{map[string]string{"read_qps": "5"}, "", `7:1: "read_qps" is a formula and cannot be overridden`, "formula"},
		{map[string]string{"daus": "5"}, "", `no cell "daus" to override — did you mean "dau"?`, "unknown"},
	}
	for _, tt := range tests {
		r := s.Eval(tt.ov)
		if len(r.Errors) != 1 || r.Errors[0].Error() != tt.err {
			t.Errorf("%s: errors %v, want %q", tt.context, r.Errors, tt.err)
			continue
		}
		if tt.cell != "" {
			res := r.Get(tt.cell)
			if res.Err == nil || res.Err.Error() != tt.err || res.Text != s.Cell(tt.cell).Default.String() {
				t.Errorf("%s: cell %s = %q, err %v", tt.context, tt.cell, res.Text, res.Err)
			}
		}
		// The default is used, so formulas still evaluate.
		if r.Get("read_qps").Text != "17.4K req/s" {
			t.Errorf("%s: read_qps = %q", tt.context, r.Get("read_qps").Text)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	s, err := Parse("n = 0\nx = 10 MB\ny := x / n\nz := y * 2\nok := x * 2\ng := if(n > 0, x / n, 0 MB)\n")
	if err != nil {
		t.Fatal(err)
	}
	r := s.Eval(nil)
	want := []string{
		"3:8: division by zero in x / n",
		"4:1: cannot evaluate z: y has an error",
	}
	if len(r.Errors) != len(want) {
		t.Fatalf("errors %v", r.Errors)
	}
	for i, w := range want {
		if r.Errors[i].Error() != w {
			t.Errorf("error %d = %q, want %q", i, r.Errors[i], w)
		}
	}
	if y := r.Get("y"); y.Text != "" || y.Value != 0 || y.Working != "" || y.Err == nil {
		t.Errorf("y = %+v", y)
	}
	if r.Get("ok").Text != "20 MB" || r.Get("g").Text != "0 B" {
		t.Errorf("ok = %q, g = %q", r.Get("ok").Text, r.Get("g").Text)
	}
	r = s.Eval(map[string]string{"n": "4"})
	// 10 MB / 4 = 2.5 MB
	if len(r.Errors) != 0 || r.Get("z").Text != "5 MB" || r.Get("g").Text != "2.5 MB" {
		t.Errorf("with n=4: %v z=%q g=%q", r.Errors, r.Get("z").Text, r.Get("g").Text)
	}
}

func TestNounsAndDisplay(t *testing.T) {
	src := `nouns: shards, pins
pins_day = 2M pins / day
shard_cap = 50K pins
total := pins_day * 1 year
shards := ceil(total / shard_cap) as shards
ratio := 1 / 3
avail = 99.95%
per_pin = 2 KB
flow := pins_day * per_pin
span = 90 min
frac := span / 1 day as %
`
	s, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Nouns, []string{"shards", "pins"}) {
		t.Errorf("nouns %v", s.Nouns)
	}
	r := s.Eval(nil)
	want := map[string]string{
		"pins_day": "2M pins/day",
		"total":    "730M pins",    // 2M × 365.24 days = 730.5M
		"shards":   "14.6K shards", // 730.5M / 50K = 14,610 (already whole)
		"ratio":    "0.333",
		"avail":    "99.95%",
		"flow":     "46.3 KB/s", // 2M × 2 KB / 86,400 s = 46.3 KB/s
		"span":     "1.5 h",
		"frac":     "6.25%", // 90 / 1440
	}
	for name, w := range want {
		if got := r.Get(name).Text; got != w {
			t.Errorf("%s = %q, want %q", name, got, w)
		}
	}
}

func TestComments(t *testing.T) {
	s, err := Parse("# whole line\n\n  a = 5 MB # trailing\nb := a * 2 \"label # not a comment\" # comment\n")
	if err != nil {
		t.Fatal(err)
	}
	if s.Cell("b").Label != "label # not a comment" || s.Cell("a").Line != 3 || s.Cell("a").Col != 3 {
		t.Errorf("b label %q, a at %d:%d", s.Cell("b").Label, s.Cell("a").Line, s.Cell("a").Col)
	}
}

func TestEvalExprWorkingExamples(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2 + 3 * 4", "14"},
		{"(2 + 3) * 4", "20"},
		{"2 ^ 10", "1.02K"},
		{"2^3^2", "512"}, // right associative
		{"-2^2", "-4"},
		{"10 − 4 × 2 ÷ 4", "8"},
		{"3 > 2", "1"},
		{"3 MB <= 2 MB", "0"},
		{"if(2 > 1, 5 MB, 1 KB)", "5 MB"},
		{"5 MB * 2 per s", "10 MB/s"},
		{"1 GB / 100 MB/s", "10 s"},   // a tight /unit belongs to its number
		{"1 GB / 100 MB / s", "10/s"}, // spaced slashes divide left to right
		{"3600 / 2 / s", "1.8K/s"},    //
		{"3600 / 2/s", "30 min"},      // 3600 / (2/s) = 1,800 s
		{"5 MB · 3", "15 MB"},
		{"(1 TB as exactly GB) * 2", "2K GB"},
	}
	for _, tt := range tests {
		q, err := EvalExpr(tt.in)
		if err != nil || q.String() != tt.want {
			t.Errorf("EvalExpr(%q) = %q, %v; want %q", tt.in, q.String(), err, tt.want)
		}
	}
}

// TestExtend: lines added after a parsed sheet are parsed alone and see
// its cells; the original is unchanged, and errors in the new lines carry
// line numbers that go on from the sheet's.
func TestExtend(t *testing.T) {
	s, err := Parse("a = 2 users\nb := a * 3")
	if err != nil {
		t.Fatal(err)
	}
	x, err := s.Extend("c := b + 1 hidden\nd := c * 2 hidden\n")
	if err != nil {
		t.Fatal(err)
	}
	r := x.Eval(map[string]string{"a": "10"})
	if got := r.Get("d"); got == nil || got.Value != 62 {
		t.Errorf("d = %+v, want 62", got)
	}
	if s.Cell("c") != nil || len(s.Eval(nil).Cells) != 2 {
		t.Error("Extend changed the original sheet")
	}
	if got := s.Eval(map[string]string{"a": "5"}).Get("b"); got == nil || got.Value != 15 {
		t.Errorf("the original still evaluates: b = %+v", got)
	}
	_, err = s.Extend("e := nosuch * 2 hidden\n")
	if err == nil || !strings.HasPrefix(err.Error(), `3:6: unknown name "nosuch"`) {
		t.Errorf("error in an added line: %v", err)
	}
}

// TestKeyAndMain: "key:" and "main:" lines name the results watched and the
// inputs shown first; names that are not such cells are errors with a
// suggestion.
func TestKeyAndMain(t *testing.T) {
	base := "dau = 300M users\nreads = 5 /day\nread_qps := dau * reads as req/s\nhid := dau * 2 hidden\n"
	s, err := Parse(base + "key: read_qps\nmain: dau, reads\n")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(s.Key, ",") != "read_qps" || strings.Join(s.Main, ",") != "dau,reads" {
		t.Errorf("key %v, main %v", s.Key, s.Main)
	}
	for _, tc := range []struct{ line, want string }{
		{"key: read_qp", `key: no cell "read_qp" — did you mean "read_qps"?`},
		{"key: dau", "key: dau is an input or hidden"},
		{"key: hid", "key: hid is an input or hidden"},
		{"main: read_qps", "main: read_qps is not an input a reader can change"},
		{"main: daus", `main: no input "daus" — did you mean "dau"?`},
		{"main: dau reads", "main: expects cell names separated by commas"},
		{"key:", "key: expects cell names separated by commas"},
	} {
		_, err := Parse(base + tc.line + "\n")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.line, err, tc.want)
		}
	}
}

// TestExtendKeepsTheSheetsViews: a page's inline expressions extend its
// sheet; the charts, scenarios and layout lines written in it stay.
func TestExtendKeepsTheSheetsViews(t *testing.T) {
	s, err := Parse("dau = 300M users range 1M..2B\nreads = 5 /day\nx = 1\ny = 2\nqps := dau * reads as req/s\n" +
		"chart: qps over dau\nscenario \"Big\": dau = 1B users\ncompare: qps\nkey: qps\nmain: dau\n")
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Extend("inline_1 := qps * 2 hidden\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Charts) != 1 || len(n.Scenarios) != 1 || len(n.Compare) != 1 || len(n.Key) != 1 || len(n.Main) != 1 {
		t.Errorf("extended sheet: %d charts, %d scenarios, compare %v, key %v, main %v", len(n.Charts), len(n.Scenarios), n.Compare, n.Key, n.Main)
	}
}
