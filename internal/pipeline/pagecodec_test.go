package pipeline

import (
	"reflect"
	"testing"

	"github.com/scalebook/scalebook/internal/diag"
	"github.com/scalebook/scalebook/internal/markdown"
)

func TestPageCodecRoundTrip(t *testing.T) {
	full := &pageResult{
		Sum:      [32]byte{1, 2, 3, 31: 9},
		HTML:     []byte("<p>héllo</p>"),
		Headings: []markdown.Heading{{Level: 2, ID: "a-b", Text: "A b", Title: "A <code>b</code>"}},
		Anchors:  []string{"a-b", "fig-1"},
		Sections: []markdown.Section{{Text: "intro"}, {ID: "a-b", Heading: "A b", Level: 2, Text: "body"}},
		HasCalc:  true, ExternalImages: []string{"https://x.test/i.png"},
		Refs:  []fragRef{{URL: "/guide/", File: "guide.md", Frag: "top", At: diag.Diagnostic{File: "content/a.md", Line: 3, Col: 7, Warning: true}}},
		Links: []linkUse{{Dest: "../guide.md#top", URL: "/guide/#top"}, {Dest: "x.png", URL: "/x.png", Asset: "x.png"}, {Dest: "gone.md", Problem: "missing"}},
	}
	for _, r := range []*pageResult{full, {}} {
		got, err := decodePage(encodePage(r))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, r)
		}
	}
	// Every field is stored: a field added to pageResult without its
	// codec fails here, rather than vanishing from warm builds.
	if n := reflect.TypeFor[pageResult]().NumField(); n != 10 {
		t.Errorf("pageResult has %d fields; encodePage and decodePage know 10 (Diags is never stored)", n)
	}
}

func TestPageCodecRejectsDamage(t *testing.T) {
	data := encodePage(&pageResult{HTML: []byte("<p>x</p>"), Anchors: []string{"a"}})
	for i := range data {
		if _, err := decodePage(data[:i]); err == nil {
			t.Errorf("a record cut to %d of %d bytes decoded", i, len(data))
		}
	}
	if _, err := decodePage(append(data, 0)); err == nil {
		t.Error("trailing bytes decoded")
	}
	bad := append([]byte{pageCodecVersion + 1}, data[1:]...)
	if _, err := decodePage(bad); err == nil {
		t.Error("another version decoded")
	}
}

func FuzzDecodePage(f *testing.F) {
	f.Add(encodePage(&pageResult{HTML: []byte("<p>x</p>"), Anchors: []string{"a"}, Links: []linkUse{{Dest: "a.md"}}}))
	f.Add([]byte{pageCodecVersion})
	f.Add(append([]byte{pageCodecVersion}, make([]byte, 32)...)) // a sum, then nothing
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := decodePage(data)
		if err != nil {
			return
		}
		// What decodes encodes back to the same bytes.
		if again := encodePage(r); string(again) != string(data) {
			t.Fatalf("decode then encode changed the record:\n%x\n%x", data, again)
		}
	})
}
