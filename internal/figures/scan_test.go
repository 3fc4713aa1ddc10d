package figures

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestScan(t *testing.T) {
	// Each case is a page and the figures Scan must report, as
	// "line:col kind text", in order.
	cases := []struct {
		name, src string
		want      []string
	}{
		{"scaled with unit", "The timeline serves 17.4K QPS on average.\n", []string{"1:21 scaled 17.4K QPS"}},
		{"information", "Each day adds 3.5 TB of photos.\n", []string{"1:15 unit 3.5 TB"}},
		{"money", "The bill is $1.2M a month, at $0.023/GB/month.\n", []string{"1:13 money $1.2M a month", "1:31 money $0.023/GB/month"}},
		{"time", "A read takes 40 ms, a seek 10ms.\n", []string{"1:14 unit 40 ms", "1:28 unit 10ms"}},
		{"plurals of codes and decades", "HTTP 500s and 301s in the 1990s, an average 2023 day.\n", nil},
		{"scaled count", "We plan for 300M users and 2 billion posts.\n", []string{"1:13 scaled 300M users", "1:28 scaled 2 billion"}},
		{"multiplier", "Reads outnumber writes 5× and storage grows 10x.\n", []string{"1:24 multiplier 5×", "1:46 multiplier 10x"}},
		{"ratio", "A read:write ratio of 50:1.\n", []string{"1:23 ratio 50:1"}},
		{"clock times are not ratios", "Views between 12:00 and 12:01, at 9:30 or 1:10:1.\n", nil},
		{"rate in words", "Each user posts 2.5 a day and reads 170 per day.\n", []string{"1:17 unit 2.5 a day", "1:37 unit 170 per day"}},
		{"rate tail", "It sends 20 inserts/s and 6,000 writes a second.\n", []string{"1:10 count 20 inserts/s", "1:27 count 6,000 writes a second"}},
		{"range", "Between 1K-10K req/s per server, or 10–20 ms.\n", []string{"1:9 scaled 1K-10K req/s", "1:37 unit 10–20 ms"}},
		{"count from ten", "Fan-out reaches 80 timelines and 1,500 servers.\n", []string{"1:17 count 80 timelines", "1:34 count 1,500 servers"}},
		{"fractional count", "Each holds 2.5 replicas.\n", []string{"1:12 count 2.5 replicas"}},
		{"small counts are design choices", "Keep 3 replicas in 2 regions on 5 nodes; three copies.\n", nil},
		{"bare numbers", "Chapter 14 lists 22 case studies and 70 figures.\n", nil},
		{"percentages", "Aim for 99.99% with 10% of posts.\n", nil},
		{"years", "In 2013 users posted; by 2016 posts doubled; the 1990s.\n", nil},
		{"ordinals and names", "The 99th percentile on an m7g.2xlarge with S3, p99, IPv4, 2012-13, 24/7, v1.1 and H100 GPUs, 3D.\n", nil},
		{"hex", "Magic 0x1F and 0xdeadbeef.\n", nil},
		{"front matter", "---\ntitle: 300M users\ndescription: 17.4K QPS\n---\n\nBody 5 ms.\n", []string{"6:6 unit 5 ms"}},
		{"fenced code", "```\n300M users\n```\n\n~~~calc id=x\nd = 5 ms\n~~~\n", nil},
		{"indented code", "Text.\n\n    300M users\n", nil},
		{"inline code", "Write `300M users` or `5 ms`.\n", nil},
		{"inline figures", "It serves {{twitter.read_qps}} and {{= 5 ms * 2}}, {{t: a*b}} ms.\n", nil},
		{"escaped braces are text", "Literal \\{{ 5 ms }}.\n", []string{"1:13 unit 5 ms"}},
		{"tables", "| a | b |\n|---|---|\n| 300M users | 5 ms |\n", nil},
		{"link destination and text", "See [40 ms](https://x.com/5ms) and <https://a.b/300M-users>.\n", []string{"1:6 unit 40 ms"}},
		{"heading attribute", "## At 10× the scale {#at-5-ms}\n", []string{"1:7 multiplier 10×"}},
		{"raw html blocks, not the text between tags", "<div>300M users</div>\n\nText <span>5 ms</span>.\n", []string{"3:12 unit 5 ms"}},
		{"emphasis", "About **300M** users and _5_ ms.\n", []string{"1:9 scaled 300M users", "1:27 unit 5 ms"}},
		{"line break", "It takes 40\nms, or 300M\n  users in a list.\n", []string{"1:10 unit 40 ms", "2:8 scaled 300M users"}},
		{"block quote", "> about 300M\n> users\n", []string{"1:9 scaled 300M users"}},
		{"list and footnote", "- 5 GB each[^1]\n\n[^1]: Reported 500 PB in 2016.\n", []string{"1:3 unit 5 GB", "3:16 unit 500 PB"}},
		{"paragraphs do not join", "It is 300M\n\nusers.\n", []string{"1:7 scaled 300M"}},
		{"minus and approximations", "About ~300K and ≈5 s, -5 MB.\n", []string{"1:8 scaled 300K", "1:20 unit 5 s", "1:26 unit 5 MB"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, h := range Scan([]byte(c.src)) {
				got = append(got, strings.Join([]string{itoa(h.Line) + ":" + itoa(h.Col), h.Kind.String(), h.Text}, " "))
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("Scan(%q)\n got %q\nwant %q", c.src, got, c.want)
			}
		})
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// FuzzScan holds Scan to its contract on any input: no panic, hits in
// source order, each at a position inside the source whose line and
// column agree with its offset, its text starting with what is there.
func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"The timeline serves 17.4K QPS.\n", "---\ntitle: x\n---\n5 ms\n", "| 5 ms |\n|---|\n| 3 |\n",
		"**300M** users and {{a.b}} 5×", "$1.2M $0.023/GB/month 1K-10K req/s 50:1", "> 3\n> TB\n\n```\n5 ms\n```",
		"{{", "{{x}}", "0x", "$", "1,000,00 5.", "1–", "- 2.5 a day\n[^1]: 5 PB\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		hits := Scan([]byte(src))
		prev := -1
		for _, h := range hits {
			if h.Offset <= prev || h.Offset >= len(src) {
				t.Fatalf("hit at offset %d after %d in %d bytes: %+v", h.Offset, prev, len(src), h)
			}
			prev = h.Offset
			line := 1 + strings.Count(src[:h.Offset], "\n")
			col := h.Offset - (strings.LastIndex(src[:h.Offset], "\n") + 1) + 1
			if h.Line != line || h.Col != col {
				t.Fatalf("hit %+v: offset %d is %d:%d", h, h.Offset, line, col)
			}
			if h.Kind < Money || h.Kind > Count || h.Text == "" || !utf8.ValidString(h.Text) && utf8.ValidString(src) {
				t.Fatalf("bad hit %+v", h)
			}
			first := strings.Fields(h.Text)[0]
			if !strings.HasPrefix(src[h.Offset:], first) {
				t.Fatalf("hit %+v: source there is %q", h, src[h.Offset:min(len(src), h.Offset+20)])
			}
		}
	})
}
