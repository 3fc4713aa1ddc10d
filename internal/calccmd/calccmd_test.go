package calccmd

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestRun(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string // exact, or a substring when contains is set
		stderr   string // substring
		contains bool
	}{
		{"expression", []string{"300M * 5 / day"}, 0, "17.4K/s\n", "", false},
		{"arguments joined", []string{"300M", "*", "5", "/", "day", "as", "req/s"}, 0, "17.4K req/s\n", "", false},
		{"function", []string{"downtime(99.99%, year)"}, 0, "52.6 min\n", "", false},
		{"expression error", []string{"5 MB + 3 req/s"}, 1, "", "calc: 1:6: cannot add 5 MB to 3 req/s (information vs rate)", false},
		{"range", []string{"200M..400M * 5 / day"}, 0, "11.6K–23.1K/s (midpoint 17.4K/s)\n", "", false},
		{"range with units", []string{"200M..400M users * 5 / day as req/s"}, 0, "11.6K–23.1K req/s (midpoint 17.4K req/s)\n", "", false},
		{"range in parentheses", []string{"(1 GB..2 GB) / 100 MB/s"}, 0, "10–20 s (midpoint 15 s)\n", "", false},
		{"range backwards", []string{"5..1 * 2"}, 1, "", "runs backwards", false},
		{"sheet with a range override", []string{"-f", "testdata/timeline.calc", "dau=100M..200M"}, 0, "100M–200M users", "", true},
		{"sensitivity", []string{"-f", "testdata/tornado.calc", "-sensitivity", "egress"}, 0,
			"egress = 8.68 GB/s; what moves it most:\nDaily active users (dau)    200M users → 5.79 GB/s  400M users → 11.6 GB/s\n", "", true},
		{"sensitivity with a wider swing", []string{"-f", "testdata/tornado.calc", "-sensitivity", "egress", "-swing", "50%", "photo=2..8 MB"}, 0,
			"egress = 8.68 GB/s; what moves it most:\nPhoto size (photo)", "", true},
		{"sensitivity of a typo", []string{"-f", "testdata/tornado.calc", "-sensitivity", "egres"}, 1, "", `no cell "egres" — did you mean "egress"?`, false},
		{"sensitivity bad swing", []string{"-f", "testdata/tornado.calc", "-sensitivity", "egress", "-swing", "2"}, 2, "", "want a fraction between 0 and 1", false},
		{"spacing warning", []string{"-f", "testdata/spacing.calc"}, 0, "a  10/s\n",
			"testdata/spacing.calc:1:22: warning: \"/ s\" with a space divides all of 1 GB / 100 MB by it; for a rate, write it tight: 100 MB/s", false},
		{"help", []string{"-h"}, 0, "usage: scalebook calc", "", true},
		{"no arguments", nil, 2, "", "usage: scalebook calc", false},
		{"bad flag", []string{"-nope"}, 2, "", "flag provided but not defined: -nope", false},
		{"bad override", []string{"-f", "testdata/timeline.calc", "dau"}, 2, "", `calc: override "dau" is not name=value`, false},
		{"missing file", []string{"-f", "testdata/missing.calc"}, 1, "", "calc: open testdata/missing.calc", false},
		{"sheet errors", []string{"-f", "testdata/broken.calc"}, 1, "",
			"testdata/broken.calc:2:13: unknown name \"dua\" — did you mean \"dau\"?\n  2 | read_qps := dua * 5 /day\n    |             ^ did you mean \"dau\"?\ntestdata/broken.calc:3:14: cannot add 5 MB to 3 req/s (information vs rate)\n", false},
		{"override out of range", []string{"-f", "testdata/timeline.calc", "dau=5B"}, 1, "Daily active users (dau)", "testdata/timeline.calc:2:1: dau = 5B is outside its range 1M..2B", true},
		{"override of a formula", []string{"-f", "testdata/timeline.calc", "web=3"}, 1, "", `testdata/timeline.calc:12:1: "web" is a formula and cannot be overridden`, false},
	}
	for _, tt := range tests {
		code, out, errs := run(tt.args...)
		if code != tt.code {
			t.Errorf("%s: exit %d, want %d (stderr %q)", tt.name, code, tt.code, errs)
		}
		if tt.contains {
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("%s: stdout %q lacks %q", tt.name, out, tt.stdout)
			}
		} else if tt.stdout != "" || tt.code == 0 {
			if out != tt.stdout {
				t.Errorf("%s: stdout %q, want %q", tt.name, out, tt.stdout)
			}
		}
		if !strings.Contains(errs, tt.stderr) {
			t.Errorf("%s: stderr %q lacks %q", tt.name, errs, tt.stderr)
		}
	}
}

