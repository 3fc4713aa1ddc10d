package filecache

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func packs(t *testing.T, dir, ns string) []string {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Join(dir, ns, "packs"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func val(i int) []byte { return []byte(strings.Repeat("value "+strconv.Itoa(i)+" ", 20)) }

// TestPackedRoundTrip: a packed cache serves its own entries at once,
// writes them as one file per namespace on Flush, and only then does
// another process see them; entries stored one file each are read too.
func TestPackedRoundTrip(t *testing.T) {
	dir := t.TempDir()
	old := Open(dir, Options{})
	old.Put("ns", KeyOf("unpacked"), []byte("from a file"))

	c := Open(dir, Options{Packed: true})
	for i := range 50 {
		if err := c.Put("ns", KeyOf(strconv.Itoa(i)), val(i)); err != nil {
			t.Fatal(err)
		}
	}
	c.Put("other", KeyOf("x"), []byte("other namespace"))
	if v, ok := c.Get("ns", KeyOf("7")); !ok || string(v) != string(val(7)) {
		t.Fatalf("before Flush, own Get = %q, %v", v, ok)
	}
	if _, ok := Open(dir, Options{Packed: true}).Get("ns", KeyOf("7")); ok {
		t.Error("another process saw an entry before Flush")
	}
	if err := c.Trim(); err != nil { // Trim flushes
		t.Fatal(err)
	}
	if got := packs(t, dir, "ns"); len(got) != 1 || !strings.HasSuffix(got[0], ".pack") {
		t.Errorf("ns/packs holds %q, want one pack", got)
	}
	if got := packs(t, dir, "other"); len(got) != 1 {
		t.Errorf("other/packs holds %q, want one pack", got)
	}
	next := Open(dir, Options{Packed: true})
	for i := range 50 {
		if v, ok := next.Get("ns", KeyOf(strconv.Itoa(i))); !ok || string(v) != string(val(i)) {
			t.Errorf("entry %d after Flush = %q, %v", i, v, ok)
		}
	}
	if v, ok := next.Get("ns", KeyOf("unpacked")); !ok || string(v) != "from a file" {
		t.Errorf("an entry written as a file = %q, %v", v, ok)
	}
	if _, ok := next.Get("ns", KeyOf("x")); ok {
		t.Error("namespaces share packed entries")
	}
	if _, ok := next.Get("ns", KeyOf("50")); ok {
		t.Error("hit for an entry never put")
	}
	if v, ok := c.Get("ns", KeyOf("3")); !ok || string(v) != string(val(3)) {
		t.Errorf("after Flush, own Get = %q, %v", v, ok)
	}
}

// TestPackedDamage: a damaged value misses alone; a damaged index makes
// the whole pack miss and removes it. Bad bytes are never returned.
func TestPackedDamage(t *testing.T) {
	cases := []struct {
		name     string
		damage   func(b []byte) []byte
		hit      []int // entries that must still hit
		gonePack bool
	}{
		{"value byte flipped", func(b []byte) []byte { b[len(packMagic)+5] ^= 0x55; return b }, []int{1, 2}, false},
		{"footer cut", func(b []byte) []byte { return b[:len(b)-3] }, nil, true},
		{"count too large", func(b []byte) []byte { b[len(b)-len(packMagic)-2] = 0x7f; return b }, nil, true},
		{"empty", func(b []byte) []byte { return nil }, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			c := Open(dir, Options{Packed: true})
			for i := range 3 {
				c.Put("ns", KeyOf(strconv.Itoa(i)), val(i))
			}
			if err := c.Flush(); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "ns", "packs", packs(t, dir, "ns")[0])
			b, _ := os.ReadFile(p)
			os.WriteFile(p, tc.damage(b), 0o644)
			r := Open(dir, Options{Packed: true})
			for i := range 3 {
				v, ok := r.Get("ns", KeyOf(strconv.Itoa(i)))
				want := false
				for _, h := range tc.hit {
					want = want || h == i
				}
				if ok != want || (ok && string(v) != string(val(i))) {
					t.Errorf("entry %d: Get = %q, %v; want hit %v", i, v, ok, want)
				}
			}
			if _, err := os.Stat(p); tc.gonePack != os.IsNotExist(err) {
				t.Errorf("pack removed = %v, want %v", os.IsNotExist(err), tc.gonePack)
			}
		})
	}
}

// TestPackedMerge: once a namespace holds maxPacks packs, the next Flush
// writes one pack with what its process used and its own entries, and
// removes the rest.
func TestPackedMerge(t *testing.T) {
	dir := t.TempDir()
	for i := range maxPacks {
		c := Open(dir, Options{Packed: true})
		c.Put("ns", KeyOf(strconv.Itoa(i)), val(i))
		if err := c.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(packs(t, dir, "ns")); n != maxPacks {
		t.Fatalf("%d packs, want %d", n, maxPacks)
	}
	c := Open(dir, Options{Packed: true})
	for _, i := range []int{2, 5} {
		if _, ok := c.Get("ns", KeyOf(strconv.Itoa(i))); !ok {
			t.Fatalf("entry %d missed", i)
		}
	}
	c.Put("ns", KeyOf("new"), []byte("new"))
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := packs(t, dir, "ns"); len(got) != 1 {
		t.Fatalf("after the merge ns/packs holds %q, want one pack", got)
	}
	r := Open(dir, Options{Packed: true})
	for i := range maxPacks {
		_, ok := r.Get("ns", KeyOf(strconv.Itoa(i)))
		if want := i == 2 || i == 5; ok != want {
			t.Errorf("entry %d after the merge: hit %v, want %v", i, ok, want)
		}
	}
	if v, ok := r.Get("ns", KeyOf("new")); !ok || string(v) != "new" {
		t.Errorf("the new entry = %q, %v", v, ok)
	}
}
