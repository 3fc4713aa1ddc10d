package search

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/scalebook/scalebook/internal/markdown"
)

func TestBuild(t *testing.T) {
	pages := []Page{
		{URL: "", Title: "Home", Parent: -1, Sections: []markdown.Section{{Text: "Welcome <b>&amp;</b>."}}},
		{URL: "guide/", Title: "The  guide", Parent: 0},
		{URL: "guide/partitioning/", Title: "Partitioning", Parent: 1, Sections: []markdown.Section{
			{},
			{ID: "hash-ring", Heading: "Hash ring", Level: 2, Text: "Keys\tmap onto\na ring.\x00"},
			{ID: "range", Heading: "Range", Level: 3, Text: ""},
		}},
		{URL: "bad/", Title: "Bad parent", Parent: 7},
	}
	got, st := Build(pages, Options{Gzip: true})
	want := `{"v":1,"pages":[["","Home",-1],["guide/","The guide",0],["guide/partitioning/","Partitioning",1],["bad/","Bad parent",-1]],` +
		`"entries":[[0,"","","Welcome <b>&amp;</b>."],[1,"","",""],[2,"","",""],[2,"hash-ring","Hash ring","Keys map onto a ring."],[2,"range","Range",""],[3,"","",""]]}`
	if string(got) != want {
		t.Errorf("index:\n got %s\nwant %s", got, want)
	}
	if st.Pages != 4 || st.Entries != 6 || st.IndexBytes != len(got) || st.GzipBytes == 0 {
		t.Errorf("stats = %+v", st)
	}
	again, _ := Build(pages, Options{})
	if !bytes.Equal(got, again) {
		t.Error("two builds of the same pages differ")
	}
}

func TestMaxText(t *testing.T) {
	long := strings.Repeat("word ", 100) // 500 bytes
	pages := []Page{{Title: "T", Parent: -1, Sections: []markdown.Section{{Text: long}, {ID: "é", Heading: "H", Text: strings.Repeat("é", 100)}}}}
	data, _ := Build(pages, Options{MaxText: 52})
	var ix struct{ Entries [][4]any }
	if err := json.Unmarshal(data, &ix); err != nil {
		t.Fatal(err)
	}
	if got := ix.Entries[0][3].(string); got != strings.TrimSpace(strings.Repeat("word ", 10)) {
		t.Errorf("cut at a word boundary: got %q", got)
	}
	if got := ix.Entries[1][3].(string); got != strings.Repeat("é", 26) {
		t.Errorf("cut at a rune boundary: got %q (%d bytes)", got, len(got))
	}
	data, _ = Build(pages, Options{MaxText: -1})
	if !bytes.Contains(data, []byte(strings.TrimSpace(long))) {
		t.Error("MaxText -1 should keep all text")
	}
}

// The format costs little beyond the text itself: the page table and a
// few bytes of punctuation per entry.
func TestOverhead(t *testing.T) {
	var pages []Page
	for i := range 50 {
		p := Page{URL: "section/page-" + strings.Repeat("x", i%7) + "/", Title: "Page title", Parent: -1}
		for j := range 8 {
			p.Sections = append(p.Sections, markdown.Section{ID: "heading-" + string(rune('a'+j)), Heading: "Heading " + string(rune('a'+j)),
				Level: 2, Text: strings.Repeat("Some prose about partitioning and replication. ", 10)})
		}
		pages = append(pages, p)
	}
	data, st := Build(pages, Options{Gzip: true})
	overhead := len(data) - st.TextBytes
	if perEntry := float64(overhead) / float64(st.Entries); perEntry > 40 {
		t.Errorf("index overhead is %.0f bytes per entry (%d bytes over %d of text); want under 40", perEntry, overhead, st.TextBytes)
	}
}

// FuzzAppendString checks the hand-written JSON string encoder against
// encoding/json (with HTML escaping off, as the index wants).
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"uote\\`, "\x00\x1f\n\t\r", "\u2028\u2029", "\xff\xfe", "<b>&</b>", "é😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.Encode(s)
		if got := string(appendString(nil, s)); got != strings.TrimSuffix(want.String(), "\n") {
			t.Errorf("appendString(%q) = %s, encoding/json says %s", s, got, want.String())
		}
	})
}