func TestTable(t *testing.T) {
	code, out, errs := run("-f", "testdata/timeline.calc", "-working", "dau=1B users")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := `Daily active users (dau)           1B users
Timeline reads per user (reads)    5/day
Posts per user (posts)             1/day
Average post size (post)           1 KB
Peak-to-average ratio (peak)       3
Reads per second (read_qps)        57.9K req/s    1B users × 5/day = 57.9K req/s
Peak reads per second (peak_read)  174K req/s     57.9K req/s × 3 = 174K req/s
Posts per second (post_qps)        11.6K posts/s  1B users × 1/day = 11.6K posts/s
New text per month (text_month)    30.4 TB/month  1B users × 1/day × 1 KB = 30.4 TB/month
Photo egress (photo_egress)        28.9 GB/s      57.9K req/s × 10% × 5 MB = 28.9 GB/s
Web servers (web)                  249            servers(174K req/s, 1K req/s, 30%, 3) = 249
`
	if out != want {
		t.Errorf("table:\n%s\nwant:\n%s", out, want)
	}
	// Flags may come after the overrides; -all shows hidden cells.
	code, out, _ = run("-f", "testdata/timeline.calc", "peak=2", "-all")
	if code != 0 || !strings.Contains(out, "scratch  ") || !strings.Contains(out, "Peak reads per second (peak_read)  34.7K req/s") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestJSON(t *testing.T) {
	code, out, errs := run("-json", "-f", "testdata/timeline.calc", "peak=abc")
	if code != 1 || !strings.Contains(errs, `testdata/timeline.calc:6:1: peak = "abc": unknown name "abc"`) {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var cells []struct {
		Name    string  `json:"name"`
		Value   float64 `json:"value"`
		Unit    string  `json:"unit"`
		Text    string  `json:"text"`
		Working string  `json:"working"`
		Error   string  `json:"error"`
	}
	if err := json.Unmarshal([]byte(out), &cells); err != nil {
		t.Fatal(err)
	}
	if len(cells) != 12 {
		t.Fatalf("%d cells", len(cells))
	}
	byName := map[string]int{}
	for i, c := range cells {
		byName[c.Name] = i
	}
	rq := cells[byName["read_qps"]]
	// 300e6 × 5 / 86,400 = 17,361.1 per second
	if rq.Value < 17361.1 || rq.Value > 17361.2 || rq.Unit != "req/s" || rq.Text != "17.4K req/s" || rq.Working != "300M users × 5/day = 17.4K req/s" || rq.Error != "" {
		t.Errorf("read_qps = %+v", rq)
	}
	if p := cells[byName["peak"]]; p.Text != "3" || !strings.Contains(p.Error, "unknown name") {
		t.Errorf("peak = %+v", p)
	}
	code, out, _ = run("-json", "8.68 GB/s as Gbps")
	var one struct {
		Value float64 `json:"value"`
		Unit  string  `json:"unit"`
		Text  string  `json:"text"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &one) != nil || one.Unit != "Gbps" || one.Text != "69.4 Gbps" || one.Value != 8.68e9 {
		t.Errorf("expression json: %d %s %+v", code, out, one)
	}
	for in, unit := range map[string]string{"$1234/month": "$/month", "25%": "%", "300M users": "users", "2 + 2": "", "$5": "$", "1.2e-9": ""} {
		_, out, _ := run("-json", in)
		if json.Unmarshal([]byte(out), &one) != nil || one.Unit != unit {
			t.Errorf("%s: unit %q, want %q", in, one.Unit, unit)
		}
	}
}

func TestFixturesParse(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.calc")
	if len(files) < 2 {
		t.Fatalf("fixtures: %v", files)
	}
	for _, f := range files {
		code, _, _ := run("-f", f)
		wantFail := strings.Contains(f, "broken")
		if (code != 0) != wantFail {
			t.Errorf("%s: exit %d", f, code)
		}
	}
}

// The -json form of a range gives its low and high beside the value.
func TestRangeJSON(t *testing.T) {
	code, out, errs := run("-json", "200M..400M * 5 / day")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got cellJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Value != 300e6*5/86400 || got.Low != 200e6*5/86400 || got.High != 400e6*5/86400 || got.Range != "11.6K–23.1K/s" {
		t.Errorf("got %+v", got)
	}
	code, out, _ = run("-json", "300M * 5 / day")
	got = cellJSON{}
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil || got.Low != got.Value || got.High != got.Value || got.Range != "" {
		t.Errorf("a single value: low and high are the value, no range: %+v", got)
	}
}
